"""App-wide messages: the corpus service's updates, as the App's store worker posts them.

The service (``explorer.corpus``) knows nothing of Textual; its thread hands each update to
``message_for``, which wraps it (a freshly opened store is loaded into a ``CorpusSession``
first, still in that thread, so the interface never waits for the store).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from explorer import corpus
from explorer.store.api import CorpusReader, IndexReport
from explorer.store.scope import Period
from explorer.tui.session import CorpusSession


@dataclass
class StoreOpened(Message):
    """The store is open and its lists are loaded (again, after an index run landed: ``refreshed``)."""

    session: CorpusSession
    refreshed: bool = False


@dataclass
class SearchReady(Message):
    """The search index of ``store`` is built."""

    store: CorpusReader
    search: corpus.Searcher


@dataclass
class StoreFailed(Message):
    """The store could not be opened or indexed; ``message`` is one readable line."""

    message: str
    fatal: bool = True
    can_rebuild: bool = False  # rebuilding from the files would fix it


@dataclass
class IndexProgress(Message):
    """Indexing advanced: ``done`` of ``total`` files, now at ``path`` (``total`` 0: looking for changes)."""

    done: int
    total: int
    path: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


@dataclass
class IndexWaiting(Message):
    """Another explorer is indexing the corpus; ``showing``: its last complete store is open."""

    corpus: str
    showing: bool


@dataclass
class IndexFinished(Message):
    """An index run ended (``stopped``: by quitting; what was extracted is saved)."""

    report: IndexReport
    stopped: bool = False


@dataclass
class SessionChanged(Message):
    """A correction, an undo or a new period made ``session``; ``keep``: the entity to select in it,
    ``said``: one line on what changed, ``started``: when it was asked for (``time.perf_counter``)."""

    session: CorpusSession
    keep: str | None = None
    said: str = ""
    started: float = 0.0
    focus_list: bool = False
    cpu: float = 0.0  # seconds of CPU the worker spent making it (benchmarks)


def message_for(update: corpus.CorpusUpdate, period: Period | None = None) -> Message:
    """The Textual message for one service update (runs in the store thread); a store opened is
    loaded through the user's corrections and limited to ``period`` (the scope chosen, if any)."""
    match update:
        case corpus.StoreOpened(store=store, refreshed=refreshed, skipped=skipped):
            return StoreOpened(CorpusSession.load(store, None, skipped, period), refreshed)
        case corpus.SearchReady(store=store, search=index):
            return SearchReady(store, index)
        case corpus.IndexProgress(done=done, total=total, path=path):
            return IndexProgress(done, total, path)
        case corpus.IndexWaiting(corpus=name, showing=showing):
            return IndexWaiting(name, showing)
        case corpus.IndexFinished(report=report):
            return IndexFinished(report)
        case corpus.IndexStopped(report=report):
            return IndexFinished(report, stopped=True)
        case corpus.OpenFailed(message=text, fatal=fatal, can_rebuild=can_rebuild):
            return StoreFailed(text, fatal, can_rebuild)
    raise TypeError(f"not a corpus update: {update!r}")
