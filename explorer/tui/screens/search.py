"""SearchScreen: search as you type over the store's search index; Enter jumps, Escape returns."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from explorer.corpus import Searcher
from explorer.model import SearchHit
from explorer.tui import keymap
from explorer.tui.widgets.search_results import MAX_RESULTS, SearchResults
from explorer.tui.wording import count


class SearchScreen(ModalScreen[SearchHit | None]):
    """An overlay: the query box, a status line and the grouped results."""

    BINDING_GROUP_TITLE = "Search"

    BINDINGS: list[BindingType] = keymap.bindings("search")  # type: ignore[assignment]

    def __init__(self, searcher: Searcher | None, query: str = "") -> None:
        super().__init__()
        self.searcher = searcher
        self.initial = query
        self.last_query: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(value=self.initial, placeholder="search people, organisations, places, terms, passages",
                        id="search-input")
            yield Static("", id="search-status", markup=False)
            yield SearchResults(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-box").border_title = "Search"
        self.query_one("#search-box").border_subtitle = "↑/↓ move · enter jump · esc back"
        field = self.query_one(Input)
        field.cursor_blink = False
        field.focus()
        self.run_search(field.value)

    @property
    def results(self) -> SearchResults:
        return self.query_one(SearchResults)

    def set_searcher(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.run_search(self.query_one(Input).value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        self.action_choose()

    def run_search(self, query: str) -> None:
        status = self.query_one("#search-status", Static)
        if self.searcher is None:
            status.update("The search index is still being built; results appear when it is ready")
            return
        if not query.strip():
            self.last_query = query
            self.results.set_hits([], "Type to search names, terms and passages")
            status.update("")
            return
        self._search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        searcher = self.searcher
        if searcher is None:
            return
        try:
            hits = searcher.search(query, limit=MAX_RESULTS)
            error = ""
        except Exception as exc:  # a bad query must never end the app
            hits, error = [], f"Search failed: {exc}"
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show, query, hits, error)

    def _show(self, query: str, hits: list[SearchHit], error: str) -> None:
        if not self.is_attached or query != self.query_one(Input).value:
            return  # a stale answer: the user typed on
        self.last_query = query
        entities = sum(1 for hit in hits if hit.kind == "entity")
        self.results.set_hits(hits, error if error else "No match")
        self.refresh_bindings()
        status = self.query_one("#search-status", Static)
        if error:
            status.update(error)
        else:
            status.update(f"{count(entities, 'entity')} · {count(len(hits) - entities, 'passage')}")

    def action_move(self, delta: int) -> None:
        results = self.results
        if delta > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    def action_page(self, delta: int) -> None:
        if delta > 0:
            self.results.action_page_down()
        else:
            self.results.action_page_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and self.is_mounted and self.results.current is None:
            return None  # shown dimmed: no result to jump to
        return True

    def action_choose(self) -> None:
        hit = self.results.current
        if hit is not None:
            self.dismiss(hit)

    def action_dismiss_search(self) -> None:
        self.dismiss(None)
