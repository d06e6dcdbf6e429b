"""Dated events: every dated reference of the article, resolved to an ISO 8601 value.

What year-less and relative references are resolved against, in order:
the article's dateline ("WASHINGTON, Oct. 31 (Yonhap) --"), its published date,
or, when the page states no date, the dates the article itself gives, but only
when they cluster in one year: a single past date ("quit in April 2009") says
when something happened, not when the article was written.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from explorer.dategrammar import (
    DateContext,
    DateExpression,
    find_date_expressions,
    last_day_of,
    needs_tense,
    read_tense,
    resolve,
)
from explorer.extract.sentences import SentenceIndex
from explorer.model import Event, SourceDocument

_SENTENCE_WINDOW = 240
_ANAPHORA_REACH = 400  # characters from the date last mentioned to "a year later"
_DATELINE = re.compile(r"^[A-Z][A-Za-z .'\-]{1,40},\s(?P<date>[^()\-\u2014\u2013]{3,30}?)\s?(?:\([^)]{1,40}\)\s?)?(?:--|-\s|\u2014|\u2013)")


# A line that is a place and a full date and nothing else, just above the body ("LONDON 1996-08-30")
_PLACE_DATE_LINE = re.compile(r"^[A-Z][A-Za-z .'\-]{1,40},?\s+(?P<date>[\w ,./\-]{6,30}?)\s*$")


def _dateline(doc: SourceDocument, header: bool = False) -> DateExpression | None:
    """The date of a wire-style dateline at the start of the body ("WASHINGTON, Oct. 31 (Yonhap) --"),
    or (``header``) of a place-and-date line right above it ("LONDON 1996-08-30")."""
    body = doc.text[doc.body_start : doc.body_start + 200].replace("\n", " ")
    m = _DATELINE.match(body)
    if m:
        found = [e for e in find_date_expressions(m.group("date")) if e.kind == "day"]
        return found[0] if found else None
    if not header:
        return None
    head = doc.text[max(0, doc.body_start - 120) : doc.body_start].rstrip("\n").rsplit("\n", 1)[-1]
    m = _PLACE_DATE_LINE.match(head)
    if m:
        found = [e for e in find_date_expressions(m.group("date")) if e.kind == "day" and e.year is not None]
        if found and found[0].end == len(m.group("date").rstrip()):
            return found[0]
    return None


def reference_date(doc: SourceDocument, expressions: list[DateExpression]) -> DateContext:
    """The article's own "today", and whether the text states it (exact) or it was inferred."""
    published = date.fromisoformat(doc.published) if doc.published else None
    dateline = _dateline(doc, header=published is None)
    if published is not None:
        if dateline is not None:
            value = resolve(dateline, DateContext(published))
            if value and len(value) == 10:
                return DateContext(date.fromisoformat(value))
        return DateContext(published)
    explicit = [e for e in expressions if e.year is not None and e.kind in ("day", "span", "month", "months")]
    if not explicit:
        return DateContext(None)
    latest = max(last_day_of(v) for v in (resolve(e, DateContext(None)) for e in explicit) if v)
    if dateline is not None:
        if dateline.year is not None:
            value = resolve(dateline, DateContext(None))
            return DateContext(date.fromisoformat(value) if value else None)
        # A year-less dateline is dated by the latest date the article reports, when that
        # lies within a month before it ("Pyongyang, June 13 (KCNA)" after "June 12, 2009").
        for year in (latest.year, latest.year + 1):
            try:
                candidate = date(year, dateline.month, dateline.day)  # type: ignore[arg-type]
            except ValueError:
                return DateContext(None)
            if 0 <= (candidate - latest).days <= 31:
                return DateContext(candidate)
        return DateContext(None)
    # No date of its own: the article's dates, when they cluster in one year, say when it was
    # written; a single past date ("quit in April 2009") does not.
    years = Counter(e.year for e in explicit)
    year, count = years.most_common(1)[0]
    if count < 2:
        return DateContext(None)
    values = [resolve(e, DateContext(None)) for e in explicit if e.year == year]
    return DateContext(max(last_day_of(v) for v in values if v), exact=False)


def _agree_weekdays(expressions: list[DateExpression]) -> None:
    """One weekday name means one day in a news story: a mention that says nothing of tense
    takes the direction the other mentions of that weekday agree on."""
    said: dict[int, set[str]] = {}
    for expr in expressions:
        if expr.kind == "weekday" and expr.direction is None and expr.tense:
            said.setdefault(expr.weekday, set()).add("past" if expr.tense == "past" else "future")  # type: ignore[arg-type]
    for expr in expressions:
        if expr.kind == "weekday" and expr.direction is None and expr.tense is None:
            agreed = said.get(expr.weekday, set())  # type: ignore[arg-type]
            if len(agreed) == 1:
                expr.tense = next(iter(agreed))


def extract_events(doc: SourceDocument, view: str, sentences: SentenceIndex, excluded: list[tuple[int, int]]) -> list[Event]:
    mask = bytearray(len(view) + 1)
    for s, e in excluded:
        mask[s:e] = b"\x01" * (e - s)
    expressions = [e for e in find_date_expressions(view) if not mask[e.start]]
    context = reference_date(doc, expressions)
    if context.reference is not None and context.exact:
        # (An inferred reference is only the latest date the article gives, not its "now".)
        for expr in expressions:
            if needs_tense(expr, context.reference):
                # Which way a year-less date lies from the article's own is read from the verbs
                # around it ("will meet on Tuesday", "met officials on Tuesday").
                s_start, s_end = sentences.around(expr.start)
                expr.tense = read_tense(view, expr.start, expr.end, s_start, s_end)
        _agree_weekdays(expressions)
    events: list[Event] = []
    sentence_text: dict[tuple[int, int], str] = {}
    stated_years: dict[tuple[int, int], int] = {}
    previous: str | None = None  # the date mentioned last, for "a year later", "the following month"
    previous_end = 0
    for expr in expressions:
        if expr.kind == "day" and expr.year is None and (expr.month, expr.day) in stated_years:
            # "February 13, 2007 marked ... North Korea agreed on February 13": the same day again
            expr.year = stated_years[(expr.month, expr.day)]  # type: ignore[index]
        elif expr.kind == "day" and expr.year is not None:
            stated_years[(expr.month, expr.day)] = expr.year  # type: ignore[index]
        # "A week later" counts from a date of the same passage, not from one pages before.
        near = previous if expr.start - previous_end <= _ANAPHORA_REACH else None
        value = resolve(expr, context, near)
        if value is None:
            continue
        if expr.kind not in ("years", "shift"):
            # "a year earlier" counts from a date the text states, not from another count
            previous, previous_end = value, expr.end
        s_start, s_end = sentences.around(expr.start)
        # A "sentence" of a file without punctuation can be megabytes long: keep a window.
        s_start, s_end = max(s_start, expr.start - _SENTENCE_WINDOW), min(s_end, expr.end + _SENTENCE_WINDOW)
        sentence = sentence_text.get((s_start, s_end))
        if sentence is None:  # dates of one sentence share its text
            sentence = sentence_text[(s_start, s_end)] = " ".join(doc.text[s_start:s_end].split())
        events.append(Event(
            date=value, text=doc.text[expr.start : expr.end], start=expr.start, end=expr.end, sentence=sentence,
        ))
    return events
