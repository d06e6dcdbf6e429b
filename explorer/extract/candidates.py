"""Candidate spans: named terms by pattern, gazetteer names, organisations by their
head words, and people by titles, given names, family names and speech cues.

Each stage returns ``Candidate`` spans over the matching view of the text;
``resolve_overlaps`` keeps the longest non-overlapping ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.extract.gazetteer import Gazetteers, gazetteer_matches
from explorer.model import EntityType

# Priorities break ties between candidates of the same length: a known name beats the
# generic "capitalised words + Treaty/Programme" form ("World Food Programme" is an organisation).
PATTERN, GAZETTEER, SEQUENCE, GENERIC, UNKNOWN = 4, 3, 2, 1, 0


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    type: EntityType | None  # None: a capitalised word that may turn out to be a known person's name
    canonical: str | None  # the gazetteer's or the pattern's name, when there is one
    priority: int
    person_evidence: bool = False
    role: str | None = None

    @property
    def length(self) -> int:
        return self.end - self.start


_NUMBER_WORDS = {"two": "Two", "three": "Three", "four": "Four", "five": "Five", "six": "Six", "seven": "Seven",
                 "eight": "Eight", "2": "Two", "3": "Three", "4": "Four", "5": "Five", "6": "Six"}

_RESOLUTION = re.compile(
    r"\b(?:(?:U\.N\.|UN|United Nations)\s)?(?:(?:Security Council|UNSC)\s)?"
    r"(?:[Rr]esolution|UNSCR)\s(?:No\.\s?)?(?P<number>\d{3,4})\b(?:\s\((?P<year>\d{4})\))?"
)
_RESOLUTION_NUMBER = re.compile(r"(?P<number>\d{3,4})(?:\s\(\d{4}\))?")
_RESOLUTIONS = re.compile(
    r"\b[Rr]esolutions\s(?P<list>\d{3,4}(?:\s\(\d{4}\))?(?:(?:,\s|,?\sand\s)\d{3,4}(?:\s\(\d{4}\))?)+)"
)
_PARTY_TALKS = re.compile(
    r"\b(?P<number>[Ss]ix|[Ff]our|[Tt]hree|[Ff]ive|[Tt]wo|[Ss]even|[Ee]ight|[2-6])[- ](?:[Pp]arty|[Nn]ation)\s"
    r"(?:[Tt]alks|[Pp]rocess|[Ff]ramework|[Nn]egotiations|[Ff]orum|[Mm]eetings?|[Mm]embers|[Pp]articipants"
    r"|[Ii]nteractions|[Pp]artners|[Dd]ialogue|[Mm]echanism|[Aa]greement)\b"
)
_WAR = re.compile(r"\b(?P<name>(?:[A-Z][a-z]+\s){1,2})War\b")
_NAMED_TERM = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'\-]*\s(?:(?:of|on|for|the|and|to)\s)*){1,6}"
    r"(?:Treaty|Agreement|Accords?|Convention|Protocol|Declaration|Charter|Act|Doctrine|Initiative|Program|Programme"
    r"|Roadmap|Pact|Partnership|Communiqu[eé]))\b"
)
# "USS John S. McCain": the ship's whole name, initials included
_OPERATION = re.compile(r"\b(?:Operation|USS|HMS|HMAS|INS|MV)\s[A-Z][\w'\-]+(?:\s(?:[A-Z]\.|[A-Z][\w'\-]+)){0,3}")


_TERM_KEYWORD = re.compile(
    r"\b(?:Treaty|Agreement|Accords?|Convention|Protocol|Declaration|Charter|Act|Doctrine|Initiative|Program"
    r"|Programme|Roadmap|Pact|Partnership|Communiqu[eé])\b"
)
_NAMED_TERM_AT_END = re.compile(_NAMED_TERM.pattern + "$")


def pattern_candidates(view: str, gaz: Gazetteers, headlines: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Named terms analysts search for: resolutions, N-party talks, wars, treaties, operations.

    In ``headlines`` (Title Case lines) every word is capitalised, so "... Welcomes Ceasefire
    Agreement" is not a name there: the generic "capitalised words + Treaty/Agreement" form is skipped.
    """
    out: list[Candidate] = []
    # Each pattern runs only where its key word occurs: most articles have none of them.
    if "esolution" in view or "UNSCR" in view:
        for m in _RESOLUTION.finditer(view):
            out.append(Candidate(m.start(), m.end(), "term", f"Resolution {m.group('number')}", PATTERN))
        # "resolutions 1718 (2006) and 1874 (2009)": each number is a resolution of its own
        for m in _RESOLUTIONS.finditer(view):
            for number in _RESOLUTION_NUMBER.finditer(view, m.start("list"), m.end()):
                out.append(Candidate(number.start(), number.end(), "term", f"Resolution {number.group('number')}", PATTERN))
    lower = view.lower()
    if "-party" in lower or "-nation" in lower or " party " in lower or " nation " in lower:
        for m in _PARTY_TALKS.finditer(view):
            number = _NUMBER_WORDS.get(m.group("number").lower(), m.group("number").capitalize())
            out.append(Candidate(m.start(), m.end(), "term", f"{number}-Party Talks", PATTERN))
    if "War" in view:
        out.extend(_wars(view, gaz))
    headline_mask = span_mask(headlines or [], len(view))
    for keyword in _TERM_KEYWORD.finditer(view):
        if headline_mask[keyword.start()]:
            continue
        window_start = max(0, keyword.start() - 150)
        m = _NAMED_TERM_AT_END.search(view, window_start, keyword.end())
        if m:
            out.extend(_named_term(view, m, gaz))
    if any(word in view for word in ("Operation ", "USS ", "HMS ", "HMAS ", "INS ", "MV ")):
        for m in _OPERATION.finditer(view):
            out.append(Candidate(m.start(), m.end(), "term", None, GENERIC))
    return out


def _wars(view: str, gaz: Gazetteers) -> list[Candidate]:
    out = []
    for m in _WAR.finditer(view):
        words = m.group("name").split()
        while words and words[0] in gaz.stopwords:
            words.pop(0)
        if words:
            start = m.start() + m.group("name").index(words[0])
            out.append(Candidate(start, m.end(), "term", None, GENERIC))
    return out


def _named_term(view: str, m: re.Match[str], gaz: Gazetteers) -> list[Candidate]:
    words = m.group("name").split()
    skip = 0
    while skip < len(words) - 1 and (words[skip] in gaz.stopwords or words[skip].lower() in ("of", "the", "and")):
        skip += 1
    if len(words) - skip < 2:
        return []
    start = m.start() + len(" ".join(words[:skip])) + (1 if skip else 0)
    return [Candidate(start, m.end(), "term", None, GENERIC)]


_NEXT_NAME = re.compile(r" ([A-Z][a-z'\-]+)\b")


def gazetteer_candidates(view: str, gaz: Gazetteers | None = None) -> list[Candidate]:
    """Gazetteer names, except a one-word place that is the given name of a person ("Sofia Guhan")."""
    out = []
    for s, e, entry in gazetteer_matches(view):
        if gaz is not None and entry.type == "place" and view[s:e] in gaz.given_names:
            following = _NEXT_NAME.match(view, e)
            if following and _surname_like(following.group(1), gaz):
                continue
        out.append(Candidate(s, e, entry.type, entry.canonical, GAZETTEER))
    return out


def _surname_like(word: str, gaz: Gazetteers) -> bool:
    return (word not in gaz.stopwords and word not in gaz.place_tokens and word not in gaz.org_heads
            and word.lower() not in gaz.titles and word not in gaz.demonyms)


def span_mask(spans: list[tuple[int, int]], size: int) -> bytearray:
    """One byte per character, 1 where a span covers it: overlap tests in C, not in a Python loop."""
    mask = bytearray(size + 1)
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidates that do not overlap (ties go to the higher priority)."""
    accepted: list[Candidate] = []
    size = max((c.end for c in candidates), default=0)
    taken = bytearray(size + 1)
    for cand in sorted(candidates, key=lambda c: (-c.length, -c.priority, c.start)):
        if taken.find(1, cand.start, cand.end) != -1:
            continue
        accepted.append(cand)
        taken[cand.start : cand.end] = b"\x01" * cand.length
    accepted.sort(key=lambda c: c.start)
    return accepted


# --- capitalised sequences: organisations and people --------------------------------------

# A token: "U.S.", an initial "J.", a known abbreviation "Gen.", or a capitalised word.
_TOKEN = (
    r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z]\.(?=\s[A-Z])"
    r"|(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Amb|Lt|Col|Capt|Adm|Sgt|Cmdr|Maj|St|Jr|Sr|Dept|Corp|Inc|Co|Ltd|Prof|Rev)\.(?=\s[A-Z])"
    r"|[A-Z][\w'\-]*[\w]|[A-Z])"
)
_CONNECTOR = r"(?:of|for|on|and|the|de|du|da|la|le|van|von|der|den|bin|al)"
_SEQUENCE = re.compile(rf"{_TOKEN}(?:\s(?:{_CONNECTOR}\s)*{_TOKEN})*")
_PIECE = re.compile(rf"{_TOKEN}|{_CONNECTOR}\b")
_CONNECTORS = frozenset(_CONNECTOR[3:-1].split("|"))
_SPEECH_AFTER = re.compile(
    r"^,?\s(?:said|says|told|added|noted|stated|explained|asked|warned|insisted|argued|announced|wrote|"
    r"replied|stressed|urged|declined|acknowledged|confirmed|denied)\b"
)
_APPOSITIVE_AFTER = re.compile(r"^,\s(?:the\s|a\s|an\s|who\s|now\s|then\s)?(?P<role>[^,.;:()]{2,90})")
_ACCORDING_BEFORE = re.compile(r"according to\s$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"'s?$")
_MAX_GROUP = 40
_DIGIT = re.compile(r"\d")
_CLAUSE_BREAK = re.compile(r"[.;:!?\"()]")
_WORD = re.compile(r"[\w.'\-]+")
_NUMBER_AFTER = re.compile(r" \d{1,3}\b")
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")
_ACRONYM = re.compile(r"^(?:[A-Z]{2,}|(?:[A-Z]\.){2,5})$")


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    connector: bool


def _short_line_break(text: str, left: int, right: int) -> bool:
    """A line break that ends a line of its own (a header line), not a line of a wrapped paragraph."""
    nl = text.find("\n", left, right)
    if nl == -1:
        return False
    line_start = text.rfind("\n", 0, nl) + 1
    next_end = text.find("\n", nl + 1)
    next_len = (len(text) if next_end == -1 else next_end) - nl - 1
    return nl - line_start < 65 or next_len < 45


def _tokens(text: str, view: str, start: int, end: int) -> list[list[_Token]]:
    """The tokens of a capitalised sequence, split after possessives ("the North's Foreign Ministry")
    and at the end of short lines ("...says Chris Hill" / "Ronda Hauben")."""
    groups: list[list[_Token]] = [[]]
    for m in _PIECE.finditer(view, start, end):
        if groups[-1] and _short_line_break(text, groups[-1][-1].end, m.start()):
            groups.append([])
        word = m.group()
        connector = word in _CONNECTORS
        tok_end = m.end()
        possessive = False
        if not connector and _POSSESSIVE.search(word) and len(word) > 2:
            cut = word.rfind("'")
            word, tok_end, possessive = word[:cut], m.start() + cut, True
        groups[-1].append(_Token(m.start(), tok_end, word, connector))
        if possessive:
            groups.append([])
    result = []
    for group in groups:
        while group and group[-1].connector:
            group.pop()
        while group and group[0].connector:
            group.pop(0)
        if group:
            result.append(group)
    return result


def _is_title(word: str, gaz: Gazetteers) -> bool:
    lower = word.lower()
    return lower in gaz.titles or ("-" in lower and any(part in gaz.titles for part in lower.split("-")))


def _words_before(view: str, start: int, count: int = 4) -> list[str]:
    head = view[max(0, start - 60) : start]
    head = _CLAUSE_BREAK.split(head)[-1]
    return _WORD.findall(head)[-count:]


def sequence_candidates(
    text: str,
    view: str,
    gaz: Gazetteers,
    covered: list[Candidate],
    excluded: list[tuple[int, int]],
) -> list[Candidate]:
    """Organisations (by head word) and people (by evidence) in capitalised sequences.

    ``covered`` are spans already taken by terms and gazetteer names: they split
    name runs ("...for North Korea Glyn Davies"). ``excluded`` are furniture and
    all-caps lines, where capitalisation says nothing.
    """
    out: list[Candidate] = []

    mask = span_mask([(c.start, c.end) for c in covered], len(view))
    org_mask = span_mask([(c.start, c.end) for c in covered if c.type == "organization"], len(view))
    # where each covered span starts and ends, to tell "contains a name" from "cuts through one"
    starts = bytearray(len(view) + 1)
    ends = bytearray(len(view) + 1)
    for c in covered:
        starts[c.start] = 1
        ends[c.end] = 1

    def is_covered(tok: _Token) -> bool:
        return bool(mask[tok.start] and mask[tok.end - 1])

    def cuts_through(start: int, end: int) -> bool:
        """Whether [start, end) begins or ends inside a covered span."""
        inside_start = mask[start] and not starts[start]
        inside_end = mask[end - 1] and mask[end] and not ends[end]
        return bool(inside_start or inside_end)

    excluded_mask = span_mask(excluded, len(view))

    for m in _SEQUENCE.finditer(view):
        if excluded_mask[m.start()]:
            continue
        groups = _tokens(text, view, m.start(), m.end())
        # No name runs to forty capitalised words; such a run is a list or a shouted line,
        # and looking for names in it would cost time quadratic in its length.
        groups = [
            g for g in groups
            if len(g) <= _MAX_GROUP and not (len(g) == 1 and g[0].text in gaz.stopwords)  # "The", "He"
        ]
        for group in _split_coordinations(groups, gaz, is_covered):
            for org in _organisations(group, gaz, is_covered):
                # "Yonhap and Chosun Ilbo" is two known organisations, not a third one;
                # and a name never cuts through a known one.
                if org_mask.find(1, org.start, org.end) != -1:
                    continue
                if cuts_through(org.start, org.end):
                    continue
                out.append(org)
            out.extend(_people(view, group, gaz, is_covered))
    return out


def _split_coordinations(groups: list[list[_Token]], gaz: Gazetteers, is_covered) -> list[list[_Token]]:  # type: ignore[no-untyped-def]
    """Split "X of Japan and National Security Office Director Y" at "and" when it joins two names.

    "and" stays inside a name when one side is a single word ("News and Media Division",
    "School of Law and Diplomacy"); it joins two names when the left side ends with a known
    name or holds a title, or when both sides are names of two words or more.
    """
    out: list[list[_Token]] = []
    for group in groups:
        current: list[_Token] = []
        for i, tok in enumerate(group):
            if tok.text == "and" and current:
                left = [t for t in current if not t.connector]
                right = [t for t in group[i + 1 :] if not t.connector]
                joins = (
                    is_covered(current[-1])
                    or any(_is_title(t.text, gaz) for t in left)
                    or (len(left) >= 2 and len(right) >= 2 and not any(t.text in gaz.org_heads for t in left))
                )
                if joins:
                    out.append(current)
                    current = []
                    continue
            current.append(tok)
        while current and current[-1].connector:
            current.pop()
        if current:
            out.append(current)
    return out


def _organisations(group: list[_Token], gaz: Gazetteers, is_covered) -> list[Candidate]:  # type: ignore[no-untyped-def]
    words = [t for t in group if not t.connector]
    heads = [i for i, t in enumerate(group) if not t.connector and t.text in gaz.org_heads and not is_covered(t)]
    if not heads:
        return []
    first = 0
    while first < len(group) and (group[first].connector
                                  or group[first].text in gaz.stopwords and group[first].text not in gaz.demonyms
                                  or _is_title(group[first].text, gaz) and group[first].text not in gaz.org_heads):
        first += 1
    if 0 < first < len(group) and group[first - 1].text in ("and", "&"):
        first = 0  # "News and Media Division": the leading word belongs to the name
    last_head = heads[-1]
    # "Center for International Policy": a head followed by of/for/on keeps the rest of the name.
    end_index = last_head
    if last_head + 1 < len(group) and group[last_head + 1].connector and group[last_head + 1].text in ("of", "for", "on"):
        end_index = len(group) - 1
    if first > last_head:
        return []
    span = [t for t in group[first : end_index + 1] if not t.connector]
    if len(span) < 2 or len(words) < 2:
        return []
    return [Candidate(group[first].start, group[end_index].end, "organization", None, SEQUENCE)]


def _people(view: str, group: list[_Token], gaz: Gazetteers, is_covered) -> list[Candidate]:  # type: ignore[no-untyped-def]
    out: list[Candidate] = []
    runs: list[list[int]] = [[]]
    for i, tok in enumerate(group):
        text = tok.text
        after_given = bool(runs[-1]) and group[runs[-1][-1]].text in gaz.given_names and _is_title(text, gaz)
        # "P.J. Crowley": initials before a name (a covered "U.S." is a place, not initials)
        initials = bool(_INITIALS.match(text)) and i + 1 < len(group) and not is_covered(tok)
        name_like = after_given or initials or (
            not tok.connector
            and not is_covered(tok)
            and text not in gaz.stopwords
            and not _is_title(text, gaz)
            and text not in gaz.org_heads
            and text not in gaz.demonyms
            and not _ACRONYM.match(text)
            and not _DIGIT.search(text)
        )
        if name_like:
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    for number, run in enumerate(runs):
        run = run[-4:]
        # A title names the person whose name ends the sequence ("Assistant Secretary of
        # State for Public Affairs Philip J. Crowley"), not the words in between.
        # "... Yukiya Amano and Iranian negotiator ...": a name closes the sequence or a coordination.
        following = group[run[-1] + 1 :]
        closing = (
            not following
            or following[0].text == "and"
            # "Secretary-General Shigeru Kitamura of Japan"
            or (following[0].text in ("of", "from") and len(following) > 1 and is_covered(following[1]))
        )
        first_tok, last_tok = group[run[0]], group[run[-1]]
        start, end = first_tok.start, last_tok.end
        titles_before = [t.text for t in group[: run[0]] if _is_title(t.text, gaz)] if closing else []
        outside = _words_before(view, group[0].start) if number == 0 else []
        # "spokesman Panitan Wattanayagorn", "foreign minister, Kang Sok Ju"; not "secretary for East Asia"
        cue_before = outside[-1:] if outside and outside[-1].lower().strip(",") in gaz.titles else []
        evidence = bool(titles_before or cue_before)
        role = None
        if titles_before:
            role = view[group[0].start : group[run[0]].start].strip(" ,")
        elif cue_before:
            role = " ".join(outside).strip(" ,")
        tail = view[end : end + 100]
        if _SPEECH_AFTER.match(tail):
            evidence = True
        appositive = _APPOSITIVE_AFTER.match(tail)
        if appositive and any(w.lower() in gaz.titles for w in _WORD.findall(appositive.group("role"))):
            evidence = True
            role = role or appositive.group("role").strip()
        if _ACCORDING_BEFORE.search(view[max(0, start - 20) : start]):
            evidence = True
        multi = len(run) >= 2
        if multi and first_tok.text in gaz.given_names:
            evidence = True
        if multi and len(run) <= 3 and first_tok.text in gaz.surnames:
            evidence = True
        if _NUMBER_AFTER.match(view, end):
            evidence = False  # "the Kang Nam 1": a ship or a rocket, not a person
        kind: EntityType | None = "person" if evidence else None
        if not multi and kind is None:
            out.append(Candidate(start, end, None, None, UNKNOWN))
            continue
        if kind is None:
            out.append(Candidate(start, end, None, None, UNKNOWN))
            continue
        out.append(Candidate(start, end, "person", None, SEQUENCE, person_evidence=True, role=role))
    return out


def acronym_tokens(view: str) -> list[tuple[int, int, str]]:
    """All-caps tokens ("DPJ", "NCAFP", "U.A.E."): aliases when the document defines or implies them."""
    return [(m.start(), m.end(), m.group()) for m in _ACRONYM_TOKEN.finditer(view)]


# a capital first (the regex engine then skips other characters fast), the word boundary after it
_ACRONYM_TOKEN = re.compile(r"[A-Z](?<!\w[A-Z])(?:[A-Z]{1,5}\b|\.(?:[A-Z]\.){1,4})")
