"""Entities in newswire on any topic, and one entity per referent: hand-made cases for each
class of failure measured on public newswire (sport, business, politics; shouted headlines and
datelines; names cut too short or too long; spelling variants of one name)."""

from __future__ import annotations

from explorer.extract import extract
from explorer.extract.names import name_key, roles_differ
from explorer.model import Entity, Extraction, SourceDocument
from explorer.store.merge import LocalEntity, merge_entities


def run(text: str) -> Extraction:
    return extract(SourceDocument(path="wire.txt", text=text))


def kinds(ex: Extraction) -> dict[str, str]:
    """Every name and alias -> the type of its entity."""
    out = {}
    for e in ex.entities:
        for name in [e.name, *e.aliases]:
            out[name] = e.type
    return out


def entity(ex: Extraction, name: str) -> Entity:
    for e in ex.entities:
        if e.name == name or name in e.aliases:
            return e
    raise AssertionError(f"{name!r} not among {[(e.name, e.aliases) for e in ex.entities]}")


RESULTS_STORY = (
    "SOCCER - OLDHAM ATHLETIC HOLD STOCKPORT.\n"
    "MANCHESTER 1996-09-14\n"
    "Oldham Athletic drew 1-1 with Stockport County in the English second division on Saturday.\n"
    "Pavel Hrubes gave Oldham the lead in the 12th minute but Milan Dostal equalised for Stockport after "
    "halftime, a week after Oldham beat Tranmere Rovers 3-1 and Stockport lost 2-0 at home.\n"
    "Oldham: Hrubes, Dostal, Mazinho, Kelleher.\n"
    "Attendance: 8,500\n"
)


def test_clubs_are_organisations_at_their_full_extent_and_their_town_alone_is_the_club() -> None:
    ex = run(RESULTS_STORY)
    found = kinds(ex)
    assert found["Oldham Athletic"] == "organization"
    assert found["Stockport County"] == "organization"
    assert found["Tranmere Rovers"] == "organization"
    # in a results story the town's name alone is its club, one entity with the full name
    assert entity(ex, "Oldham").name == "Oldham Athletic"
    assert entity(ex, "Stockport").name == "Stockport County"


def test_the_shouted_dateline_gives_its_place_and_line_ups_give_people() -> None:
    ex = run(RESULTS_STORY)
    found = kinds(ex)
    assert found.get("Manchester") == "place" or found.get("MANCHESTER") == "place"
    for person in ("Pavel Hrubes", "Milan Dostal"):
        assert found[person] == "person"
        assert person.split()[-1] in entity(ex, person).aliases  # "Hrubes" in the line-up
    assert found["Mazinho"] == "person"  # a one-word name in a line-up


def test_a_name_is_read_at_its_true_extent() -> None:
    ex = run(
        "Japanese forward Hiroshi Nagano scored twice as his side won in Osaka on Sunday.\n"
        "The Democratic Party of Japan said it would study the result."
    )
    found = kinds(ex)
    assert found["Hiroshi Nagano"] == "person"
    assert "Nagano" not in found  # the city inside the player's name is not a place here
    assert found["Democratic Party of Japan"] == "organization"
    assert found["Osaka"] == "place"


def test_organisations_and_places_outside_sport() -> None:
    ex = run(
        "Shares in Vandermolen Holdings rose 3.2 percent in Amsterdam on Tuesday after the brewer "
        "reported higher first-half profits.\n"
        "The Czech daily Lidove Zpravy reported that the provincial government of Mpumalanga and the "
        "city council of Cluj-Napoca had signed the accord.\n"
        "The International Monetary Fund said growth would slow."
    )
    found = kinds(ex)
    assert found["Vandermolen Holdings"] == "organization"
    assert found["Lidove Zpravy"] == "organization"
    assert found["International Monetary Fund"] == "organization"
    for place in ("Amsterdam", "Mpumalanga", "Cluj-Napoca"):
        assert found[place] == "place", place


def test_a_name_only_in_a_shouted_headline_needs_the_article_or_a_dateline() -> None:
    ex = run(
        "DIPLOMACY - CONDEMNS TOUGHENS SANCTIONS OVER TEST.\n"
        "GENEVA 1996-10-02\n"
        "Delegates met in private on Wednesday and agreed to meet again next month.\n"
    )
    found = kinds(ex)
    assert "CONDEMNS" not in found and "TOUGHENS" not in found
    assert found.get("Geneva") == "place" or found.get("GENEVA") == "place"


def test_spelling_variants_of_one_name_are_one_person() -> None:
    ex = run(
        "North Korean negotiator Kim Gye Gwan arrived in Beijing on Monday. Kim Gye-gwan told "
        "reporters the talks would go on, and Kim Kye Gwan later met the envoy.\n"
        "The letter was addressed to Kim Jong\u2212il. Officials said Kim Jong Il had read it."
    )
    people = [e for e in ex.entities if e.type == "person"]
    names = sorted(e.name for e in people)
    assert len(people) == 2, names
    gye_gwan = entity(ex, "Kim Gye-gwan")
    assert {"Kim Gye Gwan", "Kim Kye Gwan"} <= {gye_gwan.name, *gye_gwan.aliases}
    jong_il = entity(ex, "Kim Jong Il")
    assert "Kim Jong\u2212il" in {jong_il.name, *jong_il.aliases}


def test_name_key_folds_dashes_romanisation_initials_and_honorifics() -> None:
    assert name_key("Kim Gye Gwan") == name_key("Kim Gye-gwan") == name_key("Kim Kye Gwan")
    assert name_key("Kim Jong\u2212il") == name_key("Kim Jong-il") == name_key("Kim Jong Il")
    assert name_key("Kim Jong Un") != name_key("Kim Jong Il")
    assert name_key("Ri Gun") == name_key("Lee Gun")
    assert name_key("Dr. Stephen W. Bosworth") == name_key("Stephen Bosworth")
    assert name_key("O\u2019Neill") == name_key("O'Neill")
    # a Western name is not folded as a romanisation ("Harvey" is not "Halvey")
    assert name_key("Lee Harvey Oswald") == "lee harvey oswald"


def test_the_store_merges_spelling_variants_across_documents_and_keeps_two_rices_apart() -> None:
    def local(doc: str, name: str, roles: list[str]) -> LocalEntity:
        return LocalEntity(doc_id=doc, index=0, name=name, type="person", aliases=[], roles=roles, offsets=[0, 4])

    merged, assignment = merge_entities([
        local("a", "Kim Gye-gwan", []),
        local("b", "Kim Kye Gwan", ["vice foreign minister"]),
        local("c", "Susan Rice", ["Ambassador to the United Nations"]),
        local("d", "Rice", ["Secretary of State"]),
    ])
    assert assignment[("a", 0)] == assignment[("b", 0)]
    assert assignment[("c", 0)] != assignment[("d", 0)]
    assert roles_differ(["Secretary of State"], ["Ambassador to the United Nations"])
    assert not roles_differ(["Secretary of State"], [])


def test_a_lone_surname_joins_the_one_person_of_that_name_across_documents() -> None:
    merged, assignment = merge_entities([
        LocalEntity("a", 0, "Susan Rice", "person", [], ["Ambassador"], [0, 4]),
        LocalEntity("b", 0, "Rice", "person", [], ["U.S. Ambassador"], [0, 4]),
    ])
    assert assignment[("a", 0)] == assignment[("b", 0)]


def test_places_ships_and_headlines_are_not_people() -> None:
    ex = run(
        "Ronda Hauben and Peter Dierks Respond\n\n"
        "The destroyer USS John S. McCain collided with a tanker east of Singapore. Korea said the "
        "talks would resume. The delegation flew to Ulaanbaatar on Monday.\n"
    )
    found = kinds(ex)
    assert found.get("USS John S. McCain") == "term" and "USS John" not in found
    assert found.get("Korea") == "place"
    assert found.get("Ulaanbaatar") == "place"
    assert not any(name.endswith("Respond") for name in found)
    assert not any(e.type == "person" and e.name in ("Korea", "Ulaanbaatar") for e in ex.entities)


def test_common_words_that_open_a_sentence_are_not_names() -> None:
    ex = run(
        "Obviously the talks were hard. Traders said prices would fall, and traders in London agreed.\n"
        "Humanitarian assistance, including food and medicine, was also discussed."
    )
    found = kinds(ex)
    for word in ("Obviously", "Traders", "Humanitarian"):
        assert word not in found, found
    assert found.get("London") == "place"
