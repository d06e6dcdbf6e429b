"""The extraction pipeline: the stages in order (being built)."""

from __future__ import annotations

from explorer.model import Extraction, SourceDocument


def extract(doc: SourceDocument) -> Extraction:
    return Extraction(document=doc)
