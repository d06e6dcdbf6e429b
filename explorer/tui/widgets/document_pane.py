"""DocumentPane: the document header above the DocView."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from explorer.model import DocumentMarks, StoredDocument
from explorer.tui.widgets.doc_header import DocHeader
from explorer.tui.widgets.doc_view import DocView


class DocumentPane(Vertical):
    """The centre pane; the App calls ``show`` with a loaded document."""

    def compose(self) -> ComposeResult:
        yield DocHeader(id="doc-header")
        yield DocView(id="doc-view")

    def on_mount(self) -> None:
        self.query_one(DocHeader).show(None, "Opening the corpus…")

    @property
    def view(self) -> DocView:
        return self.query_one(DocView)

    def show(
        self, document: StoredDocument | None, offset: int = 0, select: tuple[int, int] | None = None,
        marks: DocumentMarks | None = None,
    ) -> None:
        self.query_one(DocHeader).show(document, marks=marks)
        self.view.load(document, offset, select)

    def show_empty(self, note: str) -> None:
        self.query_one(DocHeader).show(None, note)
        self.view.load(None)
