"""Ingest benchmark: reading a big folder and a big file, time and peak memory.

    python benchmarks/bench_ingest.py [--docs 10000] [--big-mb 50] [--mails 200] [--scans 4] [--keep DIR]

Writes into a temporary folder (never into the repository): ``--docs`` synthetic
articles from ../shared/bench/make_corpus.py plus a few of every other format
(HTML, PDF, Markdown, text in Windows-1252 and UTF-16), and one ``--big-mb`` MB
text file; a folder of what analysts are handed (an mbox of ``--mails`` messages,
each with a PDF attachment, and as many .eml with a Word attachment, Word, RTF and
OpenDocument files), and ``--scans`` page images read by OCR when the ``ocr`` extra
is installed. Each case is read by ``read_paths`` in a fresh process, so the figures
are those of the readers alone (walking, decoding, HTML/PDF/Markdown parsing and
page analysis), without extraction: files per second, MB per second, seconds, and
peak RSS.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
SAMPLES = ROOT / "tests" / "samples"

PROBE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from explorer.ingest import read_paths
from explorer.model import Skipped
documents = skipped = chars = 0
formats = {}
for item in read_paths([Path(sys.argv[1])]):
    if isinstance(item, Skipped):
        skipped += 1
    else:
        documents += 1
        chars += len(item.text)
        formats[item.format] = formats.get(item.format, 0) + 1
seconds = time.perf_counter() - started
print(json.dumps({"documents": documents, "skipped": skipped, "chars": chars, "formats": formats,
                  "seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / (1024 * 1024)


def _probe(folder: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _write_folder(folder: Path, docs: int) -> None:
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "--docs", str(docs)], check=True,
                   capture_output=True)
    mixed = folder / "mixed"
    mixed.mkdir()
    for copy in range(20):
        for sample in ("article.html", "report.pdf", "note.md", "cp1252.txt", "utf16.txt"):
            source = SAMPLES / sample
            shutil.copy(source, mixed / f"{source.stem}-{copy}{source.suffix}")


def _write_big(path: Path, megabytes: int) -> None:
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    chunk = (prose + "\n\n").encode("utf-8")
    with open(path, "wb") as handle:
        written = 0
        while written < megabytes * 1024 * 1024:
            handle.write(chunk)
            written += len(chunk)


def _write_office_and_mail(folder: Path, mails: int) -> None:
    """An mbox of ``mails`` messages with a PDF each, ``mails // 4`` .eml with a Word file, and Office files."""
    import io
    from datetime import UTC, datetime, timedelta

    sys.path.insert(0, str(ROOT / "tests"))
    from make_samples import make_docx, make_eml, make_mbox, make_odt, make_pdf, make_rtf

    folder.mkdir(parents=True)
    prose = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    start = datetime(2009, 1, 1, 9, 0, tzinfo=UTC)
    pdf = io.BytesIO()
    make_pdf([[line for line in prose[0].splitlines()[:40] if line.strip()][:30]], title="Notes").write(pdf)
    messages = [make_eml(f"Report {n}", f"Envoy {n} <envoy{n}@example.org>", "desk@example.org",
                         prose[n % len(prose)] + "\n-- \nThe Desk\n", start + timedelta(days=n),
                         attachments=[(f"notes-{n}.pdf", pdf.getvalue())]) for n in range(mails)]
    (folder / "archive.mbox").write_bytes(make_mbox(messages))
    for n in range(mails // 4):
        paragraphs = [p for p in prose[n % len(prose)].split("\n\n") if p.strip()]
        word = make_docx(paragraphs, title=f"Memo {n}", author="Elena Marsh", created=start + timedelta(days=n))
        (folder / f"mail-{n}.eml").write_bytes(make_eml(f"Memo {n}", "desk@example.org", "envoy@example.org",
                                                         "The memo is attached.\n", start + timedelta(days=n),
                                                         attachments=[(f"memo-{n}.docx", word)]).as_bytes())
        (folder / f"memo-{n}.docx").write_bytes(word)
        (folder / f"memo-{n}.rtf").write_bytes(make_rtf(paragraphs, title=f"Memo {n}", author="Elena Marsh"))
        (folder / f"memo-{n}.odt").write_bytes(make_odt(paragraphs, title=f"Memo {n}", author="Elena Marsh"))


def _write_scans(folder: Path, scans: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from make_samples import make_scan

    folder.mkdir(parents=True)
    lines = [line.strip() for line in (ROOT / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8").splitlines()
             if 20 < len(line.strip()) < 70][:25]
    for n in range(scans):
        (folder / f"scan-{n}.png").write_bytes(make_scan(lines, size=28))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument("--mails", type=int, default=200, help="messages in the mbox (0: no e-mail/Office case)")
    parser.add_argument("--scans", type=int, default=4, help="page images for OCR (0: no OCR case)")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="explorer-bench-ingest-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        folder = base / "folder"
        if not folder.exists():
            _write_folder(folder, args.docs)
        big = base / "big"
        big.mkdir(exist_ok=True)
        if not (big / "big.txt").exists():
            _write_big(big / "big.txt", args.big_mb)
        cases = [(f"folder of {args.docs:,} articles + 100 mixed formats", folder),
                 (f"one {args.big_mb} MB text file", big)]
        if args.mails:
            office = base / "office-and-mail"
            if not office.exists():
                _write_office_and_mail(office, args.mails)
            cases.append((f"e-mail and Office files ({args.mails} messages with a PDF each, "
                          f"{args.mails // 4} each of .eml+.docx, .docx, .rtf, .odt)", office))
        from explorer.ingest.ocr import available

        if args.scans and available():
            scans = base / "scans"
            if not scans.exists():
                _write_scans(scans, args.scans)
            cases.append((f"{args.scans} page images read by OCR", scans))
        elif args.scans:
            print("scans: not measured (the ocr extra is not installed)")
        for label, target in cases:
            size = _size_mb(target)
            result = _probe(target)
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            files = int(result["documents"]) + int(result["skipped"])  # type: ignore[call-overload]
            print(f"{label}: {size:,.1f} MB, {files:,} files in {seconds:.2f} s "
                  f"({files / seconds:,.0f} files/s, {size / seconds:,.1f} MB/s), "
                  f"peak RSS {float(result['peak_rss_mb']):,.0f} MB, "  # type: ignore[arg-type]
                  f"formats {result['formats']}, skipped {result['skipped']}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
