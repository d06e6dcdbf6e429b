"""Dated references: what is a date, what is not, and how year-less ones resolve."""

from __future__ import annotations

import pytest

from explorer.dategrammar import DateContext, find_date_expressions, resolve
from explorer.extract import extract
from explorer.ingest.page import analyse_page
from explorer.model import SourceDocument, date_bounds


def dates(text: str, published: str | None = None) -> list[tuple[str, str]]:
    doc = SourceDocument(path="a.txt", text=text, published=published)
    analyse_page(doc)  # as the reader does: the body, its dateline, the page's own date
    ex = extract(doc)
    return [(ev.text, ev.date) for ev in ex.events]


def values(text: str, published: str | None = None) -> set[str]:
    return {value for _, value in dates(text, published)}


def test_full_dates_in_every_common_form() -> None:
    text = (
        "It began on September 22, 2009, continued on 12 June 2010, was logged as 2011-03-04 "
        "and stamped Sat, 11/01/2008 - 07:02."
    )
    assert values(text) == {"2009-09-22", "2010-06-12", "2011-03-04", "2008-11-01"}


def test_a_span_of_days_and_of_months() -> None:
    text = "Talks were held Dec. 8-10. (See ACT, July/August 2009.)"
    assert values(text, "2009-12-20") == {"2009-12-08/2009-12-10", "2009-07/2009-08"}


def test_resolution_numbers_ages_durations_and_clock_times_are_not_dates() -> None:
    text = (
        "Resolution 1874 followed the 1718 Committee's report. A 65-year-old envoy, aged 72 by then, "
        "began a 10-day trip at 07:30 and seized 35 tons of arms."
    )
    assert dates(text, "2009-06-12") == []


def test_a_bare_year_needs_a_preposition() -> None:
    assert values("They agreed in 2005 and again in 2007, as they had since 2003.") == {"2005", "2007", "2003"}
    assert values("The 2005 statement and 1,874 tons.") == set()


def test_relative_references_across_a_year_boundary() -> None:
    text = (
        "The envoy said last month that talks held Dec. 28 went well. He will return in March, "
        "and the report is due next month. It arrived yesterday."
    )
    got = dict(dates(text, "2010-01-05"))
    assert got["last month"] == "2009-12"
    assert got["Dec. 28"] == "2009-12-28"
    assert got["March"] == "2010-03"
    assert got["next month"] == "2010-02"
    assert got["yesterday"] == "2010-01-04"


def test_weekdays_look_back_unless_the_sentence_looks_ahead() -> None:
    # 2009-05-05 is a Tuesday
    got = dict(dates("The administration announced Tuesday that Bosworth will leave on Wednesday.", "2009-05-05"))
    assert got["Tuesday"] == "2009-05-05"
    assert got["Wednesday"] == "2009-05-06"
    got = dict(dates("Hill said the hosts distributed a draft on Sunday morning.", "2007-10-04"))
    assert got["Sunday morning"] == "2007-09-30"


def test_seasons_are_seasons() -> None:
    assert values("North Korea appeared to back away from that position last summer.", "2009-12-20") == {"2009-SU"}
    assert values("The plant closed in the winter of 2008.") == {"2008-WI"}


def test_without_a_page_date_the_articles_own_dates_anchor_year_less_ones() -> None:
    text = (
        "North Korea launched a rocket on April 5. (See ACT, May 2009.) The envoy visited "
        "Dec. 8-10 and spoke on Dec. 16. (See ACT, October 2009.)"
    )
    assert values(text) == {"2009-04-05", "2009-05", "2009-12-08/2009-12-10", "2009-12-16", "2009-10"}


def test_a_single_past_year_does_not_date_the_article() -> None:
    text = "Davies met officials on December 15. The North quit the talks in April 2009."
    assert values(text) == {"2009-04"}  # December 15 of which year? the text does not say


def test_the_dateline_is_the_reference_for_relative_dates() -> None:
    text = (
        "Envoys set to meet\n\nSat, 11/01/2008 - 07:02\n\nBy Hwang Doo-hyong\n"
        "WASHINGTON, Oct. 31 (Yonhap) -- The talks may resume next month, the State Department said "
        "Friday. The visit follows the presidential election Tuesday and talks held in early October "
        "when the envoys met in Pyongyang, where they agreed to continue talking for many weeks."
    )
    doc = SourceDocument(path="a.txt", text=text)
    from explorer.ingest.page import analyse_page

    analyse_page(doc)
    assert doc.published == "2008-11-01"
    got = dict((ev.text, ev.date) for ev in extract(doc).events)
    assert got["next month"] == "2008-11"
    assert got["Friday"] == "2008-10-31"
    assert got["Tuesday"] == "2008-11-04"
    assert got["October"] == "2008-10"


@pytest.mark.parametrize(
    ("value", "first", "last", "precision"),
    [
        ("2009", "2009-01-01", "2009-12-31", "year"),
        ("2009-02", "2009-02-01", "2009-02-28", "month"),
        ("2009-SU", "2009-06-01", "2009-08-31", "season"),
        ("2009-WI", "2009-12-01", "2010-02-28", "season"),
        ("2009-12-08/2009-12-10", "2009-12-08", "2009-12-10", "span"),
    ],
)
def test_fuzzy_dates_keep_their_extent(value: str, first: str, last: str, precision: str) -> None:
    start, end, kind = date_bounds(value)
    assert (start.isoformat(), end.isoformat(), kind) == (first, last, precision)


def test_expressions_are_found_before_resolution() -> None:
    exprs = find_date_expressions("on Tuesday, Oct. 2 and in May")
    assert [e.kind for e in exprs] == ["day", "month"]  # the weekday only labels Oct. 2
    assert resolve(exprs[1], DateContext(None)) is None  # "in May" of no known year


def test_a_year_less_dateline_takes_its_year_from_the_latest_reported_date() -> None:
    text = (
        "Ministry Slams Sanctions\n\n"
        "Pyongyang, June 13 (KCNA) -- A spokesman released a statement on Saturday in connection with the "
        "resolution adopted by the Security Council on June 12, 2009, calling it an intolerable insult.\n"
    )
    assert values(text) == {"2009-06-13", "2009-06-12"}


def test_a_year_less_dateline_far_from_the_reported_dates_stays_unresolved() -> None:
    text = (
        "North Korea says it will restart reactor\n\n"
        "SEOUL, Feb 13 (Reuters) - North Korea said on Wednesday it would restart its reactor, days after "
        "a test. The sinking of a warship in March 2010 and the shelling of an island in November 2010 "
        "have left ties at their lowest in decades.\n"
    )
    assert values(text) == {"2010-03", "2010-11"}  # which Feb 13, which Wednesday? the text does not say
