"""``explorer extract --jsonl``: extraction as a pure function of a file, one JSON line per document.

A line holds everything the store keeps of a document (``schema.document_row``:
metadata, text, furniture, pages, entities with every mention, sentences, dated
events) and the identity of the file it came from (``source``, ``size``,
``mtime_ns``, ``sha1``) with the ``extractor`` version; a part of a file that
could not be read is a line with ``skipped`` (its reason) instead. The
documents of one file are on consecutive lines. ``explorer index --from-jsonl``
(``indexer.index_shards``) builds from such lines the store ``explorer index``
builds from the files, so extraction can be mapped over millions of files on
other machines (Dask, Ray, Spark, a batch queue) and the shards indexed here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from explorer.extract.dump import jsonl_line
from explorer.model import Skipped
from explorer.store.indexer import FileResult, _extract_all
from explorer.store.schema import extractor_version
from explorer.store.walk import scan


def shard_lines(paths: list[Path], workers: int | None = None,
                scheduler: str | None = None) -> Iterator[tuple[dict[str, Any], Skipped | None]]:
    """(line object, the skip it reports or None) for every document and unreadable part under ``paths``."""
    roots = [os.path.abspath(p) for p in paths]
    version = extractor_version()
    states = {}
    for item in scan([Path(r) for r in roots], Path(os.devnull)):
        if isinstance(item, Skipped):
            yield ({"source": item.path, "path": item.path, "skipped": item.reason, "size": 0, "mtime_ns": 0,
                    "sha1": "", "extractor": version, "roots": roots}, item)
        else:
            states[item.path] = item
    results: Iterator[tuple[str, FileResult]] = _extract_all(list(states), workers or os.cpu_count() or 1, None,
                                                             scheduler)
    for source, result in results:
        state = states[source]
        identity = {"source": source, "size": state.size, "mtime_ns": state.mtime_ns, "extractor": version,
                    "roots": roots}
        rows = [row for row in result if not isinstance(row, Skipped)]
        if not result:
            result = [Skipped(source, "holds no documents")]
        for row in result:
            if isinstance(row, Skipped):
                sha1 = rows[0]["sha1"] if rows else ""
                yield {**identity, "path": row.path, "skipped": row.reason, "sha1": sha1}, row
            else:
                row.update(identity)
                yield row, None


def write_jsonl(paths: list[Path], out: BinaryIO, workers: int | None = None) -> list[Skipped]:
    """Write every document under ``paths`` as one line to ``out``; returns what was skipped."""
    skipped: list[Skipped] = []
    for line, skip in shard_lines(paths, workers):
        out.write(jsonl_line(line))
        if skip is not None:
            skipped.append(skip)
    out.flush()
    return skipped
