"""CoNLL-2003 files as plain-text articles with character-level entity spans.

Used by ``tools/train_entities.py`` (training) to see the training data the way explorer
sees an article: a headline line, a dateline, one sentence per line, tokens joined as
prose ("U.S.-based", "Smith's", "(halftime 1-1)"). Only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NO_SPACE_BEFORE = {",", ".", ":", ";", "?", "!", ")", "]", "}", "%", "...", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$"}
CLITIC = re.compile(r"^(?:'[A-Za-z]{1,2}|n't|N'T)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TERMINAL = {".", "?", "!", ":", ";", '"', "'"}
TYPES = {"PER": "person", "ORG": "organization", "LOC": "place", "MISC": "misc"}

Token = tuple[str, str]  # (word, NER tag)


@dataclass(slots=True)
class Article:
    text: str
    spans: list[tuple[int, int, str]]  # (start, end, person|organization|place|misc)


def read_documents(path: Path) -> list[list[list[Token]]]:
    """Documents -> sentences -> (word, NER tag)."""
    docs: list[list[list[Token]]] = []
    doc: list[list[Token]] = []
    sent: list[Token] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
            if doc:
                docs.append(doc)
            doc, sent = [], []
        elif not line:
            if sent:
                doc.append(sent)
            sent = []
        else:
            parts = line.split()
            sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def _entity_spans(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """IOB1/IOB2 tags -> (first token, last token + 1, type)."""
    out: list[tuple[int, int, str]] = []
    start, kind = None, None
    for i, (_, tag) in enumerate([*tokens, ("", "O")]):
        prefix, _, label = tag.partition("-")
        if start is not None and (tag == "O" or prefix == "B" or label != kind):
            out.append((start, i, kind or ""))
            start, kind = None, None
        if tag != "O" and start is None:
            start, kind = i, label
    return out


def _continues(line: list[Token], sent: list[Token]) -> bool:
    """A sentence that is the rest of a line the wire text wrapped ("... tournament on" / "Friday.")."""
    if line[-1][0] in TERMINAL:
        return False
    return sent[0][0][:1].islower() or line[-1][0] == ","


def to_article(sentences: list[list[Token]]) -> Article:
    header_end = next((i for i, s in enumerate(sentences[:5]) if DATE.match(s[-1][0])), 0)
    lines: list[list[Token]] = []
    for i, sent in enumerate(sentences):
        if lines and i > header_end + 1 and _continues(lines[-1], sent):
            lines[-1] = lines[-1] + sent
        else:
            lines.append(list(sent))
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    quote_open = False
    for line in lines:
        offsets: list[tuple[int, int]] = []
        buf = ""
        glue = True
        for i, (word, _) in enumerate(line):
            space = not glue
            glue = False
            if word == '"':
                if i == 0 or not quote_open:
                    quote_open, glue = True, True
                else:
                    quote_open, space = False, False
            elif word in NO_SPACE_BEFORE or CLITIC.match(word):
                space = False
            if word in NO_SPACE_AFTER:
                glue = True
            if space and buf:
                buf += " "
            offsets.append((pos + len(buf), pos + len(buf) + len(word)))
            buf += word
        for a, b, kind in _entity_spans(line):
            if kind in TYPES:
                spans.append((offsets[a][0], offsets[b - 1][1], TYPES[kind]))
        text_parts.append(buf + "\n")
        pos += len(buf) + 1
    return Article("".join(text_parts), spans)


def articles(path: Path) -> Iterator[Article]:
    for sentences in read_documents(path):
        yield to_article(sentences)
