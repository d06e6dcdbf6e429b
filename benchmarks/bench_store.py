"""Store benchmark: index a synthetic corpus, re-index it, open it; prints the figures.

    python benchmarks/bench_store.py [--docs 10000] [--corpus DIR] [--workers N] [--keep DIR]

Without --corpus, the corpus is written by ../shared/bench/make_corpus.py into a
temporary folder (never into the repository). Figures: index time (wall and
CPU, with the phases), re-index time of the unchanged corpus, incremental
re-index after editing, adding and deleting 10 files each, store size, and the
time and peak memory of opening the store in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"

OPEN_PROBE = """
import json, resource, sys, time
from pathlib import Path

def peak_mb():
    # VmHWM is this process's own high-water mark; ru_maxrss on Linux also counts the
    # parent's memory at fork, so a probe started from a big benchmark would over-report.
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

started = time.perf_counter()
from explorer.store import open_store
imported = time.perf_counter()
store = open_store(Path(sys.argv[1]))
opened = time.perf_counter()
documents, entities = len(store.documents()), len(store.entities())
print(json.dumps({"import_s": imported - started, "open_s": opened - imported, "peak_rss_mb": peak_mb(),
                  "documents": documents, "entities": entities}))
"""


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def make_corpus(folder: Path, docs: int) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "--docs", str(docs)], check=True)


def timed_index(corpus: Path, db: Path, workers: int | None, **kwargs: object) -> tuple[float, float, object]:
    from explorer.store import index_corpus

    cpu, wall = cpu_seconds(), time.perf_counter()
    report = index_corpus([corpus], db, workers=workers, **kwargs)  # type: ignore[arg-type]
    return time.perf_counter() - wall, cpu_seconds() - cpu, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=None, help="an existing corpus (copied, never modified)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the store in this folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    try:
        corpus = work / "corpus"
        if args.corpus:
            shutil.copytree(args.corpus, corpus)
        else:
            make_corpus(corpus, args.docs)
        files = sorted(corpus.iterdir())
        db = (args.keep or work) / "store.json"
        db.parent.mkdir(parents=True, exist_ok=True)
        if db.exists():
            db.unlink()

        wall, cpu, report = timed_index(corpus, db, args.workers, rebuild=True)
        print(f"index      {len(files):>6} files  {wall:6.2f} s wall  {cpu:6.2f} s CPU  "
              f"({len(files) / wall:,.0f} files/s)  documents={report.documents} entities={report.entities} "
              f"events={report.events} skipped={len(report.skipped)}")
        print("           phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.phases.items()))
        size = db.stat().st_size
        print(f"store size {size / 1e6:8.1f} MB")

        wall, cpu, report = timed_index(corpus, db, args.workers)
        print(f"re-index unchanged  {wall:6.2f} s wall  {cpu:6.2f} s CPU  unchanged={report.unchanged}")

        for path in files[:10]:  # edit
            path.write_text(path.read_text(encoding="utf-8") + "\nEditorial note added on June 3, 2024.\n",
                            encoding="utf-8")
        for path in files[10:20]:  # delete
            path.unlink()
        for i, path in enumerate(files[20:30]):  # add (copies under new names)
            shutil.copy(path, corpus / f"added-{i}.txt")
        wall, cpu, report = timed_index(corpus, db, args.workers)
        print(f"re-index 10 edited, 10 deleted, 10 added  {wall:6.2f} s wall  "
              f"(changed={report.changed} removed={report.removed} added={report.added})")

        probes = []
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", OPEN_PROBE, str(db)], check=True, capture_output=True,
                                 text=True, cwd=ROOT).stdout
            probes.append(json.loads(out))
        best = min(probes, key=lambda p: p["open_s"])
        print(f"open store {best['open_s']:6.2f} s (best of 3; import {best['import_s']:.2f} s)  "
              f"peak RSS {max(p['peak_rss_mb'] for p in probes):.0f} MB  "
              f"documents={best['documents']} entities={best['entities']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
