"""A small trained tagger for the names in capitalised runs of words.

The rules find the runs where names can be ("Sheffield Wednesday", "Foreign Minister
Tritan Shehu of Albania", "ROMANIA BEAT LITHUANIA"); the tagger labels each word of a
run B-/I- person, organisation, place or other name (O: not a name), from the word, its
shape, its neighbours and the gazetteers. It is a linear model
(averaged perceptron) trained by ``tools/train_entities.py`` on CoNLL-2003's training
file; its weights are ``data/tagger.npz``. Scoring is one gather-and-sum in numpy for a
whole document; names are then read off the scores (where they begin and end, then their
kind), so the cost is a few microseconds per capitalised word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explorer.extract.gazetteer import Gazetteers

DATA = Path(__file__).resolve().parent / "data"
MODEL = DATA / "tagger.npz"

KINDS = ("person", "organization", "place", "misc")
LABELS = ("O",) + tuple(f"{p}-{k}" for k in KINDS for p in ("B", "I"))
LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
N_LABELS = len(LABELS)

# A word that can be part of a name: "U.S.", "J.", "Gen.", "O'Neill", "KwaZulu-Natal", "AT&T".
_CAP = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\w'\-&]*\w\.?|[A-Z]\.?)"
_LINK = r"(?:of|for|and|&|de|del|della|di|da|du|des|la|le|van|von|der|den|bin|al|el|the|on|y)"
RUN = re.compile(rf"{_CAP}(?:[ ](?:{_LINK}[ ])*{_CAP})*")
LINKS = frozenset(_LINK[3:-1].split("|"))
_WORD_AROUND = re.compile(r"[\w'&]+(?:[\-.][\w'&]+)*|[^\w\s]")
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cmdr", "adm", "amb", "dept", "corp", "inc", "co", "ltd", "prof", "rev", "mt", "ft", "no", "bros", "plc", "ave", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
MAX_RUN = 24  # a longer run is tagged in pieces of at most this many words
LONGEST_RUN = 40  # and one longer than this is a list or a shouted paragraph, not names (as in the rules)


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    link: bool  # a lower-case linking word ("of", "de") inside a run


def _split_run(text: str, view: str, start: int, end: int, atoms: bytearray) -> list[list[Word]]:
    """The words of one run, cut at line breaks, possessives and sentence ends (never inside
    a known name of several words: "Democratic People's Republic of Korea")."""
    segment = view[start:end]
    lines = text.find("\n", start, end) != -1
    if not lines and "." not in segment and "'" not in segment:
        # no line break, full stop or apostrophe: nothing to cut, the words as they are (the commonest run)
        group: list[Word] = []
        at = start
        for piece in segment.split(" "):
            group.append(Word(at, at + len(piece), piece, piece in LINKS))
            at += len(piece) + 1
        return _pieces([group])
    groups: list[list[Word]] = [[]]
    w_end = start - 1
    for piece in segment.split(" "):  # a run's words are one space apart
        w_start = w_end + 1
        w_end = piece_end = w_start + len(piece)
        word = piece
        current = groups[-1]
        if lines and current and text.find("\n", current[-1].end, w_start) != -1 and _header_line_break(text, current[-1].end, w_start):
            groups.append([])
            current = groups[-1]
        link = word in LINKS
        cut_after = False
        if word.endswith(".") and not _keeps_dot(word):
            word, w_end, cut_after = word[:-1], w_end - 1, True  # "... in London." ends the sentence
        if not link and len(word) > 2 and word[-2:] in ("'s", "'S"):
            word, w_end, cut_after = word[:-2], w_end - 2, True  # "Germany's Michael Stich"
        elif not link and word.endswith("'") and len(word) > 2:
            word, w_end, cut_after = word[:-1], w_end - 1, True
        if cut_after and atoms[piece_end]:
            word, w_end, cut_after = piece, piece_end, False
        current.append(Word(w_start, w_end, word, link))
        w_end = piece_end
        if cut_after:
            groups.append([])
    return _pieces(groups)


def _pieces(groups: list[list[Word]]) -> list[list[Word]]:
    """The groups of a run without the linking words at their ends, a list or a shouted paragraph
    dropped, a long group cut into pieces of at most ``MAX_RUN`` words."""
    out = []
    for group in groups:
        while group and group[-1].link:
            group.pop()
        while group and group[0].link:
            group.pop(0)
        if len(group) > LONGEST_RUN:
            continue
        at = 0
        while len(group) - at > MAX_RUN:  # cut at the last linking word that leaves a full piece
            cut = next((i for i in range(at + MAX_RUN - 1, at, -1) if group[i].link), at + MAX_RUN)
            out.append(group[at:cut])
            at = cut
            while at < len(group) and group[at].link:
                at += 1
        out.append(group[at:])
    return [g for g in out if g]


def _header_line_break(text: str, left: int, right: int) -> bool:
    """A line break after a line of its own (a headline, a byline), not inside a wrapped paragraph."""
    nl = text.find("\n", left, right)
    short_before = text.rfind("\n", max(0, nl - 65), nl) != -1 or nl < 65
    next_end = text.find("\n", nl + 1, nl + 46)
    short_after = next_end != -1 or len(text) - nl - 1 < 45
    return short_before or short_after


def find_runs(text: str, view: str, skip: bytearray, atoms: bytearray, stopwords: frozenset[str]) -> list[list[Word]]:
    """Runs of capitalised words outside ``skip``. A lone function word ("The", "He", "In", a
    month) is not a run: nothing to tag there."""
    runs: list[list[Word]] = []
    for m in RUN.finditer(view):
        start = m.start()
        if skip[start]:
            continue
        word = m.group()
        if " " not in word:  # one word, by far the commonest run: no splitting to do
            if word in stopwords and word[-1] != "." and word[-2:] not in ("'s", "'S"):
                continue  # "The", "He": nothing to take off the word, a function word
            end = m.end()
            if word[-1] == "." and not _keeps_dot(word):
                word, end = word[:-1], end - 1
            elif word[-2:] in ("'s", "'S") and len(word) > 3 and not atoms[end]:
                word, end = word[:-2], end - 2
            if word in stopwords or word[-1] == "." and word[:-1] in stopwords:
                continue
            runs.append([Word(start, end, word, False)])
            continue
        for run in _split_run(text, view, start, m.end(), atoms):
            if len(run) > 1 or run[0].text not in stopwords:
                runs.append(run)
    return runs


def _keeps_dot(word: str) -> bool:
    """"U.S.", "J.", "Corp.": the dot belongs to the word; "London." ends a sentence."""
    bare = word[:-1]
    return "." in bare or len(bare) == 1 or bare.lower() in ABBREVIATIONS


def shape(word: str) -> str:
    """"Xx", "XX", "X.X.", "Xx-Xx", "Xxd": the word's form, with letter runs collapsed."""
    out = []
    prev = ""
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if c != prev:
            out.append(c)
            prev = c
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Lexicons:
    places: frozenset[str]  # lower case, smaller places too (data/places_more.txt)
    place_starts: frozenset[str]  # the first word of each
    frequency: dict[str, str]  # lower-case word -> its Zipf frequency in English, as written in the file


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    def lines(name: str) -> list[str]:
        text = (DATA / name).read_text(encoding="utf-8")
        return [line for line in text.splitlines() if line and not line.startswith("#")]

    frequency = dict(line.split("\t") for line in lines("word_frequency.tsv"))
    places = frozenset(lines("places_more.txt"))
    return Lexicons(places, frozenset(p.split(" ", 1)[0] for p in places), frequency)


@dataclass(slots=True)
class Model:
    index: dict[str, int]  # feature -> row of ``weights``
    weights: np.ndarray  # [row, label]; the last row is all zeros
    zero: int
    fixed: dict[str, int]  # rows of the features that take no value ("first", "caps", ...)
    positions: list[list[int]]  # [run length 1-4+][first, inside, last] -> row of "pos="

    def row(self, feature: str) -> int:
        return self.index.get(feature, self.zero)


@lru_cache(maxsize=1)
def load_model() -> Model:
    with np.load(MODEL, allow_pickle=False) as data:
        features = [str(f) for f in data["features"]]
        weights = data["weights"].astype(np.float32)
    index = {f: i for i, f in enumerate(features)}
    zero = len(features) - 1
    fixed = {name: index.get(name, zero) for name in
             ("first", "first-lower-elsewhere", "lower-elsewhere", "caps", "lp=B", "lp=I", "pt", "nt", "speech")}
    positions = [[zero] * 3]
    for n in range(1, 5):
        size = _SIZE[n]
        codes = ("U", "U", "U") if n == 1 else ("B", "I", "L")
        positions.append([index.get(f"pos={code}{size}", zero) for code in codes])
    return Model(index, weights, zero, fixed, positions)


_SIZE = ("", "1", "2", "3", "4+")
_CONTEXT_MARKS = ".,;:!?\"'()[]-"


class Featuriser:
    """The features of every word of every run of one document.

    ``run_features`` gives them as strings (training, and the definition of every feature);
    ``run_rows`` gives the same features as rows of the model's weights (extraction), with what
    depends on a word alone looked up once per word and kept for the next documents."""

    def __init__(self, text: str, view: str, gaz: Gazetteers, caps_lines: bytearray, lower_words: frozenset[str],
                 gazetteer_tags: dict[int, str], sporty: bool) -> None:
        self.text = text
        self.view = view
        self.gaz = gaz
        self.caps_lines = caps_lines
        self.lower_words = lower_words
        self.gazetteer_tags = gazetteer_tags  # word start -> "B" or "I" + the type of the gazetteer name over it
        self.sporty = sporty
        self.lexicons = lexicons()

    def context(self, start: int, end: int) -> tuple[str, str, bool]:
        """(word or mark before, word or mark after, starts a sentence), on the same line:
        "<s>" / "</s>" at the line's ends."""
        text, view = self.text, self.view
        # the word before: skip spaces back; a mark is a token of its own ("envoy." -> ".")
        i = start - 1
        while i >= 0 and view[i] == " " and text[i] != "\n":
            i -= 1
        if i < 0 or text[i] == "\n":
            b1 = "<s>"
        elif view[i] in _CONTEXT_MARKS:
            b1 = view[i]
            if b1 in "\"'(-":  # an opening quote or bracket at a line's start: the line starts there
                j = i - 1
                while j >= 0 and view[j] in " \"'(-" and text[j] != "\n":
                    j -= 1
                if j < 0 or text[j] == "\n":
                    b1 = "<s>"
        else:
            floor = max(0, i - 40)  # a window: never the whole of a long line without spaces
            j = view.rfind(" ", floor, i)
            b1 = view[(j + 1 if j != -1 else floor) : i + 1]
            k = 0
            while k < len(b1) and b1[k] in _CONTEXT_MARKS:
                k += 1
            b1 = b1[k:].lower()
        # the word after
        n = len(view)
        i = end
        while i < n and view[i] == " " and text[i] != "\n":
            i += 1
        if i >= n or text[i] == "\n":
            a1 = "</s>"
        elif view[i] in _CONTEXT_MARKS:
            a1 = view[i]
        else:
            j = view.find(" ", i, i + 40)
            a1 = view[i : j if j != -1 else min(n, i + 40)]
            k = len(a1)
            while k > 0 and a1[k - 1] in _CONTEXT_MARKS:
                k -= 1
            a1 = a1[:k].lower()
        return b1, a1, b1 in _SENTENCE_MARKS

    def own_features(self, word: str, link: bool) -> list[str]:
        """Features of the word itself, wherever it is."""
        gaz = self.gaz
        low = word.lower()
        sh = shape(word)
        zipf = self.lexicons.frequency.get(low.rstrip("."))
        f = ["b", "w=" + low, "s=" + sh, "x3=" + low[-3:], "x2=" + low[-2:], "pre=" + low[:3], "ws=" + low + "|" + sh,
             "zf=" + (zipf or "-")]
        if word in gaz.given_names:
            f.append("given")
        if word in gaz.surnames:
            f.append("surname")
        if low in gaz.titles:
            f.append("title")
        if word in gaz.org_heads:
            f.append("orghead")
        if word in gaz.demonyms:
            f.append("demonym")
        if word in gaz.stopwords or word[-1] == "." and word[:-1] in gaz.stopwords:
            f.append("stop")
        if link:
            f.append("link")
        return f

    def _places(self, lowers: list[str]) -> list[str | None]:
        """B/I for the words of the longest smaller-place name (up to four words) from each word."""
        n = len(lowers)
        places: list[str | None] = [None] * n
        known = self.lexicons.places
        starts = self.lexicons.place_starts
        i = 0
        while i < n:
            if lowers[i] not in starts:  # no smaller place's name starts with this word
                i += 1
                continue
            for j in range(min(n, i + 4), i, -1):
                if (lowers[i] if j == i + 1 else " ".join(lowers[i:j])) in known:
                    places[i] = "B"
                    for k in range(i + 1, j):
                        places[k] = "I"
                    i = j - 1
                    break
            i += 1
        return places

    def run_features(self, run: list[Word]) -> list[list[str]]:
        """Each word's features, as strings."""
        b1, a1, first_of_sentence = self.context(run[0].start, run[-1].end)
        caps = bool(self.caps_lines[run[0].start])
        n = len(run)
        size = _SIZE[min(n, 4)]
        words = [w.text for w in run]
        lowers = [w.lower() for w in words]
        whole_entry = self.gaz.entries.get(" ".join(words))
        places = self._places(lowers)
        out = []
        for i, word in enumerate(words):
            low = lowers[i]
            f = self.own_features(word, run[i].link)
            f.append("p=" + (lowers[i - 1] if i > 0 else "<" + b1))
            f.append("n=" + (lowers[i + 1] if i + 1 < n else ">" + a1))
            if (lowers[i - 1] if i > 0 else b1) in self.gaz.titles:
                f.append("pt")  # after a title: "Ambassador Bosworth", "spokesman Robert Wood"
            if (lowers[i + 1] if i + 1 < n else a1) in self.gaz.titles:
                f.append("nt")  # before a title: "National Security Advisor"
            if i == n - 1 and a1 in SPEECH:
                f.append("speech")  # "..., Bosworth said"
            f.append("pos=" + _position(i, n) + size)
            if i == 0:
                f.append("b1=" + b1)
                if first_of_sentence:
                    f.append("first")
            if i == n - 1:
                f.append("a1=" + a1)
            if low in self.lower_words:
                f.append("first-lower-elsewhere" if i == 0 and first_of_sentence else "lower-elsewhere")
            if caps:
                f.append("caps")
                f.append("caps|w=" + low)
            tag = self.gazetteer_tags.get(run[i].start)
            if tag is not None:
                f.append("g=" + tag)
                if self.sporty:
                    f.append("sport|g=" + tag)
            if whole_entry is not None:
                f.append("gw=" + whole_entry.type)
            if places[i] is not None:
                f.append("lp=" + places[i])  # type: ignore[operator]
            if n == 1:
                f.append("zf1=" + (self.lexicons.frequency.get(low.rstrip(".")) or "-") + ("|first" if first_of_sentence else ""))
            if self.sporty:
                f.append("sport|s=" + shape(word))
            out.append(f)
        return out

    def run_rows(self, run: list[Word], model: Model, flat: list[int], offsets: list[int], name: str | None = None) -> None:
        """The same features as ``run_features``, as rows of the model (its zero row where it has
        none): appended to ``flat``, each word's first row's place in ``offsets``. ``name``: the
        run's words joined by spaces (its key in the cache of what the run owes to its words alone)."""
        if name is None:
            name = " ".join(w.text for w in run)
        static = _RUN_ROWS.get(name)
        if static is None:
            static = self._run_static(run, name, model)
        b1, a1, first_of_sentence = self.context(run[0].start, run[-1].end)
        fixed = model.fixed
        add = flat.append
        extend = flat.extend
        before = _BEFORE_ROWS.get(b1)
        if before is None:
            before = self._edge_rows(b1, model, after=False)
        after = _AFTER_ROWS.get(a1)
        if after is None:
            after = self._edge_rows(a1, model, after=True)
        lower_words, gazetteer_tags = self.lower_words, self.gazetteer_tags
        caps = self.caps_lines[run[0].start]
        sporty = self.sporty
        last = len(run) - 1
        # The order of the rows is the order of the sum: it is kept exactly (scores to the last bit).
        for i, entry in enumerate(static.entries):
            offsets.append(len(flat))
            extend(static.heads[i])
            if i == 0:
                extend(before)
                if first_of_sentence:
                    add(fixed["first"])
                if last == 0:
                    add(entry.single_first if first_of_sentence else entry.single)
            if i == last:
                extend(after)
            extend(static.middles[i])
            if entry.low in lower_words:
                add(fixed["first-lower-elsewhere" if i == 0 and first_of_sentence else "lower-elsewhere"])
            if caps:
                add(fixed["caps"])
                add(entry.caps_word)
            if gazetteer_tags:
                tag = gazetteer_tags.get(run[i].start)
                if tag is not None:
                    add(model.row("g=" + tag))
                    if sporty:
                        add(model.row("sport|g=" + tag))
            tail = static.tails[i]
            if tail:
                extend(tail)
            if sporty:
                add(entry.sport_shape)

    def _edge_rows(self, word: str, model: Model, after: bool) -> list[int]:
        """The rows of the word before a run ("p=<", "b1=") or after it ("n=>", "a1="), kept across documents."""
        get, zero, fixed = model.index.get, model.zero, model.fixed
        if after:
            rows = [get("n=>" + word, zero), get("a1=" + word, zero)] + (
                [fixed["nt"]] if word in self.gaz.titles else []) + ([fixed["speech"]] if word in SPEECH else [])
            _AFTER_ROWS[word] = rows
        else:
            rows = [get("p=<" + word, zero), get("b1=" + word, zero)] + ([fixed["pt"]] if word in self.gaz.titles else [])
            _BEFORE_ROWS[word] = rows
        return rows

    def _run_static(self, run: list[Word], name: str, model: Model) -> _RunRows:
        """What the rows of a run's words owe to its words alone, in the order ``run_rows`` sums them."""
        entries = []
        for w in run:
            entry = _WORD_ROWS.get((w.text, w.link))
            if entry is None:
                entry = self._word_rows(w.text, w.link, model)
            entries.append(entry)
        fixed = model.fixed
        n = len(entries)
        last = n - 1
        whole_entry = self.gaz.entries.get(name)
        whole = [] if whole_entry is None else [model.index.get("gw=" + whole_entry.type, model.zero)]
        places = self._places([e.low for e in entries]) if n > 1 else [entries[0].place]
        positions = model.positions[min(n, 4)]
        heads, middles, tails = [], [], []
        for i, entry in enumerate(entries):
            head = list(entry.own)
            if i:  # the word before, in the run (the run's first word has the word before the run instead)
                head.append(entries[i - 1].as_prev)
                if entries[i - 1].title:
                    head.append(fixed["pt"])
            # the word after, in the run (the last word has the word after the run instead), then the position
            middle = [entries[i + 1].as_next] + ([fixed["nt"]] if entries[i + 1].title else []) if i < last else []
            middle.append(positions[0 if i == 0 else 2 if i == last else 1])
            if 0 < i < last:  # nothing of the document's between: one piece
                head, middle = head + middle, []
            heads.append(head)
            middles.append(middle)
            tails.append(whole + ([fixed["lp=" + places[i]]] if places[i] is not None else []))  # type: ignore[operator]
        static = _RunRows(entries, heads, middles, tails)
        if len(_RUN_ROWS) > _RUNS_KEPT:  # bounded, as the words' rows are
            _RUN_ROWS.clear()
        _RUN_ROWS[name] = static
        return static

    def _word_rows(self, word: str, link: bool, model: Model) -> _WordRows:
        """The rows of what depends on the word alone (kept across documents)."""
        get, zero = model.index.get, model.zero
        low = word.lower()
        sh = shape(word)
        zipf = self.lexicons.frequency.get(low.rstrip(".")) or "-"
        entry = _WordRows(
            own=[get(name, zero) for name in self.own_features(word, link)],
            as_prev=get("p=" + low, zero),
            as_next=get("n=" + low, zero),
            low=low,
            single=get("zf1=" + zipf, zero),
            single_first=get("zf1=" + zipf + "|first", zero),
            sport_shape=get("sport|s=" + sh, zero),
            place="B" if low in self.lexicons.places else None,
            title=low in self.gaz.titles,
            caps_word=get("caps|w=" + low, zero),
        )
        if len(_WORD_ROWS) > 200_000:  # bounded: a corpus of a million names does not keep them all
            _WORD_ROWS.clear()
            _BEFORE_ROWS.clear()
            _AFTER_ROWS.clear()
            _RUN_ROWS.clear()
        _WORD_ROWS[(word, link)] = entry
        return entry


@dataclass(slots=True)
class _WordRows:
    own: list[int]
    as_prev: int
    as_next: int
    low: str
    single: int  # "zf1=": the word alone in its run
    single_first: int  # the same, at the start of a sentence
    sport_shape: int
    place: str | None  # "B" when the word alone is a smaller place's name
    title: bool  # a title's word ("ambassador", "minister"), in lower case
    caps_word: int  # "caps|w=": the word in a shouted line


@dataclass(slots=True)
class _RunRows:
    """A run's words' rows that depend on the run alone, per word: ``heads`` (the word's own, the
    words before and after it in the run), ``middles`` (after the rows of the words around the
    run), ``tails`` (after the document's: the whole run a known name, a smaller place)."""

    entries: list[_WordRows]
    heads: list[list[int]]
    middles: list[list[int]]
    tails: list[list[int]]


SPEECH = frozenset(["said", "says", "told", "added", "noted", "stated", "explained", "asked", "warned", "insisted", "argued", "announced", "wrote", "replied", "stressed", "urged", "declined", "acknowledged", "confirmed", "denied"])
_SENTENCE_MARKS = frozenset(["<s>", ".", '"', "'", ":", "!", "?", "-", "--"])


def _position(i: int, n: int) -> str:
    return "U" if n == 1 else "B" if i == 0 else "L" if i == n - 1 else "I"


_WORD_ROWS: dict[tuple[str, bool], _WordRows] = {}  # a word's own rows, across documents
_BEFORE_ROWS: dict[str, list[int]] = {}  # the rows of the word before a run, across documents
_AFTER_ROWS: dict[str, list[int]] = {}  # the rows of the word after a run
_RUN_ROWS: dict[str, _RunRows] = {}  # a run's rows that depend on its words alone, by the run's words
# About 1.4 kB a run: at most ~30 MB. As fast as ten times as many over 10,000 articles, which
# name 34,000 different runs (make_corpus.py); 10,000 kept are a little slower.
_RUNS_KEPT = 20_000


def sporty(view: str) -> bool:
    """A results story: scores ("2-1", "6-3") are frequent in it."""
    if view is _LAST_SPORTY[0]:  # the tagger and the clubs' rule ask about the same text
        return _LAST_SPORTY[1]  # type: ignore[return-value]
    # every score holds a hyphen of its own: fewer than three hyphens, fewer than three scores
    found = view.count("-", 0, 20000) >= 3 and len(_SCORE.findall(view, 0, 20000)) >= 3
    _LAST_SPORTY[0], _LAST_SPORTY[1] = view, found
    return found


_LAST_SPORTY: list[object] = [None, False]  # the last text asked about, and the answer


_SCORE = re.compile(r"\d(?<![\d\-./]\d)\d?-\d{1,2}(?![\d\-./])")  # a digit first: the regex scans fast


def tag_runs(runs: list[list[Word]], features: list[Rows]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every name the model finds in ``runs`` (``features``: their rows)."""
    if not runs:
        return []
    rows = features[0]
    flat = np.fromiter(rows.flat, dtype=np.intp, count=len(rows.flat))
    offsets = np.fromiter(rows.offsets, dtype=np.intp, count=len(rows.offsets))
    # take() gathers the same rows as indexing, several times faster
    scores = np.add.reduceat(load_model().weights.take(flat, axis=0), offsets, axis=0)
    return _segments(runs, scores)


SPLIT_MARGIN = 3.0  # how much more "begins a name" must score than "inside a name" to cut a name in two
_B_COLUMNS = [LABEL_INDEX[f"B-{k}"] for k in KINDS]
_I_COLUMNS = [LABEL_INDEX[f"I-{k}"] for k in KINDS]
_B_SLICE = slice(_B_COLUMNS[0], _B_COLUMNS[-1] + 1, 2)  # LABELS: O, then B- and I- of each kind in turn
_I_SLICE = slice(_I_COLUMNS[0], _I_COLUMNS[-1] + 1, 2)
assert list(range(N_LABELS))[_B_SLICE] == _B_COLUMNS and list(range(N_LABELS))[_I_SLICE] == _I_COLUMNS


def _segments(runs: list[list[Word]], scores: np.ndarray) -> list[tuple[int, int, str]]:
    """Names from the word scores: first where names begin and end (from each word's best
    outside, begin and inside scores), then the kind of each name from the sum of its words'
    scores, so that a change of kind never cuts a name in two ("Mishi" begins an
    organisation, "Saran" is inside a person: "Mishi Saran" is one name, a person)."""
    outside = scores[:, 0].tolist()
    begin = scores[:, _B_SLICE]  # views of the columns, not copies: the same numbers
    inside = scores[:, _I_SLICE]
    begin_best = begin.max(axis=1).tolist()
    inside_best = inside.max(axis=1).tolist()
    words = [w for run in runs for w in run]
    segments: list[tuple[int, int]] = []  # word indexes, end exclusive

    def close(first: int, end: int) -> None:
        while end > first and words[end - 1].link:  # a name does not end with "of" or "and"
            end -= 1
        if end > first:
            segments.append((first, end))

    k = 0
    for run in runs:
        open_at = -1
        for _ in run:
            o, b, i = outside[k], begin_best[k], inside_best[k]
            if open_at < 0:
                if (b > o or i > o) and not words[k].link:
                    open_at = k
            elif o >= b and o >= i:
                close(open_at, k)
                open_at = -1
            elif b > i + SPLIT_MARGIN:
                close(open_at, k)
                open_at = k
            k += 1
        if open_at >= 0:
            close(open_at, k)
    if not segments:
        return []
    starts = np.asarray([a for a, _ in segments])
    ends = np.asarray([b for _, b in segments])
    cumulative = np.empty((len(inside) + 1, len(KINDS)), dtype=inside.dtype)  # a row of zeros, then the sums
    cumulative[0] = 0
    np.cumsum(inside, axis=0, out=cumulative[1:])
    kind_scores = np.maximum(begin[starts], inside[starts]) + cumulative[ends] - cumulative[starts + 1]
    kinds = kind_scores.argmax(axis=1).tolist()
    return [(words[a].start, words[b - 1].end, KINDS[kind]) for (a, b), kind in zip(segments, kinds, strict=True)]



def lower_forms(view: str) -> frozenset[str]:
    """The words of the text, commas and full stops taken off: whether a word also occurs in lower
    case in the document ("Traders said" / "traders")."""
    return frozenset(view.replace(",", " ").replace(".", " ").split())


def span_tags(spans: list[tuple[int, int, str]], view: str) -> dict[int, str]:
    """Word start -> "B" or "I" + label, for the words of each span."""
    tags: dict[int, str] = {}
    for start, end, kind in spans:
        tags[start] = "B" + kind
        pos = view.find(" ", start, end)
        while pos != -1:
            tags[pos + 1] = "I" + kind
            pos = view.find(" ", pos + 1, end)
    return tags


def document_features(
    text: str, view: str, gaz: Gazetteers, *,
    gazetteer_spans: list[tuple[int, int, str]], caps_lines: bytearray, skip: bytearray, atoms: bytearray, as_rows: bool = True,
) -> tuple[list[list[Word]], list[list[list]], list[tuple[int, int, str]]]:  # type: ignore[type-arg]
    """The runs of a document (outside ``skip``) and the features of each of their words: rows
    of the model (``as_rows``, for extraction) or strings (for training). A run that is exactly a
    country's name or a known organisation's is not tagged: it is given as (start, end, kind)."""
    runs = []
    names = []
    known: list[tuple[int, int, str]] = []
    entries, countries = gaz.entries, gaz.countries
    for run in find_runs(text, view, skip, atoms, gaz.stopwords):
        name = run[0].text if len(run) == 1 else " ".join([w.text for w in run])
        if name in countries:
            known.append((run[0].start, run[-1].end, "place"))
            continue
        entry = entries.get(name)
        if entry is not None and entry.type == "organization":
            known.append((run[0].start, run[-1].end, "organization"))
            continue
        runs.append(run)
        names.append(name)
    if not runs:
        return [], [], known
    featuriser = Featuriser(text, view, gaz, caps_lines, lower_forms(view), span_tags(gazetteer_spans, view),
                            sporty(view))
    if not as_rows:
        return runs, [featuriser.run_features(run) for run in runs], known
    model = load_model()
    flat: list[int] = []
    offsets: list[int] = []
    run_rows = featuriser.run_rows
    for run, name in zip(runs, names, strict=True):
        run_rows(run, model, flat, offsets, name)
    return runs, [Rows(flat, offsets)], known


@dataclass(slots=True)
class Rows:
    """The rows of every word of a document's runs, one flat list, and where each word's begin."""

    flat: list[int]
    offsets: list[int]
