"""Who appears with whom, the co-occurrence network, search and time scope, all with corrections applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_fakes import use_fake_extractor, write_articles

from explorer.model import Correction, EntityRef
from explorer.search.corrected import CorrectedSearch
from explorer.search.index import SearchIndex
from explorer.store import index_corpus, open_store
from explorer.store.cooccurrence import cooccurrence_network, count_cooccurrence, related_entities
from explorer.store.corrected import CorrectedReader
from explorer.store.scope import Period, ScopedReader, documents_in

# Bosworth meets Kim Gye Gwan in the same sentence twice; Pyongyang is named in every
# article (mostly apart from Bosworth); Clinton shares a document, never a sentence.
ARTICLES = {
    "one.txt": "Talks One\n\nStephen Bosworth met Kim Gye Gwan on June 12, 2009. Pyongyang was cold.\n"
               "Hillary Clinton stayed home. Pyongyang said nothing.\n",
    "two.txt": "Talks Two\n\nBosworth and Kim Gye Gwan spoke again on December 8, 2009. Pyongyang waited.\n",
    "three.txt": "Talks Three\n\nStephen Bosworth flew over Pyongyang on January 5, 2010. Kim Jong Il slept.\n",
    "four.txt": "Elsewhere\n\nPyongyang hosted Kim Jong Il on March 3, 2011. Bosnia voted. Pyongyang again.\n",
    "five.txt": "Elsewhere Again\n\nPyongyang and Bosnia on April 4, 2011. Kim Jong Il was there.\n",
    "six.txt": "Undated\n\nPyongyang and the UN Security Council (UNSC) met. Bosnia abstained.\n",
}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    use_fake_extractor(monkeypatch)
    corpus = write_articles(tmp_path / "articles", ARTICLES)
    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    return open_store(db)


def _id(reader, name: str) -> str:
    return next(e.entity_id for e in reader.entities(include_hidden=True) if e.name == name)


def _ref(reader, name: str) -> EntityRef:
    entity = reader.entity(_id(reader, name))
    return EntityRef(entity.name, entity.type, list(entity.aliases))


def _table(found) -> dict:
    return {entity_id: (int(s), int(d), round(float(e), 9), int(f))
            for entity_id, s, d, e, f in zip(found.ids, found.shared_sentences, found.shared_documents,
                                             found.expected_sentences, found.frequency, strict=True) if d}


def test_a_name_met_everywhere_ranks_below_a_telling_one(store) -> None:
    reader = CorrectedReader(store)
    related = related_entities(reader, _id(reader, "Stephen Bosworth"), limit=10)
    names = [r.entity.name for r in related]
    assert names[0] == "Kim Gye Gwan"
    by_name = {r.entity.name: r for r in related}
    assert (by_name["Kim Gye Gwan"].sentences, by_name["Kim Gye Gwan"].documents) == (2, 2)
    pyongyang = by_name["Pyongyang"]
    assert pyongyang.documents == 3 > by_name["Kim Gye Gwan"].documents
    assert pyongyang.score < by_name["Kim Gye Gwan"].score
    # One shared document and no shared sentence is below the minimum support.
    assert "Hillary Clinton" not in names and "Bosnia" not in names


@pytest.mark.parametrize("corrections", [
    [],
    [("merge", ["Kim Gye Gwan", "Kim Jong Il"], "Kim Gye Gwan")],
    [("merge", ["Pyongyang", "Bosnia"], "Pyongyang"), ("hide", ["Hillary Clinton"], None)],
    [("split", ["UN Security Council"], "UNSC")],
    [("hide-surface", [], "Kim Jong Il")],
])
def test_the_store_arrays_count_what_the_documents_say(store, corrections) -> None:
    reader = CorrectedReader(store)
    for action, names, value in corrections:
        if action == "hide-surface":
            reader.add_correction(Correction("hide", surface=value))
        else:
            reader.add_correction(Correction(action, [_ref(reader, n) for n in names], value=value))  # type: ignore[arg-type]
    assert reader.issues() == []
    scoped = ScopedReader(reader, Period.parse("2009", "2010"))
    assert 0 < len(scoped.doc_ids) < len(store.documents())
    for entity in reader.entities():
        fast = reader.cooccurrence(entity.entity_id)
        assert _table(fast) == _table(count_cooccurrence(reader, entity.entity_id)), entity.name
        fast = reader.cooccurrence(entity.entity_id, scoped.doc_ids)
        slow = count_cooccurrence(scoped, entity.entity_id, scoped.doc_ids)
        assert _table(fast) == _table(slow), entity.name


def test_related_follows_a_merge_and_a_time_scope(store) -> None:
    reader = CorrectedReader(store)
    reader.add_correction(Correction("merge", [_ref(reader, "Kim Gye Gwan"), _ref(reader, "Kim Jong Il")],
                                     value="Kim"))
    related = {r.entity.name: r for r in related_entities(reader, _id(reader, "Stephen Bosworth"))}
    assert (related["Kim"].sentences, related["Kim"].documents) == (2, 3)
    assert "Kim Jong Il" not in related and "Kim Gye Gwan" not in related
    scoped = ScopedReader(reader, Period.parse("2010-01", None))
    bosworth = _id(reader, "Stephen Bosworth")
    related = {r.entity.name: r for r in related_entities(scoped, bosworth, doc_ids=scoped.doc_ids,
                                                          document_total=len(scoped.doc_ids))}
    # From 2010 on they share "three.txt" only, and no sentence: below the minimum support.
    assert reader.cooccurrence(bosworth, scoped.doc_ids).of(_id(reader, "Kim"))[:2] == (0, 1)
    assert "Kim" not in related and related["Pyongyang"].sentences == 1


def test_documents_are_dated_by_their_events_when_unpublished(store) -> None:
    names = {Path(d.path).name: d.doc_id for d in store.documents()}
    assert documents_in(store, Period.parse("2011", "2011")) == {names["four.txt"], names["five.txt"]}
    assert documents_in(store, Period.parse("2009-12-08", "2009-12-08")) == {names["two.txt"]}
    assert names["six.txt"] not in documents_in(store, Period.parse("1900", "2100"))  # no date at all
    scoped = ScopedReader(CorrectedReader(store), Period.parse("2011", None))
    counts = {e.name: (e.count, e.doc_count) for e in scoped.entities()}
    assert counts["Pyongyang"] == (3, 2) and "Stephen Bosworth" not in counts
    assert {event.date for event in scoped.events()} == {"2011-03-03", "2011-04-04"}
    with pytest.raises(ValueError, match="--from: '2011-13' is not a date"):
        Period.parse("2011-13", None)
    with pytest.raises(ValueError, match="after"):
        Period.parse("2012", "2011")


def test_the_network_has_every_pair_with_support(store) -> None:
    reader = CorrectedReader(store)
    entities, edges = cooccurrence_network(reader)
    assert {e.name for e in entities} == {e.name for e in reader.entities()}
    name = {e.entity_id: e.name for e in entities}
    pairs = {frozenset((name[e.source], name[e.target])): e for e in edges}
    bosworth_kim = pairs[frozenset(("Stephen Bosworth", "Kim Gye Gwan"))]
    assert (bosworth_kim.sentences, bosworth_kim.documents) == (2, 2)
    assert frozenset(("Hillary Clinton", "Stephen Bosworth")) not in pairs  # one document, no sentence
    related = {r.entity.name: r.score for r in related_entities(reader, _id(reader, "Stephen Bosworth"), None)}
    assert bosworth_kim.score == related["Kim Gye Gwan"]


def test_search_follows_the_corrections(store) -> None:
    reader = CorrectedReader(store)
    index = SearchIndex.build_fresh(store)
    reader.add_correction(Correction("rename", [_ref(reader, "Bosnia")], value="Herzegovina"))
    reader.add_correction(Correction("hide", [_ref(reader, "Hillary Clinton")]))
    reader.add_correction(Correction("merge", [_ref(reader, "Kim Gye Gwan"), _ref(reader, "Kim Jong Il")],
                                     value="Kim Gye Gwan"))
    reader.add_correction(Correction("retype", [_ref(reader, "Pyongyang")], value="organization"))
    search = CorrectedSearch(index, reader)

    def entity_names(query: str, type_: str | None = None) -> list[str]:
        return [hit.name for hit in search.search(query, limit=10, type=type_) if hit.kind == "entity"]

    assert entity_names("herzeg")[0] == "Herzegovina"
    assert entity_names("bosnia")[0] == "Herzegovina"  # the old name finds the renamed entity
    assert "Hillary Clinton" not in entity_names("clinton")
    assert entity_names("kim jong") == ["Kim Gye Gwan"]  # the merged-away name gives the survivor
    hit = search.search("herzegovina", limit=1)[0]
    assert hit.doc_id and hit.start is not None and hit.highlights == [(0, len("Herzegovina"))]
    assert entity_names("pyong", "organization") == ["Pyongyang"]
    assert entity_names("pyong", "place") == []
    scoped = CorrectedSearch(index, ScopedReader(reader, Period.parse("2011", None)))
    assert [h.name for h in scoped.search("bosworth", limit=10)] == []  # not mentioned after 2010
    passages = [h for h in scoped.search("pyongyang", limit=10) if h.kind == "passage"]
    assert passages and {Path(h.document or "").name for h in passages} <= {"four.txt", "five.txt"}
