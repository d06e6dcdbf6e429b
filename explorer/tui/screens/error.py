"""StoreErrorScreen: a store that is missing, locked or corrupt, said plainly."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class StoreErrorScreen(ModalScreen[None]):
    BINDING_GROUP_TITLE = "Store problem"

    BINDINGS: list[BindingType] = [
        Binding("q", "app.quit", "Quit", id="error-quit"),
        Binding("escape", "close", "Continue", tooltip="Close this message and keep the interface open",
                id="error-continue"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            text = Text("The corpus could not be opened\n\n", style="bold")
            text.append(self.message)
            text.append("\n\nq quits · esc keeps the interface open", style="dim")
            yield Static(text, id="error-text")

    def on_mount(self) -> None:
        self.query_one("#error-box").border_title = "Store problem"

    def action_close(self) -> None:
        self.dismiss(None)
