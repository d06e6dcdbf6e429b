"""Files of a store, each written so that a crash cannot leave a half-written state.

A store is a small root file (``store.json``) and a folder beside it
(``store.json.d/``):

- ``TableFilesStorage`` is a TinyDB storage: the root holds the ``meta``
  table inline and names one JSON file per other table; a table's file is read
  the first time the table is asked for, and on a write only the tables that
  changed get a new file. So opening a store reads a few hundred bytes, and
  reading the entities does not read the documents.
- Bulk data lives in immutable files beside the tables: document records
  appended to *segments* (``SegmentWriter``; one segment per index run, merged
  when there are many) and numpy arrays in one *pack* per run
  (``write_pack``/``read_pack``), memory-mapped by readers.

Every file but the root is written under a fresh name and never changed; the
root is replaced last (``atomic_write_bytes``: temporary file, fsync, rename),
so a reader or the next run sees the old state or the new one, never a mix.
Readers open every file the root names when they read the root and keep the
descriptors, so a writer removing an old file afterwards does not disturb them.

``AtomicJSONStorage`` (one JSON file, replaced whole) is the building block for
the root and for stores of other tools.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any, overload

import orjson
from tinydb.storages import Storage

from explorer.gcpause import gc_paused

TEMP_SUFFIX = ".tmp"
ROOT_FORMAT = "explorer-store/6"
# Tables kept in the root itself (tiny, read by every open); every other table has a file.
INLINE_TABLES = frozenset({"meta"})


def temp_path_for(path: Path) -> Path:
    """The temporary file a writer uses; hidden, and named by pid so two writers never share it."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files left by writers that were killed before their rename."""
    return sorted(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"))


def sidecar_folder(path: Path) -> Path:
    """The folder of a store's table and bulk files: ``store.json.d`` beside ``store.json``."""
    return path.with_name(path.name + ".d")


def fresh_name(prefix: str, suffix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:16]}{suffix}"




def fsync_folder(folder: Path) -> None:
    # A rename or a new file must reach the disk, or a power cut can undo it.
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
    fsync_folder(path.parent)


def write_new_file(path: Path, chunks: Iterable[bytes | memoryview]) -> int:
    """Write a file under a name nothing refers to yet, fsynced; returns its size.

    A crash leaves at most an unreferenced file, removed by the next writer.
    """
    size = 0
    try:
        with open(path, "xb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return size


class AtomicJSONStorage(Storage):
    """TinyDB storage: one orjson file, whole-file atomic replace on every write.

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


# --- the TinyDB storage of a store: a root and one file per table ---------------------------


class StoreFormatError(ValueError):
    """The root or a table file is not what a store writes (damaged, foreign, or missing)."""


class _OpenFile:
    """A descriptor kept open so the file stays readable after a writer removes it."""

    __slots__ = ("fd", "name")

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.fd = -1
        self.fd = os.open(folder / name, os.O_RDONLY)

    def read_all(self) -> bytes:
        size = os.fstat(self.fd).st_size
        data = os.pread(self.fd, size, 0)
        while len(data) < size:  # pread may return less on some file systems
            more = os.pread(self.fd, size - len(data), len(data))
            if not more:
                break
            data += more
        return data

    def pread(self, offset: int, size: int) -> bytes:
        data = os.pread(self.fd, size, offset)
        while len(data) < size:
            more = os.pread(self.fd, size - len(data), offset + len(data))
            if not more:
                break
            data += more
        return data

    def map(self) -> mmap.mmap | bytes:
        if os.fstat(self.fd).st_size == 0:
            return b""
        return mmap.mmap(self.fd, 0, access=mmap.ACCESS_READ)

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


class StoreTables(MutableMapping[str, dict[str, Any]]):
    """The tables of one published state of a store; a table's file is read on first use.

    What TinyDB's ``Storage.read`` returns. Assigning a table (as TinyDB does
    on every insert) marks it changed, so ``write`` gives it a new file and
    keeps the files of the others.
    """

    def __init__(self, folder: Path, inline: dict[str, dict[str, Any]], files: dict[str, str],
                 extra: dict[str, Any], opened: dict[str, _OpenFile]) -> None:
        self.folder = folder
        self._inline = inline
        self.files = dict(files)  # table -> file name, for tables unchanged since the read
        self.extra = extra  # the root's other keys (bulk files), carried to the next write
        self._opened = opened
        self._loaded: dict[str, dict[str, Any]] = {}
        self._serialized: dict[str, bytes] = {}  # tables given as their JSON (``set_serialized``)

    def __getitem__(self, name: str) -> dict[str, Any]:
        if name in self._inline:
            return self._inline[name]
        table = self._loaded.get(name)
        if table is not None:
            return table
        if name in self._serialized:
            with gc_paused():
                table = self._loaded[name] = orjson.loads(self._serialized.pop(name))
            return table
        file_name = self.files.get(name)
        if file_name is None:
            raise KeyError(name)
        handle = self._opened.get(file_name)
        try:
            if handle is None:
                handle = self._opened[file_name] = _OpenFile(self.folder, file_name)
            with gc_paused():
                table = orjson.loads(handle.read_all())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreFormatError(f"table {name} ({file_name}) cannot be read: {exc}") from exc
        if not isinstance(table, dict):
            raise StoreFormatError(f"table {name} ({file_name}) is not a table")
        self._loaded[name] = table
        return table

    def __setitem__(self, name: str, table: dict[str, Any]) -> None:
        if name in INLINE_TABLES:
            self._inline[name] = table
            return
        self.files.pop(name, None)
        self._serialized.pop(name, None)
        self._loaded[name] = table

    def serialized(self, name: str) -> bytes | None:
        """A table's JSON as stored (its file read, not parsed); None for a table not in a file."""
        file_name = self.files.get(name)
        if file_name is None or name in self._loaded:
            return None
        try:
            return self.opened(file_name).read_all()
        except OSError as exc:
            raise StoreFormatError(f"table {name} ({file_name}) cannot be read: {exc}") from exc

    def set_serialized(self, name: str, data: bytes) -> None:
        """Replace a table by its JSON, written as given: a writer that changed a few rows of a big
        table in place need not parse and serialise all of them."""
        self.files.pop(name, None)
        self._loaded.pop(name, None)
        self._serialized[name] = data

    def serialized_change(self, name: str) -> bytes | None:
        return self._serialized.get(name)

    def forget(self, name: str) -> None:
        """Drop a table read from its file (read again if asked for): a reader that made its own
        objects of the rows need not keep both."""
        if name in self.files:
            self._loaded.pop(name, None)

    def __delitem__(self, name: str) -> None:
        found = name in self
        self._inline.pop(name, None)
        self.files.pop(name, None)
        self._loaded.pop(name, None)
        self._serialized.pop(name, None)
        if not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._inline), **dict.fromkeys(self.files), **dict.fromkeys(self._loaded),
                     **dict.fromkeys(self._serialized)})

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, name: object) -> bool:
        return name in self._inline or name in self.files or name in self._loaded or name in self._serialized

    def is_loaded(self, name: str) -> bool:
        return name in self._inline or name in self._loaded

    def opened(self, file_name: str) -> _OpenFile:
        """A file of this state (a table's or a bulk file), opened when the root was read."""
        handle = self._opened.get(file_name)
        if handle is None:
            handle = self._opened[file_name] = _OpenFile(self.folder, file_name)
        return handle

    def referenced_files(self) -> set[str]:
        return set(self.files.values()) | set(bulk_files(self.extra))


def bulk_files(extra: dict[str, Any]) -> list[str]:
    """The bulk files a root names (segments and packs) besides its tables."""
    names: list[str] = []
    for value in extra.values():
        if isinstance(value, str) and value.endswith((".seg", ".pack")):
            names.append(value)
        elif isinstance(value, list):
            names.extend(v for v in value if isinstance(v, str) and v.endswith((".seg", ".pack")))
    return names


def read_root(path: Path) -> dict[str, Any] | None:
    """The parsed root file; None when missing; orjson.JSONDecodeError when damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    with gc_paused():
        return orjson.loads(data)


def open_tables(path: Path, attempts: int = 5) -> StoreTables | None:
    """Read the root and open every file it names (see the module's docstring); None without a root.

    A writer may publish a new root and remove the old files between our read of
    the root and our opening them: then the root is read again.
    """
    folder = sidecar_folder(path)
    for attempt in range(attempts):
        root = read_root(path)
        if root is None:
            return None
        if not isinstance(root, dict):
            raise StoreFormatError("not a store")
        files = root.get("_tables", {})
        extra = root.get("_bulk", {})
        if not isinstance(files, dict) or not isinstance(extra, dict):
            raise StoreFormatError("damaged root")
        inline = {name: table for name, table in root.items() if not name.startswith("_")}
        opened: dict[str, _OpenFile] = {}
        try:
            for name in [*files.values(), *bulk_files(extra)]:
                opened[name] = _OpenFile(folder, name)
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise StoreFormatError(f"a file of the store is missing ({folder})") from None
            continue
        except OSError as exc:
            raise StoreFormatError(f"cannot open the store's files in {folder}: {exc.strerror or exc}") from exc
        return StoreTables(folder, inline, files, extra, opened)
    return None


class TableFilesStorage(Storage):
    """TinyDB storage over a root file and one JSON file per table (see the module's docstring).

    ``bulk`` (set by the writer before the last flush) names the bulk files the
    new state refers to; files of the folder that no published state names any
    more are removed after the root is replaced.
    """

    def __init__(self, path: str | os.PathLike[str], access_mode: str = "r+", fresh: bool = False,
                 **_: Any) -> None:
        self.path = Path(path)
        self.folder = sidecar_folder(self.path)
        self.read_only = access_mode == "r"
        self._tables: StoreTables | None = None
        if fresh:  # a rebuild: the previous state (maybe of another format, or damaged) is not read
            self._tables = StoreTables(self.folder, {}, {}, {}, {})
        self.bulk: dict[str, Any] | None = None

    def read(self) -> StoreTables | None:
        if self._tables is None:
            self._tables = open_tables(self.path)
        return self._tables

    def write(self, data: MutableMapping[str, dict[str, Any]],
              before_publish: Callable[[], object] | None = None) -> None:
        """Write the changed tables' files, then replace the root; ``before_publish`` runs between
        (a writer waits there for bulk files it writes meanwhile)."""
        if self.read_only:
            raise PermissionError(f"{self.path} is opened read-only")
        self.folder.mkdir(parents=True, exist_ok=True)
        previous = data.files if isinstance(data, StoreTables) else {}
        extra = self.bulk if self.bulk is not None else (data.extra if isinstance(data, StoreTables) else {})
        root: dict[str, Any] = {"_format": ROOT_FORMAT}
        files: dict[str, str] = {}
        written: list[Path] = []
        try:
            for name in list(data):
                if name in INLINE_TABLES:
                    root[name] = data[name]
                elif name in previous:
                    files[name] = previous[name]
                else:
                    file_name = fresh_name(name, ".json")
                    given = data.serialized_change(name) if isinstance(data, StoreTables) else None
                    write_new_file(self.folder / file_name, [given if given is not None else orjson.dumps(data[name])])
                    written.append(self.folder / file_name)
                    files[name] = file_name
            if before_publish is not None:
                before_publish()
            root["_tables"] = files
            root["_bulk"] = extra
            fsync_folder(self.folder)
            atomic_write_bytes(self.path, orjson.dumps(root))
        except BaseException:
            for file in written:
                with contextlib.suppress(OSError):
                    file.unlink()
            raise
        keep = set(files.values()) | set(bulk_files(extra))
        remove_unreferenced(self.folder, keep)
        self._tables = None  # the next read sees the published state

    def close(self) -> None:
        pass


def remove_unreferenced(folder: Path, keep: set[str]) -> None:
    """Remove the files of a store's folder that its published root does not name.

    Only the writer (holding the store's lock) calls this. Readers of an older
    state keep their descriptors, so the files they read stay readable to them.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in keep and not name.startswith("search"):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


# --- packs: named numpy arrays in one file, memory-mapped ------------------------------------

PACK_MAGIC = b"EXPLPACK1\n"
_ALIGN = 64


def write_pack(path: Path, arrays: dict[str, Any]) -> int:
    """Write numpy arrays (C-contiguous, any fixed-size dtype) into one new file; returns its size."""
    import numpy as np

    header: dict[str, list[Any]] = {}
    offset = 0
    prepared: list[tuple[int, Any]] = []
    for name, value in arrays.items():
        array = np.ascontiguousarray(value)
        header[name] = [array.dtype.str, list(array.shape), offset, array.nbytes]
        prepared.append((offset, array))
        offset += (array.nbytes + _ALIGN - 1) // _ALIGN * _ALIGN
    head = orjson.dumps(header)
    start = (len(PACK_MAGIC) + 8 + len(head) + _ALIGN - 1) // _ALIGN * _ALIGN

    def chunks() -> Iterator[bytes | memoryview]:
        prefix = PACK_MAGIC + len(head).to_bytes(8, "little") + head
        yield prefix + b"\0" * (start - len(prefix))
        position = 0
        for at, array in prepared:
            if at > position:
                yield b"\0" * (at - position)
            data = memoryview(array).cast("B") if array.nbytes else b""
            yield data
            position = at + array.nbytes

    return write_new_file(path, chunks())


def read_pack(buffer: mmap.mmap | bytes) -> dict[str, Any]:
    """The arrays of a pack, as read-only views of ``buffer`` (a memory map: nothing is copied)."""
    import numpy as np

    if buffer[: len(PACK_MAGIC)] != PACK_MAGIC:
        raise StoreFormatError("not an array pack")
    size = int.from_bytes(buffer[len(PACK_MAGIC) : len(PACK_MAGIC) + 8], "little")
    head_start = len(PACK_MAGIC) + 8
    try:
        header = orjson.loads(buffer[head_start : head_start + size])
    except orjson.JSONDecodeError as exc:
        raise StoreFormatError("damaged array pack") from exc
    start = (head_start + size + _ALIGN - 1) // _ALIGN * _ALIGN
    arrays: dict[str, Any] = {}
    for name, (dtype, shape, offset, nbytes) in header.items():
        if start + offset + nbytes > len(buffer):
            raise StoreFormatError("truncated array pack")
        count = int(np.prod(shape)) if shape else 1
        arrays[name] = np.frombuffer(buffer, dtype=np.dtype(dtype), count=count, offset=start + offset).reshape(shape)
    return arrays


def string_table(values: Iterable[str]) -> tuple[Any, Any]:
    """Strings as one UTF-8 blob and their end offsets, for a pack (``StringTable`` reads them back)."""
    import numpy as np

    if isinstance(values, StringTable):  # written again as it is: no string decoded
        return np.array(values._blob, dtype=np.uint8), np.array(values._ends, dtype=np.int64)
    encoded = [value.encode("utf-8", "surrogatepass") for value in values]
    ends = np.cumsum([len(e) for e in encoded], dtype=np.int64) if encoded else np.empty(0, np.int64)
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), ends


class StringTable(Sequence[str]):
    """Strings in one UTF-8 blob with end offsets, decoded one at a time (a memory map stays unread)."""

    def __init__(self, blob: Any, ends: Any) -> None:  # numpy arrays (uint8 blob, int64 ends)
        self._blob = blob
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return iter(self.all())

    def extended(self, more: Sequence[str]) -> StringTable:
        """These strings then ``more``, without decoding these."""
        import numpy as np

        blob, ends = string_table(more)
        base = int(self._ends[-1]) if len(self._ends) else 0
        return StringTable(np.concatenate((np.asarray(self._blob, dtype=np.uint8), blob)),
                           np.concatenate((np.asarray(self._ends, dtype=np.int64), ends + base)))

    def all(self) -> list[str]:
        """Every string at once (one pass over the blob, not one array lookup each)."""
        data = self._blob.tobytes()
        ends = self._ends.tolist()
        starts = [0, *ends[:-1]] if ends else []
        return [data[start:end].decode("utf-8", "surrogatepass") for start, end in zip(starts, ends, strict=True)]

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._ends)
        start = int(self._ends[index - 1]) if index > 0 else 0
        return self._blob[start : int(self._ends[index])].tobytes().decode("utf-8", "surrogatepass")



# --- segments: document records appended to a file, read by (offset, length) ----------------


class SegmentWriter:
    """Appends records to a new segment file; ``finish`` fsyncs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self._handle = open(path, "xb")  # noqa: SIM115  (closed in finish/abort)
        self.size = 0

    def append(self, record: bytes) -> tuple[int, int]:
        offset = self.size
        self._handle.write(record)
        self.size += len(record)
        return offset, len(record)

    def flush(self) -> None:
        if not self._handle.closed:
            self._handle.flush()

    def finish(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._handle.close()
        with contextlib.suppress(OSError):
            self.path.unlink()
