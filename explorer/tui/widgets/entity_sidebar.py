"""EntitySidebar: the filter box above the entity list; typing anywhere in the list filters it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

from explorer.model import CorpusEntity
from explorer.tui.widgets.entity_list import EntityList


class EntitySidebar(Vertical):
    """Entities of the corpus; messages come from the ``EntityList`` inside."""

    BINDING_GROUP_TITLE = "Entity filter"

    BINDINGS: list[BindingType] = [
        Binding("down", "list_down", "Next entity", show=False, id="filter-down"),
        Binding("up", "list_up", "Previous entity", show=False, id="filter-up"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="filter-clear"),
        Binding("ctrl+f", "focus_filter", "Filter entities", show=False, id="filter-focus"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="f or type: filter entities", id="entity-filter", select_on_focus=False)
        yield EntityList(id="entity-list")

    def on_mount(self) -> None:
        self.border_title = "Entities"
        self.query_one(Input).cursor_blink = False
        self._update_subtitle()

    @property
    def entity_list(self) -> EntityList:
        return self.query_one(EntityList)

    @property
    def filter_input(self) -> Input:
        return self.query_one(Input)

    def set_entities(self, entities: list[CorpusEntity], keep: str | None = None) -> None:
        self.entity_list.set_entities(entities, keep)
        self._update_subtitle()

    def select_entity(self, entity_id: str) -> bool:
        found = self.entity_list.select_entity(entity_id)
        if found and self.entity_list.query_text == "" and self.filter_input.value:
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = ""
        self._update_subtitle()
        return found

    def _update_subtitle(self) -> None:
        entity_list = self.entity_list
        shown = entity_list.shown_count
        total = len(entity_list.entities)
        counted = f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
        self.border_subtitle = Content(f"{counted} · by {entity_list.sort_by} (s)")

    @on(Input.Changed, "#entity-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.entity_list.filter(event.value)
        self._update_subtitle()

    @on(Input.Submitted, "#entity-filter")
    def _filter_submitted(self) -> None:
        self.entity_list.focus()
        self.entity_list.action_choose()

    @on(EntityList.FilterRequested)
    def _list_filter(self) -> None:
        self.action_focus_filter()

    @on(EntityList.FilterCleared)
    def _list_escape(self) -> None:
        self.action_clear_filter()

    def on_key(self, event: events.Key) -> None:
        # fzf-like: a printable key in the list that is not a binding starts the filter.
        if self.entity_list.has_focus and event.is_printable and event.character and event.character.strip() \
                and not self.entity_list.binds(event.key):
            event.stop()
            event.prevent_default()
            field = self.filter_input
            field.focus()
            field.value = field.value + event.character
            field.cursor_position = len(field.value)

    def action_list_down(self) -> None:
        self.entity_list.action_cursor_down()

    def action_list_up(self) -> None:
        self.entity_list.action_cursor_up()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    @dataclass
    class SelectionCleared(Message):
        """Escape with no filter: no entity selected any more (the mentions panel closes)."""

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        elif self.entity_list.has_focus:
            self.post_message(self.SelectionCleared())
        self.entity_list.focus()

    def on_entity_list_highlighted(self) -> None:
        entity_list = self.entity_list
        key = (entity_list.shown_count, len(entity_list.entities), entity_list.sort_by)
        if key != getattr(self, "_subtitle_key", None):
            self._subtitle_key = key
            self._update_subtitle()
