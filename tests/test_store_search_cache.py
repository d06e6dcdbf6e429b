"""The search index kept beside a store follows the store's changes without being built again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_store_fakes import ARTICLES, use_fake_extractor, write_articles

from explorer.search import SearchIndex, cache_path_for
from explorer.search.postings import LayeredPostings
from explorer.store import index_corpus, open_store

QUERIES = ("Boswerth", "UNSC", "resol 1874", "resolution 2094", "six party", "kim", "Pyongyang", "elections",
           "Clinton", "May 2")


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    return write_articles(tmp_path / "articles")


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    future = time.time_ns() + 3_000_000_000
    os.utime(path, ns=(future, future))


def _results(index: SearchIndex) -> dict[str, list]:
    # Passages of equal score may come in another order once updated (a changed document's
    # sentences are numbered after the others'): compared as sets within a score.
    return {query: sorted((hit.kind, round(hit.score), hit.name, hit.document, hit.start, hit.snippet,
                           tuple(hit.highlights)) for hit in index.search(query))
            for query in QUERIES}


def _base_files(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.glob(f"{cache_path_for(db).name}.base.*.pack"))


def test_a_changed_store_updates_the_kept_index_and_finds_what_a_fresh_one_finds(corpus: Path,
                                                                                 tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    SearchIndex.build(open_store(db))
    base = _base_files(db)
    assert len(base) == 1
    changes = [
        lambda: _edit(corpus / "envoy.txt", ARTICLES["envoy.txt"].replace("1874", "2094")),
        lambda: _edit(corpus / "late.txt", "Late\n\nStephen W. Bosworth met Kim Gye Gwan on May 2, 2012.\n"),
        lambda: (corpus / "bosnia.txt").unlink(),
        lambda: _edit(corpus / "envoy.txt", ARTICLES["envoy.txt"]),
    ]
    for change in changes:
        change()
        index_corpus([corpus], db, workers=1)
        store = open_store(db)
        updated = SearchIndex.build(store)
        assert isinstance(updated.sentences, LayeredPostings)  # the base was kept, a delta added
        assert _base_files(db) == base
        fresh = SearchIndex.build_fresh(store)
        assert _results(updated) == _results(fresh)
        reloaded = SearchIndex.load(cache_path_for(db), store, store.generation)
        assert reloaded is not None and _results(reloaded) == _results(fresh)
    assert "2094" not in {hit.snippet for hit in updated.search("resolution 2094")}
    assert not [hit for hit in updated.search("elections") if hit.kind == "passage"]  # bosnia.txt is gone


def test_a_large_change_builds_the_index_afresh(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import explorer.search.index as search_index

    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    SearchIndex.build(open_store(db))
    first = _base_files(db)
    monkeypatch.setattr(search_index, "UPDATE_LIMIT", 1)
    monkeypatch.setattr(search_index, "UPDATE_SHARE", 0.2)
    for name in ("envoy.txt", "campbell.txt"):
        _edit(corpus / name, ARTICLES[name] + "\nMore on June 2, 2013.\n")
    index_corpus([corpus], db, workers=1)
    rebuilt = SearchIndex.build(open_store(db))
    assert not isinstance(rebuilt.sentences, LayeredPostings)
    assert _base_files(db) != first and len(_base_files(db)) == 1
    assert _results(rebuilt) == _results(SearchIndex.build_fresh(open_store(db)))


def test_a_damaged_cache_is_built_again(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    store = open_store(db)
    SearchIndex.build(store)
    for base in _base_files(db):
        (db.parent / base).write_bytes(b"garbage")
    assert SearchIndex.load(cache_path_for(db), store, store.generation) is None
    index = SearchIndex.build(store)
    assert index.search("Boswerth")[0].name == "Stephen W. Bosworth"
    assert SearchIndex.load(cache_path_for(db), store, store.generation) is not None


_SEARCH_PROBE = """
import sys
from explorer.cli import main
code = main(["search", sys.argv[1], "--db", sys.argv[2], "--json"])
print("LOADED", "explorer.extract" in sys.modules, "explorer.store.corrected" in sys.modules, file=sys.stderr)
sys.exit(code)
"""


def _search_process(db: Path, query: str) -> tuple[str, str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _SEARCH_PROBE, query, str(db)], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parent.parent)
    return done.stdout, done.stderr.strip().splitlines()[-1]


def test_explorer_search_imports_neither_the_extractor_nor_the_corrections_it_does_not_need(
        tmp_path: Path) -> None:
    import orjson

    from explorer.store.user import UserStore

    corpus = write_articles(tmp_path / "articles")
    db = tmp_path / "store.json"
    index_corpus([corpus], db, workers=1)
    out, loaded = _search_process(db, "Boswerth")
    assert "Bosworth" in orjson.loads(out)["results"][0]["name"]
    assert loaded == "LOADED False False"  # the version check and an uncorrected store need neither

    from explorer.model import Correction, EntityRef

    bosworth = next(e for e in open_store(db).entities() if "Bosworth" in e.name)
    UserStore(db).add_correction(Correction("rename", [EntityRef(bosworth.name, bosworth.type, list(bosworth.aliases))],
                                 value="Steve Bosworth"))
    out, loaded = _search_process(db, "Steve Bosworth")
    assert orjson.loads(out)["results"][0]["name"] == "Steve Bosworth"  # the corrections overlay applied
    assert loaded.endswith("True")
