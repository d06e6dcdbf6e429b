"""The extraction pipeline: one document in, its entities and dated events out.

Stages, each a module testable alone:
  gazetteer.matching_view   same-length normalised text for matching
  sentences.sentence_spans  sentences (abbreviations and initials kept whole)
  candidates.*              named-term patterns, gazetteer names, organisations and people
  candidates.resolve_overlaps  longest non-overlapping spans win
  aliases.build_entities    mentions grouped under the fullest name; acronyms
  events.extract_events     dated references resolved against the article's own date
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.extract import aliases, candidates, events, gazetteer, sentences, tagger
from explorer.model import Entity, Extraction, SourceDocument

EXTRACTOR_VERSION = "3"

def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line with its newline) of every line, one at a time: no copy of the whole text."""
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl + 1
        yield pos, text[pos:end]
        pos = end


def _all_caps_lines(text: str) -> list[tuple[int, int]]:
    """Lines written in capitals (shouted headlines): capitalisation there says nothing about names."""
    spans = []
    for pos, line in _lines(text):
        # a plain scan: a regex with nested stars is quadratic on a megabyte-long line
        if line.upper() == line and sum(ch.isalpha() for ch in line[:200]) >= 12:
            spans.append((pos, pos + len(line)))
    return spans


_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'\u2019\-]*")


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Headline lines in Title Case: every word capitalised, so capitals do not mark names there."""
    spans = []
    for pos, line in _lines(text):
        if len(line) > 240 or not line.strip():  # a paragraph, not a headline
            continue
        all_words = _HEADLINE_WORD.findall(line)
        words = [w for w in all_words if len(w) > 3]
        sentence = line.rstrip().endswith(".") or len(all_words) > 24
        if sentence or len(words) < 2:
            continue
        capitalised = sum(w[0].isupper() for w in words)
        # "On the Status of the Six Party Talks": short, but its small words are lower case and the rest not
        short_title = capitalised == len(words) and any(w in _SMALL_WORDS for w in all_words)
        if len(words) >= 4 and capitalised / len(words) >= 0.8 or short_title:
            spans.append((pos, pos + len(line)))
    return spans


_SMALL_WORDS = frozenset(["of", "the", "on", "in", "to", "for", "and", "at", "with", "a", "an"])


def _byline_author(doc: SourceDocument) -> list[candidates.Candidate]:
    """The byline's author is a person even when nothing else marks the name ("By Kwang-Tae Kim")."""
    if not doc.author:
        return []
    found = []
    limit = doc.body_start or len(doc.text)
    for name in re.split(r"\s(?:and|&)\s", doc.author):  # "Leonor Tomero and Adam Ptacin"
        start = doc.text.find(name, 0, limit)
        while start >= 0 and _inside(start, start + len(name), doc.furniture):
            start = doc.text.find(name, start + 1, limit)
        if start >= 0:
            found.append(candidates.Candidate(start, start + len(name), "person", None, candidates.PATTERN,
                                              person_evidence=True))
    return found


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e or s < end and start < e for s, e in spans)


def _outside(items: list[candidates.Candidate], mask: bytearray) -> list[candidates.Candidate]:
    return [c for c in items if mask.find(1, c.start, c.end) == -1]


# Candidate stages run over pieces of at most this many characters, cut at paragraph
# breaks: a 50 MB file then needs the memory of a 1 MB one for its per-character masks.
CHUNK_CHARS = 1_000_000


def chunk_spans(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Pieces of ``text`` of at most ``size`` characters, cut at a blank line, a line end or a space."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            floor = start + size // 2
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, floor, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        spans.append((start, end))
        start = end
    return spans


def _within(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """``spans`` clipped to [start, end) and made relative to ``start``."""
    return [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]


@dataclass(slots=True)
class Piece:
    """One piece of a document's text with the line spans that change how it is read."""

    text: str
    view: str
    furniture: list[tuple[int, int]]
    caps_lines: list[tuple[int, int]]  # shouted lines: the rules skip them, the tagger reads them
    title_lines: list[tuple[int, int]]  # Title Case headlines: the tagger skips them

    @classmethod
    def whole(cls, text: str, view: str, furniture: list[tuple[int, int]]) -> Piece:
        return cls(text, view, furniture, _all_caps_lines(text), _title_case_lines(text))


@dataclass(slots=True)
class Rules:
    fixed: list[candidates.Candidate]  # named terms and gazetteer names, shouted lines included
    accepted: list[candidates.Candidate]  # every name the rules accept outside shouted lines


def rule_candidates(piece: Piece, gaz: gazetteer.Gazetteers) -> Rules:
    text, view = piece.text, piece.view
    excluded = sorted(piece.furniture + piece.caps_lines)
    headlines = sorted(excluded + piece.title_lines)
    excluded_mask = candidates.span_mask(excluded, len(text))
    furniture_mask = candidates.span_mask(piece.furniture, len(text))
    fixed_all = candidates.resolve_overlaps(_outside(
        candidates.pattern_candidates(view, gaz, headlines) + candidates.gazetteer_candidates(view, gaz),
        furniture_mask,
    ))
    fixed = _outside(fixed_all, excluded_mask)
    found = _outside(candidates.sequence_candidates(text, view, gaz, fixed, headlines), excluded_mask)
    return Rules(fixed_all, candidates.resolve_overlaps(fixed + found))


def tagger_inputs(
    piece: Piece, gaz: gazetteer.Gazetteers, rules: Rules, as_rows: bool = True
) -> tuple[list[list[tagger.Word]], list[list[list]], list[tuple[int, int, str]]]:  # type: ignore[type-arg]
    """The capitalised runs of a piece of text and their features, as the tagger sees them (training
    too), and the runs that are known names (a country, a known organisation), not tagged."""
    size = len(piece.text)
    atoms = [(c.start, c.end) for c in rules.fixed if " " in piece.view[c.start : c.end]]
    return tagger.document_features(
        piece.text, piece.view, gaz,
        gazetteer_spans=[(c.start, c.end, c.type or "none") for c in rules.fixed],
        rule_spans=[(c.start, c.end, _rule_label(c)) for c in rules.accepted] + _role_spans(piece.view, rules.accepted),
        caps_lines=candidates.span_mask(piece.caps_lines, size),
        # a shouted headline or dateline is read; a shouted paragraph is not (it is no headline)
        skip=candidates.span_mask(piece.furniture + _headlines(piece) + [s for s in piece.caps_lines if s[1] - s[0] > 300], size),
        atoms=candidates.span_mask(atoms, size),
        as_rows=as_rows,
    )


def _headlines(piece: Piece) -> list[tuple[int, int]]:
    """Title Case lines the tagger does not read: headlines ("Council Condemns Test in Strongest
    Terms": every long word capitalised, and small words such as "in" or "of" are not), not lists
    of names and results ("Michael Chang (U.S.) beat Sergi Bruguera (Spain)"), which it reads."""
    out = []
    for start, end in piece.title_lines:
        words = _HEADLINE_WORD.findall(piece.text, start, end)
        if all(w[0].isupper() for w in words if len(w) > 3) and any(w in _SMALL_WORDS and w != "and" for w in words):
            out.append((start, end))
    return out


def _role_spans(view: str, accepted: list[candidates.Candidate]) -> list[tuple[int, int, str]]:
    """The title the rules read just before a person's name ("National Security Advisor" Jake Sullivan)."""
    spans = []
    for c in accepted:
        if c.type == "person" and c.role:
            start = c.start - len(c.role) - 1
            if start >= 0 and view[start : c.start - 1] == c.role:
                spans.append((start, c.start - 1, "role"))
    return spans


def _rule_label(c: candidates.Candidate) -> str:
    source = {candidates.PATTERN: "pat", candidates.GAZETTEER: "gaz", candidates.SEQUENCE: "seq"}.get(c.priority, "gen")
    evidence = "+r" if c.role else "+e" if c.person_evidence else ""
    return f"{c.type or 'unk'}-{source}{evidence}"


def _tagged(piece: Piece, gaz: gazetteer.Gazetteers, rules: Rules) -> list[candidates.Candidate]:
    """The tagger's names, with the rules' canonical names and roles where they agree on the span.

    The rules' named terms stand; a tagged name that cuts through a gazetteer name of two
    words or more takes the whole of it; the rules' names stand where the tagger saw no name
    (Title Case headlines, which the tagger does not read)."""
    runs, features, known = tagger_inputs(piece, gaz, rules)
    found = _joined_by_rules(piece.view, sorted(tagger.tag_runs(runs, features) + known), rules.accepted)
    by_span = {(c.start, c.end): c for c in rules.accepted + rules.fixed}
    size = len(piece.text)
    terms = [c for c in rules.accepted if c.type == "term"]
    term_mask = candidates.span_mask([(c.start, c.end) for c in terms], size)
    atoms = [c for c in rules.fixed if " " in piece.view[c.start : c.end]]
    claimed = candidates.span_mask([(s, e) for s, e, _ in found], size)
    out = list(terms)
    atom_starts = [a.start for a in atoms]
    for start, end, kind in found:
        i = max(0, bisect_right(atom_starts, start) - 1)  # atoms do not overlap: the one before, then those inside
        while 0 <= i < len(atoms) and atoms[i].start < end:
            if start < atoms[i].end:
                start, end = min(start, atoms[i].start), max(end, atoms[i].end)
            i += 1
        if term_mask.find(1, start, end) != -1 or _not_a_name(piece.view, start, end):
            continue
        if kind == "misc":
            if " " not in piece.view[start:end]:  # "According to Bosworth": a person's name when the document says so
                out.append(candidates.Candidate(start, end, None, None, candidates.UNKNOWN))
            continue
        if kind == "person" and _numbered_vessel(piece.view, start, end):
            continue
        if kind == "organization" and _describes_a_title(piece.view, start, end, gaz):
            continue
        rule = by_span.get((start, end))
        if rule is not None and rule.type in ("organization", "term") and rule.priority == candidates.GAZETTEER:
            kind = rule.type  # a known organisation stays one
        if piece.view[start:end] in gaz.countries:
            kind = "place"
        out.append(candidates.Candidate(
            start, end, kind,  # type: ignore[arg-type]
            rule.canonical if rule is not None and rule.type == kind else None,
            candidates.SEQUENCE,
            person_evidence=kind == "person",
            role=rule.role if rule is not None else None,
        ))
    skip = candidates.span_mask(_headlines(piece) + piece.furniture, size)
    for c in rules.accepted:
        if claimed.find(1, c.start, c.end) != -1:
            continue
        # a person named after a title ("Secretary of State Rice") stands where the tagger saw no name;
        # so does a lone capitalised word, which is a person's name where the document names that person
        if c.type in ("person", "organization", "place") and skip[c.start] or c.type == "person" and c.role or c.type is None and " " not in piece.view[c.start : c.end]:
            out.append(c)
    return candidates.resolve_overlaps(out)


_OF_FOR_ON = re.compile(r"\s(?:of|for|on)\s")


def _joined_by_rules(
    view: str, found: list[tuple[int, int, str]], rules: list[candidates.Candidate]
) -> list[tuple[int, int, str]]:
    """An organisation the rules read by its head word ("National Committee on American Foreign
    Policy", "Fletcher School of Law and Diplomacy") stays whole where the tagger cut it into
    organisations joined by "of", "for" or "on"."""
    orgs = [c for c in rules if c.type == "organization" and c.priority == candidates.SEQUENCE]
    if not orgs or not found:
        return found
    starts = [f[0] for f in found]
    replaced: set[tuple[int, int, str]] = set()
    added = []
    for org in orgs:
        first = bisect_left(starts, org.start)
        inside = []
        for f in found[first:]:
            if f[0] >= org.end:
                break
            if f[1] <= org.end:
                inside.append(f)
        if not inside or any(f[2] not in ("organization", "misc") for f in inside) or inside == [(org.start, org.end, "organization")]:
            continue
        if not _OF_FOR_ON.search(view, org.start, org.end):
            continue
        if len(inside) == 1 and inside[0][0] != org.start:  # "Center for International" of "... Policy"
            continue
        replaced.update(inside)
        added.append((org.start, org.end, "organization"))
    return sorted([f for f in found if f not in replaced] + added)


def _one_kind_per_name(view: str, accepted: list[candidates.Candidate]) -> list[candidates.Candidate]:
    """A name written the same way is one kind of thing in one document: the kind most of its
    mentions were given ("Newcastle" the club in a football report, even where one mention
    looked like the city)."""
    votes: dict[str, dict[str, int]] = {}  # the kinds in order of first mention, with their counts
    keys: list[str | None] = []
    for c in accepted:
        if c.type not in ("person", "organization", "place"):
            keys.append(None)
            continue
        key = view[c.start : c.end].lower().replace(".", "")
        keys.append(key)
        kinds = votes.setdefault(key, {})
        kinds[c.type] = kinds.get(c.type, 0) + 1
    for c, key in zip(accepted, keys, strict=True):
        if key is None:
            continue
        kinds = votes[key]
        if len(kinds) > 1:
            kind = max(kinds, key=kinds.__getitem__)  # a tie goes to the kind of the first mention
            if kind != c.type:
                c.type = kind  # type: ignore[assignment]
                c.canonical = c.canonical if kind == "place" else None
    return accepted


_ROMAN = re.compile(r"^(?:[IVX]{1,5})$")
_CLOCK_BEFORE = re.compile(r"\d{1,2}:\d{2}\s?\(?$")


def _not_a_name(view: str, start: int, end: int) -> bool:
    """Shapes that are never names on their own: a Roman numeral ("Chapter VII"), a time zone
    after a clock time ("20:29 KST")."""
    surface = view[start:end]
    return bool(_ROMAN.match(surface)) or bool(_CLOCK_BEFORE.search(view, max(0, start - 8), start))


_NEXT_WORD = re.compile(r" ([A-Za-z][\w\-]*)")


def _describes_a_title(view: str, start: int, end: int, gaz: gazetteer.Gazetteers) -> bool:
    """"National Security" of "National Security Advisor Jake Sullivan": common words without an
    organisation's head word, before a title, say what the title is about; they name nothing."""
    following = _NEXT_WORD.match(view, end)
    if following is None or following.group(1).lower() not in gaz.titles:
        return False
    words = view[start:end].split()
    frequency = tagger.lexicons().frequency
    return all(w not in gaz.org_heads and float(frequency.get(w.lower(), "0")) >= 4.5 for w in words)


_NUMBERED = re.compile(r" \d{1,3}\b(?![\-./:])")


def _numbered_vessel(view: str, start: int, end: int) -> bool:
    """"the Kang Nam 1": a name with "the" before and a number after is a ship or a rocket, not a person."""
    return view[max(0, start - 4) : start].lower() == "the " and bool(_NUMBERED.match(view, end))


def _piece_candidates(piece: Piece, gaz: gazetteer.Gazetteers) -> tuple[list[candidates.Candidate], list[tuple[int, int, str]]]:
    """Accepted candidates and acronym tokens of one piece of text (offsets relative to it)."""
    rules = rule_candidates(piece, gaz)
    accepted = _tagged(piece, gaz, rules)
    excluded_mask = candidates.span_mask(piece.furniture + piece.caps_lines, len(piece.text))
    acronyms = [a for a in candidates.acronym_tokens(piece.view) if excluded_mask.find(1, a[0], a[1]) == -1]
    return accepted, acronyms


def extract(doc: SourceDocument) -> Extraction:
    text = doc.text
    gaz = gazetteer.load()
    view = gazetteer.matching_view(text)
    caps_lines = _all_caps_lines(text)
    title_lines = _title_case_lines(text)
    excluded = sorted(doc.furniture + caps_lines)
    sentence_index = sentences.SentenceIndex(sentences.sentence_spans(text))

    accepted: list[candidates.Candidate] = []
    acronyms: list[tuple[int, int, str]] = []
    for start, end in chunk_spans(text, CHUNK_CHARS):
        if start == 0 and end == len(text):
            piece = Piece(text, view, doc.furniture, caps_lines, title_lines)
        else:
            piece = Piece(text[start:end], view[start:end], _within(doc.furniture, start, end),
                          _within(caps_lines, start, end), _within(title_lines, start, end))
        piece_accepted, piece_acronyms = _piece_candidates(piece, gaz)
        for cand in piece_accepted:
            cand.start += start
            cand.end += start
        accepted.extend(piece_accepted)
        acronyms.extend((s + start, e + start, token) for s, e, token in piece_acronyms)
    accepted = _one_kind_per_name(view, accepted)
    byline = _byline_author(doc)
    if byline:
        accepted = candidates.resolve_overlaps(accepted + byline)
    taken = [(c.start, c.end) for c in accepted]
    entities: list[Entity] = aliases.build_entities(text, accepted, acronyms, taken)
    # A number inside a named term is not a date ("resolutions 1718 and 1874").
    term_spans = [(m.start, m.end) for e in entities if e.type == "term" for m in e.mentions]
    dated = events.extract_events(doc, view, sentence_index, sorted(excluded + term_spans))
    return Extraction(document=doc, entities=entities, events=dated)
