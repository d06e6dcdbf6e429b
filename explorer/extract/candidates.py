"""Candidate spans: named terms by pattern and gazetteer names (people, organisations and
places in capitalised runs are the tagger's: tagger.py, mentions.py).

Each stage returns ``Candidate`` spans over the matching view of the text;
``resolve_overlaps`` keeps the longest non-overlapping ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

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
_TERM_KEYWORDS = ("Act", "Agreement", "Accord", "Treaty", "Convention", "Protocol", "Declaration", "Charter", "Doctrine",
                  "Initiative", "Program", "Roadmap", "Pact", "Partnership", "Communiqu")  # each key word holds one
_NAMED_TERM_AT_END = re.compile(_NAMED_TERM.pattern + "$")


def pattern_candidates(view: str, gaz: Gazetteers, headlines: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Named terms analysts search for: resolutions, N-party talks, wars, treaties, operations.

    In ``headlines`` (Title Case lines) every word is capitalised, so "... Welcomes Ceasefire
    Agreement" is not a name there: the generic "capitalised words + Treaty/Agreement" form is skipped.
    """
    out: list[Candidate] = []
    # Each pattern runs only where its key word occurs (most articles have none of them), and
    # from just before each place where one does: one pass over the text finds them all.
    cues = _cues(view)
    resolutions = sorted(cues.get("esolution", []) + cues.get("UNSCR", []))
    if resolutions:
        for m in _near(_RESOLUTION, view, resolutions, _RESOLUTION_REACH, "URSr"):
            out.append(Candidate(m.start(), m.end(), "term", f"Resolution {m.group('number')}", PATTERN))
        # "resolutions 1718 (2006) and 1874 (2009)": each number is a resolution of its own
        for m in _near(_RESOLUTIONS, view, cues.get("esolutions", []), 1, "Rr"):
            for number in _RESOLUTION_NUMBER.finditer(view, m.start("list"), m.end()):
                out.append(Candidate(number.start(), number.end(), "term", f"Resolution {number.group('number')}", PATTERN))
    lower = view.lower()
    if "-party" in lower or "-nation" in lower or " party " in lower or " nation " in lower:
        for m in _PARTY_TALKS.finditer(view):
            number = _NUMBER_WORDS.get(m.group("number").lower(), m.group("number").capitalize())
            out.append(Candidate(m.start(), m.end(), "term", f"{number}-Party Talks", PATTERN))
    if "War" in cues:
        out.extend(_wars(view, gaz))
    keyword_starts = sorted(at for word in _TERM_KEYWORDS for at in cues.get(word, ()))
    if keyword_starts:
        headline_mask = span_mask(headlines or [], len(view))
        for keyword in _near(_TERM_KEYWORD, view, keyword_starts, 0, "ACDIPRT"):
            if headline_mask[keyword.start()]:
                continue
            window_start = max(0, keyword.start() - 150)
            m = _NAMED_TERM_AT_END.search(view, window_start, keyword.end())
            if m:
                out.extend(_named_term(view, m, gaz))
    if any(word in cues for word in _VESSELS):
        for m in _OPERATION.finditer(view):
            out.append(Candidate(m.start(), m.end(), "term", None, GENERIC))
    return out


_VESSELS = ("Operation ", "USS ", "HMS ", "HMAS ", "INS ", "MV ")
_RESOLUTION_REACH = len("United Nations Security Council R")  # a match's start to its "esolution" or "UNSCR", at most
_CUES = ("esolution", "esolutions", "UNSCR", "War", *_TERM_KEYWORDS, *_VESSELS)


@lru_cache(maxsize=1)
def _cue_finder() -> ahocorasick.Automaton:
    finder = ahocorasick.Automaton()
    for cue in _CUES:
        finder.add_word(cue, cue)
    finder.make_automaton()
    return finder


def _cues(view: str) -> dict[str, list[int]]:
    """Where each cue word of the patterns begins in ``view`` (in order)."""
    found: dict[str, list[int]] = {}
    for end, cue in _cue_finder().iter(view):
        found.setdefault(cue, []).append(end - len(cue) + 1)
    return found


def _near(pattern: re.Pattern[str], view: str, cues: list[int], reach: int, firsts: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(view)`` when every match holds a cue (``cues``: where they
    begin, sorted) at most ``reach`` characters after its start and begins with one of ``firsts``:
    the pattern is tried only from ``reach`` characters before each cue to the cue, not everywhere."""
    pos = 0
    for cue in cues:
        # Every match from ``pos`` on begins at or after the first cue from ``pos`` less ``reach``:
        # the first match in this window is the next match of the text.
        for at in range(max(pos, cue - reach), cue + 1):
            if view[at] not in firsts:
                continue
            m = pattern.match(view, at)
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            pos = max(pos, cue + 1)


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
    for cand in sorted(candidates, key=_longest_first):
        start, end = cand.start, cand.end
        if taken.find(1, start, end) != -1:
            continue
        accepted.append(cand)
        taken[start:end] = b"\x01" * (end - start)
    accepted.sort(key=_start)
    return accepted


def _longest_first(c: Candidate) -> tuple[int, int, int]:
    return c.start - c.end, -c.priority, c.start  # (-length, ...) without the property's call


def _start(c: Candidate) -> int:
    return c.start


def acronym_tokens(view: str) -> list[tuple[int, int, str]]:
    """All-caps tokens ("DPJ", "NCAFP", "U.A.E."): aliases when the document defines or implies them."""
    return [(m.start(), m.end(), m.group()) for m in _ACRONYM_TOKEN.finditer(view)]


# a capital first (the regex engine then skips other characters fast), the word boundary after it
_ACRONYM_TOKEN = re.compile(r"[A-Z](?<!\w[A-Z])(?:[A-Z]{1,5}\b|\.(?:[A-Z]\.){1,4})")
