"""Where extraction runs: one process, the built-in pool, a dask LocalCluster; prints files/s and per-core rates.

    python benchmarks/bench_executors.py [--docs 2000] [--corpus DIR] [--workers 2]

The same corpus is indexed afresh three times: in this process (``--workers 1``:
the per-core rate docs/scale.md starts from), on the built-in process pool of
``--workers`` processes, and on a dask.distributed LocalCluster of as many
single-threaded worker processes (needs ``pip install 'explorer[dask]'``; the
cluster's start-up is timed apart). Then ``explorer extract --jsonl`` writes a
shard and ``index_shards`` indexes it, the two halves of the many-machines
route. The machine's load is printed beside each figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def load() -> str:
    return "load " + " ".join(f"{v:.1f}" for v in os.getloadavg())


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def words_in(corpus: Path) -> int:
    return sum(len(path.read_text(encoding="utf-8", errors="replace").split()) for path in corpus.iterdir())


def line(label: str, files: int, words: int, wall: float, cpu: float | None = None) -> str:
    cpu_part = f"  {cpu:7.1f} s CPU" if cpu is not None else ""
    return (f"{label:<44} {wall:7.2f} s wall{cpu_part}  {files / wall:7.1f} files/s  "
            f"{words / wall:9,.0f} words/s  ({load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2_000)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from explorer.store import index_corpus, index_shards
    from explorer.store.shards import write_jsonl

    work = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    try:
        corpus = args.corpus or work / "corpus"
        if args.corpus is None:
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), "--docs", str(args.docs)], check=True,
                           capture_output=True)
        files = len(list(corpus.iterdir()))
        words = words_in(corpus)
        print(f"corpus: {files:,} files, {words:,} words")

        def timed(label: str, **kwargs: object) -> float:
            cpu, started = cpu_seconds(), time.perf_counter()
            index_corpus([corpus], work / f"{label}.json", rebuild=True, **kwargs)  # type: ignore[arg-type]
            wall = time.perf_counter() - started
            print(line(label, files, words, wall, cpu_seconds() - cpu))
            return wall

        one = timed("one process (per-core rate)", workers=1)
        pool = timed(f"built-in pool, {args.workers} processes", workers=args.workers)
        try:
            from distributed import LocalCluster
        except ImportError:
            print("dask: not installed (pip install 'explorer[dask]')")
        else:
            started = time.perf_counter()
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                print(f"dask LocalCluster of {args.workers} workers started in {time.perf_counter() - started:.1f} s")
                dask = timed(f"dask LocalCluster, {args.workers} workers", scheduler=cluster.scheduler_address)
            print(f"dask / pool wall: {dask / pool:.2f}")
        print(f"pool speed-up over one process: {one / pool:.2f} on {os.cpu_count()} cores")

        started = time.perf_counter()
        with open(work / "shard.jsonl", "wb") as out:
            write_jsonl([corpus], out, workers=args.workers)
        wall = time.perf_counter() - started
        size = (work / "shard.jsonl").stat().st_size
        print(line(f"extract --jsonl, {args.workers} processes", files, words, wall) + f"  shard {size / 1e6:.0f} MB")
        started = time.perf_counter()
        index_shards([work / "shard.jsonl"], work / "from-shards.json")
        print(line("index --from-jsonl (no extraction)", files, words, time.perf_counter() - started))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
