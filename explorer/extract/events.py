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

from explorer.dategrammar import DateContext, DateExpression, find_date_expressions, last_day_of, resolve
from explorer.extract.sentences import SentenceIndex
from explorer.model import Event, SourceDocument

_DATELINE = re.compile(r"^[A-Z][A-Za-z .'\-]{1,40},\s(?P<date>[^()\-\u2014\u2013]{3,30}?)\s?(?:\([^)]{1,40}\)\s?)?(?:--|\u2014|\u2013)")


def _in(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def reference_date(doc: SourceDocument, expressions: list[DateExpression]) -> date | None:
    published = date.fromisoformat(doc.published) if doc.published else None
    body = doc.text[doc.body_start : doc.body_start + 200]
    m = _DATELINE.match(body)
    if m and published is not None:
        for expr in find_date_expressions(m.group("date")):
            value = resolve(expr, DateContext(published))
            if value and len(value) == 10:
                return date.fromisoformat(value)
    if published is not None:
        return published
    explicit = [e for e in expressions if e.year is not None and e.kind in ("day", "span", "month", "months")]
    if not explicit:
        return None
    years = Counter(e.year for e in explicit)
    year, count = years.most_common(1)[0]
    if count < 2:
        return None
    values = [resolve(e, DateContext(None)) for e in explicit if e.year == year]
    return max(last_day_of(v) for v in values if v)


def extract_events(doc: SourceDocument, view: str, sentences: SentenceIndex, excluded: list[tuple[int, int]]) -> list[Event]:
    expressions = [e for e in find_date_expressions(view) if not _in(e.start, excluded)]
    context = DateContext(reference_date(doc, expressions))
    events: list[Event] = []
    for expr in expressions:
        s_start, s_end = sentences.around(expr.start)
        # Tense is read from the words just before the reference ("will leave on Wednesday",
        # "met officials on Tuesday"), not from the whole sentence.
        clause = " ".join(view[s_start : expr.start].split()[-8:])
        value = resolve(expr, context, clause)
        if value is None:
            continue
        events.append(Event(
            date=value, text=doc.text[expr.start : expr.end], start=expr.start, end=expr.end,
            sentence=" ".join(doc.text[s_start:s_end].split()),
        ))
    return events
