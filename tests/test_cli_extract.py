"""`explorer extract` as a user runs it: real files in, JSON and messages out, scored against gold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def explorer(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_version_and_help() -> None:
    assert explorer("--version").stdout.startswith("explorer ")
    help_text = explorer("--help").stdout
    assert "extract" in help_text and "examples:" in help_text


def test_extract_json_follows_the_bench_contract() -> None:
    result = explorer("extract", "--json", "seeds")
    assert result.returncode == 0, result.stderr
    dump = json.loads(result.stdout)
    docs = {Path(d["path"]).name: d for d in dump["documents"]}
    assert set(docs) == {"000_8bb1b2e5fde0c75e.txt", "003_e5ca884f69089365.txt"}
    first = docs["000_8bb1b2e5fde0c75e.txt"]
    assert first["author"] == "Stephen Kaufman" and first["published"] == "2009-09-22"
    for doc in docs.values():
        for ent in doc["entities"]:
            assert ent["type"] in ("person", "organization", "place", "term")
            assert ent["count"] == len(ent["mentions"]) >= 1
        for ev in doc["events"]:
            assert {"date", "text", "start", "end", "sentence"} <= set(ev)
    assert docs["003_e5ca884f69089365.txt"]["published"] is None


def test_unreadable_files_are_skipped_with_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(
        "Envoy Visits Seoul\n\nBy Ann Lee\nMay 2, 2011\n\nThe U.S. envoy Stephen Bosworth met South Korean "
        "officials in Seoul on Monday to discuss the stalled talks with North Korea and the sanctions.\n",
        encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = explorer("extract", "--json", str(tmp_path))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("explorer: skipped")]
    assert len(skipped) == 2
    assert any("empty.txt" in line and "empty" in line.split(":", 2)[-1] for line in skipped)
    assert any("image.txt" in line and "binary" in line for line in skipped)
    dump = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in dump["documents"]] == ["good.txt"]
    assert dump["documents"][0]["published"] == "2011-05-02"


@pytest.mark.parametrize(
    ("gold", "corpus", "bars"),
    [
        ("seeds.gold.json", ROOT / "seeds", (0.95, 0.93, 0.93)),
        ("dev.gold.json", SHARED / "corpus", (0.88, 0.85, 0.85)),
    ],
)
def test_extraction_meets_the_accuracy_bars(gold: str, corpus: Path, bars: tuple[float, float, float]) -> None:
    scorer = SHARED / "bench" / "score_extraction.py"
    if not scorer.exists() or not corpus.exists():
        pytest.skip("shared/ bench material is not beside this checkout")
    dump = explorer("extract", "--json", str(corpus)).stdout
    result = subprocess.run(
        [sys.executable, str(scorer), str(SHARED / "gold" / gold), "-",
         "--min-entity-f1", str(bars[0]), "--min-typed-f1", str(bars[1]), "--min-date-f1", str(bars[2])],
        input=dump, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout
