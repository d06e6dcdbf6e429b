"""What the interface holds of an open corpus: its readers, its lists, the user's marks, and search.

The store as opened is read through the user's corrections (``CorrectedReader``) and, when a
period is chosen, through that period too (``ScopedReader``): every list here comes from
``reader``, the outermost. A correction or a new period makes a new session (``derive``), in a
worker thread; the session it came from stays whole for the threads still reading it, so no
reader is ever changed while another thread reads it.

Loaded in a worker thread (``CorpusSession.load``) so the first frame never waits for the
store. The dated events and their timeline are not part of that load: the entity list and the
document come first, and ``load_timeline`` (another worker) reads the events afterwards, once
for every session of the store (``EventsLoad``). Nothing here parses text or knows about TinyDB:
it calls the readers, ``UserStore`` and the search index.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.corpus import Searcher
from explorer.gcpause import gc_paused
from explorer.model import (
    CorpusEntity,
    CorpusEvent,
    Correction,
    CorrectionIssue,
    DocumentMarks,
    DocumentSummary,
    EntityType,
    Skipped,
)
from explorer.store.api import StoreError
from explorer.store.corrected import CorrectedReader
from explorer.store.scope import Period, ScopedReader
from explorer.store.user import UserStore
from explorer.tui.timeline_data import TimelineData, build_timeline, within
from explorer.tui.wording import count

if TYPE_CHECKING:
    from explorer.store.api import CorpusReader

_KEEP: Any = object()  # derive(): keep the period as it is


class EventsLoad:
    """A store's dated events and their timeline, read once for all its sessions (corrections change no
    date), in whichever thread asks first; the others wait for it."""

    def __init__(self, reader: CorpusReader) -> None:
        self._reader = reader
        self._lock = threading.Lock()
        self._loaded: tuple[list[CorpusEvent], TimelineData] | None = None

    @property
    def done(self) -> bool:
        return self._loaded is not None

    def get(self) -> tuple[list[CorpusEvent], TimelineData]:
        """Every event (dates that cannot be read included) and the timeline of those that can."""
        with self._lock:
            if self._loaded is None:
                # a million events and their items, none cyclic: the collector would walk them again and again
                with gc_paused():
                    every = self._reader.events()
                    self._loaded = (every, build_timeline(every))
            return self._loaded


@dataclass
class CorpusSession:
    name: str
    store: CorpusReader  # the store as opened (extraction as it is)
    corrected: CorrectedReader  # the store with the user's corrections
    reader: CorpusReader  # the corrected store, limited to ``period`` when one is chosen
    documents: list[DocumentSummary]
    entities: list[CorpusEntity]
    type_counts: dict[EntityType, int]
    loaded_events: EventsLoad
    doc_by_id: dict[str, DocumentSummary] = field(default_factory=dict)
    entity_by_id: dict[str, CorpusEntity] = field(default_factory=dict)
    index: Searcher | None = None  # the search index of the store as extracted
    # Until ``load_timeline`` has run (``timeline_ready``): empty, and the timeline says it is loading.
    events: list[CorpusEvent] = field(default_factory=list)
    timeline: TimelineData = field(default_factory=TimelineData)
    full_timeline: TimelineData = field(default_factory=TimelineData)  # every event, whatever the period
    all_events: list[CorpusEvent] = field(default_factory=list)
    timeline_ready: bool = False
    skipped: tuple[Skipped, ...] = ()
    period: Period | None = None
    user: UserStore | None = None  # corrections and document marks beside the store (None: in memory)
    marks: dict[str, DocumentMarks] = field(default_factory=dict)  # by document path
    user_version: int = 0  # the user file's version these corrections were read at
    problem: str = ""  # the user file could not be read: one line
    _searcher: Searcher | None = None
    # A base store's co-occurrence arrays are built once (seconds at 10,000 documents): one thread at a time.
    cooccurrence_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, store: CorpusReader, search: Searcher | None = None, skipped: tuple[Skipped, ...] = (),
             period: Period | None = None) -> CorpusSession:
        """The session of a freshly opened store: its corrections and marks read, ``period`` applied."""
        path = getattr(store, "path", None)
        user = UserStore(path) if isinstance(path, Path) else None
        corrections: list[Correction] = []
        marks: dict[str, DocumentMarks] = {}
        problem = ""
        version = 0
        if user is not None:
            version = user.version
            try:
                corrections = user.corrections()
                marks = user.marks()
            except StoreError as error:  # shown, never fatal: the corpus still reads as extracted
                problem = str(error)
        corrected = CorrectedReader(store, corrections)
        return cls._make(store, corrected, period, None, search, skipped, user, marks, version, problem)

    @classmethod
    def _make(cls, store: CorpusReader, corrected: CorrectedReader, period: Period | None,
              previous: CorpusSession | None, search: Searcher | None, skipped: tuple[Skipped, ...],
              user: UserStore | None, marks: dict[str, DocumentMarks], version: int, problem: str) -> CorpusSession:
        same_period = previous is not None and previous.period == period
        reader: Any = corrected
        if period is not None:
            if same_period and previous is not None and isinstance(previous.reader, ScopedReader):
                reader = previous.reader.over(corrected)  # only what the corrections touched is counted again
            else:
                reader = ScopedReader(corrected, period)
        documents = reader.documents()
        entities = reader.entities()
        try:
            type_counts = dict(reader.entity_type_counts())
        except Exception:
            type_counts = dict(Counter(entity.type for entity in entities))
        session = cls(
            name=reader.name,
            store=store,
            corrected=corrected,
            reader=reader,
            documents=documents,
            entities=entities,
            type_counts=type_counts,
            loaded_events=previous.loaded_events if previous is not None else EventsLoad(corrected),
            doc_by_id={doc.doc_id: doc for doc in documents},
            entity_by_id={entity.entity_id: entity for entity in entities},
            index=search,
            skipped=skipped,
            period=period,
            user=user,
            marks=marks,
            user_version=version,
            problem=problem,
            cooccurrence_lock=previous.cooccurrence_lock if previous is not None else threading.Lock(),
        )
        if previous is not None and previous.loaded_events.done:  # a correction or a scope: at once, as before
            session.load_timeline(previous)
        return session

    def load_timeline(self, previous: CorpusSession | None = None) -> None:
        """Read the store's dated events (once for all its sessions) and place this session's on the
        timeline, limited to its period. In a worker thread: seconds at 100,000 documents."""
        if self.timeline_ready:
            return
        every, full = self.loaded_events.get()
        period = self.period
        if previous is not None and previous.timeline_ready and previous.period == period:
            events, timeline = previous.events, previous.timeline
        elif period is None:
            events, timeline = every, full
        else:
            timeline = within(full, period.start.toordinal() if period.start else None,
                              period.end.toordinal() if period.end else None)
            events = timeline.events
        self.all_events, self.full_timeline = every, full
        self.events, self.timeline = events, timeline
        self.timeline_ready = True  # last: the interface reads the fields above once it sees this

    def derive(self, corrected: CorrectedReader | None = None, period: Period | None = _KEEP) -> CorpusSession:
        """This corpus with other corrections and/or another period (``None``: no period)."""
        return self._make(self.store, corrected or self.corrected, self.period if period is _KEEP else period,
                          self, self.index, self.skipped, self.user, self.marks, self.user_version, self.problem)

    # -- search ----------------------------------------------------------------------------

    @property
    def search(self) -> Searcher | None:
        """Search with the corrections and the period applied (None until the index is built)."""
        if self.index is None:
            return None
        if self._searcher is None:
            from explorer.search.corrected import corrected_search

            self._searcher = corrected_search(self.index, self.reader)
        return self._searcher

    @search.setter
    def search(self, index: Searcher | None) -> None:
        self.index = index
        self._searcher = None

    # -- corrections -------------------------------------------------------------------------

    @property
    def corrections(self) -> list[Correction]:
        return list(self.corrected.corrections)

    def issues(self) -> list[CorrectionIssue]:
        return self.corrected.issues()

    def is_hidden(self, entity_id: str) -> bool:
        return self.corrected.is_hidden(entity_id)

    # -- marks -------------------------------------------------------------------------------

    def marks_of(self, doc_id: str) -> DocumentMarks:
        """The marks of a document (empty ones when it has none)."""
        summary = self.doc_by_id.get(doc_id)
        path = summary.path if summary is not None else self._path_of(doc_id)
        found = self.marks.get(path)
        return found if found is not None else DocumentMarks(path)

    def _path_of(self, doc_id: str) -> str:
        path_of = getattr(self.store, "path_of", None)
        if path_of is not None:
            try:
                return str(path_of(doc_id))
            except (KeyError, IndexError, ValueError):
                pass
        return next((doc.path for doc in self.store.documents() if doc.doc_id == doc_id), doc_id)

    def tags_in_use(self) -> Counter[str]:
        """Every tag on a document, with how many documents carry it."""
        found: Counter[str] = Counter()
        for marks in self.marks.values():
            found.update(marks.tags)
        return found

    # -- wording -----------------------------------------------------------------------------

    @property
    def paths(self) -> dict[str, str]:
        return {doc_id: doc.path for doc_id, doc in self.doc_by_id.items()}

    def counts_line(self) -> str:
        events = count(len(self.events), "event") if self.timeline_ready else "events loading…"
        return " · ".join((count(len(self.documents), "document"), count(len(self.entities), "entity"), events))

    def scope_label(self, short: bool = False) -> str:
        """The period in a few words ("" with none): ``2009-05-01 – 2009-06-30``; ``short``: ``2009-05-01 – 06-30``,
        ``2009-05``, ``2009``."""
        if self.period is None:
            return ""
        return short_period(self.period) if short else self.period.label()


def short_period(period: Period) -> str:
    """A period as briefly as it can be said: a whole year or month by its name, the end without its year."""
    import calendar

    first, last = period.start, period.end
    if first is None or last is None:
        return f"from {first.isoformat()}" if first else f"to {last.isoformat()}" if last else "all"
    if first.year == last.year and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year)
    if (first.year, first.month) == (last.year, last.month) and first.day == 1 and \
            last.day == calendar.monthrange(last.year, last.month)[1]:
        return f"{first.year}-{first.month:02d}"
    if first.year == last.year:
        return f"{first.isoformat()} – {last.month:02d}-{last.day:02d}"
    return f"{first.isoformat()} – {last.isoformat()}"
