"""The user's own tables: entity corrections and document marks, in a small file beside the store.

``<store>.user.json`` is a TinyDB file of its own, written atomically (the whole
file to a temporary one, fsynced, renamed over) under its own lock, and never by
the indexer. Keeping it apart is what makes corrections safe: an indexer that
replaces the corpus store (an update, a rebuild after an extractor upgrade, a
rebuild of a corrupt store) never reads or writes this file, so a correction made
while it runs cannot be lost, and deleting the store to start afresh keeps them.

Corrections name entities by canonical name, type and aliases, never by internal
id (see ``explorer.model.EntityRef``); ``explorer.store.corrected`` applies them.
The same rows, one JSON object per correction, are what ``explorer corrections
export`` writes and ``import`` reads, so a team can share them.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB

from explorer.model import (
    CORRECTION_ACTIONS,
    ENTITY_TYPES,
    Correction,
    DocumentMarks,
    EntityRef,
)
from explorer.store.api import StoreError
from explorer.store.storage import AtomicJSONStorage

USER_SUFFIX = ".user.json"
CORRECTIONS = "corrections"
MARKS = "marks"
EXPORT_FORMAT = "explorer-corrections"
EXPORT_VERSION = 1
# The field that carries a correction's value, by action, in the JSON rows.
_VALUE_KEYS = {"merge": "name", "rename": "name", "retype": "type", "split": "alias"}


def user_path_for(store_path: Path) -> Path:
    """The user's file of a store: ``<store>.user.json`` beside it."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + USER_SUFFIX)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- corrections as JSON rows -----------------------------------------------------------------


def correction_to_dict(correction: Correction) -> dict[str, Any]:
    """A correction as a readable JSON object (the row stored and exported)."""
    row: dict[str, Any] = {"id": correction.correction_id, "created": correction.created,
                           "action": correction.action}
    if correction.entities:
        row["entities"] = [{"name": ref.name, "type": ref.type, "aliases": list(ref.aliases)}
                           for ref in correction.entities]
    if correction.surface is not None:
        row["surface"] = correction.surface
    key = _VALUE_KEYS.get(correction.action)
    if key is not None and correction.value is not None:
        row[key] = correction.value
    return row


def correction_from_dict(row: Any) -> Correction:
    """A correction from its JSON object; ``ValueError`` with a short reason when it is malformed."""
    if not isinstance(row, dict):
        raise ValueError("not an object")
    action = row.get("action")
    if action not in CORRECTION_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    refs: list[EntityRef] = []
    for item in row.get("entities") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise ValueError("an entity without a name")
        if item.get("type") not in ENTITY_TYPES:
            raise ValueError(f"entity {item['name']!r} has no known type ({item.get('type')!r})")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise ValueError(f"entity {item['name']!r} has malformed aliases")
        refs.append(EntityRef(item["name"], item["type"], list(aliases)))
    key = _VALUE_KEYS.get(action)
    value = row.get(key) if key else None
    surface = row.get("surface")
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{action}: {key} must be a non-empty string")
    if surface is not None and (not isinstance(surface, str) or not surface.strip()):
        raise ValueError(f"{action}: surface must be a non-empty string")
    if action == "merge" and len(refs) < 2:
        raise ValueError("merge names fewer than two entities")
    if action in ("rename", "retype", "split") and (len(refs) != 1 or value is None):
        raise ValueError(f"{action} needs one entity and a {key}")
    if action == "retype" and value not in ENTITY_TYPES:
        raise ValueError(f"retype to unknown type {value!r}")
    if action in ("hide", "unhide") and (len(refs) == 1) == (surface is not None):
        raise ValueError(f"{action} needs one entity or a surface")
    return Correction(action=action, entities=refs, value=value, surface=surface,
                      correction_id=str(row.get("id") or ""), created=str(row.get("created") or ""))


def _content_key(correction: Correction) -> bytes:
    """What a correction does, without its id and time: two equal ones are one when importing."""
    row = correction_to_dict(correction)
    row.pop("id", None)
    row.pop("created", None)
    return orjson.dumps(row, option=orjson.OPT_SORT_KEYS)


def export_document(corrections: Iterable[Correction]) -> bytes:
    """The shareable file: indented JSON, one object per correction, oldest first."""
    payload = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
               "corrections": [correction_to_dict(c) for c in corrections]}
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"


def read_export(path: Path) -> list[Correction]:
    """The corrections of an exported file; ``ValueError`` naming the file and the reason."""
    try:
        payload = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise ValueError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc.msg})") from exc
    rows = payload.get("corrections") if isinstance(payload, dict) else payload
    if not isinstance(rows, list):
        raise ValueError(f"{path}: not a corrections file (no \"corrections\" list)")
    corrections = []
    for number, row in enumerate(rows, 1):
        try:
            corrections.append(correction_from_dict(row))
        except ValueError as exc:
            raise ValueError(f"{path}: correction {number}: {exc}") from None
    return corrections


# -- the file ---------------------------------------------------------------------------------

WRITING_SUFFIX = ".writing"


def write_atomically(path: Path, data: bytes) -> None:
    """``atomic_write_bytes`` with a temporary file of the user file's own name.

    The indexer deletes ``.<store>.*.tmp`` (temporaries of writers killed before their
    rename), which would match ``.<store>.user.json.<pid>.tmp``: an index run starting
    while a correction is being written must not delete it, so ours end differently.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{WRITING_SUFFIX}")
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
    if os.name == "posix":  # the rename itself must reach the disk
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


class UserJSONStorage(AtomicJSONStorage):
    """``AtomicJSONStorage`` writing through ``write_atomically``."""

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            raise PermissionError(f"{self.path} is opened read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, orjson.dumps(data))


class UserStore:
    """The corrections and document marks of one store, in ``<store>.user.json``.

    Reads take no lock (the file is replaced atomically, so a reader sees the old or
    the new state); every change takes the file's lock, reads the file afresh and
    writes it whole, so two explorers correcting at once both keep their changes.
    """

    def __init__(self, store_path: Path, wait_seconds: float = 10.0) -> None:
        self.path = user_path_for(store_path)
        self.wait_seconds = wait_seconds

    # -- reading ---------------------------------------------------------------------------

    def _tables(self) -> dict[str, dict[str, Any]]:
        try:
            data = AtomicJSONStorage(self.path, access_mode="r").read()
        except orjson.JSONDecodeError as exc:
            raise StoreError(f"the corrections file {self.path} is corrupt ({exc.msg}); it is left as it is, "
                             "move it away to start afresh", self.path) from exc
        except OSError as exc:
            raise StoreError(f"cannot read the corrections file {self.path}: {exc.strerror or exc}",
                             self.path) from exc
        if data is None:
            return {}
        if not isinstance(data, dict) or not all(isinstance(table, dict) for table in data.values()):
            raise StoreError(f"{self.path} is not an explorer corrections file; it is left as it is", self.path)
        return data

    @property
    def version(self) -> int:
        """Changes whenever the file is written (0 when there is none): caches key on it."""
        try:
            return self.path.stat().st_mtime_ns
        except OSError:
            return 0

    def corrections(self) -> list[Correction]:
        """Every correction, oldest first (the order they are applied in)."""
        rows = self._tables().get(CORRECTIONS, {})
        found: list[Correction] = []
        for key in sorted(rows, key=int):
            try:
                found.append(correction_from_dict(rows[key]))
            except ValueError:
                continue  # a row written by a newer explorer: kept in the file, skipped here
        return found

    def marks(self) -> dict[str, DocumentMarks]:
        """Document marks by document path."""
        found = {}
        for row in self._tables().get(MARKS, {}).values():
            if isinstance(row, dict) and isinstance(row.get("path"), str):
                found[row["path"]] = DocumentMarks(row["path"], bool(row.get("starred")), bool(row.get("read")),
                                                   [str(tag) for tag in row.get("tags") or []])
        return found

    # -- changing --------------------------------------------------------------------------

    def _open_for_writing(self) -> tuple[FileLock, TinyDB]:
        self._tables()  # a corrupt or foreign file is reported, never written over
        lock = FileLock(str(self.path.with_name(self.path.name + ".lock")))
        try:
            lock.acquire(timeout=self.wait_seconds)
        except Timeout:
            raise StoreError(f"the corrections of {self.path.name} are being changed by another explorer; "
                             "try again", self.path) from None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Temporaries of writers killed before their rename (only ours: we hold the lock).
        for stale in self.path.parent.glob(f".{self.path.name}.*{WRITING_SUFFIX}"):
            with contextlib.suppress(OSError):
                stale.unlink()
        return lock, TinyDB(self.path, storage=UserJSONStorage)

    def add_correction(self, correction: Correction) -> Correction:
        """Append a correction (an id and time are given to it when it has none)."""
        correction.correction_id = correction.correction_id or uuid.uuid4().hex[:12]
        correction.created = correction.created or now_iso()
        lock, db = self._open_for_writing()
        try:
            db.table(CORRECTIONS).insert(correction_to_dict(correction))
        finally:
            db.close()
            lock.release()
        return correction

    def undo(self) -> Correction | None:
        """Remove the last correction and return it (None when there is none)."""
        lock, db = self._open_for_writing()
        try:
            table = db.table(CORRECTIONS)
            rows = table.all()
            if not rows:
                return None
            last = max(rows, key=lambda row: row.doc_id)
            table.remove(doc_ids=[last.doc_id])
        finally:
            db.close()
            lock.release()
        try:
            return correction_from_dict(dict(last))
        except ValueError:
            return None

    def import_corrections(self, corrections: Iterable[Correction]) -> tuple[int, int]:
        """Append the corrections not already here (same id, or doing the same thing).

        Returns (added, already present).
        """
        lock, db = self._open_for_writing()
        added = present = 0
        try:
            table = db.table(CORRECTIONS)
            ids: set[str] = set()
            contents: set[bytes] = set()
            for row in table.all():
                ids.add(str(row.get("id") or ""))
                with contextlib.suppress(ValueError):
                    contents.add(_content_key(correction_from_dict(dict(row))))
            new_rows = []
            for correction in corrections:
                key = _content_key(correction)
                if (correction.correction_id and correction.correction_id in ids) or key in contents:
                    present += 1
                    continue
                correction.correction_id = correction.correction_id or uuid.uuid4().hex[:12]
                correction.created = correction.created or now_iso()
                ids.add(correction.correction_id)
                contents.add(key)
                new_rows.append(correction_to_dict(correction))
                added += 1
            if new_rows:
                table.insert_multiple(new_rows)
        finally:
            db.close()
            lock.release()
        return added, present

    def set_marks(self, marks: DocumentMarks) -> None:
        """Store a document's marks (a document with no mark left is dropped from the table)."""
        lock, db = self._open_for_writing()
        try:
            table = db.table(MARKS)
            table.remove(lambda row: row.get("path") == marks.path)
            if marks.starred or marks.read or marks.tags:
                table.insert({"path": marks.path, "starred": marks.starred, "read": marks.read,
                              "tags": sorted(set(marks.tags))})
        finally:
            db.close()
            lock.release()

    def export_to(self, path: Path) -> int:
        """Write every correction to ``path`` (atomically); returns how many."""
        corrections = self.corrections()
        write_atomically(Path(path), export_document(corrections))
        return len(corrections)
