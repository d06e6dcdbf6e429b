"""Date lines of a page: the days a line states, and what the line says about them.

Pages write their dates in many ways ("Thursday, November 9, 2023 4:41AM",
"08:44, 3 NOV 2023", "12/04/2020 by Kay", "22:57 GMT 28.04.2020(updated ...)",
"By Ela on 31. October, 2023", "Mar 28, 2016·3 min read"). ``dates_in`` finds
every complete day in a line, case-insensitively and glued to its neighbours;
``read_date_line`` says whether the line is a date line (the date and little
else: times, labels, a byline, separators) and how each date is labelled:
published, updated, or a stamp of the page itself ("Printed on", "Accessed").

A numeric day is ambiguous ("08/11/2023"); a page writes all its dates one way,
so the page's other dates decide (``settle_order``): a day above 12 in either
place, or the order of its written-out dates ("3 November" or "November 3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ENGLISH_MONTHS = (
    "january february march april may june july august september october november december".split()  # noqa: SIM905
)
# Month names of the languages most pages are written in besides English ("mardi 5 juin 2018").
_OTHER_MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for number, name in enumerate(_ENGLISH_MONTHS, start=1):
        names[name] = number
        names[name[:3]] = number
    names["sept"] = 9
    for months in _OTHER_MONTHS.values():
        for number, name in enumerate(months.split(), start=1):
            names.setdefault(name, number)
    names.update({"jänner": 1, "fevrier": 2, "aout": 8, "decembre": 12, "maerz": 3, "setiembre": 9})
    return names


_MONTHS = _month_names()
# Any word in a month's place; it is looked up in _MONTHS after the match (a long alternation of
# every month name in seven languages would make the pattern many times slower).
_MONTH = r"[^\W\d_]{3,10}"
# A month name starts a word, or is glued to one ("DambrotNovember 6, 2023").
_MONTH_START = r"(?:(?<![^\W\d_])|(?<=[a-z])(?=[A-Z]))"
_ORD = r"(?i:st|nd|rd|th)?"
_YEAR4 = r"(?:19\d\d|20\d\d)"
# A year ends at a non-digit, or runs into a clock time ("November 9, 20235:01 AM ET").
_YEAR_END = r"(?:(?!\d)|(?=\d{1,2}:\d\d))"
_DATE = re.compile(
    rf"""
    (?P<iso>(?<!\d)(?P<iy>{_YEAR4})(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)(?!\d))
  | (?P<num>(?<![\d.])(?P<na>[0-3]?\d)(?P<nsep>[/.\-])(?P<nb>[0-3]?\d)(?P=nsep)(?P<ny>{_YEAR4}|\d\d)(?![\d/]))
  | (?P<md>{_MONTH_START}(?P<mdm>{_MONTH})(?![^\W\d_])\.?[ \t]?(?P<mdd>[0-3]?\d){_ORD}(?!\d)(?:,[ \t]?|[ \t]|,?[ \t]at[ \t])(?P<mdy>{_YEAR4}){_YEAR_END})
  | (?P<dm>(?<!\d)(?P<dmd>[0-3]?\d){_ORD}\.?[ \t]?(?i:(?:of|de)[ \t])?(?P<dmm>{_MONTH})(?![^\W\d_])\.?,?[ \t]?(?i:de[ \t])?(?P<dmy>{_YEAR4}){_YEAR_END})
    """,
    re.VERBOSE,
)


@dataclass(slots=True)
class FoundDate:
    start: int
    end: int
    year: int
    month: int
    day: int
    ambiguous: bool = False  # a numeric day that could be read either way (08/11/2023), read month first
    order: str = ""  # "dm" or "md": the order this date shows (written out, or a day above 12); "" unknown

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _month_number(name: str) -> int:
    return _MONTHS.get(name.lower(), 0)


# Every complete day has a four-digit year or is numeric with a two-digit one: the scan starts there.
_YEAR_HINT = re.compile(r"(?<!\d)(?:19|20)\d\d|\d[/.]\d{1,2}[/.]\d\d(?!\d)")
# How far before its year a date may start ("Wednesday, 29th of September 2021" is the longest kind).
_BEFORE_YEAR = 40


def _matches(text: str) -> list[re.Match[str]]:
    """The date pattern's matches, looked for only around the years of ``text`` (most of a line has none)."""
    matches: list[re.Match[str]] = []
    end = 0
    for hint in _YEAR_HINT.finditer(text):
        if hint.end() <= end:
            continue
        window_end = min(len(text), hint.end() + 12)
        for m in _DATE.finditer(text, max(end, hint.start() - _BEFORE_YEAR), window_end):
            if m.end() >= hint.end() or m.start() == hint.start():
                matches.append(m)
                end = m.end()
    return matches


def dates_in(text: str) -> list[FoundDate]:
    """Every complete day in ``text`` (year, month and day), in order; 08/11/2023 read month first."""
    found: list[FoundDate] = []
    for m in _matches(text):
        g = m.group
        if g("iso"):
            y, mo, d = int(g("iy")), int(g("im")), int(g("id"))
            if _valid(y, mo, d):
                found.append(FoundDate(m.start(), m.end(), y, mo, d))
        elif g("num"):
            a, b, ytext = int(g("na")), int(g("nb")), g("ny")
            if len(ytext) == 2:
                if g("nsep") == "-":
                    continue  # "12-10-20" is as often a code as a date
                y = 2000 + int(ytext) if int(ytext) < 50 else 1900 + int(ytext)
            else:
                y = int(ytext)
            ambiguous, order = a <= 12 and b <= 12 and a != b, ""
            if g("nsep") == "." and _valid(y, b, a):
                mo, d, ambiguous = b, a, False  # dotted days are day.month.year
            elif a > 12:
                mo, d, order = b, a, "dm"
            else:
                mo, d, order = a, b, ("md" if b > 12 else "")
            if _valid(y, mo, d):
                found.append(FoundDate(m.start(), m.end(), y, mo, d, ambiguous, order))
        elif g("md"):
            y, mo, d = int(g("mdy")), _month_number(g("mdm")), int(g("mdd"))
            if mo and _valid(y, mo, d):
                found.append(FoundDate(m.start(), m.end(), y, mo, d, order="md"))
        elif g("dm"):
            y, mo, d = int(g("dmy")), _month_number(g("dmm")), int(g("dmd"))
            if mo and _valid(y, mo, d):
                found.append(FoundDate(m.start(), m.end(), y, mo, d, order="dm"))
    return found


_ENGLISH_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_MONTH_DAY = re.compile(rf"\b{_ENGLISH_MONTH}\s[0-3]?\d(?:st|nd|rd|th)?\b(?![:.]\d)")
_DAY_MONTH = re.compile(rf"\b[0-3]?\d(?:st|nd|rd|th)?\s(?:of\s)?{_ENGLISH_MONTH}(?![a-z])")


_DAY_FIRST_CLOCK = re.compile(r"(?<![\d:.])(?:1[3-9]|2[0-3]):[0-5]\d(?!\d)|(?<![\d:.])\d{1,2}\.[0-5]\d\s?[ap]m\b")
_TWELVE_HOUR_CLOCK = re.compile(r"(?<![\d:.])(?:0?[1-9]|1[0-2]):[0-5]\d\s?(?:[AaPp]\.?[Mm]\b)")


def settle_order(found: list[FoundDate], text: str) -> None:
    """Read the page's ambiguous numeric days the way the page writes its other dates.

    The evidence, strongest first: the page's complete dates (a day above 12, or
    a written-out month: "3 November 2023" or "November 3, 2023"), then how its
    prose writes days ("on 7 November" or "on November 7").
    """
    if not any(f.ambiguous for f in found):
        return
    day_first = sum(1 for f in found if f.order == "dm")
    month_first = sum(1 for f in found if f.order == "md")
    if day_first == month_first:
        day_first, month_first = len(_DAY_MONTH.findall(text)), len(_MONTH_DAY.findall(text))
    if day_first == month_first:
        # Last, the clock: month-first pages (the United States) write "10:46 PM", not "20:26" or "9.45pm".
        day_first, month_first = len(_DAY_FIRST_CLOCK.findall(text)), len(_TWELVE_HOUR_CLOCK.findall(text))
    if day_first <= month_first:
        return
    for f in found:
        if f.ambiguous and _valid(f.year, f.day, f.month):
            f.month, f.day, f.ambiguous = f.day, f.month, False


# ------------------------------------------------------------------ what a date line says

# Words that label a date: its kind is the nearest label before it on its line.
_LABELS = re.compile(
    r"(?i:\b(?P<stamp>printed|accessed|retrieved|captured|archived|downloaded|generated|viewed|as\sof|wayback|"
    r"(?:last\s)?modified|"
    r"today(?:'s\sdate)?\sis|current\sdate)\b"
    r"|\b(?P<updated>(?:last\s)?updated|edited|revised|amended|reviewed|fact[\s-]checked|"
    r"changed)\b"
    r"|\b(?P<published>published|posted|created|first\spublished|released|issued|written|dated|date)\b)"
)
# What else a date line may hold: times, zones, weekdays, reading times, counts, separators.
_FILLER_WORDS = frozenset(
    """published posted updated last first date dated on at in by from am pm a.m. p.m. a.m p.m et est edt cst cdt
    mst mdt pst pdt gmt bst utc cet cest ist kst jst sgt hkt aest aedt myt wib ict pht sast eat wat ast hst akst
    mon tue tues wed thu thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday
    min mins minute minutes read hour hours ago day days week weeks month months year years time
    created modified edited revised comment comments add leave reply view share shares reading
    originally and of the""".split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[^\W\d_][\w.'\u2019]*|\d+")
_TIME = re.compile(r"(?i)\b\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?|\b\d{1,2}\s?[ap]\.?m\.?(?![a-z])")


@dataclass(slots=True)
class DateOnLine:
    found: FoundDate
    label: str  # published | updated | stamp | "" (none)
    extra_words: int  # words in the date's part of the line that are neither dates nor date-line filler


@dataclass(slots=True)
class DateLine:
    dates: list[DateOnLine]
    has_time: bool

    def best(self) -> DateOnLine | None:
        """The line's publication date: a published one, else an unlabelled one, else an update."""
        for wanted in ("published", "", "updated"):
            for item in self.dates:
                if item.label == wanted:
                    return item
        return None


# A masthead's weather: the date beside it is today's, not the article's.
_WEATHER = re.compile(r"\d\s?\u00b0|(?i:\bforecast\b|\bweather\b)")


def labels_in(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.lastgroup or "") for m in _LABELS.finditer(text)]


# Where one field of a packed line ends: "By Ela on 31. October, 2023 | 18 Comments. This post may ...".
_FIELD_BREAK = re.compile(r"\s[|\u2022\u00b7/\u2014\u2013]\s|\||(?<=[a-z]{2}[.!?])\s+(?=[A-Z])|(?<=\d[.!?])\s+(?=[A-Z])")


def _extra_words(text: str) -> int:
    text = _TIME.sub(" ", text)
    return sum(1 for t in _TOKEN.findall(text) if t.lower().strip(".") not in _FILLER_WORDS and not t.isdigit())


def read_date_line(text: str, found: list[FoundDate]) -> DateLine | None:
    """The dates ``found`` in ``text``, each with its label and how much else its part of the line says."""
    if not found:
        return None
    labels = labels_in(text)
    if _WEATHER.search(text):
        labels = [(-1, "stamp")]
    spans = [(f.start, f.end) for f in found]
    breaks = [m.start() for m in _FIELD_BREAK.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    # A label opens its field ("Published: ...", "Crime Published On ..."); one inside a sentence
    # ("Mercurial 5.2 was released on November 5, 2019") labels nothing.
    labels = [
        (pos, kind) for pos, kind in labels
        if pos < 0 or kind == "stamp" or _extra_words(text[max([b for b in breaks if b < pos], default=0) : pos]) <= 1
    ]
    dates: list[DateOnLine] = []
    previous_end = 0
    for item in found:
        label = ""
        for pos, kind in labels:
            if pos < 0 or previous_end <= pos < item.start or (not label and pos < item.start):
                label = kind
        field_start = max([b for b in breaks if b < item.start], default=0)
        field_end = min([b for b in breaks if b >= item.end], default=len(text))
        rest = text[field_start : item.start] + " " + text[item.end : field_end]
        for other in found:  # other dates in the same field ("Posted: ... / Updated: ...")
            if other is not item and field_start <= other.start and other.end <= field_end:
                rest = rest.replace(text[other.start : other.end], " ")
        dates.append(DateOnLine(item, label, _extra_words(rest)))
        previous_end = item.end
    return DateLine(dates, bool(_TIME.search(text)))


_TRAILING_ON = re.compile(r"(?i)\s+on$")


def label_line(text: str) -> str | None:
    """A line that is only a date label ("Published", "Posted on:"), whose date is on the next line."""
    stripped = text.strip().rstrip(":").strip()
    if not stripped or len(stripped) > 30:
        return None
    m = _LABELS.fullmatch(stripped) or _LABELS.fullmatch(_TRAILING_ON.sub("", stripped))
    return m.lastgroup if m else None
