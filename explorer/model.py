"""Plain dataclasses that cross explorer's layers.

ingest -> extract -> store -> search -> interface/CLI. Every layer takes and
returns these; none of them knows about Textual or TinyDB.

Offsets are always character offsets into ``SourceDocument.text`` (the decoded
text of the file, or the extracted text of an HTML/PDF page), end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal

EntityType = Literal["person", "organization", "place", "term"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organization", "place", "term")


@dataclass(slots=True)
class SourceDocument:
    """A file read from disk: its text, where its page furniture is, and its metadata."""

    path: str
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD, from the article's own date line
    format: str = "text"  # text | markdown | html | pdf
    # Character spans of page furniture (navigation, share widgets, banners).
    # They stay in ``text`` so offsets are true, but are ignored by extraction.
    furniture: list[tuple[int, int]] = field(default_factory=list)
    # Start offset of each page (PDF); empty for single-page formats.
    pages: list[int] = field(default_factory=list)
    # Offset where the article's body starts (after headline, byline and date line).
    body_start: int = 0
    size: int = 0
    mtime: float = 0.0
    sha1: str = ""
    # The document this one was found in, by its path (an e-mail's attachment cites its
    # message: ``path`` is then "mail.eml › notes.pdf" and ``container`` "mail.eml").
    container: str | None = None
    # What a format knows beyond title, author and date (recipients, message id, OCR
    # confidence), as short display strings; kept in the store and shown with the document.
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Skipped:
    """A file that could not be read, with a one-line reason."""

    path: str
    reason: str


@dataclass(slots=True, frozen=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    """One entity of one document, under its fullest name."""

    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass(slots=True)
class Event:
    """A dated reference: ``date`` is ISO 8601 at the text's precision.

    ``2009``, ``2009-12``, ``2009-12-16``, a span ``START/END``, a season
    ``2009-SU``.
    """

    date: str
    text: str
    start: int
    end: int
    sentence: str = ""


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    document: SourceDocument
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _month_end(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def _bounds_one(value: str) -> tuple[date, date, str]:
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if parts[1] in _SEASON_MONTHS:
        first, last = _SEASON_MONTHS[parts[1]]
        return date(year, first, 1), _month_end(year, last), "season"
    month = int(parts[1])
    if len(parts) == 2:
        return date(year, month, 1), _month_end(year, month), "month"
    return date(year, month, int(parts[2])), date(year, month, int(parts[2])), "day"


@lru_cache(maxsize=1 << 16)  # a corpus's million events share a few thousand dates
def date_bounds(value: str) -> tuple[date, date, str]:
    """Earliest day, latest day and precision (day/month/season/year/span) of an ISO value."""
    if "/" in value:
        first, last = value.split("/", 1)
        return _bounds_one(first)[0], _bounds_one(last)[1], "span"
    return _bounds_one(value)


# --- What the store and search hand to the interface and the CLI -------------------------


@dataclass(slots=True)
class DocumentSummary:
    """One row of the document list."""

    doc_id: str
    path: str
    title: str | None
    author: str | None
    published: str | None
    format: str = "text"
    entity_count: int = 0
    event_count: int = 0
    container: str | None = None  # the document this one came in (see SourceDocument)
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class StoredDocument:
    """A document as the reader shows it: text, furniture, its entities and events."""

    summary: DocumentSummary
    text: str
    furniture: list[tuple[int, int]]
    pages: list[int]
    # (start, end, entity_id, type) sorted by start, non-overlapping
    spans: list[tuple[int, int, str, EntityType]]
    events: list[Event]


@dataclass(slots=True)
class CorpusEntity:
    """An entity merged across the corpus."""

    entity_id: str
    name: str
    type: EntityType
    aliases: list[str]
    roles: list[str]
    count: int  # mentions across the corpus
    doc_count: int


@dataclass(slots=True)
class MentionLine:
    """A keyword-in-context line: one mention of an entity in one document."""

    entity_id: str
    doc_id: str
    doc_title: str
    published: str | None
    start: int  # offsets into the document text
    end: int
    sentence: str
    sentence_start: int  # offset of ``sentence`` in the document text


@dataclass(slots=True)
class CorpusEvent:
    """A dated event in the corpus, with the document it comes from."""

    doc_id: str
    date: str
    text: str
    start: int
    end: int
    sentence: str
    doc_title: str = ""


@dataclass(slots=True)
class SearchHit:
    """One search result: an entity or a passage."""

    kind: Literal["entity", "passage"]
    name: str
    type: str | None
    score: float
    document: str | None  # document path
    start: int | None
    end: int | None
    snippet: str
    entity_id: str | None = None
    doc_id: str | None = None
    # (start, end) of the matched part within ``snippet`` (for highlighting)
    highlights: list[tuple[int, int]] = field(default_factory=list)


# --- The user's own layer over extraction: corrections, related entities, document marks ----

CorrectionAction = Literal["merge", "rename", "retype", "hide", "unhide", "split"]
CORRECTION_ACTIONS: tuple[CorrectionAction, ...] = ("merge", "rename", "retype", "hide", "unhide", "split")


@dataclass(slots=True)
class EntityRef:
    """An entity as a correction names it.

    Never an internal id (a rebuild renumbers those): the canonical name, the type
    and the aliases it had when the correction was made, as evidence to find it again
    after a re-index or an extractor upgrade.
    """

    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Correction:
    """One user correction of the extracted entities.

    ``value`` is the chosen name (merge, rename), the new type (retype) or the alias
    split out (split); ``surface`` is a surface form hidden or shown everywhere
    (hide/unhide without ``entities``).
    """

    action: CorrectionAction
    entities: list[EntityRef] = field(default_factory=list)
    value: str | None = None
    surface: str | None = None
    correction_id: str = ""
    created: str = ""  # ISO 8601, UTC


@dataclass(slots=True)
class CorrectionIssue:
    """A correction that no longer applies to the corpus as it is now, and why."""

    correction: Correction
    reason: str


@dataclass(slots=True)
class RelatedEntity:
    """An entity that appears with another: shared sentences and documents, and how telling that is."""

    entity: CorpusEntity
    sentences: int
    documents: int
    score: float


@dataclass(slots=True)
class DocumentMarks:
    """What the user noted about a document (kept by its path, so marks survive a rebuild)."""

    path: str
    starred: bool = False
    read: bool = False
    tags: list[str] = field(default_factory=list)
