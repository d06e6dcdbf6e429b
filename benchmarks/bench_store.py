"""Store benchmark: index a synthetic corpus, re-index it, open it, search it; prints the figures.

    python benchmarks/bench_store.py [--docs 10000] [--corpus DIR] [--in-place] [--db STORE] [--skip-index]

Without --corpus, the corpus is written by ../shared/bench/make_corpus.py into a
temporary folder (never into the repository); with --corpus it is copied first,
unless --in-place (one file is edited, then restored). Figures, each in a fresh
process so memory is that command's own: index wall, CPU and peak memory (the
indexing process; its extraction workers are counted apart), re-index of the
unchanged corpus, re-index after one edited file and after editing, deleting
and adding 10 files each, store size on disk, the first screen of the
interface without it (``open_store`` + ``entities()`` + the first document:
time after process start and peak memory; then what the interface's session
also reads before it shows its lists: ``documents()``, ``events()`` and the
timeline built from them), and ``explorer search`` per call
including process start (the first call after indexing builds the search
index; the others load it). The machine's load is printed beside each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"

PEAK = """
def peak_mb(who="self"):
    # VmHWM is this process's own high-water mark (ru_maxrss would count the parent's at fork).
    for line in open(f"/proc/{who}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
"""

INDEX_PROBE = PEAK + """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from explorer.store import index_corpus
report = index_corpus([Path(sys.argv[1])], Path(sys.argv[2]), rebuild=sys.argv[3] == "rebuild")
children = resource.getrusage(resource.RUSAGE_CHILDREN)
own = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": time.perf_counter() - started, "peak_rss_mb": peak_mb(),
                  "worker_peak_mb": children.ru_maxrss / 1024,
                  "cpu_s": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
                  "documents": report.documents, "entities": report.entities, "events": report.events,
                  "added": report.added, "changed": report.changed, "removed": report.removed,
                  "unchanged": report.unchanged, "phases": report.phases}))
"""

FIRST_SCREEN_PROBE = PEAK + """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
cpu_started = time.process_time()
from explorer.store import open_store
store = open_store(Path(sys.argv[1]))
opened = time.perf_counter()
entities = store.entities()
listed = time.perf_counter()
anchor = store.anchor(entities[0].entity_id)  # where the most mentioned entity is mentioned most
document = store.document(anchor[0])
shown = time.perf_counter()
first_peak = peak_mb()
# What the interface's session also asks before its lists show: every document, every event,
# placed on the timeline (explorer/tui/session.py).
documents = store.documents()
events = store.events()
evented = time.perf_counter()
from explorer.tui.timeline_data import build_timeline
timeline = build_timeline(events)
placed = time.perf_counter()
print(json.dumps({"open_s": opened - started, "entities_s": listed - started, "first_document_s": shown - started,
                  "cpu_s": time.process_time() - cpu_started, "first_peak_mb": first_peak,
                  "documents_events_s": evented - started, "timeline_s": placed - started,
                  "peak_rss_mb": peak_mb(), "entities": len(entities), "events": len(events),
                  "documents": store.document_count()}))
"""


def load() -> str:
    return "load " + " ".join(f"{v:.1f}" for v in os.getloadavg())


def probe(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_index(corpus: Path, db: Path, rebuild: bool = False) -> dict:
    return probe(INDEX_PROBE, str(corpus), str(db), "rebuild" if rebuild else "update")


def search_call(db: Path, query: str) -> tuple[float, float, float]:
    """Wall and CPU seconds of one `explorer search` process (start included) and its peak memory (MB).

    On a busy machine the wall is mostly waiting for a core: the CPU seconds say what the call costs.
    """
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", sys.executable, "-m", "explorer", "search", "--json",
                           query, "--db", str(db)], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"explorer search failed: {done.stderr[-500:]}")
    user, system, peak = done.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(peak) / 1024


def store_size(db: Path) -> int:
    folder = db.with_name(db.name + ".d")
    files = [db, *(folder.iterdir() if folder.exists() else [])]
    return sum(f.stat().st_size for f in files if f.is_file())


def describe(label: str, figures: dict) -> str:
    phases = ", ".join(f"{k} {v:.2f}" for k, v in figures.get("phases", {}).items())
    return (f"{label:<34} {figures['wall_s']:7.2f} s wall  {figures['cpu_s']:7.1f} s CPU  "
            f"peak {figures['peak_rss_mb']:5.0f} MB (workers {figures['worker_peak_mb']:.0f} MB)  "
            f"added={figures['added']} changed={figures['changed']} removed={figures['removed']} "
            f"unchanged={figures['unchanged']}  [{phases}]  ({load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=None, help="an existing corpus (copied unless --in-place)")
    parser.add_argument("--in-place", action="store_true", help="edit one file of --corpus, then restore it")
    parser.add_argument("--db", type=Path, default=None, help="the store to use (default: a temporary one)")
    parser.add_argument("--skip-index", action="store_true", help="the store exists: skip the full index")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    try:
        if args.corpus and args.in_place:
            corpus = args.corpus
        else:
            corpus = work / "corpus"
            if args.corpus:
                shutil.copytree(args.corpus, corpus)
            else:
                subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), "--docs", str(args.docs)], check=True)
        files = sorted(corpus.iterdir())
        db = args.db or work / "store.json"
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"corpus {corpus}: {len(files):,} files; store {db}")

        if not args.skip_index:
            figures = run_index(corpus, db, rebuild=True)
            print(describe("index", figures) + f"  documents={figures['documents']} entities={figures['entities']} "
                  f"events={figures['events']}  {len(files) / figures['wall_s']:,.0f} files/s")
        print(f"store size {store_size(db) / 1e6:8.1f} MB")
        print(describe("re-index unchanged", run_index(corpus, db)))

        first_search, first_cpu, first_rss = search_call(db, "Bosworth")
        print(f"explorer search, first call (prepares the search index)  {first_search:6.2f} s wall  "
              f"{first_cpu:.2f} s CPU  peak {first_rss:.0f} MB  ({load()})")

        edited = files[len(files) // 2]
        original = edited.read_bytes()
        try:
            edited.write_bytes(original + b"\nEditorial note added on June 3, 2024, by Stephen Bosworth.\n")
            print(describe("re-index after 1 edited file", run_index(corpus, db)))
        finally:
            edited.write_bytes(original)
        print(describe("re-index after restoring it", run_index(corpus, db)))
        after_edit = search_call(db, "Bosworth")
        print(f"explorer search, first call after the edits (updates the search index)  {after_edit[0]:.2f} s wall  "
              f"{after_edit[1]:.2f} s CPU  peak {after_edit[2]:.0f} MB  ({load()})")
        calls = [search_call(db, query) for query in ("Bosworth", "Kim Gye Gwan", "resol 1874", "UNSC", "six party")]
        walls, cpus = [wall for wall, _, _ in calls], [cpu for _, cpu, _ in calls]
        print(f"explorer search per call (5 queries)  median {statistics.median(walls):.2f} s wall "
              f"(max {max(walls):.2f})  median {statistics.median(cpus):.2f} s CPU (max {max(cpus):.2f})  "
              f"peak {max(rss for _, _, rss in calls):.0f} MB  ({load()})")
        screens = [probe(FIRST_SCREEN_PROBE, str(db)) for _ in range(3)]
        best = min(screens, key=lambda s: s["first_document_s"])
        print(f"first screen (open_store + entities() + the first entity's document)  "
              f"open {best['open_s']:.2f} s, entity list {best['entities_s']:.2f} s, first document "
              f"{best['first_document_s']:.2f} s  peak {max(s['first_peak_mb'] for s in screens):.0f} MB; "
              f"the interface's session (+ documents() + events() + build_timeline): events listed "
              f"{best['documents_events_s']:.2f} s, timeline placed {best['timeline_s']:.2f} s "
              f"(best of 3; {best['cpu_s']:.2f} s CPU after the interpreter's start)  "
              f"peak {max(s['peak_rss_mb'] for s in screens):.0f} MB  "
              f"entities={best['entities']:,} documents={best['documents']:,} events={best['events']:,}  ({load()})")

        if not args.in_place:
            for path in files[:10]:  # edit
                path.write_text(path.read_text(encoding="utf-8") + "\nEditorial note added on June 3, 2024.\n",
                                encoding="utf-8")
            for path in files[10:20]:  # delete
                path.unlink()
            for i, path in enumerate(files[20:30]):  # add (copies under new names)
                shutil.copy(path, corpus / f"added-{i}.txt")
            print(describe("re-index 10 edited, 10 deleted, 10 added", run_index(corpus, db)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
