"""A large store's search index and "appears with" arrays are built by a child process, so their
transient memory never stays in the interface's; what the interface then reads is the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_store_fakes import use_fake_extractor, write_articles

import explorer.apart as apart
import explorer.search.prepare as prepare
import explorer.store.cooccurrence as cooccurrence
from explorer.search import SearchIndex, cache_path_for
from explorer.store import index_corpus, open_store
from explorer.store.cooccurrence import arrays_cache_path

QUERIES = ("Boswerth", "UNSC", "resol 1874", "kim", "Pyongyang", "May 2")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    store = tmp_path / "store.json"
    index_corpus([write_articles(tmp_path / "articles")], store, workers=1)
    return store


def _results(index: SearchIndex) -> dict[str, list]:
    return {query: [(hit.kind, round(hit.score, 3), hit.name, hit.document, hit.start) for hit in index.search(query)]
            for query in QUERIES}


def test_a_small_store_builds_its_search_index_here(db: Path) -> None:
    assert prepare.prepared_apart(open_store(db)) is None  # below the threshold: no child
    assert not cache_path_for(db).exists()


def test_a_large_store_has_its_search_index_built_by_a_child(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apart, "APART_DOCUMENTS", 1)
    store = open_store(db)
    index = prepare.prepared_apart(store)
    assert isinstance(index, SearchIndex)
    assert cache_path_for(db).exists()  # written by the child, mapped here
    assert _results(index) == _results(SearchIndex.build_fresh(store))
    assert _results(index)["Boswerth"][0][2] == "Stephen W. Bosworth"


def test_a_child_that_fails_leaves_the_build_to_this_process(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apart, "APART_DOCUMENTS", 1)
    monkeypatch.setattr(apart.sys, "executable", str(db.parent / "no-such-python"))
    assert prepare.prepared_apart(open_store(db)) is None


def test_a_large_store_has_its_appears_with_arrays_counted_by_a_child(db: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    here = open_store(db).cooccurrence_arrays(apart=False)  # counted in this process, kept beside the store
    arrays_cache_path(db).unlink()
    monkeypatch.setattr(apart, "APART_DOCUMENTS", 1)
    built: list[bool] = []
    real = cooccurrence.build_apart
    monkeypatch.setattr(cooccurrence, "build_apart", lambda *args: built.append(real(*args)) or built[-1])
    store = open_store(db)
    counted_apart = store.cooccurrence_arrays()
    assert built == [True] and arrays_cache_path(db).exists()  # the child counted them and kept them
    assert counted_apart.entity_ids == here.entity_ids and counted_apart.doc_ids == here.doc_ids
    for name in cooccurrence._ARRAY_NAMES:
        assert np.array_equal(getattr(counted_apart, name), getattr(here, name)), name
    bosworth = next(entity for entity in store.entities() if entity.name == "Stephen W. Bosworth")
    assert store.cooccurrence(bosworth.entity_id)  # "appears with" answers from the child's arrays
