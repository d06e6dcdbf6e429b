"""DocumentList: every document with its date, title, counts and path, sortable and filterable."""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import BindingType
from textual.message import Message

from explorer.model import DocumentMarks, DocumentSummary
from explorer.textsafe import clip_end, clip_start, inert_line
from explorer.tui import keymap
from explorer.tui.widgets.filter_box import FilterableList
from explorer.tui.wording import plural

SORTS = ("date", "title", "path")
FILTER_HELP = "* starred · is:read · is:unread · #tag · date:2009-05 · date:2009..2010"


TITLE_ROOM = 28  # cells a row keeps for the title (and its tags) before the counts and the path


@dataclass(slots=True)
class DocumentFilter:
    """What the document list's filter box asks for: words, marks and dates.

    ``*`` (or ``is:starred``), ``is:read``, ``is:unread``, ``#tag`` (a tag beginning so; several: all of them),
    ``date:2009``, ``date:2009-05``, ``date:2009-05-26``, ``date:2009-05..2009-07`` (a document's
    published date; ``is:undated`` for those without); any other word must be in the title,
    path or author.
    """

    words: list[str]
    starred: bool = False
    read: bool | None = None
    tags: list[str] | None = None
    first: str | None = None  # ISO days, inclusive
    last: str | None = None
    undated: bool = False
    problem: str = ""

    @property
    def empty(self) -> bool:
        return not (self.words or self.starred or self.read is not None or self.tags or self.first or self.last
                    or self.undated or self.problem)

    def accepts(self, doc: DocumentSummary, marks: DocumentMarks | None) -> bool:
        if self.problem:
            return False
        if self.starred and not (marks and marks.starred):
            return False
        if self.read is not None and bool(marks and marks.read) != self.read:
            return False
        if self.tags:  # by prefix, as the box is typed: #nuc finds #nuclear
            have = [tag.casefold() for tag in (marks.tags if marks else [])]
            if not all(any(tag.startswith(wanted) for tag in have) for wanted in self.tags):
                return False
        if self.undated and doc.published:
            return False
        if self.first or self.last:
            day = (doc.published or "")[:10]
            if not day or (self.first and day < self.first) or (self.last and day > self.last):
                return False
        if self.words:
            haystack = f"{doc.title or ''} {doc.path} {doc.author or ''}".casefold()
            return all(word in haystack for word in self.words)
        return True


def parse_document_filter(text: str) -> DocumentFilter:
    """The filter box's text as a ``DocumentFilter`` (see there)."""
    from explorer.model import date_bounds

    found = DocumentFilter([])
    for token in text.split():
        lowered = token.casefold()
        if lowered in ("*", "is:starred", "is:star"):
            found.starred = True
        elif lowered in ("is:read", "is:unread"):
            found.read = lowered == "is:read"
        elif lowered == "is:undated":
            found.undated = True
        elif lowered.startswith("#") and len(lowered) > 1:
            found.tags = [*(found.tags or []), lowered[1:]]
        elif lowered.startswith("date:"):
            first, dots, last = lowered[5:].partition("..")
            try:
                if first:
                    found.first = date_bounds(first)[0].isoformat()
                if last or not dots:
                    found.last = date_bounds(last or first)[1].isoformat()
            except (ValueError, IndexError):
                found.problem = f"{token!r} is not a date (date:2009, date:2009-05, date:2009-05..2009-07)"
        else:
            found.words.append(lowered)
    return found


def display_paths(documents: list[DocumentSummary]) -> dict[str, str]:
    """Each document's path below the folder they share (``mail.eml › notes.pdf`` kept whole)."""
    paths = {doc.doc_id: doc.path for doc in documents}
    folders = {os.path.dirname(path) for path in paths.values()}
    try:
        root = os.path.commonpath(list(folders)) if folders else ""
    except ValueError:  # relative and absolute paths mixed
        root = ""
    if not root or root == os.sep:
        return {doc_id: inert_line(path) for doc_id, path in paths.items()}
    cut = len(root.rstrip(os.sep)) + 1
    return {doc_id: inert_line(path[cut:]) for doc_id, path in paths.items()}


class DocumentList(FilterableList):
    """Rows are documents; ``s`` cycles the sort order, ``f`` filters."""

    BINDING_GROUP_TITLE = "Documents"
    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("documents") if binding.id != "documents-close"
    ]

    @dataclass
    class Chosen(Message):
        document: DocumentSummary

    @dataclass
    class MarkRequested(Message):
        """``*`` or ``R``: star it, or mark it read (again: take the mark off); ``kind``: "star" or "read"."""

        document: DocumentSummary
        kind: str

    @dataclass
    class TagsRequested(Message):
        document: DocumentSummary

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.documents: list[DocumentSummary] = []
        self.shown: list[DocumentSummary] = []
        self.paths: dict[str, str] = {}
        self.sort_by = "date"
        self.query_text = ""
        self.current_doc: str | None = None
        self.empty_text = "No documents"
        self.marks: dict[str, DocumentMarks] = {}  # by path (the session's, shared)
        self.problem = ""

    def set_documents(self, documents: list[DocumentSummary], current: str | None = None,
                      marks: dict[str, DocumentMarks] | None = None) -> None:
        self.documents = documents
        if marks is not None:
            self.marks = marks
        self.paths = display_paths(documents)
        self.current_doc = current
        self._rebuild(current)

    def filter(self, text: str) -> None:
        self.query_text = text
        self._rebuild(self.current.doc_id if self.current else None)

    def _rebuild(self, keep: str | None) -> None:
        wanted = parse_document_filter(self.query_text)
        self.problem = wanted.problem
        marks = self.marks
        shown = [doc for doc in self.documents if wanted.empty or wanted.accepts(doc, marks.get(doc.path))]
        if self.sort_by == "date":
            shown.sort(key=lambda doc: (doc.published or "9999", (doc.title or doc.path).casefold()))
        elif self.sort_by == "title":
            shown.sort(key=lambda doc: (doc.title or doc.path).casefold())
        else:
            shown.sort(key=lambda doc: doc.path)
        self.shown = shown
        cursor = next((i for i, doc in enumerate(shown) if doc.doc_id == keep), 0)
        self.empty_text = (wanted.problem or "No document matches") if not wanted.empty else "No documents"
        self.set_count(len(shown), cursor)

    @property
    def current(self) -> DocumentSummary | None:
        return self.shown[self.cursor] if 0 <= self.cursor < len(self.shown) else None

    def on_row_chosen(self, index: int) -> None:
        self.announce(self.Chosen(self.shown[index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "star", "tags", "toggle_read") and not self.shown:
            return None  # shown dimmed: nothing to open or mark
        return True

    def marks_changed(self) -> None:
        """Marks were set: repaint (and filter again: a filter on marks may now leave a row out)."""
        if parse_document_filter(self.query_text).empty:
            self._cache.clear()
            self.refresh()
        else:
            self._rebuild(self.current.doc_id if self.current else None)

    def action_star(self) -> None:
        if self.current is not None:
            self.announce(self.MarkRequested(self.current, "star"))

    def action_toggle_read(self) -> None:
        """Mark read (again: unread), then move down: going through a list, one key per document."""
        if self.current is not None:
            self.announce(self.MarkRequested(self.current, "read"))
            self.action_cursor_down()

    def action_tags(self) -> None:
        if self.current is not None:
            self.announce(self.TagsRequested(self.current))

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        doc = self.shown[index]
        marks = self.marks.get(doc.path)
        marker = "▶ " if doc.doc_id == self.current_doc else "  "
        star = "★" if marks is not None and marks.starred else " "
        read = "✓" if marks is not None and marks.read else " "
        tags = " ".join(f"#{inert_line(tag)}" for tag in marks.tags) if marks is not None and marks.tags else ""
        date = (inert_line(doc.published) or "undated")[:10].ljust(10)
        counts = (f"{doc.entity_count:>5,} {plural(doc.entity_count, 'entity'):<8} "
                  f"{doc.event_count:>4,} {plural(doc.event_count, 'date'):<5}")
        path = self.paths.get(doc.doc_id, inert_line(doc.path))
        # the path is shown whole when it fits in half the row; the title takes what is left. In a narrow
        # row the title keeps TITLE_ROOM: the counts give way first, then the path is cut from its start.
        fixed = len(marker) + 3 + len(date) + 4  # the marks, the date and the gaps around the title
        path_room = max(12, min(len(path), width // 2))
        if width - fixed - len(counts) - 2 - path_room < TITLE_ROOM:
            counts = ""
        counts_cells = len(counts) + 2 if counts else 0
        path_room = max(12, min(path_room, width - fixed - counts_cells - TITLE_ROOM))
        path = clip_start(path, path_room)
        room = max(8, width - fixed - counts_cells - len(path))
        tag_room = min(len(tags), room // 3)
        title = clip_end(inert_line(doc.title) or "(untitled)", room - (tag_room + 1 if tag_room else 0))
        tags = clip_end(tags, tag_room) if tag_room else ""
        gap = " " * max(0, room - len(title) - (len(tags) + 1 if tags else 0))
        return [
            Segment(marker, self.style("header")),
            Segment(star, self.style("match")),
            Segment(read + " ", self.style("dim")),
            Segment(date + "  ", self.style("dim")),
            Segment(title + (" " if tags else "")),
            Segment(tags, self.style("header")),
            Segment(gap + "  "),
            Segment(counts + "  " if counts else "", self.style("dim")),
            Segment(path, self.style("dim")),
        ]

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._rebuild(self.current.doc_id if self.current else None)
        self.post_message(self.Sorted(self.sort_by))

    @dataclass
    class Sorted(Message):
        sort_by: str
