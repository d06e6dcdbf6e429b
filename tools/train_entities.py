"""Train the name tagger (explorer/extract/tagger.py) on CoNLL-2003's training file.

    python tools/train_entities.py /path/to/conll/raw/eng.train [--epochs 6]

Reads eng.train as articles (tools/conll_articles.py), finds the capitalised runs and
their features exactly as extraction does, and trains an averaged perceptron over the
words of the runs (labels O, B-/I- person, organization, place, misc) each word
scored on its own (extraction reads the names off the scores, tagger._segments). Writes explorer/extract/data/tagger.npz: the features kept (seen
at least twice, non-zero after averaging) and their weights.
Deterministic: the same file and options give the same weights. Train only on eng.train;
eng.testa is for measuring (../shared/external/score), eng.testb is held back.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conll_articles import Article, articles  # noqa: E402

from explorer.extract import gazetteer, pipeline, tagger  # noqa: E402


def _inputs(article: Article, gaz: gazetteer.Gazetteers):  # type: ignore[no-untyped-def]
    """The runs and features extraction would give the tagger for this article."""
    piece = pipeline.Piece.whole(article.text, gazetteer.matching_view(article.text), [])
    return pipeline.tagger_inputs(piece, gaz, pipeline.rule_candidates(piece, gaz), as_rows=False)


def examples(article: Article, gaz: gazetteer.Gazetteers) -> list[tuple[list[list[str]], list[int]]]:
    """(features of each word, gold label of each word) for every run of one article."""
    runs, features, _ = _inputs(article, gaz)
    inside: dict[int, tuple[int, str]] = {}
    for start, end, kind in article.spans:
        for pos in range(start, end):
            inside[pos] = (start, kind)
    out = []
    for run, run_features in zip(runs, features, strict=True):
        labels = []
        for word in run:
            hit = inside.get(word.start)
            if hit is None:
                labels.append(0)
            else:
                prefix = "B" if hit[0] == word.start else "I"
                labels.append(tagger.LABEL_INDEX[f"{prefix}-{hit[1]}"])
        # a word that starts a name must be labelled B even when the run began earlier
        out.append((run_features, labels))
    return out


def coverage(all_articles: list[Article], gaz: gazetteer.Gazetteers) -> None:
    """How many gold names are exactly a span of run words (the most the tagger can find)."""
    found = total = 0
    for article in all_articles:
        runs, _, known = _inputs(article, gaz)
        starts = {w.start for r in runs for w in r} | {k[0] for k in known}
        ends = {w.end for r in runs for w in r} | {k[1] for k in known}
        for start, end, kind in article.spans:
            if kind == "misc":
                continue
            total += 1
            found += start in starts and end in ends
    print(f"gold names reachable from the runs: {found}/{total} ({found / total:.1%})")


def train(data: list[tuple[list[list[str]], list[int]]], epochs: int, min_count: int, seed: int):  # type: ignore[no-untyped-def]
    counts: Counter[str] = Counter(f for run_features, _ in data for word in run_features for f in word)
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    n_features, n_labels = len(names), tagger.N_LABELS
    encoded = [([np.asarray([index[f] for f in word if f in index], dtype=np.int64) for word in run_features], labels)
               for run_features, labels in data]
    weights = np.zeros((n_features, n_labels))
    totals = np.zeros((n_features, n_labels))  # sum over updates of step * change, for the average
    step = 1
    rng = random.Random(seed)
    order = list(range(len(encoded)))
    for epoch in range(epochs):
        rng.shuffle(order)
        errors = words = 0
        for k in order:
            run_rows, labels = encoded[k]
            for rows, gold in zip(run_rows, labels, strict=True):
                scores = weights[rows].sum(axis=0)
                guess = int(scores.argmax())
                if guess != gold:
                    errors += 1
                    np.add.at(weights, (rows, gold), 1.0)
                    np.add.at(weights, (rows, guess), -1.0)
                    np.add.at(totals, (rows, gold), step)
                    np.add.at(totals, (rows, guess), -step)
                words += 1
                step += 1
        print(f"epoch {epoch + 1}: {errors}/{words} words wrong ({errors / words:.2%})")
    averaged = weights - totals / step
    keep = np.abs(averaged).max(axis=1) > 1e-3
    kept_names = [n for n, k in zip(names, keep, strict=True) if k]
    kept = averaged[keep]
    kept = np.vstack([kept, np.zeros((1, n_labels))])  # the last row is all zeros (see tagger.tag_runs)
    kept_names.append("<zero>")
    return kept_names, kept.astype(np.float16)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train", type=Path, help="CoNLL-2003 eng.train")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=tagger.MODEL)
    args = ap.parse_args()
    gaz = gazetteer.load()
    started = time.perf_counter()
    all_articles = list(articles(args.train))
    coverage(all_articles, gaz)
    data = [example for article in all_articles for example in examples(article, gaz)]
    print(f"{len(all_articles)} articles, {len(data)} runs, {sum(len(x[1]) for x in data)} words")
    names, weights = train(data, args.epochs, args.min_count, args.seed)
    np.savez_compressed(args.out, features=np.asarray(names), weights=weights)
    print(f"{len(names)} features -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
