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

The rules only look at distinct (type, normalised name) *nodes* and the names,
aliases and roles written for them, so the merge keeps one ``Node`` per key with
those weighed (``MergeState``) rather than every document's entities: a re-index
adds the new documents' entities, takes away the old ones', clusters the nodes
again (cheap: a node per distinct name) and combines again only the clusters
that changed. Every rule visits keys in sorted order, so the result depends on
the corpus, not on the order documents were indexed in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from explorer.extract.names import name_key as person_key
from explorer.extract.names import roles_differ

HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "amb", "sir", "dame", "rev", "hon"])
_NON_WORD = re.compile(r"[^\w]+")


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
    """One entity of one document, as stored in its document record."""

    doc_id: str
    index: int  # position in the document record's entity list
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    offsets: list[int]  # flat [start, end, start, end, ...]

    @property
    def weight(self) -> int:
        return len(self.offsets) // 2 or 1


@dataclass(slots=True)
class MergedEntity:
    entity_id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    count: int = 0
    docs: dict[str, int] = field(default_factory=dict)  # doc_id -> mentions there (merge_entities only)


@dataclass(slots=True)
class Node:
    """Every local entity with one (type, normalised name), summed: what the rules and names need."""

    type: str
    key: str
    names: dict[str, int] = field(default_factory=dict)  # name as written -> mentions
    aliases: dict[str, int] = field(default_factory=dict)  # alias as written -> mentions of its entities
    roles: dict[str, int] = field(default_factory=dict)  # role as written -> local entities giving it
    locals: int = 0  # local entities on this node; 0: gone from the corpus
    # Derived, kept so a re-index need not normalise every name again: a person's words
    # (honorifics off) and the normalised aliases (rule 3's claims).
    words: list[str] = field(default_factory=list)
    alias_keys: list[str] = field(default_factory=list)
    # The stored row this node was read from, while the node is unchanged: written back as it was
    # (a re-index changes a few of 100,000 nodes).
    row: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def to_row(self) -> dict[str, Any]:
        if self.row is not None:
            return self.row
        row = {"t": self.type, "k": self.key, "n": self.names, "a": self.aliases, "r": self.roles, "l": self.locals,
               "ak": self.alias_keys}
        if self.type == "person" and self.words != self.key.split():
            row["w"] = self.words  # only where an honorific was taken off
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Node:
        words = row.get("w") or (row["k"].split() if row["t"] == "person" else [])
        node = cls(row["t"], row["k"], row["n"], row["a"], row["r"], row["l"], words, row.get("ak", []))
        if "ak" not in row:  # written before the derived fields were kept
            node.derive()
        else:
            node.row = row
        return node

    def derive(self) -> None:
        self.row = None
        self.words = person_words(self.key) if self.type == "person" else []
        self.alias_keys = sorted({k for k in map(person_key if self.type == "person" else name_key, self.aliases) if k})


def node_key(type_: str, name: str) -> tuple[str, str]:
    """Rule 1: local entities of one type and one normalised name are one node (a person's name
    by the extraction's key: dash, quote, initial and romanisation variants are one)."""
    return (type_, (person_key(name) if type_ == "person" else name_key(name)) or name.casefold())


def _add(counts: dict[str, int], key: str, amount: int) -> None:
    value = counts.get(key, 0) + amount
    if value > 0:
        counts[key] = value
    else:
        counts.pop(key, None)


class MergeState:
    """The nodes of a corpus, updated document by document; ``dirty`` names the nodes changed since loading."""

    def __init__(self, nodes: list[Node] | None = None) -> None:
        self.nodes: list[Node] = nodes or []
        self.node_of_key: dict[tuple[str, str], int] = {(n.type, n.key): i for i, n in enumerate(self.nodes)}
        self.dirty: set[int] = set()

    def _apply(self, type_: str, name: str, aliases: list[str], roles: list[str], weight: int, sign: int) -> int:
        key = node_key(type_, name)
        number = self.node_of_key.get(key)
        if number is None:
            number = self.node_of_key[key] = len(self.nodes)
            self.nodes.append(Node(*key))
        node = self.nodes[number]
        node.row = None  # its counts change (the stored row shares its dicts: written anew)
        node.locals += sign
        _add(node.names, name, sign * weight)
        for alias in aliases:
            _add(node.aliases, alias, sign * weight)
        for role in roles:
            _add(node.roles, role, sign)
        self.dirty.add(number)
        return number

    def add(self, type_: str, name: str, aliases: list[str], roles: list[str], weight: int) -> int:
        """Count one local entity in; returns its node."""
        return self._apply(type_, name, aliases, roles, weight, 1)

    def remove(self, type_: str, name: str, aliases: list[str], roles: list[str], weight: int) -> None:
        """Count one local entity (as it was added) out."""
        self._apply(type_, name, aliases, roles, weight, -1)

    def clusters(self) -> list[list[int]]:
        """The nodes of the corpus grouped into entities by rules 2 to 4; nodes without entities left out."""
        return self.reclustered(None, None)[1]

    def reclustered(self, old_groups: Sequence[list[int]] | None,
                    old_group_of: list[int] | None) -> tuple[set[int], list[list[int]]]:
        """Cluster again only what the changes can reach; returns those nodes and their clusters.

        ``old_groups`` are the clusters of the previous run (None: cluster everything), and
        ``old_group_of`` each node's (-1: none) then.
        Starting from the changed nodes (and their previous clusters), the set is
        closed under every relation a rule looks at (same first and last name,
        a claimed alias and its target, a surname and the people bearing it), so
        the rules decide inside it exactly as over the whole corpus; clusters
        outside it stay as they were.
        """
        # A changed node's former aliases count too: dropping a claim can let another merge happen.
        former = {number: self.nodes[number].alias_keys for number in self.dirty}
        for number in self.dirty:
            self.nodes[number].derive()
        live = [i for i, node in enumerate(self.nodes) if node.locals > 0]
        by_first_last: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_last: dict[str, list[int]] = defaultdict(list)  # people with two words or more, and lone surnames
        claims: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in live:
            node = self.nodes[i]
            words = node.words
            if words:
                by_last[words[-1]].append(i)
                if len(words) >= 2:
                    by_first_last[(words[0], words[-1])].append(i)
            for alias_key in node.alias_keys:
                claims[(node.type, alias_key)].append(i)
        if old_groups is None or old_group_of is None:
            reach = set(live)
        else:
            known = len(old_group_of)
            reach = set()
            todo = [n for n in self.dirty]
            while todo:
                i = todo.pop()
                if i in reach:
                    continue
                reach.add(i)
                node = self.nodes[i]
                near: list[int] = []
                if i < known and old_group_of[i] >= 0:
                    near += old_groups[old_group_of[i]]
                words = node.words
                if words:
                    near += by_last.get(words[-1], ())
                    if len(words) >= 2:
                        near += by_first_last.get((words[0], words[-1]), ())
                near += claims.get((node.type, node.key), ())
                for alias_key in {*node.alias_keys, *former.get(i, ())}:
                    near += claims.get((node.type, alias_key), ())
                    target = self.node_of_key.get((node.type, alias_key))
                    if target is not None:
                        near.append(target)
                todo.extend(n for n in near if n not in reach)
        inside = [i for i in reach if self.nodes[i].locals > 0]
        keys = {i: (self.nodes[i].type, self.nodes[i].key) for i in inside}
        inside_set = set(inside)
        inside_claims = {claim: set(members) & inside_set for claim, members in claims.items()
                         if members[0] in inside_set}
        roots = cluster(keys, {claim: members for claim, members in inside_claims.items() if members},
                        words={i: self.nodes[i].words for i in inside},
                        roles={i: list(self.nodes[i].roles) for i in inside if self.nodes[i].roles})
        groups: dict[int, list[int]] = defaultdict(list)
        for i in sorted(inside):
            groups[roots[i]].append(i)
        return reach, list(groups.values())


class _UnionFind:
    def __init__(self, nodes: Iterable[int]) -> None:
        self.parent = {node: node for node in nodes}

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


def cluster(keys: dict[int, tuple[str, str]], claims: dict[tuple[str, str], set[int]],
            words: dict[int, list[str]] | None = None, roles: dict[int, list[str]] | None = None) -> dict[int, int]:
    """Rules 2-4 over nodes (``keys``: node -> (type, normalised name); ``claims``: (type, alias key) -> the
    nodes giving that alias; ``words``: a person node's words, when known); returns each node's cluster root."""
    order = sorted(keys, key=keys.__getitem__)
    uf = _UnionFind(keys)
    node_of_key = {keys[node]: node for node in order}
    if words is None:
        words = {node: person_words(keys[node][1]) for node in order if keys[node][0] == "person"}

    # Rule 2: people by first and last name, unless their middle names conflict.
    by_first_last: dict[tuple[str, str], list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for node in order:
        type_, key = keys[node]
        if type_ != "person":
            continue
        person = words[node]
        if len(person) >= 2:
            by_first_last[(person[0], person[-1])].append((node, tuple(person[1:-1])))
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
    for type_alias in sorted(claims):
        roots = {uf.find(node) for node in claims[type_alias]}
        target = node_of_key.get(type_alias)
        if target is not None and len(roots) == 1:
            uf.union(next(iter(roots)), target)

    # Rule 4: a lone surname joins the one person who has it as last name.
    last_names: dict[str, set[int]] = defaultdict(set)
    for node in order:
        if keys[node][0] == "person" and len(words[node]) >= 2:
            last_names[words[node][-1]].add(node)
    roles = roles or {}
    for node in order:
        if keys[node][0] == "person" and len(words[node]) == 1:
            bearers = last_names.get(words[node][0], ())
            roots = {uf.find(other) for other in bearers}
            # ... unless the roles say they are two people ("Secretary of State Rice" / "Ambassador Rice")
            if len(roots) == 1 and not any(roles_differ(roles.get(node, []), roles.get(o, [])) for o in bearers):
                uf.union(next(iter(roots)), node)
    return {node: uf.find(node) for node in order}


def _fullness(name: str, weight: int) -> tuple[int, int, int, int, str]:
    # Most words, then most used, then the plainest spelling ("UN" over "U.N.").
    punctuation = sum(1 for ch in name if not ch.isalnum() and not ch.isspace())
    return (len(name_key(name).split()), weight, -punctuation, len(name), name)


def combine(members: list[Node], used_ids: set[str]) -> MergedEntity:
    """One corpus entity from its nodes: canonical name, aliases by use, roles by how many documents give them."""
    name_weight: dict[str, int] = {}
    surfaces: dict[str, int] = {}
    roles: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for member in members:
        for name, weight in member.names.items():
            name_weight[name] = name_weight.get(name, 0) + weight
            surfaces[name] = surfaces.get(name, 0) + weight
        for alias, weight in member.aliases.items():
            surfaces[alias] = surfaces.get(alias, 0) + weight
        for role, count in member.roles.items():
            folded = role.casefold()
            roles[folded] = roles.get(folded, 0) + count
            written = spellings.setdefault(folded, {})
            written[role] = written.get(role, 0) + count
    if len(name_weight) == 1:
        canonical = next(iter(name_weight))
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
    entity_id = entity_id_for(type_, canonical)
    while entity_id in used_ids:  # two clusters with one canonical key (rule 2 kept them apart)
        entity_id = entity_id_for(type_, canonical + "#" + entity_id)
    used_ids.add(entity_id)
    return MergedEntity(
        entity_id=entity_id,
        name=canonical,
        type=type_,
        aliases=aliases,
        # Most given first; one role written several ways shows its most used spelling.
        roles=[max(spellings[role].items(), key=lambda kv: (kv[1], kv[0]))[0]
               for role, _ in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))],
    )


def merge_entities(locals_: Iterable[LocalEntity]) -> tuple[list[MergedEntity], dict[tuple[str, int], str]]:
    """Merge local entities in one go; returns corpus entities (with their documents) and
    (doc_id, index) -> entity_id. The indexer does the same through ``MergeState``, incrementally."""
    items = list(locals_)
    state = MergeState()
    item_node = [state.add(item.type, item.name, item.aliases, item.roles, item.weight) for item in items]
    by_node: dict[int, list[LocalEntity]] = defaultdict(list)
    for item, node in zip(items, item_node, strict=True):
        by_node[node].append(item)
    merged: list[MergedEntity] = []
    assignment: dict[tuple[str, int], str] = {}
    used_ids: set[str] = set()
    for group in sorted(state.clusters(), key=lambda nodes: min(node_key_of(state, n) for n in nodes)):
        entity = combine([state.nodes[n] for n in group], used_ids)
        per_document: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for node in group:
            for item in by_node[node]:
                assignment[(item.doc_id, item.index)] = entity.entity_id
                per_document[item.doc_id].update(zip(item.offsets[::2], item.offsets[1::2], strict=True))
        entity.docs = {doc_id: len(pairs) for doc_id, pairs in per_document.items()}
        entity.count = sum(entity.docs.values())
        merged.append(entity)
    merged.sort(key=lambda e: (-e.count, -len(e.docs), e.name.casefold(), e.entity_id))
    return merged, assignment


def node_key_of(state: MergeState, node: int) -> tuple[str, str]:
    return (state.nodes[node].type, state.nodes[node].key)
