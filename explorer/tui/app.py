"""ExplorerApp: the layout, the keys that work everywhere, workers and message routing.

Widgets post messages up; the App sets state down (the selected entity, the
open document, the timeline's events). All reads go through ``CorpusReader``
and the search index, in worker threads.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from explorer import notes
from explorer.model import CorpusEntity, MentionLine, SearchHit, StoredDocument
from explorer.textsafe import inert_line
from explorer.tui.commands import ExplorerCommands
from explorer.tui.messages import (
    IndexFinished,
    IndexProgress,
    SearchReady,
    StoreFailed,
    StoreOpened,
)
from explorer.tui.screens.documents import DocumentsScreen
from explorer.tui.screens.error import StoreErrorScreen
from explorer.tui.screens.help import HelpScreen, HelpSection
from explorer.tui.screens.search import SearchScreen
from explorer.tui.session import CorpusSession, Searcher
from explorer.tui.timeline_data import TimelineData, build_timeline
from explorer.tui.widgets.doc_view import DocView
from explorer.tui.widgets.document_list import DocumentList
from explorer.tui.widgets.document_pane import DocumentPane
from explorer.tui.widgets.entity_list import EntityList
from explorer.tui.widgets.entity_sidebar import EntitySidebar
from explorer.tui.widgets.key_bar import KeyBar
from explorer.tui.widgets.mention_list import MentionList
from explorer.tui.widgets.status_line import StatusLine
from explorer.tui.widgets.timeline_strip import TimelineStrip
from explorer.tui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from explorer.store.api import CorpusReader

# The panes, in Tab order: (help title, widget class, selector on the main screen)
PANES: list[tuple[str, type[DOMNode], str]] = [
    ("Entities", EntityList, "#entity-list"),
    ("Mentions", MentionList, "#mentions"),
    ("Document", DocView, "#doc-view"),
    ("Timeline", TimelineStrip, "#timeline"),
]
# Keys that work only inside an overlay, listed in the help screen.
OVERLAYS: list[tuple[str, list[type[DOMNode]]]] = [
    ("Entity filter", [EntitySidebar]),
    ("Search (/)", [SearchScreen]),
    ("Document list (d)", [DocumentsScreen, DocumentList]),
    ("Help (?)", [HelpScreen]),
]


@dataclass
class NoteDelivered(Message):
    note: notes.Note
    delivery: notes.Delivery


def _own_bindings(cls: type[DOMNode], without: type[DOMNode] | None = None) -> list[Binding]:
    """The bindings ``cls`` declares or inherits from explorer's classes (subclass wins).

    ``without``: leave out what that base class declares (listed once, on its own).
    """
    seen: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("explorer.") or "BINDINGS" not in vars(klass):
            continue
        if klass is without:
            continue
        for binding in Binding.make_bindings(vars(klass)["BINDINGS"]):
            seen[binding.key] = binding
    # group the keys of one action back together, in declaration order
    grouped: dict[str, Binding] = {}
    keys: dict[str, list[str]] = {}
    for binding in seen.values():
        grouped.setdefault(binding.action, binding)
        keys.setdefault(binding.action, []).append(binding.key)
    return [
        Binding(",".join(keys[action]), action, binding.description, binding.show,
                tooltip=binding.tooltip, id=binding.id)
        for action, binding in grouped.items()
    ]


class ExplorerApp(App[int]):
    """explorer's interface over one corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "explorer"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    BINDING_GROUP_TITLE = "Everywhere"

    BINDINGS: list[BindingType] = [
        Binding("slash", "search", "Search", tooltip="Search names, terms and passages", id="search"),
        Binding("ctrl+k", "search", "Search", show=False, priority=True,
                tooltip="Search, even from a text box", id="search-anywhere"),
        Binding("d", "documents", "Documents", tooltip="The list of documents", id="documents"),
        Binding("question_mark", "help", "Help", tooltip="Every key, pane by pane", id="help"),
        Binding("q", "quit", "Quit", tooltip="Quit explorer", id="quit"),
        Binding("tab", "pane(1)", "Next pane", show=False, priority=True, id="pane-next"),
        Binding("shift+tab", "pane(-1)", "Previous pane", show=False, priority=True, id="pane-previous"),
        Binding("e", "focus_pane('#entity-list')", "Entities", show=False, id="focus-entities"),
        Binding("m", "focus_pane('#mentions')", "Mentions", show=False, id="focus-mentions"),
        Binding("r", "focus_pane('#doc-view')", "Reader", show=False, id="focus-document"),
        Binding("t", "focus_pane('#timeline')", "Timeline", show=False, id="focus-timeline"),
        Binding("T", "toggle_timeline_filter", "Filter timeline", show=False,
                tooltip="Timeline: only events of documents mentioning the selected entity", id="timeline-filter-app"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, tooltip="Every action by name", id="palette"),
    ]

    def __init__(
        self,
        corpus: Path | None = None,
        *,
        db: Path | None = None,
        notes_path: Path | None = None,
        reader: CorpusReader | None = None,
        searcher: Searcher | None = None,
        index: bool = True,
        clipboard: Sequence[notes.ClipboardCommand] | None = None,
        now: Callable[[], str] | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.db = db
        self.notes_path = notes_path
        self._given_reader = reader
        self._given_searcher = searcher
        self.index_on_open = index
        self.clipboard_commands = list(clipboard) if clipboard is not None else None
        self.now = now
        self.session: CorpusSession | None = None
        self.document: StoredDocument | None = None
        self.selected_entity: CorpusEntity | None = None
        self.timeline_entity: CorpusEntity | None = None
        self.last_note: notes.Note | None = None
        self.last_delivery: notes.Delivery | None = None
        self.store_error: str | None = None
        self.started = time.perf_counter()
        self.first_paint: float | None = None
        self._mention_timer = None
        self._pending_open: tuple[str, int, tuple[int, int] | None] | None = None
        self._indexing = False
        self._store_thread: threading.Thread | None = None

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
        self.theme = "textual-dark"
        self.query_one(DocView).focus()
        self.query_one(StatusLine).show("Opening the corpus…", "busy")
        # The store loads in a thread that competes for the interpreter: start it once the
        # first frame is on screen.
        self.call_after_refresh(self._painted)
        self.call_after_refresh(self._start_store_thread)

    def on_resize(self, event: events.Resize) -> None:
        """Small terminals: a narrower sidebar, a shorter timeline and mentions panel."""
        self.set_class(event.size.width < 110, "-narrow")
        self.set_class(event.size.height < 34, "-short")

    def _painted(self) -> None:
        if self.first_paint is None:
            self.first_paint = time.perf_counter() - self.started

    # -- properties ------------------------------------------------------------------------

    @property
    def busy_indexing(self) -> bool:
        """The store thread (index run, store read, search build) is still working; it cannot be interrupted."""
        thread = self._store_thread
        return self._indexing or (thread is not None and thread.is_alive())

    @property
    def doc_view(self) -> DocView:
        return self.query_one(DocView)

    @property
    def sidebar(self) -> EntitySidebar:
        return self.query_one(EntitySidebar)

    @property
    def mention_list(self) -> MentionList:
        return self.query_one(MentionList)

    @property
    def timeline(self) -> TimelineStrip:
        return self.query_one(TimelineStrip)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def _notes_path(self) -> Path:
        if self.notes_path is not None:
            return self.notes_path
        from explorer.paths import default_notes_path

        return default_notes_path()

    # -- the store -------------------------------------------------------------------------

    def _start_store_thread(self, rebuild: bool = False) -> None:
        """Open (and index) the store in a daemon thread.

        Not a Textual thread worker: those run in asyncio's default executor, which the
        app joins on exit, so quitting during a long index run would wait for it.
        """
        self._store_thread = threading.Thread(
            target=self._store_job, args=(rebuild,), name="explorer-store", daemon=True
        )
        self._store_thread.start()

    def _store_job(self, rebuild: bool = False) -> None:
        try:
            self._open_store(rebuild)
        except Exception as error:  # never a traceback in the interface: say it plainly
            self.post_message(StoreFailed(f"The store could not be read: {type(error).__name__}: {error}"))

    def _open_store(self, rebuild: bool = False) -> None:
        if self._given_reader is not None:
            session = CorpusSession.load(self._given_reader, self._given_searcher)
            self._post_collected(StoreOpened(session))
            if self._given_searcher is not None:
                self._post_collected(SearchReady(session))
            else:
                self._build_search(session)
            return
        from explorer.paths import seeds_dir
        from explorer.store import index_corpus, open_store, store_path_for
        from explorer.store.api import StoreError

        corpus = (self.corpus or seeds_dir()).expanduser()
        try:
            db_path = store_path_for(corpus, self.db)
        except StoreError as error:
            self.post_message(StoreFailed(str(error)))
            return
        session: CorpusSession | None = None
        if db_path.exists() and not rebuild:
            try:
                session = CorpusSession.load(open_store(db_path))
                self._post_collected(StoreOpened(session))
            except StoreError as error:
                if not (self.index_on_open and error.can_rebuild):
                    self.post_message(StoreFailed(str(error), can_rebuild=error.can_rebuild and corpus.exists()))
                    return
        if self.index_on_open or rebuild:
            if not corpus.exists():
                self.post_message(StoreFailed(f"{corpus} does not exist", fatal=session is None))
            else:
                self.post_message(IndexProgress(0, 0, str(corpus)))

                def progress(done: int, total: int, path: str) -> None:
                    self.post_message(IndexProgress(done, total, path))

                _start_process_helpers()
                try:
                    if rebuild:
                        report = index_corpus([corpus], db_path, progress=progress, rebuild=True)  # type: ignore[call-arg]
                    else:
                        report = index_corpus([corpus], db_path, progress=progress)
                except StoreError as error:
                    self.post_message(StoreFailed(str(error), fatal=session is None, can_rebuild=error.can_rebuild))
                    if session is None:
                        return
                else:
                    changed = report.added + report.changed + report.removed
                    if session is None or changed or report.rebuilt:
                        try:
                            session = CorpusSession.load(open_store(db_path))
                        except StoreError as error:
                            self.post_message(StoreFailed(str(error)))
                            return
                        self._post_collected(StoreOpened(session, refreshed=True))
                    self.post_message(IndexFinished(_report_line(report), len(report.skipped)))
        if session is None:
            self.post_message(StoreFailed(f"No store at {db_path} (run: explorer index {corpus})"))
            return
        self._build_search(session)

    def _post_collected(self, message: Message) -> None:
        """From the store thread: collect garbage now (while the interface is idle), then post."""
        gc.collect()
        self.post_message(message)

    def _build_search(self, session: CorpusSession) -> None:
        try:
            from explorer.search import SearchIndex

            session.search = SearchIndex.build(session.reader)
        except Exception as error:  # search is an extra: the reader still works without it
            self.post_message(StoreFailed(f"Search is unavailable: {error}", fatal=False))
            return
        self._post_collected(SearchReady(session))

    def on_store_opened(self, message: StoreOpened) -> None:
        session = message.session
        # A large store is millions of long-lived objects: keep them out of the cyclic
        # collector's full passes, which otherwise stall key presses for a good fraction of a
        # second (the store thread collected just before posting, so little garbage is frozen).
        gc.freeze()
        self.session = session
        self.store_error = None
        self.sub_title = f"{inert_line(session.name)} · {session.counts_line()}"
        keep = self.selected_entity.entity_id if self.selected_entity else None
        self.sidebar.set_entities(session.entities, keep)
        if self.timeline_entity is None:
            self.timeline.set_data(session.timeline)
        if not self._indexing:
            self.status.show(f"{inert_line(session.name)}: {session.counts_line()}")
        if self._pending_open is not None:
            doc_id, offset, select = self._pending_open
            self._pending_open = None
            self.open_document(doc_id, offset, select)
        elif self.document is None or message.refreshed:
            if self.document is not None and self.document.summary.doc_id in session.doc_by_id:
                self.open_document(self.document.summary.doc_id, self.doc_view.cursor, reload=True)
            elif session.documents:
                first = min(session.documents, key=lambda doc: (doc.published or "9999", doc.path))
                self.open_document(first.doc_id)
            else:
                self.query_one(DocumentPane).show_empty(
                    f"No documents in {inert_line(session.name)}: explorer reads text, Markdown, HTML and PDF files"
                )

    def on_search_ready(self, message: SearchReady) -> None:

        gc.freeze()
        if self.session is message.session or self.session is None:
            self.session = message.session
        if isinstance(self.screen, SearchScreen) and message.session.search is not None:
            self.screen.set_searcher(message.session.search)

    def on_store_failed(self, message: StoreFailed) -> None:
        self._indexing = False
        self.store_error = message.message
        self.status.show(message.message, "error")
        if message.fatal:
            self.push_screen(StoreErrorScreen(message.message, message.can_rebuild), self._error_closed)
        else:
            self.notify(message.message, severity="error", timeout=8, markup=False)

    def _error_closed(self, rebuild: bool | None) -> None:
        if rebuild:
            self.store_error = None
            self.status.show("Rebuilding the store from the files…", "busy")
            self._start_store_thread(rebuild=True)

    def on_index_progress(self, message: IndexProgress) -> None:
        self._indexing = True
        if message.total:
            width = 20
            filled = int(width * message.done / max(1, message.total))
            bar = "█" * filled + "░" * (width - filled)
            self.status.show(
                f"Indexing {bar} {message.done:,}/{message.total:,}  {inert_line(message.path)}", "busy"
            )
        else:
            self.status.show(f"Indexing {inert_line(message.path)}: looking for changes…", "busy")

    def on_index_finished(self, message: IndexFinished) -> None:
        self._indexing = False
        counts = self.session.counts_line() if self.session else ""
        self.status.show(f"{message.summary} · {counts}", "")
        if message.skipped:
            self.notify(f"{message.skipped} file(s) could not be read (explorer index shows why)",
                        severity="warning", timeout=6, markup=False)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            text = f"{event.worker.description or event.worker.name} failed: {type(error).__name__}: {error}"
            self.status.show(text, "error")
            self.notify(text, severity="error", timeout=10, markup=False)

    # -- documents -------------------------------------------------------------------------

    def open_document(
        self, doc_id: str, offset: int = 0, select: tuple[int, int] | None = None, reload: bool = False
    ) -> None:
        """Show ``doc_id`` with the caret at ``offset``; loads in a worker unless already open."""
        if self.session is None:
            self._pending_open = (doc_id, offset, select)
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
            self.call_from_thread(self.notify, f"Cannot open the document: {error}", severity="error",
                                  markup=False)
            return
        self.call_from_thread(self._show_document, document, offset, select)

    def _show_document(self, document: StoredDocument, offset: int, select: tuple[int, int] | None) -> None:
        same = self.document is document
        self.document = document
        pane = self.query_one(DocumentPane)
        if same and self.doc_view.document is document:
            self.doc_view.goto(offset, select)
        else:
            pane.show(document, offset, select)
        self.doc_view.set_selected_entity(self.selected_entity.entity_id if self.selected_entity else None)
        self.timeline.set_document(document.summary.doc_id)

    # -- entities and mentions -------------------------------------------------------------

    def on_entity_list_highlighted(self, message: EntityList.Highlighted) -> None:
        self.select_entity(message.entity)

    def select_entity(self, entity: CorpusEntity | None) -> None:
        if entity is not None and self.selected_entity is not None and entity.entity_id == self.selected_entity.entity_id:
            return
        self.selected_entity = entity
        self.doc_view.set_selected_entity(entity.entity_id if entity else None)
        self.query_one("#centre").set_class(entity is not None, "-mentions")
        # Content, not a str: a border title string is parsed as markup, and names are data
        self.mention_list.border_title = Content(
            f"Mentions of {inert_line(entity.name)} ({entity.type}) · {entity.count:,} in {entity.doc_count:,} documents"
            if entity else "Mentions"
        )
        if self._mention_timer is not None:
            self._mention_timer.stop()
        # Moving through the list quickly should not load every entity's mentions.
        self._mention_timer = self.set_timer(0.08, self._load_mentions_now)

    def _load_mentions_now(self) -> None:
        self._mention_timer = None
        self._load_mentions(self.selected_entity)

    @work(thread=True, exclusive=True, group="mentions", exit_on_error=False, description="load the mentions")
    def _load_mentions(self, entity: CorpusEntity | None) -> None:
        session = self.session
        if entity is None or session is None:
            self.call_from_thread(self.mention_list.set_mentions, None, [])
            return
        mentions = session.reader.mentions(entity.entity_id)
        if self.selected_entity is entity:
            self.call_from_thread(self.mention_list.set_mentions, entity, mentions)

    def on_entity_sidebar_selection_cleared(self) -> None:
        self.select_entity(None)

    def on_entity_list_chosen(self, message: EntityList.Chosen) -> None:
        self.select_entity(message.entity)
        self.mention_list.focus()

    def on_mention_list_chosen(self, message: MentionList.Chosen) -> None:
        mention = message.mention
        self.open_document(mention.doc_id, mention.start, (mention.start, mention.end))
        self.doc_view.focus()

    def on_mention_list_back_requested(self) -> None:
        self.query_one(EntityList).focus()

    def on_doc_view_entity_activated(self, message: DocView.EntityActivated) -> None:
        if self.sidebar.select_entity(message.entity_id):
            entity = self.session.entity_by_id.get(message.entity_id) if self.session else None
            if entity is not None:
                self.notify(f"{inert_line(entity.name)}: {entity.count:,} mentions (m to list them, n/N to step)",
                            timeout=3, markup=False)

    def on_doc_view_backed_out(self) -> None:
        if self.selected_entity is not None:
            self.query_one(EntityList).focus()

    # -- timeline --------------------------------------------------------------------------

    def on_timeline_strip_event_chosen(self, message: TimelineStrip.EventChosen) -> None:
        event = message.event
        self.open_document(event.doc_id, event.start, (event.start, event.end))
        self.doc_view.focus()

    def action_toggle_timeline_filter(self) -> None:
        if self.session is None:
            return
        if self.timeline_entity is not None:
            self.timeline_entity = None
            self.timeline.set_data(self.session.timeline)
            self.notify("Timeline: every event", timeout=2, markup=False)
            return
        if self.selected_entity is None:
            self.notify("Select an entity first (e, then move to one)", severity="warning", timeout=3, markup=False)
            return
        self._filter_timeline(self.selected_entity)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False, description="filter the timeline")
    def _filter_timeline(self, entity: CorpusEntity) -> None:
        session = self.session
        if session is None:
            return
        data = build_timeline(session.reader.events(entity.entity_id))
        self.call_from_thread(self._apply_timeline_filter, entity, data)

    def _apply_timeline_filter(self, entity: CorpusEntity, data: TimelineData) -> None:
        self.timeline_entity = entity
        self.timeline.set_data(data, inert_line(entity.name))
        self.notify(f"Timeline: {len(data.items):,} events of documents mentioning {inert_line(entity.name)}",
                    timeout=3, markup=False)

    # -- notes -----------------------------------------------------------------------------

    def on_doc_view_clip_requested(self, message: DocView.ClipRequested) -> None:
        entities = self.session.entity_by_id if self.session else {}
        note = notes.passage_note(message.document, message.start, message.end, entities, now=self._now())
        self.deliver_note(note)

    def on_mention_list_export_requested(self, message: MentionList.ExportRequested) -> None:
        self._export_mentions(message.entity, message.mentions)

    def on_entity_list_export_requested(self, message: EntityList.ExportRequested) -> None:
        self._load_and_export_mentions(message.entity)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="export the mentions")
    def _load_and_export_mentions(self, entity: CorpusEntity) -> None:
        if self.session is None:
            return
        mentions = self.session.reader.mentions(entity.entity_id)
        self.call_from_thread(self._export_mentions, entity, mentions)

    def _export_mentions(self, entity: CorpusEntity, mentions: list[MentionLine]) -> None:
        paths = self.session.paths if self.session else {}
        self.deliver_note(notes.mentions_note(entity, mentions, paths, now=self._now()))

    def on_timeline_strip_range_export_requested(self, message: TimelineStrip.RangeExportRequested) -> None:
        paths = self.session.paths if self.session else {}
        self.deliver_note(notes.timeline_note(message.events, message.label, paths, now=self._now()))

    def _now(self) -> str | None:
        return self.now() if self.now else None

    def deliver_note(self, note: notes.Note) -> None:
        """Notes file first, then OSC 52 and the system clipboards; a toast says where it went."""
        self.last_note = note
        self._deliver(note)

    @work(thread=True, group="notes", exit_on_error=False, description="save the note")
    def _deliver(self, note: notes.Note) -> None:
        commands = self.clipboard_commands if self.clipboard_commands is not None else notes.clipboard_commands()

        def osc52(text: str) -> None:
            self.call_from_thread(self.copy_to_clipboard, text)

        delivery = notes.deliver(note, self._notes_path(), osc52=osc52, commands=commands)
        self.post_message(NoteDelivered(note, delivery))

    def on_note_delivered(self, message: NoteDelivered) -> None:
        self.last_delivery = delivery = message.delivery
        severity = "information"
        if delivery.lost:
            severity = "error"
        elif delivery.save_error:
            severity = "warning"
        self.notify(f"{message.note.title}: {delivery.summary()}", title="Note exported",
                    severity=severity, timeout=6, markup=False)  # type: ignore[arg-type]

    # -- overlays --------------------------------------------------------------------------

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            return
        searcher = self.session.search if self.session else None
        self.push_screen(SearchScreen(searcher), self._search_done)

    def _search_done(self, hit: SearchHit | None) -> None:
        if hit is None or self.session is None:
            return
        if hit.kind == "entity" and hit.entity_id:
            entity = self.session.entity_by_id.get(hit.entity_id)
            if entity is not None and self.sidebar.select_entity(hit.entity_id):
                self.select_entity(entity)
                self.mention_list.focus()
                return
            self.notify("That entity is no longer in the store", severity="warning", markup=False)
            return
        doc_id = hit.doc_id or next(
            (doc.doc_id for doc in self.session.documents if doc.path == hit.document), None
        )
        if doc_id is None:
            self.notify("That passage's document is no longer in the store", severity="warning", markup=False)
            return
        start = hit.start or 0
        select = (start, hit.end) if hit.end is not None and hit.end > start else None
        self.open_document(doc_id, start, select)
        self.doc_view.focus()

    def action_documents(self) -> None:
        if self.session is None:
            self.notify("The corpus is still opening", timeout=2, markup=False)
            return
        current = self.document.summary.doc_id if self.document else None
        self.push_screen(DocumentsScreen(self.session.documents, current), self._document_chosen)

    def _document_chosen(self, summary: object) -> None:
        if summary is not None:
            self.open_document(summary.doc_id)  # type: ignore[attr-defined]
            self.doc_view.focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    # -- panes and keys --------------------------------------------------------------------

    def _visible_panes(self) -> list[str]:
        panes = []
        for _title, _cls, selector in PANES:
            widget = self.query_one(selector)
            if widget.display and widget.parent is not None and widget.parent.display:
                if selector == "#mentions" and not self.query_one("#centre").has_class("-mentions"):
                    continue
                panes.append(selector)
        return panes

    def action_pane(self, delta: int) -> None:
        if self.screen is not self.screen_stack[0]:
            if delta > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        panes = self._visible_panes()
        focused = self.focused
        current = -1
        for index, selector in enumerate(panes):
            widget = self.query_one(selector)
            if focused is not None and (focused is widget or widget in focused.ancestors):
                current = index
        if focused is not None and focused.id == "entity-filter":
            current = 0
        target = panes[(current + delta) % len(panes)] if current >= 0 or delta > 0 else panes[-1]
        self.query_one(target).focus()

    def action_focus_pane(self, selector: str) -> None:
        if selector == "#mentions" and self.selected_entity is None:
            self.notify("Select an entity first (e)", severity="warning", timeout=2, markup=False)
            return
        if selector == "#mentions":
            self.query_one("#centre").add_class("-mentions")
        self.query_one(selector).focus()

    async def run_pane_action(self, target: str, action: str) -> None:
        """Run ``action`` on a pane (the palette's commands)."""
        if target == "app":
            await self.run_action(action)
            return
        widget = self.query_one(target)
        if widget.focusable:
            widget.focus()
        if action.startswith("app."):
            await self.run_action(action[4:])
        else:
            await widget.run_action(action)

    def binding_registry(self) -> list[tuple[str, str, str, str, str | None, str]]:
        """(pane title, keys, description, tooltip, target, action) of every binding."""
        rows: list[tuple[str, str, str, str, str | None, str]] = []

        def keys_of(binding: Binding) -> str:
            return " ".join(self.get_key_display(b) for b in Binding.make_bindings([binding]))

        for binding in _own_bindings(type(self)):
            rows.append(("Everywhere", keys_of(binding), binding.description, binding.tooltip, "app", binding.action))
        for title, cls, selector in PANES:
            for binding in _own_bindings(cls, without=VirtualList):
                rows.append((title, keys_of(binding), binding.description, binding.tooltip, selector, binding.action))
        for binding in _own_bindings(VirtualList):
            rows.append(("Lists (entities, mentions, documents, results)", keys_of(binding), binding.description,
                         binding.tooltip, None, binding.action))
        for title, classes in OVERLAYS:
            for cls in classes:
                for binding in _own_bindings(cls, without=VirtualList):
                    rows.append((title, keys_of(binding), binding.description, binding.tooltip, None, binding.action))
        return rows

    def help_sections(self) -> list[HelpSection]:
        blurbs = {
            "Everywhere": "explorer reads a corpus: entities (left), the document (centre), dated events (bottom).",
            "Entities": "Type to filter. The highlighted entity is marked in the document and its mentions listed.",
            "Mentions": "Every mention of the selected entity, with its sentence.",
            "Document": "v starts a selection; move to extend it; y exports it as a cited note. Mouse drag works too.",
            "Timeline": "░ a fuzzy date (month, season, year) · ● a day · ┣━┫ a span · + more events.",
            "Entity filter": "Typing in the entity list starts the filter.",
        }
        sections: dict[str, list[tuple[str, str]]] = {}
        for title, keys, description, _tooltip, _target, _action in self.binding_registry():
            sections.setdefault(title, []).append((keys, description))
        return [(title, blurbs.get(title, ""), pairs) for title, pairs in sections.items()]


def _start_process_helpers() -> None:
    """Start multiprocessing's resource tracker and fork server with the real stderr.

    While Textual runs, ``sys.stderr`` is its print capture whose ``fileno()`` is -1;
    multiprocessing passes that descriptor to the helpers it spawns and fails with
    "bad value(s) in fds_to_keep". Started once here, they are reused by the indexer's pool.
    """
    import multiprocessing

    real = sys.__stderr__
    if real is None or "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver, resource_tracker

    saved = sys.stderr
    sys.stderr = real
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    except Exception:  # the indexer falls back to one process by itself
        pass
    finally:
        sys.stderr = saved


def _report_line(report: object) -> str:
    documents = getattr(report, "documents", 0)
    added = getattr(report, "added", 0)
    changed = getattr(report, "changed", 0)
    removed = getattr(report, "removed", 0)
    seconds = getattr(report, "seconds", 0.0)
    if not (added or changed or removed):
        return f"Up to date: {documents:,} documents checked in {seconds:.1f} s"
    return f"Indexed {documents:,} documents: {added:,} new, {changed:,} changed, {removed:,} removed in {seconds:.1f} s"


__all__ = ["ExplorerApp", "VirtualList"]
