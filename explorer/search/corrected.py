"""Search that follows the user's corrections, as an overlay over ``SearchIndex.search``.

The search index is built from the corpus as extracted (its cache stays valid
whatever the user corrects); this overlay turns its results into corrected ones:

- an entity hit of a hidden entity is dropped, one of an entity merged away comes
  back as the entity it was merged into (once, at its best score), one found by a
  surface since split out or hidden everywhere is dropped;
- the few names the corrections made (a new name, a merged entity's chosen name,
  a split-out alias, a new type) are matched by a small rapidfuzz index and merged
  into the ranked results, so a renamed entity is found by its new name (and, by
  the main index, by its old one, now an alias);
- in a time scope only entities mentioned, and passages found, in its documents remain.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz, utils

from explorer.model import SearchHit

_WORD = re.compile(r"\w+")
OVERLAY_CUTOFF = 72.0  # below this a fuzzy match of a corrected name is noise
FUZZY_FACTOR = 0.9  # a fuzzy (not exact or prefix) overlay match ranks below exact ones
EXTRA_WHEN_SCOPED = 4  # ask the index for this many times the results when a scope filters them


def _words(text: str) -> list[str]:
    return _WORD.findall(utils.default_process(text))


def overlay_score(query: str, surface: str) -> float:
    """0-100: exact 100, prefix 90-100, every query word a word prefix 85-95, else fuzzy (WRatio x 0.9)."""
    q, s = utils.default_process(query), utils.default_process(surface)
    if not q or not s:
        return 0.0
    if q == s:
        return 100.0
    if s.startswith(q):
        return 90.0 + 10.0 * len(q) / len(s)
    query_words, surface_words = q.split(), s.split()
    if all(any(word.startswith(token) for word in surface_words) for token in query_words):
        return 85.0 + 10.0 * min(len(q) / len(s), 1.0)
    return fuzz.WRatio(q, s) * FUZZY_FACTOR


def highlight_words(snippet: str, query: str) -> list[tuple[int, int]]:
    """Spans of the snippet's words that a query word starts or nearly spells."""
    tokens = _words(query)
    marks: list[tuple[int, int]] = []
    for match in _WORD.finditer(snippet):
        word = match.group().lower()
        if any(word.startswith(token) or (len(token) > 3 and fuzz.ratio(word, token) >= 80) for token in tokens):
            if marks and snippet[marks[-1][1] : match.start()].strip() == "":
                marks[-1] = (marks[-1][0], match.end())
            else:
                marks.append(match.span())
    return marks


class CorrectedSearch:
    """``search(query, limit, type)`` like ``SearchIndex``, with the corrections (and a scope) applied.

    ``reader`` is a ``CorrectedReader``, or a ``ScopedReader`` over one.
    """

    def __init__(self, index: Any, reader: Any) -> None:
        self.index = index
        self.reader = reader
        self.scope: set[str] | None = getattr(reader, "doc_ids", None)
        self._anchor_of: dict[str, int] | None = None
        self._overlay: list[tuple[str, str]] = []  # (surface, entity id) of the corrected entities
        for entity in reader.changed_entities():
            if reader.is_hidden(entity.entity_id):
                continue
            self._overlay += [(surface, entity.entity_id) for surface in (entity.name, *entity.aliases)]

    def search(self, query: str, limit: int = 50, type: str | None = None) -> list[SearchHit]:
        if limit <= 0 or not query.strip():
            return []
        wanted = limit + len(self._overlay)
        if self.scope is not None:
            wanted *= EXTRA_WHEN_SCOPED
        base_hits = self.index.search(query, limit=wanted, type=type)
        entities: dict[str, SearchHit] = {}
        for hit in self._overlay_hits(query, type):
            entities[hit.entity_id or ""] = hit
        passages: list[SearchHit] = []
        for hit in base_hits:
            if hit.kind != "entity":
                if self.scope is None or hit.doc_id in self.scope:
                    passages.append(hit)
                continue
            corrected = self._corrected_hit(hit, query, type)
            if corrected is None:
                continue
            known = entities.get(corrected.entity_id or "")
            if known is None or corrected.score > known.score:
                entities[corrected.entity_id or ""] = corrected
        results = list(entities.values()) + passages
        results.sort(key=lambda hit: (-round(hit.score), hit.kind != "entity"))
        return results[:limit]

    def _in_scope(self, entity_id: str) -> bool:
        return self.scope is None or self.reader.entity(entity_id).doc_count > 0

    def _corrected_hit(self, hit: SearchHit, query: str, type: str | None) -> SearchHit | None:
        base_id = hit.entity_id or ""
        entity_id = self.reader.group_of_base(base_id)
        if entity_id is None:
            return None
        surface = _matched_surface(hit)
        if surface is not None and self.reader.surface_moved(base_id, surface):
            return None
        if entity_id == base_id and not self.reader.changed:
            return hit if self._in_scope(base_id) else None
        entity = self.reader.entity(entity_id)
        if (type is not None and entity.type != type) or (self.scope is not None and entity.doc_count == 0):
            return None
        if entity.name == hit.name and entity.type == hit.type and entity_id == base_id:
            return hit
        snippet = entity.name if surface is None and entity.name == hit.name else \
            f"{entity.name} ({surface or hit.name})"
        return replace(hit, name=entity.name, type=entity.type, entity_id=entity.entity_id, snippet=snippet,
                       highlights=highlight_words(snippet, query))

    def _overlay_hits(self, query: str, type: str | None) -> list[SearchHit]:
        best: dict[str, tuple[float, str]] = {}
        for surface, entity_id in self._overlay:
            score = overlay_score(query, surface)
            if score >= OVERLAY_CUTOFF and score > best.get(entity_id, (0.0, ""))[0]:
                best[entity_id] = (score, surface)
        hits = []
        for entity_id, (score, surface) in best.items():
            entity = self.reader.entity(entity_id)
            if (type is not None and entity.type != type) or (self.scope is not None and entity.doc_count == 0):
                continue
            snippet = entity.name if surface == entity.name else f"{entity.name} ({surface})"
            doc_id, path, start, end = self._anchor(entity_id)
            hits.append(SearchHit(kind="entity", name=entity.name, type=entity.type, score=round(score, 1),
                                  document=path, start=start, end=end, snippet=snippet, entity_id=entity_id,
                                  doc_id=doc_id, highlights=highlight_words(snippet, query)))
        return hits

    def _anchor(self, entity_id: str) -> tuple[str | None, str | None, int | None, int | None]:
        """Where to open a corrected entity: where it is mentioned most (in a scope, its first mention there)."""
        found = self.reader.anchor(entity_id)
        if found is not None and self.scope is not None and found[0] not in self.scope:
            lines = self.reader.mentions(entity_id)[:1]
            found = (lines[0].doc_id, lines[0].start, lines[0].end) if lines else None
        if found is None:
            return None, None, None, None
        doc_id, start, end = found
        path_of = getattr(self.reader, "path_of", None)
        path = path_of(doc_id) if path_of is not None else \
            next((d.path for d in self.reader.documents() if d.doc_id == doc_id), None)
        return doc_id, path, start, end


def _matched_surface(hit: SearchHit) -> str | None:
    """The alias or variant an entity hit matched by ("Name (surface)"), None when it matched the name."""
    prefix = hit.name + " ("
    if hit.snippet.startswith(prefix) and hit.snippet.endswith(")"):
        return hit.snippet[len(prefix) : -1]
    return None


def corrected_search(index: Any, reader: Any) -> Any:
    """The searcher to use over ``reader``: the index itself when nothing is corrected or scoped."""
    if not getattr(reader, "changed", False) and getattr(reader, "doc_ids", None) is None:
        return index
    return CorrectedSearch(index, reader)


def searcher_for(store: Any, index: Any, date_from: str | None = None, date_to: str | None = None
                 ) -> tuple[Any, list[Any]]:
    """What ``explorer search`` queries: ``index`` with the store's corrections and a period applied,
    and the corrections that no longer apply. ValueError (a malformed date) before anything is read."""
    from explorer.store.corrected import open_corrected
    from explorer.store.scope import Period, ScopedReader

    period = Period.parse(date_from, date_to)
    corrected = open_corrected(store)
    reader = ScopedReader(corrected, period) if period is not None else corrected
    return corrected_search(index, reader), corrected.issues()
