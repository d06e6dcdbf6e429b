"""The corpus store: TinyDB tables and bulk files behind ``CorpusReader``, atomic writes, one writer.

Only this package imports TinyDB; everything else reads through ``CorpusStore``
(``open_store``) and writes through ``index_corpus`` (or ``index_shards``).
The heavy parts are imported on first use, so ``explorer search`` starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.store.api import CorpusReader, IndexReport, ProgressCallback, SearchableCorpus, StoreError

if TYPE_CHECKING:
    from explorer.store.indexer import IndexInterrupted, index_corpus, index_shards
    from explorer.store.reader import CorpusStore, open_store


def store_path_for(corpus: Path, db: Path | None = None) -> Path:
    """The store file for a corpus: ``db`` when given, else the per-corpus default under the data dir."""
    if db is not None:
        return Path(db).expanduser()
    from explorer.paths import default_store_path

    return default_store_path(Path(corpus))


_LAZY = {
    "index_corpus": "explorer.store.indexer",
    "index_shards": "explorer.store.indexer",
    "IndexInterrupted": "explorer.store.indexer",
    "CorpusStore": "explorer.store.reader",
    "open_store": "explorer.store.reader",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'explorer.store' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "CorpusReader",
    "CorpusStore",
    "IndexInterrupted",
    "IndexReport",
    "ProgressCallback",
    "SearchableCorpus",
    "StoreError",
    "index_corpus",
    "index_shards",
    "open_store",
    "store_path_for",
]
