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


def problem(path: Path) -> str | None:
    """Why ``path`` is not a regular file to read, in a few words, or None when it is one.

    The walker yields what it cannot descend into or read (a symlink loop, a folder
    without permission, a FIFO, a saved page's resource folder) as a path, so that
    whoever reads the walk, ``read_paths`` or the store's indexer, reports it in one
    line through ``read_file``, which asks this function.
    """
    try:
        info = path.stat()
    except OSError as exc:
        return _os_reason(exc)
    if stat.S_ISREG(info.st_mode):
        return None
    if not stat.S_ISDIR(info.st_mode):
        return f"{_kind(info.st_mode)} (symlink)" if path.is_symlink() else _kind(info.st_mode)
    try:
        if path.is_symlink() and path.parent.resolve().is_relative_to(path.resolve()):
            return "symlink loop (links back to a folder above it)"
    except (OSError, RuntimeError):
        return "symlink loop"
    page = _saved_page_folder(path.name, set(_siblings(path)))
    if page is not None:
        return f"images and scripts of the saved page {printable(page)}"
    try:
        with os.scandir(path):
            pass
    except OSError as exc:
        return f"folder not readable: {_os_reason(exc)}"
    return "a folder, not a file"


def _siblings(path: Path) -> list[str]:
    stem = path.name
    for suffix in _SAVED_PAGE_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            return [stem + page for page in _PAGE_SUFFIXES if (path.parent / (stem + page)).is_file()]
    return []


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file under ``paths`` to read, in a stable (sorted) order, depth first.

    Hidden files and folders are passed over silently unless named explicitly.
    Symlinked folders are followed, except one that links back to a folder above
    it. What cannot be walked or read (that loop, a folder without permission, a
    FIFO, a broken link, a saved page's ``NAME_files`` folder) is yielded too, as
    is, so that ``read_file`` reports it in one line (see ``problem``) instead of
    it vanishing from the run.
    """
    for path, _ in iter_file_stats(paths):
        yield Path(path)


def iter_file_stats(paths: Iterable[str | Path]) -> Iterator[tuple[str, os.stat_result | None]]:
    """``iter_files`` as (path, its ``stat`` following links, or None when that failed).

    The walk stats every entry anyway (to tell folders from files); the store's
    indexer compares sizes and times from the same result instead of asking again.
    """
    for raw in paths:
        path = os.fspath(raw)
        try:
            info = os.stat(path)
        except OSError:
            yield path, None
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(path, info)
        else:
            yield path, info


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """``iter_files`` with what cannot be read already turned into a ``Skipped``."""
    for path in iter_files(paths):
        reason = problem(path)
        yield path if reason is None else Skipped(display_path(path), reason)


def _list_folder(folder: str | Path) -> list[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as scan:
            return sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return None


def _walk_folder(folder: str, info: os.stat_result) -> Iterator[tuple[str, os.stat_result | None]]:
    """Depth first, in name order, with an explicit stack (no recursion limit on deep trees)."""
    listed = _list_folder(folder)
    if listed is None:
        yield folder, info
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
        path = entry.path
        try:
            child = entry.stat(follow_symlinks=True)
        except OSError:
            yield path, None  # a broken link or a loop of links: read_file says which
            continue
        if not stat.S_ISDIR(child.st_mode):
            yield path, child
            continue
        child_key = (child.st_dev, child.st_ino)
        if any(frame[0] == child_key for frame in stack) or _saved_page_folder(entry.name, names):
            yield path, child
            continue
        sub = _list_folder(path)
        if sub is None:
            yield path, child
            continue
        stack.append((child_key, sub, {e.name for e in sub}, 0))
