"""MentionList: keyword-in-context lines for every mention of one entity."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.message import Message

from explorer.model import CorpusEntity, MentionLine
from explorer.textsafe import inert_line
from explorer.tui.styles import TYPE_CLASSES, type_class
from explorer.tui.widgets.virtual_list import VirtualList


def kwic(sentence: str, rel_start: int, rel_end: int, room: int) -> tuple[str, str, str]:
    """Cut ``sentence`` around the keyword so it sits in the middle of ``room`` cells."""
    sentence = inert_line(sentence)
    if not 0 <= rel_start < rel_end <= len(sentence):
        return sentence[:room], "", ""
    left, key, right = sentence[:rel_start], sentence[rel_start:rel_end], sentence[rel_end:]
    left = left.lstrip()
    room = max(room, len(key) + 2)
    side = max(0, (room - len(key)) // 2)
    if len(left) > side:
        left = "…" + left[len(left) - side + 1 :] if side > 0 else ""
    right_room = max(0, room - len(left) - len(key))
    if len(right) > right_room:
        right = right[: max(0, right_room - 1)] + "…" if right_room > 0 else ""
    return left, key, right


class MentionList(VirtualList):
    """One row per mention: date, document title, and the sentence with the name marked."""

    BINDING_GROUP_TITLE = "Mentions"
    HELP = "Every mention of the selected entity. Enter opens the document at that mention."

    BINDINGS: list[BindingType] = [
        Binding("enter", "choose", "Open at mention", tooltip="Open the document at this mention",
                id="mention-open"),
        Binding("x", "export", "Export mentions", tooltip="Export these mentions as a note",
                id="mention-export"),
        Binding("escape", "back", "Back to entities", show=False, id="mention-back"),
    ]

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
        title = inert_line(mention.doc_title) or mention.doc_id
        title = (title[: title_room - 1] + "…") if len(title) > title_room else title.ljust(title_room)
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

    def action_export(self) -> None:
        if self.entity is None or not self.mentions:
            self.notify("No mentions to export", severity="warning", markup=False)
            return
        self.announce(self.ExportRequested(self.entity, self.mentions))

    def action_back(self) -> None:
        self.announce(self.BackRequested())
