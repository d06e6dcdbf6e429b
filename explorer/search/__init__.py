"""Search: typo-tolerant, prefix-aware lookup of entities and passages (rapidfuzz + numpy postings)."""

from __future__ import annotations

from explorer.model import SearchHit
from explorer.search.index import SearchIndex

__all__ = ["SearchHit", "SearchIndex"]
