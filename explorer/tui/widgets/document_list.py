"""DocumentList: every document with its date, title, counts and path, sortable and filterable."""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import BindingType
from textual.message import Message

from explorer.model import DocumentSummary
from explorer.textsafe import clip_end, clip_start, inert_line
from explorer.tui import keymap
from explorer.tui.widgets.filter_box import FilterableList
from explorer.tui.wording import plural

SORTS = ("date", "title", "path")


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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.documents: list[DocumentSummary] = []
        self.shown: list[DocumentSummary] = []
        self.paths: dict[str, str] = {}
        self.sort_by = "date"
        self.query_text = ""
        self.current_doc: str | None = None
        self.empty_text = "No documents"

    def set_documents(self, documents: list[DocumentSummary], current: str | None = None) -> None:
        self.documents = documents
        self.paths = display_paths(documents)
        self.current_doc = current
        self._rebuild(current)

    def filter(self, text: str) -> None:
        self.query_text = text
        self._rebuild(self.current.doc_id if self.current else None)

    def _rebuild(self, keep: str | None) -> None:
        needle = self.query_text.casefold().strip()
        shown = [
            doc for doc in self.documents
            if not needle or needle in f"{doc.title or ''} {doc.path} {doc.author or ''}".casefold()
        ]
        if self.sort_by == "date":
            shown.sort(key=lambda doc: (doc.published or "9999", (doc.title or doc.path).casefold()))
        elif self.sort_by == "title":
            shown.sort(key=lambda doc: (doc.title or doc.path).casefold())
        else:
            shown.sort(key=lambda doc: doc.path)
        self.shown = shown
        cursor = next((i for i, doc in enumerate(shown) if doc.doc_id == keep), 0)
        self.empty_text = "No document matches" if needle else "No documents"
        self.set_count(len(shown), cursor)

    @property
    def current(self) -> DocumentSummary | None:
        return self.shown[self.cursor] if 0 <= self.cursor < len(self.shown) else None

    def on_row_chosen(self, index: int) -> None:
        self.announce(self.Chosen(self.shown[index]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and not self.shown:
            return None  # shown dimmed: nothing to open
        return True

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        doc = self.shown[index]
        marker = "▶ " if doc.doc_id == self.current_doc else "  "
        date = (inert_line(doc.published) or "undated")[:10].ljust(10)
        counts = (f"{doc.entity_count:>5,} {plural(doc.entity_count, 'entity'):<8} "
                  f"{doc.event_count:>4,} {plural(doc.event_count, 'date'):<5}")
        path = self.paths.get(doc.doc_id, inert_line(doc.path))
        # the path is shown whole when it fits in half the row; the title takes what is left
        path_room = max(12, min(len(path), width // 2))
        path = clip_start(path, path_room)
        room = max(8, width - len(marker) - len(date) - len(counts) - len(path) - 6)
        title = clip_end(inert_line(doc.title) or "(untitled)", room).ljust(room)
        return [
            Segment(marker, self.style("header")),
            Segment(date + "  ", self.style("dim")),
            Segment(title + "  "),
            Segment(counts + "  ", self.style("dim")),
            Segment(path, self.style("dim")),
        ]

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._rebuild(self.current.doc_id if self.current else None)
        self.post_message(self.Sorted(self.sort_by))

    @dataclass
    class Sorted(Message):
        sort_by: str
