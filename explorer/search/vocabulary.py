"""The token vocabulary: exact, prefix and fuzzy lookup of one query token.

Work per query token grows with the vocabulary (tens of thousands of tokens),
never with the corpus. Tokens are kept sorted, so every prefix is one
contiguous id range (two bisections). Fuzzy matching compares the query token
with the distinct *prefixes* of the same length (plus or minus the allowed
edits), so "boswe", typed on the way to "Boswerth", already reaches
"bosworth"; to keep that fast, only prefixes sharing the query's first or
second letter are compared (a typo in both of the first two letters is not
found).

Name tokens are also grouped by phonetic key (``tokens.phonetic_key``), so a
romanisation variant ("kye" for "gye", "chong" for "jeong") is one bisection
away: ``variant_keys`` holds the name tokens' keys sorted (ASCII bytes, so
numpy bisects them), ``variant_ids`` their token ids, built once
(``index_variants``) and kept with the index (``variant_arrays``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from explorer.search.tokens import is_number, phonetic_key

# Token scores: what kind of match a query token made with an indexed token.
EXACT = 1.0
# Every completion of a prefix scores alike, so the more frequent entity wins
# ("bos" -> Bosworth before Bosnia when he is mentioned more), not the shorter word.
PREFIX = 0.88
# Another spelling of the same name part ("kye" for "gye"): below a completion, which
# may be what the user is still typing, above a typo.
PHONETIC = 0.86
PHONETIC_PREFIX = 0.78
MIN_PHONETIC_PREFIX = 3  # "ko" completes to Ko... words only, not to Go..., Co... as well
FUZZY_WHOLE = 0.72  # - FUZZY_STEP per edit beyond the first
FUZZY_PREFIX = 0.64
FUZZY_STEP = 0.1

MIN_FUZZY = 4  # shorter tokens match exactly or by prefix only, unless nothing else is found
MIN_ALWAYS_FUZZY = 5  # a whole word this long also reaches its one-typo neighbours ("dawie", "dawei")
MAX_FUZZY_PREFIX = 24


def max_edits(length: int, short: bool = False) -> int:
    if length < MIN_FUZZY:
        return 1 if short and length == MIN_FUZZY - 1 else 0
    return 1 if length < 8 else 2


def _romanised(token: str) -> bool:
    return token.isascii() and token.isalpha()


@dataclass(slots=True)
class _PrefixTable:
    """Distinct prefixes of one length, grouped by first and by second letter."""

    strings: list[str]
    lo: np.ndarray  # token id range [lo, hi) of each prefix
    hi: np.ndarray
    groups: dict[str, tuple[list[str], np.ndarray]]


class Vocabulary:
    def __init__(self, tokens: Iterable[str]) -> None:
        self.tokens: list[str] = sorted(set(tokens))
        self.ids: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}
        self.lengths = np.fromiter((len(t) for t in self.tokens), dtype=np.float32, count=len(self.tokens))
        # Built per length on the first fuzzy lookup that needs it (a search opened from the cache
        # pays for the few lengths its typos need, not for all of them).
        self._tables: dict[int, _PrefixTable | None] = {}
        self._whole: dict[int, dict[str, tuple[list[str], np.ndarray]]] = {}
        self._words: list[tuple[int, str]] | None = None
        self._fuzzy_cache: dict[tuple[str, bool, int, bool], tuple[np.ndarray, np.ndarray] | None] = {}
        self.variant_keys = np.empty(0, "S1")
        self.variant_ids = np.empty(0, np.int32)
        self._cache: dict[tuple[str, bool, bool, bool, bool], tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.tokens)

    # -- romanisation variants -----------------------------------------------------------------

    def index_variants(self, token_ids: np.ndarray) -> None:
        """Group these tokens (the names' words) by phonetic key for ``expand``."""
        # Only plain Latin words have a key of their own; any other token is its own spelling.
        words = [int(i) for i in np.unique(token_ids) if _romanised(self.tokens[i])]
        keys = np.array([phonetic_key(self.tokens[i]).encode("ascii") for i in words] or [b""], dtype="S")
        order = np.argsort(keys[: len(words)], kind="stable")
        self.set_variant_arrays({"variant_keys": keys[: len(words)][order],
                                 "variant_ids": np.asarray(words, dtype=np.int32)[order]})

    def variant_arrays(self) -> dict[str, np.ndarray]:
        """The variant table as plain arrays (sorted keys, ASCII bytes; their token ids), to keep with the index."""
        return {"variant_keys": self.variant_keys, "variant_ids": self.variant_ids}

    def set_variant_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        self.variant_keys = arrays["variant_keys"]
        self.variant_ids = arrays["variant_ids"]
        self._cache.clear()

    def _variant_range(self, key: str, prefix: bool) -> tuple[int, int, int]:
        """Positions in ``variant_ids``: [lo, same) have ``key``, [same, hi) extend it (when ``prefix``)."""
        wanted = key.encode("ascii")
        keys = self.variant_keys
        lo = int(np.searchsorted(keys, wanted, side="left"))
        same = int(np.searchsorted(keys, wanted, side="right"))
        hi = int(np.searchsorted(keys, wanted + b"\x7f", side="left")) if prefix else same
        return lo, same, hi

    def knows(self, token: str) -> bool:
        """True when ``token`` is a word of the corpus, as spelled or as another spelling of a name part."""
        if token in self.ids:
            return True
        if not _romanised(token) or not len(self.variant_ids):
            return False
        lo, same, _ = self._variant_range(phonetic_key(token), prefix=False)
        return same > lo

    def starts_some(self, text: str) -> bool:
        """True when some word of the corpus starts with ``text``."""
        lo, hi = self.prefix_range(text)
        return hi > lo

    def _word_list(self) -> list[tuple[int, str]]:
        if self._words is None:
            self._words = [(i, t) for i, t in enumerate(self.tokens) if t.isalpha() or not is_number(t)]
        return self._words

    def _prefix_table(self, n: int) -> _PrefixTable | None:
        """The distinct prefixes of length ``n``, grouped by first and by second letter (None: no word is that long)."""
        if n in self._tables:
            return self._tables[n]
        strings: list[str] = []
        lo: list[int] = []
        hi: list[int] = []
        for i, token in self._word_list():
            if len(token) < n:
                continue
            prefix = token[:n]
            if strings and strings[-1] == prefix and hi[-1] == i:
                hi[-1] = i + 1
                continue
            strings.append(prefix)
            lo.append(i)
            hi.append(i + 1)
        table = None
        if strings:
            grouped: dict[str, list[int]] = {}
            for index, prefix in enumerate(strings):
                grouped.setdefault(prefix[0], []).append(index)
                if n > 1:
                    grouped.setdefault("\x00" + prefix[1], []).append(index)
            groups = {key: ([strings[i] for i in members], np.asarray(members, dtype=np.int64))
                      for key, members in grouped.items()}
            table = _PrefixTable(strings, np.asarray(lo, np.int64), np.asarray(hi, np.int64), groups)
        self._tables[n] = table
        return table

    def _whole_groups(self, n: int) -> dict[str, tuple[list[str], np.ndarray]] | None:
        """Whole tokens of length ``n``, grouped alike: a word's typo neighbours are compared with
        the words of its length, not with every prefix of that length."""
        if n not in self._whole:
            grouped: dict[str, list[int]] = {}
            if MIN_FUZZY - 1 <= n <= MAX_FUZZY_PREFIX:
                for i, token in self._word_list():
                    if len(token) != n:
                        continue
                    grouped.setdefault(token[0], []).append(i)
                    grouped.setdefault("\x00" + token[1], []).append(i)
                    grouped.setdefault("\x01" + token[:2], []).append(i)  # both first letters: a word's near neighbours
            self._whole[n] = {key: ([self.tokens[i] for i in members], np.asarray(members, dtype=np.int64))
                              for key, members in grouped.items()}
        return self._whole[n] or None

    def prefix_range(self, token: str) -> tuple[int, int]:
        lo = bisect_left(self.tokens, token)
        hi = bisect_left(self.tokens, token + "\U0010ffff", lo)
        return lo, hi

    def expand(self, token: str, allow_prefix: bool = True, complete: bool = False,
               typos: bool = False, neighbours: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Token ids a query token matches, with a score per id (1.0 exact, lower for prefix,
        another spelling and typo).

        ``complete``: the user has finished the word (more words follow, or a space): its
        other spellings count whole, not as the start of longer words. ``neighbours``: a
        long word also reaches its one-typo neighbours ("dawie", "dawei"), for names.
        ``typos``: look for typos even when the token is a corpus word, short words (three
        letters) too; search asks for that when the query found nothing otherwise.
        """
        key = (token, allow_prefix, complete, typos, neighbours)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._expand(token, allow_prefix, complete, typos, neighbours)
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def _expand(self, token: str, allow_prefix: bool, complete: bool, typos: bool,
                neighbours: bool) -> tuple[np.ndarray, np.ndarray]:
        numeric = is_number(token)
        ids: list[np.ndarray] = []
        scores: list[np.ndarray] = []
        exact = self.ids.get(token)
        if exact is not None:
            ids.append(np.asarray([exact], dtype=np.int64))
            scores.append(np.asarray([EXACT], dtype=np.float32))
        have_prefix = False
        if allow_prefix:
            lo, hi = self.prefix_range(token)
            if exact is not None and lo == exact:
                lo += 1
            if hi > lo:
                have_prefix = True
                span = np.arange(lo, hi, dtype=np.int64)
                ids.append(span)
                scores.append(np.full(hi - lo, PREFIX, dtype=np.float32))
        have_variant = False
        if len(self.variant_ids) and _romanised(token):
            # Other spellings of a name part; their completions only while the word is typed.
            # Looking for typos (nothing else matched), "ky" may already be the start of "gye".
            shortest = MIN_PHONETIC_PREFIX - 1 if typos else MIN_PHONETIC_PREFIX
            lo, same, hi = self._variant_range(phonetic_key(token), prefix=allow_prefix and not complete
                                               and len(token) >= shortest)
            if hi > lo:
                have_variant = True
                ids.append(self.variant_ids[lo:hi].astype(np.int64))
                scores.append(np.where(np.arange(lo, hi) < same, PHONETIC, PHONETIC_PREFIX).astype(np.float32))
        # A real word, or the start of one, is taken as typed; a token matching nothing
        # is looked up fuzzily, and so is a whole long word, for its one-typo neighbours
        # (numbers never are: 1874 is not 1718).
        if not numeric:
            fuzzy = None
            if exact is None and not have_prefix and not have_variant:
                # A short word's prefixes within one edit would be half the vocabulary: whole words.
                fuzzy = self._fuzzy(token, whole=typos and len(token) < MIN_FUZZY, short=typos)
            elif typos:
                fuzzy = self._fuzzy(token, whole=True, short=True)
            elif neighbours and len(token) >= MIN_ALWAYS_FUZZY:
                fuzzy = self._fuzzy(token, whole=True, most=1, near=True)
            if fuzzy is not None:
                ids.append(fuzzy[0])
                scores.append(fuzzy[1])
        if not ids:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        all_ids = np.concatenate(ids)
        all_scores = np.concatenate(scores).astype(np.float32)
        if len(all_ids) > 1 and len(np.unique(all_ids)) < len(all_ids):  # reached twice: keep the best
            order = np.lexsort((-all_scores, all_ids))
            all_ids, all_scores = all_ids[order], all_scores[order]
            first = np.ones(len(all_ids), dtype=bool)
            first[1:] = all_ids[1:] != all_ids[:-1]
            all_ids, all_scores = all_ids[first], all_scores[first]
        return all_ids, all_scores

    def _fuzzy(self, token: str, whole: bool = False, short: bool = False, most: int = 2,
               near: bool = False) -> tuple[np.ndarray, np.ndarray] | None:
        """Tokens within the allowed edits of ``token`` (at ``most``), with their scores.
        ``whole``: whole tokens only, not tokens starting with a near prefix; ``short``:
        three-letter tokens too, one edit; ``near``: only tokens starting with the same
        two letters (a tenth of the comparisons, for a word that has matches already)."""
        edits = min(max_edits(len(token), short), most)
        key = (token, whole, edits, near)
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        found = self._fuzzy_whole(token, edits, near) if whole else self._fuzzy_prefixes(token, edits)
        if len(self._fuzzy_cache) > 4096:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[key] = found
        return found

    def _fuzzy_whole(self, token: str, edits: int, near: bool) -> tuple[np.ndarray, np.ndarray] | None:
        if not edits:
            return None
        ids: list[int] = []
        scores: list[float] = []
        for n in range(max(MIN_FUZZY - 1, len(token) - edits), len(token) + edits + 1):
            groups = self._whole_groups(n)
            if groups is None:
                continue
            seen: set[int] = set()
            for key in ("\x01" + token[:2],) if near else (token[0], "\x00" + token[1]):
                group = groups.get(key)
                if group is None:
                    continue
                strings, members = group
                for _, distance, position in process.extract(
                    token, strings, scorer=OSA.distance, score_cutoff=edits, limit=None
                ):
                    token_id = int(members[position])
                    if token_id not in seen and distance:
                        seen.add(token_id)
                        ids.append(token_id)
                        scores.append(FUZZY_WHOLE - FUZZY_STEP * (distance - 1))
        if not ids:
            return None
        return np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float32)

    def _fuzzy_prefixes(self, token: str, edits: int) -> tuple[np.ndarray, np.ndarray] | None:
        if not edits:
            return None
        ids: list[np.ndarray] = []
        scores: list[np.ndarray] = []
        for n in range(max(MIN_FUZZY - 1, len(token) - edits), len(token) + edits + 1):
            table = self._prefix_table(n)
            if table is None:
                continue
            seen: set[int] = set()
            for key in (token[0], "\x00" + token[1]):
                group = table.groups.get(key)
                if group is None:
                    continue
                strings, members = group
                for _, distance, position in process.extract(
                    token, strings, scorer=OSA.distance, score_cutoff=edits, limit=None
                ):
                    index = int(members[position])
                    if index in seen:
                        continue
                    seen.add(index)
                    lo, hi = int(table.lo[index]), int(table.hi[index])
                    span = np.arange(lo, hi, dtype=np.int64)
                    whole = self.lengths[lo:hi] == n  # the prefix is the whole token
                    score = np.where(whole, FUZZY_WHOLE, FUZZY_PREFIX) - FUZZY_STEP * (distance - 1)
                    ids.append(span)
                    scores.append(score.astype(np.float32))
        if not ids:
            return None
        return np.concatenate(ids), np.concatenate(scores)
