"""StoreErrorScreen: a store that is missing, locked or corrupt, said plainly."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.tui import keymap


class StoreErrorScreen(ModalScreen[bool]):
    BINDING_GROUP_TITLE = "Store problem"

    BINDINGS: list[BindingType] = keymap.bindings("error")  # type: ignore[assignment]

    def __init__(self, message: str, can_rebuild: bool = False) -> None:
        super().__init__()
        self.message = message
        self.can_rebuild = can_rebuild

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            text = Text("The corpus could not be opened\n\n", style="bold")
            text.append(self.message)
            keys = "r rebuilds the store from the files · " if self.can_rebuild else ""
            text.append(f"\n\n{keys}q quits · esc keeps the interface open", style="dim")
            yield Static(text, id="error-text")

    def on_mount(self) -> None:
        self.query_one("#error-box").border_title = "Store problem"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_rebuild if action == "rebuild" else True

    def action_close(self) -> None:
        self.dismiss(False)

    def action_rebuild(self) -> None:
        self.dismiss(True)
