"""``CorpusStore``: a store opened for reading, behind the ``CorpusReader`` contract.

Opening reads the root (a few hundred bytes) and memory-maps the arrays; a
table is read the first time it is needed (the entity list reads the entities
table only), a document's record when that document is shown, searched or
quoted. So the cost of a question follows its answer, not the corpus: the
first screen of a 100,000-document store reads the entity table and one
record. The files stay open (descriptors and maps), so an indexer replacing the
store meanwhile does not disturb this reader; ``open_store`` again to see the
new state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from explorer.gcpause import gc_paused
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
    META,
    SCHEMA_VERSION,
    SKIPPED,
    V_DATE,
    V_END,
    V_SORT,
    V_START,
    decode_record,
    event_sentence,
    event_text,
    sentence_pairs,
)
from explorer.store.sentences import PassageSource, sentence_at
from explorer.store.storage import (
    StoreFormatError,
    StoreTables,
    StringTable,
    open_tables,
    read_pack,
)

if TYPE_CHECKING:
    from explorer.store.cooccurrence import Cooccurrence, CooccurrenceArrays

_RECORDS_KEPT = 256  # decoded records kept (the documents being read, a mention list's worth)


def _lookup(values: np.ndarray, order: np.ndarray, key: str) -> int:
    """Position of ``key`` in ``values`` (fixed-width bytes) through its sort ``order``; -1 if absent."""
    encoded = key.encode("utf-8", "surrogatepass")
    if not encoded or len(encoded) > values.dtype.itemsize:
        return -1
    position = int(np.searchsorted(values, encoded, sorter=order))
    if position < len(order) and values[order[position]] == encoded:
        return int(order[position])
    return -1


class CorpusStore:
    """Read access to an indexed corpus (satisfies ``CorpusReader`` and ``SearchableCorpus``)."""

    def __init__(self, path: Path, tables: StoreTables) -> None:
        self.path = path
        self._tables = tables
        self.meta: dict[str, Any] = next(iter(tables[META].values()))
        self._pack = read_pack(tables.opened(self.meta["pack"]).map())
        self._segment_files = [tables.opened(segment["file"]) for segment in self.meta["segments"]]
        self._segment_maps: list[Any] = [None] * len(self._segment_files)
        pack = self._pack
        self.paths = StringTable(pack["doc_path_blob"], pack["doc_path_ends"])
        self.titles = StringTable(pack["doc_title_blob"], pack["doc_title_ends"])
        self._entities: list[CorpusEntity] | None = None
        self._documents: list[DocumentSummary] | None = None
        self._records: OrderedDict[int, dict[str, Any]] = OrderedDict()
        # The interface reads from worker threads and the UI thread at once.
        self._lock = threading.Lock()
        self._cooccurrence_arrays: CooccurrenceArrays | None = None
        self._event_class: type | None = None  # events.StoredEvent for this store, made on first use
        self._event_texts: dict[int, dict[tuple[str, int, int], tuple[str, str]]] = {}  # by slot, as asked for

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
        return [(row["path"], row["reason"]) for row in self._table(SKIPPED).values()]

    def _table(self, name: str) -> dict[str, Any]:
        try:
            return self._tables.get(name, {})
        except StoreFormatError as exc:
            raise StoreError(f"the store {self.path} is corrupt ({exc}); rebuild it with `explorer index --rebuild`",
                             self.path, can_rebuild=True) from exc

    # -- documents -------------------------------------------------------------------------

    def _doc_id(self, slot: int) -> str:
        return self._pack["doc_id"][slot].decode()

    def _slot(self, doc_id: str) -> int:
        slot = _lookup(self._pack["doc_id"], self._pack["doc_id_order"], doc_id)
        if slot < 0:
            raise KeyError(f"no document {doc_id!r} in {self.path}")
        return slot

    def _record(self, slot: int) -> dict[str, Any]:
        """A document's record (text, entities, sentences, events), read on first use."""
        with self._lock:
            record = self._records.get(slot)
            if record is not None:
                self._records.move_to_end(slot)
                return record
        pack = self._pack
        segment = int(pack["doc_seg"][slot])
        if segment < 0:
            raise KeyError(f"no document in slot {slot} of {self.path}")
        with self._lock:
            mapped = self._segment_maps[segment]
            if mapped is None:
                mapped = self._segment_maps[segment] = self._segment_files[segment].map()
        start = int(pack["doc_off"][slot])
        data = memoryview(mapped)[start : start + int(pack["doc_size"][slot])]
        try:
            record = decode_record(data, int(pack["doc_head"][slot]))
        except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"the store {self.path} is corrupt (document record: {exc}); rebuild it with "
                             "`explorer index --rebuild`", self.path, can_rebuild=True) from exc
        with self._lock:
            self._records[slot] = record
            if len(self._records) > _RECORDS_KEPT:
                self._records.popitem(last=False)
        return record

    def _summary(self, row: dict[str, Any], slot: int) -> DocumentSummary:
        return DocumentSummary(
            doc_id=self._doc_id(slot),
            path=self.paths[slot],
            title=row["title"],
            author=row["author"],
            published=row["published"],
            format=row["format"],
            entity_count=int(self._pack["doc_entities"][slot]),
            event_count=int(self._pack["doc_events"][slot]),
            container=row.get("container"),
            properties=row.get("properties") or {},
        )

    def documents(self) -> list[DocumentSummary]:
        """Every document, by path."""
        with self._lock:
            if self._documents is None:
                with gc_paused():
                    self._documents = [self._summary(row, row["slot"]) for row in self._table(DOCUMENTS).values()]
                self._tables.forget(DOCUMENTS)  # the summaries say it all; the rows need not stay too
            return list(self._documents)

    def document_ids(self) -> list[str]:
        return [self._pack["doc_id"][slot].decode() for slot in self._pack["doc_path_order"].tolist()]

    def document_count(self) -> int:
        return len(self._pack["doc_path_order"])

    def document(self, doc_id: str) -> StoredDocument:
        slot = self._slot(doc_id)
        record = self._record(slot)
        text = record["text"]
        return StoredDocument(
            summary=self._summary(record, slot),
            text=text,
            furniture=[(s, e) for s, e in record["furniture"]],
            pages=list(record["pages"]),
            spans=self._spans(slot, record),
            events=[Event(v[V_DATE], event_text(v, text), v[V_START], v[V_END], event_sentence(v, text))
                    for v in record["events"]],
        )

    def _local_ranks(self, slot: int) -> np.ndarray:
        """The corpus entity (by rank) of each of a document's own entities."""
        pack = self._pack
        start, end = int(pack["slot_local_start"][slot]), int(pack["slot_local_start"][slot + 1])
        return pack["node_entity"][pack["local_node"][start:end]]

    def _entity_id(self, rank: int) -> str:
        return self._pack["entity_id"][rank].decode()

    def _spans(self, slot: int, record: dict[str, Any]) -> list[tuple[int, int, str, EntityType]]:
        spans = []
        for entity, rank in zip(record["entities"], self._local_ranks(slot).tolist(), strict=True):
            offsets = entity[E_OFFSETS]
            entity_id = self._entity_id(rank)
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

    def passage_sources(self, doc_ids: Sequence[str] | None = None) -> Iterator[PassageSource]:
        """Documents as passage search indexes them (all, by path, unless ``doc_ids`` are given)."""
        slots = self._pack["doc_path_order"].tolist() if doc_ids is None else [self._slot(d) for d in doc_ids]
        for slot in slots:
            record = self._record_uncached(slot)
            yield PassageSource(self._doc_id(slot), self.paths[slot], self.titles[slot], record["text"],
                                [(s, e) for s, e in record["furniture"]], sentence_pairs(record["sentences"]))

    def _record_uncached(self, slot: int) -> dict[str, Any]:
        """A record for a pass over many documents: read, not mapped, so the pass leaves no pages in this
        process's memory (the system's file cache keeps them)."""
        with self._lock:
            record = self._records.get(slot)
        if record is not None:
            return record
        pack = self._pack
        segment = int(pack["doc_seg"][slot])
        if segment < 0:
            raise KeyError(f"no document in slot {slot} of {self.path}")
        data = self._segment_files[segment].pread(int(pack["doc_off"][slot]), int(pack["doc_size"][slot]))
        try:
            return decode_record(data, int(pack["doc_head"][slot]))
        except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"the store {self.path} is corrupt (document record: {exc}); rebuild it with "
                             "`explorer index --rebuild`", self.path, can_rebuild=True) from exc

    def document_revisions(self) -> tuple[list[str], np.ndarray]:
        """Every document's id (by path) and the index run that last extracted it: what changed since a cache."""
        order = self._pack["doc_path_order"]
        return [v.decode() for v in self._pack["doc_id"][order].tolist()], self._pack["doc_rev"][order]

    def text(self, doc_id: str) -> str:
        return self._record(self._slot(doc_id))["text"]

    def title(self, doc_id: str) -> str:
        return self.titles[self._slot(doc_id)]

    def path_of(self, doc_id: str) -> str:
        return self.paths[self._slot(doc_id)]

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        """Sentence spans of a document's text."""
        return sentence_pairs(self._record(self._slot(doc_id))["sentences"])

    # -- entities --------------------------------------------------------------------------

    def entities(self) -> list[CorpusEntity]:
        """Every corpus entity, most mentioned first."""
        if self._entities is None:
            with gc_paused():
                self._entities = [
                    CorpusEntity(row["id"], row["name"], row["type"], row["aliases"], row["roles"], row["count"],
                                 row["docs"])
                    for row in self._table(ENTITIES).values()
                ]
            self._tables.forget(ENTITIES)
        return list(self._entities)

    def entity_count(self) -> int:
        return len(self._pack["entity_id"])

    def _rank(self, entity_id: str) -> int:
        rank = _lookup(self._pack["entity_id"], self._pack["entity_id_order"], entity_id)
        if rank < 0:
            raise KeyError(f"no entity {entity_id!r} in {self.path}")
        return rank

    def entity(self, entity_id: str) -> CorpusEntity:
        rank = self._rank(entity_id)
        if self._entities is None:
            self.entities()
        assert self._entities is not None
        return self._entities[rank]

    def _entity_slots(self, rank: int) -> tuple[np.ndarray, np.ndarray]:
        pack = self._pack
        start, end = int(pack["entity_doc_start"][rank]), int(pack["entity_doc_start"][rank + 1])
        return pack["entity_doc"][start:end], pack["entity_doc_mentions"][start:end]

    def _offsets_in(self, slot: int, record: dict[str, Any], rank: int) -> list[tuple[int, int]]:
        pairs: set[tuple[int, int]] = set()
        for entity, local_rank in zip(record["entities"], self._local_ranks(slot).tolist(), strict=True):
            if local_rank == rank:
                flat = entity[E_OFFSETS]
                pairs.update(zip(flat[::2], flat[1::2], strict=True))
        return sorted(pairs)

    def entity_document_counts(self, entity_id: str) -> dict[str, int]:
        """The documents of an entity, with how many of its mentions each holds."""
        slots, counts = self._entity_slots(self._rank(entity_id))
        return {self._doc_id(slot): count for slot, count in zip(slots.tolist(), counts.tolist(), strict=True)}

    def entity_documents(self, entity_id: str) -> dict[str, list[tuple[int, int]]]:
        """The documents of an entity with the (start, end) of each mention, sorted."""
        rank = self._rank(entity_id)
        slots, _ = self._entity_slots(rank)
        found = {}
        for slot in slots.tolist():
            found[self._doc_id(slot)] = self._offsets_in(slot, self._record(slot), rank)
        return found

    def entity_anchor_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per entity (by rank): the slot of the document mentioning it most (-1: none) and its first mention there."""
        pack = self._pack
        return pack["entity_anchor_slot"], pack["entity_anchor_start"], pack["entity_anchor_end"]

    def anchor(self, entity_id: str) -> tuple[str, int, int] | None:
        """(doc_id, start, end) of an entity's first mention in the document mentioning it most."""
        rank = self._rank(entity_id)
        slots, starts, ends = self.entity_anchor_arrays()
        slot = int(slots[rank])
        return (self._doc_id(slot), int(starts[rank]), int(ends[rank])) if slot >= 0 else None

    def entity_anchors(self) -> dict[str, tuple[str, int, int]]:
        """For every entity: the document that mentions it most (the first by path on a tie)
        and its first mention there, as (doc_id, start, end)."""
        slots, starts, ends = self.entity_anchor_arrays()
        ids = self._pack["entity_id"]
        doc_ids = self._pack["doc_id"]
        return {ids[rank].decode(): (doc_ids[slot].decode(), int(starts[rank]), int(ends[rank]))
                for rank, slot in enumerate(slots.tolist()) if slot >= 0}

    def mentions(self, entity_id: str) -> list[MentionLine]:
        """Keyword-in-context lines for every mention of an entity, by document date."""
        rank = self._rank(entity_id)
        slots, _ = self._entity_slots(rank)
        pack = self._pack
        published = pack["doc_published"][slots]
        ordered = sorted(zip(published.tolist(), pack["doc_path_rank"][slots].tolist(), slots.tolist(), strict=True),
                         key=lambda k: (k[0] or b"9999", k[1]))
        lines: list[MentionLine] = []
        for date, _, slot in ordered:
            record = self._record(slot)
            text = record["text"]
            spans = sentence_pairs(record["sentences"])
            starts = [start for start, _ in spans]
            title = self.titles[slot]
            doc_id = self._doc_id(slot)
            for start, end in self._offsets_in(slot, record, rank):
                s_start, s_end = sentence_at(spans, starts, start)
                s_end = max(s_end, end)  # a mention never sticks out of its line
                s_start = min(s_start, start)
                lines.append(MentionLine(entity_id, doc_id, title, date.decode() or None, start, end,
                                         text[s_start:s_end], s_start))
        return lines

    def events(self, entity_id: str | None = None) -> list[CorpusEvent]:
        """Dated events, sorted by date; only those of documents mentioning ``entity_id`` if given.

        Read from the pack's event arrays (no record decoded; an event's text and sentence are
        read when asked for); a store written before they existed decodes every record.
        """
        pack = self._pack
        if "event_slot" in pack:
            return self._events_from_arrays(entity_id)
        if entity_id is None:
            slots = pack["doc_path_order"]
        else:
            slots = np.sort(self._entity_slots(self._rank(entity_id))[0])
        slots = slots[pack["doc_events"][slots] > 0]
        keyed: list[tuple[int, int, int, CorpusEvent]] = []
        path_rank = pack["doc_path_rank"]
        with gc_paused():
            for slot in slots.tolist():
                record = self._record_uncached(slot)
                title = self.titles[slot]
                text = record["text"]
                order = int(path_rank[slot])
                doc_id = self._doc_id(slot)
                for v in record["events"]:
                    event = CorpusEvent(doc_id, v[V_DATE], event_text(v, text), v[V_START], v[V_END],
                                        event_sentence(v, text), title)
                    keyed.append((v[V_SORT], order, v[V_START], event))
            keyed.sort(key=lambda k: k[:3])
            return [k[3] for k in keyed]

    def _events_from_arrays(self, entity_id: str | None) -> list[CorpusEvent]:
        from explorer.store.events import event_class, stored_events

        pack = self._pack
        event_slot = pack["event_slot"]
        chosen: Any = slice(None)
        if entity_id is not None:
            chosen = np.flatnonzero(np.isin(event_slot, self._entity_slots(self._rank(entity_id))[0]))
        slots = event_slot[chosen]
        present, inverse = np.unique(slots, return_inverse=True)
        doc_ids = [self._doc_id(slot) for slot in present.tolist()]
        titles = [self.titles[slot] for slot in present.tolist()]
        date_names = StringTable(pack["event_date_blob"], pack["event_date_ends"]).all()
        if self._event_class is None:
            self._event_class = event_class(self)
        with gc_paused():
            inverse = inverse.reshape(-1).tolist()
            return stored_events(self._event_class, [doc_ids[i] for i in inverse],
                                 [date_names[code] for code in pack["event_date"][chosen].tolist()],
                                 pack["event_start"][chosen].tolist(), pack["event_end"][chosen].tolist(),
                                 [titles[i] for i in inverse])

    def event_text_and_sentence(self, doc_id: str, date: str, start: int, end: int) -> tuple[str, str]:
        """The text and sentence of a document's event.

        The first one asked for of a document reads its record and keeps the texts and sentences
        of all its events, so a pass over many events in date order (an export of the timeline)
        reads each record once, not once per event.
        """
        slot = self._slot(doc_id)
        with self._lock:
            texts = self._event_texts.get(slot)
        if texts is None:
            record = self._record_uncached(slot)
            text = record["text"]
            texts = {(row[V_DATE], row[V_START], row[V_END]): (event_text(row, text), event_sentence(row, text))
                     for row in record["events"]}
            with self._lock:
                self._event_texts[slot] = texts
        return texts.get((date, start, end), ("", ""))

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[CorpusEntity, int]]:
        """The entities sharing most documents with ``entity_id`` (the more mentioned first on a tie)."""
        rank = self._rank(entity_id)
        slots, _ = self._entity_slots(rank)
        pack = self._pack
        starts = pack["slot_entity_start"]
        from explorer.search.postings import gather

        others, _ = gather(starts, pack["slot_entity"], slots.astype(np.int64))
        counts = np.bincount(others, minlength=len(pack["entity_id"]))
        counts[rank] = 0
        found = np.flatnonzero(counts)
        best = found[np.lexsort((found, -counts[found]))][:limit]
        entities = self.entities()
        return [(entities[int(other)], int(counts[other])) for other in best]

    def cooccurrence_arrays(self, apart: bool = True) -> CooccurrenceArrays:
        """Which entity is mentioned in which sentence of every document, as arrays.

        Built from every document's record on first use and kept beside the store for
        its generation (``cached_arrays``). A large store's are built by a child process
        (``apart``): the build's transient memory (hundreds of MB at 100,000 documents) is
        then the child's, returned when it ends, and this process reads the kept arrays.
        """
        if self._cooccurrence_arrays is None:
            from explorer.store.cooccurrence import CooccurrenceArrays, build_apart, cached_arrays

            if apart:
                build_apart(self.path, self.generation, self.document_count())

            def documents() -> Iterator[tuple[str, list[str], list[list[int]], list[tuple[int, int]]]]:
                for slot in self._pack["doc_path_order"].tolist():
                    record = self._record_uncached(slot)
                    yield (self._doc_id(slot), [self._entity_id(rank) for rank in self._local_ranks(slot).tolist()],
                           [entity[E_OFFSETS] for entity in record["entities"]], sentence_pairs(record["sentences"]))

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
        found = np.bincount(self._pack["entity_type"], minlength=len(ENTITY_TYPES))
        for code, type_ in enumerate(ENTITY_TYPES):
            counts[type_] = int(found[code])
        return counts


def open_store(db_path: Path) -> CorpusStore:
    """Open a store for reading; ``StoreError`` if it is missing, corrupt or from another version."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreError(f"no store at {db_path}; run `explorer index` first", db_path)
    corrupt = "; rebuild it with `explorer index --rebuild`"
    try:
        tables = open_tables(db_path)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc.msg}){corrupt}", db_path, can_rebuild=True) from exc
    except StoreFormatError as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc}){corrupt}", db_path, can_rebuild=True) from exc
    except OSError as exc:
        raise StoreError(f"cannot read the store {db_path}: {exc.strerror or exc}", db_path) from exc
    if tables is None:
        raise StoreError(f"no store at {db_path}; run `explorer index` first", db_path)
    meta_table = tables.get(META, None)
    meta = next(iter(meta_table.values()), None) if isinstance(meta_table, dict) else None
    if not isinstance(meta, dict):
        raise StoreError(f"{db_path} is not an explorer store", db_path, can_rebuild=True)
    if meta.get("schema") != SCHEMA_VERSION:
        raise StoreError(f"the store {db_path} has schema {meta.get('schema')}, this explorer reads "
                         f"{SCHEMA_VERSION}; re-index to rebuild it", db_path, can_rebuild=True)
    try:
        return CorpusStore(db_path, tables)
    except (StoreFormatError, OSError, KeyError, ValueError, TypeError) as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc}){corrupt}", db_path, can_rebuild=True) from exc
