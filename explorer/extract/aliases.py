"""Alias resolution: mentions of one document grouped into entities under their fullest name.

"Bosworth", "Stephen Bosworth", "Stephen W. Bosworth" and "Ambassador Bosworth"
are one person; "U.N." is "United Nations"; "Security Council" is the "UN
Security Council" when the document names it in full; "DPJ" is the "Democratic
Party of Japan" whose initials it is. A bare family name that could be several
people ("Kim") goes to the one named most recently before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from explorer.extract import names
from explorer.extract.candidates import Candidate
from explorer.model import Entity, EntityType, Mention

_ACRONYM_SHAPE = re.compile(r"^(?:[A-Z]{2,6}|(?:[A-Z]\.){2,5})$")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'\-]+\b")
_ORG_WORD = re.compile(r"[\w'.\-]+")
_POSSESSIVE_END = re.compile(r"['\u2019]s$")
_CONNECTORS = {"of", "for", "on", "and", "the", "de", "du", "la", "van", "von", "der", "to"}
_NICKNAMES = {
    "bill": "william", "bob": "robert", "rob": "robert", "chris": "christopher", "mike": "michael",
    "jim": "james", "jimmy": "james", "tom": "thomas", "dick": "richard", "rick": "richard", "joe": "joseph",
    "dan": "daniel", "dave": "david", "steve": "stephen", "tony": "anthony", "ed": "edward", "ted": "edward",
    "liz": "elizabeth", "kate": "katherine", "alex": "alexander", "andy": "andrew", "nick": "nicholas",
    "sam": "samuel", "ben": "benjamin", "matt": "matthew", "pat": "patrick", "larry": "lawrence", "condi": "condoleezza",
}


def person_tokens(name: str) -> tuple[str, ...]:
    """Comparable words of a person's name (names.name_tokens): no initials, case, dashes,
    quotes and romanisation folded ("Kim Gye-gwan" and "Kim Kye Gwan": kim, kyekwan)."""
    return names.name_tokens(name)


def name_key(name: str) -> str:
    """A key that makes spelling variants of one name equal ("Kim Jong-il" / "Kim Jong−il" / "Kim Jong Il")."""
    return names.name_key(name)


def _first_compatible(a: str, b: str) -> bool:
    a, b = _NICKNAMES.get(a, a), _NICKNAMES.get(b, b)
    return a == b or a.startswith(b) or b.startswith(a)


def org_words(name: str) -> list[str]:
    name = name.replace("\u2019", "'")
    return [w for w in _ORG_WORD.findall(name) if w.lower() not in _CONNECTORS]


def initials(name: str) -> str:
    return "".join(w[0] for w in org_words(name) if w[0].isupper())


@dataclass(slots=True, eq=False)  # a group is itself, not its contents
class _Group:
    type: EntityType
    key: str
    canonical: str | None
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    # people only: the distinct full forms of the name, and every mention's start, sorted
    forms: set[tuple[str, ...]] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)


class _People:
    """The people of a document, indexed so that each lookup costs the same in long documents."""

    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self.by_key: dict[str, _Group] = {}
        self.by_last: dict[str, list[_Group]] = {}
        self.by_token: dict[str, dict[int, _Group]] = {}

    def add_form(self, group: _Group, tokens: tuple[str, ...]) -> None:
        if tokens in group.forms:
            return
        group.forms.add(tokens)
        self.by_key.setdefault("".join(tokens), group)
        self.by_last.setdefault(tokens[-1], []).append(group)
        for token in {tokens[0], tokens[-1]}:
            self.by_token.setdefault(token, {})[id(group)] = group

    def find(self, tokens: tuple[str, ...]) -> _Group | None:
        """The person a full name belongs to: same name, or same family name with a compatible given name."""
        group = self.by_key.get("".join(tokens))
        if group is not None:
            return group
        for group in self.by_last.get(tokens[-1], []):
            for other in group.forms:
                # "Chris Hill" / "Christopher R. Hill"; "Hillary Clinton" / "Hillary Rodham Clinton"
                if len(other) >= 2 and _first_compatible(other[0], tokens[0]):
                    return group
        return None

    def for_token(self, token: str, offset: int) -> _Group | None:
        """The person a single name refers to: the most recent one named before it, else the first after."""
        best: tuple[int, _Group] | None = None
        later: tuple[int, _Group] | None = None
        for group in self.by_token.get(token, {}).values():
            i = bisect_left(group.starts, offset)
            if i > 0:
                if best is None or group.starts[i - 1] > best[0]:
                    best = (group.starts[i - 1], group)
            elif group.starts and (later is None or group.starts[0] < later[0]):
                later = (group.starts[0], group)
        if best is not None:
            return best[1]
        return later[1] if later else None

    @staticmethod
    def mention(group: _Group, start: int, end: int, surface: str) -> None:
        group.mentions.append((start, end, surface))
        insort(group.starts, start)


def _clean_surface(text: str) -> str:
    text = " ".join(text.split())
    return _POSSESSIVE_END.sub("", text)


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

    lowercase_cache = _TextWords()

    # 1. Names with a canonical form (gazetteer, patterns) and multi-word names.
    people = _People()
    singles: list[Candidate] = []
    tagged_acronyms: list[Candidate] = []
    for cand in candidates:
        surface = _clean_surface(text[cand.start : cand.end])
        if cand.type in ("place", "organization") and " " not in surface and person_tokens(surface)[:1] and person_tokens(surface)[0] in name_words:
            singles.append(cand)
            continue
        if cand.type is None or (cand.type == "person" and len(person_tokens(surface)) < 2):
            singles.append(cand)
            continue
        if cand.type == "person":
            tokens = person_tokens(surface)
            g = people.find(tokens)
            if g is None:
                g = group_for("person", name_key(surface), None)
            people.add_form(g, tokens)
            people.mention(g, cand.start, cand.end, surface)
            if cand.role:
                g.roles.append(cand.role)
            continue
        if cand.canonical is None and cand.type in ("organization", "place") and _ACRONYM_SHAPE.match(surface):
            tagged_acronyms.append(cand)  # "NCAFP": the initials of a name in the document, or a name itself
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
        match = people.for_token(tokens[0], cand.start)
        if match is not None:
            people.mention(match, cand.start, cand.end, surface)
            if cand.role:
                match.roles.append(cand.role)
        elif cand.type == "place":
            group_for("place", _org_key(cand.canonical or surface), cand.canonical).mentions.append(
                (cand.start, cand.end, surface))
        elif cand.type == "person" and not _common_word(surface, text, lowercase_cache):
            g = group_for("person", name_key(surface), None)
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
    by_initials: dict[str, _Group] = {}
    for g in named:  # the first organisation or term with those initials takes them
        by_initials.setdefault(initials(g.canonical or max((m[2] for m in g.mentions), key=len)), g)
    taken_mask = bytearray(len(text) + 1)
    for s, e in taken:
        taken_mask[s:e] = b"\x01" * (e - s)
    for start, end, token in acronyms:
        if taken_mask.find(1, start, end) != -1:
            continue
        if token in defined:
            defined[token].mentions.append((start, end, token))
            continue
        letters = token.replace(".", "")
        owner = by_initials.get(letters) if len(letters) >= 2 else None
        if owner is not None:
            owner.mentions.append((start, end, token))
    for cand in tagged_acronyms:
        surface = text[cand.start : cand.end]
        owner = defined.get(surface) or by_initials.get(surface.replace(".", ""))
        if owner is None or len(surface.replace(".", "")) < 2:
            owner = group_for(cand.type, _org_key(surface), None)  # type: ignore[arg-type]
        owner.mentions.append((cand.start, cand.end, surface))

    entities: list[Entity] = []
    surfaces_seen: dict[str, str] = {}
    for g in order:
        if not g.mentions:
            continue
        g.mentions.sort()
        surfaces = [m[2] for m in g.mentions]
        canonical = g.canonical or _fullest(surfaces, g.type)
        forms = set(surfaces)
        forms.discard(canonical)
        aliases = sorted(forms, key=_longest_first) if forms else []
        roles = list(dict.fromkeys(r for r in g.roles if r))[:5] if g.roles else []
        entities.append(Entity(
            name=canonical, type=g.type, aliases=aliases,
            # one string object per distinct surface form: a long document repeats its names
            mentions=[Mention(s, e, surfaces_seen.setdefault(surface, surface)) for s, e, surface in g.mentions],
            roles=roles,
        ))
    return entities


def _longest_first(surface: str) -> tuple[int, str]:
    return -len(surface), surface


def _common_word(surface: str, text: str, cache: _TextWords) -> bool:
    """A lone capitalised word that the same text also writes in lower case ("Reporters said",
    "... told reporters") is a common word, not a name."""
    low = surface.lower()
    words = cache.words
    if words is None:
        cache.asked += 1
        if cache.asked <= _SEARCHES and len(text) <= 100_000 and low and not any(ch.isspace() for ch in low):
            # the first few questions: a search of the text costs less than a set of all its words
            return _written_as_word(text, low)
        if len(text) > 1_000_000:
            # a set built word by word: a list of every word of a 50 MB text would take gigabytes
            words = cache.words = frozenset({m.group() for m in _LOWER_WORD.finditer(text)})
        else:  # the whitespace-separated pieces: many times faster than a regex
            words = cache.words = frozenset(text.split())
    return low in words or low + "," in words or low + "." in words


_SEARCHES = 8  # questions answered by searching the text before its words are put in a set


@dataclass(slots=True)
class _TextWords:
    """The words of a document's text, as a set, made when enough questions make it worth it."""

    words: frozenset[str] | None = None
    asked: int = 0


def _written_as_word(text: str, low: str) -> bool:
    """Whether the text, split at white space, has the piece ``low``, ``low,`` or ``low.`` (as
    ``frozenset(text.split())`` would say; ``low`` holds no white space)."""
    n, size = len(text), len(low)
    at = text.find(low)
    while at != -1:
        if at == 0 or text[at - 1].isspace():
            end = at + size
            if end < n and text[end] in ",.":
                end += 1
            if end == n or text[end].isspace():
                return True
        at = text.find(low, at + 1)
    return False


def _org_key(name: str) -> str:
    return " ".join(w.lower().strip(".") for w in org_words(name)).replace(".", "")


def _fullest(surfaces: list[str], kind: EntityType) -> str:
    return max(surfaces, key=lambda s: (len(s.split()), len(s), s[:1].isupper()))


def _merge_short_org_forms(groups: dict[tuple[str, str], _Group], order: list[_Group]) -> None:
    """"Foreign Ministry" -> "DPRK Foreign Ministry"; "Fletcher School" -> "Fletcher School of Law and
    Diplomacy"; "the North" -> "North Korea" (when the document names one such place only)."""
    orgs = [g for g in order if g.type in ("organization", "place") and g.mentions]
    # every proper prefix and suffix of every organisation's name -> the organisations that have it
    fuller: dict[tuple[str, ...], dict[int, _Group]] = {}
    for g in orgs:
        words = tuple(g.key.split())
        for k in range(1, len(words)):
            fuller.setdefault(words[:k], {})[id(g)] = g
            fuller.setdefault(words[-k:], {})[id(g)] = g
    for short in orgs:
        if short.canonical is not None or not short.mentions:
            continue
        found = [g for g in fuller.get(tuple(short.key.split()), {}).values() if g is not short and g.mentions]
        if len(found) == 1:
            found[0].mentions.extend(short.mentions)
            short.mentions = []
