"""Search that knows how names vary: a hand-written query set, each case asserting the entity a
user means comes first.

Romanisation (Gye/Kye, Jeong/Chung, Zedong/Tse-tung), hyphenation and joined or split
words (Jong Il/Jong-il/Jongil), typos in short name parts, reordered names, initials,
acronyms, numbers (exact), and ranking (exact and full names above variants and typos,
the more mentioned entity winning ties). On the bundled seeds (real extraction), on
hand-written name lists and on a small hand-written corpus for passages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_fakes import use_fake_extractor, write_articles

from explorer.model import CorpusEntity, SearchHit
from explorer.search import SearchIndex, cache_path_for
from explorer.store import index_corpus, open_store

ROOT = Path(__file__).resolve().parent.parent


class Names:
    """A corpus of entities only: (name, type, aliases, mentions), most mentioned first."""

    def __init__(self, entities: list[tuple[str, str, list[str], int]]) -> None:
        ordered = sorted(entities, key=lambda e: -e[3])
        self._entities = [CorpusEntity(f"e{i}", name, type_, aliases, [], count, 1)  # type: ignore[arg-type]
                          for i, (name, type_, aliases, count) in enumerate(ordered)]

    def entities(self) -> list[CorpusEntity]:
        return self._entities

    def documents(self) -> list:
        return []


def names_index(*entities: tuple[str, str, list[str], int] | str) -> SearchIndex:
    """An index of these entities; a bare string is a person mentioned once."""
    return SearchIndex.build_fresh(Names([(e, "person", [], 1) if isinstance(e, str) else e for e in entities]))


def entity_names(hits: list[SearchHit]) -> list[str]:
    return [h.name for h in hits if h.kind == "entity"]


def first_entity(index: SearchIndex, query: str) -> str | None:
    names = entity_names(index.search(query))
    return names[0] if names else None


# -- the seeds, extracted by the real extractor ------------------------------------------------

@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    db = tmp_path_factory.mktemp("seeds") / "store.json"
    index_corpus([ROOT / "seeds"], db, workers=1)
    return SearchIndex.build_fresh(open_store(db))


@pytest.mark.parametrize(("query", "meant"), [
    # Romanisation: the seeds write Kim Gye Gwan and Kang Sok Ju.
    ("Kim Kye Gwan", "Kim Gye Gwan"),
    ("Kim Kye-gwan", "Kim Gye Gwan"),
    ("kim kyegwan", "Kim Gye Gwan"),
    ("Kang Seok-ju", "Kang Sok Ju"),
    ("Kang Sok-ju", "Kang Sok Ju"),
    ("Kang Sokju", "Kang Sok Ju"),
    ("Gang Sok Chu", "Kang Sok Ju"),
    # Joined, split and hyphenated: the seeds write Kim Jong Il.
    ("Kim Jongil", "Kim Jong Il"),
    ("Kim Jong-il", "Kim Jong Il"),
    ("KimJongIl", "Kim Jong Il"),
    ("Jongil", "Kim Jong Il"),
    ("Kim Jongi", "Kim Jong Il"),  # still typing
    ("Yu Myunghwan", "Yu Myung-hwan"),
    ("Yu Myung Hwan", "Yu Myung-hwan"),
    ("Sixparty talks", "Six-Party Talks"),
    ("six party", "Six-Party Talks"),
    # Reordered names, initials, other spellings and typos of Western names.
    ("Bosworth Stephen", "Stephen Bosworth"),
    ("S. Bosworth", "Stephen Bosworth"),
    ("S Bosworth", "Stephen Bosworth"),
    ("Stephen W. Bosworth", "Stephen Bosworth"),  # a middle initial the text leaves out
    ("Steven Bosworth", "Stephen Bosworth"),
    ("Kurt Cambell", "Kurt Campbell"),
    ("Campbell Kurt", "Kurt Campbell"),
    ("Okada Katsuya", "Katsuya Okada"),
    ("Hillary Clinton", "Hillary Rodham Clinton"),
    ("H. R. Clinton", "Hillary Rodham Clinton"),
    # Acronyms by initials.
    ("UNSC", "UN Security Council"),
    ("DPJ", "Democratic Party of Japan"),
])
def test_the_meant_entity_comes_first_on_the_seeds(seeds: SearchIndex, query: str, meant: str) -> None:
    assert first_entity(seeds, query) == meant


def test_a_variant_is_found_while_it_is_typed(seeds: SearchIndex) -> None:
    for typed in ("Kim Ky", "Kim Kye", "Kim Kye ", "Kim Kye G", "Kim Kye Gw", "Kim Kye Gwa"):
        assert first_entity(seeds, typed) == "Kim Gye Gwan", typed
    for typed in ("Kim Jongi", "Kim Jongil", "Kimjong", "Kimjongi"):
        assert first_entity(seeds, typed) == "Kim Jong Il", typed


def test_a_variant_finds_the_passage_too(seeds: SearchIndex) -> None:
    for query, written in (("Kim Kye Gwan", "Kim Gye Gwan"), ("Kim Jongil", "Kim Jong Il")):
        passages = [h for h in seeds.search(query) if h.kind == "passage"]
        assert passages and written in passages[0].snippet, query
        marked = " ".join(passages[0].snippet[s:e] for s, e in passages[0].highlights)
        assert all(part in marked for part in written.split()), (query, marked)


def test_numbers_stay_exact_on_the_seeds(seeds: SearchIndex) -> None:
    # The seeds cite Resolution 1874 and never 1718.
    assert first_entity(seeds, "Resolution 1874") == "Resolution 1874"
    for query in ("1718", "Resolution 1718", "UNSC 1718", "resolution 1784", "1875"):
        assert not any("1874" in h.snippet or h.name == "Resolution 1874" for h in seeds.search(query)), query


def test_a_short_query_does_not_match_everything_on_the_seeds(seeds: SearchIndex) -> None:
    for query in ("Kim", "Kim "):
        names = entity_names(seeds.search(query))
        assert names[:1] == ["Kim Jong Il"]  # the Kim the text calls "Kim"
        assert set(names) == {"Kim Jong Il", "Sung Kim", "Kim Gye Gwan"}, query
    assert entity_names(seeds.search("Yu")) == ["Yu Myung-hwan"]


# -- romanisation variants on hand-written names ----------------------------------------------

KOREAN_AND_CHINESE = names_index(
    "Kim Gye Gwan", "Kim Jong Il", "Kim Dae-jung", "Kang Sok Ju", "Park Geun-hye", "Lee Myung-bak",
    "Jeong Se-hyun", "Mao Zedong", "Deng Xiaoping", "Zhou Enlai", "Hu Jintao", "Kim Jong Un",
    "Ban Ki-moon", "Choe Son Hui", "Moon Jae-in", "Roh Moo-hyun", "Qian Qichen",
)


@pytest.mark.parametrize(("query", "meant"), [
    ("Kim Kye Kwan", "Kim Gye Gwan"),  # g/k
    ("Kim Tae Jung", "Kim Dae-jung"),  # d/t
    ("Kim Daejung", "Kim Dae-jung"),
    ("Pak Geun Hye", "Park Geun-hye"),  # Park/Pak
    ("Bak Geunhye", "Park Geun-hye"),
    ("Rhee Myung Bak", "Lee Myung-bak"),  # Lee/Rhee, l/r
    ("Li Myungbak", "Lee Myung-bak"),
    ("Chung Se Hyun", "Jeong Se-hyun"),  # j/ch, eo/o, ung/ong
    ("Jung Sehyun", "Jeong Se-hyun"),
    ("Mao Tse-tung", "Mao Zedong"),  # Wade-Giles and Pinyin
    ("Mao Tsetung", "Mao Zedong"),
    ("Teng Hsiao-ping", "Deng Xiaoping"),
    ("Chou En-lai", "Zhou Enlai"),
    ("Chien Chichen", "Qian Qichen"),
    ("Pan Gi Mun", "Ban Ki-moon"),  # b/p, g/k, oo/u
    ("Mun Jae In", "Moon Jae-in"),
    ("Kim Jong Nam", None),  # no such name: nothing rather than another Kim Jong
    ("Kim Jong-un", "Kim Jong Un"),
    ("Kim Jongun", "Kim Jong Un"),
    ("Jintao Hu", "Hu Jintao"),
])
def test_romanisation_variants_find_the_name(query: str, meant: str | None) -> None:
    assert first_entity(KOREAN_AND_CHINESE, query) == meant


def test_a_variant_ranks_below_the_name_as_written() -> None:
    # Two documents spelled one envoy two ways; the store keeps two entities.
    index = names_index(("Kim Kye Gwan", "person", [], 30), ("Kim Gye Gwan", "person", [], 2))
    assert entity_names(index.search("Kim Gye Gwan")) == ["Kim Gye Gwan", "Kim Kye Gwan"]
    assert entity_names(index.search("Kim Kye Gwan")) == ["Kim Kye Gwan", "Kim Gye Gwan"]
    written, variant = index.search("Kim Gye Gwan")[:2]
    assert written.score > variant.score


# -- typos in short name parts ----------------------------------------------------------------

def test_a_one_letter_typo_in_a_short_name_part() -> None:
    index = names_index("Kim Gye Gwan", "Kim Jong Il", "Jon Stewart", "Dawei Port", "Stephan Haggard",
                        "Stephen Bosworth")
    assert first_entity(index, "Kim Gey Gwan") == "Kim Gye Gwan"  # transposed, three letters
    assert first_entity(index, "Kim Gye Gwam") == "Kim Gye Gwan"
    assert first_entity(index, "Kim Jon Il") == "Kim Jong Il"  # "Jon" is another corpus word
    assert first_entity(index, "Dawie") == "Dawei Port"
    assert first_entity(index, "Stephan Bosworth") == "Stephen Bosworth"  # "Stephan" is a corpus word
    # Where the typo is itself a name, that name comes first and the neighbour follows.
    both = names_index("Dawie Fourie", "Dawei Port")
    assert entity_names(both.search("Dawie ")) == ["Dawie Fourie", "Dawei Port"]


def test_a_typo_never_outranks_the_name_as_written() -> None:
    index = names_index(("Kim Jong Il", "person", [], 100), ("Kim Jong Ul", "person", [], 1),
                        ("Kim Jong Un", "person", [], 50))
    assert entity_names(index.search("Kim Jong Ul"))[0] == "Kim Jong Ul"
    assert entity_names(index.search("Kim Jong Un"))[0] == "Kim Jong Un"


# -- initials and reordering ------------------------------------------------------------------

def test_initials_and_reordered_names() -> None:
    index = names_index(("Mary Bosworth", "person", [], 40), ("Stephen W. Bosworth", "person", [], 5),
                        ("Stephen Kaufman", "person", [], 20), ("Sung Kim", "person", [], 10))
    for query in ("S. Bosworth", "S Bosworth", "Bosworth S", "Bosworth, Stephen", "S.W. Bosworth",
                  "S. W. Bosworth", "Stephen Bosworth", "Bosworth Stephen W"):
        assert first_entity(index, query) == "Stephen W. Bosworth", query
    assert first_entity(index, "M. Bosworth") == "Mary Bosworth"
    # A leading initial that fits no given name leaves the name below one it fits.
    assert entity_names(index.search("S. Bosworth"))[:2] == ["Stephen W. Bosworth", "Mary Bosworth"]
    assert first_entity(index, "Kim Sung") == "Sung Kim"


# -- acronyms by initials -----------------------------------------------------------------------

def test_acronyms_by_initials() -> None:
    index = names_index(
        ("Korean Central News Agency", "organization", [], 3),
        ("UN Security Council", "organization", [], 8),
        ("International Atomic Energy Agency", "organization", [], 5),
        ("Korea Central Bank", "organization", [], 9),
        ("Democratic People's Republic of Korea", "place", ["North Korea"], 50),
        ("KCNA", "organization", [], 1),
        ("IAEA", "organization", [], 1),
    )
    assert entity_names(index.search("KCNA"))[:2] == ["Korean Central News Agency", "KCNA"]
    assert first_entity(index, "K.C.N.A.") == "Korean Central News Agency"
    assert first_entity(index, "UNSC") == "UN Security Council"
    assert first_entity(index, "DPRK") == "Democratic People's Republic of Korea"
    # The other way: the name spelled out finds the entity the corpus calls by its acronym.
    assert "IAEA" in entity_names(index.search("International Atomic Energy Agency"))
    only_acronym = names_index(("KCNA", "organization", [], 1), ("Korea Times", "organization", [], 9))
    assert entity_names(only_acronym.search("Korean Central News Agency")) == ["KCNA"]


# -- numbers ------------------------------------------------------------------------------------

def test_numbers_are_exact() -> None:
    index = names_index(("Resolution 1718", "term", ["UN Security Council Resolution 1718"], 4),
                        ("Resolution 1874", "term", [], 9), ("Resolution 2087", "term", [], 2),
                        ("UN Security Council", "organization", [], 20))
    assert entity_names(index.search("1874")) == ["Resolution 1874"]
    assert entity_names(index.search("Resolution 1718")) == ["Resolution 1718"]
    assert first_entity(index, "UNSC 1718") == "Resolution 1718"
    assert "Resolution 1874" not in entity_names(index.search("UNSC 1718"))
    assert entity_names(index.search("resolution 1784")) == []  # a slip in a number finds nothing
    assert entity_names(index.search("Resolution 17")) == ["Resolution 1718"]  # still typing
    assert entity_names(index.search("Resolution 17 ")) == []


def test_an_acronym_beside_a_number_may_be_missing_from_the_name() -> None:
    index = names_index(("Resolution 1718", "term", [], 1), ("UN Security Council", "organization", [], 20),
                        ("Resolution 1874", "term", ["UNSC Resolution 1874"], 2))
    assert first_entity(index, "UNSC 1718") == "Resolution 1718"
    assert entity_names(index.search("UNSC 1874"))[0] == "Resolution 1874"
    whole = index.search("UNSC 1874")[0]
    partial = next(h for h in index.search("UNSC 1718") if h.kind == "entity")
    assert whole.score > partial.score  # the name that has both words ranks higher than one with the number only


# -- ranking ------------------------------------------------------------------------------------

def test_exact_and_full_names_rank_above_fuzzy_ones_and_frequency_breaks_ties() -> None:
    index = names_index(("Kim Jong Un", "person", [], 80), ("Kim Jong Il", "person", [], 50),
                        ("Kim", "person", [], 1), ("Kimberly Ross", "person", [], 200),
                        ("Jong Kim", "person", [], 3), ("Bosnia", "place", [], 30), ("Bosworth", "person", [], 7))
    # The whole name first ("Jong Kim"), then the two "Kim Jong" completes: the more mentioned first.
    assert entity_names(index.search("Kim Jong"))[:3] == ["Jong Kim", "Kim Jong Un", "Kim Jong Il"]
    # The whole name typed ranks above longer names holding it, however often they are mentioned.
    assert entity_names(index.search("Kim "))[0] == "Kim"
    assert entity_names(index.search("Bos"))[:2] == ["Bosnia", "Bosworth"]
    assert entity_names(index.search("Boswort"))[0] == "Bosworth"


def test_a_short_query_does_not_match_everything() -> None:
    index = names_index("Kim Jong Il", "Jim Kelly", "Tim Kin", "Ko Un", "Go Kun", "Cora Gil", "Kofi Annan",
                        "Il Sung")
    assert set(entity_names(index.search("Kim"))) == {"Kim Jong Il"}
    # "Go" is another spelling of the name part "Ko" and comes after it; "Cora" and "Kun" do not start so.
    assert entity_names(index.search("Ko")) == ["Ko Un", "Kofi Annan", "Go Kun"]
    assert set(entity_names(index.search("il"))) == {"Kim Jong Il", "Il Sung"}
    assert index.search("q") == [] and index.search("zzz") == []


# -- passages of a small hand-written corpus -------------------------------------------------

def test_passages_are_found_through_variants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_extractor(monkeypatch)
    corpus = write_articles(tmp_path / "articles", {
        "envoy.txt": "Envoy talks\n\nKim Gye Gwan met Stephen Bosworth in Pyongyang.\n\n"
                     "A letter went to Kim Jong Il the same day.\n",
        "sanctions.txt": "Sanctions\n\nThe UN Security Council adopted Resolution 1718 after the test.\n\n"
                         "Resolution 1874 followed in June.\n",
    })
    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    store = open_store(db)
    index = SearchIndex.build_fresh(store)

    def passages(query: str) -> list[str]:
        return [h.snippet for h in index.search(query) if h.kind == "passage"]

    assert passages("Kye Gwan met")[0].startswith("Kim Gye Gwan met")
    assert passages("Jongil letter") == ["A letter went to Kim Jong Il the same day."]
    assert passages("UNSC 1718")[0] == "The UN Security Council adopted Resolution 1718 after the test."
    assert all("1874" not in p for p in passages("UNSC 1718"))
    assert passages("Stephen W. Bosworth Pyongyang")[0].startswith("Kim Gye Gwan met Stephen Bosworth")

    # The variant table is kept with the cached index: a loaded index finds the same.
    SearchIndex.build(store)
    loaded = SearchIndex.load(cache_path_for(db), store, store.generation)
    assert loaded is not None
    for query in ("Kim Kye Gwan", "Kye Gwan met", "Jongil letter", "UNSC 1718", "S. Bosworth"):
        assert [(h.name, h.score, h.snippet) for h in loaded.search(query)] == \
            [(h.name, h.score, h.snippet) for h in index.search(query)], query
    assert entity_names(loaded.search("Kim Kye Gwan"))[0] == "Kim Gye Gwan"
