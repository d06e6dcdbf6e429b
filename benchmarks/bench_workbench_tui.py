"""The workbench in the interface, timed on an indexed store: corrections, scope and "appears with"; prints figures.

    python /work/shared/bench/make_corpus.py /tmp/wb/c10k --docs 10000
    explorer index /tmp/wb/c10k --db /tmp/wb/c10k.json
    python benchmarks/bench_workbench_tui.py /tmp/wb/c10k.json [--repeat 3]

The app runs headless at 160x48 on a copy of the store (the benchmark's corrections stay off the
user's file). For each change the figures are, in milliseconds (median of --repeat):

- "shown": from the moment the change is asked for (what a dialog's enter does) until the
  interface has the new session and has refreshed its panes with it (the entity list, the
  title, the mentions' title, the timeline), measured inside the app;
- "CPU": the CPU time of that (the worker's and the interface thread's), what it costs whatever
  the machine's load;
- "settled": until nothing is left to do (the mentions and the open document read again in
  their workers, every message handled), measured from outside through Textual's pilot
  (whose polling adds ~10-20 ms).

Then "appears with" (a) for the most mentioned entity: from the key until a frame shows the
list (the end of the overlay's first frame with it), the count itself (as the overlay reports it), and until
everything settled (the screen behind restyled for losing the focus; pilot polling included).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def copy_store(store: Path, into: Path) -> Path:
    """The store and everything beside it named after it (tables, bulk files, caches), but not its user file."""
    for item in store.parent.iterdir():
        if item.name.startswith(store.name) and not item.name.endswith((".user.json", ".lock")):
            if item.is_dir():
                shutil.copytree(item, into / item.name)
            else:
                shutil.copy(item, into / item.name)
    return into / store.name


async def run(store: Path, repeat: int) -> None:
    from tui_screen import settle

    from explorer.model import Correction, EntityRef
    from explorer.store.scope import Period
    from explorer.tui.app import ExplorerApp
    from explorer.tui.screens.related import RelatedScreen

    app = ExplorerApp(None, db=store, index=False, notes_path=store.parent / "notes.md", clipboard=[],
                      keymap_path=store.parent / "keymap.toml", settings_path=store.parent / "settings.json")
    started = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: app.session is not None and app.session.search is not None
                     and app.document is not None, timeout=600)
        print(f"opened, searchable and the name keys and co-occurrence arrays ready in "
              f"{time.perf_counter() - started:.1f} s: {len(app.session.documents):,} documents, "
              f"{len(app.session.entities):,} entities")

        def ref(entity) -> EntityRef:  # type: ignore[no-untyped-def]
            return EntityRef(entity.name, entity.type, list(entity.aliases))

        async def change(ask: Callable[[], None]) -> tuple[float, float, float]:
            before = app.session
            asked = time.perf_counter()
            ask()
            await settle(pilot, lambda: app.session is not before, timeout=600)
            settled = time.perf_counter() - asked
            return (app.last_change_seconds or 0.0) * 1000, settled * 1000, (app.last_change_cpu or 0.0) * 1000

        async def measure(label: str, make: Callable[[], tuple[Callable[[], None], Callable[[], None]]]) -> None:
            shown, settled, cpu = [], [], []
            for _ in range(repeat):
                do, undo = make()
                first = await change(do)
                shown.append(first[0])
                settled.append(first[1])
                cpu.append(first[2])
                await change(undo)
            print(f"  {label:<40} shown {statistics.median(shown):5.0f} ms (CPU {statistics.median(cpu):4.0f})  "
                  f"settled {statistics.median(settled):5.0f} ms   (max {max(shown):.0f} / {max(settled):.0f})")

        def persons() -> list:  # type: ignore[type-arg]
            return [e for e in app.session.entities if e.type == "person"]

        def rename():  # type: ignore[no-untyped-def]
            entity = persons()[10]
            return (lambda: app.correct(Correction("rename", [ref(entity)], value=entity.name + " X"), entity.entity_id),
                    app.action_undo_correction)

        def merge():  # type: ignore[no-untyped-def]
            a, b = persons()[20], persons()[21]
            return (lambda: app.correct(Correction("merge", [ref(a), ref(b)], value=a.name), a.entity_id),
                    app.action_undo_correction)

        def merge_top():  # type: ignore[no-untyped-def]
            a, b = app.session.entities[0], app.session.entities[1]
            return (lambda: app.correct(Correction("merge", [ref(a), ref(b)], value=a.name), a.entity_id),
                    app.action_undo_correction)

        def retype():  # type: ignore[no-untyped-def]
            entity = persons()[30]
            return (lambda: app.correct(Correction("retype", [ref(entity)], value="place"), entity.entity_id),
                    app.action_undo_correction)

        def hide():  # type: ignore[no-untyped-def]
            entity = persons()[40]
            keep = app.main.entity_list.neighbour_id(entity.entity_id)  # where the list's cursor goes, as H does
            return (lambda: app.correct(Correction("hide", [ref(entity)]), keep), app.action_undo_correction)

        def hide_surface():  # type: ignore[no-untyped-def]
            entity = persons()[50]
            keep = app.main.entity_list.neighbour_id(entity.entity_id)
            return (lambda: app.correct(Correction("hide", surface=entity.name), keep), app.action_undo_correction)

        def split():  # type: ignore[no-untyped-def]
            entity = next(e for e in persons()[5:] if e.aliases)
            return (lambda: app.correct(Correction("split", [ref(entity)], value=entity.aliases[0]), entity.entity_id),
                    app.action_undo_correction)

        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
        print("a correction applied and shown (and undone, not timed):")
        for label, make in (("rename a person", rename), ("merge two persons", merge),
                            ("merge the two most mentioned entities", merge_top), ("retype a person", retype),
                            ("hide an entity", hide), ("hide a name everywhere", hide_surface),
                            ("split an alias out", split)):
            await measure(label, make)
        undo_shown = []
        for _ in range(repeat):
            entity = persons()[10]
            await change(lambda e=entity: app.correct(Correction("rename", [ref(e)], value=e.name + " Y"),  # type: ignore[misc]
                                                      e.entity_id))
            undo_shown.append(await change(app.action_undo_correction))
        print(f"  {'undo':<40} shown {statistics.median(s for s, _, _ in undo_shown):5.0f} ms (CPU "
              f"{statistics.median(c for _, _, c in undo_shown):4.0f})  settled "
              f"{statistics.median(s for _, s, _ in undo_shown):5.0f} ms")

        dates = sorted(d.published for d in app.session.documents if d.published)
        year = int(dates[len(dates) // 2][:4])
        period = Period.parse(str(year), str(year))
        scoped = await change(lambda: app.set_scope(period))
        print(f"scope to {year}: shown {scoped[0]:.0f} ms (CPU {scoped[2]:.0f}), settled {scoped[1]:.0f} ms "
              f"({len(app.session.documents):,} documents, {len(app.session.entities):,} entities)")
        print(f"a correction in that scope (load {os.getloadavg()[0]:.1f}):")
        await measure("rename a person", rename)
        await measure("merge two persons", merge)
        cleared = await change(lambda: app.set_scope(None))
        print(f"scope cleared: shown {cleared[0]:.0f} ms (CPU {cleared[2]:.0f}), settled {cleared[1]:.0f} ms")

        top = max(app.session.entities, key=lambda entity: entity.count)
        print(f"appears with {top.name} ({top.count:,} mentions in {top.doc_count:,} documents), "
              f"load {os.getloadavg()[0]:.1f}:")
        # The end of the first frame that shows the counted list: Screen._compositor_refresh is where a
        # frame is built and written (a private method, wrapped here only, on the overlay's class).
        frames: list[float] = []
        compositor_refresh = RelatedScreen._compositor_refresh

        def timed_refresh(screen: RelatedScreen) -> None:
            compositor_refresh(screen)
            if screen.loaded:
                frames.append(time.perf_counter())

        RelatedScreen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
        async def appears_with(open_it: Callable[[], None]) -> tuple[float, float, float]:
            """(key to the list painted, the count, until settled) in ms, the median of ``repeat``; the max too."""
            painted, settled_after, counted = [], [], []
            for _ in range(repeat):
                app.main.sidebar.select_entity(top.entity_id)
                app.main.select_entity(top, settle_now=True)
                app.main.set_focus(app.main.entity_list)
                await settle(pilot)
                frames.clear()
                pressed = time.perf_counter()
                open_it()
                await settle(pilot, lambda: isinstance(app.screen, RelatedScreen) and app.screen.loaded
                             and bool(frames), timeout=600)
                settled_after.append((time.perf_counter() - pressed) * 1000)
                screen = app.screen
                assert isinstance(screen, RelatedScreen)
                painted.append((frames[0] - pressed) * 1000)
                status = str(screen.query_one("#related-status").render())
                counted.append(float(status.split("counted in ")[1].split(" ms")[0]))
                await pilot.press("escape")
                await settle(pilot)
            print(f"key to the list painted {statistics.median(painted):.0f} ms (max {max(painted):.0f}); counted "
                  f"in {statistics.median(counted):.0f} ms (max {max(counted):.0f}); settled "
                  f"{statistics.median(settled_after):.0f} ms (the screen behind restyled, pilot polling included)")

        print("  a (counted, then the overlay opened with the list): ", end="")
        await appears_with(lambda: app.show_related(top))
        print("  for comparison, the overlay opened first, counting in its own worker: ", end="")
        await appears_with(lambda: app.push_screen(RelatedScreen(app.session, top)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="an indexed store (explorer index ... --db STORE)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("EXPLORER_CLIPBOARD", "none")
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    work = Path(tempfile.mkdtemp(prefix="bench-workbench-tui-"))
    os.environ["EXPLORER_DATA_DIR"] = str(work)
    os.environ["EXPLORER_CONFIG_DIR"] = str(work / "config")
    try:
        asyncio.run(run(copy_store(args.store.resolve(), work), args.repeat))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
