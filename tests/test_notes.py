"""Notes: the cited Markdown, the notes file (always), the clipboard chain and its failures."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from explorer import notes
from explorer.model import CorpusEntity, CorpusEvent, DocumentSummary, MentionLine, StoredDocument

TEXT = "Stephen Bosworth met Kang Sok Ju in Pyongyang on Dec. 9. \x1b]52;c;UFdORUQ=\x07 The end."


def _doc() -> StoredDocument:
    summary = DocumentSummary("d1", "corpus/envoy.txt", "U.S. Envoy Holds Talks", "Peter Crail", "2009-12-20")
    spans = [(0, 16, "bosworth", "person"), (21, 32, "kang", "person"), (36, 45, "pyongyang", "place")]
    return StoredDocument(summary, TEXT, [], [], spans, [])  # type: ignore[arg-type]


ENTITIES = {
    "bosworth": CorpusEntity("bosworth", "Stephen Bosworth", "person", ["Bosworth"], [], 9, 2),
    "kang": CorpusEntity("kang", "Kang Sok Ju", "person", [], [], 1, 1),
}


def test_passage_note_cites_everything() -> None:
    note = notes.passage_note(_doc(), 0, 46, ENTITIES, now="2026-01-01 00:00 UTC")
    text = note.markdown
    assert "> Stephen Bosworth met Kang Sok Ju in Pyongyang" in text
    assert "- Title: U.S. Envoy Holds Talks" in text
    assert "- Author: Peter Crail" in text
    assert "- Published: 2009-12-20" in text
    assert "- Path: corpus/envoy.txt" in text
    assert "- Characters: 0-46" in text
    assert "- Entities: Stephen Bosworth (person), Kang Sok Ju (person), Pyongyang (place)" in text


def test_a_pdf_passage_cites_its_pages() -> None:
    summary = DocumentSummary("d2", "reports/annual.pdf", "Annual Report", None, "2010-01-05", format="pdf")
    text = "Page one text. " * 4 + "Page two text. " * 4 + "Page three text. " * 4
    pages = [0, 60, 120]  # where each page starts in the text
    doc = StoredDocument(summary, text, [], pages, [], [])
    assert "- Page: p. 2\n" in notes.passage_note(doc, 70, 90).markdown
    assert "- Page: pp. 1-3\n" in notes.passage_note(doc, 10, 130).markdown
    assert "- Page:" not in notes.passage_note(_doc(), 0, 10).markdown  # a text file has no pages


def test_passage_note_is_inert() -> None:
    note = notes.passage_note(_doc(), 0, len(TEXT), ENTITIES)
    assert "\x1b" not in note.markdown and "\x07" not in note.markdown
    assert "␛]52;c;UFdORUQ=␇" in note.markdown


def test_mentions_and_timeline_notes() -> None:
    entity = ENTITIES["bosworth"]
    line = MentionLine("bosworth", "d1", "U.S. Envoy", "2009-12-20", 0, 16, TEXT[:57], 0)
    note = notes.mentions_note(entity, [line], {"d1": "corpus/envoy.txt"})
    assert "## Stephen Bosworth (person): 1 mention\n" in note.markdown
    assert "**Stephen Bosworth** met Kang" in note.markdown
    assert "corpus/envoy.txt, characters 0-16" in note.markdown
    event = CorpusEvent("d1", "2009-12", "December", 3, 11, "In December they met.", "U.S. Envoy")
    timeline = notes.timeline_note([event], "2009-12-01 to 2009-12-31", {"d1": "corpus/envoy.txt"})
    assert "**2009-12 (month)**: In December they met." in timeline.markdown


def test_append_keeps_every_note(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "notes.md"
    first = notes.Note("passage", "one", "## one\n")
    second = notes.Note("passage", "two", "## two\n")
    delivery = notes.deliver(first, path)
    notes.deliver(second, path)
    assert delivery.saved_to == path and not delivery.save_error
    assert path.read_text() == "## one\n\n## two\n"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_only_dir_falls_back_and_says_so(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    fallback = tmp_path / "fallback.md"
    try:
        delivery = notes.deliver(notes.Note("passage", "t", "## kept\n"), locked / "notes.md", fallback=fallback)
    finally:
        locked.chmod(stat.S_IRWXU)
    assert delivery.saved_to == fallback and delivery.fallback
    assert "permission denied" in (delivery.save_error or "")
    assert fallback.read_text() == "## kept\n"
    assert "appended to" in delivery.summary() and "permission denied" in delivery.summary()


def test_full_disk_leaves_no_half_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notes.md"
    path.write_text("## before\n")
    real_write = os.write

    def failing_write(fd: int, data: bytes) -> int:
        real_write(fd, data[:5])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(notes.os, "write", failing_write)
    with pytest.raises(notes.NoteSaveError, match="the disk is full"):
        notes.append_note(notes.Note("passage", "t", "## lost?\n"), path)
    monkeypatch.setattr(notes.os, "write", real_write)
    assert path.read_text() == "## before\n"


def test_nowhere_to_save_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    delivery = notes.deliver(notes.Note("passage", "t", "x\n"), blocker / "a.md", fallback=blocker / "b.md")
    assert delivery.lost
    assert "Could not be saved anywhere" in delivery.summary()
    assert "a parent is a file" in delivery.summary()
    # ...but a clipboard that works still receives it
    got: list[str] = []
    delivery = notes.deliver(notes.Note("passage", "t", "x\n"), blocker / "a.md", osc52=got.append,
                             fallback=blocker / "b.md")
    assert got == ["x\n"] and not delivery.lost and delivery.clipboards == ["OSC 52"]


def test_clipboard_commands_never_raise(tmp_path: Path) -> None:
    done = notes.copy_with_commands("hello", [("missing", [str(tmp_path / "no-such-command")]),
                                              ("cat", [sys.executable, "-c", "import sys; sys.stdin.read()"])])
    assert done == ["cat"]
    assert notes.clipboard_commands({"EXPLORER_CLIPBOARD": "none", "TMUX": "x", "DISPLAY": ":0"}) == []


def test_read_only_file_system_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primary = tmp_path / "ro" / "notes.md"
    fallback = tmp_path / "fallback.md"
    real_open = os.open

    def read_only(path: object, flags: int, mode: int = 0o777) -> int:
        if Path(str(path)) == primary:
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(notes.os, "open", read_only)
    delivery = notes.deliver(notes.Note("passage", "t", "## kept\n"), primary, fallback=fallback)
    assert delivery.saved_to == fallback and delivery.fallback
    assert "read-only" in delivery.summary()
    assert fallback.read_text() == "## kept\n"


def test_notes_and_textsafe_import_no_textual() -> None:
    import subprocess

    code = "import sys, explorer.notes, explorer.textsafe; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
