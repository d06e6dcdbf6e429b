"""The layer rules hold: import-linter's contracts (pyproject.toml) and a fresh interpreter per core module."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["explorer.ingest", "explorer.extract", "explorer.store", "explorer.search", "explorer.model",
        "explorer.notes", "explorer.textsafe", "explorer.paths", "explorer.corpus"]


def test_import_linter_contracts_are_kept() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_contracts_cover_every_core_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    no_textual = next(c for c in contracts if "textual" in c["forbidden_modules"])
    assert set(CORE) <= set(no_textual["source_modules"])
    assert "explorer.tui" in no_textual["forbidden_modules"]
    no_tinydb = next(c for c in contracts if "tinydb" in c["forbidden_modules"])
    assert no_tinydb["source_modules"] == ["explorer.tui"]


@pytest.mark.parametrize("module", CORE + ["explorer.cli"])
def test_core_module_loads_without_textual(module: str) -> None:
    """A fresh interpreter: importing the module (and what it imports) never loads Textual."""
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
