"""A small in-memory CorpusReader and searcher for the interface tests (test helper, not product code)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from explorer.model import (
    CorpusEntity,
    CorpusEvent,
    DocumentSummary,
    Event,
    MentionLine,
    SearchHit,
    StoredDocument,
)


@dataclass
class FakeDoc:
    doc_id: str
    path: str
    title: str
    author: str | None
    published: str | None
    text: str
    entities: list[tuple[str, str, list[str]]]  # name, type, aliases
    dates: list[tuple[str, str]]  # iso value, surface text
    furniture: list[str] = field(default_factory=list)


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    left = max(text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0, text.rfind("\n", 0, start) + 1)
    right_dot = text.find(". ", end)
    right_nl = text.find("\n", end)
    candidates = [pos for pos in (right_dot + 1 if right_dot >= 0 else -1, right_nl) if pos >= 0]
    right = min(candidates) if candidates else len(text)
    return text[left:right], left


class FakeReader:
    def __init__(self, docs: list[FakeDoc], name: str = "fake") -> None:
        self._name = name
        self.docs = {doc.doc_id: doc for doc in docs}
        self._entities: dict[str, CorpusEntity] = {}
        self._spans: dict[str, list[tuple[int, int, str, str]]] = {}
        self._events: dict[str, list[Event]] = {}
        counts: Counter[str] = Counter()
        doc_counts: Counter[str] = Counter()
        for doc in docs:
            spans: list[tuple[int, int, str, str]] = []
            taken: set[int] = set()
            for name, kind, aliases in doc.entities:
                entity_id = re.sub(r"\W+", "-", name.lower()).strip("-")
                found = 0
                for surface in sorted([name, *aliases], key=len, reverse=True):
                    for match in re.finditer(re.escape(surface), doc.text):
                        if taken.intersection(range(match.start(), match.end())):
                            continue
                        taken.update(range(match.start(), match.end()))
                        spans.append((match.start(), match.end(), entity_id, kind))
                        found += 1
                counts[entity_id] += found
                doc_counts[entity_id] += 1 if found else 0
                if entity_id not in self._entities:
                    self._entities[entity_id] = CorpusEntity(entity_id, name, kind, list(aliases), [], 0, 0)  # type: ignore[arg-type]
            spans.sort()
            self._spans[doc.doc_id] = spans
            events = []
            for value, surface in doc.dates:
                at = doc.text.find(surface)
                if at < 0:
                    continue
                sentence, _ = _sentence(doc.text, at, at + len(surface))
                events.append(Event(value, surface, at, at + len(surface), sentence.strip()))
            self._events[doc.doc_id] = events
        for entity_id, entity in self._entities.items():
            entity.count = counts[entity_id]
            entity.doc_count = doc_counts[entity_id]

    @property
    def name(self) -> str:
        return self._name

    def _summary(self, doc: FakeDoc) -> DocumentSummary:
        return DocumentSummary(doc.doc_id, doc.path, doc.title, doc.author, doc.published, "text",
                               len({s[2] for s in self._spans[doc.doc_id]}), len(self._events[doc.doc_id]))

    def documents(self) -> list[DocumentSummary]:
        return [self._summary(doc) for doc in self.docs.values()]

    def document(self, doc_id: str) -> StoredDocument:
        doc = self.docs[doc_id]
        furniture = []
        for piece in doc.furniture:
            at = doc.text.find(piece)
            if at >= 0:
                furniture.append((at, at + len(piece)))
        return StoredDocument(self._summary(doc), doc.text, furniture, [], list(self._spans[doc_id]),
                              list(self._events[doc_id]))

    def entities(self) -> list[CorpusEntity]:
        return sorted(self._entities.values(), key=lambda e: (-e.count, e.name))

    def entity(self, entity_id: str) -> CorpusEntity:
        return self._entities[entity_id]

    def mentions(self, entity_id: str) -> list[MentionLine]:
        lines = []
        for doc in sorted(self.docs.values(), key=lambda d: d.published or ""):
            for start, end, eid, _kind in self._spans[doc.doc_id]:
                if eid == entity_id:
                    sentence, at = _sentence(doc.text, start, end)
                    lines.append(MentionLine(eid, doc.doc_id, doc.title, doc.published, start, end, sentence, at))
        return lines

    def events(self, entity_id: str | None = None) -> list[CorpusEvent]:
        out = []
        for doc in self.docs.values():
            if entity_id and not any(s[2] == entity_id for s in self._spans[doc.doc_id]):
                continue
            for event in self._events[doc.doc_id]:
                out.append(CorpusEvent(doc.doc_id, event.date, event.text, event.start, event.end,
                                       event.sentence, doc.title))
        return sorted(out, key=lambda e: e.date)

    def cooccurring(self, entity_id: str, limit: int = 20) -> list[tuple[CorpusEntity, int]]:
        return []

    def entity_type_counts(self) -> dict:
        return dict(Counter(e.type for e in self._entities.values()))


class FakeSearch:
    """Substring search: entities by name, passages by sentence."""

    def __init__(self, reader: FakeReader) -> None:
        self.reader = reader

    def search(self, query: str, limit: int = 50, type: str | None = None) -> list[SearchHit]:
        needle = query.casefold().strip()
        hits: list[SearchHit] = []
        if not needle:
            return hits
        for entity in self.reader.entities():
            at = entity.name.casefold().find(needle)
            if at >= 0:
                hits.append(SearchHit("entity", entity.name, entity.type, 1.0, None, None, None, entity.name,
                                      entity.entity_id, None, [(at, at + len(needle))]))
        for doc in self.reader.docs.values():
            for match in re.finditer(re.escape(query.strip()), doc.text, re.IGNORECASE):
                sentence, sentence_at = _sentence(doc.text, match.start(), match.end())
                rel = match.start() - sentence_at
                hits.append(SearchHit("passage", doc.title, None, 0.5, doc.path, match.start(), match.end(),
                                      sentence, None, doc.doc_id, [(rel, rel + len(match.group()))]))
        return hits[:limit]


BOSWORTH_TEXT = """Skip Global Navigation to Main Content
Share this

The Obama administration held its first senior-level meetings with North Korean officials Dec. 8-10 in an attempt to restart multilateral talks. The delegation was led by Stephen Bosworth, the special representative for North Korea policy.

Bosworth met with First Vice Foreign Minister Kang Sok Ju in Pyongyang. Bosworth described the talks during a Dec. 16 press briefing as quite positive.

The UN Security Council adopted Resolution 1874 in June 2009. Talks resumed in the summer of 2009 according to officials.
"""

CAMPBELL_TEXT = """Washington - The Obama administration is anticipating high-level talks between China and North Korea.

According to Kurt Campbell, the State Department assistant secretary, China wants North Korea back in the Six-Party Talks. Campbell spoke in New York on September 21, 2009.

Stephen Bosworth will travel to Pyongyang later in 2009. A line with [bold red]markup[/] and [@click=app.quit]a link[/] stays literal.
Hostile bytes: \x1b[31mRED\x1b[0m and \x1b]52;c;UFdORUQ=\x07 end.
"""


def sample_docs() -> list[FakeDoc]:
    return [
        FakeDoc(
            "d1", "corpus/bosworth.txt", "U.S. Envoy Holds Talks in North Korea", "Peter Crail", "2009-12-20",
            BOSWORTH_TEXT,
            [("Stephen Bosworth", "person", ["Bosworth"]), ("Kang Sok Ju", "person", []),
             ("North Korea", "place", []), ("Pyongyang", "place", []),
             ("UN Security Council", "organization", []), ("Resolution 1874", "term", [])],
            [("2009-12-08/2009-12-10", "Dec. 8-10"), ("2009-12-16", "Dec. 16"), ("2009-06", "June 2009"),
             ("2009-SU", "summer of 2009")],
            furniture=["Skip Global Navigation to Main Content", "Share this"],
        ),
        FakeDoc(
            "d2", "corpus/campbell.txt", "China Expected to Urge North Korea's Return", "Stephen Kaufman",
            "2009-09-22", CAMPBELL_TEXT,
            [("Kurt Campbell", "person", ["Campbell"]), ("Stephen Bosworth", "person", []),
             ("China", "place", []), ("North Korea", "place", []), ("Pyongyang", "place", []),
             ("State Department", "organization", []), ("Six-Party Talks", "term", []),
             ("New York", "place", [])],
            [("2009-09-21", "September 21, 2009"), ("2009", "later in 2009")],
        ),
    ]


def make_reader() -> FakeReader:
    return FakeReader(sample_docs(), name="sample")


def land_other_index(paths: list[Path], db: Path, other: Path) -> None:
    """Another explorer's index landing on ``db`` as a real writer lands it: its new table and
    bulk files first (their names are unique), then one atomic replacement of the root file."""
    import os
    import shutil

    from explorer.store import index_corpus
    from explorer.store.storage import sidecar_folder

    index_corpus(paths, other)
    folder = sidecar_folder(db)
    folder.mkdir(exist_ok=True)
    for part in sidecar_folder(other).iterdir():
        shutil.copy(part, folder / part.name)
    os.replace(other, db)
