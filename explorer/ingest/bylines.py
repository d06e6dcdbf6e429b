"""Bylines: who wrote the article, read from one line of a page.

The shapes pages use: "By Stephen Kaufman", "By: Jane Roe", glued "ByAlex Bozarjian",
"Written by Ana Sandoiu on July 27, 2017", "Posted on September 21, 2020 by Adi Tzlil",
"October 19, 2019 by IWB", "By Amelie Marie Nishizawa Feb 8, 2020 5 min read",
"By Eric Levitz@EricLevitz", "By Glen Owen And Brendan Carlin For The Mail On Sunday",
"By Julia Sulek | jsulek@example.com | Bay Area News Group", "Words by Robin Eveleigh".
A bare name line counts too where the page layout puts a byline there: "Peter Crail",
"Sarah Hinger, Staff Attorney, ACLU Racial Justice Program", "Marwan H. Adwan1",
"Ibtisam Mahdi, Ruwaida Kamal Amer", "Marla MillingContributor".

The names are returned as the text writes them (each one a substring of the line),
so extraction can find them again; several authors are joined with " and ".
"""

from __future__ import annotations

import re
from functools import lru_cache

from explorer.ingest.wordlists import EXTRACT_DATA, word_list

# "By", "Written by", "Posted by", "Words by", "Story by", "Author:", "by:" ... then the names.
_BY_WORDS = r"(?:[Ww]ritten|[Pp]osted|[Ww]ords|[Ss]tory|[Rr]eporting|[Tt]ext|[Pp]ublished|[Cc]ompiled|[Ee]dited|[Aa]rticle)"
# "By" opens the line, or follows a date, a time or a separator ("October 19, 2019 by IWB",
# "12/04/2020 by Kay", "Posted on September 21, 2020 by Adi Tzlil", "---- by Kenneth Surin");
# never mid-sentence ("Management of Forestlands by Indigenous Peoples").
_BY = re.compile(
    rf"^(?:{_BY_WORDS}\s+)?(?:[Bb]y|BY)(?::\s*|\s+|(?=[A-Z][a-z]))"
    rf"|(?:(?<=\d\s)|(?<=[AaPp][Mm]\s)|(?<=[|\u2022\u00b7\-\u2013\u2014(,:]\s)|(?<=[|\u2022\u00b7\-\u2013\u2014(]))"
    rf"(?:{_BY_WORDS}\s+)?(?:[Bb]y|BY)(?::\s*|\s+)"
    r"|^(?:[Aa]uthors?|AUTHORS?|[Ww]ith)\s*[:\-\u2013]?\s+"
)
_PARTICLES = frozenset(
    "van von der den de del della di da dos du la le al el bin ibn y st. st ter ten zu".split()  # noqa: SIM905
)
_ROLE_WORDS = frozenset(
    """reporter editor writer correspondent contributor columnist staff senior chief political attorney
    director producer journalist author photographer analyst professor phd md managing deputy
    associate assistant executive contributing special national international foreign business
    health science sports political news digital investigations investigative freelance guest
    intern fellow researcher lecturer founder ceo president manager head""".split()  # noqa: SIM905
)
_NAME_TOKEN = re.compile(
    r"(?:[A-Z\u00c0-\u00de][\w'\u2019\-]*\.?|[A-Z]\.(?:[A-Z]\.)*|Mc[A-Z][a-z]+|O['\u2019][A-Z][a-z]+)$"
)
_MONTHISH = re.compile(
    r"(?i)^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?|updated|published|posted|on|at|in|last|and|&|for|from|the|of)\.?,?$"
)
# A lower-case letter glued to a capital: "MillingContributor", "DambrotNovember", "Earley15:35".
_GLUE = re.compile(r"(?<=[a-z\u00df-\u00ff]{4})(?=[A-Z0-9])")


_HONORIFICS = frozenset(["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Prof", "Prof.", "Sir", "Dame"])


_FOOTNOTE = re.compile(r"(?<=[a-z])[\d*\u2020\u2021\u00b9\u00b2\u00b3]+$")
_NAME_SEPARATOR = re.compile(r"\s*(?:(?P<comma>,)\s*(?:(?:and|&)\s+)?|\s(?:and|And|AND|&)\s+|&\s*)")
_INITIAL = re.compile(r"[A-Z]\.")
_LEADING_AND = re.compile(r"^(?:&|and)\s+")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_NAME_LIST = re.compile(r"\s*(?:,|;|\||\u2022|\s(?:and|&)\s)\s*")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(word_list(EXTRACT_DATA / "given_names.txt"))


@lru_cache(maxsize=1)
def _capitalised_stopwords() -> frozenset[str]:
    return frozenset(word.lower() for word in word_list(EXTRACT_DATA / "stopwords.txt"))


def _unglue(token: str) -> str:
    """The name part of a token glued to what follows it ("MillingContributor" -> "Milling")."""
    m = _GLUE.search(token)
    return token[: m.start()] if m else token


def _is_name_token(token: str) -> bool:
    if token.lower() in _PARTICLES:
        return True
    if token.endswith(("'s", "\u2019s")):
        return False  # a possessive: "Fred Fiedler's Contingency Model" is no name
    if not _NAME_TOKEN.match(token) or _MONTHISH.match(token):
        return False
    return token.lower().strip(".") not in _ROLE_WORDS


def leading_name(text: str, *, single: bool = True) -> str | None:
    """The person's name at the start of ``text``: "Luke Kemp" of "Luke Kemp 11 February 2020"."""
    tokens = text.split()
    kept: list[str] = []
    for raw in tokens[:6]:
        token = raw
        glued = _unglue(token)
        cut = glued != token
        token = glued.rstrip(",;:|")
        stop = cut or token != glued or raw.endswith(",")
        handle = token.find("@")
        if handle > 0:
            token, stop = token[:handle], True
        token = _FOOTNOTE.sub("", token)  # footnote marks
        if not token or not _is_name_token(token):
            break
        kept.append(token)
        if stop:
            break
    while kept and kept[-1].lower() in _PARTICLES:
        kept.pop()
    if not kept or (len(kept) == 1 and not single):
        return None
    if len(kept) > 4:
        return None
    name = " ".join(kept)
    if name.lower() in _capitalised_stopwords():
        return None
    return name


def _names_after(text: str) -> list[str]:
    """Names after a "By", separated by "and", "&" or commas; a comma only joins another full name
    ("By Alex Duran, AMP Project Marketing" names one person). Stops at the first thing that is no name."""
    names: list[str] = []
    rest = text
    strict = False
    while rest:
        name = _strict_name(rest.split(",")[0].strip()) if strict else leading_name(rest)
        if not name:
            break
        at = rest.find(name)
        if at < 0:
            break
        names.append(name)
        rest = rest[at + len(name) :]
        m = _NAME_SEPARATOR.match(rest)
        if not m:
            break
        strict = bool(m.group("comma"))
        rest = rest[m.end() :]
    return names


_BY_HINT = re.compile(r"[Bb][Yy]|[Aa]uthor|AUTHOR|[Ww]ith")


def byline_names(text: str) -> list[str]:
    """The authors a "By" line names, as the line writes them; [] if it is no byline."""
    stripped = text.strip().lstrip("-\u2013\u2014 ")
    if len(stripped) > 200 or not _BY_HINT.search(stripped):
        return []
    for m in _BY.finditer(stripped):
        if m.start() and len(stripped[: m.start()].split()) > 6:
            continue  # "by" after a date in a sentence ("launched on Sept. 27 by Armenia"), not a byline
        names = _names_after(stripped[m.end() :])
        if names:
            return names
    return []


_ABOUT_AUTHOR = re.compile(r"(?i)^(?:about|more\sabout|meet)\s+the\s+author\s*[:\-\u2013\u2014|]?\s*")


def about_author_names(text: str) -> list[str]:
    """The author an author's box names: "About the Author - Florina Ionescu"."""
    m = _ABOUT_AUTHOR.match(text.strip())
    if not m:
        return []
    name = leading_name(text.strip()[m.end() :], single=False)
    return [name] if name else []


def is_lone_by(text: str) -> bool:
    """A line that is only "By" (the name follows on the next line)."""
    return text.strip().rstrip(":").strip() in ("By", "by", "BY", "Written by", "Author", "Authors")


def name_line(text: str) -> list[str]:
    """The names of a line that is only names (with roles, handles or footnote marks); [] otherwise.

    "Peter Crail", "Ronda Hauben (netizen2)", "Sarah Hinger, Staff Attorney, ACLU",
    "& Sylvia Torres-Guillen, Director", "Ibtisam Mahdi, Ruwaida Kamal Amer".
    Each name needs two to four words and a known given name first (or an initial),
    so that "Energy Aid Consortium Closes" is not a person.
    """
    s = text.strip()
    if not s or len(s) > 160:
        return []
    first = s.split(None, 1)[0]
    if first not in ("&", "and") and first not in _HONORIFICS and first not in given_names() and \
            not _INITIAL.fullmatch(first):
        return []  # every name here starts with a given name, an initial or an honorific
    s = _LEADING_AND.sub("", s)
    s = _PARENTHESES.sub("", s)  # "(netizen2)", "(@handle)"
    names: list[str] = []
    for part in _NAME_LIST.split(s):
        name = _strict_name(part)
        if name is None:
            break
        names.append(name)
    return names


def _strict_name(part: str) -> str | None:
    tokens = part.split()
    if not 2 <= len(tokens) <= 4:
        return None
    name = leading_name(part, single=False)
    if name is None:
        return None
    kept = name.split()
    if len(kept) != len(tokens):  # the whole part is the name (a role glued to it is cut off)
        return None
    first = kept[0]
    if first in _HONORIFICS and len(kept) >= 2:
        return name  # "Mrs H Pyke", "Dr. Jane Roe"
    if first not in given_names() and not _INITIAL.fullmatch(first):
        return None
    if first.isupper() and len(first) > 1:
        return None  # "NEWS FROM" is a shout, not a name
    return name


def has_role(text: str) -> bool:
    """A line naming a job: "Staff Writer", "Political Editor", "AP Entertainment Writer"."""
    return any(w.lower().strip(".,") in _ROLE_WORDS for w in text.split())


def join_names(names: list[str]) -> str:
    return " and ".join(names)
