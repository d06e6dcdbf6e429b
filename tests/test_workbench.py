"""Corrections as a user layer over extraction: what every reader answer looks like after each one,
and that they survive re-indexing, an extractor upgrade and a trip through an exported file."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_fakes import ARTICLES, use_fake_extractor, write_articles

from explorer.model import Correction, EntityRef
from explorer.store import StoreError, index_corpus, open_store
from explorer.store.corrected import CorrectedReader, open_corrected
from explorer.store.user import UserStore, read_export, user_path_for


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    return write_articles(tmp_path / "articles")


@pytest.fixture
def db(corpus: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    index_corpus([corpus], path, workers=1)
    return path


def _named(reader, name: str):
    found = [e for e in reader.entities(include_hidden=True) if e.name == name]
    assert len(found) == 1, (name, found)
    return found[0]


def _ref(entity) -> EntityRef:
    return EntityRef(entity.name, entity.type, list(entity.aliases))


def _span_names(reader, doc_id: str) -> list[tuple[str, str]]:
    doc = reader.document(doc_id)
    return [(doc.text[start:end], reader.entity(entity_id).name) for start, end, entity_id, _ in doc.spans]


def _doc_id(reader, file_name: str) -> str:
    return next(d.doc_id for d in reader.documents() if Path(d.path).name == file_name)


def test_merge_sums_counts_resolves_old_ids_and_relabels_spans(db: Path) -> None:
    store = open_store(db)
    plain = CorrectedReader(store)
    clinton, kim_gye_gwan = _named(plain, "Hillary Clinton"), _named(plain, "Kim Gye Gwan")
    reader = CorrectedReader(store, [Correction("merge", [_ref(clinton), _ref(kim_gye_gwan)], value="Kim Gye Gwan")])
    assert reader.issues() == []
    merged = _named(reader, "Kim Gye Gwan")
    assert (merged.count, merged.doc_count) == (clinton.count + kim_gye_gwan.count, 3)
    assert "Hillary Clinton" in merged.aliases and "Clinton" in merged.aliases
    assert "Hillary Clinton" not in [e.name for e in reader.entities()]
    # The merged-away id answers as the survivor; mentions come from both, by document date.
    assert reader.entity(clinton.entity_id).entity_id == merged.entity_id
    mentions = reader.mentions(clinton.entity_id)
    assert len(mentions) == merged.count and {m.entity_id for m in mentions} == {merged.entity_id}
    assert {m.sentence[m.start - m.sentence_start: m.end - m.sentence_start] for m in mentions} == \
        {"Kim Gye Gwan", "Hillary Clinton", "Clinton"}
    briefing = _doc_id(reader, "briefing.txt")
    assert ("Clinton", "Kim Gye Gwan") in _span_names(reader, briefing)
    assert {e.doc_id for e in reader.events(merged.entity_id)} == set(reader.entity_document_counts(merged.entity_id))
    assert sum(reader.entity_type_counts().values()) == len(reader.entities()) == len(plain.entities()) - 1


def test_rename_keeps_the_old_name_as_an_alias_and_both_find_it(db: Path) -> None:
    store = open_store(db)
    bosworth = _named(CorrectedReader(store), "Stephen W. Bosworth")
    reader = CorrectedReader(store, [Correction("rename", [_ref(bosworth)], value="Steve Bosworth")])
    renamed = _named(reader, "Steve Bosworth")
    assert renamed.entity_id == bosworth.entity_id and renamed.aliases[0] == "Stephen W. Bosworth"
    assert [e.name for e in reader.lookup("Stephen W. Bosworth")] == ["Steve Bosworth"]
    assert [e.name for e in reader.lookup("steve  bosworth")] == ["Steve Bosworth"]


def test_retype_moves_the_entity_between_types(db: Path) -> None:
    store = open_store(db)
    before = CorrectedReader(store)
    bosnia = _named(before, "Bosnia")
    reader = CorrectedReader(store, [Correction("retype", [_ref(bosnia)], value="organization")])
    assert _named(reader, "Bosnia").type == "organization"
    counts, old = reader.entity_type_counts(), before.entity_type_counts()
    assert (counts["place"], counts["organization"]) == (old["place"] - 1, old["organization"] + 1)
    doc = reader.document(_doc_id(reader, "bosnia.txt"))
    assert {type_ for start, end, _, type_ in doc.spans if doc.text[start:end] == "Bosnia"} == {"organization"}


def test_hide_and_unhide_one_entity(db: Path) -> None:
    store = open_store(db)
    pyongyang = _named(CorrectedReader(store), "Pyongyang")
    hide = Correction("hide", [_ref(pyongyang)])
    reader = CorrectedReader(store, [hide])
    assert "Pyongyang" not in [e.name for e in reader.entities()]
    assert reader.is_hidden(pyongyang.entity_id) and _named(reader, "Pyongyang").count == pyongyang.count
    envoy = _doc_id(reader, "envoy.txt")
    assert "Pyongyang" not in [text for text, _ in _span_names(reader, envoy)]
    shown = CorrectedReader(store, [hide, Correction("unhide", [_ref(pyongyang)])])
    assert "Pyongyang" in [e.name for e in shown.entities()] and not shown.is_hidden(pyongyang.entity_id)


def test_hide_a_surface_everywhere_drops_the_alias_and_its_mentions(db: Path) -> None:
    store = open_store(db)
    plain = CorrectedReader(store)
    council = _named(plain, "U.N. Security Council")
    assert "UNSC" in council.aliases
    reader = CorrectedReader(store, [Correction("hide", surface="unsc")])
    after = _named(reader, "U.N. Security Council")
    assert "UNSC" not in after.aliases and after.count == council.count - 1
    campbell = _doc_id(reader, "campbell.txt")
    assert "UNSC" not in [text for text, _ in _span_names(reader, campbell)]
    assert reader.lookup("UNSC") == []
    again = CorrectedReader(store, [Correction("hide", surface="unsc"), Correction("unhide", surface="UNSC")])
    assert _named(again, "U.N. Security Council").count == council.count


def test_split_an_alias_into_its_own_entity(db: Path) -> None:
    store = open_store(db)
    clinton = _named(CorrectedReader(store), "Hillary Clinton")
    reader = CorrectedReader(store, [Correction("split", [_ref(clinton)], value="Clinton")])
    hillary, split = _named(reader, "Hillary Clinton"), _named(reader, "Clinton")
    assert hillary.aliases == [] and split.type == "person"
    assert hillary.count + split.count == clinton.count and split.count == 1
    briefing = _doc_id(reader, "briefing.txt")
    assert ("Clinton", "Clinton") in _span_names(reader, briefing)
    assert [m.doc_id for m in reader.mentions(split.entity_id)] == [briefing]
    assert reader.entity_document_counts(split.entity_id) == {briefing: 1}


def test_a_correction_that_no_longer_applies_is_reported_not_raised(db: Path) -> None:
    reader = CorrectedReader(open_store(db), [
        Correction("rename", [EntityRef("Nobody Known", "person")], value="X"),
        Correction("merge", [EntityRef("Pyongyang", "place"), EntityRef("Atlantis", "place")], value="Pyongyang"),
    ])
    assert [issue.correction.action for issue in reader.issues()] == ["rename", "merge"]
    assert "no person 'Nobody Known'" in reader.issues()[0].reason
    assert "Atlantis" in reader.issues()[1].reason
    assert _named(reader, "Pyongyang").count == 3


def test_corrections_survive_a_reindex_and_an_extractor_upgrade(corpus: Path, db: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db)
    plain = CorrectedReader(store)
    user = UserStore(db)
    user.add_correction(Correction("merge", [_ref(_named(plain, "Kim Jong Il")), _ref(_named(plain, "Kim"))],
                                   value="Kim Jong Il"))
    user.add_correction(Correction("rename", [_ref(_named(plain, "Bosnia"))], value="Bosnia and Herzegovina"))
    user.add_correction(Correction("hide", [_ref(_named(plain, "State Department"))]))

    def check(expected_kim_mentions: int) -> None:
        reader = open_corrected(open_store(db))
        assert reader.issues() == []
        names = [e.name for e in reader.entities()]
        assert "Kim" not in names and "State Department" not in names and "Bosnia and Herzegovina" in names
        assert _named(reader, "Kim Jong Il").count == expected_kim_mentions

    check(3)
    (corpus / "more.txt").write_text("More Notes\n\nKim Jong Il met nobody. Kim left.\n", encoding="utf-8")
    index_corpus([corpus], db, workers=1)
    check(5)
    use_fake_extractor(monkeypatch, version="fake-2")
    report = index_corpus([corpus], db, workers=1)
    assert report.rebuilt
    check(5)
    assert user_path_for(db).exists() and len(UserStore(db).corrections()) == 3


def test_undo_removes_the_last_correction_each_time(db: Path) -> None:
    user = UserStore(db)
    assert user.undo() is None
    first = user.add_correction(Correction("hide", surface="Bosnia"))
    second = user.add_correction(Correction("hide", surface="Pyongyang"))
    assert first.correction_id and first.created
    assert user.undo().surface == second.surface  # type: ignore[union-attr]
    assert [c.surface for c in user.corrections()] == ["Bosnia"]
    assert user.undo().surface == "Bosnia"  # type: ignore[union-attr]
    assert user.corrections() == []


def test_export_then_import_into_a_new_store(corpus: Path, db: Path, tmp_path: Path) -> None:
    plain = CorrectedReader(open_store(db))
    user = UserStore(db)
    user.add_correction(Correction("rename", [_ref(_named(plain, "Bosnia"))], value="Bosnia and Herzegovina"))
    user.add_correction(Correction("hide", surface="UNSC"))
    exported = tmp_path / "shared" / "corrections.json"
    exported.parent.mkdir()
    assert user.export_to(exported) == 2
    text = exported.read_text(encoding="utf-8")
    assert '"action": "rename"' in text and '"name": "Bosnia and Herzegovina"' in text  # readable, indented

    other_db = tmp_path / "other" / "store.json"
    index_corpus([corpus], other_db, workers=1)
    other = UserStore(other_db)
    other.add_correction(Correction("hide", surface="Pyongyang"))
    assert other.import_corrections(read_export(exported)) == (2, 0)
    assert other.import_corrections(read_export(exported)) == (0, 2)  # importing twice changes nothing
    reader = open_corrected(open_store(other_db))
    assert "Bosnia and Herzegovina" in [e.name for e in reader.entities()]
    assert "Pyongyang" not in [e.name for e in reader.entities()]


def test_malformed_exports_and_a_corrupt_user_file_are_clear_errors(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"corrections": [{"action": "explode"}]}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.json: correction 1: unknown action 'explode'"):
        read_export(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: not JSON"):
        read_export(bad)
    user_file = user_path_for(db)
    user_file.write_text("{half", encoding="utf-8")
    with pytest.raises(StoreError, match="corrupt"):
        UserStore(db).add_correction(Correction("hide", surface="Bosnia"))
    assert user_file.read_text(encoding="utf-8") == "{half"  # never written over


def test_a_changed_corpus_does_not_lose_corrections_made_while_indexing(corpus: Path, db: Path) -> None:
    # The indexer never touches the user's file: a correction saved mid-run is there after it.
    user = UserStore(db)
    user.add_correction(Correction("hide", surface="Bosnia"))
    store_bytes = db.read_bytes()
    (corpus / "bosnia.txt").unlink()
    index_corpus([corpus], db, workers=1)
    assert db.read_bytes() != store_bytes
    assert [c.surface for c in UserStore(db).corrections()] == ["Bosnia"]
    assert set(ARTICLES) - {"bosnia.txt"} == {Path(d.path).name for d in open_store(db).documents()}


def test_document_marks_are_kept_by_path(db: Path) -> None:
    from explorer.model import DocumentMarks

    user = UserStore(db)
    user.set_marks(DocumentMarks("a/b.txt", starred=True, tags=["later", "sources", "later"]))
    user.set_marks(DocumentMarks("c.txt", read=True))
    marks = UserStore(db).marks()
    assert marks["a/b.txt"].starred and marks["a/b.txt"].tags == ["later", "sources"]
    assert marks["c.txt"].read and not marks["c.txt"].starred
    user.set_marks(DocumentMarks("c.txt"))
    assert "c.txt" not in UserStore(db).marks()


def test_an_index_run_starting_mid_write_cannot_lose_a_correction(corpus: Path, db: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import explorer.store.user as user_module

    real_replace = user_module.os.replace
    runs: list[int] = []

    def index_between_write_and_rename(source, target) -> None:
        if not runs:  # the indexer starts (and cleans up stale temporaries) just before our rename
            runs.append(1)
            (corpus / "late.txt").write_text("Late\n\nBosnia again.\n", encoding="utf-8")
            index_corpus([corpus], db, workers=1)
        real_replace(source, target)

    monkeypatch.setattr(user_module.os, "replace", index_between_write_and_rename)
    UserStore(db).add_correction(Correction("hide", surface="Bosnia"))
    assert runs and [c.surface for c in UserStore(db).corrections()] == ["Bosnia"]
    assert "late.txt" in {Path(d.path).name for d in open_store(db).documents()}
