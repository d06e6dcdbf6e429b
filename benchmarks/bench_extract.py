"""Extraction speed: words per second in one process, and how it scales with corpus size.

    python ../shared/bench/make_corpus.py /tmp/corpus10k --docs 10000
    python benchmarks/bench_extract.py /tmp/corpus10k [--docs 1000 10000]

Prints words/s (wall clock) and words per CPU-second (this process's own time: on a shared
machine the wall clock also counts other processes' turns) for each corpus size (first N files
of the folder), with the load average beside them, the ratio of
the per-word cost between the sizes (linear scaling means ~1.0), and peak memory.
Target on the project machine: >= 150,000 words/s in one process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from explorer.extract import extract
from explorer.extract.gazetteer import load
from explorer.ingest import iter_files, read_file
from explorer.model import Skipped


def run(files: list[Path]) -> tuple[int, float, float]:
    docs = []
    for path in files:
        item = read_file(path)
        if not isinstance(item, Skipped):
            docs.append(item)
    words = sum(len(d.text.split()) for d in docs)
    start, cpu_start = time.perf_counter(), time.process_time()
    for doc in docs:
        extract(doc)
    return words, time.perf_counter() - start, time.process_time() - cpu_start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    files = sorted(iter_files([args.corpus]))
    if not files:
        print(f"no files under {args.corpus}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    load()
    first = next((d for d in map(read_file, files) if not isinstance(d, Skipped)), None)
    if first is not None:
        extract(first)  # the tagger's model and word lists, loaded on first use: not counted below
    print(f"gazetteers, model and word lists loaded in {time.perf_counter() - t0:.2f} s")
    rates = []
    for n in args.docs:
        chosen = files[:n]
        words, seconds, cpu = run(chosen)
        rate = words / seconds
        rates.append(rate)
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        print(f"{len(chosen):>6} docs  {words:>9,} words  {seconds:6.2f} s  {rate:>10,.0f} words/s"
              f"  ({words / cpu:,.0f} words per CPU-second, load {os.getloadavg()[0]:.1f})")
    if len(rates) > 1:
        print(f"per-word cost ratio, largest vs smallest corpus: {rates[0] / rates[-1]:.2f} (1.00 = linear)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
