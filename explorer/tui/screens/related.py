"""RelatedScreen: "appears with": the entities sharing one entity's sentences and documents, and their passages.

Two lists in one overlay: the related entities, ranked as ``related_entities`` ranks them
(score first: a name met everywhere scores little, a rare one met in the same sentences
again and again scores high), and, after enter on one, the sentences where both appear.
Enter on a sentence closes the overlay and opens the document there. ``a`` on a related
entity shows what it appears with in turn; escape steps back.

Counting runs in a worker: the first count of a corpus waits for its co-occurrence arrays
(built once per store, seconds at 10,000 documents), and says so while it waits. The app
counts before it opens the overlay (``count_related``) and hands the count over, so the
overlay's first frame is the list: a "Counting…" frame, then the list, would cost a second
full frame over the dimmed screen behind, and the count would compete with the first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.segment import Segment
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from explorer.model import CorpusEntity, RelatedEntity
from explorer.store.cooccurrence import SharedPassage, related_entities, shared_passages
from explorer.textsafe import clip_around, clip_end, inert_line
from explorer.tui import keymap
from explorer.tui.session import CorpusSession
from explorer.tui.styles import TYPE_CLASSES, TYPE_SHORT, type_class
from explorer.tui.widgets.virtual_list import VirtualList
from explorer.tui.wording import count

RELATED_LIMIT = 200  # entities listed: the tail past a few dozen scores near chance


@dataclass(frozen=True, slots=True)
class Counted:
    """Who appears with ``entity`` (in the session's scope), and how long counting took."""

    entity: CorpusEntity
    related: list[RelatedEntity]
    seconds: float


def count_related(session: CorpusSession, entity: CorpusEntity) -> Counted:
    """Count who appears with ``entity`` in ``session`` (its corrections and scope); run it in a thread."""
    scope = getattr(session.reader, "doc_ids", None)
    started = time.perf_counter()
    with session.cooccurrence_lock:  # the first count builds the store's arrays: once
        related = related_entities(session.reader, entity.entity_id, RELATED_LIMIT, doc_ids=scope,
                                   document_total=len(scope) if scope is not None else None)
    return Counted(entity, related, time.perf_counter() - started)


@dataclass(frozen=True, slots=True)
class PassageTarget:
    """Where to open: a document and the sentence (document offsets)."""

    doc_id: str
    start: int
    end: int


class RelatedList(VirtualList):
    """One row per related entity: its name, then score, shared sentences and shared documents."""

    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("related") if binding.id != "related-close"
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | TYPE_CLASSES

    @dataclass
    class Chosen(Message):
        related: RelatedEntity

    @dataclass
    class Pivoted(Message):
        entity: CorpusEntity

    @dataclass
    class ExportRequested(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.related: list[RelatedEntity] = []
        self.empty_text = "Counting…"

    def set_related(self, related: list[RelatedEntity], empty: str) -> None:
        self.related = related
        self.empty_text = empty
        self.set_count(len(related), 0)
        self.refresh_bindings()

    @property
    def current(self) -> RelatedEntity | None:
        return self.related[self.cursor] if 0 <= self.cursor < len(self.related) else None

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        item = self.related[index]
        numbers = columns(f"{item.score:.2f}", f"{item.sentences:,}", f"{item.documents:,}")
        room = name_room(width)
        name = clip_end(inert_line(item.entity.name), room)
        return [
            Segment(" ● ", self.get_component_rich_style(type_class(item.entity.type))),
            Segment(name.ljust(room)),
            Segment(f" {TYPE_SHORT.get(item.entity.type, item.entity.type):<6}", self.style("dim")),
            Segment(numbers),
        ]

    def on_row_chosen(self, index: int) -> None:
        self.announce(self.Chosen(self.related[index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "pivot", "export") and not self.related:
            return None
        return True

    def action_pivot(self) -> None:
        item = self.current
        if item is not None:
            self.announce(self.Pivoted(item.entity))

    def action_export(self) -> None:
        if self.related:
            self.announce(self.ExportRequested())


def columns(score: str, sentences: str, documents: str) -> str:
    """The number columns of a row (and of the header above the list)."""
    return f"{score:>7} {sentences:>10} {documents:>10}"


NUMBERS_WIDTH = len(columns("", "", ""))


def name_room(width: int) -> int:
    """Cells for the name: what the type and numbers leave, at most 44 (the numbers stay near the name)."""
    return max(8, min(44, width - NUMBERS_WIDTH - 10))


class PassageList(VirtualList):
    """One row per shared sentence: date, document title, the sentence with both names marked."""

    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("passages") if binding.id != "passages-back"
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | TYPE_CLASSES

    @dataclass
    class Chosen(Message):
        passage: SharedPassage

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.passages: list[SharedPassage] = []
        self.types: dict[str, str] = {}
        self.empty_text = "Reading the passages…"

    def set_passages(self, passages: list[SharedPassage], types: dict[str, str], empty: str) -> None:
        self.passages = passages
        self.types = types
        self.empty_text = empty
        self.set_count(len(passages), 0)
        self.refresh_bindings()

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        passage = self.passages[index]
        date = (passage.published or "undated")[:10].ljust(10)
        title_room = max(12, min(28, width // 5))
        title = clip_end(inert_line(passage.doc_title), title_room).ljust(title_room)
        room = max(10, width - len(date) - title_room - 4)
        sentence = inert_line(passage.sentence)
        marks = sorted((start - passage.sentence_start, end - passage.sentence_start, entity_id)
                       for start, end, entity_id in passage.marks)
        low, high = marks[0][0], max(end for _, end, _ in marks)
        if high - low > room * 0.8:  # the two names are far apart: keep the second in view
            low, high = marks[-1][0], marks[-1][1]
        left, _, right = clip_around(sentence, low, high, room)
        segments = [Segment(date + "  ", self.style("dim")), Segment(title + "  ", self.style("header")),
                    Segment(left)]
        at = low
        for start, end, entity_id in marks:
            if start < at or end > high:
                continue
            segments.append(Segment(sentence[at:start]))
            style = self.get_component_rich_style(type_class(self.types.get(entity_id))) + self.style("match")
            segments.append(Segment(sentence[start:end], style))
            at = end
        segments.append(Segment(sentence[at:high]))
        segments.append(Segment(right))
        return segments

    def on_row_chosen(self, index: int) -> None:
        self.announce(self.Chosen(self.passages[index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and not self.passages:
            return None
        return True


class RelatedScreen(ModalScreen[PassageTarget | None]):
    """Appears with: returns where to open the document (a passage chosen), or None."""

    BINDING_GROUP_TITLE = "Appears with"
    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        *[binding for binding in keymap.bindings("related") if binding.id == "related-close"],
        *[binding for binding in keymap.bindings("passages") if binding.id == "passages-back"],
    ]

    def __init__(self, session: CorpusSession, entity: CorpusEntity, counted: Counted | None = None) -> None:
        """``counted``: the count of ``entity`` when already made (otherwise the overlay counts)."""
        super().__init__()
        self.session = session
        self.entity = entity
        self._counted = counted if counted is not None and counted.entity is entity else None
        self.history: list[tuple[CorpusEntity, int]] = []  # entities pivoted from, and the row they were on
        self.pair: RelatedEntity | None = None  # the passages shown are of this entity and ``pair``
        self.related: list[RelatedEntity] = []
        self._waiting: Timer | None = None
        self._started = 0.0
        self.loaded = False  # the related list is counted (tests wait on it)

    def compose(self) -> ComposeResult:
        with Vertical(id="related-box"):
            yield Static("", id="related-status", markup=False)
            yield Static("", id="related-header", markup=False)
            yield RelatedList(id="related-list")
            yield PassageList(id="passage-list")

    @property
    def related_list(self) -> RelatedList:
        return self.query_one(RelatedList)

    @property
    def passage_list(self) -> PassageList:
        return self.query_one(PassageList)

    @property
    def showing_passages(self) -> bool:
        return self.pair is not None

    def on_mount(self) -> None:
        self.passage_list.display = False
        counted, self._counted = self._counted, None
        if counted is None:
            self._load(self.entity)
            return
        self.related_list.focus()
        self._title()
        self._show_related(counted.entity, counted.related, counted.seconds, 0)

    # -- the related entities ------------------------------------------------------------------

    def _load(self, entity: CorpusEntity, cursor: int = 0) -> None:
        self.entity = entity
        self.pair = None
        self.loaded = False
        self.passage_list.display = False
        self.related_list.display = True
        self.related_list.set_related([], "Counting…")
        self.related_list.focus()
        self._title()
        self._status("Counting…")
        self._started = time.perf_counter()
        if self._waiting is not None:
            self._waiting.stop()
        self._waiting = self.set_interval(0.5, self._still_counting)
        self._count(entity, cursor)

    def _still_counting(self) -> None:
        seconds = time.perf_counter() - self._started
        self._status(f"Counting who appears with whom in {count(len(self.session.documents), 'document')}: the "
                     f"first time for this corpus takes a while… {seconds:.0f} s")

    @work(thread=True, exclusive=True, group="related", exit_on_error=False, description="count who appears with whom")
    def _count(self, entity: CorpusEntity, cursor: int) -> None:
        counted = count_related(self.session, entity)
        self.app.call_from_thread(self._show_related, entity, counted.related, counted.seconds, cursor)

    def _show_related(self, entity: CorpusEntity, related: list[RelatedEntity], seconds: float, cursor: int) -> None:
        if entity is not self.entity:
            return  # pivoted meanwhile
        if self._waiting is not None:
            self._waiting.stop()
            self._waiting = None
        self.related = related
        scope = f" from {self.session.scope_label()}" if self.session.period is not None else ""
        self.related_list.set_related(
            related, f"No entity shares a sentence or two documents with {inert_line(entity.name)}{scope}")
        if cursor:
            self.related_list.move_cursor(cursor)
        self.loaded = True
        self._status(f"{count(len(related), 'entity')}{scope}, most telling first (counted in "
                     f"{seconds * 1000:.0f} ms) · enter: the shared passages · a: what it appears with · x: note")
        self.refresh_bindings()

    def _title(self) -> None:
        box = self.query_one("#related-box")
        entity = self.entity
        scope = f" · {self.session.scope_label()}" if self.session.period is not None else ""
        if self.pair is None:
            box.border_title = Content(f"Appears with {inert_line(entity.name)} ({entity.type}) · "
                                       f"{count(entity.count, 'mention')} in {count(entity.doc_count, 'document')}"
                                       f"{scope}")
            box.border_subtitle = "enter passages · a appears with · x note · esc " + (
                "back" if self.history else "close")
            room = name_room(self.related_list.scrollable_content_region.width)
            self.query_one("#related-header", Static).update(Content(
                "   " + "entity".ljust(room) + " type  " + columns("score", "sentences", "documents")))
        else:
            other = self.pair.entity
            box.border_title = Content(f"Where {inert_line(entity.name)} and {inert_line(other.name)} appear "
                                       f"together · {count(self.pair.sentences, 'sentence')} in "
                                       f"{count(self.pair.documents, 'shared document')}{scope}")
            box.border_subtitle = "enter open the document there · esc back"
            self.query_one("#related-header", Static).update("")

    def _status(self, text: str) -> None:
        self.query_one("#related-status", Static).update(Content(text))

    def on_resize(self) -> None:
        self._title()

    def on_related_list_chosen(self, message: RelatedList.Chosen) -> None:
        self.pair = message.related
        self.related_list.display = False
        self.passage_list.display = True
        self.passage_list.set_passages([], {}, "Reading the passages…")
        self.passage_list.focus()
        self._title()
        self._status("Reading the passages…")
        self._read_passages(self.entity, message.related)

    @work(thread=True, exclusive=True, group="passages", exit_on_error=False, description="read the shared passages")
    def _read_passages(self, entity: CorpusEntity, pair: RelatedEntity) -> None:
        passages = shared_passages(self.session.reader, entity.entity_id, pair.entity.entity_id)
        self.app.call_from_thread(self._show_passages, pair, passages)

    def _show_passages(self, pair: RelatedEntity, passages: list[SharedPassage]) -> None:
        if self.pair is not pair:
            return
        types = {self.entity.entity_id: self.entity.type, pair.entity.entity_id: pair.entity.type}
        empty = (f"No sentence names both: they share {count(pair.documents, 'document')}, not a sentence"
                 if not pair.sentences else "No passage found")
        self.passage_list.set_passages(passages, types, empty)
        documents = len({passage.doc_id for passage in passages})
        self._status(f"{count(len(passages), 'sentence')} in {count(documents, 'document')} · enter opens the "
                     "document at the sentence")

    def on_related_list_pivoted(self, message: RelatedList.Pivoted) -> None:
        self.history.append((self.entity, self.related_list.cursor))
        self._load(message.entity)

    def on_related_list_export_requested(self) -> None:
        from explorer import notes

        explorer = self.app
        now = explorer.now() if getattr(explorer, "now", None) else None  # type: ignore[attr-defined]
        note = notes.related_note(self.entity, self.related, self.session.scope_label(), now=now)
        explorer.deliver_note(note)  # type: ignore[attr-defined]

    def on_passage_list_chosen(self, message: PassageList.Chosen) -> None:
        passage = message.passage
        self.dismiss(PassageTarget(passage.doc_id, passage.sentence_start,
                                   passage.sentence_start + len(passage.sentence)))

    # -- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True if self.showing_passages else None
        if action == "close":
            return None if self.showing_passages else True
        return True

    def action_back(self) -> None:
        if self.pair is None:
            return
        self.pair = None
        self.passage_list.display = False
        self.related_list.display = True
        self.related_list.focus()
        self._title()
        self._status(f"{count(len(self.related), 'entity')}, most telling first · enter: the shared passages")
        self.refresh_bindings()

    def action_close(self) -> None:
        if self.pair is not None:
            self.action_back()
        elif self.history:
            entity, cursor = self.history.pop()
            self._load(entity, cursor)
        else:
            self.dismiss(None)

