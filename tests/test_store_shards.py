"""The seam to many machines: extraction shards (JSONL) and a dask cluster build the store the files build."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from test_store import _answers
from test_store_fakes import ARTICLES, use_fake_extractor, write_articles

from explorer.store import StoreError, index_corpus, index_shards, open_store
from explorer.store.shards import write_jsonl

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_fake_extractor(monkeypatch)
    folder = write_articles(tmp_path / "articles")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _shard(paths: list[Path], shard: Path) -> list:
    out = io.BytesIO()
    skipped = write_jsonl(paths, out, workers=1)
    shard.write_bytes(out.getvalue())
    return skipped


def test_a_store_built_from_shards_answers_as_the_store_built_from_files(corpus: Path, tmp_path: Path) -> None:
    from_files = tmp_path / "files.json"
    report = index_corpus([corpus], from_files, workers=1)
    # Two shards, as two machines would write them: half of the files each.
    files = sorted(corpus.iterdir())
    skipped = _shard(files[::2], tmp_path / "a.jsonl") + _shard(files[1::2], tmp_path / "b.jsonl")
    assert [Path(s.path).name for s in skipped] == ["empty.txt"]
    lines = [orjson.loads(line) for line in (tmp_path / "a.jsonl").read_bytes().splitlines()]
    assert all(line["extractor"] == "fake-1" and line["sha1"] for line in lines if "skipped" not in line)
    from_shards = tmp_path / "shards.json"
    shard_report = index_shards([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], from_shards)
    assert (shard_report.documents, shard_report.entities, shard_report.events) == (
        report.documents, report.entities, report.events)
    assert [Path(s.path).name for s in shard_report.skipped] == ["empty.txt"]
    assert _answers(open_store(from_shards)) == _answers(open_store(from_files))
    assert open_store(from_shards).extractor_version == "fake-1"


def test_shards_update_a_store_incrementally(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.json"
    _shard([corpus], tmp_path / "all.jsonl")
    index_shards([tmp_path / "all.jsonl"], db)
    (corpus / "envoy.txt").write_text(ARTICLES["envoy.txt"].replace("1874", "2094"), encoding="utf-8")
    (corpus / "bosnia.txt").unlink()
    _shard([corpus], tmp_path / "all.jsonl")
    report = index_shards([tmp_path / "all.jsonl"], db)
    assert (report.changed, report.removed, report.unchanged) == (1, 1, 2)
    assert _answers(open_store(db)) == _answers(open_store(_fresh(corpus, tmp_path)))


def _fresh(corpus: Path, tmp_path: Path) -> Path:
    db = tmp_path / "fresh.json"
    index_corpus([corpus], db, workers=1)
    return db


def test_a_shard_that_is_not_one_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "/a", "id": "1"\n', encoding="utf-8")
    with pytest.raises(StoreError, match="bad.jsonl:1"):
        index_shards([bad], tmp_path / "store.json")
    bad.write_text('{"title": "no source"}\n', encoding="utf-8")
    with pytest.raises(StoreError, match="not a line of"):
        index_shards([bad], tmp_path / "store.json")
    with pytest.raises(StoreError, match="no such file"):
        index_shards([tmp_path / "missing.jsonl"], tmp_path / "store.json")


def _explorer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_cli_extracts_shards_and_indexes_them(tmp_path: Path) -> None:
    seeds = ROOT / "seeds"
    extracted = _explorer("extract", "--jsonl", str(seeds))
    assert extracted.returncode == 0, extracted.stderr
    shard = tmp_path / "seeds.jsonl"
    shard.write_text(extracted.stdout, encoding="utf-8")
    assert len(extracted.stdout.splitlines()) == len(list(seeds.iterdir()))
    assert _explorer("index", "--from-jsonl", str(shard)).returncode == 2  # which store?
    built = _explorer("index", "--from-jsonl", str(shard), "--db", str(tmp_path / "shards.json"))
    assert built.returncode == 0, built.stderr
    assert f"{len(list(seeds.iterdir()))} documents" in built.stdout
    direct = _explorer("index", str(seeds), "--db", str(tmp_path / "files.json"))
    assert direct.returncode == 0, direct.stderr
    assert _answers(open_store(tmp_path / "shards.json")) == _answers(open_store(tmp_path / "files.json"))
    found = _explorer("search", "--json", "Bosworth", "--db", str(tmp_path / "shards.json"))
    assert found.returncode == 0 and orjson.loads(found.stdout)["results"][0]["name"].endswith("Bosworth")


def test_a_dask_cluster_builds_the_store_the_process_pool_builds(corpus: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    pool = tmp_path / "pool.json"
    index_corpus([corpus], pool, workers=1)
    # Threads in this process, so the test's stand-in extractor is the one the workers run.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        report = index_corpus([corpus], tmp_path / "dask.json", scheduler=cluster.scheduler_address)
    assert report.documents == 4 and [Path(s.path).name for s in report.skipped] == ["empty.txt"]
    assert _answers(open_store(tmp_path / "dask.json")) == _answers(open_store(pool))


def test_an_unreachable_scheduler_is_a_clear_error(corpus: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    import explorer.store.indexer

    monkeypatch.setattr(explorer.store.indexer, "DASK_CONNECT_SECONDS", 2)
    (corpus / "extra.txt").write_text("Extra\n\nBosworth met Kim.\n", encoding="utf-8")
    with pytest.raises(StoreError, match="dask scheduler"):
        index_corpus([corpus], tmp_path / "store.json", scheduler="tcp://127.0.0.1:9")
