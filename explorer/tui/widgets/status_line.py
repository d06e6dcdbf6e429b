"""StatusLine: one row above the footer for the corpus counts, progress and store messages."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """Plain text only: messages carry paths and store errors, which are data."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    StatusLine.-busy { color: $text-warning; }
    StatusLine.-error { color: $text-error; text-style: bold; }
    """

    def show(self, message: str, state: str = "") -> None:
        self.set_class(state == "busy", "-busy")
        self.set_class(state == "error", "-error")
        self.update(Text(message.replace("\n", " "), no_wrap=True, overflow="ellipsis"))
