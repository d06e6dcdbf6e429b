"""``index_corpus``: files -> extraction (on every core) -> merged corpus entities -> one atomic write.

Incremental: a file whose size and mtime match the store, and that was not
modified around the previous run (where an mtime can hide an edit), is skipped
without being read; otherwise it is read and its SHA-1 compared, so a touched
but unchanged file is not extracted again. Files no longer present are dropped.
A different schema or extractor version rebuilds everything.

One writer at a time: a lock file next to the store. Readers never take it;
they cannot see a half-written store because the storage replaces the file
atomically, once per run.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware

from explorer.model import Skipped
from explorer.store.api import IndexReport, ProgressCallback, StoreError
from explorer.store.merge import LocalEntity, merge_entities
from explorer.store.schema import (
    DOCUMENTS,
    E_ALIASES,
    E_NAME,
    E_OFFSETS,
    E_ROLES,
    E_TYPE,
    ENTITIES,
    EVENTS,
    META,
    PENDING_EVENTS,
    SCHEMA_VERSION,
    SKIPPED,
    decode_extraction,
    document_row,
    extractor_version,
)
from explorer.store.storage import AtomicJSONStorage, gc_paused, stale_temp_files

# Below this many files to extract, a process pool costs more than it saves.
POOL_THRESHOLD = 24
CHUNK_SIZE = 16
# An mtime this close to the previous run's scan may hide an edit made in the same tick.
RACY_WINDOW_NS = 2_000_000_000


class IndexInterrupted(KeyboardInterrupt):
    """Ctrl-C during indexing; what was extracted until then is saved (``report``)."""

    def __init__(self, report: IndexReport) -> None:
        super().__init__("interrupted")
        self.report = report


def doc_id_for(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def corpus_name(paths: list[Path]) -> str:
    if len(paths) == 1:
        return paths[0].name or str(paths[0])
    return f"{len(paths)} folders"


@dataclass(slots=True)
class _FileState:
    path: str  # absolute
    size: int
    mtime_ns: int
    ctime_ns: int  # changes with permissions too: a file skipped as unreadable is tried again


def read_raw_store(db_path: Path) -> dict[str, dict[str, Any]] | None:
    """The store's tables as stored, or None when there is no store; StoreError when corrupt."""
    try:
        data = AtomicJSONStorage(db_path, access_mode="r").read()
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc.msg})", db_path, can_rebuild=True) from exc
    except OSError as exc:
        raise StoreError(f"cannot read the store {db_path}: {exc.strerror or exc}", db_path) from exc
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get(META), dict) or not data[META]:
        raise StoreError(f"{db_path} is not an explorer store (no meta table)", db_path, can_rebuild=True)
    for table in (DOCUMENTS, ENTITIES):
        if not isinstance(data.get(table, {}), dict):
            raise StoreError(f"the store {db_path} is corrupt (bad {table} table)", db_path, can_rebuild=True)
    return data


def _meta_row(raw: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return next(iter(raw[META].values()))


def _scan(paths: list[Path], db_path: Path) -> Iterator[_FileState | Skipped]:
    from explorer.ingest import iter_files

    # A store kept inside its own corpus (--db ./store.json) is not a document,
    # nor are its lock, search cache and temporary files.
    own_folder, own_prefix = os.path.abspath(db_path.parent), db_path.name
    for path in iter_files(paths):
        absolute = os.path.abspath(path)
        if os.path.dirname(absolute) == own_folder and os.path.basename(absolute).startswith(own_prefix):
            continue
        try:
            stat = os.stat(absolute)
        except FileNotFoundError:
            yield Skipped(absolute, "no such file or folder")
            continue
        except OSError as exc:
            yield Skipped(absolute, exc.strerror or exc.__class__.__name__)
            continue
        yield _FileState(absolute, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _sha1_of(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha1").hexdigest()
    except OSError:
        return None


def extract_file(path: str) -> dict[str, Any] | Skipped:
    """Read and extract one file into a document row (runs in a worker process)."""
    from explorer.extract import extract
    from explorer.ingest import read_file

    item = read_file(Path(path), path)
    if isinstance(item, Skipped):
        return item
    try:
        extraction = extract(item)
    except Exception as exc:  # one document's extractor bug must not stop the run
        return Skipped(path, f"extraction failed ({exc.__class__.__name__}: {exc})"[:200])
    return document_row(extraction, doc_id_for(path))


def _extract_chunk(paths: list[str]) -> list[tuple[str, dict[str, Any] | Skipped]]:
    return [(path, extract_file(path)) for path in paths]


def _warm_worker() -> None:
    import explorer.extract  # noqa: F401  (import once per worker, not per task)
    import explorer.ingest  # noqa: F401


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is cheapest and needs no importable __main__, but forking a process
    # with other threads running (the interface indexes from a worker thread)
    # can deadlock the child: then forkserver, or spawn where that is missing.
    # (macOS system libraries are not fork-safe at all: spawn there, as Python does.)
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _extract_all(
    todo: list[str], workers: int, progress: ProgressCallback | None
) -> Iterator[tuple[str, dict[str, Any] | Skipped]]:
    total = len(todo)
    done = 0
    finished_paths: set[str] = set()
    if workers > 1 and total >= POOL_THRESHOLD:
        try:
            for path, result in _extract_in_pool(todo, workers):
                done += 1
                finished_paths.add(path)
                yield path, result
                if progress:
                    progress(done, total, path)
        except (BrokenProcessPool, OSError):
            # Workers could not start or died (no usable __main__ for spawn, out of
            # memory): finish in this process rather than fail the run.
            pass
    for path in todo:
        if path in finished_paths:
            continue
        done += 1
        yield path, extract_file(path)
        if progress:
            progress(done, total, path)


def _extract_in_pool(todo: list[str], workers: int) -> Iterator[tuple[str, dict[str, Any] | Skipped]]:
    chunks = [todo[i : i + CHUNK_SIZE] for i in range(0, len(todo), CHUNK_SIZE)]
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_warm_worker)
    try:
        # A bounded window of chunks in flight keeps memory flat on huge corpora.
        pending: set[Future[list[tuple[str, dict[str, Any] | Skipped]]]] = set()
        queue = iter(chunks)
        for chunk in queue:
            pending.add(executor.submit(_extract_chunk, chunk))
            if len(pending) >= workers * 4:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield from future.result()
                chunk = next(queue, None)
                if chunk is not None:
                    pending.add(executor.submit(_extract_chunk, chunk))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def index_corpus(
    paths: list[Path],
    db_path: Path,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    rebuild: bool = False,
    wait_seconds: float = 0.0,
    cancel: threading.Event | None = None,
) -> IndexReport:
    """Bring the store at ``db_path`` up to date with the files under ``paths``.

    Raises ``StoreError`` when another process is indexing into the same store
    (after waiting ``wait_seconds``) or when the store is corrupt (``can_rebuild``
    set; pass ``rebuild=True`` to start afresh). ``cancel``, once set, stops the run
    between extracted files as Ctrl-C does: what was extracted is written, the worker
    processes are shut down, and ``IndexInterrupted`` is raised.
    """
    started = time.monotonic()
    db_path = Path(db_path)
    roots = [Path(os.path.abspath(p)) for p in paths]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise StoreError(f"no such file or folder: {missing[0]}", db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store folder {db_path.parent}: {exc.strerror or exc}", db_path) from exc
    lock = FileLock(str(lock_path_for(db_path)), timeout=wait_seconds)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(
            f"another explorer is indexing into {db_path}; try again when it has finished", db_path
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot lock the store in {db_path.parent}: {exc.strerror or exc}", db_path) from exc
    try:
        for temp in stale_temp_files(db_path):  # left by a writer that was killed
            with contextlib.suppress(OSError):
                temp.unlink()
        return _index_locked(roots, db_path, progress, workers, rebuild, started, cancel)
    finally:
        lock.release()


def _index_locked(
    roots: list[Path],
    db_path: Path,
    progress: ProgressCallback | None,
    workers: int | None,
    rebuild: bool,
    started: float,
    cancel: threading.Event | None = None,
) -> IndexReport:
    report = IndexReport()
    raw = None if rebuild else read_raw_store(db_path)
    version = extractor_version()
    old_docs: dict[str, dict[str, Any]] = {}
    old_skipped: dict[str, dict[str, Any]] = {}
    old_events: dict[str, dict[str, Any]] = {}
    previous_scan_ns = 0
    if raw is not None:
        meta = _meta_row(raw)
        if meta.get("schema") == SCHEMA_VERSION and meta.get("extractor") == version:
            old_docs = {row["path"]: row for row in raw.get(DOCUMENTS, {}).values()}
            old_skipped = {row["path"]: row for row in raw.get(SKIPPED, {}).values()}
            old_events = {row["doc"]: row for row in raw.get(EVENTS, {}).values()}
            previous_scan_ns = int(meta.get("scan_started_ns", 0))
        else:
            report.rebuilt = True
    else:
        report.rebuilt = rebuild
    scan_started_ns = time.time_ns()
    phase_started = time.monotonic()

    def phase(name: str) -> None:
        nonlocal phase_started
        now = time.monotonic()
        report.phases[name] = report.phases.get(name, 0.0) + now - phase_started
        phase_started = now

    kept: dict[str, dict[str, Any]] = {}
    touched = False  # anything to write besides what is already stored
    todo: list[str] = []
    states: dict[str, _FileState] = {}
    skipped_rows: dict[str, dict[str, Any]] = {}
    for item in _scan(roots, db_path):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        states[item.path] = item
        old = old_docs.get(item.path)
        if old is not None and old["size"] == item.size:
            racy = item.mtime_ns >= previous_scan_ns - RACY_WINDOW_NS
            if old["mtime_ns"] == item.mtime_ns and not racy:
                kept[item.path] = old
                continue
            if _sha1_of(item.path) == old["sha1"]:
                if old["mtime_ns"] != item.mtime_ns:
                    old["mtime_ns"] = item.mtime_ns
                    touched = True
                kept[item.path] = old
                continue
        was_skipped = old_skipped.get(item.path)
        if was_skipped and (was_skipped["size"], was_skipped["mtime_ns"], was_skipped.get("ctime_ns")) == (
                item.size, item.mtime_ns, item.ctime_ns):
            report.skipped.append(Skipped(item.path, was_skipped["reason"]))
            skipped_rows[item.path] = was_skipped
            continue
        todo.append(item.path)

    phase("scan")
    report.unchanged = len(kept)
    report.removed = sum(1 for path in old_docs if path not in states)
    if report.removed or len(skipped_rows) != len(old_skipped):
        touched = True
    new_rows: dict[str, dict[str, Any]] = {}
    new_events: dict[str, dict[str, Any]] = {}
    interrupted = False
    extracted = _extract_all(todo, workers or os.cpu_count() or 1, progress)
    try:
        for path, result in extracted:
            state = states[path]
            if isinstance(result, Skipped):
                report.skipped.append(result)
                skipped_rows[path] = {"path": path, "size": state.size, "mtime_ns": state.mtime_ns,
                                      "ctime_ns": state.ctime_ns, "reason": result.reason}
                touched = True
            else:
                result["mtime_ns"] = state.mtime_ns
                new_rows[path] = result
                new_events[result["id"]] = result.pop(PENDING_EVENTS)
            if cancel is not None and cancel.is_set():
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        # Keep what was extracted: the store is written (consistently) before giving up.
        interrupted = True
    finally:
        extracted.close()  # shuts the worker pool down now (its semaphores released), not at exit
    phase("extract")
    report.changed = sum(1 for path in new_rows if path in old_docs)
    report.added = len(new_rows) - report.changed
    if interrupted:
        # Files not reached keep their previous version, if any.
        for path in todo:
            if path not in new_rows and path not in skipped_rows and path in old_docs:
                kept[path] = old_docs[path]

    documents = {**kept, **new_rows}
    ordered = [documents[path] for path in sorted(documents)]
    event_rows = [new_events.get(row["id"]) or old_events[row["id"]] for row in ordered if row["event_count"]]
    needs_write = raw is None or report.rebuilt or touched or bool(new_rows) or interrupted
    if needs_write:
        with gc_paused():  # hundreds of thousands of small lists, no cycles
            entity_rows = _merge(ordered)
        phase("merge")
        meta_row = {
            "schema": SCHEMA_VERSION,
            "extractor": version,
            "name": corpus_name(roots),
            "roots": [str(root) for root in roots],
            "generation": uuid.uuid4().hex,
            "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "scan_started_ns": scan_started_ns,
        }
        try:
            _write_store(db_path, meta_row, ordered, entity_rows, event_rows,
                         [skipped_rows[p] for p in sorted(skipped_rows)])
        except OSError as exc:
            raise StoreError(f"cannot write the store in {db_path.parent}: {exc.strerror or exc}; "
                             "the previous store is kept", db_path) from exc
        phase("write")
        report.entities = len(entity_rows)
    else:
        report.entities = len(raw[ENTITIES]) if raw else 0
    report.documents = len(ordered)
    report.events = sum(row["event_count"] for row in ordered)
    report.skipped.sort(key=lambda s: s.path)
    report.seconds = time.monotonic() - started
    if interrupted:
        raise IndexInterrupted(report)
    return report


def _merge(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    extracted = [decode_extraction(row)["entities"] for row in rows]

    def locals_() -> Iterable[LocalEntity]:
        for row, entities in zip(rows, extracted, strict=True):
            for index, entity in enumerate(entities):
                yield LocalEntity(row["id"], index, entity[E_NAME], entity[E_TYPE], entity[E_ALIASES],
                                  entity[E_ROLES], entity[E_OFFSETS])

    merged, assignment = merge_entities(locals_())
    for row, entities in zip(rows, extracted, strict=True):
        ids = [assignment[(row["id"], index)] for index in range(len(entities))]
        row["entity_ids"] = " ".join(ids)
        row["entity_count"] = len(set(ids))
    return [
        {
            "id": entity.entity_id,
            "name": entity.name,
            "type": entity.type,
            "aliases": entity.aliases,
            "roles": entity.roles,
            "count": entity.count,
            "docs": entity.docs,
            # "id:shared-documents ..." in one string: a list of pairs per entity
            # would be a third of the memory of an opened store.
            "cooccurring": " ".join(f"{other}:{n}" for other, n in entity.cooccurring),
        }
        for entity in merged
    ]


def _write_store(
    db_path: Path,
    meta: dict[str, Any],
    documents: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    events: list[dict[str, Any]],
    skipped: list[dict[str, Any]],
) -> None:
    """Write every table in one atomic file replacement."""
    storage = CachingMiddleware(AtomicJSONStorage)
    # Flush only on close: an intermediate flush would publish a store whose
    # tables disagree (new documents, old entities).
    storage.WRITE_CACHE_SIZE = sys.maxsize
    db = TinyDB(db_path, storage=storage)
    # If any of this raises, close() is never reached and nothing reaches the disk.
    db.drop_tables()
    db.table(META).insert(meta)
    db.table(DOCUMENTS).insert_multiple(documents)
    db.table(ENTITIES).insert_multiple(entities)
    db.table(EVENTS).insert_multiple(events)
    db.table(SKIPPED).insert_multiple(skipped)
    db.close()  # the one flush: one atomic replacement of the file
