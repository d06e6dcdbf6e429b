"""DocumentsScreen: the list of documents; Enter opens one, Escape returns."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from explorer.model import DocumentSummary
from explorer.tui.widgets.document_list import DocumentList


class DocumentsScreen(ModalScreen[DocumentSummary | None]):
    BINDING_GROUP_TITLE = "Document list"

    BINDINGS: list[BindingType] = [
        Binding("escape", "close", "Close", tooltip="Return to the document you were reading", id="documents-close"),
        Binding("down", "move(1)", "Down", show=False, id="documents-down"),
        Binding("up", "move(-1)", "Up", show=False, id="documents-up"),
    ]

    def __init__(self, documents: list[DocumentSummary], current: str | None) -> None:
        super().__init__()
        self.documents = documents
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="documents-box"):
            yield Input(placeholder="type to filter by title, path or author", id="documents-filter")
            yield DocumentList(id="documents-list")

    def on_mount(self) -> None:
        box = self.query_one("#documents-box")
        box.border_title = f"Documents · {len(self.documents):,}"
        box.border_subtitle = "enter open · s sort · type to filter · esc back"
        self.query_one(Input).cursor_blink = False
        listing = self.query_one(DocumentList)
        listing.set_documents(self.documents, self.current)
        listing.focus()

    @on(Input.Changed, "#documents-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_one(DocumentList).filter(event.value)

    @on(Input.Submitted, "#documents-filter")
    def _submitted(self) -> None:
        self.query_one(DocumentList).action_choose()

    @on(DocumentList.Chosen)
    def _chosen(self, event: DocumentList.Chosen) -> None:
        self.dismiss(event.document)

    def on_key(self, event: events.Key) -> None:
        listing = self.query_one(DocumentList)
        if listing.has_focus and event.is_printable and event.character and event.character.strip() \
                and not listing.binds(event.key):
            event.stop()
            field = self.query_one(Input)
            field.focus()
            field.value += event.character
            field.cursor_position = len(field.value)

    def action_move(self, delta: int) -> None:
        listing = self.query_one(DocumentList)
        if delta > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_close(self) -> None:
        field = self.query_one(Input)
        if field.has_focus and field.value:
            field.value = ""
            self.query_one(DocumentList).focus()
            return
        self.dismiss(None)
