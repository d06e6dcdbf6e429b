"""The corpus store: TinyDB behind ``CorpusReader``, atomic writes, one writer, incremental index.

Only this package imports TinyDB; everything else reads through ``CorpusStore``
(``open_store``) and writes through ``index_corpus``.
"""

from __future__ import annotations

from pathlib import Path

from explorer.store.api import CorpusReader, IndexReport, ProgressCallback, StoreError
from explorer.store.indexer import index_corpus
from explorer.store.reader import CorpusStore, open_store


def store_path_for(corpus: Path, db: Path | None = None) -> Path:
    """The store file for a corpus: ``db`` when given, else the per-corpus default under the data dir."""
    if db is not None:
        return Path(db).expanduser()
    from explorer.paths import default_store_path

    return default_store_path(Path(corpus))


__all__ = [
    "CorpusReader",
    "CorpusStore",
    "IndexReport",
    "ProgressCallback",
    "StoreError",
    "index_corpus",
    "open_store",
    "store_path_for",
]
