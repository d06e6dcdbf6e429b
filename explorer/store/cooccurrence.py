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

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from explorer.model import RelatedEntity
from explorer.store.api import CorpusReader

MIN_SHARED_DOCUMENTS = 2


@dataclass(slots=True)
class Cooccurrence:
    """Raw co-occurrence of one entity with the others (by their ids)."""

    documents: int  # documents of the entity (in scope)
    shared_sentences: Counter[str]
    shared_documents: Counter[str]
    expected_sentences: dict[str, float]


def count_cooccurrence(reader: CorpusReader, entity_id: str, doc_ids: Iterable[str] | None = None) -> Cooccurrence:
    """Sentences and documents ``entity_id`` shares with every other entity, from the protocol alone.

    ``doc_ids``: only these documents (a time scope); all of the entity's otherwise.
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
    return Cooccurrence(len(documents), shared_sentences, shared_documents, dict(expected))


def association_score(sentences: int, expected_sentences: float, documents: int, expected_documents: float) -> float:
    """The smoothed two-term PMI described in the module docstring."""
    return math.log2((sentences + 1) / (expected_sentences + 1)) + math.log2((documents + 1) / (expected_documents + 1))


def related_entities(reader: Any, entity_id: str, limit: int | None = 20, *, doc_ids: Iterable[str] | None = None,
                     document_total: int | None = None, min_support: bool = True) -> list[RelatedEntity]:
    """The entities appearing with ``entity_id``, most telling first (see the module docstring).

    ``doc_ids`` limits the counting to those documents and ``document_total`` is then
    their number (N); the entities' own document counts come from ``reader.entity``,
    so a scoped reader gives scoped figures.
    """
    entity_id = reader.entity(entity_id).entity_id
    fast = getattr(reader, "cooccurrence", None)
    found = fast(entity_id, doc_ids) if fast is not None else count_cooccurrence(reader, entity_id, doc_ids)
    total = document_total if document_total is not None else len(reader.documents())
    total = max(total, 1)
    related: list[RelatedEntity] = []
    for other, documents in found.shared_documents.items():
        sentences = found.shared_sentences.get(other, 0)
        if min_support and sentences < 1 and documents < MIN_SHARED_DOCUMENTS:
            continue
        try:
            entity = reader.entity(other)
        except KeyError:
            continue
        if entity.entity_id == entity_id:
            continue
        expected_documents = found.documents * entity.doc_count / total
        score = association_score(sentences, found.expected_sentences.get(other, 0.0), documents, expected_documents)
        related.append(RelatedEntity(entity, sentences, documents, round(score, 3)))
    related.sort(key=lambda r: (-r.score, -r.sentences, -r.documents, r.entity.name.casefold()))
    return related if limit is None else related[:limit]


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
