"""VirtualList: a keyboard list on the Line API that paints only the rows on screen.

Subclasses say how many rows there are and how to paint one; the list keeps a
cursor, scrolls to it and caches painted rows. Replacing 20,000 rows costs a
``set_count`` call, not 20,000 widgets.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from explorer.tui import keymap
from explorer.tui.widgets.line_look import line_look

_CURSOR = frozenset({"virtual-list--cursor"})  # its style depends on focus: the cursor's row is keyed by it


class VirtualList(ScrollView, can_focus=True):
    """A list of ``row_count`` rows painted on demand by ``render_row``."""

    BINDINGS: list[BindingType] = keymap.bindings("lists")  # type: ignore[assignment]

    COMPONENT_CLASSES = {
        "virtual-list--cursor",
        "virtual-list--header",
        "virtual-list--dim",
        "virtual-list--match",
        "virtual-list--empty",
    }

    DEFAULT_CSS = """
    VirtualList {
        overflow-x: hidden;
        overflow-y: auto;
        & > .virtual-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .virtual-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .virtual-list--header { color: $text-accent; text-style: bold; }
        & > .virtual-list--dim { color: $foreground-darken-3; }
        & > .virtual-list--match { color: $text-warning; text-style: bold underline; }
        & > .virtual-list--empty { color: $foreground-darken-3; text-style: italic; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._count = 0
        self._cache: LRUCache[tuple[int, int, Style | None], Strip] = LRUCache(1024)
        self.empty_text = ""
        self._scroll_pending: bool | None = None  # a scroll to the cursor waiting for a size (center?)
        self._base_style: Style | None = None
        self._look: tuple[Style, ...] | None = None  # the styles the cached rows were painted in

    # -- what subclasses provide ---------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        """The segments of row ``index`` (single line, inert text only)."""
        raise NotImplementedError

    def is_selectable(self, index: int) -> bool:
        """Whether the cursor may stop on ``index`` (group headers are not)."""
        return True

    def on_cursor_moved(self, index: int) -> None:
        """Called when the cursor lands on a row; subclasses post their message."""

    def on_row_chosen(self, index: int) -> None:
        """Called on Enter or a double click."""

    def announce(self, message: Message) -> None:
        """Post ``message`` as sent by this list.

        A parent that changes the list from its own handler would otherwise count as
        the sender, and Textual stops a message at its sender.
        """
        message._sender = self
        self.post_message(message)

    # -- state -------------------------------------------------------------------------

    def set_count(self, count: int, cursor: int = 0) -> None:
        """Replace the rows (the subclass already swapped its data) and place the cursor."""
        self._count = count
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, count)
        cursor = self._nearest_selectable(min(max(cursor, 0), max(count - 1, 0)), 1)
        self.set_reactive(VirtualList.cursor, cursor)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_cursor(center=cursor > 0)
        self.refresh()
        if count:
            self.on_cursor_moved(cursor)

    def _nearest_selectable(self, index: int, direction: int) -> int:
        if self._count == 0:
            return 0
        probe = index
        while 0 <= probe < self._count:
            if self.is_selectable(probe):
                return probe
            probe += direction
        probe = index
        while 0 <= probe < self._count:
            if self.is_selectable(probe):
                return probe
            probe -= direction
        return index

    def move_cursor(self, index: int, direction: int = 1) -> None:
        if self._count == 0:
            return
        index = self._nearest_selectable(min(max(index, 0), self._count - 1), direction)
        self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        self._scroll_to_cursor()
        if round(self.scroll_y) == top:
            # only the two rows that changed (cached strips are keyed by "selected")
            self.refresh_line(old)
            self.refresh_line(new)
        else:
            self.refresh()
        if self._count:
            self.on_cursor_moved(new)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            # Not laid out yet, or hidden: scroll when it gets a size (on_resize), not in a loop
            # of refreshes that would keep the interface busy while the list is hidden.
            self._scroll_pending = center
            return
        self._scroll_pending = None
        top = round(self.scroll_y)
        if center:
            self.scroll_to(y=max(0, self.cursor - height // 2), animate=False, immediate=True)
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    # -- actions -----------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1, -1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1, 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1), -1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1), 1)

    def action_first(self) -> None:
        self.move_cursor(0, 1)

    def action_last(self) -> None:
        self.move_cursor(self._count - 1, -1)

    def action_choose(self) -> None:
        if self._count and self.is_selectable(self.cursor):
            self.on_row_chosen(self.cursor)

    # -- painting ----------------------------------------------------------------------

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._count)
        if self._scroll_pending is not None:
            self._scroll_to_cursor(self._scroll_pending)

    def on_focus(self) -> None:
        self.refresh()  # cached lines are keyed by focus (cursor colour, caret): no need to drop them

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        # A focus move restyles the list (its cursor colour): the cached rows stay unless the styles
        # they were painted in changed (``base_style`` checks on the next paint); the cursor's row is
        # keyed by the cursor's style.
        self._base_style = None
        super().notify_style_update()

    def style(self, name: str) -> Style:
        return self.get_component_rich_style(f"virtual-list--{name}")

    @property
    def base_style(self) -> Style:
        """``rich_style``, kept between frames: it walks every ancestor's styles, and every line needs it.

        Worked out again after a restyle, when the cached rows are dropped if they would look different.
        """
        if self._base_style is None:
            look = line_look(self, skip=_CURSOR)
            if look != self._look:
                self._cache.clear()
                self._look = look
            self._base_style = look[0]
        return self._base_style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        index = round(self.scroll_y) + y
        if self._count == 0:
            if y == 0 and self.empty_text:
                strip = Strip([Segment(self.empty_text, base + self.style("empty"))])
                return strip.crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= self._count:
            return Strip.blank(width, base)
        selected = index == self.cursor
        cursor_style = self.get_component_rich_style("virtual-list--cursor") if selected else None
        key = (index, width, cursor_style)
        strip = self._cache.get(key)
        if strip is None:
            segments = self.render_row(index, width, selected)
            if cursor_style is not None:
                bg_only = Style(bgcolor=cursor_style.bgcolor, bold=cursor_style.bold)
                segments = [
                    Segment(text, base + (style or Style()) + (bg_only if style and style.color else cursor_style))
                    for text, style, _ in segments
                ]
                strip = Strip(segments).crop_extend(0, width, base + cursor_style)
            else:
                segments = [Segment(text, base + style if style else base) for text, style, _ in segments]
                strip = Strip(segments).crop_extend(0, width, base)
            self._cache[key] = strip
        return strip

    # -- mouse -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < self._count and self.is_selectable(index):
            self.focus()
            if index != self.cursor:
                self.cursor = index
            if event.chain >= 2:
                self.on_row_chosen(index)
