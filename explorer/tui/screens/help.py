"""HelpScreen: every key, pane by pane, from the keymap (with the user's own keys)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.tui import keymap

HelpSection = tuple[str, str, list[tuple[str, str]]]  # title, one-line help, (keys, description)


class HelpScreen(ModalScreen[None]):
    BINDING_GROUP_TITLE = "Help"

    BINDINGS: list[BindingType] = keymap.bindings("help")  # type: ignore[assignment]

    def __init__(self, sections: list[HelpSection], subtitle: str = "esc, q or ? to close · ctrl+p: every action by name") -> None:
        super().__init__()
        self.sections = sections
        self.subtitle = subtitle

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._help_table(), id="help-text")

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = "Keys"
        box.border_subtitle = self.subtitle
        box.focus()

    def _help_table(self) -> Table:
        """Two columns of sections; in each, keys on the left and what they do wrapped beside them."""
        grid = Table.grid(padding=(0, 3), expand=True)
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        columns: list[list[RenderableType]] = [[], []]
        heights = [0, 0]
        for title, blurb, keys in self.sections:
            block: list[RenderableType] = [Text(title, style="bold underline")]
            if blurb:
                block.append(Text(blurb, style="italic dim"))
            rows = Table.grid(padding=(0, 2))
            rows.add_column(no_wrap=True, style="bold")
            rows.add_column(ratio=1)
            for key, description in keys:
                rows.add_row(Text(key), Text(description))
            block += [rows, Text("")]
            side = 0 if heights[0] <= heights[1] else 1
            columns[side].extend(block)
            heights[side] += len(keys) + 3
        grid.add_row(Group(*columns[0]), Group(*columns[1]))
        return grid

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, delta: int) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_relative(y=delta * 3, animate=False)
