"""Extraction on hostile shapes of text: long lines, shouted capitals, thousands of names.

    python benchmarks/bench_extract_worst.py

Prints seconds and characters per second for each shape. Every case should stay
linear (seconds for a megabyte, not minutes): a regex with nested repetition or a
pairwise loop over mentions shows up here first.
"""

from __future__ import annotations

import time

from explorer.extract import extract
from explorer.model import SourceDocument


def cases() -> list[tuple[str, str]]:
    def code(i: int) -> str:
        return "".join(chr(97 + (i // 26**k) % 26) for k in range(3))

    return [
        ("shouted line, 1.2 MB", "AB CD " * 200_000 + "x"),
        ("one 5 MB line without spaces", "x" * 5_000_000),
        ("prose, 20,000 repeated mentions", "The envoy Stephen Bosworth met Kim Jong Il in Pyongyang on Dec. 8, 2009 and said " * 20_000),
        ("20,000 bare family names", "Stephen Bosworth arrived. " + "Bosworth said Kim left. Kim Jong Il and Sung Kim met. " * 20_000),
        ("5,000 different people", " ".join(f"Minister Xavier Yy{code(i)} said. Yy{code(i)} said." for i in range(5_000))),
        ("5,000 different organisations", " ".join(f"The Committee on {code(i).title()} Affairs met the Ministry of {code(i).title()}." for i in range(5_000))),
        ("dots without spaces, 2 MB", "a." * 1_000_000 + " B"),
    ]


def main() -> None:
    for name, text in cases():
        start = time.perf_counter()
        extraction = extract(SourceDocument(path="stress.txt", text=text))
        seconds = time.perf_counter() - start
        print(f"{name:<36} {len(text):>10,} chars  {seconds:6.2f} s  {len(text) / seconds:>12,.0f} chars/s  "
              f"{len(extraction.entities):>6} entities  {len(extraction.events):>6} events")


if __name__ == "__main__":
    main()
