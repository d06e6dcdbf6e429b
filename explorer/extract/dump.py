"""The JSON dump of ``explorer extract --json`` (the contract in shared/bench/README.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from explorer.model import Extraction


def extraction_to_dict(ex: Extraction) -> dict[str, Any]:
    doc = ex.document
    return {
        "path": doc.path,
        "format": doc.format,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published,
        # A part of a container (an attachment, a message of a mailbox) cites the document it came in;
        # properties: what a format knows beyond title, author and date (recipients, OCR confidence).
        "container": doc.container,
        "properties": doc.properties,
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "aliases": e.aliases,
                "count": e.count,
                "roles": e.roles,
                "mentions": [[m.start, m.end] for m in e.mentions],
            }
            for e in ex.entities
        ],
        "events": [
            {"date": ev.date, "text": ev.text, "start": ev.start, "end": ev.end, "sentence": ev.sentence}
            for ev in ex.events
        ],
    }


def dump_json(extractions: Iterable[Extraction]) -> str:
    payload = {"documents": [extraction_to_dict(ex) for ex in extractions]}
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8")


def jsonl_line(document: dict[str, Any]) -> bytes:
    """One line of ``explorer extract --jsonl``: a document as the store keeps it (see
    ``explorer.store.shards``), on one line. Unlike ``--json`` it is lossless: a store can be
    built from these lines alone."""
    return orjson.dumps(document) + b"\n"


def summary_lines(extractions: Iterable[Extraction]) -> list[str]:
    lines: list[str] = []
    for ex in extractions:
        doc = ex.document
        lines.append(f"{doc.path}")
        lines.append(f"  title: {doc.title or '-'} | author: {doc.author or '-'} | published: {doc.published or '-'}")
        by_type: dict[str, list[str]] = {}
        for e in sorted(ex.entities, key=lambda e: -e.count):
            by_type.setdefault(e.type, []).append(f"{e.name} ({e.count})")
        for kind, names in by_type.items():
            lines.append(f"  {kind}: {', '.join(names)}")
        if ex.events:
            lines.append("  dates: " + ", ".join(f"{ev.date} ({ev.text})" for ev in ex.events))
    return lines
