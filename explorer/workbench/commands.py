"""The analyst's workbench on the command line: list and correct entities, share corrections, see who
appears with whom, export the network, scope by time.

``explorer entities``, ``explorer corrections``, ``explorer related`` and ``explorer
graph`` (and ``--from``/``--to`` on ``explorer search``) are registered by
``register``; every one opens its store as ``explorer search`` does
(``explorer.corpus.open_corpus_store``), reads it through the corrections
(``explorer.store.corrected``) and, with ``--from``/``--to``, through a period
(``explorer.store.scope``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from explorer.model import ENTITY_TYPES, CorpusEntity, Correction, CorrectionIssue, EntityRef
from explorer.textsafe import inert_line

# The store, numpy and orjson are imported by the handlers: registering these commands
# must not slow `explorer --help` or `explorer extract` down.

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
ACTIONS = ("merge", "rename", "retype", "hide", "unhide", "split", "undo")

ENTITIES_USAGE = """\
explorer entities [PATH] [--db DB] [--json] [--type T] [--all] [--from DATE] [--to DATE]
       explorer entities merge NAME NAME... [--name CANONICAL] [PATH]
       explorer entities rename NAME NEW [PATH]
       explorer entities retype NAME TYPE [PATH]
       explorer entities hide NAME [--everywhere] [PATH]
       explorer entities unhide NAME [PATH]
       explorer entities split NAME ALIAS [PATH]
       explorer entities undo [PATH]"""

ENTITIES_DESCRIPTION = "List the entities of an indexed corpus with their mentions and documents, or correct them."

ENTITIES_EPILOG = """\
NAME is an entity's name or one of its aliases; TYPE:NAME (person:Georgia) or id:ID
picks one of several. A name that fits several entities is refused with them listed
(exit 2). Corrections are kept beside the store (STORE.user.json), applied on every
open, and survive re-indexing and rebuilds; `explorer corrections export FILE` shares them.

examples:
  explorer entities --type person --json
  explorer entities merge "Kim Gye Gwan" "Kim Kye Gwan" --name "Kim Gye Gwan"
  explorer entities rename "Peter Dierks Respond" "Peter Dierks"
  explorer entities retype Korea place
  explorer entities hide "Respond" --everywhere
  explorer entities split "Kim Jong Il" Kim
  explorer entities undo
"""


def _err(message: str) -> None:
    print(f"explorer: {message}", file=sys.stderr)


def _out(line: str) -> None:
    print(inert_line(line), flush=False)


# -- registration -------------------------------------------------------------------------------


def add_period_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="DATE", default=None,
                        help="only documents and events from DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", default=None,
                        help="only documents and events up to DATE (inclusive)")


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="use this store file instead of the default one")


def _add_entities_options(parser: argparse.ArgumentParser) -> None:
    _add_db(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--type", choices=ENTITY_TYPES, default=None, help="only entities of this type")
    parser.add_argument("--all", action="store_true", help="hidden entities too")
    add_period_args(parser)
    parser.add_argument("--name", default=None, metavar="CANONICAL", help="merge: the merged entity's name "
                        "(default: the first NAME's)")
    parser.add_argument("--everywhere", action="store_true",
                        help="hide: the surface form NAME wherever it appears (not one entity)")


def register(sub: Any, add_corpus_args: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``entities``, ``corrections``, ``related`` and ``graph``, and ``--from/--to`` on ``search``."""
    entities = sub.add_parser(
        "entities", help="list the corpus's entities, or correct them (merge, rename, retype, hide, split, undo)",
        usage=ENTITIES_USAGE, epilog=ENTITIES_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description=ENTITIES_DESCRIPTION)
    # Actions and PATH are read from these words (options may come anywhere among them).
    entities.add_argument("words", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    _add_entities_options(entities)
    entities.set_defaults(handler=cmd_entities)

    corrections = sub.add_parser("corrections", help="export or import entity corrections (to share them)",
                                 description="Write the corrections of a store to a JSON file, or merge a "
                                 "file's corrections into a store's (those already there are skipped).")
    actions = corrections.add_subparsers(dest="corrections_action", metavar="ACTION", required=True)
    for name, text in (("export", "write the corrections to FILE ('-' for standard output)"),
                       ("import", "merge FILE's corrections into the store's")):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument("file", metavar="FILE")
        add_corpus_args(action)
        action.set_defaults(handler=cmd_corrections)

    related = sub.add_parser("related", help="the entities appearing with one, most telling first",
                             description="The entities sharing an entity's sentences and documents, ranked by a "
                             "smoothed PMI score so that the names met everywhere do not drown the telling ones.")
    related.add_argument("entity", metavar="NAME", help="an entity's name or alias (TYPE:NAME to pick one)")
    add_corpus_args(related)
    related.add_argument("--json", action="store_true", help="print JSON")
    related.add_argument("--limit", type=int, default=20, metavar="N", help="at most N entities (default 20)")
    add_period_args(related)
    related.set_defaults(handler=cmd_related)

    graph = sub.add_parser("graph", help="write the co-occurrence network (GraphML, GEXF or CSV)",
                           description="Write entities (type, mentions, documents) and the pairs that share "
                           "sentences or documents, for Gephi, Cytoscape or networkx.")
    add_corpus_args(graph)
    graph.add_argument("--format", choices=("graphml", "gexf", "csv"), default="graphml",
                       help="graphml (default), gexf, or csv (edges; with -o also FILE-nodes.csv)")
    graph.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                       help="write to FILE (default: standard output)")
    add_period_args(graph)
    graph.set_defaults(handler=cmd_graph)

    search = sub.choices.get("search")
    if search is not None:
        add_period_args(search)


# -- opening ------------------------------------------------------------------------------------


def open_store_of(args: argparse.Namespace) -> Any:
    """The store `explorer search` would use: the folder given, else the current folder's
    store, else the corpus opened last, else the seeds; stderr says which."""
    from explorer.corpus import choose_search_target, open_corpus_store

    target, which = choose_search_target(getattr(args, "path", None), getattr(args, "db", None))
    if which:
        _err(which)
    return open_corpus_store(target)


def open_reader(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """(store, corrected reader, scoped-or-corrected reader) of ``args``; StoreError/ValueError when not."""
    from explorer.store.corrected import open_corrected
    from explorer.store.scope import Period, ScopedReader

    period = Period.parse(getattr(args, "date_from", None), getattr(args, "date_to", None))
    store = open_store_of(args)
    corrected = open_corrected(store)
    return store, corrected, (ScopedReader(corrected, period) if period is not None else corrected)


def report_issues(issues: list[CorrectionIssue]) -> None:
    """One line on standard error for the corrections that no longer apply (never an error)."""
    if issues:
        from explorer.store.corrected import issues_message

        _err(inert_line(issues_message(issues)))


def _entity_line(entity: CorpusEntity, hidden: bool = False) -> str:
    aliases = f"  = {', '.join(entity.aliases)}" if entity.aliases else ""
    return f"{entity.count:>8,} {entity.doc_count:>6,}  {entity.type:<12} {entity.name}{aliases}" + \
        ("  [hidden]" if hidden else "")


def _counted(entity: CorpusEntity) -> str:
    mentions = "mention" if entity.count == 1 else "mentions"
    documents = "document" if entity.doc_count == 1 else "documents"
    return f"{entity.name} ({entity.type}, {entity.count:,} {mentions} in {entity.doc_count:,} {documents})"


class Refused(Exception):
    """A name that does not pick one entity; ``code`` is the exit status."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def pick(reader: Any, name: str, *, hidden: bool | None = None) -> CorpusEntity:
    """The one entity ``name`` means (name, alias, TYPE:NAME or id:ID); ``Refused`` when none or several.

    ``hidden``: True only hidden entities, False only visible ones, None both (visible preferred).
    """
    if name.startswith("id:"):
        try:
            return reader.entity(name[3:].strip())
        except KeyError:
            raise Refused(f"no entity with id {name[3:].strip()!r}", EXIT_ERROR) from None
    found = reader.lookup(name)
    if hidden is not None:
        found = [entity for entity in found if reader.is_hidden(entity.entity_id) == hidden]
    elif any(not reader.is_hidden(entity.entity_id) for entity in found):
        found = [entity for entity in found if not reader.is_hidden(entity.entity_id)]
    if len(found) == 1:
        return found[0]
    if not found:
        if hidden is False and any(reader.is_hidden(entity.entity_id) for entity in reader.lookup(name)):
            raise Refused(f"{name!r} is hidden (`explorer entities unhide {name}` shows it again)", EXIT_ERROR)
        state = "hidden " if hidden else ""
        raise Refused(f"no {state}entity named {name!r}{_suggestions(reader, name)}", EXIT_ERROR)
    listed = "; ".join(f"{_counted(entity)} id:{entity.entity_id}" for entity in found[:12])
    raise Refused(f"{name!r} is ambiguous: it may be {listed}. Name one by its full name, TYPE:NAME or id:ID",
                  EXIT_USAGE)


def _suggestions(reader: Any, name: str) -> str:
    from rapidfuzz import fuzz, process, utils

    names = [entity.name for entity in reader.entities()]
    close = process.extract(name, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=3,
                            score_cutoff=80)
    return f" (did you mean {', '.join(repr(match) for match, _, _ in close)}?)" if close else ""


def _ref(entity: CorpusEntity) -> EntityRef:
    return EntityRef(entity.name, entity.type, list(entity.aliases))


# -- explorer entities --------------------------------------------------------------------------


def _entities_parser(with_help: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explorer entities", usage=ENTITIES_USAGE, add_help=with_help,
                                     epilog=ENTITIES_EPILOG, description=ENTITIES_DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help=argparse.SUPPRESS)
    _add_entities_options(parser)
    return parser


def cmd_entities(args: argparse.Namespace) -> int:
    from explorer.store.api import StoreError
    words = list(vars(args).pop("words"))
    if "-h" in words or "--help" in words:
        _entities_parser(with_help=True).print_help()
        return EXIT_OK
    try:
        args = _entities_parser().parse_intermixed_args(words, namespace=args)
    except SystemExit as stop:  # argparse printed the reason
        return int(stop.code or EXIT_USAGE)
    words = list(args.words)
    action = words[0] if words and words[0] in ACTIONS else None
    operands = words[1:] if action else words
    try:
        operands = _take_path(args, action, operands)
    except Refused as refused:
        _err(str(refused))
        return refused.code
    misplaced = [flag for flag, on, allowed in (("--name", args.name is not None, ("merge",)),
                                                ("--everywhere", args.everywhere, ("hide",)),
                                                ("--json", args.json, (None,)), ("--all", args.all, (None,)),
                                                ("--type", args.type is not None, (None,)),
                                                ("--from", args.date_from is not None, (None,)),
                                                ("--to", args.date_to is not None, (None,)))
                 if on and action not in allowed]
    if misplaced:
        command = f"explorer entities {action}" if action else "explorer entities"
        _err(f"{', '.join(misplaced)} does not go with `{command}`")
        return EXIT_USAGE
    try:
        store, corrected, reader = open_reader(args)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if action is None:
        report_issues(corrected.issues())
        return _list_entities(args, reader)
    try:
        return _correct(action, operands, args, store, corrected)
    except Refused as refused:
        _err(inert_line(str(refused)))
        return refused.code
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR


_ARITY = {"rename": 2, "retype": 2, "hide": 1, "unhide": 1, "split": 2, "undo": 0}


def _take_path(args: argparse.Namespace, action: str | None, operands: list[str]) -> list[str]:
    """Move a trailing PATH from the operands into ``args.path``; Refused on a wrong count."""
    args.path = None
    if action is None:
        if len(operands) > 1:
            raise Refused(f"too many arguments: {' '.join(operands[1:])} (usage: {ENTITIES_USAGE.splitlines()[0]})",
                          EXIT_USAGE)
        if operands:
            args.path = Path(operands[0])
        return []
    if action == "merge":
        # NAME... then an optional PATH: the last word is the corpus when it is an existing folder or file.
        if len(operands) >= 3 and Path(operands[-1]).exists():
            args.path = Path(operands.pop())
        if len(operands) < 2:
            raise Refused("merge needs two or more names: explorer entities merge NAME NAME... [--name CANONICAL]",
                          EXIT_USAGE)
        return operands
    arity = _ARITY[action]
    if len(operands) == arity + 1:
        args.path = Path(operands.pop())
    if len(operands) != arity:
        usage = next(line.strip() for line in ENTITIES_USAGE.splitlines() if f"entities {action}" in line)
        raise Refused(f"usage: {usage}", EXIT_USAGE)
    return operands


def _list_entities(args: argparse.Namespace, reader: Any) -> int:
    import orjson

    entities = reader.entities(include_hidden=True) if args.all else reader.entities()
    if args.type:
        entities = [entity for entity in entities if entity.type == args.type]
    if args.json:
        payload = {"entities": [{"name": e.name, "type": e.type, "aliases": e.aliases, "mentions": e.count,
                                 "documents": e.doc_count, "hidden": reader.is_hidden(e.entity_id)}
                                for e in entities]}
        sys.stdout.buffer.write(orjson.dumps(payload) + b"\n")
        return EXIT_OK
    _out(f"{'mentions':>8} {'docs':>6}  {'type':<12} name  = aliases")
    for entity in entities:
        _out(_entity_line(entity, args.all and reader.is_hidden(entity.entity_id)))
    period = getattr(reader, "period", None)
    scope = f" from {period.label()}" if period is not None else ""
    print(f"{len(entities):,} entities{scope}", file=sys.stderr)
    return EXIT_OK


def _correct(action: str, operands: list[str], args: argparse.Namespace, store: Any, reader: Any) -> int:
    from explorer.store.user import UserStore

    user = UserStore(store.path)
    if action == "undo":
        undone = user.undo()
        if undone is None:
            _out("nothing to undo")
            return EXIT_OK
        from explorer.store.corrected import describe

        _out(f"undone: {describe(undone)}")
        return EXIT_OK
    correction = _correction_for(action, operands, args, reader)
    user.add_correction(correction)
    issue = reader.add_correction(correction)
    if issue is not None:  # cannot happen for a correction made from the reader itself; said if it does
        report_issues([issue])
        return EXIT_ERROR
    _out(_outcome(correction, reader))
    return EXIT_OK


def _correction_for(action: str, operands: list[str], args: argparse.Namespace, reader: Any) -> Correction:
    if action == "merge":
        picked: list[CorpusEntity] = []
        for name in operands:
            entity = pick(reader, name)
            if all(entity.entity_id != other.entity_id for other in picked):
                picked.append(entity)
        if len(picked) < 2:
            raise Refused(f"{' and '.join(repr(n) for n in operands)} are one entity already: {_counted(picked[0])}",
                          EXIT_ERROR)
        name = (args.name or picked[0].name).strip()
        if not name:
            raise Refused("--name must not be empty", EXIT_USAGE)
        return Correction("merge", [_ref(entity) for entity in picked], value=name)
    name, *rest = operands
    if action == "hide" and args.everywhere:
        if not reader.lookup(name):
            raise Refused(f"no entity is named or aliased {name!r}{_suggestions(reader, name)}", EXIT_ERROR)
        return Correction("hide", surface=name)
    if action == "unhide":
        from explorer.store.corrected import surface_key

        hidden = [surface for surface in reader.hidden_surfaces() if surface_key(surface) == surface_key(name)]
        if hidden:
            return Correction("unhide", surface=hidden[0])
        return Correction("unhide", [_ref(pick(reader, name, hidden=True))])
    entity = pick(reader, name, hidden=False if action == "hide" else None)
    if action == "hide":
        return Correction("hide", [_ref(entity)])
    value = rest[0].strip()
    if not value:
        raise Refused(f"{action}: the new value must not be empty", EXIT_USAGE)
    if action == "retype":
        value = value.lower()
        if value not in ENTITY_TYPES:
            raise Refused(f"retype: {rest[0]!r} is not a type (one of {', '.join(ENTITY_TYPES)})", EXIT_USAGE)
        if value == entity.type:
            raise Refused(f"{_counted(entity)} is a {value} already", EXIT_ERROR)
    if action == "split":
        from explorer.store.corrected import surface_key

        written = next((alias for alias in entity.aliases if surface_key(alias) == surface_key(value)), None)
        if written is None:
            aliases = ", ".join(repr(alias) for alias in entity.aliases) or "none"
            raise Refused(f"{value!r} is not an alias of {entity.name!r} (its aliases: {aliases})", EXIT_ERROR)
        value = written
    return Correction(action, [_ref(entity)], value=value)  # type: ignore[arg-type]


def _outcome(correction: Correction, reader: Any) -> str:
    """What the corpus looks like after a correction, in one line."""
    match correction.action:
        case "merge" | "rename" | "retype":
            entity = reader.lookup(f"{_type_of(correction)}:{correction.value}"
                                   if correction.action != "retype" else correction.entities[0].name)
            target = next((e for e in entity if not reader.is_hidden(e.entity_id)), entity[0] if entity else None)
            verb = {"merge": "merged", "rename": "renamed", "retype": "retyped"}[correction.action]
            return f"{verb}: {_counted(target)}" if target else f"{verb}"
        case "split":
            found = reader.lookup(f"{correction.entities[0].type}:{correction.value}")
            source = reader.lookup(f"{correction.entities[0].type}:{correction.entities[0].name}")
            parts = [_counted(e) for e in found[:1] + source[:1]]
            return "split: " + "; ".join(parts)
        case "hide":
            if correction.surface is not None:
                return f"hidden everywhere: {correction.surface!r}"
            return f"hidden: {correction.entities[0].name} (`explorer entities unhide` shows it again)"
        case _:
            return f"shown again: {correction.surface or correction.entities[0].name}"


def _type_of(correction: Correction) -> str:
    if correction.action == "merge":
        chosen = next((ref for ref in correction.entities if ref.name == correction.value), correction.entities[0])
        return chosen.type
    return correction.entities[0].type


# -- explorer corrections -----------------------------------------------------------------------


def cmd_corrections(args: argparse.Namespace) -> int:
    from explorer.store.api import StoreError
    from explorer.store.corrected import CorrectedReader
    from explorer.store.user import UserStore, export_document, read_export

    if args.corrections_action == "import":
        try:
            incoming = read_export(Path(args.file))
        except ValueError as exc:
            _err(inert_line(str(exc)))
            return EXIT_ERROR
    try:
        store = open_store_of(args)
        user = UserStore(store.path)
        if args.corrections_action == "export":
            corrections = user.corrections()
            if args.file == "-":
                sys.stdout.buffer.write(export_document(corrections))
            else:
                from explorer.store.storage import atomic_write_bytes

                try:
                    atomic_write_bytes(Path(args.file), export_document(corrections))
                except OSError as exc:
                    _err(f"cannot write {args.file}: {exc.strerror or exc}")
                    return EXIT_ERROR
                print(f"{len(corrections):,} correction(s) written to {args.file}", file=sys.stderr)
            return EXIT_OK
        added, present = user.import_corrections(incoming)
        reader = CorrectedReader(store, user.corrections())
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    print(f"{added:,} correction(s) imported, {present:,} already there", file=sys.stderr)
    report_issues(reader.issues())
    return EXIT_OK


# -- explorer related ---------------------------------------------------------------------------


def cmd_related(args: argparse.Namespace) -> int:
    from explorer.store.api import StoreError
    from explorer.store.cooccurrence import related_entities

    if args.limit <= 0:
        _err("--limit must be at least 1")
        return EXIT_USAGE
    try:
        _, corrected, reader = open_reader(args)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    report_issues(corrected.issues())
    try:
        entity = pick(reader, args.entity, hidden=False)
    except Refused as refused:
        _err(inert_line(str(refused)))
        return refused.code
    scope = getattr(reader, "doc_ids", None)
    related = related_entities(reader, entity.entity_id, args.limit, doc_ids=scope,
                               document_total=len(scope) if scope is not None else None)
    if args.json:
        import orjson

        payload = {"entity": {"name": entity.name, "type": entity.type},
                   "related": [{"name": r.entity.name, "type": r.entity.type, "sentences": r.sentences,
                                "documents": r.documents, "score": r.score} for r in related]}
        sys.stdout.buffer.write(orjson.dumps(payload) + b"\n")
        return EXIT_OK
    _out(f"appearing with {_counted(reader.entity(entity.entity_id))}:")
    _out(f"{'score':>7} {'sentences':>9} {'docs':>6}  {'type':<12} name")
    for r in related:
        _out(f"{r.score:>7.2f} {r.sentences:>9,} {r.documents:>6,}  {r.entity.type:<12} {r.entity.name}")
    if not related:
        _out("(no entity shares a sentence or two documents with it)")
    return EXIT_OK


# -- explorer graph -----------------------------------------------------------------------------


def cmd_graph(args: argparse.Namespace) -> int:
    from explorer.store.api import StoreError
    from explorer.store.cooccurrence import cooccurrence_network
    from explorer.workbench.graph import nodes_csv, render

    try:
        _, corrected, reader = open_reader(args)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    report_issues(corrected.issues())
    scope = getattr(reader, "doc_ids", None)
    entities, edges = cooccurrence_network(reader, scope, len(scope) if scope is not None else None)
    data = render(args.format, entities, edges)
    if args.output is None:
        sys.stdout.buffer.write(data)
        return EXIT_OK
    from explorer.store.storage import atomic_write_bytes

    written = [args.output]
    try:
        atomic_write_bytes(args.output, data)
        if args.format == "csv":
            nodes = args.output.with_name(f"{args.output.stem}-nodes{args.output.suffix or '.csv'}")
            atomic_write_bytes(nodes, nodes_csv(entities))
            written.append(nodes)
    except OSError as exc:
        _err(f"cannot write {args.output}: {exc.strerror or exc}")
        return EXIT_ERROR
    print(f"{len(entities):,} entities, {len(edges):,} edges written to {', '.join(map(str, written))}",
          file=sys.stderr)
    return EXIT_OK
