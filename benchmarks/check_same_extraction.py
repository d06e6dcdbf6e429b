"""Same extraction, before and after: dumps ``explorer extract --json`` with a base checkout and
with this one, on the same folders, and prints every document whose output differs.

    git worktree add /tmp/speed/base main
    python benchmarks/check_same_extraction.py /tmp/speed/base [--sets seeds corpus ...] [--extra PATH ...]

A speed change must leave every figure of the dump as it was: entities, their kinds, aliases,
roles and mention offsets, events and their sentences, the page's metadata. The base's dumps
are kept under ``--cache`` (by the base's commit), so a second run costs only this tree's.
Exit status 1 when any document differs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent.parent
SHARED = HERE.parent / "shared"
NEUTRAL = Path("/tmp/check_same_extraction")  # where both checkouts run
SETS = {
    "seeds": [HERE / "seeds"],
    "corpus": [SHARED / "corpus"],
    "conll": [SHARED / "external" / "conll" / "testa"],
    "te3": [SHARED / "external" / "te3" / "train"],
    "html": [SHARED / "external" / "html" / "textcopies"],
    "pages": [SHARED / "external" / "html" / "pages"],
    "synthetic": [],  # filled in main(): 300 articles from make_corpus.py
}


def dump(checkout: Path, paths: list[Path]) -> tuple[bytes, float]:
    """The bytes ``explorer extract --json`` prints for ``paths`` with the explorer package of
    ``checkout``, and the CPU seconds it took. Every checkout runs in the same folder with the same
    absolute paths, so that two dumps of the same extraction are the same bytes."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    NEUTRAL.mkdir(parents=True, exist_ok=True)  # a folder of its own: no explorer package in it
    probe = subprocess.run([sys.executable, "-c", "import explorer; print(explorer.__file__)"],
                           env=env, cwd=NEUTRAL, capture_output=True, text=True, check=True).stdout.strip()
    if not probe.startswith(str(checkout)):
        raise SystemExit(f"{checkout}: explorer is imported from {probe}, not from the checkout")
    before = os.times()
    done = subprocess.run([sys.executable, "-m", "explorer", "extract", "--json", *(str(p.resolve()) for p in paths)],
                          env=env, cwd=NEUTRAL, capture_output=True, check=False)
    after = os.times()
    try:  # a skipped file (an empty one) makes the status 1; the dump of the others is still whole
        orjson.loads(done.stdout)
    except orjson.JSONDecodeError:
        raise SystemExit(f"{checkout}: explorer extract failed: {done.stderr.decode()[-500:]}") from None
    cpu = after.children_user - before.children_user + after.children_system - before.children_system
    return done.stdout, cpu


def by_path(dumped: bytes) -> dict[str, dict]:  # type: ignore[type-arg]
    return {d.pop("path"): d for d in orjson.loads(dumped)["documents"]}


def _commit(checkout: Path) -> str:
    head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--", "explorer"],
                           capture_output=True, text=True, check=False).stdout
    return head.stdout.strip() + ("-dirty" if dirty.strip() else "")


def base_dump(base: Path, name: str, paths: list[Path], cache: Path) -> bytes:
    commit = _commit(base)
    key = hashlib.sha1(f"{commit}|{name}|{'|'.join(map(str, paths))}".encode()).hexdigest()[:16]
    cached = cache / f"{name}-{key}.bytes.json"
    if cached.exists() and not commit.endswith("-dirty"):
        return cached.read_bytes()
    dumped, _ = dump(base, paths)
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(dumped)
    return dumped


def differences(base: dict, mine: dict) -> list[str]:  # type: ignore[type-arg]
    """What differs between two dumps of one document, one line each."""
    out = []
    for field in ("title", "author", "published", "format", "container", "properties"):
        if base.get(field) != mine.get(field):
            out.append(f"{field}: {base.get(field)!r} -> {mine.get(field)!r}")
    ents_base = {(e["name"], e["type"]): e for e in base["entities"]}
    ents_mine = {(e["name"], e["type"]): e for e in mine["entities"]}
    for key in sorted(set(ents_base) | set(ents_mine)):
        a, b = ents_base.get(key), ents_mine.get(key)
        if a != b:
            out.append(f"entity {key}: {_short(a)} -> {_short(b)}")
    if [e["name"] for e in base["entities"]] != [e["name"] for e in mine["entities"]] and not out:
        out.append("entity order differs")
    if base["events"] != mine["events"]:
        events_base = {(e["start"], e["end"], e["date"], e["sentence"]) for e in base["events"]}
        events_mine = {(e["start"], e["end"], e["date"], e["sentence"]) for e in mine["events"]}
        for ev in sorted(events_base - events_mine):
            out.append(f"event lost: {ev[:3]}")
        for ev in sorted(events_mine - events_base):
            out.append(f"event new: {ev[:3]}")
        if events_base == events_mine:
            out.append("event order differs")
    return out


def _short(entity: dict | None) -> str:  # type: ignore[type-arg]
    if entity is None:
        return "-"
    return f"{entity['count']} mentions, aliases {entity['aliases'][:4]}, roles {entity['roles'][:2]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", type=Path, help="a checkout of the base commit (git worktree add ...)")
    ap.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    ap.add_argument("--extra", nargs="*", type=Path, default=[], help="more files or folders, compared as one set")
    ap.add_argument("--synthetic", type=Path, default=Path("/tmp/speed/syn300"),
                    help="folder of the 300 synthetic articles (written by make_corpus.py when missing)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/speed/base-dumps"))
    ap.add_argument("--show", type=int, default=5, help="differences shown per document")
    args = ap.parse_args()
    if "synthetic" in args.sets and not args.synthetic.exists():
        subprocess.run([sys.executable, str(SHARED / "bench" / "make_corpus.py"), str(args.synthetic), "--docs", "300"],
                       check=True, capture_output=True)
    SETS["synthetic"] = [args.synthetic]
    chosen = [(name, SETS[name]) for name in args.sets] + ([("extra", args.extra)] if args.extra else [])
    failed = 0
    for name, paths in chosen:
        paths = [p for p in paths if p.exists()]
        if not paths:
            print(f"{name:<10} not here, skipped")
            continue
        t0 = time.perf_counter()
        base_bytes = base_dump(args.base.resolve(), name, paths, args.cache)
        mine_bytes, cpu = dump(HERE, paths)
        base, mine = by_path(base_bytes), by_path(mine_bytes)
        changed = 0
        for path in sorted(set(base) | set(mine)):
            if path not in base or path not in mine:
                print(f"  {path}: only in {'base' if path in base else 'this tree'}")
                changed += 1
                continue
            if base[path] == mine[path]:
                continue
            changed += 1
            lines = differences(base[path], mine[path]) or ["differs (field order or a field not compared by name)"]
            print(f"  {path}:")
            for line in lines[: args.show]:
                print(f"      {line}")
            if len(lines) > args.show:
                print(f"      ... {len(lines) - args.show} more")
        if not changed and base_bytes != mine_bytes:
            changed = 1  # the same values, written otherwise (key order, number format, escapes)
            print("  the dumps hold the same values but are not the same bytes")
        failed += changed
        verdict = "same bytes" if not changed else f"{changed} DIFFER"
        print(f"{name:<10} {len(mine):>5} documents  {verdict:<12} (this tree {cpu:.1f} CPU-s, {time.perf_counter() - t0:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
