"""Search: typo-tolerant, prefix-aware lookup of entities and passages (rapidfuzz + numpy postings)."""

from __future__ import annotations

from explorer.model import SearchHit
from explorer.search.index import SearchIndex, cache_path_for, open_search_index

__all__ = ["SearchHit", "SearchIndex", "cache_path_for", "open_search_index"]
