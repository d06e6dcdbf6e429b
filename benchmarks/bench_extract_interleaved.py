"""Extraction speed of two checkouts in one process, document by document in turn: the ratio
of their words per CPU-second, steady on a loaded machine.

    git worktree add /tmp/speed/base main
    python benchmarks/bench_extract_interleaved.py /tmp/corpus2k --base /tmp/speed/base [--docs 2000 --passes 2]

Rounds of whole runs (``bench_extract_compare.py``) each meet the machine in another state: on
a shared machine two runs of the same code a minute apart differ by a third. Here each
checkout's ``explorer`` package is copied under a name of its own (its imports renamed), both
are imported into this process, and every document is extracted by one and then the other
(the order turning each time), so that both meet the same load, the same caches and the same
moment. Each document's entities and events are compared too: a speed figure of an extraction
that differs is no figure (exit status 1).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent.parent
_IMPORT = re.compile(r"\b(from|import)\s+explorer\b")


def copy_package(checkout: Path, name: str, into: Path) -> None:
    """``checkout``/explorer as ``into``/``name``, every ``explorer`` import renamed."""
    target = into / name
    shutil.copytree(checkout / "explorer", target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in target.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        path.write_text(_IMPORT.sub(lambda m: f"{m.group(1)} {name}", source), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--base", type=Path, required=True, help="a checkout of the reference (git worktree add ...)")
    ap.add_argument("--tree", type=Path, default=HERE, help="the checkout measured against it (this one)")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-interleaved-") as tmp:
        copy_package(args.base.resolve(), "explorer_base", Path(tmp))
        copy_package(args.tree.resolve(), "explorer_tree", Path(tmp))
        sys.path.insert(0, tmp)
        packages = [(importlib.import_module(f"{name}.extract"), importlib.import_module(f"{name}.ingest"),
                     importlib.import_module(f"{name}.model")) for name in ("explorer_base", "explorer_tree")]
        return measure(packages, args.corpus, args.docs, args.passes)


def measure(packages: list[tuple[ModuleType, ModuleType, ModuleType]], corpus: Path, limit: int, passes: int) -> int:
    (base_extract, base_ingest, base_model), (tree_extract, _, tree_model) = packages
    files = sorted(base_ingest.iter_files([corpus]))[:limit]
    base_docs = [d for d in map(base_ingest.read_file, files) if not isinstance(d, base_model.Skipped)]
    if not base_docs:
        print(f"no documents under {corpus}", file=sys.stderr)
        return 1
    # the same documents, as the other package's dataclass
    tree_docs = [tree_model.SourceDocument(**{f.name: getattr(d, f.name) for f in dataclasses.fields(d)}) for d in base_docs]
    words = sum(len(d.text.split()) for d in base_docs)
    for extract, doc in ((base_extract.extract, base_docs[0]), (tree_extract.extract, tree_docs[0])):
        extract(doc)  # gazetteers, model and word lists: loaded once, not counted
    clock = time.process_time
    spent = [0.0, 0.0]
    differ = 0
    loads = [os.getloadavg()[0]]
    for p in range(passes):
        for i, (base_doc, tree_doc) in enumerate(zip(base_docs, tree_docs, strict=True)):
            jobs = [(0, base_extract.extract, base_doc), (1, tree_extract.extract, tree_doc)]
            if (i + p) % 2:
                jobs.reverse()  # neither always first
            results = []
            for k, extract, doc in jobs:
                t0 = clock()
                results.append(extract(doc))
                spent[k] += clock() - t0
            if p == 0 and _plain(results[0]) != _plain(results[1]):
                differ += 1
                print(f"  {files[i]}: the two checkouts extract differently")
        loads.append(os.getloadavg()[0])
    base_rate, tree_rate = words * passes / spent[0], words * passes / spent[1]
    print(f"{len(base_docs)} documents x {passes}, {words:,} words, load {min(loads):.1f}-{max(loads):.1f}")
    print(f"  base {base_rate:>9,.0f} words per CPU-second")
    print(f"  tree {tree_rate:>9,.0f} words per CPU-second  ({tree_rate / base_rate:.2f}x)")
    if differ:
        print(f"{differ} documents extracted differently: the figures compare different work")
    return 1 if differ else 0


def _plain(extraction: object) -> tuple[object, object]:
    """An extraction's entities and events as plain values (the two packages' classes differ)."""
    return ([dataclasses.asdict(e) for e in extraction.entities],  # type: ignore[attr-defined]
            [dataclasses.asdict(e) for e in extraction.events])  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
