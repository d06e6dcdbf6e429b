"""The extraction pipeline: one document in, its entities and dated events out.

Stages, each a module testable alone:
  gazetteer.matching_view   same-length normalised text for matching
  sentences.sentence_spans  sentences (abbreviations and initials kept whole)
  candidates.*              named-term patterns and gazetteer names
  tagger.*                  people, organisations and places in capitalised runs (a trained model)
  mentions.*                the tagger's names as candidates: kinds, extents, roles
  candidates.resolve_overlaps  longest non-overlapping spans win
  aliases.build_entities    mentions grouped under the fullest name (names.name_key); acronyms
  events.extract_events     dated references resolved against the article's own date
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.extract import aliases, candidates, events, gazetteer, mentions, sentences, tagger
from explorer.model import Entity, Extraction, SourceDocument
from explorer.versions import EXTRACTOR_VERSION  # noqa: F401  (bumped there; re-exported by explorer.extract)


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


def rule_candidates(piece: Piece, gaz: gazetteer.Gazetteers) -> list[candidates.Candidate]:
    """Named terms by pattern and gazetteer names (countries, places, known organisations and
    terms), outside page furniture; shouted lines included, Title Case headlines read for names only."""
    headlines = sorted(piece.furniture + piece.caps_lines + piece.title_lines)
    furniture_mask = candidates.span_mask(piece.furniture, len(piece.text))
    return candidates.resolve_overlaps(_outside(
        candidates.pattern_candidates(piece.view, gaz, headlines) + candidates.gazetteer_candidates(piece.view, gaz),
        furniture_mask,
    ))


def tagger_inputs(
    piece: Piece, gaz: gazetteer.Gazetteers, fixed: list[candidates.Candidate], as_rows: bool = True
) -> tuple[list[list[tagger.Word]], list[list[list]], list[tuple[int, int, str]]]:  # type: ignore[type-arg]
    """The capitalised runs of a piece of text and their features, as the tagger sees them (training
    too), and the runs that are known names (a country, a known organisation), not tagged."""
    size = len(piece.text)
    atoms = [(c.start, c.end) for c in fixed if " " in piece.view[c.start : c.end]]
    return tagger.document_features(
        piece.text, piece.view, gaz,
        gazetteer_spans=[(c.start, c.end, c.type or "none") for c in fixed],
        caps_lines=candidates.span_mask(piece.caps_lines, size),
        # a shouted headline or dateline is read; a shouted paragraph is not (it is no headline)
        skip=candidates.span_mask(piece.furniture + _headlines(piece) + [s for s in piece.caps_lines if s[1] - s[0] > 300], size),
        atoms=candidates.span_mask(atoms, size),
        as_rows=as_rows,
    )


def _headlines(piece: Piece) -> list[tuple[int, int]]:
    """Title Case lines the tagger does not read: headlines ("Council Condemns Test in Strongest
    Terms", "China and India Weigh Next Steps": every long word capitalised, and small words such
    as "in" or "of" are not, or no commas, brackets or figures), not lists of names and results
    ("Michael Chang (U.S.) beat Sergi Bruguera (Spain)", "Khan, Mushtaq Ahmed"), which it reads."""
    out = []
    for start, end in piece.title_lines:
        words = _HEADLINE_WORD.findall(piece.text, start, end)
        if not all(w[0].isupper() for w in words if len(w) > 3):
            continue
        line = piece.text[start:end]
        if any(w in _SMALL_WORDS and w != "and" for w in words) or not any(ch.isdigit() or ch in ",(" for ch in line):
            out.append((start, end))
    return out


def _tagged(piece: Piece, gaz: gazetteer.Gazetteers, fixed: list[candidates.Candidate]) -> list[candidates.Candidate]:
    """The tagger's names (mentions.py), and the gazetteer's names in Title Case headlines, which
    the tagger does not read."""
    runs, features, known = tagger_inputs(piece, gaz, fixed)
    found = sorted(tagger.tag_runs(runs, features) + known)
    out = mentions.candidates_from_tags(piece.view, gaz, runs, found, fixed)
    headlines = _headlines(piece)
    if headlines:
        mask = candidates.span_mask(headlines, len(piece.text))
        out.extend(c for c in fixed if c.type != "term" and mask[c.start])
    return candidates.resolve_overlaps(out)


_DATELINE_AFTER = re.compile(r"[ ,]*(?:\d|\(|--|-)")


def _shouted_names_named_elsewhere(
    text: str, view: str, accepted: list[candidates.Candidate], caps_lines: list[tuple[int, int]]
) -> list[candidates.Candidate]:
    """A name read in a shouted line (a headline in capitals) stands when the article names it
    in ordinary writing too, or when it is the place of a dateline ("BOMBAY 1996-08-22",
    "WASHINGTON, Oct. 31 (Yonhap) --"): capitals alone are weak evidence."""
    if not caps_lines:
        return accepted
    mask = candidates.span_mask(caps_lines, len(text))
    named: set[str] = set()
    for c in accepted:
        if not mask[c.start] and c.type is not None:
            surface = view[c.start : c.end].lower()
            named.add(surface)
            named.update(surface.split())
            if c.canonical:
                named.add(c.canonical.lower())
    kept = []
    for c in accepted:
        if mask[c.start] and c.type in ("person", "organization", "place"):
            surface = view[c.start : c.end].lower()
            dateline = (c.start == 0 or text[c.start - 1] == "\n") and _DATELINE_AFTER.match(view, c.end)
            if not (surface in named or (c.canonical or "").lower() in named or dateline):
                continue
        kept.append(c)
    return kept


def _piece_candidates(piece: Piece, gaz: gazetteer.Gazetteers) -> tuple[list[candidates.Candidate], list[tuple[int, int, str]]]:
    """Accepted candidates and acronym tokens of one piece of text (offsets relative to it)."""
    accepted = _tagged(piece, gaz, rule_candidates(piece, gaz))
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
    accepted = mentions.one_kind_per_name(view, _shouted_names_named_elsewhere(text, view, accepted, caps_lines))
    accepted = mentions.clubs_by_their_town(view, accepted)
    byline = _byline_author(doc)
    if byline:
        accepted = candidates.resolve_overlaps(accepted + byline)
    taken = [(c.start, c.end) for c in accepted]
    entities: list[Entity] = aliases.build_entities(text, accepted, acronyms, taken)
    # A number inside a named term is not a date ("resolutions 1718 and 1874").
    term_spans = [(m.start, m.end) for e in entities if e.type == "term" for m in e.mentions]
    dated = events.extract_events(doc, view, sentence_index, sorted(excluded + term_spans))
    return Extraction(document=doc, entities=entities, events=dated)
