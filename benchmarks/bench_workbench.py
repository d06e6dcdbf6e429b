"""Workbench benchmark: corrections applied and shown, and "appears with", on an indexed corpus; prints figures.

    python /work/shared/bench/make_corpus.py /tmp/workbench/c10k --docs 10000
    explorer index /tmp/workbench/c10k --db /tmp/workbench/c10k.json
    python benchmarks/bench_workbench.py /tmp/workbench/c10k.json [--repeat 5]

The store is copied first: its own corrections are never touched, the benchmark's go to the
copy's user file. Figures (milliseconds; median of --repeat runs where said):

- open: the corrected reader over an opened store, first entity list (the name keys
  of every entity are made once here, on the first correction);
- a correction applied and shown: each kind (merge, rename, retype, hide, hide a
  surface everywhere, split, undo) saved to the user file, applied to the open
  reader, and the corrected entity list and the changed entity read back, as the
  interface would show them;
- appears with: ``related_entities`` for the most mentioned entity (and a middling
  and a rare one), warm, with and without corrections and in a one-year scope;
  the co-occurrence arrays' first build (or cache load) is printed apart.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from explorer.model import Correction, EntityRef
from explorer.store import open_store
from explorer.store.cooccurrence import arrays_cache_path, related_entities
from explorer.store.corrected import CorrectedReader
from explorer.store.scope import Period, ScopedReader
from explorer.store.storage import sidecar_folder
from explorer.store.user import UserStore


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    results = []
    value: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        value = action()
        results.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(results), value


def ref(entity) -> EntityRef:
    return EntityRef(entity.name, entity.type, list(entity.aliases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="an indexed store (explorer index ... --db STORE)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")

    work = Path(tempfile.mkdtemp(prefix="bench-workbench-"))
    try:
        # A copy of the store so that the benchmark's corrections stay off the user's file.
        store_copy = work / args.store.name
        shutil.copy(args.store, store_copy)
        tables = sidecar_folder(args.store)
        if tables.is_dir():  # the store's table and bulk files
            shutil.copytree(tables, sidecar_folder(store_copy))
        started = time.perf_counter()
        store = open_store(store_copy)
        print(f"store opened in {time.perf_counter() - started:.2f} s: {len(store.documents()):,} documents, "
              f"{len(store.entities()):,} entities")
        entities = store.entities()

        open_ms, reader = timed(lambda: CorrectedReader(store, [Correction("hide", surface="nothing at all")]), 1)
        assert isinstance(reader, CorrectedReader)
        first_ms, _ = timed(reader.entities, 1)
        print(f"corrected reader with one correction: {open_ms:.0f} ms (name keys of every entity made and saved), "
              f"first list {first_ms:.0f} ms")

        user = UserStore(store_copy)
        people = [e for e in entities if e.type == "person"]
        places = [e for e in entities if e.type == "place"]
        with_alias = next(e for e in entities[50:] if e.aliases)

        def apply(correction: Correction) -> Callable[[], object]:
            def run() -> object:
                user.add_correction(correction)
                reader.add_correction(correction)
                listed = reader.entities()
                target = reader.lookup(correction.value or correction.entities[0].name if correction.entities
                                       else correction.surface or "")
                return listed, target
            return run

        kinds = [
            ("merge two large entities", Correction("merge", [ref(people[0]), ref(people[1])], value=people[0].name)),
            ("rename", Correction("rename", [ref(places[3])], value="Renamed Place")),
            ("retype", Correction("retype", [ref(places[4])], value="organization")),
            ("hide", Correction("hide", [ref(entities[10])])),
            ("hide a surface everywhere", Correction("hide", surface=entities[11].name)),
            ("split an alias", Correction("split", [ref(with_alias)], value=with_alias.aliases[0])),
        ]
        print("a correction applied and shown (saved, applied, entity list and the entity read back):")
        for label, correction in kinds:
            elapsed, _ = timed(apply(correction), 1)
            print(f"  {label:<28} {elapsed:7.1f} ms")
        elapsed, _ = timed(lambda: (user.undo(), reader.set_corrections(user.corrections()), reader.entities()), 1)
        print(f"  {'undo (all re-applied)':<28} {elapsed:7.1f} ms")
        reopened_ms, _ = timed(lambda: CorrectedReader(store, user.corrections()).entities(), args.repeat)
        print(f"  {'reopen with ' + str(len(user.corrections())) + ' corrections':<28} {reopened_ms:7.1f} ms")

        cache = arrays_cache_path(store_copy)
        had_cache = arrays_cache_path(args.store).exists()
        if had_cache:
            shutil.copy(arrays_cache_path(args.store), cache)
        started = time.perf_counter()
        store.cooccurrence_arrays()
        print(f"co-occurrence arrays {'loaded from cache' if had_cache else 'built'} in "
              f"{time.perf_counter() - started:.2f} s")
        fresh = open_store(store_copy)
        started = time.perf_counter()
        fresh.cooccurrence_arrays()
        print(f"co-occurrence arrays loaded from the cache in {time.perf_counter() - started:.2f} s")

        plain = CorrectedReader(store)
        corrected = CorrectedReader(store, user.corrections())
        years = sorted({d.published[:4] for d in store.documents() if d.published})
        year = years[len(years) // 2] if years else "2009"
        scoped = ScopedReader(plain, Period.parse(year, year))
        print(f"appears with (median of {args.repeat}, warm; top 20):")
        for label, entity in (("most mentioned", entities[0]), ("middling", entities[len(entities) // 50]),
                              ("rare", entities[len(entities) // 2])):
            for reader_label, over, scope in (("", plain, None), ("corrected", corrected, None),
                                              (f"in {year}", scoped, scoped.doc_ids)):
                entity_id = over.resolve_id(entity.entity_id) if hasattr(over, "resolve_id") else entity.entity_id
                def run(over=over, entity_id=entity_id, scope=scope) -> object:
                    return related_entities(over, entity_id, 20, doc_ids=scope,
                                            document_total=len(scope) if scope is not None else None)
                run()  # warm: the first call of a reader builds its labels
                elapsed, found = timed(run, args.repeat)
                name = f"{label} ({entity.name}, {entity.doc_count:,} docs)"
                print(f"  {name:<58} {reader_label:<10} {elapsed:7.1f} ms  ({len(found)} related)")  # type: ignore[arg-type]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
