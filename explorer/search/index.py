"""``SearchIndex``: one query box over entity names and passages, fast enough per keystroke.

Built once from a ``CorpusReader`` (a few seconds at 10,000 documents, so the
interface does it in a worker thread; for a store on disk ``build`` keeps it next
to the store and loads it in a fraction of a second while the store is unchanged).
A query is tokenised like the index; each query token is expanded against the
vocabulary (exact, prefix, another romanisation of a name part, typos: see
``vocabulary.py``); the rarest expanded token picks the candidate names or
sentences from the postings, and every candidate is scored on all query tokens
at once with numpy. A result must match every query token, except stop words
(for passages), initials ("S. W. Bosworth" finds Stephen Bosworth) and an acronym
beside a number ("UNSC 1718" finds Resolution 1718), which cost when missing.

The query is then respelled where the corpus may write it otherwise (words
joined or split: "Kim Jongil" and "Kim Jong Il"; initials run together; a name
spelled out for its acronym) and those forms searched too, a little lower. When
no name matched at all, the query is searched once more with every word allowed a
typo, short words and words of the corpus too ("Kim Jon Il").

Scores run 0-100: the mean of the query tokens' match scores (exact 1.0,
prefix ~0.9, another spelling ~0.85, typo ~0.7), nudged by how much of the name
the query covers. Scores are compared rounded, so among equal matches the more
frequent entity (and the earlier passage) comes first.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, overload

import numpy as np
import orjson

from explorer.gcpause import gc_paused
from explorer.model import CorpusEntity, SearchHit
from explorer.search.postings import LayeredPostings, Postings, gather
from explorer.search.tokens import (
    ACRONYM_SKIP,
    PLAIN,
    STOPWORDS,
    WRITTEN,
    acronyms,
    compounds,
    finish,
    is_number,
    leading_acronyms,
    lowered,
    prepared,
    tokenize,
)
from explorer.search.vocabulary import Vocabulary
from explorer.store.api import CorpusReader, SearchableCorpus
from explorer.store.sentences import PassageSource, sentence_spans
from explorer.store.storage import StringTable, read_pack, string_table

NAME, ALIAS, VARIANT = 0, 1, 2
# Candidates scored per query: enough for any page of results, bounded for speed.
ENTITY_CANDIDATES = 6_000
PASSAGE_CANDIDATES = 1_500
MIN_PASSAGE_PREFIX = 3
MAX_GATHERED = 1_000_000  # postings read for one query token at most
PASSAGES_PER_DOCUMENT = 2
# The query respelled (joined, split, abbreviated) ranks just below the query as typed.
RESPELLING_PENALTY = 2.0
MAX_RESPELLINGS = 4
# What a query's initial counts for when the name has none there (a match by prefix is 0.88).
MISSING_MIDDLE_INITIAL = 0.85
MISSING_LEADING_INITIAL = 0.3
# Bump when the cached arrays or the tokens change meaning (tokens.py, _surfaces): a cache
# of the same store generation written by older code is then rebuilt, not trusted.
CACHE_FORMAT = 7
# A passage matching as well as a name ranks below it: names are what the box is mostly for.
PASSAGE_FACTOR = 0.9
PHRASE_BONUS = 5.0
SNIPPET_CHARS = 240


TEXTS_KEPT = 4096  # document texts kept in memory once read (the passages a session shows)


class _Texts:
    """Documents' texts read from the store when a passage needs them; the last few thousand kept."""

    def __init__(self, reader: SearchableCorpus, kept: int = TEXTS_KEPT) -> None:
        self._reader = reader
        self._kept = kept
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, doc_id: str) -> str:
        with self._lock:
            text = self._texts.get(doc_id)
            if text is not None:
                self._texts.move_to_end(doc_id)
                return text
        text = self._reader.text(doc_id)
        with self._lock:
            self._texts[doc_id] = text
            if len(self._texts) > self._kept:
                self._texts.popitem(last=False)
        return text


class _DocumentInfo:
    """A document as search shows it: ids and title at hand, the text in memory or read on demand."""

    __slots__ = ("_text", "_texts", "doc_id", "path", "title")

    def __init__(self, doc_id: str, path: str, title: str, text: str | None = None,
                 texts: _Texts | None = None) -> None:
        self.doc_id, self.path, self.title = doc_id, path, title
        self._text, self._texts = text, texts

    @property
    def text(self) -> str:
        if self._text is not None:
            return self._text
        assert self._texts is not None
        return self._texts.get(self.doc_id)


class _DocumentTable(Sequence[_DocumentInfo]):
    """The indexed documents of a cached index: ids, paths and titles stay in the memory map until asked for."""

    def __init__(self, ids: Sequence[str], paths: Sequence[str], titles: Sequence[str], texts: _Texts) -> None:
        self.ids, self.paths, self.titles, self._texts = ids, paths, titles, texts

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[_DocumentInfo]:
        # One pass over each string table (the store's StringTable decodes it whole), not three lookups a document.
        for doc_id, path, title in zip(self.ids, self.paths, self.titles, strict=True):
            yield _DocumentInfo(doc_id, path, title, texts=self._texts)

    @overload
    def __getitem__(self, index: int) -> _DocumentInfo: ...

    @overload
    def __getitem__(self, index: slice) -> list[_DocumentInfo]: ...

    def __getitem__(self, index: int | slice) -> _DocumentInfo | list[_DocumentInfo]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return _DocumentInfo(self.ids[index], self.paths[index], self.titles[index], texts=self._texts)


# A hit and its place among hits of the same score.
_Ranked = tuple[SearchHit, int]


@dataclass(slots=True)
class _Match:
    """Scored candidates of one postings list."""

    items: np.ndarray
    scores: np.ndarray  # 0-100


class SearchIndex:
    """Entities and passages of one corpus, searchable by typo-tolerant prefix queries."""

    def __init__(self) -> None:
        self.vocabulary: Vocabulary
        self.entity_ids: Sequence[str] = []
        self.entity_names: Sequence[str] = []
        self.entity_types: Sequence[str] = []
        self.surface_texts: Sequence[str] = []
        # "unsc" -> ["un", "security", "council"]: passages spell out what queries abbreviate.
        self.acronym_words: dict[str, list[str]] = {}
        # What an update reuses of a cached index: each entity's key (``_entity_key``), and every
        # (rank, acronym, its words joined by \x1f) an entity gave, in rank order.
        self.entity_keys: Sequence[str] | None = None
        self.acronym_sources: tuple[np.ndarray, Sequence[str], Sequence[str]] | None = None
        self.surface_entity = np.empty(0, np.int32)
        self.surface_kind = np.empty(0, np.int8)
        self.surfaces: Postings
        self.documents: Sequence[_DocumentInfo] = []
        self.sentence_doc: np.ndarray | _Joined = np.empty(0, np.int32)
        self.sentence_start: np.ndarray | _Joined = np.empty(0, np.int32)
        self.sentence_end: np.ndarray | _Joined = np.empty(0, np.int32)
        self.sentences: Postings | LayeredPostings
        # Where each entity is most mentioned: document index (-1: unknown) and first mention.
        self.entity_doc = np.empty(0, np.int32)
        self.entity_start = np.empty(0, np.int32)
        self.entity_end = np.empty(0, np.int32)
        # The store's index run that extracted each document (-1: gone); a cache is updated from it.
        self.doc_revs = np.empty(0, np.int32)
        self.base_file: str | None = None  # the cache's base pack this index reads (see ``save``)
        self.build_seconds = 0.0
        self._split_cache: dict[tuple[str, bool], list[tuple[str, ...]]] = {}

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, reader: CorpusReader) -> SearchIndex:
        """The search index of a corpus: its entities and the sentences of its documents.

        For a store on disk (a ``SearchableCorpus``) the index is kept next to the
        store and memory-mapped while the store is unchanged, which turns seconds
        into a fraction of one on a large corpus. After the store changed, the
        kept index is brought up to date (``updated``): only documents extracted
        again are read and indexed; otherwise it is built.
        """
        if not isinstance(reader, SearchableCorpus) or not reader.generation:
            return cls.build_fresh(reader)
        generation = reader.generation
        cache = cache_path_for(reader.path)
        index = cls.load(cache, reader, generation) if cache.exists() else None
        if index is not None:
            return index
        stale = cls.load(cache, reader, None) if cache.exists() else None
        if stale is not None:
            index = stale.updated(reader)
        if index is None:
            index = cls.build_fresh(reader)
        with contextlib.suppress(OSError):  # a read-only data folder: still searchable, slower to open
            index.save(cache, generation)
        return index

    @classmethod
    def build_fresh(cls, reader: CorpusReader) -> SearchIndex:
        """Index a corpus from scratch, without looking for or writing a cache."""
        with gc_paused():  # millions of short-lived objects, none cyclic
            return cls._build(reader)

    @classmethod
    def _build(cls, reader: CorpusReader) -> SearchIndex:
        started = time.perf_counter()
        index = cls()
        tokens = _Tokens()
        surfaces = index._index_entities(reader.entities(), tokens)
        # A store's texts are read again on demand (a 100,000-document corpus would hold its texts twice).
        texts = _Texts(reader) if isinstance(reader, SearchableCorpus) else None
        passages = _index_passages(_documents(reader), tokens, texts, 0)
        index.documents = passages.documents
        # Final ids follow the sorted vocabulary, so every prefix is one id range.
        index.vocabulary = Vocabulary(tokens.token_ids)
        remap = tokens.remap(index.vocabulary)
        size = len(index.vocabulary)
        index._set_surfaces(surfaces, remap, size)
        index.sentences = Postings.from_forward(remap[passages.tokens], passages.lengths, size)
        index.sentence_doc, index.sentence_start, index.sentence_end = passages.doc, passages.start, passages.end
        if isinstance(reader, SearchableCorpus):
            index.doc_revs = _revisions_of(reader, [doc.doc_id for doc in passages.documents])
        index._anchor_entities(reader)
        index._warm_up()
        index.build_seconds = time.perf_counter() - started
        return index

    def _index_entities(self, entities: list[CorpusEntity], tokens: _Tokens,
                        previous: SearchIndex | None = None) -> _Surfaces:
        """Names, types and every surface of the entities (most mentioned first), in provisional token ids.

        With ``previous`` (a cached index whose token ids are ``tokens``' first ones), an entity
        with the same id, name, type and aliases as one of it takes that one's surfaces and
        acronyms as they were indexed: after a small change most of 100,000 entities are.
        """
        keys = [_entity_key(entity) for entity in entities]
        reused = _ReusedEntities.of(previous, keys) if previous is not None else None
        entity_ids: list[str] = []
        entity_names: list[str] = []
        entity_types: list[str] = []
        new_texts: list[str] = []
        new_tokens = array("i")
        new_lengths: list[int] = []
        new_kinds = array("b")
        sources: list[int] = []  # per surface: an old surface's number, or -1 - a new surface's
        surface_entity = array("i")
        acronym_words: dict[str, list[str]] = {}
        acronym_rank = array("i")
        acronym_names: list[str] = []
        acronym_lists: list[str] = []
        ids_of = tokens.ids_of
        for rank, entity in enumerate(entities):  # most mentioned first
            entity_ids.append(entity.entity_id)
            entity_names.append(entity.name)
            entity_types.append(entity.type)
            old = reused.rank_of.get(keys[rank], -1) if reused is not None else -1
            if old >= 0:
                assert reused is not None
                first, last = reused.surface_starts[old], reused.surface_starts[old + 1]
                sources.extend(range(first, last))
                surface_entity.extend([rank] * (last - first))
                for j in range(reused.acronym_starts[old], reused.acronym_starts[old + 1]):
                    acronym, words = reused.acronyms[j], reused.acronym_lists[j]
                    acronym_rank.append(rank)
                    acronym_names.append(acronym)
                    acronym_lists.append(words)
                    if acronym not in acronym_words:
                        acronym_words[acronym] = words.split("\x1f") if words else []
                continue
            if entity.type != "person":
                for text in (entity.name, *entity.aliases):
                    words = [w for w in tokenize(text) if w not in ACRONYM_SKIP]
                    for acronym in sorted(acronyms(text)):
                        acronym_rank.append(rank)
                        acronym_names.append(acronym)
                        acronym_lists.append("\x1f".join(words))
                        acronym_words.setdefault(acronym, words)  # the most mentioned entity wins
            for text, kind in _surfaces(entity.name, entity.aliases, entity.type):
                ids = ids_of(WRITTEN.findall(lowered(text)))
                if not ids:
                    continue
                sources.append(-1 - len(new_texts))
                new_texts.append(text)
                new_tokens.extend(ids)
                new_lengths.append(len(ids))
                surface_entity.append(rank)
                new_kinds.append(kind)
        self.entity_ids, self.entity_names, self.entity_types = entity_ids, entity_names, entity_types
        self.entity_keys = keys
        self.acronym_words = acronym_words
        self.acronym_sources = (np.frombuffer(acronym_rank, dtype=np.int32).copy(), acronym_names, acronym_lists)
        surfaces, self.surface_texts = _assembled_surfaces(sources, surface_entity, new_texts, new_tokens,
                                                           new_lengths, new_kinds, reused)
        return surfaces

    def _set_surfaces(self, surfaces: _Surfaces, remap: np.ndarray, size: int) -> None:
        self.surfaces = Postings(_remapped(surfaces.tokens, remap), surfaces.lengths, size)
        self.surface_entity = np.frombuffer(surfaces.entity, dtype=np.int32).copy()
        self.surface_kind = np.frombuffer(surfaces.kind, dtype=np.int8).copy()
        self.vocabulary.index_variants(self.surfaces.forward)  # names' words, by phonetic key

    # -- keeping up with the store ---------------------------------------------------------

    def updated(self, reader: SearchableCorpus) -> SearchIndex | None:
        """This (cached) index brought up to date with the store, or None when a fresh build is cheaper.

        The entities (names, aliases, ranks: a merge may change any of them) are
        indexed again, which reads no document. Passages: documents the store
        extracted again since are read and indexed into the delta, their former
        sentences masked out; the base's arrays are not touched.
        """
        started = time.perf_counter()
        doc_ids, revisions = reader.document_revisions()
        old_ids = self.documents.ids if isinstance(self.documents, _DocumentTable) else \
            [doc.doc_id for doc in self.documents]
        current = dict(zip(doc_ids, revisions.tolist(), strict=True))
        kept_docs = np.zeros(len(old_ids), dtype=bool)
        indexed: set[str] = set()
        for position, (doc_id, revision) in enumerate(zip(old_ids, self.doc_revs.tolist(), strict=True)):
            if revision >= 0 and current.get(doc_id) == revision:
                kept_docs[position] = True
                indexed.add(doc_id)
        added = [doc_id for doc_id in doc_ids if doc_id not in indexed]
        dead = int((self.doc_revs >= 0).sum()) - len(indexed)
        if len(added) + dead > max(UPDATE_LIMIT, UPDATE_SHARE * len(doc_ids)):
            return None
        with gc_paused():
            index = SearchIndex()
            tokens = _Tokens(self.vocabulary.tokens)  # old final ids are the provisional ids
            surfaces = index._index_entities(reader.entities(), tokens, previous=self)
            texts = _Texts(reader)
            passages = _index_passages(reader.passage_sources(added), tokens, texts, len(old_ids))
            index.vocabulary = Vocabulary(tokens.token_ids)
            remap = tokens.remap(index.vocabulary)
            size = len(index.vocabulary)
            index._set_surfaces(surfaces, remap, size)

            layers = self.sentences if isinstance(self.sentences, LayeredPostings) else \
                LayeredPostings(self.sentences, np.arange(len(self.vocabulary), dtype=np.int32),
                                np.arange(len(self.vocabulary), dtype=np.int32), None,
                                Postings.from_forward(np.empty(0, np.int32), np.empty(0, np.int32),
                                                      len(self.vocabulary)))
            base = layers.base
            alive_docs = kept_docs[self.sentence_doc[: base.count]]
            alive = alive_docs if layers.alive is None else (layers.alive & alive_docs)
            # The delta: the former delta's sentences of kept documents, then the new documents'.
            old_delta = np.flatnonzero(kept_docs[self.sentence_doc[base.count :]])
            delta_tokens, delta_starts = layers.delta.tokens_of(old_delta)
            delta_lengths = np.diff(np.append(delta_starts, len(delta_tokens))) if len(old_delta) else \
                np.empty(0, np.int64)
            tokens_all = np.concatenate((delta_tokens.astype(np.int32), passages.tokens))
            lengths_all = np.concatenate((delta_lengths.astype(np.int32), passages.lengths))
            delta = Postings.from_forward(remap[tokens_all], lengths_all, size)
            from_base = remap[layers.from_base]
            to_base = np.full(size, -1, dtype=np.int32)
            to_base[from_base] = np.arange(len(from_base), dtype=np.int32)
            index.sentences = LayeredPostings(base, to_base, from_base, alive, delta)
            index.base_file = self.base_file
            tail = base.count + old_delta
            index.sentence_doc = _Joined(self.sentence_doc[: base.count],
                                         np.concatenate((self.sentence_doc[tail], passages.doc)))
            index.sentence_start = _Joined(self.sentence_start[: base.count],
                                           np.concatenate((self.sentence_start[tail], passages.start)))
            index.sentence_end = _Joined(self.sentence_end[: base.count],
                                         np.concatenate((self.sentence_end[tail], passages.end)))
            index.documents = _DocumentList(self.documents, passages.documents)
            index.doc_revs = np.concatenate((np.where(kept_docs, self.doc_revs, -1),
                                             _revisions_of(reader, [doc.doc_id for doc in passages.documents])))
            index._anchor_entities(reader)
        index._warm_up()
        index.build_seconds = time.perf_counter() - started
        return index

    def _anchor_entities(self, reader: CorpusReader) -> None:
        count = len(self.entity_ids)
        self.entity_doc = np.full(count, -1, dtype=np.int32)
        self.entity_start = np.zeros(count, dtype=np.int32)
        self.entity_end = np.zeros(count, dtype=np.int32)
        if not isinstance(reader, SearchableCorpus):
            return
        doc_index = {doc_id: i for i, doc_id in enumerate(_document_columns(self.documents)[0])}
        found = reader.entity_anchors()
        for position, entity_id in enumerate(self.entity_ids):
            anchor = found.get(entity_id)
            if anchor is not None and anchor[0] in doc_index:
                self.entity_doc[position] = doc_index[anchor[0]]
                self.entity_start[position], self.entity_end[position] = anchor[1], anchor[2]

    def _warm_up(self) -> None:
        # The first numpy and rapidfuzz calls pay one-off set-up costs: pay them here,
        # not on the user's first keystroke. (Not with a typo: that would build the
        # vocabulary's fuzzy tables, which a one-query `explorer search` rarely needs.)
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        process.extract("zqxj", ["zqx", "qxj"], scorer=OSA.distance, score_cutoff=1, limit=None)
        for query in ("a", "1 b"):
            self.search(query, limit=1)

    # -- searching -------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50, type: str | None = None) -> list[SearchHit]:
        """Entities and passages matching ``query``, best first.

        The query is searched as typed, then respelled where the corpus writes it
        otherwise (joined, split, abbreviated: ``_respellings``), a little lower; when
        no entity matched at all, once more with every word allowed a typo.
        """
        tokens = tokenize(query)
        if not tokens or limit <= 0:
            return []
        still_typing = not query[-1:].isspace()
        ranked = self._search_tokens(tokens, still_typing, limit, type)
        named = any(hit.kind == "entity" for hit, _ in ranked)
        for respelled, abbreviated in self._respellings(tokens, still_typing):
            # An acronym's passages only when the name as typed matched nothing: they cost.
            more = self._search_tokens(respelled, still_typing, limit, type, passages=not (abbreviated and named))
            ranked = _merged_hits(ranked, more, limit, penalty=RESPELLING_PENALTY)
        if not any(hit.kind == "entity" for hit, _ in ranked):
            # A typo that spells another corpus word ("stephan"), or one in a short name part.
            more = self._search_tokens(tokens, still_typing, limit, type, typos=True, passages=False)
            ranked = _merged_hits(ranked, more, limit)
        return [hit for hit, _ in ranked]

    def _search_tokens(self, tokens: list[str], still_typing: bool, limit: int, type: str | None,
                       typos: bool = False, passages: bool = True) -> list[_Ranked]:
        """Entities and passages matching these query tokens, best first, each with its
        place among equals (an entity's frequency rank, a passage's place in the list)."""
        expansions = []
        in_passages = []
        for position, token in enumerate(tokens):
            last = position == len(tokens) - 1
            # Numbers complete by prefix only while being typed: "187" -> 1874, but "1874 x" is exact.
            allow_prefix = not is_number(token) or (last and still_typing)
            complete = not (last and still_typing)
            # A finished name part also reaches its one-typo neighbours; a passage's words
            # do not ("world" would find every "would").
            expansions.append(self.vocabulary.expand(token, allow_prefix, complete, typos and not is_number(token),
                                                     neighbours=complete))
            in_passages.append(self.vocabulary.expand(token, allow_prefix, complete))
        optional = self._optional(tokens)
        if any(missing is None and len(ids) == 0 for missing, (ids, _) in zip(optional, expansions, strict=True)):
            return []  # some token matches nothing anywhere
        hits = self._entity_hits(expansions, limit, type, optional)
        found: list[tuple[float, int]] = []
        content: list[tuple[np.ndarray, np.ndarray]] = []
        if type is None and passages:
            content_optional: list[float | None] = []
            spelled_content: list[tuple[np.ndarray, np.ndarray]] = []
            any_spelled = False
            for position, token in enumerate(tokens):
                if token in STOPWORDS or (len(token) == 1 and optional[position] is not None):
                    continue  # an initial would match any word starting so
                if len(token) < MIN_PASSAGE_PREFIX and position == len(tokens) - 1 and still_typing:
                    # "n" or "nu" would match half the corpus's sentences: complete words only.
                    expansion = self.vocabulary.expand(token, allow_prefix=False)
                else:
                    expansion = in_passages[position]
                content.append(expansion)
                content_optional.append(optional[position])
                spelled = self._spelled_out(token)
                any_spelled = any_spelled or bool(spelled)
                spelled_content.extend(spelled or [expansion])
            if any(missing is None for missing in content_optional) and all(
                    len(ids) for (ids, _), missing in zip(content, content_optional, strict=True) if missing is None):
                found = self._passage_candidates(content, limit, content_optional)
            if any_spelled:
                # Sentences may write the acronym ("UNSC") or spell it out ("UN Security Council").
                found = _merged(found, self._passage_candidates(spelled_content, limit))
                content = content + spelled_content
        # Rounded scores, entities before passages, then the order each list came in.
        ranked = [(-round(hit.score), 0, i) for i, (hit, _) in enumerate(hits)]
        ranked += [(-round(score), 1, j) for j, (score, _) in enumerate(found)]
        ranked.sort()
        results: list[_Ranked] = []
        matched: _Matched | None = None
        for _, kind, i in ranked[:limit]:
            if kind == 0:
                results.append(hits[i])
                continue
            if matched is None:  # only for passages that made the cut: highlighting costs
                matched = self._matched_tokens(content)
            score, sentence = found[i]
            words = sum(1 for token in tokens if token not in STOPWORDS)
            results.append((self._passage_hit(sentence, score, matched, phrase_of=words), len(results)))
        # A passage holding the words as a phrase ("six-party" for "six party") moves up.
        results.sort(key=lambda ranked: (-round(ranked[0].score), ranked[0].kind != "entity"))
        return results

    def _optional(self, tokens: list[str]) -> list[float | None]:
        """For each query token, None when a result must match it, else the score it counts
        for when missing. A middle initial may be missing from the name ("Stephen W. Bosworth"
        is "Stephen Bosworth" too), a leading one at a cost ("S Bosworth" is Stephen before
        Mary Bosworth), and an acronym beside a number ("UNSC 1718": "Resolution 1718")."""
        numbered = any(is_number(token) for token in tokens)
        last = len(tokens) - 1
        optional: list[float | None] = []
        for position, token in enumerate(tokens):
            if len(token) == 1 and token.isalpha() and position < last:
                optional.append(MISSING_LEADING_INITIAL if position == 0 else MISSING_MIDDLE_INITIAL)
            elif numbered and len(token) >= 3 and token in self.acronym_words:
                optional.append(0.0)
            else:
                optional.append(None)
        return optional if any(value is None for value in optional) else [None] * len(tokens)

    def _respellings(self, tokens: list[str], still_typing: bool) -> list[tuple[list[str], bool]]:
        """The query as the corpus may write it: two words joined ("jong il" -> "jongil",
        "six party" -> "sixparty"), one word split ("jongil" -> "jong il"), joined initials
        apart ("sw bosworth" -> "s w bosworth"), a spelled-out name abbreviated ("korean
        central news agency" -> "kcna"); only forms whose words are in the corpus. Each
        with True when it is an abbreviation."""
        vocabulary = self.vocabulary
        last = len(tokens) - 1
        found: list[tuple[list[str], bool]] = []
        for i in range(last):
            first, second = tokens[i], tokens[i + 1]
            typing = i + 1 == last and still_typing
            # Initials are not joined ("a l" is not "al"), save a last letter being typed ("jong i");
            # nor are stop words ("of f" is not "off").
            if not (first.isalpha() and second.isalpha()) or len(first) < 2 or (len(second) < 2 and not typing) \
                    or first in STOPWORDS or second in STOPWORDS:
                continue
            joined = first + second
            if vocabulary.knows(joined) or (typing and vocabulary.starts_some(joined)):
                found.append((tokens[:i] + [joined] + tokens[i + 2 :], False))
        for i, token in enumerate(tokens):
            for split in self._splits(token, typing=i == last and still_typing):
                found.append((tokens[:i] + list(split) + tokens[i + 1 :], False))
            if i < last and 2 <= len(token) <= 3 and _initials(token) and token not in vocabulary.ids:
                found.append((tokens[:i] + list(token) + tokens[i + 1 :], False))  # initials: "S.W. Bosworth"
        words = [token for token in tokens if token not in ACRONYM_SKIP]
        if len(words) >= 3 and all(word.isalpha() for word in words):
            acronym = "".join(word[0] for word in words)
            if acronym in vocabulary.ids:
                found.append(([acronym], True))
        return found[:MAX_RESPELLINGS]

    def _splits(self, token: str, typing: bool) -> list[tuple[str, ...]]:
        """Corpus words ``token`` may be written as, two or three ("jongil" -> "jong", "il";
        "kimjongil" -> "kim", "jong", "il"), when it is not one itself (the last part may be
        a word's start while it is typed)."""
        key = (token, typing)
        cached = self._split_cache.get(key)
        if cached is None:
            vocabulary = self.vocabulary
            cached = []
            if token.isalpha() and len(token) >= 4 and token not in vocabulary.ids \
                    and not (typing and vocabulary.starts_some(token)):
                cached = self._split_into(token, typing, parts=3)[:MAX_RESPELLINGS]
            if len(self._split_cache) > 4096:
                self._split_cache.clear()
            self._split_cache[key] = cached
        return cached

    def _split_into(self, text: str, typing: bool, parts: int) -> list[tuple[str, ...]]:
        vocabulary = self.vocabulary
        found: list[tuple[str, ...]] = []
        for cut in range(2, len(text) - (0 if typing else 1)):
            head, tail = text[:cut], text[cut:]
            if not vocabulary.knows(head):
                continue
            if vocabulary.knows(tail) or (typing and vocabulary.starts_some(tail)):
                found.append((head, tail))
            elif parts > 2 and len(tail) >= 4:
                found += [(head, *rest) for rest in self._split_into(tail, typing, parts - 1)]
        return found

    def _spelled_out(self, token: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """A known acronym as the words it stands for ("unsc" -> un, security, council); [] otherwise."""
        words = self.acronym_words.get(token)
        if not words or len(token) < 3:  # "UN", "EU", "US" are written as such
            return []
        spelled = [self.vocabulary.expand(word, allow_prefix=False) for word in words if word not in STOPWORDS]
        return spelled if spelled and all(len(ids) for ids, _ in spelled) else []

    def _score(self, postings: Postings, expansions: list[tuple[np.ndarray, np.ndarray]], cap: int,
               coverage_weight: float, optional: list[float | None] | None = None) -> _Match | None:
        """Candidates from the rarest required token's postings, scored on every token: the mean
        of their match scores (an optional token missing counts its own score), nudged by coverage."""
        optional = optional or [None] * len(expansions)
        needed = np.asarray([missing is None for missing in optional], dtype=bool)
        sizes = [int(postings.posting_sizes(ids).sum()) for ids, _ in expansions]
        driver = min(np.flatnonzero(needed).tolist(), key=sizes.__getitem__)
        ids, scores = expansions[driver]
        if sizes[driver] == 0:
            return None
        if sizes[driver] > MAX_GATHERED:
            # Too common to even gather: the driver's best tokens first (exact before prefix).
            order = np.argsort(-scores, kind="stable")
            cumulative = np.cumsum(postings.posting_sizes(ids[order]))
            ids = ids[order[: int(np.searchsorted(cumulative, MAX_GATHERED)) + 1]]
        items = postings.items_of(ids, cap)  # lowest numbers: most frequent entities, earliest passages
        tokens, starts = postings.tokens_of(items)
        dense = np.zeros(len(self.vocabulary), dtype=np.float32)
        best = np.empty((len(expansions), len(items)), dtype=np.float32)
        matched_any = np.zeros(len(tokens), dtype=bool)
        for i, (token_ids, token_scores) in enumerate(expansions):
            dense[token_ids] = token_scores
            values = dense[tokens]
            best[i] = np.maximum.reduceat(values, starts)
            matched_any |= values > 0
            dense[token_ids] = 0
        keep = (best[needed] > 0).all(axis=0)
        for i, missing in enumerate(optional):
            if missing is not None:
                np.maximum(best[i], missing, out=best[i])
        if not keep.any():
            return None
        mean = best.mean(axis=0)
        coverage = np.add.reduceat(matched_any.astype(np.float32), starts) / postings.lengths_of(items)
        total = 100.0 * ((1.0 - coverage_weight) * mean + coverage_weight * np.minimum(coverage, 1.0))
        return _Match(items[keep], total[keep])

    def _entity_hits(self, expansions: list[tuple[np.ndarray, np.ndarray]], limit: int,
                     type: str | None, optional: list[float | None] | None = None) -> list[_Ranked]:
        match = self._score(self.surfaces, expansions, ENTITY_CANDIDATES, coverage_weight=0.1, optional=optional)
        if match is None:
            return []
        scores = match.scores
        entities = self.surface_entity[match.items]
        surfaces = match.items
        if type is not None:
            wanted = np.fromiter((self.entity_types[e] == type for e in entities), dtype=bool, count=len(entities))
            scores, entities, surfaces = scores[wanted], entities[wanted], surfaces[wanted]
        # Rounded score, then frequency (entity rank); within an entity its best
        # surface, the name before aliases (surfaces are numbered name first).
        order = np.lexsort((surfaces, -scores, entities, -np.round(scores)))
        hits: list[_Ranked] = []
        seen: set[int] = set()
        matched = self._matched_tokens(expansions)
        for position in order:
            entity = int(entities[position])
            if entity in seen:
                continue
            seen.add(entity)
            hits.append((self._entity_hit(entity, int(surfaces[position]), float(scores[position]), matched), entity))
            if len(hits) >= limit:
                break
        return hits

    def _entity_hit(self, entity: int, surface: int, score: float, matched: _Matched) -> SearchHit:
        name = self.entity_names[entity]
        surface_text = self.surface_texts[surface]
        snippet = name if surface_text == name or self.surface_kind[surface] == NAME else f"{name} ({surface_text})"
        doc_index = int(self.entity_doc[entity]) if len(self.entity_doc) else -1
        doc = self.documents[doc_index] if doc_index >= 0 else None
        return SearchHit(
            kind="entity",
            name=name,
            type=self.entity_types[entity],
            score=round(score, 1),
            # Where the entity is mentioned most, at its first mention there.
            document=doc.path if doc else None,
            start=int(self.entity_start[entity]) if doc else None,
            end=int(self.entity_end[entity]) if doc else None,
            snippet=snippet,
            entity_id=self.entity_ids[entity],
            doc_id=doc.doc_id if doc else None,
            highlights=_highlights(snippet, matched),
        )

    def _passage_candidates(self, expansions: list[tuple[np.ndarray, np.ndarray]], limit: int,
                            optional: list[float | None] | None = None) -> list[tuple[float, int]]:
        """(score, sentence) of the best passages: one document gives two at most, repeats none."""
        match = self._score(self.sentences, expansions, PASSAGE_CANDIDATES, coverage_weight=0.0, optional=optional)
        if match is None:
            return []
        order = np.lexsort((match.items, -np.round(match.scores)))
        per_document: dict[int, int] = {}
        seen_texts: set[str] = set()
        found: list[tuple[float, int]] = []
        for position in order:
            sentence = int(match.items[position])
            doc_index = int(self.sentence_doc[sentence])
            if per_document.get(doc_index, 0) >= PASSAGES_PER_DOCUMENT:
                continue
            text = self.documents[doc_index].text[self.sentence_start[sentence] : self.sentence_end[sentence]]
            if text in seen_texts:  # boilerplate and headlines repeated as first lines
                continue
            seen_texts.add(text)
            per_document[doc_index] = per_document.get(doc_index, 0) + 1
            found.append((PASSAGE_FACTOR * float(match.scores[position]), sentence))
            if len(found) >= limit:
                break
        return found

    def _passage_hit(self, sentence: int, score: float, matched: _Matched, phrase_of: int = 0) -> SearchHit:
        doc = self.documents[int(self.sentence_doc[sentence])]
        start, end = int(self.sentence_start[sentence]), int(self.sentence_end[sentence])
        text = doc.text[start:end]
        marks = _highlights(text, matched)
        if phrase_of > 1 and _has_phrase(text, marks, phrase_of):
            score = min(score + PHRASE_BONUS, 99.0)
        snippet, shift = _trim(text, marks)
        return SearchHit(
            kind="passage",
            name=doc.title,
            type=None,
            score=round(score, 1),
            document=doc.path,
            start=start,
            end=end,
            snippet=snippet,
            doc_id=doc.doc_id,
            highlights=[(s - shift, e - shift) for s, e in marks if s - shift >= 0 and e - shift <= len(snippet)],
        )

    def _matched_tokens(self, expansions: list[tuple[np.ndarray, np.ndarray]]) -> _Matched:
        """What the query matched, for highlighting: token ids (a one-letter prefix reaches thousands)."""
        ids = np.concatenate([ids for ids, _ in expansions])
        return _Matched(set(ids.tolist()), self.vocabulary.ids)

    # -- the on-disk cache ----------------------------------------------------------------

    def save(self, path: Path, generation: str) -> None:
        """Keep the index next to its store, tagged with the store's generation.

        Two packs of arrays (see ``explorer.store.storage``), memory-mapped by
        ``load``: the *base* (the bulk: the sentences' postings of the last full
        build, written once) and the *head* (everything else, and what updates
        added since), replaced atomically. Another process saving at the same
        moment makes this one skip: the cache is an optimisation.
        """
        from filelock import FileLock, Timeout

        lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            return
        try:
            self._save_locked(path, generation)
        finally:
            lock.release()

    def _save_locked(self, path: Path, generation: str) -> None:
        from explorer.store.storage import fresh_name, fsync_folder, temp_path_for, write_pack

        base_file = self.base_file
        base = self.sentences.base if isinstance(self.sentences, LayeredPostings) else self.sentences
        if isinstance(self.sentences, LayeredPostings):
            layers = self.sentences
        else:
            identity = np.arange(len(self.vocabulary), dtype=np.int32)
            layers = LayeredPostings(base, identity, identity, None, _empty_postings(len(self.vocabulary)))
        if base_file is None or not path.with_name(base_file).exists():  # a fresh build: its base is written once
            count = base.count
            base_arrays = {f"sentences.{name}": values for name, values in base.arrays().items()}
            base_arrays.update({"sentence_doc": self.sentence_doc[:count], "sentence_start": self.sentence_start[:count],
                                "sentence_end": self.sentence_end[:count]})
            base_file = fresh_name(f"{path.name}.base", ".pack")
            write_pack(path.with_name(base_file), base_arrays)
        count = base.count
        arrays: dict[str, np.ndarray] = {
            "surface_entity": self.surface_entity,
            "entity_doc": self.entity_doc,
            "entity_start": self.entity_start,
            "entity_end": self.entity_end,
            "surface_kind": self.surface_kind,
            "doc_revs": self.doc_revs,
            "acronym_rank": self.acronym_sources[0] if self.acronym_sources else np.empty(0, np.int32),
            "delta.sentence_doc": self.sentence_doc[count:],
            "delta.sentence_start": self.sentence_start[count:],
            "delta.sentence_end": self.sentence_end[count:],
            "layer.to_base": layers.to_base,
            "layer.from_base": layers.from_base,
        }
        if layers.alive is not None:
            arrays["layer.alive"] = layers.alive
        for prefix, postings in (("surfaces", self.surfaces), ("delta", layers.delta)):
            for name, array_ in postings.arrays().items():
                arrays[f"{prefix}.{name}"] = array_
        documents = self.documents
        strings: dict[str, Iterable[str]] = {
            "entity_ids": self.entity_ids,
            "entity_names": self.entity_names,
            "entity_types": self.entity_types,
            "surface_texts": self.surface_texts,
            "entity_keys": self.entity_keys or (),
            "acronym_names": self.acronym_sources[1] if self.acronym_sources else (),
            "acronym_lists": self.acronym_sources[2] if self.acronym_sources else (),
        }
        strings.update(zip(("doc_ids", "doc_paths", "doc_titles"), _document_columns(documents), strict=True))
        for name, values in strings.items():
            arrays[f"{name}.blob"], arrays[f"{name}.ends"] = string_table(values)
        arrays.update(_vocabulary_arrays(self.vocabulary))
        facts = {"format": CACHE_FORMAT, "generation": generation, "acronym_words": self.acronym_words,
                 "entity_keys": self.entity_keys is not None and self.acronym_sources is not None,
                 "base": base_file, "layered": isinstance(self.sentences, LayeredPostings)}
        arrays["facts"] = np.frombuffer(orjson.dumps(facts), dtype=np.uint8)
        temp = temp_path_for(path)
        with contextlib.suppress(OSError):
            temp.unlink()
        try:
            write_pack(temp, arrays)
            os.replace(temp, path)  # a reader that mapped the old file keeps reading it
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        fsync_folder(path.parent)
        self.base_file = base_file
        for other in path.parent.glob(f"{path.name}.base.*.pack"):
            if other.name != base_file:
                with contextlib.suppress(OSError):
                    other.unlink()

    @classmethod
    def load(cls, path: Path, reader: SearchableCorpus, generation: str | None) -> SearchIndex | None:
        """The cached index, or None when it is missing, unreadable or from another generation
        (``generation`` None: whatever generation it was kept for, to be ``updated``)."""
        from explorer.store.storage import StoreFormatError

        started = time.perf_counter()
        try:
            arrays = read_pack(_mapped(path))
            facts = orjson.loads(arrays["facts"].tobytes())
            if facts.get("format") != CACHE_FORMAT or (generation is not None and facts.get("generation") != generation):
                return None
            base = read_pack(_mapped(path.with_name(facts["base"])))
            index = cls()

            def strings(name: str) -> StringTable:
                return StringTable(arrays[f"{name}.blob"], arrays[f"{name}.ends"])

            index.vocabulary = _vocabulary_from_arrays(arrays)
            index.entity_ids = strings("entity_ids")
            index.entity_names = strings("entity_names")
            index.entity_types = strings("entity_types")
            index.surface_texts = strings("surface_texts")
            index.acronym_words = facts["acronym_words"]
            if facts.get("entity_keys"):
                index.entity_keys = strings("entity_keys")
                index.acronym_sources = (arrays["acronym_rank"], strings("acronym_names"), strings("acronym_lists"))
            index.documents = _DocumentTable(strings("doc_ids"), strings("doc_paths"), strings("doc_titles"),
                                             _Texts(reader))
            for name in ("surface_entity", "surface_kind", "entity_doc", "entity_start", "entity_end", "doc_revs"):
                setattr(index, name, arrays[name])
            index.surfaces = _postings(arrays, "surfaces")
            base_postings = _postings(base, "sentences")
            index.base_file = facts["base"]
            if facts.get("layered"):
                index.sentences = LayeredPostings(base_postings, arrays["layer.to_base"], arrays["layer.from_base"],
                                                  arrays.get("layer.alive"), _postings(arrays, "delta"))
                for name in ("sentence_doc", "sentence_start", "sentence_end"):
                    setattr(index, name, _Joined(base[name], arrays[f"delta.{name}"]))
            else:
                index.sentences = base_postings
                for name in ("sentence_doc", "sentence_start", "sentence_end"):
                    setattr(index, name, base[name])
        except (OSError, ValueError, KeyError, StoreFormatError, orjson.JSONDecodeError):
            return None
        index._warm_up()
        index.build_seconds = time.perf_counter() - started
        return index

    # -- facts for benchmarks and the interface ----------------------------------------

    @property
    def entity_count(self) -> int:
        return len(self.entity_ids)

    @property
    def passage_count(self) -> int:
        return len(self.sentence_doc)


# A cached index is brought up to date when fewer documents than this changed (more: built afresh).
UPDATE_LIMIT = 2_000
UPDATE_SHARE = 0.2
PASSAGE_BATCH = 2_000  # documents tokenised per numpy pass (bounds the memory of a large build)


class _Tokens:
    """Provisional token ids while names and texts are read (final ids follow the sorted vocabulary)."""

    def __init__(self, known: Sequence[str] = ()) -> None:
        # A cached index's tokens keep their ids as provisional ones, so its arrays need no translation.
        self.token_ids: dict[str, int] = {token: i for i, token in enumerate(known)}
        self.written_ids: dict[str, int] = {}  # a written form ("u.n.") -> its token's provisional id
        self.stopword_ids: set[int] = {self.token_ids[w] for w in STOPWORDS if w in self.token_ids}

    def id_of(self, form: str) -> int:
        i = self.written_ids.get(form)
        if i is None:
            token = finish(form)
            i = self.token_ids.setdefault(token, len(self.token_ids)) if token else -1
            self.written_ids[form] = i
            if token in STOPWORDS:
                self.stopword_ids.add(i)
        return i

    def ids_of(self, written: Iterable[str]) -> list[int]:
        found = {self.id_of(form) for form in written}
        found.discard(-1)
        return list(found)

    def forms_ids(self, forms: list[str]) -> list[int]:
        lookup = self.written_ids.get
        ids = [lookup(form, -2) for form in forms]
        if -2 in ids:  # forms not seen before: give their tokens ids
            ids = [i if i != -2 else self.id_of(form) for i, form in zip(ids, forms, strict=True)]
        return ids

    def remap(self, vocabulary: Vocabulary) -> np.ndarray:
        """Provisional id -> final id."""
        remap = np.empty(len(self.token_ids), dtype=np.int32)
        for token, provisional in self.token_ids.items():
            remap[provisional] = vocabulary.ids[token]
        return remap


@dataclass
class _Surfaces:
    """Every entity's surfaces as read, in provisional token ids."""

    tokens: array = field(default_factory=lambda: array("i"))
    lengths: array = field(default_factory=lambda: array("i"))
    entity: array = field(default_factory=lambda: array("i"))
    kind: array = field(default_factory=lambda: array("b"))


def _document_columns(documents: Sequence[_DocumentInfo]) -> tuple[Sequence[str], Sequence[str], Sequence[str]]:
    """The documents' ids, paths and titles; a cached table's stay undecoded string tables."""
    if isinstance(documents, _DocumentTable):
        return documents.ids, documents.paths, documents.titles
    if isinstance(documents, _DocumentList):
        first = _document_columns(documents.first)
        more = ([d.doc_id for d in documents.more], [d.path for d in documents.more],
                [d.title for d in documents.more])
        return tuple(column.extended(extra) if isinstance(column, StringTable) else [*column, *extra]  # type: ignore[return-value]
                     for column, extra in zip(first, more, strict=True))
    return [d.doc_id for d in documents], [d.path for d in documents], [d.title for d in documents]


def _entity_key(entity: CorpusEntity) -> str:
    """What an entity's surfaces and acronyms follow from: id, name, type and aliases."""
    return "\x1f".join((entity.entity_id, entity.name, entity.type, *entity.aliases))


@dataclass
class _ReusedEntities:
    """A cached index's entities as indexed: each one's surfaces and acronyms, by its key."""

    rank_of: dict[str, int]
    surface_starts: list[int]  # per old rank: its first surface (surfaces are in rank order)
    texts: Sequence[str]
    kinds: np.ndarray
    forward: np.ndarray  # the surfaces' token ids (the cached vocabulary's, also the new provisional ids)
    forward_offsets: np.ndarray
    acronym_starts: list[int]
    acronyms: list[str]
    acronym_lists: list[str]

    @classmethod
    def of(cls, previous: SearchIndex, keys: list[str]) -> _ReusedEntities | None:
        if previous.entity_keys is None or previous.acronym_sources is None:
            return None  # a cache written before the keys were kept
        old_keys = list(previous.entity_keys)
        count = len(old_keys)
        wanted = set(keys)
        rank_of = {key: rank for rank, key in enumerate(old_keys) if key in wanted}
        ranks, names, lists = previous.acronym_sources
        return cls(rank_of,
                   np.searchsorted(previous.surface_entity, np.arange(count + 1)).tolist(),
                   list(previous.surface_texts), np.asarray(previous.surface_kind),
                   np.asarray(previous.surfaces.forward), np.asarray(previous.surfaces.forward_offsets),
                   np.searchsorted(ranks, np.arange(count + 1)).tolist(), list(names), list(lists))


def _assembled_surfaces(sources: list[int], surface_entity: array, new_texts: list[str], new_tokens: array,
                        new_lengths: list[int], new_kinds: array,
                        reused: _ReusedEntities | None) -> tuple[_Surfaces, list[str]]:
    """The surfaces in rank order from the reused ones (``sources`` >= 0) and the new ones (< 0)."""
    surfaces = _Surfaces()
    surfaces.entity = surface_entity
    if reused is None:
        surfaces.tokens, surfaces.kind = new_tokens, new_kinds
        surfaces.lengths = array("i", new_lengths)
        return surfaces, new_texts
    source = np.asarray(sources, dtype=np.int64)
    old_count = len(reused.forward_offsets) - 1
    pooled = np.where(source >= 0, source, old_count + (-1 - source))
    new_offsets = np.zeros(len(new_lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(new_lengths, dtype=np.int64), out=new_offsets[1:])
    offsets = np.concatenate((reused.forward_offsets, reused.forward_offsets[-1] + new_offsets[1:]))
    tokens = np.concatenate((reused.forward, np.frombuffer(new_tokens, dtype=np.int32)))
    gathered, lengths = gather(offsets, tokens, pooled)
    kinds = np.concatenate((reused.kinds.astype(np.int8), np.frombuffer(new_kinds, dtype=np.int8)))[pooled]
    surfaces.tokens = array("i", gathered.astype(np.int32).tobytes())
    surfaces.lengths = array("i", lengths.astype(np.int32).tobytes())
    surfaces.kind = array("b", kinds.tobytes())
    old_texts = reused.texts
    texts = [old_texts[i] if i >= 0 else new_texts[-1 - i] for i in sources]
    return surfaces, texts


@dataclass
class _Passages:
    """Sentences of some documents: their distinct tokens (provisional ids) and where they are."""

    documents: list[_DocumentInfo]
    tokens: np.ndarray
    lengths: np.ndarray
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _index_passages(sources: Iterable[PassageSource], tokens: _Tokens, texts: _Texts | None,
                    first_doc: int) -> _Passages:
    """Tokenise documents sentence by sentence, a batch of documents per numpy pass.

    Every sentence's written forms go in one flat array (provisional ids, repeats
    and stop words included); numpy dedupes and filters each batch.
    """
    documents: list[_DocumentInfo] = []
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("tokens", "lengths", "doc", "start", "end")}
    form_ids, form_counts = array("i"), array("i")
    sentence_doc, sentence_start, sentence_end = array("i"), array("i"), array("i")

    def flush() -> None:
        nonlocal form_ids, form_counts, sentence_doc, sentence_start, sentence_end
        identity = np.arange(len(tokens.token_ids), dtype=np.int32)
        kept, batch_tokens, lengths = _distinct_per_sentence(form_ids, form_counts, identity, tokens.stopword_ids)
        parts["tokens"].append(batch_tokens)
        parts["lengths"].append(lengths.astype(np.int32))
        for name, values in (("doc", sentence_doc), ("start", sentence_start), ("end", sentence_end)):
            parts[name].append(np.frombuffer(values, dtype=np.int32)[kept].copy())
        form_ids, form_counts = array("i"), array("i")
        sentence_doc, sentence_start, sentence_end = array("i"), array("i"), array("i")

    for offset, source in enumerate(sources):
        doc_index = first_doc + offset
        documents.append(_DocumentInfo(source.doc_id, source.path, source.title,
                                       None if texts else source.text, texts))
        text, furniture = source.text, source.furniture
        low = prepared(lowered(text))  # same offsets as the text: tokenise it sentence by sentence
        forms: list[str] = []
        for start, end in source.sentences:
            if furniture and _inside(furniture, start, end):
                continue
            found = PLAIN.findall(low, start, end)
            if not found:
                continue
            forms += found
            form_counts.append(len(found))
            sentence_doc.append(doc_index)
            sentence_start.append(start)
            sentence_end.append(end)
        form_ids.extend(tokens.forms_ids(forms))
        if (offset + 1) % PASSAGE_BATCH == 0:
            flush()
    flush()
    joined = {name: np.concatenate(values).astype(np.int32) for name, values in parts.items()}
    return _Passages(documents, joined["tokens"], joined["lengths"], joined["doc"], joined["start"], joined["end"])


def _revisions_of(reader: SearchableCorpus, doc_ids: list[str]) -> np.ndarray:
    ids, revisions = reader.document_revisions()
    by_id = dict(zip(ids, revisions.tolist(), strict=True))
    return np.array([by_id.get(doc_id, -1) for doc_id in doc_ids], dtype=np.int32)


class _DocumentList(Sequence[_DocumentInfo]):
    """A cached index's documents followed by those an update added."""

    def __init__(self, first: Sequence[_DocumentInfo], more: list[_DocumentInfo]) -> None:
        self.first, self.more = first, more

    @property
    def ids(self) -> list[str]:
        first = self.first.ids if isinstance(self.first, (_DocumentTable, _DocumentList)) else \
            [doc.doc_id for doc in self.first]
        return [*first, *(doc.doc_id for doc in self.more)]

    def __len__(self) -> int:
        return len(self.first) + len(self.more)

    def __iter__(self) -> Iterator[_DocumentInfo]:
        yield from self.first
        yield from self.more

    @overload
    def __getitem__(self, index: int) -> _DocumentInfo: ...

    @overload
    def __getitem__(self, index: slice) -> list[_DocumentInfo]: ...

    def __getitem__(self, index: int | slice) -> _DocumentInfo | list[_DocumentInfo]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self.first[index] if index < len(self.first) else self.more[index - len(self.first)]


def _surfaces(name: str, aliases: list[str], type_: str = "organization") -> Iterator[tuple[str, int]]:
    """Every way an entity may be looked up: name, aliases, acronyms, hyphen-joined forms.

    People get no acronyms: "SY" for "Sung Yahan" would only crowd out real ones.
    """
    seen: set[str] = set()
    for text, kind in [(name, NAME)] + [(alias, ALIAS) for alias in aliases]:
        key = " ".join(tokenize(text))
        if key and key not in seen:
            seen.add(key)
            yield text, kind
    for text in [name, *aliases]:
        found = [a.upper() for a in acronyms(text)] + sorted(leading_acronyms(text)) if type_ != "person" else []
        found += [text.replace(c, re.sub(r"[-\u2010\u2011]", "", c)) for c in compounds(text)]
        for variant in found:
            key = " ".join(tokenize(variant))
            if key and key not in seen:
                seen.add(key)
                yield variant, VARIANT


class _Joined:
    """A cached base's array and its delta's, read as one without copying the base (it may be large)."""

    def __init__(self, first: np.ndarray, second: np.ndarray) -> None:
        self.first, self.second = first, second
        self.split = len(first)
        self.dtype = first.dtype

    def __len__(self) -> int:
        return self.split + len(self.second)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return np.concatenate((self.first, self.second))[index]
            if stop <= self.split:
                return self.first[start:stop]
            if start >= self.split:
                return self.second[start - self.split : stop - self.split]
            return np.concatenate((self.first[start:], self.second[: stop - self.split]))
        if isinstance(index, (int, np.integer)):
            position = int(index) + (len(self) if int(index) < 0 else 0)
            return self.first[position] if position < self.split else self.second[position - self.split]
        items = np.asarray(index)
        if items.dtype == bool:
            items = np.flatnonzero(items)
        found = np.empty(items.shape, dtype=self.dtype)
        low = items < self.split
        found[low] = self.first[items[low]]
        found[~low] = self.second[items[~low] - self.split]
        return found


def _mapped(path: Path) -> mmap.mmap:
    with open(path, "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _postings(arrays: dict[str, np.ndarray], prefix: str) -> Postings:
    return Postings.from_arrays({name.split(".", 1)[1]: values for name, values in arrays.items()
                                 if name.startswith(prefix + ".") and name.split(".", 1)[1] in Postings.ARRAYS})


def _empty_postings(vocabulary_size: int) -> Postings:
    return Postings.from_forward(np.empty(0, np.int32), np.empty(0, np.int32), vocabulary_size)


def _vocabulary_arrays(vocabulary: Vocabulary) -> dict[str, np.ndarray]:
    """What a cached index keeps of its vocabulary (the one place to extend when ``Vocabulary`` grows)."""
    blob, ends = string_table(vocabulary.tokens)
    arrays = {"vocabulary.tokens.blob": blob, "vocabulary.tokens.ends": ends}
    arrays.update({f"vocabulary.{name}": array_ for name, array_ in vocabulary.variant_arrays().items()})
    return arrays


def _vocabulary_from_arrays(arrays: dict[str, np.ndarray]) -> Vocabulary:
    tokens = StringTable(arrays["vocabulary.tokens.blob"], arrays["vocabulary.tokens.ends"])
    vocabulary = Vocabulary(tokens.all())
    vocabulary.set_variant_arrays({name: arrays[f"vocabulary.{name}"] for name in ("variant_keys", "variant_ids")})
    return vocabulary


def _documents(reader: CorpusReader) -> Iterator[PassageSource]:
    """Every document with its sentences, through the fastest route the reader has."""
    if isinstance(reader, SearchableCorpus):
        yield from reader.passage_sources()
        return
    for summary in reader.documents():
        doc = reader.document(summary.doc_id)
        title = summary.title or summary.path.rsplit("/", 1)[-1]
        yield PassageSource(summary.doc_id, summary.path, title, doc.text, doc.furniture, sentence_spans(doc.text))


def _initials(token: str) -> bool:
    """Letters that read as initials run together ("sw", "jfk"): no vowel among them."""
    return token.isascii() and token.isalpha() and not any(ch in "aeiouy" for ch in token)


def _merged_hits(first: list[_Ranked], second: list[_Ranked], limit: int, penalty: float = 0.0) -> list[_Ranked]:
    """Two result lists as one: each entity or passage once, at its better score (``second``'s
    lowered by ``penalty``); equal scores keep entities first, by frequency."""
    if not second:
        return first
    best: dict[tuple[str, str | None, int | None], tuple[float, SearchHit, int]] = {}
    for source, ranked in ((0, first), (1, second)):
        for hit, tie in ranked:
            score = round(max(hit.score - penalty, 0.0), 1) if source else hit.score
            key = (hit.kind, hit.entity_id, None) if hit.kind == "entity" else (hit.kind, hit.doc_id, hit.start)
            known = best.get(key)
            if known is None or score > known[0]:
                # A passage's place is its list's: the first list's passages before the second's.
                best[key] = (score, hit, tie if hit.kind == "entity" else tie + source * limit)
    merged = sorted(best.values(), key=lambda r: (-round(r[0]), r[1].kind != "entity", r[2]))[:limit]
    return [(hit if hit.score == score else replace(hit, score=score), tie) for score, hit, tie in merged]


def _merged(first: list[tuple[float, int]], second: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """Two ranked passage lists as one: each sentence once, at its better score."""
    best: dict[int, float] = {}
    for score, sentence in first + second:
        if score > best.get(sentence, -1.0):
            best[sentence] = score
    return sorted(((score, sentence) for sentence, score in best.items()), key=lambda p: (-round(p[0]), p[1]))


def _inside(furniture: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(f_start <= start and end <= f_end for f_start, f_end in furniture)


def _distinct_per_sentence(form_ids: array, form_counts: array, remap: np.ndarray,
                           stopword_ids: set[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each sentence's distinct tokens, stop words out, in final ids.

    Returns the sentences kept (those with a token left), their tokens one
    sentence after another, and how many each has.
    """
    provisional = np.frombuffer(form_ids, dtype=np.int32)
    counts = np.frombuffer(form_counts, dtype=np.int32)
    sentence = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    keep = provisional >= 0
    if stopword_ids:
        keep &= ~np.isin(provisional, np.fromiter(stopword_ids, dtype=np.int32))
    tokens = remap[provisional[keep]].astype(np.int64)
    width = max(len(remap), 1)
    pairs = np.sort(sentence[keep] * width + tokens)  # by sentence, then token
    if len(pairs):
        # Sort-and-compare: np.unique's hashing is several times slower on millions of keys.
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    pair_sentence = pairs // width
    starts = np.flatnonzero(np.concatenate(([True], pair_sentence[1:] != pair_sentence[:-1]))) \
        if len(pairs) else np.empty(0, np.int64)
    kept = pair_sentence[starts]
    lengths = np.diff(np.append(starts, len(pairs)))
    return kept, (pairs % width).astype(np.int32), lengths


def _remapped(provisional: array, remap: np.ndarray) -> array:
    final = remap[np.frombuffer(provisional, dtype=np.int32)] if len(provisional) else np.empty(0, np.int32)
    return array("i", final.astype(np.int32).tobytes())


@dataclass(slots=True)
class _Matched:
    """What one query matched, and a memo of the written forms already judged."""

    token_ids: set[int]
    vocabulary: dict[str, int]
    forms: dict[str, bool] = field(default_factory=dict)

    def __contains__(self, form: str) -> bool:
        known = self.forms.get(form)
        if known is None:
            # Most written forms are their token already; only the others need finishing.
            token = form if form.isascii() and form.isalnum() else finish(form)
            known = self.forms[form] = self.vocabulary.get(token, -1) in self.token_ids
        return known


def _highlights(text: str, matched: _Matched) -> list[tuple[int, int]]:
    marks: list[tuple[int, int]] = []
    forms = matched.forms
    for match in WRITTEN.finditer(lowered(text)):
        form = match.group()
        hit = forms.get(form)
        if hit is None:
            hit = form in matched
        if hit:
            start, end = match.span()
            if marks and marks[-1][1] >= start:
                marks[-1] = (marks[-1][0], max(end, marks[-1][1]))
            else:
                marks.append((start, end))
    return marks


def _has_phrase(text: str, marks: list[tuple[int, int]], words: int) -> bool:
    """True when ``words`` highlighted words follow one another, with only spaces, punctuation
    or one stop word between ("Council on Foreign Relations")."""
    run = 1
    for (_, end), (start, _) in zip(marks, marks[1:], strict=False):
        gap = text[end:start]
        close = (len(gap) <= 3 and not any(ch.isalnum() for ch in gap)) or gap.strip(" -").lower() in STOPWORDS
        run = run + 1 if close else 1
        if run >= words:
            return True
    return False


def _trim(text: str, marks: list[tuple[int, int]]) -> tuple[str, int]:
    """A long sentence cut to a window around its first match; returns it and the cut's offset."""
    if len(text) <= SNIPPET_CHARS:
        return text, 0
    first = marks[0][0] if marks else 0
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "\u2026" if start else ""
    suffix = "\u2026" if end < len(text) else ""
    return prefix + text[start:end] + suffix, start - len(prefix)


__all__ = ["SearchIndex"]


def cache_path_for(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".search.pack")


def open_search_index(reader: CorpusReader) -> SearchIndex:
    """The search index of a store, from its cache when the store is unchanged (``SearchIndex.build``)."""
    return SearchIndex.build(reader)
