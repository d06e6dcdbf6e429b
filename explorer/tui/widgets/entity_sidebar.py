"""EntitySidebar: the entity list under its filter box (``FilteredList``), with counts in the border."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message

from explorer.model import CorpusEntity
from explorer.tui.widgets.entity_list import EntityList
from explorer.tui.widgets.filter_box import FilteredList


class EntitySidebar(FilteredList):
    """Entities of the corpus; messages come from the ``EntityList`` inside."""

    @dataclass
    class SelectionCleared(Message):
        """Escape with no filter: no entity selected any more (the mentions panel closes)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(EntityList(id="entity-list"), "f: filter entities", id=id)
        self._subtitle_key: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        self.border_title = "Entities"
        self._update_subtitle()

    @property
    def entity_list(self) -> EntityList:
        listing = self.listing
        assert isinstance(listing, EntityList)
        return listing

    def set_entities(self, entities: list[CorpusEntity], keep: str | None = None) -> None:
        self.entity_list.set_entities(entities, keep)
        self._update_subtitle()

    def select_entity(self, entity_id: str) -> bool:
        entity_list = self.entity_list
        found = entity_list.select_entity(entity_id)
        if found and entity_list.query_text == "" and self.box.value:
            self.set_filter_text("")
        self._update_subtitle()
        return found

    def _update_subtitle(self) -> None:
        entity_list = self.entity_list
        key = (entity_list.shown_count, len(entity_list.entities), entity_list.sort_by, len(entity_list.marked))
        if key == self._subtitle_key:
            return
        self._subtitle_key = key
        shown, total, marked = key[0], key[1], key[3]
        counted = f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
        if marked:
            self.border_subtitle = Content(f"{counted} · {marked:,} marked: M merges")
        else:
            self.border_subtitle = Content(f"{counted} · by {entity_list.sort_by} (s)")

    def set_scope(self, label: str) -> None:
        """Say the period the counts are limited to ("" with none) in the border title."""
        self.border_title = Content(f"Entities · {label}" if label else "Entities")

    @on(FilteredList.Filtered)
    def _filtered(self) -> None:
        self._update_subtitle()

    @on(EntityList.ClearRequested)
    def _clear_requested(self, event: EntityList.ClearRequested) -> None:
        event.stop()
        if not self.clear_filter() and not self.entity_list.clear_marks():
            self.post_message(self.SelectionCleared())
        self._update_subtitle()

    @on(EntityList.MarksChanged)
    def _marks_changed(self) -> None:
        self._update_subtitle()

    def on_entity_list_highlighted(self) -> None:
        self._update_subtitle()
