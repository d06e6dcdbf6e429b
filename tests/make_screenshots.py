"""Regenerate screenshots/*.svg from the bundled seeds (run: python tests/make_screenshots.py)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (140, 40)


async def shoot(name: str, keys: list[str], data: Path, size: tuple[int, int] = SIZE, theme: str = "") -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from tui_screen import settle

    from explorer.paths import seeds_dir
    from explorer.tui.app import ExplorerApp

    os.chdir(ROOT)
    (data / "seeds.json.user.json").unlink(missing_ok=True)  # each shot starts from the corpus as extracted
    app = ExplorerApp(seeds_dir(), db=data / "seeds.json", notes_path=Path("notes.md"), clipboard=[],
                      now=lambda: "2026-01-01 00:00 UTC", keymap_path=data / "keymap.toml",
                      settings_path=data / "settings.json")
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot, lambda: app.session is not None and app.session.search is not None
                     and app.document is not None and not app.indexing, timeout=120)
        if theme:
            app.theme = theme
        for key in keys:
            await pilot.press(key)
        await settle(pilot)
        svg = app.export_screenshot(title=f"explorer · {name.replace('-', ' ')}")
        (ROOT / "screenshots" / f"{name}.svg").write_text(svg, encoding="utf-8")
        print("wrote", f"screenshots/{name}.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXPLORER_DATA_DIR"] = tmp
        os.environ["EXPLORER_CONFIG_DIR"] = tmp
        os.environ["EXPLORER_CLIPBOARD"] = "none"
        data = Path(tmp)
        await shoot("main-screen", ["n"], data)
        await shoot("search", ["slash", "b", "o", "s"], data)
        await shoot("entity-mentions", ["slash", "b", "o", "s", "enter"], data)
        await shoot("entity-filter", ["e", "f", "k", "o", "r", "e"], data)
        await shoot("timeline", ["t", "right", "right", "right", "plus"], data)
        await shoot("entity-timeline", ["slash", "b", "o", "s", "w", "o", "r", "t", "h", "enter", "T"], data)
        await shoot("note-exported", ["slash", "b", "o", "s", "enter", "enter", "v", "w", "w", "w", "w", "w",
                                      "w", "w", "y"], data)
        await shoot("light-80x24", ["e", "j", "r", "n"], data, size=(80, 24), theme="textual-light")
        bosworth = ["e", "f", *"bosworth", "enter"]
        await shoot("appears-with", [*bosworth, "a"], data)
        await shoot("appears-with-passages", [*bosworth, "a", "down", "down", "down", "enter"], data)
        await shoot("scoped-timeline", ["t", "colon", *"2009-12", "enter", "v", "end", "s"], data)
        await shoot("merge-dialog", ["e", "f", *"obama", "enter", "space", "M"], data)
        await shoot("document-marks", ["d", "asterisk", "R", "number_sign", *"nuclear, follow-up", "enter"], data)
        notes = ROOT / "notes.md"
        if notes.exists():
            notes.unlink()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
