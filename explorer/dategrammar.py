"""The date grammar: find dated references in text and normalise them.

Used by ingest (the page's own date line) and by extraction (every dated
reference). Two steps, each testable alone:

``find_date_expressions(text)`` finds candidate expressions and parses what they
say (year, month, day, weekday, relative offset...) without deciding anything;
``resolve(expr, context)`` turns one into an ISO 8601 value at the precision
the text gives, using a reference date for year-less and relative references.

What is *not* a date: ages, durations ("a 10-day trip"), clock times, and
numbers that merely look like years ("Resolution 1874"). A bare year only counts
when a preposition introduces it ("in 2005", "since 2003", "from 1950 to 1953").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept\.?|Sep\.|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
_DASH = r"\s?[-\u2010\u2011\u2012\u2013\u2014]\s?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR_CUE = r"(?:in|In|since|Since|by|By|from|From|to|until|Until|through|during|During|before|Before|after|After|between|Between|and|early|late|mid-|of|In early|in early|in late|In late)"
_MONTH_CUE = r"(?:in|In|since|Since|until|Until|by|By|from|From|through|during|During|before|Before|after|After|last|Last|next|Next|this|This|early|late|mid-|in early|in late|In early|In late)"

# One alternation, longest and most specific forms first; the first that
# matches at a position wins (re alternation is ordered).
# Every form starts at a word boundary with a digit or one of these words; checking that
# first lets the scan skip most positions without trying each alternative.
_STARTS = (
    r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|[Ii]n\b|[Ss]ince|[Bb]y\b"
    r"|[Ff]rom|to\b|[Uu]ntil|through|[Dd]uring|[Bb]efore|[Aa]fter|[Bb]etween|and\b|early|late|mid-|of\b|[Ll]ast"
    r"|[Nn]ext|[Tt]his|the\b|[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ss]pring|[Ss]ummer|fall|[Aa]utumn|[Ww]inter"
)
_PATTERN = re.compile(
    rf"""
    \b(?={_STARTS})(?:
    (?P<iso>\b(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b)
  | (?P<num>\b(?P<num_m>0?[1-9]|1[0-2])/(?P<num_d>0?[1-9]|[12]\d|3[01])/(?P<num_y>{_YEAR})\b)
  | (?P<mdd>\b(?P<mdd_m>{_MONTH})\s(?P<mdd_d1>{_DAY}){_DASH}(?P<mdd_d2>{_DAY})\b(?:,?\s(?P<mdd_y>{_YEAR})\b)?)
  | (?P<mmy>\b(?P<mmy_m1>{_MONTH})\s?/\s?(?P<mmy_m2>{_MONTH})\s(?P<mmy_y>{_YEAR})\b)
  | (?P<md>\b(?P<md_m>{_MONTH})\s(?P<md_d>{_DAY})\b(?![:\d])(?:,?\s(?P<md_y>{_YEAR})\b)?)
  | (?P<dm>\b(?P<dm_d>{_DAY})\s(?P<dm_m>{_MONTH})(?![a-z])(?:,?\s(?P<dm_y>{_YEAR})\b)?)
  | (?P<my>\b(?P<my_m>{_MONTH}),?\s(?P<my_y>{_YEAR})\b)
  | (?P<season>\b(?P<season_cue>last|Last|this|This|next|Next|early|late|the|in|In)?\s?(?P<season_n>spring|summer|fall|autumn|winter|Spring|Summer|Autumn|Winter)\b(?:\s(?:of\s)?(?P<season_y>{_YEAR})\b)?)
  | (?P<wd>\b(?P<wd_d>{_WEEKDAY})\b(?:\s(?:morning|afternoon|evening|night))?)
  | (?P<rel>\b(?P<rel_w>yesterday|today|tomorrow|tonight|Yesterday|Today|Tomorrow)\b
        | \b(?P<rel_dir>last|next|this|Last|Next|This)\s(?P<rel_unit>month|year|week)\b)
  | (?P<cm>\b(?P<cm_cue>{_MONTH_CUE})\s(?P<cm_m>January|February|March|April|May|June|July|August|September|October|November|December)\b(?!,?\s\d))
  | (?P<y>\b(?P<y_cue>{_YEAR_CUE})\s(?P<y_y>{_YEAR})\b(?![-\u2013/]?\d))
    )""",
    re.VERBOSE,
)

_ABSOLUTE = {"iso", "num", "mdd", "mmy", "md", "dm", "my", "y"}


@dataclass(slots=True)
class DateExpression:
    """A dated reference as the text states it, before resolution."""

    start: int
    end: int
    text: str
    kind: str  # day | span | months | month | year | season | weekday | relative
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month2: int | None = None
    day2: int | None = None
    season: str | None = None
    weekday: int | None = None
    direction: str | None = None  # last | next | this | ago...
    unit: str | None = None  # day | week | month | year (relative) ; season cue


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _day(token: str) -> int:
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def find_date_expressions(text: str) -> list[DateExpression]:
    """Every candidate dated reference in ``text``, in order, parsed but not resolved."""
    found: list[DateExpression] = []
    for m in _PATTERN.finditer(text):
        g = m.group
        start, end = m.start(), m.end()
        expr: DateExpression | None = None
        if m.group("iso"):
            y, mo, d = int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif m.group("num"):
            y, mo, d = int(g("num_y")), int(g("num_m")), int(g("num_d"))
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif m.group("mdd"):
            mo, d1, d2 = _month(g("mdd_m")), _day(g("mdd_d1")), _day(g("mdd_d2"))
            y = int(g("mdd_y")) if g("mdd_y") else None
            if d1 < d2 and _valid(y, mo, d1) and _valid(y, mo, d2):
                expr = DateExpression(start, end, "", "span", y, mo, d1, mo, d2)
        elif m.group("mmy"):
            m1, m2 = _month(g("mmy_m1")), _month(g("mmy_m2"))
            if m1 < m2:
                expr = DateExpression(start, end, "", "months", int(g("mmy_y")), m1, None, m2)
        elif m.group("md"):
            mo, d = _month(g("md_m")), _day(g("md_d"))
            y = int(g("md_y")) if g("md_y") else None
            # "May 5" needs the capital and a plausible day; "may" the verb never matches (case).
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif m.group("dm"):
            mo, d = _month(g("dm_m")), _day(g("dm_d"))
            y = int(g("dm_y")) if g("dm_y") else None
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif m.group("my"):
            expr = DateExpression(start, end, "", "month", int(g("my_y")), _month(g("my_m")))
        elif m.group("season"):
            cue = (g("season_cue") or "").lower()
            y = int(g("season_y")) if g("season_y") else None
            if y is not None or cue in ("last", "this", "next"):
                expr = DateExpression(start, end, "", "season", y, season=SEASONS[g("season_n").lower()],
                                      direction=cue or None)
        elif m.group("wd"):
            expr = DateExpression(start, end, "", "weekday", weekday=WEEKDAYS[g("wd_d").lower()])
        elif m.group("rel"):
            if g("rel_w"):
                word = g("rel_w").lower()
                offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
                expr = DateExpression(start, end, "", "relative", direction=str(offset), unit="day")
            else:
                expr = DateExpression(start, end, "", "relative", direction=g("rel_dir").lower(),
                                      unit=g("rel_unit"))
        elif m.group("cm"):
            cue = g("cm_cue").lower()
            s = m.start("cm_m") if cue not in ("last", "next", "this") else start
            expr = DateExpression(s, end, "", "month", None, MONTHS[g("cm_m").lower()],
                                  direction=cue if cue in ("last", "next", "this") else None)
        elif m.group("y"):
            s = m.start("y_y")
            expr = DateExpression(s, end, "", "year", int(g("y_y")))
        if expr is None:
            continue
        expr.text = text[expr.start : expr.end]
        found.append(expr)
    return _merge_weekday_with_date(found)


def _merge_weekday_with_date(found: list[DateExpression]) -> list[DateExpression]:
    """'on Tuesday, Oct. 2': the weekday is only a label of the explicit date that follows."""
    kept: list[DateExpression] = []
    for i, expr in enumerate(found):
        if expr.kind == "weekday" and i + 1 < len(found):
            nxt = found[i + 1]
            if nxt.kind in ("day", "span") and nxt.start - expr.end <= 3:
                continue
        kept.append(expr)
    return kept


# --- resolution ---------------------------------------------------------------------------

_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|'ll|going to|scheduled|expected|plans?|planned|intends?|due to|follows|next|upcoming|coming|later)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class DateContext:
    """What year-less and relative references are resolved against.

    ``reference`` is the article's own "today" (its dateline, else its
    published date, else the latest date it gives), or ``None`` when the text
    determines no such date: then year-less references are left unresolved.
    """

    reference: date | None
    # False when the reference was inferred from the article's other dates: good for a
    # month or a season, not for "on Wednesday" or "yesterday".
    exact: bool = True


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _nearest_year(ref: date, month: int, day: int, direction: str | None = None) -> int:
    """The year that puts month/day where a news text means it: mostly in the recent past."""
    if direction == "last":
        return ref.year if (month, day) < (ref.month, ref.day) else ref.year - 1
    if direction == "next":
        return ref.year if (month, day) > (ref.month, ref.day) else ref.year + 1
    # Within about four months ahead counts as this year; further ahead means last year.
    candidate = date(ref.year, month, min(day, 28))
    if (candidate - ref).days > 120:
        return ref.year - 1
    if (ref - candidate).days > 300:
        return ref.year + 1
    return ref.year


def resolve(expr: DateExpression, context: DateContext, sentence: str = "") -> str | None:
    """The ISO 8601 value of ``expr``, or ``None`` when the text does not determine it."""
    ref = context.reference
    kind = expr.kind
    if kind == "year":
        return _fmt(expr.year)  # type: ignore[arg-type]
    if kind == "months":
        return f"{_fmt(expr.year, expr.month)}/{_fmt(expr.year, expr.month2)}"  # type: ignore[arg-type]
    if kind == "month" and expr.year is not None:
        return _fmt(expr.year, expr.month)
    if kind in ("day", "span") and expr.year is not None:
        if kind == "span":
            return f"{_fmt(expr.year, expr.month, expr.day)}/{_fmt(expr.year, expr.month2, expr.day2)}"
        return _fmt(expr.year, expr.month, expr.day)
    if kind == "season" and expr.year is not None:
        return f"{expr.year:04d}-{expr.season}"
    if ref is None:
        return None
    if kind in ("day", "span"):
        y = _nearest_year(ref, expr.month, expr.day)  # type: ignore[arg-type]
        if not _valid(y, expr.month, expr.day):  # type: ignore[arg-type]
            return None
        if kind == "span":
            return f"{_fmt(y, expr.month, expr.day)}/{_fmt(y, expr.month2, expr.day2)}"
        return _fmt(y, expr.month, expr.day)
    if kind == "month":
        direction = expr.direction
        if direction == "this":
            return _fmt(ref.year, expr.month)
        day = 1 if direction == "next" else 28
        if direction is None:
            # "in April" said in December is this year's April; "in November" said in
            # January is last year's, unless the sentence looks ahead.
            if expr.month > ref.month + 2 and not _FUTURE_CUES.search(sentence):  # type: ignore[operator]
                return _fmt(ref.year - 1, expr.month)
            if expr.month < ref.month and _FUTURE_CUES.search(sentence) and ref.month - expr.month > 6:  # type: ignore[operator]
                return _fmt(ref.year + 1, expr.month)
            return _fmt(ref.year, expr.month)
        return _fmt(_nearest_year(ref, expr.month, day, direction), expr.month)  # type: ignore[arg-type]
    if kind == "season":
        start_month = _SEASON_START[expr.season]  # type: ignore[index]
        end_month = start_month + 2  # winter runs December to February
        if expr.direction == "last":
            # the latest season of that name that ended before the reference date
            if expr.season == "WI":
                y = ref.year - 1 if ref.month >= 3 else ref.year - 2
            else:
                y = ref.year if ref.month > end_month else ref.year - 1
            return f"{y:04d}-{expr.season}"
        if expr.direction == "next":
            y = ref.year if ref.month < start_month else ref.year + 1
            return f"{y:04d}-{expr.season}"
        return f"{ref.year:04d}-{expr.season}"
    if not context.exact and (kind == "weekday" or (kind == "relative" and expr.unit in ("day", "week"))):
        return None
    if kind == "weekday":
        delta = expr.weekday - ref.weekday()  # type: ignore[operator]
        if _FUTURE_CUES.search(sentence):
            delta %= 7
        else:
            delta = -((-delta) % 7)
        return (ref + timedelta(days=delta)).isoformat()
    if kind == "relative":
        if expr.unit == "day":
            return (ref + timedelta(days=int(expr.direction))).isoformat()  # type: ignore[arg-type]
        step = {"last": -1, "next": 1, "this": 0}[expr.direction]  # type: ignore[index]
        if expr.unit == "month":
            index = ref.year * 12 + ref.month - 1 + step
            return _fmt(index // 12, index % 12 + 1)
        if expr.unit == "year":
            return _fmt(ref.year + step)
        if expr.unit == "week":
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
            return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    return None


def last_day_of(value: str) -> date:
    """The last day an ISO value covers."""
    from explorer.model import date_bounds

    return date_bounds(value)[1]
