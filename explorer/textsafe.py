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


# -- snippets: text cut to a width at word boundaries, the cut marked with an ellipsis ----------

ELLIPSIS = "…"
_SENTENCE_ENDS = ".!?\"'”’»)]"
# A window cut by the extractor leaves at least this much text on the side it cut.
_WINDOW_SIDE = 200


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _keep_cells(text: str, room: int) -> str:
    """The longest prefix of ``text`` that fits in ``room`` cells."""
    if text.isascii():
        return text[: max(0, room)]
    from rich.cells import get_character_cell_size

    used = 0
    for index, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > room:
            return text[:index]
    return text


def clip_end(text: str, room: int) -> str:
    """``text`` in at most ``room`` cells: cut after a whole word and ended with "…"."""
    if _cells(text) <= room:
        return text
    if room <= 1:
        return ELLIPSIS[: max(0, room)]
    kept = _keep_cells(text, room - 1)
    if not text[len(kept)].isspace():
        space = kept.rfind(" ")
        if space >= len(kept) // 2:  # a word boundary not too far back; else one long word is cut
            kept = kept[:space]
    return kept.rstrip(" ,;:") + ELLIPSIS


def clip_start(text: str, room: int) -> str:
    """The end of ``text`` in at most ``room`` cells: cut before a whole word and begun with "…"."""
    if _cells(text) <= room:
        return text
    if room <= 1:
        return ELLIPSIS[: max(0, room)]
    reversed_kept = _keep_cells(text[::-1], room - 1)
    kept = reversed_kept[::-1]
    cut = len(text) - len(kept)
    if cut > 0 and not text[cut - 1].isspace():
        space = kept.find(" ")
        if 0 <= space <= len(kept) // 2:
            kept = kept[space + 1 :]
    return ELLIPSIS + kept.lstrip(" ,;:")


def clip_around(text: str, start: int, end: int, room: int) -> tuple[str, str, str]:
    """(left, key, right) of ``text`` around characters ``start``..``end`` in ``room`` cells, the key
    centred and both sides cut at word boundaries with "…"."""
    if not 0 <= start <= end <= len(text):
        return clip_end(text, room), "", ""
    left, key, right = text[:start].lstrip(), text[start:end], text[end:].rstrip()
    key_cells = _cells(key)
    if key_cells >= room:
        return "", clip_end(key, room), ""
    side = (room - key_cells) // 2
    left_cells = _cells(left)
    if left_cells > side:
        # give the right side's unused room to the left
        side = max(side, room - key_cells - _cells(right))
        left = clip_start(left, side) if side > 0 else ""
    right_room = room - _cells(left) - key_cells
    right = clip_end(right, right_room) if right_room > 0 else ""
    return left, key, right


def whole_words(sentence: str, anchor: str = "") -> str:
    """A sentence as the extractor kept it, with a partial word at a cut window edge replaced by "…".

    A sentence longer than the extractor's window around a date is cut mid-word; a side is
    taken as cut when it is long and does not look like a sentence edge (a lower-case start,
    no closing punctuation at the end).
    """
    text = sentence.strip()
    if not text:
        return text
    at = text.find(anchor) if anchor else -1
    before = at if at >= 0 else len(text) // 2
    after = len(text) - (at + len(anchor)) if at >= 0 else len(text) // 2
    if before >= _WINDOW_SIDE and text[0].islower():
        space = text.find(" ")
        if 0 < space < before:
            text = ELLIPSIS + text[space + 1 :]
    if after >= _WINDOW_SIDE and text[-1] not in _SENTENCE_ENDS:
        space = text.rfind(" ")
        if space > len(text) - after:
            text = text[:space].rstrip(" ,;:") + ELLIPSIS
    return text
