"""KeyBar: the keys that matter now, in one line at the bottom.

Textual's ``Footer`` recomposes a widget per key on every focus change (about
150 ms here); this paints the same information as one line of text. A click on a
key presses it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
        & > .key-bar--description { color: $footer-description-foreground; }
    }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[tuple[str, str, str]] = []  # (key, shown key, description)
        self._spans: list[tuple[int, int, str]] = []  # (x0, x1, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        items: list[tuple[str, str, str]] = []
        palette = None
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = (binding.key, self.app.get_key_display(binding), binding.description or "Commands")
                continue
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append((binding.key, self.app.get_key_display(binding), binding.description))
        if palette is not None:
            items.append(palette)
        if items != self._items:
            self._items = items
            self.refresh()

    PINNED = ("question_mark", "q")  # always shown, on the right, with the palette key

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        width = self.size.width
        pinned_keys = (*self.PINNED, self.app.COMMAND_PALETTE_BINDING)
        items = [item for item in self._items if item[0] not in pinned_keys]
        pinned = sorted((item for item in self._items if item[0] in pinned_keys),
                        key=lambda item: pinned_keys.index(item[0]))
        tail = sum(len(shown) + len(description) + 3 for _key, shown, description in pinned)
        line = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []

        def add(key: str, shown: str, description: str) -> None:
            start = len(line)
            line.append(f" {shown} ", style=key_style)
            line.append(f"{description} ", style=text_style)
            spans.append((start, len(line), key))

        for key, shown, description in items:
            if width and len(line) + len(shown) + len(description) + 3 > width - tail:
                break  # the rest is on the ? screen
            add(key, shown, description)
        line.append(" " * max(0, width - len(line) - tail))
        for key, shown, description in pinned:
            add(key, shown, description)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
