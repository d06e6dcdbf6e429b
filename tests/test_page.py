"""Page analysis of saved articles: furniture, headline, byline, the article's own date."""

from __future__ import annotations

from explorer.extract import extract
from explorer.ingest.page import analyse_page
from explorer.model import SourceDocument

NAV_PAGE = """Skip to main content
Login/Logout
World | Asia

Envoy Meets Officials in Seoul on Sanctions

Share this

By Maria Lopez
Staff Writer
March 3, 2010

SEOUL \u2014 The U.S. envoy for North Korea policy met South Korean officials on Tuesday to discuss how the
sanctions adopted last year are being enforced, and said he would travel to Beijing next week for more talks.
"""

TESTIMONIAL_PAGE = """Login/Logout

"Your fact sheets are the best on the web and I use them every day."

\u2013 Amb. John Smith
Chair, Some Regime
May 19, 2021
Envoy Holds Talks in Pyongyang

Peter Crail

The envoy held talks with officials Dec. 8-10 in an attempt to restart the negotiations that Pyongyang abandoned
in April, and the White House said on Dec. 16 that the talks were useful. (See ACT, October 2009.) The envoy had
been appointed in February. (See ACT, March 2009.)
"""


def analysed(text: str) -> SourceDocument:
    doc = SourceDocument(path="page.txt", text=text)
    analyse_page(doc)
    return doc


def test_headline_byline_and_date_line_of_a_saved_page() -> None:
    doc = analysed(NAV_PAGE)
    assert doc.title == "Envoy Meets Officials in Seoul on Sanctions"
    assert doc.author == "Maria Lopez"
    assert doc.published == "2010-03-03"
    furniture = [doc.text[s:e] for s, e in doc.furniture]
    assert any("Skip to main content" in f for f in furniture)
    assert any("Share this" in f for f in furniture)
    assert doc.text[doc.body_start :].startswith("SEOUL")


def test_relative_dates_resolve_against_the_page_date() -> None:
    ex = extract(analysed(NAV_PAGE))
    got = {ev.text: ev.date for ev in ex.events}
    assert got["Tuesday"] == "2010-03-02"
    assert got["last year"] == "2009"
    assert got["next week"] == "2010-03-08/2010-03-14"


def test_a_testimonial_box_date_is_furniture_not_the_publication_date() -> None:
    doc = analysed(TESTIMONIAL_PAGE)
    assert doc.published is None
    assert doc.title == "Envoy Holds Talks in Pyongyang"
    assert doc.author == "Peter Crail"
    ex = extract(doc)
    assert not any(ev.date.startswith("2021") for ev in ex.events)
    assert not any("Smith" in e.name for e in ex.entities)
    # no page date: the article's own dates (2009, twice) anchor the year-less ones
    got = {ev.text: ev.date for ev in ex.events}
    assert got["Dec. 8-10"] == "2009-12-08/2009-12-10"
    assert got["April"] == "2009-04"


def test_a_page_that_is_only_body_has_no_title_author_or_date() -> None:
    doc = analysed(
        "Stephen Bosworth plans to travel to the North Korean capital tomorrow for bilateral discussions aimed at "
        "bringing the nation back to talks on its nuclear program, officials said on the record.\n"
    )
    assert (doc.title, doc.author, doc.published) == (None, None, None)
    assert doc.furniture == []


def test_a_block_of_unrelated_headline_links_is_furniture() -> None:
    body = (
        "At a press conference held in New York City on Tuesday, the envoy answered questions and outlined "
        "some of his concerns regarding the recent session of the talks held in Beijing.\n\n"
        "Democracy's Downfall\nTechnology Can Save Money, Planet\nCouchsurfing in Gaza\n"
        "Happy 10th Birthday to Our Paper\n"
        "When the envoy was asked how difficult the process was, he said it had never been an easy sell.\n"
    )
    doc = analysed(body)
    assert any("Couchsurfing in Gaza" in doc.text[s:e] for s, e in doc.furniture)
    assert "Gaza Strip" not in {e.name for e in extract(doc).entities}


def test_a_headline_in_capitals_is_the_title_when_there_is_no_other() -> None:
    doc = analysed(
        "SC/9634\n\nSECURITY COUNCIL CONDEMNS LAUNCH, AGREES TO ADJUST TRAVEL BAN\n\n13 April 2009\n"
        "Department of Public Information\n\nThe Security Council this afternoon condemned the launch carried "
        "out on 5 April, in contravention of resolution 1718 (2006), which barred missile activities.\n"
    )
    assert doc.title == "SECURITY COUNCIL CONDEMNS LAUNCH, AGREES TO ADJUST TRAVEL BAN"
    assert doc.published == "2009-04-13"


def test_a_short_headline_is_not_mistaken_for_an_author_line() -> None:
    doc = analysed(
        "Energy Aid Consortium Closes\n\nBy Jane Doe\nJune 1, 2006\n\nThe consortium formally ended its "
        "light-water reactor project on Wednesday after the board voted to terminate the project.\n"
    )
    assert (doc.title, doc.author) == ("Energy Aid Consortium Closes", "Jane Doe")
