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
import io
import re
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from explorer.model import SearchHit
from explorer.search.postings import Postings
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
from explorer.store.api import CorpusReader
from explorer.store.sentences import PassageSource, sentence_spans
from explorer.store.storage import gc_paused

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
CACHE_FORMAT = 5
# A passage matching as well as a name ranks below it: names are what the box is mostly for.
PASSAGE_FACTOR = 0.9
PHRASE_BONUS = 5.0
SNIPPET_CHARS = 240


@dataclass(slots=True)
class _DocumentInfo:
    doc_id: str
    path: str
    title: str
    text: str


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
        self.entity_ids: list[str] = []
        self.entity_names: list[str] = []
        self.entity_types: list[str] = []
        self.surface_texts: list[str] = []
        # "unsc" -> ["un", "security", "council"]: passages spell out what queries abbreviate.
        self.acronym_words: dict[str, list[str]] = {}
        self.surface_entity = np.empty(0, np.int32)
        self.surface_kind = np.empty(0, np.int8)
        self.surfaces: Postings
        self.documents: list[_DocumentInfo] = []
        self.sentence_doc = np.empty(0, np.int32)
        self.sentence_start = np.empty(0, np.int32)
        self.sentence_end = np.empty(0, np.int32)
        self.sentences: Postings
        # Where each entity is most mentioned: document index (-1: unknown) and first mention.
        self.entity_doc = np.empty(0, np.int32)
        self.entity_start = np.empty(0, np.int32)
        self.entity_end = np.empty(0, np.int32)
        self.build_seconds = 0.0
        self._split_cache: dict[tuple[str, bool], list[tuple[str, ...]]] = {}

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, reader: CorpusReader) -> SearchIndex:
        """The search index of a corpus: its entities and the sentences of its documents.

        For a store on disk (a reader with ``path`` and ``generation``) the index is
        kept next to the store and reused while the store is unchanged, which turns
        seconds into a fraction of one on a large corpus; otherwise it is built.
        """
        store_path = getattr(reader, "path", None)
        generation = getattr(reader, "generation", "")
        if not isinstance(store_path, Path) or not generation or not hasattr(reader, "text"):
            return cls.build_fresh(reader)
        cache = cache_path_for(store_path)
        index = cls.load(cache, reader, generation) if cache.exists() else None
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
        token_ids: dict[str, int] = {}  # provisional ids, in first-seen order
        written_ids: dict[str, int] = {}  # a written form ("u.n.") -> its token's provisional id

        stopword_ids: set[int] = set()

        def id_of(form: str) -> int:
            i = written_ids.get(form)
            if i is None:
                token = finish(form)
                i = token_ids.setdefault(token, len(token_ids)) if token else -1
                written_ids[form] = i
                if token in STOPWORDS:
                    stopword_ids.add(i)
            return i

        def ids_of(written: Iterable[str]) -> list[int]:
            found = {id_of(form) for form in written}
            found.discard(-1)
            return list(found)

        surface_tokens, surface_lengths = array("i"), array("i")
        surface_entity, surface_kind = array("i"), array("b")
        for rank, entity in enumerate(reader.entities()):  # most mentioned first
            index.entity_ids.append(entity.entity_id)
            index.entity_names.append(entity.name)
            index.entity_types.append(entity.type)
            if entity.type != "person":
                for text in (entity.name, *entity.aliases):
                    words = [w for w in tokenize(text) if w not in ACRONYM_SKIP]
                    for acronym in acronyms(text):
                        index.acronym_words.setdefault(acronym, words)  # the most mentioned entity wins
            for text, kind in _surfaces(entity.name, entity.aliases, entity.type):
                ids = ids_of(WRITTEN.findall(lowered(text)))
                if not ids:
                    continue
                index.surface_texts.append(text)
                surface_tokens.extend(ids)
                surface_lengths.append(len(ids))
                surface_entity.append(rank)
                surface_kind.append(kind)

        # Passages: every sentence's written forms in one flat array (provisional ids,
        # repeats and stop words included); numpy dedupes and filters them below.
        form_ids, form_counts = array("i"), array("i")
        sentence_doc, sentence_start, sentence_end = array("i"), array("i"), array("i")
        lookup = written_ids.get
        for doc_index, source in enumerate(_documents(reader)):
            index.documents.append(_DocumentInfo(source.doc_id, source.path, source.title, source.text))
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
            ids = [lookup(form, -2) for form in forms]
            if -2 in ids:  # forms not seen before: give their tokens ids
                ids = [i if i != -2 else id_of(form) for i, form in zip(ids, forms, strict=True)]
            form_ids.extend(ids)
        # Final ids follow the sorted vocabulary, so every prefix is one id range.
        index.vocabulary = Vocabulary(token_ids)
        remap = np.empty(len(token_ids), dtype=np.int32)
        for token, provisional in token_ids.items():
            remap[provisional] = index.vocabulary.ids[token]
        size = len(index.vocabulary)
        index.surfaces = Postings(_remapped(surface_tokens, remap), surface_lengths, size)
        index.vocabulary.index_variants(index.surfaces.forward)  # names' words, by phonetic key
        index.surface_entity = np.frombuffer(surface_entity, dtype=np.int32).copy()
        index.surface_kind = np.frombuffer(surface_kind, dtype=np.int8).copy()
        index._anchor_entities(reader)
        kept, tokens, lengths = _distinct_per_sentence(form_ids, form_counts, remap, stopword_ids)
        index.sentences = Postings.from_forward(tokens, lengths, size)
        index.sentence_doc = np.frombuffer(sentence_doc, dtype=np.int32)[kept].copy()
        index.sentence_start = np.frombuffer(sentence_start, dtype=np.int32)[kept].copy()
        index.sentence_end = np.frombuffer(sentence_end, dtype=np.int32)[kept].copy()
        index._warm_up()
        index.build_seconds = time.perf_counter() - started
        return index

    def _anchor_entities(self, reader: Any) -> None:
        count = len(self.entity_ids)
        self.entity_doc = np.full(count, -1, dtype=np.int32)
        self.entity_start = np.zeros(count, dtype=np.int32)
        self.entity_end = np.zeros(count, dtype=np.int32)
        anchors = getattr(reader, "entity_anchors", None)
        if anchors is None:
            return
        doc_index = {doc.doc_id: i for i, doc in enumerate(self.documents)}
        found = anchors()
        for position, entity_id in enumerate(self.entity_ids):
            anchor = found.get(entity_id)
            if anchor is not None and anchor[0] in doc_index:
                self.entity_doc[position] = doc_index[anchor[0]]
                self.entity_start[position], self.entity_end[position] = anchor[1], anchor[2]

    def _warm_up(self) -> None:
        # The first numpy and rapidfuzz calls pay one-off set-up costs: pay them here,
        # not on the user's first keystroke.
        for query in ("a", "zqxj", "1 b"):
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
        """Write the index next to its store, atomically, tagged with the store's generation."""
        from explorer.store.storage import atomic_write_bytes

        arrays: dict[str, np.ndarray] = {
            "surface_entity": self.surface_entity,
            "entity_doc": self.entity_doc,
            "entity_start": self.entity_start,
            "entity_end": self.entity_end,
            "surface_kind": self.surface_kind,
            "sentence_doc": self.sentence_doc,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
        }
        for prefix, postings in (("surfaces", self.surfaces), ("sentences", self.sentences)):
            for name, array_ in postings.arrays().items():
                arrays[f"{prefix}.{name}"] = array_
        for name, array_ in self.vocabulary.variant_arrays().items():
            arrays[f"vocabulary.{name}"] = array_
        facts = {
            "format": CACHE_FORMAT,
            "generation": generation,
            "tokens": self.vocabulary.tokens,
            "entity_ids": self.entity_ids,
            "entity_names": self.entity_names,
            "entity_types": self.entity_types,
            "surface_texts": self.surface_texts,
            "acronym_words": self.acronym_words,
            "documents": [[d.doc_id, d.path, d.title] for d in self.documents],
        }
        arrays["facts"] = np.frombuffer(orjson.dumps(facts), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        atomic_write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path: Path, reader: Any, generation: str) -> SearchIndex | None:
        """The cached index, or None when it is missing, unreadable or from another generation."""
        started = time.perf_counter()
        try:
            with np.load(path, allow_pickle=False) as data:
                facts = orjson.loads(data["facts"].tobytes())
                if facts.get("format") != CACHE_FORMAT or facts.get("generation") != generation:
                    return None
                arrays = {name: data[name] for name in data.files if name != "facts"}
            index = cls()
            index.vocabulary = Vocabulary(facts["tokens"])
            index.entity_ids = facts["entity_ids"]
            index.entity_names = facts["entity_names"]
            index.entity_types = facts["entity_types"]
            index.surface_texts = facts["surface_texts"]
            index.acronym_words = facts["acronym_words"]
            index.documents = [_DocumentInfo(doc_id, doc_path, title, reader.text(doc_id))
                               for doc_id, doc_path, title in facts["documents"]]
        except (OSError, ValueError, KeyError, orjson.JSONDecodeError):
            return None
        for name in ("surface_entity", "surface_kind", "sentence_doc", "sentence_start", "sentence_end",
                     "entity_doc", "entity_start", "entity_end"):
            setattr(index, name, arrays[name])
        for prefix in ("surfaces", "sentences"):
            parts = {name.split(".", 1)[1]: arr for name, arr in arrays.items() if name.startswith(prefix + ".")}
            setattr(index, prefix, Postings.from_arrays(parts))
        index.vocabulary.set_variant_arrays(
            {name.split(".", 1)[1]: arr for name, arr in arrays.items() if name.startswith("vocabulary.")})
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


def _documents(reader: Any) -> Iterator[PassageSource]:
    """Every document with its sentences, through the fastest route the reader has."""
    fast = getattr(reader, "passage_sources", None)
    if fast is not None:
        yield from fast()
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
    return store_path.with_name(store_path.name + ".search.npz")


def open_search_index(reader: Any) -> SearchIndex:
    """The search index of a store, from its cache when the store is unchanged (``SearchIndex.build``)."""
    return SearchIndex.build(reader)
