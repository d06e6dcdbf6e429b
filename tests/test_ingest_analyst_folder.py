"""What analysts are handed, end to end: a folder of e-mail, a mailbox, Word, RTF and OpenDocument files.

The folder is made here (the ``email`` package, python-docx, RTF and ODF source) and
read by the real commands, ``explorer extract --json`` and ``explorer index``, as
subprocesses: every document with its title, author, date, the message it came in
and what its format knows besides.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from make_samples import make_docx, make_eml, make_mbox, make_odt, make_pdf, make_rtf

KST = timezone(timedelta(hours=9))
SEP = " \u203a "

# Relative path -> (format, title, author, published, container or None)
EXPECTED: dict[str, tuple[str, str, str, str | None, str | None]] = {
    "inbox/talks.eml": ("email", "Talks in Pyongyang", "Stephen Bosworth", "2009-12-10", None),
    f"inbox/talks.eml{SEP}notes.pdf": ("pdf", "Meeting notes", "Elena Marsh", None, "inbox/talks.eml"),
    f"inbox/archive.mbox{SEP}message 1": ("email", "Schedule", "Ri Gun", "2009-11-02", None),
    f"inbox/archive.mbox{SEP}message 2": ("email", "Re: Schedule", "Sung Kim", "2009-11-03", None),
    "memo.docx": ("docx", "Sanctions memo", "Elena Marsh", "2009-06-15", None),
    "geneva.rtf": ("rtf", "Geneva memo", "Wendy Sherman", "2009-10-02", None),
    "panel.odt": ("odt", "Panel report", "Anna Berg", "2010-05-20", None),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("analyst")
    corpus = root / "corpus"
    (corpus / "inbox").mkdir(parents=True)
    notes = io.BytesIO()
    make_pdf([["Notes of the meeting", "Stephen Bosworth met Kim Kye-gwan in Pyongyang on 9 December 2009."]],
             title="Meeting notes", author="Elena Marsh").write(notes)
    talks = make_eml(
        "Talks in Pyongyang", "Stephen Bosworth <sb@example.org>", "Sung Kim <sk@example.org>",
        "Dear Sung,\n\nI met Kim Kye-gwan in Pyongyang on Tuesday; the notes are attached.\n\n"
        "On Mon, 7 Dec 2009, Sung Kim <sk@example.org> wrote:\n> Send the notes, please.\n\n-- \nStephen Bosworth\n",
        datetime(2009, 12, 10, 18, 0, tzinfo=KST), message_id="<talks@example.org>",
        attachments=[("notes.pdf", notes.getvalue())])
    (corpus / "inbox" / "talks.eml").write_bytes(talks.as_bytes())
    (corpus / "inbox" / "archive.mbox").write_bytes(make_mbox([
        make_eml("Schedule", "Ri Gun <rg@example.org>", "Sung Kim <sk@example.org>", "We meet in New York on Friday.\n",
                 datetime(2009, 11, 2, 9, 0, tzinfo=UTC)),
        make_eml("Re: Schedule", "Sung Kim <sk@example.org>", "Ri Gun <rg@example.org>", "Friday suits me.\n",
                 datetime(2009, 11, 3, 9, 0, tzinfo=UTC)),
    ]))
    (corpus / "memo.docx").write_bytes(make_docx(
        ["The Security Council adopted resolution 1874 on 12 June 2009.", "Susan Rice welcomed the vote."],
        title="Sanctions memo", author="Elena Marsh", created=datetime(2009, 6, 15, 10, 0)))
    (corpus / "geneva.rtf").write_bytes(make_rtf(
        ["Wendy Sherman met officials from Iran on 1 October 2009 in Geneva."],
        title="Geneva memo", author="Wendy Sherman", created=datetime(2009, 10, 2, 9, 0)))
    (corpus / "panel.odt").write_bytes(make_odt(
        ["The panel of experts reported to the committee in May 2010."],
        title="Panel report", author="Anna Berg", created=datetime(2010, 5, 20, 9, 0)))
    return root


def _explorer(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EXPLORER_DATA_DIR": str(root / "data"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=600)


def test_explorer_extract_reads_every_document_with_its_metadata(folder: Path) -> None:
    run = _explorer(folder, "extract", "--json", "corpus")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    documents = {os.path.relpath(d["path"], "corpus"): d for d in json.loads(run.stdout)["documents"]}
    assert set(documents) == set(EXPECTED)
    for name, (fmt, title, author, published, container) in EXPECTED.items():
        doc = documents[name]
        assert (doc["format"], doc["title"], doc["author"], doc["published"]) == (fmt, title, author, published), name
        assert doc["container"] == (f"corpus/{container}" if container else None), name
    talks = documents["inbox/talks.eml"]
    assert talks["properties"]["to"] == "Sung Kim <sk@example.org>"
    assert talks["properties"]["message_id"] == "<talks@example.org>"
    events = {event["text"]: event["date"] for event in talks["events"]}
    assert events["Tuesday"] == "2009-12-08"
    people = {e["name"] for e in talks["entities"] if e["type"] == "person"}
    assert "Kim Kye-gwan" in people


def test_explorer_index_stores_every_document_with_its_metadata(folder: Path) -> None:
    run = _explorer(folder, "index", "corpus", "--db", "data/store.json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(EXPECTED)} documents" in run.stdout

    from explorer.store import open_store

    store = open_store(folder / "data" / "store.json")
    corpus = folder / "corpus"
    stored = {os.path.relpath(d.path, corpus): d for d in store.documents()}
    assert set(stored) == set(EXPECTED)
    for name, (fmt, title, author, published, container) in EXPECTED.items():
        doc = stored[name]
        assert (doc.format, doc.title, doc.author, doc.published) == (fmt, title, author, published), name
        assert (os.path.relpath(doc.container, corpus) if doc.container else None) == container, name
    assert stored["inbox/talks.eml"].properties["from"] == "Stephen Bosworth <sb@example.org>"
    assert stored["memo.docx"].properties["created"].startswith("2009-06-15")
    quoted = store.document(stored["inbox/talks.eml"].doc_id)
    assert any(quoted.text[s:e].startswith("On Mon, 7 Dec 2009") for s, e in quoted.furniture)

    again = _explorer(folder, "index", "corpus", "--db", "data/store.json")
    assert again.returncode == 0 and "7 unchanged" in again.stdout, again.stdout
