"""Snapshots of the main screen, search, help, timeline, mentions and an exported note (fixed size and data)."""

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
                       now=lambda: "2026-01-01 00:00 UTC")


def test_main_screen(app: ExplorerApp, snap_compare) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_search(app: ExplorerApp, snap_compare) -> None:
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", "b", "o", "s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_help(app: ExplorerApp, snap_compare) -> None:
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_timeline(app: ExplorerApp, snap_compare) -> None:
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("t", "end", "left", "plus")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_entity_mentions(app: ExplorerApp, snap_compare) -> None:
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("e", "down", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_note_exported(app: ExplorerApp, snap_compare) -> None:
    async def before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "j", "v", "w", "w", "w", "y")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)
