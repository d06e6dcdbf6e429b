"""Make untrusted document text inert, one character for one character.

Document text, titles, paths and entity names come from files we did not
write. Textual never filters ESC on output and ``Content``/``Text`` drop only a
few controls (which shifts offsets), so an ANSI or OSC 52 sequence in an
article would reach the terminal. We translate every control character to a
visible, single-cell stand-in with ``str.translate``: the result has exactly the
same length, so entity and event offsets stay valid.

``[bold red]`` needs no cleaning here: the interface never builds markup from
data (it renders ``Segment``/``Text``/``Content`` objects), so brackets are shown
as they are.
"""

from __future__ import annotations

_CONTROL_PICTURE = 0x2400  # U+2400 SYMBOL FOR NULL .. U+241F, then U+2421 for DEL
_REPLACEMENT = "\ufffd"
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]


def _base_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(_CONTROL_PICTURE + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = _REPLACEMENT
    for code in _BIDI:
        table[code] = _REPLACEMENT
    # Line and paragraph separators would break a terminal line in the middle.
    table[0x2028] = " "
    table[0x2029] = " "
    return table


_NOTE = _base_table()
_NOTE[0x0A] = "\n"
_NOTE[0x09] = "\t"
_NOTE[0x0D] = " "

_DISPLAY = dict(_NOTE)
_DISPLAY[0x09] = " "  # a tab would move the terminal cursor; one cell keeps columns true

DISPLAY_TABLE = str.maketrans(_DISPLAY)
NOTE_TABLE = str.maketrans(_NOTE)
LINE_TABLE = str.maketrans({**_DISPLAY, 0x0A: " "})


def inert(text: str) -> str:
    """Text safe to paint: no control characters except newline; same length as ``text``."""
    return text.translate(DISPLAY_TABLE)


def inert_note(text: str) -> str:
    """Text safe for a note or the clipboard: keeps newlines and tabs; same length as ``text``."""
    return text.translate(NOTE_TABLE)


def inert_line(text: str | None) -> str:
    """A one-line label (title, path, entity name): newlines become spaces too; same length."""
    if not text:
        return ""
    return text.translate(LINE_TABLE)


def is_inert(text: str) -> bool:
    """True when ``text`` holds no character that the display table would change (newline allowed)."""
    return text.translate(DISPLAY_TABLE) == text
