"""Test helpers for a running app: wait until it has settled, read what it shows as plain text."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


async def settle(pilot: Pilot, delay: float = 0.15) -> None:
    app = pilot.app
    waited = 0.0
    while waited < 10 and getattr(app, "document", None) is None and not getattr(app, "store_error", None):
        await pilot.pause(0.05)  # the store opens in a worker after the first frame
        waited += 0.05
    await pilot.pause(delay)
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)
