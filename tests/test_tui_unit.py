"""Unit tier of the interface: the keymap, wording, snippets, the timeline's fit and entity filter,
note delivery and the corpus service, without running the App."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from tui_fakes import land_other_index

from explorer import notes
from explorer.model import CorpusEvent, DocumentSummary, MentionLine
from explorer.textsafe import clip_around, clip_end, clip_start, whole_words
from explorer.tui import keymap
from explorer.tui.screens.main import entity_timeline
from explorer.tui.timeline_data import build_timeline
from explorer.tui.widgets.document_list import display_paths
from explorer.tui.widgets.timeline_strip import LEFT_MARGIN, RIGHT_MARGIN, fit_scale
from explorer.tui.wording import count, ratio

# -- wording --------------------------------------------------------------------------------------


def test_counts_are_singular_for_one_and_have_thousands_separators() -> None:
    assert count(1, "entity") == "1 entity"
    assert count(2, "entity") == "2 entities"
    assert count(1, "document") == "1 document"
    assert count(0, "date") == "0 dates"
    assert count(19784, "document") == "19,784 documents"
    assert ratio(37, 19784) == "37 / 19,784"


# -- snippets -------------------------------------------------------------------------------------


def test_clip_end_cuts_after_a_whole_word_with_an_ellipsis() -> None:
    text = "The delegation was led by Stephen Bosworth, the special representative"
    clipped = clip_end(text, 30)
    assert clipped == "The delegation was led by…"
    assert len(clipped) <= 30 and text.startswith(clipped[:-1])
    assert clip_end("short", 30) == "short"
    assert clip_end("Supercalifragilistic", 8) == "Superca…"  # one long word: cut inside it, still marked


def test_clip_start_keeps_the_end_from_a_whole_word() -> None:
    path = "archive/2009/december/envoy-holds-talks-in-north-korea.txt"
    assert clip_start(path, 20) == "…-in-north-korea.txt"  # no space in reach: cut in the name
    assert clip_start("one two three four five", 12) == "…four five"


def test_clip_around_centres_the_key_and_cuts_both_sides_at_words() -> None:
    sentence = "In the morning the envoy said that Stephen Bosworth would travel to Pyongyang later in the year."
    start = sentence.index("Stephen Bosworth")
    left, key, right = clip_around(sentence, start, start + len("Stephen Bosworth"), 50)
    assert key == "Stephen Bosworth"
    assert left.startswith("…") and right.endswith("…")
    assert len(left + key + right) <= 50
    assert sentence.find(left[1:]) >= 0 and sentence.find(right[:-1]) >= 0  # whole words on both sides


def test_clip_counts_cells_for_wide_characters() -> None:
    from rich.cells import cell_len

    text = "北朝鮮の代表団は平壌で会談した 北朝鮮の代表団は平壌で会談した"
    assert cell_len(clip_end(text, 20)) <= 20


def test_whole_words_marks_a_sentence_the_extractor_cut_mid_word() -> None:
    left = "ations " + "and the talks went on " * 10  # a window cut 240 characters before the date
    right = " while the " + "delegates met again and " * 10 + "negoti"
    sentence = left + "on 12 May 2009" + right
    tidy = whole_words(sentence, "12 May 2009")
    assert tidy.startswith("…and the talks") and tidy.endswith("met again and…")
    assert "12 May 2009" in tidy
    normal = "The talks resumed on 12 May 2009 in Beijing."
    assert whole_words(normal, "12 May 2009") == normal


# -- the keymap -----------------------------------------------------------------------------------


def test_keymap_ids_are_unique_and_every_action_is_described() -> None:
    ids = [action.id for action in keymap.KEYMAP]
    assert len(ids) == len(set(ids))
    for action in keymap.KEYMAP:
        assert action.pane in keymap.PANES
        assert action.description and action.keys


def test_every_widget_takes_its_keys_from_the_keymap() -> None:
    from explorer.tui.app import ExplorerApp
    from explorer.tui.screens.dialogs import ChoiceDialog, TextDialog
    from explorer.tui.screens.documents import DocumentsScreen
    from explorer.tui.screens.error import StoreErrorScreen
    from explorer.tui.screens.help import HelpScreen
    from explorer.tui.screens.hidden import HiddenList, HiddenScreen
    from explorer.tui.screens.main import MainScreen
    from explorer.tui.screens.related import PassageList, RelatedList, RelatedScreen
    from explorer.tui.screens.search import SearchScreen
    from explorer.tui.screens.skipped import SkippedScreen
    from explorer.tui.widgets.doc_view import DocView
    from explorer.tui.widgets.document_list import DocumentList
    from explorer.tui.widgets.entity_list import EntityList
    from explorer.tui.widgets.filter_box import FilterInput
    from explorer.tui.widgets.mention_list import MentionList
    from explorer.tui.widgets.timeline_strip import TimelineStrip
    from explorer.tui.widgets.virtual_list import VirtualList

    classes = [ExplorerApp, MainScreen, DocView, EntityList, MentionList, TimelineStrip, VirtualList, FilterInput,
               DocumentList, DocumentsScreen, SearchScreen, HelpScreen, SkippedScreen, StoreErrorScreen,
               ChoiceDialog, TextDialog, HiddenList, HiddenScreen, RelatedList, PassageList, RelatedScreen]
    for cls in classes:
        for binding in vars(cls)["BINDINGS"]:
            assert binding.id, f"{cls.__name__}: a binding without an id"
            if binding.id == "palette":
                continue
            action = keymap.BY_ID[binding.id]
            assert (binding.key, binding.action, binding.description) == (action.keys, action.action,
                                                                         action.description), binding.id


def test_user_keymap_file(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    assert keymap.load_user_keymap(path).keys == {}  # no file: the defaults
    path.write_text('[keys]\ndoc-next-mention = "ctrl+n, n"\nnot-an-action = "x"\nquit = 3\n', encoding="utf-8")
    loaded = keymap.load_user_keymap(path)
    assert loaded.keys == {"doc-next-mention": "ctrl+n,n"}
    assert any("not-an-action" in problem for problem in loaded.problems)
    assert any("quit needs a string" in problem for problem in loaded.problems)
    path.write_text("[keys\n", encoding="utf-8")
    assert "not valid TOML" in keymap.load_user_keymap(path).problems[0]
    # two actions of one pane on one key
    assert keymap.clashes({"doc-note": "n"}) == ["n is both doc-next-mention and doc-note"]
    assert keymap.clashes({"doc-note": "ctrl+y"}) == []


# -- the timeline ---------------------------------------------------------------------------------


def _event(day: str, doc: str = "d1", start: int = 0) -> CorpusEvent:
    return CorpusEvent(doc, day, day, start, start + 4, f"on {day}", "title")


def test_fit_puts_every_event_on_screen_with_room_for_the_last_label() -> None:
    items = build_timeline([_event(f"{year}-06-01") for year in range(2000, 2010)]).items
    for width in (160, 100, 78):
        scale, view_start, left_out = fit_scale(items, width)
        columns = [int((item.first - view_start) * scale) for item in items]
        assert left_out == 0
        assert columns[0] == LEFT_MARGIN
        assert max(columns) <= width - RIGHT_MARGIN  # the newest year and its label fit
        assert max(columns) >= width * 0.75  # and the events use the width


def test_fit_leaves_out_a_few_far_early_events() -> None:
    events = [_event("1950-06-25")] + [_event(f"2009-{month:02d}-10") for month in range(1, 13)] * 9
    items = build_timeline(events).items
    scale, view_start, left_out = fit_scale(items, 100)
    assert left_out == 1
    assert int((date(2009, 1, 10).toordinal() - view_start) * scale) == LEFT_MARGIN


def test_fit_shows_where_most_events_are() -> None:
    """A few events years before the rest (background dates in news) do not squeeze the rest."""
    early = [_event("2003"), _event("2005"), _event("2005-09"), _event("2007")]
    recent = [_event(f"2009-{month:02d}-{day:02d}") for month in range(4, 13) for day in (5, 20)]
    items = build_timeline(early + recent).items
    scale, view_start, left_out = fit_scale(items, 140)
    assert left_out == 4
    assert scale * 30.4 >= 12  # months readable (the whole span would be a decade view)
    assert int((date(2009, 4, 5).toordinal() - view_start) * scale) == LEFT_MARGIN
    # spread evenly, nothing is left out
    even = build_timeline([_event(f"{year}-01-01") for year in range(2000, 2010)]).items
    assert fit_scale(even, 140)[2] == 0


def test_entity_timeline_keeps_events_dated_in_sentences_naming_the_entity() -> None:
    text_events = [_event("2009-09-21", "d2", 140), _event("2009", "d2", 260), _event("2009-12-16", "d1", 300)]
    timeline = build_timeline(text_events)
    mentions = [
        MentionLine("kurt", "d2", "t", None, 100, 107, "Campbell spoke in New York on September 21, 2009.", 100),
        MentionLine("kurt", "d1", "t", None, 10, 17, "Campbell said nothing dated.", 5),
    ]
    kept = entity_timeline(timeline, mentions)
    assert [item.event.date for item in kept.items] == ["2009-09-21"]


def test_document_list_paths_are_relative_and_whole() -> None:
    docs = [DocumentSummary("a", "/data/reports/mail.eml › notes.pdf", "t", None, None),
            DocumentSummary("b", "/data/reports/2009/a-very-long-file-name-that-goes-on-and-on-and-on.txt", "t",
                            None, None)]
    assert display_paths(docs) == {"a": "mail.eml › notes.pdf",
                                   "b": "2009/a-very-long-file-name-that-goes-on-and-on-and-on.txt"}


# -- notes ----------------------------------------------------------------------------------------


def test_inside_tmux_a_note_makes_one_buffer(tmp_path: Path) -> None:
    note = notes.Note("passage", "t", "x\n")
    sent: list[str] = []
    delivery = notes.deliver(note, tmp_path / "n.md", osc52=sent.append, commands=[("tmux", ["true"])])
    assert delivery.clipboards == ["tmux"] and sent == []  # load-buffer -w made the buffer: no OSC 52 too
    delivery = notes.deliver(note, tmp_path / "n.md", osc52=sent.append, commands=[("tmux", ["false"])])
    assert delivery.clipboards == ["OSC 52"] and sent == ["x\n"]  # tmux refused: OSC 52 still tries


def test_timeline_note_shows_whole_words_of_a_cut_sentence() -> None:
    sentence = "ations " + "and the talks went on " * 10 + "on 12 May 2009 and then " + "more " * 50 + "negoti"
    event = CorpusEvent("d1", "2009-05-12", "12 May 2009", 300, 311, sentence, "Title")
    note = notes.timeline_note([event], "May 2009", now="2026-01-01 00:00 UTC")
    assert "**2009-05-12**: …and the talks" in note.markdown
    assert "negoti" not in note.markdown and "more…" in note.markdown


# -- the corpus service ---------------------------------------------------------------------------


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    import shutil

    from explorer.paths import seeds_dir

    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(seeds_dir().glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def _run(service: object) -> list[object]:
    updates: list[object] = []
    service.run(updates.append)  # type: ignore[attr-defined]
    return updates


def test_service_builds_then_reopens_a_store(seeds_copy: Path, tmp_path: Path) -> None:
    from explorer import corpus

    target = corpus.target_for(seeds_copy, tmp_path / "store.json")
    first = _run(corpus.CorpusService(target))
    kinds = [type(update).__name__ for update in first]
    assert kinds[0] == "IndexProgress" and kinds[-3:] == ["StoreOpened", "IndexFinished", "SearchReady"]
    assert first[-2].report.added == 2  # type: ignore[attr-defined]
    again = _run(corpus.CorpusService(target))
    kinds = [type(update).__name__ for update in again]
    assert kinds == ["StoreOpened", "IndexProgress", "IndexFinished", "SearchReady"]  # opened before indexing
    assert again[2].report.added == 0  # type: ignore[attr-defined]
    never = _run(corpus.CorpusService(corpus.target_for(seeds_copy, tmp_path / "absent.json"), index="never"))
    assert isinstance(never[0], corpus.OpenFailed) and "no store at" in never[0].message


def test_service_indexes_a_shown_store_once_the_interface_has_read_its_first_screen(seeds_copy: Path,
                                                                                     tmp_path: Path) -> None:
    from explorer import corpus
    from explorer.store import index_corpus

    db = tmp_path / "store.json"
    index_corpus([seeds_copy], db)
    (seeds_copy / "extra.txt").write_text("Envoy Meets Officials\n\nStephen Bosworth met officials in Seoul on "
                                          "March 2, 2010.\n", encoding="utf-8")
    updates: list[object] = []
    opened = threading.Event()

    def emit(update: object) -> None:
        updates.append(update)
        if isinstance(update, corpus.StoreOpened):
            opened.set()

    settled = threading.Event()
    service = corpus.CorpusService(corpus.target_for(seeds_copy, db), search=False, settled=settled)
    thread = threading.Thread(target=service.run, args=(emit,))
    thread.start()
    assert opened.wait(10)
    time.sleep(0.5)
    assert [type(update).__name__ for update in updates] == ["StoreOpened"]  # the index run waits
    settled.set()  # the interface has read its lists, document and events
    thread.join(30)
    assert not thread.is_alive()
    assert isinstance(updates[-1], corpus.IndexFinished) and updates[-1].report.added == 1


def test_service_with_another_indexer_shows_the_last_store_and_follows(seeds_copy: Path, tmp_path: Path) -> None:

    from filelock import FileLock

    from explorer import corpus
    from explorer.store import index_corpus

    db = tmp_path / "store.json"
    index_corpus([seeds_copy], db)
    (seeds_copy / "extra.txt").write_text("Envoy Meets Officials\n\nStephen Bosworth met officials in Seoul on "
                                          "March 2, 2010.\n", encoding="utf-8")
    updates: list[object] = []
    waiting = threading.Event()

    def emit(update: object) -> None:
        updates.append(update)
        if isinstance(update, corpus.IndexWaiting):
            waiting.set()

    service = corpus.CorpusService(corpus.target_for(seeds_copy, db), search=False, poll_seconds=0.05)
    with FileLock(str(db.with_name(db.name + ".lock"))):  # the other explorer, indexing
        thread = threading.Thread(target=service.run, args=(emit,))
        thread.start()
        assert waiting.wait(10)
        assert isinstance(updates[0], corpus.StoreOpened)  # the last complete store, shown meanwhile
        assert updates[-1] == corpus.IndexWaiting(str(seeds_copy), showing=True)
        # the other explorer's index lands: one atomic replacement of the store
        land_other_index([seeds_copy], db, tmp_path / "other.json")
    thread.join(20)
    assert not thread.is_alive()
    opened = [update for update in updates if isinstance(update, corpus.StoreOpened)]
    assert len(opened) == 2 and opened[1].refreshed and len(opened[1].store.documents()) == 3
    assert isinstance(updates[-1], corpus.IndexFinished) and updates[-1].report.added == 0


def test_stopping_an_index_run_saves_what_was_extracted_without_leaking(tmp_path: Path) -> None:
    """A real pool of worker processes, stopped mid-run, in a fresh interpreter (to read its stderr)."""
    import subprocess
    import sys

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(400):
        (folder / f"doc{number:03d}.txt").write_text(
            f"Report {number}\n\nOn March {number % 28 + 1}, 2009, Stephen Bosworth met Kang Sok Ju in Pyongyang "
            "to discuss the Six-Party Talks. " * 20 + "\n", encoding="utf-8")
    script = f"""
import threading
from pathlib import Path
from explorer import corpus
from explorer.store import open_store
target = corpus.target_for(Path({str(folder)!r}), Path({str(tmp_path / 'store.json')!r}))
service = corpus.CorpusService(target, search=False, process_helpers=True)
def emit(update):
    if isinstance(update, corpus.IndexProgress) and update.done >= 20:
        service.stop()
    if isinstance(update, corpus.IndexStopped):
        print("stopped", update.report.added)
thread = threading.Thread(target=service.run, args=(emit,))
thread.start()
thread.join()
print("saved", len(open_store(target.db_path).documents()))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split() for line in result.stdout.splitlines())
    assert 20 <= int(lines["saved"]) < 400 and lines["saved"] == lines["stopped"]
    assert "leaked" not in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_search_target_prefers_the_current_folder_then_the_last_opened(seeds_copy: Path, tmp_path: Path) -> None:
    from explorer import corpus
    from explorer.store import index_corpus

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target, why = corpus.choose_search_target(None, None, cwd=elsewhere)
    assert "bundled sample articles" in why
    opened = corpus.target_for(seeds_copy)
    index_corpus([seeds_copy], opened.db_path)
    corpus.remember_opened(opened)
    target, why = corpus.choose_search_target(None, None, cwd=elsewhere)
    assert target.db_path == opened.db_path.resolve() and "opened last" in why and str(seeds_copy) in why
    index_corpus([elsewhere], corpus.target_for(elsewhere).db_path)
    target, why = corpus.choose_search_target(None, None, cwd=elsewhere)
    assert target.corpora == (elsewhere.resolve(),) and "current folder" in why
    target, why = corpus.choose_search_target(seeds_copy, None, cwd=elsewhere)
    assert target.corpora == (seeds_copy,) and why == ""


def test_readme_key_table_matches_the_keymap() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- keymap:table -->\n", 1)[1].split("\n<!-- /keymap:table -->", 1)[0]
    ids = readme.split("<!-- keymap:ids -->\n", 1)[1].split("\n<!-- /keymap:ids -->", 1)[0]
    assert table == keymap.readme_table()
    assert ids == keymap.readme_ids()


def test_a_session_reads_the_events_once_for_every_session_derived_from_it() -> None:
    """The events are not read to make a session (the first screen does not wait for them); a session
    derived before they are read shares the one reading, and one derived after has its timeline at once."""
    from tui_fakes import make_reader

    from explorer.tui.session import CorpusSession

    reader = make_reader()
    read_events = reader.events
    calls: list[str | None] = []

    def counted(entity_id: str | None = None) -> list[CorpusEvent]:
        calls.append(entity_id)
        return read_events(entity_id)

    reader.events = counted  # type: ignore[method-assign]
    session = CorpusSession.load(reader)
    assert calls == [] and not session.timeline_ready and session.events == []
    assert session.counts_line() == "2 documents · 11 entities · events loading…"
    early = session.derive()  # as a correction makes one
    assert not early.timeline_ready
    early.load_timeline()
    session.load_timeline()
    assert calls == [None]  # read once for both
    assert len(session.events) == 6 and len(session.timeline.items) == 6
    assert session.counts_line() == "2 documents · 11 entities · 6 events"
    assert early.all_events is session.all_events and early.timeline is session.timeline
    late = session.derive()
    assert late.timeline_ready and late.timeline is session.timeline
    assert calls == [None]


# -- the collector's full passes wait until the keys rest -------------------------------------------


def test_full_collections_wait_until_input_rests_and_thresholds_come_back() -> None:
    import gc

    from explorer.tui.idle_gc import PUT_OFF, REST_SECONDS, IdleCollector

    now = [100.0]
    collector = IdleCollector(clock=lambda: now[0])
    before = gc.get_threshold()
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], PUT_OFF)  # the young generations run as ever
        collector.input_came()
        gc.collect(1)  # a middle-generation pass: survivors are waiting for a full one
        now[0] += REST_SECONDS / 2
        assert not collector.tick() and collector.passes == 0  # keys still coming: no full pass
        now[0] += REST_SECONDS
        gc.disable()  # a thread loading a store pauses the collector: no pass over what it builds
        try:
            assert not collector.tick() and collector.passes == 0
        finally:
            gc.enable()
        assert collector.tick() and collector.passes == 1  # rested: the pass runs now
        assert gc.get_count()[2] == 0
        now[0] += REST_SECONDS * 5
        assert not collector.tick() and collector.passes == 1  # nothing new since: no second pass
    finally:
        collector.stop()
    assert gc.get_threshold() == before
