"""Extraction speed of several checkouts, measured back to back: words per CPU-second of each,
and each one's ratio to the first.

    git worktree add /tmp/speed/base 6ebdcca
    python benchmarks/bench_extract_compare.py /tmp/corpus2k --trees /tmp/speed/base . [--docs 1000 --rounds 7]

On a shared machine one run of ``bench_extract.py`` says as much about the other processes as
about the code: here each round runs every checkout once, in turn, each in a process of its own
(reading the same files, warmed up on one document), and the figures are the median over the
rounds of words per CPU-second, with the load beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import json, sys, time
from pathlib import Path
import explorer
from explorer.extract import extract
from explorer.ingest import iter_files, read_file
from explorer.model import Skipped
files = sorted(iter_files([Path(sys.argv[1])]))[: int(sys.argv[2])]
docs = [d for d in (read_file(p) for p in files) if not isinstance(d, Skipped)]
words = sum(len(d.text.split()) for d in docs)
extract(docs[-1])  # the gazetteers, the model, the word lists: loaded once, not counted
cpu = time.process_time()
for doc in docs:
    extract(doc)
print(json.dumps({"words": words, "cpu": time.process_time() - cpu, "package": explorer.__file__}))
"""


def run_once(tree: Path, corpus: Path, docs: int) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # run from the checkout: the current folder comes first on the path, before any installed copy
    done = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(docs)], cwd=tree, env=env,
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["package"].startswith(str(tree)):
        raise SystemExit(f"{tree}: explorer was imported from {result['package']}")
    return result["words"], result["cpu"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--trees", nargs="+", type=Path, required=True, help="checkouts; the first is the reference")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    trees = [t.resolve() for t in args.trees]
    rates: dict[Path, list[float]] = {t: [] for t in trees}
    loads = []
    for r in range(args.rounds):
        loads.append(os.getloadavg()[0])
        order = trees if r % 2 == 0 else trees[::-1]  # neither always first
        for tree in order:
            words, cpu = run_once(tree, args.corpus, args.docs)
            rates[tree].append(words / cpu)
        line = "  ".join(f"{rates[t][-1]:>9,.0f}" for t in trees)
        print(f"round {r + 1}: {line}   (load {loads[-1]:.1f}, {time.strftime('%H:%M:%S')})", flush=True)
    reference = statistics.median(rates[trees[0]])
    print(f"median over {args.rounds} rounds, {args.docs} documents, load {min(loads):.1f}-{max(loads):.1f}:")
    best_reference = max(rates[trees[0]])
    for tree in trees:
        median = statistics.median(rates[tree])
        # the best round: other processes only ever slow a round down, so it is the nearest to a quiet machine
        best = max(rates[tree])
        print(f"  {str(tree):<40} median {median:>9,.0f} words per CPU-second ({median / reference:.2f}x),"
              f" best {best:>9,.0f} ({best / best_reference:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
