"""The corpus store as a user meets it: index a folder, reopen it, edit files, index again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_store_fakes import ARTICLES, use_fake_extractor, write_articles

from explorer.store import StoreError, index_corpus, open_store, store_path_for
from explorer.store.indexer import lock_path_for


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    return write_articles(tmp_path / "articles")


def _index(corpus: Path, db: Path, **kwargs: object):
    return index_corpus([corpus], db, workers=1, **kwargs)  # type: ignore[arg-type]


def _by_name(store) -> dict:
    return {e.name: e for e in store.entities()}


def _answers(store) -> dict:
    """Everything a reader can ask, in comparable form."""
    entities = store.entities()
    return {
        "documents": [(d.doc_id, d.path, d.title, d.entity_count, d.event_count) for d in store.documents()],
        "entities": [(e.entity_id, e.name, e.type, tuple(e.aliases), e.count, e.doc_count) for e in entities],
        "mentions": {e.entity_id: [(m.doc_id, m.start, m.end, m.sentence) for m in store.mentions(e.entity_id)]
                     for e in entities},
        "events": [(v.doc_id, v.date, v.start) for v in store.events()],
        "spans": {d.doc_id: store.document(d.doc_id).spans for d in store.documents()},
        "types": store.entity_type_counts(),
    }


def test_index_then_reopen_gives_the_same_answers(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    calls: list[tuple[int, int, str]] = []
    report = _index(corpus, db, progress=lambda done, total, path: calls.append((done, total, path)))
    assert [(done, total) for done, total, _ in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert {Path(path).name for _, _, path in calls} == set(ARTICLES)
    assert (report.documents, report.added, report.unchanged) == (4, 4, 0)
    first = _answers(open_store(db))
    second = _answers(open_store(db))
    assert first == second
    assert report.entities == len(first["entities"]) and report.events == len(first["events"]) == 5


def test_entities_merge_across_documents_but_a_bare_kim_stays_alone(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    store = open_store(db)
    names = _by_name(store)
    bosworth = names["Stephen W. Bosworth"]
    # "Stephen W. Bosworth", "Stephen Bosworth" and a bare "Bosworth" in three articles: one person.
    assert bosworth.doc_count == 3 and bosworth.count == 5
    assert "Stephen Bosworth" in bosworth.aliases and "Bosworth" in bosworth.aliases
    assert not any(name in names for name in ("Stephen Bosworth", "Bosworth"))
    # Two different Kims, and a bare "Kim" that could be either: three entities.
    assert {"Kim Jong Il", "Kim Gye Gwan", "Kim"} <= set(names)
    assert names["Kim"].doc_count == 2
    # "UN Security Council" and "U.N. Security Council" (alias UNSC) are one organisation.
    councils = [e for e in store.entities() if e.name.replace(".", "") == "UN Security Council"]
    assert len(councils) == 1
    assert councils[0].doc_count == 2 and "UNSC" in councils[0].aliases
    assert names["Hillary Clinton"].doc_count == 2  # "Clinton" alone elsewhere joins the one Clinton
    partners = dict((e.name, n) for e, n in store.cooccurring(bosworth.entity_id))
    assert partners["Hillary Clinton"] == 2 and partners["Pyongyang"] == 1


def test_mentions_documents_and_events_read_back(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    store = open_store(db)
    bosworth = _by_name(store)["Stephen W. Bosworth"]
    lines = store.mentions(bosworth.entity_id)
    assert len(lines) == 5
    for line in lines:
        text = store.document(line.doc_id).text
        assert text[line.start:line.end] in ("Stephen W. Bosworth", "Stephen Bosworth", "Bosworth")
        assert text[line.sentence_start:line.sentence_start + len(line.sentence)] == line.sentence
        assert line.sentence_start <= line.start and line.end <= line.sentence_start + len(line.sentence)
        assert "\n" not in line.sentence
    envoy = next(d for d in store.documents() if d.path.endswith("envoy.txt"))
    assert envoy.title == "U.S. Envoy Holds Talks in Pyongyang"
    doc = store.document(envoy.doc_id)
    starts = [s for s, _, _, _ in doc.spans]
    assert starts == sorted(starts)
    assert all(a[1] <= b[0] for a, b in zip(doc.spans, doc.spans[1:], strict=False))
    assert {doc.text[s:e] for s, e, _, _ in doc.spans} >= {"Stephen W. Bosworth", "UN Security Council", "Kim"}
    dates = [e.date for e in store.events()]
    assert dates == sorted(dates) == ["2009-06-12", "2009-09-21", "2009-12-08", "2010-01-05", "2011-03-03"]
    council = next(e for e in store.entities() if e.name.replace(".", "") == "UN Security Council")
    assert [e.date for e in store.events(council.entity_id)] == ["2009-06-12", "2009-09-21", "2009-12-08"]
    june = store.events()[0]
    assert june.sentence.startswith("The UN Security Council adopted") and june.doc_title == envoy.title


def test_unchanged_corpus_is_not_extracted_or_rewritten(corpus: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    generation = open_store(db).generation
    calls: list[str] = []
    import explorer.extract

    real = explorer.extract.extract
    monkeypatch.setattr(explorer.extract, "extract", lambda doc: calls.append(doc.path) or real(doc))
    # Touching a file changes its mtime but not its content: it is hashed, not extracted.
    touched = time.time_ns() + 5_000_000_000
    os.utime(corpus / "envoy.txt", ns=(time.time_ns(), touched))
    report = _index(corpus, db)
    assert (report.unchanged, report.added, report.changed, report.removed) == (4, 0, 0, 0)
    assert calls == []
    from tinydb import Query, TinyDB

    from explorer.store.storage import TableFilesStorage

    with TinyDB(db, storage=TableFilesStorage, access_mode="r") as tiny:  # the new mtime was recorded
        [row] = tiny.table("files").search(Query().source == str(corpus / "envoy.txt"))
        assert row["mtime_ns"] == touched
    report = _index(corpus, db)
    assert report.unchanged == 4 and calls == []
    # Nothing a reader shows changed: the generation (what caches key on) is kept.
    assert open_store(db).generation == generation
    assert len(open_store(db).documents()) == 4


def test_reindex_after_editing_adding_and_deleting_files(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    (corpus / "envoy.txt").write_text(ARTICLES["envoy.txt"].replace("Resolution 1874", "Resolution 1718"),
                                      encoding="utf-8")
    (corpus / "bosnia.txt").unlink()
    (corpus / "new.txt").write_text("Late News\n\nBosworth returned to Pyongyang on May 1, 2012.\n",
                                    encoding="utf-8")
    report = _index(corpus, db)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 2)
    store = open_store(db)
    names = _by_name(store)
    assert "Bosnia" not in names and "Resolution 1874" not in names
    assert names["Resolution 1718"].doc_count == 2
    assert names["Stephen W. Bosworth"].doc_count == 4
    assert sorted(Path(d.path).name for d in store.documents()) == ["briefing.txt", "campbell.txt", "envoy.txt",
                                                                      "new.txt"]
    assert "2012-05-01" in [e.date for e in store.events()]


def test_a_new_extractor_version_rebuilds_the_store(corpus: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    use_fake_extractor(monkeypatch, version="fake-2")
    report = _index(corpus, db)
    assert report.rebuilt and report.added == 4 and report.unchanged == 0
    assert open_store(db).extractor_version == "fake-2"


def test_unreadable_files_are_reported_with_reasons_and_remembered(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02" * 4000)
    (corpus / "photo.png").write_bytes(b"\x89PNG....")
    db = tmp_path / "store.json"
    report = _index(corpus, db)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "blob.txt", "photo.png"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["blob.txt"]
    assert report.documents == 4
    again = _index(corpus, db)
    assert {Path(s.path).name for s in again.skipped} == set(reasons) and again.unchanged == 4


def test_a_corrupt_store_is_reported_and_can_be_rebuilt(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])  # what an in-place writer leaves after a crash
    with pytest.raises(StoreError) as opened:
        open_store(db)
    assert opened.value.can_rebuild and "corrupt" in str(opened.value)
    with pytest.raises(StoreError) as indexed:
        _index(corpus, db)
    assert indexed.value.can_rebuild
    report = _index(corpus, db, rebuild=True)
    assert report.rebuilt and report.documents == 4
    assert len(open_store(db).documents()) == 4


def test_missing_store_and_missing_corpus_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "nothing.json")
    with pytest.raises(StoreError, match="no such file or folder"):
        index_corpus([tmp_path / "nowhere"], tmp_path / "store.json")


def test_a_second_writer_stops_with_a_clear_message(corpus: Path, tmp_path: Path) -> None:
    from filelock import FileLock

    db = tmp_path / "store.json"
    _index(corpus, db)
    with FileLock(str(lock_path_for(db))), pytest.raises(StoreError, match="another explorer is indexing"):
        _index(corpus, db, wait_seconds=0.2)
    assert _index(corpus, db).unchanged == 4  # the lock is free again


def test_default_store_lives_under_the_data_dir_keyed_by_corpus(tmp_path: Path) -> None:
    data = Path(os.environ["EXPLORER_DATA_DIR"])
    first = store_path_for(tmp_path / "a")
    assert first.is_relative_to(data) and first != store_path_for(tmp_path / "b")
    assert store_path_for(tmp_path / "a", tmp_path / "mine.json") == tmp_path / "mine.json"


def test_ctrl_c_while_indexing_keeps_what_was_extracted(corpus: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import explorer.extract
    from explorer.store.indexer import IndexInterrupted

    real = explorer.extract.extract
    seen: list[str] = []

    def interrupted_on_the_third(doc):
        seen.append(doc.path)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(doc)

    monkeypatch.setattr(explorer.extract, "extract", interrupted_on_the_third)
    db = tmp_path / "store.json"
    with pytest.raises(IndexInterrupted) as stopped:
        _index(corpus, db)
    assert stopped.value.report.added == 2
    assert {d.path for d in open_store(db).documents()} == set(seen[:2])
    monkeypatch.setattr(explorer.extract, "extract", real)
    report = _index(corpus, db)
    assert (report.added, report.unchanged, report.documents) == (2, 2, 4)


def test_a_store_kept_inside_its_corpus_is_not_indexed(corpus: Path) -> None:
    db = corpus / "store.json"
    _index(corpus, db)
    (corpus / "store.json.search.npz").write_bytes(b"cache")
    report = _index(corpus, db)
    assert report.skipped == [] and report.documents == 4 and report.unchanged == 4


def test_a_store_of_another_schema_is_rebuilt_by_the_next_index(corpus: Path, tmp_path: Path) -> None:
    import orjson

    db = tmp_path / "store.json"
    _index(corpus, db)
    data = orjson.loads(db.read_bytes())
    next(iter(data["meta"].values()))["schema"] = 1  # as an older explorer wrote it
    db.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreError) as opened:
        open_store(db)
    assert opened.value.can_rebuild and "schema" in str(opened.value)
    report = _index(corpus, db)
    assert report.rebuilt and report.added == 4
    assert len(open_store(db).documents()) == 4


def test_a_file_holding_several_documents_is_indexed_and_updated_as_one_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A container (a mailbox, an e-mail with attachments) gives one document per part."""
    import explorer.ingest as ingest
    from explorer.model import Skipped, SourceDocument

    real = ingest.read_documents

    def read_documents(path: Path, display_path: str | None = None) -> list:
        if path.suffix != ".box":
            return real(path, display_path)
        shown = display_path or str(path)
        parts = [line for line in path.read_text().splitlines() if line]
        docs: list = [SourceDocument(path=f"{shown} › part {n}", text=f"Kim Gye Gwan met {line} in Seoul.",
                                     container=shown, properties={"part": str(n)})
                      for n, line in enumerate(parts, 1) if line != "broken"]
        docs += [Skipped(f"{shown} › part {n}", "unreadable part") for n, line in enumerate(parts, 1)
                 if line == "broken"]
        return docs

    monkeypatch.setattr(ingest, "read_documents", read_documents)
    folder = tmp_path / "mail"
    folder.mkdir()
    box = folder / "inbox.box"
    box.write_text("Stephen Bosworth\nbroken\nKang Sok Ju\n")
    db = tmp_path / "store.json"
    report = _index(folder, db)
    assert (report.documents, report.added) == (2, 2)
    assert [s.reason for s in report.skipped] == ["unreadable part"]
    store = open_store(db)
    docs = store.documents()
    assert [d.path.rsplit("/", 1)[-1] for d in docs] == ["inbox.box › part 1", "inbox.box › part 3"]
    assert all(d.container and d.container.endswith("inbox.box") for d in docs)
    assert docs[1].properties == {"part": "3"}

    time.sleep(0.01)
    os.utime(box, ns=(time.time_ns() - 5_000_000_000,) * 2)  # old enough not to be racy
    _index(folder, db)
    report = _index(folder, db)
    assert (report.documents, report.unchanged, report.added) == (2, 2, 0)

    box.write_text("Stephen Bosworth\nKang Sok Ju\nKim Jong Il\n")
    report = _index(folder, db)
    assert (report.documents, report.changed, report.added) == (3, 2, 1)

    box.unlink()
    report = _index(folder, db)
    assert (report.documents, report.removed) == (0, 3)
