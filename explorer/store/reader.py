"""``CorpusStore``: the TinyDB store opened for reading, behind the ``CorpusReader`` contract.

The whole store is read once (one orjson parse through TinyDB) and kept as
plain rows; each document's extraction (entities with mention offsets,
sentences) and events stay JSON strings until that document is asked for, and lists the
interface asks for repeatedly (entities, all events) are built once. The file
is not held open, so an indexer can replace it meanwhile; ``open_store``
again to see the new state.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb import TinyDB

from explorer.model import (
    ENTITY_TYPES,
    CorpusEntity,
    CorpusEvent,
    DocumentSummary,
    EntityType,
    Event,
    MentionLine,
    StoredDocument,
)
from explorer.store.api import StoreError
from explorer.store.schema import (
    DOCUMENTS,
    E_OFFSETS,
    E_TYPE,
    ENTITIES,
    EVENTS,
    META,
    SCHEMA_VERSION,
    SKIPPED,
    V_DATE,
    V_END,
    V_SORT,
    V_START,
    V_TEXT,
    decode_events,
    decode_extraction,
    decoded_sentences,
    event_sentence,
)
from explorer.store.sentences import PassageSource, sentence_at
from explorer.store.storage import AtomicJSONStorage, gc_paused

if TYPE_CHECKING:
    from explorer.store.cooccurrence import Cooccurrence, CooccurrenceArrays

_DECODED_KEPT = 256  # decoded extractions kept (the documents being read, a mention list's worth)
# (entities, corpus entity ids, sentence spans) of one document
_Decoded = tuple[list[list[Any]], list[str], list[tuple[int, int]]]


class CorpusStore:
    """Read access to an indexed corpus (satisfies ``explorer.store.api.CorpusReader``)."""

    def __init__(self, path: Path, tables: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.meta: dict[str, Any] = next(iter(tables[META].values()))
        self._docs: dict[str, dict[str, Any]] = {row["id"]: row for row in tables[DOCUMENTS].values()}
        self._entity_rows: dict[str, dict[str, Any]] = {row["id"]: row for row in tables[ENTITIES].values()}
        self._event_rows: dict[str, dict[str, Any]] = {row["doc"]: row for row in tables[EVENTS].values()}
        self._skipped = [(row["path"], row["reason"]) for row in tables.get(SKIPPED, {}).values()]
        self._entities: dict[str, CorpusEntity] | None = None
        self._all_events: list[CorpusEvent] | None = None
        self._decoded: OrderedDict[str, _Decoded] = OrderedDict()
        # The interface reads from worker threads and the UI thread at once.
        self._decoded_lock = threading.Lock()
        self._cooccurrence_arrays: CooccurrenceArrays | None = None

    # -- identity --------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return str(self.meta.get("name") or self.path.stem)

    @property
    def generation(self) -> str:
        """Changes on every write of the store; caches derived from it key on this."""
        return str(self.meta.get("generation", ""))

    @property
    def roots(self) -> list[Path]:
        return [Path(root) for root in self.meta.get("roots", [])]

    @property
    def extractor_version(self) -> str:
        return str(self.meta.get("extractor", ""))

    def skipped(self) -> list[tuple[str, str]]:
        """(path, reason) of files the last index run could not read."""
        return list(self._skipped)

    # -- documents -------------------------------------------------------------------------

    def _summary(self, row: dict[str, Any]) -> DocumentSummary:
        return DocumentSummary(
            doc_id=row["id"],
            path=row["path"],
            title=row["title"],
            author=row["author"],
            published=row["published"],
            format=row["format"],
            entity_count=row["entity_count"],
            event_count=row["event_count"],
            container=row.get("container"),
            properties=row.get("properties") or {},
        )

    def _row(self, doc_id: str) -> dict[str, Any]:
        try:
            return self._docs[doc_id]
        except KeyError:
            raise KeyError(f"no document {doc_id!r} in {self.path}") from None

    def _extraction(self, doc_id: str) -> _Decoded:
        """(entities, entity ids, sentences) of a document, decoded on first use."""
        with self._decoded_lock:
            decoded = self._decoded.get(doc_id)
            if decoded is not None:
                self._decoded.move_to_end(doc_id)
                return decoded
        row = self._row(doc_id)
        raw = decode_extraction(row)
        decoded = (raw["entities"], row["entity_ids"].split(), decoded_sentences(raw))
        with self._decoded_lock:
            self._decoded[doc_id] = decoded
            if len(self._decoded) > _DECODED_KEPT:
                self._decoded.popitem(last=False)
        return decoded

    def documents(self) -> list[DocumentSummary]:
        return [self._summary(row) for row in self._docs.values()]

    def document_ids(self) -> list[str]:
        return list(self._docs)

    def document(self, doc_id: str) -> StoredDocument:
        row = self._row(doc_id)
        events = self._events_in(doc_id)
        return StoredDocument(
            summary=self._summary(row),
            text=row["text"],
            furniture=[(s, e) for s, e in row["furniture"]],
            pages=list(row["pages"]),
            spans=self._spans(doc_id),
            events=[Event(v[V_DATE], v[V_TEXT], v[V_START], v[V_END], event_sentence(v, row["text"]))
                    for v in events],
        )

    def passage_sources(self) -> Iterator[PassageSource]:
        """Every document as passage search indexes it: ids, text, furniture and sentences."""
        for row in self._docs.values():
            yield PassageSource(row["id"], row["path"], row["title"] or Path(row["path"]).name, row["text"],
                                [(s, e) for s, e in row["furniture"]],
                                self._extraction(row["id"])[2] if row["id"] in self._decoded
                                else decoded_sentences(decode_extraction(row)))

    def text(self, doc_id: str) -> str:
        return self._row(doc_id)["text"]

    def title(self, doc_id: str) -> str:
        row = self._row(doc_id)
        return row["title"] or Path(row["path"]).name

    def _spans(self, doc_id: str) -> list[tuple[int, int, str, EntityType]]:
        entities, ids, _ = self._extraction(doc_id)
        spans = []
        for entity, entity_id in zip(entities, ids, strict=True):
            offsets = entity[E_OFFSETS]
            for i in range(0, len(offsets), 2):
                spans.append((offsets[i], offsets[i + 1], entity_id, entity[E_TYPE]))
        # Longest first at one start; anything overlapping a kept span is dropped.
        spans.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int, str, EntityType]] = []
        end = -1
        for span in spans:
            if span[0] >= end:
                kept.append(span)
                end = span[1]
        return kept

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        """Sentence spans of a document's text."""
        return self._extraction(doc_id)[2]

    # -- entities --------------------------------------------------------------------------

    def _entity_map(self) -> dict[str, CorpusEntity]:
        if self._entities is None:
            self._entities = {
                row["id"]: CorpusEntity(
                    entity_id=row["id"],
                    name=row["name"],
                    type=row["type"],
                    aliases=row["aliases"],
                    roles=row["roles"],
                    count=row["count"],
                    doc_count=len(row["docs"]),
                )
                for row in self._entity_rows.values()
            }
        return self._entities

    def entities(self) -> list[CorpusEntity]:
        # Stored most mentioned first.
        return list(self._entity_map().values())

    def entity(self, entity_id: str) -> CorpusEntity:
        try:
            return self._entity_map()[entity_id]
        except KeyError:
            raise KeyError(f"no entity {entity_id!r} in {self.path}") from None

    def _entity_row(self, entity_id: str) -> dict[str, Any]:
        try:
            return self._entity_rows[entity_id]
        except KeyError:
            raise KeyError(f"no entity {entity_id!r} in {self.path}") from None

    def entity_document_counts(self, entity_id: str) -> dict[str, int]:
        """The documents of an entity, with how many of its mentions each holds."""
        return dict(self._entity_row(entity_id)["docs"])

    def entity_documents(self, entity_id: str) -> dict[str, list[tuple[int, int]]]:
        """The documents of an entity with the (start, end) of each mention, sorted."""
        return {doc_id: self._offsets_in(doc_id, entity_id) for doc_id in self._entity_row(entity_id)["docs"]}

    def entity_anchors(self) -> dict[str, tuple[str, int, int]]:
        """For every entity: the document that mentions it most (the first by path on a tie)
        and its first mention there, as (doc_id, start, end)."""
        wanted: dict[str, set[str]] = {}
        for entity_id, row in self._entity_rows.items():
            docs = row["docs"]
            if docs:
                best = min(docs, key=lambda d: (-docs[d], self._docs[d]["path"]))
                wanted.setdefault(best, set()).add(entity_id)
        anchors: dict[str, tuple[str, int, int]] = {}
        with gc_paused():
            for doc_id, entity_ids in wanted.items():
                row = self._docs[doc_id]
                entities = decode_extraction(row)["entities"]
                for entity, local_id in zip(entities, row["entity_ids"].split(), strict=True):
                    offsets = entity[E_OFFSETS]
                    if local_id in entity_ids and offsets:
                        start, end = min(zip(offsets[::2], offsets[1::2], strict=True))
                        if local_id not in anchors or start < anchors[local_id][1]:
                            anchors[local_id] = (doc_id, start, end)
        return anchors

    def _offsets_in(self, doc_id: str, entity_id: str) -> list[tuple[int, int]]:
        entities, ids, _ = self._extraction(doc_id)
        pairs: set[tuple[int, int]] = set()
        for entity, local_id in zip(entities, ids, strict=True):
            if local_id == entity_id:
                flat = entity[E_OFFSETS]
                pairs.update(zip(flat[::2], flat[1::2], strict=True))
        return sorted(pairs)

    def mentions(self, entity_id: str) -> list[MentionLine]:
        docs = self._entity_row(entity_id)["docs"]
        ordered = sorted(docs, key=lambda d: (self._docs[d]["published"] or "9999", self._docs[d]["path"]))
        lines: list[MentionLine] = []
        for doc_id in ordered:
            row = self._docs[doc_id]
            text = row["text"]
            spans = self._extraction(doc_id)[2]
            starts = [start for start, _ in spans]
            title = row["title"] or Path(row["path"]).name
            for start, end in self._offsets_in(doc_id, entity_id):
                s_start, s_end = sentence_at(spans, starts, start)
                s_end = max(s_end, end)  # a mention never sticks out of its line
                s_start = min(s_start, start)
                lines.append(MentionLine(entity_id, doc_id, title, row["published"], start, end,
                                         text[s_start:s_end], s_start))
        return lines

    def events(self, entity_id: str | None = None) -> list[CorpusEvent]:
        if entity_id is None:
            if self._all_events is None:
                with gc_paused():
                    self._all_events = self._events_of(self._docs)
            return list(self._all_events)
        return self._events_of(self._entity_row(entity_id)["docs"])

    def _events_of(self, doc_ids: Any) -> list[CorpusEvent]:
        keyed: list[tuple[int, str, int, CorpusEvent]] = []
        for doc_id in doc_ids:
            row = self._docs[doc_id]
            if not row["event_count"]:
                continue
            title = row["title"] or Path(row["path"]).name
            for v in self._events_in(doc_id):
                event = CorpusEvent(doc_id, v[V_DATE], v[V_TEXT], v[V_START], v[V_END],
                                    event_sentence(v, row["text"]), title)
                keyed.append((v[V_SORT], row["path"], v[V_START], event))
        keyed.sort(key=lambda k: k[:3])
        return [k[3] for k in keyed]

    def _events_in(self, doc_id: str) -> list[list[Any]]:
        row = self._event_rows.get(doc_id)
        return decode_events(row) if row is not None else []

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[CorpusEntity, int]]:
        row = self._entity_row(entity_id)
        entities = self._entity_map()
        stored = [(other, int(n)) for other, _, n in (pair.rpartition(":") for pair in row["cooccurring"].split())]
        if limit <= len(stored) or len(stored) < 20:
            return [(entities[other], n) for other, n in stored[:limit]]
        # More than the store keeps: count from the documents.
        shared: Counter[str] = Counter()
        for doc_id in row["docs"]:
            shared.update(set(self._docs[doc_id]["entity_ids"].split()))
        shared.pop(entity_id, None)
        return [(entities[other], n) for other, n in shared.most_common(limit)]

    def cooccurrence_arrays(self) -> CooccurrenceArrays:
        """Which entity is mentioned in which sentence of every document, as arrays.

        Built from every document's extraction on first use (kept beside the store for
        its generation); a store that keeps them as it indexes would skip this.
        """
        if self._cooccurrence_arrays is None:
            from explorer.store.cooccurrence import CooccurrenceArrays, cached_arrays

            def documents() -> Iterator[tuple[str, list[str], list[list[int]], list[tuple[int, int]]]]:
                for row in self._docs.values():
                    raw = decode_extraction(row)
                    yield (row["id"], row["entity_ids"].split(), [entity[E_OFFSETS] for entity in raw["entities"]],
                           decoded_sentences(raw))

            def build() -> CooccurrenceArrays:
                with gc_paused():
                    return CooccurrenceArrays.build([entity.entity_id for entity in self.entities()], documents())

            self._cooccurrence_arrays = cached_arrays(self.path, self.generation, build)
        return self._cooccurrence_arrays

    def cooccurrence(self, entity_id: str, doc_ids: Iterable[str] | None = None) -> Cooccurrence:
        """Sentences and documents ``entity_id`` shares with each other entity (in ``doc_ids`` if given)."""
        arrays = self.cooccurrence_arrays()
        index = arrays.entity_index().get(entity_id)
        if index is None:
            raise KeyError(f"no entity {entity_id!r} in {self.path}")
        return arrays.count([index], doc_allowed=None if doc_ids is None else arrays.doc_mask(doc_ids))

    def entity_type_counts(self) -> dict[EntityType, int]:
        counts: dict[EntityType, int] = dict.fromkeys(ENTITY_TYPES, 0)
        for row in self._entity_rows.values():
            counts[row["type"]] = counts.get(row["type"], 0) + 1
        return counts


def open_store(db_path: Path) -> CorpusStore:
    """Open a store for reading; ``StoreError`` if it is missing, corrupt or from another version."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreError(f"no store at {db_path}; run `explorer index` first", db_path)
    db = TinyDB(db_path, storage=AtomicJSONStorage, access_mode="r")
    try:
        tables = db.storage.read()
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc.msg}); rebuild it with `explorer index --rebuild`",
                         db_path, can_rebuild=True) from exc
    except OSError as exc:
        raise StoreError(f"cannot read the store {db_path}: {exc.strerror or exc}", db_path) from exc
    finally:
        db.close()
    if not isinstance(tables, dict) or not tables.get(META):
        raise StoreError(f"{db_path} is not an explorer store", db_path, can_rebuild=True)
    meta = next(iter(tables[META].values()))
    if meta.get("schema") != SCHEMA_VERSION:
        raise StoreError(f"the store {db_path} has schema {meta.get('schema')}, this explorer reads "
                         f"{SCHEMA_VERSION}; re-index to rebuild it", db_path, can_rebuild=True)
    with gc_paused():  # many small objects, no cycles
        return CorpusStore(db_path, tables)
