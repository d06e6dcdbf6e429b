"""The next state of a store, built from the previous one and the documents extracted in this run.

``StoreBuilder`` is fed extracted documents one at a time (``add_file``): each
is appended to this run's segment at once and counted into the merge's nodes,
so memory holds summaries and numbers, never texts. ``drop_source`` takes a
file's previous documents out (their records are read back for that: a
handful for a small change). ``finish`` merges (only clusters whose nodes
changed are combined again), computes the arrays with numpy and returns the
rows and arrays ``write`` publishes.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from explorer.store.merge import MergedEntity, MergeState, Node, combine, node_key_of
from explorer.store.schema import (
    E_ALIASES,
    E_NAME,
    E_OFFSETS,
    E_ROLES,
    E_TYPE,
    SUMMARY_FIELDS,
    V_DATE,
    V_END,
    V_SORT,
    V_START,
    decode_record_head,
    encode_record,
)
from explorer.store.storage import SegmentWriter, StringTable, fresh_name, read_pack, string_table

ENTITY_TYPE_CODES = {"person": 0, "organization": 1, "place": 2, "term": 3}
NO_OFFSET = np.iinfo(np.int32).max
# Segments: merged when there are more than this many, rewritten when less than this share is live.
MAX_SEGMENTS = 8
MIN_LIVE_SHARE = 0.5
# The dated events' arrays in the pack are ``event_<column>``; ``date`` indexes the string table
# ``event_date_blob``/``event_date_ends``, ``pos`` is the event's position in its record.
EVENT_COLUMNS = ("slot", "pos", "start", "end", "sort", "date")


@dataclass(slots=True)
class Segment:
    file: str
    size: int
    live: int  # bytes of records still referenced

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "size": self.size, "live": self.live}


@dataclass
class Previous:
    """What the builder keeps of the previous state: its tables (read lazily), pack and segments."""

    tables: Any  # StoreTables
    meta: dict[str, Any]
    pack: dict[str, np.ndarray]
    segments: list[Segment]
    maps: dict[str, Any] = field(default_factory=dict)

    def segment_map(self, index: int) -> Any:
        name = self.segments[index].file
        mapped = self.maps.get(name)
        if mapped is None:
            mapped = self.maps[name] = self.tables.opened(name).map()
        return mapped


class StoreBuilder:
    def __init__(self, folder: Path, previous: Previous | None, run: int) -> None:
        self.folder = folder
        self.previous = previous
        self.run = run
        pack = previous.pack if previous else {}
        self.segments: list[Segment] = list(previous.segments) if previous else []
        slots = len(pack["doc_seg"]) if pack else 0
        # Per slot (a document's stable position in the arrays): where its record is.
        self.doc_id: list[str] = [v.decode() for v in pack["doc_id"].tolist()] if pack else []
        self.slot_of: dict[str, int] = {doc_id: slot for slot, doc_id in enumerate(self.doc_id) if doc_id}
        self.seg = array("i", pack["doc_seg"].tobytes()) if pack else array("i")
        self.off = array("q", pack["doc_off"].tobytes()) if pack else array("q")
        self.head = array("i", pack["doc_head"].tobytes()) if pack else array("i")
        self.size = array("i", pack["doc_size"].tobytes()) if pack else array("i")
        self.rev = array("i", pack["doc_rev"].tobytes()) if pack else array("i")
        assert len(self.doc_id) == slots
        nodes = [Node.from_row(row) for row in previous.tables["nodes"].values()] if previous else []
        if previous is not None:
            previous.tables.forget("nodes")  # the nodes hold what they need of the rows
        self.merge = MergeState(nodes)
        # Local entities of the documents added in this run (the previous ones are in the pack).
        self.new_locals = {name: array("i") for name in ("slot", "node", "count", "first_start", "first_end")}
        # Dated events of the documents added in this run, one position each (``event_arrays``).
        self.new_events = {name: array("i") for name in EVENT_COLUMNS if name != "date"}
        self.new_event_dates: list[str] = []
        self.dropped_slots: set[int] = set()  # slots whose previous locals are gone (removed or re-extracted)
        self.added_slots: set[int] = set()
        self.writer: SegmentWriter | None = None
        self.new_rows: dict[str, dict[str, Any]] = {}  # doc_id -> documents row, for documents added now
        self.removed_ids: set[str] = set()
        self.published = False

    # -- feeding ---------------------------------------------------------------------------

    def _segment_writer(self) -> SegmentWriter:
        if self.writer is None:
            self.writer = SegmentWriter(self.folder / fresh_name("segment", ".seg"))
            self.segments.append(Segment(self.writer.name, 0, 0))
        return self.writer

    def add_document(self, row: dict[str, Any]) -> None:
        """Append one extracted document (a ``document_row``) to this run's segment and count it in."""
        doc_id = row["id"]
        slot = self.slot_of.get(doc_id)
        if slot is None:
            slot = self.slot_of[doc_id] = len(self.doc_id)
            self.doc_id.append(doc_id)
            for column, empty in ((self.seg, -1), (self.off, 0), (self.head, 0), (self.size, 0), (self.rev, 0)):
                column.append(empty)
        elif self.seg[slot] >= 0 and slot not in self.dropped_slots:
            self._drop_slot(slot)
        writer = self._segment_writer()
        record, head_length = encode_record(row)
        offset, length = writer.append(record)
        self.segments[-1].size = self.segments[-1].live = writer.size
        self.seg[slot], self.off[slot], self.head[slot], self.size[slot] = len(self.segments) - 1, offset, head_length, length
        self.rev[slot] = self.run
        self.added_slots.add(slot)
        columns = self.new_locals
        for entity in row["entities"]:
            offsets = entity[E_OFFSETS]
            node = self.merge.add(entity[E_TYPE], entity[E_NAME], entity[E_ALIASES], entity[E_ROLES],
                                  len(offsets) // 2 or 1)
            columns["slot"].append(slot)
            columns["node"].append(node)
            columns["count"].append(len(offsets) // 2)
            columns["first_start"].append(offsets[0] if offsets else NO_OFFSET)
            columns["first_end"].append(offsets[1] if offsets else NO_OFFSET)
        events = self.new_events
        for position, event in enumerate(row["events"]):
            events["slot"].append(slot)
            events["pos"].append(position)
            events["start"].append(event[V_START])
            events["end"].append(event[V_END])
            events["sort"].append(event[V_SORT])
            self.new_event_dates.append(event[V_DATE])
        summary = {name: row[name] for name in SUMMARY_FIELDS}
        if summary["source"] == summary["path"]:
            del summary["source"]  # most files hold one document: said once
        summary["slot"] = slot
        summary["event_count"] = len(row["events"])
        self.new_rows[doc_id] = summary
        self.removed_ids.discard(doc_id)

    def _drop_slot(self, slot: int) -> None:
        """Take a slot's previous document out of the merge (its record is read back for its entities)."""
        head = self.record_head(slot)
        for entity in head["entities"]:
            offsets = entity[E_OFFSETS]
            self.merge.remove(entity[E_TYPE], entity[E_NAME], entity[E_ALIASES], entity[E_ROLES],
                              len(offsets) // 2 or 1)
        self.segments[self.seg[slot]].live -= self.size[slot]
        self.dropped_slots.add(slot)

    def remove_document(self, doc_id: str) -> None:
        slot = self.slot_of.get(doc_id)
        if slot is None or self.seg[slot] < 0:
            return
        if slot in self.added_slots:  # added in this run, then found gone: nothing was published
            return
        self._drop_slot(slot)
        self.seg[slot] = -1
        self.removed_ids.add(doc_id)

    def record_bytes(self, slot: int) -> memoryview | bytes:
        index = self.seg[slot]
        if self.writer is not None and index == len(self.segments) - 1:
            self.writer.flush()
            with open(self.writer.path, "rb") as handle:
                return os.pread(handle.fileno(), self.size[slot], self.off[slot])
        assert self.previous is not None
        mapped = self.previous.segment_map(index)
        return memoryview(mapped)[self.off[slot] : self.off[slot] + self.size[slot]]

    def record_head(self, slot: int) -> dict[str, Any]:
        return decode_record_head(self.record_bytes(slot), self.head[slot])

    # -- finishing -------------------------------------------------------------------------

    def finish_segment(self) -> None:
        if self.writer is not None:
            self.writer.finish()

    def abort(self) -> None:
        if self.writer is not None and not self.published:
            self.writer.abort()

    def compact_segments(self) -> list[Path]:
        """Merge small segments, or rewrite all when most of their bytes are dead; returns new files."""
        live_segments = [s for s in self.segments if s.live > 0]
        total, live = sum(s.size for s in live_segments), sum(s.live for s in live_segments)
        if len(live_segments) <= MAX_SEGMENTS and (total == 0 or live >= MIN_LIVE_SHARE * total):
            self._renumber([i for i, s in enumerate(self.segments) if s.live > 0])
            return []
        if live < MIN_LIVE_SHARE * total:
            moving = {i for i, s in enumerate(self.segments) if s.live > 0}
        else:  # too many: everything but the largest goes into one
            largest = max(range(len(self.segments)), key=lambda i: self.segments[i].size)
            moving = {i for i, s in enumerate(self.segments) if s.live > 0 and i != largest}
        writer = SegmentWriter(self.folder / fresh_name("segment", ".seg"))
        try:
            target = len(self.segments)
            for slot in range(len(self.doc_id)):
                if self.seg[slot] in moving:
                    data = bytes(self.record_bytes(slot))
                    offset, _ = writer.append(data)
                    self.seg[slot], self.off[slot] = target, offset
            writer.finish()
        except BaseException:
            writer.abort()
            raise
        self.segments.append(Segment(writer.name, writer.size, writer.size))
        for index in moving:
            self.segments[index].live = 0
        self._renumber([i for i, s in enumerate(self.segments) if s.live > 0])
        return [writer.path]

    def _renumber(self, kept: list[int]) -> None:
        new_index = {old: new for new, old in enumerate(kept)}
        for slot in range(len(self.seg)):
            if self.seg[slot] >= 0:
                self.seg[slot] = new_index[self.seg[slot]]
        self.segments = [self.segments[i] for i in kept]

    def local_arrays(self) -> dict[str, np.ndarray]:
        """Every live local entity, ordered by slot (then as in its document)."""
        names = ("slot", "node", "count", "first_start", "first_end")
        pack = self.previous.pack if self.previous else None
        new = {name: np.frombuffer(self.new_locals[name], dtype=np.int32) for name in names}
        order = np.argsort(new["slot"], kind="stable")
        new = {name: values[order] for name, values in new.items()}
        if pack is None or not len(pack["local_slot"]):
            return {name: values.astype(np.int32) for name, values in new.items()}
        # The previous locals are in slot order: the dropped slots' runs are cut out and this run's
        # locals inserted where their slots go (no sort of a million and a half again).
        keep = np.ones(len(pack["local_slot"]), dtype=bool)
        if len(self.dropped_slots) <= 1024:
            starts = pack["slot_local_start"]
            for slot in self.dropped_slots:
                keep[starts[slot] : starts[slot + 1]] = False
        else:
            keep = ~np.isin(pack["local_slot"], np.fromiter(self.dropped_slots, dtype=np.int32))
        kept = {name: pack[f"local_{name}"][keep] for name in names}
        where = np.searchsorted(kept["slot"], new["slot"], side="right")
        return {name: np.insert(kept[name], where, new[name]).astype(np.int32) for name in names}


@dataclass
class MergeResult:
    rows: list[dict[str, Any]]  # the entities table, by rank (most mentioned first)
    arrays: dict[str, np.ndarray]


class _Groups(Sequence[list[int]]):
    """The previous run's clusters (each entity rank's nodes), read from ``node_entity`` when asked for.

    A re-index reaches a few of 100,000 clusters: they are not all made into lists.
    """

    def __init__(self, node_entity: np.ndarray, count: int) -> None:
        self._order = np.argsort(node_entity, kind="stable")
        self._starts = np.searchsorted(node_entity[self._order], np.arange(count + 1))
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, rank):  # type: ignore[no-untyped-def, override]
        if isinstance(rank, slice):
            return [self[r] for r in range(*rank.indices(self._count))]
        if rank < 0:
            rank += self._count
        if not 0 <= rank < self._count:
            raise IndexError(rank)
        return self._order[self._starts[rank] : self._starts[rank + 1]].tolist()


def _entity_row(entity: MergedEntity, count: int, docs: int) -> dict[str, Any]:
    return {"id": entity.entity_id, "name": entity.name, "type": entity.type, "aliases": entity.aliases,
            "roles": entity.roles, "count": count, "docs": docs}


def _segment_starts(sorted_values: np.ndarray, count: int) -> np.ndarray:
    """Where each of ``0 .. count-1`` starts in an ascending array (and its end, last)."""
    return np.searchsorted(sorted_values, np.arange(count + 1)).astype(np.int64)


def _per_segment(reduce: np.ufunc, values: np.ndarray, starts: np.ndarray, empty: int) -> np.ndarray:
    """``reduce`` over each segment ``values[starts[i]:starts[i+1]]``; ``empty`` where a segment is empty."""
    result = np.full(len(starts) - 1, empty, dtype=values.dtype)
    filled = starts[:-1] < starts[1:]
    if filled.any():
        result[filled] = reduce.reduceat(values, starts[:-1][filled])
    return result


def merge_and_arrange(builder: StoreBuilder, old_entities: list[dict[str, Any]] | None,
                      path_rank: np.ndarray) -> MergeResult:
    """Cluster the nodes, combine what changed, and lay out the arrays readers use.

    After a small change most clusters are the previous run's: their entities
    keep their rows, ids and relative order, and only the changed ones are
    combined and ranked in among them; every array is then computed with
    whole-array numpy passes (no sort of all mentions by several keys).
    """
    state = builder.merge
    pack = builder.previous.pack if builder.previous is not None and old_entities is not None else None
    old_node_entity = pack["node_entity"] if pack is not None else None
    old_groups: _Groups | None = None
    if old_node_entity is not None:
        old_groups = _Groups(old_node_entity, len(old_entities))
    reach, changed = state.reclustered(old_groups, old_node_entity.tolist() if old_node_entity is not None else None)
    changed.sort(key=lambda nodes: min(node_key_of(state, n) for n in nodes))
    # Groups 0 .. kept_count-1 are the previous entities the changes cannot reach (in their previous
    # rank order, ``kept``); then the changed clusters, whose entities are in ``fresh``.
    node_group = np.full(len(state.nodes), -1, dtype=np.int32)
    kept = np.empty(0, dtype=np.int64)
    kept_rows: list[dict[str, Any]] = []
    used_ids: set[str] = set()
    if old_groups is not None and old_node_entity is not None and old_entities is not None:
        touched = {int(old_node_entity[n]) for n in reach if n < len(old_node_entity)} - {-1}
        keep = np.ones(len(old_groups), dtype=bool)
        keep[np.fromiter(touched, dtype=np.int64, count=len(touched))] = False
        kept = np.flatnonzero(keep)
        group_of_rank = np.full(len(old_groups), -1, dtype=np.int32)
        group_of_rank[kept] = np.arange(len(kept), dtype=np.int32)
        mapped = np.where(old_node_entity >= 0, group_of_rank[np.maximum(old_node_entity, 0)], -1)
        node_group[: len(old_node_entity)] = mapped
        kept_rows = [old_entities[rank] for rank in kept.tolist()]
        used_ids = {row["id"] for row in kept_rows}
        old_sizes = np.bincount(old_node_entity[old_node_entity >= 0], minlength=len(old_groups))
    kept_count = len(kept_rows)
    fresh: list[MergedEntity | None] = []
    for offset, group in enumerate(changed):
        index = kept_count + offset
        node_group[group] = index
        fresh.append(None)
        if old_groups is not None and old_node_entity is not None and old_entities is not None \
                and all(n < len(old_node_entity) and n not in state.dirty for n in group):
            old = {int(old_node_entity[n]) for n in group}
            rank = old.pop() if len(old) == 1 else -1
            if rank >= 0 and old_sizes[rank] == len(group):
                row = old_entities[rank]
                fresh[offset] = MergedEntity(row["id"], row["name"], row["type"], row["aliases"], row["roles"])
                used_ids.add(row["id"])
    for offset, group in enumerate(changed):
        if fresh[offset] is None:
            fresh[offset] = combine([state.nodes[n] for n in group], used_ids)
    entities: list[MergedEntity] = [entity for entity in fresh if entity is not None]
    groups_count = kept_count + len(entities)

    slots = len(builder.doc_id)
    stride = max(slots, 1)
    local = builder.local_arrays()
    local_group = node_group[local["node"]]
    # One (entity, document) pair per entity and document, with its mention count: in group order, then slot.
    key = local_group.astype(np.int64) * stride + local["slot"]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) if len(key) else np.empty(0, np.int64)
    pair_group = (sorted_key[starts] // stride).astype(np.int32)
    pair_slot = (sorted_key[starts] % stride).astype(np.int32)
    pair_count = np.add.reduceat(local["count"][order], starts) if len(starts) else np.empty(0, np.int32)
    pair_count = pair_count.astype(np.int32)
    # Each pair's first mention: the smallest (start, end) of its local entities, as one number.
    first_code = (local["first_start"].astype(np.int64) << 32) | local["first_end"].astype(np.int64)
    pair_first = np.minimum.reduceat(first_code[order], starts) if len(starts) else np.empty(0, np.int64)
    shared = np.flatnonzero(np.diff(np.r_[starts, len(key)]) > 1)
    if len(shared):
        # Two local entities of one document merged into one entity may share a mention: count it once.
        slot_starts = np.searchsorted(local["slot"], np.arange(slots + 1))
        for p in shared.tolist():
            slot, group = int(pair_slot[p]), int(pair_group[p])
            head = builder.record_head(slot)
            first = int(slot_starts[slot])
            spans: set[tuple[int, int]] = set()
            for i, entity in enumerate(head["entities"]):
                if local_group[first + i] == group:
                    flat = entity[E_OFFSETS]
                    spans.update(zip(flat[::2], flat[1::2], strict=True))
            pair_count[p] = len(spans)
    counts = np.bincount(pair_group, weights=pair_count, minlength=groups_count).astype(np.int64)
    doc_counts = np.bincount(pair_group, minlength=groups_count).astype(np.int64)
    count_list, doc_count_list = counts.tolist(), doc_counts.tolist()

    rows: list[dict[str, Any]] = list(kept_rows)
    for offset, entity in enumerate(entities):
        rows.append(_entity_row(entity, count_list[kept_count + offset], doc_count_list[kept_count + offset]))
    # A kept entity's documents are unchanged, so are its counts; checked, since its row is reused as it was.
    stale = [g for g in range(kept_count) if rows[g]["count"] != count_list[g] or rows[g]["docs"] != doc_count_list[g]]
    for g in stale:
        rows[g] = {**rows[g], "count": count_list[g], "docs": doc_count_list[g]}

    def rank_key(g: int) -> tuple[int, int, str, str]:
        return (-count_list[g], -doc_count_list[g], rows[g]["name"].casefold(), rows[g]["id"])

    if kept_count and not stale:
        # The kept groups are in their previous order, which is this order (same counts, names, ids):
        # only the changed ones are placed among them.
        placed = sorted(range(kept_count, groups_count), key=rank_key)
        positions = [bisect_left(range(kept_count), rank_key(g), key=rank_key) for g in placed]
        ranked = np.insert(np.arange(kept_count, dtype=np.int64), positions, placed) if placed \
            else np.arange(kept_count, dtype=np.int64)
    else:
        ranked = np.asarray(sorted(range(groups_count), key=rank_key), dtype=np.int64)
    rank_of = np.empty(groups_count, dtype=np.int32)
    rank_of[ranked] = np.arange(groups_count, dtype=np.int32)
    pair_rank = rank_of[pair_group] if len(pair_group) else pair_group
    node_entity = np.where(node_group >= 0, rank_of[np.maximum(node_group, 0)], -1).astype(np.int32) \
        if groups_count else np.full(len(state.nodes), -1, np.int32)

    # Entity -> documents (by slot): the group-major pairs moved block by block into rank order.
    group_starts = _segment_starts(pair_group, groups_count)
    sizes = np.diff(group_starts)
    ranked_sizes = sizes[ranked]
    entity_doc_start = np.r_[0, np.cumsum(ranked_sizes)].astype(np.int64)
    by_entity = np.repeat(group_starts[:-1][ranked] - entity_doc_start[:-1], ranked_sizes) \
        + np.arange(len(pair_group), dtype=np.int64)
    entity_doc = pair_slot[by_entity]
    entity_doc_mentions = pair_count[by_entity]
    # Document -> entities (by rank).
    by_slot = np.argsort(pair_slot.astype(np.int64) * max(groups_count, 1) + pair_rank)
    slot_entity = pair_rank[by_slot]
    slot_entity_start = _segment_starts(pair_slot[by_slot], slots)

    # Anchors: each entity's most mentioning document (the first by path on a tie), its first mention there.
    anchor_slot = np.full(groups_count, -1, dtype=np.int32)
    anchor_start = np.zeros(groups_count, dtype=np.int32)
    anchor_end = np.zeros(groups_count, dtype=np.int32)
    if len(pair_group):
        most = _per_segment(np.maximum, pair_count, group_starts, 0)
        tied = pair_count == most[pair_group]
        pair_path = np.where(tied, path_rank[pair_slot], np.iinfo(np.int32).max).astype(np.int32)
        first_path = _per_segment(np.minimum, pair_path, group_starts, np.iinfo(np.int32).max)
        best = np.flatnonzero(tied & (pair_path == first_path[pair_group]))
        best = best[np.r_[True, pair_group[best][1:] != pair_group[best][:-1]]]  # the first in slot order
        best_first = pair_first[best]
        best_start = (best_first >> 32).astype(np.int32)
        has = best_start != NO_OFFSET
        ranks = rank_of[pair_group[best]][has]
        anchor_slot[ranks] = pair_slot[best][has]
        anchor_start[ranks] = best_start[has]
        anchor_end[ranks] = (best_first[has] & 0xFFFFFFFF).astype(np.int32)

    # Ids and types by group: the kept ones from the previous arrays, then the changed ones.
    if pack is not None and kept_count:
        group_ids = np.concatenate([pack["entity_id"][kept],
                                    np.array([e.entity_id.encode() for e in entities], dtype="S16")])
        group_types = np.concatenate([pack["entity_type"][kept],
                                      np.array([ENTITY_TYPE_CODES.get(e.type, 3) for e in entities], dtype=np.int8)])
    else:
        group_ids = np.array([row["id"].encode() for row in rows], dtype="S16")
        group_types = np.array([ENTITY_TYPE_CODES.get(row["type"], 3) for row in rows], dtype=np.int8)
    ids = group_ids[ranked] if groups_count else np.empty(0, "S16")
    arrays = {
        "local_slot": local["slot"],
        "local_node": local["node"],
        "local_count": local["count"],
        "local_first_start": local["first_start"],
        "local_first_end": local["first_end"],
        "slot_local_start": np.searchsorted(local["slot"], np.arange(slots + 1)).astype(np.int64),
        "node_entity": node_entity,
        "entity_id": ids.astype("S16"),
        "entity_id_order": np.argsort(ids, kind="stable").astype(np.int32),
        "entity_type": group_types[ranked].astype(np.int8) if groups_count else np.empty(0, np.int8),
        "entity_doc_start": entity_doc_start,
        "entity_doc": entity_doc.astype(np.int32),
        "entity_doc_mentions": entity_doc_mentions.astype(np.int32),
        "slot_entity_start": slot_entity_start,
        "slot_entity": slot_entity.astype(np.int32),
        "entity_anchor_slot": anchor_slot,
        "entity_anchor_start": anchor_start,
        "entity_anchor_end": anchor_end,
    }
    return MergeResult([rows[g] for g in ranked.tolist()], arrays)


def same_documents(builder: StoreBuilder) -> bool:
    """True when this run added and removed no document (it may have extracted some again)."""
    previous = builder.previous
    return previous is not None and not builder.removed_ids and len(builder.doc_id) == len(previous.pack["doc_seg"]) \
        and all(previous.pack["doc_seg"][slot] >= 0 for slot in builder.added_slots)


def path_ranks(builder: StoreBuilder, rows: dict[str, dict[str, Any]]) -> np.ndarray:
    """Each slot's position in path order (documents sort and tie-break by path)."""
    if same_documents(builder):
        assert builder.previous is not None
        return np.array(builder.previous.pack["doc_path_rank"])
    slots = len(builder.doc_id)
    by_path = sorted((row["path"], row["slot"]) for row in rows.values())
    rank = np.full(slots, np.iinfo(np.int32).max, dtype=np.int32)
    rank[np.array([slot for _, slot in by_path], dtype=np.int64)] = np.arange(len(by_path), dtype=np.int32)
    return rank


def document_arrays(builder: StoreBuilder, rows: dict[str, dict[str, Any]],
                    entity_counts: np.ndarray) -> dict[str, np.ndarray]:
    """Per-slot arrays: where each record is, ids, paths, titles and dates for lists that must not load rows."""
    if same_documents(builder):
        return _patched_document_arrays(builder, rows, entity_counts)
    slots = len(builder.doc_id)
    paths = [""] * slots
    titles = [""] * slots
    published = [b""] * slots
    events = np.zeros(slots, dtype=np.int32)
    alive = np.frombuffer(builder.seg, dtype=np.int32) >= 0 if slots else np.zeros(0, bool)
    for row in rows.values():
        slot = row["slot"]
        paths[slot] = row["path"]
        titles[slot] = row["title"] or Path(row["path"]).name
        published[slot] = (row["published"] or "").encode()[:10]
        events[slot] = row["event_count"]
    if same_documents(builder):  # the same paths: the same order
        assert builder.previous is not None
        path_order = np.array(builder.previous.pack["doc_path_order"])
        path_rank = np.array(builder.previous.pack["doc_path_rank"])
    else:
        by_path = sorted((p, s) for s, p in enumerate(paths) if alive[s])
        path_order = np.array([s for _, s in by_path], dtype=np.int32)
        path_rank = np.full(slots, np.iinfo(np.int32).max, dtype=np.int32)
        path_rank[path_order] = np.arange(len(path_order), dtype=np.int32)
    ids = np.array([(d if alive[s] else "").encode() for s, d in enumerate(builder.doc_id)], dtype="S16") \
        if slots else np.empty(0, "S16")
    path_blob, path_ends = string_table(paths)
    title_blob, title_ends = string_table(titles)
    return {
        "doc_id": ids,
        "doc_id_order": np.argsort(ids, kind="stable").astype(np.int32),
        **_record_places(builder),
        "doc_events": events,
        "doc_entities": entity_counts,
        "doc_published": np.array(published, dtype="S10") if slots else np.empty(0, "S10"),
        "doc_path_order": path_order,
        "doc_path_rank": path_rank,
        "doc_path_blob": path_blob,
        "doc_path_ends": path_ends,
        "doc_title_blob": title_blob,
        "doc_title_ends": title_ends,
    }


def _record_places(builder: StoreBuilder) -> dict[str, np.ndarray]:
    """Where each document's record is (segment, offset, header and size) and its revision: written
    by every run, whether the other document arrays are built again or patched."""
    return {
        "doc_seg": np.frombuffer(builder.seg, dtype=np.int32).copy(),
        "doc_off": np.frombuffer(builder.off, dtype=np.int64).copy(),
        "doc_head": np.frombuffer(builder.head, dtype=np.int32).copy(),
        "doc_size": np.frombuffer(builder.size, dtype=np.int32).copy(),
        "doc_rev": np.frombuffer(builder.rev, dtype=np.int32).copy(),
    }


def _patched_document_arrays(builder: StoreBuilder, rows: dict[str, dict[str, Any]],
                             entity_counts: np.ndarray) -> dict[str, np.ndarray]:
    """``document_arrays`` when the run added and removed no document: the previous arrays, with
    the documents extracted again written over (the same paths and ids; titles, dates, events may change)."""
    assert builder.previous is not None
    pack = builder.previous.pack
    events = np.array(pack["doc_events"])
    published = np.array(pack["doc_published"])
    previous_titles = StringTable(pack["doc_title_blob"], pack["doc_title_ends"])
    titles: list[str] | None = None
    for slot in sorted(builder.added_slots):
        row = rows[builder.doc_id[slot]]
        title = row["title"] or Path(row["path"]).name
        events[slot] = row["event_count"]
        published[slot] = (row["published"] or "").encode()[:10]
        if titles is None and previous_titles[slot] != title:
            titles = previous_titles.all()
        if titles is not None:
            titles[slot] = title
    title_blob, title_ends = string_table(titles) if titles is not None else \
        (np.array(pack["doc_title_blob"]), np.array(pack["doc_title_ends"]))
    return {
        "doc_id": np.array(pack["doc_id"]),
        "doc_id_order": np.array(pack["doc_id_order"]),
        **_record_places(builder),
        "doc_events": events,
        "doc_entities": entity_counts,
        "doc_published": published,
        "doc_path_order": np.array(pack["doc_path_order"]),
        "doc_path_rank": np.array(pack["doc_path_rank"]),
        "doc_path_blob": np.array(pack["doc_path_blob"]),
        "doc_path_ends": np.array(pack["doc_path_ends"]),
        "doc_title_blob": title_blob,
        "doc_title_ends": title_ends,
    }


def event_arrays(builder: StoreBuilder, path_rank: np.ndarray) -> dict[str, np.ndarray]:
    """Every live document's dated events as arrays, in the order ``CorpusReader.events`` gives them:
    by date (``event_sort``), then the document's path, then the offset (then the record's order).

    The events of unchanged documents are taken from the previous pack; only this run's
    documents are read (from their rows). So the interface lists a million events without
    decoding a record, and reads an event's text and sentence when it shows it.
    """
    previous = builder.previous
    names = [name for name in EVENT_COLUMNS if name != "date"]
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    dates: list[str] = []
    old_dates: np.ndarray = np.empty(0, np.int32)
    if previous is not None and "event_slot" in previous.pack:
        pack = previous.pack
        keep = ~np.isin(pack["event_slot"], np.fromiter(builder.dropped_slots, dtype=np.int32)) \
            if builder.dropped_slots else slice(None)
        for name in names:
            parts[name].append(pack[f"event_{name}"][keep])
        dates = StringTable(pack["event_date_blob"], pack["event_date_ends"]).all()
        old_dates = pack["event_date"][keep]
    elif previous is not None:  # a store written before the events had arrays: read once from the records
        seg = np.frombuffer(builder.seg, dtype=np.int32)
        old = {name: array("i") for name in names}
        old_codes = array("i")
        codes: dict[str, int] = {}
        for slot in range(len(previous.pack["doc_seg"])):
            if seg[slot] < 0 or slot in builder.dropped_slots or slot in builder.added_slots:
                continue
            for position, event in enumerate(builder.record_head(slot)["events"]):
                for name, value in (("slot", slot), ("pos", position), ("start", event[V_START]),
                                    ("end", event[V_END]), ("sort", event[V_SORT])):
                    old[name].append(value)
                code = codes.get(event[V_DATE])
                if code is None:
                    code = codes[event[V_DATE]] = len(codes)
                old_codes.append(code)
        for name in names:
            parts[name].append(np.frombuffer(old[name], dtype=np.int32))
        dates = list(codes)
        old_dates = np.frombuffer(old_codes, dtype=np.int32)
    codes = {date: code for code, date in enumerate(dates)}
    new_dates = np.array([codes.setdefault(date, len(codes)) for date in builder.new_event_dates], dtype=np.int32)
    dates = list(codes)
    new = {name: np.frombuffer(builder.new_events[name], dtype=np.int32) for name in names}
    arrays = None
    if previous is not None and "event_slot" in previous.pack and same_documents(builder):
        arrays = _events_placed(parts, old_dates, new, new_dates, path_rank)
    if arrays is None:
        joined = {name: np.concatenate([*parts[name], new[name]]).astype(np.int32) for name in names}
        order = np.lexsort((joined["pos"], joined["start"], path_rank[joined["slot"]], joined["sort"]))
        arrays = {f"event_{name}": values[order] for name, values in joined.items()}
        arrays["event_date"] = np.concatenate([old_dates, new_dates]).astype(np.int32)[order]
    # Only the dates still used are kept (in the order of their codes).
    used = np.bincount(arrays["event_date"], minlength=len(dates)) > 0
    if not used.all():
        arrays["event_date"] = (np.cumsum(used) - 1).astype(np.int32)[arrays["event_date"]]
    arrays["event_date_blob"], arrays["event_date_ends"] = string_table(
        [date for date, kept in zip(dates, used.tolist(), strict=True) if kept])
    return arrays


def _events_placed(parts: dict[str, list[np.ndarray]], old_dates: np.ndarray, new: dict[str, np.ndarray],
                   new_dates: np.ndarray, path_rank: np.ndarray) -> dict[str, np.ndarray] | None:
    """The kept events are still in order (the documents and their path order are the same): this
    run's events are sorted alone and inserted among them, instead of sorting a million again.
    None when an inserted event would tie with a kept one on (date, document): sort everything."""
    kept = {name: values[0] for name, values in parts.items()}
    order = np.lexsort((new["pos"], new["start"], path_rank[new["slot"]], new["sort"]))
    new = {name: values[order] for name, values in new.items()}

    def date_and_document(events: dict[str, np.ndarray]) -> np.ndarray:
        return (events["sort"].astype(np.int64) << 32) | path_rank[events["slot"]].astype(np.int64)

    kept_key, new_key = date_and_document(kept), date_and_document(new)
    where = np.searchsorted(kept_key, new_key, side="left")
    if not np.array_equal(where, np.searchsorted(kept_key, new_key, side="right")):
        return None
    arrays = {f"event_{name}": np.insert(kept[name], where, new[name]).astype(np.int32) for name in kept}
    arrays["event_date"] = np.insert(old_dates, where, new_dates[order]).astype(np.int32)
    return arrays


def load_previous(tables: Any, meta: dict[str, Any]) -> Previous:
    pack = read_pack(tables.opened(meta["pack"]).map())
    segments = [Segment(s["file"], s["size"], s["live"]) for s in meta.get("segments", [])]
    return Previous(tables, meta, pack, segments)


def empty_counts(slots: int) -> np.ndarray:
    return np.zeros(slots, dtype=np.int32)
