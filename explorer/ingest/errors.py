"""The one exception readers raise."""

from __future__ import annotations


class UnreadableFile(Exception):
    """A file that cannot be read as a document; the message is the one-line reason."""
