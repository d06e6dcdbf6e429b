"""Page layout of a plain-text article (being built)."""

from __future__ import annotations

from explorer.model import SourceDocument


def analyse_page(doc: SourceDocument) -> None:
    return None
