"""Names shared by the widgets: entity type labels and the component classes that colour them."""

from __future__ import annotations

from explorer.model import ENTITY_TYPES, EntityType

TYPE_LABELS: dict[str, str] = {
    "person": "People",
    "organization": "Organisations",
    "place": "Places",
    "term": "Terms",
}
TYPE_SHORT: dict[str, str] = {"person": "person", "organization": "org", "place": "place", "term": "term"}
TYPE_CLASSES: set[str] = {f"type--{kind}" for kind in ENTITY_TYPES} | {"type--date"}


def type_class(kind: EntityType | str | None) -> str:
    return f"type--{kind}" if kind in ENTITY_TYPES else "type--term"
