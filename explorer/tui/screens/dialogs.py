"""Small dialogs: type a value (a name, tags, a date) or choose one of a few (a type, what to hide).

Both are ``ModalScreen``s returning the value, or ``None`` when escaped. Every label shown is
data (entity names, aliases, tags), so options are ``Content``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from explorer.textsafe import inert_line
from explorer.tui import keymap


@dataclass(frozen=True, slots=True)
class Choice:
    """One option: what is shown, and what choosing it returns."""

    label: str
    value: Any
    hint: str = ""  # shown dimmed after the label


def _option(choice: Choice) -> Option:
    content = Content(inert_line(choice.label))
    if choice.hint:
        content = Content.assemble(content, ("  " + inert_line(choice.hint), "dim"))
    return Option(content)


class ChoiceDialog(ModalScreen[Any]):
    """Choose one of a few options with the arrows; enter chooses, escape cancels."""

    BINDING_GROUP_TITLE = "Dialog"
    BINDINGS: list[BindingType] = keymap.bindings("dialog")  # type: ignore[assignment]

    def __init__(self, title: str, note: str, choices: Sequence[Choice], highlighted: int = 0) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.note = note
        self.choices = list(choices)
        self.highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            if self.note:
                yield Static(Content(self.note), id="dialog-note")
            yield OptionList(*[_option(choice) for choice in self.choices], id="dialog-options")

    def on_mount(self) -> None:
        box = self.query_one("#dialog-box")
        box.border_title = Content(self.title_text)
        box.border_subtitle = "↑/↓ choose · enter OK · esc cancel"
        options = self.query_one(OptionList)
        options.highlighted = min(max(0, self.highlighted), len(self.choices) - 1) if self.choices else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index].value)

    def action_confirm(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss(self.choices[highlighted].value)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class TokenSuggester(Suggester):
    """Completes the last comma-separated word from ``words`` (tags in use)."""

    def __init__(self, words: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.words = sorted(words, key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        for word in self.words:
            if word.casefold().startswith(typed.casefold()) and word != typed:
                return value[: len(value) - len(typed)] + word
        return None


class TextDialog(ModalScreen[str | None]):
    """Type a value; ``choices`` below it fill the box as the arrows move over them; enter confirms.

    ``validate`` returns why a value cannot be taken ("" when it can): the reason is shown and
    the dialog stays open.
    """

    BINDING_GROUP_TITLE = "Dialog"
    BINDINGS: list[BindingType] = keymap.bindings("dialog")  # type: ignore[assignment]

    def __init__(self, title: str, note: str, value: str = "", choices: Sequence[Choice] = (),
                 validate: Callable[[str], str] | None = None, placeholder: str = "",
                 suggestions: Sequence[str] = ()) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.note = note
        self.initial = value
        self.choices = list(choices)
        self.validate = validate
        self.placeholder = placeholder
        self.suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            if self.note:
                yield Static(Content(self.note), id="dialog-note")
            yield Input(self.initial, placeholder=self.placeholder, id="dialog-input", select_on_focus=False,
                        suggester=TokenSuggester(self.suggestions) if self.suggestions else None)
            yield Static("", id="dialog-error", markup=False)
            if self.choices:
                yield OptionList(*[_option(choice) for choice in self.choices], id="dialog-options")

    def on_mount(self) -> None:
        box = self.query_one("#dialog-box")
        box.border_title = Content(self.title_text)
        moves = "↑/↓ pick · " if self.choices else ""
        box.border_subtitle = f"{moves}enter OK · esc cancel"
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()
        if self.choices:
            options = self.query_one(OptionList)
            options.can_focus = False  # the keys stay in the box; the arrows move the list
            options.highlighted = None

    @property
    def value(self) -> str:
        return self.query_one(Input).value

    def action_move(self, delta: int) -> None:
        if not self.choices:
            return
        options = self.query_one(OptionList)
        current = options.highlighted
        index = 0 if current is None else min(max(0, current + delta), len(self.choices) - 1)
        options.highlighted = index
        field = self.query_one(Input)
        field.value = str(self.choices[index].value)
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#dialog-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        value = self.value.strip()
        reason = self.validate(value) if self.validate is not None else ("" if value else "Type a value first")
        if reason:
            self.query_one("#dialog-error", Static).update(Content(reason))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
