"""Ingest benchmark: reading a big folder and a big file, time and peak memory.

    python benchmarks/bench_ingest.py [--docs 10000] [--big-mb 50] [--keep DIR]

Writes into a temporary folder (never into the repository): ``--docs`` synthetic
articles from ../shared/bench/make_corpus.py plus a few of every other format
(HTML, PDF, Markdown, text in Windows-1252 and UTF-16), and one ``--big-mb`` MB
text file. Each case is read by ``read_paths`` in a fresh process, so the figures
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--big-mb", type=int, default=50)
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
        for label, target in ((f"folder of {args.docs:,} articles + 100 mixed formats", folder),
                              (f"one {args.big_mb} MB text file", big)):
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
