"""The contract between the store and its readers (search, interface, CLI).

The interface and the CLI read the corpus only through ``CorpusReader``; only
``explorer.store`` knows that TinyDB is underneath.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from explorer.model import (
    CorpusEntity,
    CorpusEvent,
    DocumentSummary,
    EntityType,
    MentionLine,
    Skipped,
    StoredDocument,
)

if TYPE_CHECKING:
    import numpy as np

    from explorer.store.cooccurrence import Cooccurrence
    from explorer.store.sentences import PassageSource


class CorpusReader(Protocol):
    """Read access to an indexed corpus."""

    @property
    def name(self) -> str:
        """A short name for the corpus (its folder name)."""
        ...

    def documents(self) -> list[DocumentSummary]: ...

    def document(self, doc_id: str) -> StoredDocument: ...

    def entities(self) -> list[CorpusEntity]:
        """Every corpus entity, most mentioned first."""
        ...

    def entity(self, entity_id: str) -> CorpusEntity: ...

    def mentions(self, entity_id: str) -> list[MentionLine]:
        """Keyword-in-context lines for every mention of an entity, by document date."""
        ...

    def events(self, entity_id: str | None = None) -> list[CorpusEvent]:
        """Dated events, sorted by date; only those of documents mentioning ``entity_id`` if given."""
        ...

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[CorpusEntity, int]]: ...

    def entity_type_counts(self) -> dict[EntityType, int]: ...

    # -- added for corrections and co-occurrence (explorer.store.corrected, .cooccurrence) --

    def entity_document_counts(self, entity_id: str) -> dict[str, int]:
        """The documents of an entity, with how many of its mentions each holds."""
        ...

    def sentences(self, doc_id: str) -> list[tuple[int, int]]:
        """(start, end) of every sentence of a document's text, in order."""
        ...

    def cooccurrence(self, entity_id: str, doc_ids: Iterable[str] | None = None) -> Cooccurrence:
        """The sentences and documents ``entity_id`` shares with every other entity (only in ``doc_ids``
        if given), and the sentences they would share by chance: see ``explorer.store.cooccurrence``."""
        ...


@runtime_checkable
class SearchableCorpus(CorpusReader, Protocol):
    """What the search index asks of a store on disk, beyond ``CorpusReader``.

    The index is kept next to the store (``path``) for one ``generation``, and
    brought up to date from ``document_revisions`` (only documents extracted
    again since are read); texts are read on demand for the passages shown.
    """

    @property
    def path(self) -> Path: ...

    @property
    def generation(self) -> str:
        """Changes on every write of the store."""
        ...

    def text(self, doc_id: str) -> str: ...

    def title(self, doc_id: str) -> str: ...

    def path_of(self, doc_id: str) -> str: ...

    def passage_sources(self, doc_ids: Sequence[str] | None = None) -> Iterator[PassageSource]:
        """Documents with text, furniture and sentences (all, by path, unless ``doc_ids`` are given)."""
        ...

    def document_revisions(self) -> tuple[list[str], np.ndarray]:
        """Every document's id (by path) and the index run that last extracted it."""
        ...

    def entity_anchors(self) -> dict[str, tuple[str, int, int]]:
        """For every entity: (doc_id, start, end) of its first mention where it is mentioned most."""
        ...


@dataclass(slots=True)
class IndexReport:
    """What an index run did, for the CLI summary and the interface's toast."""

    documents: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    entities: int = 0
    events: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt: bool = False
    # Wall seconds per phase (scan, extract, merge, write), for benchmarks and --verbose output.
    phases: dict[str, float] = field(default_factory=dict)


# progress(done, total, current_path)
ProgressCallback = Callable[[int, int, str], None]


class StoreError(Exception):
    """A store that is missing, locked by another process or corrupt; the message is one line."""

    def __init__(self, message: str, path: Path | None = None, can_rebuild: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.can_rebuild = can_rebuild
