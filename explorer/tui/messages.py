"""Messages that more than one widget sends or the App handles from workers."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from explorer.tui.session import CorpusSession


@dataclass
class StoreOpened(Message):
    """The store is open and its lists are loaded (again, after an index run)."""

    session: CorpusSession
    refreshed: bool = False


@dataclass
class SearchReady(Message):
    """The search index of ``session`` is built."""

    session: CorpusSession


@dataclass
class StoreFailed(Message):
    """The store could not be opened or indexed; ``message`` is one readable line."""

    message: str
    fatal: bool = True
    can_rebuild: bool = False  # rebuilding from the files would fix it


@dataclass
class IndexProgress(Message):
    """Indexing advanced: ``done`` of ``total`` files, now at ``path``."""

    done: int
    total: int
    path: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


@dataclass
class IndexFinished(Message):
    """An index run ended; ``summary`` says what changed."""

    summary: str
    skipped: int = 0
