"""The timeline's data, prepared off the UI thread: events placed on day ordinals and sorted."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from operator import attrgetter

from explorer.model import CorpusEvent, date_bounds


@dataclass(slots=True)
class TimelineItem:
    event: CorpusEvent
    first: int  # date ordinals, inclusive
    last: int
    precision: str  # day | month | season | year | span


@dataclass(slots=True)
class TimelineData:
    items: list[TimelineItem] = field(default_factory=list)
    firsts: list[int] = field(default_factory=list)
    longest: int = 0  # the longest item, in days (to find spans that start before the view)
    skipped: int = 0  # dates that could not be read
    by_doc: dict[str, array[int]] = field(default_factory=dict)  # doc_id -> item indexes, ascending

    @property
    def events(self) -> list[CorpusEvent]:
        """The events placed (those whose date could be read), in time order."""
        return [item.event for item in self.items]


def build_timeline(events: list[CorpusEvent]) -> TimelineData:
    """Sort ``events`` by (earliest, latest) day; fuzzy dates keep their whole range."""
    items: list[TimelineItem] = []
    skipped = 0
    # A corpus names far fewer dates than it has events: each is read once, and the events on the same
    # date share its ordinals (a million events at 100,000 documents, some thousands of dates).
    bounds: dict[str, tuple[int, int, str] | None] = {}
    for event in events:
        value = event.date
        try:
            placed = bounds[value]
        except KeyError:
            try:
                first, last, precision = date_bounds(value)
                placed = bounds[value] = (first.toordinal(), last.toordinal(), precision)
            except (ValueError, IndexError):
                placed = bounds[value] = None
        if placed is None:
            skipped += 1
            continue
        items.append(TimelineItem(event, *placed))
    items.sort(key=attrgetter("first", "last"))
    return TimelineData(
        items=items,
        firsts=[item.first for item in items],
        longest=max((item.last - item.first for item in items), default=0),
        skipped=skipped,
        by_doc=_by_doc(items),
    )


def _by_doc(items: list[TimelineItem]) -> dict[str, array[int]]:
    """doc_id -> the indexes of its items, ascending (arrays: no int object per event)."""
    by_doc: dict[str, array[int]] = {}
    for index, item in enumerate(items):
        indexes = by_doc.get(item.event.doc_id)
        if indexes is None:
            indexes = by_doc[item.event.doc_id] = array("l")
        indexes.append(index)
    return by_doc


def within(data: TimelineData, first: int | None, last: int | None) -> TimelineData:
    """The items of ``data`` that overlap days ``first``..``last`` (ordinals, inclusive; None: open).

    The same rule as a period's (``explorer.store.scope.Period.holds``): an event is in when the
    time it covers overlaps the period, so a month overlaps each of its days.
    """
    if first is None and last is None:
        return data
    low = -1 if first is None else first
    high = 10**9 if last is None else last
    items = [item for item in data.items if item.last >= low and item.first <= high]
    return TimelineData(items=items, firsts=[item.first for item in items],
                        longest=max((item.last - item.first for item in items), default=0),
                        skipped=data.skipped, by_doc=_by_doc(items))
