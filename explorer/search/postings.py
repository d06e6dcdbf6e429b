"""Compact two-way postings: items (names, sentences) <-> token ids, as numpy arrays.

``forward`` lists each item's distinct tokens; ``inverted`` lists each token's
items in ascending order (items are numbered most important first, so the
head of any posting list holds the most frequent entities). Millions of
postings cost 4 bytes each instead of a Python int and list slot.
"""

from __future__ import annotations

from array import array

import numpy as np


def gather(offsets: np.ndarray, data: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``data[offsets[r]:offsets[r+1]]`` for each row; also return each row's length."""
    starts = offsets[rows]
    lengths = offsets[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=data.dtype), lengths
    # Index of every element: its row's start plus its position within the row.
    before = np.cumsum(lengths) - lengths
    index = np.arange(total, dtype=np.int64) - np.repeat(before - starts, lengths)
    return data[index], lengths


class Postings:
    def __init__(self, item_tokens: array, item_lengths: array, vocabulary_size: int) -> None:
        """``item_tokens``: every item's distinct token ids one after another; ``item_lengths``: how many each."""
        lengths = np.frombuffer(item_lengths, dtype=np.int32).astype(np.int64)
        self.count = len(lengths)
        self.forward_offsets = np.zeros(self.count + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.forward_offsets[1:])
        self.forward = np.frombuffer(item_tokens, dtype=np.int32).copy()
        items = np.repeat(np.arange(self.count, dtype=np.int32), lengths)
        order = np.argsort(self.forward, kind="stable")  # stable: items stay ascending per token
        self.inverted = items[order]
        counts = np.bincount(self.forward, minlength=vocabulary_size)
        self.inverted_offsets = np.zeros(vocabulary_size + 1, dtype=np.int64)
        np.cumsum(counts, out=self.inverted_offsets[1:])

    @classmethod
    def from_forward(cls, tokens: np.ndarray, lengths: np.ndarray, vocabulary_size: int) -> Postings:
        """From items' distinct tokens (int32, one item after another) and their counts.

        Built with numpy alone, without the copies ``__init__`` makes: a 100,000-document
        corpus has tens of millions of postings."""
        postings = cls.__new__(cls)
        counts = np.asarray(lengths, dtype=np.int64)
        postings.count = len(counts)
        postings.forward_offsets = np.zeros(postings.count + 1, dtype=np.int64)
        np.cumsum(counts, out=postings.forward_offsets[1:])
        postings.forward = np.ascontiguousarray(tokens, dtype=np.int32)
        order = np.argsort(postings.forward, kind="stable")  # stable: items stay ascending per token
        postings.inverted = np.repeat(np.arange(postings.count, dtype=np.int32), counts)[order]
        del order
        per_token = np.bincount(postings.forward, minlength=vocabulary_size)
        postings.inverted_offsets = np.zeros(vocabulary_size + 1, dtype=np.int64)
        np.cumsum(per_token, out=postings.inverted_offsets[1:])
        return postings

    ARRAYS = ("forward", "forward_offsets", "inverted", "inverted_offsets")

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Postings:
        postings = cls.__new__(cls)
        for name in cls.ARRAYS:
            setattr(postings, name, arrays[name])
        postings.count = len(postings.forward_offsets) - 1
        return postings

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.ARRAYS}

    def posting_sizes(self, token_ids: np.ndarray) -> np.ndarray:
        return self.inverted_offsets[token_ids + 1] - self.inverted_offsets[token_ids]

    def items_of(self, token_ids: np.ndarray, limit: int | None = None) -> np.ndarray:
        """Distinct items containing any of the tokens, ascending (the first ``limit`` of them)."""
        if len(token_ids) == 1:  # one posting list is already sorted and distinct
            start = int(self.inverted_offsets[token_ids[0]])
            end = int(self.inverted_offsets[token_ids[0] + 1])
            return self.inverted[start : end if limit is None else min(end, start + limit)]
        first, last = int(token_ids[0]), int(token_ids[-1])
        if last - first + 1 == len(token_ids) and bool(np.all(np.diff(token_ids) == 1)):
            # A run of consecutive tokens (a prefix): their postings are one slice.
            items = self.inverted[self.inverted_offsets[first] : self.inverted_offsets[last + 1]]
        else:
            items, _ = gather(self.inverted_offsets, self.inverted, token_ids)
        if len(items) > 4096:
            # Marking is linear where sorting is not: "s" can reach most of the names.
            mask = np.zeros(self.count, dtype=bool)
            mask[items] = True
            return np.flatnonzero(mask)[:limit]
        return np.unique(items)[:limit]

    def tokens_of(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Tokens of each item, concatenated, and the position where each item's run starts."""
        tokens, lengths = gather(self.forward_offsets, self.forward, items)
        starts = np.cumsum(lengths) - lengths
        return tokens, starts

    def lengths_of(self, items: np.ndarray) -> np.ndarray:
        return self.forward_offsets[items + 1] - self.forward_offsets[items]


class LayeredPostings:
    """A base's postings (memory-mapped, in the base's own token ids) and a small delta, seen as one.

    How the search index is brought up to date without rewriting its bulk: the
    base is written once by a full build; documents extracted again since are
    indexed into the delta (in the current token ids), and the base's sentences
    of removed or changed documents are masked out (``alive``). Items number
    the base's first, then the delta's. Same interface as ``Postings``.
    """

    def __init__(self, base: Postings, to_base: np.ndarray, from_base: np.ndarray, alive: np.ndarray | None,
                 delta: Postings) -> None:
        self.base = base
        self.to_base = to_base  # current token id -> base token id, -1 where the base never saw it
        self.from_base = from_base  # base token id -> current token id
        self.alive = alive  # per base item; None when all are
        self.delta = delta
        self.count = base.count + delta.count

    def posting_sizes(self, token_ids: np.ndarray) -> np.ndarray:
        in_base = self.to_base[token_ids]
        sizes = np.where(in_base >= 0, self.base.posting_sizes(np.maximum(in_base, 0)), 0)
        return sizes + self.delta.posting_sizes(token_ids)

    def items_of(self, token_ids: np.ndarray, limit: int | None = None) -> np.ndarray:
        in_base = self.to_base[token_ids]
        in_base = in_base[in_base >= 0]
        items = self.base.items_of(in_base, None if self.alive is not None else limit) if len(in_base) \
            else np.empty(0, np.int32)
        if self.alive is not None and len(items):
            items = items[self.alive[items]]
        if limit is not None and len(items) >= limit:
            return items[:limit]
        more = self.delta.items_of(token_ids, None if limit is None else limit - len(items)) \
            if self.delta.count else np.empty(0, np.int32)
        return np.concatenate((items.astype(np.int64), more.astype(np.int64) + self.base.count))

    def _split(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        in_base = items < self.base.count
        if len(items) > 1 and not bool(np.all(in_base[:-1] >= in_base[1:])):
            raise ValueError("items must list base items before delta items (as items_of returns them)")
        return items[in_base], items[~in_base] - self.base.count

    def tokens_of(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        base_items, delta_items = self._split(items)
        base_tokens, base_starts = self.base.tokens_of(base_items)
        delta_tokens, delta_starts = self.delta.tokens_of(delta_items)
        tokens = np.concatenate((self.from_base[base_tokens], delta_tokens.astype(self.from_base.dtype)))
        return tokens, np.concatenate((base_starts, delta_starts + len(base_tokens)))

    def lengths_of(self, items: np.ndarray) -> np.ndarray:
        base_items, delta_items = self._split(items)
        return np.concatenate((self.base.lengths_of(base_items), self.delta.lengths_of(delta_items)))
