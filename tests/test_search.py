"""Search as a user types it: typos, prefixes, acronyms, punctuation, numbers, passages, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_store_fakes import use_fake_extractor, write_articles

from explorer.model import CorpusEntity
from explorer.search import SearchIndex
from explorer.store import index_corpus, open_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    use_fake_extractor(monkeypatch)
    corpus = write_articles(tmp_path / "articles")
    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    store = open_store(db)
    return store, SearchIndex.build_fresh(store)


@pytest.fixture
def index(store_and_index) -> SearchIndex:
    return store_and_index[1]


def entity_names(hits) -> list[str]:
    return [h.name for h in hits if h.kind == "entity"]


def test_a_typo_still_finds_the_person(index: SearchIndex) -> None:
    hits = index.search("Boswerth")
    assert entity_names(hits)[0] == "Stephen W. Bosworth"
    top = hits[0]
    assert top.kind == "entity" and top.type == "person" and top.entity_id
    assert any(top.snippet[s:e] == "Bosworth" for s, e in top.highlights)
    # Typed letter by letter, the person is found from "bos" on, also through the typo.
    for typed in ("bos", "bosw", "boswe", "boswer", "boswert", "boswerth"):
        assert "Stephen W. Bosworth" in entity_names(index.search(typed)[:3]), typed


def test_an_entity_hit_points_at_its_first_mention_where_it_is_mentioned_most(store_and_index) -> None:
    store, index = store_and_index
    hit = index.search("Bosworth")[0]
    # Two mentions each in briefing.txt and envoy.txt: the first by path wins the tie.
    assert hit.kind == "entity" and hit.document and hit.document.endswith("briefing.txt")
    assert store.document(hit.doc_id).text[hit.start:hit.end] == "Bosworth"
    assert hit.start == store.document(hit.doc_id).text.index("Bosworth")


def test_exact_and_prefix_rank_above_fuzzy_and_frequency_breaks_ties(index: SearchIndex) -> None:
    # Bosworth (5 mentions) and Bosnia (3) both complete "bos": the more frequent comes first.
    assert entity_names(index.search("bos"))[:2] == ["Stephen W. Bosworth", "Bosnia"]
    kims = entity_names(index.search("kim"))
    assert kims[0] == "Kim" and set(kims[1:3]) == {"Kim Jong Il", "Kim Gye Gwan"}
    exact = index.search("Bosnia")[0]
    fuzzy = index.search("Bosnai")[0]
    assert exact.name == fuzzy.name == "Bosnia" and exact.score > fuzzy.score


def test_acronyms_punctuation_and_hyphens(index: SearchIndex) -> None:
    council = entity_names(index.search("UNSC"))[0]
    assert council.replace(".", "") == "UN Security Council"
    for query in ("U.N. Security Council", "UN security council", "un sec"):
        assert entity_names(index.search(query))[0] == council, query
    for query in ("six party", "Six-Party", "sixparty", "six-party talks", "SIX PARTY TALKS"):
        assert entity_names(index.search(query))[0] == "Six-Party Talks", query


def test_numbers_match_exactly_or_by_prefix_never_fuzzily(index: SearchIndex) -> None:
    hits = index.search("resol 1874")
    assert entity_names(hits)[0] == "Resolution 1874"
    assert all("1718" not in h.snippet for h in hits)
    assert entity_names(index.search("1718")) == ["Resolution 1718"]
    assert "Resolution 1874" in entity_names(index.search("resolution 187"))  # still typing
    assert entity_names(index.search("resolution 187 ")) == []  # "187" was a whole number


def test_an_acronym_with_a_number_finds_the_spelled_out_passage(index: SearchIndex) -> None:
    hits = index.search("UNSC 1874")
    assert hits and hits[0].kind == "passage"
    assert "UN Security Council adopted Resolution 1874" in hits[0].snippet
    marked = {hits[0].snippet[s:e] for s, e in hits[0].highlights}
    assert {"UN", "Security", "Council", "1874"} <= marked
    assert all("1718" not in h.snippet for h in hits)
    # Where the text writes the acronym itself, that sentence is found too.
    assert any("(UNSC)" in h.snippet for h in index.search("UNSC 1718"))


def test_passages_carry_document_offsets_snippet_and_highlights(store_and_index) -> None:
    store, index = store_and_index
    passages = [h for h in index.search("six party") if h.kind == "passage"]
    assert passages
    for hit in passages:
        doc = next(d for d in store.documents() if d.doc_id == hit.doc_id)
        assert hit.document == doc.path and hit.name == doc.title
        text = store.document(hit.doc_id).text
        assert text[hit.start:hit.end] == hit.snippet
        marked = [hit.snippet[s:e].lower() for s, e in hit.highlights]
        assert "six-party" in marked or {"six", "party"} <= set(marked)
    passage = next(h for h in index.search("arrived pyongyang") if h.kind == "passage")
    assert passage.snippet.startswith("Stephen W. Bosworth arrived in Pyongyang")


def test_type_filter_limit_and_empty_queries(index: SearchIndex) -> None:
    assert entity_names(index.search("bos", type="place")) == ["Bosnia"]
    assert entity_names(index.search("bos", type="person")) == ["Stephen W. Bosworth"]
    assert all(h.kind == "entity" for h in index.search("bos", type="place"))
    assert len(index.search("s", limit=3)) == 3
    assert index.search("") == [] and index.search("  -- ") == [] and index.search("zzqqxx") == []


def test_a_hundred_thousand_names_are_searchable(tmp_path: Path) -> None:
    import random

    rng = random.Random(3)
    syllables = ["ka", "ri", "mo", "sun", "jae", "hyo", "lin", "tar", "ven", "os", "al", "be", "cor", "da", "el", "fin", "gu", "han", "ir", "jo", "kel", "lo", "mar"]
    names = {f"{rng.choice(['Stephen', 'Maria', 'Wei', 'Olga'])} "
             f"{''.join(rng.choice(syllables) for _ in range(3)).capitalize()}" for _ in range(100_000)}
    names.add("Stephen Bosworth")

    class Names:
        def entities(self) -> list[CorpusEntity]:
            return [CorpusEntity(f"p{i}", name, "person", [], [], 1, 1) for i, name in enumerate(sorted(names))]

        def documents(self) -> list:
            return []

    index = SearchIndex.build(Names())
    assert index.entity_count == len(names) > 30_000
    assert entity_names(index.search("Boswerth"))[0] == "Stephen Bosworth"
    assert entity_names(index.search("stephen bosw"))[0] == "Stephen Bosworth"


def explorer(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=300)


def test_cli_search_json_and_batch_on_the_seeds() -> None:
    result = explorer("search", "--json", "Boswerth")  # builds the seeds' store on first use
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["query"] == "Boswerth" and isinstance(payload["took_ms"], float)
    first = payload["results"][0]
    assert first["kind"] == "entity" and "Bosworth" in first["name"]
    assert {"kind", "name", "type", "score", "document", "start", "end", "snippet"} <= set(first)
    batch = explorer("search", "--batch", "-", "--limit", "3",
                     stdin="UNSC\nsix party\n\nresol 1874\nUNSC 1874\nBosworth\n")
    assert batch.returncode == 0, batch.stderr
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["UNSC", "six party", "resol 1874", "UNSC 1874", "Bosworth"]
    assert all(0 < len(line["results"]) <= 3 for line in lines)
    assert any("1874" in r["snippet"] for r in lines[2]["results"])
    assert any("1874" in r["snippet"] and "Security Council" in r["snippet"] for r in lines[3]["results"])
    assert any("six-party" in r["snippet"].lower() for r in lines[1]["results"])
    assert "Bosworth" in lines[4]["results"][0]["name"]
    people = json.loads(explorer("search", "--json", "--type", "person", "bos").stdout)["results"]
    assert people and all(r["type"] == "person" for r in people)


def test_cli_search_errors_are_one_line(tmp_path: Path) -> None:
    missing = explorer("search", "anything", "--db", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().count("\n") == 0 and "no store" in missing.stderr
    assert explorer("search").returncode == 2
    corrupt = tmp_path / "bad.json"
    corrupt.write_text('{"meta": {"1": {"schema"', encoding="utf-8")
    broken = explorer("search", "x", "--db", str(corrupt))
    assert broken.returncode == 1 and "corrupt" in broken.stderr and "Traceback" not in broken.stderr


def test_cli_index_prints_a_summary(tmp_path: Path) -> None:
    corpus = write_articles(tmp_path / "articles")
    (corpus / "empty.txt").write_bytes(b"")
    db = tmp_path / "store.json"
    result = explorer("index", str(corpus), "--db", str(db))
    assert result.returncode == 3, result.stderr  # finished, with a file skipped
    assert "4 documents (4 added)" in result.stdout and "empty.txt: empty file" in result.stdout
    again = explorer("index", str(corpus), "--db", str(db))
    assert "4 unchanged" in again.stdout


def test_the_search_index_is_cached_per_store_generation(store_and_index, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.search import cache_path_for, open_search_index

    store, built = store_and_index
    assert not cache_path_for(store.path).exists()  # build_fresh writes no cache
    first = SearchIndex.build(store)
    cache = cache_path_for(store.path)
    assert cache.exists()
    loaded = SearchIndex.load(cache, store, store.generation)
    assert loaded is not None
    for query in ("Boswerth", "UNSC", "resol 1874", "six party", "kim"):
        expected = [(h.kind, h.name, h.score, h.start, h.snippet, h.highlights) for h in built.search(query)]
        assert [(h.kind, h.name, h.score, h.start, h.snippet, h.highlights) for h in loaded.search(query)] == expected
        assert [h.name for h in first.search(query)] == [h.name for h in built.search(query)]
    # A store written again has a new generation: the old cache is not used.
    assert SearchIndex.load(cache, store, "another-generation") is None
    cache.write_bytes(b"not an index")
    assert SearchIndex.load(cache, store, store.generation) is None
    assert open_search_index(store).search("Boswerth")[0].name == "Stephen W. Bosworth"  # rebuilt


def test_a_phrase_ranks_above_scattered_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_extractor(monkeypatch)
    corpus = write_articles(tmp_path / "articles", {
        "a.txt": "Scattered\n\nSix delegates left the party early.\n",
        "b.txt": "Joined\n\nThey agreed to resume the six-party format.\n",
    })
    index_corpus([corpus], tmp_path / "store.json", workers=1)
    index = SearchIndex.build(open_store(tmp_path / "store.json"))
    passages = [h for h in index.search("six party") if h.kind == "passage"]
    assert [h.snippet for h in passages] == ["They agreed to resume the six-party format.",
                                             "Six delegates left the party early."]
    assert passages[0].score > passages[1].score
