"""Walking real folders: loops, links, pipes, odd names, deep trees: every problem one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.ingest import iter_files, read_file, read_paths
from explorer.ingest.files import display_path, printable
from explorer.model import Skipped, SourceDocument

ARTICLE = b"Sung Kim met Ri Gun in New York on Monday to discuss the six-party talks.\n"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def outcome(paths: list[Path | str]) -> tuple[list[str], dict[str, str]]:
    """Names of the documents read, and reason by name for those skipped (relative to cwd)."""
    read: list[str] = []
    skipped: dict[str, str] = {}
    for item in read_paths(paths):
        if isinstance(item, Skipped):
            assert "\n" not in item.path and "\n" not in item.reason
            skipped[item.path] = item.reason
        else:
            read.append(item.path)
    return read, skipped


def test_stable_sorted_order_and_hidden_files_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "b").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / ".git" / "config.txt").write_bytes(ARTICLE)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    for name in ("z.txt", "a.txt", "b/m.txt"):
        (folder / name).write_bytes(ARTICLE)
    read, skipped = outcome([folder])
    assert read == ["c/a.txt", "c/b/m.txt", "c/z.txt"]
    assert skipped == {}
    # A hidden file named explicitly is read.
    (folder / ".hidden.txt").write_bytes(ARTICLE)
    assert outcome([folder / ".hidden.txt"])[0] == ["c/.hidden.txt"]


def test_symlink_loops_and_dangling_links_are_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_bytes(ARTICLE)
    os.symlink("..", folder / "sub" / "parent")
    os.symlink(".", folder / "sub" / "itself")
    os.symlink("x.txt", folder / "y.txt")
    os.symlink("y.txt", folder / "x.txt")
    os.symlink("nowhere.txt", folder / "dangling.txt")
    read, skipped = outcome([folder])
    assert read == ["c/sub/a.txt"]
    assert skipped["c/sub/parent"].startswith("symlink loop")
    assert skipped["c/sub/itself"].startswith("symlink loop")
    assert skipped["c/x.txt"] == skipped["c/y.txt"] == "symlink loop"
    assert skipped["c/dangling.txt"].startswith("no such file")
    assert len(skipped) == 5


def test_a_symlinked_folder_elsewhere_is_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.txt").write_bytes(ARTICLE)
    folder = tmp_path / "c"
    folder.mkdir()
    os.symlink(elsewhere, folder / "linked")
    assert outcome([folder]) == (["c/linked/report.txt"], {})


def test_fifo_is_skipped_not_opened(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "ok.txt").write_bytes(ARTICLE)
    read, skipped = outcome([folder])  # opening the FIFO would block forever
    assert read == ["c/ok.txt"] and skipped == {"c/pipe.txt": "a named pipe"}


def test_missing_path_is_one_line() -> None:
    read, skipped = outcome([Path("no/such/folder")])
    assert read == [] and skipped["no/such/folder"].startswith("no such file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_permission_denied_file_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "closed").mkdir(parents=True)
    (folder / "closed" / "in.txt").write_bytes(ARTICLE)
    (folder / "locked.txt").write_bytes(ARTICLE)
    (folder / "locked.txt").chmod(0)
    (folder / "closed").chmod(0)
    try:
        read, skipped = outcome([folder])
    finally:
        (folder / "closed").chmod(0o755)
        (folder / "locked.txt").chmod(0o644)
    assert read == []
    assert skipped == {"c/closed": "folder not readable: permission denied", "c/locked.txt": "permission denied"}


def test_names_with_spaces_non_ascii_and_undecodable_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "Notes from Z\u00fcrich \u2014 \u6771\u4eac 2009.txt").write_bytes(ARTICLE)
    raw = os.fsencode(folder) + b"/latin1-caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(ARTICLE)
    read, skipped = outcome([folder])
    assert skipped == {}
    assert "c/Notes from Z\u00fcrich \u2014 \u6771\u4eac 2009.txt" in read
    assert "c/latin1-caf\\xe9.txt" in read  # shown, and storable as UTF-8, not a crash
    for name in read:
        name.encode("utf-8")


def test_control_characters_in_a_name_are_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "evil\x1b[31mred\nline.txt").write_bytes(ARTICLE)
    (folder / "evil\x1b]52;c;aGk=\x07.xlsx").write_bytes(b"x")
    read, skipped = outcome([folder])
    assert read == ["c/evil\\x1b[31mred\\nline.txt"]
    assert list(skipped) == ["c/evil\\x1b]52;c;aGk=\\x07.xlsx"]
    assert printable("ok name.txt") == "ok name.txt"


def test_saved_page_resources_are_one_line_not_dozens(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "Page_files").mkdir(parents=True)
    (folder / "Page.htm").write_text("<html><body><article><p>" + "Talks resumed in Beijing. " * 20
                                     + "</p></article></body></html>", encoding="utf-8")
    for name in ("a.js", "b.css", "c.png", "d.gif", "e.js"):
        (folder / "Page_files" / name).write_bytes(b"x")
    (folder / "Other_files").mkdir()  # no Other.html beside it: an ordinary folder
    (folder / "Other_files" / "kept.txt").write_bytes(ARTICLE)
    read, skipped = outcome([folder])
    assert read == ["c/Other_files/kept.txt", "c/Page.htm"]
    assert skipped == {"c/Page_files": "images and scripts of the saved page Page.htm"}


def test_deep_folders_do_not_hit_the_recursion_limit(tmp_path: Path) -> None:
    deep = tmp_path / "d"
    parts = ["x"] * 1200
    # Build with relative chdir steps: the absolute path would exceed PATH_MAX.
    deep.mkdir()
    os.chdir(deep)
    for part in parts:
        os.mkdir(part)
        os.chdir(part)
    Path("bottom.txt").write_bytes(ARTICLE)
    os.chdir(tmp_path)
    try:
        found = list(iter_files([Path("d")]))
    finally:
        # Take the tree down by relative steps too (recursive removal would hit the limit).
        os.chdir(deep)
        for part in parts:
            os.chdir(part)
        os.remove("bottom.txt")
        for part in reversed(parts):
            os.chdir("..")
            os.rmdir(part)
        os.chdir(tmp_path)
    assert len(found) == 1 and found[0].name == "bottom.txt"


def test_the_store_sees_every_problem_through_iter_files_and_read_file(tmp_path: Path) -> None:
    """The indexer walks with iter_files and reads with read_file: nothing may vanish between them."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "good.txt").write_bytes(ARTICLE)
    os.symlink(".", folder / "loop")
    os.mkfifo(folder / "fifo.txt")
    os.symlink("gone.txt", folder / "broken.txt")
    results = {path.name: read_file(path) for path in iter_files([folder])}
    assert isinstance(results.pop("good.txt"), SourceDocument)
    reasons = {name: result.reason for name, result in results.items() if isinstance(result, Skipped)}
    assert set(reasons) == {"loop", "fifo.txt", "broken.txt"}
    assert reasons["loop"].startswith("symlink loop")
    assert reasons["fifo.txt"] == "a named pipe"


def test_display_path_is_relative_under_the_working_folder(tmp_path: Path) -> None:
    assert display_path(tmp_path / "c" / "a.txt") == "c/a.txt"
    assert display_path("/etc/hostname") == "/etc/hostname"
