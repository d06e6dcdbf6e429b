"""Regenerate screenshots/*.svg from the bundled seeds (run: python tests/make_screenshots.py)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (140, 40)


async def shoot(name: str, keys: list[str], data: Path) -> None:
    from explorer.paths import seeds_dir
    from explorer.tui.app import ExplorerApp

    os.chdir(ROOT)
    app = ExplorerApp(seeds_dir(), db=data / "seeds.json", notes_path=Path("notes.md"), clipboard=[],
                      now=lambda: "2026-01-01 00:00 UTC")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        while app.session is None or app.session.search is None or app.document is None or app._indexing:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        svg = app.export_screenshot(title=f"explorer · {name.replace('-', ' ')}")
        (ROOT / "screenshots" / f"{name}.svg").write_text(svg, encoding="utf-8")
        print("wrote", f"screenshots/{name}.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXPLORER_DATA_DIR"] = tmp
        os.environ["EXPLORER_CLIPBOARD"] = "none"
        data = Path(tmp)
        await shoot("main-screen", ["n"], data)
        await shoot("search", ["slash", "b", "o", "s"], data)
        await shoot("entity-mentions", ["slash", "b", "o", "s", "enter"], data)
        await shoot("timeline", ["t", "right", "right", "right", "plus", "plus"], data)
        await shoot("note-exported", ["slash", "b", "o", "s", "enter", "enter", "v", "w", "w", "w", "w", "w",
                                      "w", "w", "y"], data)
        notes = ROOT / "notes.md"
        if notes.exists():
            notes.unlink()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
