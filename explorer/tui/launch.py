"""``explorer [PATH] [--db DB] [--notes PATH]``: the ``open`` subcommand that starts the interface.

Imported when the CLI builds its parser, so it imports nothing heavy: Textual
and the store load inside ``cmd_open``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def add_open_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "open",
        help="open the interface on a folder or file (the default: `explorer PATH`)",
        description="Open the interface. With no PATH, the bundled sample articles (their store is built on "
        "first run). A folder or file is indexed for what changed, in the background, while you read.",
    )
    parser.add_argument("path", nargs="?", type=Path, default=None,
                        help="a folder or file (default: the bundled seeds)")
    parser.add_argument("--db", type=Path, default=None, help="use this store file instead of the default one")
    parser.add_argument("--notes", type=Path, default=None,
                        help="append exported notes to this file (default: notes.md in the data directory)")
    parser.add_argument("--no-index", action="store_true",
                        help="open the store as it is, without looking for changed files")
    parser.set_defaults(handler=cmd_open)


def _err(message: str) -> None:
    print(f"explorer: {message}", file=sys.stderr)


def cmd_open(args: argparse.Namespace) -> int:
    path: Path | None = args.path
    if path is not None and not path.exists():
        _err(f"{path} does not exist")
        return EXIT_USAGE
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("EXPLORER_FORCE_TUI"):
        _err("the interface needs a terminal; for scripts use `explorer extract`, `explorer index` or "
             "`explorer search`")
        return EXIT_USAGE
    if args.db is not None and args.no_index and not args.db.exists():
        _err(f"no store at {args.db}")
        return EXIT_ERROR
    from explorer.tui.app import ExplorerApp

    app = ExplorerApp(path, db=args.db, notes_path=args.notes, index=not args.no_index)
    app.run()
    code = EXIT_OK
    if app.store_error and app.session is None:
        _err(app.store_error)
        code = EXIT_ERROR
    if app.busy_indexing:
        # Quit while indexing: the run stops between two files and writes what it extracted
        # (the store is replaced atomically), then its worker processes are shut down.
        _err("stopping the index run; saving the documents extracted so far…")
        app.wait_for_saved()
        _err("saved; `explorer` or `explorer index` on this folder picks up the rest")
    return code or app.return_code or EXIT_OK
