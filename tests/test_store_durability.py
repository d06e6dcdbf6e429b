"""A store survives being killed at any moment, and two indexers never corrupt it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from explorer.store import open_store
from explorer.store.storage import stale_temp_files

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")


def _make_corpus(folder: Path, docs: int, seed: int = 7) -> Path:
    if MAKE_CORPUS.exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "--docs", str(docs), "--seed", str(seed)],
                       check=True, capture_output=True)
    else:  # outside the project's workspace: a few plain articles will do
        folder.mkdir(parents=True)
        for i in range(docs):
            (folder / f"{i:06d}.txt").write_text(f"Article {i}\n\nAmbassador Stephen Bosworth visited Seoul "
                                                 f"on June {i % 28 + 1}, 2009.\n", encoding="utf-8")
    return folder


def _explorer(*args: str) -> subprocess.Popen[str]:
    # A session of its own, so the kill reaches the extraction workers too.
    return subprocess.Popen([sys.executable, "-m", "explorer", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_killed_while_writing_the_file_leaves_the_old_or_the_new_state(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    writer = textwrap.dedent(f"""
        import sys
        from explorer.store.storage import AtomicJSONStorage
        storage = AtomicJSONStorage({str(path)!r})
        states = [{{"state": {{"1": {{"name": name, "pad": name * 4_000_000}}}}}} for name in "AB"]
        storage.write(states[0])
        print("ready", flush=True)
        i = 1
        while True:
            storage.write(states[i % 2])
            i += 1
    """)
    for delay in (0.05, 0.13, 0.29, 0.41, 0.67):
        process = subprocess.Popen([sys.executable, "-c", writer], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = orjson.loads(path.read_bytes())  # never a truncated file
        name = data["state"]["1"]["name"]
        assert name in ("A", "B") and data["state"]["1"]["pad"] == name * 4_000_000


def test_index_killed_at_several_points_leaves_a_store_that_opens(tmp_path: Path) -> None:
    corpus = _make_corpus(tmp_path / "corpus", 80)
    db = tmp_path / "store.json"
    first = _explorer("index", str(corpus), "--db", str(db))
    assert first.wait(timeout=120) == 0, first.communicate()[1]
    old = {d.path for d in open_store(db).documents()}
    assert len(old) == 80
    # The next state: 20 files deleted, 40 added.
    for path in sorted(corpus.iterdir())[:20]:
        path.unlink()
    _make_corpus(tmp_path / "more", 40, seed=11)
    for path in (tmp_path / "more").iterdir():
        path.rename(corpus / f"more-{path.name}")
    new = {str(p) for p in corpus.iterdir()}
    for delay in (0.1, 0.4, 0.7, 1.0, 1.4, 2.0):
        process = _explorer("index", str(corpus), "--db", str(db), "--wait", "30")
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        state = {d.path for d in open_store(db).documents()}
        assert state in (old, new)
    final = _explorer("index", str(corpus), "--db", str(db), "--wait", "30")
    assert final.wait(timeout=120) == 0, final.communicate()[1]
    assert {d.path for d in open_store(db).documents()} == new
    assert stale_temp_files(db) == []  # what killed writers left behind is cleaned up


def test_two_concurrent_indexers_never_corrupt_the_store(tmp_path: Path) -> None:
    corpus = _make_corpus(tmp_path / "corpus", 60)
    db = tmp_path / "store.json"
    # Without waiting: one of them may be turned away, with one clear line.
    racers = [_explorer("index", str(corpus), "--db", str(db)) for _ in range(2)]
    outcomes = [(p.wait(timeout=120), p.communicate()) for p in racers]
    codes = sorted(code for code, _ in outcomes)
    assert codes[0] == 0
    for code, (_, err) in outcomes:
        assert "Traceback" not in err
        if code:
            assert code == 1 and "another explorer is indexing" in err and len(err.strip().splitlines()) == 1
    assert len(open_store(db).documents()) == 60
    # Waiting for each other: both finish, the second finds nothing left to do.
    (corpus / "late.txt").write_text("Late Story\n\nSeoul, June 2, 2010. Officials met.\n", encoding="utf-8")
    racers = [_explorer("index", str(corpus), "--db", str(db), "--wait", "60") for _ in range(2)]
    for process in racers:
        assert process.wait(timeout=120) == 0, process.communicate()[1]
    assert len(open_store(db).documents()) == 61
