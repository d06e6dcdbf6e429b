"""PDF reports: the text of each page via pypdf, pages kept so a note can cite "p. 4".

``doc.text`` is the pages' text joined by a blank line and ``doc.pages`` the
offset where each page starts, so any offset maps back to its page
(``page_of``). Title and author come from the PDF's metadata when it names them
(not "Microsoft Word - draft3.docx"), otherwise from the first page as for any
plain-text article. Pages without a text layer are scans: with the ``ocr`` extra
installed they are read by OCR (``explorer.ingest.ocr``; the pages read so and
their recognition confidence are kept in ``properties``); without it, a PDF with
no text at all is skipped with "no text layer (scanned?)" and the extra's name,
rather than indexed empty.

pypdf is imported on the first PDF, not before.
"""

from __future__ import annotations

import bisect
import io
import re
from pathlib import Path

from explorer.ingest import ocr
from explorer.ingest.analysis import analyse
from explorer.ingest.encoding import normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.quiet import quiet_libraries
from explorer.model import SourceDocument

MAX_PDF_BYTES = 256 * 1024 * 1024
PAGE_SEPARATOR = "\n\n"

_FILE_NAME_TITLE = re.compile(r"(?i)^(microsoft (word|powerpoint|excel) - )|\.(docx?|pdf|rtf|odt|pptx?|xlsx?|indd|qxd|tex|dvi|txt|html?)$")
_JUNK_TITLES = frozenset({"untitled", "title", "document", "slide 1", "no title", "()", "-"})


def _metadata_value(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    if not value or value.lower() in _JUNK_TITLES or _FILE_NAME_TITLE.search(value):
        return None
    return value


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:80]
    return f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__


def page_of(doc: SourceDocument, offset: int) -> int | None:
    """The 1-based page holding ``offset`` in a PDF's text, or None for a single-page format."""
    if not doc.pages:
        return None
    return max(1, bisect.bisect_right(doc.pages, offset))


def read_pdf(path: Path, data: bytes) -> SourceDocument:
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile("not a PDF (no %PDF header; damaged or misnamed)")
    quiet_libraries()
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise UnreadableFile(f"damaged PDF ({_short(exc)})") from None
    if encrypted:
        try:
            opened = bool(reader.decrypt(""))  # many PDFs lock only printing/copying, not reading
        except DependencyError:
            raise UnreadableFile("encrypted PDF (its cipher needs the 'cryptography' package)") from None
        except Exception:
            opened = False
        if not opened:
            raise UnreadableFile("encrypted PDF (needs a password)")
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise UnreadableFile(f"damaged PDF ({_short(exc)})") from None
    if not pages:
        raise UnreadableFile("damaged PDF (no pages)")

    texts: list[str] = []
    failed = 0
    for page in pages:
        try:
            text = page.extract_text() or ""
        except Exception:
            text, failed = "", failed + 1
        texts.append(normalise_newlines(text).strip())
    if failed == len(pages):
        raise UnreadableFile("damaged PDF (no page could be read)")
    properties: dict[str, str] = {}
    blank = [number for number, text in enumerate(texts) if not text]
    if blank and ocr.available():
        try:
            recognised = ocr.ocr_pdf_pages(data, blank)
        except Exception as exc:  # pdfium refuses what pypdf read: keep the text layer there is
            recognised = {}
            if not any(texts):
                raise UnreadableFile(f"no text layer (scanned?) and the pages could not be rendered ({_short(exc)})") from None
        for number, page in recognised.items():
            texts[number] = page.text
        properties = ocr.confidence_properties({number + 1: page for number, page in recognised.items()})
        if not any(texts):
            raise UnreadableFile("no text layer (scanned?), and OCR found no text on its pages")
    elif not any(texts):
        raise UnreadableFile(f"no text layer (scanned?); {ocr.INSTALL_HINT}")
    elif blank:
        properties["pages_without_text"] = ", ".join(str(number + 1) for number in blank)[:300]

    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    doc = SourceDocument(path=str(path), text=PAGE_SEPARATOR.join(texts), format="pdf", pages=starts,
                         properties=properties)
    try:
        meta = reader.metadata
        if meta is not None:
            doc.title = _metadata_value(meta.title)
            doc.author = _metadata_value(meta.author)
    except Exception:
        pass  # damaged metadata: the first page still gives a title
    analyse(doc)
    return doc
