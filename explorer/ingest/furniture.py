"""Page furniture: the lines of a saved page that belong to the site, not to the article.

Navigation and account links ("Skip to main content", "Toggle navigation",
"Log in"), share buttons, category and tag lines, bare URLs, CMS field labels
("ID :") and lists of links inside the body. Phrases are kept in
``data/furniture.txt``; a line made only of them (and punctuation) is furniture.
"""

from __future__ import annotations

import re
from functools import lru_cache

from explorer.ingest.layout import Line
from explorer.ingest.wordlists import INGEST_DATA, word_list

# A CMS field's label on a line of its own ("ID :", "Auther :").
_LABEL = re.compile(r"^\s*[\w ]{1,20}\s:\s*$")


_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORDS = re.compile(r"[\s\W_]+")
_PARTS = re.compile(r"\s{2,}|\s[|/\u2022\u00b7]\s|/")
_RUNS = re.compile(r"\S+(?:\s\S+)*")
_COLUMNS = re.compile(r"\s{3,}")


@lru_cache(maxsize=1)
def _furniture_phrases() -> frozenset[str]:
    return frozenset(phrase.lower() for phrase in word_list(INGEST_DATA / "furniture.txt"))


def _norm(text: str) -> str:
    text = _GLUED.sub(" ", text)  # glued links: "Jump to RecipePrint Recipe"
    return _NON_WORDS.sub(" ", text.lower()).strip()


# Accessibility links of every kind: "Skip to content", "Skip Global Navigation to Main Content".
_SKIP_LINK = re.compile(
    r"^(?:skip|jump|go)\b[\w\s]{0,40}\b(?:navigation|content|contents|menu|search|footer|sidebar|links?|main)$",
    re.IGNORECASE,
)
# Interface lines: "Toggle navigation", "Accessibility links", "Open menu", "Remember this site".
_INTERFACE = re.compile(
    r"^(?:toggle|open|close|show|hide|expand|collapse)\s+(?:the\s+)?(?:navigation|menu|search|sidebar|nav|comments)\b"
    r"|^(?:accessibility|navigation|site|main|primary|secondary|footer|header|social)\s+(?:links?|menu|navigation|"
    r"icons?|nav)\b|^navigation\s+menu\b|^(?:remember|bookmark)\s+this\b|^(?:update|manage|cookie|privacy)\s+"
    r"(?:consent|settings|preferences|choices)\b|^click\sto\s|\(opens\sin\s(?:a\s)?new\swindow\)$",
    re.IGNORECASE,
)


def is_furniture_phrase(text: str) -> bool:
    """A line made only of navigation/account/share phrases and punctuation."""
    return _is_furniture_phrase(text.strip())


@lru_cache(maxsize=8192)  # the same menu lines come back page after page
def _is_furniture_phrase(stripped: str) -> bool:
    phrases = _furniture_phrases()
    if not stripped or len(stripped) > 100:  # furniture lines are short; prose lines are not
        return False
    if _SKIP_LINK.match(stripped) or _INTERFACE.match(stripped):
        return True
    if stripped.lower() in phrases or _norm(stripped) in phrases:
        return True
    parts = [p for p in _PARTS.split(stripped) if p.strip()]
    return len(parts) > 1 and all(p.strip().lower() in phrases or _norm(p) in phrases for p in parts)


def furniture_parts(line: Line) -> list[tuple[int, int]]:
    """Spans of furniture phrases inside a line with several parts ("Name     Print Article")."""
    spans = []
    phrases = _furniture_phrases()
    for m in _RUNS.finditer(line.text):
        if m.group().lower() in phrases or _norm(m.group()) in phrases:
            spans.append((line.start + m.start(), line.start + m.end()))
    return spans


_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


# Category and tag lines: "Posted in Brookhaven, DeKalb, News", "Filed under: 2020 Election", "Tags: ...".
_CATEGORIES = re.compile(
    r"(?i)^(?:posted\s?in|filed\s?under|categories|category|tags|tagged(?:\swith)?|topics|more\son|"
    r"related\s(?:topics|tags))\b"
)

def is_site_line(text: str) -> bool:
    """A short line that is the site's: a furniture phrase, a URL, a field label, a category line."""
    return is_furniture_phrase(text) or is_url(text) or bool(_LABEL.match(text)) or bool(_CATEGORIES.match(text))


def strip_furniture(line: Line) -> str:
    """The line without its furniture phrases and with its columns apart ("Ronda Hauben     Print Article")."""
    if "  " not in line.text:
        return line.stripped  # a line of one column is furniture as a whole or not at all
    text = line.text
    for start, end in sorted(furniture_parts(line), reverse=True):
        text = text[: start - line.start] + text[end - line.start :]
    return _COLUMNS.sub(", ", text.strip())


def link_blocks(lines: list[Line], start: int) -> list[tuple[int, int]]:
    """Runs of three or more short unpunctuated lines inside the body: lists of unrelated headline links."""
    spans: list[tuple[int, int]] = []
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= 3:
            spans.append((run[0].start, run[-1].end))
        run.clear()

    for line in lines[start:]:
        s = line.stripped
        short = 0 < line.words <= 8 and len(s) <= 60 and s.rstrip("\"'\u201d\u2019")[-1:] not in ".?!,;:"
        if short:
            run.append(line)
        else:
            flush()
    flush()
    return spans
