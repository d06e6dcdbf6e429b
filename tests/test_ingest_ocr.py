"""Scans read by OCR (the ``ocr`` extra, which the ``test`` extra installs): images and image-only PDFs.

The scans are drawn here with Pillow (black text on white, as a scanner hands a
page over), then read back by the real engine; the words must come back.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from make_samples import make_pdf, make_scan

from explorer.ingest import ocr, read_documents, read_file
from explorer.model import Skipped, SourceDocument

LINES = ["Ambassador Bosworth met officials", "in Pyongyang on 8 December 2009."]
WORDS = ("Ambassador", "Bosworth", "Pyongyang", "December", "2009")


def _image_pdf(pages: list[bytes]) -> bytes:
    """A PDF of page images and no text layer: what a scanner writes."""
    from PIL import Image

    images = [Image.open(io.BytesIO(page)).convert("RGB") for page in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=100)
    return out.getvalue()


def _words_found(text: str) -> set[str]:
    return {word for word in WORDS if word.lower() in text.lower()}


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scans")
    files = {
        "page.png": make_scan(LINES),
        "page.jpg": make_scan(LINES, image_format="JPEG"),
        "scan.pdf": _image_pdf([make_scan(["Security Council resolution 1874"]), make_scan(LINES)]),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def test_the_ocr_extra_is_installed_for_the_tests() -> None:
    assert ocr.available(), "the test extra installs explorer[ocr]; CI must read scans"


@pytest.mark.parametrize("name", ["page.png", "page.jpg"])
def test_an_image_is_read_by_ocr_with_its_confidence(scans: dict[str, Path], name: str) -> None:
    doc = read_file(scans[name])
    assert isinstance(doc, SourceDocument), doc
    assert doc.format == "image"
    assert _words_found(doc.text) == set(WORDS), doc.text
    # The two drawn lines come back as two lines, in order.
    first, second = doc.text.splitlines()[:2]
    assert "Ambassador" in first and "Pyongyang" in second
    confidence = float(doc.properties["ocr_confidence"])
    assert 0.5 < confidence <= 1.0
    assert doc.properties["ocr"] == "RapidOCR"


def test_a_pdf_without_a_text_layer_is_read_page_by_page(scans: dict[str, Path]) -> None:
    doc = read_file(scans["scan.pdf"])
    assert isinstance(doc, SourceDocument), doc
    assert doc.format == "pdf" and len(doc.pages) == 2
    first_page, second_page = doc.text[: doc.pages[1]], doc.text[doc.pages[1]:]
    assert "1874" in first_page and "Security Council" in first_page
    assert _words_found(second_page) == set(WORDS)
    assert doc.properties["ocr_pages"] == "1, 2"
    assert re.fullmatch(r"p\. 1 [01]\.\d\d, p\. 2 [01]\.\d\d", doc.properties["ocr_page_confidence"])


def test_a_pdf_with_text_on_some_pages_keeps_its_text_layer(tmp_path: Path) -> None:
    """A text page is never OCRed; a page without text is, and only that page is named."""
    from pypdf import PdfReader, PdfWriter

    text_pdf = io.BytesIO()
    make_pdf([["Talks hosted by China have been suspended since April 2009."]]).write(text_pdf)
    writer = PdfWriter()
    writer.append(PdfReader(text_pdf))
    writer.append(PdfReader(io.BytesIO(_image_pdf([make_scan(LINES)]))))
    path = tmp_path / "mixed.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    doc = read_file(path)
    assert isinstance(doc, SourceDocument), doc
    assert doc.text.startswith("Talks hosted by China have been suspended since April 2009.")
    assert _words_found(doc.text[doc.pages[1]:]) == set(WORDS)
    assert "ocr_pages" not in doc.properties  # one page read by OCR: the mean says it
    assert float(doc.properties["ocr_confidence"]) > 0.5


def test_without_the_extra_scans_are_skipped_with_a_line_naming_it(
        scans: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    for name in ("page.png", "scan.pdf"):
        (item,) = read_documents(scans[name])
        assert isinstance(item, Skipped)
        assert "pip install 'explorer[ocr]'" in item.reason
    (item,) = read_documents(scans["scan.pdf"])
    assert item.reason.startswith("no text layer (scanned?)")


def test_a_blank_page_is_not_sent_to_the_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    def engine() -> object:
        raise AssertionError("a blank page reached the OCR engine")

    monkeypatch.setattr(ocr, "_engine", engine)
    out = io.BytesIO()
    Image.new("L", (800, 600), 255).save(out, format="PNG")
    path = tmp_path / "blank.png"
    path.write_bytes(out.getvalue())
    (item,) = read_documents(path)
    assert isinstance(item, Skipped) and item.reason == "no text found by OCR in the image"
