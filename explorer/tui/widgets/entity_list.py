"""EntityList: every corpus entity grouped by type, with counts; sortable and filterable."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive

from explorer.model import ENTITY_TYPES, CorpusEntity
from explorer.textsafe import inert_line
from explorer.tui import keymap
from explorer.tui.styles import TYPE_CLASSES, TYPE_LABELS, type_class
from explorer.tui.widgets.filter_box import FilterableList
from explorer.tui.widgets.virtual_list import VirtualList

Row = str | int  # a type name (group header) or an index into ``entities``


class EntityList(FilterableList):
    """Entities by type; the cursor selects, Enter shows the mentions."""

    BINDING_GROUP_TITLE = "Entities"
    HELP = "Every entity of the corpus, grouped by type. f filters; Enter lists its mentions."

    BINDINGS: list[BindingType] = keymap.bindings("entities")  # type: ignore[assignment]

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | TYPE_CLASSES

    sort_by: reactive[str] = reactive("count", init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to ``entity`` (None: a group header or an empty list)."""

        entity: CorpusEntity | None

    @dataclass
    class Chosen(Message):
        """Enter on ``entity``: show its mentions."""

        entity: CorpusEntity

    @dataclass
    class ExportRequested(Message):
        entity: CorpusEntity

    @dataclass
    class ClearRequested(Message):
        """Escape on the list: clear the filter, or with none, deselect the entity."""

    @dataclass
    class MarksChanged(Message):
        """Entities were marked or unmarked (the sidebar counts them)."""

        count: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entities: list[CorpusEntity] = []
        self._keys: list[str] = []
        self.rows: list[Row] = []
        self._group_counts: dict[str, int] = {}
        self.query_text = ""
        self.empty_text = "No entities yet"
        self.marked: dict[str, CorpusEntity] = {}  # entity id -> entity, in the order marked
        self._key_of: dict[str, tuple[CorpusEntity, str]] = {}
        self._by_count = False

    # -- data --------------------------------------------------------------------------

    def set_entities(self, entities: list[CorpusEntity], keep: str | None = None) -> None:
        # The first fill selects nothing: the user's first move does.
        self._quiet = keep is None and not self.entities
        self.entities = entities
        if self.marked:  # marks of entities still listed stay (with their new counts)
            by_id = {entity.entity_id: entity for entity in entities}
            kept = {entity_id: by_id[entity_id] for entity_id in self.marked if entity_id in by_id}
            if len(kept) != len(self.marked):
                self.marked = kept
                self.announce(self.MarksChanged(len(kept)))
            else:
                self.marked = kept
        # A correction leaves most entities as they were (the same objects): their keys are kept.
        known = self._key_of
        keys: list[str] = []
        key_of: dict[str, tuple[CorpusEntity, str]] = {}
        for entity in entities:
            found = known.get(entity.entity_id)
            key = found[1] if found is not None and found[0] is entity else \
                "\x00".join([entity.name, *entity.aliases]).casefold()
            keys.append(key)
            key_of[entity.entity_id] = (entity, key)
        self._keys = keys
        self._key_of = key_of
        # Readers list entities most mentioned first: then no group needs sorting by count.
        self._by_count = all(a.count >= b.count for a, b in zip(entities, entities[1:], strict=False))
        self._rebuild(keep)

    def filter(self, text: str) -> None:
        self.query_text = text
        self._rebuild(self.current_id)

    def watch_sort_by(self) -> None:
        self._rebuild(self.current_id)

    def _rebuild(self, keep: str | None) -> None:
        needle = self.query_text.casefold().strip()
        groups: dict[str, list[int]] = {kind: [] for kind in ENTITY_TYPES}
        for index, key in enumerate(self._keys):
            if needle and needle not in key:
                continue
            groups.setdefault(self.entities[index].type, []).append(index)
        rows: list[Row] = []
        counts: dict[str, int] = {}
        cursor = 0
        for kind, members in groups.items():
            if not members:
                continue
            if self.sort_by == "name":
                members.sort(key=lambda i: self.entities[i].name.casefold())
            elif not self._by_count:
                members.sort(key=lambda i: (-self.entities[i].count, self.entities[i].name.casefold()))
            rows.append(kind)
            rows.extend(members)
            counts[kind] = len(members)
        if keep is not None:
            for position, row in enumerate(rows):
                if isinstance(row, int) and self.entities[row].entity_id == keep:
                    cursor = position
                    break
        had_rows = bool(self.rows)
        self.rows = rows
        self._group_counts = counts
        if had_rows != bool(rows):
            self.refresh_bindings()
        self.empty_text = f"No entity matches {inert_line(self.query_text)!r}" if needle else "No entities yet"
        self.set_count(len(rows), cursor)

    @property
    def current(self) -> CorpusEntity | None:
        if not self.rows or self.cursor >= len(self.rows):
            return None
        row = self.rows[self.cursor]
        return self.entities[row] if isinstance(row, int) else None

    @property
    def current_id(self) -> str | None:
        entity = self.current
        return entity.entity_id if entity else None

    def select_entity(self, entity_id: str) -> bool:
        """Move the cursor to ``entity_id`` (clearing the filter if it hides it)."""
        for position, row in enumerate(self.rows):
            if isinstance(row, int) and self.entities[row].entity_id == entity_id:
                self.move_cursor(position)
                return True
        if self.query_text:
            self.query_text = ""
            self._rebuild(entity_id)
            return self.current_id == entity_id
        return False

    def neighbour_id(self, entity_id: str) -> str | None:
        """The entity listed after ``entity_id`` (before it, when it is the last): where the cursor goes
        when ``entity_id`` leaves the list."""
        positions = [row for row in self.rows if isinstance(row, int)]
        ids = [self.entities[row].entity_id for row in positions]
        if entity_id not in ids:
            return None
        at = ids.index(entity_id)
        if at + 1 < len(ids):
            return ids[at + 1]
        return ids[at - 1] if at > 0 else None

    def group_count(self, kind: str) -> int:
        return self._group_counts.get(kind, 0)

    @property
    def shown_count(self) -> int:
        return sum(self._group_counts.values())

    # -- VirtualList -------------------------------------------------------------------

    def is_selectable(self, index: int) -> bool:
        return isinstance(self.rows[index], int)

    def on_cursor_moved(self, index: int) -> None:
        if getattr(self, "_quiet", False):
            self._quiet = False
            return
        self.announce(self.Highlighted(self.current))

    def on_row_chosen(self, index: int) -> None:
        entity = self.current
        if entity is not None:
            self.announce(self.Chosen(entity))

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        row = self.rows[index]
        if isinstance(row, str):
            label = f"{TYPE_LABELS.get(row, row)} · {self.group_count(row):,}"
            return [Segment(label, self.style("header"))]
        entity = self.entities[row]
        count = f"{entity.count:,}"
        name = inert_line(entity.name)
        room = max(1, width - len(count) - 4)
        if len(name) > room:
            name = name[: max(1, room - 1)] + "…"
        dot = self.get_component_rich_style(type_class(entity.type))
        marked = entity.entity_id in self.marked
        segments = [Segment("✓", self.style("match")) if marked else Segment(" "), Segment("● ", dot)]
        segments.extend(self._marked(name, Style(bold=True) if marked else Style()))
        gap = max(1, width - 3 - len(name) - len(count))
        segments.append(Segment(" " * gap))
        segments.append(Segment(count, self.style("dim")))
        return segments

    def _marked(self, text: str, style: Style) -> list[Segment]:
        needle = self.query_text.strip()
        if not needle:
            return [Segment(text, style)]
        at = text.casefold().find(needle.casefold())
        if at < 0 or len(text.casefold()) != len(text):
            return [Segment(text, style)]
        end = at + len(needle)
        return [
            Segment(text[:at], style),
            Segment(text[at:end], style + self.style("match")),
            Segment(text[end:], style),
        ]

    # -- actions -----------------------------------------------------------------------

    def action_toggle_sort(self) -> None:
        self.sort_by = "name" if self.sort_by == "count" else "count"  # the border says which

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "choose", "toggle_sort", "toggle_mark") and not self.shown_count:
            return None  # shown dimmed: no entity to act on
        return True

    def action_export(self) -> None:
        entity = self.current
        if entity is not None:
            self.announce(self.ExportRequested(entity))

    def action_clear(self) -> None:
        self.announce(self.ClearRequested())

    def action_toggle_mark(self) -> None:
        """Mark the entity under the cursor (again: unmark) and move down, as a file manager does."""
        entity = self.current
        if entity is None:
            return
        if self.marked.pop(entity.entity_id, None) is None:
            self.marked[entity.entity_id] = entity
        self._cache.clear()
        self.refresh()
        self.announce(self.MarksChanged(len(self.marked)))
        self.action_cursor_down()

    def clear_marks(self) -> bool:
        """Unmark every entity; False when none was marked."""
        if not self.marked:
            return False
        self.marked = {}
        self._cache.clear()
        self.refresh()
        self.announce(self.MarksChanged(0))
        return True
