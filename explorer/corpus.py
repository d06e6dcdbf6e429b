"""The corpus service: open a corpus's store, keep it indexed and build its search, without Textual.

The interface and the CLI share one rule for opening a corpus:

- a store that reads is used at once (the interface shows it while it looks for changes);
- a missing store, or one written by another schema or extractor version, is built from the files;
- a corrupt store is never rebuilt without being asked (``rebuild=True``);
- while another explorer holds the store's index lock, the last complete store stays in use and
  the run waits for that index to land, then follows it.

``CorpusService.run`` does the work in the caller's thread and reports each step as an event
(``StoreOpened``, ``IndexProgress``, ``IndexWaiting``, ``IndexFinished``, ``IndexStopped``,
``OpenFailed``, ``SearchReady``) to one callback: the interface's worker turns them into
Textual messages, the CLI prints them. Progress arrives from inside the index run, which is
why it is a callback rather than a generator. ``stop()`` (any thread) ends an index run
between two extracted files: what was extracted is written first.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from explorer.gcpause import gc_paused
from explorer.model import SearchHit, Skipped
from explorer.store.api import CorpusReader, IndexReport, StoreError

if TYPE_CHECKING:
    from explorer.search import SearchIndex

IndexMode = Literal["always", "if-needed", "never"]
# How often a second explorer looks whether the first one's index has landed.
WAIT_POLL_SECONDS = 0.5
# index_corpus says this when another process holds the store's lock.
_LOCKED = "another explorer is indexing"


# -- events ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreOpened:
    """The store is open (again, after an index run landed: ``refreshed``)."""

    store: CorpusReader
    refreshed: bool = False
    skipped: tuple[Skipped, ...] = ()  # files the last index run could not read, with the reason


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """``done`` of ``total`` files extracted, now at ``path`` (``total`` 0: still looking for changes)."""

    done: int
    total: int
    path: str


@dataclass(frozen=True, slots=True)
class IndexWaiting:
    """Another explorer is indexing this store; ``showing``: its last complete state is open meanwhile."""

    corpus: str
    showing: bool


@dataclass(frozen=True, slots=True)
class IndexFinished:
    report: IndexReport


@dataclass(frozen=True, slots=True)
class IndexStopped:
    """``stop()`` ended the run; the documents extracted until then are saved (``report``)."""

    report: IndexReport


@dataclass(frozen=True, slots=True)
class OpenFailed:
    """One readable line; ``fatal``: there is nothing to show; ``can_rebuild``: rebuilding would fix it."""

    message: str
    fatal: bool = True
    can_rebuild: bool = False


@dataclass(frozen=True, slots=True)
class SearchReady:
    store: CorpusReader
    search: Searcher


CorpusUpdate = StoreOpened | IndexProgress | IndexWaiting | IndexFinished | IndexStopped | OpenFailed | SearchReady


class Searcher(Protocol):
    """What the interface needs of a search index (``explorer.search.SearchIndex`` has it)."""

    def search(self, query: str, limit: int = 50, type: str | None = None) -> list[SearchHit]: ...


# -- where a corpus lives ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusTarget:
    """A corpus and its store; ``corpora`` is empty when only a store was named (``--db``)."""

    corpora: tuple[Path, ...]
    db_path: Path

    @property
    def label(self) -> str:
        if len(self.corpora) == 1:
            return str(self.corpora[0])
        return str(self.db_path)


def target_for(corpus: Path | None, db: Path | None = None) -> CorpusTarget:
    """The corpus (the bundled seeds when neither is given) and its store file."""
    from explorer.paths import seeds_dir
    from explorer.store import store_path_for

    if corpus is None and db is not None:
        return CorpusTarget((), Path(db).expanduser())
    folder = (corpus or seeds_dir()).expanduser()
    return CorpusTarget((folder,), store_path_for(folder, db))


def remember_opened(target: CorpusTarget) -> None:
    """Record the corpus the interface opened, for ``explorer search`` without a path. Best effort."""
    from explorer.paths import last_opened_path

    record = {"corpus": [str(path.resolve()) for path in target.corpora], "db": str(target.db_path.resolve())}
    path = last_opened_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # forgetting the last corpus costs a path on the command line, nothing more


def last_opened() -> CorpusTarget | None:
    """The corpus the interface opened last, if its store still exists."""
    from explorer.paths import last_opened_path

    try:
        record = json.loads(last_opened_path().read_text(encoding="utf-8"))
        target = CorpusTarget(tuple(Path(p) for p in record["corpus"]), Path(record["db"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return target if target.db_path.exists() else None


def choose_search_target(corpus: Path | None, db: Path | None, cwd: Path | None = None) -> tuple[CorpusTarget, str]:
    """The store ``explorer search`` reads, and why: the path given, the current folder's store,
    the corpus opened last, or the bundled seeds."""
    if corpus is not None or db is not None:
        return target_for(corpus, db), ""
    folder = (cwd or Path.cwd()).resolve()
    here = target_for(folder)
    if here.db_path.exists():
        return here, f"searching {folder} (the current folder's store)"
    last = last_opened()
    if last is not None:
        return last, f"searching {last.label} (the corpus opened last)"
    seeds = target_for(None)
    return seeds, f"searching the bundled sample articles ({seeds.label}): no store for {folder}"


# -- memory and helper processes ---------------------------------------------------------------


def collect_garbage() -> None:
    """Collect now, in the loading thread, so the store's garbage is gone before it is handed over."""
    gc.collect()


def freeze_long_lived() -> None:
    """Keep a loaded store's millions of long-lived objects out of the collector's full passes.

    A full pass over a 10,000-document store takes longer than a key press or a search;
    call after ``collect_garbage`` so little garbage is frozen with them.
    """
    gc.freeze()


def start_process_helpers() -> None:
    """Start multiprocessing's resource tracker and fork server with the real stderr.

    While Textual runs, ``sys.stderr`` is its print capture whose ``fileno()`` is -1;
    multiprocessing passes that descriptor to the helpers it spawns and fails with
    "bad value(s) in fds_to_keep". Started once here, they are reused by the indexer's pool.
    """
    import multiprocessing

    real = sys.__stderr__
    if real is None or "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver, resource_tracker

    saved = sys.stderr
    sys.stderr = real
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    except Exception:  # the indexer falls back to one process by itself
        pass
    finally:
        sys.stderr = saved


# -- the service -------------------------------------------------------------------------------


def _signature(path: Path) -> tuple[int, int, int] | None:
    """Changes whenever the store file is replaced (writes are atomic renames)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _schema_of(db_path: Path) -> int | None:
    """The schema version a readable store declares, None when it cannot be read."""
    from explorer.store.indexer import read_raw_store

    try:
        raw = read_raw_store(db_path)
    except StoreError:
        return None
    if raw is None:
        return None
    meta = next(iter(raw["meta"].values()))
    return meta.get("schema")


def skipped_of(store: CorpusReader) -> tuple[Skipped, ...]:
    """The files the store's last index run could not read (a store opened from disk keeps them)."""
    from explorer.store import CorpusStore

    if isinstance(store, CorpusStore):
        return tuple(Skipped(path, reason) for path, reason in store.skipped())
    return ()


def is_locked(error: StoreError) -> bool:
    return _LOCKED in str(error)


SETTLE_SECONDS = 8.0  # how long an index run waits for the interface to have read its first screen


@dataclass
class CorpusService:
    """Opens one corpus, keeps it indexed, builds its search; see the module docstring."""

    target: CorpusTarget | None = None
    index: IndexMode = "always"
    search: bool = True
    process_helpers: bool = False  # start them with the real stderr (needed under Textual)
    reader: CorpusReader | None = None  # an already open corpus (tests, embedding)
    searcher: Searcher | None = None
    poll_seconds: float = WAIT_POLL_SECONDS
    cancel: threading.Event = field(default_factory=threading.Event)
    store: CorpusReader | None = None  # the last store opened
    indexing: threading.Event = field(default_factory=threading.Event)  # set while an index run is on
    # Set by an interface once it has read what it shows first (lists, document, events): an index
    # run of a store already on screen waits for it (at most SETTLE_SECONDS), rather than compete
    # with that reading for the interpreter (at 100,000 documents a one-file run took 7 s instead of 2.6).
    settled: threading.Event | None = None

    def stop(self) -> None:
        """End the index run between two files (what was extracted is written); skip what is left."""
        self.cancel.set()

    @property
    def stopped(self) -> bool:
        return self.cancel.is_set()

    def run(self, emit: Callable[[CorpusUpdate], None], rebuild: bool = False) -> None:
        """Open, index and build search, reporting each step to ``emit``; never raises a StoreError."""
        if self.reader is not None:
            self._opened(emit, self.reader, refreshed=False)
            self._build_search(emit, self.reader)
            return
        target = self.target or target_for(None)
        try:
            store = self._open_and_index(emit, target, rebuild)
        except StoreError as error:
            emit(OpenFailed(str(error), fatal=self.store is None, can_rebuild=error.can_rebuild))
            return
        if store is not None and not self.stopped:
            self._build_search(emit, store)

    # -- steps ---------------------------------------------------------------------------------

    def _opened(self, emit: Callable[[CorpusUpdate], None], store: CorpusReader, refreshed: bool) -> None:
        self.store = store
        collect_garbage()
        # The interface makes its session of the store inside emit: every document and entity (hundreds of
        # thousands of objects at 100,000 documents, none cyclic) that the collector would walk again and again.
        with gc_paused():
            emit(StoreOpened(store, refreshed, skipped_of(store)))

    def _open_existing(self, target: CorpusTarget) -> CorpusReader | None:
        """The store as it is; None when it must be built (missing, or another schema)."""
        from explorer.store import open_store
        from explorer.store.schema import SCHEMA_VERSION

        if not target.db_path.exists():
            return None
        try:
            return open_store(target.db_path)
        except StoreError as error:
            other_version = _schema_of(target.db_path) not in (None, SCHEMA_VERSION)
            if error.can_rebuild and other_version and target.corpora and self.index != "never":
                return None  # an older explorer's store: rebuilt from the files below
            raise

    def _open_and_index(
        self, emit: Callable[[CorpusUpdate], None], target: CorpusTarget, rebuild: bool
    ) -> CorpusReader | None:
        from explorer.store import CorpusStore
        from explorer.store.schema import extractor_version

        store = None if rebuild else self._open_existing(target)
        corpora = target.corpora or tuple(_roots_of(store))
        if store is not None:
            self._opened(emit, store, refreshed=False)
        if self.index == "never" or not corpora:
            if store is None:
                raise StoreError(f"no store at {target.db_path}" + (
                    f" (run: explorer index {target.corpora[0]})" if target.corpora else ""), target.db_path)
            return store
        if self.index == "if-needed" and store is not None and not rebuild and (
                not isinstance(store, CorpusStore) or store.extractor_version == extractor_version()):
            return store
        missing = [path for path in corpora if not path.exists()]
        if missing:
            message = f"{missing[0]} does not exist"
            if store is None:
                raise StoreError(message, target.db_path)
            emit(OpenFailed(message + "; showing its store as it was", fatal=False))
            return store
        return self._index(emit, target, corpora, store, rebuild)

    def _index(
        self,
        emit: Callable[[CorpusUpdate], None],
        target: CorpusTarget,
        corpora: tuple[Path, ...],
        store: CorpusReader | None,
        rebuild: bool,
    ) -> CorpusReader | None:
        from explorer.store import index_corpus, open_store
        from explorer.store.indexer import IndexInterrupted

        opened_as = _signature(target.db_path) if store is not None else None
        waiting = False

        def progress(done: int, total: int, path: str) -> None:
            emit(IndexProgress(done, total, path))

        if store is not None and self.settled is not None:
            deadline = time.monotonic() + SETTLE_SECONDS
            while not self.settled.wait(0.05) and time.monotonic() < deadline:
                if self.stopped:
                    return None
        if self.process_helpers:
            start_process_helpers()
        self.indexing.set()
        emit(IndexProgress(0, 0, str(corpora[0])))
        try:
            while not self.stopped:
                try:
                    report = index_corpus(list(corpora), target.db_path, progress=progress, rebuild=rebuild,
                                          cancel=self.cancel)
                except IndexInterrupted as stop:
                    emit(IndexStopped(stop.report))
                    return None
                except StoreError as error:
                    if not is_locked(error):
                        raise
                    if not waiting:
                        waiting = True
                        emit(IndexWaiting(target.label, showing=store is not None))
                    # Follow the other explorer: when its index lands, show it, then look again.
                    if self.cancel.wait(self.poll_seconds):
                        return None
                    now = _signature(target.db_path)
                    if now is not None and now != opened_as:
                        try:
                            store = open_store(target.db_path)
                        except StoreError:
                            continue  # mid-replacement or not written yet: look again
                        self._opened(emit, store, refreshed=opened_as is not None)
                        opened_as = now
                    continue
                changed = report.added + report.changed + report.removed
                landed = _signature(target.db_path)
                if store is None or changed or report.rebuilt or landed != opened_as:
                    store = open_store(target.db_path)
                    self._opened(emit, store, refreshed=opened_as is not None)
                emit(IndexFinished(report))
                return store
            return None
        finally:
            self.indexing.clear()

    def _build_search(self, emit: Callable[[CorpusUpdate], None], store: CorpusReader) -> None:
        if not self.search:
            return
        if self.searcher is not None:
            emit(SearchReady(store, self.searcher))
            return
        try:
            from explorer.search import SearchIndex
            from explorer.search.prepare import prepared_apart

            # A large store's index is built in a child process (its memory is returned when it ends).
            index: SearchIndex = prepared_apart(store) or SearchIndex.build(store)  # type: ignore[assignment]
        except Exception as error:  # search is an extra: the reader still works without it
            emit(OpenFailed(f"Search is unavailable: {error}", fatal=False))
            return
        collect_garbage()
        emit(SearchReady(store, index))  # type: ignore[arg-type]


def _roots_of(store: CorpusReader | None) -> list[Path]:
    """The folders a store was indexed from (a store named by ``--db`` alone)."""
    from explorer.store import CorpusStore

    return list(store.roots) if isinstance(store, CorpusStore) else []


# -- the CLI's way in ----------------------------------------------------------------------------


def open_corpus_store(target: CorpusTarget, *, show_progress: bool = True) -> CorpusReader:
    """The store of ``target`` for a CLI command, built first when it must be (the one rule above).

    Raises ``StoreError`` with a one-line message. Progress and waiting go to stderr.
    """
    from rich.console import Console

    console = Console(stderr=True)
    result: list[CorpusReader] = []
    failure: list[OpenFailed] = []
    bar = None

    def emit(update: CorpusUpdate) -> None:
        nonlocal bar
        if isinstance(update, StoreOpened):
            result.append(update.store)
        elif isinstance(update, OpenFailed):
            if update.fatal:
                failure.append(update)
            else:
                print(f"explorer: {update.message}", file=sys.stderr)
        elif isinstance(update, IndexWaiting):
            print(f"explorer: another explorer is indexing {update.corpus}; "
                  + ("using its last complete store" if update.showing else "waiting for it to finish"),
                  file=sys.stderr)
        elif isinstance(update, IndexProgress) and update.total and show_progress and console.is_terminal:
            if bar is None:
                from rich.progress import Progress

                bar = Progress(console=console, transient=True)
                bar.start()
                bar.add_task("indexing", total=update.total)
            bar.update(bar.task_ids[0], completed=update.done, total=update.total)
        elif isinstance(update, IndexFinished) and update.report.skipped:
            count = len(update.report.skipped)
            print(f"explorer: {count:,} file{'s' * (count != 1)} skipped while indexing; "
                  "`explorer index` lists them", file=sys.stderr)

    service = CorpusService(target, index="if-needed", search=False)
    try:
        service.run(emit)
    finally:
        if bar is not None:
            bar.stop()
    if failure:
        raise StoreError(failure[0].message, target.db_path, can_rebuild=failure[0].can_rebuild)
    if not result:
        raise StoreError(f"no store at {target.db_path}", target.db_path)
    return result[-1]
