"""A store updated run after run answers exactly as one built afresh from the same files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_store import _answers
from test_store_fakes import ARTICLES, use_fake_extractor, write_articles

from explorer.store import StoreError, index_corpus, open_store
from explorer.store.storage import sidecar_folder


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    return write_articles(tmp_path / "articles")


def _index(corpus: Path, db: Path, **kwargs: object):
    return index_corpus([corpus], db, workers=1, **kwargs)  # type: ignore[arg-type]


def _same_as_a_fresh_build(corpus: Path, db: Path, tmp_path: Path) -> None:
    fresh = tmp_path / f"fresh-{time.monotonic_ns()}.json"
    _index(corpus, fresh)
    incremental, rebuilt = open_store(db), open_store(fresh)
    assert _answers(incremental) == _answers(rebuilt)
    for entity in rebuilt.entities():
        assert incremental.cooccurring(entity.entity_id) == rebuilt.cooccurring(entity.entity_id)
        assert incremental.entity_anchors() == rebuilt.entity_anchors()


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    future = time.time_ns() + 3_000_000_000  # a new mtime, whatever the file system's resolution
    os.utime(path, ns=(future, future))


def test_each_change_gives_the_store_a_fresh_build_would(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    steps = [
        # A fuller name arrives: the entity's canonical name (and id) change in every document.
        lambda: _edit(corpus / "late.txt", "Late\n\nAmbassador Stephen W. Bosworth and Kim Jong Il met.\n"),
        # The only document naming Clinton in full goes: the lone "Clinton" stands alone again.
        lambda: (corpus / "campbell.txt").unlink(),
        # An edit that removes a mention and adds a date.
        lambda: _edit(corpus / "envoy.txt", ARTICLES["envoy.txt"].replace("Kim said little.",
                                                                           "Talks resumed on May 2, 2010.")),
        # A document comes back.
        lambda: _edit(corpus / "campbell.txt", ARTICLES["campbell.txt"]),
        lambda: (corpus / "late.txt").unlink(),
    ]
    for step in steps:
        step()
        report = _index(corpus, db)
        assert not report.rebuilt
        _same_as_a_fresh_build(corpus, db, tmp_path)


def test_many_small_runs_keep_the_bulk_files_few(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    for run in range(14):
        _edit(corpus / "envoy.txt", ARTICLES["envoy.txt"] + f"\nNote {run}: Bosworth returned on June {run + 1}, 2012.\n")
        _index(corpus, db)
    files = os.listdir(sidecar_folder(db))
    assert sum(name.endswith(".seg") for name in files) <= 9
    assert sum(name.endswith(".pack") for name in files) == 1  # the old ones are removed
    _same_as_a_fresh_build(corpus, db, tmp_path)
    assert "2012-06-14" in [e.date for e in open_store(db).events()]


def test_a_reader_keeps_its_state_while_the_store_is_rewritten(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    before = open_store(db)
    expected = _answers(before)
    (corpus / "bosnia.txt").unlink()
    for run in range(10):  # enough runs to rewrite and remove every file the reader opened
        _edit(corpus / "envoy.txt", ARTICLES["envoy.txt"] + f"\nRun {run}.\n")
        _index(corpus, db)
    assert _answers(before) == expected
    assert len(open_store(db).documents()) == 3


@pytest.mark.parametrize("victim", ["table", "pack", "segment"])
def test_a_damaged_file_beside_the_root_is_reported_and_rebuilt(corpus: Path, tmp_path: Path, victim: str) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    folder = sidecar_folder(db)
    suffix = {"table": ".json", "pack": ".pack", "segment": ".seg"}[victim]
    for name in os.listdir(folder):
        if name.endswith(suffix) and (victim != "table" or name.startswith("entities")):
            (folder / name).write_bytes(b"\x00garbage" * 3)
    with pytest.raises(StoreError) as failed:
        store = open_store(db)
        _answers(store)
    assert failed.value.can_rebuild and "corrupt" in str(failed.value)
    report = _index(corpus, db, rebuild=True)
    assert report.rebuilt and report.documents == 4
    assert len(open_store(db).entities()) > 5


def test_a_missing_file_beside_the_root_is_reported(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    folder = sidecar_folder(db)
    for name in os.listdir(folder):
        if name.endswith(".pack"):
            (folder / name).unlink()
    with pytest.raises(StoreError) as failed:
        open_store(db)
    assert failed.value.can_rebuild and "missing" in str(failed.value)
    with pytest.raises(StoreError):
        _index(corpus, db)
    assert _index(corpus, db, rebuild=True).documents == 4


def test_the_tables_are_a_tinydb_database(corpus: Path, tmp_path: Path) -> None:
    from tinydb import Query, TinyDB

    from explorer.store.storage import TableFilesStorage

    db = tmp_path / "store.json"
    _index(corpus, db)
    with TinyDB(db, storage=TableFilesStorage, access_mode="r") as tiny:
        assert {"meta", "documents", "entities", "files", "nodes", "skipped"} <= tiny.tables()
        bosworth = tiny.table("entities").search(Query().name == "Stephen W. Bosworth")
        assert len(bosworth) == 1 and bosworth[0]["docs"] == 3
        assert len(tiny.table("documents")) == 4


@pytest.mark.parametrize("seed", [11, 23, 57, 91])
def test_random_edits_keep_the_incremental_merge_equal_to_a_fresh_one(corpus: Path, tmp_path: Path, seed: int) -> None:
    """Names arriving and leaving in every order: aliases claimed by one entity then two, a lone
    surname with one bearer then none, fuller names, middle names that conflict."""
    import random

    from test_store_fakes import LEXICON

    rng = random.Random(seed)
    surfaces = sorted(LEXICON)
    for path in corpus.iterdir():
        path.unlink()

    def article() -> str:
        names = rng.sample(surfaces, rng.randint(1, 5))
        return "Story\n\n" + " ".join(f"{name} spoke on June {rng.randint(1, 28)}, 2010." for name in names) + "\n"

    db = tmp_path / "store.json"
    for step in range(12):
        for _ in range(rng.randint(1, 3)):
            name = f"doc{rng.randint(0, 7)}.txt"
            if (corpus / name).exists() and rng.random() < 0.3:
                (corpus / name).unlink()
            else:
                _edit(corpus / name, article())
        if not any(corpus.iterdir()):
            _edit(corpus / "doc0.txt", article())
        report = _index(corpus, db)
        assert not report.rebuilt, step
        _same_as_a_fresh_build(corpus, db, tmp_path)


def test_an_edit_that_keeps_every_document_writes_the_tables_a_fresh_build_writes(corpus: Path,
                                                                                  tmp_path: Path) -> None:
    """The documents table spliced and the files table patched in place read, through TinyDB,
    as the tables a fresh build writes (row for row, under the same ids)."""
    from tinydb import TinyDB

    from explorer.store.storage import TableFilesStorage

    db = tmp_path / "store.json"
    _index(corpus, db)
    for path in sorted(corpus.iterdir()):  # the first, middle and last rows of the tables
        _edit(path, path.read_text(encoding="utf-8") + "\nTalks resumed in Geneva on March 3, 2011.\n")
        report = _index(corpus, db)
        assert (report.changed, report.added, report.removed) == (1, 0, 0)
    fresh = tmp_path / "fresh.json"
    _index(corpus, fresh)

    def tables(store: Path) -> dict[str, dict[str, dict]]:
        with TinyDB(store, storage=TableFilesStorage, access_mode="r") as tiny:
            found = {name: {str(row.doc_id): dict(row) for row in tiny.table(name).all()}
                     for name in ("documents", "files")}
        for row in found["documents"].values():
            row.pop("slot")  # where its arrays are: the order documents were extracted in
        return found

    incremental, rebuilt = tables(db), tables(fresh)
    assert incremental == rebuilt
    assert all("Geneva" not in str(row) for row in incremental["documents"].values())  # summaries, not texts
    assert sum(row["event_count"] for row in incremental["documents"].values()) == \
        sum(row["event_count"] for row in rebuilt["documents"].values())
