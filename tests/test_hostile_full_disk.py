"""A full disk under the data folder: the store and the notes say so and keep what was there.

A small tmpfs is mounted as the data folder and filled up (this needs root and a
kernel that lets the test mount; elsewhere the tests are skipped).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile_inputs import Corpus, run_explorer

from explorer import notes

SAMPLES = Path(__file__).with_name("samples")


def _mount_tmpfs(target: Path, size: str) -> bool:
    if not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


def _fill(folder: Path) -> None:
    """Write until the file system refuses: then nothing more fits."""
    with open(folder / "filler.bin", "wb", buffering=0) as handle:
        block = b"\0" * 4096
        try:
            while True:
                handle.write(block)
        except OSError:
            pass
        try:
            while True:
                handle.write(b"\0")
        except OSError:
            pass


@pytest.fixture()
def full_data_dir(tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "data"
    data.mkdir()
    if not _mount_tmpfs(data, "2m"):
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield data
    finally:
        subprocess.run(["umount", "-l", str(data)], capture_output=True)


def test_indexing_onto_a_full_disk_keeps_the_store_and_says_so(tmp_path: Path, full_data_dir: Path) -> None:
    corpus = Corpus(tmp_path)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("article.html", "note.md"):
        shutil.copy(SAMPLES / name, folder / name)
    first = run_explorer(["index", "corpus", "--db", "data/store.json"], corpus, False)
    assert first.returncode == 0, first.stderr
    store = full_data_dir / "store.json"
    before = store.read_bytes()

    shutil.copy(SAMPLES / "report.pdf", folder / "report.pdf")
    _fill(full_data_dir)
    run = run_explorer(["index", "corpus", "--db", "data/store.json"], corpus, False)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr
    assert run.returncode == 1, (run.stdout, run.stderr)
    lines = [line for line in run.stderr.splitlines() if line]
    assert len(lines) == 1 and ("space" in lines[0] or "full" in lines[0]), run.stderr
    assert store.read_bytes() == before

    (full_data_dir / "filler.bin").unlink()
    again = run_explorer(["index", "corpus", "--db", "data/store.json"], corpus, False)
    assert again.returncode == 0 and "1 added" in again.stdout, again.stdout + again.stderr


def test_a_note_saved_onto_a_full_disk_keeps_the_notes_file_whole(tmp_path: Path, full_data_dir: Path) -> None:
    notes_file = full_data_dir / "notes.md"
    first = notes.Note("passage", "first", "## First note\n\n> Sung Kim met Ri Gun.\n")
    assert notes.save_note(first, notes_file, fallback=tmp_path / "fallback.md").saved_to == notes_file
    before = notes_file.read_bytes()
    _fill(full_data_dir)
    big = notes.Note("passage", "second", "## Second note\n\n> " + "Talks resumed in Beijing. " * 2000 + "\n")
    delivery = notes.save_note(big, notes_file, fallback=tmp_path / "fallback.md")
    assert notes_file.read_bytes() == before  # no half note
    assert delivery.save_error is not None and "disk is full" in delivery.save_error
    assert delivery.saved_to == tmp_path / "fallback.md" and delivery.fallback
    assert "Second note" in (tmp_path / "fallback.md").read_text(encoding="utf-8")
