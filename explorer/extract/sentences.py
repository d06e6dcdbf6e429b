"""Sentences: spans of the text, split at sentence ends but not at abbreviations or initials."""

from __future__ import annotations

import re
from bisect import bisect_right

ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cmdr", "adm", "amb", "dept", "no", "nos", "vol", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "etc", "vs", "inc", "co", "corp", "ltd", "est", "approx", "univ", "prof", "rev", "ft", "mt"]
)

_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n\s*")
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Philip J. Crowley"
    return word in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence. Paragraph breaks and short header lines end sentences too."""
    spans: list[tuple[int, int]] = []
    para_start = 0
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)] + [(len(text), len(text))]
    for gap_start, gap_end in paragraphs:
        _split_paragraph(text, para_start, gap_start, spans)
        para_start = gap_end
    return [(s, e) for s, e in spans if e > s]


def _split_paragraph(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    # Lines of a header block ("By X", "Staff Writer", a date) are sentences of their own;
    # lines of a hard-wrapped paragraph are not.
    pieces: list[tuple[int, int]] = []
    line_start = start
    while True:
        nl = text.find("\n", line_start, end)
        if nl == -1:
            pieces.append((line_start, end))
            break
        line = text[line_start:nl]
        if len(line.split()) < 8 or line.rstrip().endswith((".", "?", "!", ":", "\u201d", '"')) and len(line) < 60:
            pieces.append((line_start, nl))
            line_start = nl + 1
        else:
            # a wrapped line: keep going, the sentence continues on the next line
            nxt = text.find("\n", nl + 1, end)
            if nxt == -1:
                pieces.append((line_start, end))
                break
            # merge this line with the following ones until a short line ends the block
            merged_end = nl
            cursor = nl + 1
            while True:
                nxt = text.find("\n", cursor, end)
                seg_end = end if nxt == -1 else nxt
                merged_end = seg_end
                if nxt == -1 or len(text[cursor:seg_end].split()) < 8:
                    break
                cursor = nxt + 1
            pieces.append((line_start, merged_end))
            if merged_end >= end:
                break
            line_start = merged_end + 1
    for piece_start, piece_end in pieces:
        s = piece_start
        for m in _END.finditer(text, piece_start, piece_end):
            dot = m.start()
            if text[dot] == "." and _abbreviation_before(text, dot):
                continue
            out.append(_trim(text, s, m.end()))
            s = m.end()
        out.append(_trim(text, s, piece_end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class SentenceIndex:
    """Find the sentence around an offset."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def around(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            return self.spans[0] if self.spans else (0, 0)
        return self.spans[i]
