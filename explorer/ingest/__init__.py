"""Ingest: files on disk -> ``SourceDocument`` (clean text, furniture spans, metadata).

Readers are pluggable by file suffix (``READERS``); each takes the path and the
raw bytes and returns a ``SourceDocument`` or raises ``UnreadableFile`` with a
one-line reason. Containers (``CONTAINERS``: e-mail, mailboxes) return messages
with what they carry; ``read_documents`` turns a file into every document it holds.
"""

from __future__ import annotations

from explorer.ingest.files import iter_files, walk
from explorer.ingest.readers import READERS, UnreadableFile, read_documents, read_file, read_paths

__all__ = ["READERS", "UnreadableFile", "iter_files", "read_documents", "read_file", "read_paths", "walk"]
