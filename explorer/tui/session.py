"""What the interface holds of an open corpus: the reader, its lists, and the search index.

Loaded in a worker thread (``CorpusSession.load``) so the first frame never waits
for the store. Nothing here parses text or knows about TinyDB: it only calls
``CorpusReader`` and ``SearchIndex``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from explorer.corpus import Searcher
from explorer.model import CorpusEntity, CorpusEvent, DocumentSummary, EntityType, Skipped
from explorer.tui.timeline_data import TimelineData, build_timeline
from explorer.tui.wording import count

if TYPE_CHECKING:
    from explorer.store.api import CorpusReader


@dataclass
class CorpusSession:
    name: str
    reader: CorpusReader
    documents: list[DocumentSummary]
    entities: list[CorpusEntity]
    events: list[CorpusEvent]
    type_counts: dict[EntityType, int]
    doc_by_id: dict[str, DocumentSummary] = field(default_factory=dict)
    entity_by_id: dict[str, CorpusEntity] = field(default_factory=dict)
    search: Searcher | None = None
    timeline: TimelineData = field(default_factory=TimelineData)
    skipped: tuple[Skipped, ...] = ()

    @classmethod
    def load(cls, reader: CorpusReader, search: Searcher | None = None,
             skipped: tuple[Skipped, ...] = ()) -> CorpusSession:
        documents = reader.documents()
        entities = reader.entities()
        events = reader.events()
        try:
            type_counts = dict(reader.entity_type_counts())
        except Exception:
            type_counts = dict(Counter(entity.type for entity in entities))
        return cls(
            name=reader.name,
            reader=reader,
            documents=documents,
            entities=entities,
            events=events,
            type_counts=type_counts,
            doc_by_id={doc.doc_id: doc for doc in documents},
            entity_by_id={entity.entity_id: entity for entity in entities},
            search=search,
            timeline=build_timeline(events),
            skipped=skipped,
        )

    @property
    def paths(self) -> dict[str, str]:
        return {doc_id: doc.path for doc_id, doc in self.doc_by_id.items()}

    def counts_line(self) -> str:
        return " · ".join((count(len(self.documents), "document"), count(len(self.entities), "entity"),
                           count(len(self.events), "event")))
