"""Saved web pages (.html, .htm): the article's main text and its metadata, via trafilatura.

trafilatura finds the main text of a page and leaves out navigation, comments,
share widgets and footers; it also reads the title, author and date from the
page's metadata (OpenGraph, JSON-LD, ``<meta>``) and, through htmldate, from its
markup. The document keeps the extracted text, paragraphs separated by blank
lines, with the headline as its first paragraph; offsets refer to that text.

trafilatura is imported on the first HTML file, not before: a folder of plain
text never pays for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from explorer.ingest.analysis import analyse
from explorer.ingest.encoding import binary_reason, bom_encoding, decode_text, normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.quiet import quiet_libraries
from explorer.model import SourceDocument

# trafilatura's own ceiling (its MAX_FILE_SIZE); a larger page is not an article.
MAX_HTML_BYTES = 20_000_000

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
# Characters lxml refuses in a string (XML-incompatible controls); never visible in a page.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BLANK_RUNS = re.compile(r"\n{2,}")


def decode_html(data: bytes) -> str:
    """Decode a page: a BOM, then valid UTF-8, then the charset the page declares, then detection."""
    if not bom_encoding(data):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii").lower()
            # Pages that say ISO-8859-1 are in Windows-1252 (as the HTML standard says).
            if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
                name = "cp1252"
            try:
                return data.decode(name, errors="replace")
            except LookupError:
                pass
    return decode_text(data)


def looks_like_html(data: bytes) -> bool:
    """A page saved under another name: it starts with a doctype or an ``<html>`` tag."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _paragraphs(text: str) -> str:
    """trafilatura's one-line-per-block text, with blank lines between paragraphs."""
    lines = [line.strip() for line in normalise_newlines(text).split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n\n".join(line for line in lines if line)).strip()


_BLOCKS = (
    "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4",
    "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote", "pre", "br", "hr",
    "figure", "figcaption", "address", "time", "form",
)


def visible_text(markup: str) -> str:
    """All the page's visible text, one block per paragraph (lxml; scripts and styles dropped).

    Used where the main-text extraction has nothing to say: for a page that is no
    article, and to find a byline or date line the extraction left out.
    """
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(markup)
    for element in tree.xpath("//script|//style|//noscript|//template|//head|//svg"):
        element.drop_tree()
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return _paragraphs(tree.text_content())


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def read_html(path: Path, data: bytes) -> SourceDocument:
    if len(data) > MAX_HTML_BYTES:
        raise UnreadableFile(f"too large for a web page ({len(data) // 1_000_000} MB > {MAX_HTML_BYTES // 1_000_000} MB)")
    reason = binary_reason(data)
    if reason:
        raise UnreadableFile(reason)
    markup = _XML_INCOMPATIBLE.sub("", decode_html(data))
    if not markup.strip():
        raise UnreadableFile("no text (only whitespace)")
    quiet_libraries()
    import trafilatura

    # A fragment without <html> is rejected by trafilatura's sanity check; wrap it.
    if "<html" not in markup[:2048].lower():
        markup = f"<html><body>{markup}</body></html>"
    result = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    text = _paragraphs(result.text or "") if result is not None else ""
    if not text:
        # Not an article (an index page, a short note): keep all its visible text.
        text = visible_text(markup)
    if result is None:
        result = trafilatura.extract_metadata(markup)
    if not text and result is not None:
        # A page whose text a script draws: what its metadata says (headline and summary) is all there is.
        text = "\n\n".join(part for part in (_clean(result.title), _clean(result.description)) if part)
    if not text:
        raise UnreadableFile("no text in the page")
    title = _clean(result.title) if result is not None else None
    author = _clean(result.author) if result is not None else None
    published = result.date if result is not None and result.date and _ISO_DAY.fullmatch(result.date) else None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    doc = SourceDocument(path=str(path), text=text, title=title, author=author, published=published, format="html")
    analyse(doc)  # fills only what the page's metadata left empty
    if doc.author is None or doc.published is None:
        # A byline or date line that the main-text extraction left out ("By Peter Crail |
        # Published March 3, 2010" in a div of its own): read the whole page's visible text
        # as a saved plain-text page is read, and take only the metadata from it.
        whole = SourceDocument(path=str(path), text=visible_text(markup),
                               title=doc.title, author=doc.author, published=doc.published, format="html")
        analyse(whole)
        doc.author = doc.author or whole.author
        doc.published = doc.published or whole.published
    return doc
