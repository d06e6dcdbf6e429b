"""Every key of the interface, as data: one table the widgets, the key bar, help and the palette read.

Each ``KeyAction`` has a stable id (the name a user's keymap file uses), the Textual action
it runs, its default keys, a short description (key bar, help), a longer one (help, palette),
the pane it belongs to, and a rank: the key bar shows the lowest ranks first and drops the
highest when the terminal is narrow. Widgets take their ``BINDINGS`` from here
(``bindings("document")``), so nothing is declared twice.

The user's keymap (``keymap.toml`` in the configuration folder, see ``explorer.paths``) maps
ids to keys::

    [keys]
    doc-next-mention = "n,ctrl+n"
    quit = "ctrl+q"

``load_user_keymap`` reads and checks it; the App applies it with Textual's ``set_keymap``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeyAction:
    id: str  # stable, kebab-case: what a user keymap names
    action: str  # the Textual action string
    keys: str  # default keys, comma-separated Textual key names
    description: str  # short: the key bar and help
    pane: str  # a key of PANES
    help: str = ""  # longer: help, palette, tooltips
    show: bool = True  # on the key bar
    rank: int = 5  # key bar priority: 1 is kept longest
    priority: bool = False  # a Textual priority binding (works even from a text box)


@dataclass(frozen=True, slots=True)
class Pane:
    title: str
    blurb: str
    target: str | None  # selector on the main screen the palette focuses, "app", or None (overlay keys)


PANES: dict[str, Pane] = {
    "main": Pane("Everywhere", "explorer reads a corpus: entities (left), the document (centre), dated events "
                 "(bottom).", "app"),
    "entities": Pane("Entities", "Every entity, grouped by type. f filters (everything typed goes to the filter "
                     "until enter or esc). The highlighted entity is marked in the document and its mentions "
                     "listed. Corrections (space marks for a merge) change every count, list, search and the "
                     "timeline at once; u undoes the last.", "#entity-list"),
    "mentions": Pane("Mentions", "Every mention of the selected entity, with its sentence.", "#mentions"),
    "document": Pane("Document", "v starts a selection; move to extend it; y exports it as a cited note. A mouse "
                     "drag selects too.", "#doc-view"),
    "timeline": Pane("Timeline", "░ a fuzzy date (month, season, year) · ● a day · ┣━┫ a span · + more events.",
                     "#timeline"),
    "lists": Pane("Lists (entities, mentions, documents, results)", "", None),
    "related": Pane("Appears with (a)", "The entities sharing the selected entity's sentences and documents, most "
                    "telling first: score = how much more often than chance they meet (smoothed PMI).", None),
    "passages": Pane("Shared passages", "The sentences where both entities appear.", None),
    "hidden": Pane("Hidden entities (U)", "Entities and names hidden as \"not an entity\".", None),
    "dialog": Pane("Dialogs (merge, rename, retype, hide, split, tags, go to date)", "", None),
    "filter": Pane("Filter box (after f)", "Everything typed goes to the filter.", None),
    "search": Pane("Search (/)", "Results on every key: entities, then passages.", None),
    "documents": Pane("Document list (d)", "", None),
    "skipped": Pane("Skipped files (!)", "Files the last index run could not read, and why.", None),
    "help": Pane("Help (?)", "", None),
    "error": Pane("Store problem", "", None),
}

KEYMAP: list[KeyAction] = [
    # -- everywhere on the main screen ---------------------------------------------------------
    KeyAction("search", "app.search", "slash", "Search", "main", "Search names, terms and passages", rank=1),
    KeyAction("documents", "app.documents", "d", "Documents", "main", "The list of documents", rank=1),
    KeyAction("help", "app.help", "question_mark", "Help", "main", "Every key, pane by pane", rank=0),
    KeyAction("quit", "app.quit", "q", "Quit", "main", "Quit explorer (an index run saves what it has)", rank=0),
    KeyAction("pane-next", "pane(1)", "tab", "Next pane", "main", show=False, priority=True),
    KeyAction("pane-previous", "pane(-1)", "shift+tab", "Previous pane", "main", show=False, priority=True),
    KeyAction("focus-entities", "focus_pane('#entity-list')", "e", "Entities", "main", "Go to the entity list",
              show=False),
    KeyAction("focus-mentions", "focus_pane('#mentions')", "m", "Mentions", "main",
              "Go to the mentions of the selected entity", show=False),
    KeyAction("focus-document", "focus_pane('#doc-view')", "r", "Reader", "main", "Go to the document",
              show=False),
    KeyAction("focus-timeline", "focus_pane('#timeline')", "t", "Timeline", "main", "Go to the timeline",
              show=False),
    KeyAction("timeline-entity", "entity_timeline", "T", "Entity timeline", "main",
              "Timeline: only the events dated in sentences that name the selected entity (again: every event)",
              show=False),
    KeyAction("skipped-files", "app.skipped", "exclamation_mark", "Skipped", "main",
              "The files the last index run could not read, and why", rank=2),
    KeyAction("search-anywhere", "app.search", "ctrl+k", "Search", "main", "Search, even from a text box",
              show=False, priority=True),
    KeyAction("appears-with", "appears_with", "a", "Appears with", "main",
              "The entities that share the selected entity's sentences and documents, most telling first", rank=3),
    KeyAction("undo", "app.undo_correction", "u", "Undo", "main", "Undo the last correction of the entities",
              rank=4),
    KeyAction("scope-clear", "app.clear_scope", "S", "Clear scope", "main",
              "Clear the period every list is limited to (s on the timeline sets it)", rank=2),
    # -- entities ------------------------------------------------------------------------------
    KeyAction("entity-mentions", "choose", "enter", "Mentions", "entities", "List the mentions of this entity",
              rank=2),
    KeyAction("entity-filter", "filter", "f", "Filter", "entities",
              "Filter entities by name or alias: what you type goes to the filter until enter or esc", rank=2),
    KeyAction("entity-sort", "toggle_sort", "s", "Sort", "entities", "Sort by mention count or by name", rank=4),
    KeyAction("entity-export", "export", "x", "Export mentions", "entities",
              "Export this entity's mentions as a note", rank=3),
    KeyAction("entity-clear", "clear", "escape", "Deselect", "entities",
              "Clear the filter (then the marks); with neither, deselect the entity", show=False),
    KeyAction("entity-mark", "toggle_mark", "space", "Mark", "entities",
              "Mark this entity for a merge (again: unmark) and move down", rank=3),
    KeyAction("entity-merge", "screen.merge_entities", "M", "Merge", "entities",
              "Merge the marked entities (and this one) into one, choosing its name", rank=3),
    KeyAction("entity-rename", "screen.rename_entity", "R", "Rename", "entities",
              "Rename this entity (the old name stays an alias: search still finds it)", rank=4),
    KeyAction("entity-retype", "screen.retype_entity", "C", "Retype", "entities",
              "Change this entity's type: person, organisation, place or term", rank=5),
    KeyAction("entity-hide", "screen.hide_entity", "H", "Hide", "entities",
              "Not an entity: hide this one, or a name of it wherever it appears", rank=4),
    KeyAction("entity-split", "screen.split_entity", "P", "Split", "entities",
              "Split one of this entity's aliases out into an entity of its own", rank=5),
    KeyAction("entity-hidden", "screen.hidden_entities", "U", "Hidden", "entities",
              "The hidden entities and names; enter shows one again (unhide)", rank=5),
    # -- the filter box (entities, documents) ----------------------------------------------------
    KeyAction("filter-done", "done", "enter", "Done", "filter", "Keep the filter and go back to the list", rank=1),
    KeyAction("filter-clear", "clear", "escape", "Clear", "filter", "Clear the filter and go back to the list",
              rank=1),
    KeyAction("filter-down", "list_move(1)", "down", "Next", "filter", "Move down the list while typing",
              show=False),
    KeyAction("filter-up", "list_move(-1)", "up", "Previous", "filter", "Move up the list while typing",
              show=False),
    KeyAction("filter-page-down", "list_page(1)", "pagedown", "Page down", "filter", show=False),
    KeyAction("filter-page-up", "list_page(-1)", "pageup", "Page up", "filter", show=False),
    # -- any list --------------------------------------------------------------------------------
    KeyAction("list-up", "cursor_up", "up,k", "Up", "lists", show=False),
    KeyAction("list-down", "cursor_down", "down,j", "Down", "lists", show=False),
    KeyAction("list-page-up", "page_up", "pageup", "Page up", "lists", show=False),
    KeyAction("list-page-down", "page_down", "pagedown", "Page down", "lists", show=False),
    KeyAction("list-first", "first", "home,g", "First", "lists", show=False),
    KeyAction("list-last", "last", "end,G", "Last", "lists", show=False),
    # -- mentions --------------------------------------------------------------------------------
    KeyAction("mention-open", "choose", "enter", "Open at mention", "mentions", "Open the document at this mention",
              rank=2),
    KeyAction("mention-export", "export", "x", "Export mentions", "mentions", "Export these mentions as a note",
              rank=3),
    KeyAction("mention-back", "back", "escape", "Back to entities", "mentions", show=False),
    # -- the document ----------------------------------------------------------------------------
    KeyAction("doc-down", "move_line(1)", "down,j", "Down", "document", show=False),
    KeyAction("doc-up", "move_line(-1)", "up,k", "Up", "document", show=False),
    KeyAction("doc-right", "move_char(1)", "right,l", "Right", "document", show=False),
    KeyAction("doc-left", "move_char(-1)", "left,h", "Left", "document", show=False),
    KeyAction("doc-word-next", "move_word(1)", "w", "Next word", "document", show=False),
    KeyAction("doc-word-previous", "move_word(-1)", "b", "Previous word", "document", show=False),
    KeyAction("doc-page-down", "move_page(1)", "pagedown,space", "Page down", "document", show=False),
    KeyAction("doc-page-up", "move_page(-1)", "pageup", "Page up", "document", show=False),
    KeyAction("doc-line-start", "line_edge(0)", "home,0", "Line start", "document", show=False),
    KeyAction("doc-line-end", "line_edge(1)", "end,dollar_sign", "Line end", "document", show=False),
    KeyAction("doc-top", "document_edge(0)", "g,ctrl+home", "Top", "document", show=False),
    KeyAction("doc-bottom", "document_edge(1)", "G,ctrl+end", "Bottom", "document", show=False),
    KeyAction("doc-extend-down", "extend_line(1)", "shift+down", "Extend down", "document", show=False),
    KeyAction("doc-extend-up", "extend_line(-1)", "shift+up", "Extend up", "document", show=False),
    KeyAction("doc-extend-right", "extend_char(1)", "shift+right", "Extend right", "document", show=False),
    KeyAction("doc-extend-left", "extend_char(-1)", "shift+left", "Extend left", "document", show=False),
    KeyAction("doc-next-mention", "next_mention(1)", "n", "Next mention", "document",
              "Next mention of the selected entity (of any entity when none is selected)", rank=2),
    KeyAction("doc-previous-mention", "next_mention(-1)", "N", "Prev mention", "document",
              "Previous mention of the selected entity", rank=4),
    KeyAction("doc-next-entity", "next_entity(1)", "right_square_bracket", "Next entity", "document",
              "Next entity of any kind", show=False),
    KeyAction("doc-previous-entity", "next_entity(-1)", "left_square_bracket", "Previous entity", "document",
              "Previous entity of any kind", show=False),
    KeyAction("doc-select", "toggle_mark", "v", "Select", "document", "Start or end a selection at the caret",
              rank=3),
    KeyAction("doc-note", "clip", "y", "Note", "document", "Export the selection (or the paragraph) as a cited note",
              rank=2),
    KeyAction("doc-entity", "entity_at_caret", "enter", "Entity", "document", "Select the entity under the caret",
              show=False),
    KeyAction("doc-furniture", "toggle_furniture", "f", "Furniture", "document", "Dim or hide page furniture",
              rank=5),
    KeyAction("doc-clear", "clear_selection", "escape", "Clear selection", "document", show=False),
    KeyAction("doc-star", "screen.star_document", "asterisk", "Star", "document",
              "Star this document (again: unstar)", rank=4),
    KeyAction("doc-tags", "screen.tag_document", "number_sign", "Tags", "document", "Tag this document", rank=4),
    KeyAction("doc-read", "screen.read_document", "R", "Read", "document",
              "Mark this document read (again: unread)", rank=5),
    # -- the timeline ----------------------------------------------------------------------------
    KeyAction("timeline-next", "step(1)", "right,l", "Next event", "timeline", show=False),
    KeyAction("timeline-previous", "step(-1)", "left,h", "Previous event", "timeline", show=False),
    KeyAction("timeline-first", "edge(0)", "home,g", "First event", "timeline", show=False),
    KeyAction("timeline-last", "edge(1)", "end,G", "Last event", "timeline", show=False),
    KeyAction("timeline-zoom-in", "zoom(1)", "plus,equals_sign,i", "Zoom in", "timeline",
              "Zoom in (decades → years → months → days)", rank=2),
    KeyAction("timeline-zoom-out", "zoom(-1)", "minus,o", "Zoom out", "timeline", "Zoom out", rank=2),
    KeyAction("timeline-fit", "fit", "0", "Fit", "timeline", "Fit every event to the width", rank=4),
    KeyAction("timeline-open", "choose", "enter", "Open at event", "timeline",
              "Open the document at this event's sentence", rank=3),
    KeyAction("timeline-filter", "screen.entity_timeline", "f", "Entity only", "timeline",
              "Only the events dated in sentences that name the selected entity (again: every event)", rank=3),
    KeyAction("timeline-mark", "toggle_mark", "v", "Mark range", "timeline", "Mark one end of a range of events",
              rank=4),
    KeyAction("timeline-note", "export", "y", "Note", "timeline",
              "Export the marked range (or the visible events) as a note", rank=3),
    KeyAction("timeline-doc-next", "doc_event(1)", "right_square_bracket", "Next in document", "timeline",
              "Next event of the open document", show=False),
    KeyAction("timeline-doc-previous", "doc_event(-1)", "left_square_bracket", "Previous in document", "timeline",
              "Previous event of the open document", show=False),
    KeyAction("timeline-clear", "clear_mark", "escape", "Clear mark", "timeline", show=False),
    KeyAction("timeline-goto", "goto_date", "colon", "Go to date", "timeline",
              "Go to a date: 2009, 2009-05 or 2009-05-26", rank=3),
    KeyAction("timeline-scope", "scope", "s", "Scope", "timeline",
              "Limit entities, documents, mentions, search and appears-with to the marked range's dates "
              "(no range marked: the dates in view); S clears it", rank=2),
    # -- overlays --------------------------------------------------------------------------------
    KeyAction("search-close", "dismiss_search", "escape", "Close", "search", "Return to where you were", rank=1),
    KeyAction("search-down", "move(1)", "down", "Next result", "search", show=False),
    KeyAction("search-up", "move(-1)", "up", "Previous result", "search", show=False),
    KeyAction("search-page-down", "page(1)", "pagedown", "Page down", "search", show=False),
    KeyAction("search-page-up", "page(-1)", "pageup", "Page up", "search", show=False),
    KeyAction("search-jump", "choose", "enter", "Jump", "search", "Jump to the highlighted result", rank=1),
    KeyAction("documents-open", "choose", "enter", "Open", "documents", "Open this document", rank=1),
    KeyAction("documents-filter", "filter", "f", "Filter", "documents",
              "Filter by title, path or author: what you type goes to the filter until enter or esc", rank=1),
    KeyAction("documents-sort", "cycle_sort", "s", "Sort", "documents", "Sort by date, title or path", rank=2),
    KeyAction("documents-close", "close", "escape", "Close", "documents", "Return to the document you were reading",
              rank=1),
    KeyAction("documents-star", "star", "asterisk", "Star", "documents", "Star this document (again: unstar)",
              rank=2),
    KeyAction("documents-tags", "tags", "number_sign", "Tags", "documents", "Tag this document", rank=2),
    KeyAction("documents-read", "toggle_read", "R", "Read", "documents",
              "Mark this document read (again: unread) and move down", rank=2),
    KeyAction("related-passages", "choose", "enter", "Passages", "related",
              "The sentences where both appear", rank=1),
    KeyAction("related-pivot", "pivot", "a", "Appears with", "related",
              "What this entity appears with, in turn", rank=2),
    KeyAction("related-export", "export", "x", "Export", "related", "Export this list as a note", rank=3),
    KeyAction("related-close", "close", "escape", "Close", "related", rank=1),
    KeyAction("passages-open", "choose", "enter", "Open", "passages", "Open the document at this sentence",
              rank=1),
    KeyAction("passages-back", "back", "escape", "Back", "passages", "Back to the entities", rank=1),
    KeyAction("hidden-unhide", "choose", "enter", "Unhide", "hidden", "Show this entity (or name) again",
              rank=1),
    KeyAction("hidden-close", "close", "escape,U", "Close", "hidden", rank=1),
    KeyAction("dialog-confirm", "confirm", "enter", "OK", "dialog", rank=1),
    KeyAction("dialog-cancel", "cancel", "escape", "Cancel", "dialog", "Close without changing anything", rank=1),
    KeyAction("dialog-down", "move(1)", "down", "Next", "dialog", show=False),
    KeyAction("dialog-up", "move(-1)", "up", "Previous", "dialog", show=False),
    KeyAction("skipped-close", "close", "escape,exclamation_mark", "Close", "skipped", rank=1),
    KeyAction("help-close", "close", "escape,q,question_mark", "Close help", "help", rank=1),
    KeyAction("help-down", "scroll(1)", "down,j", "Scroll down", "help", show=False),
    KeyAction("help-up", "scroll(-1)", "up,k", "Scroll up", "help", show=False),
    KeyAction("error-quit", "app.quit", "q", "Quit", "error", rank=1),
    KeyAction("error-continue", "close", "escape", "Continue", "error",
              "Close this message and keep the interface open", rank=1),
    KeyAction("error-rebuild", "rebuild", "r", "Rebuild", "error",
              "Rebuild the store from the files (the old one is replaced)", rank=1),
]

BY_ID: dict[str, KeyAction] = {key.id: key for key in KEYMAP}
# Panes of overlays: the main screen's keys do not reach them.
OVERLAY_PANES = ("search", "documents", "skipped", "help", "error", "related", "passages", "hidden", "dialog")


def bindings(pane: str) -> list[Binding]:
    """Textual bindings of one pane, in table order."""
    return [
        Binding(key.keys, key.action, key.description, show=key.show, tooltip=key.help or key.description,
                id=key.id, priority=key.priority)
        for key in KEYMAP
        if key.pane == pane
    ]


def rank_of(binding_id: str | None) -> int:
    key = BY_ID.get(binding_id or "")
    return key.rank if key else 9


def effective_keys(action: KeyAction, user: dict[str, str]) -> list[str]:
    """The keys ``action`` answers to: the user's keymap wins over the default."""
    return [part.strip() for part in user.get(action.id, action.keys).split(",") if part.strip()]


# -- the user's keymap file ----------------------------------------------------------------------


@dataclass(slots=True)
class UserKeymap:
    keys: dict[str, str]
    problems: list[str]  # one line each: unknown ids, bad values, a file that does not parse


def load_user_keymap(path: Path) -> UserKeymap:
    """Read ``path`` (TOML, a ``[keys]`` table of id = "keys"); a missing file is an empty keymap."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return UserKeymap({}, [])
    except (OSError, UnicodeDecodeError) as error:
        return UserKeymap({}, [f"{path}: cannot read it ({error})"])
    except tomllib.TOMLDecodeError as error:
        return UserKeymap({}, [f"{path}: not valid TOML ({error})"])
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return UserKeymap({}, [f"{path}: [keys] must be a table of id = \"keys\""])
    keys: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in table.items():
        if binding_id not in BY_ID:
            problems.append(f"{path}: no key action {binding_id!r} (the ? screen and README list them)")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: {binding_id} needs a string of keys, like \"n,ctrl+n\"")
        else:
            keys[binding_id] = ",".join(part.strip() for part in value.split(",") if part.strip())
    return UserKeymap(keys, problems)


def clashes(user: dict[str, str]) -> list[str]:
    """Keys that two actions of one pane (or a pane and the main screen) would both claim."""
    found: list[str] = []
    for pane in PANES:
        if pane == "main":
            continue
        claimed: dict[str, str] = {}
        for action in KEYMAP:
            if action.pane not in (pane, "main") or (pane in OVERLAY_PANES and action.pane == "main"):
                continue
            for key in effective_keys(action, user):
                other = claimed.get(key)
                if other is not None and other != action.id and (action.id in user or other in user):
                    found.append(f"{key} is both {other} and {action.id}")
                claimed.setdefault(key, action.id)
    return sorted(set(found))


# -- the README's key table ----------------------------------------------------------------------

_KEY_NAMES = {
    "slash": "/", "question_mark": "?", "exclamation_mark": "!", "left_square_bracket": "[",
    "right_square_bracket": "]", "plus": "+", "minus": "-", "equals_sign": "=", "dollar_sign": "$",
    "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "pgup", "pagedown": "pgdn",
    "escape": "esc", "space": "space", "colon": ":", "asterisk": "*", "number_sign": "#",
}
README_PANES = ["main", "entities", "filter", "mentions", "document", "timeline", "lists", "search", "documents",
                "related", "passages", "hidden", "dialog", "skipped"]


def key_label(keys: str) -> str:
    """``up,k`` -> ``↑/k``: how the README and a terminal user write keys."""
    return "/".join(_KEY_NAMES.get(key, key) for key in keys.split(","))


def readme_table() -> str:
    """The README's key table, made from this keymap (a test checks the README holds it)."""
    lines = ["| where | keys |", "| --- | --- |"]
    for pane in README_PANES:
        title = PANES[pane].title
        cells = [f"`{key_label(action.keys)}` {action.description.lower()}" for action in KEYMAP if action.pane == pane]
        lines.append(f"| {title} | {' · '.join(cells)} |")
    return "\n".join(lines)


def readme_ids() -> str:
    """The ids a user's keymap can name, pane by pane (the README lists them under the table)."""
    lines = []
    for pane in README_PANES:
        ids = ", ".join(f"`{action.id}`" for action in KEYMAP if action.pane == pane)
        lines.append(f"- {PANES[pane].title}: {ids}")
    return "\n".join(lines)
