"""The workbench commands as a user runs them: explorer entities (list, merge, rename, retype, hide, unhide,
split, undo), explorer corrections export/import, explorer related, explorer graph, --from/--to."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from explorer.cli import main
from explorer.paths import seeds_dir
from explorer.store import index_corpus

AMBIGUOUS = {
    "one.txt": "Leaders Meet in Pyongyang\n\nPYONGYANG, March 3, 2010 - North Korean leader Kim Jong Il received "
               "the envoy on Tuesday. Kim said the talks were useful.\n",
    "two.txt": "Envoy Returns From Talks\n\nSEOUL, March 9, 2010 - Vice Foreign Minister Kim Gye Gwan met the "
               "delegation in Beijing. Kim told reporters that the Six-Party Talks should resume.\n",
}


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds-store") / "seeds.json"
    index_corpus([seeds_dir()], db, workers=1)
    return db


@pytest.fixture
def db(seeds_store: Path, tmp_path: Path) -> Path:
    """A fresh copy of the indexed seeds (without corrections) for each test."""
    copy = tmp_path / "store" / "seeds.json"
    copy.parent.mkdir()
    # The store is its root file and the folder of segments and arrays beside it.
    for part in seeds_store.parent.glob(seeds_store.name + "*"):
        if part.is_dir():
            shutil.copytree(part, copy.parent / part.name)
        else:
            shutil.copy(part, copy.parent / part.name)
    return copy


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def entities_json(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> dict[str, dict]:
    code, out, _ = run(capsys, "entities", "--json", "--db", db, *extra)
    assert code == 0
    return {entity["name"]: entity for entity in json.loads(out)["entities"]}


def test_entities_lists_the_corpus_as_json_and_text(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    listed = entities_json(capsys, db)
    assert listed["Stephen Bosworth"] == {"name": "Stephen Bosworth", "type": "person", "aliases": ["Bosworth"],
                                          "mentions": 8, "documents": 2, "hidden": False}
    people = entities_json(capsys, db, "--type", "person")
    assert people and {e["type"] for e in people.values()} == {"person"} and "North Korea" not in people
    code, out, err = run(capsys, "entities", "--db", db)
    assert code == 0 and "Stephen Bosworth  = Bosworth" in out and f"{len(listed)} entities" in err


def test_related_finds_who_appears_with_bosworth(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = run(capsys, "related", "Stephen Bosworth", "--db", db, "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["entity"] == {"name": "Stephen Bosworth", "type": "person"}
    related = {r["name"]: r for r in payload["related"]}
    assert {"Kang Sok Ju", "Kim Gye Gwan"} <= set(related)
    assert related["Kang Sok Ju"]["sentences"] >= 1 and set(related["Kang Sok Ju"]) == \
        {"name", "type", "sentences", "documents", "score"}
    scores = [r["score"] for r in payload["related"]]
    assert scores == sorted(scores, reverse=True)
    code, out, _ = run(capsys, "related", "Bosworth", "--db", db, "--json", "--limit", "3")
    assert code == 0 and len(json.loads(out)["related"]) == 3
    code, out, _ = run(capsys, "related", "bosworth", "--db", db)
    assert code == 0 and "appearing with Stephen Bosworth" in out and "Kang Sok Ju" in out


def test_every_correction_and_undo(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = run(capsys, "entities", "merge", "Kim Gye Gwan", "Kang Sok Ju", "--name", "Kang Sok Ju",
                       "--db", db)
    assert code == 0 and out.startswith("merged: Kang Sok Ju (person, 2 mentions in 1 document)")
    listed = entities_json(capsys, db)
    assert "Kim Gye Gwan" not in listed and listed["Kang Sok Ju"]["aliases"] == ["Kim Gye Gwan"]

    code, out, _ = run(capsys, "entities", "rename", "Bosworth", "Steve Bosworth", "--db", db)
    assert code == 0 and "renamed: Steve Bosworth" in out
    assert entities_json(capsys, db)["Steve Bosworth"]["aliases"] == ["Stephen Bosworth", "Bosworth"]

    code, out, _ = run(capsys, "entities", "retype", "Okinawa", "term", "--db", db)
    assert code == 0 and entities_json(capsys, db)["Okinawa"]["type"] == "term"

    code, out, _ = run(capsys, "entities", "hide", "Peter Crail", "--db", db)
    assert code == 0 and "Peter Crail" not in entities_json(capsys, db)
    code, _, err = run(capsys, "related", "Peter Crail", "--db", db)
    assert code == 1 and "'Peter Crail' is hidden" in err
    assert entities_json(capsys, db, "--all")["Peter Crail"]["hidden"] is True
    code, out, _ = run(capsys, "entities", "unhide", "Peter Crail", "--db", db)
    assert code == 0 and entities_json(capsys, db)["Peter Crail"]["hidden"] is False

    code, out, _ = run(capsys, "entities", "hide", "U.S.", "--everywhere", "--db", db)
    assert code == 0 and entities_json(capsys, db)["United States"]["aliases"] == []

    code, out, _ = run(capsys, "entities", "split", "Hillary Rodham Clinton", "Clinton", "--db", db)
    assert code == 0 and out.startswith("split: Clinton (person, 5 mentions")
    listed = entities_json(capsys, db)
    assert listed["Clinton"]["mentions"] == 5 and listed["Hillary Rodham Clinton"]["mentions"] == 1

    code, out, _ = run(capsys, "search", "steve bos", "--db", db, "--json")
    assert code == 0 and json.loads(out)["results"][0]["name"] == "Steve Bosworth"

    for undone in ("split Clinton out of Hillary Rodham Clinton", "hide 'U.S.' everywhere",
                   "unhide Peter Crail", "hide Peter Crail"):
        code, out, _ = run(capsys, "entities", "undo", "--db", db)
        assert code == 0 and out.strip() == f"undone: {undone}"
    listed = entities_json(capsys, db)
    assert listed["Hillary Rodham Clinton"]["aliases"] == ["Clinton"] and listed["United States"]["aliases"] == ["U.S."]
    assert listed["Okinawa"]["type"] == "term"  # the earlier corrections stay


def test_an_ambiguous_name_is_refused_with_the_candidates(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    corpus = tmp_path / "talks"
    corpus.mkdir()
    for name, text in AMBIGUOUS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "entities", "hide", "Kim", corpus)
    assert code == 2
    assert "'Kim' is ambiguous" in err and "Kim Jong Il (person" in err and "Kim Gye Gwan (person" in err
    code, _, err = run(capsys, "entities", "merge", "Kim", "Beijing", corpus)
    assert code == 2 and "ambiguous" in err
    code, out, _ = run(capsys, "entities", "hide", "Kim Jong Il", corpus)
    assert code == 0 and out.startswith("hidden: Kim Jong Il")
    code, out, _ = run(capsys, "entities", "hide", "Kim", corpus)  # one visible Kim is left
    assert code == 0 and out.startswith("hidden: Kim Gye Gwan")
    code, _, err = run(capsys, "entities", "hide", "Kim Gye Gwon", corpus)
    assert code == 1 and "no entity named 'Kim Gye Gwon'" in err
    code, _, err = run(capsys, "entities", "retype", "Beijing", "planet", corpus)
    assert code == 2 and "not a type" in err


def test_corrections_travel_to_a_new_store_and_survive_reindexing(capsys: pytest.CaptureFixture[str], db: Path,
                                                                   tmp_path: Path) -> None:
    run(capsys, "entities", "merge", "Kim Gye Gwan", "Kang Sok Ju", "--db", db)
    run(capsys, "entities", "rename", "Okinawa", "Okinawa Prefecture", "--db", db)
    shared = tmp_path / "corrections.json"
    code, _, err = run(capsys, "corrections", "export", shared, "--db", db)
    assert code == 0 and "2 correction(s) written" in err
    exported = json.loads(shared.read_text(encoding="utf-8"))
    assert [c["action"] for c in exported["corrections"]] == ["merge", "rename"]
    assert exported["corrections"][1]["entities"][0] == {"name": "Okinawa", "type": "place", "aliases": []}

    # A colleague's store of the same folder, indexed on its own.
    other = tmp_path / "colleague" / "seeds.json"
    code, _, _ = run(capsys, "index", seeds_dir(), "--db", other)
    assert code == 0
    code, _, err = run(capsys, "corrections", "import", shared, "--db", other)
    assert code == 0 and "2 correction(s) imported, 0 already there" in err
    listed = entities_json(capsys, other)
    assert "Okinawa Prefecture" in listed and "Kang Sok Ju" not in listed  # merged under the first name
    code, _, err = run(capsys, "corrections", "import", shared, "--db", other)
    assert "0 correction(s) imported, 2 already there" in err

    code, _, _ = run(capsys, "index", seeds_dir(), "--db", other, "--rebuild")
    assert code == 0
    assert "Okinawa Prefecture" in entities_json(capsys, other)


def test_a_correction_naming_a_missing_entity_is_reported(capsys: pytest.CaptureFixture[str], db: Path,
                                                          tmp_path: Path) -> None:
    shared = tmp_path / "theirs.json"
    shared.write_text(json.dumps({"corrections": [
        {"action": "rename", "entities": [{"name": "Atlantis", "type": "place", "aliases": []}], "name": "Mu"},
        {"action": "hide", "entities": [{"name": "Peter Crail", "type": "person", "aliases": []}]},
    ]}), encoding="utf-8")
    code, _, err = run(capsys, "corrections", "import", shared, "--db", db)
    assert code == 0 and "1 correction no longer applies: rename Atlantis to Mu (no place 'Atlantis'" in err
    code, out, err = run(capsys, "entities", "--json", "--db", db)
    assert code == 0 and "1 correction no longer applies" in err
    assert "Peter Crail" not in {e["name"] for e in json.loads(out)["entities"]}
    shared.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "corrections", "import", shared, "--db", db)
    assert code == 1 and "theirs.json: not JSON" in err


def test_graph_parses_back_with_its_nodes_and_edges(capsys: pytest.CaptureFixture[str], db: Path,
                                                    tmp_path: Path) -> None:
    listed = entities_json(capsys, db)
    for format_, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        target = tmp_path / f"network.{format_}"
        code, _, err = run(capsys, "graph", "--db", db, "--format", format_, "-o", target)
        assert code == 0 and "edges written" in err
        graph = read(target)
        labels = {data["label"]: node for node, data in graph.nodes(data=True)}
        assert set(labels) == set(listed)
        bosworth = graph.nodes[labels["Stephen Bosworth"]]
        assert (bosworth["type"], int(bosworth["mentions"]), int(bosworth["documents"])) == ("person", 8, 2)
        edge = graph.edges[labels["Stephen Bosworth"], labels["Kang Sok Ju"]]
        assert int(edge["sentences"]) >= 1 and float(edge["weight"]) == int(edge["sentences"]) + int(edge["documents"])
    code, out, _ = run(capsys, "graph", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    pair = next(r for r in rows if {r["Source name"], r["Target name"]} == {"Stephen Bosworth", "Kang Sok Ju"})
    assert int(pair["Sentences"]) >= 1 and pair["Source type"] == pair["Target type"] == "person"
    target = tmp_path / "edges.csv"
    code, _, _ = run(capsys, "graph", "--db", db, "--format", "csv", "-o", target)
    nodes = list(csv.DictReader((tmp_path / "edges-nodes.csv").open(encoding="utf-8")))
    assert code == 0 and {n["Label"] for n in nodes} == set(listed)
    assert len(list(csv.DictReader(target.open(encoding="utf-8")))) == len(rows)


def test_from_and_to_scope_entities_related_and_search(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    # 000 is published 2009-09-22; 003 has no date line and is dated by its events (2003 to Dec. 2009).
    everything = entities_json(capsys, db)
    december = entities_json(capsys, db, "--from", "2009-12-01")
    assert "Kang Sok Ju" in december and "Kurt Campbell" not in december
    assert december["Stephen Bosworth"]["documents"] == 1 < everything["Stephen Bosworth"]["documents"]
    assert entities_json(capsys, db, "--from", "2004", "--to", "2004") == {}
    code, out, _ = run(capsys, "related", "Stephen Bosworth", "--db", db, "--json", "--from", "2009-12")
    assert code == 0 and "Kurt Campbell" not in {r["name"] for r in json.loads(out)["related"]}
    code, out, _ = run(capsys, "search", "campbell", "--db", db, "--json")
    assert code == 0 and json.loads(out)["results"]
    code, out, _ = run(capsys, "search", "campbell", "--db", db, "--json", "--from", "2009-12-01")
    assert code == 0 and json.loads(out)["results"] == []
    code, _, err = run(capsys, "entities", "--db", db, "--from", "2009-13")
    assert code == 2 and "--from: '2009-13' is not a date" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, err = run(capsys, "entities", "merge", "Kang Sok Ju", "--db", db)
    assert code == 2 and "two or more names" in err
    code, _, err = run(capsys, "entities", "rename", "Okinawa", "--db", db)
    assert code == 2 and "usage: explorer entities rename NAME NEW [PATH]" in err
    code, _, err = run(capsys, "entities", "--name", "X", "--db", db)
    assert code == 2 and "--name does not go with `explorer entities`" in err
    code, out, _ = run(capsys, "entities", "undo", "--db", db)
    assert code == 0 and out.strip() == "nothing to undo"
