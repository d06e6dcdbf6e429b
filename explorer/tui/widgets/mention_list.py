"""MentionList: keyword-in-context lines for every mention of one entity."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import BindingType
from textual.message import Message

from explorer.model import CorpusEntity, MentionLine
from explorer.textsafe import clip_around, clip_end, inert_line
from explorer.tui import keymap
from explorer.tui.styles import TYPE_CLASSES, type_class
from explorer.tui.widgets.virtual_list import VirtualList


def kwic(sentence: str, rel_start: int, rel_end: int, room: int) -> tuple[str, str, str]:
    """Cut ``sentence`` around the keyword, at word boundaries, so it sits in the middle of ``room`` cells."""
    return clip_around(inert_line(sentence), rel_start, rel_end, room)


class MentionList(VirtualList):
    """One row per mention: date, document title, and the sentence with the name marked."""

    BINDING_GROUP_TITLE = "Mentions"
    HELP = "Every mention of the selected entity. Enter opens the document at that mention."

    BINDINGS: list[BindingType] = keymap.bindings("mentions")  # type: ignore[assignment]

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | TYPE_CLASSES

    @dataclass
    class Chosen(Message):
        mention: MentionLine

    @dataclass
    class ExportRequested(Message):
        entity: CorpusEntity
        mentions: list[MentionLine]

    @dataclass
    class BackRequested(Message):
        pass

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entity: CorpusEntity | None = None
        self.mentions: list[MentionLine] = []
        self.empty_text = "Select an entity to see its mentions"

    def set_mentions(self, entity: CorpusEntity | None, mentions: list[MentionLine]) -> None:
        self.entity = entity
        self.mentions = mentions
        if entity is None:
            self.empty_text = "Select an entity to see its mentions"
        else:
            self.empty_text = f"No mentions of {inert_line(entity.name)} in the store"
        self.set_count(len(mentions), 0)
        self.refresh_bindings()

    @property
    def current(self) -> MentionLine | None:
        if 0 <= self.cursor < len(self.mentions):
            return self.mentions[self.cursor]
        return None

    def on_row_chosen(self, index: int) -> None:
        self.announce(self.Chosen(self.mentions[index]))

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        mention = self.mentions[index]
        date = (mention.published or "undated")[:10].ljust(10)
        title_room = max(12, min(32, width // 4))
        title = clip_end(inert_line(mention.doc_title) or mention.doc_id, title_room).ljust(title_room)
        room = max(10, width - len(date) - title_room - 4)
        left, key, right = kwic(
            mention.sentence, mention.start - mention.sentence_start, mention.end - mention.sentence_start, room
        )
        kind = self.entity.type if self.entity else "term"
        key_style = self.get_component_rich_style(type_class(kind))
        return [
            Segment(date + "  ", self.style("dim")),
            Segment(title + "  ", self.style("header")),
            Segment(left),
            Segment(key, key_style + self.style("match")),
            Segment(right),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "choose") and not self.mentions:
            return None  # shown dimmed: nothing to export or open
        return True

    def action_export(self) -> None:
        if self.entity is None or not self.mentions:
            return
        self.announce(self.ExportRequested(self.entity, self.mentions))

    def action_back(self) -> None:
        self.announce(self.BackRequested())
