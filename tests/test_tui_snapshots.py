"""Snapshots of the interface (fixed data and size): main screen, search, help, timeline, mentions, a note,
the entity filter, the document list, the light theme, and the small terminals (100x30, 80x24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_fakes import FakeSearch, make_reader
from tui_screen import settle

from explorer.tui.app import ExplorerApp

SIZE = (120, 36)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExplorerApp:
    monkeypatch.chdir(tmp_path)  # the toast shows the notes path: keep it short and stable
    reader = make_reader()
    return ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=Path("notes.md"), clipboard=[],
                       now=lambda: "2026-01-01 00:00 UTC", keymap_path=Path("keymap.toml"),
                       settings_path=Path("settings.json"))


def keys(*pressed: str):  # type: ignore[no-untyped-def]
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press(*pressed)
        await settle(pilot)

    return before


def test_main_screen(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_search(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("slash", "b", "o", "s"))


def test_help(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("question_mark"))


def test_timeline(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("t", "end", "left", "plus"))


def test_entity_mentions(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("e", "down", "enter"))


def test_note_exported(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("j", "j", "j", "v", "w", "w", "w", "y"))


def test_entity_filter_typing(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("e", "f", "k", "o", "r"))


def test_document_list(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("d"))


def test_entity_timeline_at_100_columns(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("e", "j", "T"))


def test_reader_at_80x24(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("r", "n"))


def test_light_theme(app: ExplorerApp, snap_compare) -> None:
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.theme = "textual-light"
        await pilot.press("e", "down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)
