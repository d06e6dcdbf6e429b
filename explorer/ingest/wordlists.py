"""The word lists page analysis reads: its own (``ingest/data``) and the extractor's (``extract/data``).

Read as files, never by importing ``explorer.extract``: ingest comes before extraction.
"""

from __future__ import annotations

from pathlib import Path

INGEST_DATA = Path(__file__).resolve().parent / "data"
EXTRACT_DATA = Path(__file__).resolve().parent.parent / "extract" / "data"


def word_list(path: Path) -> list[str]:
    """The entries of a list file: one per line, stripped; blank lines and ``#`` comments left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
