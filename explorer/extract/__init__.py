"""Extraction: ``SourceDocument`` -> entities (with aliases, roles, mentions) and dated events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from explorer.extract.pipeline import EXTRACTOR_VERSION, extract
from explorer.model import Extraction, Skipped

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_paths"]


def extract_paths(paths: Iterable[str | Path]) -> Iterator[Extraction | str]:
    """Extract every readable file under ``paths``; a skipped file yields its one-line message."""
    from explorer.ingest import read_paths

    for item in read_paths(paths):
        if isinstance(item, Skipped):
            yield f"skipped {item.path}: {item.reason}"
            continue
        try:
            yield extract(item)
        except Exception as exc:  # one document's extractor bug must not stop the run
            yield f"skipped {item.path}: extraction failed ({exc.__class__.__name__}: {exc})"[:300]
