"""Time to first screen and memory of the interface on a large store.

Build the store once (never commit it):

    python ../shared/bench/make_corpus.py /tmp/corpus10k --docs 10000
    explorer index /tmp/corpus10k --db /tmp/store10k/store.json

then:

    python benchmarks/bench_startup.py --store /tmp/store10k/store.json --corpus /tmp/corpus10k

Each run is a fresh interpreter (imports included), headless at 160x48. Printed per run:
- first paint: process start -> the first frame (layout, empty panes, "Opening the corpus…");
- document: process start -> the store read and the first document shown with its entities;
- search: process start -> the search index built (search works from then on);
- timeline: process start -> the dated events read and the timeline filled (after the first screen);
- keys: time from a key reaching the app to the frame that shows its effect, once everything is
  loaded: single keys (entity list, document, timeline, zoom), each after the app has rested (the
  work a key started, such as an entity's mentions, shown), then j held down at 30 repeats a
  second in the entity list and the document, and right in the timeline; what waits for the
  selection to rest (mentions, marks, timeline filter) runs after the frame, as in use;
- the interface thread's own CPU time for those keys (what a key costs on a quiet machine);
- RSS when the document shows, and at the end.
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

CHILD = r"""
import time
T0 = time.perf_counter()
import asyncio, json, os, statistics, sys
from pathlib import Path

def rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

from explorer.tui.app import ExplorerApp
IMPORTED = time.perf_counter() - T0
from textual import events

CPU = []
TIMED = []  # (CPU, wall, key, focused widget's class) of every timed key, to name the slowest

def pending(app):
    nodes = [app, *app.screen_stack, *app.screen.walk_children(with_self=False)]
    return any(node._message_queue.qsize() for node in nodes)

async def press(app, key, frames):
    # As a terminal does: the driver hands the key to the app. Timed to the first frame the
    # app builds once every message the key caused is handled (Pilot.press would add two
    # 20 ms idle waits of its own).
    character = {"slash": "/", "question_mark": "?", "plus": "+", "minus": "-"}.get(key, key if len(key) == 1 else None)
    started, cpu = time.perf_counter(), time.thread_time()
    app._driver.send_message(events.Key(key, character))
    await asyncio.sleep(0)
    while pending(app):
        await asyncio.sleep(0)
    handled = time.perf_counter()
    shown = len(frames)
    while len(frames) == shown and time.perf_counter() - handled < 0.05:
        await asyncio.sleep(0.0005)
        while pending(app):
            await asyncio.sleep(0)
    end, end_cpu = frames[shown] if len(frames) > shown else (handled, time.thread_time())
    CPU.append(end_cpu - cpu)  # the interface thread's own time: what a quiet machine would wait
    TIMED.append((end_cpu - cpu, end - started, key, app.focused.__class__.__name__ if app.focused else "-"))
    return end - started

def painting(app):
    # a frame still to come: what a worker handed over at the end of the pause (an entity's
    # mentions) is not on screen yet, and the next key's frame would paint it too
    screen = app.screen
    return bool(screen._layout_required or screen._scroll_required or screen._repaint_required
                or screen._dirty_widgets)

async def idle(app, seconds):
    await asyncio.sleep(seconds)
    await app.workers.wait_for_complete()
    deadline = time.perf_counter() + 1.0
    while pending(app) or not app.main.settled or (painting(app) and time.perf_counter() < deadline):
        await asyncio.sleep(0.005)

async def main():
    store, corpus, width, height = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    app = ExplorerApp(Path(corpus), db=Path(store), index=False, notes_path=Path(os.devnull), clipboard=[],
                      keymap_path=Path(os.devnull), settings_path=Path(os.devnull))
    out = {"import": IMPORTED}
    async with app.run_test(size=(width, height)) as pilot:
        while app.first_paint is None:
            await asyncio.sleep(0.002)
        out["first_paint"] = time.perf_counter() - T0
        out["first_paint_in_app"] = app.first_paint
        while app.document is None and not app.store_error:
            await asyncio.sleep(0.005)
        await pilot.pause(0)
        out["document"] = time.perf_counter() - T0
        out["rss_document"] = rss_mb()
        while (app.session is None or app.session.search is None) and not app.store_error:
            await asyncio.sleep(0.01)
        out["search"] = time.perf_counter() - T0
        while app.session is not None and not app.session.timeline_ready and not app.store_error:
            await asyncio.sleep(0.01)  # the events are read after the first screen; the keys below use them
        out["timeline"] = time.perf_counter() - T0
        await idle(app, 0.5)
        frames = []
        display = app._display
        def timed_display(screen, renderable):
            frames.append((time.perf_counter(), time.thread_time()))
            display(screen, renderable)
        app._display = timed_display
        keys = {}
        # one key at a time, the app idle in between
        for key in ["e", "j", "r", "j", "n", "w", "t", "right", "plus", "minus", "e"]:
            keys.setdefault("single", []).append(await press(app, key, frames))
            await idle(app, 0.2)
        # held down: key repeat at 30 a second, in the entity list, the document and the timeline
        for pane, key in [("e", "j"), ("r", "j"), ("t", "right")]:
            await press(app, pane, frames)
            await idle(app, 0.2)
            for _ in range(30):
                started = time.perf_counter()
                keys.setdefault("held", []).append(await press(app, key, frames))
                await asyncio.sleep(max(0.0, 1 / 30 - (time.perf_counter() - started)))
            await idle(app, 0.2)
        every = keys["single"] + keys["held"]
        out["key_median"] = statistics.median(every)
        out["key_p90"] = sorted(every)[int(len(every) * 0.9)]
        out["key_max"] = max(every)
        out["held_median"] = statistics.median(keys["held"])
        out["held_max"] = max(keys["held"])
        out["cpu_median"] = statistics.median(CPU)
        out["cpu_max"] = max(CPU)
        out["rss_end"] = rss_mb()
        out["slowest"] = [f"{key} in {where}: {cpu * 1000:.0f} ms CPU, {wall * 1000:.0f} ms"
                          for cpu, wall, key, where in sorted(TIMED, reverse=True)[:3]]
        out["error"] = app.store_error
    print("RESULT " + json.dumps(out))

asyncio.run(main())
"""


def run_once(store: Path, corpus: Path, width: int, height: int) -> dict[str, float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(corpus), str(width), str(height)],
        capture_output=True, text=True, check=False, env={"EXPLORER_CLIPBOARD": "none", "TEXTUAL_ANIMATIONS": "none",
                                                         "PATH": "/usr/bin:/bin"},
    )
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            data = json.loads(line[7:])
            data["wall"] = time.perf_counter() - started
            return data
    raise SystemExit(f"benchmark child failed:\n{result.stdout}\n{result.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=Path("/tmp/store10k/store.json"))
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus10k"))
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.store.exists():
        print(f"no store at {args.store}; build it first (see the docstring)", file=sys.stderr)
        return 2
    width, height = (int(part) for part in args.size.split("x"))
    with open("/proc/loadavg") as handle:
        print(f"load average {handle.read().split()[0]} on {os.cpu_count()} cores (figures in wall time rise with it)")
    # the root file and, for a segmented store, the folder of tables beside it
    parts = [args.store, *(path for path in args.store.parent.glob(args.store.name + ".d/**/*") if path.is_file())]
    size_mb = sum(path.stat().st_size for path in parts) / 1e6
    print(f"store {args.store} ({size_mb:.0f} MB), terminal {width}x{height}, {args.runs} cold runs")
    rows = [run_once(args.store, args.corpus, width, height) for _ in range(args.runs)]
    if any(row.get("error") for row in rows):
        print("store error:", rows[0]["error"])
        return 1
    fields = [
        ("import", "imports", "s"),
        ("first_paint", "first paint (from process start)", "s"),
        ("document", "document with entities shown", "s"),
        ("search", "search ready", "s"),
        ("timeline", "timeline filled (events read)", "s"),
        ("key_median", "key press to frame, median", "ms"),
        ("key_p90", "key press to frame, 90th centile", "ms"),
        ("key_max", "key press to frame, slowest", "ms"),
        ("held_median", "key held (30/s), median", "ms"),
        ("held_max", "key held (30/s), slowest", "ms"),
        ("cpu_median", "  interface thread CPU, median", "ms"),
        ("cpu_max", "  interface thread CPU, slowest", "ms"),
        ("rss_document", "RSS when the document shows", "MB"),
        ("rss_end", "RSS at the end", "MB"),
    ]
    for key, label, unit in fields:
        values = [row[key] * (1000 if unit == "ms" else 1) for row in rows]
        shown = " ".join(f"{value:7.2f}" if unit == "s" else f"{value:7.0f}" for value in values)
        print(f"{label:34} {shown}  {unit}  (median {statistics.median(values):.2f})")
    for number, row in enumerate(rows, 1):
        print(f"slowest keys, run {number}: " + "; ".join(row["slowest"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
