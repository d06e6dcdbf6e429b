"""ExplorerApp: the corpus (through ``explorer.corpus``), the overlays, notes, keys and themes.

The main screen (``screens/main.py``) holds the panes and what is being read; this App
holds the open corpus and everything that lives above one screen. The corpus service runs
in one thread (the store worker) and reports each step, which the worker turns into a
message (``tui/messages.py``); nothing here opens a store or parses text.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from explorer import corpus, notes
from explorer.model import (
    CorpusEntity,
    CorpusEvent,
    Correction,
    DocumentMarks,
    MentionLine,
    SearchHit,
    StoredDocument,
)
from explorer.store.api import StoreError
from explorer.store.scope import Period
from explorer.textsafe import inert_line
from explorer.tui import keymap
from explorer.tui.commands import ExplorerCommands
from explorer.tui.idle_gc import CHECK_SECONDS, IdleCollector
from explorer.tui.messages import (
    IndexFinished,
    IndexProgress,
    IndexWaiting,
    SearchReady,
    SessionChanged,
    StoreFailed,
    StoreOpened,
    message_for,
)
from explorer.tui.screens.dialogs import TextDialog
from explorer.tui.screens.documents import DocumentsScreen, parse_tags
from explorer.tui.screens.error import StoreErrorScreen
from explorer.tui.screens.help import HelpScreen, HelpSection
from explorer.tui.screens.main import MainScreen
from explorer.tui.screens.related import Counted, PassageTarget, RelatedScreen, count_related
from explorer.tui.screens.search import SearchScreen
from explorer.tui.screens.skipped import SkippedScreen
from explorer.tui.session import CorpusSession
from explorer.tui.widgets.filter_box import FilterInput
from explorer.tui.wording import count, ratio

if TYPE_CHECKING:
    from explorer.store.api import CorpusReader, IndexReport
    from explorer.tui.widgets.doc_view import DocView
    from explorer.tui.widgets.entity_sidebar import EntitySidebar
    from explorer.tui.widgets.mention_list import MentionList
    from explorer.tui.widgets.status_line import StatusLine
    from explorer.tui.widgets.timeline_strip import TimelineStrip

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
TOAST_SECONDS = 3.0
RELATED_PATIENCE = 0.1  # s: a count of "appears with" taking longer opens the overlay, saying it counts


@dataclass
class RelatedAsked:
    """"Appears with" asked for and being counted before its overlay opens."""

    session: CorpusSession
    entity: CorpusEntity
    timer: Timer | None = None


@dataclass
class NoteDelivered(Message):
    note: notes.Note
    delivery: notes.Delivery


@dataclass
class TimelineLoaded(Message):
    """The dated events of ``session`` are read (``problem``: they could not be, in one line)."""

    session: CorpusSession
    problem: str = ""


def load_settings(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(path: Path, settings: dict[str, object]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # the theme is forgotten next time; nothing else is lost


class ExplorerApp(App[int]):
    """explorer's interface over one corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "explorer"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    BINDING_GROUP_TITLE = "Everywhere"
    BINDINGS: list[BindingType] = [
        *[binding for binding in keymap.bindings("main") if binding.id == "search-anywhere"],
        Binding("ctrl+p", "command_palette", "Commands", show=False, tooltip="Every action by name", id="palette"),
    ]

    def __init__(
        self,
        corpus_path: Path | None = None,
        *,
        db: Path | None = None,
        notes_path: Path | None = None,
        reader: CorpusReader | None = None,
        searcher: corpus.Searcher | None = None,
        index: bool = True,
        clipboard: Sequence[notes.ClipboardCommand] | None = None,
        now: Callable[[], str] | None = None,
        keymap_path: Path | None = None,
        settings_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus_path
        self.db = db
        self.notes_path = notes_path
        self.index_on_open = index
        self.clipboard_commands = list(clipboard) if clipboard is not None else None
        self.now = now
        self._keymap_path = keymap_path
        self._settings_path = settings_path
        self.target = corpus.target_for(corpus_path, db) if reader is None else None
        # Set once the first screen's lists, document and events are read: an index run waits for it.
        self.first_screen_read = threading.Event()
        self.service = self._new_service(reader, searcher)
        self.session: CorpusSession | None = None
        self.last_note: notes.Note | None = None
        self.last_delivery: notes.Delivery | None = None
        self.store_error: str | None = None
        self.indexing = False
        self.waiting_for_other = False
        self.user_keys: dict[str, str] = {}
        self.started = time.perf_counter()
        self.first_paint: float | None = None
        self._store_thread: threading.Thread | None = None
        self._timeline_thread: threading.Thread | None = None
        self._counts_said = ""  # the status line's counts, said before the events were read
        self._counts_lead = ""  # what the status line said before them (an index run's report)
        self._settings: dict[str, object] = {}
        self.period: Period | None = None  # the scope chosen: kept when the store is refreshed
        # Corrections and scopes are made one at a time, each on the newest session (``_head``,
        # which the interface may not show yet).
        self._session_lock = threading.Lock()
        self._marks_write_lock = threading.Lock()  # one marks write at a time, so the newest lands last
        self._related_asked: RelatedAsked | None = None  # "appears with" asked for, being counted
        self._head: CorpusSession | None = None
        self.last_change_seconds: float | None = None  # a correction or scope, asked for -> shown
        self.last_change_cpu: float | None = None  # the CPU seconds of that (worker and interface thread)
        self.idle_gc = IdleCollector()  # the collector's full passes wait until the keys rest

    def _new_service(self, reader: CorpusReader | None, searcher: corpus.Searcher | None) -> corpus.CorpusService:
        return corpus.CorpusService(self.target, index="always" if self.index_on_open else "never",
                                    process_helpers=True, reader=reader, searcher=searcher,
                                    settled=self.first_screen_read)

    # -- start -----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        self._apply_settings()
        self._apply_user_keymap()
        self.idle_gc.start()
        self.set_interval(CHECK_SECONDS, self.idle_gc.tick, name="idle-gc")
        # The store loads in a thread that competes for the interpreter: start it once the
        # first frame is on screen.
        self.call_after_refresh(self._painted)
        self.call_after_refresh(self._start_store_thread)

    def _painted(self) -> None:
        if self.first_paint is None:
            self.first_paint = time.perf_counter() - self.started

    def _apply_settings(self) -> None:
        from explorer.paths import settings_path

        self._settings_path = self._settings_path or settings_path()
        self._settings = load_settings(self._settings_path)
        theme = self._settings.get("theme")
        self.theme = theme if isinstance(theme, str) and theme in self.available_themes else DARK_THEME
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if name and self._settings.get("theme") != name and self._settings_path is not None:
            self._settings["theme"] = name
            save_settings(self._settings_path, self._settings)

    def _apply_user_keymap(self) -> None:
        from explorer.paths import keymap_path

        path = self._keymap_path or keymap_path()
        loaded = keymap.load_user_keymap(path)
        problems = list(loaded.problems) + keymap.clashes(loaded.keys)
        self.user_keys = loaded.keys
        if loaded.keys:
            self.set_keymap(loaded.keys)
        if problems:
            self.notify("\n".join(problems[:5]), title="Keymap", severity="warning", timeout=8, markup=False)

    # -- the panes (on the main screen) ----------------------------------------------------

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def document(self) -> StoredDocument | None:
        return self.main.document

    @property
    def selected_entity(self) -> CorpusEntity | None:
        return self.main.selected_entity

    @property
    def timeline_entity(self) -> CorpusEntity | None:
        return self.main.timeline_entity

    @property
    def doc_view(self) -> DocView:
        return self.main.doc_view

    @property
    def sidebar(self) -> EntitySidebar:
        return self.main.sidebar

    @property
    def mention_list(self) -> MentionList:
        return self.main.mention_list

    @property
    def timeline(self) -> TimelineStrip:
        return self.main.timeline

    @property
    def status(self) -> StatusLine:
        return self.main.status

    def open_document(
        self, doc_id: str, offset: int = 0, select: tuple[int, int] | None = None, reload: bool = False
    ) -> None:
        self.main.open_document(doc_id, offset, select, reload)

    def select_entity(self, entity: CorpusEntity | None) -> None:
        self.main.select_entity(entity, settle_now=True)

    @property
    def busy_indexing(self) -> bool:
        """An index run is on (quitting stops it; what was extracted is saved first)."""
        return self.service.indexing.is_set()

    def _notes_path(self) -> Path:
        if self.notes_path is not None:
            return self.notes_path
        from explorer.paths import default_notes_path

        return default_notes_path()

    # -- the store worker --------------------------------------------------------------------

    def _start_store_thread(self, rebuild: bool = False) -> None:
        """Run the corpus service in a daemon thread; each update it reports becomes a message.

        Not a Textual thread worker: those run in asyncio's default executor, which the app
        joins on exit, so quitting during a search build would wait for it. Quitting during an
        index run stops it through ``service.stop()``; ``wait_for_saved`` lets the caller wait
        for what was extracted to be written.
        """
        if self.target is not None and rebuild is False:
            corpus.remember_opened(self.target)
        self._store_thread = threading.Thread(
            target=self._store_job, args=(rebuild,), name="explorer-store", daemon=True
        )
        self._store_thread.start()

    def _store_job(self, rebuild: bool) -> None:
        def emit(update: corpus.CorpusUpdate) -> None:
            self.post_message(message_for(update, self.period))

        try:
            self.service.run(emit, rebuild=rebuild)
        except Exception as error:  # never a traceback in the interface: say it plainly
            self.post_message(StoreFailed(f"The store could not be read: {type(error).__name__}: {error}"))

    def wait_for_saved(self, timeout: float | None = None) -> bool:
        """After quitting: wait until a stopped index run has written what it extracted."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.service.indexing.is_set():  # cleared once the run has written and returned
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    async def action_quit(self) -> None:
        self.service.stop()  # an index run writes what it has, between two files
        self.exit(self.return_code or 0)

    def on_store_opened(self, message: StoreOpened) -> None:
        session = message.session
        corpus.freeze_long_lived()
        old = self.session
        if old is not None and session.search is None and old.search is not None:
            session.search = old.search  # the new index arrives with SearchReady; names still match meanwhile
        self.session = session
        self.store_error = None
        self._update_title()
        self.main.show_session(session, message.refreshed)
        if not self.indexing and not self.waiting_for_other:
            self._say_counts(session)
        self.main.refresh_bindings()
        # After the frame that shows the list: a thread reading a million events would slow that frame.
        self._load_timeline(session, after_refresh=True)
        if session.problem:
            self.notify(session.problem, title="Corrections", severity="error", timeout=10, markup=False)
        elif session.issues():
            from explorer.store.corrected import issues_message

            self.notify(issues_message(session.issues()), title="Corrections", severity="warning", timeout=8,
                        markup=False)
        if session.user is not None and session.user.version != session.user_version:
            self._change_session(None, None, "")  # a correction landed while this store was loading

    def _say_counts(self, session: CorpusSession, lead: str = "") -> None:
        """The corpus's counts on the status line, after ``lead`` (what an index run did) if given; remembered
        so that the events' arrival says them again with the events' count."""
        if lead:
            said = f"{lead}{self._skipped_note()} · {session.counts_line()}"
        else:
            said = f"{inert_line(session.name)}: {session.counts_line()}{self._skipped_note()}"
        self._counts_said, self._counts_lead = said, lead
        self.status.show(said)

    # -- the timeline's events: read after the first screen shows ------------------------------

    def _load_timeline(self, session: CorpusSession, after_refresh: bool = False) -> None:
        """Read the events of ``session`` in a daemon thread (seconds at 100,000 documents), started after
        the next frame (``after_refresh``) or at once; like the store thread, quitting never waits for it."""
        if session.timeline_ready:
            return
        thread = threading.Thread(target=self._timeline_job, args=(session,), name="explorer-timeline", daemon=True)
        self._timeline_thread = thread  # not started yet (``ident`` None) counts as under way
        if after_refresh:
            self.call_after_refresh(thread.start)
        else:
            thread.start()

    def _timeline_job(self, session: CorpusSession) -> None:
        try:
            session.load_timeline()
        except Exception as error:  # never a traceback: the rest of the interface works without it
            self.post_message(TimelineLoaded(session, f"The dated events could not be read: "
                                                      f"{type(error).__name__}: {error}"))
            return
        self.post_message(TimelineLoaded(session))

    def on_timeline_loaded(self, message: TimelineLoaded) -> None:
        self.first_screen_read.set()
        session, shown = message.session, self.session
        if message.problem:
            if session is shown:
                self.main.timeline.show_unreadable(message.problem)
            self.status.show(message.problem, "error")
            return
        if shown is None or shown is not session:
            if shown is not None and shown.store is session.store:
                self._load_timeline(shown)  # a correction or a scope came meanwhile: place its events
            return
        corpus.freeze_long_lived()
        self.main.timeline_loaded(session)
        self._update_title()
        status = getattr(self.status.content, "plain", None)
        if self._counts_said and status == self._counts_said:  # still the counts: now with the events'
            self._say_counts(session, self._counts_lead)

    def _update_title(self) -> None:
        session = self.session
        if session is None:
            return
        # the scope before the counts: a narrow title bar cuts its end, and the scope matters more
        scope = f" · scope {session.scope_label()}" if session.period is not None else ""
        self.sub_title = f"{inert_line(session.name)}{scope} · {session.counts_line()}"

    def on_search_ready(self, message: SearchReady) -> None:
        corpus.freeze_long_lived()
        session = self.session
        if session is not None and session.store is message.store:
            session.search = message.search
            head = self._head
            if head is not None and head.store is message.store and head is not session:
                head.search = message.search
        if isinstance(self.screen, SearchScreen) and session is not None and session.search is not None:
            self.screen.set_searcher(session.search)
        if session is not None and session.store is message.store:
            self._prepare_workbench(session)

    def on_store_failed(self, message: StoreFailed) -> None:
        self.indexing = False
        self.store_error = message.message
        self.status.show(message.message, "error")
        if message.fatal:
            self.push_screen(StoreErrorScreen(message.message, message.can_rebuild), self._error_closed)
        else:
            self.notify(message.message, severity="error", timeout=6, markup=False)

    def _error_closed(self, rebuild: bool | None) -> None:
        if rebuild:
            self.store_error = None
            self.status.show("Rebuilding the store from the files…", "busy")
            self.service = self._new_service(None, None)
            self._start_store_thread(rebuild=True)

    def on_index_waiting(self, message: IndexWaiting) -> None:
        self.waiting_for_other = True
        where = inert_line(Path(message.corpus).name or message.corpus)
        if message.showing:
            text = f"Another explorer is indexing {where}: showing the last complete store; follows when it lands"
        else:
            text = f"Another explorer is indexing {where}: waiting for it to finish…"
            self.main.pane.show_empty(text)
        self.status.show(text, "busy")

    def on_index_progress(self, message: IndexProgress) -> None:
        self.indexing = True
        self.waiting_for_other = False
        if message.total:
            width = 20
            filled = int(width * message.done / max(1, message.total))
            bar = "█" * filled + "░" * (width - filled)
            self.status.show(f"Indexing {bar} {ratio(message.done, message.total)}  {inert_line(message.path)}",
                             "busy")
        else:
            self.status.show(f"Indexing {inert_line(message.path)}: looking for changes…", "busy")

    def on_index_finished(self, message: IndexFinished) -> None:
        self.indexing = False
        self.waiting_for_other = False
        # what is new first: the run, the files it could not read, then the counts (also in the title)
        lead = report_line(message.report, message.stopped)
        if self.session is not None:
            self._say_counts(self.session, lead)
        else:
            self.status.show(f"{lead} · ")
        self.main.refresh_bindings()

    def _skipped_note(self) -> str:
        skipped = self.session.skipped if self.session else ()
        if not skipped:
            return ""
        return f" · {count(len(skipped), 'file')} not read (! shows why)"

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            text = f"{event.worker.description or event.worker.name} failed: {type(error).__name__}: {error}"
            self.status.show(text, "error")
            self.notify(text, severity="error", timeout=8, markup=False)

    # -- corrections and scope: a new session, made in a worker ----------------------------

    def correct(self, correction: Correction | None, keep: str | None = None, focus_list: bool = True) -> None:
        """Save ``correction`` in the user file and show the corpus with it (``keep``: the entity to select)."""
        self._change_session(correction, keep, "correct", focus_list=focus_list)

    def action_undo_correction(self) -> None:
        keep = self.selected_entity.entity_id if self.selected_entity else None
        self._change_session(None, keep, "undo")

    def set_scope(self, period: Period | None) -> None:
        """Limit every list to ``period`` (None: the whole corpus)."""
        self.period = period
        keep = self.selected_entity.entity_id if self.selected_entity else None
        self._change_session(None, keep, "scope")

    def action_clear_scope(self) -> None:
        if self.period is not None:
            self.status.show("Clearing the scope…", "busy")
            self.set_scope(None)

    @work(thread=True, group="session", exit_on_error=False, description="apply the change")
    def _change_session(self, correction: Correction | None, keep: str | None, kind: str,
                        focus_list: bool = False) -> None:
        """One change at a time (a lock), on the newest session: save it, then read the corpus through it.

        ``kind``: "correct" (``correction``), "undo", "scope" (``self.period``), or "" (read the
        user file's corrections again).
        """
        from explorer.store.corrected import describe

        started = time.perf_counter()
        with self._session_lock:
            cpu_started = time.thread_time()
            shown = self.session
            if shown is None:
                return
            head = self._head if self._head is not None and self._head.store is shown.store else shown
            user = head.user
            undone: Correction | None = None
            try:
                if kind == "correct" and correction is not None and user is not None:
                    user.add_correction(correction)
                if kind == "undo" and user is not None:
                    undone = user.undo()
                corrections = user.corrections() if user is not None else head.corrections
            except StoreError as error:
                self.call_from_thread(self.notify, str(error), title="Corrections", severity="error", timeout=8,
                                      markup=False)
                return
            if user is None and kind == "correct" and correction is not None:
                corrections.append(correction)
            if user is None and kind == "undo" and corrections:
                undone = corrections.pop()
            if kind == "undo" and undone is None:
                self.call_from_thread(self.notify, "No correction to undo", timeout=TOAST_SECONDS, markup=False)
                return
            changed = kind == "scope" or corrections != head.corrections or kind == ""
            corrected = head.corrected.with_corrections(corrections) if changed and kind != "scope" else None
            new = head.derive(corrected, self.period) if kind == "scope" else head.derive(corrected)
            if user is not None:
                new.user_version = user.version
            self._head = new
            cpu = time.thread_time() - cpu_started
        said = ""
        if kind == "correct" and correction is not None:
            said = self._outcome(new, correction, keep)
        elif kind == "undo" and undone is not None:
            said = f"Undone: {describe(undone)}"
        elif kind == "scope":
            said = f"Scope: {new.scope_label()} · {new.counts_line()} (S clears it)" if new.period else \
                f"Scope cleared: {new.counts_line()}"
        self.post_message(SessionChanged(new, keep, said, started, focus_list, cpu))

    @staticmethod
    def _outcome(session: CorpusSession, correction: Correction, keep: str | None) -> str:
        """One line on what a correction did, read back from the corrected corpus."""
        from explorer.store.corrected import describe

        issue = next((i for i in session.issues() if i.correction.correction_id == correction.correction_id
                      and correction.correction_id), None)
        if issue is not None:
            return f"Could not apply: {describe(correction)} ({issue.reason})"
        entity = None
        if keep is not None:
            try:
                entity = session.corrected.entity(session.corrected.resolve_id(keep))
            except KeyError:
                entity = None
        verb = {"merge": "Merged", "rename": "Renamed", "retype": "Retyped", "split": "Split",
                "hide": "Hidden", "unhide": "Shown again"}[correction.action]
        if correction.action == "split":
            found = [e for e in session.corrected.lookup(f"{correction.entities[0].type}:{correction.value}")
                     if e.entity_id != (entity.entity_id if entity else None)]
            entity = found[0] if found else entity
        if correction.action in ("hide", "unhide") and correction.surface is not None:
            where = "everywhere" if correction.action == "hide" else "again everywhere"
            return f"{verb} {where}: “{inert_line(correction.surface)}” · u undoes"
        if correction.action == "hide":
            return f"{verb}: {inert_line(correction.entities[0].name)} (U lists hidden entities) · u undoes"
        if entity is None:
            return f"{verb}: {describe(correction)} · u undoes"
        return (f"{verb}: {inert_line(entity.name)} ({entity.type}, {count(entity.count, 'mention')} in "
                f"{count(entity.doc_count, 'document')}) · u undoes")

    def on_session_changed(self, message: SessionChanged) -> None:
        cpu_started = time.thread_time()
        session, shown = message.session, self.session
        if shown is None or session.store is not shown.store:
            # The store was refreshed meanwhile: read the user file's corrections onto the new one.
            self._change_session(None, message.keep, "")
            return
        if session.index is None and shown.index is not None:
            session.search = shown.index
        self.session = session
        self._update_title()
        self.main.session_changed(session, message.keep, message.focus_list)
        self._load_timeline(session)  # at once when its events were read before
        if message.said:
            self.status.show(message.said)
            self.notify(message.said, timeout=TOAST_SECONDS + 1, markup=False)
        if isinstance(self.screen, SearchScreen) and session.search is not None:
            self.screen.set_searcher(session.search)
        self.last_change_seconds = time.perf_counter() - message.started if message.started else None
        self.last_change_cpu = message.cpu + time.thread_time() - cpu_started

    # -- document marks: star, tags, read ----------------------------------------------------

    def toggle_document_mark(self, doc_id: str, kind: str) -> DocumentMarks | None:
        """Star or mark read (``kind``: "star" or "read") a document, or take the mark off again."""
        session = self.session
        if session is None:
            return None
        marks = session.marks_of(doc_id)
        if kind == "star":
            marks = replace(marks, starred=not marks.starred)
        else:
            marks = replace(marks, read=not marks.read)
        self.save_marks(marks)
        return marks

    def edit_tags(self, doc_id: str) -> None:
        """A dialog for a document's tags (commas between them); saved when confirmed."""
        session = self.session
        if session is None:
            return
        marks = session.marks_of(doc_id)
        summary = session.doc_by_id.get(doc_id)
        title = inert_line(summary.title if summary and summary.title else Path(marks.path).name)
        in_use = session.tags_in_use()
        listed = ", ".join(f"{tag} ({number})" for tag, number in in_use.most_common(12))
        note = ("Tags, separated by commas; #tag in the document list's filter (d, then f) finds the documents "
                "that have one." + (f"\nIn use: {listed}" if listed else ""))

        def tagged(value: str | None) -> None:
            if value is not None:
                self.save_marks(replace(marks, tags=parse_tags(value)))

        self.push_screen(TextDialog(f"Tags of {title}", note, ", ".join(marks.tags), (), lambda _: "",
                                    placeholder="e.g. nuclear, follow-up", suggestions=list(in_use)), tagged)

    def save_marks(self, marks: DocumentMarks) -> None:
        """Show ``marks`` at once, and write them to the user file in a worker."""
        session = self.session
        if session is None:
            return
        previous = session.marks.get(marks.path)
        if marks.starred or marks.read or marks.tags:
            session.marks[marks.path] = marks  # the dict every session of this store shares
        else:
            session.marks.pop(marks.path, None)
        self._marks_changed(marks.path)
        if session.user is not None:
            self._write_marks(session, marks, previous)

    @work(thread=True, group="marks", exit_on_error=False, description="save the document's marks")
    def _write_marks(self, session: CorpusSession, marks: DocumentMarks, previous: DocumentMarks | None) -> None:
        # `*` pressed twice quickly starts two writers: each writes the document's marks as they are when
        # it holds the lock (not as they were when it started), so the file ends as the screen shows.
        try:
            assert session.user is not None
            with self._marks_write_lock:
                session.user.set_marks(session.marks.get(marks.path) or DocumentMarks(marks.path))
        except StoreError as error:
            self.call_from_thread(self._marks_failed, session, marks, previous, str(error))

    def _marks_failed(self, session: CorpusSession, marks: DocumentMarks, previous: DocumentMarks | None,
                      error: str) -> None:
        # Show what the file still holds, unless a newer change has been made since (its own write reports).
        if session.marks.get(marks.path, DocumentMarks(marks.path)) == marks:
            if previous is None:
                session.marks.pop(marks.path, None)
            else:
                session.marks[marks.path] = previous
        self._marks_changed(marks.path)
        self.notify(f"The marks could not be saved: {error}", severity="error", timeout=8, markup=False)

    def _marks_changed(self, path: str) -> None:
        self.main.marks_changed(path)
        for screen in self.screen_stack:
            if isinstance(screen, DocumentsScreen):
                screen.marks_changed()

    # -- appears with ------------------------------------------------------------------------

    def show_related(self, entity: CorpusEntity) -> None:
        """The "appears with" overlay for ``entity``; a passage chosen there opens its document.

        Counted first, then opened with the list (one frame, the count not competing with it); a count
        slower than ``RELATED_PATIENCE`` (the first of a corpus builds its arrays) opens the overlay
        at once, and it counts and says so itself.
        """
        if self.session is None or self.screen is not self.main or self._related_asked is not None:
            return
        asked = RelatedAsked(self.session, entity)
        self._related_asked = asked
        asked.timer = self.set_timer(RELATED_PATIENCE, lambda: self._open_related(asked, None))
        self._count_related_first(asked)

    def on_unmount(self) -> None:
        self.idle_gc.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_gc.input_came()
        if isinstance(event, events.Key) and not event.is_forwarded and self._related_asked is not None:
            # Typed while "appears with" counts: open the overlay now, so the key goes to it and never to the
            # screen behind (it counts itself; the count in flight is dropped).
            self._open_related(self._related_asked, None)
        elif isinstance(event, events.Key) and event.is_forwarded and event.is_printable and event.character:
            # A letter bubbling back here while a text box has the focus was queued for the widget that had
            # the focus before (keys typed fast or pasted: e f obama, or R then a name); a box stops its own
            # letters. It is text for the box, never a command (a would open "appears with", m the mentions),
            # unless it was typed before the key that opened a filter box (s f: sort, then filter).
            focused = self.screen.focused
            if isinstance(focused, FilterInput) and focused.opened_by is not None and event.time < focused.opened_by:
                await self._run_key_of(focused.owner.listing, event.key)
                return
            if isinstance(focused, Input):
                focused.insert_text_at_cursor(event.character)
                return
        if not (isinstance(event, events.Key) and self.screen_stack):
            await super().on_event(event)
            return
        focused_before = self.screen.focused
        await super().on_event(event)
        focused = self.screen.focused if self.screen_stack else None
        if isinstance(focused, FilterInput) and focused is not focused_before and focused.opened_by is None:
            focused.opened_by = event.time  # this key's binding opened the box (f bubbled back from another pane)

    async def _run_key_of(self, widget: Widget, key: str) -> None:
        """Run what ``key`` does for ``widget`` (its own bindings first, then its ancestors', as if it had the focus)."""
        for node in (widget, *widget.ancestors):
            bindings = node._bindings.key_to_bindings.get(key, ())
            if bindings:
                await self.run_action(bindings[0].action, node)
                return

    @work(thread=True, group="related-first", exit_on_error=False, description="count who appears with whom")
    def _count_related_first(self, asked: RelatedAsked) -> None:
        try:
            counted: Counted | None = count_related(asked.session, asked.entity)
        except (KeyError, StoreError):
            counted = None  # the overlay counts again and shows what went wrong
        self.call_from_thread(self._open_related, asked, counted)

    def _open_related(self, asked: RelatedAsked, counted: Counted | None) -> None:
        if self._related_asked is not asked:
            return  # opened already (a slow count: the overlay counts itself)
        self._related_asked = None
        if asked.timer is not None:
            asked.timer.stop()
        if self.screen is not self.main:
            return  # another overlay was opened meanwhile
        self.push_screen(RelatedScreen(asked.session, asked.entity, counted), self._passage_chosen)

    def _passage_chosen(self, target: PassageTarget | None) -> None:
        if target is not None:
            self.main.open_document(target.doc_id, target.start, (target.start, target.end))
            self.main.doc_view.focus()

    @work(thread=True, group="cooccurrence", exit_on_error=False, description="count who appears with whom")
    def _prepare_workbench(self, session: CorpusSession) -> None:
        """After the store is searchable: key the names (a first correction needs them) and count who appears
        with whom (the arrays of "appears with": seconds at 10,000 documents the first time, then a file read)."""
        session.corrected.prepare()
        arrays_of = getattr(session.store, "cooccurrence_arrays", None)
        if arrays_of is None:
            return
        started = time.perf_counter()
        with session.cooccurrence_lock:
            arrays_of()
        seconds = time.perf_counter() - started
        if seconds > 1.0:
            self.call_from_thread(self._say_ready, seconds)

    def _say_ready(self, seconds: float) -> None:
        if not self.indexing and not self.waiting_for_other:
            self.status.show(f"“Appears with” (a) is ready: counted who appears with whom in {seconds:.0f} s")

    # -- notes -----------------------------------------------------------------------------

    def export_passage(self, document: StoredDocument, start: int, end: int) -> None:
        entities = self.session.entity_by_id if self.session else {}
        marks = self.session.marks_of(document.summary.doc_id) if self.session else None
        self.deliver_note(notes.passage_note(document, start, end, entities, now=self._now(), marks=marks))

    def _tags_by_document(self) -> dict[str, list[str]]:
        session = self.session
        if session is None or not session.marks:
            return {}
        return {doc.doc_id: session.marks[doc.path].tags for doc in session.documents
                if doc.path in session.marks and session.marks[doc.path].tags}

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="export the mentions")
    def load_and_export_mentions(self, entity: CorpusEntity) -> None:
        if self.session is None:
            return
        mentions = self.session.reader.mentions(entity.entity_id)
        self.call_from_thread(self.export_mentions, entity, mentions)

    def export_mentions(self, entity: CorpusEntity, mentions: list[MentionLine]) -> None:
        paths = self.session.paths if self.session else {}
        self.deliver_note(notes.mentions_note(entity, mentions, paths, now=self._now(), tags=self._tags_by_document()))

    def export_timeline(self, events: list[CorpusEvent], label: str) -> None:
        paths = self.session.paths if self.session else {}
        self.deliver_note(notes.timeline_note(events, label, paths, now=self._now(), tags=self._tags_by_document()))

    def _now(self) -> str | None:
        return self.now() if self.now else None

    def deliver_note(self, note: notes.Note) -> None:
        """Notes file first, then the clipboards; a toast says where it went."""
        self.last_note = note
        self._deliver(note)

    @work(thread=True, group="notes", exit_on_error=False, description="save the note")
    def _deliver(self, note: notes.Note) -> None:
        commands = self.clipboard_commands if self.clipboard_commands is not None else notes.clipboard_commands()

        def osc52(text: str) -> None:
            self.call_from_thread(self.copy_to_clipboard, text)

        delivery = notes.deliver(note, self._notes_path(), osc52=osc52, commands=commands)
        self.post_message(NoteDelivered(note, delivery))

    def on_note_delivered(self, message: NoteDelivered) -> None:
        self.last_delivery = delivery = message.delivery
        severity = "information"
        if delivery.lost:
            severity = "error"
        elif delivery.save_error:
            severity = "warning"
        self.notify(f"{message.note.title}: {delivery.summary()}", title="Note exported",
                    severity=severity, timeout=TOAST_SECONDS + 1, markup=False)  # type: ignore[arg-type]

    # -- overlays --------------------------------------------------------------------------

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            return
        searcher = self.session.search if self.session else None
        self.push_screen(SearchScreen(searcher), self._search_done)

    def _search_done(self, hit: SearchHit | None) -> None:
        if hit is None or self.session is None:
            return
        main = self.main
        if hit.kind == "entity" and hit.entity_id:
            entity = self.session.entity_by_id.get(hit.entity_id)
            if entity is not None and main.sidebar.select_entity(hit.entity_id):
                main.select_entity(entity, settle_now=True)
                main.mention_list.focus()
                return
            self.notify("That entity is no longer in the store", severity="warning", timeout=TOAST_SECONDS,
                        markup=False)
            return
        doc_id = hit.doc_id or next(
            (doc.doc_id for doc in self.session.documents if doc.path == hit.document), None
        )
        if doc_id is None:
            self.notify("That passage's document is no longer in the store", severity="warning",
                        timeout=TOAST_SECONDS, markup=False)
            return
        start = hit.start or 0
        select = (start, hit.end) if hit.end is not None and hit.end > start else None
        main.open_document(doc_id, start, select)
        main.doc_view.focus()

    def action_documents(self) -> None:
        if self.session is None:
            return
        current = self.document.summary.doc_id if self.document else None
        scope = self.session.scope_label() if self.session.period is not None else ""
        self.push_screen(DocumentsScreen(self.session.documents, current, self.session.marks, scope),
                         self._document_chosen)

    def _document_chosen(self, summary: object) -> None:
        if summary is not None:
            self.main.open_document(summary.doc_id)  # type: ignore[attr-defined]
            self.main.doc_view.focus()

    def action_skipped(self) -> None:
        if self.session is None or not self.session.skipped:
            return
        self.push_screen(SkippedScreen(list(self.session.skipped), self.session.name))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self._help_subtitle()))

    def _help_subtitle(self) -> str:
        from explorer.paths import keymap_path

        path = self._keymap_path or keymap_path()
        return f"esc, q or ? to close · ctrl+p: every action by name · your keys: {path}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "documents":
            return True if self.session is not None else None
        if action == "undo_correction":
            return True if self.session is not None and self.session.corrections else None
        if action == "clear_scope":
            return True if self.period is not None else None
        if action == "skipped":
            return bool(self.session and self.session.skipped)  # hidden when every file was read
        return True

    # -- keys, help and the palette, from the keymap -----------------------------------------

    def keys_of(self, action: keymap.KeyAction) -> str:
        """The keys of ``action`` as shown (the user's keymap included): ``/``, ``↑ k``."""
        shown = []
        for key in keymap.effective_keys(action, self.user_keys):
            shown.append(self.get_key_display(Binding(key, action.action)))
        return " ".join(shown)

    def binding_registry(self) -> list[tuple[str, str, str, str, str | None, str]]:
        """(pane title, keys, description, help, palette target, action) of every key action."""
        rows: list[tuple[str, str, str, str, str | None, str]] = []
        for action in keymap.KEYMAP:
            pane = keymap.PANES[action.pane]
            rows.append((pane.title, self.keys_of(action), action.description, action.help or action.description,
                         pane.target, action.action))
        return rows

    def help_sections(self) -> list[HelpSection]:
        sections: dict[str, list[tuple[str, str]]] = {}
        blurbs: dict[str, str] = {}
        for action in keymap.KEYMAP:
            pane = keymap.PANES[action.pane]
            blurbs[pane.title] = pane.blurb
            sections.setdefault(pane.title, []).append((self.keys_of(action), action.help or action.description))
        return [(title, blurbs.get(title, ""), pairs) for title, pairs in sections.items()]

    async def run_pane_action(self, target: str, action: str) -> None:
        """Run ``action`` on a pane (the palette's commands)."""
        main = self.main
        if target == "app":
            await main.run_action(action)
            return
        widget = main.query_one(target)
        if widget.focusable:
            widget.focus()
        if action.startswith(("app.", "screen.")):
            await main.run_action(action)
        else:
            await widget.run_action(action)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Theme: dark", "Switch to the dark theme (remembered)", self._set_theme(DARK_THEME))
        yield SystemCommand("Theme: light", "Switch to the light theme (remembered)", self._set_theme(LIGHT_THEME))

    def _set_theme(self, name: str) -> Callable[[], None]:
        def apply() -> None:
            self.theme = name

        return apply


def report_line(report: IndexReport, stopped: bool = False) -> str:
    """One line for the status bar: what an index run did."""
    documents, added, changed, removed = report.documents, report.added, report.changed, report.removed
    seconds = report.seconds
    if stopped:
        return f"Indexing stopped: {count(added + changed, 'new or changed document')} saved"
    if not (added or changed or removed):
        return f"Up to date: {count(documents, 'document')} checked in {seconds:.1f} s"
    return (f"Indexed {count(documents, 'document')}: {added:,} new, {changed:,} changed, {removed:,} removed "
            f"in {seconds:.1f} s")


__all__ = ["ExplorerApp", "report_line"]
