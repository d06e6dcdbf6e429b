"""``CorrectedReader``: any ``CorpusReader`` with the user's corrections applied.

Corrections (``explorer.store.user``) are applied in the order they were made, on
every open, to whatever the extractor produced this time: so they survive a
re-index, a rebuild and an extractor upgrade. Each one names its entities by
canonical name, type and aliases (``EntityRef``), found again by these rules:

1. an entity whose name is the reference's name (same type preferred),
2. else one of the same type whose aliases hold the reference's name, or whose
   name is among the reference's aliases;

the one sharing most names with the reference wins; a tie, or nothing, means the
correction no longer applies: it is reported (``issues()``), never an error.

Only the entities a correction touches are copied into an overlay of "groups"
(a corrected entity: name, type, aliases and the base entities it is made of);
every other entity is the base reader's own object, so applying corrections costs
what they touch, not the corpus. A group's part may keep only some surface forms
of its base entity (a split-out alias, a surface hidden everywhere); those
mentions are told apart by their text.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import orjson

from explorer.model import (
    CorpusEntity,
    CorpusEvent,
    Correction,
    CorrectionIssue,
    DocumentSummary,
    EntityRef,
    EntityType,
    MentionLine,
    StoredDocument,
)
from explorer.store.api import CorpusReader
from explorer.store.cooccurrence import Cooccurrence
from explorer.store.merge import name_key
from explorer.store.storage import atomic_write_bytes

# What a corrected reader passes through to its base unchanged (document-level facts only:
# anything about entities must go through the corrections).
_PASSED_THROUGH = frozenset(["path", "generation", "roots", "extractor_version", "skipped", "text", "title",
                             "path_of", "document_ids", "document_count", "passage_sources",
                             "document_revisions"])


# ASCII punctuation and symbols become spaces, dots and apostrophes vanish ("U.N." = "UN").
_ASCII_KEY = {code: " " for code in range(128) if not chr(code).isalnum()}
_ASCII_KEY.update({ord("."): None, ord("'"): None})


def surface_key(text: str) -> str:
    """A name as corrections compare it: case, accents, dots, hyphens and a leading "the" aside.

    The same key as ``explorer.store.merge.name_key``, with a fast path for ASCII
    (a correction's first use keys every name and alias of the corpus).
    """
    if text.isascii():
        words = text.lower().translate(_ASCII_KEY).split()
        if len(words) > 1 and words[0] == "the":
            words = words[1:]
        key = " ".join(words)
    else:
        key = name_key(text)
    return key or text.casefold().strip()


_key = surface_key


@dataclass(slots=True, frozen=True)
class _Part:
    """A base entity inside a group, or only some of its surface forms (by name key)."""

    base_id: str
    only: frozenset[str] | None = None  # kept surfaces (a split-out alias); None: all
    without: frozenset[str] = frozenset()  # dropped surfaces

    @property
    def whole(self) -> bool:
        return self.only is None and not self.without

    def accepts(self, surface_key: str) -> bool:
        return (self.only is None or surface_key in self.only) and surface_key not in self.without


@dataclass(slots=True, eq=False)
class _Group:
    """A corrected entity."""

    entity_id: str
    name: str
    type: EntityType
    aliases: list[str]
    roles: list[str]
    parts: list[_Part]
    hidden: bool = False
    surfaces_hidden: frozenset[str] = field(default_factory=frozenset)

    def keys(self) -> set[str]:
        return {_key(self.name), *(_key(alias) for alias in self.aliases)}


KEYS_SUFFIX = ".namekeys.json"
KEYS_FORMAT = 1


def _load_keys(path: Path, generation: str) -> dict[str, list[str]] | None:
    try:
        cached = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(cached, dict) or cached.get("format") != KEYS_FORMAT or cached.get("generation") != generation:
        return None
    keys = cached.get("keys")
    return keys if isinstance(keys, dict) else None


def _listing_order(entity: CorpusEntity) -> tuple[int, int, str]:
    return -entity.count, -entity.doc_count, entity.name.casefold()


def split_entity_id(entity_id: str, alias: str) -> str:
    """The id of an alias split out of an entity: stable for the same entity and alias."""
    return "x" + hashlib.sha1(f"{entity_id}|{_key(alias)}".encode()).hexdigest()[:10]


class CorrectedReader:
    """A ``CorpusReader`` answering every question with the corrections applied.

    Hidden entities are left out of ``entities()`` (``entities(include_hidden=True)``
    has them, ``is_hidden`` tells), an entity merged away answers ``entity(id)`` as
    the one it was merged into, and document spans, mentions, events, counts and
    co-occurrence follow the corrected entities.
    """

    def __init__(self, base: CorpusReader, corrections: list[Correction] | None = None) -> None:
        self.base = base
        self._base_keys_cache: dict[str, list[str]] | None = None
        self._base_mentions: dict[str, list[MentionLine]] = {}
        self._doc_order: dict[str, int] | None = None
        self._base_summaries: list[DocumentSummary] | None = None
        self._base_doc_counts: dict[str, dict[str, int]] = {}  # base entity id -> its documents' counts
        self.set_corrections(corrections or [])

    # -- applying --------------------------------------------------------------------------

    def set_corrections(self, corrections: list[Correction]) -> None:
        """Apply ``corrections`` (all of them, in order) over the base reader's entities."""
        self.corrections = list(corrections)
        self._groups: dict[str, _Group] = {}
        self._parts_of: dict[str, list[tuple[_Part, str]]] = {}  # base id -> (part, group id)
        self._redirect: dict[str, str] = {}  # merged-away id -> the id it was merged into
        self._hidden_surfaces: dict[str, str] = {}  # name key -> the surface as the user wrote it
        self._issues: list[CorrectionIssue] = []
        self._clear_caches()
        for correction in self.corrections:
            reason = self._apply(correction)
            if reason:
                self._issues.append(CorrectionIssue(correction, reason))
        self._hide_surfaces()

    def add_correction(self, correction: Correction) -> CorrectionIssue | None:
        """Apply one more correction on top of those applied; returns its issue, if any."""
        self.corrections.append(correction)
        self._unhide_surfaces()
        self._clear_caches()
        reason = self._apply(correction)
        self._hide_surfaces()
        if reason:
            issue = CorrectionIssue(correction, reason)
            self._issues.append(issue)
            return issue
        return None

    def with_corrections(self, corrections: list[Correction]) -> CorrectedReader:
        """A new reader over the same base with ``corrections`` applied (all of them, in order).

        It shares what depends on the base alone (the name keys, the base's mention lines,
        the document order), so it costs the corrections' replay, not a reopening. The
        interface corrects a copy this way while its other threads read the one shown.
        """
        reader = CorrectedReader.__new__(CorrectedReader)
        reader.base = self.base
        reader._base_keys_cache = self._base_keys_cache
        reader._base_mentions = self._base_mentions
        reader._doc_order = self._doc_order
        reader._base_summaries = self._base_summaries
        reader._base_doc_counts = self._base_doc_counts
        reader.set_corrections(corrections)
        return reader

    def prepare(self) -> None:
        """Key every name and alias of the corpus now (the first correction needs them; at 10,000
        documents that is most of a second the first time, then a file read)."""
        self._base_keys()

    def issues(self) -> list[CorrectionIssue]:
        """The corrections that no longer apply to this corpus, with why."""
        return list(self._issues)

    def _clear_caches(self) -> None:
        self._entity_cache: dict[str, CorpusEntity] = {}
        self._doc_counts_cache: dict[str, dict[str, int]] = {}
        self._list_cache: dict[bool, list[CorpusEntity]] = {}
        self._doc_delta: dict[str, int] | None = None
        self._labels_cache: tuple[Any, tuple[Any, list[str], set[str]]] | None = None
        self._label_positions: dict[str, int] = {}

    def _apply(self, correction: Correction) -> str:
        """Apply one correction; returns why it does not apply ("" when it does)."""
        action = correction.action
        if action in ("hide", "unhide") and correction.surface is not None:
            key = _key(correction.surface)
            if action == "hide":
                self._hidden_surfaces[key] = correction.surface
            elif self._hidden_surfaces.pop(key, None) is None:
                return f"{correction.surface!r} is not hidden"
            return ""
        groups: list[_Group] = []
        missing: list[str] = []
        for ref in correction.entities:
            group = self._resolve(ref)
            if isinstance(group, str):
                missing.append(group)
            elif all(group is not other for other in groups):
                groups.append(group)
        if action == "merge":
            if missing and len(groups) < 2 or not groups:
                return "; ".join(missing) or "nothing to merge"
            self._merge(groups, correction.value or groups[0].name)
            return "; ".join(missing)
        if missing or not groups:
            return "; ".join(missing) or "no entity named"
        group = self._touch(groups[0])
        if action == "rename":
            self._rename(group, correction.value or group.name)
        elif action == "retype":
            group.type = correction.value  # type: ignore[assignment]
        elif action == "hide":
            group.hidden = True
        elif action == "unhide":
            group.hidden = False
        elif action == "split":
            return self._split(group, correction.value or "")
        return ""

    def _resolve(self, ref: EntityRef) -> _Group | str:
        """The group a reference names now, or a one-line reason why there is none."""
        ref_key = _key(ref.name)
        alias_keys = {_key(alias) for alias in ref.aliases}
        best: list[tuple[tuple[int, int, int], _Group]] = []
        for group in self._candidates({ref_key, *alias_keys}):
            group_key = _key(group.name)
            group_alias_keys = {_key(alias) for alias in group.aliases}
            same_type = group.type == ref.type
            name_match = group_key == ref_key
            if not name_match and not (same_type and (ref_key in group_alias_keys or group_key in alias_keys)):
                continue
            shared = len(({group_key} | group_alias_keys) & ({ref_key} | alias_keys))
            best.append(((int(name_match), int(same_type), shared), group))
        if not best:
            return f"no {ref.type} {ref.name!r} in the corpus"
        best.sort(key=lambda item: item[0], reverse=True)
        if len(best) > 1 and best[0][0] == best[1][0]:
            return f"{ref.name!r} is ambiguous now"
        return best[0][1]

    def _base_keys(self) -> dict[str, list[str]]:
        """Name key -> base entity ids having it as name or alias.

        Built on first need (keying every name and alias of a large corpus takes a
        while), and kept beside a store on disk for its generation.
        """
        if self._base_keys_cache is None:
            store_path = getattr(self.base, "path", None)
            generation = str(getattr(self.base, "generation", "") or "")
            cache = store_path.with_name(store_path.name + KEYS_SUFFIX) if isinstance(store_path, Path) else None
            keys = _load_keys(cache, generation) if cache is not None and generation else None
            if keys is None:
                keys = {}
                for entity in self.base.entities():
                    for text in (entity.name, *entity.aliases):
                        ids = keys.setdefault(_key(text), [])
                        if not ids or ids[-1] != entity.entity_id:
                            ids.append(entity.entity_id)
                if cache is not None and generation:
                    with contextlib.suppress(OSError):  # a read-only data folder: still right, slower
                        atomic_write_bytes(cache, orjson.dumps({"format": KEYS_FORMAT, "generation": generation,
                                                                "keys": keys}))
            self._base_keys_cache = keys
        return self._base_keys_cache

    def _candidates(self, keys: set[str]) -> list[_Group]:
        """Groups that have (or whose base entities had) one of ``keys`` as name or alias."""
        found: dict[str, _Group] = {}
        base_keys = self._base_keys()
        for key in keys:
            for base_id in base_keys.get(key, ()):
                for group in self._groups_of_base(base_id):
                    found[group.entity_id] = group
        for group in self._groups.values():
            if group.entity_id not in found and keys & group.keys():
                found[group.entity_id] = group
        return [group for group in found.values() if keys & group.keys()]

    def _groups_of_base(self, base_id: str) -> list[_Group]:
        entries = self._parts_of.get(base_id)
        if entries is None:
            return [self._view(base_id)]
        return [self._groups[group_id] for _, group_id in entries]

    def _view(self, base_id: str) -> _Group:
        """An untouched base entity as a group (not stored until a correction changes it)."""
        entity = self.base.entity(base_id)
        return _Group(entity.entity_id, entity.name, entity.type, list(entity.aliases), list(entity.roles),
                      [_Part(entity.entity_id)])

    def _touch(self, group: _Group) -> _Group:
        if group.entity_id not in self._groups:
            self._groups[group.entity_id] = group
            for part in group.parts:
                self._parts_of[part.base_id] = [(part, group.entity_id)]
        return group

    def _set_parts(self, group: _Group, parts: list[_Part]) -> None:
        """Replace a group's parts, keeping the base id -> group index in step."""
        for part in group.parts:
            entries = [(p, g) for p, g in self._parts_of.get(part.base_id, []) if g != group.entity_id]
            self._parts_of[part.base_id] = entries
        group.parts = parts
        for part in parts:
            self._parts_of.setdefault(part.base_id, []).append((part, group.entity_id))

    def _merge(self, groups: list[_Group], name: str) -> None:
        groups = [self._touch(group) for group in groups]
        chosen = _key(name)
        survivor = next((group for group in groups if _key(group.name) == chosen), groups[0])
        parts: list[_Part] = []
        surfaces: list[str] = []
        roles: list[str] = []
        for group in [survivor] + [group for group in groups if group is not survivor]:
            parts += group.parts
            surfaces += [group.name, *group.aliases]
            roles += [role for role in group.roles if role not in roles]
        hidden = all(group.hidden for group in groups)
        for group in groups:
            if group is not survivor:
                self._set_parts(group, [])
                del self._groups[group.entity_id]
                self._redirect[group.entity_id] = survivor.entity_id
        self._set_parts(survivor, parts)
        seen = {chosen}
        aliases = []
        for surface in surfaces:
            if _key(surface) not in seen:
                seen.add(_key(surface))
                aliases.append(surface)
        survivor.name, survivor.aliases, survivor.roles, survivor.hidden = name, aliases, roles, hidden

    def _rename(self, group: _Group, new_name: str) -> None:
        new_key = _key(new_name)
        if new_key != _key(group.name):
            group.aliases = [group.name] + [alias for alias in group.aliases if _key(alias) != new_key]
        group.name = new_name

    def _split(self, group: _Group, alias: str) -> str:
        key = _key(alias)
        written = next((a for a in group.aliases if _key(a) == key), None)
        if written is None:
            return f"{alias!r} is not an alias of {group.name!r} now"
        new_id = split_entity_id(group.entity_id, written)
        while new_id in self._groups:
            new_id = split_entity_id(new_id, written)
        kept = [_Part(p.base_id, p.only, p.without | {key}) for p in group.parts]
        taken = [_Part(p.base_id, frozenset({key})) for p in group.parts if p.accepts(key)]
        self._set_parts(group, kept)
        group.aliases = [a for a in group.aliases if _key(a) != key]
        split = _Group(new_id, written, group.type, [], [], [])
        self._groups[new_id] = split
        self._set_parts(split, taken)
        return ""

    def _hide_surfaces(self) -> None:
        """Surfaces hidden everywhere: an entity of that name is hidden, an alias dropped with its mentions."""
        for key in self._hidden_surfaces:
            for group in self._candidates({key}):
                group = self._touch(group)
                group.surfaces_hidden = group.surfaces_hidden | {key}

    def _unhide_surfaces(self) -> None:
        for group in self._groups.values():
            group.surfaces_hidden = frozenset()

    # -- reading the groups ----------------------------------------------------------------

    def _group(self, entity_id: str) -> _Group | None:
        seen = 0
        while entity_id in self._redirect and seen < 1000:
            entity_id = self._redirect[entity_id]
            seen += 1
        return self._groups.get(entity_id)

    def _is_hidden(self, group: _Group) -> bool:
        return group.hidden or _key(group.name) in group.surfaces_hidden

    def _visible_aliases(self, group: _Group) -> list[str]:
        if not group.surfaces_hidden:
            return list(group.aliases)
        return [alias for alias in group.aliases if _key(alias) not in group.surfaces_hidden]

    def _effective_parts(self, group: _Group) -> list[_Part]:
        # A surface hidden everywhere drops as an alias, with its mentions; when it is the
        # entity's own name the entity is hidden whole, and keeps its counts for `--all`.
        dropped = group.surfaces_hidden - {_key(group.name)}
        if not dropped:
            return group.parts
        return [_Part(p.base_id, p.only, p.without | dropped) for p in group.parts]

    def _mentions_of_base(self, base_id: str) -> list[MentionLine]:
        found = self._base_mentions.get(base_id)
        if found is None:
            found = self._base_mentions[base_id] = self.base.mentions(base_id)
        return found

    @staticmethod
    def _surface_key(line: MentionLine) -> str:
        offset = line.start - line.sentence_start
        return _key(line.sentence[offset : offset + line.end - line.start])

    def _doc_counts(self, group: _Group) -> dict[str, int]:
        found = self._doc_counts_cache.get(group.entity_id)
        if found is not None:
            return found
        counts: Counter[str] = Counter()
        for part in self._effective_parts(group):
            if part.whole:
                counts.update(self._base_counts(part.base_id))
            else:
                for line in self._mentions_of_base(part.base_id):
                    if part.accepts(self._surface_key(line)):
                        counts[line.doc_id] += 1
        found = self._doc_counts_cache[group.entity_id] = {doc: n for doc, n in counts.items() if n}
        return found

    def _corpus_entity(self, group: _Group) -> CorpusEntity:
        found = self._entity_cache.get(group.entity_id)
        if found is not None:
            return found
        parts = self._effective_parts(group)
        if len(parts) == 1 and parts[0].whole:
            base = self.base.entity(parts[0].base_id)
            count, doc_count = base.count, base.doc_count
        else:
            counts = self._doc_counts(group)
            count, doc_count = sum(counts.values()), len(counts)
        found = CorpusEntity(group.entity_id, group.name, group.type, self._visible_aliases(group),
                             list(group.roles), count, doc_count)
        self._entity_cache[group.entity_id] = found
        return found

    # -- CorpusReader ----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.base.name

    def __getattr__(self, attribute: str) -> Any:
        # Document-level extras of the base reader (text, title, path...) pass through.
        if attribute in _PASSED_THROUGH:
            return getattr(self.base, attribute)
        raise AttributeError(attribute)

    @property
    def changed(self) -> bool:
        """True when some correction changes what the base reader says."""
        return bool(self._groups)

    def entities(self, include_hidden: bool = False) -> list[CorpusEntity]:
        """Every corrected entity, most mentioned first; hidden ones only with ``include_hidden``."""
        cached = self._list_cache.get(include_hidden)
        if cached is not None:
            return list(cached)
        base = self.base.entities()
        if not self._groups:
            self._list_cache[include_hidden] = base
            return list(base)
        # The base list is in this order already: only the corrected entities need placing.
        listed = [entity for entity in base if entity.entity_id not in self._parts_of]
        for group in self._groups.values():
            if include_hidden or not self._is_hidden(group):
                bisect.insort(listed, self._corpus_entity(group), key=_listing_order)
        self._list_cache[include_hidden] = listed
        return list(listed)

    def is_hidden(self, entity_id: str) -> bool:
        group = self._group(entity_id)
        return group is not None and self._is_hidden(group)

    def resolve_id(self, entity_id: str) -> str:
        """The id an entity has now (a merged-away id gives the survivor's); KeyError when unknown."""
        group = self._group(entity_id)
        if group is not None:
            return group.entity_id
        if entity_id in self._parts_of:  # a base entity whose group took another id
            entries = self._parts_of[entity_id]
            if entries:
                return entries[0][1]
        self.base.entity(entity_id)  # KeyError when unknown
        return entity_id

    def entity(self, entity_id: str) -> CorpusEntity:
        group = self._group(entity_id)
        if group is None:
            resolved = self.resolve_id(entity_id)
            if resolved == entity_id:
                return self.base.entity(entity_id)
            group = self._groups[resolved]
        return self._corpus_entity(group)

    def entity_document_counts(self, entity_id: str) -> dict[str, int]:
        group = self._group(entity_id)
        if group is None and self.resolve_id(entity_id) == entity_id:
            return self.base.entity_document_counts(entity_id)
        group = group or self._groups[self.resolve_id(entity_id)]
        return dict(self._doc_counts(group))

    def mentions(self, entity_id: str) -> list[MentionLine]:
        group = self._group(entity_id)
        if group is None and self.resolve_id(entity_id) == entity_id:
            return self.base.mentions(entity_id)
        group = group or self._groups[self.resolve_id(entity_id)]
        parts = self._effective_parts(group)
        if len(parts) == 1 and parts[0].whole:
            return [replace(line, entity_id=group.entity_id) for line in self.base.mentions(parts[0].base_id)]
        lines: dict[tuple[str, int, int], MentionLine] = {}
        for part in parts:
            for line in self._mentions_of_base(part.base_id):
                if (line.doc_id, line.start, line.end) not in lines and (
                        part.whole or part.accepts(self._surface_key(line))):
                    lines[(line.doc_id, line.start, line.end)] = replace(line, entity_id=group.entity_id)
        order = self._document_order()
        return sorted(lines.values(), key=lambda m: (m.published or "9999", order.get(m.doc_id, 0), m.start))

    def _document_order(self) -> dict[str, int]:
        found = self._doc_order
        if found is None:
            summaries = sorted(self._summaries(), key=lambda d: d.path)
            found = self._doc_order = {d.doc_id: i for i, d in enumerate(summaries)}
        return found

    def events(self, entity_id: str | None = None) -> list[CorpusEvent]:
        if entity_id is None:
            return self.base.events()
        group = self._group(entity_id)
        if group is None and self.resolve_id(entity_id) == entity_id:
            return self.base.events(entity_id)
        group = group or self._groups[self.resolve_id(entity_id)]
        parts = self._effective_parts(group)
        if len(parts) == 1 and parts[0].whole:
            return self.base.events(parts[0].base_id)
        docs = self._doc_counts(group)
        found: dict[tuple[str, int, int], CorpusEvent] = {}
        for base_id in dict.fromkeys(part.base_id for part in parts):
            for event in self.base.events(base_id):
                if event.doc_id in docs:
                    found.setdefault((event.doc_id, event.start, event.end), event)
        order = self._document_order()
        from explorer.store.schema import event_sort_key

        return sorted(found.values(), key=lambda v: (event_sort_key(v.date), order.get(v.doc_id, 0), v.start))

    def _base_counts(self, base_id: str) -> dict[str, int]:
        """A base entity's documents with its mentions in each, read once (corrections ask again and again)."""
        found = self._base_doc_counts.get(base_id)
        if found is None:
            found = self._base_doc_counts[base_id] = self.base.entity_document_counts(base_id)
        return found

    def _summaries(self) -> list[DocumentSummary]:
        """The base's document summaries, read once (a store reads them all on every call)."""
        if self._base_summaries is None:
            self._base_summaries = self.base.documents()
        return self._base_summaries

    def documents(self) -> list[DocumentSummary]:
        summaries = list(self._summaries())
        delta = self._entity_count_delta()
        if not delta:
            return summaries
        return [_with_entity_count(s, max(0, s.entity_count + delta[s.doc_id])) if s.doc_id in delta else s
                for s in summaries]

    def _entity_count_delta(self) -> dict[str, int]:
        """Per document, how the number of distinct entities changes with the corrections."""
        if self._doc_delta is None:
            delta: Counter[str] = Counter()
            for base_id in self._parts_of:
                for doc_id in self._base_counts(base_id):
                    delta[doc_id] -= 1
            for group in self._groups.values():
                if not self._is_hidden(group):
                    for doc_id in self._doc_counts(group):
                        delta[doc_id] += 1
            self._doc_delta = {doc: n for doc, n in delta.items() if n}
        return self._doc_delta

    def document(self, doc_id: str) -> StoredDocument:
        doc = self.base.document(doc_id)
        if not self._groups:
            return doc
        spans: list[tuple[int, int, str, EntityType]] = []
        for start, end, base_id, type_ in doc.spans:
            entries = self._parts_of.get(base_id)
            if entries is None:
                spans.append((start, end, base_id, type_))
                continue
            surface_key = _key(doc.text[start:end])
            for part, group_id in entries:
                group = self._groups[group_id]
                if part.accepts(surface_key) and surface_key not in group.surfaces_hidden:
                    if not self._is_hidden(group):
                        spans.append((start, end, group.entity_id, group.type))
                    break
        delta = self._entity_count_delta().get(doc_id, 0)
        summary = replace(doc.summary, entity_count=max(0, doc.summary.entity_count + delta)) \
            if delta else doc.summary
        return replace(doc, spans=spans, summary=summary)

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        return self.base.sentences(doc_id)

    def anchor(self, entity_id: str) -> tuple[str, int, int] | None:
        """(doc_id, start, end) of a mention to open an entity at: for a merged one, where its most
        mentioned member is mentioned most; for one told apart by surface, its first mention."""
        base_anchor = getattr(self.base, "anchor", None)
        group = self._group(entity_id)
        if group is None and self.resolve_id(entity_id) == entity_id:
            if base_anchor is not None:
                return base_anchor(entity_id)
            lines = self.base.mentions(entity_id)[:1]
            return (lines[0].doc_id, lines[0].start, lines[0].end) if lines else None
        group = group or self._groups[self.resolve_id(entity_id)]
        whole = [part for part in self._effective_parts(group) if part.whole]
        if whole and base_anchor is not None:
            biggest = max(whole, key=lambda part: self.base.entity(part.base_id).count)
            return base_anchor(biggest.base_id)
        lines = self.mentions(group.entity_id)[:1]
        return (lines[0].doc_id, lines[0].start, lines[0].end) if lines else None

    def cooccurrence(self, entity_id: str, doc_ids: Iterable[str] | None = None) -> Cooccurrence:
        """Co-occurrence of a corrected entity with the corrected others (see ``explorer.store.cooccurrence``).

        With the base store's arrays: the documents holding an entity told apart by its
        surface forms (a split, a surface hidden everywhere) are counted from their
        corrected spans, every other document from the arrays, with merged entities
        counted as one and hidden ones left out.
        """
        from explorer.store.cooccurrence import count_cooccurrence

        entity_id = self.resolve_id(entity_id)
        arrays_of = getattr(self.base, "cooccurrence_arrays", None)
        if arrays_of is None:
            return count_cooccurrence(self, entity_id, doc_ids)
        arrays = arrays_of()
        index = arrays.entity_index()
        group = self._groups.get(entity_id)
        if group is None:
            members = [index[entity_id]]
        elif all(part.whole for part in self._effective_parts(group)):
            members = [index[part.base_id] for part in group.parts]
        else:  # told apart by surface forms everywhere it is: from the spans
            return count_cooccurrence(self, entity_id, doc_ids)
        scope_mask = None if doc_ids is None else arrays.doc_mask(doc_ids)
        if not self._groups:
            return arrays.count(members, doc_allowed=scope_mask)
        labels, label_ids, dirty = self._labels(arrays)
        allowed = scope_mask
        if dirty:
            clean = ~arrays.doc_mask(dirty)
            allowed = clean if allowed is None else allowed & clean
        found = arrays.count(members, labels, label_ids, allowed, frequency_docs=scope_mask)
        scope = None if doc_ids is None else \
            doc_ids if isinstance(doc_ids, set | frozenset | dict) else set(doc_ids)
        # The corrected entities' own document counts (their mentions may be told apart by surface).
        positions = self._label_positions
        found.positions = positions
        for group in self._groups.values():
            position = positions.get(group.entity_id)
            if position is not None:
                docs = self._doc_counts(group)
                found.frequency[position] = len(docs) if scope is None else sum(1 for d in docs if d in scope)
        own_docs = self.entity_document_counts(entity_id)
        in_dirty = [doc for doc in dirty if doc in own_docs and (scope is None or doc in scope)]
        if in_dirty:
            found.add(count_cooccurrence(self, entity_id, in_dirty))
        return found

    def _labels(self, arrays: Any) -> tuple[Any, list[str], set[str]]:
        """Per base entity of ``arrays``: the corrected entity it counts as (-1: hidden, or told apart
        by surface); the labels' ids; and the documents where surfaces tell entities apart."""
        cached = self._labels_cache
        if cached is not None and cached[0] is arrays:
            return cached[1]
        import numpy as np

        index = arrays.entity_index()
        labels = np.arange(len(arrays.entity_ids), dtype=np.int64)
        label_ids = list(arrays.entity_ids)
        extra: dict[str, int] = {}
        dirty: set[str] = set()
        for base_id, entries in self._parts_of.items():
            position = index.get(base_id)
            if position is None:
                continue
            groups = [self._groups[group_id] for _, group_id in entries]
            if all(self._is_hidden(group) for group in groups):  # every mention hidden: simply left out
                labels[position] = -1
                continue
            group = groups[0]
            if len(entries) != 1 or not entries[0][0].whole or group.surfaces_hidden:
                labels[position] = -1
                dirty.update(self._base_counts(base_id))
                continue
            label = index.get(group.entity_id)
            if label is None:
                label = extra.setdefault(group.entity_id, len(label_ids))
                if label == len(label_ids):
                    label_ids.append(group.entity_id)
            labels[position] = label
        result = (labels, label_ids, dirty)
        self._labels_cache = (arrays, result)
        self._label_positions = {label_id: i for i, label_id in enumerate(label_ids)}
        return result

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[CorpusEntity, int]]:
        from explorer.store.cooccurrence import most_shared_documents

        return most_shared_documents(self, entity_id, limit)

    def entity_type_counts(self) -> dict[EntityType, int]:
        if not self._groups:
            return self.base.entity_type_counts()
        from explorer.model import ENTITY_TYPES

        counts: dict[EntityType, int] = dict.fromkeys(ENTITY_TYPES, 0)
        for entity in self.entities():
            counts[entity.type] = counts.get(entity.type, 0) + 1
        return counts

    # -- for the corrections' own commands -------------------------------------------------

    def group_of_base(self, base_id: str) -> str | None:
        """The corrected entity a base entity's name now belongs to (None when hidden or merged away)."""
        entries = self._parts_of.get(base_id)
        if entries is None:
            return base_id
        for part, group_id in entries:
            group = self._groups[group_id]
            if part.only is None and not self._is_hidden(group):
                return group_id
        return None

    def surface_moved(self, base_id: str, surface: str) -> bool:
        """True when ``surface`` no longer names what ``base_id`` became (split out, or hidden everywhere)."""
        key = _key(surface)
        for part, group_id in self._parts_of.get(base_id, ()):
            if part.only is None:
                return key in part.without or key in self._groups[group_id].surfaces_hidden
        return False

    def changed_entities(self) -> list[CorpusEntity]:
        """The corrected entities whose name, type, aliases or members differ from the base."""
        return [self._corpus_entity(group) for group in self._groups.values()]

    def lookup(self, text: str, include_hidden: bool = True) -> list[CorpusEntity]:
        """Entities named ``text`` (by name first, else by alias); ``TYPE:NAME`` narrows to a type.

        Hidden ones come last. Several results mean the name is ambiguous.
        """
        type_filter: str | None = None
        prefix, sep, rest = text.partition(":")
        if sep and prefix.strip().lower() in ("person", "organization", "place", "term") and rest.strip():
            type_filter, text = prefix.strip().lower(), rest
        key = _key(text)
        groups = [group for group in self._candidates({key})
                  if (type_filter is None or group.type == type_filter)
                  and (include_hidden or not self._is_hidden(group))]
        by_name = [group for group in groups if _key(group.name) == key]
        chosen = by_name or [group for group in groups if key in {_key(a) for a in self._visible_aliases(group)}]
        entities = [self._group_entity(group) for group in chosen]
        entities.sort(key=lambda e: (self.is_hidden(e.entity_id), -e.count, e.name.casefold()))
        return entities

    def _group_entity(self, group: _Group) -> CorpusEntity:
        if group.entity_id in self._groups:
            return self._corpus_entity(group)
        return self.base.entity(group.entity_id)

    def hidden_surfaces(self) -> list[str]:
        return list(self._hidden_surfaces.values())


_SUMMARY_FIELDS = ("doc_id", "path", "title", "author", "published", "format", "entity_count", "event_count",
                   "container", "properties")
assert tuple(f.name for f in fields(DocumentSummary)) == _SUMMARY_FIELDS, "DocumentSummary changed: update _with_entity_count"


def _with_entity_count(summary: DocumentSummary, entity_count: int) -> DocumentSummary:
    """``replace(summary, entity_count=...)`` without ``replace``'s cost (a big merge changes thousands)."""
    return DocumentSummary(summary.doc_id, summary.path, summary.title, summary.author, summary.published,
                           summary.format, entity_count, summary.event_count, summary.container, summary.properties)


def open_corrected(store: Any) -> CorrectedReader:
    """A store with the corrections kept beside it (``<store>.user.json``) applied."""
    from explorer.store.user import UserStore

    path = getattr(store, "path", None)
    corrections = UserStore(path).corrections() if isinstance(path, Path) else []
    return CorrectedReader(store, corrections)


def describe(correction: Correction) -> str:
    """A correction in a few words, for messages."""
    names = " + ".join(ref.name for ref in correction.entities) or repr(correction.surface)
    match correction.action:
        case "merge":
            return f"merge {names} as {correction.value}"
        case "rename":
            return f"rename {names} to {correction.value}"
        case "retype":
            return f"retype {names} as {correction.value}"
        case "split":
            return f"split {correction.value} out of {names}"
        case _:
            where = " everywhere" if correction.surface is not None else ""
            return f"{correction.action} {names}{where}"


def issues_message(issues: list[CorrectionIssue]) -> str:
    """One line on the corrections that no longer apply ("" when every one does)."""
    if not issues:
        return ""
    listed = "; ".join(f"{describe(issue.correction)} ({issue.reason})" for issue in issues[:10])
    more = f"; and {len(issues) - 10} more" if len(issues) > 10 else ""
    noun = "correction no longer applies" if len(issues) == 1 else "corrections no longer apply"
    return f"{len(issues)} {noun}: {listed}{more}"
