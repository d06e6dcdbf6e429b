"""The ``explorer`` command line.

Each subcommand is a small function that wires the layers together; heavy
modules (Textual, the store) are imported inside the function that needs them
so ``explorer --help`` and ``explorer extract`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer import __version__

EPILOG = """\
examples:
  explorer                          open the bundled sample articles
  explorer ~/reports                index a folder (what changed) and open it
  explorer extract --json seeds     print people, organisations, places, terms and dates as JSON
  explorer index ~/reports          build or update the store of a folder
  explorer search "resol 1874"      fuzzy-search names, terms and passages
  explorer search --batch queries.txt --json
  explorer entities --type person   list the people (merge, rename, retype, hide, split: see --help)
  explorer related "Stephen Bosworth"   who appears with whom, most telling first
  explorer graph --format gexf -o network.gexf   the co-occurrence network for Gephi

exit codes:
  0    done
  1    error (a missing folder to index, a damaged or locked store)
  2    usage (an unknown command or option)
  3    finished, but some files were skipped (each named on its own line);
       to go on past skipped files in a script: explorer index DIR || [ $? -eq 3 ]
  130  interrupted (Ctrl-C); `explorer index` keeps what it had extracted
"""

EXIT_CODES = """\
exit codes:
  0    done, every file read
  1    error (a missing folder, a damaged or locked store)
  2    usage (an unknown option)
  3    finished, but some files were skipped (each named on its own line, a missing
       file among them); `|| [ $? -eq 3 ]` goes on past them in a script
  130  interrupted (Ctrl-C)
"""

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3  # the run finished, but some files were skipped


def _add_corpus_args(parser: argparse.ArgumentParser, default: str = "the bundled seeds") -> None:
    parser.add_argument("path", nargs="?", type=Path, default=None,
                        help=f"a folder or file (default: {default})")
    parser.add_argument("--db", type=Path, default=None, help="use this store file instead of the default one")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer",
        description="Read a pile of documents, find the people, organisations, places, terms and "
        "dated events in them, and explore them by keyboard.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    extract = sub.add_parser("extract", help="extract entities and dated events from files",
                             description="Extract entities, aliases, roles and dated events from files or folders.",
                             epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("paths", nargs="+", type=Path, help="files or folders")
    extract.add_argument("--json", action="store_true", help="print the JSON dump (the default is a summary)")
    extract.add_argument("--jsonl", action="store_true",
                         help="stream one JSON line per document with everything the store keeps (a shard for "
                         "`explorer index --from-jsonl`), extracting on every core")
    extract.set_defaults(handler=cmd_extract)

    # -- store and search subcommands register here (index, search) --
    index = sub.add_parser("index", help="build or update the store of a folder",
                           description="Extract every file under PATH into its store; only new, changed and "
                           "deleted files are processed again.",
                           epilog=EXIT_CODES.replace("(Ctrl-C)", "(Ctrl-C); what was extracted until then is kept"),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_corpus_args(index)
    index.add_argument("--rebuild", action="store_true", help="start the store afresh (e.g. after corruption)")
    index.add_argument("--workers", type=int, default=None, metavar="N",
                       help="extraction processes (default: one per core)")
    index.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                       help="wait this long for another indexer of the same store (default: stop at once)")
    index.add_argument("--from-jsonl", nargs="+", type=Path, default=None, metavar="FILE",
                       help="build the store from `explorer extract --jsonl` shards instead of reading files "
                       "(needs --db or PATH to name the store)")
    index.add_argument("--executor", choices=["pool", "dask"], default="pool",
                       help="where extraction runs: this machine's process pool (default) or a dask.distributed "
                       "cluster (pip install 'explorer[dask]')")
    index.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="the dask scheduler (tcp://host:8786); without it --executor dask starts a local "
                       "cluster of --workers processes")
    index.set_defaults(handler=_cmd_index)

    search = sub.add_parser("search", help="fuzzy-search names, terms and passages",
                            description="Search entities (names, aliases, terms) and passages of an indexed "
                            "corpus; typos, prefixes and acronyms are tolerated.")
    search.add_argument("query", nargs="?", help="what to look for (omit with --batch)")
    _add_corpus_args(search, "the current folder's store, else the corpus opened last, else the seeds")
    search.add_argument("--json", action="store_true", help="print JSON (took_ms is the search alone)")
    search.add_argument("--type", choices=["person", "organization", "place", "term"], default=None,
                        help="only entities of this type")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    search.add_argument("--batch", metavar="FILE", default=None,
                        help="one query per line from FILE ('-' for stdin); one JSON object per line")
    search.set_defaults(handler=_cmd_search)

    # -- the workbench registers here (entities, corrections, related, graph; --from/--to on search) --
    from explorer.workbench.commands import register as register_workbench

    register_workbench(sub, _add_corpus_args)

    # -- the interface registers here (open) --
    from explorer.tui.launch import add_open_parser

    add_open_parser(sub)
    return parser


def _err(message: str) -> None:
    print(f"explorer: {message}", file=sys.stderr)


def _cmd_index(args: argparse.Namespace) -> int:
    from explorer.store.commands import cmd_index

    return cmd_index(args)


def _cmd_search(args: argparse.Namespace) -> int:
    from explorer.search.commands import cmd_search

    return cmd_search(args)


def cmd_extract(args: argparse.Namespace) -> int:
    from explorer.extract import extract_paths
    from explorer.extract.dump import dump_json, summary_lines

    if args.jsonl:
        from explorer.store.commands import cmd_extract_jsonl

        return cmd_extract_jsonl(args)

    skipped = 0
    extractions = []
    for item in extract_paths(args.paths):
        if isinstance(item, str):  # a skipped file's message
            _err(item)
            skipped += 1
        else:
            extractions.append(item)
    if args.json:
        sys.stdout.write(dump_json(extractions))
        sys.stdout.write("\n")
    else:
        for line in summary_lines(extractions):
            print(line)
    if skipped:
        _err(f"{skipped} file(s) skipped")
        return EXIT_SKIPPED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # `explorer`, `explorer PATH` and `explorer --db STORE` open the interface: anything that
    # is neither a subcommand nor a top-level flag goes to `open`.
    if not argv or (argv[0] not in _subcommands(parser) and argv[0] not in ("-h", "--help", "--version")):
        argv = ["open", *argv]
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _subcommands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


if __name__ == "__main__":
    sys.exit(main())
