"""Markdown notes (.md, .markdown): headings, links and emphasis read as plain text.

markdown-it-py (CommonMark, with tables, strikethrough and YAML front matter)
parses the note; the text kept is what a reader sees: heading text without
``#``, link text without the URL, image alt text, code as written, list items
on their own lines. Offsets refer to that text. The title is the front matter's
``title`` or else the first heading (unless it is a menu's, as in a clipped web
page); ``author`` and ``date`` come from the front matter when it has them,
otherwise the page analysis of plain text fills them, as it does for a page
saved as text (headline, byline and date line found around the body).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from explorer.ingest.analysis import analyse
from explorer.ingest.encoding import binary_reason, decode_text, normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.furniture import is_furniture_phrase
from explorer.model import SourceDocument

# Above this a note is read as plain text: parsing megabytes of Markdown into
# tokens costs far more memory and time than the text is worth.
MAX_MARKDOWN_BYTES = 8 * 1024 * 1024

_TAG = re.compile(r"<[^>]*>")
_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)


def _front_matter(content: str) -> dict[str, str]:
    """The flat ``key: value`` lines of a YAML front matter (title, author, date)."""
    fields: dict[str, str] = {}
    for line in content.splitlines():
        match = _FRONT_MATTER_LINE.match(line)
        if match and match.group(2):
            fields.setdefault(match.group(1).lower(), match.group(2).strip().strip("\"'"))
    return fields


def _inline(children: Sequence[Any] | None) -> str:
    parts: list[str] = []
    for child in children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(_inline(child.children) or child.content)
        # link/emphasis open and close, inline HTML tags: the text between them stays
    return "".join(parts)


def markdown_to_text(source: str) -> tuple[str, str | None, dict[str, str]]:
    """The readable text of a note, its first heading, and its front matter fields."""
    tokens = _parser().parse(source)
    blocks: list[tuple[str, bool]] = []  # (text, inside a list)
    lists: list[bool] = []  # ordered?
    prefix = ""
    heading: str | None = None
    in_heading = False
    row: list[str] | None = None
    table: list[str] = []
    meta: dict[str, str] = {}

    def emit(text: str) -> None:
        nonlocal prefix
        text = text.strip("\n")
        if text.strip():
            blocks.append((prefix + text, bool(lists)))
        prefix = ""

    for token in tokens:
        kind = token.type
        if kind == "front_matter":
            meta = _front_matter(token.content)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            indent = "  " * (len(lists) - 1)
            prefix = f"{indent}{token.info}{token.markup} " if lists and lists[-1] else f"{indent}- "
        elif kind == "heading_open":
            in_heading = True
        elif kind == "heading_close":
            in_heading = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if row is not None:
                table.append(" | ".join(row))
            row = None
        elif kind == "table_close":
            emit("\n".join(table))
            table = []
        elif kind == "inline":
            text = _inline(token.children)
            if row is not None:
                row.append(" ".join(text.split()))
                continue
            if in_heading and heading is None and text.strip():
                heading = " ".join(text.split())
            emit(text)
        elif kind in ("fence", "code_block"):
            emit(token.content)
        elif kind == "html_block" and not token.content.lstrip().startswith("<!--"):
            emit(html.unescape(_TAG.sub("", token.content)))

    parts: list[str] = []
    previous_in_list = False
    for text, in_list in blocks:
        if parts:
            parts.append("\n" if in_list and previous_in_list else "\n\n")
        parts.append(text)
        previous_in_list = in_list
    return "".join(parts), heading, meta


def read_markdown(path: Path, data: bytes) -> SourceDocument:
    reason = binary_reason(data)
    if reason:
        raise UnreadableFile(reason)
    source = normalise_newlines(decode_text(data))
    if not source.strip():
        raise UnreadableFile("no text (only whitespace)")
    if len(data) > MAX_MARKDOWN_BYTES:
        doc = SourceDocument(path=str(path), text=source, format="text")
        analyse(doc)
        return doc
    text, heading, meta = markdown_to_text(source)
    if not text.strip():
        raise UnreadableFile("no text (only markup)")
    date = _ISO_DAY.match(meta.get("date", ""))
    doc = SourceDocument(
        path=str(path),
        text=text,
        # A clipped web page may open with a heading of its menu ("Menu", "Navigation"): that is no title.
        title=meta.get("title") or (heading if heading and not is_furniture_phrase(heading) else None),
        author=meta.get("author") or None,
        published=date.group(1) if date else None,
        format="markdown",
    )
    analyse(doc)  # fills only what the note itself left empty
    return doc
