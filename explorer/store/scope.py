"""Scope by time: a period, which documents and events fall in it, and a reader limited to them.

A document's date is its published date; a document without one is dated by its
events (it is in a period when one of its events overlaps it); a document with
neither is in no period. An event is in a period when the time it covers
overlaps it (a month overlaps each of its days). ``--from 2009-12`` starts at the
first day of December 2009, ``--to 2009-12`` ends at its last.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from explorer.model import (
    ENTITY_TYPES,
    CorpusEntity,
    CorpusEvent,
    DocumentSummary,
    EntityType,
    MentionLine,
    StoredDocument,
    date_bounds,
)
from explorer.store.api import CorpusReader


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive first and last day; either may be open."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> Period | None:
        """The period of ``--from``/``--to`` values (YYYY, YYYY-MM or YYYY-MM-DD); ValueError when malformed."""
        if not start and not end:
            return None
        first = _bound(start, "--from", 0) if start else None
        last = _bound(end, "--to", 1) if end else None
        if first and last and first > last:
            raise ValueError(f"--from {start} is after --to {end}")
        return cls(first, last)

    def overlaps(self, first: date, last: date) -> bool:
        return (self.start is None or last >= self.start) and (self.end is None or first <= self.end)

    def holds(self, value: str | None) -> bool:
        """True when the ISO date ``value`` (any precision, a span) overlaps the period."""
        if not value:
            return False
        try:
            first, last, _ = date_bounds(value)
        except (ValueError, IndexError):
            return False
        return self.overlaps(first, last)

    def label(self) -> str:
        first = self.start.isoformat() if self.start else "…"
        last = self.end.isoformat() if self.end else "…"
        return f"{first} – {last}"


def _bound(value: str, option: str, which: int) -> date:
    try:
        return date_bounds(value.strip())[which]
    except (ValueError, IndexError):
        raise ValueError(f"{option}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def documents_in(reader: CorpusReader, period: Period) -> set[str]:
    """The documents dated in ``period`` (published date, else their events)."""
    found: set[str] = set()
    undated: set[str] = set()
    for summary in reader.documents():
        if summary.published:
            if period.holds(summary.published):
                found.add(summary.doc_id)
        elif summary.event_count:
            undated.add(summary.doc_id)
    if undated:
        for event in reader.events():
            if event.doc_id in undated and period.holds(event.date):
                found.add(event.doc_id)
                undated.discard(event.doc_id)
    return found


class ScopedReader:
    """A ``CorpusReader`` that sees only the documents (and events) of one period.

    Entity counts, mentions, events and co-occurrence are those of the documents in
    the period; an entity no document in it mentions is not listed. Anything else
    (``is_hidden``, ``lookup``, ``text``...) is the wrapped reader's.
    """

    def __init__(self, inner: Any, period: Period, doc_ids: set[str] | None = None) -> None:
        """``doc_ids``: the period's documents when already known (the same period over a reader
        with other corrections: corrections change entities, never documents or dates)."""
        self.inner = inner
        self.period = period
        self.doc_ids: set[str] = documents_in(inner, period) if doc_ids is None else doc_ids
        self._entities: dict[bool, list[CorpusEntity]] = {}

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)

    def over(self, inner: Any) -> ScopedReader:
        """The same period over ``inner``, the same store with other corrections.

        Corrections change no document or date, so the period's documents are this reader's;
        and they change only the entities they touch, so the entity counts are this reader's
        except for those (read again). A reader without ``changed_entities`` is counted afresh.
        """
        scoped = ScopedReader(inner, self.period, self.doc_ids)
        old_changed = getattr(self.inner, "changed_entities", None)
        new_changed = getattr(inner, "changed_entities", None)
        if old_changed is None or new_changed is None:
            return scoped
        touched = {entity.entity_id for entity in old_changed()} | {entity.entity_id for entity in new_changed()}
        for include_hidden, listed in self._entities.items():
            now = {entity.entity_id: entity for entity in
                   (inner.entities(include_hidden=True) if include_hidden else inner.entities())}
            # Listed now but not before by this reader's inner one: merged away or hidden before.
            listed_before = {entity.entity_id for entity in
                             (self.inner.entities(include_hidden=True) if include_hidden else self.inner.entities())}
            kept = [entity for entity in listed if entity.entity_id in now and entity.entity_id not in touched]
            again = [entity_id for entity_id in now if entity_id in touched or entity_id not in listed_before]
            recounted = [entity for entity in map(scoped._scoped, (now[entity_id] for entity_id in again))
                         if entity.doc_count]
            entities = kept + recounted
            entities.sort(key=lambda e: (-e.count, -e.doc_count, e.name.casefold()))
            scoped._entities[include_hidden] = entities
        return scoped

    @property
    def name(self) -> str:
        return self.inner.name

    def documents(self) -> list[DocumentSummary]:
        return [summary for summary in self.inner.documents() if summary.doc_id in self.doc_ids]

    def document(self, doc_id: str) -> StoredDocument:
        return self.inner.document(doc_id)

    def entity_document_counts(self, entity_id: str) -> dict[str, int]:
        return {doc: n for doc, n in self.inner.entity_document_counts(entity_id).items() if doc in self.doc_ids}

    def _scoped(self, entity: CorpusEntity) -> CorpusEntity:
        counts = self.entity_document_counts(entity.entity_id)
        return CorpusEntity(entity.entity_id, entity.name, entity.type, entity.aliases, entity.roles,
                            sum(counts.values()), len(counts))

    def entities(self, include_hidden: bool = False) -> list[CorpusEntity]:
        cached = self._entities.get(include_hidden)
        if cached is None:
            every = self.inner.entities(include_hidden=True) if include_hidden else self.inner.entities()
            cached = [entity for entity in map(self._scoped, every) if entity.doc_count]
            cached.sort(key=lambda e: (-e.count, -e.doc_count, e.name.casefold()))
            self._entities[include_hidden] = cached
        return list(cached)

    def entity(self, entity_id: str) -> CorpusEntity:
        return self._scoped(self.inner.entity(entity_id))

    def mentions(self, entity_id: str) -> list[MentionLine]:
        return [line for line in self.inner.mentions(entity_id) if line.doc_id in self.doc_ids]

    def events(self, entity_id: str | None = None) -> list[CorpusEvent]:
        return [event for event in self.inner.events(entity_id) if self.period.holds(event.date)]

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        return self.inner.sentences(doc_id)

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[CorpusEntity, int]]:
        from explorer.store.cooccurrence import most_shared_documents

        return most_shared_documents(self, entity_id, limit, doc_ids=self.doc_ids)

    def entity_type_counts(self) -> dict[EntityType, int]:
        counts: Counter[EntityType] = Counter(entity.type for entity in self.entities())
        return {type_: counts.get(type_, 0) for type_ in ENTITY_TYPES}
