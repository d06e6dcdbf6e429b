"""Gazetteers: the data files of names, loaded once and matched in one pass.

Places (countries, cities, regions), organisations and terms are matched with
one Aho-Corasick automaton (pyahocorasick) over a same-length "matching view"
of the text (curly quotes, minus signs and line breaks normalised), so
thousands of names cost one scan. Word lists (given names, East Asian family
names, titles, stopwords, organisation heads, demonyms) are plain sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from explorer.model import EntityType

DATA = Path(__file__).resolve().parent / "data"

# One character in, one character out: offsets in the view are offsets in the text.
MATCH_TABLE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
    "\n": " ", "\r": " ", "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


_MAPPED = [(chr(code), replacement) for code, replacement in MATCH_TABLE.items()]


def matching_view(text: str) -> str:
    # str.translate looks every character up in the table; replacing only the few mapped
    # characters a text holds is many times faster and gives the same string
    for char, replacement in _MAPPED:
        if char in text:
            text = text.replace(char, replacement)
    return text


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    canonical: str
    type: EntityType


@dataclass(slots=True)
class Gazetteers:
    automaton: ahocorasick.Automaton
    entries: dict[str, GazetteerEntry]  # surface (view form) -> entry
    given_names: frozenset[str]
    surnames: frozenset[str]
    titles: frozenset[str]  # lower case
    stopwords: frozenset[str]
    org_heads: frozenset[str]
    demonyms: frozenset[str]
    place_tokens: frozenset[str]  # single-word place names, for "not a person" checks
    countries: frozenset[str]  # every name of a country, as written and in capitals


@lru_cache(maxsize=1)
def load() -> Gazetteers:
    entries: dict[str, GazetteerEntry] = {}

    def add(name: str, canonical: str, kind: EntityType) -> None:
        key = matching_view(name)
        entries.setdefault(key, GazetteerEntry(canonical, kind))

    for row in _rows("terms.tsv"):
        add(row[0], row[1], "term")
    for row in _rows("organizations.tsv"):
        add(row[0], row[1], "organization")
    for row in _rows("countries.tsv"):
        add(row[0], row[1], "place")
    for row in _rows("regions.tsv"):
        add(row[0], row[1], "place")
    for row in _rows("cities.tsv"):
        add(row[0], row[1], "place")

    # Datelines shout their city: "WASHINGTON, Oct. 31 (Yonhap) --".
    for key, entry in list(entries.items()):
        if entry.type == "place" and len(key) >= 4 and not key.isupper():
            entries.setdefault(key.upper(), entry)

    automaton = ahocorasick.Automaton()
    for key in entries:
        automaton.add_word(key, key)
    automaton.make_automaton()

    stopwords = frozenset(_lines("stopwords.txt"))
    titles = frozenset(t.lower() for t in _lines("titles.txt"))
    place_tokens = frozenset(k for k, e in entries.items() if e.type == "place" and " " not in k)
    months_days = {w for w in stopwords if w[:3] in {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}}
    countries = {row[0] for row in _rows("countries.tsv") if " " not in row[0]}
    # Cities stay possible given names ("Sofia Guhan"); countries do not ("Israel and Brazil").
    not_given = stopwords | countries | months_days | {t.capitalize() for t in titles}
    given = frozenset(n for n in _lines("given_names.txt") if n not in not_given)
    return Gazetteers(
        automaton=automaton,
        entries=entries,
        given_names=given,
        surnames=frozenset(_lines("surnames.txt")),
        titles=titles,
        stopwords=stopwords,
        org_heads=frozenset(_lines("org_heads.txt")),
        demonyms=frozenset(_lines("demonyms.txt")),
        place_tokens=place_tokens,
        countries=frozenset(n for row in _rows("countries.tsv") for n in (matching_view(row[0]), matching_view(row[0]).upper())),
    )


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def gazetteer_matches(view: str) -> list[tuple[int, int, GazetteerEntry]]:
    """Every whole-word gazetteer name in ``view`` (overlaps included; the caller resolves them)."""
    gaz = load()
    found = []
    n = len(view)
    for end_index, key in gaz.automaton.iter(view):
        start = end_index - len(key) + 1
        end = end_index + 1
        if start > 0 and _is_word_char(view[start - 1]):
            continue
        if end < n and _is_word_char(view[end]):
            continue
        if key.endswith(".") is False and end < n and view[end] == "." and end + 1 < n and view[end + 1].isalpha():
            continue  # "U.S" inside "U.S.A" style tokens
        found.append((start, end, gaz.entries[key]))
    return found
