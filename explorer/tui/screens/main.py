"""MainScreen: the panes (entities, mentions, document, timeline) and the messages between them.

The App holds the corpus (its session, the store worker) and the overlays; this screen holds
what is being read: the open document, the selected entity, the timeline's entity. Widgets
post messages up; the screen sets state down.

Moving a selection paints at once; what follows from it (the entity's mentions, its marks in
the document, the timeline that follows it) waits until the selection has rested for
``SETTLE_SECONDS``, so holding ``j`` in a long list never queues work for every row passed.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header

from explorer.model import (
    ENTITY_TYPES,
    CorpusEntity,
    Correction,
    DocumentMarks,
    EntityRef,
    MentionLine,
    StoredDocument,
)
from explorer.store.scope import Period
from explorer.textsafe import inert_line
from explorer.tui import keymap
from explorer.tui.screens.dialogs import Choice, ChoiceDialog, TextDialog
from explorer.tui.screens.hidden import HiddenScreen
from explorer.tui.styles import TYPE_LABELS
from explorer.tui.timeline_data import TimelineData, build_timeline
from explorer.tui.widgets.doc_header import DocHeader
from explorer.tui.widgets.doc_view import DocView
from explorer.tui.widgets.document_pane import DocumentPane
from explorer.tui.widgets.entity_list import EntityList
from explorer.tui.widgets.entity_sidebar import EntitySidebar
from explorer.tui.widgets.key_bar import KeyBar
from explorer.tui.widgets.mention_list import MentionList
from explorer.tui.widgets.status_line import StatusLine
from explorer.tui.widgets.timeline_strip import TimelineStrip
from explorer.tui.wording import count

if TYPE_CHECKING:
    from explorer.tui.app import ExplorerApp
    from explorer.tui.session import CorpusSession

SETTLE_SECONDS = 0.12
# The panes, in Tab order (selector on this screen)
PANE_ORDER = ["#entity-list", "#mentions", "#doc-view", "#timeline"]


def entity_ref(entity: CorpusEntity) -> EntityRef:
    """How a correction names an entity: by name, type and aliases, never by id (a rebuild renumbers those)."""
    return EntityRef(entity.name, entity.type, list(entity.aliases))


def entity_timeline(timeline: TimelineData, mentions: list[MentionLine]) -> TimelineData:
    """The events dated in a sentence that names the entity (one of its ``mentions``).

    Not "the events of every document that mentions it": in a corpus about one subject most
    documents mention the main actors, so that keeps nearly everything. A date in the very
    sentence that names an entity is what the text ties to that entity.
    """
    sentences: dict[str, list[tuple[int, int]]] = {}
    for mention in mentions:
        start = mention.sentence_start
        sentences.setdefault(mention.doc_id, []).append((start, start + max(len(mention.sentence), 1)))
    starts: dict[str, list[int]] = {}
    for doc_id, spans in sentences.items():
        spans.sort()
        starts[doc_id] = [start for start, _ in spans]
    kept = []
    for item in timeline.items:
        event = item.event
        spans = sentences.get(event.doc_id)
        if not spans:
            continue
        index = bisect_right(starts[event.doc_id], event.start) - 1
        if index >= 0 and spans[index][0] <= event.start < spans[index][1]:
            kept.append(event)
    return build_timeline(kept)


class MainScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Everywhere"
    BINDINGS: list[BindingType] = keymap.bindings("main")  # type: ignore[assignment]

    # Screen.focused repaints the whole screen when it changes (160x48: ~50 ms of a key press);
    # the widgets gaining and losing focus repaint themselves, through their focus styles.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self) -> None:
        super().__init__(id="main-screen")
        self.document: StoredDocument | None = None
        self.selected_entity: CorpusEntity | None = None
        self.timeline_entity: CorpusEntity | None = None  # the timeline follows this entity
        self.pending_open: tuple[str, int, tuple[int, int] | None] | None = None
        self._settle_timer: Timer | None = None

    @property
    def explorer(self) -> ExplorerApp:
        return self.app  # type: ignore[return-value]

    @property
    def session(self) -> CorpusSession | None:
        return self.explorer.session

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="main"):
            yield EntitySidebar(id="sidebar")
            with Vertical(id="centre"):
                yield MentionList(id="mentions")
                yield DocumentPane(id="document")
        yield TimelineStrip(id="timeline")
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.status.show("Opening the corpus…", "busy")
        self.doc_view.selection_pending = self.settle_now
        self.set_focus(self.doc_view)

    def on_resize(self, event: events.Resize) -> None:
        """Small terminals: a narrower sidebar, a shorter timeline and mentions panel, no title bar."""
        self.set_class(event.size.width < 110, "-narrow")
        self.set_class(event.size.height < 34, "-short")
        self.set_class(event.size.height < 28, "-tiny")
        self._make_way(self.focused)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._make_way(event.widget)

    def _make_way(self, focused: Widget | None) -> None:
        """On a tiny terminal the mentions panel makes way while the document has the keys.

        The class goes on the mentions panel, and changes only on a tiny terminal: a class change
        restyles the subtree it is on, and restyling the document on every focus move costs a frame.
        """
        reading = self.has_class("-tiny") and isinstance(focused, DocView)
        mentions = self.mention_list
        if mentions.has_class("-reading") != reading:
            mentions.set_class(reading, "-reading")

    @property
    def doc_view(self) -> DocView:
        return self.query_one(DocView)

    @property
    def sidebar(self) -> EntitySidebar:
        return self.query_one(EntitySidebar)

    @property
    def entity_list(self) -> EntityList:
        return self.query_one(EntityList)

    @property
    def mention_list(self) -> MentionList:
        return self.query_one(MentionList)

    @property
    def timeline(self) -> TimelineStrip:
        return self.query_one(TimelineStrip)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def pane(self) -> DocumentPane:
        return self.query_one(DocumentPane)

    # -- the corpus arrives ------------------------------------------------------------------

    def show_session(self, session: CorpusSession, refreshed: bool) -> None:
        keep = self.selected_entity.entity_id if self.selected_entity else None
        self.sidebar.set_entities(session.entities, keep)
        self.sidebar.set_scope(session.scope_label(short=True))
        if not session.timeline_ready:
            self.timeline.show_loading(scope=session.scope_label())  # the events follow (``timeline_loaded``)
        elif self.timeline_entity is None:
            self.timeline.set_data(session.timeline, scope=session.scope_label())
        else:
            self._filter_timeline(self.timeline_entity)
        if self.pending_open is not None:
            doc_id, offset, select = self.pending_open
            self.pending_open = None
            self.open_document(doc_id, offset, select)
        elif self.document is None or refreshed:
            if self.document is not None and self.document.summary.doc_id in session.doc_by_id:
                self.open_document(self.document.summary.doc_id, self.doc_view.cursor, reload=True)
            elif session.documents:
                first = min(session.documents, key=lambda doc: (doc.published or "9999", doc.path))
                self.open_document(first.doc_id)
            else:
                self.pane.show_empty(
                    f"No documents in {inert_line(session.name)}: explorer reads text, Markdown, HTML and PDF files"
                )
        self.refresh_bindings()

    def session_changed(self, session: CorpusSession, keep: str | None, focus_list: bool = False) -> None:
        """A correction, an undo or a new period: show the corpus as it reads now, where the user was."""
        if keep is not None:
            try:
                keep = session.corrected.resolve_id(keep)
            except KeyError:
                keep = None
        entity = session.entity_by_id.get(keep) if keep is not None else None
        self.sidebar.set_entities(session.entities, entity.entity_id if entity else None)
        if entity is not None and self.entity_list.current_id != entity.entity_id:
            self.sidebar.select_entity(entity.entity_id)  # the filter hides it: cleared
        self.sidebar.set_scope(session.scope_label(short=True))
        self.selected_entity = None  # the same id may name an entity with new counts, aliases or type
        self.select_entity(entity, settle_now=True)
        if entity is None:
            self.query_one("#centre").set_class(False, "-mentions")
        if self.timeline_entity is not None:
            follow = session.entity_by_id.get(self._resolved(session, self.timeline_entity.entity_id) or "")
            self.timeline_entity = follow
            if not session.timeline_ready:
                self.timeline.show_loading(scope=session.scope_label())
            elif follow is not None:
                self._filter_timeline(follow)
            else:
                self.timeline.set_data(session.timeline, scope=session.scope_label())
        elif not session.timeline_ready:
            self.timeline.show_loading(scope=session.scope_label())
        elif self.timeline.data is not session.timeline:
            self.timeline.set_data(session.timeline, scope=session.scope_label(), refit=True)
        if self.document is not None:
            self._reload_spans(self.document.summary.doc_id)
        if focus_list:
            self.set_focus(self.entity_list)
        self.refresh_bindings()

    @staticmethod
    def _resolved(session: CorpusSession, entity_id: str) -> str | None:
        try:
            return session.corrected.resolve_id(entity_id)
        except KeyError:
            return None

    @work(thread=True, exclusive=True, group="document", exit_on_error=False, description="read the document again")
    def _reload_spans(self, doc_id: str) -> None:
        session = self.session
        if session is None:
            return
        try:
            document = session.reader.document(doc_id)
        except Exception:
            return  # no longer in the store: the next refresh says so
        self.app.call_from_thread(self._show_respanned, document)

    def _show_respanned(self, document: StoredDocument) -> None:
        if self.document is None or self.document.summary.doc_id != document.summary.doc_id:
            return
        self.document = document
        self.query_one(DocHeader).show(document, marks=self._marks_of(document))
        self.doc_view.respan(document)

    def marks_changed(self, path: str) -> None:
        """A document's marks changed: the header says them."""
        document = self.document
        if document is not None and document.summary.path == path:
            self.query_one(DocHeader).show(document, marks=self._marks_of(document))

    def action_star_document(self) -> None:
        if self.document is not None:
            marks = self.explorer.toggle_document_mark(self.document.summary.doc_id, "star")
            if marks is not None:
                self.notify("Starred" if marks.starred else "Star taken off", timeout=2, markup=False)

    def action_read_document(self) -> None:
        if self.document is not None:
            marks = self.explorer.toggle_document_mark(self.document.summary.doc_id, "read")
            if marks is not None:
                self.notify("Marked read" if marks.read else "Marked unread", timeout=2, markup=False)

    def action_tag_document(self) -> None:
        if self.document is not None:
            self.explorer.edit_tags(self.document.summary.doc_id)

    def _marks_of(self, document: StoredDocument) -> DocumentMarks | None:
        session = self.session
        return session.marks_of(document.summary.doc_id) if session is not None else None

    # -- corrections (keys of the entity list; the App saves and applies them) ------------------

    def _correctable(self) -> CorpusEntity | None:
        """The entity a correction key acts on: the one under the list's cursor, else the selected one."""
        return self._entity_at_hand()

    def action_merge_entities(self) -> None:
        chosen = list(self.entity_list.marked.values())
        current = self._correctable()
        if current is not None and all(current.entity_id != entity.entity_id for entity in chosen):
            chosen.append(current)
        if len(chosen) < 2:
            self.notify("Mark the entities to merge with space (two or more, or one and the highlighted one), "
                        "then M", timeout=4, markup=False)
            return
        chosen.sort(key=lambda entity: (-entity.count, entity.name.casefold()))
        names: list[Choice] = []
        seen: set[str] = set()
        for entity in chosen:
            for surface, hint in ((entity.name, f"{entity.type}, {count(entity.count, 'mention')}"),
                                  *((alias, f"alias of {entity.name}") for alias in entity.aliases)):
                if surface.casefold() not in seen:
                    seen.add(surface.casefold())
                    names.append(Choice(surface, surface, hint))
        listed = " + ".join(f"{inert_line(e.name)} ({e.type}, {e.count:,})" for e in chosen[:6])
        more = f" and {len(chosen) - 6} more" if len(chosen) > 6 else ""
        note = (f"Merge {listed}{more}.\nThe merged entity's name (the others stay aliases; it keeps the type "
                "of the entity named so):")

        def merged(name: str | None) -> None:
            if not name:
                return
            refs = [entity_ref(entity) for entity in chosen]
            keep = next((e.entity_id for e in chosen if e.name.casefold() == name.casefold()), chosen[0].entity_id)
            self.entity_list.clear_marks()
            self.explorer.correct(Correction("merge", refs, value=name), keep)

        self.app.push_screen(TextDialog(f"Merge {len(chosen)} entities", note, chosen[0].name, names[:50]), merged)

    def action_rename_entity(self) -> None:
        entity = self._correctable()
        if entity is None:
            return

        def valid(name: str) -> str:
            if not name:
                return "Type the new name"
            return "That is its name already" if name == entity.name else ""

        def renamed(name: str | None) -> None:
            if name:
                self.explorer.correct(Correction("rename", [entity_ref(entity)], value=name), entity.entity_id)

        aliases = [Choice(alias, alias, "an alias") for alias in entity.aliases[:50]]
        self.app.push_screen(TextDialog(
            f"Rename {inert_line(entity.name)}", f"The new name of {inert_line(entity.name)} ({entity.type}); the "
            "old name stays an alias, so search still finds it:", entity.name, aliases, valid), renamed)

    def action_retype_entity(self) -> None:
        entity = self._correctable()
        if entity is None:
            return
        choices = [Choice(TYPE_LABELS.get(kind, kind), kind, "now" if kind == entity.type else "")
                   for kind in ENTITY_TYPES]

        def retyped(kind: str | None) -> None:
            if kind and kind != entity.type:
                self.explorer.correct(Correction("retype", [entity_ref(entity)], value=kind), entity.entity_id)

        self.app.push_screen(ChoiceDialog(f"Retype {inert_line(entity.name)}",
                                          f"The type of {inert_line(entity.name)} (now: {entity.type}):", choices,
                                          list(ENTITY_TYPES).index(entity.type)), retyped)

    def action_hide_entity(self) -> None:
        entity = self._correctable()
        if entity is None:
            return
        name = inert_line(entity.name)
        choices = [Choice(f"This entity: {name} ({entity.type})", ("entity", entity.name),
                          f"{count(entity.count, 'mention')} in {count(entity.doc_count, 'document')}"),
                   Choice(f"The name “{name}” wherever it appears", ("surface", entity.name),
                          "every entity of that name")]
        choices += [Choice(f"The name “{inert_line(alias)}” wherever it appears", ("surface", alias),
                           "dropped as an alias, with its mentions") for alias in entity.aliases[:30]]
        neighbour = self.entity_list.neighbour_id(entity.entity_id)

        def hidden(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, surface = choice
            if what == "entity":
                self.explorer.correct(Correction("hide", [entity_ref(entity)]), neighbour)
            else:  # an alias hidden everywhere leaves the entity in the list; its own name hides it
                keep = entity.entity_id if surface != entity.name else neighbour
                self.explorer.correct(Correction("hide", surface=surface), keep)

        self.app.push_screen(ChoiceDialog(f"Hide {name}", "Not an entity: hide it (U lists what is hidden, "
                                          "u undoes).", choices), hidden)

    def action_split_entity(self) -> None:
        entity = self._correctable()
        if entity is None:
            return
        if not entity.aliases:
            self.notify(f"{inert_line(entity.name)} has no alias to split out", timeout=3, markup=False)
            return
        choices = [Choice(alias, alias) for alias in entity.aliases[:100]]

        def split(alias: str | None) -> None:
            if alias:
                self.explorer.correct(Correction("split", [entity_ref(entity)], value=alias), entity.entity_id)

        self.app.push_screen(ChoiceDialog(
            f"Split an alias out of {inert_line(entity.name)}",
            "The alias becomes an entity of its own, with its mentions:", choices), split)

    def action_hidden_entities(self) -> None:
        session = self.session
        if session is None:
            return

        def unhide(choice: object) -> None:
            if isinstance(choice, Correction):
                keep = None
                if choice.entities:
                    found = session.corrected.lookup(f"{choice.entities[0].type}:{choice.entities[0].name}")
                    keep = found[0].entity_id if found else None
                self.explorer.correct(choice, keep)

        self.app.push_screen(HiddenScreen(session), unhide)

    def action_appears_with(self) -> None:
        """a: the entities sharing the selected entity's sentences and documents."""
        session = self.session
        entity = self._entity_at_hand()
        if session is None or entity is None:
            return
        self.settle_now()
        self.explorer.show_related(entity)

    def on_entity_list_marks_changed(self) -> None:
        self.refresh_bindings()

    # -- documents -------------------------------------------------------------------------

    def open_document(
        self, doc_id: str, offset: int = 0, select: tuple[int, int] | None = None, reload: bool = False
    ) -> None:
        """Show ``doc_id`` with the caret at ``offset``; loads in a worker unless already open."""
        if self.session is None:
            self.pending_open = (doc_id, offset, select)
            return
        if not reload and self.document is not None and self.document.summary.doc_id == doc_id:
            self._show_document(self.document, offset, select)
            return
        self._load_document(doc_id, offset, select)

    @work(thread=True, exclusive=True, group="document", exit_on_error=False, description="open the document")
    def _load_document(self, doc_id: str, offset: int, select: tuple[int, int] | None) -> None:
        session = self.session
        if session is None:
            return
        try:
            document = session.reader.document(doc_id)
        except Exception as error:
            self.app.call_from_thread(self.notify, f"Cannot open the document: {error}", severity="error",
                                      markup=False)
            return
        self.app.call_from_thread(self._show_document, document, offset, select)

    def _show_document(self, document: StoredDocument, offset: int, select: tuple[int, int] | None) -> None:
        same = self.document is document
        self.document = document
        if same and self.doc_view.document is document:
            self.doc_view.goto(offset, select)
        else:
            self.pane.show(document, offset, select, self._marks_of(document))
        self.doc_view.set_selected_entity(self.selected_entity.entity_id if self.selected_entity else None)
        self.timeline.set_document(document.summary.doc_id)

    # -- entities and mentions -------------------------------------------------------------

    def on_entity_list_highlighted(self, message: EntityList.Highlighted) -> None:
        self.select_entity(message.entity)

    def select_entity(self, entity: CorpusEntity | None, settle_now: bool = False) -> None:
        """Select ``entity`` now (the list, the mentions title); what follows from it once it rests."""
        if entity is not None and self.selected_entity is not None and entity.entity_id == self.selected_entity.entity_id:
            if settle_now:
                self._settled()
            return
        had = self.selected_entity is not None
        self.selected_entity = entity
        if had != (entity is not None):
            self.query_one("#centre").set_class(entity is not None, "-mentions")
            self.refresh_bindings()  # m and T have something to do now, or no longer
        if self._settle_timer is not None:
            self._settle_timer.stop()
            self._settle_timer = None
        if settle_now:
            self._settled()
        else:
            self._settle_timer = self.set_timer(SETTLE_SECONDS, self._settled)

    def _settled(self) -> None:
        """The selection rested: mark it in the document, list its mentions, follow it on the timeline."""
        self._settle_timer = None
        entity = self.selected_entity
        # Content, not a str: a border title string is parsed as markup, and names are data
        self.mention_list.border_title = Content(
            f"Mentions of {inert_line(entity.name)} ({entity.type}) · {count(entity.count, 'mention')} in "
            f"{count(entity.doc_count, 'document')}" if entity else "Mentions"
        )
        self.doc_view.set_selected_entity(entity.entity_id if entity else None)
        self._load_mentions(entity)
        follow = self.timeline_entity
        if follow is not None and entity is not None and entity.entity_id != follow.entity_id:
            self.timeline_entity = entity
            self._filter_timeline(entity)

    def settle_now(self) -> None:
        """Apply a selection still waiting to rest (a key that uses it came before the timer)."""
        if self._settle_timer is not None:
            self._settle_timer.stop()
            self._settled()

    @property
    def settled(self) -> bool:
        """Nothing is waiting for the selection to rest (tests wait on this)."""
        return self._settle_timer is None

    @work(thread=True, exclusive=True, group="mentions", exit_on_error=False, description="load the mentions")
    def _load_mentions(self, entity: CorpusEntity | None) -> None:
        session = self.session
        if entity is None or session is None:
            self.app.call_from_thread(self.mention_list.set_mentions, None, [])
            return
        mentions = session.reader.mentions(entity.entity_id)
        if self.selected_entity is entity:
            self.app.call_from_thread(self._show_mentions, entity, mentions)

    def _show_mentions(self, entity: CorpusEntity, mentions: list[MentionLine]) -> None:
        self.mention_list.set_mentions(entity, mentions)
        # thousands of new objects for a common name: the collector walks them now, not in the next key
        self.call_after_refresh(self.explorer.idle_gc.collect_young)

    def on_entity_sidebar_selection_cleared(self) -> None:
        self.select_entity(None, settle_now=True)

    def on_entity_list_chosen(self, message: EntityList.Chosen) -> None:
        self.select_entity(message.entity, settle_now=True)
        self.set_focus(self.mention_list)

    def on_mention_list_chosen(self, message: MentionList.Chosen) -> None:
        mention = message.mention
        self.open_document(mention.doc_id, mention.start, (mention.start, mention.end))
        self.set_focus(self.doc_view)

    def on_mention_list_back_requested(self) -> None:
        self.set_focus(self.entity_list)

    def on_doc_view_entity_activated(self, message: DocView.EntityActivated) -> None:
        if self.sidebar.select_entity(message.entity_id):
            entity = self.session.entity_by_id.get(message.entity_id) if self.session else None
            if entity is not None:
                self.select_entity(entity, settle_now=True)
                self.notify(f"{inert_line(entity.name)}: {count(entity.count, 'mention')} (m lists them, n/N steps)",
                            timeout=2, markup=False)

    def on_doc_view_backed_out(self) -> None:
        if self.selected_entity is not None:
            self.set_focus(self.entity_list)

    # -- the timeline ----------------------------------------------------------------------

    def on_timeline_strip_event_chosen(self, message: TimelineStrip.EventChosen) -> None:
        event = message.event
        self.open_document(event.doc_id, event.start, (event.start, event.end))
        self.set_focus(self.doc_view)

    def on_timeline_strip_scope_requested(self, message: TimelineStrip.ScopeRequested) -> None:
        self.status.show(f"Limiting every list to {message.first.isoformat()} – {message.last.isoformat()}…", "busy")
        self.explorer.set_scope(Period(message.first, message.last))

    def timeline_loaded(self, session: CorpusSession) -> None:
        """The events of ``session`` (the one shown) are read: the timeline shows them."""
        if self.timeline_entity is None:
            self.timeline.set_data(session.timeline, scope=session.scope_label())
        else:
            self._filter_timeline(self.timeline_entity)
        self.refresh_bindings()

    def action_entity_timeline(self) -> None:
        """T (or f in the timeline): the timeline follows the selected entity; again: every event."""
        session = self.session
        if session is None:
            return
        if not session.timeline_ready:
            self.notify("The timeline is still reading the corpus's dated events: T works once they show",
                        timeout=3, markup=False)
            return
        entity = self._entity_at_hand()
        if self.timeline_entity is not None:
            self.timeline_entity = None
            self.timeline.set_data(session.timeline, scope=session.scope_label())
        elif entity is not None:
            self.timeline_entity = entity
            self._filter_timeline(entity)
        self.set_focus(self.timeline)
        self.refresh_bindings()

    def _entity_at_hand(self) -> CorpusEntity | None:
        """The entity under the list's cursor when the list has the keys (its Highlighted message may
        still be on the way when keys come fast), else the selected entity."""
        if self.focused is self.entity_list and self.entity_list.current is not None:
            return self.entity_list.current
        return self.selected_entity

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False, description="filter the timeline")
    def _filter_timeline(self, entity: CorpusEntity) -> None:
        session = self.session
        if session is None or not session.timeline_ready:
            return  # filtered once the events are read (``timeline_loaded``)
        data = entity_timeline(session.timeline, session.reader.mentions(entity.entity_id))
        self.app.call_from_thread(self._apply_timeline_filter, entity, data)

    def _apply_timeline_filter(self, entity: CorpusEntity, data: TimelineData) -> None:
        if self.timeline_entity is None or self.timeline_entity.entity_id != entity.entity_id:
            return  # unfiltered, or moved on, meanwhile
        self.timeline.set_data(data, inert_line(entity.name), scope=self.session.scope_label() if self.session else "")

    # -- notes -----------------------------------------------------------------------------

    def on_doc_view_clip_requested(self, message: DocView.ClipRequested) -> None:
        self.explorer.export_passage(message.document, message.start, message.end)

    def on_mention_list_export_requested(self, message: MentionList.ExportRequested) -> None:
        self.explorer.export_mentions(message.entity, message.mentions)

    def on_entity_list_export_requested(self, message: EntityList.ExportRequested) -> None:
        self.explorer.load_and_export_mentions(message.entity)

    def on_timeline_strip_range_export_requested(self, message: TimelineStrip.RangeExportRequested) -> None:
        self.explorer.export_timeline(message.events, message.label)

    # -- panes -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Focus moves with Screen.set_focus (at once, not after the queued keys): a pane key typed
        # right after another (e then j) reaches the pane it names.
        if action == "focus_pane" and parameters == ("#mentions",):
            return True if self.selected_entity is not None else None
        if action == "entity_timeline":
            return True if (self._entity_at_hand() is not None or self.timeline_entity is not None) else None
        if action in ("rename_entity", "retype_entity", "hide_entity", "appears_with"):
            return True if self.session is not None and self._entity_at_hand() is not None else None
        if action == "split_entity":
            entity = self._entity_at_hand()
            return True if self.session is not None and entity is not None and entity.aliases else None
        if action == "merge_entities":
            marked = self.entity_list.marked
            current = self._entity_at_hand()
            extra = 1 if current is not None and current.entity_id not in marked else 0
            return True if self.session is not None and len(marked) + extra >= 2 else None
        if action == "hidden_entities":
            return True if self.session is not None else None
        if action in ("star_document", "read_document", "tag_document"):
            return True if self.session is not None and self.document is not None else None
        return True

    def _visible_panes(self) -> list[str]:
        panes = []
        for selector in PANE_ORDER:
            if selector == "#mentions" and not self.query_one("#centre").has_class("-mentions"):
                continue
            widget = self.query_one(selector)
            if widget.display and widget.parent is not None and widget.parent.display:
                panes.append(selector)
        return panes

    def action_pane(self, delta: int) -> None:
        panes = self._visible_panes()
        focused = self.focused
        current = -1
        for index, selector in enumerate(panes):
            widget = self.query_one(selector)
            if focused is not None and (focused is widget or widget in focused.ancestors):
                current = index
        if focused is not None and focused in self.sidebar.query("*") and current < 0:
            current = 0  # the filter box counts as the entity pane
        target = panes[(current + delta) % len(panes)] if current >= 0 or delta > 0 else panes[-1]
        self.set_focus(self.query_one(target))

    def action_focus_pane(self, selector: str) -> None:
        if selector == "#mentions":
            if self.selected_entity is None:
                return
            self.query_one("#centre").add_class("-mentions")
            mentions = self.mention_list
            if mentions.has_class("-reading"):  # made way for the document: show it, then focus it
                mentions.remove_class("-reading")
                self.call_after_refresh(self.set_focus, self.mention_list)
                return
        self.set_focus(self.query_one(selector))
