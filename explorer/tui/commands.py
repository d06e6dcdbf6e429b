"""The command palette (ctrl+p): every key binding of every pane, by name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from explorer.tui.app import ExplorerApp


class ExplorerCommands(Provider):
    """Commands are built from the same registry as the help screen, so nothing is missed."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = cast("ExplorerApp", self.app)
        found: list[tuple[str, str, object]] = []
        for title, keys, description, tooltip, target, action in app.binding_registry():
            if target is None:
                continue  # overlays: their keys work only inside them
            name = f"{title}: {description}"
            help_text = f"{tooltip or description} ({keys})"
            found.append((name, help_text, partial(app.run_pane_action, target, action)))
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
