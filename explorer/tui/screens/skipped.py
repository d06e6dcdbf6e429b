"""SkippedScreen: the files the last index run could not read, each with its reason."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from explorer.model import Skipped
from explorer.textsafe import clip_start, inert_line
from explorer.tui import keymap
from explorer.tui.widgets.virtual_list import VirtualList
from explorer.tui.wording import count


class SkippedList(VirtualList):
    """One row per file: the path (its end kept when long), then the reason."""

    def __init__(self, skipped: list[Skipped], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.skipped = sorted(skipped, key=lambda item: item.path)
        self.empty_text = "Every file was read"

    def on_mount(self) -> None:
        self.set_count(len(self.skipped))

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        item = self.skipped[index]
        path = clip_start(inert_line(item.path), max(20, width // 2))
        return [Segment(path + "  ", self.style("header")), Segment(inert_line(item.reason))]


class SkippedScreen(ModalScreen[None]):
    BINDING_GROUP_TITLE = "Skipped files"
    BINDINGS: list[BindingType] = keymap.bindings("skipped")  # type: ignore[assignment]

    def __init__(self, skipped: list[Skipped], corpus: str) -> None:
        super().__init__()
        self.skipped = skipped
        self.corpus = corpus

    def compose(self) -> ComposeResult:
        with Vertical(id="skipped-box"):
            yield SkippedList(self.skipped, id="skipped-list")

    def on_mount(self) -> None:
        box = self.query_one("#skipped-box")
        box.border_title = f"Skipped · {count(len(self.skipped), 'file')} of {inert_line(self.corpus)} not read"
        box.border_subtitle = "fix or remove them, and the next index run tries again · esc back"
        self.query_one(SkippedList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
