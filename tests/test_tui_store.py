"""The interface on a real store built from the seeds (and small hand-made folders) in a tmp dir."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from textual.pilot import Pilot
from tui_screen import screen_text

from explorer.cli import main as cli_main
from explorer.paths import seeds_dir
from explorer.store import index_corpus
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.error import StoreErrorScreen
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


async def settle(pilot: Pilot, delay: float = 0.2) -> None:
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def opened(pilot: Pilot, app: ExplorerApp, timeout: float = 20.0) -> None:
    """Wait until the store is open, indexed and searchable (or has failed)."""
    waited = 0.0
    while waited < timeout and not app.store_error and (
        app.session is None or app.session.search is None or app._indexing or app.document is None
    ):
        await pilot.pause(0.05)
        waited += 0.05
    await settle(pilot)


async def test_first_run_builds_the_store_then_search_lands_on_bosworth(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    app = ExplorerApp(corpus, db=db, notes_path=tmp_path / "notes.md", clipboard=[])
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert db.exists()
        assert app.session is not None and len(app.session.documents) == 2
        text = screen_text(app)
        assert "Indexed 2 documents: 2 new" in text
        assert "Stephen Bosworth" in text and "Timeline ·" in text
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
    app = ExplorerApp(corpus, db=db, notes_path=tmp_path / "notes.md", clipboard=[])
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert app.session is not None and len(app.session.documents) == 3
        assert "1 new" in screen_text(app)


async def test_store_locked_by_another_indexer_keeps_the_last_state(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    index_corpus([corpus], db)
    (corpus / "000_8bb1b2e5fde0c75e.txt").write_text("changed\n", encoding="utf-8")
    with FileLock(str(db.with_name(db.name + ".lock"))):
        app = ExplorerApp(corpus, db=db, notes_path=tmp_path / "notes.md", clipboard=[])
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot, app)
            assert app.session is not None and len(app.session.documents) == 2  # still readable
            assert app.store_error
            assert not isinstance(app.screen, StoreErrorScreen)
            assert "Traceback" not in screen_text(app)


async def test_missing_store_without_indexing_is_a_clear_message(tmp_path: Path) -> None:
    app = ExplorerApp(tmp_path, db=tmp_path / "absent.json", notes_path=tmp_path / "n.md", clipboard=[],
                      index=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StoreErrorScreen)
        assert "No store at" in screen_text(app) or "no store at" in screen_text(app)


def test_cli_open_errors_have_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    # not a terminal (pytest captures stdout): a clear refusal, not a broken screen
    assert cli_main([str(tmp_path)]) == 2
    assert "needs a terminal" in capsys.readouterr().err


async def test_corrupt_store_offers_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    db.write_text("{not json", encoding="utf-8")
    app = ExplorerApp(corpus, db=db, notes_path=tmp_path / "notes.md", clipboard=[])
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert isinstance(app.screen, StoreErrorScreen)
        text = screen_text(app)
        assert "corrupt" in text and "r rebuilds the store" in text
        await pilot.press("r")
        await pilot.pause(0.2)
        await opened(pilot, app)
        assert not isinstance(app.screen, StoreErrorScreen)
        assert app.session is not None and len(app.session.documents) == 2
        assert app.document is not None
