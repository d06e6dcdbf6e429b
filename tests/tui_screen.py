"""Test helpers for a running app: wait until it has settled, read what it shows as plain text."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def busy(app: App, store: bool = True) -> list[str]:
    """What the app is still doing: empty when it has settled."""
    doing: list[str] = []
    nodes = [app, *app.screen_stack, *app.screen.walk_children(with_self=False)]
    pending = [node for node in nodes if node._message_queue.qsize()]
    if pending:
        doing.append("messages for " + ", ".join(repr(node) for node in pending))
    thread = getattr(app, "_store_thread", None)
    if store and (thread is None or thread.is_alive()):
        doing.append("the store worker")
    timeline = getattr(app, "_timeline_thread", None)
    if store and timeline is not None and (timeline.ident is None or timeline.is_alive()):  # to start, or running
        doing.append("the timeline's events")
    running = [worker.description or worker.name for worker in app.workers if not worker.is_finished]
    doing += [f"worker {name}" for name in running]
    main = getattr(app, "main", None) if app.screen_stack else None
    if main is not None and not main.settled:
        doing.append("a selection waiting to rest")
    if store and main is not None and getattr(app, "session", None) is not None and main.pending_open:
        doing.append("a document to open")
    return doing


async def settle(pilot: Pilot, until: Callable[[], bool] | None = None, *, store: bool = True,
                 timeout: float = 15.0) -> None:
    """Wait until the app has nothing left to do and ``until()`` holds: every message handled, the
    store worker finished (``store``), no worker running, no selection waiting to rest. Polls; a
    condition that never comes true fails the test with what was still going on."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        await pilot._wait_for_screen()
        if not busy(app, store) and (until is None or until()):
            # one more round: a handler may have started something on the last message
            await pilot._wait_for_screen()
            if not busy(app, store) and (until is None or until()):
                app.screen._on_timer_update()  # lay out and paint what changed
                return
        if time.monotonic() > deadline:
            state = ", ".join(busy(app, store)) or "a condition that never held"
            raise AssertionError(f"the app did not settle within {timeout:.0f} s: {state}")
        await asyncio.sleep(0.01)
