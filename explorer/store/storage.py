"""A TinyDB storage that a crash cannot truncate.

TinyDB's ``JSONStorage`` rewrites the file in place, so a crash mid-write leaves
half a JSON document (tinydb issue #301). ``AtomicJSONStorage`` writes the whole
database to a temporary file in the same folder, fsyncs it, then ``os.replace``s
it over the old file: a reader (or the next run) sees the old state or the new
one, never a mix. orjson keeps the (de)serialisation of a large store fast.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

TEMP_SUFFIX = ".tmp"


def temp_path_for(path: Path) -> Path:
    """The temporary file a writer uses; hidden, and named by pid so two writers never share it."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files left by writers that were killed before their rename."""
    return sorted(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many containers.

    Parsing a store creates hundreds of thousands of lists and dicts, none of
    them cyclic; each would trigger the collector, which doubles the parse time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fsync_folder(folder: Path) -> None:
    # The rename itself must reach the disk, or a power cut can undo it.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves the old or the new file."""
    temp = temp_path_for(path)
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(path.parent)


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, whole-file atomic replace on every write.

    Pair it with ``CachingMiddleware`` so one index run costs one write.
    """

    def __init__(self, path: str | os.PathLike[str], access_mode: str = "r+", **_: Any) -> None:
        self.path = Path(path)
        self.read_only = access_mode == "r"

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        # An empty file is not a valid store: with atomic writes it can only be
        # someone else's file, so it is reported as corrupt (orjson raises).
        with gc_paused():
            return orjson.loads(data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            raise PermissionError(f"{self.path} is opened read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.path, orjson.dumps(data))

    def close(self) -> None:
        pass
