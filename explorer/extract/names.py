"""One key per person's name, whatever the spelling: a pure function for the extraction's
aliases and the store's merge across documents.

"Kim Gye Gwan", "Kim Gye-gwan" and "Kim Kye Gwan" are one man, and so are "Kim Jong Il",
"Kim Jong-il" and "Kim Jong−il" (a minus sign for the hyphen). The key folds:

- case, accents, every dash (U+2010-2015, U+2212, ...) and quote (U+2018, U+2019, U+02BC, ...);
- dots, initials and honorifics ("Dr.", "Mr.");
- for a name with an East Asian family name (data/surnames.txt), the given name's syllables
  written apart, hyphenated or together ("Gye Gwan" = "Gye-gwan" = "Gyegwan"), and the
  consonants the romanisation systems write differently at a syllable's start (g/k, d/t,
  b/p, j/ch, r/l) and the vowels ("eo"/"o", "eu"/"u", "oo"/"u");
- the family name's spellings ("Lee", "Rhee", "Yi"; "Park", "Pak"; "Choi", "Choe").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
QUOTES = "\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032"
_FOLD = str.maketrans({**{d: "-" for d in DASHES}, **{q: "'" for q in QUOTES}, ".": " ", ",": " "})
HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "rev", "hon", "amb"])

# Spellings of one family name, to the first of them.
_FAMILY = {
    "rhee": "lee", "yi": "lee", "ri": "lee", "rhie": "lee",
    "pak": "park", "bak": "park",
    "choe": "choi", "chwe": "choi",
    "jung": "jeong", "chung": "jeong", "chong": "jeong",
    "yun": "yoon", "jo": "cho", "chon": "jeon", "jun": "jeon",
    "o": "oh", "mun": "moon", "no": "roh", "paek": "baek", "yu": "yoo", "sin": "shin", "im": "lim",
}
_INITIALS = (("ch", "ch"), ("g", "k"), ("d", "t"), ("b", "p"), ("j", "ch"), ("r", "l"))
_VOWELS = (("eo", "o"), ("eu", "u"), ("oo", "u"), ("ae", "e"))


@lru_cache(maxsize=1)
def _family_names() -> frozenset[str]:
    path = Path(__file__).resolve().parent / "data" / "surnames.txt"
    names = [line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return frozenset(names) | frozenset(_FAMILY)


def plain(name: str) -> str:
    """Lower case, no accents, every dash a hyphen and every quote an apostrophe."""
    text = name.translate(_FOLD).casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text


def _syllable(syllable: str) -> str:
    for written, folded in _INITIALS:
        if syllable.startswith(written):
            syllable = folded + syllable[len(written) :]
            break
    for written, folded in _VOWELS:
        syllable = syllable.replace(written, folded)
    return syllable


@lru_cache(maxsize=1 << 16)
def name_tokens(name: str) -> tuple[str, ...]:
    """The folded words of a person's name, without initials or honorifics."""
    words = [w.strip("'-") for w in plain(name).split()]
    words = [w for w in words if len(w.replace("-", "").replace("'", "")) > 1]
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    if len(words) < 2:  # a lone family name is folded as in a full name ("Ri" of "Ri Gun" is "lee")
        return tuple(_FAMILY.get(w, w).replace("-", "").replace("'", "") for w in words)
    families = _family_names()
    first, last = words[0].replace("-", ""), words[-1].replace("-", "")
    if first in families and "-" not in words[0]:
        # "Kim Gye-gwan": the family name first, then the given name's syllables
        given = _syllables(words[1:])
        if given:
            return (_FAMILY.get(first, first), "".join(_syllable(s) for s in given))
    if last in families and "-" not in words[-1]:
        given = _syllables(words[:-1])  # the same name in Western order: "Gye-gwan Kim"
        if given:
            return ("".join(_syllable(s) for s in given), _FAMILY.get(last, last))
    return tuple(w.replace("-", "").replace("'", "") for w in words)


def _syllables(words: list[str]) -> list[str] | None:
    """The syllables of an East Asian given name ("Gye Gwan", "Gye-gwan", "Jong-il"): at most
    three, of at most five letters; None for a name that is not one ("Harvey", "Clijsters")."""
    syllables = [s for w in words for s in w.replace("'", "").split("-") if s]
    if not syllables or len(syllables) > 3 or any(len(s) > 5 or not s.isalpha() for s in syllables):
        return None
    return syllables


def name_key(name: str) -> str:
    """One key for every spelling of a person's name: "Kim Gye-gwan" and "Kim Kye Gwan" ->
    "kim kyekwan"; "Kim Jong−il" -> "kim chongil"; "Dr. Stephen W. Bosworth" -> "stephen bosworth"."""
    return " ".join(name_tokens(name))


def roles_differ(roles: list[str], others: list[str]) -> bool:
    """Whether two people's roles name different offices ("Secretary of State" / "Ambassador"):
    both are known and they share no word of a title."""
    if not roles or not others:
        return False
    words = {w for r in roles for w in plain(r).split() if len(w) > 3}
    other_words = {w for r in others for w in plain(r).split() if len(w) > 3}
    return bool(words) and bool(other_words) and not words & other_words
