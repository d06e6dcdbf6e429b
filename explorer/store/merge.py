"""Merging per-document entities into corpus entities.

Each document's extraction lists an entity once, under its fullest name, with
its other surface forms as aliases. Across documents the same person may appear
as "Stephen W. Bosworth", "Stephen Bosworth" or only "Bosworth"; the same body as
"UN Security Council" or "U.N. Security Council". The rules, in order:

1. Same type and same normalised name (case, accents, dots, hyphens, "the").
2. People with the same first and last name are one when their middle names
   do not conflict ("Stephen W. Bosworth" = "Stephen Bosworth", but
   "George H. W. Bush" != "George W. Bush").
3. A name that one, and only one, merged entity gives as an alias joins it
   ("UNSC" listed as an alias of the Security Council). A bare single word used
   as an alias by several entities ("Kim") stays on its own.
4. A one-word person name joins the one person whose last name it is, when
   exactly one such person exists in the corpus.

The canonical name is the fullest member name (most words, then most mentions,
then the plainest spelling).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from explorer.extract.names import name_key as person_key
from explorer.extract.names import roles_differ

HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "amb", "sir", "dame", "rev", "hon"])
_NON_WORD = re.compile(r"[^\w]+")
COOCCURRING_KEPT = 20


def fold(text: str) -> str:
    """Lower case without accents."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text


@lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """A normalised name: "U.N. Security-Council" -> "un security council"."""
    text = fold(name).replace(".", "").replace("'", "").replace("\u2019", "")
    words = _NON_WORD.sub(" ", text).replace("_", " ").split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def person_words(key: str) -> list[str]:
    words = key.split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    return words


def is_acronym(surface: str) -> bool:
    letters = surface.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalnum() and letters.isupper()


def entity_id_for(type_: str, canonical: str) -> str:
    digest = hashlib.sha1(f"{type_}|{name_key(canonical)}".encode()).hexdigest()[:10]
    return f"{type_[0]}{digest}"


@dataclass(slots=True)
class LocalEntity:
    """One entity of one document, as stored in its document row."""

    doc_id: str
    index: int  # position in the document row's entity list
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    offsets: list[int]  # flat [start, end, start, end, ...]


@dataclass(slots=True)
class MergedEntity:
    entity_id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    count: int
    docs: dict[str, int] = field(default_factory=dict)  # doc_id -> mentions there
    cooccurring: list[tuple[str, int]] = field(default_factory=list)  # (entity_id, shared documents)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_entities(locals_: Iterable[LocalEntity]) -> tuple[list[MergedEntity], dict[tuple[str, int], str]]:
    """Merge local entities; returns corpus entities and (doc_id, index) -> entity_id."""
    items = list(locals_)
    # Rule 1: one node per (type, normalised name).
    node_of_key: dict[tuple[str, str], int] = {}
    node_keys: list[tuple[str, str]] = []
    item_node: list[int] = []
    for item in items:
        # people by the extraction's name key: spelling, dash and romanisation variants are one
        folded = person_key(item.name) if item.type == "person" else name_key(item.name)
        key = (item.type, folded or item.name.casefold())
        node = node_of_key.get(key)
        if node is None:
            node = node_of_key[key] = len(node_keys)
            node_keys.append(key)
        item_node.append(node)
    uf = _UnionFind(len(node_keys))

    # Rule 2: people by first and last name, unless their middle names conflict.
    by_first_last: dict[tuple[str, str], list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for node, (type_, key) in enumerate(node_keys):
        if type_ != "person":
            continue
        words = person_words(key)
        if len(words) >= 2:
            by_first_last[(words[0], words[-1])].append((node, tuple(words[1:-1])))
    for members in by_first_last.values():
        middles = {middle for _, middle in members if middle}
        # Initials and full middle names that agree on the first letter are one middle name.
        initials = {middle[0][0] for middle in middles}
        if len(initials) <= 1:
            for node, _ in members[1:]:
                uf.union(members[0][0], node)
        else:
            by_middle: dict[str, int] = {}
            for node, middle in members:
                if middle:
                    first = by_middle.setdefault(middle[0][0], node)
                    uf.union(first, node)

    # Rule 3: aliases claimed by exactly one merged entity.
    claims: dict[tuple[str, str], set[int]] = defaultdict(set)
    for item, node in zip(items, item_node, strict=True):
        for alias in item.aliases:
            alias_key = name_key(alias)
            if alias_key:
                claims[(item.type, alias_key)].add(uf.find(node))
    for (type_, alias_key), roots in claims.items():
        roots = {uf.find(root) for root in roots}
        target = node_of_key.get((type_, alias_key))
        if target is not None and len(roots) == 1:
            uf.union(next(iter(roots)), target)

    # Rule 4: a lone surname joins the one person who has it as last name.
    last_names: dict[str, set[int]] = defaultdict(set)
    for node, (type_, key) in enumerate(node_keys):
        if type_ == "person":
            words = person_words(key)
            if len(words) >= 2:
                last_names[words[-1]].add(node)
    node_roles: dict[int, list[str]] = defaultdict(list)
    for item, node in zip(items, item_node, strict=True):
        node_roles[node].extend(item.roles)
    for node, (type_, key) in enumerate(node_keys):
        if type_ == "person" and len(person_words(key)) == 1:
            roots = {uf.find(other) for other in last_names.get(person_words(key)[0], ())}
            # ... unless the roles say they are two people ("Secretary of State Rice" / "Ambassador Rice")
            if len(roots) == 1 and not any(
                roles_differ(node_roles[node], node_roles[other]) for other in last_names[person_words(key)[0]]
            ):
                uf.union(next(iter(roots)), node)

    groups: dict[int, list[int]] = defaultdict(list)
    for position, node in enumerate(item_node):
        groups[uf.find(node)].append(position)

    merged: list[MergedEntity] = []
    assignment: dict[tuple[str, int], str] = {}
    used_ids: set[str] = set()
    for positions in groups.values():
        members = [items[p] for p in positions]
        entity = _combine(members, used_ids)
        merged.append(entity)
        for member in members:
            assignment[(member.doc_id, member.index)] = entity.entity_id
    _add_cooccurring(merged)
    merged.sort(key=lambda e: (-e.count, -len(e.docs), e.name.casefold()))
    return merged, assignment


def _fullness(name: str, weight: int) -> tuple[int, int, int, int, str]:
    # Most words, then most used, then the plainest spelling ("UN" over "U.N.").
    punctuation = sum(1 for ch in name if not ch.isalnum() and not ch.isspace())
    return (len(name_key(name).split()), weight, -punctuation, len(name), name)


def _combine(members: list[LocalEntity], used_ids: set[str]) -> MergedEntity:
    name_weight: dict[str, int] = {}
    surfaces: dict[str, int] = {}
    roles: dict[str, int] = {}
    role_text: dict[str, str] = {}
    per_document: dict[str, list[list[int]]] = {}
    for member in members:
        weight = len(member.offsets) // 2 or 1
        name_weight[member.name] = name_weight.get(member.name, 0) + weight
        surfaces[member.name] = surfaces.get(member.name, 0) + weight
        for alias in member.aliases:
            surfaces[alias] = surfaces.get(alias, 0) + weight
        for role in member.roles:
            folded = role.casefold()
            roles[folded] = roles.get(folded, 0) + 1
            role_text.setdefault(folded, role)
        offsets = per_document.get(member.doc_id)
        if offsets is None:
            per_document[member.doc_id] = [member.offsets]
        else:
            offsets.append(member.offsets)
    if len(name_weight) == 1:
        canonical = members[0].name
    else:
        canonical = max(name_weight, key=lambda name: _fullness(name, name_weight[name]))
    type_ = members[0].type
    seen = {name_key(canonical)}
    aliases: list[str] = []
    if len(surfaces) > 1:
        for surface, _ in sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0])):
            folded = surface.casefold().strip()
            if folded and folded not in seen and surface != canonical:
                seen.add(folded)
                aliases.append(surface)
    counts: dict[str, int] = {}
    for doc_id, lists in per_document.items():
        if len(lists) == 1:  # one entity of one document: its offsets are distinct already
            counts[doc_id] = len(lists[0]) // 2
        else:  # two local entities merged here may share a mention
            counts[doc_id] = len({(flat[i], flat[i + 1]) for flat in lists for i in range(0, len(flat), 2)})
    entity_id = entity_id_for(type_, canonical)
    while entity_id in used_ids:  # two clusters with one canonical key (rule 2 kept them apart)
        entity_id = entity_id_for(type_, canonical + "#" + entity_id)
    used_ids.add(entity_id)
    return MergedEntity(
        entity_id=entity_id,
        name=canonical,
        type=type_,
        aliases=aliases,
        roles=[role_text[role] for role, _ in sorted(roles.items(), key=lambda kv: -kv[1])],
        count=sum(counts.values()),
        docs=counts,
    )


def _add_cooccurring(merged: list[MergedEntity]) -> None:
    """Keep, for each entity, the entities sharing most documents with it."""
    doc_entities: dict[str, list[str]] = defaultdict(list)
    for entity in merged:
        for doc_id in entity.docs:
            doc_entities[doc_id].append(entity.entity_id)
    for entity in merged:
        shared = Counter(chain.from_iterable(doc_entities[doc_id] for doc_id in entity.docs))
        shared.pop(entity.entity_id, None)
        entity.cooccurring = shared.most_common(COOCCURRING_KEPT)
