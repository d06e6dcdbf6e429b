"""Readers by file type: each turns raw bytes into a ``SourceDocument``.

A reader raises ``UnreadableFile`` with a short reason ("empty file", "binary
file", ...) and never lets another exception escape: ``read_file`` turns any
surprise into a ``Skipped`` so one bad file never stops a run.

| suffix | reader | library |
| --- | --- | --- |
| .txt .text (none) | ``read_text`` | charset-normalizer (legacy encodings only) |
| .md .markdown | ``read_markdown`` | markdown-it-py |
| .html .htm .xhtml | ``read_html`` | trafilatura |
| .pdf | ``read_pdf`` | pypdf (pages without text: OCR, with the ``ocr`` extra) |
| .docx | ``read_docx`` | python-docx |
| .odt | ``read_odt`` | zipfile + lxml |
| .rtf | ``read_rtf`` | striprtf |
| .png .jpg .jpeg .tif .tiff | ``read_image`` | RapidOCR (the ``ocr`` extra) |
| .eml .mbox .msg | ``read_eml`` ``read_mbox`` ``read_msg`` (containers) | email, extract-msg |

Containers (``CONTAINERS``) hold several documents: ``read_documents`` gives one
per message and one per attachment, each attachment read by its name's suffix
as if it were a file, recursively up to ``MAX_NESTING`` levels.

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
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from explorer.ingest.analysis import analyse
from explorer.ingest.containers import Attachment, Message
from explorer.ingest.encoding import binary_reason, decode_text, normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.files import display_path as _display_path
from explorer.ingest.files import printable, problem, walk
from explorer.ingest.html import MAX_HTML_BYTES, looks_like_html, read_html
from explorer.ingest.mail import (
    MAX_MAIL_BYTES,
    MAX_MBOX_BYTES,
    looks_like_mbox,
    read_eml,
    read_mbox,
    read_msg,
)
from explorer.ingest.markdown import read_markdown
from explorer.ingest.ocr import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, read_image
from explorer.ingest.office import MAX_OFFICE_BYTES, MAX_RTF_BYTES, read_docx, read_odt, read_rtf
from explorer.ingest.pdf import MAX_PDF_BYTES, read_pdf
from explorer.model import Skipped, SourceDocument

__all__ = [
    "CONTAINERS",
    "MAX_FILE_BYTES",
    "READERS",
    "UnreadableFile",
    "decode_text",
    "read_file",
    "read_paths",
    "read_documents",
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
# A container's reader: the messages a file holds, each with what it carries.
ContainerReader = Callable[[Path, bytes], list[Message]]

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
    ".docx": read_docx,
    ".odt": read_odt,
    ".rtf": read_rtf,
    **{suffix: read_image for suffix in IMAGE_SUFFIXES},
}
CONTAINERS: dict[str, ContainerReader] = {".eml": read_eml, ".mbox": read_mbox, ".msg": read_msg}

# The most bytes a reader is given; larger files are skipped as too large.
SIZE_LIMITS: dict[Callable[..., object], int] = {
    read_html: MAX_HTML_BYTES, read_pdf: MAX_PDF_BYTES, read_docx: MAX_OFFICE_BYTES, read_odt: MAX_OFFICE_BYTES,
    read_rtf: MAX_RTF_BYTES, read_image: MAX_IMAGE_BYTES, read_eml: MAX_MAIL_BYTES, read_msg: MAX_MAIL_BYTES,
    read_mbox: MAX_MBOX_BYTES,
}
# Containers inside containers (a message attached to a message attached to ...) are read this deep.
MAX_NESTING = 8
SEPARATOR = " \u203a "  # "mail.eml › notes.pdf"

_HINTS = {
    ".doc": "save it as .docx, PDF or text", ".pages": "save it as PDF or text", ".epub": "convert it to text",
    ".mht": "save the page as HTML", ".mhtml": "save the page as HTML", ".webarchive": "save the page as HTML",
    ".xlsx": "save it as PDF or CSV text", ".xls": "save it as PDF or CSV text",
}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def reader_for(path: Path) -> Reader | ContainerReader | None:
    suffix = path.suffix.lower()
    return READERS.get(suffix) or CONTAINERS.get(suffix)


def _sniffed(reader: Reader | ContainerReader, data: bytes) -> Reader | ContainerReader:
    """A PDF, a web page or a mailbox behind a text file's name is read as what it is."""
    if reader is read_text:
        if data[:5] == b"%PDF-":
            return read_pdf
        if looks_like_html(data):
            return read_html
        if looks_like_mbox(data):
            return read_mbox
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


def _guarded(shown: str, read: Callable[[], SourceDocument | list[Message]]) -> SourceDocument | list[Message] | Skipped:
    """Run a reader; whatever goes wrong becomes the one line saying why."""
    try:
        return read()
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


def _load(path: Path, shown: str) -> tuple[os.stat_result, bytes, Reader | ContainerReader] | Skipped:
    """The file's bytes and the reader for them, or why it cannot be read."""
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
    if info.st_size == 0:
        return Skipped(shown, "empty file")
    limit = SIZE_LIMITS.get(reader, MAX_FILE_BYTES)
    if info.st_size > limit and reader is read_text and _starts_a_mailbox(path):
        reader, limit = read_mbox, MAX_MBOX_BYTES  # Thunderbird's "Inbox": a mailbox without a suffix
    if info.st_size > limit:
        return Skipped(shown, _too_large(info.st_size, limit))

    def read() -> bytes:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)  # the file may have grown since stat

    data = _guarded(shown, read)  # type: ignore[arg-type]
    if isinstance(data, Skipped):
        return data
    assert isinstance(data, bytes)
    if len(data) > limit:
        return Skipped(shown, _too_large(len(data), limit))
    if not data:
        return Skipped(shown, "empty file")
    return info, data, _sniffed(reader, data)


def _starts_a_mailbox(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return looks_like_mbox(handle.read(4096))
    except OSError:
        return False


def read_file(path: Path, display_path: str | None = None) -> SourceDocument | Skipped:
    """Read one file into a ``SourceDocument``, or say in one line why it was skipped.

    A container (an e-mail, a mailbox) gives its first message here; ``read_documents``
    gives every document it holds.
    """
    items = read_documents(path, display_path)
    return next((item for item in items if isinstance(item, SourceDocument)), items[0])


def read_documents(path: Path, display_path: str | None = None) -> list[SourceDocument | Skipped]:
    """Every document one file holds, in order, or the one line saying why the file was skipped.

    Most files hold one document. A container (a mailbox, an e-mail with attachments)
    holds several: each gets its own ``path`` under the file's ("mail.eml › notes.pdf")
    and cites the document it came in (``container``); a part that cannot be read is a
    ``Skipped`` of its own beside the parts that can.
    """
    # The name as one printable line: undecodable bytes and control characters in a
    # file name are escaped, so the JSON dump, the store and the terminal take it.
    shown = printable(display_path) if display_path else _display(path)
    loaded = _load(path, shown)
    if isinstance(loaded, Skipped):
        return [loaded]
    info, data, reader = loaded
    digest = hashlib.sha1(data).hexdigest()
    items: list[SourceDocument | Skipped]
    if reader in CONTAINERS.values():
        items = _read_container(path, shown, data, reader, None, 0)  # type: ignore[arg-type]
    else:
        doc = _guarded(shown, lambda: reader(path, data))  # type: ignore[arg-type,return-value]
        if isinstance(doc, SourceDocument):
            _tidy(doc)
            doc.path = shown
        items = [doc]  # type: ignore[list-item]
    for item in items:
        if isinstance(item, SourceDocument):
            # Every document of a file carries the file's size, time and hash (the store's unit of change).
            item.size, item.mtime, item.sha1 = info.st_size, info.st_mtime, digest
    return items


def _read_container(path: Path, shown: str, data: bytes, reader: ContainerReader, container: str | None,
                    depth: int) -> list[SourceDocument | Skipped]:
    """The documents of a container's bytes: its messages, then what each carries, depth first."""
    messages = _guarded(shown, lambda: reader(path, data))
    if isinstance(messages, Skipped):
        return [messages]
    out: list[SourceDocument | Skipped] = []
    for message in messages:  # type: ignore[union-attr]
        out.extend(_expand(message, path, shown, container, depth))
    return out


def _unique(name: str, taken: set[str]) -> str:
    """An attachment's name as one printable line, made unique among its siblings ("notes (2).pdf")."""
    name = printable(" ".join(name.replace("\\", "/").rsplit("/", 1)[-1].split())) or "attachment"
    candidate, number = name, 1
    stem, dot, suffix = name.rpartition(".")
    while candidate in taken:
        number += 1
        candidate = f"{stem} ({number}).{suffix}" if dot and stem else f"{name} ({number})"
    taken.add(candidate)
    return candidate


def _expand(message: Message, path: Path, shown: str, container: str | None,
            depth: int) -> list[SourceDocument | Skipped]:
    here = f"{shown}{SEPARATOR}{printable(message.label)}" if message.label else shown
    if message.document is None:
        return [Skipped(here, _reason(message.reason or "unreadable message"))]
    doc = message.document
    _tidy(doc)
    doc.path = here
    doc.container = container
    out: list[SourceDocument | Skipped] = [doc]
    taken: set[str] = set()
    for item in message.attachments:
        if isinstance(item, Message):
            label = _unique(item.label, taken)
            if depth + 1 > MAX_NESTING:
                out.append(Skipped(f"{here}{SEPARATOR}{label}", f"nested too deep (more than {MAX_NESTING} "
                                   "messages inside one another)"))
                continue
            out.extend(_expand(Message(label, item.document, item.reason, item.attachments), path, here, here,
                               depth + 1))
        else:
            out.extend(_read_attachment(item, _unique(item.name, taken), here, depth))
    return out


def _read_attachment(item: Attachment, name: str, container: str, depth: int) -> list[SourceDocument | Skipped]:
    """An attachment read by its name's suffix, as a file of that name would be."""
    shown = f"{container}{SEPARATOR}{name}"
    as_file = Path(name)
    reader = reader_for(as_file)
    if reader is None:
        hint = _HINTS.get(as_file.suffix.lower())
        kind = f"unsupported file type {printable(as_file.suffix) or '(none)'}"
        return [Skipped(shown, f"{kind} ({hint})" if hint else kind)]
    data = item.data
    if not data:
        return [Skipped(shown, "empty file")]
    limit = SIZE_LIMITS.get(reader, MAX_FILE_BYTES)
    if len(data) > limit:
        return [Skipped(shown, _too_large(len(data), limit))]
    reader = _sniffed(reader, data)
    if reader in CONTAINERS.values():
        if depth + 1 > MAX_NESTING:
            return [Skipped(shown, f"nested too deep (more than {MAX_NESTING} messages inside one another)")]
        items = _read_container(as_file, shown, data, reader, container, depth + 1)  # type: ignore[arg-type]
        for found in items:
            if isinstance(found, SourceDocument) and found.container is None:
                found.container = container
        return items
    doc = _guarded(shown, lambda: reader(as_file, data))  # type: ignore[arg-type,return-value]
    if isinstance(doc, Skipped):
        return [doc]
    assert isinstance(doc, SourceDocument)
    _tidy(doc)
    doc.path = shown
    doc.container = container
    return [doc]


def _display(path: Path) -> str:
    """Paths are shown relative to the working directory when they are under it, as one inert line."""
    return _display_path(path)


def read_paths(paths: Iterable[str | Path]) -> Iterator[SourceDocument | Skipped]:
    """Every file under ``paths`` read, in a stable order; what cannot be read or walked is a ``Skipped``."""
    for item in walk(paths):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from read_documents(item, _display(item))
