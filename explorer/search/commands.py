"""``explorer search``: one query, or a batch of them on one opened store."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from explorer.model import SearchHit
from explorer.store.api import StoreError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _err(message: str) -> None:
    print(f"explorer: {message}", file=sys.stderr)


def hit_to_dict(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "name": hit.name,
        "type": hit.type,
        "score": hit.score,
        "document": hit.document,
        "start": hit.start,
        "end": hit.end,
        "snippet": hit.snippet,
        "entity_id": hit.entity_id,
        "doc_id": hit.doc_id,
        "highlights": [list(span) for span in hit.highlights],
    }


def timed_search(index: Any, query: str, limit: int, type_: str | None) -> tuple[list[SearchHit], float]:
    """Results and the milliseconds the search alone took (as Elasticsearch's ``took``)."""
    started = time.perf_counter()
    hits = index.search(query, limit=limit, type=type_)
    return hits, (time.perf_counter() - started) * 1000.0


def result_json(query: str, hits: list[SearchHit], took_ms: float) -> bytes:
    payload = {"query": query, "took_ms": round(took_ms, 3), "results": [hit_to_dict(h) for h in hits]}
    return orjson.dumps(payload)


def _queries(source: str) -> Iterable[str]:
    handle = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    try:
        for line in handle:
            query = line.rstrip("\r\n")
            if query.strip():
                yield query
    finally:
        if handle is not sys.stdin:
            handle.close()


def _print_hits(hits: list[SearchHit], took_ms: float, store: Any) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    if not hits:
        console.print(Text(f"no results ({took_ms:.1f} ms)", style="dim"))
        return
    for hit in hits:
        label = hit.type if hit.kind == "entity" else "passage"
        line = Text(f"{hit.score:5.1f}  {label:<12} ")
        snippet = Text(hit.snippet.replace("\n", " "))
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        if hit.kind == "entity":
            line.append_text(snippet)
        else:
            line.append(f"{hit.name}  ", style="bold")
            line_number = store.text(hit.doc_id).count("\n", 0, hit.start) + 1
            line.append(f"{hit.document}:{line_number}", style="dim")
            line.append("\n" + " " * 20)
            line.append_text(snippet)
        console.print(line)
    console.print(Text(f"{len(hits)} result(s) in {took_ms:.1f} ms", style="dim"))


def _overlay_needed(store: Any, date_from: str | None, date_to: str | None) -> bool:
    """True when a period is asked for or the store may have corrections (its user file exists)."""
    if date_from is not None or date_to is not None:
        return True
    path = getattr(store, "path", None)
    if not isinstance(path, Path):
        return True
    # ``explorer.store.user.user_path_for``, without importing that module (and its lock library).
    return path.with_name(path.name + ".user.json").exists()


def cmd_search(args: argparse.Namespace) -> int:
    from explorer.corpus import choose_search_target, collect_garbage, freeze_long_lived, open_corpus_store
    from explorer.search import open_search_index

    if args.batch is None and not args.query:
        _err("give a QUERY, or --batch FILE for one query per line")
        return EXIT_USAGE
    if args.batch is not None and args.query and args.path is None:
        # `explorer search --batch FILE CORPUS`: the one positional is the corpus.
        args.path, args.query = Path(args.query), None
    if args.limit <= 0:
        _err("--limit must be at least 1")
        return EXIT_USAGE
    if args.batch not in (None, "-") and not Path(args.batch).is_file():
        _err(f"no such file: {args.batch}")
        return EXIT_USAGE
    # No path: the current folder's store, else the corpus the interface opened last, else
    # the bundled seeds; stderr says which, so a script's output stays clean.
    target, which = choose_search_target(args.path, args.db)
    if which:
        _err(which)
    try:
        store = open_corpus_store(target)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    index = open_search_index(store)
    date_from, date_to = getattr(args, "date_from", None), getattr(args, "date_to", None)
    if _overlay_needed(store, date_from, date_to):
        # Imported only then: the corrections overlay costs more to import than a search takes.
        from explorer.search.corrected import searcher_for  # corrections and --from/--to
        from explorer.store.corrected import issues_message
        from explorer.textsafe import inert_line

        try:
            index, issues = searcher_for(store, index, date_from, date_to)
        except (ValueError, StoreError) as exc:
            _err(str(exc))
            return EXIT_USAGE if isinstance(exc, ValueError) else EXIT_ERROR
        if issues:
            _err(inert_line(issues_message(issues)))
    # The store and index are long-lived: keep the collector's full passes off them
    # (a pass over a large store takes longer than a search).
    collect_garbage()
    freeze_long_lived()
    if args.batch is not None:
        out = sys.stdout.buffer
        try:
            for query in _queries(args.batch):
                hits, took = timed_search(index, query, args.limit, args.type)
                out.write(result_json(query, hits, took) + b"\n")
                out.flush()
        except (OSError, UnicodeDecodeError) as exc:
            _err(f"cannot read {args.batch}: {exc}")
            return EXIT_ERROR
        return EXIT_OK
    hits, took = timed_search(index, args.query, args.limit, args.type)
    if args.json:
        sys.stdout.buffer.write(result_json(args.query, hits, took) + b"\n")
    else:
        _print_hits(hits, took, store)
    return EXIT_OK
