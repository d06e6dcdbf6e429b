"""Reading real folders: HTML pages, PDF reports, Markdown notes, text in old encodings."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from explorer.ingest import read_file, read_paths
from explorer.ingest.pdf import page_of
from explorer.model import Skipped, SourceDocument

SAMPLES = Path(__file__).with_name("samples")
ROOT = Path(__file__).resolve().parent.parent


def _make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", Path(__file__).with_name("make_samples.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_pdf = _make_samples().make_pdf


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "data"))


def read(path: Path) -> SourceDocument:
    result = read_file(path)
    assert isinstance(result, SourceDocument), result
    return result


def skip_reason(path: Path) -> str:
    result = read_file(path)
    assert isinstance(result, Skipped), f"{path} was read, expected a skip"
    return result.reason


# --- HTML ------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_navigation_comments_footer_and_scripts() -> None:
    doc = read(SAMPLES / "article.html")
    assert doc.format == "html"
    assert "Stephen Bosworth, the United States special representative" in doc.text
    assert "“We hope this meeting will lead to a resumption of the talks,”" in doc.text
    for furniture in ("Subscribe now", "Home", "cheap watches", "All rights reserved", "tracking", "font-family"):
        assert furniture not in doc.text
    assert "<p>" not in doc.text and "&#8220;" not in doc.text


def test_html_metadata_comes_from_the_page() -> None:
    doc = read(SAMPLES / "article.html")
    assert doc.title == "Envoy Arrives in Pyongyang for Talks"
    assert doc.author is not None and doc.author.startswith("Jane Q")
    assert doc.published == "2009-12-08"


def test_html_text_is_paragraphs_with_the_headline_first() -> None:
    doc = read(SAMPLES / "article.html")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Envoy Arrives in Pyongyang for Talks"
    assert len(paragraphs) >= 5
    assert all(p == p.strip() and p for p in paragraphs)


def test_html_byline_outside_the_main_text_still_gives_author_and_date(tmp_path: Path) -> None:
    path = tmp_path / "stall.html"
    path.write_text(
        "<html><head><title>Talks Stall Again - World News</title></head><body>"
        '<div class="menu"><a href="/">Home</a> | <a href="/w">World</a></div><h1>Talks Stall Again</h1>'
        '<div class="meta">By Peter Crail | Published March 3, 2010</div>'
        "<p>The six-party talks on North Korea's nuclear programme stalled again on Wednesday, as envoys "
        "from Seoul, Tokyo and Washington failed to agree on a date for a new round.</p>"
        "<p>China's envoy Wu <b>Dawei</b> said he would travel to Pyongyang next week.</p>"
        '<div class="footer">Contact us.</div></body></html>',
        encoding="utf-8",
    )
    doc = read(path)
    assert (doc.title, doc.author, doc.published) == ("Talks Stall Again", "Peter Crail", "2010-03-03")
    assert "Home" not in doc.text and "Contact us" not in doc.text and "Wu Dawei" in doc.text


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Caf\u00e9 talks in Gen\u00e8ve</title></head><body><article>"
        "<p>The d\u00e9l\u00e9gu\u00e9s met at the caf\u00e9 \u201cLe Rh\u00f4ne\u201d in Gen\u00e8ve on Monday "
        "to discuss the r\u00e9solution and its consequences for the region.</p>"
        "<p>Se\u00f1or Mu\u00f1oz said the talks would resume \u2014 perhaps in March.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "cafe.htm"
    path.write_bytes(page.encode("cp1252"))
    doc = read(path)
    assert "caf\u00e9 \u201cLe Rh\u00f4ne\u201d in Gen\u00e8ve" in doc.text
    assert "Se\u00f1or Mu\u00f1oz" in doc.text and "\u2014" in doc.text
    assert doc.title == "Caf\u00e9 talks in Gen\u00e8ve"


def test_html_without_an_article_keeps_its_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "short.html"
    path.write_text("<p>Meeting moved to Thursday, says Sung Kim.</p>", encoding="utf-8")
    doc = read(path)
    assert "Meeting moved to Thursday, says Sung Kim." in doc.text


def test_html_page_with_no_text_is_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>x()</script></head><body>   </body></html>", encoding="utf-8")
    assert "no text" in skip_reason(path)


def test_a_web_page_saved_as_txt_is_read_as_a_page(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes((SAMPLES / "article.html").read_bytes())
    doc = read(path)
    assert doc.format == "html"
    assert "<nav>" not in doc.text and "Subscribe now" not in doc.text


def test_saved_page_resource_folder_is_one_skip_line(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_bytes((SAMPLES / "article.html").read_bytes())
    resources = tmp_path / "story_files"
    resources.mkdir()
    for name in ("app.js", "style.css", "logo.png", "analytics.js"):
        (resources / name).write_bytes(b"x" * 10)
    items = list(read_paths([tmp_path]))
    skipped = [item for item in items if isinstance(item, Skipped)]
    assert len(skipped) == 1
    assert skipped[0].path.endswith("story_files") and "story.html" in skipped[0].reason
    assert [item.format for item in items if isinstance(item, SourceDocument)] == ["html"]


# --- PDF -------------------------------------------------------------------------------


def test_pdf_text_per_page_with_page_offsets() -> None:
    doc = read(SAMPLES / "report.pdf")
    assert doc.format == "pdf"
    assert len(doc.pages) == 3 and doc.pages[0] == 0
    page_texts = [doc.text[start:end].strip() for start, end in zip(doc.pages, [*doc.pages[1:], len(doc.text)], strict=True)]
    assert page_texts[0].startswith("Six-Party Talks: A Status Report")
    assert page_texts[1].startswith("Section 2. Sanctions")
    assert page_texts[2].startswith("Section 3. Outlook")
    where = doc.text.index("Envoys from Seoul")
    assert page_of(doc, where) == 3
    assert page_of(doc, doc.text.index("panel of experts")) == 2
    assert page_of(doc, 0) == 1


def test_pdf_metadata_title_and_author() -> None:
    doc = read(SAMPLES / "report.pdf")
    assert doc.title == "Six-Party Talks: A Status Report"
    assert doc.author == "Elena Marsh"


def test_pdf_file_name_as_title_is_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "draft.pdf"
    with open(path, "wb") as handle:
        make_pdf([["Talks Resume in Beijing", "By Ann Lee", "The talks resumed on Monday."]],
                 title="Microsoft Word - draft3.docx").write(handle)
    doc = read(path)
    assert doc.title != "Microsoft Word - draft3.docx"
    assert "The talks resumed on Monday." in doc.text


def test_pdf_without_text_layer_is_skipped_as_scanned(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_blank_page(width=612, height=792)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    # Blank pages: nothing to recognise with the OCR extra, and without it the extra is named.
    reason = skip_reason(path)
    assert reason.startswith("no text layer (scanned?)")
    assert "OCR found no text" in reason or "explorer[ocr]" in reason


def test_pdf_locked_with_a_password_is_skipped(tmp_path: Path) -> None:
    writer = make_pdf([["Confidential minutes of the meeting."]])
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert skip_reason(path) == "encrypted PDF (needs a password)"


def test_pdf_encrypted_only_against_copying_is_read(tmp_path: Path) -> None:
    writer = make_pdf([["Public report on the panel of experts."]])
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "restricted.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert "Public report on the panel of experts." in read(path).text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file"),
        (b"this is not a pdf at all", "not a PDF"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "damaged PDF"),
    ],
)
def test_broken_pdfs_are_skipped_with_a_reason(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    assert expected in skip_reason(path)


def test_truncated_pdf_is_skipped_or_read_in_part_never_raises(tmp_path: Path) -> None:
    data = (SAMPLES / "report.pdf").read_bytes()
    for cut in (20, len(data) // 3, len(data) // 2, len(data) - 40):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(data[:cut])
        result = read_file(path)
        if isinstance(result, Skipped):
            assert result.reason and "\n" not in result.reason
        else:
            assert result.format == "pdf" and result.text.strip()


def test_a_pdf_without_the_pdf_suffix_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report"
    path.write_bytes((SAMPLES / "report.pdf").read_bytes())
    doc = read(path)
    assert doc.format == "pdf" and len(doc.pages) == 3


# --- Markdown --------------------------------------------------------------------------


def test_markdown_reads_headings_links_and_emphasis_as_text() -> None:
    doc = read(SAMPLES / "note.md")
    assert doc.format == "markdown"
    assert doc.title == "Notes on the Bosworth Visit"
    assert doc.text.startswith("Notes on the Bosworth Visit\n\n")
    assert "flew to Pyongyang on\n8 December 2009" in doc.text
    assert "Obama administration." in doc.text
    for markup in ("](", "https://", "**", "# ", "<!--", "![", "| ---", "```"):
        assert markup not in doc.text, markup
    assert "- Sung Kim, special envoy to the six-party talks" in doc.text
    assert "2009-12-08 | Pyongyang" in doc.text
    assert "raw <b>code</b> stays as written" in doc.text
    assert "Map of the Korean peninsula" in doc.text
    assert "private remark" not in doc.text


def test_markdown_front_matter_gives_title_author_and_date(tmp_path: Path) -> None:
    path = tmp_path / "fm.md"
    path.write_text(
        "---\ntitle: \"Field notes, Seoul\"\nauthor: Mi-ok Park\ndate: 2011-03-04T10:00:00\ntags: [korea]\n---\n\n"
        "# A different heading\n\nWe met *Ri Gun* at the embassy.\n",
        encoding="utf-8",
    )
    doc = read(path)
    assert (doc.title, doc.author, doc.published) == ("Field notes, Seoul", "Mi-ok Park", "2011-03-04")
    assert "title:" not in doc.text and "We met Ri Gun at the embassy." in doc.text


def test_markdown_offsets_refer_to_the_stored_text() -> None:
    doc = read(SAMPLES / "note.md")
    start = doc.text.index("Sung Kim")
    assert doc.text[start : start + len("Sung Kim")] == "Sung Kim"


# --- Plain text in any encoding --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cp1252.txt", "Sanctions \u201ctightened\u201d after the 2009 test \u2014 the caf\u00e9 owner in Z\u00fcrich said.\nPrices rose by 5 \u20ac in Gen\u00e8ve.\n"),
        ("latin1.txt", "Rapport de l'Assembl\u00e9e g\u00e9n\u00e9rale \u00e0 Gen\u00e8ve, 12 juin 2009.\n"),
        ("utf16.txt", "UTF-16 report on Kim Kye-gwan\u2019s visit to Beijing, 2009.\n"),
        ("utf8-bom.txt", "BOM report: Ri Gun met Sung Kim in New York \u2014 2008.\n"),
    ],
)
def test_committed_samples_decode_exactly(name: str, expected: str) -> None:
    doc = read(SAMPLES / name)
    assert doc.format == "text"
    assert doc.text.startswith(expected)
    assert "\ufffd" not in doc.text and "\ufeff" not in doc.text and "\r" not in doc.text


ARTICLE = (
    "{title}\n\n{body} The delegation met on Monday and again on Tuesday; "
    "the talks will resume next month, officials said.\n"
)


@pytest.mark.parametrize(
    ("encoding", "title", "body"),
    [
        ("cp1252", "Caf\u00e9 diplomacy in Z\u00fcrich", "\u201cWe are hopeful,\u201d said Fran\u00e7ois M\u00fcller \u2014 the envoy\u2019s aide."),
        ("latin-1", "R\u00e9union \u00e0 Gen\u00e8ve", "Le d\u00e9l\u00e9gu\u00e9 Se\u00f1or Mu\u00f1oz \u00e9tait pr\u00e9sent \u00e0 la r\u00e9union."),
        ("utf-16-le", "Talks in Pyongyang", "Kim Kye-gwan met the envoy \u2014 \u201cfrankly\u201d."),
        ("utf-16-be", "Talks in Pyongyang", "Kim Kye-gwan met the envoy \u2014 \u201cfrankly\u201d."),
        ("iso-8859-2", "Rada Bezpiecze\u0144stwa", "Zaż\u00f3łć gęślą jaźń: przyjęła rezolucję w Łodzi i Gdańsku."),
        ("cp1251", "\u0421\u043e\u0432\u0435\u0442 \u0411\u0435\u0437\u043e\u043f\u0430\u0441\u043d\u043e\u0441\u0442\u0438", "\u041f\u043e\u0441\u043e\u043b \u0421\u0428\u0410 \u043f\u0440\u0438\u0431\u044b\u043b \u0432 \u041f\u0445\u0435\u043d\u044c\u044f\u043d \u0434\u043b\u044f \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u043e\u0432 \u0441 \u041a\u041d\u0414\u0420."),
        ("cp1253", "Συμβούλιο Ασφαλείας", "Το Συμβούλιο Ασφαλείας του ΟΗΕ ενέκρινε ομόφωνα το ψήφισμα για την Κορέα."),
        ("koi8_r", "Совет Безопасности", "Совет Безопасности ООН принял резолюцию единогласно, сообщили в Москве."),
        ("gb18030", "安理会决议", "联合国安理会一致通过决议，谴责朝鲜核试验。"),
        ("euc_kr", "안전보장이사회", "유엔 안전보장이사회는 만장일치로 결의안을 채택했다."),
        ("shift_jis", "\u56fd\u9023\u5b89\u4fdd\u7406", "\u56fd\u9023\u5b89\u5168\u4fdd\u969c\u7406\u4e8b\u4f1a\u306f\u6c7a\u8b70\u3092\u5168\u4f1a\u4e00\u81f4\u3067\u63a1\u629e\u3057\u305f\u3002"),
    ],
)
def test_text_in_legacy_encodings_decodes_correctly(tmp_path: Path, encoding: str, title: str, body: str) -> None:
    text = ARTICLE.format(title=title, body=body)
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert read(path).text == text


def test_crlf_line_ends_become_newlines(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"Line one\r\nLine two\rLine three\r\n")
    assert read(path).text == "Line one\nLine two\nLine three\n"


def test_mostly_utf8_with_broken_bytes_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "spliced.txt"
    path.write_bytes("Caf\u00e9 r\u00e9sum\u00e9 \u2014 Z\u00fcrich talks.\n".encode() + b"bad \xff\xfe bytes \xc3 here\n")
    text = read(path).text
    assert text.startswith("Caf\u00e9 r\u00e9sum\u00e9 \u2014 Z\u00fcrich talks.\nbad ")
    assert "\ufffd" in text and "bytes" in text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file (PNG image)"),
        (b"PK\x03\x04" + b"\x00\x14" * 200, "binary file (ZIP archive"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 400, "binary file (executable)"),
        (bytes(range(256)) * 40, "binary file"),
        (b"\x00\x00\x00\x01" * 300, "binary file"),
        (b"   \n\t\n  ", "no text (only whitespace)"),
    ],
)
def test_non_text_named_txt_is_skipped_with_its_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(content)
    assert skip_reason(path).startswith(reason)


def test_a_few_nul_bytes_do_not_make_text_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Sung Kim met Ri Gun\x00 in New York.\nThe talks\x00 went well.\n")
    text = read(path).text
    assert text == "Sung Kim met Ri Gun\x00 in New York.\nThe talks\x00 went well.\n"


# --- Every format alike ----------------------------------------------------------------


def test_extract_json_lists_every_format_alike(tmp_path: Path) -> None:
    env = {**os.environ, "EXPLORER_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run(
        [sys.executable, "-m", "explorer", "extract", "--json", str(SAMPLES)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    documents = {Path(d["path"]).name: d for d in json.loads(run.stdout)["documents"]}
    assert set(documents) == {"article.html", "report.pdf", "note.md", "cp1252.txt", "latin1.txt", "utf16.txt", "utf8-bom.txt"}
    assert {d["format"] for d in documents.values()} == {"html", "pdf", "markdown", "text"}
    for document in documents.values():
        assert set(document) >= {"path", "format", "title", "author", "published", "entities", "events"}
    assert documents["article.html"]["title"] == "Envoy Arrives in Pyongyang for Talks"
    assert documents["article.html"]["published"] == "2009-12-08"
    assert documents["report.pdf"]["author"] == "Elena Marsh"
    assert documents["note.md"]["title"] == "Notes on the Bosworth Visit"
