"""Office documents: Word ``.docx`` (python-docx), OpenDocument ``.odt`` and ``.rtf`` memos (striprtf).

The text is the document's paragraphs (and table rows, cells joined by " | ") in
reading order, separated by blank lines; the title, author and created date come
from the document's own properties (docProps/core.xml, meta.xml, RTF's ``\\info``
group) when they say something, otherwise the page analysis of plain text fills
them from the first lines.

A .docx or .odt is a zip archive: the sizes its members declare are checked
before any is read (zipfile never unpacks a member past its declared size), so a
zip bomb is skipped with one line instead of filling the memory. XML is parsed by
lxml without entity expansion, DTD loading or network access.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from explorer.ingest.analysis import analyse
from explorer.ingest.encoding import normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.quiet import quiet_libraries
from explorer.model import SourceDocument

MAX_OFFICE_BYTES = 128 * 1024 * 1024  # the file as stored (images and all)
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # everything its members unpack to
MAX_MEMBERS = 20_000
MAX_RTF_BYTES = 64 * 1024 * 1024

_JUNK_AUTHORS = frozenset({"python-docx", "user", "windows user", "microsoft office user", "administrator", "admin",
                           "owner", "unknown", "author"})
_JUNK_TITLES = frozenset({"untitled", "title", "document", "no title", "-"})
_SPACE = re.compile(r"\s+")


def _clean(value: object, junk: frozenset[str]) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    if not value or value.lower() in junk:
        return None
    return value


def _day(moment: datetime | None) -> str | None:
    if moment is None or not 1980 <= moment.year <= 2200:
        return None  # python-docx's and Word's placeholder dates are 1899/1900/1970
    return moment.date().isoformat()


def _document(path: Path, blocks: list[str], fmt: str, *, title: object, author: object,
              created: datetime | None, properties: dict[str, str]) -> SourceDocument:
    text = "\n\n".join(block for block in (normalise_newlines(b).strip() for b in blocks) if block)
    if not text:
        raise UnreadableFile("no text in the document")
    doc = SourceDocument(path=str(path), text=text, format=fmt, title=_clean(title, _JUNK_TITLES),
                         author=_clean(author, _JUNK_AUTHORS), published=_day(created))
    doc.properties = {key: value[:300] for key, value in properties.items() if value}
    analyse(doc)  # fills only what the properties left empty
    return doc


# --- Zip archives ---------------------------------------------------------------------------


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The archive, once every member's declared size is known to fit (a zip bomb is refused)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableFile(f"damaged {kind} (not a readable zip archive: {exc})") from None
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile(f"{kind} with {len(members):,} parts (more than {MAX_MEMBERS:,}; a zip bomb?)")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(f"{kind} unpacks to {unpacked >> 20:,} MB (more than {MAX_UNPACKED_BYTES >> 20} MB; "
                             "a zip bomb?)")
    if any(member.flag_bits & 0x1 for member in members):
        raise UnreadableFile(f"encrypted {kind} (needs a password)")
    return archive


def _xml(archive: zipfile.ZipFile, name: str) -> Any | None:
    from lxml import etree

    try:
        data = archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableFile(f"damaged archive member {name} ({exc})") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"damaged {name} ({exc})") from None


# --- Word (.docx) ------------------------------------------------------------------------------


_HEADING_STYLES = ("title", "heading 1", "heading1")
# The created/modified date in python-docx's default template: files it wrote without setting one carry it.
_PYTHON_DOCX_TEMPLATE_DATE = datetime(2013, 12, 23, 23, 15)


def _docx_heading(document: Any) -> str | None:
    """The first paragraph styled Title or Heading 1: the title a document without properties shows."""
    for paragraph in document.paragraphs[:200]:
        try:
            style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        except Exception:
            style = ""
        if style in _HEADING_STYLES and paragraph.text.strip():
            return paragraph.text
    return None


def _docx_blocks(document: Any) -> list[str]:
    from docx.table import Table

    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or cells[-1] != value:  # a merged cell repeats across its span
                        cells.append(value)
                rows.append(" | ".join(cells))
            blocks.append("\n".join(row for row in rows if row.strip(" |")))
        else:
            blocks.append(item.text)
    return blocks


def read_docx(path: Path, data: bytes) -> SourceDocument:
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableFile("an old Word .doc or an encrypted .docx (save it as .docx, PDF or text)")
        raise UnreadableFile("not a Word file (no zip header; damaged or misnamed)")
    archive = open_zip(data, "Word file")
    if "word/document.xml" not in archive.namelist():
        raise UnreadableFile("not a Word file (no word/document.xml)")
    quiet_libraries()
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFile(f"damaged Word file ({exc.__class__.__name__}: {exc})"[:200]) from None
    blocks = _docx_blocks(document)
    props = document.core_properties
    created = props.created if isinstance(props.created, datetime) else None
    modified = props.modified if isinstance(props.modified, datetime) else None
    if (props.author or "").strip().lower() == "python-docx" or (
            created is not None and created.replace(tzinfo=None) == _PYTHON_DOCX_TEMPLATE_DATE):
        created = modified = None  # python-docx's template left its own placeholder dates
    properties = {
        "created": created.isoformat() if created else "",
        "modified": modified.isoformat() if modified else "",
        "last_modified_by": props.last_modified_by or "",
        "subject": props.subject or "",
        "keywords": props.keywords or "",
    }
    return _document(path, blocks, "docx", title=_clean(props.title, _JUNK_TITLES) or _docx_heading(document),
                     author=props.author, created=created, properties=properties)


# --- OpenDocument (.odt) ---------------------------------------------------------------------

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_ODT_MIMETYPES = (b"application/vnd.oasis.opendocument.text", b"application/vnd.oasis.opendocument.text-template")


def _odf_inline(element: Any) -> str:
    """A paragraph's text: spans, links and fields unwrapped, ``<text:s>`` spaces and tabs given back."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{{{_ODF_TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{_ODF_TEXT}}}c", "1") or 1))
        elif tag == f"{{{_ODF_TEXT}}}tab":
            parts.append("\t")
        elif tag == f"{{{_ODF_TEXT}}}line-break":
            parts.append("\n")
        elif tag in (f"{{{_ODF_TEXT}}}note", f"{{{_ODF_TEXT}}}bookmark-ref") or not tag:
            pass  # footnotes are read where they are, as their own blocks below
        else:
            parts.append(_odf_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odf_blocks(root: Any) -> list[str]:
    blocks: list[str] = []
    paragraph_tags = {f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h"}
    row_tag, cell_tag = f"{{{_ODF_TABLE}}}table-row", f"{{{_ODF_TABLE}}}table-cell"
    body = root.find(f"{{{_ODF_OFFICE}}}body")
    if body is None:
        return blocks
    for element in body.iter(row_tag, *paragraph_tags):
        if element.tag == row_tag:
            cells = [" ".join(_odf_inline(p) for p in cell.iter(*paragraph_tags)) for cell in element.iter(cell_tag)]
            blocks.append(" | ".join(" ".join(c.split()) for c in cells if c.strip()))
        elif not any(ancestor.tag == cell_tag for ancestor in element.iterancestors()):
            blocks.append(_odf_inline(element))
    return blocks


def _odf_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().rstrip("Z")[:19])
    except ValueError:
        return None


def read_odt(path: Path, data: bytes) -> SourceDocument:
    if not data.startswith(b"PK"):
        raise UnreadableFile("not an OpenDocument file (no zip header; damaged or misnamed)")
    archive = open_zip(data, "OpenDocument file")
    try:
        mimetype = archive.read("mimetype").strip() if "mimetype" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableFile(f"damaged OpenDocument file ({exc})") from None
    if mimetype and mimetype not in _ODT_MIMETYPES:
        raise UnreadableFile(f"not an OpenDocument text ({mimetype.decode('ascii', 'replace')[:60]})")
    if "META-INF/manifest.xml" in archive.namelist() and any(
            "encryption-data" in line for line in _manifest_lines(archive)):
        raise UnreadableFile("encrypted OpenDocument file (needs a password)")
    content = _xml(archive, "content.xml")
    if content is None:
        raise UnreadableFile("not an OpenDocument text (no content.xml)")
    meta = _xml(archive, "meta.xml")

    def field(namespace: str, name: str) -> str | None:
        if meta is None:
            return None
        found = meta.find(f".//{{{namespace}}}{name}")
        return found.text if found is not None else None

    created = _odf_date(field(_ODF_META, "creation-date"))
    properties = {
        "created": created.isoformat() if created else "",
        "modified": field(_DC, "date") or "",
        "last_modified_by": field(_DC, "creator") or "",
        "subject": field(_DC, "subject") or "",
    }
    heading = content.find(f".//{{{_ODF_TEXT}}}h")
    title = field(_DC, "title") if _clean(field(_DC, "title"), _JUNK_TITLES) else None
    if title is None and heading is not None:
        title = _odf_inline(heading)
    return _document(path, _odf_blocks(content), "odt", title=title,
                     author=field(_ODF_META, "initial-creator") or field(_DC, "creator"), created=created,
                     properties=properties)


def _manifest_lines(archive: zipfile.ZipFile) -> list[str]:
    try:
        return archive.read("META-INF/manifest.xml").decode("utf-8", "replace").splitlines()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        return []


# --- RTF ---------------------------------------------------------------------------------------

_RTF_INFO_FIELD = r"\{\\%s\s?((?:[^{}\\]|\\[^{}]|\\[{}])*)\}"
_RTF_TIME = re.compile(r"\{\\creatim((?:\\[a-z]+-?\d+\s?)+)\}")


def _rtf_field(source: str, name: str) -> str | None:
    from striprtf.striprtf import rtf_to_text

    match = re.search(_RTF_INFO_FIELD % name, source[:200_000])
    if not match:
        return None
    return rtf_to_text("{\\rtf1 " + match.group(1) + "}", errors="ignore").strip() or None


def _rtf_created(source: str) -> datetime | None:
    match = _RTF_TIME.search(source[:200_000])
    if not match:
        return None
    parts = dict(re.findall(r"\\([a-z]+)(-?\d+)", match.group(1)))
    try:
        return datetime(int(parts["yr"]), int(parts.get("mo", 1)), int(parts.get("dy", 1)))
    except (KeyError, ValueError):
        return None


def read_rtf(path: Path, data: bytes) -> SourceDocument:
    if not data.lstrip()[:5] == b"{\\rtf":
        raise UnreadableFile("not an RTF file (no {\\rtf header; damaged or misnamed)")
    quiet_libraries()
    from striprtf.striprtf import rtf_to_text

    # RTF is 7-bit: other characters are \'hh escapes (in the code page it declares) or \uN.
    source = data.decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", source[:4096])
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    text = rtf_to_text(source, encoding=encoding, errors="replace")
    blocks = re.split(r"\n\s*\n|\n", normalise_newlines(text))
    created = _rtf_created(source)
    return _document(path, blocks, "rtf", title=_rtf_field(source, "title"), author=_rtf_field(source, "author"),
                     created=created, properties={"created": created.isoformat() if created else ""})
