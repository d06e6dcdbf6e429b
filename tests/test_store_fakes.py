"""A hand-made extractor for store and search tests, so they do not depend on the real one's output.

``fake_extract`` finds the names of ``LEXICON`` in a document's text. Within a
document the fullest name found for an entity is its name and the others are
its aliases, as the real extractor reports them; dates written "June 12, 2009"
become events. Install it with ``use_fake_extractor(monkeypatch)`` and index
with ``workers=1`` (the extraction then runs in the test's process).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.model import Entity, Event, Extraction, Mention, SourceDocument

# surface -> (group key, type). A group is one entity inside one document.
LEXICON: dict[str, tuple[str, str]] = {
    "Stephen W. Bosworth": ("bosworth", "person"),
    "Stephen Bosworth": ("bosworth", "person"),
    "Bosworth": ("bosworth", "person"),
    "Kim Jong Il": ("kim-jong-il", "person"),
    "Kim Gye Gwan": ("kim-gye-gwan", "person"),
    "Kim": ("kim", "person"),
    "Hillary Clinton": ("clinton", "person"),
    "Clinton": ("clinton", "person"),
    "UN Security Council": ("unsc", "organization"),
    "U.N. Security Council": ("unsc", "organization"),
    "UNSC": ("unsc", "organization"),
    "Six-Party Talks": ("six-party", "term"),
    "six-party talks": ("six-party", "term"),
    "Resolution 1874": ("r1874", "term"),
    "Resolution 1718": ("r1718", "term"),
    "Pyongyang": ("pyongyang", "place"),
    "Bosnia": ("bosnia", "place"),
    "State Department": ("state-department", "organization"),
}
_SURFACES = sorted(LEXICON, key=len, reverse=True)
_PATTERN = re.compile("|".join(r"\b" + re.escape(s) + r"(?![\w])" for s in _SURFACES))
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b")


def fake_extract(doc: SourceDocument) -> Extraction:
    groups: dict[str, list[tuple[str, int, int]]] = {}
    for match in _PATTERN.finditer(doc.text):
        key, _ = LEXICON[match.group()]
        groups.setdefault(key, []).append((match.group(), match.start(), match.end()))
    entities = []
    for key, found in groups.items():
        surfaces = sorted({s for s, _, _ in found}, key=lambda s: (-len(s.split()), -len(s), s))
        entities.append(Entity(
            name=surfaces[0],
            type=LEXICON[surfaces[0]][1],  # type: ignore[arg-type]
            aliases=surfaces[1:],
            mentions=[Mention(start, end, text) for text, start, end in found],
        ))
        assert key
    events = []
    for match in _DATE.finditer(doc.text):
        month = _MONTHS.index(match.group(1)) + 1
        iso = f"{match.group(3)}-{month:02d}-{int(match.group(2)):02d}"
        line_start = doc.text.rfind("\n", 0, match.start()) + 1
        line_end = doc.text.find("\n", match.end())
        line_end = len(doc.text) if line_end < 0 else line_end
        events.append(Event(iso, match.group(), match.start(), match.end(), doc.text[line_start:line_end]))
    first_line = doc.text.strip().splitlines()[0]
    doc.title = first_line
    return Extraction(document=doc, entities=entities, events=events)


def use_fake_extractor(monkeypatch: pytest.MonkeyPatch, version: str = "fake-1") -> None:
    import explorer.extract
    import explorer.versions

    monkeypatch.setattr(explorer.extract, "extract", fake_extract)
    monkeypatch.setattr(explorer.versions, "EXTRACTOR_VERSION", version)


ARTICLES = {
    "envoy.txt": """U.S. Envoy Holds Talks in Pyongyang

Stephen W. Bosworth arrived in Pyongyang on December 8, 2009. Bosworth met Kim Gye Gwan.
The UN Security Council adopted Resolution 1874 on June 12, 2009. Kim said little.
""",
    "campbell.txt": """China Urges Return to Six-Party Talks

Stephen Bosworth said the six-party talks must resume. Hillary Clinton agreed on September 21, 2009.
The U.N. Security Council (UNSC) had adopted Resolution 1718 in 2006.
""",
    "briefing.txt": """State Department Briefing

Bosworth will brief the State Department. Clinton praised Bosworth on January 5, 2010.
Kim Jong Il received a letter. Kim did not reply.
""",
    "bosnia.txt": """Notes From Bosnia

Bosnia held elections. Pyongyang was not mentioned by anyone in Bosnia on March 3, 2011.
""",
}


def write_articles(folder: Path, articles: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (articles or ARTICLES).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
