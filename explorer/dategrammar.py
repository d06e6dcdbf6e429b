"""The date grammar: find dated references in text and normalise them.

Used by ingest (the page's own date line) and by extraction (every dated
reference). Three steps, each testable alone:

``find_date_expressions(text)`` finds candidate expressions and parses what they
say (year, month, day, weekday, a shift such as "four years ago"...) without
deciding anything; ``read_tense(text, ...)`` reads whether the words around an
expression look ahead or back ("will meet on Tuesday", "met on Tuesday");
``resolve(expr, context)`` turns an expression into an ISO 8601 value at the
precision the text gives, using the article's own date for year-less and
relative references and the date last mentioned for "a year later".

What is *not* a date: ages, durations ("a 10-day trip"), clock times, counts
("2000 troops") and numbers that merely look like years ("Resolution 1874",
"implementation of 1874" in a text that names Resolution 1874). A bare year
counts when a preposition introduces it ("in 2005", "from 1950 to 1953") or when
it modifies a noun ("the 1996 Olympic bombing", "a 2010 commando raid").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import ahocorasick


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}
_UNITS_W = "one|two|three|four|five|six|seven|eight|nine"
_TEENS_W = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS_W = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept\.?|Sep\.|Oct\.?|Nov\.?|Dec\.?)"
)
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
# "nineteen ninety-six", "nineteen oh five", "two thousand and one": years as they are spoken
_SPOKEN = (
    rf"(?:(?:[Nn]ineteen|[Ee]ighteen)[\s-](?:hundred|oh[\s-](?:{_UNITS_W})|{_TEENS_W}|(?:{_TENS_W})(?:[\s-](?:{_UNITS_W}))?)"
    rf"|[Tt]wo[\s-]thousand(?:[\s-](?:and[\s-])?(?:{_TEENS_W}|{_UNITS_W}))?)\b"
)
_YEARISH = rf"(?:{_YEAR}\b|{_SPOKEN})"
_DASH = r"\s?[-\u2010\u2011\u2012\u2013\u2014]\s?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Words that introduce a date, read back from the date itself: the scan never starts at
# "in" or "the" (the commonest words of the language), only at the date's own token.
_YEAR_CUES = {
    "in": False, "since": False, "by": False, "from": False, "until": False, "through": False, "during": False,
    "before": False, "after": False, "between": False, "early": False, "late": False, "around": False,
    "beyond": False, "circa": False, "year": False, "fiscal": False, "in early": False, "in late": False,
    "the year": False, "fiscal year": False, "the end of": False, "end of": False, "the start of": False,
    "the beginning of": False, "the middle of": False,
    # weak: a number after these may be a count or an identifier ("rose to 2000", "implementation of 1874")
    "of": True, "and": True, "for": True, "both": True, "than": True, "to": True, "due": True,
}
_MONTH_CUES = frozenset((
    "in", "since", "until", "by", "from", "through", "during", "before", "after", "last", "next", "this", "early",
    "late", "around", "in early", "in late", "in mid", "the beginning of", "the middle of", "the end of",
    "the start of", "end of", "by early", "by late", "until early", "until late", "since early", "since late",
    "as early as", "as late as",
))
_SEASON_CUES = {"last": "last", "this": "this", "next": "next", "this past": "last", "past": "last", "the": None,
                "in": None, "the early": None, "the late": None, "early": None, "late": None, "over the": None,
                "during the": None, "in the": None, "in early": None, "in late": None, "through the": None}
_WEEKDAY_CUES = {"last": "last", "next": "next", "this": None, "coming": "next", "this coming": "next",
                 "past": "last"}
_NOT_WEEKDAY = frozenset({"each", "every", "previous", "following", "that", "same"})
_HYPHEN_CUES = frozenset({"mid", "early", "late", "post", "pre"})
_MODIFIER_LEAD = frozenset({"a", "an", "the", "its", "his", "her", "their", "our", "this", "that", "both"})

# One alternation, longest and most specific forms first; the first that matches at a
# position wins (re alternation is ordered). Every form starts at its own token (a digit,
# a month, weekday or season name, or one of a few rare words); the leading character class
# lets the regex engine skip other positions without entering the lookahead.
_FIRST = r"[0-9JFMASONDTWYjfmasowtynpelFPENy]"
_STARTS = (
    r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|[Ss]pring|[Ss]ummer|fall\b"
    r"|[Aa]utumn|[Ww]inter|weekend|[Yy]ear\b|month\b|week\b|[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight"
    r"|previous|prior|following|same|next\s[dmy]|[Ff]iscal|FY|[Nn]ineteen|[Ee]ighteen|[Tt]wo[\s-]thousand"
)
_PATTERN = re.compile(
    rf"""
    (?={_FIRST})\b(?={_STARTS})(?:
    (?P<iso>(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b)
  | (?P<num>(?P<num_m>0?[1-9]|1[0-2])/(?P<num_d>0?[1-9]|[12]\d|3[01])/(?P<num_y>{_YEAR})\b)
  | (?P<mdd>(?P<mdd_m>{_MONTH})\s(?P<mdd_d1>{_DAY}){_DASH}(?P<mdd_d2>{_DAY})\b(?:,?\s(?P<mdd_y>{_YEAR})\b)?)
  | (?P<mad>(?P<mad_m>{_MONTH})\s(?P<mad_d1>{_DAY})\s(?:and|&)\s(?P<mad_d2>{_DAY})\b(?![:\d])(?:,?\s(?P<mad_y>{_YEAR})\b)?)
  | (?P<mmy>(?P<mmy_m1>{_MONTH})(?:\s?/\s?|{_DASH}|\s(?:to|through|and)\s)(?P<mmy_m2>{_MONTH})(?:,|\sof)?\s(?P<mmy_y>{_YEAR})\b)
  | (?P<md>(?P<md_m>{_MONTH})\s(?P<md_d>{_DAY})\b(?!:\d)(?:,?\s(?P<md_y>{_YEAR})\b)?)
  | (?P<dm>(?P<dm_d>{_DAY})\s(?P<dm_m>{_MONTH})(?![a-z])(?:,?\s(?P<dm_y>{_YEAR})\b)?)
  | (?P<my>(?P<my_m>{_MONTH}),?\s(?:of\s)?(?P<my_y>{_YEARISH}))
  | (?P<mry>(?P<mry_m>{_FULL_MONTH})\s(?:of\s)?(?P<mry_d>this|last|next)\syear\b)
  | (?P<mon>(?P<mon_m>{_FULL_MONTH})\b(?!,?\s\d)(?:\s(?:of\s)?(?P<mon_rel>this|last|next)\syear\b)?)
  | (?P<season>(?P<season_n>spring|summer|fall|autumn|winter|Spring|Summer|Autumn|Winter)\b(?:\s(?:of\s)?(?P<season_y>{_YEARISH}))?)
  | (?P<we>weekend\b)
  | (?P<wd>(?P<wd_d>{_WEEKDAY})\b(?!\s(?:and|or|&)\s{_WEEKDAY}s\b)(?:\s(?:morning|afternoon|evening|night))?)
  | (?P<relw>[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight)\b
  | (?P<unit>(?P<unit_w>[Yy]ear|month|week)(?P<unit_end>[\s-]end\b|'s\send\b)?\b)
  | (?P<ana>(?P<ana_d>previous|prior|following|same|next)\s(?P<ana_u>year|month|day|morning)\b)
  | (?P<fy>FY\s?(?P<fy_y>{_YEAR}|\d\d)\b|[Ff]iscal(?:[\s-]year)?\s(?P<fy_y2>{_YEAR})\b|[Ff]iscal\syear\b(?!\s(?:ended|ending)))
  | (?P<cent>(?P<cent_n>1[0-9]|2[01])(?:st|nd|rd|th)\scentury\b)
  | (?P<dec>(?P<dec_y>1[89]\d0|20\d0)'?s\b)
  | (?P<yr>(?P<yr_y1>{_YEAR})(?:{_DASH}|\s(?:to|through|until|and)\s)(?P<yr_y2>{_YEAR}|\d\d)\b(?![-\u2013/.,]?\d))
  | (?P<year>(?P<year_y>{_YEAR})\b(?![-\u2013/.,:]?\d|\s?%|-[a-z]))
  | (?P<sp>{_SPOKEN})
    )""",
    re.VERBOSE,
)



def _start_words(starts: str) -> list[str] | None:
    """The words every match of ``_PATTERN`` begins with, read from ``_STARTS`` (a digit, "Jan",
    "spring", "Spring", ...); None when an alternative there is of a form this reading does not know."""
    words: list[str] = []
    for alternative in starts.split("|"):
        if alternative == r"\d":
            if not _FIRST.startswith("[0-9") or "\\" in _FIRST:
                return None  # other digits than 0-9 may begin a match
            words.extend("0123456789")  # the first character is one of _FIRST: a digit there is 0-9
            continue
        m = re.fullmatch(r"(?:\[([A-Z])([a-z])\])?([A-Za-z]+)(?:\\b|\\s\[[a-z]+\]|\[\\s-\][a-z]+)?", alternative)
        if m is None:
            return None
        upper, lower, rest = m.groups()
        words.extend([upper + rest, lower + rest] if upper else [rest])
    return words


@lru_cache(maxsize=1)
def _start_finder() -> ahocorasick.Automaton | None:
    """The start words of ``_PATTERN`` (value: their length) and the words that call for the
    keyed and shifted forms (value: the word), in one automaton; None when ``_STARTS`` cannot be read."""
    words = _start_words(_STARTS)
    if words is None or not set(words).isdisjoint(_CUE_WORDS):
        return None
    finder = ahocorasick.Automaton()
    for word in words:
        finder.add_word(word, len(word))
    for word in _CUE_WORDS:
        finder.add_word(word, word)
    finder.make_automaton()
    return finder


def _scan(text: str) -> tuple[list[int] | None, set[str]]:
    """Where the start words of ``_PATTERN`` begin (None: the pattern scans the whole text), and
    which words of ``_CUE_WORDS`` the text holds, from one pass over it."""
    finder = _start_finder()
    if finder is None:
        return None, {word for word in _CUE_WORDS if word in text}
    starts: list[int] = []
    cues: set[str] = set()
    for end, value in finder.iter(text):
        if value.__class__ is int:
            starts.append(end - value + 1)
        else:
            cues.add(value)
    return starts, cues


def _date_matches(text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """``_PATTERN.finditer(text)``, tried only where a start word (``starts``) begins a word, not
    with the regex entering its look-aheads at every character."""
    if starts is None:
        yield from _PATTERN.finditer(text)
        return
    match = _PATTERN.match
    pos = 0
    starts.sort()  # by where the words end, as found: by where they begin, for the scan
    for at in starts:
        if at < pos:
            continue  # inside the last match, or tried already: the scan goes on from its end, as finditer's does
        if at:
            before = text[at - 1]
            if before.isalnum() or before == "_":  # no word boundary: the pattern's \b fails here
                continue
        m = match(text, at)
        if m is not None:  # never empty: every form takes at least its start word
            yield m
            pos = m.end()
        else:
            pos = at + 1


# Forms keyed by words rare enough to look for first: a plain substring test is far
# cheaper than one more alternative tried at every word.
_QUARTER = re.compile(
    rf"""\b(?:(?P<q_cue>the|this|last|next|its|The|This|Last|Next|Its|(?P<q_rel>this|last|next)\syear's)\s)?
    (?:(?P<q_y0>{_YEAR})\s)?(?P<q_fiscal>[Ff]iscal[\s-])?(?P<q_n>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)[\s-]quarter\b
    (?:(?:\sof|\sin|,)?\s(?P<q_y>{_YEAR})\b)?(?P<q_ended>\s(?:ended|ending))?
  | \b[Qq](?P<q_n2>[1-4])\s?(?:of\s)?(?P<q_y2>{_YEAR})\b
  | \b(?:[Tt]he\s)?(?P<h_n>first|second)\shalf\sof\s(?P<h_y>{_YEAR}\b|the\syear|(?P<h_rel>this|last|next)\syear)""",
    re.VERBOSE,
)
# "Christmas trees", "Easter eggs": things, not days
_HOLIDAY_THINGS = (
    r"(?:trees?|cards?|carols?|lights|decorations|ornaments|music|songs?|spirit|gifts?|presents?|shopping|sales?"
    r"|markets?|bonus(?:es)?|eggs?|bunny|week|weekend|holidays?|season|break|period|Island)\b"
)
_HOLIDAY = re.compile(
    rf"""\b(?:(?P<h_dir>last|next|this|Last|Next|This)\s)?(?<!Lunar\s)(?<!Chinese\s)
    (?P<h_name>Christmas\s(?:Day|Eve)|Christmas(?!\s(?:Island|{_HOLIDAY_THINGS}))|New\sYear's\s(?:Day|Eve)
      |Thanksgiving(?:\sDay)?|Easter(?:\s(?:Sunday|Monday))?(?!\s(?:Island|{_HOLIDAY_THINGS}))|Good\sFriday|Halloween
      |Valentine's\sDay|Boxing\sDay|Labor\sDay
      |Fourth\sof\sJuly|July\sFourth)\b(?:,?\s(?P<h_y>{_YEAR})\b)?""",
    re.VERBOSE,
)
_KEYED = (
    (("quarter", "Q1", "Q2", "Q3", "Q4", "half of"), _QUARTER),
    (("Christmas", "New Year's", "Thanksgiving", "Easter", "Good Friday", "Halloween", "Valentine", "Boxing Day",
      "Fourth of July", "July Fourth", "Labor Day"), _HOLIDAY),
)
_HOLIDAY_DAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
    "new year's eve": (12, 31), "halloween": (10, 31), "valentine's day": (2, 14), "boxing day": (12, 26),
    "fourth of july": (7, 4), "july fourth": (7, 4),
}

# "four years ago", "a year earlier", "two days later", "year-earlier", "a week or so ago"
_SHIFT_WORDS = ("ago", "earlier", "later", "Earlier", "Later")
_CUE_WORDS = (*(key for keys, _ in _KEYED for key in keys), *_SHIFT_WORDS)  # looked for in the date scan's pass
_SHIFT_BEFORE = re.compile(
    rf"""(?:
      (?:\b(?P<mod>nearly|almost|about|some|roughly|approximately|around|over|just|only|exactly|barely|more\sthan|less\sthan|at\sleast)\s)?
      \b(?P<n>[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|{_TEENS_W}|{_TENS_W}|\d{{1,3}}
         |[Ss]everal|[Ff]ew|a\sfew|a\scouple\sof|a\shalf|[Hh]alf\sa)
      (?:-(?P<n2>{_UNITS_W}))?\s(?P<u>years?|months?|weeks?|days?|decades?)(?:\sor\sso)?\s
    | \b(?P<adj>[Yy]ear)-)$""",
    re.VERBOSE,
)
_THAT_UNIT = re.compile(r"\s(?:that|the\ssame)\s(year|month|day)\b")

_COUNT_NOUNS = _wordset(
    """people persons person men women children kids troops soldiers police policemen officers workers employees
    jobs staff members residents civilians refugees students voters votes seats delegates tons tonnes ton kg
    kilograms kilometers kilometres km miles meters metres feet ft yards acres hectares dollars yuan won euros
    pounds yen rupees francs marks shares units cars vehicles homes houses households families cases deaths
    casualties victims copies pages words rounds shells missiles rockets tanks aircraft planes ships barrels
    gallons liters litres calories points hours minutes seconds days weeks months years times customers patients
    flights passengers visitors tourists protesters demonstrators prisoners inmates runs degrees percent per
    babies adults teachers doctors nurses fighters rebels militants sailors marines guards prisoners delegates
    companies firms banks schools hospitals villages towns cities stores items pieces machines computers
    characters bytes pixels rpm mph kph cc ml mg lb lbs oz gmt utc est edt pst pdt cet hrs local"""
)
# Words after which a number is an identifier, not a year: "Resolution 1874", "resolutions 1718 and 1874"
_DESIGNATION = re.compile(
    r"(?:\b(?:[Rr]esolutions?|UNSCR|[Nn]os?\.|[Nn]umbers?|[Aa]rticles?|[Ss]ections?|[Cc]hapters?|[Pp]ages?|pp?\."
    r"|[Ff]lights?|[Rr]outes?|[Hh]ighways?|[Ii]nterstate|[Rr]ooms?|[Rr]ules?|[Cc]odes?|[Ff]orms?|[Dd]ecrees?"
    r"|[Bb]ills?|[Oo]rders?|[Pp]aragraphs?|[Ii]tems?|[Mm]odels?|[Vv]ersions?|[Ss]uites?|[Bb]locks?|[Uu]nits?"
    r"|[Ll]ots?|[Pp]ort|[Gg]ate|[Pp]latforms?|[Cc]hannels?|[Ss]erial|[Cc]ase|[Dd]ocket|[Ff]ile|[Tt]ables?|[Ff]igures?)"
    r"|[#$\u00a3\u20ac])\s*(?:\d{3,4}\s*(?:,|and|or|&|to)\s*)*$"
)
_NOT_AFTER_YEAR = _wordset(
    "of and or to in on at by for the a an is was were will has had have that which who as with from than"
)
_HEAD_WORD = re.compile(r"\s*([A-Za-z%][\w'\u2019-]*|\S)")


@dataclass(slots=True)
class DateExpression:
    """A dated reference as the text states it, before resolution."""

    start: int
    end: int
    text: str
    # day | span | months | month | year | years | season | weekday | weekend | relative | shift
    # | holiday | quarter | yearend
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    month2: int | None = None
    day2: int | None = None
    season: str | None = None
    weekday: int | None = None
    direction: str | None = None  # last | next | this | since...
    unit: str | None = None  # day | week | month | year (relative, shift) ; holiday name
    year2: int | None = None  # the last year of a span of years ("1950 to 1953")
    # shift: how many units ("four years ago" -4); month, season: years from the reference ("January next year")
    offset: int | None = None
    anchor: str | None = None  # shift: "now" (the article's date), "then" (the date last mentioned), "then-or-now"
    tense: str | None = None  # future | past | present: how the words around it look (set by the caller)
    weak: bool = False  # a year known only by its shape and place ("the 1996 bombing"): must be plausible


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _day(token: str) -> int:
    return int(re.match(r"\d+", token).group())  # type: ignore[union-attr]


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def spoken_year(token: str) -> int | None:
    """1996 for "nineteen ninety-six", 1905 for "nineteen oh five", 2001 for "two thousand and one"."""
    words = [w for w in re.split(r"[\s-]+", token.lower()) if w and w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = words[2:]
        return 2000 + (_NUMBER_WORDS[rest[0]] if rest else 0)
    if not words or words[0] not in ("nineteen", "eighteen"):
        return None
    century = _NUMBER_WORDS[words[0]] * 100
    rest = words[1:]
    if rest == ["hundred"]:
        return century
    if rest and rest[0] == "oh":
        rest = rest[1:]
    return century + sum(_NUMBER_WORDS[w] for w in rest)


def _year_value(token: str) -> int | None:
    return int(token) if token[:1].isdigit() else spoken_year(token)


def _two_digit_end(first: int, token: str) -> int | None:
    """1958 for ("1957", "58"); 2010 for (2009, "2010"); None when the end is not after the start."""
    end = int(token) if len(token) == 4 else first - first % 100 + int(token)
    return end if first < end <= first + 100 else None


def _words_before(text: str, pos: int, count: int = 3) -> list[tuple[str, int]]:
    """Up to ``count`` words right before ``pos`` (nearest first, lower case, with their offsets),
    separated from it and from each other by white space only."""
    lo = max(0, pos - 40)
    tail = text[lo:pos]
    if not tail or not tail[-1].isspace():
        return []
    out: list[tuple[str, int]] = []
    end = len(tail)
    for part in reversed(tail.split()):
        at = tail.rfind(part, 0, end)
        if (at == 0 and lo > 0 and not text[lo - 1].isspace()) or not part.replace("'", "").replace("\u2019", "").isalpha():
            break
        out.append((part.lower(), lo + at))
        if len(out) == count:
            break
        end = at
    return out


def _cue(text: str, pos: int, cues: object, longest: int = 4) -> tuple[str, int] | None:
    """The longest phrase of ``cues`` (a set or dict of lower-case phrases) right before ``pos``, with its start."""
    words = _words_before(text, pos, longest)
    phrase, found = "", None
    for word, at in words:
        phrase = f"{word} {phrase}" if phrase else word
        if phrase in cues:  # type: ignore[operator]
            found = (phrase, at)
    return found


def _hyphen_cue(text: str, pos: int) -> int | None:
    """The start of "mid-" / "post-" / "late-" glued to the token at ``pos``."""
    if pos < 3 or text[pos - 1] != "-":
        return None
    j = pos - 1
    while j > 0 and pos - j < 6 and text[j - 1].isalpha():
        j -= 1
    return j if text[j : pos - 1].lower() in _HYPHEN_CUES and (j == 0 or not text[j - 1].isalnum()) else None


def _word_after(text: str, pos: int) -> str:
    m = _HEAD_WORD.match(text, pos, pos + 30)
    return m.group(1) if m else ""


class _Designations:
    """Numbers the text uses as identifiers ("Resolution 1874"), looked up only for year-like numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[str, bool] = {}

    def names(self, number: str, start: int, anywhere: bool = True) -> bool:
        """Whether ``number`` at ``start`` is an identifier: by the words before it, or (``anywhere``) elsewhere."""
        if _DESIGNATION.search(self.text, max(0, start - 40), start):
            return True
        if not anywhere:
            return False
        if number not in self.known:
            # A number named as an identifier anywhere in the text is one everywhere
            # ("resolutions 1718 and 1874 ... full implementation of 1874").
            text, found, pos = self.text, False, self.text.find(number)
            while pos != -1 and not found:
                found = bool(_DESIGNATION.search(text, max(0, pos - 40), pos))
                pos = text.find(number, pos + 1)
            self.known[number] = found
        return self.known[number]


def _modifier_year(text: str, start: int, end: int) -> bool:
    """A bare year-shaped number that dates a noun ("the 1996 Olympic bombing", "his unsuccessful 1996 campaign")."""
    if start and text[start - 1] in "$#\u00a3\u20ac,.":
        return False
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return True  # "(2009)" after a title or a resolution: its year
    if text[end : end + 2] in ("'s", "\u2019s"):
        return True  # "1996's Olympics"
    after = _word_after(text, end)
    if not after or not after[0].isalpha() or after.lower() in _COUNT_NOUNS or after.lower() in _NOT_AFTER_YEAR:
        return False
    # "the 1996 bombing", "his unsuccessful 1996 campaign", "the company's 1989 results"
    for i, (word, _) in enumerate(_words_before(text, start, 3)):
        if word in _MODIFIER_LEAD or word.endswith(("'s", "\u2019s", "s'")):
            return True
        if not word.islower() and i == 0:
            return False
    return False


def _season_ok(text: str, start: int, end: int, cue: str | None, word: str, has_year: bool) -> bool:
    """'the summer' is a season; 'the summer heat' is not a date of its own, 'the fall of' never is."""
    if has_year or cue in ("last", "this", "next", "this past"):
        return True
    if cue is None or word[0].isupper() or word == "fall":
        return False
    after = _word_after(text, end)
    return not after or not after[0].isalpha() or after.lower() in _NOT_AFTER_YEAR or after in ("when", "before", "after")


def _modifier_month(text: str, start: int, end: int) -> bool:
    """'a June agreement', 'the October slaying': a month that dates the noun after it."""
    after = _word_after(text, end)
    if not (after and after[0].islower() and after.isalpha() and after not in _NOT_AFTER_YEAR):
        return False
    before = _words_before(text, start, 1)
    return bool(before) and (before[0][0] in _MODIFIER_LEAD or before[0][0].endswith(("'s", "\u2019s")))


def find_date_expressions(text: str) -> list[DateExpression]:
    """Every candidate dated reference in ``text``, in order, parsed but not resolved."""
    found: list[DateExpression] = []
    designations: _Designations | None = None
    starts, cues = _scan(text)
    for m in _date_matches(text, starts):
        g = m.group
        kind = m.lastgroup
        start, end = m.start(), m.end()
        expr: DateExpression | None = None
        extra: list[DateExpression] = []
        if kind == "iso":
            y, mo, d = int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif kind == "num":
            y, mo, d = int(g("num_y")), int(g("num_m")), int(g("num_d"))
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif kind == "mdd":
            mo, d1, d2 = _month(g("mdd_m")), _day(g("mdd_d1")), _day(g("mdd_d2"))
            y = int(g("mdd_y")) if g("mdd_y") else None
            if d1 < d2 and _valid(y, mo, d1) and _valid(y, mo, d2):
                expr = DateExpression(start, end, "", "span", y, mo, d1, mo, d2)
        elif kind == "mad":
            # "April 24 and 25": two days of one month
            mo, d1, d2 = _month(g("mad_m")), _day(g("mad_d1")), _day(g("mad_d2"))
            y = int(g("mad_y")) if g("mad_y") else None
            if d1 < d2 and _valid(y, mo, d1) and _valid(y, mo, d2):
                expr = DateExpression(start, m.end("mad_d1"), "", "day", y, mo, d1)
                extra.append(DateExpression(m.start("mad_d2"), end, "", "day", y, mo, d2))
        elif kind == "mmy":
            m1, m2 = _month(g("mmy_m1")), _month(g("mmy_m2"))
            if m1 < m2:
                expr = DateExpression(start, end, "", "months", int(g("mmy_y")), m1, None, m2)
        elif kind == "md":
            mo, d = _month(g("md_m")), _day(g("md_d"))
            y = int(g("md_y")) if g("md_y") else None
            # "May 5" needs the capital and a plausible day; "may" the verb never matches (case).
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
                if y is None:
                    cue = _cue(text, start, ("last",))
                    if cue:  # "last Oct. 23"
                        expr.start, expr.direction = cue[1], "last"
        elif kind == "dm":
            mo, d = _month(g("dm_m")), _day(g("dm_d"))
            y = int(g("dm_y")) if g("dm_y") else None
            if _valid(y, mo, d):
                expr = DateExpression(start, end, "", "day", y, mo, d)
        elif kind == "my":
            y = _year_value(g("my_y"))
            if y is not None:
                expr = DateExpression(start, end, "", "month", y, _month(g("my_m")))
        elif kind == "mry":
            offset = {"this": 0, "last": -1, "next": 1}[g("mry_d")]
            expr = DateExpression(start, end, "", "month", None, _month(g("mry_m")), offset=offset, direction="this")
        elif kind == "mon":
            expr = _month_alone(text, m)
        elif kind == "season":
            word = g("season_n")
            cue = _cue(text, start, _SEASON_CUES)
            if _season_ok(text, start, end, cue[0] if cue else None, word, bool(g("season_y"))):
                y = _year_value(g("season_y")) if g("season_y") else None
                direction = _SEASON_CUES[cue[0]] if cue else None
                # "last summer" keeps its cue; "in the winter of 2008" starts at "the"
                s = cue[1] if cue and direction else start - 4 if text[max(0, start - 4) : start].lower() == "the " else start
                expr = DateExpression(s, end, "", "season", y, season=SEASONS[word.lower()], direction=direction)
        elif kind == "we":
            cue = _cue(text, start, ("the", "this", "last", "next"))
            if cue:
                expr = DateExpression(cue[1], end, "", "weekend", direction=cue[0] if cue[0] != "the" else None)
        elif kind == "wd":
            before = _words_before(text, start, 1)
            if not before or before[0][0] not in _NOT_WEEKDAY:
                cue = _cue(text, start, _WEEKDAY_CUES)
                expr = DateExpression(cue[1] if cue else start, end, "", "weekday", weekday=WEEKDAYS[g("wd_d").lower()],
                                      direction=_WEEKDAY_CUES[cue[0]] if cue else None)
        elif kind == "relw":
            word = g("relw").lower()
            # "the leaders of tomorrow", "the world of today": not a day
            before = _words_before(text, start, 1)
            if word in ("yesterday", "tonight") or not before or before[0][0] != "of":
                offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
                expr = DateExpression(start, end, "", "relative", direction=str(offset), unit="day")
        elif kind == "unit":
            expr = _unit(text, m)
        elif kind == "ana":
            expr = _anaphoric(text, m)
        elif kind == "fy":
            expr = _fiscal(text, m)
        elif kind == "cent":
            n = int(g("cent_n"))
            cue = _cue(text, start, ("the", "the early", "the late", "the mid"))
            if cue:
                expr = DateExpression(cue[1], end, "", "years", (n - 1) * 100, year2=(n - 1) * 100 + 99)
        elif kind == "dec":
            y = int(g("dec_y"))
            hy = _hyphen_cue(text, start)
            cue = _cue(text, hy if hy is not None else start, ("the", "the early", "the late", "early", "late"))
            s = cue[1] if cue else hy if hy is not None else start
            expr = DateExpression(s, end, "", "years", y, year2=y + 9)
        elif kind == "yr":
            y1 = int(g("yr_y1"))
            y2 = _two_digit_end(y1, g("yr_y2"))
            joiner = text[m.end("yr_y1") : m.start("yr_y2")].strip()
            cue = _cue(text, start, ("from", "between"))
            # "between 1950 and 1953" is a span; "in 1990 and 1991" two years
            if y2 is not None and (joiner != "and" or (cue and cue[0] == "between")) \
                    and _word_after(text, end).lower() not in _COUNT_NOUNS:
                designations = designations or _Designations(text)
                if not designations.names(g("yr_y1"), start, anywhere=False):
                    expr = DateExpression(cue[1] if cue else start, end, "", "years", y1, year2=y2)
                    # Each end is a dated point of its own ("the war began in 1950"); the span is the timeline's bar.
                    extra = [DateExpression(start, m.end("yr_y1"), "", "year", y1),
                             DateExpression(m.start("yr_y2"), end, "", "year", y2)]
            elif len(g("yr_y2")) == 4:  # "in both 1990 and 1991": two years
                designations = designations or _Designations(text)
                pair = [_bare_year(text, start, m.end("yr_y1"), designations),
                        _bare_year(text, m.start("yr_y2"), end, designations)]
                if pair[0] is not None:
                    expr, extra = pair[0], [e for e in pair[1:] if e is not None]
                elif pair[1] is not None:
                    expr = pair[1]
        elif kind == "year":
            designations = designations or _Designations(text)
            expr = _bare_year(text, start, end, designations)
        elif kind == "sp":
            y = spoken_year(g("sp"))
            cue = _cue(text, start, ("in", "by", "since", "until", "before", "after", "of", "the year"))
            # "two thousand" is a count unless something says it is a year ("the year two thousand")
            if y is not None and (cue or not g("sp").lower().startswith("two")):
                s = cue[1] if cue and cue[0] == "the year" else start
                expr = DateExpression(s, end, "", "year", y)
        if expr is None:
            continue
        for item in (expr, *extra):
            item.text = text[item.start : item.end]
            found.append(item)
    for keys, pattern in _KEYED:
        if any(k in cues for k in keys):
            found.extend(_keyed_expressions(text, pattern))
    if any(w in cues for w in _SHIFT_WORDS):
        found.extend(_shift_expressions(text))
    found.sort(key=lambda e: e.start)
    return _merge_weekday_with_date(_drop_overlaps(found))


def _month_alone(text: str, m: re.Match[str]) -> DateExpression | None:
    """A month without a day or year: 'in April', 'last August', 'mid-November', 'a June agreement'."""
    start, end = m.start(), m.end()
    month = MONTHS[m.group("mon_m").lower()]
    rel = m.group("mon_rel")
    hy = _hyphen_cue(text, start)
    cue = _cue(text, hy if hy is not None else start, _MONTH_CUES)
    modifier = False
    if hy is None and cue is None:
        modifier = _modifier_month(text, start, end)
        if not modifier:
            return None
    direction = cue[0] if cue and cue[0] in ("last", "next", "this") else None
    s = cue[1] if direction else hy if hy is not None else start
    offset = None
    if rel:
        offset, direction = {"this": 0, "last": -1, "next": 1}[rel], "this"
    # "a June agreement", "the late-November trip": when a thing was made, not what a verb plans
    return DateExpression(s, end, "", "month", None, month, direction=direction, offset=offset, weak=modifier)


def _unit(text: str, m: re.Match[str]) -> DateExpression | None:
    """'last year', 'next month', 'this week'; 'year-end', 'the end of the month'."""
    start, end = m.start(), m.end()
    unit = m.group("unit_w").lower()
    if m.group("unit_end"):
        if unit != "year":
            return None
        cue = _cue(text, start, ("since", "from", "the", "since the", "from the"))
        return DateExpression(cue[1] if cue else start, end, "", "yearend", unit="year",
                              direction="since" if cue and cue[0] != "the" else None)
    cue = _cue(text, start, ("last", "next", "this", "the end of the", "the end of this", "end of the",
                             "end of this", "since the end of the", "the year", "fiscal"))
    if cue is None:
        return None
    word = cue[0]
    if word in ("last", "next", "this"):
        return DateExpression(cue[1], end, "", "relative", direction=word, unit=unit)
    if word.startswith(("the end", "end", "since")) and unit in ("year", "month"):
        return DateExpression(cue[1], end, "", "yearend", unit=unit, direction="since" if word.startswith("since") else None)
    return None


def _anaphoric(text: str, m: re.Match[str]) -> DateExpression | None:
    """'the previous year', 'the following month', 'the next day', 'the same day'."""
    word, unit = m.group("ana_d"), m.group("ana_u")
    cue = _cue(text, m.start(), ("the",))
    if cue is None:
        if word == "next" and unit in ("year", "month"):  # "next year" said of the article's own time
            return DateExpression(m.start(), m.end(), "", "relative", direction="next", unit=unit)
        return None
    before = _words_before(text, cue[1], 1)
    if word == "next" and unit == "year" and before and before[0][0] in (
            "over", "in", "within", "during", "for", "throughout"):
        return None  # "over the next year": a duration
    step = {"previous": -1, "prior": -1, "following": 1, "next": 1, "same": 0}[word]
    unit = "day" if unit == "morning" else unit
    # "the previous year" reads back from the date last mentioned, or from the article's own
    anchor = "then-or-now" if step < 0 and unit == "year" else "then"
    return DateExpression(cue[1], m.end(), "", "shift", unit=unit, offset=step, anchor=anchor)


def _fiscal(text: str, m: re.Match[str]) -> DateExpression | None:
    """'fiscal 1989', 'FY2009', 'the current fiscal year', 'last fiscal year'."""
    token = m.group("fy_y") or m.group("fy_y2")
    if token:
        return DateExpression(m.start(), m.end(), "", "year", int(token) if len(token) == 4 else 2000 + int(token))
    cue = _cue(text, m.start(), ("the", "the current", "the latest", "the last", "the past", "the previous",
                                 "the prior", "the next", "the coming", "this", "last", "next"))
    if cue is None:
        return None
    word = cue[0].split()[-1]
    step = {"the": 0, "current": 0, "this": 0, "latest": -1, "last": -1, "past": -1, "previous": -1, "prior": -1,
            "next": 1, "coming": 1}[word]
    return DateExpression(cue[1], m.end(), "", "shift", unit="year", offset=step, anchor="now")


def _bare_year(text: str, start: int, end: int, designations: _Designations) -> DateExpression | None:
    """A year-shaped number: a year after a preposition ("in 2005"), glued to "mid-", or dating a noun."""
    number = text[start:end]
    hy = _hyphen_cue(text, start)
    if hy is not None:
        return DateExpression(hy, end, "", "year", int(number))
    if start and text[start - 1] in "$#\u00a3\u20ac":
        return None
    cue = _cue(text, start, _YEAR_CUES)
    after = _word_after(text, end).lower()
    if cue is not None:
        weak = _YEAR_CUES[cue[0]]
        if after in _COUNT_NOUNS or designations.names(number, start, anywhere=weak):
            return None
        s = cue[1] if cue[0] in ("fiscal", "fiscal year", "the year", "year") else start
        return DateExpression(s, end, "", "year", int(number), weak=weak)
    if _modifier_year(text, start, end) and not designations.names(number, start):
        return DateExpression(start, end, "", "year", int(number), weak=True)
    return None


def _keyed_expressions(text: str, pattern: re.Pattern[str]) -> list[DateExpression]:
    found: list[DateExpression] = []
    for m in pattern.finditer(text):
        g = m.group
        start, end = m.start(), m.end()
        expr: DateExpression | None = None
        if "h_name" in pattern.groupindex:
            name = " ".join(g("h_name").split()).lower()
            y = int(g("h_y")) if g("h_y") else None
            direction = g("h_dir").lower() if g("h_dir") else None
            s = start if direction else m.start("h_name")
            expr = DateExpression(s, end, "", "holiday", y, unit=name, direction=direction)
        elif g("q_n") or g("q_n2"):
            if g("q_fiscal") or g("q_ended"):
                continue  # a company's own quarter: its months are not the calendar's
            q = _ORDINALS[g("q_n").lower()] if g("q_n") else int(g("q_n2"))
            token = g("q_y") or g("q_y0") or g("q_y2")
            cue = (g("q_cue") or "").lower()
            # "third-quarter earnings" dates the numbers; "a third quarter" of a match does not
            if token is None and not cue and text[m.end("q_n") : m.end("q_n") + 1] != "-":
                continue
            rel = g("q_rel")
            s = start if cue or g("q_y0") or not g("q_n") else m.start("q_n")
            expr = DateExpression(s, end, "", "quarter", int(token) if token else None, 3 * q - 2, None, 3 * q,
                                  direction=cue if cue in ("last", "next", "this") else None,
                                  offset={"this": 0, "last": -1, "next": 1}[rel] if rel else None)
        elif g("h_n"):
            half = 1 if g("h_n") == "first" else 2
            token = g("h_y")
            if token[:1].isdigit():
                expr = DateExpression(start, end, "", "months", int(token), 6 * half - 5, None, 6 * half)
            else:
                rel = g("h_rel")
                expr = DateExpression(start, end, "", "quarter", None, 6 * half - 5, None, 6 * half,
                                      offset={"this": 0, "last": -1, "next": 1}[rel] if rel else 0)
        if expr is not None:
            expr.text = text[expr.start : expr.end]
            found.append(expr)
    return found


def _shift_expressions(text: str) -> list[DateExpression]:
    """'four years ago' (from the article's date), 'a year earlier', 'two days later' (from the date last
    mentioned), 'later that year'."""
    found: list[DateExpression] = []
    for word in _SHIFT_WORDS:
        pos = text.find(word)
        while pos != -1:
            end = pos + len(word)
            if pos > 0 and not text[pos - 1].isalnum() and (end >= len(text) or not text[end].isalnum()):
                m = _SHIFT_BEFORE.search(text, max(0, pos - 60), pos)
                expr = _shift(text, m, word, end) if m is not None else None
                if expr is None and word in ("earlier", "later", "Earlier", "Later"):
                    that = _THAT_UNIT.match(text, end)
                    if that:  # "later that year", "earlier the same day"
                        expr = DateExpression(pos, that.end(), text[pos : that.end()], "shift", unit=that.group(1),
                                              offset=0, anchor="then")
                if expr is not None:
                    found.append(expr)
            pos = text.find(word, end)
    return found


def _shift(text: str, m: re.Match[str], word: str, end: int) -> DateExpression | None:
    word = word.lower()
    sign = 1 if word == "later" else -1
    if m.group("adj"):  # "year-earlier", "year-ago": the same period a year before the article's
        if word == "later":
            return None
        expr = DateExpression(m.start(), end, "", "shift", unit="year", offset=-1, anchor="now")
    else:
        token = m.group("n").lower()
        if token in ("several", "few", "a few", "a couple of", "a half", "half a") or (m.group("mod") or "").split()[:1] in (
                ["more"], ["over"], ["less"], ["at"]):
            return None  # vague: "a few years ago", "more than four decades ago" name no one date
        n = int(token) if token.isdigit() else _NUMBER_WORDS[token]
        if m.group("n2"):
            n += _NUMBER_WORDS[m.group("n2")]
        unit = m.group("u").rstrip("s")
        if unit == "decade":
            unit, n = "year", n * 10
        if n == 0 or n > 200:
            return None
        anchor = "now" if word == "ago" else "then-or-now" if word == "earlier" else "then"
        start = m.start("mod") if m.group("mod") else m.start("n")
        expr = DateExpression(start, end, "", "shift", unit=unit, offset=sign * n, anchor=anchor)
    expr.text = text[expr.start : expr.end]
    return expr


def _drop_overlaps(found: list[DateExpression]) -> list[DateExpression]:
    """Expressions from separate passes never share text, except the ends of a span of years."""
    kept: list[DateExpression] = []
    span_end = -1
    for expr in found:
        if kept and expr.start < kept[-1].end and not (kept[-1].kind == "years" and expr.end <= span_end):
            if expr.end - expr.start > kept[-1].end - kept[-1].start and kept[-1].kind != "years":
                kept[-1] = expr
            continue
        if expr.kind == "years":
            span_end = expr.end
        kept.append(expr)
    return kept


def _merge_weekday_with_date(found: list[DateExpression]) -> list[DateExpression]:
    """'on Tuesday, Oct. 2': the weekday is only a label of the explicit date that follows."""
    kept: list[DateExpression] = []
    for i, expr in enumerate(found):
        if expr.kind == "weekday" and i + 1 < len(found):
            nxt = found[i + 1]
            if nxt.kind in ("day", "span") and nxt.start - expr.end <= 3:
                continue
        kept.append(expr)
    return kept


# --- tense: does the sentence look ahead or back? ------------------------------------------

_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z.\u2019]|'(?=[A-Za-z]))*|\d[\d.,:]*|[;!?\"\u201c\u201d]|''|``")
_MODALS = _wordset("will shall 'll wo won't would going")
_FUTURE_WORDS = _wordset("will shall 'll wo won't would gonna upcoming soon slated tentatively")
# "the planned visit", "is scheduled to": ahead, unless "had" makes it a plan of the past
_FUTURE_PARTICIPLES = _wordset("scheduled expected planned set slated due proposed")
_PLANNED = _wordset("scheduled planned slated")
# Moving a date moves it ahead: "postponed until Tuesday", "extended the loans through January"
_POSTPONED = _wordset("extended postponed delayed deferred adjourned moved pushed rescheduled")
# Words that take an infinitive about what is to come: "plans to hold", "an agreement to acquire"
_INTENT = _wordset(
    """is are am plans plan planning intends intend aims aim hopes hope wants want expects expect seeks seek
    promises vows pledges threatens agreement decision bid offer proposal move effort deadline ready likely going
    about"""
)
_PRESENT_WORDS = _wordset(
    "is are am says follows begins starts opens ends meets arrives leaves visits holds comes takes goes "
    "returns resumes closes expires marks"
)
_PAST_VERBS = _wordset(
    """was were had did said told met made went took gave came left began held found saw sent won lost fell rose
    struck got ran led paid bought sold brought thought spoke wrote became kept broke chose drew fled flew fought
    knew meant sought spent stood stole taught threw understood wore withdrew arose bore blew built caught clung
    dealt drove ate fed felt grew heard hung laid lent lit rode sat slept slid spun sprang stuck swept swam swung
    tore wept been"""
)
_PAST_ADVERBS = _wordset("ago earlier previously already yesterday")
# Words that may stand between an auxiliary and its verb: "would be paid", "has already been extended"
_AUX = _wordset("be been being have has had is are am was were not also still already now then probably reportedly "
                "just only soon finally")
_NOT_PAST_ED = _wordset("need speed feed seed bed red shed indeed proceed exceed succeed breed bleed embed hundred")
_DETERMINERS = _wordset("the a an its their his her our this that these those")
_ADJECTIVE_LEAD = _DETERMINERS | _wordset("still very more most so too less least newly recently")
# Between "until"/"by" and the date: "until 9 a.m. EST Tuesday", "by the end of"
_DEADLINE_FILLER = _wordset("# a.m. p.m. am pm noon midnight est edt gmt utc pst pdt cst cdt local time the end of close")
_DEADLINE = _wordset("until by till through before")
_NOT_INFINITIVE_NOUN = _wordset(
    """death power date court office jail prison war work school life trial home market bed sea church hospital
    town city light justice rest sleep safety victory ruin pieces order"""
)
# Words before "to" that do not take an infinitive: "according to", "talked to", "went to"
_NOT_INFINITIVE = _wordset(
    """according due next close up down back prior thanks addition compared contrary similar related ahead relative
    subject pursuant referring linked equal opposed attention access return way visit trip went came go goes
    going moved flew headed returned sent traveled travelled talked spoke said told listened turned led leading
    pointed referred appealed applied belonged contributed objected reacted responded"""
)
_CLAUSE_BREAK = frozenset((";", "!", "?", '"', "\u201c", "\u201d", "''", "``"))  # a quotation is a clause
# Words that open another clause after the date: "On Friday, when Albright arrived ..."
_FORWARD_STOP = _wordset("and but while which who that when as after before because if since although though where")


def _aux_tense(words: list[str], i: int) -> str | None:
    """The tense the auxiliaries before a verb give it: "would be paid", "had been set", "is expected"."""
    seen: list[str] = []
    j = i - 1
    while j >= 0 and len(seen) < 4:
        w = words[j]
        if w in _MODALS:
            return "future"
        if w not in _AUX:
            break
        seen.append(w)
        j -= 1
    if "had" in seen or "has" in seen or "have" in seen or "was" in seen or "were" in seen:
        return "past"
    if "is" in seen or "are" in seen or "am" in seen:
        return "present"
    return None


def _marker(words: list[str], i: int) -> str | None:
    """What the word at ``i`` says about time: future, present, past, or nothing."""
    w = words[i]
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in ("soon", "early") and prev == "as" and nxt == "as":
        return "future"  # "as soon as Tuesday", "as early as next week"
    if w == "next":
        return None if nxt == "to" else "future"
    if w in _FUTURE_WORDS:
        return "future"
    if w in _FUTURE_PARTICIPLES:
        aux = _aux_tense(words, i)
        if w in _PLANNED:
            # A plan is for later: "has scheduled a news conference Thursday", "planned a rally on
            # Saturday"; only "had" puts the plan (and its day) in the past.
            return "past" if "had" in words[max(0, i - 3) : i] else "future"
        if aux is not None:
            return "future" if aux == "present" else aux  # "is expected", "had been set", "will be due"
        if nxt in ("to", "for"):
            after_to = words[i + 2] if i + 2 < len(words) else ""
            if w in ("due", "set") and (after_to in _DETERMINERS or not after_to.isalpha()):
                return None  # "due to the storm"
            return "future"  # "set to resume", "expected for Tuesday"
        if prev in _DETERMINERS:
            return "future"  # "the expected ruling"
        return None if w in ("due", "set") else "past"
    if prev == "to" and i > 1 and w.isalpha():
        governor = words[i - 2]
        if governor in _FUTURE_PARTICIPLES:
            return _marker(words, i - 2)  # "set to resume"; "had been scheduled to expire"
        if governor in _INTENT:
            return "future"  # "is to resume trading Tuesday", "plans to hold"
        governor_past = governor in _PAST_VERBS or (len(governor) > 4 and governor.endswith("ed"))
        if governor_past and governor not in _NOT_INFINITIVE and w not in _NOT_INFINITIVE_NOUN and w not in _DETERMINERS \
                and not (w.endswith("s") and not w.endswith("ss")) and "had" not in words[max(0, i - 5) : i - 1]:
            return "future"  # "agreed to purchase ... in February", "decided to admit them in March"
        return None
    if w in _PAST_ADVERBS:
        return "past"
    past_form = w in _PAST_VERBS or (len(w) > 4 and w.endswith("ed") and w not in _NOT_PAST_ED)
    if past_form:
        if prev in _ADJECTIVE_LEAD and w not in _PAST_VERBS:
            return None  # "a still unspecified date": an adjective
        aux = _aux_tense(words, i)
        return aux if aux in ("future", "past") else "past" if aux is None else "present"
    if w in _PRESENT_WORDS:
        return "present"
    return None


_WORD_FORMS: dict[str, str] = {}


def _word_form(token: str) -> str:
    word = token.rstrip(".") if token.count(".") == 1 else token
    lower = word.lower()
    if token[0].isdigit():
        return "#"  # a number: "fell to $16.25 in trading Friday" has no infinitive
    if token[0].islower() or token in _CLAUSE_BREAK or lower in _MODALS or lower in _PAST_VERBS \
            or lower in _DEADLINE or lower in ("on", "as", "the", "in", "at"):
        return lower
    return ""  # a capitalised word (a name) says nothing about tense


def _words(text: str) -> list[str]:
    """Lower-case words; capitalised ones (names) become "" unless they are words that mark tense."""
    forms = _WORD_FORMS
    out = []
    for token in _TOKEN.findall(text):
        form = forms.get(token)
        if form is None:
            form = _word_form(token)
            if len(forms) < 50_000:
                forms[token] = form
        out.append(form)
    return out


def read_tense(text: str, start: int, end: int, lo: int, hi: int) -> str | None:
    """'future', 'present' or 'past' as the nearest verb around [start, end) says, within [lo, hi); else None.

    HeidelTime's rule for news: a weekday or month without a year lies ahead of the
    article's date when its sentence speaks of the future ("will", "plans to", "is
    scheduled"), behind it when the sentence speaks of the past.
    """
    before = _words(text[max(lo, start - 220) : start])[-20:]
    if before and before[-1] == "effective":
        return "future"  # "effective Feb. 1": the day a rule takes effect
    if before and before[-1] == "since":
        return "past"  # "on patrol since March"
    best: tuple[int, str] | None = None
    deadline = False
    # Back to the start of the clause, nearest word first.
    for distance, i in enumerate(range(len(before) - 1, -1, -1), start=1):
        w = before[i]
        if w in _CLAUSE_BREAK:
            break
        if w in _DEADLINE and distance <= 6 and all(x in _DEADLINE_FILLER or x == "" for x in before[i + 1 :]):
            deadline = True  # "until 9 a.m. Tuesday", "by Friday": ahead, unless the clause is past
            continue
        found = _marker(before, i)
        if found:
            if deadline and found == "past" and w in _POSTPONED:
                return "future"  # "postponed until Tuesday morning"
            best = (distance, found)
            break
    if text[end : end + 2] in ("'s", "\u2019s"):
        # "Tuesday's ruling", "Friday's close": a day whose event is reported, unless a plan looks ahead
        return "future" if deadline or (best and best[1] == "future") else "past"
    # Forward to the end of the clause: "On Tuesday, the league plans to hold ...".
    after = _words(text[end : min(hi, end + 120)])[:12]
    for distance, i in enumerate(range(len(after)), start=1):
        w = after[i]
        if w in _CLAUSE_BREAK or w in _FORWARD_STOP:
            break
        found = _marker(after, i)
        if found:
            if deadline:
                # "had filed reports by Wednesday", "Until Thursday, they had not called him"
                return "past" if (best and best[1] == "past") or w == "had" else "future"
            if best is None or distance + 1 < best[0]:
                best = (distance + 1, found)
            break
    if deadline:
        return "past" if best and best[1] == "past" else "future"
    return best[1] if best else None


# --- resolution ---------------------------------------------------------------------------


@dataclass(slots=True)
class DateContext:
    """What year-less and relative references are resolved against.

    ``reference`` is the article's own "today" (its dateline, else its
    published date, else the latest date it gives), or ``None`` when the text
    determines no such date: then year-less references are left unresolved.
    """

    reference: date | None
    # False when the reference was inferred from the article's other dates: good for a
    # month or a season, not for "on Wednesday" or "yesterday".
    exact: bool = True


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _nearest_year(ref: date, month: int, day: int, direction: str | None = None) -> int:
    """The year that puts month/day where a news text means it: mostly in the recent past."""
    if direction == "last":
        return ref.year if (month, day) < (ref.month, ref.day) else ref.year - 1
    if direction == "next":
        return ref.year if (month, day) > (ref.month, ref.day) else ref.year + 1
    if direction == "future":
        return ref.year if (month, day) >= (ref.month, ref.day) else ref.year + 1
    if direction == "past":
        return ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    # Within about four months ahead counts as this year; further ahead means last year.
    candidate = date(ref.year, month, min(day, 28))
    if (candidate - ref).days > 120:
        return ref.year - 1
    if (ref - candidate).days > 300:
        return ref.year + 1
    return ref.year


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the computus' own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return date(year, month, (h + l - 7 * m + 114) % 31 + 1)


def holiday_date(name: str, year: int) -> date:
    if name in _HOLIDAY_DAYS:
        return date(year, *_HOLIDAY_DAYS[name])
    if name.startswith("thanksgiving"):  # the fourth Thursday of November
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if name == "labor day":  # the first Monday of September (the American spelling: not May Day's Labour Day)
        first = date(year, 9, 1)
        return first + timedelta(days=(0 - first.weekday()) % 7)
    sunday = easter(year)
    return sunday + timedelta(days={"good friday": -2, "easter monday": 1}.get(name, 0))


def _pick(candidates: list[tuple[date, date, str]], ref: date, direction: str | None) -> str:
    """Of (first day, last day, value) candidates around ``ref``, the one ``direction`` means."""
    if direction == "last":
        return max((c for c in candidates if c[1] < ref), key=lambda c: c[0])[2]
    if direction == "next":
        return min((c for c in candidates if c[0] > ref), key=lambda c: c[0])[2]
    if direction in ("future", "present"):
        return min((c for c in candidates if c[1] >= ref), key=lambda c: c[0])[2]
    # past, or nothing said: the latest that had begun by the article's date
    return max((c for c in candidates if c[0] <= ref), key=lambda c: c[0])[2]


def _month_shift(y: int, m: int, step: int) -> tuple[int, int]:
    index = y * 12 + m - 1 + step
    return index // 12, index % 12 + 1


def _shift_value(expr: DateExpression, ref: date | None, previous: str | None) -> str | None:
    from explorer.model import date_bounds

    base: date | None
    precision = "day"
    if expr.anchor == "now" or (expr.anchor == "then-or-now" and previous is None):
        base = ref
    elif previous is not None:
        base, _, precision = date_bounds(previous)
    else:
        base = None
    if base is None:
        return None
    step, unit = expr.offset or 0, expr.unit
    if unit == "year":
        return _fmt(base.year + step)
    if unit == "month":
        if precision in ("year", "span") and expr.anchor != "now":
            return None
        return _fmt(*_month_shift(base.year, base.month, step))
    if precision != "day" and expr.anchor != "now":
        return None  # "two days later" needs a day to count from
    return (base + timedelta(days=step * (7 if unit == "week" else 1))).isoformat()


def resolve(expr: DateExpression, context: DateContext, previous: str | None = None) -> str | None:
    """The ISO 8601 value of ``expr``, or ``None`` when the text does not determine it.

    ``previous`` is the value of the date the text mentioned last, for "a year later".
    """
    ref = context.reference
    kind = expr.kind
    tense = expr.tense
    if kind == "year":
        if expr.weak and ref is not None and not 1900 <= expr.year <= ref.year + 30:  # type: ignore[operator]
            return None
        if expr.weak and ref is None and not 1900 <= expr.year <= 2100:  # type: ignore[operator]
            return None
        return _fmt(expr.year)  # type: ignore[arg-type]
    if kind == "years":
        return f"{_fmt(expr.year)}/{_fmt(expr.year2)}"  # type: ignore[arg-type]
    if kind == "months" or (kind == "quarter" and expr.year is not None):
        return f"{_fmt(expr.year, expr.month)}/{_fmt(expr.year, expr.month2)}"  # type: ignore[arg-type]
    if kind == "month" and expr.year is not None:
        return _fmt(expr.year, expr.month)
    if kind in ("day", "span") and expr.year is not None:
        if kind == "span":
            return f"{_fmt(expr.year, expr.month, expr.day)}/{_fmt(expr.year, expr.month2, expr.day2)}"
        return _fmt(expr.year, expr.month, expr.day)
    if kind == "season" and expr.year is not None:
        return f"{expr.year:04d}-{expr.season}"
    if kind == "holiday" and expr.year is not None:
        return holiday_date(expr.unit, expr.year).isoformat()  # type: ignore[arg-type]
    if kind == "shift" and expr.anchor != "now":
        return _shift_value(expr, ref, previous)
    if ref is None:
        return None
    if kind in ("day", "span"):
        y = _nearest_year(ref, expr.month, expr.day, expr.direction)  # type: ignore[arg-type]
        # A day is near the article's date; only a clear tense moves it across the year when
        # the nearest reading lies well on the other side ("will succeed him Feb. 1" in October).
        gap = (date(y, expr.month, min(expr.day, 28)) - ref).days  # type: ignore[arg-type]
        if tense == "future" and gap < -60:
            y += 1
        elif tense == "past" and gap > 60:
            y -= 1
        if not _valid(y, expr.month, expr.day):  # type: ignore[arg-type]
            return None
        if kind == "span":
            return f"{_fmt(y, expr.month, expr.day)}/{_fmt(y, expr.month2, expr.day2)}"
        return _fmt(y, expr.month, expr.day)
    if kind == "month":
        direction = expr.direction
        if direction == "this":
            return _fmt(ref.year + (expr.offset or 0), expr.month)
        if direction in ("last", "next"):
            day = 1 if direction == "next" else 28
            return _fmt(_nearest_year(ref, expr.month, day, direction), expr.month)  # type: ignore[arg-type]
        if tense == "future" and expr.month < ref.month - 2:  # type: ignore[operator]
            return _fmt(ref.year + 1, expr.month)  # "a meeting in January" said in October
        if tense == "future" and expr.month > ref.month + 2:  # type: ignore[operator]
            return _fmt(ref.year, expr.month)  # "a mission in December" said in March
        if tense == "past" and expr.month > ref.month + 1:  # type: ignore[operator]
            return _fmt(ref.year - 1, expr.month)  # "changed its fiscal year in December" said in October
        # Nothing said: "in April" said in December is this year's April; "in November" said in
        # January is last year's; a month or two ahead is this year's.
        if expr.month > ref.month + 2:  # type: ignore[operator]
            return _fmt(ref.year - 1, expr.month)
        return _fmt(ref.year, expr.month)
    if kind == "season":
        if expr.direction == "this":
            return f"{ref.year:04d}-{expr.season}"
        start_month = _SEASON_START[expr.season]  # type: ignore[index]
        candidates = []
        for y in (ref.year - 2, ref.year - 1, ref.year, ref.year + 1):
            first = date(y, start_month, 1)
            last_y, last_m = _month_shift(y, start_month, 3)
            candidates.append((first, date(last_y, last_m, 1) - timedelta(days=1), f"{y:04d}-{expr.season}"))
        return _pick(candidates, ref, expr.direction or tense)
    if kind == "quarter":
        if expr.offset is not None:
            return f"{_fmt(ref.year + expr.offset, expr.month)}/{_fmt(ref.year + expr.offset, expr.month2)}"
        candidates = []
        for y in (ref.year - 1, ref.year, ref.year + 1):
            last_y, last_m = _month_shift(y, expr.month2, 1)  # type: ignore[arg-type]
            candidates.append((date(y, expr.month, 1), date(last_y, last_m, 1) - timedelta(days=1),  # type: ignore[arg-type]
                               f"{_fmt(y, expr.month)}/{_fmt(y, expr.month2)}"))
        # Not the tense: "expects to report third-quarter results" speaks of a quarter just ended.
        return _pick(candidates, ref, expr.direction if expr.direction != "this" else None)
    if kind == "yearend":
        if expr.unit == "month":
            return _fmt(ref.year, ref.month)
        return _fmt(ref.year - 1 if expr.direction == "since" else ref.year)
    if kind == "holiday":
        candidates = [(d, d, d.isoformat()) for d in (holiday_date(expr.unit, y) for y in  # type: ignore[arg-type]
                                                      (ref.year - 1, ref.year, ref.year + 1))]
        if expr.direction == "this":
            return holiday_date(expr.unit, ref.year).isoformat()  # type: ignore[arg-type]
        return _pick(candidates, ref, expr.direction or tense)
    if kind == "shift":
        return _shift_value(expr, ref, previous)
    if not context.exact and (kind in ("weekday", "weekend") or (kind == "relative" and expr.unit in ("day", "week"))):
        return None
    if kind == "weekday":
        delta = expr.weekday - ref.weekday()  # type: ignore[operator]
        if expr.direction == "last":
            delta = -((-delta) % 7 or 7)
        elif expr.direction == "next":
            delta = delta % 7 or 7
        elif tense in ("future", "present"):
            delta %= 7
        else:
            delta = -((-delta) % 7)
        return (ref + timedelta(days=delta)).isoformat()
    if kind == "weekend":
        saturday = ref + timedelta(days=5 - ref.weekday())  # this week's
        if expr.direction == "last" or (expr.direction is None and tense not in ("future", "present")
                                        and ref.weekday() < 5):
            saturday -= timedelta(weeks=1)
        elif expr.direction == "next":
            saturday += timedelta(weeks=1)
        return f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}"
    if kind == "relative":
        if expr.unit == "day":
            return (ref + timedelta(days=int(expr.direction))).isoformat()  # type: ignore[arg-type]
        step = {"last": -1, "next": 1, "this": 0}[expr.direction]  # type: ignore[index]
        if expr.unit == "month":
            return _fmt(*_month_shift(ref.year, ref.month, step))
        if expr.unit == "year":
            return _fmt(ref.year + step)
        if expr.unit == "week":
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
            return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    return None


# Kinds whose value depends on which way the sentence looks (ahead of the article's date or behind it).
DIRECTED = frozenset({"day", "span", "month", "season", "weekday", "weekend", "holiday"})


def needs_tense(expr: DateExpression, ref: date) -> bool:
    """Whether the tense of its sentence could change the value of ``expr`` (reading it costs time)."""
    if expr.kind not in DIRECTED or expr.year is not None or expr.weak or expr.direction is not None:
        return False
    if expr.kind == "month":
        # Near the article's month the nearest reading stands whatever the tense.
        return not ref.month - 2 <= expr.month <= ref.month + 1  # type: ignore[operator]
    if expr.kind in ("day", "span"):
        gap = (date(_nearest_year(ref, expr.month, expr.day), expr.month, min(expr.day, 28)) - ref).days  # type: ignore[arg-type]
        return abs(gap) > 60
    return True


def last_day_of(value: str) -> date:
    """The last day an ISO value covers."""
    from explorer.model import date_bounds

    return date_bounds(value)[1]
