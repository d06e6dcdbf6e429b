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
from collections.abc import Iterator

from explorer.extract import aliases, candidates, events, gazetteer, sentences
from explorer.model import Entity, Extraction, SourceDocument

EXTRACTOR_VERSION = "2"

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
        if not sentence and len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.8:
            spans.append((pos, pos + len(line)))
    return spans


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


def _piece_candidates(
    text: str, view: str, gaz: gazetteer.Gazetteers, excluded: list[tuple[int, int]], headlines: list[tuple[int, int]]
) -> tuple[list[candidates.Candidate], list[tuple[int, int, str]]]:
    """Accepted candidates and acronym tokens of one piece of text (offsets relative to it)."""
    excluded_mask = candidates.span_mask(excluded, len(text))
    fixed = _outside(
        candidates.pattern_candidates(view, gaz, headlines) + candidates.gazetteer_candidates(view, gaz),
        excluded_mask,
    )
    fixed = candidates.resolve_overlaps(fixed)
    found = _outside(candidates.sequence_candidates(text, view, gaz, fixed, headlines), excluded_mask)
    accepted = candidates.resolve_overlaps(fixed + found)
    acronyms = [a for a in candidates.acronym_tokens(view) if excluded_mask.find(1, a[0], a[1]) == -1]
    return accepted, acronyms


def extract(doc: SourceDocument) -> Extraction:
    text = doc.text
    gaz = gazetteer.load()
    view = gazetteer.matching_view(text)
    excluded = sorted(doc.furniture + _all_caps_lines(text))
    sentence_index = sentences.SentenceIndex(sentences.sentence_spans(text))
    headline_lines = sorted(excluded + _title_case_lines(text))

    accepted: list[candidates.Candidate] = []
    acronyms: list[tuple[int, int, str]] = []
    for start, end in chunk_spans(text, CHUNK_CHARS):
        whole = start == 0 and end == len(text)
        piece_accepted, piece_acronyms = _piece_candidates(
            text if whole else text[start:end],
            view if whole else view[start:end],
            gaz,
            excluded if whole else _within(excluded, start, end),
            headline_lines if whole else _within(headline_lines, start, end),
        )
        for cand in piece_accepted:
            cand.start += start
            cand.end += start
        accepted.extend(piece_accepted)
        acronyms.extend((s + start, e + start, token) for s, e, token in piece_acronyms)
    byline = _byline_author(doc)
    if byline:
        accepted = candidates.resolve_overlaps(accepted + byline)
    taken = [(c.start, c.end) for c in accepted]
    entities: list[Entity] = aliases.build_entities(text, accepted, acronyms, taken)
    # A number inside a named term is not a date ("resolutions 1718 and 1874").
    term_spans = [(m.start, m.end) for e in entities if e.type == "term" for m in e.mentions]
    dated = events.extract_events(doc, view, sentence_index, sorted(excluded + term_spans))
    return Extraction(document=doc, entities=entities, events=dated)
