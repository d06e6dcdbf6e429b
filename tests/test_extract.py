"""Extraction, stage by stage, with cases an analyst would recognise."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.extract import extract
from explorer.extract.candidates import gazetteer_candidates, resolve_overlaps
from explorer.extract.gazetteer import matching_view
from explorer.extract.sentences import sentence_spans
from explorer.ingest import read_file
from explorer.model import Entity, Extraction, SourceDocument

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(text: str, published: str | None = None) -> Extraction:
    doc = SourceDocument(path="article.txt", text=text, published=published)
    return extract(doc)


def entity(ex: Extraction, name: str) -> Entity:
    for e in ex.entities:
        if e.name == name or name in e.aliases:
            return e
    names = [(e.name, e.aliases) for e in ex.entities]
    raise AssertionError(f"{name!r} not among {names}")


def names(ex: Extraction) -> set[str]:
    return {e.name for e in ex.entities}


# --- alias resolution ---------------------------------------------------------------------


def test_one_person_under_every_form_of_the_name() -> None:
    ex = run(
        "U.S. Special Representative Stephen W. Bosworth arrived in Seoul on Tuesday. "
        "Stephen Bosworth met officials there. Bosworth said the talks were useful. "
        "Later, Ambassador Bosworth flew to Tokyo."
    )
    people = [e for e in ex.entities if e.type == "person"]
    assert len(people) == 1
    bosworth = people[0]
    assert bosworth.name == "Stephen W. Bosworth"
    assert {"Stephen Bosworth", "Bosworth"} <= set(bosworth.aliases)
    assert bosworth.count == 4
    assert bosworth.roles and "Special Representative" in bosworth.roles[0]


def test_acronyms_and_short_forms_are_aliases_of_the_full_name() -> None:
    ex = run(
        "The U.N. Security Council met on Monday. The DPRK rejected the statement, and North Korea "
        "said the Security Council had no right to judge it. The United Nations said little."
    )
    assert entity(ex, "DPRK").name == "North Korea"
    council = entity(ex, "U.N. Security Council")
    assert council.name == "UN Security Council" and "Security Council" in council.aliases
    assert entity(ex, "U.N.").name == "United Nations" if any("U.N." in e.aliases for e in ex.entities) else True
    assert entity(ex, "United Nations").type == "organization"


def test_an_organisation_and_its_initials_are_one_entity() -> None:
    ex = run(
        "The National Committee on American Foreign Policy organised the seminar. "
        "A spokesman for the NCAFP said the meeting was private."
    )
    ncafp = entity(ex, "National Committee on American Foreign Policy")
    assert ncafp.type == "organization" and "NCAFP" in ncafp.aliases


def test_a_bare_family_name_goes_to_the_person_named_just_before() -> None:
    ex = run(
        "North Korean leader Kim Jong Il received the letter. Ambassador Sung Kim stayed in Beijing. "
        "Officials said Kim Gye Gwan would attend. The letter asked Kim Jong Il to return, and Kim "
        "agreed to consider it."
    )
    people = {e.name: e for e in ex.entities if e.type == "person"}
    assert {"Kim Jong Il", "Sung Kim", "Kim Gye Gwan"} <= set(people)
    assert "Kim" not in people  # never a person of its own
    assert "Kim" in people["Kim Jong Il"].aliases
    assert "Kim" not in people["Sung Kim"].aliases


def test_hyphen_and_minus_sign_spellings_of_a_name_merge() -> None:
    ex = run("Kim Jong\u2212il spoke first. Later Kim Jong-il spoke again, and the six\u2212party talks resumed.")
    kim = entity(ex, "Kim Jong-il")
    assert kim.count == 2
    assert entity(ex, "six\u2212party talks").name == "Six-Party Talks"


# --- terms, places, organisations -------------------------------------------------------------


def test_resolution_names_with_and_without_the_council() -> None:
    ex = run(
        "The Council adopted resolution 1874 (2009) on Friday. U.N. Security Council Resolution 1874 "
        "tightens the measures of resolution 1718 (2006)."
    )
    r1874 = entity(ex, "Resolution 1874")
    assert r1874.type == "term" and r1874.count == 2
    assert "U.N. Security Council Resolution 1874" in r1874.aliases
    assert entity(ex, "Resolution 1718").type == "term"


def test_n_party_talks_in_every_spelling_are_one_term() -> None:
    ex = run("The Six-Party Talks stalled. The six-party process may resume, said the six-nation forum.")
    talks = entity(ex, "Six-Party Talks")
    assert talks.type == "term" and talks.count == 3


def test_demonyms_are_not_places() -> None:
    ex = run("The Chinese hosts distributed a draft. North Korean officials and Japanese diplomats read it.")
    assert "China" not in names(ex)
    assert "North Korea" not in names(ex)
    assert "Japan" not in names(ex)


def test_gazetteer_matches_whole_words_only() -> None:
    view = matching_view("Omanis visited Oman; the Iranian envoy left Iran.")
    found = {view[c.start : c.end] for c in resolve_overlaps(gazetteer_candidates(view))}
    assert found == {"Oman", "Iran"}


def test_organisations_found_by_their_head_words() -> None:
    ex = run(
        "Stephen Bosworth, dean of the Fletcher School of Law and Diplomacy, spoke at the Center for "
        "International Policy. The Democratic Party of Japan won the election."
    )
    for name in ("Fletcher School of Law and Diplomacy", "Center for International Policy", "Democratic Party of Japan"):
        assert entity(ex, name).type == "organization"
    assert "Japan" not in names(ex)  # only inside the party's name here


def test_people_found_by_title_cue_and_speech_verb() -> None:
    ex = run(
        "Thai government spokesman Panitan Wattanayagorn told reporters the crew was detained. "
        "Panitan said the cargo was bound for the Middle East. Selig Harrison, director of the "
        "Asia Program, said the talks mattered."
    )
    panitan = entity(ex, "Panitan Wattanayagorn")
    assert panitan.type == "person" and "Panitan" in panitan.aliases
    assert entity(ex, "Selig Harrison").type == "person"
    assert entity(ex, "Middle East").type == "place"


def test_headline_capitals_are_not_names() -> None:
    ex = run("US to Send Envoy in Bid to Salvage North Korea Nuclear Talks\n\nThe envoy left on Monday.")
    assert names(ex) == {"United States", "North Korea"}


# --- sentences ------------------------------------------------------------------------------


def test_sentences_do_not_break_at_abbreviations_or_initials() -> None:
    text = "Philip J. Crowley met U.S. officials on Dec. 8 in Washington. He left. Mr. Ban stayed."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Philip J. Crowley met U.S. officials on Dec. 8 in Washington.",
        "He left.",
        "Mr. Ban stayed.",
    ]


# --- the seeds -------------------------------------------------------------------------------


def test_seed_article_people_roles_and_offsets() -> None:
    doc = read_file(SEEDS / "003_e5ca884f69089365.txt")
    assert isinstance(doc, SourceDocument)
    ex = extract(doc)
    bosworth = entity(ex, "Stephen Bosworth")
    assert bosworth.type == "person"
    assert bosworth.count == 7  # every "Bosworth" of the article
    assert any("special representative for North Korea policy" in role for role in bosworth.roles)
    for mention in bosworth.mentions:
        assert doc.text[mention.start : mention.end] == mention.text
    # furniture: the testimonial's people and acronyms are not entities of the article
    assert not any("Hajnoczi" in e.name for e in ex.entities)
    assert "Missile Technology Control Regime" not in names(ex)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")))
def test_every_mention_offset_points_at_its_text(path: Path) -> None:
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    ex = extract(doc)
    assert ex.entities and ex.events
    for e in ex.entities:
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text
    for ev in ex.events:
        assert doc.text[ev.start : ev.end] == ev.text
        assert ev.sentence


def test_an_acronym_defined_in_parentheses_names_the_organisation_everywhere() -> None:
    ex = run(
        "The Korean Peninsula Energy Development Organization (KEDO) ended its project on Wednesday. "
        "KEDO was set up in 1995, and its director, Charles Kartman, said the board had voted."
    )
    kedo = entity(ex, "Korean Peninsula Energy Development Organization")
    assert kedo.type == "organization" and kedo.count == 3 and "KEDO" in kedo.aliases
    assert entity(ex, "Charles Kartman").type == "person"


def test_coordinated_titles_and_names_are_split_at_and() -> None:
    ex = run(
        "National Security Advisor Jake Sullivan met with National Security Secretariat Secretary-General "
        "Shigeru Kitamura of Japan and National Security Office Director Suh Hoon of South Korea on Friday."
    )
    people = {e.name for e in ex.entities if e.type == "person"}
    orgs = {e.name for e in ex.entities if e.type == "organization"}
    assert people == {"Jake Sullivan", "Shigeru Kitamura", "Suh Hoon"}
    assert orgs == {"National Security Secretariat", "National Security Office"}


def test_byline_with_two_authors_and_packed_fields() -> None:
    from explorer.ingest.page import analyse_page

    doc = SourceDocument(path="a.txt", text=(
        "Will the Talks Survive?\n\nBy Leonor Tomero and Adam Ptacin | October 6, 2008 | 11:12 PM EST\n\n"
        "U.S. nuclear envoy Christopher Hill shook hands with his South Korean counterpart Kim Sook on "
        "October 3, 2008, and the two agreed on February 13 to meet again; February 13, 2007 was the last time.\n"
    ))
    analyse_page(doc)
    assert (doc.title, doc.author, doc.published) == (
        "Will the Talks Survive?", "Leonor Tomero and Adam Ptacin", "2008-10-06")
    ex = extract(doc)
    assert {"Leonor Tomero", "Adam Ptacin", "Christopher Hill", "Kim Sook"} <= names(ex)


def test_a_list_of_resolutions_names_each_and_none_is_a_year() -> None:
    ex = run("Members recalled Security Council resolutions 1718 (2006) and 1874 (2009) on Monday.", "2009-07-07")
    assert {"Resolution 1718", "Resolution 1874"} <= names(ex)
    assert not any(ev.date in ("1874", "1718") for ev in ex.events)


def test_a_named_ship_is_not_a_person() -> None:
    ex = run("The ship, the Kang Nam 1, was bound for Burma when it changed course.")
    assert not any(e.type == "person" for e in ex.entities)
    assert entity(ex, "Burma").name == "Myanmar"


def test_a_capitalised_common_word_before_said_is_not_a_person() -> None:
    ex = run("Reporters said the talks went well. The envoy told reporters little. Rice said nothing, "
             "Secretary of State Rice added.")
    people = {e.name for e in ex.entities if e.type == "person"}
    assert people == {"Rice"}


def test_a_long_document_extracted_in_pieces_gives_the_same_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.extract import pipeline

    text = "\n\n".join(
        [
            "Stephen Bosworth, the special envoy, arrived in Seoul on Monday. Bosworth met Kim Jong Il.",
            "The U.N. Security Council adopted Resolution 1874 in June 2009. The DPRK rejected it.",
            "Ambassador Bosworth said the Six-Party Talks would resume. Kim agreed, officials said.",
        ]
        * 5
    )
    whole = run(text, "2009-12-20")
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 200)
    assert len(pipeline.chunk_spans(text, 200)) > 5
    pieces = run(text, "2009-12-20")

    def summary(ex: Extraction) -> list[tuple[str, str, int, list[str]]]:
        return sorted((e.name, e.type, e.count, e.aliases) for e in ex.entities)

    assert summary(pieces) == summary(whole)
    assert [m.start for e in pieces.entities for m in e.mentions] == [m.start for e in whole.entities for m in e.mentions]
