"""DocView: the document text on the Line API, with entities coloured, a caret and a selection.

The text is made inert once (``explorer.textsafe.inert``, one character for one
character) so entity, event and furniture offsets stay valid. Only the visual
lines on screen are painted; a wrap table maps character offsets to lines.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Offset, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from explorer.model import StoredDocument
from explorer.textsafe import inert
from explorer.tui import keymap
from explorer.tui.styles import TYPE_CLASSES, type_class
from explorer.tui.widgets.line_look import line_look
from explorer.tui.wording import count

Line = tuple[int, int]  # start, end (exclusive) character offsets of one visual line


def wrap_text(text: str, width: int, hidden: list[tuple[int, int]] | None = None) -> list[Line]:
    """Visual lines of ``text`` at ``width`` cells; paragraphs fully inside ``hidden`` are left out."""
    width = max(1, width)
    lines: list[Line] = []
    hidden = hidden or []
    hidden_starts = [start for start, _ in hidden]
    length = len(text)
    pos = 0
    while pos <= length:
        newline = text.find("\n", pos)
        if newline < 0:
            newline = length
        if hidden and _covered(hidden, hidden_starts, pos, newline):
            pos = newline + 1
            continue
        if newline == pos:
            if not (hidden and lines and lines[-1][0] == lines[-1][1]):
                lines.append((pos, pos))
        else:
            _wrap_paragraph(text, pos, newline, width, lines)
        pos = newline + 1
    if not lines:
        lines.append((0, 0))
    return lines


def _covered(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    index = bisect_right(starts, start) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def _wrap_paragraph(text: str, start: int, end: int, width: int, lines: list[Line]) -> None:
    if text[start:end].isascii():
        pos = start
        while end - pos > width:
            cut = text.rfind(" ", pos, pos + width + 1)
            if cut <= pos:
                lines.append((pos, pos + width))
                pos += width
            else:
                lines.append((pos, cut))
                pos = cut + 1
        lines.append((pos, end))
        return
    pos = start
    cells = 0
    last_space = -1
    index = start
    while index < end:
        char = text[index]
        size = get_character_cell_size(char)
        if cells + size > width and index > pos:
            if last_space > pos:
                lines.append((pos, last_space))
                pos = last_space + 1
            else:
                lines.append((pos, index))
                pos = index
            cells = cell_len(text[pos:index])
            last_space = text.rfind(" ", pos, index)
            continue
        if char == " ":
            last_space = index
        cells += size
        index += 1
    lines.append((pos, end))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class DocView(ScrollView, can_focus=True):
    """The text of one document; the caret and selection are character offsets."""

    BINDING_GROUP_TITLE = "Document"
    HELP = "Read the document. v starts a selection, movement keys extend it, y exports it as a note."

    BINDINGS: list[BindingType] = keymap.bindings("document")  # type: ignore[assignment]

    COMPONENT_CLASSES = TYPE_CLASSES | {
        "doc-view--furniture",
        "doc-view--selection",
        "doc-view--caret",
        "doc-view--focus-entity",
        "doc-view--flash",
        "doc-view--empty",
    }

    DEFAULT_CSS = """
    DocView {
        overflow-x: hidden;
        & > .doc-view--furniture { color: $panel-lighten-3; text-style: italic; }
        & > .doc-view--selection { background: $primary 45%; }
        & > .doc-view--caret { background: $foreground 80%; color: $background; }
        & > .doc-view--focus-entity { text-style: bold underline reverse; }
        & > .doc-view--flash { background: $warning 40%; }
        & > .doc-view--empty { color: $foreground-darken-3; text-style: italic; }
    }
    """

    @dataclass
    class ClipRequested(Message):
        """``y``: export characters ``start``..``end`` of ``document`` as a note."""

        document: StoredDocument
        start: int
        end: int

    @dataclass
    class EntityActivated(Message):
        """Enter on an entity mention: select that entity."""

        entity_id: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: StoredDocument | None = None
        self.text = ""
        self.spans: list[tuple[int, int, str, str]] = []
        self._span_starts: list[int] = []
        self._events: list[tuple[int, int]] = []
        self._event_starts: list[int] = []
        self._furniture: list[tuple[int, int]] = []
        self._furniture_starts: list[int] = []
        self.hide_furniture = False
        self.lines: list[Line] = [(0, 0)]
        self._line_starts: list[int] = [0]
        self._wrap_width = 0
        self.cursor = 0
        self.mark: int | None = None
        self._sticky = False  # a `v` mark, kept while moving; shift-selection and mouse are not
        self._goal_x: int | None = None
        self.selected_entity: str | None = None
        self.flash: tuple[int, int] | None = None
        self.empty_text = "No document open"
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._base_style: Style | None = None
        self._look: tuple[Style, ...] | None = None  # the styles the cached lines were painted in
        self._subtitle_text = ""
        # Set by the screen: applies a selected entity still waiting to rest (n must use it).
        self.selection_pending: Callable[[], None] | None = None
        self._could_clip = False

    # -- loading -----------------------------------------------------------------------

    def load(self, document: StoredDocument | None, offset: int = 0, select: tuple[int, int] | None = None) -> None:
        """Show ``document`` with the caret at ``offset`` (and ``select`` selected)."""
        self.document = document
        if document is None:
            self.text = ""
            self.spans = []
            self._events = []
            self._furniture = []
        else:
            self.text = inert(document.text)
            length = len(self.text)
            self.spans = sorted(
                (s, e, entity_id, kind) for s, e, entity_id, kind in document.spans if 0 <= s < e <= length
            )
            self._events = _merge([(ev.start, ev.end) for ev in document.events if 0 <= ev.start < ev.end <= length])
            self._furniture = _merge([(s, e) for s, e in document.furniture if 0 <= s < e <= length])
        self._span_starts = [span[0] for span in self.spans]
        self._event_starts = [start for start, _ in self._events]
        self._furniture_starts = [start for start, _ in self._furniture]
        self.mark = None
        self._sticky = False
        self.flash = None
        self._rewrap(force=True)
        self.cursor = min(max(0, offset), len(self.text))
        if select is not None:
            start, end = sorted(select)
            self.flash = (start, end)
        self._cache.clear()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.call_after_refresh(self._center_caret)
        self._center_caret()
        self.refresh()
        self._update_subtitle()
        self._could_clip = self.document is not None and self._can_clip()
        self.refresh_bindings()

    def respan(self, document: StoredDocument) -> None:
        """The open document with other entity spans (after a correction): caret, selection and scroll stay."""
        if self.document is None or self.document.summary.doc_id != document.summary.doc_id:
            self.load(document, self.cursor)
            return
        self.document = document
        length = len(self.text)
        self.spans = sorted((s, e, entity_id, kind) for s, e, entity_id, kind in document.spans if 0 <= s < e <= length)
        self._span_starts = [span[0] for span in self.spans]
        self._cache.clear()
        self.refresh()
        self._update_subtitle()

    def goto(self, offset: int, select: tuple[int, int] | None = None) -> None:
        """Move the caret to ``offset`` in the open document, flash ``select``, and show it."""
        self.mark = None
        self._sticky = False
        self.cursor = min(max(0, offset), len(self.text))
        self.flash = (min(select), max(select)) if select else None
        self._cache.clear()
        self._center_caret()
        self.refresh()
        self._update_subtitle()

    def set_selected_entity(self, entity_id: str | None) -> None:
        if entity_id != self.selected_entity:
            self.selected_entity = entity_id
            self._cache.clear()
            self.refresh()
            self._update_subtitle()
            self.refresh_bindings()

    # -- geometry ------------------------------------------------------------------------

    def _rewrap(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            width = 80
        if not force and width == self._wrap_width:
            return
        # Keep the reader's place: the caret's row on screen when it is visible, else the top line.
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        caret_row = self.line_of(self.cursor) - top if self.lines and self._line_starts else -1
        caret_visible = 0 <= caret_row < max(1, height)
        top_offset = self.lines[min(top, len(self.lines) - 1)][0] if self.lines else 0
        self._wrap_width = width
        hidden = self._furniture if self.hide_furniture else None
        self.lines = wrap_text(self.text, width - 1, hidden)  # one cell kept for the caret at line end
        self._line_starts = [start for start, _ in self.lines]
        self.virtual_size = Size(width, len(self.lines))
        self._cache.clear()
        if force:
            return
        if caret_visible:
            target = self.line_of(self.cursor) - min(caret_row, max(0, height - 1))
        else:
            target = self.line_of(top_offset)
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._rewrap()
        if self.document is not None and self._caret_off_screen():
            self._center_caret()

    def _caret_off_screen(self) -> bool:
        height = self.scrollable_content_region.height
        line = self.line_of(self.cursor)
        top = round(self.scroll_y)
        return height > 0 and not (top <= line < top + height)

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def _cell_to_char(self, line_index: int, x: int) -> int:
        start, end = self.lines[line_index]
        segment = self.text[start:end]
        if segment.isascii():
            return start + min(max(0, x), len(segment))
        cells = 0
        for position, char in enumerate(segment):
            size = get_character_cell_size(char)
            if cells + size > x:
                return start + position
            cells += size
        return end

    def _char_to_cell(self, line_index: int, offset: int) -> int:
        start, _end = self.lines[line_index]
        return cell_len(self.text[start:offset])

    def offset_at(self, x: int, y: int) -> int:
        """The character offset under widget cell (x, y)."""
        line_index = min(max(0, round(self.scroll_y) + y), len(self.lines) - 1)
        return self._cell_to_char(line_index, x)

    # -- selection -----------------------------------------------------------------------

    def selection_range(self) -> tuple[int, int] | None:
        """The selected characters (start, end), or None."""
        if self.mark is None:
            return None
        start, end = sorted((self.mark, self.cursor))
        if self._sticky:
            end = min(len(self.text), end + 1)
        return (start, end) if end > start else None

    def selected_text(self) -> str:
        span = self.selection_range()
        return self.text[span[0] : span[1]] if span else ""

    def _set_cursor(self, offset: int, extend: bool = False, keep_goal: bool = False) -> None:
        offset = min(max(0, offset), len(self.text))
        old_line = self.line_of(self.cursor)
        plain = self.mark is None and self.flash is None  # nothing but the caret changes on screen
        if extend and self.mark is None:
            self.mark = self.cursor
        elif not extend and not self._sticky and self.mark is not None:
            self.mark = None
            self.screen.clear_selection()
        self.cursor = offset
        if not keep_goal:
            self._goal_x = None
        self.flash = None
        # Cached lines are keyed by what they show (caret, selection, flash on that line), so a
        # move keeps them; with only the caret moving and no scroll, repaint just its two lines.
        top = round(self.scroll_y)
        self._ensure_visible()
        if plain and self.mark is None and round(self.scroll_y) == top:
            self.refresh_line(old_line)
            self.refresh_line(self.line_of(offset))
        else:
            self.refresh()
        self._update_subtitle()
        self._clip_state_changed()

    def _ensure_visible(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        line = self.line_of(self.cursor)
        top = round(self.scroll_y)
        margin = min(2, height // 4)
        if line < top + margin:
            self.scroll_to(y=max(0, line - margin), animate=False, immediate=True)
        elif line >= top + height - margin:
            self.scroll_to(y=line - height + margin + 1, animate=False, immediate=True)

    def _center_caret(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        line = self.line_of(self.cursor)
        self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def _update_subtitle(self) -> None:
        if self.document is None:
            self._subtitle_text = ""
            self.border_subtitle = ""
            return
        parts: list[str] = []
        span = self.selection_range()
        if span:
            parts.append(f"selected {span[1] - span[0]:,} chars (y: note)")
        elif self._sticky:
            parts.append("selecting (move, then y)")
        if self.selected_entity:
            mentions = [s for s in self.spans if s[2] == self.selected_entity]
            if mentions:
                at = next((i + 1 for i, s in enumerate(mentions) if s[0] <= self.cursor < s[1]), None)
                total = len(mentions)
                parts.append(f"mention {at:,} / {total:,} (n/N)" if at else f"{count(total, 'mention')} (n/N)")
            else:
                parts.append("entity not in this document")
        parts.append("furniture hidden" if self.hide_furniture else "furniture dimmed")
        text = " · ".join(parts)
        if text != self._subtitle_text:  # a new title repaints the whole view: only when it changes
            self._subtitle_text = text
            self.border_subtitle = Content(text)

    # -- actions ---------------------------------------------------------------------------

    def action_move_char(self, delta: int) -> None:
        self._set_cursor(self._skip_hidden(self.cursor + delta, delta))

    def action_extend_char(self, delta: int) -> None:
        self._set_cursor(self._skip_hidden(self.cursor + delta, delta), extend=True)

    def _skip_hidden(self, offset: int, direction: int) -> int:
        if not self.hide_furniture or not self.text:
            return offset
        line = self.lines[self.line_of(offset)]
        if line[0] <= offset <= line[1] + 1:
            return offset
        if direction > 0:
            following = self.line_of(offset) + 1
            return self.lines[following][0] if following < len(self.lines) else line[1]
        return line[1]

    def _line_move(self, delta: int) -> int:
        line = self.line_of(self.cursor)
        if self._goal_x is None:
            self._goal_x = self._char_to_cell(line, self.cursor)
        target = min(max(0, line + delta), len(self.lines) - 1)
        return self._cell_to_char(target, self._goal_x)

    def action_move_line(self, delta: int) -> None:
        self._set_cursor(self._line_move(delta), keep_goal=True)

    def action_extend_line(self, delta: int) -> None:
        self._set_cursor(self._line_move(delta), extend=True, keep_goal=True)

    def action_move_page(self, delta: int) -> None:
        height = max(1, self.scrollable_content_region.height - 2)
        offset = self._line_move(delta * height)
        self.scroll_to(y=max(0, round(self.scroll_y) + delta * height), animate=False, immediate=True)
        self._set_cursor(offset, keep_goal=True)

    def action_move_word(self, delta: int) -> None:
        text = self.text
        position = self.cursor
        if delta > 0:
            while position < len(text) and not text[position].isspace():
                position += 1
            while position < len(text) and text[position].isspace():
                position += 1
        else:
            position = max(0, position - 1)
            while position > 0 and text[position].isspace():
                position -= 1
            while position > 0 and not text[position - 1].isspace():
                position -= 1
        self._set_cursor(self._skip_hidden(position, delta))

    def action_line_edge(self, edge: int) -> None:
        start, end = self.lines[self.line_of(self.cursor)]
        self._set_cursor(end if edge else start)

    def action_document_edge(self, edge: int) -> None:
        self._set_cursor(self.lines[-1][1] if edge else self.lines[0][0])

    def action_toggle_mark(self) -> None:
        if self._sticky:
            self._sticky = False
            span = (min(self.mark or 0, self.cursor), max(self.mark or 0, self.cursor) + 1)
            self.mark = span[0]
            self.cursor = min(span[1], len(self.text))
        else:
            self.mark = self.cursor
            self._sticky = True
        self._cache.clear()
        self.refresh()
        self._update_subtitle()
        self._clip_state_changed()

    def action_clear_selection(self) -> None:
        if self.mark is None and self.flash is None:
            self.post_message(self.BackedOut())
            return
        self.mark = None
        self._sticky = False
        self.flash = None
        self.screen.clear_selection()
        self._cache.clear()
        self.refresh()
        self._update_subtitle()
        self._clip_state_changed()

    @dataclass
    class BackedOut(Message):
        """Escape with nothing to clear."""

    def action_next_mention(self, direction: int) -> None:
        if self.document is None:
            return
        if self.selection_pending is not None:
            self.selection_pending()  # a selection made a moment ago: mark it now, n steps through it
        if self.selected_entity:
            spans = [s for s in self.spans if s[2] == self.selected_entity]
            what = "the selected entity"
        else:
            spans = self.spans
            what = "any entity"
        if not spans:
            self.notify(f"No mention of {what} in this document", severity="warning", markup=False, timeout=2)
            return
        starts = [s[0] for s in spans]
        wrapped = False
        if direction > 0:
            index = bisect_right(starts, self.cursor)
            if index >= len(spans):
                index, wrapped = 0, True
        else:
            index = bisect_left(starts, self.cursor) - 1
            if index < 0:
                index, wrapped = len(spans) - 1, True
        start, end = spans[index][0], spans[index][1]
        self._set_cursor(start)
        self.flash = (start, end)
        self._cache.clear()
        self._center_if_hidden()
        if wrapped:
            self.notify("Wrapped around the document", timeout=1.5, markup=False)

    def action_next_entity(self, direction: int) -> None:
        if not self.spans:
            return
        if direction > 0:
            index = bisect_right(self._span_starts, self.cursor)
            if index >= len(self.spans):
                return
        else:
            index = bisect_left(self._span_starts, self.cursor) - 1
            if index < 0:
                return
        start, end = self.spans[index][0], self.spans[index][1]
        self._set_cursor(start)
        self.flash = (start, end)
        self._cache.clear()

    def _center_if_hidden(self) -> None:
        height = self.scrollable_content_region.height
        line = self.line_of(self.cursor)
        top = round(self.scroll_y)
        if height > 0 and not (top + 2 <= line < top + height - 2):
            self._center_caret()
        self.refresh()

    def span_at(self, offset: int) -> tuple[int, int, str, str] | None:
        index = bisect_right(self._span_starts, offset) - 1
        if index >= 0 and self.spans[index][0] <= offset < self.spans[index][1]:
            return self.spans[index]
        return None

    def action_entity_at_caret(self) -> None:
        span = self.span_at(self.cursor)
        if span is None:
            return
        self.post_message(self.EntityActivated(span[2]))

    def paragraph_at(self, offset: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys with nothing to do now are dimmed on the key bar (and do nothing)."""
        if self.document is None and action not in ("clear_selection",):
            return None
        if action == "next_mention":
            wanted = self.selected_entity
            has = any(span[2] == wanted for span in self.spans) if wanted else bool(self.spans)
            return True if has else None
        if action == "next_entity":
            return True if self.spans else None
        if action == "toggle_furniture":
            return True if self._furniture else None
        if action == "clip":
            return True if self._can_clip() else None
        return True

    def _can_clip(self) -> bool:
        """y has something to export: a selection, or the paragraph under the caret."""
        if self.selection_range() is not None:
            return True
        start, end = self.paragraph_at(self.cursor)
        return end > start

    def _clip_state_changed(self) -> None:
        can = self.document is not None and self._can_clip()
        if can != self._could_clip:
            self._could_clip = can
            self.refresh_bindings()

    def action_clip(self) -> None:
        if self.document is None:
            return
        span = self.selection_range()
        if span is None:
            span = self.paragraph_at(self.cursor)
            if span[1] <= span[0]:
                return  # an empty line: the key is dimmed there
        self.post_message(self.ClipRequested(self.document, span[0], span[1]))
        # as in an editor, yanking ends the selection; the exported range flashes
        self.mark = None
        self._sticky = False
        self.flash = span
        self.screen.clear_selection()
        self._cache.clear()
        self.refresh()
        self._update_subtitle()

    def action_toggle_furniture(self) -> None:
        self.hide_furniture = not self.hide_furniture
        offset = self.cursor
        self._rewrap(force=True)
        self.cursor = self._skip_hidden(offset, 1)
        self._center_caret()
        self.refresh()
        self._update_subtitle()

    # -- mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if not self.text:
            return
        if self.text_selection is not None and self.mark is not None and not self._sticky:
            return  # a drag selection just ended
        self._sticky = False
        self._set_cursor(self.offset_at(event.x, event.y))

    def selection_updated(self, selection: Selection | None) -> None:
        if selection is None:
            if not self._sticky:
                self.mark = None
        else:
            start = self._selection_point(selection.start, 0)
            end = self._selection_point(selection.end, len(self.text))
            start, end = sorted((start, end))
            self._sticky = False
            self.mark, self.cursor = start, end
        self._cache.clear()
        self.refresh()
        self._update_subtitle()

    def _selection_point(self, point: Offset | None, default: int) -> int:
        if point is None or not self.lines:
            return default
        line_index = min(max(0, point.y), len(self.lines) - 1)
        return self._cell_to_char(line_index, point.x)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = self.selected_text()
        return (text, "\n") if text else None

    def text_select_all(self) -> None:
        """A double click selects the paragraph, not the whole document."""
        start, end = self.paragraph_at(self.cursor)
        self.mark, self.cursor, self._sticky = start, end, False
        self._cache.clear()
        self.refresh()
        self._update_subtitle()

    def on_focus(self) -> None:
        self.refresh()  # cached lines are keyed by focus (cursor colour, caret): no need to drop them

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        # A focus move restyles the view for its border only: the cached lines stay unless the
        # styles they were painted in changed (``base_style`` checks on the next paint).
        self._base_style = None
        super().notify_style_update()

    # -- painting --------------------------------------------------------------------------

    def _overlaps(
        self, spans: list[tuple[int, int]] | list[tuple[int, int, str, str]], starts: list[int], start: int, end: int
    ) -> list[int]:
        index = max(0, bisect_right(starts, start) - 1)
        found: list[int] = []
        while index < len(spans) and spans[index][0] < end:
            if spans[index][1] > start:
                found.append(index)
            index += 1
        return found

    @property
    def base_style(self) -> Style:
        """``rich_style``, kept between frames: it walks every ancestor's styles, and every line needs it.

        Worked out again after a restyle, when the cached lines are dropped if they would look different.
        """
        if self._base_style is None:
            look = line_look(self)
            if look != self._look:
                self._cache.clear()
                self._look = look
            self._base_style = look[0]
        return self._base_style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        index = round(self.scroll_y) + y
        if self.document is None:
            if y == 0:
                strip = Strip([Segment(self.empty_text, base + self.get_component_rich_style("doc-view--empty"))])
                return strip.crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self.lines):
            return Strip.blank(width, base)
        start, end = self.lines[index]
        selection = self.selection_range()
        clipped = (max(start, selection[0]), min(end + 1, selection[1])) if selection else None
        if clipped and clipped[0] >= clipped[1]:
            clipped = None
        caret = self.cursor if self.has_focus and start <= self.cursor <= end else -1
        # the caret on the space where a line was wrapped shows at this line's end
        if caret < 0 and self.has_focus and index + 1 < len(self.lines) and end < self.cursor < self.lines[index + 1][0]:
            caret = end
        flash = self.flash if self.flash and self.flash[0] < end and self.flash[1] > start else None
        key = (index, width, clipped, caret, flash)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._paint(start, end, width, base, clipped, caret, flash).apply_offsets(0, index)
            self._cache[key] = strip
        return strip

    def _paint(
        self,
        start: int,
        end: int,
        width: int,
        base: Style,
        selection: tuple[int, int] | None,
        caret: int,
        flash: tuple[int, int] | None,
    ) -> Strip:
        style_of = self.get_component_rich_style
        ranges: list[tuple[int, int, Style]] = []
        for i in self._overlaps(self._furniture, self._furniture_starts, start, end):
            ranges.append((*self._furniture[i], style_of("doc-view--furniture")))
        for i in self._overlaps(self._events, self._event_starts, start, end):
            ranges.append((*self._events[i], style_of("type--date")))
        for i in self._overlaps(self.spans, self._span_starts, start, end):
            s, e, entity_id, kind = self.spans[i]
            style = style_of(type_class(kind))
            if entity_id == self.selected_entity:
                style += style_of("doc-view--focus-entity")
            ranges.append((s, e, style))
        if flash:
            ranges.append((*flash, style_of("doc-view--flash")))
        if selection:
            ranges.append((*selection, style_of("doc-view--selection")))
        if caret >= 0:
            ranges.append((caret, caret + 1, style_of("doc-view--caret")))
        cuts = {start, end}
        for s, e, _ in ranges:
            if start < s < end:
                cuts.add(s)
            if start < e < end:
                cuts.add(e)
        points = sorted(cuts)
        text = self.text
        segments: list[Segment] = []
        for a, b in zip(points, points[1:], strict=False):
            style = base
            for s, e, extra in ranges:
                if s <= a and b <= e:
                    style = style + extra
            segments.append(Segment(text[a:b], style))
        if caret == end or (selection and selection[1] > end):
            style = base
            for s, e, extra in ranges:
                if s <= end < e:
                    style = style + extra
            segments.append(Segment(" ", style))
        return Strip(segments).crop_extend(0, width, base)
