"""Sentence boundaries in stored text, for keyword-in-context lines and passage search.

Deliberately simple and fast (one regex pass per document): a sentence ends at
``.``, ``!`` or ``?`` followed by space and a capital, digit or opening quote,
unless the word before the stop is a common abbreviation or an initial; a line
break always ends one (headlines, bylines and datelines are one line each).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

_CANDIDATE = re.compile(r"""[.!?]+["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[]*[A-Z0-9\u00c0-\u024f])|\n""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")

# Lower-case words that take a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "cmdr", "adm", "sgt", "maj", "sen", "rep", "gov", "amb", "ambs", "pres", "rev", "hon", "st", "mt", "ft", "jr", "sr", "inc", "co", "corp", "ltd", "bros", "no", "nos", "vs", "etc", "approx", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "e.g", "i.e", "a.m", "p.m", "d.c"]
)

# Sentences longer than this are cut at the next space so one run-on block
# (a table, a list without stops) does not become a single huge passage.
MAX_SENTENCE = 600


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``stop`` closes an abbreviation or an initial."""
    if text[stop] != ".":
        return False
    match = _WORD_BEFORE.search(text, max(0, stop - 12), stop + 1)
    if match is None:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "Stephen W. Bosworth"
        return True
    return word.lower() in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence, whitespace trimmed, in order; end exclusive."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group() != "\n" and _is_abbreviation(text, match.start()):
            continue
        _append(text, start, match.end(), spans)
        start = match.end()
    _append(text, start, len(text), spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


def sentence_at(spans: list[tuple[int, int]], starts: list[int], offset: int) -> tuple[int, int]:
    """The sentence holding ``offset`` (``starts`` = the spans' start offsets)."""
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return spans[0] if spans else (0, 0)
    return spans[index]


class PassageSource(NamedTuple):
    """A document as passage search indexes it."""

    doc_id: str
    path: str
    title: str
    text: str
    furniture: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
