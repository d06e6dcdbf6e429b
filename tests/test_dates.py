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


def test_a_bare_year_needs_a_preposition_or_a_noun_to_date() -> None:
    assert values("They agreed in 2005 and again in 2007, as they had since 2003.") == {"2005", "2007", "2003"}
    assert values("The 2005 statement and 1,874 tons.") == {"2005"}
    assert values("Police counted 2005 protesters and 1,874 tons of rice.") == set()


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


# --- issue 9: dates as TempEval reads them (hand-made cases, one per class) ---------------


def test_a_range_of_years_is_one_span_and_its_two_ends() -> None:
    got = dates("The Korean War, which took place from 1950 to 1953, ended in an armistice.", "2009-12-01")
    assert ("from 1950 to 1953", "1950/1953") in got
    assert {"1950", "1953"} <= {value for _, value in got}  # each end is a dated point of its own
    assert values("The 2009-2010 budget and the 1957-58 season.", "2009-12-01") >= {"2009/2010", "1957/1958"}
    assert "1994/1997" in values("Three attacks took place between 1994 and 1997.", "1999-01-01")


def test_two_years_joined_by_and_stay_two_years() -> None:
    assert values("Earnings will fall in both 1990 and 1991.", "1989-10-30") == {"1990", "1991"}


def test_n_units_ago_count_back_from_the_article_date() -> None:
    got = dict(dates(
        "The genocide happened nearly four years ago. Talks began two weeks ago and ended 10 days ago. "
        "Five months ago he left. A year ago sales were higher.",
        "1998-02-27",
    ))
    assert got["nearly four years ago"] == "1994"
    assert got["two weeks ago"] == "1998-02-13"
    assert got["10 days ago"] == "1998-02-17"
    assert got["Five months ago"] == "1997-09"
    assert got["A year ago"] == "1997"


def test_vague_counts_back_are_not_dates() -> None:
    assert dates("A few years ago and more than four decades ago, several months ago.", "2000-01-15") == []


def test_a_year_earlier_and_the_following_year_count_from_the_date_last_mentioned() -> None:
    got = dict(dates(
        "Sales were $1.4 billion a year earlier. On May 22, 1995, he was promoted, and the following year "
        "he moved. Costs were lower than the previous year.",
        "1989-10-26",
    ))
    assert got["a year earlier"] == "1988"  # nothing mentioned yet: from the article's own year
    assert got["the following year"] == "1996"
    assert got["the previous year"] == "1994"
    got = dict(dates("The meeting was held Oct. 31, 1989. The next day, police came.", "1999-01-01"))
    assert got["The next day"] == "1989-11-01"


def test_years_that_date_a_noun_are_events() -> None:
    got = dict(dates(
        "He is charged in the 1996 Olympic bombing and a 2010 commando raid; the group fell apart in mid-1996, "
        "long after the post-1959 politics and his unsuccessful 1988 campaign.",
        "2011-05-06",
    ))
    assert got["1996"] == "1996"
    assert got["2010"] == "2010"
    assert got["mid-1996"] == "1996"
    assert got["post-1959"] == "1959"
    assert got["1988"] == "1988"


def test_counts_and_identifiers_shaped_like_years_are_not_events() -> None:
    text = (
        "The Council adopted Resolution 1874 after resolutions 1718 and 1874 failed; full implementation of 1874 "
        "is required. Police counted 2000 protesters, the 1800 troops withdrew, and the 1718 Committee met on "
        "page 2009. He paid $1990 for flight 1996."
    )
    assert dates(text, "2009-06-12") == []


def test_fiscal_years_quarters_and_year_end() -> None:
    got = dict(dates(
        "In fiscal 1989 it earned more; for the current fiscal year it expects less. Third-quarter profit rose. "
        "The third quarter of 2009 was weak. It hopes to close the sale by year-end.",
        "1989-11-02",
    ))
    assert got["fiscal 1989"] == "1989"
    assert got["the current fiscal year"] == "1989"
    assert got["Third-quarter"] == "1989-07/1989-09"
    assert got["The third quarter of 2009"] == "2009-07/2009-09"
    assert got["year-end"] == "1989"


def test_a_company_quarter_that_ends_on_its_own_date_is_not_a_calendar_quarter() -> None:
    got = dict(dates("Net rose in the fiscal fourth quarter ended Sept. 30.", "1989-11-02"))
    assert got == {"Sept. 30": "1989-09-30"}


def test_spoken_years() -> None:
    got = dict(dates(
        "In nineteen ninety-one he was convicted. January nineteen ninety-seven brought another bomb. "
        "By the year two thousand it will be done. Prices last fell in the winter of nineteen ninety-four.",
        "1998-01-15",
    ))
    assert got["nineteen ninety-one"] == "1991"
    assert got["January nineteen ninety-seven"] == "1997-01"
    assert got["the year two thousand"] == "2000"
    assert got["the winter of nineteen ninety-four"] == "1994-WI"
    assert dates("Two thousand people marched.", "1998-01-15") == []  # a count, not a year


def test_a_weekday_in_a_sentence_about_plans_lies_ahead() -> None:
    # 1998-08-17 is a Monday
    got = dates(
        "Albright is scheduled to arrive Tuesday. The talks will resume Thursday. He met officials Friday.",
        "1998-08-17",
    )
    assert got == [("Tuesday", "1998-08-18"), ("Thursday", "1998-08-20"), ("Friday", "1998-08-14")]
    got = dict(dates("The deadline was extended until 9 a.m. Tuesday.", "2000-04-03"))
    assert got["Tuesday"] == "2000-04-04"
    got = dict(dates("Thirty members had filed their reports by Wednesday.", "2000-04-03"))
    assert got["Wednesday"] == "2000-03-29"


def test_last_and_next_weekday_skip_the_current_week() -> None:
    got = dict(dates("Orkem said last Wednesday that talks would resume next Wednesday.", "1989-11-01"))
    assert got == {"last Wednesday": "1989-10-25", "next Wednesday": "1989-11-08"}


def test_one_weekday_name_is_one_day_in_a_story() -> None:
    # The second "Tuesday" says nothing of tense; the first one's plan decides both.
    got = dates("Albright plans to land in Nairobi on Tuesday. Tuesday morning she sees the embassy.", "1998-08-17")
    assert [value for _, value in got] == ["1998-08-18", "1998-08-18"]


def test_a_month_in_a_sentence_about_plans_lies_ahead() -> None:
    got = dates("The committee plans to meet in January to review the plan. Sales fell in January.", "1989-10-15")
    assert got == [("January", "1990-01"), ("January", "1989-01")]
    got = dict(dates("Collins will be named commander for a mission in December.", "1998-03-04"))
    assert got["December"] == "1998-12"
    got = dict(dates("The funeral home changed to a calendar year in December.", "1989-10-27"))
    assert got["December"] == "1988-12"


def test_month_phrases_without_a_day() -> None:
    got = dict(dates(
        "Results are due in mid-November. Prices fell from the middle of October. He left at the beginning of "
        "September under a June agreement. In January this year the plan began.",
        "1989-10-27",
    ))
    assert got["mid-November"] == "1989-11"
    assert got["October"] == "1989-10"
    assert got["September"] == "1989-09"
    assert got["June"] == "1989-06"
    assert got["January this year"] == "1989-01"


def test_seasons_named_without_a_year() -> None:
    got = dict(dates("Over the summer, rivals cut prices. This past spring it closed its plant.", "1989-10-26"))
    assert got == {"the summer": "1989-SU", "This past spring": "1989-SP"}
    assert dates("The fall of the Berlin Wall and the summer heat.", "1989-11-20") == []


def test_holidays_that_name_one_day() -> None:
    got = dict(dates(
        "The boy was found on Thanksgiving Day. He will be home by Christmas Eve. Easter Sunday was quiet.",
        "2000-01-07",
    ))
    assert got["Thanksgiving Day"] == "1999-11-25"
    assert got["Christmas Eve"] == "2000-12-24"
    assert got["Easter Sunday"] == "1999-04-04"
    assert dates("They sold Christmas trees on Easter Island.", "2000-01-07") == []
    assert values("NYMEX will be closed Monday due to Labor Day.", "1996-08-30") == {"1996-09-02"}


def test_decades_and_centuries_keep_their_extent() -> None:
    assert values("Prices rose in the late 1970s, the worst of the 20th century.", "1998-02-19") == {
        "1970/1979", "1900/1999",
    }


def test_the_weekend() -> None:
    # 2000-04-24 is a Monday
    assert values("The relatives gave in over the weekend.", "2000-04-24") == {"2000-04-22/2000-04-23"}
    assert values("They will rally this weekend.", "2000-04-20") == {"2000-04-22/2000-04-23"}


def test_without_a_page_date_counts_back_stay_unresolved_but_stated_dates_remain() -> None:
    text = "The war ended in 1953. Four years ago the talks failed; a year later they resumed on May 5, 2009."
    got = dict(dates(text))
    assert got["1953"] == "1953"
    assert got["May 5, 2009"] == "2009-05-05"
    assert "Four years ago" not in got  # no article date to count back from


def test_the_words_around_a_weekday_decide_its_direction() -> None:
    # 2000-04-05 is a Wednesday
    got = dates('"The father will leave at 4 in the morning (4 a.m. Thursday)," Castro said.', "2000-04-05")
    assert got == [("Thursday", "2000-04-06")]  # "said" after the quotation does not date the plan
    assert values("Shares rose 5% from Tuesday's close.", "2000-04-05") == {"2000-04-04"}
    assert values("The new pact becomes binding effective Feb. 1.", "1989-10-26") == {"1990-02-01"}
    assert values("The carrier has been on patrol since March.", "1990-08-13") == {"1990-03"}


def test_a_year_later_needs_a_date_in_the_same_passage() -> None:
    far = " ".join(["The troops marched on without rest."] * 15)
    got = values(f"The city fell on May 22, 1995. {far} Napoleon entered Moscow a year later.", "1996-08-30")
    assert got == {"1995-05-22"}


def test_a_place_and_date_line_above_the_body_dates_it() -> None:
    text = (
        "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP\nLONDON 1996-08-30\n"
        "West Indian all-rounder Phil Simmons took four for 38 on Friday as Leicestershire beat Somerset.\n"
    )
    assert values(text) == {"1996-08-30"}  # "on Friday" is the dateline's own day
