"""Search benchmark: per-keystroke latency on a 10,000-article corpus and on 100,000 names.

    python benchmarks/bench_search.py [--db STORE] [--docs 10000] [--names 100000]

Twenty realistic queries (names, typos, acronyms, terms with numbers, phrases),
and names written otherwise (another romanisation, split or joined, reordered,
with an initial), are typed letter by letter; every prefix is one search
(limit 50), timed alone.
Without --db a corpus is generated with ../shared/bench/make_corpus.py and
indexed into a temporary folder first. Also prints the index build time and
the time to load the cached index.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"

FIXED_QUERIES = [
    "UN Security Council", "UNSC", "six party talks", "Six-Party", "International Atomic Energy Agency",
    "IAEA", "resol 1874", "Resolution 2100", "Pyongyang", "nuclear envoy", "Foreign Minister",
    "World Food Programme",
]


def typo(word: str, rng: random.Random) -> str:
    """One realistic slip: a wrong, missing or doubled letter after the first two."""
    if len(word) < 5:
        return word
    i = rng.randrange(2, len(word) - 1)
    kind = rng.choice(("substitute", "drop", "double"))
    if kind == "substitute":
        return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def person_queries(names: list[str], count: int, rng: random.Random) -> list[str]:
    picked = rng.sample(names, count)
    queries = []
    for i, name in enumerate(picked):
        surname = name.split()[-1]
        queries.append([name, surname, typo(surname, rng), f"{name.split()[0]} {typo(surname, rng)}"][i % 4])
    return queries


# One romanisation for another, as tokens.phonetic_key folds them.
ROMANISATIONS = (("g", "k"), ("k", "g"), ("d", "t"), ("t", "d"), ("b", "p"), ("p", "b"), ("j", "ch"),
                 ("l", "r"), ("r", "l"), ("o", "eo"), ("u", "oo"), ("e", "ae"))


def variant_queries(names: list[str], count: int, rng: random.Random) -> list[str]:
    """Names as a user may write them otherwise: another romanisation of the surname, the
    surname split in two or joined to the given name, reordered, with an initial."""
    queries = []
    for i, name in enumerate(rng.sample(names, count)):
        given, surname = name.split()[0], name.split()[-1]
        kind = i % 5
        if kind == 0:
            swaps = [(a, b) for a, b in ROMANISATIONS if a in surname.lower()] or [("", "")]
            a, b = rng.choice(swaps)
            queries.append(f"{given} {surname.lower().replace(a, b, 1).capitalize() if a else surname}")
        elif kind == 1:
            cut = len(surname) // 2
            queries.append(f"{given} {surname[:cut]} {surname[cut:].lower()}")
        elif kind == 2:
            queries.append(f"{given}{surname.lower()}")
        elif kind == 3:
            queries.append(f"{surname} {given}")
        else:
            queries.append(f"{given[0]}. {surname}")
    return queries


def keystroke_latencies(index, queries: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of every keystroke's search (CPU shows the cost on a busy machine)."""
    # Long-lived objects out of the collector's full passes, as the interface does after opening.
    gc.collect()
    gc.freeze()
    wall, cpu = [], []
    for query in queries:
        for end in range(1, len(query) + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            index.search(query[:end], limit=50)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def report(label: str, latencies: tuple[list[float], list[float]]) -> None:
    wall, cpu = latencies
    p50, p95, p99 = np.percentile(wall, [50, 95, 99])
    c50, c95 = np.percentile(cpu, [50, 95])
    print(f"{label}: {len(wall)} keystrokes  p50 {p50:.2f} ms  p95 {p95:.2f} ms  p99 {p99:.2f} ms  "
          f"max {max(wall):.2f} ms  (CPU p50 {c50:.2f} ms, p95 {c95:.2f} ms)")


def corpus_store(docs: int, work: Path) -> Path:
    from explorer.store import index_corpus

    corpus = work / "corpus"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), "--docs", str(docs)], check=True)
    db = work / "store.json"
    started = time.perf_counter()
    index_corpus([corpus], db)
    print(f"indexed {docs} articles in {time.perf_counter() - started:.1f} s")
    return db


def synthetic_names(count: int, rng: random.Random):
    from explorer.model import CorpusEntity

    # The vocabulary of make_corpus.py.
    syllables = ("ka ri mo sun jae hyo lin tar ven os al be cor da el fin gu han ir jo kel lo mar ni pe qu ros "  # noqa: SIM905
                 "sa to ul vi wen ya zo").split()
    given = ("Stephen Kurt Hillary Philip Robert Alexei Peter Thomas Maria Elena Sofia Yuki Min Jae Wei Li "  # noqa: SIM905
             "Ahmed Fatima Olga Ivan Pierre Anna Hans Carlos Ines Kofi Amina Raj Priya Sung Katsuya").split()
    heads = ["Ministry of", "Council on", "Agency for", "Committee on", "Institute for", "Commission on"]
    tails = ["Foreign Affairs", "Nonproliferation", "Maritime Security", "Export Control", "Nuclear Safety",
             "Humanitarian Aid", "Trade Policy", "Energy Security", "Arms Control", "Regional Stability"]
    names: dict[str, str] = {}
    while len(names) < count:
        if rng.random() < 0.85:
            surname = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()
            names.setdefault(f"{rng.choice(given)} {surname}", "person")
        else:
            place = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
            names.setdefault(f"{rng.choice(heads)} {rng.choice(tails)} of {place}", "organization")
    entities = []
    for i, (name, type_) in enumerate(names.items()):
        aliases = [name.split()[-1]] if type_ == "person" else []
        count = max(1, int(1000 / (i + 1)))  # Zipf-like frequencies
        entities.append(CorpusEntity(f"x{i}", name, type_, aliases, [], count, count))  # type: ignore[arg-type]
    return entities


class NameReader:
    """A corpus of names only, as large as asked."""

    def __init__(self, entities) -> None:
        self._entities = entities

    def entities(self):
        return self._entities

    def documents(self):
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None, help="an existing store (e.g. of a 10k corpus)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--names", type=int, default=100_000)
    args = parser.parse_args()
    from explorer.search import SearchIndex
    from explorer.search.index import cache_path_for
    from explorer.store import open_store

    rng = random.Random(20)
    work = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    try:
        db = args.db or corpus_store(args.docs, work)
        store = open_store(db)
        started = time.perf_counter()
        index = SearchIndex.build_fresh(store)
        print(f"corpus: {len(store.documents())} documents, {index.entity_count} entities, "
              f"{index.passage_count} passages, {len(index.vocabulary)} tokens; "
              f"index built in {time.perf_counter() - started:.2f} s")
        cache = work / "cache.search.npz"
        index.save(cache, store.generation)
        started = time.perf_counter()
        SearchIndex.load(cache, store, store.generation)
        print(f"cached index loaded in {time.perf_counter() - started:.2f} s "
              f"({cache.stat().st_size / 1e6:.0f} MB; explorer search keeps it as {cache_path_for(db).name})")
        people = [e.name for e in store.entities() if e.type == "person" and len(e.name.split()) >= 2]
        queries = FIXED_QUERIES + person_queries(people, 8, rng)
        variants = variant_queries(people, 5, rng)
        print("queries: " + ", ".join(queries + variants))
        keystroke_latencies(index, queries[:3])  # warm caches as a session would be
        report("10k-article corpus", keystroke_latencies(index, queries + variants))
        report("  of which name variants", keystroke_latencies(index, variants))

        entities = synthetic_names(args.names, rng)
        started = time.perf_counter()
        names_index = SearchIndex.build_fresh(NameReader(entities))
        print(f"{len(entities)} names: index built in {time.perf_counter() - started:.2f} s, "
              f"{len(names_index.vocabulary)} tokens")
        people = [e.name for e in entities if e.type == "person"]
        name_queries = person_queries(people, 14, rng) + [
            "Ministry of Foreign", "council on arms", "agency nucl", "Committee on Export Control",
            "Stephen", "Maria Kar"]
        variants = variant_queries(people, 10, rng)
        print("name queries: " + ", ".join(name_queries + variants))
        report(f"{len(entities)} names", keystroke_latencies(names_index, name_queries + variants))
        report("  of which name variants", keystroke_latencies(names_index, variants))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
