"""The analyst's workbench in the interface, on a real store of the seeds: corrections by key (and every
pane following them), "appears with", scope by time, document marks. Driven by keys, asserting what is shown."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_screen import screen_text, settle

from explorer.paths import seeds_dir
from explorer.store import index_corpus
from explorer.store.user import UserStore
from explorer.tui.app import ExplorerApp
from explorer.tui.screens.dialogs import ChoiceDialog, TextDialog
from explorer.tui.screens.documents import DocumentsScreen
from explorer.tui.screens.hidden import HiddenScreen
from explorer.tui.screens.related import RelatedScreen
from explorer.tui.screens.search import SearchScreen
from explorer.tui.widgets.doc_view import DocView
from explorer.tui.widgets.document_list import DocumentList
from explorer.tui.widgets.entity_list import EntityList
from explorer.tui.widgets.mention_list import MentionList

SIZE = (140, 40)


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds, indexed once for the module: (corpus folder, store file)."""
    root = tmp_path_factory.mktemp("workbench-seeds")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in sorted(seeds_dir().glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    db = root / "store.json"
    index_corpus([corpus], db)
    return corpus, db


@pytest.fixture
def store(seeds_store: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the seeds' store (and its folder) for one test: its corrections are its own."""
    corpus, db = seeds_store
    copy = tmp_path / "store.json"
    for item in db.parent.iterdir():
        if item.name.startswith(db.name) and not item.name.endswith((".user.json", ".lock")):
            if item.is_dir():
                shutil.copytree(item, tmp_path / item.name)
            else:
                shutil.copy(item, tmp_path / item.name)
    return corpus, copy


def make_app(tmp_path: Path, store: tuple[Path, Path], index: bool = False) -> ExplorerApp:
    corpus, db = store
    return ExplorerApp(corpus, db=db, notes_path=tmp_path / "notes.md", clipboard=[], index=index,
                       now=lambda: "2026-01-01 00:00 UTC", keymap_path=tmp_path / "keymap.toml",
                       settings_path=tmp_path / "settings.json")


async def opened(pilot: Pilot, app: ExplorerApp) -> None:
    await settle(pilot, lambda: app.session is not None and app.session.search is not None
                 and app.document is not None, timeout=60)


def listed(app: ExplorerApp) -> dict[str, tuple[str, int]]:
    """The entity list as shown: name -> (type, mentions)."""
    return {entity.name: (entity.type, entity.count) for entity in app.main.entity_list.entities}


async def filter_entities(pilot: Pilot, text: str) -> None:
    await pilot.press("e", "f", "ctrl+u", *text, "enter")
    await settle(pilot)


async def select_in(pilot: Pilot, widget: Any, wanted: Callable[[Any], bool], limit: int = 60) -> None:
    """Press down until the widget's current row is the wanted one; fail (never hang) when it is not listed."""
    for _ in range(limit):
        if widget.current is not None and wanted(widget.current):
            return
        await pilot.press("down")
    raise AssertionError(f"not listed: {[getattr(widget.current, 'name', widget.current)]}")


async def open_documents(pilot: Pilot, app: ExplorerApp) -> DocumentList:
    """Open the document list (d) and return its list."""
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(app.screen, DocumentsScreen)
    return app.screen.query_one(DocumentList)


async def search_entities(pilot: Pilot, query: str) -> str:
    """Type ``query`` into search and return what the overlay shows, then close it."""
    await pilot.press("slash", *query)
    await settle(pilot)
    assert isinstance(pilot.app.screen, SearchScreen)
    text = screen_text(pilot.app)
    await pilot.press("escape")
    await settle(pilot)
    return text


async def test_merge_by_keys_then_counts_mentions_document_and_search_follow(store: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        before = listed(app)
        assert before["Barack Obama"] == ("person", 2) and before["Obama"] == ("organization", 1)
        await filter_entities(pilot, "obama")
        entity_list = app.main.entity_list
        assert app.focused is entity_list and entity_list.current.name == "Barack Obama"
        await pilot.press("space")  # mark it; the cursor moves down to the organisation "Obama"
        await settle(pilot)
        assert list(entity_list.marked) and "1 marked: M merges" in screen_text(app)
        assert entity_list.current.name == "Obama"
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        text = screen_text(app)
        assert "Merge 2 entities" in text and "Barack Obama (person, 2) + Obama (organization, 1)" in text
        assert app.screen.value == "Barack Obama"  # the most mentioned one's name, to keep or edit
        await pilot.press("enter")
        await settle(pilot, lambda: "Obama" not in listed(app))
        after = listed(app)
        assert after["Barack Obama"] == ("person", 3) and "Obama" not in after
        assert len(after) == len(before) - 1
        text = screen_text(app)
        assert "Merged: Barack Obama (person, 3 mentions in 2 documents)" in text
        # the merged entity is selected; its mentions are the three, the organisation's among them
        assert app.selected_entity is not None and app.selected_entity.name == "Barack Obama"
        mentions = app.query_one(MentionList)
        assert len(mentions.mentions) == 3
        assert "Mentions of Barack Obama (person) · 3 mentions in 2 documents" in screen_text(app)
        # the open document marks the former organisation as Barack Obama
        merged_id = app.selected_entity.entity_id
        await pilot.press("m", "enter")
        await settle(pilot)
        view = app.query_one(DocView)
        obama_spans = [span for span in view.spans if view.text[span[0]:span[1]].endswith("Obama")]
        assert obama_spans and {span[2] for span in obama_spans} == {merged_id}
        assert {span[3] for span in obama_spans} == {"person"}
        # search finds one Obama entity, a person
        shown = await search_entities(pilot, "obama")
        assert "Entities · 1" in shown and "Barack Obama" in shown
        # saved in the user file beside the store
        saved = UserStore(app.session.store.path).corrections()
        assert [(c.action, c.value) for c in saved] == [("merge", "Barack Obama")]
        # u undoes it: both are back
        await pilot.press("u")
        await settle(pilot, lambda: "Obama" in listed(app))
        assert listed(app)["Barack Obama"] == ("person", 2) and listed(app)["Obama"] == ("organization", 1)
        assert "Undone: merge Barack Obama + Obama as Barack Obama" in screen_text(app)
        assert UserStore(app.session.store.path).corrections() == []


async def test_rename_retype_hide_split_unhide_by_keys(store: tuple[Path, Path], tmp_path: Path) -> None:
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        # rename: the old name stays an alias, so search finds the entity by both
        await filter_entities(pilot, "hillary")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog) and app.screen.value == "Hillary Rodham Clinton"
        await pilot.press("ctrl+u", *"Hillary Clinton", "enter")
        await settle(pilot, lambda: "Hillary Clinton" in listed(app))
        assert "Hillary Rodham Clinton" not in listed(app)
        assert listed(app)["Hillary Clinton"] == ("person", 6)
        assert "Renamed: Hillary Clinton (person, 6 mentions in 1 document)" in screen_text(app)
        assert "Hillary Clinton" in await search_entities(pilot, "hillary clinton")
        assert "Hillary Clinton" in await search_entities(pilot, "rodham")
        # retype: the extractor reads a bare "Obama" in one seed as an organisation; he is a person
        await filter_entities(pilot, "obama")
        entity_list = app.main.entity_list
        await select_in(pilot, entity_list, lambda entity: entity.name == "Obama")
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "The type of Obama (now: organization)" in screen_text(app)
        await pilot.press("up", "enter")  # organisation -> person
        await settle(pilot, lambda: listed(app).get("Obama", ("",))[0] == "person")
        # hide: "Pacific" is no entity here
        await filter_entities(pilot, "pacific")
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog) and "This entity: Pacific (place)" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, lambda: "Pacific" not in listed(app))
        assert "Hidden: Pacific" in screen_text(app)
        # split: "Kim", an alias of Kim Jong Il, becomes an entity of its own with its mention
        await filter_entities(pilot, "kim jong")
        assert entity_list.current.name == "Kim Jong Il" and entity_list.current.aliases == ["Kim"]
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")
        await settle(pilot, lambda: "Kim" in listed(app))
        assert listed(app)["Kim"] == ("person", 1) and listed(app)["Kim Jong Il"] == ("person", 1)
        # unhide: U lists what is hidden; enter shows Pacific again
        await pilot.press("U")
        await settle(pilot)
        assert isinstance(app.screen, HiddenScreen) and "Pacific" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, lambda: "Pacific" in listed(app))
        assert app.selected_entity is not None and app.selected_entity.name == "Pacific"
        actions = [c.action for c in UserStore(app.session.store.path).corrections()]
        assert actions == ["rename", "retype", "hide", "split", "unhide"]


async def test_corrections_survive_a_reopen_and_a_rebuild(store: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, db = store
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await filter_entities(pilot, "obama")
        await pilot.press("space", "M")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: "Obama" not in listed(app))
    index_corpus([corpus], db, rebuild=True)
    again = make_app(tmp_path, store, index=True)
    async with again.run_test(size=SIZE) as pilot:
        await opened(pilot, again)
        assert "Obama" not in listed(again) and listed(again)["Barack Obama"] == ("person", 3)


async def test_appears_with_bosworth_then_passages_then_the_document(store: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await filter_entities(pilot, "bosworth")
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, RelatedScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        names = [item.entity.name for item in screen.related]
        assert "Kang Sok Ju" in names and "Kim Gye Gwan" in names
        # ranked as related_entities ranks them: a rare name in the same sentence above North Korea
        assert names.index("Kang Sok Ju") < names.index("North Korea")
        text = screen_text(app)
        assert "Appears with Stephen Bosworth (person)" in text and "Kang Sok Ju" in text and "score" in text
        related_list = screen.related_list
        await select_in(pilot, related_list, lambda row: row.entity.name == "Kang Sok Ju")
        await pilot.press("enter")
        await settle(pilot, lambda: bool(screen.passage_list.passages))
        passages = screen.passage_list.passages
        assert len(passages) == 1 and "Kang Sok Ju" in passages[0].sentence and "Bosworth" in passages[0].sentence
        assert "Where Stephen Bosworth and Kang Sok Ju appear together" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RelatedScreen)
        view = app.query_one(DocView)
        passage = passages[0]
        assert app.document is not None and app.document.summary.doc_id == passage.doc_id
        assert view.cursor == passage.sentence_start and app.focused is view
        assert view.flash == (passage.sentence_start, passage.sentence_start + len(passage.sentence))


async def test_appears_with_pivots_and_steps_back(store: tuple[Path, Path], tmp_path: Path) -> None:
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await filter_entities(pilot, "bosworth")
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, RelatedScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        first = screen.related_list.current.entity.name
        await pilot.press("a")  # what the first related entity appears with
        await settle(pilot, lambda: screen.loaded and screen.entity.name == first)
        assert f"Appears with {first}" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, lambda: screen.loaded and screen.entity.name == "Stephen Bosworth")
        await pilot.press("x")  # the list as a note
        await settle(pilot)
        saved = (tmp_path / "notes.md").read_text(encoding="utf-8")
        assert "## Appears with Stephen Bosworth (person)" in saved and "- Kang Sok Ju (person): 1 shared sentence" \
            in saved
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RelatedScreen)
        assert isinstance(app.focused, EntityList)


async def test_go_to_date_then_scope_a_range_then_clear_it(store: tuple[Path, Path], tmp_path: Path) -> None:
    from explorer.tui.widgets.timeline_strip import TimelineStrip

    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        session = app.session
        every_document, every_event = len(session.documents), len(session.events)
        bosworth_all = session.corrected.entity(next(e.entity_id for e in session.entities
                                                     if e.name == "Stephen Bosworth"))
        timeline = app.query_one(TimelineStrip)
        # a date that is not one is refused, and the dialog stays
        await pilot.press("t", "colon", *"May 2009", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog) and "is not a date" in screen_text(app)
        await pilot.press("ctrl+u", *"2009-12", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, TextDialog) and app.focused is timeline
        current = timeline.current
        assert current is not None and current.event.date.startswith("2009-12")
        assert timeline.zoom_name in ("month", "day")
        # mark a range over December's events and scope to it
        first_december = current.first
        await pilot.press("v", "end", "s")
        await settle(pilot, lambda: app.session is not None and app.session.period is not None)
        session = app.session
        period = session.period
        assert period.start.toordinal() == first_december and period.start.year == 2009
        assert 0 < len(session.documents) < every_document and 0 < len(session.events) < every_event
        assert all(event.date >= "2009-12" or "/" in event.date for event in session.events)
        text = screen_text(app)
        label = session.scope_label()
        assert f"scope {label}" in text  # the title bar
        assert f"Entities · {session.scope_label(short=True)}" in text and f"Timeline · {len(session.events)} events · scope {label}" in text
        # counts, mentions and search are the period's
        bosworth = next(e for e in session.entities if e.name == "Stephen Bosworth")
        assert 0 < bosworth.count < bosworth_all.count
        await filter_entities(pilot, "bosworth")
        await settle(pilot)
        mentions = app.query_one(MentionList).mentions
        assert len(mentions) == bosworth.count and {m.doc_id for m in mentions} <= set(session.doc_by_id)
        shown = await search_entities(pilot, "campbell")
        assert "Kurt Campbell" not in shown  # named only in September's article
        # the document list is the period's
        await pilot.press("d")
        await settle(pilot)
        assert f"Documents · {len(session.documents)} document" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # S clears it
        await pilot.press("S")
        await settle(pilot, lambda: app.session is not None and app.session.period is None)
        assert len(app.session.documents) == every_document and len(app.session.events) == every_event
        text = screen_text(app)
        assert "scope" not in text.split("\n")[0] and f"Timeline · {every_event} events" in text
        assert "Kurt Campbell" in await search_entities(pilot, "campbell")


async def test_star_tag_read_filter_and_persist_after_reindex(store: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, db = store
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        listing = await open_documents(pilot, app)
        first, second = listing.shown[0], listing.shown[1]  # by date: the dated article, then the undated
        assert first.published == "2009-09-22" and not second.published
        await pilot.press("asterisk", "R")  # star the first; mark it read (the cursor moves to the second)
        await settle(pilot)
        assert listing.current is second
        await pilot.press("number_sign")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog) and "Tags of U.S. Envoy" in screen_text(app)
        await pilot.press(*"nuclear, follow up", "enter")
        await settle(pilot)
        marks = app.session.marks
        assert marks[first.path].starred and marks[first.path].read and not marks[first.path].tags
        assert marks[second.path].tags == ["nuclear", "follow-up"] and not marks[second.path].starred
        text = screen_text(app)
        assert "▶ ★✓ 2009-09-22" in text and "#nuclear" in text and "1 ★ · 1 read" in text

        async def shown_after(query: str) -> list[str]:
            await pilot.press("f", "ctrl+u", *query, "enter")
            await settle(pilot)
            return [doc.path for doc in listing.shown]

        assert await shown_after("*") == [first.path]
        assert await shown_after("is:unread") == [second.path]
        assert await shown_after("is:read") == [first.path]
        assert await shown_after("#follow-up") == [second.path]
        assert await shown_after("#nuclear #missing") == []
        assert await shown_after("#nuc") == [second.path]  # a tag by its beginning, as it is typed
        assert await shown_after("date:2009-09") == [first.path]
        assert await shown_after("date:2009-10..2010") == []
        assert await shown_after("is:undated talks") == [second.path]
        assert await shown_after("date:2009-13") == [] and "is not a date" in screen_text(app)
        await shown_after("#nuclear")
        await pilot.press("enter")  # open it
        await settle(pilot)
        assert app.document is not None and app.document.summary.path == second.path
        assert "#nuclear #follow-up" in screen_text(app)  # the document's header says its tags
        # in the document: * stars it, R marks it read; a note of a passage carries its tags
        await pilot.press("r", "asterisk", "R", "v", "w", "w", "y")
        await settle(pilot)
        assert app.session.marks[second.path].starred and app.session.marks[second.path].read
        assert "★ U.S. Envoy Holds Talks" in screen_text(app)
        note = (tmp_path / "notes.md").read_text(encoding="utf-8")
        assert "- Tags: #nuclear, #follow-up" in note
        saved = UserStore(db).marks()
        assert saved[second.path].tags == ["follow-up", "nuclear"] and saved[first.path].starred
    # kept by path: a rebuild of the store keeps them
    index_corpus([corpus], db, rebuild=True)
    again = make_app(tmp_path, store, index=True)
    async with again.run_test(size=SIZE) as pilot:
        await opened(pilot, again)
        await pilot.press("d", "f", *"*", "enter")
        await settle(pilot)
        listing = again.screen.query_one(DocumentList)
        assert sorted(doc.path for doc in listing.shown) == sorted([first.path, second.path])


def test_a_scope_over_other_corrections_counts_as_a_fresh_one(seeds_store: tuple[Path, Path]) -> None:
    """A correction in a scope recounts only the entities it touches (ScopedReader.over): the same list as
    counting the period afresh, through merges, renames, hides, splits and their undoing."""
    from explorer.model import Correction, EntityRef
    from explorer.store import open_store
    from explorer.store.corrected import CorrectedReader
    from explorer.store.scope import Period, ScopedReader

    _, db = seeds_store
    corrected = CorrectedReader(open_store(db), [])
    period = Period.parse("2009-12", "2009-12")
    scoped = ScopedReader(corrected, period)
    entities = scoped.entities()
    people = [entity for entity in entities if entity.type == "person"]
    everywhere = corrected.entities()

    def ref(entity):  # type: ignore[no-untyped-def]
        return EntityRef(entity.name, entity.type, list(entity.aliases))

    outside = next(e for e in everywhere if e.entity_id not in {x.entity_id for x in entities} and e.type == "person")
    aliased = next(e for e in everywhere if e.aliases and e.entity_id in {x.entity_id for x in entities})
    steps = [Correction("merge", [ref(people[0]), ref(people[1])], value=people[1].name),
             Correction("rename", [ref(people[2])], value="Somebody Else"),
             Correction("hide", [ref(people[3])]),
             Correction("hide", surface=people[4].name),
             Correction("split", [ref(aliased)], value=aliased.aliases[0]),
             Correction("merge", [ref(people[5]), ref(outside)], value=outside.name)]
    history = [*[[*steps[: i + 1]] for i in range(len(steps))], *[[*steps[:i]] for i in range(len(steps) - 1, -1, -1)]]

    def shown(reader: ScopedReader) -> list[tuple[object, ...]]:
        return [(e.entity_id, e.name, e.type, e.count, e.doc_count, tuple(e.aliases)) for e in reader.entities()]

    current = scoped
    for corrections in history:
        again = corrected.with_corrections(corrections)
        current = current.over(again)
        assert shown(current) == shown(ScopedReader(again, period)), [c.action for c in corrections]
    assert shown(current) == shown(scoped)


async def test_tags_travel_into_notes_from_the_mentions_list_and_the_timeline(store: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    """A tag given in the document list follows the document into every note: each mention (x in the entity
    list or the mentions list) and each timeline event (y) of a tagged document carries its tags, and only
    those of a tagged document do."""
    from explorer.tui.widgets.timeline_strip import TimelineStrip

    app = make_app(tmp_path, store)
    notes_file = tmp_path / "notes.md"
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        listing = await open_documents(pilot, app)
        dated, undated = listing.shown[0], listing.shown[1]
        await pilot.press("down", "number_sign", *"nuclear, follow up", "enter")  # tag the undated article
        await settle(pilot)
        assert app.session.marks[undated.path].tags == ["nuclear", "follow-up"]
        await pilot.press("escape")
        await settle(pilot)

        def note_lines(kind: str) -> dict[str, list[str]]:
            """The last note's item lines, by document path: those of the tagged one and of the other."""
            note = app.last_note
            assert note is not None and note.kind == kind and note.markdown in notes_file.read_text(encoding="utf-8")
            items = [line for line in note.markdown.splitlines() if line.startswith("- ") and "characters" in line]
            return {path: [line for line in items if f"{path}, characters" in line]
                    for path in (dated.path, undated.path)}

        def tagged_only_in_the_tagged_document(lines: dict[str, list[str]]) -> None:
            assert lines[undated.path] and lines[dated.path]  # both documents have items in the note
            assert all("; #nuclear, #follow-up)" in line for line in lines[undated.path])
            assert not any("#nuclear" in line for line in lines[dated.path])

        # the entity list: x exports the selected entity's mentions
        await filter_entities(pilot, "bosworth")
        await pilot.press("x")
        await settle(pilot, lambda: app.last_note is not None)
        tagged_only_in_the_tagged_document(note_lines("mentions"))
        # the mentions list: x again, from there
        app.last_note = None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, MentionList)
        await pilot.press("x")
        await settle(pilot, lambda: app.last_note is not None)
        tagged_only_in_the_tagged_document(note_lines("mentions"))
        # the timeline: a range over every event, y
        await pilot.press("t", "home", "v", "end", "y")
        await settle(pilot, lambda: app.last_note is not None and app.last_note.kind == "timeline")
        assert app.focused is app.query_one(TimelineStrip)
        tagged_only_in_the_tagged_document(note_lines("timeline"))


async def test_marks_pressed_quickly_are_saved_as_shown(store: tuple[Path, Path], tmp_path: Path) -> None:
    """Each key starts its own write: however they finish, the file ends holding what the screen shows."""
    _, db = store
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("r", *["asterisk"] * 5, "R", "R", "R", "R")
        await settle(pilot)
        path = app.document.summary.path
        shown = app.session.marks[path]
        assert shown.starred and not shown.read
        saved = UserStore(db).marks()
        assert saved[path].starred and not saved[path].read
        await pilot.press("asterisk", "asterisk", "asterisk")
        await settle(pilot)
        assert path not in app.session.marks and path not in UserStore(db).marks()


async def test_keys_typed_while_appears_with_counts_go_to_it(store: tuple[Path, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """a counts before its overlay opens: a key typed meanwhile opens it at once and goes to it, never to the
    entity list behind (j there would move the selection). The count is held until the keys are in."""
    import threading

    import explorer.tui.app as app_module

    typed = threading.Event()
    count_related = app_module.count_related

    def held_count(session, entity):  # type: ignore[no-untyped-def]
        typed.wait(10)
        return count_related(session, entity)

    monkeypatch.setattr(app_module, "count_related", held_count)
    monkeypatch.setattr(app_module, "RELATED_PATIENCE", 30.0)  # the overlay would not open by itself meanwhile
    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await filter_entities(pilot, "kim")
        selected = app.selected_entity
        assert selected is not None and len(app.main.entity_list.entities) > 2  # j would have somewhere to go
        await pilot.press("a", "j", "j")
        typed.set()
        await settle(pilot, lambda: isinstance(app.screen, RelatedScreen) and app.screen.loaded)
        assert app.selected_entity is selected and isinstance(app.screen, RelatedScreen)
        assert app.screen.entity is selected and f"Appears with {selected.name}" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RelatedScreen) and app.selected_entity is selected


async def test_a_narrow_document_list_keeps_room_for_titles(store: tuple[Path, Path], tmp_path: Path) -> None:
    """At 80 columns the counts give way and the path is cut from its start: the titles stay readable."""
    app = make_app(tmp_path, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        await pilot.press("d")
        await settle(pilot)
        text = screen_text(app)
        assert "China Expected to Urge" in text and "U.S. Envoy Holds" in text
        row = next(line for line in text.splitlines() if "2009-09-22  China Expected" in line)
        assert "entities" not in row and "…0_8bb1b2e5fde0c75e.txt" in row  # no counts; the path's end kept
    app = make_app(tmp_path, store)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened(pilot, app)
        await pilot.press("d")
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if "2009-09-22  China Expected" in line)
        assert "29 entities" in row and " 000_8bb1b2e5fde0c75e.txt" in row  # room for everything


async def test_a_pane_key_then_a_filter_typed_at_once_lands_whole(store: tuple[Path, Path], tmp_path: Path) -> None:
    """e f obama sent at once from the document (a fast typist, a paste, tmux send-keys): the letters were
    queued for the document before e and f moved the focus; they reach the filter box, none is a command
    (a would open "appears with", m the mentions, b move a word)."""
    from textual import events

    from explorer.tui.widgets.filter_box import FilterInput

    app = make_app(tmp_path, store)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        assert isinstance(app.focused, DocView)
        cursor = app.query_one(DocView).cursor
        for character in "efobama":
            app._driver.send_message(events.Key(character, character))
        await settle(pilot)
        assert isinstance(app.focused, FilterInput) and app.sidebar.box.value == "obama"
        assert not isinstance(app.screen, RelatedScreen) and app.query_one(DocView).cursor == cursor
        await pilot.press("enter")
        await settle(pilot)
        entity_list = app.main.entity_list
        assert isinstance(app.focused, EntityList) and entity_list.query_text == "obama"
        shown = {entity_list.entities[row].name for row in entity_list.rows if isinstance(row, int)}
        assert shown == {"Barack Obama", "Obama"}
