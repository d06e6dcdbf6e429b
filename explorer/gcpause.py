"""Pausing the cyclic garbage collector over bulk loads, for every layer (it imports nothing of explorer)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


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


@contextlib.contextmanager
def gc_running() -> Iterator[None]:
    """Run the collector inside a pause again, for work that may leave cycles behind (extracting
    many documents in this process: a caught exception keeps its frames in a cycle)."""
    disabled = not gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if disabled:
            gc.disable()
