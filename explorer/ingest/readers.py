"""Readers by file type: each turns raw bytes into a ``SourceDocument``.

A reader raises ``UnreadableFile`` with a short reason ("empty file", "binary
file", ...) and never lets another exception escape: ``read_file`` turns any
surprise into a ``Skipped`` so one bad file never stops a run.

| suffix | reader | library |
| --- | --- | --- |
| .txt .text (none) | ``read_text`` | charset-normalizer (legacy encodings only) |
| .md .markdown | ``read_markdown`` | markdown-it-py |
| .html .htm .xhtml | ``read_html`` | trafilatura |
| .pdf | ``read_pdf`` | pypdf |

The content decides over the name where the two disagree in an obvious way: a
PDF or a web page saved as ``.txt`` or without a suffix is read as what it is.
The heavy libraries are imported only when a file of their kind is seen.

Size limits keep memory bounded: a file is read whole (its text is what the
store keeps), so each format has a ceiling and a larger file is skipped with
"too large" instead of being half read. Plain text is allowed up to 64 MB: a
50 MB text file is read (about 100 MB of memory at the peak, the bytes and
their text) and indexed whole.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from explorer.ingest.analysis import analyse
from explorer.ingest.encoding import binary_reason, decode_text, normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.files import display_path as _display_path
from explorer.ingest.files import printable, problem, walk
from explorer.ingest.html import MAX_HTML_BYTES, looks_like_html, read_html
from explorer.ingest.markdown import read_markdown
from explorer.ingest.pdf import MAX_PDF_BYTES, read_pdf
from explorer.model import Skipped, SourceDocument

__all__ = [
    "MAX_FILE_BYTES",
    "READERS",
    "UnreadableFile",
    "decode_text",
    "read_file",
    "read_paths",
    "read_text",
]

# Plain text and Markdown above this size are skipped rather than read whole into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

_MB = 1024 * 1024


def read_text(path: Path, data: bytes) -> SourceDocument:
    reason = binary_reason(data)
    if reason:
        raise UnreadableFile(reason)
    text = normalise_newlines(decode_text(data))
    # NUL, ESC and other controls stay in the text (offsets stay true, the text is
    # shown literally); the interface and the notes make them inert for display.
    if not text.strip():
        raise UnreadableFile("no text (only whitespace)")
    doc = SourceDocument(path=str(path), text=text, format="text")
    analyse(doc)
    return doc


Reader = Callable[[Path, bytes], SourceDocument]

# Suffix (lower case, with the dot) -> reader. Other formats register here.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    "": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".mdown": read_markdown,
    ".mkd": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".shtml": read_html,
    ".pdf": read_pdf,
}

# The most bytes a reader is given; larger files are skipped as too large.
SIZE_LIMITS: dict[Reader, int] = {read_html: MAX_HTML_BYTES, read_pdf: MAX_PDF_BYTES}

_HINTS = {
    ".docx": "save it as PDF or text", ".doc": "save it as PDF or text", ".odt": "save it as PDF or text",
    ".rtf": "save it as PDF or text", ".pages": "save it as PDF or text", ".epub": "convert it to text",
    ".mht": "save the page as HTML", ".mhtml": "save the page as HTML", ".webarchive": "save the page as HTML",
}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())


def _sniffed(reader: Reader, data: bytes) -> Reader:
    """A PDF or a web page behind a text file's name is read as what it is."""
    if reader is read_text:
        if data[:5] == b"%PDF-":
            return read_pdf
        if looks_like_html(data):
            return read_html
    return reader


def _one_line(value: str | None, limit: int = 300) -> str | None:
    """Metadata as one inert line: no control characters, no newlines, no escape sequences."""
    if not value:
        return None
    value = " ".join(_CONTROLS.sub(" ", value).split())[:limit]
    return value or None


def _tidy(doc: SourceDocument) -> None:
    doc.title = _one_line(doc.title)
    doc.author = _one_line(doc.author)
    if doc.published and not _ISO_DAY.fullmatch(doc.published):
        doc.published = None


def _reason(text: str) -> str:
    return printable(" ".join(text.split()))[:200] or "unreadable"


def _too_large(size: int, limit: int) -> str:
    return f"too large ({size / _MB:.0f} MB; the limit for this type is {limit // _MB} MB)"


def read_file(path: Path, display_path: str | None = None) -> SourceDocument | Skipped:
    """Read one file into a ``SourceDocument``, or say in one line why it was skipped."""
    # The name as one printable line: undecodable bytes and control characters in a
    # file name are escaped, so the JSON dump, the store and the terminal take it.
    shown = printable(display_path) if display_path else _display(path)
    try:
        info = path.stat()
    except OSError:
        return Skipped(shown, problem(path) or "cannot be opened")
    if not stat.S_ISREG(info.st_mode):
        return Skipped(shown, problem(path) or "not a regular file")
    reader = reader_for(path)
    if reader is None:
        suffix = path.suffix.lower()
        hint = _HINTS.get(suffix)
        kind = f"unsupported file type {printable(path.suffix) or '(none)'}"
        return Skipped(shown, f"{kind} ({hint})" if hint else kind)
    try:
        if info.st_size == 0:
            return Skipped(shown, "empty file")
        limit = SIZE_LIMITS.get(reader, MAX_FILE_BYTES)
        if info.st_size > limit:
            return Skipped(shown, _too_large(info.st_size, limit))
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
        if len(data) > limit:
            return Skipped(shown, _too_large(len(data), limit))
        if not data:
            return Skipped(shown, "empty file")
        digest = hashlib.sha1(data).hexdigest()
        reader = _sniffed(reader, data)
        doc = reader(path, data)
        del data
    except UnreadableFile as exc:
        return Skipped(shown, _reason(str(exc)))
    except PermissionError:
        return Skipped(shown, "permission denied")
    except IsADirectoryError:
        return Skipped(shown, "a folder, not a file")
    except OSError as exc:
        return Skipped(shown, _reason(exc.strerror or exc.__class__.__name__).lower())
    except MemoryError:
        return Skipped(shown, "too large to read in the memory available")
    except RecursionError:
        return Skipped(shown, "too deeply nested to read")
    except Exception as exc:  # a reader's bug must not stop the run
        return Skipped(shown, _reason(f"could not be read ({exc.__class__.__name__}: {exc})"))
    _tidy(doc)
    doc.path = shown
    doc.size = info.st_size
    doc.mtime = info.st_mtime
    doc.sha1 = digest
    return doc


def _display(path: Path) -> str:
    """Paths are shown relative to the working directory when they are under it, as one inert line."""
    return _display_path(path)


def read_documents(path: Path, display_path: str | None = None) -> list[SourceDocument | Skipped]:
    """Every document one file holds, in order, or the one line saying why the file was skipped.

    Most files hold one document. A container (a mailbox, an e-mail with attachments)
    holds several: each gets its own ``path`` under the file's ("mail.eml › notes.pdf")
    and cites the document it came in (``container``); a part that cannot be read is a
    ``Skipped`` of its own beside the parts that can.
    """
    return [read_file(path, display_path)]


def read_paths(paths: Iterable[str | Path]) -> Iterator[SourceDocument | Skipped]:
    """Every file under ``paths`` read, in a stable order; what cannot be read or walked is a ``Skipped``."""
    for item in walk(paths):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from read_documents(item, _display(item))
