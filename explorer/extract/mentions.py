"""From the tagger's names to candidates: known names kept whole, organisations joined,
people's roles read, shapes that are never names dropped.

The tagger (``tagger.py``) says where names are and what kind they are; this stage adds
what it cannot see word by word:

- a name that cuts through a known name of several words takes the whole of it, and a known
  organisation or country keeps its kind and its canonical name ("U.S." is the United States);
- an organisation cut at "of", "for", "on" or "and" is joined again ("Fletcher School of Law
  and Diplomacy", "Center for International Policy");
- a person's role is the title before the name ("Special Representative for North Korea
  Policy Stephen Bosworth", "spokesman Robert Wood") or the appositive after it
  ("Stephen Bosworth, the special representative for North Korea policy,");
- a lone capitalised word after a title is a person ("Secretary of State Rice"), and any
  other lone capitalised word is kept untyped: it is a person's name where the document
  names that person ("According to Bosworth");
- a Roman numeral, a time zone after a clock time, a numbered ship ("the Kang Nam 1") and
  common words before a title ("National Security Advisor") are not names.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from explorer.extract import tagger
from explorer.extract.candidates import SEQUENCE, UNKNOWN, Candidate, span_mask
from explorer.extract.gazetteer import Gazetteers
from explorer.model import EntityType

Found = tuple[int, int, str]  # (start, end, kind) from the tagger


def candidates_from_tags(
    view: str, gaz: Gazetteers, runs: list[list[tagger.Word]], found: list[Found], fixed: list[Candidate]
) -> list[Candidate]:
    """Candidates for the tagger's names in ``runs`` (``found``, sorted), with the rules'
    ``fixed`` names (named terms, gazetteer names) where they agree."""
    size = len(view)
    found = [_by_head_word(view, f, gaz) if view.find(" ", f[0], f[1]) != -1 else f for f in found]
    found = join_organisations(view, runs, found, gaz)
    by_span = {(c.start, c.end): c for c in fixed}
    terms = [c for c in fixed if c.type == "term"]
    term_mask = span_mask([(c.start, c.end) for c in terms], size) if terms else None
    atoms = [c for c in fixed if view.find(" ", c.start, c.end) != -1]
    atom_mask = span_mask([(c.start, c.end) for c in atoms], size)
    atom_starts = [a.start for a in atoms]
    entries, countries = gaz.entries, gaz.countries
    out: list[Candidate] = []
    for start, end, kind in found:
        single = view.find(" ", start, end) == -1
        if single:
            name = view[start:end]
            if name.rstrip(".") in _MONTHS_DAYS or not_a_name(view, start, end):
                continue
            if kind == "person":
                if _is_title(name, gaz):
                    continue  # "Acting Spokesman" Robert Wood
                entry = gaz.entries.get(name)
                if entry is not None and entry.type == "place" and name not in gaz.given_names and name not in gaz.surnames:
                    kind = "place"  # "Korea said ...": a place that speaks through its government
        else:
            start, end, kind = _trimmed(view, start, end, kind, gaz)
            if end <= start or not_a_name(view, start, end):
                continue
        if atom_mask.find(1, start, end) != -1:  # a known name of several words is taken whole
            i = max(0, bisect_right(atom_starts, start) - 1)
            while i < len(atoms) and atoms[i].start < end:
                if start < atoms[i].end:
                    start, end = min(start, atoms[i].start), max(end, atoms[i].end)
                i += 1
            single = False
        if term_mask is not None and term_mask.find(1, start, end) != -1:
            continue
        if kind == "misc":
            if single:  # "According to Bosworth": a person's name where the document says so
                out.append(Candidate(start, end, None, None, UNKNOWN))
            continue
        if kind == "person":
            if numbered_vessel(view, start, end):
                continue
            if not single:
                cut = view.find(" of ", start, end)  # "Shigeru Kitamura of Japan": the name ends before "of"
                if cut != -1:
                    end = cut
                # "(Secretary of) State Kurt Campbell": a title's word or an everyday word does not begin a name
                while " " in view[start:end]:
                    first = view[start:end].split(None, 1)[0]
                    if not (_is_title(first, gaz) or _common_word(first, gaz)):
                        break
                    start += len(first) + 1
        elif kind == "organization" and describes_a_title(view, start, end, gaz):
            continue
        name = view[start:end]
        if _names_a_people(name, gaz):
            continue  # "North Koreans", "N. Korean": a people, not a place
        known = by_span.get((start, end))
        entry = entries.get(name)
        if entry is not None and entry.type == "organization":
            kind = "organization"  # a known organisation stays one
        elif known is not None and known.type == "term":
            kind = "term"
        elif name in countries:
            kind = "place"
        out.append(Candidate(
            start, end, kind,  # type: ignore[arg-type]
            known.canonical if known is not None and known.type == kind else None,
            SEQUENCE,
            person_evidence=kind == "person",
        ))
    out.extend(terms)
    people_and_words(view, gaz, runs, found, out)
    return out


# --- names cut to their true extent --------------------------------------------------------

_MONTHS_DAYS = frozenset(
    ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
)
_TITLE_OF_BEFORE = re.compile(r"\b([A-Za-z\-]+) of $")


def _trimmed(view: str, start: int, end: int, kind: str, gaz: Gazetteers) -> Found:
    """A name without the words that are not its own:
    - a date after it ("Seoul Dec." of "Seoul Dec. 8");
    - the word a title takes after "of" ("Secretary of State Rice": Rice, a person);
    - a country before a person's name ("... for North Korea Glyn Davies");
    - a title at its end before a person's name ("National Security Advisor" Jake Sullivan)."""
    words = view[start:end].split()
    while words and words[-1].rstrip(".") in _MONTHS_DAYS:
        end -= len(words.pop()) + 1
    while words and words[0].rstrip(".") in _MONTHS_DAYS:
        start += len(words.pop(0)) + 1
    if not words:
        return start, start, kind
    name = view[start:end]
    if name in gaz.entries:
        return start, end, kind
    before = _TITLE_OF_BEFORE.search(view, max(0, start - 30), start)
    if before and before.group(1).lower() in gaz.titles and len(words) > 1:
        start += len(words[0]) + 1
        rest = words[1:]
        if not any(w in gaz.org_heads for w in rest) and view[start:end] not in gaz.entries:
            kind = "person"
        return start, end, kind
    for k in range(1, len(words)):
        head = " ".join(words[:k])
        if head in gaz.countries and words[k] in gaz.given_names and not any(w in gaz.org_heads for w in words[k:]):
            return start + len(head) + 1, end, "person"
    if kind == "organization" and len(words) > 1 and _is_title(words[-1], gaz) and words[-1] not in gaz.org_heads:
        following = _NEXT_WORD.match(view, end)
        if following and following.group(1)[:1].isupper():
            end -= len(words[-1]) + 1
    return start, end, kind


# --- organisations cut in two -------------------------------------------------------------

def _by_head_word(view: str, f: Found, gaz: Gazetteers) -> Found:
    """A name of two words or more with an organisation's head word in it ("Fletcher School",
    "Mercantile Bancorp Inc") is an organisation, whatever kind its first word suggested."""
    if f[2] in ("person", "place"):
        words = view[f[0] : f[1]].split()
        if len(words) > 1 and any(w in gaz.org_heads for w in words[1:]) and view[f[0] : f[1]] not in gaz.entries:
            return (f[0], f[1], "organization")
    return f


_JOINING = frozenset(["of", "for", "on", "and", "&", "the"])


def join_organisations(view: str, runs: list[list[tagger.Word]], found: list[Found], gaz: Gazetteers) -> list[Found]:
    """Join an organisation and what the tagger cut from it in the same run: "Fletcher School of
    Law" + "and" + "Diplomacy", "National Committee" + "on American" + "Foreign Policy",
    "Center for International" + "Policy". The part joined has no head word of its own ("and
    Lear Corp." stays a second organisation) and is not a place ("... Inc of St. Petersburg")."""
    if not any(f[2] == "organization" for f in found):
        return found
    run_starts = [run[0].start for run in runs]
    by_run: dict[int, list[list]] = {}  # type: ignore[type-arg]
    out: list[Found] = []
    for f in found:
        k = bisect_right(run_starts, f[0]) - 1
        if k < 0 or runs[k][-1].end < f[1]:
            out.append(f)  # a known name, not tagged
        else:
            by_run.setdefault(k, []).append(list(f))
    for k, pieces in by_run.items():
        if len(runs[k]) > len(pieces) and any(p[2] == "organization" for p in pieces):
            pieces = _joined(view, runs[k], pieces, gaz)
        out.extend((p[0], p[1], p[2]) for p in pieces)
    return sorted(out)


def _joined(view: str, run: list[tagger.Word], pieces: list[list], gaz: Gazetteers) -> list[list]:  # type: ignore[type-arg]
    joined: list[list] = [pieces[0]]  # type: ignore[type-arg]
    for piece in pieces[1:]:
        left = joined[-1]
        gap = view[left[1] : piece[0]].split()
        if (
            left[2] == "organization" and _has_head(view, left, gaz)
            and all(g in _JOINING for g in gap)
            and (piece[2] == "misc" or piece[2] == "organization" and not _has_head(view, piece, gaz))
        ):
            left[1] = piece[1]
            continue
        joined.append(piece)
    # "Democratic Party of Japan", "Center for International Policy": an institution's head word
    # followed by "of", "for" or "on" takes the rest of the run, up to a person's name
    out: list[list] = []  # type: ignore[type-arg]
    for piece in joined:
        if out and out[-1][2] == "organization" and out[-1][1] >= piece[1]:
            continue  # taken by the organisation before
        if piece[2] == "organization":
            end = _institution_end(view, run, piece, joined, gaz)
            if end > piece[1]:
                piece = [piece[0], end, "organization"]
        out.append(piece)
    return out


def _institution_end(view: str, run: list[tagger.Word], piece: list, pieces: list[list], gaz: Gazetteers) -> int:  # type: ignore[type-arg]
    words = [w for w in run if w.start >= piece[0]]
    for i, w in enumerate(words[:-2]):
        if w.end > piece[1] + 1 or w.text not in gaz.org_heads or w.text in _CORPORATE:
            continue
        if words[i + 1].text not in ("of", "for", "on"):
            continue
        end = piece[1]
        for nxt in words[i + 2 :]:
            other = next((p for p in pieces if p[0] <= nxt.start < p[1]), None)
            if other is not None and other[2] == "person" and _full_name(view[other[0] : other[1]], gaz):
                break
            if not nxt.link:
                end = nxt.end
        return end
    return piece[1]


_CORPORATE = frozenset(["Inc", "Inc.", "Corp", "Corp.", "Ltd", "Ltd.", "Co", "Co.", "PLC", "LLC", "Holdings", "Group",
                        "Motors", "Airlines", "Company", "Corporation"])


def _full_name(name: str, gaz: Gazetteers) -> bool:
    """A person's name that is surely one: two words or more, or a known given name."""
    return " " in name or name in gaz.given_names


def _common_word(name: str, gaz: Gazetteers) -> bool:
    """One word that English uses every day and that is no one's given name ("Policy", "State")."""
    return (" " not in name and name not in gaz.given_names and name not in gaz.surnames
            and float(tagger.lexicons().frequency.get(name.lower(), "0")) >= 5.0)


def _has_head(view: str, piece: list, gaz: Gazetteers) -> bool:  # type: ignore[type-arg]
    return _has_head_words(view[piece[0] : piece[1]].split(), gaz)


def _has_head_words(words: list[str], gaz: Gazetteers) -> bool:
    return any(w in gaz.org_heads for w in words)


# --- people: roles, and lone words --------------------------------------------------------

_APPOSITIVE_AFTER = re.compile(r",\s(?:the\s|a\s|an\s|who\s|now\s|then\s)?(?P<role>[^,.;:()]{2,90})")
_WORD = re.compile(r"[\w.'\-]+")
_CLAUSE_BREAK = re.compile(r"[.;:!?\"()]")


def _is_title(word: str, gaz: Gazetteers) -> bool:
    lower = word.lower()
    return lower in gaz.titles or ("-" in lower and any(part in gaz.titles for part in lower.split("-")))


def people_and_words(view: str, gaz: Gazetteers, runs: list[list[tagger.Word]], found: list[Found],
                     out: list[Candidate]) -> None:
    """Roles of the people in ``out``; a person after a title where the tagger saw none; every
    other lone capitalised word, untyped (all added to ``out``)."""
    people = {c.start: c for c in out if c.type == "person"}
    starts = [f[0] for f in found]
    for run in runs:
        first = bisect_left(starts, run[0].start)
        last = bisect_left(starts, run[-1].end, first)
        inside = found[first:last]
        covered_to = run[0].start  # the end of the last name before, in this run
        for k, (s, e, _) in enumerate(inside):
            person = people.get(s)
            if person is not None:
                person.role = _role(view, gaz, run, covered_to, s, e)
                # "Kim" + "Jong-il": a name goes on over the words of its run the tagger left out
                limit = inside[k + 1][0] if k + 1 < len(inside) else run[-1].end
                for w in run:
                    if w.start == person.end + 1 and w.end <= limit and not w.link and _lone_name(w.text, gaz):
                        person.end = e = w.end
            covered_to = e
        # "Secretary of State Rice", "Ambassador Bosworth": a name after a title, where the tagger saw none
        tail = run[-1]
        if (not inside or inside[-1][1] <= tail.start) and len(run) > 1 and _lone_name(tail.text, gaz):
            since = max([e for s, e, kind in inside if kind == "person"], default=run[0].start)
            before = [w for w in run[:-1] if w.start >= since]
            if any(_is_title(w.text, gaz) for w in before):
                while before and before[0].link:
                    before.pop(0)
                role = view[before[0].start : tail.start].strip(" ,")
                out.append(Candidate(tail.start, tail.end, "person", None, SEQUENCE, person_evidence=True, role=role))
                continue
        if not inside and len(run) == 1 and _lone_name(run[0].text, gaz):
            out.append(Candidate(run[0].start, run[0].end, None, None, UNKNOWN))


def _lone_name(word: str, gaz: Gazetteers) -> bool:
    return (word[:1].isupper() and word not in gaz.stopwords and not _is_title(word, gaz)
            and word not in gaz.org_heads and word not in gaz.demonyms and word not in gaz.entries
            and not word.isupper())


def _role(view: str, gaz: Gazetteers, run: list[tagger.Word], covered_to: int, start: int, end: int) -> str | None:
    """The title before a person's name in its run, else a title just before the run, else an
    appositive after the name that holds a title."""
    before = [w for w in run if covered_to <= w.start and w.end <= start]
    while before and before[0].link:
        before.pop(0)
    if any(_is_title(w.text, gaz) for w in before):
        return view[before[0].start : start].strip(" ,")
    if run[0].start == start:
        head = _CLAUSE_BREAK.split(view[max(0, start - 60) : start])[-1]
        words = _WORD.findall(head)[-4:]
        if words and words[-1].lower().strip(",") in gaz.titles:
            # "North Korean leader", "nuclear envoy": the title and the words that qualify it
            k = len(words) - 1
            while k > 0 and (words[k - 1][:1].isupper() or words[k - 1].lower() in gaz.titles):
                k -= 1
            if k == len(words) - 1 and k > 0 and words[k - 1] not in gaz.stopwords and words[k - 1].isalpha():
                k -= 1  # one lower-case qualifier: "nuclear envoy", "government spokesman"
            return " ".join(words[k:]).strip(" ,")
    appositive = _APPOSITIVE_AFTER.match(view, end, end + 100)
    if appositive and any(w.lower() in gaz.titles for w in _WORD.findall(appositive.group("role"))):
        return appositive.group("role").strip()
    return None


# --- shapes that are never names ----------------------------------------------------------

def _names_a_people(name: str, gaz: Gazetteers) -> bool:
    last = name.rsplit(None, 1)[-1]
    return last in gaz.demonyms or last[-1:] == "s" and last[:-1] in gaz.demonyms


_ROMAN = re.compile(r"^[IVX]{1,5}$")
_CLOCK_BEFORE = re.compile(r"\d{1,2}:\d{2}\s?\(?$")
_NUMBERED = re.compile(r" \d{1,3}\b(?![\-./])")
_NEXT_WORD = re.compile(r" ([A-Za-z][\w\-]*)")
_TITLE_OF = re.compile(r"\b([A-Za-z]+) of $")


def not_a_name(view: str, start: int, end: int) -> bool:
    """A Roman numeral ("Chapter VII"), a time zone after a clock time ("20:29 KST")."""
    if view[start] in "IVX" and _ROMAN.match(view[start:end]):
        return True
    return view.find(":", max(0, start - 8), start) != -1 and bool(_CLOCK_BEFORE.search(view, max(0, start - 8), start))


def numbered_vessel(view: str, start: int, end: int) -> bool:
    """"the Kang Nam 1": a name with "the" before and a number after is a ship or a rocket, not a person."""
    return view[max(0, start - 4) : start].lower() == "the " and bool(_NUMBERED.match(view, end))


def describes_a_title(view: str, start: int, end: int, gaz: Gazetteers) -> bool:
    """"National Security" of "National Security Advisor Jake Sullivan": common words without an
    organisation's head word, before a title, say what the title is about; they name nothing."""
    following = _NEXT_WORD.match(view, end)
    if following is None or view[start:end] in gaz.entries:
        return False
    if following.group(1)[:1].isupper() and _TITLE_OF.search(view, max(0, start - 30), start):
        before = _TITLE_OF.search(view, max(0, start - 30), start)
        if before and before.group(1).lower() in gaz.titles:
            return True  # "Secretary of State Rice": "State" is the title's, not an organisation
    if following.group(1).lower() not in gaz.titles:
        return False
    frequency = tagger.lexicons().frequency
    return all(w not in gaz.org_heads and float(frequency.get(w.lower(), "0")) >= 4.5 for w in view[start:end].split())


# --- one kind per name ----------------------------------------------------------------------

def one_kind_per_name(view: str, accepted: list[Candidate]) -> list[Candidate]:
    """A name written the same way is one kind of thing in one document: the kind most of its
    mentions were given ("Newcastle" the club in a football report, even where one mention
    looked like the city); a tie goes to the kind of the first mention."""
    votes: dict[str, dict[str, int]] = {}
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
            kind: EntityType = max(kinds, key=kinds.__getitem__)  # type: ignore[assignment]
            if kind != c.type:
                c.type = kind
                c.canonical = c.canonical if kind == "place" else None
    return accepted


def clubs_by_their_town(view: str, accepted: list[Candidate]) -> list[Candidate]:
    """In a results story a town's name alone is its club when the story names the club in full
    ("Oldham" of "Oldham Athletic", "Stockport" of "Stockport County")."""
    if not tagger.sporty(view):
        return accepted
    leading: set[str] = set()
    for c in accepted:
        if c.type == "organization":
            words = view[c.start : c.end].split()
            if len(words) > 1:
                leading.add(words[0].lower())
    if not leading:
        return accepted
    for c in accepted:
        if c.type == "place" and view[c.start : c.end].lower() in leading:
            c.type = "organization"
            c.canonical = None
    return accepted
