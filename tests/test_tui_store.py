"""The interface on a real store built from the seeds (and small hand-made folders) in a tmp dir."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from textual.pilot import Pilot
from tui_fakes import land_other_index
from tui_screen import screen_text, settle

from explorer.cli import main as cli_main
from explorer.paths import seeds_dir
from explorer.store import index_corpus, open_store
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.error import StoreErrorScreen
from explorer.tui.screens.skipped import SkippedScreen
from explorer.tui.widgets.doc_view import DocView
from explorer.tui.widgets.mention_list import MentionList

SIZE = (140, 40)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(seeds_dir().glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def make_app(tmp_path: Path, corpus: Path, db: Path, **kwargs: object) -> ExplorerApp:
    return ExplorerApp(corpus, db=db, notes_path=tmp_path / "notes.md", clipboard=[],  # type: ignore[arg-type]
                       keymap_path=tmp_path / "keymap.toml", settings_path=tmp_path / "settings.json", **kwargs)


async def opened(pilot: Pilot, app: ExplorerApp) -> None:
    """Wait until the store is open, indexed and searchable (or has failed)."""
    await settle(pilot, lambda: bool(app.store_error) or (
        app.session is not None and app.session.search is not None and app.document is not None))


async def test_first_run_builds_the_store_then_search_lands_on_bosworth(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    app = make_app(tmp_path, corpus, db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert db.exists()
        assert app.session is not None and len(app.session.documents) == 2
        text = screen_text(app)
        assert "Indexed 2 documents: 2 new" in text
        assert "Stephen Bosworth" in text and "Timeline ·" in text
        # the run's report ends with the counts, the events' too once the timeline has read them
        assert app.session.timeline_ready
        status = next(line for line in text.splitlines() if "Indexed 2 documents" in line)
        assert status.rstrip().endswith(f"{len(app.session.events)} events") and "loading" not in status
        await pilot.press("slash", "b", "o", "s")
        await settle(pilot)
        assert "Stephen Bosworth" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        mentions = app.query_one(MentionList)
        assert app.selected_entity is not None and app.selected_entity.name == "Stephen Bosworth"
        assert len(mentions.mentions) >= 5 and app.focused is mentions
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(DocView)
        first = mentions.mentions[0]
        assert app.document is not None and app.document.summary.doc_id == first.doc_id
        assert view.text[view.cursor : view.cursor + 8] in {"Stephen ", "Bosworth"}
        # select the sentence around the mention and export it
        await pilot.press("v", "w", "w", "y")
        await settle(pilot)
        saved = (tmp_path / "notes.md").read_text()
        assert saved == app.clipboard
        assert "- Entities: Stephen Bosworth (person)" in saved
        assert f"- Path: {app.document.summary.path}" in saved


async def test_changed_file_is_reindexed_while_the_store_is_shown(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    index_corpus([corpus], db)
    (corpus / "extra.txt").write_text(
        "Envoy Meets Officials\n\nBy Jane Roe\nMarch 3, 2010\n\nStephen Bosworth met officials in Seoul "
        "on March 2, 2010, to discuss the Six-Party Talks.\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path, corpus, db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert app.session is not None and len(app.session.documents) == 3
        assert "Indexed 3 documents: 1 new, 0 changed, 0 removed" in screen_text(app)


async def test_one_document_is_counted_in_the_singular(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "only.txt").write_text("Envoy Meets Officials\n\nStephen Bosworth met officials in Seoul on "
                                     "March 2, 2010.\n", encoding="utf-8")
    app = make_app(tmp_path, folder, tmp_path / "store.json")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        text = screen_text(app)
        assert "Indexed 1 document: 1 new" in text and "1 document ·" in text
        assert "1 documents" not in text and "1 entities" not in text and "1 events" not in text


async def test_a_second_explorer_shows_the_last_store_and_follows_the_index(corpus: Path, tmp_path: Path) -> None:
    """Another explorer holds the index lock: this one shows the last complete store, says so, and
    shows the new store when that index lands."""
    db = tmp_path / "store.json"
    index_corpus([corpus], db)
    (corpus / "extra.txt").write_text("Envoy Meets Officials\n\nStephen Bosworth met officials in Seoul on "
                                      "March 2, 2010.\n", encoding="utf-8")
    lock = FileLock(str(db.with_name(db.name + ".lock")))
    lock.acquire()
    try:
        app = make_app(tmp_path, corpus, db)
        app.service.poll_seconds = 0.05
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: app.waiting_for_other and app.document is not None, store=False)
            assert app.session is not None and len(app.session.documents) == 2  # the last complete store
            assert not isinstance(app.screen, StoreErrorScreen)
            assert "Another explorer is indexing corpus: showing the last complete store; follows when it lands" \
                in screen_text(app)
            # the other explorer's run lands (one atomic replacement), then lets go of the lock
            land_other_index([corpus], db, tmp_path / "other.json")
            await settle(pilot, lambda: app.session is not None and len(app.session.documents) == 3, store=False)
            lock.release()
            await settle(pilot)
            assert not app.waiting_for_other and "Up to date: 3 documents" in screen_text(app)
    finally:
        if lock.is_locked:
            lock.release()


async def test_a_second_explorer_waits_for_a_first_store(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    with FileLock(str(db.with_name(db.name + ".lock"))):
        app = make_app(tmp_path, corpus, db)
        app.service.poll_seconds = 0.05
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: app.waiting_for_other, store=False)
            assert app.session is None and not isinstance(app.screen, StoreErrorScreen)
            assert "waiting for it to finish" in screen_text(app)
            land_other_index([corpus], db, tmp_path / "other.json")
            await settle(pilot, lambda: app.document is not None, store=False)
            assert app.session is not None and len(app.session.documents) == 2


async def test_quitting_while_indexing_saves_what_was_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.store import indexer

    folder = tmp_path / "slow"
    folder.mkdir()
    for number in range(20):  # below the pool threshold: extracted in this process, one by one
        (folder / f"doc{number:02d}.txt").write_text(f"Report {number}\n\nStephen Bosworth met Kang Sok Ju on "
                                                     f"March {number + 1}, 2009.\n", encoding="utf-8")
    real = indexer.extract_file
    release = __import__("threading").Event()

    def slow(path: str):  # type: ignore[no-untyped-def]
        release.wait(0.2)
        return real(path)

    monkeypatch.setattr(indexer, "extract_file", slow)
    db = tmp_path / "store.json"
    app = make_app(tmp_path, folder, db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: "Indexing █" in screen_text(app) and app.busy_indexing, store=False)
        await pilot.press("q")
    assert app.return_code == 0
    assert app.wait_for_saved(timeout=30)
    saved = len(open_store(db).documents())
    assert 1 <= saved < 20  # what was extracted before q is in the store; the rest comes next time


async def test_skipped_files_are_listed_with_their_reason(corpus: Path, tmp_path: Path) -> None:
    (corpus / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "empty.txt").write_bytes(b"")
    app = make_app(tmp_path, corpus, tmp_path / "store.json")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert "2 files not read (! shows why)" in screen_text(app)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, SkippedScreen)
        text = screen_text(app)
        assert "Skipped · 2 files of corpus not read" in text
        assert "picture.txt" in text and "empty.txt" in text
        reasons = {Path(item.path).name: item.reason for item in app.screen.skipped}
        for name, reason in reasons.items():
            assert reason in text, name
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SkippedScreen)


async def test_missing_store_without_indexing_is_a_clear_message(tmp_path: Path) -> None:
    app = make_app(tmp_path, tmp_path, tmp_path / "absent.json", index=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StoreErrorScreen)
        assert "no store at" in screen_text(app)


def test_cli_open_errors_have_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    # not a terminal (pytest captures stdout): a clear refusal, not a broken screen
    assert cli_main([str(tmp_path)]) == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_cli_search_without_a_path_says_which_store(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer import corpus as service

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    target = service.target_for(corpus)
    index_corpus([corpus], target.db_path)
    service.remember_opened(target)  # as the interface does when it opens a corpus
    assert cli_main(["search", "--json", "Bosworth"]) == 0
    out = capsys.readouterr()
    assert "the corpus opened last" in out.err and str(corpus) in out.err
    assert '"name":"Stephen Bosworth"' in out.out
    monkeypatch.chdir(corpus)  # the current folder has a store: it wins
    assert cli_main(["search", "--json", "Bosworth"]) == 0
    assert "the current folder's store" in capsys.readouterr().err


async def test_corrupt_store_offers_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    db.write_text("{not json", encoding="utf-8")
    app = make_app(tmp_path, corpus, db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert isinstance(app.screen, StoreErrorScreen)
        text = screen_text(app)
        assert "corrupt" in text and "r rebuilds the store" in text
        await pilot.press("r")
        await settle(pilot, lambda: app.document is not None and app.session is not None
                     and app.session.search is not None)
        assert not isinstance(app.screen, StoreErrorScreen)
        assert app.session is not None and len(app.session.documents) == 2


async def test_a_store_named_alone_reindexes_the_folders_it_was_built_from(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    index_corpus([corpus], db)
    (corpus / "extra.txt").write_text("Envoy Meets Officials\n\nStephen Bosworth met officials in Seoul on "
                                      "March 2, 2010.\n", encoding="utf-8")
    app = ExplorerApp(None, db=db, notes_path=tmp_path / "notes.md", clipboard=[],
                      keymap_path=tmp_path / "keymap.toml", settings_path=tmp_path / "settings.json")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert app.session is not None and len(app.session.documents) == 3
        assert "Indexed 3 documents: 1 new" in screen_text(app)
