"""DocHeader: title, author, date and path of the open document."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from explorer.model import DocumentMarks, StoredDocument
from explorer.textsafe import inert_line


class DocHeader(Static):
    """Two lines above the text; every field is data, so it is built as ``Text``, never markup."""

    DEFAULT_CSS = """
    DocHeader { height: auto; max-height: 4; padding: 0 1; }
    """

    def show(self, document: StoredDocument | None, corpus_note: str = "", marks: DocumentMarks | None = None) -> None:
        if document is None:
            self.update(Text(corpus_note or "No document open: press d for the document list", style="italic"))
            return
        summary = document.summary
        title = inert_line(summary.title) or inert_line(summary.path.rsplit("/", 1)[-1])
        text = Text(no_wrap=True, overflow="ellipsis")
        if marks is not None and marks.starred:
            text.append("★ ", style="bold yellow")
        text.append(title, style="bold")
        if marks is not None and (marks.read or marks.tags):
            text.append("  ")
            if marks.read:
                text.append("read", style="dim")
            for tag in marks.tags:
                text.append(f" #{inert_line(tag)}", style="italic")
        text.append("\n")
        details = [
            ("by ", inert_line(summary.author) or "unknown author"),
            ("published " if summary.published else "", inert_line(summary.published) or "undated"),
            ("", f"{len(document.spans):,} mentions · {len(document.events):,} dates"),
        ]
        for position, (label, value) in enumerate(details):
            if position:
                text.append("  ·  ", style="dim")
            text.append(label, style="dim")
            text.append(value, style="dim" if position >= 2 else "")
        text.append("\n")
        text.append(_short_path(inert_line(summary.path)), style="dim italic")
        self.update(text)


def _short_path(path: str) -> str:
    """The path relative to the working directory when under it, with ~ for the home folder."""
    from pathlib import Path

    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        home = str(Path.home())
        return "~" + path[len(home):] if home != "/" and path.startswith(home + "/") else path
