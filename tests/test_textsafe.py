"""Untrusted text is made inert one character for one character."""

from __future__ import annotations

from explorer.textsafe import inert, inert_line, inert_note, is_inert

PROBE = "A[bold red]x[/]B \x1b[31mRED\x1b[0m C \x1b]52;c;UFdORUQ=\x07 D\r\n\tE\x9b\u202eF\x7f"


def test_same_length_and_no_controls() -> None:
    for clean in (inert(PROBE), inert_note(PROBE), inert_line(PROBE)):
        assert len(clean) == len(PROBE)
        assert "\x1b" not in clean and "\x07" not in clean and "\x9b" not in clean and "\u202e" not in clean
        assert "\r" not in clean and "\x7f" not in clean
        assert "[bold red]x[/]" in clean  # markup stays literal text


def test_visible_stand_ins() -> None:
    clean = inert(PROBE)
    assert "␛[31mRED␛[0m" in clean
    assert "␛]52;c;UFdORUQ=␇" in clean
    assert "\t" not in clean  # a tab would move the terminal cursor
    assert "\n" in clean
    assert "\t" in inert_note(PROBE)
    assert "\n" not in inert_line(PROBE)


def test_is_inert() -> None:
    assert is_inert("plain text\nwith a newline")
    assert not is_inert("bell\x07")
    assert inert_line(None) == ""
