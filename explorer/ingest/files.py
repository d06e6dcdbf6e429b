"""Walking the user's paths: stable order, hidden files skipped, every problem one line.

``walk`` yields the regular files under the given paths in a stable (sorted) order
and, in between, a ``Skipped`` for whatever cannot be walked: a folder without
permission, a symlink loop, a broken link, a FIFO or device. Symlinked folders are
followed once; a link back to a folder already being walked is reported, never
followed, so a loop cannot trap the walk.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from explorer.model import Skipped

# Folders that a browser's "Save page as… (complete)" writes next to NAME.html.
_SAVED_PAGE_SUFFIXES = ("_files", "-Dateien", "_fichiers", "-archivos", "_archivos", "_bestanden", "_file")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def display_path(path: str | Path) -> str:
    """``path`` as one printable line: relative to the working folder when under it.

    Undecodable bytes in a name are shown as ``\\xNN`` and control characters
    (a newline or an escape sequence in a file name) as ``\\n``/``\\x1b``, so a
    hostile name can neither break the one-line report nor drive the terminal.
    """
    raw = str(path)
    try:
        shown = os.path.relpath(raw)
        if shown.startswith(".." + os.sep) or shown == "..":
            shown = raw
    except ValueError:
        shown = raw
    return printable(shown)


def printable(text: str) -> str:
    """Escape surrogates and C0/C1 control characters; everything else unchanged."""
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte under surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(repr(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder (or a broken symlink)"
    return (exc.strerror or exc.__class__.__name__).lower()


def _saved_page_folder(folder: str, names: set[str]) -> str | None:
    """The page a ``NAME_files`` folder belongs to, when ``NAME.html`` sits beside it."""
    for suffix in _SAVED_PAGE_SUFFIXES:
        if folder.endswith(suffix):
            stem = folder[: -len(suffix)]
            for page_suffix in _PAGE_SUFFIXES:
                if stem + page_suffix in names:
                    return stem + page_suffix
    return None


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Every regular file under ``paths`` (sorted), and a ``Skipped`` for what cannot be walked.

    Hidden files and folders are passed over silently unless named explicitly.
    """
    for raw in paths:
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            yield Skipped(display_path(path), _os_reason(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(path, info)
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield Skipped(display_path(path), _kind(info.st_mode))


def _list_folder(folder: Path) -> list[os.DirEntry[str]] | Skipped:
    try:
        with os.scandir(folder) as scan:
            return sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        return Skipped(display_path(folder), f"folder not readable: {_os_reason(exc)}")


def _walk_folder(folder: Path, info: os.stat_result) -> Iterator[Path | Skipped]:
    """Depth first, in name order, with an explicit stack (no recursion limit on deep trees)."""
    listed = _list_folder(folder)
    if isinstance(listed, Skipped):
        yield listed
        return
    # Each frame: the folder's identity, its sorted entries, their names, the next index.
    stack: list[tuple[tuple[int, int], list[os.DirEntry[str]], set[str], int]] = [
        ((info.st_dev, info.st_ino), listed, {entry.name for entry in listed}, 0)
    ]
    while stack:
        key, entries, names, index = stack[-1]
        if index >= len(entries):
            stack.pop()
            continue
        stack[-1] = (key, entries, names, index + 1)
        entry = entries[index]
        if _hidden(entry.name):
            continue
        path = Path(entry.path)
        try:
            is_link = entry.is_symlink()
            child = entry.stat(follow_symlinks=True)
        except OSError as exc:
            yield Skipped(display_path(path), _os_reason(exc))
            continue
        if stat.S_ISDIR(child.st_mode):
            child_key = (child.st_dev, child.st_ino)
            if any(frame[0] == child_key for frame in stack):
                yield Skipped(display_path(path), "symlink loop (links back to a folder above it)")
                continue
            page = _saved_page_folder(entry.name, names)
            if page is not None:
                yield Skipped(display_path(path), f"images and scripts of the saved page {printable(page)}")
                continue
            sub = _list_folder(path)
            if isinstance(sub, Skipped):
                yield sub
                continue
            stack.append((child_key, sub, {e.name for e in sub}, 0))
        elif stat.S_ISREG(child.st_mode):
            yield path
        else:
            what = _kind(child.st_mode)
            yield Skipped(display_path(path), f"{what} (symlink)" if is_link else what)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Only the regular files of ``walk`` (what cannot be walked is dropped silently)."""
    for item in walk(paths):
        if isinstance(item, Path):
            yield item
