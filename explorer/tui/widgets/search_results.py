"""SearchResults: search hits grouped as entities, then passages, with the matched part marked."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from explorer.model import SearchHit
from explorer.textsafe import clip_around, clip_end, inert_line
from explorer.tui.styles import TYPE_CLASSES, TYPE_SHORT, type_class
from explorer.tui.widgets.virtual_list import VirtualList

MAX_RESULTS = 200


class SearchResults(VirtualList):
    """Rows are group headers or hits; the screen reads ``current`` on Enter."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | TYPE_CLASSES

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hits: list[SearchHit] = []
        self.rows: list[str | int] = []
        self.empty_text = "Type to search names, terms and passages"

    def set_hits(self, hits: list[SearchHit], empty_text: str) -> None:
        hits = hits[:MAX_RESULTS]
        self.hits = hits
        entities = [i for i, hit in enumerate(hits) if hit.kind == "entity"]
        passages = [i for i, hit in enumerate(hits) if hit.kind != "entity"]
        rows: list[str | int] = []
        if entities:
            rows.append(f"Entities · {len(entities):,}")
            rows.extend(entities)
        if passages:
            rows.append(f"Passages · {len(passages):,}")
            rows.extend(passages)
        self.rows = rows
        self.empty_text = empty_text
        self.set_count(len(rows), 0)

    @property
    def current(self) -> SearchHit | None:
        if 0 <= self.cursor < len(self.rows):
            row = self.rows[self.cursor]
            if isinstance(row, int):
                return self.hits[row]
        return None

    def is_selectable(self, index: int) -> bool:
        return isinstance(self.rows[index], int)

    def on_row_chosen(self, index: int) -> None:
        self.screen.action_choose()  # type: ignore[attr-defined]

    def _highlighted(self, text: str, spans: list[tuple[int, int]], style: Style) -> list[Segment]:
        segments: list[Segment] = []
        position = 0
        mark = self.style("match")
        for start, end in sorted(spans):
            start, end = max(start, position), min(end, len(text))
            if start >= end:
                continue
            segments.append(Segment(text[position:start], style))
            segments.append(Segment(text[start:end], style + mark))
            position = end
        segments.append(Segment(text[position:], style))
        return segments

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        row = self.rows[index]
        if isinstance(row, str):
            return [Segment(row, self.style("header"))]
        hit = self.hits[row]
        snippet = inert_line(hit.snippet)
        if hit.kind == "entity":
            kind = hit.type or "term"
            dot = self.get_component_rich_style(type_class(kind))
            spans = hit.highlights if snippet else []
            text = snippet or inert_line(hit.name)
            if snippet and inert_line(hit.name) not in snippet:
                # the snippet is not the name: show the name, then the snippet dimmed
                head = [Segment(" ● ", dot), Segment(inert_line(hit.name), Style(bold=True)), Segment("  ")]
                return head + self._highlighted(snippet, spans, self.style("dim"))
            return [Segment(" ● ", dot), *self._highlighted(text, spans, Style(bold=True)),
                    Segment(f"  {TYPE_SHORT.get(kind, kind)}", self.style("dim"))]
        title = inert_line(hit.name) or inert_line((hit.document or "").rsplit("/", 1)[-1])
        title_room = max(10, min(30, width // 4))
        title = clip_end(title, title_room).ljust(title_room)
        room = max(10, width - title_room - 4)
        spans = sorted(hit.highlights)
        if spans:
            # keep the first match in view, the snippet cut around it at word boundaries
            first_start, first_end = spans[0]
            left, key, right = clip_around(snippet, first_start, first_end, room)
            shift = first_start - len(left)
            snippet = left + key + right
            spans = [(start - shift, end - shift) for start, end in spans if start - shift >= len(left)]
        else:
            snippet = clip_end(snippet, room)
        return [Segment(" " + title + "  ", self.style("dim")), *self._highlighted(snippet, spans, Style())]
