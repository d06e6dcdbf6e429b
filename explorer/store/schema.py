"""The store's layout: table names, versions, and how rows encode the model.

One TinyDB JSON file holds four tables:

``meta``
    one row: schema and extractor versions, corpus name and roots, a
    ``generation`` that changes on every write (caches key on it).
``documents``
    one row per document: the file it was read from (``source``; a mailbox or an
    e-mail with attachments gives several documents), file identity (size, mtime,
    sha1 of that file), its own ``path`` (``mail.eml › notes.pdf``), metadata,
    text, furniture and pages; ``extraction``, its entities as extracted (each
    with all its mentions as one flat offset list) and its sentence
    boundaries, kept as one JSON string; and ``entity_ids``, the corpus entity
    each of those entities was merged into.
``entities``
    one row per corpus entity: canonical name, type, aliases, roles, mention
    count, its documents with the number of mentions in each (the offsets are
    in the documents' ``extraction``), and the entities it shares most
    documents with.
``events``
    one row per document with dated events: the document's id, how many, and
    the events (date, text, offsets, sentence offsets, sort key) as one JSON
    string, grouped like mentions.
``skipped``
    files that could not be read, so an unchanged bad file is reported without
    being read again.

Grouping mentions keeps a 10,000-document store to tens of thousands of rows
rather than the million one-row-per-mention would need. Keeping each
document's extraction as one string (decoded when a document is shown, or
when the indexer merges) spares opening the store from building some
800,000 small lists: it halves the time and memory of opening a large store.
"""

from __future__ import annotations

from typing import Any

import orjson

from explorer.model import Event, Extraction, date_bounds
from explorer.store.sentences import sentence_spans

SCHEMA_VERSION = 5

META = "meta"
DOCUMENTS = "documents"
ENTITIES = "entities"
SKIPPED = "skipped"
EVENTS = "events"
TABLES = (META, DOCUMENTS, ENTITIES, EVENTS, SKIPPED)
# Set on a freshly extracted document row, moved to the events table by the indexer.
PENDING_EVENTS = "_events"

# Positions in the extraction's "entities" lists: [name, type, aliases, roles, offsets].
E_NAME, E_TYPE, E_ALIASES, E_ROLES, E_OFFSETS = range(5)
# Positions in a document row's "events" lists:
# [date, text, start, end, sentence_start, sentence_end, sort_key, sentence or None].
# The sentence is stored as offsets into the text (it is nearly always a slice of
# it: storing it again would add a fifth to the store); only a sentence the
# extractor rewrote is stored as a string.
V_DATE, V_TEXT, V_START, V_END, V_S_START, V_S_END, V_SORT, V_SENTENCE = range(8)


def extractor_version() -> str:
    import explorer.extract

    return str(getattr(explorer.extract, "EXTRACTOR_VERSION", "0"))


def event_sort_key(value: str) -> int:
    """Days since year 1 of the event's first day, so events sort by date across precisions."""
    try:
        return date_bounds(value)[0].toordinal()
    except (ValueError, IndexError):
        return 0


def document_row(extraction: Extraction, doc_id: str) -> dict[str, Any]:
    doc = extraction.document
    length = len(doc.text)
    entities: list[list[Any]] = []
    for entity in extraction.entities:
        pairs = sorted({(m.start, m.end) for m in entity.mentions if 0 <= m.start < m.end <= length})
        offsets = [offset for pair in pairs for offset in pair]
        entities.append([entity.name, entity.type, list(entity.aliases), list(entity.roles), offsets])
    events = [_event_row(event, doc.text) for event in extraction.events]
    events.sort(key=lambda row: (row[V_SORT], row[V_START]))
    return {
        "id": doc_id,
        "path": doc.path,
        "size": doc.size,
        "mtime_ns": 0,
        "sha1": doc.sha1,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published,
        "format": doc.format,
        "container": doc.container,
        "properties": dict(doc.properties),
        "text": doc.text,
        "furniture": [list(span) for span in doc.furniture],
        "pages": list(doc.pages),
        "event_count": len(events),
        "entity_count": 0,
        "extraction": encode_extraction(entities, sentence_spans(doc.text)),
        "entity_ids": "",
        PENDING_EVENTS: events_row(doc_id, events),
    }


def events_row(doc_id: str, events: list[list[Any]]) -> dict[str, Any]:
    return {"doc": doc_id, "count": len(events), "events": orjson.dumps(events).decode("utf-8")}


def decode_events(row: dict[str, Any]) -> list[list[Any]]:
    return orjson.loads(row["events"])


def encode_extraction(entities: list[list[Any]], sentences: list[tuple[int, int]]) -> str:
    flat = [offset for span in sentences for offset in span]
    return orjson.dumps({"entities": entities, "sentences": flat}).decode("utf-8")


def decoded_sentences(extraction: dict[str, Any]) -> list[tuple[int, int]]:
    flat = extraction["sentences"]
    return list(zip(flat[::2], flat[1::2], strict=True))


def decode_extraction(row: dict[str, Any]) -> dict[str, list[list[Any]]]:
    return orjson.loads(row["extraction"])


def _event_row(event: Event, text: str) -> list[Any]:
    sentence = event.sentence
    found = text.find(sentence, max(0, event.start - len(sentence)), event.end + len(sentence)) if sentence else -1
    if found >= 0:
        return [event.date, event.text, event.start, event.end, found, found + len(sentence),
                event_sort_key(event.date), None]
    return [event.date, event.text, event.start, event.end, -1, -1, event_sort_key(event.date), sentence]


def event_sentence(row: list[Any], text: str) -> str:
    if row[V_SENTENCE] is not None:
        return row[V_SENTENCE]
    return text[row[V_S_START] : row[V_S_END]]
