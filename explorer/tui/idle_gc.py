"""The interface's garbage collection: the collector's full passes wait until the keys rest.

A loaded store's millions of objects are frozen out of the cyclic collector
(``corpus.freeze_long_lived``), but what arrives afterwards is not: the mentions of a selected
entity (tens of thousands of objects for a common name), documents, filtered timelines. Left
to itself, the collector runs a full pass once enough of them have survived two passes, and
that pass (25-55 ms on a 10,000-document store, on a shared 2-core machine) lands in whichever
key comes next: the frame after a focus move took 80-110 ms instead of 20-30.

So while the interface runs, the collector's own full passes are put off (its young
generations still run as before, so short-lived cycles are freed as soon as ever) and the
interface runs a full pass itself once no key or mouse event has come for ``REST_SECONDS``.
A long run without input (an index run watched from afar) still gets a pass at rest as soon as
the collector would have made one itself.

What a worker hands over (an entity's mentions) is young: the collector's next middle pass
would walk all of it, in a key's frame. ``collect_young`` runs that pass at once, after the
frame that shows the work, while the selection rests.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

REST_SECONDS = 1.0  # no input for this long: the user is reading, a pass will not be felt
CHECK_SECONDS = 0.25  # how often the interface looks whether it rests
PUT_OFF = 1_000_000  # the oldest generation's threshold while the interface runs: never reached in practice


class IdleCollector:
    """Puts off the collector's full passes while the interface runs, and runs them when input rests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = self._clock()
        self._input_since_pass = False
        self._saved: tuple[int, int, int] | None = None
        self.passes = 0  # full passes run at rest (tests and benchmarks read it)

    @property
    def running(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        """Put off the collector's own full passes (the young generations keep their thresholds)."""
        if self._saved is not None:
            return
        self._saved = gc.get_threshold()
        young, middle, _oldest = self._saved
        gc.set_threshold(young, middle, PUT_OFF)

    def stop(self) -> None:
        """Give the collector its thresholds back (the app is closing)."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_came(self) -> None:
        self._last_input = self._clock()
        self._input_since_pass = True

    def collect_young(self) -> None:
        """Walk the young generations now (what a worker just handed over), not in the next key."""
        if self._saved is not None and gc.isenabled():
            gc.collect(1)

    def tick(self) -> bool:
        """Run a full pass if input rests and one is due; True if it ran."""
        if self._saved is None or self._clock() - self._last_input < REST_SECONDS:
            return False
        if not gc.isenabled():
            # a thread is loading a store, its search index or its events with the collector paused
            # (``gc_paused``); a pass now would walk the millions of objects it is building
            return False
        # generation 2's count: the middle-generation passes since the last full one; the collector
        # itself would have run a full pass after ``_saved[2]`` of them
        due = self._input_since_pass and gc.get_count()[2] > 0
        if not due and gc.get_count()[2] < self._saved[2]:
            return False
        gc.collect()
        self._input_since_pass = False
        self.passes += 1
        return True
