"""``explorer index``: the CLI handler (the other subcommands open a store through ``explorer.corpus``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.store.api import IndexReport, ProgressCallback, StoreError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130


def _err(message: str) -> None:
    print(f"explorer: {message}", file=sys.stderr)


def corpus_of(args: argparse.Namespace) -> Path:
    from explorer.paths import seeds_dir

    return Path(args.path) if getattr(args, "path", None) else seeds_dir()


def run_index(corpus: Path, db_path: Path, *, rebuild: bool = False, workers: int | None = None,
              wait_seconds: float = 0.0, quiet: bool = False, shards: list[Path] | None = None,
              scheduler: str | None = None) -> IndexReport:
    """Index with a rich progress bar on stderr (hidden when stderr is not a terminal or ``quiet``).

    ``shards``: build from ``explorer extract --jsonl`` files instead of the corpus;
    ``scheduler``: extract on that dask cluster (``"local"``: a local one).
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    from explorer.store import index_corpus, index_shards

    def index(progress: ProgressCallback | None) -> IndexReport:
        if shards is not None:
            return index_shards(shards, db_path, progress=progress, rebuild=rebuild, wait_seconds=wait_seconds)
        return index_corpus([corpus], db_path, progress=progress, workers=workers, rebuild=rebuild,
                            wait_seconds=wait_seconds, scheduler=scheduler)

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        return index(None)
    columns = (
        TextColumn("[bold]indexing[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("indexing", total=None, rate="")

        def progress(done: int, total: int, _path: str) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:,.0f} files/s" if elapsed > 0.2 else ""
            bar.update(task, completed=done, total=total, rate=rate)

        return index(progress)


def summary_lines(report: IndexReport, db_path: Path) -> list[str]:
    changes = []
    if report.rebuilt:
        changes.append("rebuilt")
    for label, n in (("added", report.added), ("changed", report.changed), ("removed", report.removed),
                     ("unchanged", report.unchanged)):
        if n:
            changes.append(f"{n:,} {label}")
    extracted = report.added + report.changed
    per_second = extracted / report.seconds if report.seconds > 0 else 0.0
    rate = f", {per_second:,.{0 if per_second >= 10 else 1}f} files/s" if extracted and per_second else ""
    lines = [
        f"{report.documents:,} documents ({', '.join(changes) or 'nothing to do'}), "
        f"{report.entities:,} entities, {report.events:,} events in {report.seconds:.1f} s{rate}",
        f"store: {db_path}",
    ]
    if report.skipped:
        lines.append(f"{len(report.skipped):,} file(s) skipped:")
        lines.extend(f"  {item.path}: {item.reason}" for item in report.skipped[:50])
        if len(report.skipped) > 50:
            lines.append(f"  ... and {len(report.skipped) - 50:,} more")
    return lines


def cmd_index(args: argparse.Namespace) -> int:
    from explorer.store import store_path_for
    from explorer.store.indexer import LOCAL_CLUSTER, IndexInterrupted

    shards = getattr(args, "from_jsonl", None)
    if shards is not None and args.db is None and getattr(args, "path", None) is None:
        _err("--from-jsonl needs --db STORE (or the PATH whose store to build)")
        return EXIT_USAGE
    scheduler = getattr(args, "scheduler", None)
    if getattr(args, "executor", "pool") == "dask":
        scheduler = scheduler or LOCAL_CLUSTER
    elif scheduler is not None:
        _err("--scheduler goes with --executor dask")
        return EXIT_USAGE
    corpus = corpus_of(args)
    db_path = store_path_for(corpus, args.db)
    try:
        report = run_index(corpus, db_path, rebuild=args.rebuild, workers=args.workers, wait_seconds=args.wait,
                           shards=shards, scheduler=scheduler)
    except IndexInterrupted as stop:
        done = stop.report.added + stop.report.changed
        _err(f"interrupted; {done:,} new or changed document(s) saved, run `explorer index` again to finish")
        return EXIT_INTERRUPTED
    except StoreError as exc:
        _err(str(exc) + ("; run `explorer index --rebuild` to start afresh" if exc.can_rebuild else ""))
        return EXIT_ERROR
    for line in summary_lines(report, db_path):
        print(line, flush=True)
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def cmd_extract_jsonl(args: argparse.Namespace) -> int:
    """``explorer extract --jsonl PATH...``: one line per document on stdout, skips on stderr."""
    from explorer.store.shards import write_jsonl

    try:
        skipped = write_jsonl(list(args.paths), sys.stdout.buffer)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    for item in skipped:
        _err(f"{item.path}: {item.reason}")
    if skipped:
        _err(f"{len(skipped)} file(s) skipped")
        return EXIT_SKIPPED
    return EXIT_OK
