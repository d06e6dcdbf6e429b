"""Layout of a plain-text page: its lines, which of them are prose, and where the article's body runs.

A web page saved as text ("save as text", select-all-copy) keeps everything the
browser showed: menus, cookie notices, share buttons, related-article lists,
comment threads and footers, with the article somewhere among them. The body is
found as jusText finds it in HTML: each paragraph is classified by its length
and its density of function words ("the", "of", "and": prose has many, menus,
names and headlines few), and the body is the longest run of prose paragraphs,
allowing short pieces between them (sub-headings, list items, captions).

Hard-wrapped text (a wire copy broken at 80 columns) is read as paragraphs: a
line that runs to the wrap width without ending a sentence continues on the next.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from explorer.ingest.wordlists import EXTRACT_DATA, word_list

# Paragraph classes (jusText's "good", "near-good" and "short"/"bad" merged).
PROSE = 2
NEAR = 1
SHORT = 0
BLANK = -1

# A prose paragraph: at least this long, with at least this share of function words.
_PROSE_CHARS = 100
_PROSE_WORDS = 15
_NEAR_CHARS = 50
_NEAR_WORDS = 8
_PROSE_DENSITY = 0.25
_NEAR_DENSITY = 0.2
# Pieces that are not prose but may sit inside a body (sub-headings, list items, captions).
_BODY_GAP_LINES = 8
# A paragraph this long counts whole towards the body; a shorter one (a teaser, a caption) half.
_LONG_CHARS = 200
_SENTENCE_END = ".!?:;\"')\u201d\u2019\u2026]*"
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_SAMPLE_CHARS = 160


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English function words: jusText's list (read from its package without importing it)."""
    words: set[str] = set()
    spec = importlib.util.find_spec("justext")
    if spec is not None and spec.origin:
        path = Path(spec.origin).parent / "stoplists" / "English.txt"
        if path.is_file():
            words.update(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())
    if not words:  # jusText comes with trafilatura; without it, explorer's own list of function words
        words.update(word.lower() for word in word_list(EXTRACT_DATA / "stopwords.txt"))
    return frozenset(words)


@dataclass(slots=True)
class Line:
    start: int
    end: int  # end of the line's text, without its newline
    text: str
    stripped: str
    words: int  # whitespace-separated tokens
    stops: int  # of them, function words

    @property
    def blank(self) -> bool:
        return not self.stripped


def split_lines(text: str) -> list[Line]:
    stop = stopwords()
    lines: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            words = len(stripped.split())
            stops = 0
            if words >= 4:  # function words matter only in lines long enough to be prose
                # Their share in the first words of a line is its share in the whole line.
                sample = _TOKEN.findall(stripped[:_SAMPLE_CHARS].lower())
                if sample:
                    stops = round(sum(map(stop.__contains__, sample)) * words / len(sample))
            lines.append(Line(pos, pos + len(body), body, stripped, words, stops))
        else:
            lines.append(Line(pos, pos + len(body), body, "", 0, 0))
        pos += len(raw)
    return lines


def wrap_width(lines: list[Line]) -> int:
    """The width a hard-wrapped text is broken at, or 0 if its paragraphs are single lines.

    A text copy of a web page has one line per paragraph, many of them long; a
    wire copy broken at 70-80 columns has almost none longer than that.
    """
    lengths = sorted(len(line.stripped) for line in lines if line.words >= 6)
    if len(lengths) < 5 or sum(1 for n in lengths if n > 120) > 0.05 * len(lengths):
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def _continues(line: Line, following: Line, width: int) -> bool:
    """A hard-wrapped line: it runs on into the next without ending its sentence."""
    if not following.stripped or line.words < 6 or len(line.stripped) < 40:
        return False
    if following.stripped[0].islower() and line.stripped[-1] not in ".?!":
        return True
    if not width or line.stripped[-1] in ".?!:\"\u201d)":
        return False
    return len(line.stripped) >= 0.75 * width


@dataclass(slots=True)
class Layout:
    lines: list[Line]
    classes: list[int]  # per line: PROSE, NEAR, SHORT or BLANK (a wrapped paragraph's lines share one)
    body_start: int  # index of the body's first line (its first prose paragraph); len(lines) if none
    body_end: int  # index of the body's last line
    english: bool  # the page's prose is English (function-word density means something)
    runs: list[tuple[float, int, int]]  # runs of prose (weight, first line, last line), heaviest first

    def is_prose(self, i: int) -> bool:
        return self.classes[i] == PROSE


def _is_english(lines: list[Line]) -> bool:
    words = stops = 0
    for line in lines:
        if line.words >= _NEAR_WORDS:
            words += line.words
            stops += line.stops
    return words > 0 and stops / words >= 0.15


def classify(lines: list[Line], english: bool) -> tuple[list[int], list[float]]:
    """Each line's class (a wrapped paragraph's lines share one) and its weight towards the body."""
    classes = [BLANK] * len(lines)
    weights = [0.0] * len(lines)
    width = wrap_width(lines)
    # A page that sets its paragraphs apart with blank lines sets its lists apart by having none.
    spaced = sum(
        1 for i in range(1, len(lines) - 1)
        if lines[i].words >= _PROSE_WORDS and not lines[i - 1].stripped and not lines[i + 1].stripped
    ) >= 3
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.stripped:
            i += 1
            continue
        j = i
        words, stops, chars = line.words, line.stops, len(line.stripped)
        while j + 1 < n and _continues(lines[j], lines[j + 1], width):
            j += 1
            words += lines[j].words
            stops += lines[j].stops
            chars += len(lines[j].stripped)
        density = stops / words if words else 0.0
        last = lines[j].stripped
        if chars >= _PROSE_CHARS and words >= _PROSE_WORDS and (density >= _PROSE_DENSITY or not english):
            kind = PROSE
        elif (chars >= _NEAR_CHARS and words >= _NEAR_WORDS and (density >= _NEAR_DENSITY or not english)) or (
            words >= 6 and last[-1] in ".?!" and (density >= _NEAR_DENSITY or not english)
        ):
            kind = NEAR
        else:
            kind = SHORT
        weight = _weight(kind, words, chars, last) / (j - i + 1)
        if spaced and i == j and (i > 0 and lines[i - 1].words >= 6 or i + 1 < n and lines[i + 1].words >= 6):
            weight *= 0.3  # one line of a list with no blank line between its items: links, teasers
        for k in range(i, j + 1):
            classes[k] = kind
            weights[k] = weight
        i = j + 1
    return classes, weights


def _weight(kind: int, words: int, chars: int, last: str) -> float:
    """What a paragraph adds to a run of prose: a long one all its words, a teaser or a caption few."""
    if kind == PROSE:
        weight = words if chars >= _LONG_CHARS else words * 0.5
        # A paragraph ends its sentence; a teaser in a list of links often does not.
        return weight if last[-1] in _SENTENCE_END else weight * 0.1
    if kind == NEAR:
        return words * 0.25
    return 0.0


def prose_runs(classes: list[int], weights: list[float]) -> list[tuple[float, int, int]]:
    """Runs of prose paragraphs, short pieces allowed between them: (weight, first line, last line)."""
    runs: list[tuple[float, int, int]] = []
    first = last = -1
    weight = gap = 0.0
    for i, kind in enumerate(classes):
        if kind == BLANK:
            continue
        if kind == PROSE:
            if first < 0:
                first, weight = i, 0.0
            weight += weights[i]
            last = i
            gap = 0.0
        elif first >= 0:
            gap += 0.5 if kind == NEAR else 1.0
            weight += weights[i]
            if gap > _BODY_GAP_LINES:
                runs.append((weight, first, last))
                first, gap = -1, 0.0
    if first >= 0:
        runs.append((weight, first, last))
    return runs


def analyse_layout(lines: list[Line]) -> Layout:
    english = _is_english(lines)
    classes, weights = classify(lines, english)
    runs = sorted(prose_runs(classes, weights), reverse=True)
    start, end = (runs[0][1], runs[0][2]) if runs else (len(lines), len(lines) - 1)
    return Layout(lines, classes, start, end, english, runs)
