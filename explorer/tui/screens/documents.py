"""DocumentsScreen: the list of documents; Enter opens one, f filters, Escape returns."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import ModalScreen

from explorer.model import DocumentSummary
from explorer.tui import keymap
from explorer.tui.widgets.document_list import DocumentList
from explorer.tui.widgets.filter_box import FilteredList
from explorer.tui.wording import count


class DocumentsScreen(ModalScreen[DocumentSummary | None]):
    BINDING_GROUP_TITLE = "Document list"
    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("documents") if binding.id == "documents-close"
    ]

    def __init__(self, documents: list[DocumentSummary], current: str | None) -> None:
        super().__init__()
        self.documents = documents
        self.current = current

    def compose(self) -> ComposeResult:
        yield FilteredList(DocumentList(id="documents-list"), "f: filter by title, path or author",
                           id="documents-box")

    @property
    def listing(self) -> DocumentList:
        return self.query_one(DocumentList)

    def on_mount(self) -> None:
        box = self.query_one("#documents-box")
        box.border_title = f"Documents · {count(len(self.documents), 'document')}"
        self._subtitle()
        self.listing.set_documents(self.documents, self.current)
        self.listing.focus()

    def _subtitle(self) -> None:
        listing = self.listing
        shown = f"{len(listing.shown):,} shown · " if listing.query_text else ""
        self.query_one("#documents-box").border_subtitle = (
            f"{shown}by {listing.sort_by} · enter open · s sort · f filter · esc back"
        )

    @on(FilteredList.Filtered)
    def _filtered(self) -> None:
        self._subtitle()

    @on(DocumentList.Sorted)
    def _sorted(self) -> None:
        self._subtitle()

    @on(DocumentList.Chosen)
    def _chosen(self, event: DocumentList.Chosen) -> None:
        self.dismiss(event.document)

    def action_close(self) -> None:
        self.dismiss(None)
