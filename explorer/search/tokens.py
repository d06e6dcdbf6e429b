"""Tokens for search: one normalisation for the index, for queries and for highlighting.

Lower case, accents stripped, dotted acronyms joined ("U.N." -> "un"),
apostrophes dropped inside words ("People's" -> "peoples"), and every other
non-alphanumeric character a separator, so "Six-Party", "six party" and
"six-party" give the same tokens.

Tokens are found on the lower-cased text as written (``WRITTEN``), then each
distinct written form is normalised once (``finish``); lower-casing keeps
offsets, so the index can tokenise a whole document and cut it by sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# A token as written: a dotted acronym, or a word with inner apostrophes.
WRITTEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['\u2019][^\W_]+)*")
_PARTS = re.compile(r"[^\W_]+")
_DROPPED = str.maketrans("", "", ".'\u2019")

# Words too common to find a passage by; they still count in entity names.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have he her his in is it its of on or said she that the "  # noqa: SIM905
    "their they this to was were which will with".split()
)
# Words left out of acronyms: "Democratic People's Republic of Korea" -> "dprk".
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "to", "at", "by", "de", "du", "des", "la", "le"})


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def finish(written: str) -> str:
    """The token of a lower-cased written form ("u.n." -> "un", "people's" -> "peoples", "müller" -> "muller")."""
    token = written.translate(_DROPPED)
    if not token.isascii():
        token = "".join(_PARTS.findall(strip_accents(token).lower()))
    return token


def lowered(text: str) -> str:
    """``text.lower()``, or a same-length stand-in where lower-casing would change the length."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


_DOTTED_HINT = re.compile(r"\.[^\W\d_]\.")  # starts with a literal: scanning a page costs microseconds
_DOTTED_WRITTEN = re.compile(r"(?:[^\W\d_]\.){2,}")
_APOSTROPHE_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)+")
PLAIN = re.compile(r"[^\W_]+")


def _closed_up(match: re.Match[str]) -> str:
    written = match.group()
    joined = written.replace(".", "").replace("'", "").replace("\u2019", "")
    return joined + " " * (len(written) - len(joined))


def prepared(low: str) -> str:
    """Lower-cased text with acronyms and apostrophes closed up, same length:
    ``PLAIN`` then finds the same words as ``WRITTEN`` + ``finish``, three times faster."""
    if _DOTTED_HINT.search(low):
        low = _DOTTED_WRITTEN.sub(_closed_up, low)
    if "'" in low or "\u2019" in low:
        low = _APOSTROPHE_WORD.sub(_closed_up, low)
    return low


def tokenize(text: str) -> list[str]:
    return [token for token in map(finish, WRITTEN.findall(lowered(text))) if token]


def token_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Each token of ``text`` with its (start, end) there, for highlighting matches."""
    for match in WRITTEN.finditer(lowered(text)):
        token = finish(match.group())
        if token:
            yield token, match.start(), match.end()


def is_number(token: str) -> bool:
    """Tokens with digits ("1874", "h1n1") match exactly or by prefix, never fuzzily."""
    return any(ch.isdigit() for ch in token)


def acronyms(surface: str) -> set[str]:
    """Acronyms a multi-word name may be written as: "UN Security Council" -> {"unsc"}."""
    words = [w.strip(".,;:()[]\"'\u2019\u201c\u201d") for w in re.split(r"[\s\-\u2010-\u2015/]+", surface)]
    # Numbers stay out: "Resolution 1874" is not abbreviated "R1".
    words = [w for w in words if w and w[0].isalpha()]
    if len(words) < 2:
        return set()
    full: list[str] = []
    short: list[str] = []
    for word in words:
        bare = word.replace(".", "")
        # A word that is itself an acronym ("UN", "U.S.") contributes all its letters.
        piece = bare if (bare.isupper() and len(bare) <= 5 and bare.isalpha()) else bare[:1]
        piece = strip_accents(piece.lower())
        full.append(piece)
        if word.lower() not in ACRONYM_SKIP:
            short.append(piece)
    found = {"".join(full), "".join(short)}
    return {a for a in found if len(a) >= 2 and a.isalnum()}


def compounds(surface: str) -> set[str]:
    """Hyphenated words as written: "Six-Party" (also indexed joined, "sixparty")."""
    return set(re.findall(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+", surface))


def _words(surface: str) -> list[str]:
    words = [w.strip(".,;:()[]\"'\u2019\u201c\u201d") for w in re.split(r"[\s\-\u2010-\u2015/]+", surface)]
    return [w for w in words if w]


def leading_acronyms(surface: str) -> set[str]:
    """A numbered name with its leading words abbreviated: "U.N. Security Council Resolution 1874"
    -> "UNSC Resolution 1874", "UNSCR 1874", so "UNSC 1874" finds it."""
    words = _words(surface)
    if not any(ch.isdigit() for ch in surface) or len(words) < 3:
        return set()
    found = set()
    for split in range(2, len(words)):
        head, rest = words[:split], words[split:]
        if not all(w[0].isalpha() for w in head):
            break
        for acronym in acronyms(" ".join(head)):
            found.add(f"{acronym.upper()} {' '.join(rest)}")
    return found


# -- how names vary: one key for the spellings of a name part ----------------------------
#
# Korean and Chinese names reach English text through several romanisations (Revised,
# McCune-Reischauer, Wade-Giles, Pinyin) and English habits: 계관 is Gye Gwan or Kye Kwan,
# 정 Jeong, Jung or Chung, 박 Park, Pak or Bak, 이 Lee, Rhee or Li, 毛泽东 Mao Zedong or Tse-tung.
# The key folds those alternations (and a few Western ones: ph/v, doubled letters), so
# spellings of one name part share it. A shared key is weaker evidence than the same
# spelling; search scores it below an exact or prefix match.
# Replaced in this order, longest clusters first (plain ``str.replace``: a tenth of the cost
# of one regular expression with a callback, which matters for 100,000 names).
_PHONETIC_CLUSTERS = (
    ("tch", "j"), ("sch", "s"), ("ch", "j"), ("zh", "j"), ("dj", "j"),  # j/ch (Jong, Chong; Zhou, Chou)
    ("tz", "z"), ("ts", "z"), ("dz", "z"),  # Zedong, Tsetung
    ("sh", "s"), ("hs", "s"), ("x", "s"),  # Xiaoping, Hsiaoping; Shin, Sin
    ("ph", "f"), ("v", "f"),  # Stephen, Steven
    ("rh", "r"), ("kh", "k"), ("th", "t"), ("gh", "g"), ("dh", "d"), ("bh", "b"), ("wh", "w"),  # aspiration
    ("eo", "o"), ("oo", "u"), ("ou", "o"),  # Seok, Sok; Moon, Mun; Satou, Sato
    ("ae", "e"), ("ee", "i"),  # Dae, De; Lee, Li
    ("ung", "ong"),  # Jung, Jong; Tung, Dong (Wade-Giles -ung is Pinyin -ong)
    ("ien", "ian"),  # Chien, Qian; Tien, Tian
    ("qi", "ji"), ("q", "k"),  # Pinyin Qian is Chien
)
_SOFT_C = (("ck", "k"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("c", "k"))
_PARK = re.compile(r"(?<=a)r(?=[^aeiouy])")  # Park, Pak
_PHONETIC_LETTERS = str.maketrans("gdbr", "ktpl")  # Gye/Kye, Dae/Tae, Bak/Pak, Ri/Li
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 18)
def phonetic_key(token: str) -> str:
    """The key shared by spellings of one name part: "gye" and "kye" -> "kye", "jeong",
    "jung" and "chong" -> "jonk", "stephen" and "steven" -> "stefen". A token that is not
    plain Latin letters is its own key."""
    if not (token.isascii() and token.isalpha()):
        return token
    key = token
    for written, folded in _PHONETIC_CLUSTERS:
        if written in key:
            key = key.replace(written, folded)
    if "c" in key:
        for written, folded in _SOFT_C:
            key = key.replace(written, folded)
    if "ar" in key:
        key = _PARK.sub("", key)
    if len(key) > 1 and key[-1] == "h" and key[-2] in "aeiou":
        key = key[:-1]  # Satoh, Sato
    key = key.translate(_PHONETIC_LETTERS)
    return _DOUBLED.sub(r"\1", key) if _DOUBLED.search(key) else key
