"""DocumentList: every document with its date and title, sortable and filterable."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.message import Message

from explorer.model import DocumentSummary
from explorer.textsafe import inert_line
from explorer.tui.widgets.virtual_list import VirtualList

SORTS = ("date", "title", "path")


class DocumentList(VirtualList):
    """Rows are documents; ``s`` cycles the sort order."""

    BINDING_GROUP_TITLE = "Documents"

    BINDINGS: list[BindingType] = [
        Binding("enter", "choose", "Open", tooltip="Open this document", id="documents-open"),
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by date, title or path", id="documents-sort"),
    ]

    @dataclass
    class Chosen(Message):
        document: DocumentSummary

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.documents: list[DocumentSummary] = []
        self.shown: list[DocumentSummary] = []
        self.sort_by = "date"
        self.query_text = ""
        self.current_doc: str | None = None
        self.empty_text = "No documents"

    def set_documents(self, documents: list[DocumentSummary], current: str | None = None) -> None:
        self.documents = documents
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

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        doc = self.shown[index]
        marker = "▶ " if doc.doc_id == self.current_doc else "  "
        date = (inert_line(doc.published) or "undated")[:10].ljust(10)
        counts = f"{doc.entity_count:>5,} entities {doc.event_count:>4,} dates"
        path = inert_line(doc.path).rsplit("/", 1)[-1]
        room = max(10, width - len(marker) - len(date) - len(counts) - min(len(path), 30) - 8)
        title = inert_line(doc.title) or "(untitled)"
        title = (title[: room - 1] + "…") if len(title) > room else title.ljust(room)
        return [
            Segment(marker, self.style("header")),
            Segment(date + "  ", self.style("dim")),
            Segment(title + "  "),
            Segment(counts + "  ", self.style("dim")),
            Segment(path[:30], self.style("dim")),
        ]

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._rebuild(self.current.doc_id if self.current else None)
        self.notify(f"Documents sorted by {self.sort_by}", timeout=2, markup=False)
