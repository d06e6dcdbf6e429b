"""Functional tier of the interface: driven by keys (and the mouse) with Textual's pilot, asserting what a
user sees. The unit tier is tests/test_tui_unit.py; the real store, tests/test_tui_store.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_fakes import FakeSearch, make_reader
from tui_screen import screen_text, settle

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.documents import DocumentsScreen
from explorer.tui.screens.help import HelpScreen
from explorer.tui.screens.search import SearchScreen
from explorer.tui.widgets.doc_view import DocView
from explorer.tui.widgets.document_list import DocumentList
from explorer.tui.widgets.entity_list import EntityList
from explorer.tui.widgets.mention_list import MentionList
from explorer.tui.widgets.timeline_strip import TimelineStrip

SIZE = (120, 36)


def make_app(tmp_path: Path, **kwargs: object) -> ExplorerApp:
    reader = make_reader()
    kwargs.setdefault("keymap_path", tmp_path / "keymap.toml")
    kwargs.setdefault("settings_path", tmp_path / "settings.json")
    return ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=tmp_path / "notes.md",
                       clipboard=[], now=lambda: "2026-01-01 00:00 UTC", **kwargs)  # type: ignore[arg-type]


def notifications(app: ExplorerApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_doc(pilot: Pilot, doc_id: str) -> None:
    app = pilot.app
    assert isinstance(app, ExplorerApp)
    app.open_document(doc_id)
    await settle(pilot)


async def test_first_screen_shows_document_entities_timeline(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        # the earliest document opens first, with its header
        assert "China Expected to Urge North Korea's Return" in text
        assert "by Stephen Kaufman" in text and "published 2009-09-22" in text and "corpus/campbell.txt" in text
        # the sidebar groups entities by type with counts
        assert "People · 3" in text and "Places · 4" in text and "Stephen Bosworth" in text
        # the timeline and the header counts
        assert "Timeline · 6 events" in text
        assert "2 documents · 11 entities · 6 events" in text
        assert app.first_paint is not None  # timed properly in benchmarks/bench_startup.py
        # the footer shows the document's keys
        assert "Next mention" in text and "Note" in text


async def test_document_text_is_inert(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot, "d2")
        text = screen_text(app)
        assert "red]markup[/]" in text and "[@click=app.quit]a link[/]" in text
        assert "␛[31mRED␛[0m" in text and "␛]52;c;UFdORUQ=␇" in text
        view = app.query_one(DocView)
        for y in range(view.size.height):
            for segment in view.render_line(y):
                assert "\x1b" not in segment.text and "\x07" not in segment.text
        # select the hostile line and export it: the note holds no control character either
        view.focus()
        view.cursor = view.text.index("Hostile")
        await pilot.press("v", "dollar_sign", "y")
        await settle(pilot)
        assert app.clipboard and "\x1b" not in app.clipboard and "\x07" not in app.clipboard
        assert "␛]52;c;UFdORUQ=␇" in app.clipboard
        assert app.is_running  # the [@click=app.quit] text did not quit


async def test_search_bos_lands_on_bosworth_mentions(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "b", "o", "s")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        text = screen_text(app)
        assert "Entities · 1" in text and "Passages · 4" in text and "Stephen Bosworth" in text
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        mentions = app.query_one(MentionList)
        assert app.focused is mentions
        assert app.selected_entity is not None and app.selected_entity.name == "Stephen Bosworth"
        text = screen_text(app)
        assert "Mentions of Stephen Bosworth (person)" in text
        assert "Stephen Bosworth will travel to Pyongyang" in text
        # Enter opens the document at the mention
        await pilot.press("down", "enter")
        await settle(pilot)
        view = app.query_one(DocView)
        chosen = mentions.mentions[1]
        assert app.document is not None and app.document.summary.doc_id == chosen.doc_id
        assert view.cursor == chosen.start and app.focused is view
        assert "U.S. Envoy Holds Talks in North Korea" in screen_text(app)


async def test_search_ctrl_k_escape_returns_and_passage_jump(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.focused, TimelineStrip)
        await pilot.press("ctrl+k", "x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen) and isinstance(app.focused, TimelineStrip)
        # a passage hit opens its document with the match selected
        await pilot.press("slash", *"Kang Sok")
        await settle(pilot)
        await pilot.press("down", "enter")  # first row is the entity, then the passage
        await settle(pilot)
        view = app.query_one(DocView)
        assert app.document is not None and app.document.summary.doc_id == "d1"
        assert view.text[view.cursor : view.cursor + 8] == "Kang Sok"
        assert view.flash is not None


async def test_select_with_keys_and_export_note(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot, "d1")
        view = app.query_one(DocView)
        view.focus()
        start = view.text.index("The delegation")
        view.cursor = start
        await pilot.press("v", *["w"] * 7, "h")
        expected = "The delegation was led by Stephen Bosworth, "
        assert view.selected_text() == expected
        await pilot.press("y")
        await settle(pilot)
        note = app.clipboard
        assert f"> {expected}".rstrip() + "\n" in note
        assert "- Title: U.S. Envoy Holds Talks in North Korea" in note
        assert "- Author: Peter Crail" in note and "- Published: 2009-12-20" in note
        assert "- Path: corpus/bosworth.txt" in note
        assert f"- Characters: {start}-{start + len(expected)}" in note
        assert "- Entities: Stephen Bosworth (person)" in note
        saved = (tmp_path / "notes.md").read_text()
        assert saved == note
        assert app.last_delivery is not None and app.last_delivery.saved_to == tmp_path / "notes.md"
        # a second note is appended, never overwriting the first
        await pilot.press("escape", "shift+right", "shift+right", "shift+right", "y")
        await settle(pilot)
        assert (tmp_path / "notes.md").read_text().startswith(note)
        assert (tmp_path / "notes.md").read_text().count("## U.S. Envoy Holds Talks") == 2


async def test_mouse_drag_selects_and_y_exports(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot, "d2")
        view = app.query_one(DocView)
        line = next(i for i, (s, _e) in enumerate(view.lines) if view.text[s:].startswith("According"))
        y = line - round(view.scroll_y)
        # (+1, +1): the view's border
        await pilot.mouse_down(view, offset=(1, y + 1))
        await pilot.hover(view, offset=(13, y + 1))
        await pilot.mouse_up(view, offset=(13, y + 1))
        await settle(pilot)
        assert view.selected_text().startswith("According to")
        view.focus()
        await pilot.press("y")
        await settle(pilot)
        assert "> According to" in app.clipboard


async def test_next_previous_mention(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot, "d1")
        entities = app.query_one(EntityList)
        entities.focus()
        assert entities.select_entity("stephen-bosworth")
        await settle(pilot)
        view = app.query_one(DocView)
        view.focus()
        spans = [s for s in view.spans if s[2] == "stephen-bosworth"]
        assert len(spans) == 3
        await pilot.press("n")
        assert view.cursor == spans[0][0]
        await pilot.press("n", "n")
        assert view.cursor == spans[2][0]
        assert "mention 3 / 3" in view.border_subtitle
        await pilot.press("n")  # wraps
        assert view.cursor == spans[0][0]
        await pilot.press("N")
        assert view.cursor == spans[2][0]
        # Enter on a mention selects that entity in the sidebar
        await pilot.press("right_square_bracket")
        at = view.span_at(view.cursor)
        assert at is not None
        await pilot.press("enter")
        await settle(pilot)
        assert entities.current_id == at[2]


async def test_entity_filter_sort_and_mentions(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        entities = app.query_one(EntityList)
        assert app.focused is entities
        assert "f: filter entities" in screen_text(app)  # nothing on screen promises "type to filter"
        await pilot.press("f", "c", "a", "m", "p")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "sidebar-filter"
        shown = [entities.entities[row].name for row in entities.rows if isinstance(row, int)]
        assert shown == ["Kurt Campbell"]
        await pilot.press("enter")  # keeps the filter, back in the list: letters are commands again
        await settle(pilot)
        assert app.focused is entities and entities.query_text == "camp"
        assert entities.current is not None and entities.current.name == "Kurt Campbell"
        assert "Mentions of Kurt Campbell" in screen_text(app)
        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert app.focused is entities and entities.query_text == ""
        assert app.sidebar.box.value == ""
        assert "Stephen Bosworth" in screen_text(app)
        await pilot.press("s")
        names = [entities.entities[row].name for row in entities.rows if isinstance(row, int)]
        people = [n for n in names if n in {"Stephen Bosworth", "Kurt Campbell", "Kang Sok Ju"}]
        assert people == ["Kang Sok Ju", "Kurt Campbell", "Stephen Bosworth"]
        await pilot.press("s")
        assert entities.sort_by == "count"
        # Enter shows the mentions; x exports them as a note
        await pilot.press("home", "enter")
        await settle(pilot)
        assert isinstance(app.focused, MentionList)
        await pilot.press("x")
        await settle(pilot)
        entity = app.selected_entity
        assert entity is not None
        assert f"## {entity.name} ({entity.type}): {entity.count} mentions" in app.clipboard
        assert app.clipboard in (tmp_path / "notes.md").read_text()
        await pilot.press("escape")
        assert app.focused is entities


async def test_after_f_every_key_goes_to_the_filter(tmp_path: Path) -> None:
    """Letters are commands in the list (q quits, k moves, m opens mentions): after f, none of them is."""
    from textual import events

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "f", "k", "i", "m")
        await settle(pilot)
        assert app.sidebar.box.value == "kim" and app.sidebar.entity_list.query_text == "kim"
        assert not isinstance(app.focused, MentionList)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.focused, EntityList) and app.sidebar.box.value == ""
        # typed fast (or pasted): every key is in the queue before the first is handled
        for character in "fqatar":
            app._driver.send_message(events.Key(character, character))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert app.sidebar.box.value == "qatar"
        assert "No entity matches 'qatar'" in screen_text(app)
        # without f, a letter in the list is a command and never reaches the filter
        await pilot.press("escape", "s")
        await settle(pilot)
        assert app.sidebar.box.value == "" and app.sidebar.entity_list.sort_by == "name"
        # a command typed just before f, in the same burst, is still a command, never text: s sorts again,
        # then f filters
        for character in "sfbos":
            app._driver.send_message(events.Key(character, character))
        await settle(pilot)
        assert app.sidebar.box.value == "bos" and app.sidebar.entity_list.sort_by == "count"


async def test_timeline_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        timeline = app.query_one(TimelineStrip)
        assert app.focused is timeline
        assert timeline.zoom_name == "year"  # fitted: one year of events across the width
        assert "░" in screen_text(app)  # fuzzy dates drawn as ranges
        await pilot.press("end")
        last = timeline.current
        assert last is not None and last.event.date == "2009-12-16"
        assert "2009-12-16" in screen_text(app)
        await pilot.press("left")
        assert timeline.current is not None and timeline.current.precision == "span"
        await pilot.press("plus")
        assert timeline.zoom_name == "month"
        assert "Dec 2009" in screen_text(app)
        await pilot.press("plus", "plus")
        assert timeline.zoom_name == "day"
        assert "┣━━" in screen_text(app)  # Dec. 8-10 drawn as a span
        await pilot.press(*["minus"] * 5)
        assert timeline.zoom_name == "decade"
        await pilot.press("0")  # fit again
        assert timeline.zoom_name == "year"
        # Enter opens the document at the event's sentence
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(DocView)
        event = timeline.current.event if timeline.current else None
        assert event is not None and app.document is not None and app.document.summary.doc_id == event.doc_id
        assert view.cursor == event.start and app.focused is view
        assert timeline.doc_id == event.doc_id
        # range note: mark, move, y
        await pilot.press("t", "home", "v", "right", "right", "y")
        await settle(pilot)
        assert "## Timeline: " in app.clipboard and "(3 events)" in app.clipboard
        assert "- **2009 (year)**" in app.clipboard


async def test_timeline_opens_fitted_with_the_newest_year_in_view(tmp_path: Path) -> None:
    from tui_fakes import FakeDoc, FakeReader

    years = [(2001, 3), (2003, 5), (2005, 7), (2007, 9), (2011, 11), (2012, 12)]
    text = "".join(f"Talks resumed on May {day}, {year}. " for year, day in years)
    dates = [(f"{year}-05-{day:02d}", f"May {day}, {year}") for year, day in years]
    reader = FakeReader([FakeDoc("y1", "c/years.txt", "Years", None, "2012-06-01", text, [], dates)])
    for size in ((160, 48), (100, 30), (80, 24)):
        app = ExplorerApp(reader=reader, searcher=None, notes_path=tmp_path / "n.md", clipboard=[],
                          keymap_path=tmp_path / "k.toml", settings_path=tmp_path / "s.json")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            timeline = app.query_one(TimelineStrip)
            width = timeline.size.width
            columns = [timeline._col(item.first) for item in timeline.items]
            assert min(columns) >= 0 and max(columns) < width, size
            assert max(columns) - min(columns) >= width * 0.7, size  # the events fill the strip
            assert "2012" in screen_text(app).split("Timeline")[1], size  # the newest year's label


async def test_zoom_is_kept_across_the_entity_filter(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        timeline = app.query_one(TimelineStrip)
        app.query_one(EntityList).select_entity("stephen-bosworth")
        await settle(pilot)
        await pilot.press("t", "plus")
        scale = timeline.scale
        await pilot.press("f")
        await settle(pilot)
        assert len(timeline.items) == 2 and timeline.scale == scale
        await pilot.press("f")
        await settle(pilot)
        assert len(timeline.items) == 6 and timeline.scale == scale


async def test_entity_timeline_keeps_dates_in_sentences_naming_it(tmp_path: Path) -> None:
    """T: only events dated in a sentence that names the entity; focus moves to the timeline, and the
    timeline follows the selection until T again."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        timeline = app.query_one(TimelineStrip)
        await pilot.press("T")  # nothing selected: the key has nothing to do
        await settle(pilot)
        assert len(timeline.items) == 6 and not isinstance(app.focused, TimelineStrip)
        assert notifications(app) == []
        entities = app.query_one(EntityList)
        entities.focus()
        entities.select_entity("kurt-campbell")
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert app.focused is timeline
        # "Campbell spoke in New York on September 21, 2009." (not "later in 2009", a Bosworth sentence)
        assert [item.event.date for item in timeline.items] == ["2009-09-21"]
        assert "Timeline · 1 event in sentences naming Kurt Campbell" in screen_text(app)
        entities.select_entity("stephen-bosworth")  # the timeline follows the selection once it rests
        await settle(pilot)
        assert sorted(item.event.date for item in timeline.items) == ["2009", "2009-12-16"]
        assert "2 events in sentences naming Stephen Bosworth" in screen_text(app)
        await pilot.press("f")  # in the timeline, f is the same toggle
        await settle(pilot)
        assert len(timeline.items) == 6 and app.timeline_entity is None


async def test_furniture_toggle(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot, "d1")
        app.query_one(DocView).focus()
        assert "Skip Global Navigation" in screen_text(app)
        await pilot.press("f")
        text = screen_text(app)
        assert "Skip Global Navigation" not in text and "Share this" not in text
        assert "furniture hidden" in text
        await pilot.press("f")
        assert "Skip Global Navigation" in screen_text(app)


async def test_document_list(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        text = screen_text(app)
        assert "Documents · 2 documents" in text and "2009-09-22" in text and "2009-12-20" in text
        assert "8 entities    2 dates" in text and "campbell.txt" in text
        assert text.index("2009-09-22") < text.index("2009-12-20")  # by date
        await pilot.press("s")  # by title
        text = screen_text(app)
        assert text.index("China Expected") < text.index("U.S. Envoy")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.document is not None and app.document.summary.doc_id == "d1"
        await pilot.press("d", "escape")
        assert app.document.summary.doc_id == "d1"


async def test_help_lists_every_binding_by_pane(tmp_path: Path) -> None:
    from explorer.tui import keymap

    app = make_app(tmp_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for title in ("Everywhere", "Entities", "Mentions", "Document", "Timeline"):
            assert title in text
        assert "your keys:" in text and app.screen.subtitle.endswith(str(tmp_path / "keymap.toml"))
        # every action of the keymap is on the help screen, with its keys, under its pane
        listed = {title: dict((description, keys) for keys, description in pairs)
                  for title, _blurb, pairs in app.screen.sections}
        for action in keymap.KEYMAP:
            pane = keymap.PANES[action.pane].title
            assert listed[pane][action.help or action.description] == app.keys_of(action)
        assert listed["Document"]["Next mention of the selected entity (of any entity when none is selected)"] == "n"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_pane_action(tmp_path: Path) -> None:
    from textual.command import CommandList

    from explorer.tui.commands import ExplorerCommands

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = ExplorerCommands(app.screen)
        names = [name for name, _help, _callback in provider._commands()]
        assert "Document: Next mention" in names and "Timeline: Zoom in" in names
        assert "Entities: Export mentions" in names and "Everywhere: Search" in names
        # running one through the palette's callback works like the key
        callback = dict((n, c) for n, _h, c in provider._commands())["Timeline: Zoom in"]
        timeline = app.query_one(TimelineStrip)
        before = timeline.scale
        await callback()  # type: ignore[operator]
        assert timeline.scale == pytest.approx(before * 3)
        await pilot.press("ctrl+p")
        await settle(pilot, store=False)
        await pilot.press(*"next mention")
        results = app.screen.query_one(CommandList)
        await settle(pilot, lambda: results.option_count > 0, store=False)
        prompts = [str(results.get_option_at_index(i).prompt).split("\n")[0] for i in range(results.option_count)]
        assert "Document: Next mention" in prompts
        await pilot.press(*"zqxv")
        await settle(pilot, lambda: results.option_count == 0, store=False)


async def test_tab_moves_between_panes_and_q_quits(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, DocView)
        await pilot.press("tab")
        assert isinstance(app.focused, TimelineStrip)
        await pilot.press("tab")
        assert isinstance(app.focused, EntityList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, TimelineStrip)
        assert app.return_code is None
        await pilot.press("q")
        await settle(pilot, lambda: app.return_code is not None, store=False)
    assert app.return_code == 0


async def test_entity_click_selects(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entities = app.query_one(EntityList)
        row = next(i for i, r in enumerate(entities.rows) if isinstance(r, int)
                   and entities.entities[r].name == "Kang Sok Ju")
        await pilot.click(entities, offset=(5, row))
        await settle(pilot)
        assert app.selected_entity is not None and app.selected_entity.name == "Kang Sok Ju"
        assert "Mentions of Kang Sok Ju" in screen_text(app)


@pytest.mark.parametrize("content", [b"{not json", b""])
async def test_corrupt_store_is_a_message_not_a_traceback(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "store.json"
    db.write_bytes(content)
    app = ExplorerApp(tmp_path / "nowhere", db=db, notes_path=tmp_path / "n.md", clipboard=[], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "could not be opened" in text
        assert app.store_error
        assert "Traceback" not in text
        await pilot.press("q")


async def test_dense_timeline_draws_a_histogram(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from explorer.model import CorpusEvent
    from explorer.tui.timeline_data import build_timeline

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = date(2000, 1, 1)
        events = [
            CorpusEvent("d1", (start + timedelta(days=(i * 7) % 7300)).isoformat(), "x", 0, 1, "s", "t")
            for i in range(20000)
        ]
        timeline = app.query_one(TimelineStrip)
        timeline.set_data(build_timeline(events), refit=True)
        await pilot.press("t")
        text = screen_text(app)
        assert "events per column at most" in text
        assert any(block in text for block in "▁▂▃▄▅▆▇█")
        await pilot.press("right", "right")
        assert timeline.cursor == 2
        await pilot.press("y")  # too many to export without a range
        await settle(pilot)
        assert app.last_note is None
        await pilot.press("plus", "plus", "plus", "plus", "plus")
        assert timeline.zoom_name == "day"
        assert "events per column" not in screen_text(app)


async def test_hostile_names_and_titles_stay_literal(tmp_path: Path) -> None:
    from tui_fakes import FakeDoc, FakeReader

    text = "Intro. The [UN] Security Council met [@click=app.quit]Bob[/] on May 5, 2009. End [/] here.\n"
    doc = FakeDoc("h1", "odd/[b]path[/b].txt", "Title [bold red]x[/] \x1b[31mred", "A [i]uthor", "2009-05-06", text,
                  [("[UN] Security Council", "organization", []), ("[@click=app.quit]Bob[/]", "person", [])],
                  [("2009-05-05", "May 5, 2009")])
    reader = FakeReader([doc], name="[red]corpus[/]")
    app = ExplorerApp(reader=reader, searcher=None, notes_path=tmp_path / "notes.md", clipboard=[],
                      keymap_path=tmp_path / "k.toml", settings_path=tmp_path / "s.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter")  # the first entity: [@click=app.quit]Bob[/]
        await settle(pilot)
        text_shown = screen_text(app)
        assert "[red]corpus[/]" in text_shown
        assert "Title [bold red]x[/] ␛[31mred" in text_shown
        assert "A [i]uthor" in text_shown and "odd/[b]path[/b].txt" in text_shown
        assert "[UN] Security Council" in text_shown
        assert "Mentions of [@click=app.quit]Bob[/] (person)" in text_shown
        assert "End [/] here." in text_shown
        await pilot.press("T")  # the filter label (an entity name) in the timeline's title
        await settle(pilot)
        assert "sentences naming [@click=app.quit]Bob[/]" in screen_text(app)
        assert app.is_running


async def test_key_bar_shows_current_keys_and_clicks(tmp_path: Path) -> None:
    from explorer.tui.widgets.key_bar import KeyBar

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.query_one(KeyBar)
        assert "Next mention" in bar.shown and "Quit" in bar.shown and "Commands" in bar.shown
        await pilot.press("t")
        await settle(pilot)
        assert "Zoom in" in bar.shown and "Next mention" not in bar.shown
        start = next(x0 for x0, _x1, key in bar._spans if key == "question_mark")
        await pilot.click(bar, offset=(start + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_key_bar_keeps_search_and_documents_on_narrow_terminals(tmp_path: Path, size: tuple[int, int]) -> None:
    from explorer.tui.widgets.key_bar import KeyBar

    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        bar = app.query_one(KeyBar)
        for pane in ("e", "r", "t"):
            await pilot.press(pane)
            await settle(pilot)
            for essential in ("Search", "Documents", "Help", "Quit"):
                assert essential in bar.shown, (pane, bar.shown)
            text = screen_text(app).splitlines()[-1]
            assert "/ Search" in text and "d Documents" in text


async def test_reader_is_usable_at_80x24(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.query_one(DocView)
        assert view.scrollable_content_region.height >= 12
        assert view.scrollable_content_region.width >= 48
        await pilot.press("e", "down")  # the mentions panel opens above the reader
        await settle(pilot)
        assert view.scrollable_content_region.height >= 6


async def test_keys_with_nothing_to_do_are_dimmed_not_toasted(tmp_path: Path) -> None:
    from explorer.tui.widgets.key_bar import KeyBar

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)  # d2 is open; no entity is selected
        bindings = app.screen.active_bindings
        assert bindings["m"].enabled is False and bindings["T"].enabled is False
        await pilot.press("m", "T")
        await settle(pilot)
        assert notifications(app) == [] and app.selected_entity is None
        # Kang Sok Ju is not in the open document: Next mention is dimmed there, and does nothing
        app.query_one(EntityList).select_entity("kang-sok-ju")
        await settle(pilot)
        view = app.query_one(DocView)
        view.focus()
        await settle(pilot)
        bar = app.query_one(KeyBar)
        item = next(item for item in bar._items if item.description == "Next mention")
        assert item.enabled is False
        before = view.cursor
        await pilot.press("n")
        await settle(pilot)
        assert view.cursor == before and notifications(app) == []
        assert app.screen.active_bindings["m"].enabled is True  # an entity is selected now
        # on an empty line, y has nothing to export: dimmed, and nothing happens
        empty_line = view.line_of(view.text.index("\n\n") + 1)
        await pilot.press("g", *["j"] * empty_line)
        await settle(pilot)
        assert view.text[view.cursor] == "\n" and view.paragraph_at(view.cursor)[0] == view.cursor
        item = next(item for item in bar._items if item.description == "Note")
        assert item.enabled is False
        await pilot.press("y")
        await settle(pilot)
        assert app.last_note is None and notifications(app) == []
        await pilot.press("j")
        await settle(pilot)
        assert next(item for item in bar._items if item.description == "Note").enabled is True


async def test_twenty_thousand_entities_stay_virtual(tmp_path: Path) -> None:
    from explorer.model import CorpusEntity

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widgets_before = len(app.screen.query("*"))
        kinds = ["person", "organization", "place", "term"]
        many = [CorpusEntity(f"e{i}", f"Name {i:05d}", kinds[i % 4], [], [], 20000 - i, 1) for i in range(20000)]
        app.sidebar.set_entities(many)
        await settle(pilot)
        assert len(app.screen.query("*")) == widgets_before  # rows are painted, not mounted
        entities = app.query_one(EntityList)
        assert len(entities.rows) == 20004  # 4 group headers
        await pilot.press("e", "f", "1", "2", "3", "4")
        await settle(pilot)
        shown = [entities.entities[row].name for row in entities.rows if isinstance(row, int)]
        assert sorted(shown) == ["Name 01234", "Name 11234", *[f"Name 1234{digit}" for digit in range(10)]]
        assert "Name 01234" in screen_text(app)
        await pilot.press("escape", "escape", "end")
        assert entities.current is not None and entities.current.type == "term"


async def test_ctrl_k_searches_even_from_the_filter_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "f", "c", "a")
        assert app.focused is not None and app.focused.id == "sidebar-filter"
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "sidebar-filter"


async def test_escape_in_the_list_deselects_and_closes_mentions(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")
        await settle(pilot)
        assert app.selected_entity is not None and "Mentions of" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.selected_entity is None and "Mentions of" not in screen_text(app)
        assert app.query_one(DocView).selected_entity is None


async def test_note_is_never_lost_when_the_notes_file_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer import notes

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    fallback = tmp_path / "fallback.md"
    monkeypatch.setattr(notes, "fallback_notes_path", lambda: fallback)
    reader = make_reader()
    app = ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=blocker / "notes.md", clipboard=[],
                      keymap_path=tmp_path / "k.toml", settings_path=tmp_path / "s.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_doc(pilot, "d1")
        app.query_one(DocView).focus()
        await pilot.press("j", "j", "j", "y")
        await settle(pilot)
        assert app.clipboard and app.clipboard == fallback.read_text()
        delivery = app.last_delivery
        assert delivery is not None and delivery.fallback and delivery.saved_to == fallback
        assert any(str(fallback) in message and "a parent is a file" in message for message in notifications(app))
        assert "Note exported" in screen_text(app)


def test_wrap_text_keeps_every_character_within_the_width() -> None:
    from rich.cells import cell_len

    from explorer.tui.widgets.doc_view import wrap_text

    text = ("北朝鮮の代表団は平壌で会談した。" * 6 + "\n\n" + "word " * 40 + "\n" + "x" * 95 + "\nÉlysée café naïve " * 5)
    for width in (7, 20, 33):
        lines = wrap_text(text, width)
        assert all(cell_len(text[start:end]) <= width for start, end in lines)
        covered = "".join(text[start:end] for start, end in lines).replace(" ", "")
        assert covered == text.replace("\n", "").replace(" ", "")
    hidden = wrap_text("nav\nbody text\nfooter", 40, hidden=[(0, 3), (14, 20)])
    assert hidden == [(4, 13)]


async def test_resize_keeps_the_caret_in_view(tmp_path: Path) -> None:
    from tui_fakes import FakeDoc, FakeReader

    text = "\n\n".join(f"Paragraph {number}: " + "word " * 60 for number in range(40))
    reader = FakeReader([FakeDoc("long", "c/long.txt", "Long", None, "2009-01-01", text, [], [])])
    app = ExplorerApp(reader=reader, searcher=None, notes_path=tmp_path / "n.md", clipboard=[],
                      keymap_path=tmp_path / "k.toml", settings_path=tmp_path / "s.json")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = app.query_one(DocView)
        view.focus()
        await pilot.press(*["pagedown"] * 6, "j", "j")
        await settle(pilot)
        caret = view.cursor
        for size in ((90, 30), (80, 24), (160, 48), (100, 30)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            line, top = view.line_of(view.cursor), round(view.scroll_y)
            assert view.cursor == caret and top > 0, size
            assert top <= line < top + view.scrollable_content_region.height, size


async def test_toasts_stay_off_the_timeline(tmp_path: Path) -> None:
    from textual.widgets._toast import Toast

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "y")  # a note: the longest toast
        await settle(pilot, lambda: bool(app.screen.query(Toast)))
        timeline = app.query_one(TimelineStrip).region
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(timeline), (toast.region, timeline)


async def test_timeline_event_line_ends_on_a_whole_word(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t", "home")
        await settle(pilot)
        timeline = app.query_one(TimelineStrip)
        status = "".join(segment.text for segment in timeline.render_line(timeline.size.height - 1)).rstrip()
        sentence = timeline.current.event.sentence if timeline.current else ""
        assert status.endswith("…") and len(status) <= timeline.size.width
        shown = status.split(" — ", 1)[1][:-1]
        assert sentence.startswith(shown) and sentence[len(shown)] == " "  # cut between two words


async def test_document_list_shows_whole_names_and_filters_after_f(tmp_path: Path) -> None:
    from tui_fakes import FakeDoc, FakeReader

    long_name = "a-report-on-the-six-party-talks-and-what-came-after-them.txt"
    docs = [FakeDoc("a", f"/data/c/{long_name}", "Talks", None, "2009-01-02", "Text one.", [], []),
            FakeDoc("b", "/data/c/mail.eml › notes.pdf", "Mail", None, "2009-01-03", "Text two.", [], [])]
    app = ExplorerApp(reader=FakeReader(docs), searcher=None, notes_path=tmp_path / "n.md", clipboard=[],
                      keymap_path=tmp_path / "k.toml", settings_path=tmp_path / "s.json")
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        text = screen_text(app)
        assert long_name in text and "mail.eml › notes.pdf" in text
        assert "1 entity" not in text and "0 entities" in text and "0 dates" in text
        await pilot.press("f", "m", "a", "i", "l")
        await settle(pilot)
        listing = app.screen.query_one(DocumentList)
        assert [doc.doc_id for doc in listing.shown] == ["b"]
        await pilot.press("enter", "enter")  # back to the list, then open
        await settle(pilot)
        assert not isinstance(app.screen, DocumentsScreen) and app.document is not None
        assert app.document.summary.doc_id == "b"


async def test_theme_is_chosen_in_the_palette_and_remembered(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await settle(pilot, store=False)
        await pilot.press(*"theme: light")
        await settle(pilot, store=False)
        await pilot.press("enter")
        await settle(pilot, lambda: app.theme == "textual-light", store=False)
    assert '"theme": "textual-light"' in (tmp_path / "settings.json").read_text()
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


async def test_user_keymap_rebinds_keys_everywhere(tmp_path: Path) -> None:
    from explorer.tui.widgets.key_bar import KeyBar

    (tmp_path / "keymap.toml").write_text('[keys]\ndoc-next-mention = "ctrl+n"\nno-such-action = "z"\n',
                                          encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("no-such-action" in message for message in notifications(app))  # the problem is named
        view = app.query_one(DocView)
        view.focus()
        await settle(pilot)
        start = view.cursor
        await pilot.press("n")  # no longer bound
        assert view.cursor == start
        await pilot.press("ctrl+n")
        assert view.cursor > start and view.span_at(view.cursor) is not None
        bar = app.query_one(KeyBar)
        item = next(item for item in bar._items if item.description == "Next mention")
        assert item.shown == "^n"
        sections = {title: dict((d, k) for k, d in pairs) for title, _b, pairs in app.help_sections()}
        assert sections["Document"]["Next mention of the selected entity (of any entity when none is selected)"] == "^n"


async def test_timeline_says_how_many_events_are_out_of_view(tmp_path: Path) -> None:
    from tui_fakes import FakeDoc, FakeReader

    days = [(2003, 1, 5), (2005, 3, 7), (2007, 5, 9)] + [(2009, month, 10) for month in range(3, 13)] * 2
    text = "".join(f"It happened on {month}/{day}/{year}. " for year, month, day in days)
    dates = [(f"{year}-{month:02d}-{day:02d}", f"{month}/{day}/{year}") for year, month, day in days]
    reader = FakeReader([FakeDoc("a", "c/a.txt", "A", None, "2010-01-01", text, [], dates)])
    app = ExplorerApp(reader=reader, searcher=None, notes_path=tmp_path / "n.md", clipboard=[],
                      keymap_path=tmp_path / "k.toml", settings_path=tmp_path / "s.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        timeline = app.query_one(TimelineStrip)
        assert timeline.off_view() == (3, 0)
        assert "← 3 earlier events (home)" in screen_text(app)
        await pilot.press("t", "home")
        assert timeline.current is not None and timeline.current.event.date == "2003-01-05"
        assert timeline._in_view(timeline.cursor)
        assert "later event" in screen_text(app) and "earlier event" not in screen_text(app)


async def test_at_80x24_the_mentions_make_way_while_reading(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e", "j")
        await settle(pilot)
        mentions = app.query_one(MentionList)
        assert mentions.display and mentions.region.height >= 5
        await pilot.press("r")
        await settle(pilot)
        view = app.query_one(DocView)
        assert not mentions.region and view.scrollable_content_region.height >= 12
        await pilot.press("m")
        await settle(pilot)
        assert app.focused is mentions and mentions.region.height >= 5


async def test_entity_list_and_document_show_while_the_timeline_reads_its_events(tmp_path: Path) -> None:
    """The first screen does not wait for the dated events: the entities and the document show, the
    timeline says it is loading and offers no key, T says why it does nothing; then the events arrive."""
    import asyncio
    import threading
    import time

    from explorer.tui.screens.dialogs import TextDialog

    reader = make_reader()
    every_event = threading.Event()  # held until the entity list is checked
    read_events = reader.events

    def slow_events(entity_id: str | None = None) -> list:
        if entity_id is None:
            every_event.wait(15)
        return read_events(entity_id)

    reader.events = slow_events  # type: ignore[method-assign]
    app = ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=tmp_path / "notes.md", clipboard=[],
                      keymap_path=tmp_path / "keymap.toml", settings_path=tmp_path / "settings.json")
    try:
        async with app.run_test(size=SIZE) as pilot:
            deadline = time.monotonic() + 15
            while not (app.document is not None and "Stephen Bosworth" in screen_text(app)):
                assert time.monotonic() < deadline, screen_text(app)
                await asyncio.sleep(0.02)
            await pilot.pause()
            text = screen_text(app)
            assert "People · 3" in text and "by Stephen Kaufman" in text  # the list and the document
            assert "Timeline · loading events…" in text and "Reading the corpus's dated events" in text
            assert "events loading…" in text and "6 events" not in text
            timeline = app.query_one(TimelineStrip)
            assert timeline.reading_events and not timeline.items
            await pilot.press("t")  # the pane takes the focus; its keys are off until the events are read
            assert app.focused is timeline
            await pilot.press("colon", "s", "enter", "end")
            await pilot.pause()
            assert not isinstance(app.screen, TextDialog) and app.period is None
            await pilot.press("e", "T")
            await pilot.pause()
            assert app.timeline_entity is None
            assert any("still reading the corpus's dated events" in note for note in notifications(app))
            every_event.set()
            await settle(pilot)
            text = screen_text(app)
            assert "Timeline · 6 events" in text and "2 documents · 11 entities · 6 events" in text
            assert not timeline.reading_events and len(timeline.items) == 6
            # the open document's events are marked on the timeline, as when the events came first
            assert app.document is not None and timeline.current is not None
            assert timeline.current.event.doc_id == app.document.summary.doc_id
            await pilot.press("T")  # and T works now
            await settle(pilot)
            assert app.timeline_entity is not None and len(timeline.items) < 6
    finally:
        every_event.set()


async def test_events_that_cannot_be_read_leave_the_rest_working(tmp_path: Path) -> None:
    from explorer.store.api import StoreError

    reader = make_reader()
    read_events = reader.events

    def broken_events(entity_id: str | None = None) -> list:
        if entity_id is None:
            raise StoreError("store.json: the events' arrays are damaged")
        return read_events(entity_id)

    reader.events = broken_events  # type: ignore[method-assign]
    app = ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=tmp_path / "notes.md", clipboard=[],
                      keymap_path=tmp_path / "keymap.toml", settings_path=tmp_path / "settings.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "The dated events could not be read: StoreError: store.json: the events' arrays are damaged" in text
        assert "loading events" not in text and "Stephen Bosworth" in text and "by Stephen Kaufman" in text
        await pilot.press("t", "colon", "end")
        await settle(pilot)
        assert not app.query_one(TimelineStrip).items


def _border_colour(widget: object) -> str:
    return widget.styles.border_top[1].hex  # type: ignore[attr-defined]


def _text_colours(view: DocView) -> set[str]:
    """The colours of the text (entities and the rest) on the view's first screenful as painted, the caret aside."""
    colours = set()
    background = view.rich_style.bgcolor
    for y in range(view.scrollable_content_region.height):
        for segment in view.render_line(y):
            style = segment.style
            if style is not None and style.color is not None and style.bgcolor == background and segment.text.strip():
                colours.add(style.color.name)
    return colours


async def test_the_focused_pane_has_the_accent_border_and_only_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        accent = app.get_css_variables()["accent"].upper()
        sidebar, view, timeline = app.query_one("#sidebar"), app.query_one(DocView), app.query_one(TimelineStrip)
        for key, lit in (("e", sidebar), ("r", view), ("t", timeline), ("e", sidebar), ("f", sidebar),
                         ("escape", sidebar), ("r", view)):
            await pilot.press(key)
            await settle(pilot)
            for pane in (sidebar, view, timeline):
                assert (_border_colour(pane).upper() == accent) == (pane is lit), (key, pane)
        assert view.cursor is not None and view.has_focus  # the caret shows in the reader


async def test_the_document_takes_the_new_colours_when_the_theme_changes(tmp_path: Path) -> None:
    """Painted lines are kept across a focus move (only the border changes), never across a theme change."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DocView)
        dark = _text_colours(view)
        await pilot.press("e", "r")
        await settle(pilot)
        assert _text_colours(view) == dark
        app.theme = "textual-light"
        await settle(pilot, store=False)
        light = _text_colours(view)
        assert light and light.isdisjoint(dark)


async def test_full_collections_are_put_off_while_the_app_runs(tmp_path: Path) -> None:
    import gc

    from explorer.tui.idle_gc import PUT_OFF

    before = gc.get_threshold()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == PUT_OFF
    assert gc.get_threshold() == before
