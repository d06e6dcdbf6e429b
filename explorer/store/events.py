"""Dated events read from the store's arrays: a million events listed without decoding a record.

``CorpusStore.events`` builds its list from the pack's ``event_*`` arrays (written in
reading order by ``builder.event_arrays``). Each item is a ``StoredEvent``: a
``CorpusEvent`` whose document id, date, offsets and title are set at once and whose
text and sentence are read from its document's record the first time they are asked
for (the timeline shows a screenful of them, not a million).
"""

from __future__ import annotations

from typing import Any, Protocol

from explorer.model import CorpusEvent

# The dataclass's slot descriptors, which the properties below read and write beneath their names.
_TEXT: Any = CorpusEvent.__dict__["text"]
_SENTENCE: Any = CorpusEvent.__dict__["sentence"]
_FIELDS = ("doc_id", "date", "text", "start", "end", "sentence", "doc_title")


class EventSource(Protocol):
    def event_text_and_sentence(self, doc_id: str, date: str, start: int, end: int) -> tuple[str, str]: ...


class StoredEvent(CorpusEvent):
    """A ``CorpusEvent`` whose text and sentence are read from its document when first asked for.

    Made by ``event_class`` for one store (the store is a class attribute: a million events
    carry no reference each). Equal to a ``CorpusEvent`` with the same fields;
    ``dataclasses.replace`` gives a plain one's behaviour (``CorpusEvent.__init__`` sets every field).
    """

    __slots__ = ()
    _source: EventSource

    def _load(self) -> None:
        text, sentence = self._source.event_text_and_sentence(self.doc_id, self.date, self.start, self.end)
        _TEXT.__set__(self, text)
        _SENTENCE.__set__(self, sentence)

    @property  # type: ignore[override]
    def text(self) -> str:
        try:
            return str(_TEXT.__get__(self))
        except AttributeError:
            self._load()
            return str(_TEXT.__get__(self))

    @text.setter
    def text(self, value: str) -> None:
        _TEXT.__set__(self, value)

    @property  # type: ignore[override]
    def sentence(self) -> str:
        try:
            return str(_SENTENCE.__get__(self))
        except AttributeError:
            self._load()
            return str(_SENTENCE.__get__(self))

    @sentence.setter
    def sentence(self, value: str) -> None:
        _SENTENCE.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CorpusEvent):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _FIELDS)

    __hash__ = None  # type: ignore[assignment]  # as a CorpusEvent's (a mutable dataclass)

    def __repr__(self) -> str:
        return (f"StoredEvent(doc_id={self.doc_id!r}, date={self.date!r}, start={self.start!r}, end={self.end!r}, "
                f"doc_title={self.doc_title!r})")


def event_class(source: EventSource) -> type[StoredEvent]:
    """The ``StoredEvent`` class of one store."""
    return type("StoredEvent", (StoredEvent,), {"__slots__": (), "_source": source})


def stored_events(kind: type[StoredEvent], doc_ids: list[str], dates: list[str], starts: list[int],
                  ends: list[int], titles: list[str]) -> list[CorpusEvent]:
    """Events of ``kind`` for parallel lists (the strings shared between events of a document or a date)."""
    new = object.__new__
    events: list[CorpusEvent] = []
    append = events.append
    for doc_id, date, start, end, title in zip(doc_ids, dates, starts, ends, titles, strict=True):
        event = new(kind)
        event.doc_id = doc_id
        event.date = date
        event.start = start
        event.end = end
        event.doc_title = title
        append(event)
    return events
