"""The interface, driven by keys (and the mouse) with Textual's pilot, asserting what a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_fakes import FakeSearch, make_reader
from tui_screen import screen_text, settle

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.help import HelpScreen
from explorer.tui.screens.search import SearchScreen
from explorer.tui.widgets.doc_view import DocView
from explorer.tui.widgets.entity_list import EntityList
from explorer.tui.widgets.mention_list import MentionList
from explorer.tui.widgets.timeline_strip import TimelineStrip

SIZE = (120, 36)


def make_app(tmp_path: Path, **kwargs: object) -> ExplorerApp:
    reader = make_reader()
    return ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=tmp_path / "notes.md",
                       clipboard=[], now=lambda: "2026-01-01 00:00 UTC", **kwargs)  # type: ignore[arg-type]


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
        assert "mention 3/3" in view.border_subtitle
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
        await pilot.press("c", "a", "m", "p")
        await settle(pilot)
        text = screen_text(app)
        shown = [entities.entities[row].name for row in entities.rows if isinstance(row, int)]
        assert shown == ["Kurt Campbell"]
        assert entities.current is not None and entities.current.name == "Kurt Campbell"
        assert "Mentions of Kurt Campbell" in text
        await pilot.press("escape")  # clears the filter, back in the list
        await settle(pilot)
        assert app.focused is entities and entities.query_text == ""
        assert "Stephen Bosworth" in screen_text(app)
        await pilot.press("s")
        names = [entities.entities[row].name for row in entities.rows if isinstance(row, int)]
        people = [n for n in names if n in {"Stephen Bosworth", "Kurt Campbell", "Kang Sok Ju"}]
        assert people == sorted(people)
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


async def test_timeline_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        timeline = app.query_one(TimelineStrip)
        assert app.focused is timeline
        assert timeline.zoom_name == "year"
        assert "░" in screen_text(app)  # fuzzy dates drawn as ranges
        await pilot.press("end")
        last = timeline.current
        assert last is not None and last.event.date == "2009-12-16"
        assert "2009-12-16" in screen_text(app)
        await pilot.press("left")
        assert timeline.current is not None and timeline.current.precision == "span"
        assert "┣" in screen_text(app) or "◆" in screen_text(app)
        await pilot.press("plus")
        assert timeline.zoom_name == "month"
        assert "Dec 2009" in screen_text(app)
        await pilot.press("plus")
        assert timeline.zoom_name == "day"
        assert "┣" in screen_text(app)  # Dec. 8-10 drawn as a span
        await pilot.press("minus", "minus", "minus")
        assert timeline.zoom_name == "decade"
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
        assert "(month)" in app.clipboard or "(season)" in app.clipboard or "(year)" in app.clipboard


async def test_timeline_filter_to_entity(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", "f")
        await settle(pilot)
        timeline = app.query_one(TimelineStrip)
        assert len(timeline.items) == 6  # nothing selected: stays whole
        entities = app.query_one(EntityList)
        entities.select_entity("kurt-campbell")
        await settle(pilot)
        await pilot.press("t", "f")
        await settle(pilot)
        assert len(timeline.items) == 2
        assert {item.event.doc_id for item in timeline.items} == {"d2"}
        assert "documents mentioning Kurt Campbell" in screen_text(app)
        await pilot.press("f")
        await settle(pilot)
        assert len(timeline.items) == 6


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
        assert "Documents · 2" in text and "2009-09-22" in text and "2009-12-20" in text
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
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for title in ("Everywhere", "Entities", "Mentions", "Document", "Timeline", "Search (/)"):
            assert title in text
        registry = app.binding_registry()
        for _title, _keys, description, _tooltip, _target, _action in registry:
            assert description, "every binding has a description"
        for needle in ("Next mention", "Zoom in", "Filter to entity", "Export mentions", "Furniture", "Sort"):
            assert needle in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_pane_action(tmp_path: Path) -> None:
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
        before = app.query_one(TimelineStrip).zoom
        await callback()  # type: ignore[operator]
        assert app.query_one(TimelineStrip).zoom == before + 1
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"next mention")
        await settle(pilot, 0.4)
        assert "Next mention" in screen_text(app)


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
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)


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
        await settle(pilot, 0.3)
        text = screen_text(app)
        assert "could not be opened" in text
        assert app.store_error
        assert "Traceback" not in text
        await pilot.press("q")


async def test_dense_timeline_draws_a_histogram(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from explorer.model import CorpusEvent

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = date(2000, 1, 1)
        events = [
            CorpusEvent("d1", (start + timedelta(days=(i * 7) % 7300)).isoformat(), "x", 0, 1, "s", "t")
            for i in range(20000)
        ]
        timeline = app.query_one(TimelineStrip)
        timeline.set_events(events)
        await pilot.press("t")
        text = screen_text(app)
        assert "events per column at most" in text
        assert any(block in text for block in "▁▂▃▄▅▆▇█")
        await pilot.press("right", "right")
        assert timeline.cursor == 2
        await pilot.press("y")  # too many to export without a range
        await settle(pilot)
        assert app.last_note is None
        await pilot.press("plus", "plus", "plus")
        assert timeline.zoom_name == "day"
        assert "events per column" not in screen_text(app)


async def test_hostile_names_and_titles_stay_literal(tmp_path: Path) -> None:
    from tui_fakes import FakeDoc, FakeReader

    text = "Intro. The [UN] Security Council met [@click=app.quit]Bob[/] on May 5, 2009. End [/] here.\n"
    doc = FakeDoc("h1", "odd/[b]path[/b].txt", "Title [bold red]x[/] \x1b[31mred", "A [i]uthor", "2009-05-06", text,
                  [("[UN] Security Council", "organization", []), ("[@click=app.quit]Bob[/]", "person", [])],
                  [("2009-05-05", "May 5, 2009")])
    reader = FakeReader([doc], name="[red]corpus[/]")
    app = ExplorerApp(reader=reader, searcher=None, notes_path=tmp_path / "notes.md", clipboard=[])
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
        await pilot.press("t", "f")  # the filter label (an entity name) in the timeline's title
        await settle(pilot)
        assert "documents mentioning [@click=app.quit]Bob[/]" in screen_text(app)
        assert app.is_running


async def test_key_bar_shows_current_keys_and_clicks(tmp_path: Path) -> None:
    from explorer.tui.widgets.key_bar import KeyBar

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.query_one(KeyBar)
        shown = [description for _key, _shown, description in bar._items]
        assert "Next mention" in shown and "Quit" in shown and "Commands" in shown
        await pilot.press("t")
        await pilot.pause(0.1)
        shown = [description for _key, _shown, description in bar._items]
        assert "Zoom in" in shown and "Next mention" not in shown
        start = next(x0 for x0, _x1, key in bar._spans if key == "question_mark")
        await pilot.click(bar, offset=(start + 1, 0))
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)


async def test_twenty_thousand_entities_stay_virtual(tmp_path: Path) -> None:
    from explorer.model import CorpusEntity

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widgets_before = len(app.screen.query("*"))
        kinds = ["person", "organization", "place", "term"]
        many = [CorpusEntity(f"e{i}", f"Name {i:05d}", kinds[i % 4], [], [], 20000 - i, 1) for i in range(20000)]
        app.sidebar.set_entities(many)
        await pilot.pause(0.05)
        assert len(app.screen.query("*")) == widgets_before  # rows are painted, not mounted
        entities = app.query_one(EntityList)
        assert len(entities.rows) == 20004  # 4 group headers
        await pilot.press("e", "1", "2", "3", "4")
        await pilot.pause(0.05)
        shown = [entities.entities[row].name for row in entities.rows if isinstance(row, int)]
        assert shown == ["Name 01234", "Name 11234"] or set(shown) >= {"Name 01234", "Name 11234"}
        assert "Name 01234" in screen_text(app)
        await pilot.press("escape", "end")
        assert entities.current is not None and entities.current.type == "term"


async def test_ctrl_k_searches_even_from_the_filter_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "c", "a")  # typing in the list starts the filter box
        assert app.focused is not None and app.focused.id == "entity-filter"
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert app.focused is not None and app.focused.id == "entity-filter"


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
    app = ExplorerApp(reader=reader, searcher=FakeSearch(reader), notes_path=blocker / "notes.md", clipboard=[])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_doc(pilot, "d1")
        app.query_one(DocView).focus()
        await pilot.press("j", "j", "j", "y")
        await settle(pilot)
        assert app.clipboard and app.clipboard == fallback.read_text()
        delivery = app.last_delivery
        assert delivery is not None and delivery.fallback and delivery.saved_to == fallback
        messages = [notification.message for notification in app._notifications]
        assert any(str(fallback) in message and "a parent is a file" in message for message in messages)
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
