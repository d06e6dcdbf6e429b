"""Walking the user's paths: stable order, hidden files skipped, no symlink loops."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield every regular file under ``paths`` in a stable (sorted) order.

    Folders are walked recursively without following symlinked folders, so a
    symlink loop cannot trap the walk; hidden files and folders are skipped.
    A path named explicitly is yielded even when hidden.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not _hidden(d))
                for name in sorted(files):
                    if not _hidden(name):
                        yield Path(root) / name
        else:
            yield path
