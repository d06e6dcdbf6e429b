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

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A month name starts a word, or is glued to one ("DambrotNovember 6, 2023").
_MONTH_START = r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"
_ORD = r"(?i:st|nd|rd|th)?"
_YEAR4 = r"(?:19\d\d|20\d\d)"
_DATE = re.compile(
    rf"""
    (?P<iso>(?<!\d)(?P<iy>{_YEAR4})(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)(?!\d))
  | (?P<num>(?<![\d.])(?P<na>[0-3]?\d)(?P<nsep>[/.\-])(?P<nb>[0-3]?\d)(?P=nsep)(?P<ny>{_YEAR4}|\d\d)(?![\d/]))
  | (?P<md>{_MONTH_START}(?P<mdm>{_MONTH})\.?[ \t]?(?P<mdd>[0-3]?\d){_ORD}(?!\d)(?:,[ \t]?|[ \t]|,?[ \t]at[ \t])(?P<mdy>{_YEAR4})(?!\d))
  | (?P<dm>(?<!\d)(?P<dmd>[0-3]?\d){_ORD}\.?[ \t]?(?i:of[ \t])?(?P<dmm>{_MONTH})\.?,?[ \t]?(?P<dmy>{_YEAR4})(?!\d))
    """,
    re.VERBOSE,
)
_NUMERIC_HINT = re.compile(r"\d\s?[/.\-]\s?\d|[A-Za-z]{3}")


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
    return _MONTHS[name[:3].lower()]


def dates_in(text: str) -> list[FoundDate]:
    """Every complete day in ``text`` (year, month and day), in order; 08/11/2023 read month first."""
    if not any(c.isdigit() for c in text):
        return []
    found: list[FoundDate] = []
    for m in _DATE.finditer(text):
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
            if _valid(y, mo, d):
                found.append(FoundDate(m.start(), m.end(), y, mo, d, order="md"))
        elif g("dm"):
            y, mo, d = int(g("dmy")), _month_number(g("dmm")), int(g("dmd"))
            if _valid(y, mo, d):
                found.append(FoundDate(m.start(), m.end(), y, mo, d, order="dm"))
    return found


def settle_order(found: list[FoundDate]) -> None:
    """Read the page's ambiguous numeric days in the order its other dates show (day first or month first)."""
    day_first = sum(1 for f in found if f.order == "dm")
    month_first = sum(1 for f in found if f.order == "md")
    if day_first <= month_first:
        return
    for f in found:
        if f.ambiguous and _valid(f.year, f.day, f.month):
            f.month, f.day, f.ambiguous = f.day, f.month, False


# ------------------------------------------------------------------ what a date line says

# Words that label a date: its kind is the nearest label before it on its line.
_LABELS = re.compile(
    r"(?i:\b(?P<stamp>printed|accessed|retrieved|captured|archived|downloaded|generated|viewed|as\sof|"
    r"today(?:'s\sdate)?\sis|current\sdate|forecast|weather)\b|(?<=\d)\s?\u00b0"
    r"|\b(?P<updated>(?:last\s)?updated|(?:last\s)?modified|edited|revised|amended|reviewed|fact[\s-]checked|"
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


@dataclass(slots=True)
class DateLine:
    dates: list[DateOnLine]
    extra_words: int  # words on the line that are neither the dates nor date-line filler
    has_time: bool
    label_only: bool = False  # the whole line is a label ("Published"): the date is on the next line

    def best(self) -> DateOnLine | None:
        """The line's publication date: a published one, else an unlabelled one, else an update."""
        for wanted in ("published", "", "updated"):
            for item in self.dates:
                if item.label == wanted:
                    return item
        return None


def labels_in(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.lastgroup or "") for m in _LABELS.finditer(text)]


def read_date_line(text: str, found: list[FoundDate]) -> DateLine | None:
    """The dates ``found`` in ``text`` with their labels and how much else the line says."""
    if not found:
        return None
    labels = labels_in(text)
    dates: list[DateOnLine] = []
    previous_end = 0
    for item in found:
        label = ""
        for pos, kind in labels:
            if previous_end <= pos < item.start or (not label and pos < item.start):
                label = kind
        dates.append(DateOnLine(item, label))
        previous_end = item.end
    rest_parts: list[str] = []
    cursor = 0
    for item in found:
        rest_parts.append(text[cursor : item.start])
        cursor = item.end
    rest_parts.append(text[cursor:])
    rest = " ".join(rest_parts)
    has_time = bool(_TIME.search(rest))
    rest = _TIME.sub(" ", rest)
    extra = sum(1 for t in _TOKEN.findall(rest) if t.lower().strip(".") not in _FILLER_WORDS and not t.isdigit())
    return DateLine(dates, extra, has_time)


def label_line(text: str) -> str | None:
    """A line that is only a date label ("Published", "Posted on:"), whose date is on the next line."""
    stripped = text.strip().rstrip(":").strip()
    if not stripped or len(stripped) > 30:
        return None
    m = _LABELS.fullmatch(stripped) or _LABELS.fullmatch(re.sub(r"(?i)\s+on$", "", stripped))
    return m.lastgroup if m else None
