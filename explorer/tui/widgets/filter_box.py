"""FilteredList: a filter box over a list, written once for every list that filters.

In the list, letters are commands (``j``, ``s``, ``x``, ``q``), so typing never starts a filter
by itself. ``f`` puts the keyboard in the box, at once (focus moves before the next key is
read, so a name typed fast or pasted lands whole in the box): from then on everything typed
goes to the filter until Enter (keep the filter, back to the list) or Escape (clear it, back
to the list). Up, down and the page keys still move the list while typing.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from explorer.tui import keymap
from explorer.tui.widgets.virtual_list import VirtualList


class FilterableList(VirtualList):
    """A list a ``FilteredList`` can filter: ``filter(text)`` swaps the rows shown."""

    query_text: str = ""

    def filter(self, text: str) -> None:
        raise NotImplementedError

    def on_key(self, event: events.Key) -> None:
        # Keys reach the list before its bindings run (those run when the key has bubbled up to
        # the App), so keys typed fast or pasted after f are already queued here by then. Take
        # f at once, and while the box has the focus, every printable key queued here is text
        # for the box: never a command.
        owner = self.parent
        if not isinstance(owner, FilteredList):
            return
        if owner.filtering:
            if event.is_printable and event.character:
                event.stop()
                event.prevent_default()
                owner.box.insert_text_at_cursor(event.character)
        elif any(binding.action == "filter" for binding in self._bindings.key_to_bindings.get(event.key, ())):
            event.stop()
            event.prevent_default()
            owner.enter_filter(event.time)

    def action_filter(self) -> None:
        # A direct call, not a message: the keys typed right after f are already queued, and
        # they must find the box focused (a message would arrive after them).
        owner = self.parent
        if isinstance(owner, FilteredList):
            owner.enter_filter()


class FilterInput(Input):
    """The box: printable keys are text here; its few bindings come from the keymap."""

    BINDING_GROUP_TITLE = "Filter box"
    BINDINGS: list[BindingType] = keymap.bindings("filter")  # type: ignore[assignment]

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)
        self.cursor_blink = False
        # When the key that put the keyboard here was made (``events.Key.time``): keys made before it and
        # still queued were meant for the list (``s f``: sort, then filter), the later ones are text.
        self.opened_by: float | None = None

    @property
    def owner(self) -> FilteredList:
        parent = self.parent
        assert isinstance(parent, FilteredList)
        return parent

    def action_done(self) -> None:
        self.owner.leave_filter(clear=False)

    def action_clear(self) -> None:
        self.owner.leave_filter(clear=True)

    def action_list_move(self, delta: int) -> None:
        listing = self.owner.listing
        if delta > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_list_page(self, delta: int) -> None:
        listing = self.owner.listing
        if delta > 0:
            listing.action_page_down()
        else:
            listing.action_page_up()


class FilteredList(Vertical):
    """A ``FilterInput`` above a ``FilterableList``; the box shows the filter even when the list has the keys.

    While the box or the list has the focus, the class ``-focus-within`` is on this container (for a
    lit frame). Not Textual's ``:focus-within``: that restyles the whole subtree, the list and its
    ten component styles included, on every focus move in or out (a third of a focus move's frame on a
    large corpus). The class is set without restyling the children, so rules on it must style this
    container only (its border and titles), never a child.
    """

    @dataclass
    class Filtered(Message):
        """The filter text changed (the parent updates counts)."""

        text: str

    def __init__(self, listing: FilterableList, placeholder: str, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.listing = listing
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        box_id = f"{self.id}-filter" if self.id else None
        yield FilterInput(self._placeholder, id=box_id)
        yield self.listing

    @property
    def box(self) -> FilterInput:
        return self.query_one(FilterInput)

    def on_descendant_focus(self) -> None:
        self._show_focus()

    def on_descendant_blur(self) -> None:
        self._show_focus()

    def _show_focus(self) -> None:
        lit = self.has_focus_within  # the screen's focus now, whichever of the two messages comes first
        if self.has_class("-focus-within") != lit:
            self.set_class(lit, "-focus-within", update=False)
            self.app.stylesheet.update_nodes([self], animate=True)  # this container only

    @property
    def filtering(self) -> bool:
        """The keyboard is in the filter box (the screen's focus, set at once; ``has_focus`` follows later)."""
        return self.is_attached and self.screen.focused is self.box

    def enter_filter(self, key_time: float | None = None) -> None:
        """Put the keyboard in the box; ``key_time``: when the key that asked for it was made, if known."""
        self.box.opened_by = key_time
        # Screen.set_focus, not Widget.focus: focus must move before the next queued key is read.
        self.screen.set_focus(self.box)

    def leave_filter(self, clear: bool) -> None:
        if clear and self.box.value:
            self.box.value = ""  # Input.Changed refilters
            self.listing.filter("")
        self.screen.set_focus(self.listing)

    def clear_filter(self) -> bool:
        """Clear a filter from the list side; False when there was none."""
        if not self.box.value and not self.listing.query_text:
            return False
        with self.box.prevent(Input.Changed):
            self.box.value = ""
        self.listing.filter("")
        self.post_message(self.Filtered(""))
        return True

    def set_filter_text(self, text: str) -> None:
        """Show ``text`` in the box without filtering again (the list already did)."""
        with self.box.prevent(Input.Changed):
            self.box.value = text

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.listing.filter(event.value)
        self.post_message(self.Filtered(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.leave_filter(clear=False)
