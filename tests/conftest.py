"""Shared fixtures: keep every test away from the developer's real data and clipboard."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EXPLORER_DATA_DIR (and the config folder) point at a fresh temporary folder; no system clipboard is touched."""
    data = tmp_path_factory.mktemp("explorer-data")
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    monkeypatch.setenv("EXPLORER_CONFIG_DIR", str(data / "config"))  # no keymap or theme of the developer's
    monkeypatch.setenv("EXPLORER_CLIPBOARD", "none")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return data
