"""Readers by file type: each turns raw bytes into a ``SourceDocument``.

A reader raises ``UnreadableFile`` with a short reason ("empty file", "binary
file", ...) and never lets another exception escape: ``read_file`` turns any
surprise into a ``Skipped`` so one bad file never stops a run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from explorer.ingest.files import iter_files
from explorer.ingest.page import analyse_page
from explorer.model import Skipped, SourceDocument

# Files above this size are skipped rather than read whole into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


class UnreadableFile(Exception):
    """A file that cannot be read as a document; the message is the one-line reason."""


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM is text
        return False
    if b"\x00" in head:
        # A few stray NULs in text are tolerated; many mean a binary format.
        return head.count(b"\x00") > max(8, len(head) // 100)
    return False


def decode_text(data: bytes) -> str:
    """Decode bytes of a text file: BOMs first, then UTF-8, then charset detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1024 * 1024]).best()
    if best is None:
        raise UnreadableFile("undecodable text (no known encoding fits)")
    return data.decode(best.encoding, errors="replace")


def read_text(path: Path, data: bytes) -> SourceDocument:
    if _looks_binary(data):
        raise UnreadableFile("binary file, not text")
    text = decode_text(data)
    # NUL and other C0 controls stay in the text (offsets stay true); the
    # interface shows them as control pictures.
    if not text.strip():
        raise UnreadableFile("no text (only whitespace)")
    doc = SourceDocument(path=str(path), text=text, format="text")
    analyse_page(doc)
    return doc


Reader = Callable[[Path, bytes], SourceDocument]

# Suffix (lower case, with the dot) -> reader. Other formats register here.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".markdown": read_text,
    "": read_text,
}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())


def read_file(path: Path, display_path: str | None = None) -> SourceDocument | Skipped:
    """Read one file into a ``SourceDocument``, or say in one line why it was skipped."""
    shown = display_path or str(path)
    reader = reader_for(path)
    if reader is None:
        return Skipped(shown, f"unsupported file type {path.suffix or '(none)'}")
    try:
        stat = path.stat()
        if stat.st_size == 0:
            return Skipped(shown, "empty file")
        if stat.st_size > MAX_FILE_BYTES:
            return Skipped(shown, f"too large ({stat.st_size // (1024 * 1024)} MB > {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        with open(path, "rb") as handle:
            data = handle.read()
        doc = reader(path, data)
    except UnreadableFile as exc:
        return Skipped(shown, str(exc))
    except PermissionError:
        return Skipped(shown, "permission denied")
    except OSError as exc:
        return Skipped(shown, exc.strerror or exc.__class__.__name__)
    except Exception as exc:  # a reader's bug must not stop the run
        return Skipped(shown, f"could not be read ({exc.__class__.__name__}: {exc})"[:200])
    doc.path = shown
    doc.size = stat.st_size
    doc.mtime = stat.st_mtime
    doc.sha1 = hashlib.sha1(data).hexdigest()
    return doc


def _display(path: Path) -> str:
    """Paths are shown relative to the working directory when they are under it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_paths(paths: Iterable[str | Path]) -> Iterator[SourceDocument | Skipped]:
    for path in iter_files(paths):
        shown = _display(path)
        if not path.exists():
            yield Skipped(shown, "no such file or folder")
            continue
        yield read_file(path, shown)
