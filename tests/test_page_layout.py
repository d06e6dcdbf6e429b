"""Whole-page analysis of web pages saved as text: the body, then headline, byline and date line by evidence.

Every page here is made up for one failure class of real text copies (navigation
before the article, a date line with a time or "Updated", a byline carrying the
date, menus and site names posing as headlines, mastheads and page stamps posing
as the article's date). None is copied from a real page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.extract import extract
from explorer.ingest import read_file
from explorer.ingest.page import analyse_page
from explorer.model import SourceDocument

MENU = [
    "Home", "World", "Politics", "Business", "Markets", "Technology", "Science", "Health", "Sport",
    "Football", "Cricket", "Tennis", "Culture", "Books", "Film", "Music", "Travel", "Food", "Opinion",
    "Letters", "Podcasts", "Video", "Weather", "Newsletters", "Puzzles", "Crosswords",
]

BODY = (
    "The harbour authority said on Tuesday that the new breakwater would be finished before the winter "
    "storms, after two years of delays caused by a shortage of granite and a dispute with the contractor.\n\n"
    "Officials told reporters that the project had cost more than was planned, but that the town could not "
    "afford to leave the old sea wall as it was, because the last three storms had flooded the lower streets.\n\n"
    "Residents who lost their homes in the floods of the previous year said they would believe the promise "
    "when they saw the work finished, and that the council had made the same promise twice before.\n\n"
    "The contractor declined to comment on the dispute, but a spokesman said that the granite had now "
    "arrived from the quarry and that the crews would work through the weekends until the end of October.\n"
)

RELATED = (
    "\nMore from News\n\n"
    "Bridge repairs to close the coast road for a month\nNovember 2, 2023\n\n"
    "Ferry timetable cut as the winter season begins\nOctober 30, 2023\n\n"
    "Fishing fleet returns early as prices fall at market\nOctober 27, 2023\n\n"
    "About us\nContact us\nPrivacy Policy\nTerms of Use\n\nHarbour Gazette\n"
)


def analysed(text: str) -> SourceDocument:
    doc = SourceDocument(path="page.txt", text=text)
    analyse_page(doc)
    return doc


def page(header: str, *, menu_lines: int = 12, top: str = "Harbour Gazette\n\n") -> str:
    menu = "\n".join((MENU * 4)[:menu_lines])
    return f"{top}Skip to main content\nToggle navigation\n{menu}\n\n{header}\n\n{BODY}{RELATED}"


def furniture_text(doc: SourceDocument) -> str:
    return "\n".join(doc.text[s:e] for s, e in doc.furniture)


def test_eighty_lines_of_navigation_before_the_headline() -> None:
    doc = analysed(page(
        "New breakwater to be finished before the winter storms\n\nBy Maria Lopez\nNovember 8, 2023",
        menu_lines=80,
    ))
    assert doc.title == "New breakwater to be finished before the winter storms"
    assert doc.author == "Maria Lopez"
    assert doc.published == "2023-11-08"
    assert doc.text[doc.body_start :].startswith("The harbour authority said on Tuesday")
    furniture = furniture_text(doc)
    assert "Toggle navigation" in furniture and "Crosswords" in furniture
    # Relative dates resolve against the article's own date, not the related list's.
    assert {ev.text: ev.date for ev in extract(doc).events}["Tuesday"] == "2023-11-07"


@pytest.mark.parametrize(
    ("date_line", "published"),
    [
        ("January 19, 2020 / 12:25 PM / Updated 8 hours ago", "2020-01-19"),
        ("Posted: Nov 8, 2023 / 04:43 PM CST / Updated: Nov 8, 2023 / 06:10 PM CST", "2023-11-08"),
        ("Published: 22:00 GMT, 26 September 2020 | Updated: 08:39 GMT, 28 September 2020", "2020-09-26"),
        ("08:44, 3 NOV 2023\nUpdated09:52, 3 NOV 2023", "2023-11-03"),
        ("Thursday, November 9, 2023 4:41AM", "2023-11-09"),
        ("Mar 28, 2016\u00b73 min read", "2016-03-28"),
        ("22:57 GMT 28.04.2020(updated 11:14 GMT 29.04.2020)", "2020-04-28"),
        ("November 9, 20235:01 AM ET", "2023-11-09"),
        ("28.04.2020", "2020-04-28"),
        ("2020-04-28", "2020-04-28"),
    ],
)
def test_a_date_line_with_a_time_or_an_update(date_line: str, published: str) -> None:
    doc = analysed(page(f"New breakwater to be finished before the winter storms\n\nBy Maria Lopez\n{date_line}"))
    assert doc.published == published
    assert doc.title == "New breakwater to be finished before the winter storms"


@pytest.mark.parametrize(
    ("byline", "author", "published"),
    [
        ("Posted on September 21, 2020 by Adi Tzlil", "Adi Tzlil", "2020-09-21"),
        ("Written by Ana Sandoiu on July 27, 2017", "Ana Sandoiu", "2017-07-27"),
        ("October 19, 2019 by IWB", "IWB", "2019-10-19"),
        ("By Amelie Marie Nishizawa Feb 8, 2020 5 min read", "Amelie Marie Nishizawa", "2020-02-08"),
        ("ByAlex Bozarjian\nThursday, November 9, 2023 4:41AM", "Alex Bozarjian", "2023-11-09"),
        ("By Eric Levitz@EricLevitz\nMay 16, 2020", "Eric Levitz", "2020-05-16"),
        ("By Ela on 31. October, 2023 | 18 Comments. This post may contain affiliate links.", "Ela", "2023-10-31"),
        ("Shana Nys DambrotNovember 6, 2023", "Shana Nys Dambrot", "2023-11-06"),
        ("By\nJames Whittaker\n-\nMay 4, 2022", "James Whittaker", "2022-05-04"),
        ("By Glen Owen And Brendan Carlin For The Mail On Sunday\n\nPublished: 26 September 2020",
         "Glen Owen and Brendan Carlin", "2020-09-26"),
    ],
)
def test_a_byline_with_the_date_on_it(byline: str, author: str, published: str) -> None:
    doc = analysed(page(f"New breakwater to be finished before the winter storms\n\n{byline}"))
    assert doc.author == author
    assert doc.published == published
    assert doc.title == "New breakwater to be finished before the winter storms"


@pytest.mark.parametrize(
    ("prose_date", "published"),
    [("on 3 November", "2020-04-12"), ("on November 3", "2020-12-04"), ("at 20:15", "2020-04-12")],
)
def test_a_numeric_day_is_read_the_way_the_page_writes_its_days(prose_date: str, published: str) -> None:
    text = f"Toggle navigation\n\nNew breakwater to be finished\n\n12/04/2020 by Kay 24 Comments\n\n{BODY}"
    doc = analysed(text.replace("before the winter storms,", f"before the winter storms {prose_date},"))
    assert doc.author == "Kay"
    assert doc.published == published


def test_names_with_roles_and_footnote_marks() -> None:
    doc = analysed(page(
        "This County Criminalized Students for Bad Grades\n\n"
        "Sarah Hinger, Staff Attorney, Racial Justice Program\n"
        "& Sylvia Torres, Director of Education Equity, Foundations of California\n"
        "July 25, 2019 | 11:15 PM"
    ))
    assert doc.author == "Sarah Hinger and Sylvia Torres"
    assert doc.published == "2019-07-25"
    doc = analysed(page("Drug Reaction with Eosinophilia and the Rheumatologist\n\nMarwan H. Adwan1\n\n"
                        "Published: 30 January 2017"))
    assert doc.author == "Marwan H. Adwan"


@pytest.mark.parametrize(
    "interface",
    ["Toggle navigation", "Skip to primary sidebar", "Accessibility links", "Go to contents",
     "Remember this site", "Update Consent", "Click to share on Twitter (Opens in new window)"],
)
def test_a_menu_or_interface_line_is_never_the_headline(interface: str) -> None:
    doc = analysed(f"{interface}\n\n{BODY}")
    assert doc.title != interface
    assert interface in furniture_text(doc)


def test_a_section_label_above_the_headline_is_not_the_headline() -> None:
    doc = analysed(page("National Security\n\nTV&Showbiz\n\n"
                        "Navy orders two more patrol boats for the northern coast\n\nBy Jane Roe\nMarch 3, 2021"))
    assert doc.title == "Navy orders two more patrol boats for the northern coast"


def test_the_site_name_repeated_at_top_and_foot_is_not_the_headline() -> None:
    # No byline or date: the headline is only told from the site's name by where each one sits.
    doc = analysed(page("Breakwater works resume at the harbour", top="Harbour Gazette\nThe coast's own paper\n\n"))
    assert doc.title == "Breakwater works resume at the harbour"


def test_a_dateline_or_the_authors_name_is_not_the_headline() -> None:
    doc = analysed(page("Washington, DC\n\nPeter Crail\nDecember 16, 2009"))
    assert doc.title is None or doc.title not in ("Washington, DC", "Peter Crail")
    assert doc.author == "Peter Crail"
    assert doc.published == "2009-12-16"


def test_a_deck_under_the_headline_is_not_the_headline() -> None:
    doc = analysed(page(
        "Coronavirus: fines for falsely reporting a contact to force them to self-isolate\n\n"
        "Pubs and bars face penalties for playing loud music or allowing singing and dancing\n\n"
        "Andrew Woodcock\nPolitical Editor\nMonday 28 September 2020 19:27"
    ))
    assert doc.title == "Coronavirus: fines for falsely reporting a contact to force them to self-isolate"
    assert doc.author == "Andrew Woodcock"
    assert doc.published == "2020-09-28"


def test_a_headline_over_a_photo_gallery_keeps_its_labelled_date() -> None:
    captions = "\n\n".join(
        f"HARBOUR, Nov. 7: Crews lay granite blocks on the new breakwater, which was begun two years ago "
        f"and delayed twice by storms that flooded the lower streets (photo {n} of 8)." for n in range(1, 9)
    )
    doc = analysed(page(f"Breakwater works resume at the harbour\n\n{captions}\n\nBy Jane Roe | Harbour Gazette\n"
                        "PUBLISHED: November 8, 2023 at 9:06 a.m. | UPDATED: November 8, 2023 at 9:26 a.m."))
    assert doc.published == "2023-11-08"


def test_a_masthead_date_is_today_not_the_article_and_is_no_event() -> None:
    masthead = "Harbour Gazette\n\nTuesday, December 8, 2020\n\nBusiness\nLocal Government\nReal Estate\nPolitics\n\n"
    doc = analysed(f"{masthead}Breakwater works resume at the harbour\n\n{BODY}")
    assert doc.published is None
    weather = "Thursday, Nov 5th 2020 7PM 6\u00b0C 10PM 7\u00b0C 5-Day Forecast\n\n"
    doc = analysed(page(f"{weather}Breakwater works resume at the harbour\n\nBy Jane Roe"))
    assert doc.published is None
    assert not any(ev.date.startswith("2020") for ev in extract(doc).events)


@pytest.mark.parametrize(
    "stamp",
    ["Modified on : 2019-10-19", "Last modified: October 19, 2019", "Printed on October 19, 2019",
     "Accessed 19 October 2019", "The Wayback Machine captured this page on 19 October 2019"],
)
def test_page_stamps_are_furniture_never_the_date_and_never_events(stamp: str) -> None:
    doc = analysed(page("Breakwater works resume at the harbour\n\nBy Jane Roe") + f"\n{stamp}\n")
    assert doc.published is None
    assert not any(ev.date.startswith("2019") for ev in extract(doc).events)


def test_dates_in_related_lists_and_comments_are_not_the_articles() -> None:
    comments = (
        "\n12 Comments\n\nMary K.\nNovember 9, 2023 at 8:14 am\n"
        "The council has promised this before and nothing happened at all.\n\n"
        "Tom B.\nNovember 10, 2023 at 6:02 pm\nWe will see in the spring whether the wall holds up.\n"
    )
    doc = analysed(page("Breakwater works resume at the harbour") + comments)
    assert doc.title == "Breakwater works resume at the harbour"
    assert doc.published is None


def test_a_cookie_notice_before_the_article_is_not_its_body() -> None:
    cookie = (
        "We use cookies and similar technologies to improve your experience on our site, to show you "
        "personalised advertising and to understand where our visitors come from. By continuing to use "
        "this site you agree to our use of cookies.\n\nAccept all\nManage preferences\n\n"
    )
    doc = analysed(page("New breakwater to be finished before the winter storms\n\nBy Maria Lopez\nNovember 8, 2023",
                        top=cookie))
    assert (doc.title, doc.author, doc.published) == (
        "New breakwater to be finished before the winter storms", "Maria Lopez", "2023-11-08")


def test_a_blog_with_its_date_under_the_article() -> None:
    text = (
        "Toggle navigation\n\nBio\nBlog\nContact\n\nCDPATH replacements\n\nblog\n\n"
        "After reading this post I figured I might as well improve on my CDPATH setup, especially because "
        "it does not work with the editor I use every day, so I looked around for alternatives.\n\n"
        "The shell jumpers keep track of the directories you visit and take you back to them by a part of "
        "their name, which is what I wanted from the start and what the old setup never did.\n\n"
        "Add a comment\n\nCreated on Sunday, October 18th, 2020. Edited on Sunday, October 25th, 2020.\n"
    )
    doc = analysed(text)
    assert doc.title == "CDPATH replacements"
    assert doc.published == "2020-10-18"


def test_non_english_month_names() -> None:
    doc = analysed("Politique de confidentialité\n\nmardi 5 juin 2018\n\n" + BODY)
    assert doc.published == "2018-06-05"


def test_a_markdown_clip_of_a_web_page_gets_the_same_analysis(tmp_path: Path) -> None:
    path = tmp_path / "clip.md"
    path.write_text(
        "- [Home](/)\n- [World](/world)\n- [Business](/business)\n\n"
        "# New breakwater to be finished before the winter storms\n\n"
        "By Maria Lopez | November 8, 2023\n\n" + BODY,
        encoding="utf-8",
    )
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    assert doc.title == "New breakwater to be finished before the winter storms"
    assert doc.author == "Maria Lopez"
    assert doc.published == "2023-11-08"


def test_a_markdown_clip_opening_with_its_menu_heading(tmp_path: Path) -> None:
    path = tmp_path / "clip.md"
    path.write_text(
        "## Menu\n\n- [Home](/)\n- [World](/world)\n\n"
        "New breakwater to be finished before the winter storms\n\nBy Maria Lopez\n\n" + BODY,
        encoding="utf-8",
    )
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    assert doc.title == "New breakwater to be finished before the winter storms"
    assert doc.author == "Maria Lopez"


@pytest.mark.parametrize(
    ("footer", "author"),
    [
        ("Posted by Alex Duran, Project Marketing, Example Corp", "Alex Duran"),
        ("Author: Jacopo Rossi\nPublished: 03 December 2019\nUpdated: 06 December 2019", "Jacopo Rossi"),
        ("About the Author - Florina Ionescu\n\nHi! My name is Florina and I have grown plants for years.", "Florina Ionescu"),
    ],
)
def test_a_byline_under_the_article(footer: str, author: str) -> None:
    doc = analysed(f"Toggle navigation\n\nBio\nBlog\nContact\n\nBreakwater works resume at the harbour\n\n{BODY}\n{footer}\n")
    assert doc.title == "Breakwater works resume at the harbour"
    assert doc.author == author


def test_a_sentence_with_by_after_a_date_is_no_byline() -> None:
    doc = analysed(page(
        "Breakwater works resume at the harbour\n\n"
        "The council said the works stopped on Sept. 27 by order of the court, and resumed last week."
    ))
    assert doc.author is None
