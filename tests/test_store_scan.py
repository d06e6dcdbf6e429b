"""The walk a re-index compares against the store: in this process, or in a forked child meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from explorer.store import index_corpus, open_store

CHILD = r"""
import json, sys
from pathlib import Path
from explorer.store.walk import scan, walk_apart
from explorer.model import Skipped

roots, db = [Path(sys.argv[1])], Path(sys.argv[2])

def shape(items):
    return sorted([["skipped", i.path, i.reason] if isinstance(i, Skipped) else
                   ["file", i.path, i.size, i.mtime_ns, i.ctime_ns] for i in items])

collect = walk_apart(lambda: scan(roots, db))
apart = collect() if collect is not None else None
# With a thread running, forking is not safe: the walk runs in `python -m explorer.store.walk`.
import threading, time
threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
started = walk_apart(lambda: scan(roots, db), (roots, db))
print(json.dumps({"forked": collect is not None, "apart": shape(apart) if apart is not None else None,
                  "started": shape(started()) if started is not None else None,
                  "here": shape(scan(roots, db))}))
"""


def _corpus(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Alpha\n\nStephen Bosworth arrived in Seoul on May 2, 2010.\n", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Beta\n\nKim Jong Il met envoys.\n", encoding="utf-8")
    (folder / "sub" / "ünïcode name.txt").write_text("Gamma\n\nText.\n", encoding="utf-8")
    (folder / "gone").symlink_to(folder / "missing.txt")  # a broken link: skipped with its reason
    # A name that is not UTF-8 (Latin-1 "café"): Python carries it as a lone surrogate.
    with open(os.path.join(os.fsencode(folder / "sub"), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Delta\n\nStephen Bosworth spoke.\n")
    return folder


def test_a_walk_in_another_process_finds_what_the_walk_here_finds(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    done = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(tmp_path / "store.json")],
                          capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(done.stdout)
    assert result["forked"], "a process with one thread on Linux walks in a child"
    assert result["apart"] == result["here"]
    assert result["started"] == result["here"]  # the walk started as a process of its own
    kinds = [row[0] for row in result["here"]]
    assert kinds.count("file") == 3 and kinds.count("skipped") == 2
    # The store keeps paths as JSON text: a name that is not UTF-8 is skipped with a reason, shown readably.
    assert ["skipped", str(corpus / "sub" / "caf\\xe9.txt"), "its name is not valid UTF-8: rename the file to index it"] \
        in result["here"]


def test_a_re_index_from_the_command_line_sees_an_edit_made_between_runs(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    db = tmp_path / "store.json"
    explorer = [sys.executable, "-m", "explorer"]
    first = subprocess.run([*explorer, "index", str(corpus), "--db", str(db)], capture_output=True, timeout=300)
    assert first.returncode == 3  # done, the broken link skipped
    (corpus / "sub" / "b.txt").write_text("Beta\n\nKim Jong Il met Christopher Hill in Beijing.\n", encoding="utf-8")
    done = subprocess.run([*explorer, "index", str(corpus), "--db", str(db)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 3 and "1 changed" in done.stdout + done.stderr
    assert "gone" in done.stdout + done.stderr  # the skipped link is named again
    assert "caf\\xe9.txt: its name is not valid UTF-8" in done.stdout + done.stderr
    names = {entity.name for entity in open_store(db).entities()}
    assert "Christopher Hill" in names
    fresh = tmp_path / "fresh.json"
    index_corpus([corpus], fresh, workers=1)
    assert names == {entity.name for entity in open_store(fresh).entities()}


def test_a_file_whose_name_is_not_utf8_is_skipped_and_the_rest_indexed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    report = index_corpus([corpus], tmp_path / "store.json", workers=1)
    assert report.documents == 3
    reasons = {item.path: item.reason for item in report.skipped}
    assert reasons[str(corpus / "sub" / "caf\\xe9.txt")] == "its name is not valid UTF-8: rename the file to index it"
    again = index_corpus([corpus], tmp_path / "store.json", workers=1)  # reported again, nothing re-read
    assert (again.unchanged, again.added) == (3, 0) and len(again.skipped) == 2
