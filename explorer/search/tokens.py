"""Tokens for search: one normalisation for the index and for queries.

Lower case, accents stripped, dotted acronyms joined ("U.N." -> "un"),
apostrophes dropped inside words ("People's" -> "peoples"), and every other
non-alphanumeric character a separator, so "Six-Party", "six party" and
"six-party" give the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

TOKEN = re.compile(r"[^\W_]+")
# A token as written, for highlighting: a dotted acronym, or a word with inner apostrophes.
TOKEN_AS_WRITTEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['\u2019][^\W_]+)*")
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_DROPPED = str.maketrans("", "", "'\u2019")

# Words too common to find a passage by; they still count in entity names.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have he her his in is it its of on or said she that the "  # noqa: SIM905
    "their they this to was were which will with".split()
)
# Words left out of acronyms: "Democratic People's Republic of Korea" -> "dprk".
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "to", "at", "by", "de", "du", "des", "la", "le"})


def fold(text: str) -> str:
    text = text.lower()
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """The text as tokens see it (not offset-preserving)."""
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return fold(text.translate(_DROPPED))


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(normalize(text))


def token_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Each token of ``text`` with its (start, end) there, for highlighting matches."""
    for match in TOKEN_AS_WRITTEN.finditer(text):
        written = match.group()
        token = fold(written.replace(".", "").translate(_DROPPED))
        for part in TOKEN.findall(token):
            yield part, match.start(), match.end()


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
        piece = fold(piece)
        full.append(piece)
        if word.lower() not in ACRONYM_SKIP:
            short.append(piece)
    found = {"".join(full), "".join(short)}
    return {a for a in found if len(a) >= 2 and a.isalnum()}


def compounds(surface: str) -> set[str]:
    """Hyphenated words also as one token: "Six-Party" -> "sixparty"."""
    found = set()
    for word in re.findall(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+", surface):
        found.add(normalize(re.sub(r"[-\u2010\u2011]", "", word)))
    return found
