"""KeyBar: the keys that matter now, in one line at the bottom.

Textual's ``Footer`` recomposes a widget per key on every focus change (about
150 ms here); this paints the same information as one line of text. A narrow
terminal keeps the keys of lowest rank (``explorer.tui.keymap``): Help, Quit and the
palette always, on the right, then Search and Documents, then the focused pane's
main keys. A key with nothing to do now is shown dimmed, never hidden or toasted, and gives way first
when room is short.
A click on a key presses it.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from explorer.tui.keymap import rank_of

PINNED_IDS = ("help", "quit")
DISABLED_PENALTY = 3  # added to the rank of a key that is dimmed now


class KeyItem(NamedTuple):
    id: str  # the keymap id
    key: str  # the key name to press
    shown: str  # how it is displayed
    description: str
    enabled: bool
    rank: int
    pane: bool  # the focused pane's (else the screen's or the app's)

    @property
    def width(self) -> int:
        return len(self.shown) + len(self.description) + 3


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
        & > .key-bar--description { color: $footer-description-foreground; }
        & > .key-bar--disabled { color: $footer-description-foreground 45%; text-style: dim; }
    }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[KeyItem] = []
        self._spans: list[tuple[int, int, str]] = []  # (x0, x1, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    @property
    def shown(self) -> list[str]:
        """Descriptions on the bar now, left to right (tests and the README read it)."""
        left, pinned = self._layout(self.size.width or 200)
        return [item.description for item in left + pinned]

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        items: list[KeyItem] = []
        app = self.app
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.key == app.COMMAND_PALETTE_BINDING:
                items.append(KeyItem("palette", binding.key, app.get_key_display(binding), "Commands", True, 0, False))
                continue
            name = binding.id or binding.action
            if not binding.show or name in seen:
                continue
            seen.add(name)
            pane = node is not screen and node is not app
            # A key with nothing to do now gives way first (Clear scope, with no scope, before Zoom).
            rank = rank_of(binding.id) + (0 if enabled else DISABLED_PENALTY)
            items.append(KeyItem(name, binding.key, app.get_key_display(binding), binding.description, enabled,
                                 rank, pane))
        if items != self._items:
            self._items = items
            self.refresh()

    def _layout(self, width: int) -> tuple[list[KeyItem], list[KeyItem]]:
        """(left items in display order, pinned items) that fit in ``width``."""
        order = (*PINNED_IDS, "palette")
        pinned = sorted((item for item in self._items if item.id in order), key=lambda item: order.index(item.id))
        room = width - sum(item.width for item in pinned)
        rest = [item for item in self._items if item not in pinned]
        kept: set[int] = set()
        left_out = False  # a key that can be pressed now did not fit: no dimmed key takes the room after it
        # lowest rank first; at one rank a key that can be pressed now first, then the main screen's keys
        # (Search, Documents) before the pane's
        for index in sorted(range(len(rest)), key=lambda i: (rest[i].rank, not rest[i].enabled, rest[i].pane, i)):
            item = rest[index]
            if item.width <= room and (item.enabled or not left_out):
                kept.add(index)
                room -= item.width
            elif item.enabled:
                left_out = True
        # shown: the pane's keys first, then the main screen's, each in keymap order
        left = [rest[i] for i in sorted(kept, key=lambda i: (not rest[i].pane, i))]
        return left, pinned

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        dim_style = self.get_component_rich_style("key-bar--disabled")
        width = self.size.width
        left, pinned = self._layout(width)
        line = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []

        def add(item: KeyItem) -> None:
            start = len(line)
            line.append(f" {item.shown} ", style=key_style if item.enabled else dim_style)
            line.append(f"{item.description} ", style=text_style if item.enabled else dim_style)
            if item.enabled:
                spans.append((start, len(line), item.key))

        for item in left:
            add(item)
        line.append(" " * max(0, width - len(line) - sum(item.width for item in pinned)))
        for item in pinned:
            add(item)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return

