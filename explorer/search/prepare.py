"""Bring a store's kept search index up to date in a process of its own.

``python -m explorer.search.prepare STORE`` builds (or updates) the index kept
beside the store and exits; the interface then maps the kept index. Building
the index of 100,000 documents peaks near 1 GB of transient arrays: done here,
that memory is this process's and is returned when it ends, instead of staying
in the interface's high-water mark for the rest of the session.
"""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.apart import run_module, worth_a_process
from explorer.store.api import CorpusReader, SearchableCorpus


def prepared_apart(reader: CorpusReader, timeout: float | None = None) -> object | None:
    """The store's search index, built or updated by a child process and then mapped from the
    kept file; None when the store is small, not on disk, or the child failed (build it here)."""
    from explorer.search.index import SearchIndex, cache_path_for

    if not isinstance(reader, SearchableCorpus) or not reader.generation:
        return None
    count = getattr(reader, "document_count", None)
    if not callable(count) or not worth_a_process(count()):
        return None
    cache = cache_path_for(reader.path)
    index = SearchIndex.load(cache, reader, reader.generation) if cache.exists() else None
    if index is not None:
        return index
    if not run_module("explorer.search.prepare", str(reader.path), timeout=timeout):
        return None
    return SearchIndex.load(cache, reader, reader.generation)  # None if another index run landed meanwhile


def main(argv: list[str] | None = None) -> int:
    from explorer.search.index import SearchIndex
    from explorer.store import StoreError, open_store

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m explorer.search.prepare STORE", file=sys.stderr)
        return 2
    try:
        SearchIndex.build(open_store(Path(args[0])))
    except StoreError as error:
        print(f"explorer: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
