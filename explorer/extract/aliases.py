"""Alias resolution: mentions of one document grouped into entities under their fullest name.

"Bosworth", "Stephen Bosworth", "Stephen W. Bosworth" and "Ambassador Bosworth"
are one person; "U.N." is "United Nations"; "Security Council" is the "UN
Security Council" when the document names it in full; "DPJ" is the "Democratic
Party of Japan" whose initials it is. A bare family name that could be several
people ("Kim") goes to the one named most recently before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from explorer.extract.candidates import Candidate
from explorer.model import Entity, EntityType, Mention

_CONNECTORS = {"of", "for", "on", "and", "the", "de", "du", "la", "van", "von", "der", "to"}
_NICKNAMES = {
    "bill": "william", "bob": "robert", "rob": "robert", "chris": "christopher", "mike": "michael",
    "jim": "james", "jimmy": "james", "tom": "thomas", "dick": "richard", "rick": "richard", "joe": "joseph",
    "dan": "daniel", "dave": "david", "steve": "stephen", "tony": "anthony", "ed": "edward", "ted": "edward",
    "liz": "elizabeth", "kate": "katherine", "alex": "alexander", "andy": "andrew", "nick": "nicholas",
    "sam": "samuel", "ben": "benjamin", "matt": "matthew", "pat": "patrick", "larry": "lawrence", "condi": "condoleezza",
}


@lru_cache(maxsize=65536)
def person_tokens(name: str) -> tuple[str, ...]:
    """Comparable tokens of a person's name: no initials, hyphen and case folded."""
    tokens = re.findall(r"[\w'\-]+", name.replace("\u2212", "-"))
    return tuple(t.lower().replace("-", "") for t in tokens if len(t.rstrip(".")) > 1)


def name_key(name: str) -> str:
    """A key that makes spelling variants of one name equal ("Kim Jong-il" / "Kim Jong Il")."""
    return "".join(person_tokens(name))


def _first_compatible(a: str, b: str) -> bool:
    a, b = _NICKNAMES.get(a, a), _NICKNAMES.get(b, b)
    return a == b or a.startswith(b) or b.startswith(a)


def org_words(name: str) -> list[str]:
    name = name.replace("\u2019", "'")
    return [w for w in re.findall(r"[\w'.\-]+", name) if w.lower() not in _CONNECTORS]


def initials(name: str) -> str:
    return "".join(w[0] for w in org_words(name) if w[0].isupper())


@dataclass(slots=True)
class _Group:
    type: EntityType
    key: str
    canonical: str | None
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


def _clean_surface(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"['\u2019]s$", "", text)


def build_entities(
    text: str,
    candidates: list[Candidate],
    acronyms: list[tuple[int, int, str]],
    taken: list[tuple[int, int]],
) -> list[Entity]:
    """Group accepted candidates (sorted by start) into entities."""
    groups: dict[tuple[str, str], _Group] = {}
    order: list[_Group] = []

    def group_for(kind: EntityType, key: str, canonical: str | None) -> _Group:
        g = groups.get((kind, key))
        if g is None:
            g = _Group(kind, key, canonical)
            groups[(kind, key)] = g
            order.append(g)
        return g

    # A one-word place that is also the given or family name of a person named in this
    # document ("Sydney", "Houston", "Georgia") is that person's.
    name_words = {
        token
        for cand in candidates if cand.type == "person"
        for tokens in [person_tokens(text[cand.start : cand.end])] if len(tokens) >= 2
        for token in (tokens[0], tokens[-1])
    }

    # 1. Names with a canonical form (gazetteer, patterns) and multi-word names.
    people: list[_Group] = []
    singles: list[Candidate] = []
    for cand in candidates:
        surface = _clean_surface(text[cand.start : cand.end])
        if cand.type == "place" and " " not in surface and surface.lower() in name_words:
            singles.append(cand)
            continue
        if cand.type is None or (cand.type == "person" and len(person_tokens(surface)) < 2):
            singles.append(cand)
            continue
        if cand.type == "person":
            g = _find_person(people, surface)
            if g is None:
                g = group_for("person", name_key(surface), None)
                people.append(g)
            g.mentions.append((cand.start, cand.end, surface))
            if cand.role:
                g.roles.append(cand.role)
            continue
        key = cand.canonical or surface
        g = group_for(cand.type, _org_key(key), cand.canonical)
        g.mentions.append((cand.start, cand.end, surface))

    # 2. Organisation names that are a shorter form of a fuller one in the document.
    _merge_short_org_forms(groups, order)

    # 3. Single capitalised words: a known person's family or given name, else a person
    #    only when a title or a speech verb says so.
    for cand in singles:
        surface = _clean_surface(text[cand.start : cand.end])
        tokens = person_tokens(surface)
        if not tokens:
            continue
        match = _person_for_token(people, tokens[0], cand.start)
        if match is not None:
            match.mentions.append((cand.start, cand.end, surface))
            if cand.role:
                match.roles.append(cand.role)
        elif cand.type == "place":
            group_for("place", _org_key(cand.canonical or surface), cand.canonical).mentions.append(
                (cand.start, cand.end, surface))
        elif cand.type == "person":
            g = group_for("person", name_key(surface), None)
            people.append(g)
            g.mentions.append((cand.start, cand.end, surface))
            if cand.role:
                g.roles.append(cand.role)

    # 4. Acronyms: defined in parentheses after a name ("... Organization (KEDO)"), or an
    #    organisation's or term's initials ("NCAFP").
    named = [g for g in order if g.type in ("organization", "term") and g.mentions]
    ends = {m[1]: g for g in order for m in g.mentions}
    defined: dict[str, _Group] = {}
    for start, end, token in acronyms:
        if text[start - 2 : start] == " (" and text[end : end + 1] == ")" and start - 2 in ends:
            defined.setdefault(token, ends[start - 2])
    for start, end, token in acronyms:
        if any(s < end and start < e for s, e in taken):
            continue
        if token in defined:
            defined[token].mentions.append((start, end, token))
            continue
        letters = token.replace(".", "")
        for g in named:
            full = g.canonical or max((m[2] for m in g.mentions), key=len)
            if len(letters) >= 2 and initials(full) == letters:
                g.mentions.append((start, end, token))
                break

    entities: list[Entity] = []
    for g in order:
        if not g.mentions:
            continue
        g.mentions.sort()
        surfaces = [m[2] for m in g.mentions]
        canonical = g.canonical or _fullest(surfaces, g.type)
        aliases = sorted({s for s in surfaces if s != canonical}, key=lambda s: (-len(s), s))
        roles = list(dict.fromkeys(r for r in g.roles if r))[:5]
        entities.append(Entity(
            name=canonical, type=g.type, aliases=aliases,
            mentions=[Mention(s, e, surface) for s, e, surface in g.mentions], roles=roles,
        ))
    return entities


def _org_key(name: str) -> str:
    return " ".join(w.lower().strip(".") for w in org_words(name)).replace(".", "")


def _fullest(surfaces: list[str], kind: EntityType) -> str:
    return max(surfaces, key=lambda s: (len(s.split()), len(s), s[:1].isupper()))


def _find_person(people: list[_Group], surface: str) -> _Group | None:
    tokens = person_tokens(surface)
    key = "".join(tokens)
    for g in people:
        if g.key == key:
            return g
    for g in people:
        for _, _, known in g.mentions:
            other = person_tokens(known)
            if len(other) < 2:
                continue
            if "".join(other) == key:
                return g
            # "Chris Hill" / "Christopher R. Hill"; "Hillary Clinton" / "Hillary Rodham Clinton"
            if other[-1] == tokens[-1] and _first_compatible(other[0], tokens[0]):
                return g
    return None


def _person_for_token(people: list[_Group], token: str, offset: int) -> _Group | None:
    """The person a single name refers to: the most recent one named before it, else the first after."""
    best: tuple[int, _Group] | None = None
    later: tuple[int, _Group] | None = None
    for g in people:
        full = [m for m in g.mentions if len(person_tokens(m[2])) >= 2]
        if not any(token in (person_tokens(m[2])[0], person_tokens(m[2])[-1]) for m in full):
            continue
        before = [m[0] for m in g.mentions if m[0] < offset]
        if before:
            if best is None or max(before) > best[0]:
                best = (max(before), g)
        else:
            first = min(m[0] for m in g.mentions)
            if later is None or first < later[0]:
                later = (first, g)
    if best is not None:
        return best[1]
    return later[1] if later else None


def _merge_short_org_forms(groups: dict[tuple[str, str], _Group], order: list[_Group]) -> None:
    """"Foreign Ministry" -> "DPRK Foreign Ministry"; "Fletcher School" -> "Fletcher School of Law and Diplomacy"."""
    orgs = [g for g in order if g.type == "organization" and g.canonical is None and g.mentions]
    for short in orgs:
        words = short.key.split()
        fuller = []
        for g in order:
            if g is short or g.type != "organization" or not g.mentions:
                continue
            other = g.key.split()
            if len(other) > len(words) and (other[-len(words):] == words or other[: len(words)] == words):
                fuller.append(g)
        if len(fuller) == 1:
            fuller[0].mentions.extend(short.mentions)
            short.mentions = []
