"""DocHeader: title, author, date and path of the open document."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from explorer.model import StoredDocument
from explorer.textsafe import inert_line


class DocHeader(Static):
    """Two lines above the text; every field is data, so it is built as ``Text``, never markup."""

    DEFAULT_CSS = """
    DocHeader { height: auto; max-height: 4; padding: 0 1; }
    """

    def show(self, document: StoredDocument | None, corpus_note: str = "") -> None:
        if document is None:
            self.update(Text(corpus_note or "No document open: press d for the document list", style="italic"))
            return
        summary = document.summary
        title = inert_line(summary.title) or inert_line(summary.path.rsplit("/", 1)[-1])
        text = Text(title, style="bold")
        text.append("\n")
        details = [
            ("by ", inert_line(summary.author) or "unknown author"),
            ("published ", summary.published or "undated"),
            ("", inert_line(summary.path)),
            ("", f"{len(document.spans):,} mentions · {len(document.events):,} dates"),
        ]
        for position, (label, value) in enumerate(details):
            if position:
                text.append("  ·  ", style="dim")
            text.append(label, style="dim")
            text.append(value, style="dim" if position >= 2 else "")
        self.update(text)
