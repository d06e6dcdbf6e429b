"""TimelineStrip: the corpus's dated events on a time axis, one cursor, four zoom levels.

A plain ``Widget`` on the Line API: the whole strip is drawn as one frame of
strips, rebuilt only when what it shows changes. Points are ``●``, spans
``┣━┫`` and fuzzy dates (a month, a season, a year) ``░`` over the time they
cover, so a month is never drawn as if it were a day.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from explorer.model import CorpusEvent, date_bounds
from explorer.textsafe import clip_end, inert_line, whole_words
from explorer.tui import keymap
from explorer.tui.timeline_data import TimelineData, TimelineItem, build_timeline
from explorer.tui.wording import count, ratio

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
MAX_EXPORT = 2000  # events in one timeline note
# The scale is columns per day. + and - multiply and divide it by ZOOM_STEP; the axis labels
# decades, years, months or days depending on how much room a year, a month and a day get.
ZOOM_STEP = 3.0
MIN_SCALE = 2 / 365.25 / 10  # about a century in 200 columns
MAX_SCALE = 16.0  # a day in 16 columns
LEFT_MARGIN = 2  # columns before the first event when fitted
RIGHT_MARGIN = 9  # columns after the last: room for its year's label
KEEP = 0.8  # a fit shows at least this share of the events, the newest


def zoom_name(scale: float) -> str:
    """What one tick of the axis is at ``scale`` (columns per day)."""
    if scale * 365.25 < 24:
        return "decade"
    if scale * 30.4 < 12:
        return "year"
    if scale < 3:
        return "month"
    return "day"


def fit_scale(items: list[TimelineItem], width: int) -> tuple[float, float, int]:
    """(scale, first day shown, events left out on the left) that fit the events to ``width`` columns.

    The newest event is always in view. Every event is, unless a few early ones would squeeze the
    rest: the fit then starts where most of the corpus is (the newest KEEP of the events, and
    whatever lies within half as much time again before them), and the events left out are one
    step, or ``home``, away; the subtitle says how many.
    """
    room = max(10, width - LEFT_MARGIN - RIGHT_MARGIN)
    last = max(item.last for item in items) + 1
    first = items[0].first
    left_out = 0
    core_start = items[len(items) - math.ceil(len(items) * KEEP)].first
    reach = last - 1.5 * (last - core_start)
    firsts = [item.first for item in items]
    start = bisect_left(firsts, reach)
    if start > 0 and (last - items[start].first) * 3 < (last - first):
        first, left_out = items[start].first, start
    span = max(1, last - first)
    scale = min(MAX_SCALE, max(MIN_SCALE, room / span))
    return scale, first - LEFT_MARGIN / scale, left_out


def describe_date(value: str) -> str:
    """A reader's description of an ISO value: ``December 2009 (month)``, ``summer 2009 (season)``."""
    try:
        first, last, precision = date_bounds(value)
    except (ValueError, IndexError):
        return inert_line(value)
    if precision == "day":
        return first.isoformat()
    if precision == "month":
        return f"{MONTHS[first.month - 1]} {first.year} (month)"
    if precision == "season":
        season = SEASONS.get(value.split("-")[1], "season")
        return f"{season} {first.year} (season)"
    if precision == "year":
        return f"{first.year} (year)"
    return f"{first.isoformat()} → {last.isoformat()} (span)"


class TimelineStrip(Widget, can_focus=True):
    """Dated events on an axis; the cursor moves event by event."""

    BINDING_GROUP_TITLE = "Timeline"
    HELP = "Dated events of the corpus. Fuzzy dates are drawn ░ over the time they cover."

    BINDINGS: list[BindingType] = keymap.bindings("timeline")  # type: ignore[assignment]

    COMPONENT_CLASSES = {
        "timeline--event",
        "timeline--fuzzy",
        "timeline--doc",
        "timeline--cursor",
        "timeline--range",
        "timeline--axis",
        "timeline--label",
        "timeline--status",
        "timeline--empty",
    }

    DEFAULT_CSS = """
    TimelineStrip {
        height: 9;
        & > .timeline--event { color: $text-primary; }
        & > .timeline--fuzzy { color: $foreground-darken-3; }
        & > .timeline--doc { color: $text-warning; text-style: bold; }
        & > .timeline--cursor { text-style: reverse bold; }
        & > .timeline--range { background: $primary 35%; }
        & > .timeline--axis { color: $panel-lighten-3; }
        & > .timeline--label { color: $text-secondary; }
        & > .timeline--status { color: $foreground; }
        & > .timeline--empty { color: $foreground-darken-3; text-style: italic; }
    }
    """

    @dataclass
    class EventChosen(Message):
        event: CorpusEvent

    @dataclass
    class RangeExportRequested(Message):
        events: list[CorpusEvent]
        label: str

    @dataclass
    class ScopeRequested(Message):
        """``s``: limit everything to the days ``first``..``last`` (inclusive)."""

        first: date
        last: date

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data = TimelineData()
        self.items: list[TimelineItem] = []
        self._firsts: list[int] = []
        self._longest = 0
        self.skipped = 0
        self.cursor = 0
        self.mark: int | None = None
        self.scale = 1 / 15  # columns per day; set by the first fit
        self.view_start = 0.0
        self.left_out = 0  # early events the fit left out of view
        self.doc_id: str | None = None
        self.filter_label = ""
        self.scope_label = ""  # the period every list is limited to ("" with none)
        self._version = 0
        self._frame_key: tuple[object, ...] | None = None
        self._frame: list[Strip] = []
        self._hits: dict[tuple[int, int], int] = {}
        self._needs_fit = True
        self._fitted = False  # the scale was chosen by a fit, not by + or -
        self._has_fit = False  # a fit happened once: later data keeps the zoom
        self.reading_events = False  # the corpus's events are still being read (``show_loading``)
        self.unreadable = ""  # why they could not be read (``show_unreadable``), one line
        self._kept: CorpusEvent | None = None  # the cursor's event before loading: found again in the new data

    # -- data ------------------------------------------------------------------------------

    def set_events(self, corpus_events: list[CorpusEvent], filter_label: str = "") -> None:
        self.set_data(build_timeline(corpus_events), filter_label)

    def set_data(self, data: TimelineData, filter_label: str = "", refit: bool = False, scope: str | None = None
                 ) -> None:
        """Show ``data`` (built off the UI thread by ``build_timeline``).

        The zoom is kept (a filter, a refreshed corpus) unless ``refit`` or it was never fitted;
        the view moves only as far as it must to show the cursor.
        """
        keep = self.current.event if self.current else self._kept
        arriving, self.reading_events, self._kept = self.reading_events, False, None
        self.unreadable = ""
        self.data = data
        self.items = data.items
        self.skipped = data.skipped
        self._firsts = data.firsts
        self._longest = data.longest
        self.filter_label = filter_label
        if scope is not None:
            self.scope_label = scope
        self.mark = None
        self.cursor = 0
        if keep is not None:
            for index in data.by_doc.get(keep.doc_id, []):
                if data.items[index].event == keep:
                    self.cursor = index
                    break
        self._version += 1
        self._needs_fit = refit or not self._has_fit
        self._fit()
        if not self._needs_fit and not self._cursor_visible():
            self._centre()
        if arriving and keep is None and self.doc_id is not None:
            doc_id, self.doc_id = self.doc_id, None
            self.set_document(doc_id)  # the document opened while the events loaded: as if it came after
        self._update_title()
        self.refresh()

    def show_loading(self, scope: str | None = None) -> None:
        """The corpus's events are being read (seconds at 100,000 documents): say so, offer no key."""
        if not self.reading_events and self.current is not None:
            self._kept = self.current.event
        self.data = TimelineData()
        self.items = []
        self._firsts = []
        self._longest = 0
        self.skipped = 0
        self.cursor = 0
        self.mark = None
        self.filter_label = ""
        if scope is not None:
            self.scope_label = scope
        self.reading_events = True
        self._version += 1
        self._update_title()
        self.refresh()
        self.refresh_bindings()

    def show_unreadable(self, problem: str) -> None:
        """The events could not be read: say why instead of "loading" (the other panes work without them)."""
        self.show_loading()
        self.reading_events = False
        self.unreadable = problem
        self._update_title()
        self.refresh()

    def set_document(self, doc_id: str | None) -> None:
        """Mark the open document's events; unless the user is in the timeline, move to its first one
        in view (the view moves only when none of them is in it)."""
        if doc_id != self.doc_id:
            self.doc_id = doc_id
            self._version += 1
            current = self.current
            if not self.has_focus and (current is None or current.event.doc_id != doc_id):
                indexes = self.data.by_doc.get(doc_id or "", [])
                if indexes:
                    self.cursor = next((index for index in indexes if self._in_view(index)), indexes[-1])
                    self.mark = None
                    if not self._cursor_visible():
                        self._centre()
            self.refresh()

    def _in_view(self, index: int) -> bool:
        item = self.items[index]
        return self._col(item.last + 1) > 0 and self._col(item.first) < self._width()

    @property
    def current(self) -> TimelineItem | None:
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    @property
    def columns_per_day(self) -> float:
        return self.scale

    @property
    def zoom_name(self) -> str:
        return zoom_name(self.scale)

    def _width(self) -> int:
        return max(1, self.size.width)

    def _fit(self) -> None:
        """Fit the events to the width (the first time there is data and a width, or on ``0``)."""
        width = self.size.width
        if width <= 0 or not self.items or not self._needs_fit:
            return
        self.scale, self.view_start, self.left_out = fit_scale(self.items, width)
        self._needs_fit = False
        self._has_fit = True
        self._fitted = True
        if not self._cursor_visible():
            self.cursor = min(max(self.left_out, self.cursor), len(self.items) - 1)
        self._update_title()

    def _col(self, ordinal: float) -> int:
        return int((ordinal - self.view_start) * self.columns_per_day)

    def _cursor_visible(self, band: bool = False) -> bool:
        """The cursor's event is on screen (``band``: well inside it, for stepping: 5 % to 90 %)."""
        item = self.current
        if item is None:
            return True
        col = self._col(item.first)
        width = self._width()
        if band:
            return width * 0.05 <= col <= width * 0.9
        return self._col(item.last + 1) > 0 and col < width

    def _centre(self) -> None:
        item = self.current
        if item is not None:
            self.view_start = item.first - (self._width() / 2) / self.columns_per_day
            self._update_title()

    def off_view(self) -> tuple[int, int]:
        """(events wholly before the view, events wholly after it)."""
        if not self.items:
            return 0, 0
        start = self.view_start
        end = start + self._width() / self.columns_per_day
        surely = bisect_left(self._firsts, start - self._longest - 1)  # these end before the view
        before = surely + sum(1 for item in self.items[surely : bisect_left(self._firsts, start)]
                              if item.last + 1 < start)
        after = len(self.items) - bisect_right(self._firsts, end)
        return before, after

    def _update_title(self) -> None:
        if self.reading_events or self.unreadable:
            self.border_title = Content("Timeline · loading events…" if self.reading_events else "Timeline")
            self.border_subtitle = ""
            return
        shown = count(len(self.items), "event")
        if self.filter_label:
            shown += f" in sentences naming {self.filter_label}"
        if self.scope_label:
            shown += f" · scope {self.scope_label} (S clears)"
        self.border_title = Content(f"Timeline · {shown}")  # the filter label is an entity name: data
        before, after = self.off_view() if self.size.width > 0 else (0, 0)
        hidden = ""
        if before:
            hidden += f" · ← {count(before, 'earlier event')} (home)"
        if after:
            hidden += f" · {count(after, 'later event')} → (end)"
        self.border_subtitle = f"zoom {self.zoom_name}{hidden} · 0 fit"

    # -- actions ---------------------------------------------------------------------------

    def _moved(self) -> None:
        if not self._cursor_visible(band=True):
            self._centre()
        self.refresh()

    def action_step(self, delta: int) -> None:
        if self.items:
            self.cursor = min(max(0, self.cursor + delta), len(self.items) - 1)
            self._moved()

    def action_edge(self, edge: int) -> None:
        if self.items:
            self.cursor = len(self.items) - 1 if edge else 0
            self._moved()

    def action_doc_event(self, direction: int) -> None:
        if not self.items or self.doc_id is None:
            return
        indexes = self.data.by_doc.get(self.doc_id, [])
        position = bisect_right(indexes, self.cursor) if direction > 0 else bisect_left(indexes, self.cursor) - 1
        if 0 <= position < len(indexes):
            self.cursor = indexes[position]
            self._moved()

    def action_zoom(self, delta: int) -> None:
        scale = min(MAX_SCALE, max(MIN_SCALE, self.scale * (ZOOM_STEP if delta > 0 else 1 / ZOOM_STEP)))
        if abs(scale - self.scale) < 1e-12:
            return  # already at the closest or widest zoom (the key is dimmed there)
        item = self.current
        width = self._width()
        anchor = item.first if item else self.view_start + (width / 2) / self.columns_per_day
        column = min(max(0, self._col(anchor)), width - 1)
        self.scale = scale
        self._fitted = False
        self.view_start = anchor - column / self.columns_per_day
        if not self._cursor_visible(band=True):
            self._centre()
        self._update_title()
        self.refresh()
        self.refresh_bindings()

    def action_fit(self) -> None:
        self._needs_fit = True
        self._fit()
        self._update_title()
        self.refresh()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose", "export", "toggle_mark", "step", "edge", "fit", "goto_date", "scope") and not self.items:
            return None
        if action == "zoom" and parameters:
            limit = MAX_SCALE if parameters[0] == 1 else MIN_SCALE
            return None if not self.items or abs(self.scale - limit) < 1e-12 else True
        if action == "doc_event":
            return True if self.data.by_doc.get(self.doc_id or "") else None
        if action == "clear_mark":
            return self.mark is not None or None
        return True

    def action_goto_date(self) -> None:
        """``:``: ask for a date (2009, 2009-05, 2009-05-26) and go there."""
        from explorer.tui.screens.dialogs import TextDialog

        def valid(value: str) -> str:
            try:
                date_bounds(value)
            except (ValueError, IndexError):
                return f"{inert_line(value)!r} is not a date: type 2009, 2009-05 or 2009-05-26"
            return ""

        def chosen(value: str | None) -> None:
            if value:
                first, last, _ = date_bounds(value)
                self.goto_date(first, last)
                self.focus()

        self.app.push_screen(TextDialog("Go to date", "A year, a month or a day:", "", (), valid,
                                        placeholder="2009, 2009-05 or 2009-05-26"), chosen)

    def goto_date(self, first: date, last: date) -> None:
        """Show the days ``first``..``last`` across most of the width, the cursor on their first event
        (the nearest one when none falls in them, and a note says so)."""
        if not self.items:
            return
        low, high = first.toordinal(), last.toordinal()
        width = self._width()
        self.scale = min(MAX_SCALE, max(MIN_SCALE, width * 0.6 / (high - low + 1)))
        self._fitted = False
        self.view_start = (low + high + 1) / 2 - (width / 2) / self.columns_per_day
        index = bisect_left(self._firsts, low)
        inside = [i for i in range(max(0, index - 1), min(len(self.items), index + 1))
                  if self.items[i].last >= low and self.items[i].first <= high]
        if inside:
            self.cursor = inside[-1] if self.items[inside[-1]].first >= low else inside[0]
        else:
            candidates = [i for i in (index - 1, index) if 0 <= i < len(self.items)]
            self.cursor = min(candidates, key=lambda i: min(abs(self.items[i].first - low),
                                                            abs(self.items[i].last - high)))
            nearest = describe_date(self.items[self.cursor].event.date)
            self.notify(f"No event from {first.isoformat()} to {last.isoformat()}; the nearest: {nearest}",
                        timeout=4, markup=False)
        self.mark = None
        if not self._cursor_visible():
            self._centre()
        self._version += 1
        self._update_title()
        self.refresh()
        self.refresh_bindings()

    def scope_days(self) -> tuple[date, date] | None:
        """The days ``s`` limits everything to: the marked range's, else those in view."""
        if not self.items:
            return None
        if self.mark is not None:
            chosen = self.selected_range()
            low = min(item.first for item in chosen)
            high = max(item.last for item in chosen)
        else:
            low = max(1, math.ceil(self.view_start))
            high = int(self.view_start + self._width() / self.columns_per_day)
        high = min(max(low, high), date.max.toordinal())
        return date.fromordinal(low), date.fromordinal(high)

    def action_scope(self) -> None:
        days = self.scope_days()
        if days is not None:
            self.post_message(self.ScopeRequested(*days))
            self.mark = None
            self.refresh()

    def action_choose(self) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.EventChosen(item.event))

    def action_toggle_mark(self) -> None:
        if not self.items:
            return
        self.mark = None if self.mark is not None else self.cursor
        self.refresh()
        self.refresh_bindings()

    def action_clear_mark(self) -> None:
        if self.mark is not None:
            self.mark = None
            self.refresh()
            self.refresh_bindings()

    def selected_range(self) -> list[TimelineItem]:
        if not self.items:
            return []
        if self.mark is not None:
            low, high = sorted((self.mark, self.cursor))
            return self.items[low : high + 1]
        return self._visible()

    def action_export(self) -> None:
        chosen = self.selected_range()
        if not chosen:
            return  # the key is dimmed then
        if len(chosen) > MAX_EXPORT:
            self.notify(f"{len(chosen):,} events: zoom in or mark a smaller range (v) to export at most "
                        f"{MAX_EXPORT:,}", severity="warning", timeout=4, markup=False)
            return
        first = date.fromordinal(min(item.first for item in chosen)).isoformat()
        last = date.fromordinal(max(item.last for item in chosen)).isoformat()
        label = f"{first} to {last}" + (f", sentences naming {self.filter_label}" if self.filter_label else "")
        self.post_message(self.RangeExportRequested([item.event for item in chosen], label))
        self.mark = None
        self.refresh()
        self.refresh_bindings()

    # -- drawing ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        if self._fitted and self.items:
            self._needs_fit = True  # still the fitted view: fit the new width
        self._fit()
        if not self._cursor_visible():
            self._centre()
        self._update_title()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        self._frame_key = None
        super().notify_style_update()

    def _visible(self) -> list[TimelineItem]:
        width = self._width()
        end = self.view_start + width / self.columns_per_day
        low = bisect_left(self._firsts, self.view_start - self._longest - 1)
        high = bisect_right(self._firsts, end)
        return [item for item in self.items[low:high] if item.last >= self.view_start and item.first <= end]

    def render_line(self, y: int) -> Strip:
        size = self.size
        if size.width <= 0:
            return Strip.blank(0)
        key = (size, self.scale, self.view_start, self.cursor, self.mark, self._version, self.has_focus)
        if key != self._frame_key:
            self._frame = self._build_frame(size.width, size.height)
            self._frame_key = key
        return self._frame[y] if y < len(self._frame) else Strip.blank(size.width, self.rich_style)

    def _build_frame(self, width: int, height: int) -> list[Strip]:
        base = self.rich_style
        style = self.get_component_rich_style
        if self.reading_events or self.unreadable:
            text = self.unreadable or "Reading the corpus's dated events… (the timeline's keys work once they show)"
            lines = [Strip([Segment(text, base + style("timeline--empty"))]).crop_extend(0, width, base)]
            return lines + [Strip.blank(width, base) for _ in range(height - 1)]
        if not self.items:
            text = "No dated events" + (f" in sentences naming {self.filter_label}" if self.filter_label else "")
            if self.skipped:
                text += f" ({count(self.skipped, 'date')} could not be read)"
            lines = [Strip([Segment(text, base + style("timeline--empty"))]).crop_extend(0, width, base)]
            return lines + [Strip.blank(width, base) for _ in range(height - 1)]
        lane_count = max(1, height - 3)
        end_day = self.view_start + width / self.columns_per_day
        low = bisect_left(self._firsts, self.view_start - self._longest - 1)
        if bisect_right(self._firsts, end_day) - low > width * 3:
            return self._density_frame(width, height, lane_count, base)
        chars = [[" "] * width for _ in range(lane_count)]
        styles: list[list[Style | None]] = [[None] * width for _ in range(lane_count)]
        lane_end = [-2] * lane_count
        self._hits = {}
        marked = range(0, 0)
        if self.mark is not None:
            low, high = sorted((self.mark, self.cursor))
            marked = range(low, high + 1)
        first_visible = bisect_left(self._firsts, self.view_start - self._longest - 1)
        end_day = self.view_start + width / self.columns_per_day
        cursor_lane: int | None = None
        for index in range(first_visible, len(self.items)):
            item = self.items[index]
            if item.first > end_day:
                break
            if item.last < self.view_start:
                continue
            c0 = min(width - 1, max(0, self._col(item.first)))
            c1 = min(width - 1, max(c0, self._col(item.last + 1) - 1))
            lane = next((n for n in range(lane_count) if lane_end[n] < c0), None)
            if lane is None:
                if index != self.cursor:
                    chars[-1][c0] = "+"
                    styles[-1][c0] = style("timeline--axis")
                    continue
                lane = lane_count - 1
            lane_end[lane] = c1 + 1
            glyphs = self._glyphs(item, c1 - c0 + 1)
            item_style = style("timeline--fuzzy" if item.precision in {"month", "season", "year"} else "timeline--event")
            if self.doc_id is not None and item.event.doc_id == self.doc_id:
                item_style = style("timeline--doc")
            if index in marked:
                item_style = item_style + style("timeline--range")
            if index == self.cursor:
                cursor_lane = lane
                if self.has_focus:
                    item_style = item_style + style("timeline--cursor")
                else:
                    item_style = item_style + Style(underline=True, bold=True)
            for offset, glyph in enumerate(glyphs):
                column = c0 + offset
                if column < width:
                    chars[lane][column] = glyph
                    styles[lane][column] = item_style
                    self._hits[(column, lane)] = index
        del cursor_lane
        strips = [self._row(chars[lane], styles[lane], base, width) for lane in range(lane_count)]
        axis, labels = self._axis(width)
        strips.append(Strip([Segment(axis, base + style("timeline--axis"))]).crop_extend(0, width, base))
        strips.append(Strip([Segment(labels, base + style("timeline--label"))]).crop_extend(0, width, base))
        strips.append(self._status(width, base))
        return strips[:height] + [Strip.blank(width, base) for _ in range(height - len(strips))]

    def _density_frame(self, width: int, height: int, lane_count: int, base: Style) -> list[Strip]:
        """Too many events to draw one by one: a histogram of events starting in each column."""
        style = self.get_component_rich_style
        per_day = self.columns_per_day
        edges = [bisect_left(self._firsts, self.view_start + column / per_day) for column in range(width + 1)]
        counts = [edges[column + 1] - edges[column] for column in range(width)]
        peak = max(counts) or 1
        levels = lane_count * 8
        heights = [(-(-count * levels // peak)) if count else 0 for count in counts]
        doc_columns: set[int] = set()
        for index in self.data.by_doc.get(self.doc_id or "", []):
            column = self._col(self.items[index].first)
            if 0 <= column < width:
                doc_columns.add(column)
        item = self.current
        cursor_column = self._col(item.first) if item else -1
        self._hits = {}
        strips: list[Strip] = []
        blocks = " ▁▂▃▄▅▆▇█"
        for row in range(lane_count):
            floor = (lane_count - 1 - row) * 8
            chars: list[str] = []
            styles: list[Style | None] = []
            for column in range(width):
                level = min(8, max(0, heights[column] - floor))
                chars.append(blocks[level])
                cell = style("timeline--doc") if column in doc_columns else style("timeline--event")
                if column == cursor_column:
                    cell = cell + (style("timeline--cursor") if self.has_focus else Style(underline=True, bold=True))
                    if level == 0 and row == lane_count - 1:
                        chars[-1] = "▲"
                styles.append(cell)
                if counts[column]:
                    self._hits[(column, row)] = edges[column]
            strips.append(self._row(chars, styles, base, width))
        axis, labels = self._axis(width)
        strips.append(Strip([Segment(axis, base + style("timeline--axis"))]).crop_extend(0, width, base))
        strips.append(Strip([Segment(labels, base + style("timeline--label"))]).crop_extend(0, width, base))
        strips.append(self._status(width, base, f"{peak:,} events per column at most (+ zooms in) · "))
        return strips[:height] + [Strip.blank(width, base) for _ in range(height - len(strips))]

    @staticmethod
    def _glyphs(item: TimelineItem, cells: int) -> str:
        if item.precision in {"month", "season", "year"}:
            return "░" * cells
        if item.first == item.last or cells < 2:
            return "●" if item.first == item.last else "◆"
        return "┣" + "━" * (cells - 2) + "┫"

    @staticmethod
    def _row(chars: list[str], styles: list[Style | None], base: Style, width: int) -> Strip:
        segments: list[Segment] = []
        run: list[str] = []
        current = styles[0] if styles else None
        for char, cell_style in zip(chars, styles, strict=False):
            if cell_style is not current:
                segments.append(Segment("".join(run), base + current if current else base))
                run = []
                current = cell_style
            run.append(char)
        segments.append(Segment("".join(run), base + current if current else base))
        return Strip(segments).crop_extend(0, width, base)

    def _ticks(self, first_day: int, last_day: int) -> list[tuple[int, str, bool]]:
        """(ordinal, label, major) for the ticks of the current zoom between two days."""
        ticks: list[tuple[int, str, bool]] = []
        start = date.fromordinal(max(1, first_day))
        end = date.fromordinal(min(date.max.toordinal(), max(1, last_day)))
        name = self.zoom_name
        if name in {"decade", "year"}:
            per_year = 365.25 * self.columns_per_day
            step = next((n for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n * per_year >= 6), 1000)
            for year in range(start.year, end.year + 2):
                if year > 9999:
                    break
                if year % step == 0:
                    ticks.append((date(year, 1, 1).toordinal(), str(year), True))
                if name == "year":
                    # quarters, named when a quarter is wide enough for "Apr"
                    label_quarters = 91 * self.columns_per_day >= 6
                    for month in (4, 7, 10):
                        label = MONTHS[month - 1] if label_quarters else ""
                        ticks.append((date(year, month, 1).toordinal(), label, False))
        elif name == "month":
            year, month = start.year, start.month
            while (year, month) <= (end.year, end.month) and year <= 9999:
                label = f"{MONTHS[month - 1]} {year}"
                ticks.append((date(year, month, 1).toordinal(), label, True))
                ticks.append((date(year, month, 15).toordinal(), "15", False))
                month += 1
                if month > 12:
                    year, month = year + 1, 1
        else:
            for ordinal in range(start.toordinal(), end.toordinal() + 1):
                day = date.fromordinal(ordinal)
                label = f"{MONTHS[day.month - 1]} {day.day}" if day.day == 1 else str(day.day)
                if day.month == 1 and day.day == 1:
                    label = str(day.year)
                ticks.append((ordinal, label, day.day == 1))
        return ticks

    def _axis(self, width: int) -> tuple[str, str]:
        axis = ["─"] * width
        labels = [" "] * width
        first_day = int(self.view_start)
        last_day = int(self.view_start + width / self.columns_per_day) + 1
        free_from = 0
        for ordinal, label, major in self._ticks(first_day, last_day):
            column = self._col(ordinal)
            if not 0 <= column < width:
                continue
            axis[column] = "┼" if major else "┬"
            if label and column >= free_from and column + len(label) <= width:
                labels[column : column + len(label)] = list(label)
                free_from = column + len(label) + 1
        return "".join(axis), "".join(labels)

    def _status(self, width: int, base: Style, prefix: str = "") -> Strip:
        item = self.current
        style = self.get_component_rich_style
        if item is None:
            return Strip.blank(width, base)
        event = item.event
        where = ratio(self.cursor + 1, len(self.items))
        when = describe_date(event.date)
        surface = inert_line(event.text)
        head: list[Segment] = []
        if self.mark is not None:
            low, high = sorted((self.mark, self.cursor))
            head.append(Segment(f" range {count(high - low + 1, 'event')} (y) ", base + style("timeline--range")))
        if prefix:
            head.append(Segment(" " + prefix, base + style("timeline--axis")))
        head += [
            Segment(f" {where} ", base + style("timeline--axis")),
            Segment(when, base + style("timeline--doc") if event.doc_id == self.doc_id else base + Style(bold=True)),
            Segment(f" “{surface}” ", base + style("timeline--label")),
        ]
        used = sum(segment.cell_length for segment in head)
        room = width - used
        title = inert_line(event.doc_title) or event.doc_id
        title = clip_end(title, max(8, min(len(title), room // 3)))
        sentence = whole_words(inert_line(event.sentence), inert_line(event.text)) or surface
        sentence = clip_end(sentence, max(0, room - len(title) - 3))
        segments = [*head, Segment(title, base + Style(italic=True))]
        if sentence:
            segments.append(Segment(" — " + sentence, base + style("timeline--status")))
        return Strip(segments).crop_extend(0, width, base)

    # -- mouse -----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = self._hits.get((event.x, event.y))
        if index is None:
            return
        self.focus()
        self.cursor = index
        self.refresh()
        if event.chain >= 2:
            self.action_choose()
