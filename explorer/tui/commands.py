"""The command palette (ctrl+p): every action of the keymap that a pane can run, by name.

Built from the same table as the key bar and the help screen (``explorer.tui.keymap``),
so nothing is missed; plain cursor moves are left out. Keys with nothing to do now are
offered too, and do nothing, as their key would. Themes are Textual's own "Theme" command
plus "Theme: dark" and "Theme: light" (``ExplorerApp.get_system_commands``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from explorer.tui import keymap

if TYPE_CHECKING:
    from explorer.tui.app import ExplorerApp


class ExplorerCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        app = cast("ExplorerApp", self.app)
        found: list[tuple[str, str, object]] = []
        for action in keymap.KEYMAP:
            pane = keymap.PANES[action.pane]
            if pane.target is None or not (action.show or action.help):
                continue  # overlay keys work only inside their overlay; bare cursor moves are not commands
            name = f"{pane.title}: {action.description}"
            help_text = f"{action.help or action.description} ({app.keys_of(action)})"
            found.append((name, help_text, partial(app.run_pane_action, pane.target, action.action)))
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)  # type: ignore[arg-type]
