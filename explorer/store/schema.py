"""The store's layout: tables, bulk files, versions, and how rows and records encode the model.

A store is a TinyDB database kept by ``TableFilesStorage`` (``storage.py``): a
root file naming one JSON file per table, each read only when asked for.

TinyDB tables (the parsed corpus, row-shaped, small enough to read whole):

``meta`` (inline in the root)
    one row: schema and extractor versions, corpus name and roots, a
    ``generation`` that changes on every write (caches key on it), the index
    run number, and the bulk files of this state.
``documents``
    one row per document: id, stable ``slot`` (its position in the bulk
    arrays), path, the file it was read from (``source``; a mailbox or an
    e-mail with attachments gives several documents), title, author,
    published, format, container, properties, event count.
``files``
    one row per source file: size, mtime, SHA-1 and its documents' ids, so a
    re-index knows what changed without reading anything else.
``entities``
    one row per corpus entity, most mentioned first: id, canonical name, type,
    aliases, roles, mention count and document count.
``nodes``
    the merge's state: one row per distinct (type, normalised name) with the
    names, aliases and roles written for it and their weights, so a re-index
    merges again without reading every document (``merge.py``).
``skipped``
    files that could not be read, so an unchanged bad file is reported without
    being read again.

Bulk files beside them (read on demand, memory-mapped):

*segments*
    one record per document, appended by the run that extracted it: a JSON
    part (the summary fields, furniture, pages, its entities as extracted with
    every mention as a flat offset list, sentence boundaries, dated events)
    followed by the text as UTF-8. Unchanged documents are never rewritten.
*pack*
    numpy arrays, rewritten each run (a few bytes per mention): where each
    document's record is, each document's local entities and the corpus entity
    (through its merge node) they belong to, each entity's documents with
    mention counts, each document's entities, each entity's first mention
    where it is mentioned most (search results point there), and string tables
    of document ids, paths and titles.
"""

from __future__ import annotations

from typing import Any

import orjson

from explorer.model import Event, Extraction, date_bounds
from explorer.store.sentences import sentence_spans

SCHEMA_VERSION = 6

META = "meta"
DOCUMENTS = "documents"
FILES = "files"
ENTITIES = "entities"
NODES = "nodes"
SKIPPED = "skipped"
TABLES = (META, DOCUMENTS, FILES, ENTITIES, NODES, SKIPPED)

# Positions in a record's "entities" lists: [name, type, aliases, roles, offsets].
E_NAME, E_TYPE, E_ALIASES, E_ROLES, E_OFFSETS = range(5)
# Positions in a record's "events" lists:
# [date, text or None, start, end, sentence_start, sentence_end, sort_key, sentence or None].
# The text and the sentence are None where they are the text's own slice (nearly
# always: storing them again would add a tenth to the store); only what the
# extractor rewrote is stored as a string.
V_DATE, V_TEXT, V_START, V_END, V_S_START, V_S_END, V_SORT, V_SENTENCE = range(8)

# A document's fields kept in its documents row (the rest is in its record).
SUMMARY_FIELDS = ("id", "path", "source", "title", "author", "published", "format", "container", "properties")
# ... and the fields of its record's JSON part (the text follows it); its id and path are in the pack.
RECORD_FIELDS = ("title", "author", "published", "format", "container", "properties", "furniture", "pages",
                 "entities", "sentences", "events")


def extractor_version() -> str:
    """The running extractor's version (``explorer.versions``: reading it does not import the extractor)."""
    import explorer.versions

    return str(explorer.versions.EXTRACTOR_VERSION)


def event_sort_key(value: str) -> int:
    """Days since year 1 of the event's first day, so events sort by date across precisions."""
    try:
        return date_bounds(value)[0].toordinal()
    except (ValueError, IndexError):
        return 0


def document_row(extraction: Extraction, doc_id: str) -> dict[str, Any]:
    """Everything the store keeps of one extracted document, as plain JSON-able values.

    This is also one line of ``explorer extract --jsonl`` (with ``source``,
    ``size``, ``mtime_ns``, ``sha1`` and ``extractor``): what a shard carries.
    """
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
        "source": doc.path,
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
        "entities": entities,
        "sentences": [offset for span in sentence_spans(doc.text) for offset in span],
        "events": events,
    }


def encode_record(row: dict[str, Any]) -> tuple[bytes, int]:
    """A document's record: its JSON part, then its text; returns the bytes and the JSON part's length."""
    head = orjson.dumps({name: row[name] for name in RECORD_FIELDS})
    return head + row["text"].encode("utf-8", "surrogatepass"), len(head)


def decode_record(data: bytes | memoryview, head_length: int) -> dict[str, Any]:
    record = orjson.loads(data[:head_length])
    record["text"] = bytes(data[head_length:]).decode("utf-8", "surrogatepass")
    return record


def decode_record_head(data: bytes | memoryview, head_length: int) -> dict[str, Any]:
    """The JSON part of a record only (entities, sentences, events), without decoding the text."""
    return orjson.loads(data[:head_length])


def sentence_pairs(flat: list[int]) -> list[tuple[int, int]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


def _event_row(event: Event, text: str) -> list[Any]:
    sentence = event.sentence
    found = text.find(sentence, max(0, event.start - len(sentence)), event.end + len(sentence)) if sentence else -1
    written = None if text[event.start : event.end] == event.text else event.text
    if found >= 0:
        return [event.date, written, event.start, event.end, found, found + len(sentence),
                event_sort_key(event.date), None]
    return [event.date, written, event.start, event.end, -1, -1, event_sort_key(event.date), sentence]


def event_sentence(row: list[Any], text: str) -> str:
    if row[V_SENTENCE] is not None:
        return row[V_SENTENCE]
    return text[row[V_S_START] : row[V_S_END]]


def event_text(row: list[Any], text: str) -> str:
    if row[V_TEXT] is not None:
        return row[V_TEXT]
    return text[row[V_START] : row[V_END]]
