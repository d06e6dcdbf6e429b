"""Office documents: Word .docx, OpenDocument .odt and RTF memos, with their properties.

Each file is made here (python-docx, a zip of ODF XML, RTF source) and read back.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from make_samples import make_docx, make_odt, make_rtf

from explorer.extract import extract
from explorer.ingest import read_documents, read_file
from explorer.model import Skipped, SourceDocument

PARAGRAPHS = [
    "The Security Council adopted resolution 1874 on 12 June 2009.",
    "Susan Rice welcomed the vote in New York and said the sanctions would be enforced.",
]


def _read(path: Path) -> SourceDocument:
    doc = read_file(path)
    assert isinstance(doc, SourceDocument), doc
    return doc


def test_a_word_file_gives_its_text_tables_and_properties(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    path.write_bytes(make_docx(PARAGRAPHS, title="Sanctions memo", author="Elena Marsh",
                               created=datetime(2009, 6, 15, 10, 30), heading="Sanctions after the test",
                               table=[["Country", "Vote"], ["China", "Yes"]]))
    doc = _read(path)
    assert (doc.format, doc.title, doc.author, doc.published) == ("docx", "Sanctions memo", "Elena Marsh",
                                                                  "2009-06-15")
    assert doc.text.startswith("Sanctions after the test\n\nThe Security Council adopted resolution 1874")
    assert "Country | Vote\nChina | Yes" in doc.text  # table rows after the paragraphs, in document order
    assert doc.properties["created"].startswith("2009-06-15T10:30")
    names = {entity.name for entity in extract(doc).entities}
    assert "Susan Rice" in names


def test_a_word_file_without_properties_takes_its_title_from_the_text(tmp_path: Path) -> None:
    path = tmp_path / "untitled.docx"
    path.write_bytes(make_docx(PARAGRAPHS, heading="Council Adopts Resolution 1874"))
    doc = _read(path)
    assert doc.title == "Council Adopts Resolution 1874"  # the Heading 1 paragraph
    # python-docx's own name and dates in its template are no author and no date.
    assert doc.author is None and doc.published is None and "created" not in doc.properties


def test_an_opendocument_without_meta_takes_its_first_heading_as_title(tmp_path: Path) -> None:
    path = tmp_path / "untitled.odt"
    path.write_bytes(make_odt(PARAGRAPHS, heading="Council Adopts Resolution 1874"))
    assert _read(path).title == "Council Adopts Resolution 1874"


def test_an_opendocument_text_gives_its_text_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "report.odt"
    path.write_bytes(make_odt(["The panel of experts reported to the committee in May 2010.",
                               "Kim Jong Il  visited China."],
                              title="Panel report", author="Anna Berg", created=datetime(2010, 5, 20, 9, 0),
                              heading="Panel report"))
    doc = _read(path)
    assert (doc.format, doc.title, doc.author, doc.published) == ("odt", "Panel report", "Anna Berg", "2010-05-20")
    assert "The panel of experts reported to the committee in May 2010." in doc.text
    assert "Kim Jong Il  visited China." in doc.text  # <text:s/> gives back the second space


def test_an_rtf_memo_gives_its_text_and_info_group(tmp_path: Path) -> None:
    path = tmp_path / "memo.rtf"
    path.write_bytes(make_rtf(["Memo on the talks in Gen\u00e8ve.",
                               "Wendy Sherman met officials from Iran on 1 October 2009."],
                              title="Geneva memo", author="Wendy Sherman", created=datetime(2009, 10, 2, 9, 0)))
    doc = _read(path)
    assert (doc.format, doc.title, doc.author, doc.published) == ("rtf", "Geneva memo", "Wendy Sherman",
                                                                  "2009-10-02")
    assert "Memo on the talks in Gen\u00e8ve." in doc.text  # \u escapes decoded
    assert "Wendy Sherman met officials from Iran on 1 October 2009." in doc.text
    assert "Helvetica" not in doc.text and "rtf1" not in doc.text  # the font table and controls are not text


def test_a_zip_bomb_named_docx_is_refused_before_unpacking(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, 300 KB packed
                member.write(block)
    path = tmp_path / "bomb.docx"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 2_000_000
    (item,) = read_documents(path)
    assert isinstance(item, Skipped)
    assert "zip bomb" in item.reason and "300 MB" in item.reason


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word .doc or an encrypted .docx"),
    ("text.docx", b"Just text with a Word name.\n", "not a Word file"),
    ("broken.odt", b"PK\x03\x04 broken", "damaged OpenDocument file"),
    ("plain.rtf", b"Not RTF at all.\n", "not an RTF file"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported file type .doc (save it as .docx"),
], ids=["old.docx", "text.docx", "broken.odt", "plain.rtf", "old.doc"])
def test_what_is_no_office_file_is_skipped_with_a_reason(tmp_path: Path, name: str, content: bytes,
                                                          reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (item,) = read_documents(path)
    assert isinstance(item, Skipped)
    assert reason in item.reason


def test_an_odt_with_an_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    """content.xml declaring nested entities ("billion laughs") is parsed without expanding them."""
    bomb = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
            + ']><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
            "<text:p>Kim Jong Il visited China &i;.</text:p></office:text></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", bomb)
    path = tmp_path / "laughs.odt"
    path.write_bytes(out.getvalue())
    items = read_documents(path)
    assert len(items) == 1
    if isinstance(items[0], SourceDocument):
        assert len(items[0].text) < 1000 and "Kim Jong Il visited China" in items[0].text
