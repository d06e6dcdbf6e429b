"""Hostile files read from disk, indexed into a real store and shown by the real interface.

The readers keep a document's text literally (Rich markup, ANSI and OSC 52
sequences included); the interface and the exported notes must show it as text
and let no control character reach the terminal or the clipboard.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tui_screen import screen_text, settle

from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.doc_view import DocView

SAMPLES = Path(__file__).with_name("samples")
SIZE = (140, 40)
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x08", "\u202e")

HOSTILE_TEXT = (
    "Field Report From the Border\n\n"
    "Markup [bold red]ALERT[/bold red] and [link=https://evil.example/]click here[/link] and [@click=app.quit]quit[/].\n\n"
    "ANSI \x1b[31mred\x1b[0m, a clear \x1b[2J, a title \x1b]0;pwned\x07 and a clipboard \x1b]52;c;UFdORUQ=\x07 write.\n\n"
    "An 8-bit CSI \x9b31m, a bell \x07, a backspace \x08 and a bidi override \u202eelif.\n\n"
    "Sung Kim met Ri Gun in New York on Monday to discuss the six-party talks.\n"
)
HOSTILE_MARKDOWN = (
    "# Hostile \x1b[31mNote\x1b[0m\n\n"
    "A [link](https://evil.example/x) and **[bold red]markup[/bold red]** and `\x1b]52;c;UFdORUQ=\x07`.\n"
)


def _doc_id(app: ExplorerApp, name: str) -> str:
    assert app.session is not None
    for doc in app.session.documents:
        if Path(doc.path).name == name:
            return doc.doc_id
    raise AssertionError(f"{name} is not in the store: {[d.path for d in app.session.documents]}")


def _assert_no_raw_controls(app: ExplorerApp) -> None:
    view = app.query_one(DocView)
    for y in range(view.size.height):
        for segment in view.render_line(y):
            for control in RAW_CONTROLS:
                assert control not in segment.text, f"{control!r} rendered raw"


async def test_hostile_files_from_disk_are_shown_literally_and_exported_inert(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_bytes(HOSTILE_TEXT.encode("utf-8"))
    (corpus / "hostile.md").write_bytes(HOSTILE_MARKDOWN.encode("utf-8"))
    shutil.copy(SAMPLES / "article.html", corpus / "article.html")
    notes_path = tmp_path / "notes.md"
    app = ExplorerApp(corpus, db=tmp_path / "store.json", notes_path=notes_path, clipboard=[],
                      now=lambda: "2026-01-01 00:00 UTC")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.session is not None and app.session.search is not None)
        app.open_document(_doc_id(app, "hostile.txt"))
        await settle(pilot)
        text = screen_text(app)
        assert "[bold red]ALERT[/bold red]" in text and "[link=https://evil.example/]click here[/link]" in text
        assert "\u241b]52;c;UFdORUQ=\u2407" in text and "\u241b[31mred\u241b[0m" in text
        _assert_no_raw_controls(app)

        view = app.query_one(DocView)
        view.focus()
        view.cursor = view.text.index("ANSI")
        await pilot.press("v", "dollar_sign", "y")
        await settle(pilot)
        assert app.is_running  # [@click=app.quit] was text, not an action
        assert app.clipboard and not any(control in app.clipboard for control in RAW_CONTROLS)
        assert "52;c;UFdORUQ=" in app.clipboard
        saved = notes_path.read_text(encoding="utf-8")
        assert "52;c;UFdORUQ=" in saved and not any(control in saved for control in RAW_CONTROLS)

        app.open_document(_doc_id(app, "hostile.md"))
        await settle(pilot)
        text = screen_text(app)
        assert "[bold red]markup[/bold red]" in text and "A link and" in text and "evil.example/x" not in text
        _assert_no_raw_controls(app)
