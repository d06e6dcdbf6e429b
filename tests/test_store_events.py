"""The store lists dated events from its arrays: the same events, text and sentences its documents hold."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_store_fakes import ARTICLES, use_fake_extractor, write_articles

from explorer.store import index_corpus, open_store
from explorer.store.schema import event_sort_key
from explorer.store.storage import read_pack, sidecar_folder, write_pack

# Several events a document, two on one day, and a document whose only date comes before all others.
MORE = {
    "talks.txt": "Talks Resume\n\nBosworth met Kim Gye Gwan on June 12, 2009. They met again on June 12, 2009.\n"
                 "The UNSC spoke on May 25, 2009. Clinton answered on June 12, 2009.\n",
    "early.txt": "An Early Note\n\nKim Jong Il was seen on January 2, 1994.\n",
}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    return write_articles(tmp_path / "articles", {**ARTICLES, **MORE})


def _index(corpus: Path, db: Path) -> None:
    index_corpus([corpus], db, workers=1)


def _full(events) -> list[tuple]:
    return [(v.doc_id, v.date, v.text, v.start, v.end, v.sentence, v.doc_title) for v in events]


def _from_documents(store, doc_ids=None) -> list[tuple]:
    """Every event as the documents themselves hold it, in the reader's order (date, path, offset)."""
    found = []
    for summary in store.documents():
        if doc_ids is not None and summary.doc_id not in doc_ids:
            continue
        document = store.document(summary.doc_id)
        for event in document.events:
            found.append(((event_sort_key(event.date), summary.path, event.start),
                          (summary.doc_id, event.date, event.text, event.start, event.end, event.sentence,
                           store.title(summary.doc_id))))
    found.sort(key=lambda item: item[0])
    return [event for _, event in found]


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    future = time.time_ns() + 3_000_000_000
    os.utime(path, ns=(future, future))


def test_the_events_listed_are_those_their_documents_hold(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    store = open_store(db)
    listed = store.events()
    assert _full(listed) == _from_documents(store)
    assert listed[0].date == "1994-01-02"
    assert [v.date for v in listed if v.doc_id == listed[0].doc_id] == ["1994-01-02"]
    # Two events on one day in one document keep their order in the text.
    june = [v for v in listed if v.date == "2009-06-12" and v.doc_title == "Talks Resume"]
    assert [v.text for v in june] == ["June 12, 2009"] * 3 and [v.start for v in june] == sorted(v.start for v in june)
    for entity in store.entities():
        doc_ids = set(store.entity_document_counts(entity.entity_id))
        assert _full(store.events(entity.entity_id)) == _from_documents(store, doc_ids)


def test_edits_keep_the_event_arrays_equal_to_the_documents(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    _edit(corpus / "talks.txt", MORE["talks.txt"].replace("May 25, 2009", "May 26, 2009") + "Done on July 1, 2009.\n")
    (corpus / "early.txt").unlink()
    _edit(corpus / "later.txt", "Later\n\nBosworth wrote on March 3, 2011 and on March 3, 2011.\n")
    _index(corpus, db)
    store = open_store(db)
    assert _full(store.events()) == _from_documents(store)
    assert "1994-01-02" not in {v.date for v in store.events()}
    assert {"2009-05-26", "2009-07-01"} <= {v.date for v in store.events()}
    fresh = tmp_path / "fresh.json"
    _index(corpus, fresh)
    assert _full(open_store(fresh).events()) == _full(store.events())


def test_a_store_written_before_the_event_arrays_is_read_and_gains_them(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _index(corpus, db)
    expected = _full(open_store(db).events())
    # The pack as an explorer before the event arrays wrote it.
    pack_path = sidecar_folder(db) / open_store(db).meta["pack"]
    arrays = {name: value.copy() for name, value in read_pack(pack_path.read_bytes()).items()
              if not name.startswith("event_")}
    pack_path.unlink()
    write_pack(pack_path, arrays)
    old = open_store(db)
    assert "event_slot" not in old._pack
    assert _full(old.events()) == expected
    _edit(corpus / "bosnia.txt", ARTICLES["bosnia.txt"] + "Bosnia voted on April 4, 2011.\n")
    _index(corpus, db)
    store = open_store(db)
    assert "event_slot" in store._pack
    assert _full(store.events()) == _from_documents(store)
    assert "2011-04-04" in {v.date for v in store.events()}


def test_an_event_equals_the_plain_event_it_stands_for(corpus: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from explorer.model import CorpusEvent

    db = tmp_path / "store.json"
    _index(corpus, db)
    event = open_store(db).events()[0]
    plain = CorpusEvent(event.doc_id, event.date, event.text, event.start, event.end, event.sentence, event.doc_title)
    assert event == plain and plain == event
    assert replace(event, date="2000-01-01").date == "2000-01-01"
    assert replace(event).text == plain.text
