"""HiddenScreen: the entities and names hidden as "not an entity"; enter shows one again (unhide)."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen

from explorer.model import CorpusEntity, Correction, EntityRef
from explorer.store.corrected import surface_key
from explorer.textsafe import inert_line
from explorer.tui import keymap
from explorer.tui.session import CorpusSession
from explorer.tui.styles import TYPE_CLASSES, type_class
from explorer.tui.widgets.virtual_list import VirtualList
from explorer.tui.wording import count

Row = CorpusEntity | str  # a hidden entity, or a name hidden wherever it appears


def hidden_rows(session: CorpusSession) -> list[Row]:
    """Names hidden everywhere first, then hidden entities (those hidden by such a name left out)."""
    corrected = session.corrected
    surfaces = corrected.hidden_surfaces()
    keys = {surface_key(surface) for surface in surfaces}
    entities = [entity for entity in corrected.changed_entities()
                if corrected.is_hidden(entity.entity_id) and surface_key(entity.name) not in keys]
    entities.sort(key=lambda entity: (-entity.count, entity.name.casefold()))
    return [*sorted(surfaces, key=str.casefold), *entities]


class HiddenList(VirtualList):
    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("hidden") if binding.id == "hidden-unhide"
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | TYPE_CLASSES

    def __init__(self, rows: list[Row], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows
        self.empty_text = "Nothing is hidden (H on an entity hides it)"

    def on_mount(self) -> None:
        self.set_count(len(self.rows))

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        row = self.rows[index]
        if isinstance(row, str):
            return [Segment(" ░ ", self.style("dim")), Segment(f"“{inert_line(row)}”"),
                    Segment("  wherever it appears", self.style("dim"))]
        return [Segment(" ● ", self.get_component_rich_style(type_class(row.type))), Segment(inert_line(row.name)),
                Segment(f"  {row.type} · {count(row.count, 'mention')} in {count(row.doc_count, 'document')}",
                        self.style("dim"))]

    def on_row_chosen(self, index: int) -> None:
        screen = self.screen
        if isinstance(screen, HiddenScreen):
            screen.action_choose()


class HiddenScreen(ModalScreen[Correction | None]):
    """Returns the ``unhide`` correction of the row chosen."""

    BINDING_GROUP_TITLE = "Hidden entities"
    BINDINGS: list[BindingType] = [  # type: ignore[assignment]
        binding for binding in keymap.bindings("hidden") if binding.id == "hidden-close"
    ]

    def __init__(self, session: CorpusSession) -> None:
        super().__init__()
        self.rows = hidden_rows(session)

    def compose(self) -> ComposeResult:
        with Vertical(id="hidden-box"):
            yield HiddenList(self.rows, id="hidden-list")

    def on_mount(self) -> None:
        box = self.query_one("#hidden-box")
        box.border_title = Content(f"Hidden · {len(self.rows):,}")
        box.border_subtitle = "enter unhide · esc back"
        self.query_one(HiddenList).focus()

    def action_choose(self) -> None:
        row = self.query_one(HiddenList).current
        if row is None:
            return
        if isinstance(row, str):
            self.dismiss(Correction("unhide", surface=row))
        else:
            self.dismiss(Correction("unhide", [EntityRef(row.name, row.type, list(row.aliases))]))

    def action_close(self) -> None:
        self.dismiss(None)
