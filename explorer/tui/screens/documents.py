"""DocumentsScreen: the list of documents; Enter opens one, f filters, Escape returns."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import ModalScreen

from explorer.model import DocumentMarks, DocumentSummary
from explorer.tui import keymap
from explorer.tui.widgets.document_list import FILTER_HELP, DocumentList
from explorer.tui.widgets.filter_box import FilteredList
from explorer.tui.wording import count


def parse_tags(text: str) -> list[str]:
    """Tags typed in the tags dialog: separated by commas; spaces inside one become hyphens (so that
    ``#north-korea`` finds it in the filter); a leading ``#`` is dropped; each tag once."""
    tags: list[str] = []
    for part in text.split(","):
        tag = "-".join(part.strip().lstrip("#").split())
        if tag and tag.casefold() not in {seen.casefold() for seen in tags}:
            tags.append(tag)
    return tags


class DocumentsScreen(ModalScreen[DocumentSummary | None]):
    BINDING_GROUP_TITLE = "Document list"
    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("documents") if binding.id == "documents-close"
    ]

    def __init__(self, documents: list[DocumentSummary], current: str | None,
                 marks: dict[str, DocumentMarks] | None = None, scope: str = "") -> None:
        super().__init__()
        self.documents = documents
        self.current = current
        self.marks = marks if marks is not None else {}
        self.scope = scope

    def compose(self) -> ComposeResult:
        yield FilteredList(DocumentList(id="documents-list"), f"f: filter by title, path, author · {FILTER_HELP}",
                           id="documents-box")

    @property
    def listing(self) -> DocumentList:
        return self.query_one(DocumentList)

    def on_mount(self) -> None:
        box = self.query_one("#documents-box")
        scope = f" · scope {self.scope}" if self.scope else ""
        box.border_title = Content(f"Documents · {count(len(self.documents), 'document')}{scope}")
        self.listing.set_documents(self.documents, self.current, self.marks)
        self._subtitle()
        self.listing.focus()

    def _subtitle(self) -> None:
        listing = self.listing
        shown = f"{len(listing.shown):,} shown · " if listing.query_text else ""
        starred = sum(1 for marks in self.marks.values() if marks.starred)
        read = sum(1 for marks in self.marks.values() if marks.read)
        marked = f"{starred:,} ★ · {read:,} read · " if starred or read else ""
        self.query_one("#documents-box").border_subtitle = (
            f"{shown}{marked}by {listing.sort_by} · * star · # tags · R read · s sort · f filter · esc back"
        )

    def marks_changed(self) -> None:
        self.listing.marks_changed()
        self._subtitle()

    @on(DocumentList.MarkRequested)
    def _mark(self, event: DocumentList.MarkRequested) -> None:
        event.stop()
        self.app.toggle_document_mark(event.document.doc_id, event.kind)  # type: ignore[attr-defined]

    @on(DocumentList.TagsRequested)
    def _tags(self, event: DocumentList.TagsRequested) -> None:
        event.stop()
        self.app.edit_tags(event.document.doc_id)  # type: ignore[attr-defined]

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
