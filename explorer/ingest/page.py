"""Page layout of a plain-text article: furniture, headline, byline, date line, body.

Saved web pages arrive as text with their page furniture still in: navigation
("Skip Global Navigation"), account and share widgets, banners and testimonial
boxes with dates of their own, CMS fields, blocks of unrelated headline links.
``analyse_page`` finds the article inside: it marks furniture as spans (the text
itself is never changed, so offsets stay true) and reads the title, author and
publication date from the article's own header, never from furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from explorer.dategrammar import find_date_expressions
from explorer.model import SourceDocument

_DATA = Path(__file__).resolve().parent / "data"
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u2019.\-]*")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_DASHES = "-\u2013\u2014\u2012"
_NAME = r"[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,4}"
# "By Stephen Kaufman", "By Leonor Tomero and Adam Ptacin", "by Jane Roe [contact]", "By Ann Lee, Staff Writer"
_BYLINE = re.compile(rf"^\s*[Bb]y:?\s+(?P<name>{_NAME}(?:\s(?:and|&)\s{_NAME})?)\s*(?:[,\[(].*)?$")
_LABEL = re.compile(r"^\s*[\w ]{1,20}\s:\s*$")
_DATE_LABEL = re.compile(r"^\s*(?:published|posted|updated|date|first published|dated)\b", re.IGNORECASE)
_DATE_FILLER = {
    "published", "posted", "updated", "date", "on", "at", "kst", "gmt", "utc", "est", "edt", "pst", "pdt",
    "cet", "am", "pm", "a.m.", "p.m.", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "last", "first", "dated",
}

# A paragraph of this many words starts the body.
_BODY_WORDS = 25
_HEADER_MAX_LINES = 60


@lru_cache(maxsize=1)
def _furniture_phrases() -> frozenset[str]:
    lines = (_DATA / "furniture.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    path = _DATA.parent.parent / "extract" / "data" / "given_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = _DATA.parent.parent / "extract" / "data" / "stopwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(slots=True)
class Line:
    start: int
    end: int  # end of the line's text, without its newline
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", " ", text.lower()).strip()


# Accessibility links of every kind: "Skip to content", "Skip Global Navigation to Main Content".
_SKIP_LINK = re.compile(r"^skip\b[\w\s]{0,40}\b(?:navigation|content|menu|search|footer|links?)$", re.IGNORECASE)


def is_furniture_phrase(text: str) -> bool:
    """A line made only of navigation/account/share phrases and punctuation."""
    phrases = _furniture_phrases()
    stripped = text.strip()
    if not stripped or len(stripped) > 100:  # furniture lines are short; prose lines are not
        return False
    if _SKIP_LINK.match(stripped):
        return True
    if stripped.lower() in phrases or _norm(stripped) in phrases:
        return True
    parts = [p for p in re.split(r"\s{2,}|\s[|/\u2022\u00b7]\s|/", stripped) if p.strip()]
    return len(parts) > 1 and all(p.strip().lower() in phrases or _norm(p) in phrases for p in parts)


def _furniture_parts(line: Line) -> list[tuple[int, int]]:
    """Spans of furniture phrases inside a line with several parts ("Name     Print Article")."""
    spans = []
    phrases = _furniture_phrases()
    for m in re.finditer(r"\S+(?:\s\S+)*", line.text):
        if m.group().lower() in phrases or _norm(m.group()) in phrases:
            spans.append((line.start + m.start(), line.start + m.end()))
    return spans


def _no_letters(text: str) -> bool:
    return not _LETTER.search(text)


def _is_url(text: str) -> bool:
    return bool(re.match(r"^\s*(?:https?://|www\.)\S+\s*$", text))


def full_date_in(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of the first complete date in ``text``."""
    for expr in find_date_expressions(text):
        if expr.kind == "day" and expr.year is not None:
            return expr.year, expr.month, expr.day  # type: ignore[return-value]
    return None


def is_date_line(text: str) -> bool:
    """A line that is a date and little else ("September 22, 2009", "Published 2007-10-04 12:09 (KST)")."""
    stripped = text.strip()
    if not stripped or len(stripped) > 60:
        return False
    exprs = [e for e in find_date_expressions(stripped) if e.kind == "day" and e.year is not None]
    if not exprs:
        return False
    rest = stripped[: exprs[0].start] + " " + stripped[exprs[0].end :]
    words = [w.lower().strip(".,()") for w in _WORD.findall(rest)]
    return all(w in _DATE_FILLER for w in words) and len(words) <= 3


def _segments(text: str) -> list[str]:
    """Parts of a header line that packs several fields: "By Kwang-Tae Kim | February 9, 2010 | 11:12 PM"."""
    return [part for part in re.split(r"\s[|\u2022\u00b7]\s", text) if part.strip()]


def _byline_name(text: str) -> str | None:
    parts = _segments(text)
    m = _BYLINE.match(parts[0]) if parts else None
    return m.group("name").strip() if m else None


def _is_quote(text: str) -> bool:
    s = text.strip()
    return len(s) > 1 and s[0] in _QUOTES


def _is_attribution(text: str) -> bool:
    s = text.strip()
    return len(s) > 2 and s[0] in _DASHES and bool(_LETTER.search(s))


def _is_parenthetical(text: str) -> bool:
    s = text.strip()
    return s.startswith("(") and s.endswith(")")


def _headline_like(text: str) -> bool:
    s = text.strip()
    words = _WORD.findall(s)
    if not (2 <= len(words) <= 30) or s.endswith(":") or _is_url(s):
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    if len(words) > 15 and capitalised / len(words) < 0.6:
        return False  # a deck or a sentence, not a headline
    # A trailing abbreviation ("... State Dept.") does not make a headline a sentence.
    sentence_end = s.endswith(".") and not re.search(r"\b(?:[A-Z][a-z]{0,4}\.|(?:[A-Z]\.){2,})$", s)
    return not (sentence_end and len(words) >= 12 and capitalised / len(words) < 0.5)


def _name_line(text: str) -> str | None:
    """A line that is only a person's name, possibly with a handle: "Peter Crail", "Ronda Hauben (netizen2)"."""
    s = re.sub(r"\s*\([^)]*\)\s*$", "", text.strip())
    tokens = s.split()
    if not (2 <= len(tokens) <= 4):
        return None
    stop = _stopwords()
    if tokens[0] not in _given_names() and not re.fullmatch(r"[A-Z]\.", tokens[0]):
        return None  # "Energy Aid Consortium Closes" is a headline, "Peter Crail" a name
    for token in tokens:
        if not re.fullmatch(r"[A-Z][a-z'\u2019\-]+|[A-Z]\.", token) or token in stop:
            return None
    return s


def _quote_box_at(lines: list[Line], i: int) -> bool:
    """A quoted line followed by a dash attribution: a testimonial or pull quote, not the body."""
    if not _is_quote(lines[i].text):
        return False
    following = [line for line in lines[i + 1 : i + 4] if line.stripped][:1]
    return bool(following) and _is_attribution(following[0].text)


def _body_index(lines: list[Line]) -> int:
    """The first line of the body: a long line, or the first of hard-wrapped prose lines."""
    for i, line in enumerate(lines[:_HEADER_MAX_LINES]):
        if _quote_box_at(lines, i):
            continue
        count = len(line.words)
        if count >= _BODY_WORDS:
            return i
        stripped = line.stripped
        if count >= 8 and len(stripped) >= 50 and stripped[-1] not in ".?!:\"'\u201d\u2019)":
            # wrapped prose: a line broken mid-sentence, continued by lines of the same kind
            total = count
            for following in lines[i + 1 : i + 6]:
                if len(following.words) < 8 or len(following.stripped) < 40:
                    break
                total += len(following.words)
            if total >= _BODY_WORDS:
                return i
    # No paragraph-sized line: a short article, whose body is its first sentence-sized line.
    for i, line in enumerate(lines[:_HEADER_MAX_LINES]):
        if len(line.words) >= 15 and not _quote_box_at(lines, i):
            return i
    return 0


def _link_blocks(lines: list[Line], start: int) -> list[tuple[int, int]]:
    """Runs of three or more short unpunctuated lines inside the body: lists of unrelated headline links."""
    spans: list[tuple[int, int]] = []
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= 3:
            spans.append((run[0].start, run[-1].end))
        run.clear()

    for line in lines[start:]:
        s = line.stripped
        words = line.words
        short = 0 < len(words) <= 8 and len(s) <= 60 and s.rstrip("\"'\u201d\u2019")[-1:] not in ".?!,;:"
        if short:
            run.append(line)
        else:
            flush()
    flush()
    return spans


def analyse_page(doc: SourceDocument) -> None:
    """Fill ``doc``'s furniture, body_start and, where still unset, its title, author and published date."""
    lines = split_lines(doc.text)
    if not lines:
        return
    body = _body_index(lines)
    header = lines[:body]
    furniture: list[tuple[int, int]] = []
    furniture_lines: set[int] = set()

    # Testimonial and quote boxes: a quoted line, a dash attribution, then a role
    # and a date of their own. All of it is furniture, the date included.
    for i, line in enumerate(header):
        if _is_attribution(line.text) and i > 0:
            first = i - 1
            while first > 0 and not header[first].stripped:
                first -= 1
            if not _is_quote(header[first].text):
                continue
            last = i
            for j in range(i + 1, min(i + 4, len(header))):
                if not header[j].stripped:
                    break
                last = j
                if is_date_line(header[j].text):
                    break
            furniture_lines.update(range(first, last + 1))

    for i, line in enumerate(header):
        s = line.stripped
        if s and (is_furniture_phrase(s) or _no_letters(s) or _is_url(s) or _LABEL.match(s)):
            furniture_lines.add(i)

    # The article's byline sits under its headline; a site's "by X [contact]" above it is not it.
    bylines = [i for i, line in enumerate(header) if i not in furniture_lines and _byline_name(line.text)]
    byline = bylines[-1] if bylines else None
    date_lines = [
        i for i, line in enumerate(header)
        if i not in furniture_lines and any(is_date_line(part) for part in _segments(line.text))
    ]

    def title_candidate(i: int, shouted: bool = False) -> bool:
        line = header[i]
        s = line.stripped
        return (
            bool(s) and i not in furniture_lines and i not in date_lines and i != byline
            and not _is_quote(s) and not _is_parenthetical(s) and not _is_attribution(s)
            and _headline_like(s) and (shouted or not s.isupper())
        )

    anchor: int | None = byline
    if anchor is None:
        labelled = [i for i in date_lines if _DATE_LABEL.match(header[i].text)]
        preceded = [i for i in date_lines if any(title_candidate(j, shouted=True) for j in range(i))]
        anchor = (labelled or preceded or [None])[0]
    title_index: int | None = None
    # A headline in capitals counts only when the page has no other ("SECURITY COUNCIL CONDEMNS ...").
    for shouted in (False, True):
        if anchor is not None:
            for j in range(anchor - 1, -1, -1):
                if title_candidate(j, shouted) and _name_line(_strip_furniture(header[j])) is None:
                    title_index = j
                    break
        if title_index is None and anchor is None:
            title_index = next((j for j in range(len(header)) if title_candidate(j, shouted)), None)
        if title_index is not None:
            break

    # Everything before the headline is page furniture, but for a date stamp.
    published_index: int | None = None
    if date_lines:
        labelled = [i for i in date_lines if _DATE_LABEL.match(header[i].text)]
        after_title = [i for i in date_lines if title_index is not None and i > title_index]
        published_index = (labelled or after_title or date_lines)[0]
    if title_index is not None:
        for j in range(title_index):
            if j != published_index and header[j].stripped:
                furniture_lines.add(j)

    author: str | None = None
    if byline is not None:
        author = _byline_name(header[byline].text)
    else:
        start = (title_index + 1) if title_index is not None else 0
        for j in range(start, len(header)):
            if j in furniture_lines or j in date_lines:
                continue
            name = _name_line(_strip_furniture(header[j]))
            if name:
                author = name
                break

    for j, line in enumerate(header):
        s = line.stripped
        if j > (title_index if title_index is not None else -1) and _is_parenthetical(s) and len(s) > 20:
            furniture_lines.add(j)  # wire-service slugs: "(ATTN: UPDATES with more details)"
        if j not in furniture_lines:
            furniture.extend(_furniture_parts(line))

    for j in sorted(furniture_lines):
        if header[j].stripped:
            furniture.append((header[j].start, header[j].end))
    body_start = header[-1].end if header else 0
    if body < len(lines):
        body_start = lines[body].start
    for i, line in enumerate(lines[body:], start=body):
        if line.stripped and is_furniture_phrase(line.stripped):
            furniture.append((line.start, line.end))
        del i
    furniture.extend(_link_blocks(lines, body))

    doc.furniture = _merge(furniture)
    doc.body_start = body_start
    if doc.title is None and title_index is not None:
        doc.title = header[title_index].stripped
    if doc.author is None and author:
        doc.author = author
    if doc.published is None and published_index is not None:
        ymd = full_date_in(header[published_index].text)
        if ymd:
            doc.published = f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"


def _strip_furniture(line: Line) -> str:
    text = line.text
    for start, end in sorted(_furniture_parts(line), reverse=True):
        text = text[: start - line.start] + text[end - line.start :]
    return text.strip()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
