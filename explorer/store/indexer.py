"""``index_corpus``: files -> extraction (on every core, or on a dask cluster) -> records -> merge -> one atomic publish.

Incremental: a file whose size and mtime match the store, and that was not
modified around the previous run (where an mtime can hide an edit), is skipped
without being read; otherwise it is read and its SHA-1 compared, so a touched
but unchanged file is not extracted again. Files no longer present are dropped.
A different schema or extractor version rebuilds everything.

Streaming: each extracted document is appended to this run's segment as it
arrives and counted into the merge (``builder.py``), so memory holds summaries
and numbers, not texts, whatever the corpus size. A small change reads back
only the changed documents' old records, merges again only the clusters it
touched, and writes a small segment, new arrays and the tables that changed.

``index_shards`` builds the same store from ``explorer extract --jsonl``
shards instead of files: extraction is a pure function of a document, so it
can run anywhere (see docs/scale.md).

One writer at a time: a lock file next to the store. Readers never take it;
they cannot see a half-written store because the root file is replaced
atomically, once per run, after every file it names is on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout

from explorer.gcpause import gc_paused, gc_running
from explorer.model import Skipped
from explorer.store.api import IndexReport, ProgressCallback, StoreError
from explorer.store.schema import (
    DOCUMENTS,
    ENTITIES,
    FILES,
    META,
    NODES,
    SCHEMA_VERSION,
    SKIPPED,
    document_row,
    extractor_version,
)
from explorer.store.storage import (
    StoreFormatError,
    StoreTables,
    open_tables,
    remove_unreferenced,
    sidecar_folder,
    stale_temp_files,
)
from explorer.store.walk import FileState, scan, walk_apart

# Below this many files to extract, a process pool costs more than it saves.
POOL_THRESHOLD = 24
CHUNK_SIZE = 16
# An mtime this close to the previous run's scan may hide an edit made in the same tick.
RACY_WINDOW_NS = 2_000_000_000


class IndexInterrupted(KeyboardInterrupt):
    """Ctrl-C (or ``cancel``) during indexing; what was extracted until then is saved (``report``)."""

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


def read_raw_store(db_path: Path) -> StoreTables | None:
    """The store's tables as stored (read lazily), or None when there is no store; StoreError when corrupt."""
    try:
        tables = open_tables(db_path)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc.msg})", db_path, can_rebuild=True) from exc
    except StoreFormatError as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc})", db_path, can_rebuild=True) from exc
    except OSError as exc:
        raise StoreError(f"cannot read the store {db_path}: {exc.strerror or exc}", db_path) from exc
    if tables is None:
        return None
    meta = tables.get(META) if META in tables else None
    if not isinstance(meta, dict) or not meta or not isinstance(next(iter(meta.values())), dict):
        raise StoreError(f"{db_path} is not an explorer store (no meta table)", db_path, can_rebuild=True)
    return tables


def _meta_row(tables: StoreTables) -> dict[str, Any]:
    return next(iter(tables[META].values()))


def _sha1_of(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha1").hexdigest()
    except OSError:
        return None


def extract_file(path: str) -> list[dict[str, Any] | Skipped]:
    """Read and extract one file into its document rows (runs in a worker process).

    A file usually holds one document; a container (a mailbox, an e-mail with
    attachments) holds several, each a row of its own with ``source`` naming the file.
    A file that cannot be read at all is one ``Skipped`` with the file's own path.
    """
    from explorer.extract import extract
    from explorer.ingest import read_documents

    rows: list[dict[str, Any] | Skipped] = []
    file_sha1: str | None = None
    for item in read_documents(Path(path), path):
        if isinstance(item, Skipped):
            rows.append(item)
            continue
        try:
            extraction = extract(item)
        except Exception as exc:  # one document's extractor bug must not stop the run
            rows.append(Skipped(item.path, f"extraction failed ({exc.__class__.__name__}: {exc})"[:200]))
            continue
        row = document_row(extraction, doc_id_for(item.path))
        row["source"] = path
        if item.path != path:  # a part of a container: the file's identity, not the part's
            file_sha1 = file_sha1 or _sha1_of(path) or ""
            row["sha1"] = file_sha1
        rows.append(row)
    return rows


FileResult = list[dict[str, Any] | Skipped]


def _extract_chunk(paths: list[str]) -> list[tuple[str, FileResult]]:
    return [(path, extract_file(path)) for path in paths]


# How often a worker checks that the process that started it is still there.
PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(indexer_pid: int, direct_child: bool) -> None:
    """End this worker when the indexer ends, even by SIGKILL (which runs no clean-up in the indexer).

    On Linux the kernel sends the worker SIGKILL when its parent dies (``PR_SET_PDEATHSIG``).
    Everywhere, a daemon thread also polls: a parent's death re-parents the worker (to
    init or a subreaper), so ``os.getppid()`` changes. A forkserver's worker is the
    forkserver's child, and the forkserver outlives the indexer for as long as any of its
    workers holds its "alive" pipe open: that worker watches the indexer's pid itself.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = os.getppid()

    def indexer_gone() -> bool:
        if direct_child:
            return os.getppid() != indexer_pid
        return os.getppid() != parent or not _alive(indexer_pid)

    if indexer_gone():
        os._exit(1)  # the indexer died before the signal was asked for

    def watch() -> None:
        while not indexer_gone():
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="explorer-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _warm_worker(indexer_pid: int, direct_child: bool) -> None:
    _die_with_parent(indexer_pid, direct_child)
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
    todo: list[str], workers: int, progress: ProgressCallback | None, scheduler: str | None = None
) -> Iterator[tuple[str, FileResult]]:
    total = len(todo)
    done = 0
    finished_paths: set[str] = set()
    if scheduler is not None:
        # On a dask.distributed cluster: its failures are the cluster's to report, not hidden by a fallback.
        for path, result in _extract_on_dask(todo, scheduler, workers):
            done += 1
            yield path, result
            if progress:
                progress(done, total, path)
        return
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


def _extract_in_pool(todo: list[str], workers: int) -> Iterator[tuple[str, FileResult]]:
    chunks = [todo[i : i + CHUNK_SIZE] for i in range(0, len(todo), CHUNK_SIZE)]
    context = _pool_context()
    # Workers die with the indexer (see _die_with_parent); a forkserver's are the forkserver's children.
    direct = context.get_start_method() != "forkserver"
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_worker,
                                   initargs=(os.getpid(), direct))
    try:
        # A bounded window of chunks in flight keeps memory flat on huge corpora.
        pending: set[Future[list[tuple[str, FileResult]]]] = set()
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




LOCAL_CLUSTER = "local"  # ``scheduler`` value: start a dask LocalCluster of ``workers`` processes
DASK_CONNECT_SECONDS = 30


def _extract_on_dask(todo: list[str], scheduler: str, workers: int) -> Iterator[tuple[str, FileResult]]:
    """The same chunks as the pool, mapped over a dask.distributed cluster (``pip install explorer[dask]``).

    The workers read the files by their paths, so they must see the same file
    system (a shared folder); elsewhere run ``explorer extract --jsonl`` where the
    files are and ``explorer index --from-jsonl`` here.
    """
    try:
        from distributed import Client, LocalCluster
        from distributed import wait as dask_wait
    except ImportError:
        raise StoreError("--executor dask needs dask.distributed: pip install 'explorer[dask]'") from None
    cluster = None
    try:
        if scheduler == LOCAL_CLUSTER:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            scheduler = cluster.scheduler_address
        client = Client(scheduler, timeout=DASK_CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise StoreError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = iter([todo[i : i + CHUNK_SIZE] for i in range(0, len(todo), CHUNK_SIZE)])
        # A bounded window of chunks in flight keeps memory flat on huge corpora.
        pending = {client.submit(_extract_chunk, chunk, pure=False)
                   for chunk in (next(chunks, None) for _ in range(workers * 4)) if chunk}
        while pending:
            with client.as_current():
                finished, pending = dask_wait(pending, return_when="FIRST_COMPLETED")
            for future in finished:
                results = future.result()
                chunk = next(chunks, None)
                if chunk is not None:
                    pending.add(client.submit(_extract_chunk, chunk, pure=False))
                yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- where the documents come from: files, or shards of extracted documents -------------------


@dataclass
class _Sources:
    """What one run reads: the files to consider and how to extract the ones that changed."""

    roots: list[Path]
    name: str
    scan: Callable[[], Iterable[FileState | Skipped]]
    extract: Callable[[list[str]], Iterator[tuple[str, FileResult]]]
    version: Callable[[], str] = extractor_version
    folders: tuple[list[Path], Path] | None = None  # a walk of these roots for this store: it may run apart


def _file_sources(roots: list[Path], db_path: Path, workers: int | None, progress: ProgressCallback | None,
                  scheduler: str | None) -> _Sources:
    return _Sources(
        roots=roots,
        name=corpus_name(roots),
        scan=lambda: scan(roots, db_path),
        extract=lambda todo: _extract_all(todo, workers or os.cpu_count() or 1, progress, scheduler),
        folders=(roots, db_path),
    )


def iter_shard_lines(shards: list[Path]) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """(shard, line number, object) of every line of JSONL shards; StoreError on a line that is not one."""
    for shard in shards:
        try:
            handle = open(shard, "rb")  # noqa: SIM115
        except OSError as exc:
            raise StoreError(f"cannot read {shard}: {exc.strerror or exc}") from exc
        with handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    item = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise StoreError(f"{shard}:{number}: not a JSON line ({exc.msg})") from exc
                if not isinstance(item, dict) or "source" not in item:
                    raise StoreError(f"{shard}:{number}: not a line of `explorer extract --jsonl`")
                yield shard, number, item


def shard_item(item: dict[str, Any]) -> dict[str, Any] | Skipped:
    if "skipped" in item:
        return Skipped(item["path"], item["skipped"])
    return item


def _shard_sources(shards: list[Path], progress: ProgressCallback | None) -> _Sources:
    versions: set[str] = set()
    roots: list[str] = []

    def shard_files() -> Iterator[FileState | Skipped]:
        seen: dict[str, FileState] = {}
        for _, _, item in iter_shard_lines(shards):
            source = item["source"]
            versions.add(str(item.get("extractor", "")))
            for root in item.get("roots", []):
                if root not in roots:
                    roots.append(root)
            if source not in seen:
                seen[source] = FileState(source, int(item.get("size", 0)), int(item.get("mtime_ns", 0)), 0,
                                          str(item.get("sha1", "")))
        if len(versions) > 1:
            raise StoreError(f"the shards were extracted by different extractor versions ({', '.join(sorted(versions))})"
                             "; extract them again with one explorer")
        yield from seen.values()

    def extract(todo: list[str]) -> Iterator[tuple[str, FileResult]]:
        wanted = set(todo)
        done_sources: set[str] = set()
        current: str | None = None
        result: FileResult = []
        for shard, number, item in iter_shard_lines(shards):
            source = item["source"]
            if source != current:
                if current is not None and current in wanted:
                    yield current, result
                    if progress:
                        progress(len(done_sources), len(wanted), current)
                if source in done_sources:
                    raise StoreError(f"{shard}:{number}: the documents of {source} are not on consecutive lines")
                done_sources.add(source)
                current, result = source, []
            if source in wanted:
                result.append(shard_item(item))
        if current is not None and current in wanted:
            yield current, result
            if progress:
                progress(len(done_sources), len(wanted), current)

    return _Sources(
        roots=[],
        name=corpus_name(list(shards)) if len(shards) == 1 else f"{len(shards)} shards",
        scan=shard_files,
        extract=extract,
        version=lambda: next(iter(versions), "") or extractor_version(),
    )


# --- the run ----------------------------------------------------------------------------------


def index_corpus(
    paths: list[Path],
    db_path: Path,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    rebuild: bool = False,
    wait_seconds: float = 0.0,
    cancel: threading.Event | None = None,
    scheduler: str | None = None,
) -> IndexReport:
    """Bring the store at ``db_path`` up to date with the files under ``paths``.

    Raises ``StoreError`` when another process is indexing into the same store
    (after waiting ``wait_seconds``) or when the store is corrupt (``can_rebuild``
    set; pass ``rebuild=True`` to start afresh). ``cancel`` set (checked between
    files) stops like Ctrl-C: what was extracted is written, then
    ``IndexInterrupted`` is raised. ``scheduler`` (a dask.distributed address)
    runs the extraction on that cluster instead of the local process pool.
    """
    started = time.monotonic()
    db_path = Path(db_path)
    roots = [Path(os.path.abspath(p)) for p in paths]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise StoreError(f"no such file or folder: {missing[0]}", db_path)
    sources = _file_sources(roots, db_path, workers, progress, scheduler)
    return _locked(db_path, wait_seconds, lambda: _index_paused(sources, db_path, progress, rebuild, started, cancel))


def index_shards(
    shards: list[Path],
    db_path: Path,
    progress: ProgressCallback | None = None,
    rebuild: bool = False,
    wait_seconds: float = 0.0,
    cancel: threading.Event | None = None,
) -> IndexReport:
    """Bring the store at ``db_path`` to hold exactly the documents of ``explorer extract --jsonl`` shards.

    The store is the one ``index_corpus`` builds from the files themselves;
    documents whose source file's SHA-1 is unchanged are kept as stored.
    """
    started = time.monotonic()
    db_path = Path(db_path)
    missing = [str(p) for p in shards if not Path(p).is_file()]
    if missing:
        raise StoreError(f"no such file: {missing[0]}", db_path)
    sources = _shard_sources([Path(s) for s in shards], progress)
    return _locked(db_path, wait_seconds, lambda: _index_paused(sources, db_path, progress, rebuild, started, cancel))


def _locked(db_path: Path, wait_seconds: float, run: Callable[[], IndexReport]) -> IndexReport:
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
        return run()
    finally:
        lock.release()


@dataclass
class _Changes:
    """The scan's verdict: what is kept as stored, what must be extracted, what is gone."""

    states: dict[str, FileState] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    todo: list[str] = field(default_factory=list)
    mtimes: dict[str, int] = field(default_factory=dict)  # kept files whose mtime changed
    skipped_rows: dict[str, dict[str, Any]] = field(default_factory=dict)


def _compare(items: Iterable[FileState | Skipped], old_files: dict[str, dict[str, Any]],
             old_skipped: dict[str, dict[str, Any]], previous_scan_ns: int, report: IndexReport) -> _Changes:
    changes = _Changes()
    for item in items:
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        changes.states[item.path] = item
        old = old_files.get(item.path)
        if old is not None and old["size"] == item.size:
            racy = item.mtime_ns >= previous_scan_ns - RACY_WINDOW_NS
            if old["mtime_ns"] == item.mtime_ns and not racy and item.sha1 is None:
                changes.kept.add(item.path)
                continue
            if (item.sha1 if item.sha1 is not None else _sha1_of(item.path)) == old["sha1"]:
                if old["mtime_ns"] != item.mtime_ns:
                    changes.mtimes[item.path] = item.mtime_ns
                changes.kept.add(item.path)
                continue
        was_skipped = old_skipped.get(item.path)
        if was_skipped and (was_skipped["size"], was_skipped["mtime_ns"], was_skipped.get("ctime_ns")) == (
                item.size, item.mtime_ns, item.ctime_ns):
            report.skipped.append(Skipped(item.path, was_skipped["reason"]))
            changes.skipped_rows[item.path] = was_skipped
            continue
        changes.todo.append(item.path)
    return changes


def _index_paused(sources: _Sources, db_path: Path, progress: ProgressCallback | None, rebuild: bool,
                  started: float, cancel: threading.Event | None) -> IndexReport:
    """The run with the cyclic collector paused throughout: its hundreds of thousands of rows hold
    no cycle, and the collector resumes only once they are freed, so it never walks them (a
    collection after each phase cost a quarter of a second at 100,000 documents)."""
    with gc_paused():
        return _index_locked(sources, db_path, progress, rebuild, started, cancel)


def _index_locked(
    sources: _Sources,
    db_path: Path,
    progress: ProgressCallback | None,
    rebuild: bool,
    started: float,
    cancel: threading.Event | None,
) -> IndexReport:
    from explorer.store.builder import StoreBuilder, load_previous

    report = IndexReport()
    tables = None if rebuild else read_raw_store(db_path)
    folder = sidecar_folder(db_path)
    if tables is not None:
        remove_unreferenced(folder, tables.referenced_files())  # left by a killed writer
    previous = None
    old_meta: dict[str, Any] = {}
    if tables is not None:
        old_meta = _meta_row(tables)
        if old_meta.get("schema") == SCHEMA_VERSION and old_meta.get("extractor") == sources.version():
            try:
                previous = load_previous(tables, old_meta)
            except (StoreFormatError, OSError, KeyError, ValueError) as exc:
                raise StoreError(f"the store {db_path} is corrupt ({exc})", db_path, can_rebuild=True) from exc
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

    run = int(old_meta.get("run", 0)) + 1 if previous else 1
    # With a previous store to read, the walk (a stat per file) runs in a child process meanwhile.
    collect = walk_apart(sources.scan, sources.folders) if previous is not None and sources.folders else None
    builder = None
    try:
        old_files = {row["source"]: row for row in previous.tables[FILES].values()} if previous else {}
        old_skipped = {row["path"]: row for row in previous.tables[SKIPPED].values()} if previous else {}
        if collect is not None and previous is not None:
            # What a re-index with changes reads next, read while the child walks.
            previous.tables[ENTITIES]  # noqa: B018
            builder = StoreBuilder(folder, previous, run)
    except (StoreFormatError, KeyError, TypeError, ValueError) as exc:
        if collect is not None:
            collect()  # the child is waited for
        raise StoreError(f"the store {db_path} is corrupt ({exc})", db_path, can_rebuild=True) from exc
    except BaseException:  # Ctrl-C while reading: the walking process is waited for, not left behind
        if collect is not None:
            collect()
        raise
    scanned = collect() if collect is not None else None
    items = scanned if scanned is not None else sources.scan()
    changes = _compare(items, old_files, old_skipped, int(old_meta.get("scan_started_ns", 0)) if previous else 0,
                       report)
    # The version is known once the scan has read the shards.
    if previous is not None and old_meta.get("extractor") != sources.version():
        previous, report.rebuilt, builder, run = None, True, None, 1
        old_files, old_skipped = {}, {}
        changes = _compare(sources.scan(), {}, {}, 0, report.__class__())
    phase("scan")
    report.unchanged = sum(len(old_files[path]["docs"]) for path in changes.kept)
    gone = [path for path in old_files if path not in changes.states]
    skipped_changed = set(changes.skipped_rows) != set(old_skipped)
    if previous is not None and not changes.todo and not gone and not skipped_changed:
        if changes.mtimes:
            # Files touched, their contents the same (a checkout, a copy): only their times are written.
            try:
                _write_times(db_path, previous, changes.mtimes, scan_started_ns)
            except OSError as exc:
                raise StoreError(f"cannot write the store in {db_path.parent}: {exc.strerror or exc}; "
                                 "the previous store is kept", db_path) from exc
            phase("write")
        report.documents = int(old_meta.get("documents", 0))
        report.entities = int(old_meta.get("entities", 0))
        report.events = int(old_meta.get("events", 0))
        report.skipped.sort(key=lambda s: s.path)
        report.seconds = time.monotonic() - started
        return report

    folder.mkdir(parents=True, exist_ok=True)
    try:
        if builder is None:
            builder = StoreBuilder(folder, previous, run)
    except (StoreFormatError, KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"the store {db_path} is corrupt ({exc})", db_path, can_rebuild=True) from exc
    new_files: dict[str, dict[str, Any]] = {}
    interrupted = False
    try:
        extracted = sources.extract(changes.todo)
        # Many documents extracted in this process may leave cycles (caught exceptions): collected as usual.
        collecting = gc_running() if len(changes.todo) > POOL_THRESHOLD else contextlib.nullcontext()
        try:
            with collecting:
                for path, result in extracted:
                    state = changes.states[path]
                    rows = [row for row in result if not isinstance(row, Skipped)]
                    report.skipped.extend(item for item in result if isinstance(item, Skipped))
                    if not rows:
                        # Nothing of the file could be read: remembered, so an unchanged bad file is not read again.
                        reasons = [item.reason for item in result if isinstance(item, Skipped)]
                        if not reasons:
                            reasons = ["holds no documents"]
                            report.skipped.append(Skipped(path, reasons[0]))
                        changes.skipped_rows[path] = {"path": path, "size": state.size, "mtime_ns": state.mtime_ns,
                                                      "ctime_ns": state.ctime_ns, "reason": reasons[0]}
                    else:
                        for row in rows:
                            row["source"] = path
                            row["size"], row["mtime_ns"] = state.size, state.mtime_ns
                            builder.add_document(row)
                        new_files[path] = {"source": path, "size": state.size, "mtime_ns": state.mtime_ns,
                                           "sha1": rows[0]["sha1"], "docs": [row["id"] for row in rows]}
                    if cancel is not None and cancel.is_set():
                        raise KeyboardInterrupt
        except KeyboardInterrupt:
            # Keep what was extracted: the store is written (consistently) before giving up.
            interrupted = True
        finally:
            close = getattr(extracted, "close", None)
            if close is not None:
                close()  # shuts the worker pool down now (its semaphores released), not at exit
        phase("extract")
        _finish(sources, db_path, builder, previous, old_files, changes, new_files, report, interrupted,
                scan_started_ns, run, phase)
    except BaseException:
        builder.abort()  # this run's segment, unless published
        raise
    report.skipped.sort(key=lambda s: s.path)
    report.seconds = time.monotonic() - started
    if interrupted:
        raise IndexInterrupted(report)
    return report


def _finish(sources: _Sources, db_path: Path, builder: Any, previous: Any, old_files: dict[str, dict[str, Any]],
            changes: _Changes, new_files: dict[str, dict[str, Any]], report: IndexReport, interrupted: bool,
            scan_started_ns: int, run: int, phase: Callable[[str], None]) -> None:
    from explorer.store.builder import document_arrays, event_arrays, merge_and_arrange

    # Documents whose file is gone, unreadable now, or no longer holds them.
    files: dict[str, dict[str, Any]] = {}
    for path, row in old_files.items():
        if path in new_files:
            kept_ids = set(new_files[path]["docs"])
            for doc_id in row["docs"]:
                if doc_id not in kept_ids:
                    builder.remove_document(doc_id)
        elif path in changes.kept or (interrupted and path in changes.states and path not in changes.skipped_rows):
            files[path] = row if path not in changes.mtimes else {**row, "mtime_ns": changes.mtimes[path]}
        else:
            for doc_id in row["docs"]:
                builder.remove_document(doc_id)
    files.update(new_files)
    old_ids = {doc_id for row in old_files.values() for doc_id in row["docs"]}
    new_ids = [doc_id for row in new_files.values() for doc_id in row["docs"]]
    report.changed = sum(1 for doc_id in new_ids if doc_id in old_ids)
    report.added = len(new_ids) - report.changed
    report.removed = len(builder.removed_ids)

    documents_changed = bool(new_ids) or bool(builder.removed_ids) or previous is None
    # After a small change the previous tables, with this run's rows written over, are the new ones.
    patched = _patched_tables(builder, previous, old_files, files) if documents_changed else _Patched()
    rows: dict[str, dict[str, Any]] = {}
    if DOCUMENTS not in patched and previous is not None:
        for row in previous.tables[DOCUMENTS].values():
            if row["id"] not in builder.removed_ids and row["id"] not in builder.new_rows:
                rows[row["id"]] = row
    # Patched: this run's rows alone (the other documents are as they were, their arrays patched too).
    rows.update(builder.new_rows)
    old_entities = list(previous.tables[ENTITIES].values()) if previous is not None else None
    import numpy as np

    from explorer.store.builder import path_ranks

    merged = merge_and_arrange(builder, old_entities, path_ranks(builder, rows))
    del old_entities
    if previous is not None:
        previous.tables.forget(ENTITIES)  # the merged entities hold what they need of the rows
    phase("merge")
    entity_counts = np.diff(merged.arrays["slot_entity_start"]).astype(np.int32)
    try:
        builder.finish_segment()
        builder.compact_segments()
        arrays = {**document_arrays(builder, rows, entity_counts), **merged.arrays}
        arrays.update(event_arrays(builder, arrays["doc_path_rank"]))
        _write(db_path, sources, builder, rows, files, changes.skipped_rows, merged, arrays, documents_changed,
               scan_started_ns, run, report, patched)
    except OSError as exc:
        raise StoreError(f"cannot write the store in {db_path.parent}: {exc.strerror or exc}; "
                         "the previous store is kept", db_path) from exc
    phase("write")


def _write_times(db_path: Path, previous: Any, mtimes: dict[str, int], scan_started_ns: int) -> None:
    """Publish the store as it is, with new modification times in the files table: the documents,
    entities and bulk files are kept, and so is the generation (what readers and caches key on:
    nothing they show changed)."""
    from explorer.store.storage import TableFilesStorage

    files = previous.tables[FILES]
    for key, row in files.items():
        mtime = mtimes.get(row["source"])
        if mtime is not None:
            files[key] = {**row, "mtime_ns": mtime}
    meta = {**previous.meta, "scan_started_ns": scan_started_ns,
            "indexed_at": datetime.now(UTC).isoformat(timespec="seconds")}
    storage = TableFilesStorage(db_path)
    tables = storage.read()
    if tables is None:
        raise OSError("the store vanished while it was indexed")
    tables[FILES] = files
    tables[META] = {"1": meta}
    storage.write(tables)  # the files table, then the root (naming the same bulk files) replaced


@dataclass
class _Patched:
    """Tables a run changed in place: the files table as rows, the documents table as its JSON."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    serialized: dict[str, bytes] = field(default_factory=dict)
    documents: int = 0
    events: int = 0

    def __contains__(self, name: str) -> bool:
        return name in self.tables or name in self.serialized


# Rows written over the previous documents table's JSON at most (each is found by a search of it).
MAX_SPLICED_ROWS = 64


def _patched_tables(builder: Any, previous: Any, old_files: dict[str, dict[str, Any]],
                    files: dict[str, dict[str, Any]]) -> _Patched:
    """The documents and files tables as the previous ones with this run's rows written over them,
    when the run kept every document and file (the same rows in the same path order, so the same
    TinyDB ids): neither is rebuilt, sorted and renumbered for one changed file, and the documents
    table (the biggest, 100 MB once parsed at 100,000 documents) is not even parsed."""
    from explorer.store.builder import same_documents

    patched = _Patched()
    if previous is None or not same_documents(builder):
        return patched
    spliced = _spliced_documents(previous, builder.new_rows) if len(builder.new_rows) <= MAX_SPLICED_ROWS else None
    if spliced is not None:
        patched.serialized[DOCUMENTS], patched.events = spliced
        patched.documents = int(previous.meta.get("documents", 0))
    else:
        documents = previous.tables[DOCUMENTS]
        path_rank = previous.pack["doc_path_rank"]
        for row in builder.new_rows.values():
            key = str(int(path_rank[row["slot"]]) + 1)
            if documents.get(key, {}).get("id") != row["id"]:
                return _Patched()  # not the layout expected: built whole
            documents[key] = row
        patched.tables[DOCUMENTS] = documents
        patched.documents = len(documents)
        patched.events = sum(row["event_count"] for row in documents.values())
    if files.keys() == old_files.keys():
        table = previous.tables[FILES]
        for key, row in table.items():
            now = files[row["source"]]
            if now is not row:
                table[key] = now
        patched.tables[FILES] = table
    return patched


def _spliced_documents(previous: Any, new_rows: dict[str, dict[str, Any]]) -> tuple[bytes, int] | None:
    """The previous documents table's JSON with this run's rows written over theirs, and the events
    the store now holds; None when a row is not found where the layout puts it (then parsed whole).

    A TinyDB table is ``{"1": row, "2": row, ...}`` in path order; a row starts with its id, so
    ``"<n>":{"id":"<doc id>"`` finds it (quotes inside strings are escaped: the bytes cannot occur
    in a value), and the next row's start, or the table's end, ends it. Each old row found is parsed
    and checked against the document it must be.
    """
    data = previous.tables.serialized(DOCUMENTS)
    if data is None:
        return None
    pack = previous.pack
    path_rank, path_order, doc_ids = pack["doc_path_rank"], pack["doc_path_order"], pack["doc_id"]
    count = len(path_order)
    events = int(previous.meta.get("events", 0))
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for row in new_rows.values():
        rank = int(path_rank[row["slot"]])
        if rank >= count:
            return None
        key = b'"%d":' % (rank + 1)
        start = data.find(key + b'{"id":' + orjson.dumps(row["id"]))
        if start <= 0 or data[start - 1 : start] not in (b"{", b","):
            return None
        if rank + 1 < count:
            following = doc_ids[path_order[rank + 1]].decode()
            end = data.find(b',"%d":{"id":' % (rank + 2) + orjson.dumps(following), start)
        else:
            end = len(data) - 1 if data.endswith(b"}") else -1
        if end < 0:
            return None
        try:
            old = orjson.loads(data[start + len(key) : end])
        except orjson.JSONDecodeError:
            return None
        if not isinstance(old, dict) or old.get("id") != row["id"] or old.get("slot") != row["slot"]:
            return None
        events += int(row["event_count"]) - int(old.get("event_count", 0))
        spans.append((start + len(key), end, row))
    spans.sort(key=lambda span: span[0])
    pieces: list[bytes] = []
    at = 0
    for start, end, row in spans:
        pieces += [data[at:start], orjson.dumps(row)]
        at = end
    pieces.append(data[at:])
    return b"".join(pieces), events


def _write(db_path: Path, sources: _Sources, builder: Any, rows: dict[str, dict[str, Any]],
           files: dict[str, dict[str, Any]], skipped_rows: dict[str, dict[str, Any]], merged: Any,
           arrays: dict[str, Any], documents_changed: bool, scan_started_ns: int, run: int,
           report: IndexReport, patched: _Patched) -> None:
    """Write the bulk files, then every table through TinyDB in one publish of the root."""
    from explorer.store.storage import TableFilesStorage, fresh_name, write_pack

    folder = builder.folder
    pack_name = fresh_name("arrays", ".pack")
    # The pack (100 MB at 100,000 documents) is written and fsynced in a thread while the tables are
    # serialised here: the write and the fsync leave the interpreter free. The root waits for it.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="explorer-pack-writer") as pack_writer:
        pack_written = pack_writer.submit(write_pack, folder / pack_name, arrays)
        ordered_rows = [] if DOCUMENTS in patched else sorted(rows.values(), key=lambda row: row["path"])
        report.documents = patched.documents if DOCUMENTS in patched else len(ordered_rows)
        report.entities = len(merged.rows)
        report.events = patched.events if DOCUMENTS in patched else sum(row["event_count"] for row in ordered_rows)
        meta_row = {
            "schema": SCHEMA_VERSION,
            "extractor": sources.version(),
            "name": sources.name,
            "roots": [str(root) for root in sources.roots],
            "generation": uuid.uuid4().hex,
            "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "scan_started_ns": scan_started_ns,
            "run": run,
            "documents": report.documents,
            "entities": report.entities,
            "events": report.events,
            "slots": len(builder.doc_id),
            "pack": pack_name,
            "segments": [segment.to_json() for segment in builder.segments],
        }
        # The tables go through TinyDB's storage in its layout (a table maps document ids to rows),
        # in one write: an intermediate one would publish tables that disagree (new documents, old entities).
        storage = TableFilesStorage(db_path, fresh=builder.previous is None)
        tables = storage.read()
        if tables is None:
            tables = StoreTables(storage.folder, {}, {}, {}, {})
        replaced: dict[str, Iterable[dict[str, Any]]] = {
            META: [meta_row],
            SKIPPED: [skipped_rows[path] for path in sorted(skipped_rows)],
            NODES: [node.to_row() for node in builder.merge.nodes],
            ENTITIES: merged.rows,
        }
        if FILES not in patched:
            replaced[FILES] = [files[path] for path in sorted(files)]
        if documents_changed and DOCUMENTS not in patched:
            replaced[DOCUMENTS] = ordered_rows
        for name, table_rows in replaced.items():
            listed = list(table_rows)
            tables[name] = dict(zip(map(str, range(1, len(listed) + 1)), listed, strict=True))  # TinyDB's ids: 1, 2, ...
        for name, table in patched.tables.items():
            tables[name] = table
        for name, data in patched.serialized.items():
            tables.set_serialized(name, data)
        storage.bulk = {"pack": pack_name, "segments": [segment.file for segment in builder.segments]}
        storage.write(tables, before_publish=pack_written.result)  # table files, the pack, then the root replaced
    builder.published = True
