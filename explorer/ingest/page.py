"""Page layout of a plain-text article: furniture, headline, byline, date line, body.

Saved web pages arrive as text with their page furniture still in: navigation
("Skip Global Navigation", "Toggle navigation"), account and share widgets,
cookie notices, banners and testimonial boxes with dates of their own, related
articles, comments, footers. ``analyse_page`` reads the whole page:

1. the body is the longest run of prose (``layout``: length and function-word
   density of each paragraph, as jusText does);
2. the headline is the title-shaped line the evidence around it points to: a
   byline or date line just under it, its distance above the body, its length
   and case; never a menu or interface line, a section label, a breadcrumb, a
   caption, the site's name repeated at the page's top and bottom, a dateline
   ("Washington, DC") or a person's name;
3. the date line and byline are the ones nearest the headline or the body's
   start (``datelines``, ``bylines``): "Published"/"Posted" first, a plain date
   next, an "Updated" one only when the article's header gives no other (and it
   is never an event); a masthead's "today's date" (over the site's menu or
   beside the weather), dated lists (related articles, tickers) and page stamps
   ("Last modified", "Printed on", a web archive's capture) are furniture, never
   the article's date. Site furniture itself is ``furniture``'s.

The text itself is never changed, so offsets stay true: furniture is a list of
spans, and the title, author and publication date are filled only where the
file's own metadata left them empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explorer.ingest import bylines, datelines
from explorer.ingest.furniture import (
    furniture_parts,
    is_furniture_phrase,
    is_site_line,
    link_blocks,
    strip_furniture,
)
from explorer.ingest.layout import NEAR, PROSE, Layout, Line, analyse_layout, split_lines, stopwords
from explorer.model import SourceDocument

__all__ = ["analyse_page", "split_lines", "is_furniture_phrase"]

_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_DIGIT = re.compile(r"\d")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_DASHES = "-\u2013\u2014\u2012"
# Where a long line may carry its date: in its first or its last characters.
_DATE_HEAD = 100
_DATE_TAIL = 45
# How far from the headline (in non-blank lines) its byline and date line may sit.
_BELOW = 12
_ABOVE = 3
# How much of the body's start a headline's words are looked for in.
_LEAD_CHARS = 500
# How many of the heaviest runs of prose may be the article's body.
_BODIES = 4
# A date line holds its date(s) and at most this many other words (a byline, a source, "min read").
_DATE_LINE_WORDS = 8


def _is_quote(text: str) -> bool:
    s = text.strip()
    return len(s) > 1 and s[0] in _QUOTES


def _is_attribution(text: str) -> bool:
    s = text.strip()
    return len(s) > 2 and s[0] in _DASHES and bool(_LETTER.search(s))


def _is_parenthetical(text: str) -> bool:
    s = text.strip()
    return s.startswith("(") and s.endswith(")")


# A breadcrumb trail ("Home » Recipes » Cakes", "Voice Online > News > Features >").
_BREADCRUMB = re.compile(r"(?:\s[»>/\u203a\u2192]\s.*){2,}|^.{0,40}\s[»>\u203a\u2192]\s*$")
# A dateline standing alone ("Washington, DC", "SEOUL, South Korea").
_DATELINE_ONLY = re.compile(r"^[A-Z][\w.'\-]*(?:\s[A-Z][\w.'\-]*){0,2},\s*[A-Z][\w.'\-]*(?:\s[A-Z][\w.'\-]*)?\.?$")
# Credits and captions: "(Image: WMP)", "Photo: Alex Wong/Getty Images", "Getty Images".
_CREDIT = re.compile(
    r"(?i)\b(?:photo(?:graph)?s?|image|picture|credit|illustration|video)\s?(?:by)?\s?:|getty images|shutterstock|"
    r"istock|\(image:|associated press$|/\s?(?:ap|afp|reuters|getty)\b|^courtesy\b"
)


# Section paths: "National / Crime & Legal", "News | Politics".
_SECTION_PATH = re.compile(r"[^|/>\u203a]{1,30}(?:\s[|/>\u203a]\s[^|/>\u203a]{1,30})+")
_TWO_SENTENCES = re.compile(r"[a-z]{3}[.!?]\s+[A-Z]\w*\s+\w")
# The words that put a date inside a sentence rather than on a date line.
_IN_SENTENCE = re.compile(r"(?i)\b(?:of|on|since|until|before|after|from|by|in|to|between|and|during)\s+(?:\w+,?\s+)?$")
# A headline may end with an abbreviation ("... State Dept.") without being a sentence.
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z][a-z]{0,4}\.|(?:[A-Z]\.){2,})$")
_SEPARATORS = re.compile(r"[\s|,\-\u2013\u2014\u2022\u00b7]+")
_CONTACT = re.compile(r"\S@\S|\[email\s+protected\]|^@\w")
_QUOTED_SPEECH = re.compile(r"[,.?!]['\u2019\u201d\"]\s+(?:says|said|writes|wrote|asks|added)\b")


def _words(text: str) -> list[str]:
    return text.split()


def _title_case_share(words: list[str]) -> float:
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if not long_words:
        return 1.0
    return sum(1 for w in long_words if w[0].isupper()) / len(long_words)


@dataclass(slots=True)
class _DateCandidate:
    index: int
    value: str
    label: str
    has_time: bool
    strong: bool  # a date line (the date and little else), not a date glued to the end of a deck


@dataclass(slots=True)
class _Page:
    lines: list[Line]
    layout: Layout
    nonblank: list[int]
    rank: list[int]  # per line: its position among the non-blank lines (blank lines: the next one's)
    text: str
    furniture: set[int] = field(default_factory=set)
    dates: dict[int, _DateCandidate] = field(default_factory=dict)
    listed_dates: set[int] = field(default_factory=set)  # date lines of a list (related articles, a ticker)
    stamp_spans: list[tuple[int, int]] = field(default_factory=list)
    bylines: dict[int, list[str]] = field(default_factory=dict)
    name_lines: dict[int, list[str]] = field(default_factory=dict)
    footer_bylines: set[int] = field(default_factory=set)  # "About the Author - ..." lines
    texts: dict[str, list[int]] = field(default_factory=dict)  # normalised text -> lines holding it
    content_rank: list[int] = field(default_factory=list)  # like rank, counting only lines that are not furniture
    leads: dict[int, set[str]] = field(default_factory=dict)  # body start -> content words of its first paragraphs
    shapes: dict[int, float | None] = field(default_factory=dict)  # line -> _title_shape, computed once
    evidence: dict[int, float] = field(default_factory=dict)  # line -> _anchor_evidence, computed once
    line_scores: dict[int, float] = field(default_factory=dict)  # line -> _line_score, computed once
    words: dict[int, set[str]] = field(default_factory=dict)  # line -> its content words, computed once

    def step(self, i: int, steps: int) -> int | None:
        """The line ``steps`` non-blank lines after (or before, if negative) line ``i``."""
        r = self.rank[i] + steps
        if 0 <= r < len(self.nonblank):
            return self.nonblank[r]
        return None

    def distance(self, i: int, j: int) -> int:
        """Non-blank lines from line i to line j (negative if j is above i)."""
        return self.rank[j] - self.rank[i]


def _build(text: str) -> _Page | None:
    lines = split_lines(text)
    nonblank = [i for i, line in enumerate(lines) if line.stripped]
    if not nonblank:
        return None
    rank = [0] * len(lines)
    r = len(nonblank)
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].stripped:
            r -= 1
        rank[i] = r
    page = _Page(lines, analyse_layout(lines), nonblank, rank, text)
    _mark_furniture(page)
    page.content_rank = [0] * len(lines)
    r = 0
    for i in range(len(lines)):
        page.content_rank[i] = r
        if lines[i].stripped and i not in page.furniture:
            r += 1
    _find_bylines(page)
    _find_dates(page)
    for i in nonblank:
        if i not in page.furniture and lines[i].words <= 12:  # site names and headlines come back; prose does not
            page.texts.setdefault(lines[i].stripped.lower(), []).append(i)
    return page


def _mark_furniture(page: _Page) -> None:
    lines = page.lines
    for i in page.nonblank:
        s = lines[i].stripped
        if lines[i].words <= 12 and (
            is_site_line(s)
            or not _LETTER.search(s) and not datelines.dates_in(s)  # "|", "0 758", but not "28.04.2020"
        ):
            page.furniture.add(i)
    # Testimonial and quote boxes: a quoted line, a dash attribution, then a role and a
    # date of their own. All of it is furniture, the date included.
    for i in page.nonblank:
        if not _is_attribution(lines[i].text):
            continue
        first = page.step(i, -1)
        if first is None or not _is_quote(lines[first].text) or page.layout.classes[first] == PROSE and \
                lines[first].words > 60:
            continue
        last = i
        for j in range(i + 1, min(i + 4, len(lines))):
            if not lines[j].stripped:
                break
            last = j
            if datelines.dates_in(lines[j].text):
                break
        page.furniture.update(range(first, last + 1))


def _find_dates(page: _Page) -> None:
    lines = page.lines
    found: dict[int, list[datelines.FoundDate]] = {}
    for i in page.nonblank:
        line = lines[i]
        if line.words > 40 or not _DIGIT.search(line.stripped):
            continue  # a date line, a byline, a deck: never a long paragraph
        text = line.text
        if len(text) <= _DATE_HEAD + _DATE_TAIL:
            items = datelines.dates_in(text)
        else:
            # A long line is a date line only by its start ("By Ela on 31. October, 2023 | 18 Comments. This
            # post may contain ...") or its end ("... its recovery?Monday, 6 January 2020").
            tail_start = len(text) - _DATE_TAIL
            items = datelines.dates_in(text[:_DATE_HEAD]) + [
                datelines.FoundDate(f.start + tail_start, f.end + tail_start, f.year, f.month, f.day, f.ambiguous,
                                    f.order)
                for f in datelines.dates_in(text[tail_start:])
            ]
        if items:
            found[i] = items
    datelines.settle_order([f for items in found.values() for f in items], page.text)
    for i, items in found.items():
        line = lines[i]
        read = datelines.read_date_line(line.text, items)
        if read is None:
            continue
        previous = page.step(i, -1)
        label_before = datelines.label_line(lines[previous].text) if previous is not None else None
        if label_before:
            for item in read.dates:
                item.label = item.label or label_before
        for item in read.dates:
            if item.label in ("stamp", "updated"):
                page.stamp_spans.append((line.start + item.found.start, line.start + item.found.end))
        best = read.best()
        if best is None or i in page.furniture:
            continue
        is_byline = i in page.bylines or bool(bylines.byline_names(line.text))
        strong = best.extra_words <= _DATE_LINE_WORDS or (is_byline and best.extra_words <= 14)
        before = line.text[: best.found.start]
        if strong and not is_byline and not best.label and len(before.split()) >= 3 and _IN_SENTENCE.search(before):
            strong = False  # a date inside a sentence: "vanished in the early hours of Sunday, November 3, 2013."
        if not strong:
            # A date glued to the end of a deck or a byline ("... its recovery?Monday, 6 January 2020").
            tail = line.text[best.found.end :].strip(" .)")
            before = line.text[best.found.start - 1] if best.found.start else " "
            if tail or before == " " or len(line.stripped) > 400:
                continue
        label = best.label
        following = page.step(i, 1)
        if not label and not read.has_time and following is not None and _menu_below(page, following):
            label = "stamp"  # a masthead's today's date, over the site's menu
            page.stamp_spans.append((line.start + best.found.start, line.start + best.found.end))
        page.dates[i] = _DateCandidate(i, best.found.iso, label, read.has_time, strong)
    # Lists of dated items: related articles, tickers, archives. Several different dates close together.
    indices = sorted(page.dates)
    for n, i in enumerate(indices):
        near = [j for j in indices[max(0, n - 4) : n + 5] if j != i and abs(page.distance(i, j)) <= 8]
        if len({page.dates[j].value for j in near} - {page.dates[i].value}) >= 2 and not _opens_body(page, i):
            page.listed_dates.add(i)


def _opens_body(page: _Page, i: int) -> bool:
    """The article's own paragraphs start right under line ``i`` (a list's item is followed by the next item)."""
    for steps in (1, 2):
        j = page.step(i, steps)
        if j is None:
            return False
        if page.layout.classes[j] == PROSE and page.lines[j].words >= 40:
            return True
    return False


def _find_bylines(page: _Page) -> None:
    lines = page.lines
    for i in page.nonblank:
        line = lines[i]
        if line.words > 30 or i in page.furniture:
            continue
        names = bylines.byline_names(line.text)
        if not names and bylines.is_lone_by(line.text):
            following = page.step(i, 1)
            if following is not None and lines[following].words <= 8:
                name = bylines.leading_name(lines[following].stripped)
                if name:
                    page.bylines[following] = [name]
                    continue
        if names:
            page.bylines[i] = names
            continue
        names = bylines.about_author_names(line.text)
        if names:
            page.bylines[i] = names
            page.footer_bylines.add(i)
            continue
        if line.words <= 14 and page.layout.classes[i] != PROSE:
            names = bylines.name_line(strip_furniture(line))
            if names:
                page.name_lines[i] = names
    # The same byline over and over: a list of articles by one source, not an article's byline.
    counts: dict[str, int] = {}
    for names in page.bylines.values():
        counts[" ".join(names)] = counts.get(" ".join(names), 0) + 1
    for i in [i for i, names in page.bylines.items() if counts[" ".join(names)] >= 3]:
        del page.bylines[i]
    # Co-authors on lines of their own: "Sarah Hinger, Staff Attorney" then "& Sylvia Torres-Guillen, Director".
    for i in sorted(page.name_lines):
        following = page.step(i, 1)
        if following in page.name_lines and i in page.name_lines:
            page.name_lines[i] = page.name_lines[i] + page.name_lines.pop(following)


def _title_shape(page: _Page, i: int) -> float | None:
    """How much line ``i`` looks like a headline by itself; None if it cannot be one."""
    if i not in page.shapes:
        page.shapes[i] = _shape(page, i)
    return page.shapes[i]


def _shape(page: _Page, i: int) -> float | None:
    line = page.lines[i]
    if line.words > 40 or len(line.stripped) > 300 or line.words > 25 and page.layout.classes[i] == PROSE and \
            line.stripped[-1] in ".!?\"\u201d,;:":
        return None  # a paragraph
    s = line.stripped
    words = _words(s)
    n = len(words)
    if (
        n == 0 or len(s) > 300 or i in page.furniture or i in page.dates or i in page.bylines
        or i in page.name_lines or s.endswith(":") or _is_quote(s) and n > 12 or _is_parenthetical(s)
        or _is_attribution(s) or _BREADCRUMB.search(s) or _DATELINE_ONLY.match(s) or _CREDIT.search(s)
        or bylines.is_lone_by(s) or datelines.label_line(s) or _CONTACT.search(s)
    ):
        return None
    if not _LETTER.search(s[:1]) and not s[:1].isdigit() and s[:1] not in _QUOTES:
        return None
    j = page.step(i, -1)
    if j is not None and (j in page.bylines or j in page.name_lines) and n <= 4 and bylines.has_role(s):
        return None  # a role under a byline ("Staff Writer", "AP Entertainment Writer"), not a headline
    if n <= 8 and _SECTION_PATH.fullmatch(s):
        return None
    score = 0.0
    if n == 1:
        score -= 1.5
    elif n == 2:
        score -= 0.75
    elif n == 3:
        score += 0.0
    elif n <= 30:
        score += 1.0
    if s[0].islower():
        score -= 1.5
    if s.isupper():
        score -= 0.5
    case = _title_case_share(words)
    sentence = s[-1] == "." and not s.endswith("..") and not _ABBREVIATION_END.search(s)
    if sentence and (n >= 8 or case < 0.5):
        score -= 2.5  # a deck, a caption or a sentence of the body
    if page.layout.classes[i] == PROSE and case < 0.6 and s[-1] in ".!?\"\u201d":
        score -= 1.5  # a paragraph's sentence
    if _QUOTED_SPEECH.search(s):
        score -= 1.5  # a pull quote or a deck ("'It's never been easy,' says Chris Hill")
    if _TWO_SENTENCES.search(s):
        score -= 1.5  # a tagline or a teaser ("The world is talking. Are you listening?")
    if n <= 4 and _in_menu(page, i):
        score -= 1.5
    return score


def _in_menu(page: _Page, i: int) -> bool:
    """A line in a block of three or more short lines with no blank line between: a menu."""
    lines = page.lines
    first = last = i
    while first > max(0, i - 2) and lines[first - 1].stripped and lines[first - 1].words <= 4:
        first -= 1
    while last + 1 < min(len(lines), i + 3) and lines[last + 1].stripped and lines[last + 1].words <= 4:
        last += 1
    return last - first >= 2


def _deck_like(page: _Page, i: int) -> bool:
    """A deck (standfirst) under a headline: a sentence, in sentence case, of four words or more."""
    line = page.lines[i]
    if line.words < 4 or i in page.furniture or i in page.dates or i in page.bylines or i in page.name_lines:
        return False
    words = _words(line.stripped)
    return line.stripped.endswith(".") or _title_case_share(words) < 0.5


def _menu_below(page: _Page, i: int) -> bool:
    """Line ``i`` starts a site menu: three or more short lines in a row, none of them share or account links."""
    run = 0
    for j in range(i, min(i + 8, len(page.lines))):
        line = page.lines[j]
        if not line.stripped or line.words > 4 or j in page.furniture or _DIGIT.search(line.stripped):
            break
        run += 1
    return run >= 3


def _stacked(page: _Page, i: int, body: int) -> float:
    """A headline over its deck: of a title line and a sentence-case line under it, the upper is the headline."""
    if page.lines[i].words < 4:
        return 0.0
    score = 0.0
    below = page.step(i, 1)
    if below is not None and below != body and _deck_like(page, below) and 4 <= page.lines[below].words <= 40:
        score += 0.75
    above = page.step(i, -1)
    if above is not None and _deck_like(page, i) and page.lines[above].words >= 4 and \
            _title_shape(page, above) is not None:
        score -= 0.75
    return score


def _anchor_evidence(page: _Page, i: int) -> float:
    """Evidence that line ``i`` is the headline: a byline or date line right under it (or a date just above)."""
    if i not in page.evidence:
        page.evidence[i] = _evidence(page, i)
    return page.evidence[i]


def _evidence(page: _Page, i: int) -> float:
    below = above = 0.0
    seen_prose = 0
    for steps in range(1, _BELOW + 1):
        j = page.step(i, steps)
        if j is None:
            break
        if j in page.furniture:
            continue
        if (j in page.dates and j not in page.listed_dates and page.dates[j].strong) or j in page.bylines:
            below = max(below, 3.5 - 0.25 * steps)
        elif j in page.name_lines:
            below = max(below, 3.0 - 0.25 * steps)
        if page.layout.classes[j] == PROSE:
            seen_prose += 1
            if seen_prose >= 3 or page.lines[j].words > 60:  # a deck, its copy under the photo, then the body
                break
    for steps in range(1, _ABOVE + 1):
        j = page.step(i, -steps)
        if j is None:
            break
        if j in page.dates and j not in page.listed_dates and page.dates[j].strong:
            above = max(above, 2.0 - 0.3 * steps)
    words = page.lines[i].words
    if words <= 3:
        # A label or a caption between two date lines ("Article history") is no headline.
        return max(below, above) * (0.7 if words <= 2 else 1.0)
    return max(below, above) + 0.5 * min(below, above)


def _repetition(page: _Page, i: int) -> float:
    """A headline is often repeated near itself (breadcrumb, share bar); a site name at the page's ends."""
    others = [j for j in page.texts.get(page.lines[i].stripped.lower(), []) if j != i]
    if not others:
        return 0.0
    near = any(abs(page.distance(i, j)) <= 20 for j in others)
    far = any(abs(page.distance(i, j)) > 40 for j in others)
    words = page.lines[i].words
    count = len(page.nonblank)
    holders = [i, *others]
    at_top = [j for j in holders if page.rank[j] < 15]
    at_foot = [j for j in holders if page.rank[j] >= count - 30]
    if far and not near and words <= 5 and at_top and at_foot and set(at_top) != set(at_foot):
        return -2.0  # the site's name, at the page's top and again at its foot
    return 0.5 if near and words >= 4 else 0.0


_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")


def _content_words(text: str) -> set[str]:
    return set(_CONTENT_WORD.findall(text.lower())) - stopwords()


def _lead_words(page: _Page, body: int) -> set[str]:
    """The content words of the body's first paragraphs (what its headline is about)."""
    cached = page.leads.get(body)
    if cached is None:
        parts: list[str] = []
        size = 0
        for j in page.nonblank[page.rank[body] :]:
            if size > _LEAD_CHARS:
                break
            if page.layout.classes[j] in (PROSE, NEAR):
                parts.append(page.lines[j].stripped)
                size += len(page.lines[j].stripped)
        cached = page.leads[body] = _content_words(" ".join(parts))
    return cached


def _overlap(page: _Page, i: int, body: int) -> float:
    """The share of a headline's content words that its body's lead paragraphs use."""
    words = page.words.get(i)
    if words is None:
        words = page.words[i] = _content_words(page.lines[i].stripped)
    if not words:
        return 0.0
    return len(words & _lead_words(page, body)) / len(words)


def _after_sentence(page: _Page, i: int) -> bool:
    """A sentence of prose ends within the few lines above line ``i``."""
    seen = 0
    for j in range(i - 1, -1, -1):
        if seen >= 4:
            break
        if not page.lines[j].stripped or j in page.furniture:
            continue
        seen += 1
        if page.layout.classes[j] in (PROSE, NEAR) and page.lines[j].stripped[-1] in ".!?":
            return True
    return False


def _line_score(page: _Page, i: int) -> float:
    """The part of a headline's score that does not depend on which body it heads."""
    score = page.line_scores.get(i)
    if score is None:
        evidence = _anchor_evidence(page, i)
        score = (_title_shape(page, i) or 0.0) + evidence + _repetition(page, i)
        if evidence == 0.0 and _after_sentence(page, i):
            score -= 1.0  # a sub-heading: the article's own sentences run just above it
        page.line_scores[i] = score
    return score


def _headline_score(page: _Page, i: int, body: int) -> float | None:
    """How strongly the evidence points at line ``i`` as the headline, for a body starting at line ``body``."""
    shape = _title_shape(page, i)
    if shape is None:
        return None
    evidence = _anchor_evidence(page, i)
    overlap = _overlap(page, i, body)
    score = _line_score(page, i) + _stacked(page, i, body) + 1.5 * overlap
    if page.rank[i] == 0 and overlap > 0:
        score += 1.0  # a document that opens with its title (no site navigation above it)
    distance = page.content_rank[body] - page.content_rank[i]  # share buttons and menus between do not count
    if distance > 0:
        score -= min(2.5, 0.06 * distance)
        if distance <= 3 and all(
            (_title_shape(page, j) or -9.0) < shape for j in page.nonblank[page.rank[i] + 1 : page.rank[body]]
        ):
            score += 0.75  # the last title before the body
    elif distance < 0:
        # Inside the body: a sub-heading, unless the body's "start" was a caption or a deck.
        prose_above = sum(1 for j in range(body, i) if page.layout.classes[j] == PROSE)
        near_start = prose_above <= 2 and distance >= -6 and evidence > 0
        score -= 0.5 if near_start else 1.5 + 0.1 * min(-distance, 15)
    else:
        score -= 1.0  # the body's first paragraph
    return score


def _choose_headline(page: _Page) -> int | None:
    """The headline line, chosen with the body it heads (of the heaviest runs of prose, the one it fits best)."""
    runs = page.layout.runs[:_BODIES] or [(1.0, page.nonblank[-1], page.nonblank[-1])]  # no prose: the end
    heaviest = runs[0][0]
    best: tuple[float, float, int, int, int] | None = None  # (score with bonus, score, line, body start, end)
    for weight, start, end in runs:
        if weight < 0.15 * heaviest:
            continue
        first = page.step(start, -60)
        first = page.nonblank[0] if first is None else first
        last = page.step(start, 15)
        last = page.nonblank[-1] if last is None else last
        bonus = 1.5 * weight / heaviest
        for i in page.nonblank:
            if i < first or i > last:
                continue
            score = _headline_score(page, i, start)
            if score is not None and (best is None or score + bonus > best[0]):
                best = (score + bonus, score, i, start, end)
    if best is None or best[1] < -0.5:
        return None
    page.layout.body_start, page.layout.body_end = best[3], best[4]
    return best[2]


def _date_position_score(page: _Page, i: int, headline: int | None, body: int | None) -> float | None:
    """How well a date line's place fits the article's date line: under the headline, or at the body's start."""
    cand = page.dates[i]
    scores: list[float] = []
    if headline is not None:
        rel = page.distance(headline, i)
        if 1 <= rel <= _BELOW:
            scores.append(4.0 - 0.2 * rel)
        elif -_ABOVE <= rel <= 0 and cand.strong:
            scores.append(2.5 + 0.3 * rel)
        elif rel > 0 and i > page.layout.body_end and cand.label == "published" and cand.strong:
            scores.append(1.0)  # "Published: 03 December 2019" under the article
        elif _BELOW < rel <= 30 and cand.label == "published" and cand.strong:
            scores.append(2.5 - 0.05 * rel)  # under the headline, past a gallery of captions
        elif rel > _BELOW and body is not None and i <= body:
            scores.append(1.0)
        elif rel < -_ABOVE and cand.has_time and cand.strong and rel >= -15:
            scores.append(0.5)  # a post's time stamp above its headline (a masthead's date has no time of day)
    if body is not None and cand.strong:
        # Just above the body or among its first lines (after a caption): "By X - The Times - November 8, 2023".
        rel = page.distance(body, i)
        if -4 <= rel <= 4:
            scores.append(3.0 - 0.2 * abs(rel))
        elif headline is None and rel > 0 and i > page.layout.body_end and cand.label == "published":
            scores.append(1.0)
    return max(scores) if scores else None


def _choose_date(page: _Page, headline: int | None) -> int | None:
    body = page.layout.body_start if page.layout.body_start < len(page.lines) else None
    best: tuple[float, int] | None = None
    for i, cand in page.dates.items():
        if i in page.listed_dates or cand.label == "stamp":
            continue
        score = _date_position_score(page, i, headline, body)
        if score is None:
            continue
        if cand.label == "published":
            score += 1.0
        elif cand.label == "updated":
            score -= 1.5
        if cand.has_time:
            score += 0.3
        if not cand.strong:
            score -= 1.0
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


def _choose_author(page: _Page, headline: int | None, date_line: int | None) -> tuple[int, list[str]] | None:
    anchor = headline if headline is not None else date_line
    if anchor is None:
        anchor = page.layout.body_start if page.layout.body_start < len(page.lines) else None
    if anchor is None:
        return None
    best: tuple[float, int, list[str]] | None = None
    body_end = page.layout.body_end
    for i, names in page.bylines.items():
        rel = page.distance(anchor, i)
        if 0 < rel <= _BELOW + 4:
            score = 4.0 - 0.15 * rel
        elif -_ABOVE - 2 <= rel <= 0:
            score = 2.0 + 0.2 * rel
        elif date_line is not None and abs(page.distance(date_line, i)) <= 2:
            score = 3.0  # beside the article's date line, wherever that is ("Author: ... / Published: ...")
        elif rel > 0 and -5 <= page.distance(body_end, i) <= 15:
            score = 1.0  # "Posted by Alex Duran" at the article's end
        elif rel > 0 and i in page.footer_bylines:
            score = 0.5  # "About the Author - Florina Ionescu"
        else:
            continue
        if best is None or score > best[0]:
            best = (score, i, names)
    if best is None:
        # A bare name line, where a byline would be: under the headline, by the date line.
        for i, names in page.name_lines.items():
            rel = page.distance(anchor, i)
            near_date = date_line is not None and abs(page.distance(i, date_line)) <= 2
            if not (0 < rel <= 4 or near_date and (headline is None or rel > 0)):
                continue
            score = 2.0 - 0.1 * rel + (1.0 if near_date else 0.0)
            if best is None or score > best[0]:
                best = (score, i, names)
    if best is None and date_line is not None:
        # The name on the date line itself: "Ashok Pradhan | TNN | Apr 7, 2020", "Shana Nys DambrotNovember 6".
        text = page.lines[date_line].stripped
        name = bylines.leading_name(text, single=False)
        if name and (bylines.name_line(name) or _only_name_before_date(page, date_line, name)):
            return date_line, [name]
    return (best[1], best[2]) if best else None


def _only_name_before_date(page: _Page, i: int, name: str) -> bool:
    """The date line starts with the name and then its date, nothing else between."""
    text = page.lines[i].text
    found = datelines.dates_in(text)
    if not found:
        return False
    start = text.find(name)
    return start >= 0 and not _SEPARATORS.sub("", text[start + len(name) : found[0].start])


def analyse_page(doc: SourceDocument) -> None:
    """Fill ``doc``'s furniture, body_start and, where still unset, its title, author and published date."""
    page = _build(doc.text)
    if page is None:
        return
    lines = page.lines
    headline = _choose_headline(page)
    date_line = _choose_date(page, headline)
    author = _choose_author(page, headline, date_line)

    furniture = set(page.furniture)
    header_end = max(x for x in (headline, date_line, author[0] if author else None, -1) if x is not None)
    if headline is not None:
        # Everything above the headline is the site's: navigation, banners, mastheads. But if more
        # prose stands above the headline than under it, the headline may be a sub-heading: keep
        # that prose for extraction and mark only the short lines.
        kept = {date_line, author[0] if author else None}
        above = [j for j in range(headline) if lines[j].stripped and j not in kept]
        prose_above = sum(lines[j].words for j in above if page.layout.classes[j] == PROSE)
        prose_below = sum(lines[j].words for j in range(headline, len(lines)) if page.layout.classes[j] == PROSE)
        if prose_above > prose_below:
            above = [j for j in above if page.layout.classes[j] != PROSE]
        furniture.update(above)
    if header_end >= 0:
        for j in range(header_end + 1):
            s = lines[j].stripped
            if s and j > (headline if headline is not None else -1) and _is_parenthetical(s) and len(s) > 20:
                furniture.add(j)  # wire-service slugs: "(ATTN: UPDATES with more details)"
    # Dated lists (related articles, tickers) are not the article's events.
    furniture.update(page.listed_dates)

    body = _body_start(page, header_end)
    spans: list[tuple[int, int]] = []
    for j in sorted(furniture):
        if lines[j].stripped:
            spans.append((lines[j].start, lines[j].end))
    for j in page.nonblank:
        if j > header_end:
            break
        if j not in furniture and "  " in lines[j].text:  # "Ronda Hauben     Print Article"
            spans.extend(furniture_parts(lines[j]))
    spans.extend(page.stamp_spans)
    spans.extend(link_blocks(lines, body))

    doc.furniture = _merge(spans)
    doc.body_start = lines[body].start if body < len(lines) else len(doc.text)
    if doc.title is None and headline is not None:
        doc.title = lines[headline].stripped
    if doc.author is None and author is not None:
        doc.author = bylines.join_names(author[1])
    if doc.published is None and date_line is not None:
        doc.published = page.dates[date_line].value


def _body_start(page: _Page, header_end: int) -> int:
    """The first line of the body: the first paragraph under the header (headline, byline, date line)."""
    layout = page.layout
    if header_end < 0:
        return layout.body_start if layout.body_start < len(page.lines) else 0
    for j in page.nonblank:
        if j > header_end and j not in page.furniture and layout.classes[j] in (PROSE, NEAR):
            return j
    following = page.step(header_end, 1)
    return following if following is not None else len(page.lines)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
