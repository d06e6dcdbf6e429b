"""The index run's walk of its folders: every file's size and times, in this process or apart.

A re-index at 100,000 files spends most of a second on the walk (a stat per file)
and as long again reading the previous store's tables: on two cores the two
overlap when the walk runs in another process. A process with one thread forks
one; a process with threads (the interface indexes from a worker thread), where
forking is not safe, starts ``python -m explorer.store.walk`` instead. Either
sends its result back in one compact message (one string of paths, one array
of numbers): pickling 100,000 tuples would cost a fifth of the walk, and as much
again to read them.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from explorer.model import Skipped
from explorer.store.storage import sidecar_folder


@dataclass(slots=True)
class FileState:
    path: str  # absolute
    size: int
    mtime_ns: int
    ctime_ns: int  # changes with permissions too: a file skipped as unreadable is tried again
    sha1: str | None = None  # known without reading the file (a shard's line says it)


def scan(paths: list[Path], db_path: Path) -> Iterator[FileState | Skipped]:
    """Every file under ``paths`` but the store's own, with its size and times, or why it was skipped."""
    from explorer.ingest.files import iter_file_stats

    # A store kept inside its own corpus (--db ./store.json) is not a document,
    # nor are its lock, its folder of tables and bulk files, and temporary files.
    own = os.path.join(os.path.abspath(db_path.parent), db_path.name)  # store.json, store.json.lock, ...
    sidecar = os.path.abspath(sidecar_folder(db_path)) + os.sep
    # The walk's paths are absolute and normal when its roots are: no second stat, no abspath per file.
    for path, stat in iter_file_stats([os.path.abspath(p) for p in paths]):
        if path.startswith(own) and (path.startswith(sidecar) or os.sep not in path[len(own):]):
            continue
        if not path.isascii() and not _utf8(path):
            # The store keeps paths as JSON text: a name in another encoding cannot be kept (or cited).
            yield Skipped(path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
                          "its name is not valid UTF-8: rename the file to index it")
            continue
        if stat is None:
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                yield Skipped(path, "no such file or folder")
                continue
            except OSError as exc:
                yield Skipped(path, exc.strerror or exc.__class__.__name__)
                continue
        yield FileState(path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # a byte the file system name had that is not UTF-8 (a lone surrogate here)
        return False
    return True


def encode_items(items: Iterable[FileState | Skipped]) -> bytes:
    paths: list[str] = []
    numbers = array("q")
    skipped: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, FileState):
            paths.append(item.path)
            numbers.extend((item.size, item.mtime_ns, item.ctime_ns))
        else:
            skipped.append((item.path, item.reason))
    return pickle.dumps(("\0".join(paths), numbers.tobytes(), skipped), protocol=pickle.HIGHEST_PROTOCOL)


def decode_items(payload: bytes) -> list[FileState | Skipped]:
    joined, packed, skipped = pickle.loads(payload)  # our own child's message
    paths = joined.split("\0") if joined else []
    numbers = array("q")
    numbers.frombytes(packed)
    items: list[FileState | Skipped] = list(map(FileState, paths, numbers[0::3], numbers[1::3], numbers[2::3]))
    items.extend(Skipped(path, reason) for path, reason in skipped)
    return items


def walk_apart(walk: Callable[[], Iterable[FileState | Skipped]],
               folders: tuple[list[Path], Path] | None = None) -> Callable[[], list[FileState | Skipped] | None] | None:
    """Start the walk in another process; returns a function that waits for its items (None when
    that process failed: walk here instead), or None when no process could be started.

    ``walk`` runs in a forked child where forking is safe (Linux, one thread); elsewhere, given
    ``folders`` (the roots and the store), ``python -m explorer.store.walk`` walks them.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return _forked(walk)
    if folders is not None:
        return _started(*folders)
    return None


def _forked(walk: Callable[[], Iterable[FileState | Skipped]]) -> Callable[[], list[FileState | Skipped] | None] | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: walk, send, and leave without the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(encode_items(walk()))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def collect() -> list[FileState | Skipped] | None:
        with os.fdopen(read_end, "rb") as incoming:
            payload = incoming.read()
        _, status = os.waitpid(pid, 0)
        return decode_items(payload) if status == 0 and payload else None

    return collect


def _started(roots: list[Path], db_path: Path) -> Callable[[], list[FileState | Skipped] | None] | None:
    try:
        child = subprocess.Popen([sys.executable, "-m", "explorer.store.walk", str(db_path), *map(str, roots)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return None

    def collect() -> list[FileState | Skipped] | None:
        assert child.stdout is not None
        with child.stdout:
            payload = child.stdout.read()
        return decode_items(payload) if child.wait() == 0 and payload else None

    return collect


def main(argv: list[str] | None = None) -> int:
    """``python -m explorer.store.walk STORE ROOT...``: the walk's items on stdout, encoded."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m explorer.store.walk STORE ROOT...", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(encode_items(scan([Path(root) for root in args[1:]], Path(args[0]))))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
