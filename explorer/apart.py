"""Heavy one-off builds run as a process of their own (it imports nothing of explorer).

Building a large store's search index or its "appears with" arrays allocates
hundreds of MB that are freed at the end; done in the interface's process, they
would stay in its high-water mark for the rest of the session. A child process
builds and keeps the result beside the store, and the caller reads what it kept.
"""

from __future__ import annotations

import subprocess
import sys

# Stores with fewer documents build in the process that asks (seconds at most: a second
# process's start would cost more than it saves).
APART_DOCUMENTS = 20_000


def worth_a_process(documents: int) -> bool:
    return documents >= APART_DOCUMENTS


def run_module(module: str, *args: str, timeout: float | None = None) -> bool:
    """``python -m module args...`` to its end; True when it succeeded."""
    try:
        done = subprocess.run([sys.executable, "-m", module, *args], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
