"""Who appears with whom: the entities sharing an entity's sentences and documents, and how telling that is.

For an entity X and another entity Y:

- ``sentences``: the sentences where both are mentioned;
- ``documents``: the documents where both are mentioned;
- ``score``, two pointwise-mutual-information terms, each smoothed by adding one to
  what was seen and what chance predicts (so one chance meeting is worth little):

  ``log2((sentences + 1) / (E_s + 1)) + log2((documents + 1) / (E_d + 1))``

  where ``E_s = sum over the documents they share of x_d * y_d / S_d`` is how many
  sentences they would share if, within those documents, their mentions fell
  into sentences at random (``x_d``, ``y_d``: sentences of the document mentioning
  X, Y; ``S_d``: its sentences), and ``E_d = df(X) * df(Y) / N`` is how many
  documents they would share by chance (``df``: documents mentioning each, ``N``:
  the documents in scope).

  The first term rewards being named in the same breath rather than merely in
  the same article; the second, meeting in more articles than two names that
  frequent would anyway. A name mentioned everywhere ("United States") is
  predicted to meet X often, so its many meetings score little; a rare name met
  in X's sentences again and again scores high.
- minimum support: Y is listed only when it shares at least one sentence or at
  least ``MIN_SHARED_DOCUMENTS`` documents with X (one shared document and no
  shared sentence says nothing).

Ranked by score, then shared sentences, then shared documents. The counts are
computed from any ``CorpusReader`` (document spans and sentences); a reader
offering ``sentence_entity_pairs`` (the store, with numpy) answers the same much
faster.
"""

from __future__ import annotations

import contextlib
import io
import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from explorer.model import RelatedEntity

MIN_SHARED_DOCUMENTS = 2


@dataclass(slots=True)
class Cooccurrence:
    """Co-occurrence of one entity with the others: arrays aligned with ``ids``."""

    documents: int  # documents of the entity (in scope)
    ids: list[str]
    shared_sentences: np.ndarray  # sentences shared with each
    shared_documents: np.ndarray  # documents shared with each
    expected_sentences: np.ndarray  # sentences they would share by chance (module docstring)
    frequency: np.ndarray  # documents (in scope) mentioning each
    positions: dict[str, int] | None = None  # id -> index in ``ids``, when known

    def of(self, entity_id: str) -> tuple[int, int, float]:
        """(shared sentences, shared documents, expected sentences) with one entity (zeros if none)."""
        try:
            i = self.ids.index(entity_id)
        except ValueError:
            return 0, 0, 0.0
        return int(self.shared_sentences[i]), int(self.shared_documents[i]), float(self.expected_sentences[i])

    def add(self, other: Cooccurrence) -> None:
        """Add the counts of other documents (``other`` counted elsewhere, same entity)."""
        self.documents += other.documents
        positions = self.positions
        if positions is None:
            positions = {entity_id: i for i, entity_id in enumerate(self.ids)}
        new = [entity_id for entity_id in other.ids if entity_id not in positions]
        if new:
            self.ids = list(self.ids)
            positions = self.positions = dict(positions)  # the given map may be shared: copy before growing
            for entity_id in new:
                positions[entity_id] = len(self.ids)
                self.ids.append(entity_id)
            grow = len(new)
            self.shared_sentences = np.concatenate((self.shared_sentences, np.zeros(grow, np.int64)))
            self.shared_documents = np.concatenate((self.shared_documents, np.zeros(grow, np.int64)))
            self.expected_sentences = np.concatenate((self.expected_sentences, np.zeros(grow)))
            self.frequency = np.concatenate((self.frequency, np.zeros(grow, np.int64)))
        where = np.fromiter((positions[entity_id] for entity_id in other.ids), dtype=np.int64, count=len(other.ids))
        np.add.at(self.shared_sentences, where, other.shared_sentences)
        np.add.at(self.shared_documents, where, other.shared_documents)
        np.add.at(self.expected_sentences, where, other.expected_sentences)
        self.frequency[where] = np.maximum(self.frequency[where], other.frequency)


def count_cooccurrence(reader: Any, entity_id: str, doc_ids: Iterable[str] | None = None) -> Cooccurrence:
    """Sentences and documents ``entity_id`` shares with every other entity, from the protocol alone.

    ``doc_ids``: only these documents (a time scope, or the few a fast path leaves over);
    all of the entity's otherwise. ``frequency`` is read from ``reader.entities()``.
    """
    documents = list(reader.entity_document_counts(entity_id))
    if doc_ids is not None:
        scope = doc_ids if isinstance(doc_ids, set | frozenset | dict) else set(doc_ids)
        documents = [doc for doc in documents if doc in scope]
    shared_sentences: Counter[str] = Counter()
    shared_documents: Counter[str] = Counter()
    expected: defaultdict[str, float] = defaultdict(float)
    for doc_id in documents:
        sentences = reader.sentences(doc_id)
        starts = [start for start, _ in sentences]
        in_sentences: dict[str, set[int]] = {}
        for start, _, other, _ in reader.document(doc_id).spans:
            in_sentences.setdefault(other, set()).add(bisect_right(starts, start) - 1)
        own = in_sentences.pop(entity_id, set())
        total = max(len(sentences), 1)
        for other, found in in_sentences.items():
            shared_documents[other] += 1
            both = len(own & found)
            if both:
                shared_sentences[other] += both
            expected[other] += len(own) * len(found) / total
    ids = list(shared_documents)
    if len(ids) > 200:  # many: one pass over the list beats as many look-ups
        listed = {entity.entity_id: entity.doc_count for entity in reader.entities()}
    else:
        listed = {}
        for other in ids:
            with contextlib.suppress(KeyError):
                listed[other] = reader.entity(other).doc_count
    return Cooccurrence(
        len(documents), ids,
        np.array([shared_sentences.get(i, 0) for i in ids], dtype=np.int64),
        np.array([shared_documents[i] for i in ids], dtype=np.int64),
        np.array([expected[i] for i in ids], dtype=np.float64),
        np.array([listed.get(i, 0) for i in ids], dtype=np.int64),
    )


def association_score(sentences: int, expected_sentences: float, documents: int, expected_documents: float) -> float:
    """The smoothed two-term PMI described in the module docstring."""
    return math.log2((sentences + 1) / (expected_sentences + 1)) + math.log2((documents + 1) / (expected_documents + 1))


def document_total(reader: Any) -> int:
    """How many documents a reader has, by its cheapest route."""
    for route in ("document_count", "document_ids"):
        method = getattr(reader, route, None)
        if method is not None:
            found = method()
            return found if isinstance(found, int) else len(found)
    return len(reader.documents())


def related_entities(reader: Any, entity_id: str, limit: int | None = 20, *, doc_ids: Iterable[str] | None = None,
                     document_total: int | None = None, min_support: bool = True) -> list[RelatedEntity]:
    """The entities appearing with ``entity_id``, most telling first (see the module docstring).

    ``doc_ids`` limits the counting to those documents and ``document_total`` is then
    their number (N). Hidden entities never appear (they have no spans).
    """
    entity_id = reader.entity(entity_id).entity_id
    fast = getattr(reader, "cooccurrence", None)
    found = fast(entity_id, doc_ids) if fast is not None else count_cooccurrence(reader, entity_id, doc_ids)
    total = max(document_total if document_total is not None else _document_total(reader), 1)
    sentences = found.shared_sentences.astype(np.float64)
    documents = found.shared_documents.astype(np.float64)
    # The module docstring's score, for every candidate at once.
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.log2((sentences + 1) / (found.expected_sentences + 1)) + \
            np.log2((documents + 1) / (found.documents * found.frequency / total + 1))
    keep = documents > 0
    if min_support:
        keep &= (sentences >= 1) | (documents >= MIN_SHARED_DOCUMENTS)
    candidates = np.flatnonzero(keep)
    rounded = np.round(scores[candidates], 3)
    order = candidates[np.lexsort((-documents[candidates], -sentences[candidates], -rounded))]
    if limit is not None and limit < len(order):
        # Equal scores beyond the limit are settled by name below: keep them until then.
        last = np.round(scores[order[limit - 1]], 3)
        cut = limit
        while cut < len(order) and np.round(scores[order[cut]], 3) == last:
            cut += 1
        order = order[:cut]
    related = []
    for i in order.tolist():
        try:
            entity = reader.entity(found.ids[i])
        except KeyError:
            continue
        if entity.entity_id != entity_id:
            related.append(RelatedEntity(entity, int(sentences[i]), int(documents[i]), round(float(scores[i]), 3)))
    related.sort(key=lambda r: (-r.score, -r.sentences, -r.documents, r.entity.name.casefold()))
    return related if limit is None else related[:limit]


def most_shared_documents(reader: Any, entity_id: str, limit: int, doc_ids: Iterable[str] | None = None
                          ) -> list[tuple[Any, int]]:
    """The entities sharing most documents with ``entity_id`` (``CorpusReader.cooccurring``)."""
    entity_id = reader.entity(entity_id).entity_id
    fast = getattr(reader, "cooccurrence", None)
    found = fast(entity_id, doc_ids) if fast is not None else count_cooccurrence(reader, entity_id, doc_ids)
    candidates = np.flatnonzero(found.shared_documents > 0)
    order = candidates[np.lexsort((-found.frequency[candidates], -found.shared_documents[candidates]))]
    picked: list[tuple[Any, int]] = []
    for i in order.tolist():
        if len(picked) >= limit:
            break
        if found.ids[i] != entity_id:
            picked.append((reader.entity(found.ids[i]), int(found.shared_documents[i])))
    return picked


_document_total = document_total


@dataclass(slots=True)
class Edge:
    """Two entities appearing together: shared sentences and documents, and the association score."""

    source: str
    target: str
    sentences: int
    documents: int
    score: float


def cooccurrence_network(reader: Any, doc_ids: Iterable[str] | None = None,
                         document_total: int | None = None) -> tuple[list[Any], list[Edge]]:
    """Every entity (most mentioned first) and every pair meeting the minimum support, in one pass.

    A pair is an edge when it shares a sentence or ``MIN_SHARED_DOCUMENTS``
    documents; its score is ``association_score`` as for ``related_entities``.
    """
    scope = None if doc_ids is None else set(doc_ids)
    summaries = [s.doc_id for s in reader.documents() if scope is None or s.doc_id in scope]
    shared_sentences: Counter[tuple[str, str]] = Counter()
    shared_documents: Counter[tuple[str, str]] = Counter()
    expected: defaultdict[tuple[str, str], float] = defaultdict(float)
    for doc_id in summaries:
        sentences = reader.sentences(doc_id)
        starts = [start for start, _ in sentences]
        in_sentences: dict[str, set[int]] = {}
        for start, _, entity_id, _ in reader.document(doc_id).spans:
            in_sentences.setdefault(entity_id, set()).add(bisect_right(starts, start) - 1)
        members = sorted(in_sentences)
        total = max(len(sentences), 1)
        for i, first in enumerate(members):
            own = in_sentences[first]
            for second in members[i + 1 :]:
                pair = (first, second)
                found = in_sentences[second]
                shared_documents[pair] += 1
                both = len(own & found)
                if both:
                    shared_sentences[pair] += both
                expected[pair] += len(own) * len(found) / total
    entities = reader.entities()
    by_id = {entity.entity_id: entity for entity in entities}
    documents_total = max(document_total if document_total is not None else len(summaries), 1)
    edges = []
    for pair, documents in shared_documents.items():
        sentences = shared_sentences.get(pair, 0)
        if sentences < 1 and documents < MIN_SHARED_DOCUMENTS:
            continue
        first, second = by_id.get(pair[0]), by_id.get(pair[1])
        if first is None or second is None:
            continue
        expected_documents = first.doc_count * second.doc_count / documents_total
        score = association_score(sentences, expected[pair], documents, expected_documents)
        edges.append(Edge(pair[0], pair[1], sentences, documents, round(score, 3)))
    edges.sort(key=lambda e: (-e.sentences, -e.documents, e.source, e.target))
    return entities, edges


# -- the fast path: which entity is mentioned in which sentence, as arrays ---------------------

# Bump when the arrays change meaning: a cache of the same store generation written by older
# code is then rebuilt.
ARRAYS_FORMAT = 1
_ARRAY_NAMES = ("doc_sentence_start", "sentence_pair_start", "pair_entity", "entity_pair_start",
                "entity_pair_sentence", "doc_pair_start", "docpair_entity", "docpair_sentences")


def _gather_ranges(starts: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of ranges ``starts[w]..starts[w+1]`` for every ``w`` in ``which``, and each range's length."""
    first = starts[which]
    lengths = starts[which + 1] - first
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, np.int64), lengths
    offsets = np.repeat(first - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + offsets, lengths


@dataclass(slots=True)
class CooccurrenceArrays:
    """Per document, which entity is mentioned in which sentence (each pair once), three ways.

    Sentences are numbered across the corpus, document after document
    (``doc_sentence_start``); entities and documents by their position in
    ``entity_ids`` and ``doc_ids``.

    - by sentence: ``pair_entity[sentence_pair_start[s]:sentence_pair_start[s + 1]]``;
    - by entity: ``entity_pair_sentence[entity_pair_start[e]:entity_pair_start[e + 1]]``;
    - by document: ``docpair_entity`` / ``docpair_sentences`` (how many of the document's
      sentences mention the entity) over ``doc_pair_start``.

    A store can keep these as it indexes (they change only with the documents they
    come from); ``build`` makes them from every document's mentions and sentences.
    """

    entity_ids: list[str]
    doc_ids: list[str]
    doc_sentence_start: np.ndarray
    sentence_pair_start: np.ndarray
    pair_entity: np.ndarray
    entity_pair_start: np.ndarray
    entity_pair_sentence: np.ndarray
    doc_pair_start: np.ndarray
    docpair_entity: np.ndarray
    docpair_sentences: np.ndarray
    _entity_index: dict[str, int] | None = None
    _doc_index: dict[str, int] | None = None
    _sentence_doc: np.ndarray | None = None
    _docpair_doc: np.ndarray | None = None
    _identity: np.ndarray | None = None
    _frequency_cache: tuple[np.ndarray, np.ndarray | None, np.ndarray] | None = None
    _mask_cache: dict[int, tuple[Any, np.ndarray]] | None = None

    @classmethod
    def build(cls, entity_ids: list[str],
              documents: Iterable[tuple[str, list[str], list[list[int]], list[tuple[int, int]]]]
              ) -> CooccurrenceArrays:
        """From (doc id, corpus entity id of each local entity, its flat mention offsets, sentence spans)."""
        entity_index = {entity_id: i for i, entity_id in enumerate(entity_ids)}
        doc_ids: list[str] = []
        sentence_counts: list[int] = []
        keys: list[np.ndarray] = []
        sentence_base = 0
        for doc_id, local_ids, offsets, sentences in documents:
            doc_ids.append(doc_id)
            sentence_counts.append(len(sentences))
            starts = np.fromiter((start for start, _ in sentences), dtype=np.int64, count=len(sentences))
            for local_id, flat in zip(local_ids, offsets, strict=True):
                entity = entity_index.get(local_id)
                if entity is None or not flat:
                    continue
                mention_starts = np.asarray(flat[::2], dtype=np.int64)
                sentence = np.maximum(np.searchsorted(starts, mention_starts, side="right") - 1, 0) + sentence_base
                keys.append(sentence * len(entity_ids) + entity)
            sentence_base += len(sentences)
        width = max(len(entity_ids), 1)
        pairs = np.unique(np.concatenate(keys)) if keys else np.empty(0, np.int64)  # by sentence, then entity
        pair_sentence, pair_entity = pairs // width, (pairs % width).astype(np.int32)
        doc_sentence_start = np.concatenate(([0], np.cumsum(sentence_counts))).astype(np.int64)
        total_sentences = int(doc_sentence_start[-1])
        sentence_pair_start = np.searchsorted(pair_sentence, np.arange(total_sentences + 1)).astype(np.int64)
        by_entity = np.lexsort((pair_sentence, pair_entity))
        entity_pair_sentence = pair_sentence[by_entity].astype(np.int32)
        entity_pair_start = np.searchsorted(pair_entity[by_entity], np.arange(len(entity_ids) + 1)).astype(np.int64)
        sentence_doc = np.repeat(np.arange(len(doc_ids), dtype=np.int64), sentence_counts)
        doc_keys = sentence_doc[pair_sentence] * width + pair_entity if len(pairs) else np.empty(0, np.int64)
        docpairs, docpair_sentences = np.unique(doc_keys, return_counts=True)
        docpair_doc = docpairs // width
        return cls(
            entity_ids=list(entity_ids), doc_ids=doc_ids, doc_sentence_start=doc_sentence_start,
            sentence_pair_start=sentence_pair_start, pair_entity=pair_entity,
            entity_pair_start=entity_pair_start, entity_pair_sentence=entity_pair_sentence,
            doc_pair_start=np.searchsorted(docpair_doc, np.arange(len(doc_ids) + 1)).astype(np.int64),
            docpair_entity=(docpairs % width).astype(np.int32), docpair_sentences=docpair_sentences.astype(np.int32),
        )

    # -- cache ---------------------------------------------------------------------------------

    def save(self, path: Path, generation: str) -> None:
        from explorer.store.storage import atomic_write_bytes

        facts = orjson.dumps({"format": ARRAYS_FORMAT, "generation": generation, "entity_ids": self.entity_ids,
                              "doc_ids": self.doc_ids})
        buffer = io.BytesIO()
        np.savez(buffer, facts=np.frombuffer(facts, dtype=np.uint8),
                 **{name: getattr(self, name) for name in _ARRAY_NAMES})
        atomic_write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path: Path, generation: str) -> CooccurrenceArrays | None:
        """The cached arrays, or None when missing, unreadable or of another store generation."""
        try:
            with np.load(path, allow_pickle=False) as data:
                facts = _facts(data)
                if facts.get("format") != ARRAYS_FORMAT or facts.get("generation") != generation:
                    return None
                arrays = {name: data[name] for name in _ARRAY_NAMES}
        except (OSError, ValueError, KeyError, orjson.JSONDecodeError):
            return None
        return cls(entity_ids=facts["entity_ids"], doc_ids=facts["doc_ids"], **arrays)

    # -- counting ------------------------------------------------------------------------------

    def entity_index(self) -> dict[str, int]:
        if self._entity_index is None:
            self._entity_index = {entity_id: i for i, entity_id in enumerate(self.entity_ids)}
        return self._entity_index

    def doc_index(self) -> dict[str, int]:
        if self._doc_index is None:
            self._doc_index = {doc_id: i for i, doc_id in enumerate(self.doc_ids)}
        return self._doc_index

    def doc_mask(self, doc_ids: Iterable[str]) -> np.ndarray:
        """A mask of the documents ``doc_ids`` (a few sets' masks are kept: a scope asks again and again)."""
        if self._mask_cache is None:
            self._mask_cache = {}
        cached = self._mask_cache.get(id(doc_ids))
        if cached is not None and cached[0] is doc_ids:
            return cached[1]
        mask = self._doc_mask(doc_ids)
        if isinstance(doc_ids, set | frozenset):  # the same set asked again (a scope, the corrected documents)
            if len(self._mask_cache) >= 4:
                self._mask_cache.pop(next(iter(self._mask_cache)))
            self._mask_cache[id(doc_ids)] = (doc_ids, mask)
        return mask

    def _doc_mask(self, doc_ids: Iterable[str]) -> np.ndarray:
        index = self.doc_index()
        mask = np.zeros(len(self.doc_ids), dtype=bool)
        found = [index[doc] for doc in doc_ids if doc in index]
        mask[np.asarray(found, dtype=np.int64)] = True
        return mask

    def sentence_doc(self) -> np.ndarray:
        if self._sentence_doc is None:
            counts = np.diff(self.doc_sentence_start)
            self._sentence_doc = np.repeat(np.arange(len(self.doc_ids), dtype=np.int64), counts)
        return self._sentence_doc

    def count(self, entities: list[int], labels: np.ndarray | None = None, label_ids: list[str] | None = None,
              doc_allowed: np.ndarray | None = None, frequency_docs: Any = ...) -> Cooccurrence:
        """Co-occurrence of the entities ``entities`` (counted as one) with every other.

        ``labels`` maps each entity to the one it is counted as (-1: left out), and
        ``label_ids`` names the labels; without them every entity is itself.
        ``doc_allowed``: a mask of the documents to count in; ``frequency_docs``, of
        those whose mentions make ``frequency`` (None: all; default: ``doc_allowed``).
        """
        width = len(label_ids) if label_ids is not None else len(self.entity_ids)
        if labels is None:
            if self._identity is None:
                self._identity = np.arange(len(self.entity_ids), dtype=np.int64)
            labels = self._identity
        lab = labels
        names = label_ids if label_ids is not None else self.entity_ids
        own = np.zeros(width + 1, dtype=bool)  # +1: the left-out label (-1) lands on the last slot
        own[-1] = True
        own_labels = {int(lab[e]) for e in entities if lab[e] >= 0}
        own[list(own_labels)] = True
        members = np.bincount(lab[lab >= 0], minlength=width)
        # Labels counting several entities (their rows may repeat a sentence); the extra
        # slot stands for the left-out label -1.
        merged = np.concatenate((members > 1, [False]))
        # The entity's sentences and documents.
        rows = [self.entity_pair_sentence[self.entity_pair_start[e]:self.entity_pair_start[e + 1]] for e in entities]
        sentences = np.concatenate(rows).astype(np.int64) if rows else np.empty(0, np.int64)
        if len(entities) > 1:
            sentences = np.unique(sentences)
        sentence_doc = self.sentence_doc()
        docs_of = sentence_doc[sentences]
        if doc_allowed is not None:
            keep = doc_allowed[docs_of]
            sentences, docs_of = sentences[keep], docs_of[keep]
        docs, per_doc = np.unique(docs_of, return_counts=True)
        doc_weight = np.zeros(len(self.doc_ids), dtype=np.float64)
        sentence_totals = np.diff(self.doc_sentence_start)[docs]
        doc_weight[docs] = per_doc / np.maximum(sentence_totals, 1)
        # Shared sentences: every pair in the entity's sentences.
        pair_rows, lengths = _gather_ranges(self.sentence_pair_start, sentences)
        pair_labels = lab[self.pair_entity[pair_rows]]
        keep = ~own[pair_labels]
        pair_labels = pair_labels[keep]
        if merged.any():
            pair_sentence = np.repeat(sentences, lengths)[keep]
            pair_labels = np.unique(pair_labels * (int(self.doc_sentence_start[-1]) + 1) + pair_sentence) \
                // (int(self.doc_sentence_start[-1]) + 1)
        shared_sentences = np.bincount(pair_labels, minlength=width)
        # Shared documents and the sentences expected by chance: every pair in the entity's documents.
        doc_rows, lengths = _gather_ranges(self.doc_pair_start, docs)
        row_doc = np.repeat(docs, lengths)
        row_labels = lab[self.docpair_entity[doc_rows]]
        keep = ~own[row_labels]
        row_labels, row_doc, row_sentences = row_labels[keep], row_doc[keep], self.docpair_sentences[doc_rows][keep]
        plain = ~merged[row_labels]
        shared_documents = np.bincount(row_labels[plain], minlength=width)
        expected = np.bincount(row_labels[plain], weights=doc_weight[row_doc[plain]] * row_sentences[plain],
                               minlength=width).astype(np.float64)  # (an empty bincount is of integers)
        if not plain.all():
            # A merged label: its distinct sentences per document, from its entities' own rows.
            merged_entities = np.unique(self.docpair_entity[doc_rows][keep][~plain])
            parts = [self.entity_pair_sentence[self.entity_pair_start[e]:self.entity_pair_start[e + 1]]
                     for e in merged_entities.tolist()]
            part_labels = np.repeat(lab[merged_entities], [len(p) for p in parts])
            part_sentences = np.concatenate(parts).astype(np.int64)
            inside = doc_weight[sentence_doc[part_sentences]] > 0
            span = int(self.doc_sentence_start[-1]) + 1
            distinct = np.unique(part_labels[inside] * span + part_sentences[inside])
            label_of, sentence_of = distinct // span, distinct % span
            doc_of = sentence_doc[sentence_of]
            doc_span = len(self.doc_ids) + 1
            label_docs, counts = np.unique(label_of * doc_span + doc_of, return_counts=True)
            label_of, doc_of = label_docs // doc_span, label_docs % doc_span
            shared_documents += np.bincount(label_of, minlength=width)
            expected += np.bincount(label_of, weights=doc_weight[doc_of] * counts, minlength=width)
        frequency = self.frequency(lab, merged, width, doc_allowed if frequency_docs is ... else frequency_docs)
        return Cooccurrence(len(docs), list(names), shared_sentences.astype(np.int64),
                            shared_documents.astype(np.int64), expected, frequency)

    def frequency(self, labels: np.ndarray, merged: np.ndarray, width: int, allowed: np.ndarray | None) -> np.ndarray:
        """How many (allowed) documents mention each label."""
        cached = self._frequency_cache
        if cached is not None and cached[0] is labels and cached[1] is allowed:
            return cached[2]
        if self._docpair_doc is None:
            self._docpair_doc = np.repeat(np.arange(len(self.doc_ids), dtype=np.int64), np.diff(self.doc_pair_start))
        row_doc = self._docpair_doc
        row_labels = labels[self.docpair_entity]
        valid = row_labels >= 0
        if allowed is not None:
            valid &= allowed[row_doc]
        several = np.zeros(len(valid), dtype=bool)
        several[valid] = merged[row_labels[valid]]
        frequency = np.bincount(row_labels[valid & ~several], minlength=width).astype(np.int64)
        if several.any():
            span = len(self.doc_ids) + 1
            distinct = np.unique(row_labels[several] * span + row_doc[several])
            frequency += np.bincount(distinct // span, minlength=width)
        self._frequency_cache = (labels, allowed, frequency)
        return frequency


def arrays_cache_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".cooccurrence.npz")


def build_apart(store_path: Path, generation: str, documents: int) -> bool:
    """Have a child process build and keep a large store's arrays when the kept ones are not of
    ``generation``; True when the kept arrays are now current (the caller then reads them)."""
    from explorer.apart import run_module, worth_a_process

    if not generation or not worth_a_process(documents):
        return False
    if _kept_generation(arrays_cache_path(store_path)) == generation:
        return True
    return run_module("explorer.store.cooccurrence", str(store_path))


def _kept_generation(cache: Path) -> str | None:
    """The generation the kept arrays were counted for (their facts alone are read)."""
    try:
        with np.load(cache, allow_pickle=False) as data:
            facts = _facts(data)
    except (OSError, ValueError, KeyError, orjson.JSONDecodeError):
        return None
    return facts.get("generation") if facts.get("format") == ARRAYS_FORMAT else None


def _facts(data: Any) -> dict[str, Any]:
    """The kept arrays' facts (format, generation, ids), read alone from their file."""
    return orjson.loads(data["facts"].tobytes())


def main(argv: list[str] | None = None) -> int:
    """``python -m explorer.store.cooccurrence STORE``: build and keep the store's arrays here."""
    import sys

    from explorer.store import StoreError, open_store

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m explorer.store.cooccurrence STORE", file=sys.stderr)
        return 2
    try:
        store = open_store(Path(args[0]))
        arrays_of = getattr(store, "cooccurrence_arrays", None)
        if arrays_of is not None:
            arrays_of(apart=False)
    except StoreError as error:
        print(f"explorer: {error}", file=sys.stderr)
        return 1
    return 0


def cached_arrays(store_path: Path, generation: str, build: Any) -> CooccurrenceArrays:
    """The arrays of a store, from the cache beside it while the store is unchanged, else ``build()`` (and saved)."""
    cache = arrays_cache_path(store_path)
    arrays = CooccurrenceArrays.load(cache, generation) if generation and cache.exists() else None
    if arrays is None:
        arrays = build()
        if generation:
            with contextlib.suppress(OSError):  # a read-only data folder: still right, slower to open
                arrays.save(cache, generation)
    return arrays


# -- the passages two entities share -------------------------------------------------------------


@dataclass(slots=True)
class SharedPassage:
    """A sentence where two entities are both mentioned: its document, its text and offsets, and
    where each entity is mentioned in it (``marks``: (start, end, entity id), document offsets)."""

    doc_id: str
    doc_title: str
    published: str | None
    sentence: str
    sentence_start: int
    marks: list[tuple[int, int, str]]


def shared_passages(reader: Any, entity_id: str, other_id: str) -> list[SharedPassage]:
    """The sentences where ``entity_id`` and ``other_id`` are both mentioned, by date then document.

    Read from the spans of the documents they share (a reader limited to a period shares only
    the period's), so it follows the corrections as ``related_entities`` does.
    """
    mine = reader.entity_document_counts(entity_id)
    shared = [doc_id for doc_id in reader.entity_document_counts(other_id) if doc_id in mine and doc_id]
    both = {entity_id, other_id}
    found: list[tuple[tuple[str, str, int], SharedPassage]] = []
    for doc_id in shared:
        document = reader.document(doc_id)
        sentences = reader.sentences(doc_id)
        starts = [start for start, _ in sentences]
        by_sentence: dict[int, list[tuple[int, int, str]]] = {}
        for start, end, span_entity, _ in document.spans:
            if span_entity in both:
                by_sentence.setdefault(bisect_right(starts, start) - 1, []).append((start, end, span_entity))
        summary = document.summary
        for index, marks in sorted(by_sentence.items()):
            if index < 0 or {mark[2] for mark in marks} != both:
                continue
            first, last = sentences[index]
            passage = SharedPassage(doc_id, summary.title or summary.path, summary.published,
                                    document.text[first:last], first, marks)
            found.append(((summary.published or "9999", summary.path, first), passage))
    found.sort(key=lambda item: item[0])
    return [passage for _, passage in found]


if __name__ == "__main__":
    import sys as _sys

    _sys.exit(main())
