"""Cited Markdown notes: build them, append them to the notes file, put them on clipboards.

A note is never lost: it is appended to the notes file first (or, if that
file cannot be written, to a fallback file in the temporary directory), then
offered to every clipboard we can reach. No Textual here: the interface calls
``deliver`` with its own OSC 52 function.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from explorer.model import (
    CorpusEntity,
    CorpusEvent,
    DocumentMarks,
    MentionLine,
    RelatedEntity,
    StoredDocument,
    date_bounds,
)
from explorer.textsafe import inert_line, inert_note, whole_words

# A note on the clipboard by OSC 52 is dropped by tmux above ~760 kB of text; stay well under.
OSC52_LIMIT = 500_000


@dataclass(slots=True)
class Note:
    """A Markdown note and a one-line description of what it holds."""

    kind: str  # passage | mentions | timeline
    title: str
    markdown: str


@dataclass(slots=True)
class Delivery:
    """Where a note went."""

    saved_to: Path | None = None
    save_error: str | None = None
    fallback: bool = False  # saved, but not in the notes file asked for
    clipboards: list[str] = field(default_factory=list)

    @property
    def lost(self) -> bool:
        return self.saved_to is None and not self.clipboards

    def summary(self) -> str:
        parts: list[str] = []
        if self.saved_to is not None:
            parts.append(f"saved to {self.saved_to}" + (" (fallback)" if self.fallback else ""))
        system = [name for name in self.clipboards if name != "OSC 52"]
        if system:
            parts.append("copied via " + ", ".join(system))
        if "OSC 52" in self.clipboards:
            # OSC 52 cannot be confirmed: many terminals (and tmux by default) ignore it
            parts.append("sent to the terminal by OSC 52")
        if not self.clipboards:
            parts.append("no clipboard reached")
        text = "; ".join(parts) if self.saved_to is not None or self.clipboards else "could not be saved anywhere"
        if self.save_error:
            text += f" ({self.save_error})"
        return text[0].upper() + text[1:]


def _count(number: int, noun: str) -> str:
    if number == 1:
        return f"1 {noun}"
    return f"{number:,} {noun[:-1] + 'ies' if noun.endswith('ty') else noun + 's'}"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _quote(text: str) -> str:
    lines = inert_note(text).strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _field(label: str, value: str | None) -> str:
    return f"- {label}: {inert_line(value) if value else 'unknown'}"


def _doc_label(title: str | None, path: str) -> str:
    return inert_line(title) or inert_line(Path(path).name)


def passage_note(
    doc: StoredDocument,
    start: int,
    end: int,
    entities: dict[str, CorpusEntity] | None = None,
    now: str | None = None,
    marks: DocumentMarks | None = None,
) -> Note:
    """A quoted passage of ``doc`` (characters ``start``..``end``) with its citation (and the document's tags)."""
    start, end = max(0, min(start, end)), min(len(doc.text), max(start, end))
    summary = doc.summary
    passage = doc.text[start:end]
    names: list[str] = []
    seen: set[str] = set()
    for s_start, s_end, entity_id, entity_type in doc.spans:
        if s_end <= start or s_start >= end or entity_id in seen:
            continue
        seen.add(entity_id)
        entity = (entities or {}).get(entity_id)
        name = entity.name if entity else doc.text[s_start:s_end]
        names.append(f"{inert_line(name)} ({entity_type})")
    title = _doc_label(summary.title, summary.path)
    lines = [
        f"## {title}",
        "",
        _quote(passage),
        "",
        _field("Title", summary.title),
        _field("Author", summary.author),
        _field("Published", summary.published),
        f"- Path: {inert_line(summary.path)}",
        f"- Characters: {start}-{end}",
        f"- Entities: {', '.join(names) if names else 'none'}",
        f"- Noted: {now or _now()}",
    ]
    if marks is not None and marks.tags:
        lines.insert(lines.index(f"- Path: {inert_line(summary.path)}"), f"- Tags: {_tags(marks.tags)}")
    page = _page_citation(doc.pages, start, end)
    if page:
        lines.insert(lines.index(f"- Characters: {start}-{end}"), f"- Page: {page}")
    return Note("passage", f"passage of {title}", "\n".join(lines) + "\n")


def _tags(tags: Iterable[str]) -> str:
    return ", ".join(f"#{inert_line(tag)}" for tag in tags)


def _page_citation(pages: list[int], start: int, end: int) -> str | None:
    """ "p. 4" or "pp. 4-5" for a passage of a paged document (PDF), from the pages' start offsets."""
    if not pages:
        return None
    first = max(1, bisect.bisect_right(pages, start))
    last = max(first, bisect.bisect_right(pages, max(start, end - 1)))
    return f"p. {first}" if first == last else f"pp. {first}-{last}"


def mentions_note(
    entity: CorpusEntity,
    mentions: Sequence[MentionLine],
    paths: dict[str, str] | None = None,
    now: str | None = None,
    tags: dict[str, list[str]] | None = None,
) -> Note:
    """Every mention of ``entity`` as a keyword-in-context list with citations (``tags``: by document id)."""
    name = inert_line(entity.name)
    lines = [f"## {name} ({entity.type}): {_count(len(mentions), 'mention')}", ""]
    if entity.aliases:
        lines += [f"- Also: {', '.join(inert_line(a) for a in entity.aliases)}"]
    if entity.roles:
        lines += [f"- Roles: {'; '.join(inert_line(r) for r in entity.roles)}"]
    if entity.aliases or entity.roles:
        lines.append("")
    for mention in mentions:
        sentence = inert_line(mention.sentence)
        rel_start = mention.start - mention.sentence_start
        rel_end = mention.end - mention.sentence_start
        if 0 <= rel_start < rel_end <= len(sentence):
            sentence = f"{sentence[:rel_start]}**{sentence[rel_start:rel_end]}**{sentence[rel_end:]}"
        where = inert_line((paths or {}).get(mention.doc_id, mention.doc_id))
        tagged = (tags or {}).get(mention.doc_id)
        lines.append(
            f"- {inert_line(mention.doc_title) or where}, {mention.published or 'undated'}"
            f" ({where}, characters {mention.start}-{mention.end}{'; ' + _tags(tagged) if tagged else ''}):"
            f" {sentence.strip()}"
        )
    lines += ["", f"- Noted: {now or _now()}"]
    return Note("mentions", f"{_count(len(mentions), 'mention')} of {name}", "\n".join(lines) + "\n")


def timeline_note(
    events: Iterable[CorpusEvent],
    label: str,
    paths: dict[str, str] | None = None,
    now: str | None = None,
    tags: dict[str, list[str]] | None = None,
) -> Note:
    """A range of the timeline: each dated event with its sentence and source (``tags``: by document id)."""
    items = list(events)
    lines = [f"## Timeline: {inert_line(label)} ({_count(len(items), 'event')})", ""]
    for event in items:
        try:
            first, last, precision = date_bounds(event.date)
            when = f"{event.date} ({precision})" if precision != "day" else event.date
        except (ValueError, IndexError):
            first = last = None
            when = inert_line(event.date)
        del first, last
        where = inert_line((paths or {}).get(event.doc_id, event.doc_id))
        title = inert_line(event.doc_title) or where
        sentence = whole_words(inert_line(event.sentence), inert_line(event.text))
        tagged = (tags or {}).get(event.doc_id)
        lines.append(
            f"- **{when}**: {sentence or inert_line(event.text)}"
            f" ({title}; {where}, characters {event.start}-{event.end}{'; ' + _tags(tagged) if tagged else ''})"
        )
    lines += ["", f"- Noted: {now or _now()}"]
    return Note("timeline", f"{_count(len(items), 'event')} of {inert_line(label)}", "\n".join(lines) + "\n")


def related_note(
    entity: CorpusEntity,
    related: Sequence[RelatedEntity],
    scope: str = "",
    now: str | None = None,
) -> Note:
    """The entities appearing with ``entity`` (shared sentences and documents, and the score), most telling first."""
    name = inert_line(entity.name)
    period = f", {inert_line(scope)}" if scope else ""
    lines = [f"## Appears with {name} ({entity.type}{period}): {_count(len(related), 'entity')}", ""]
    for item in related:
        other = item.entity
        lines.append(f"- {inert_line(other.name)} ({other.type}): {_count(item.sentences, 'shared sentence')}, "
                     f"{_count(item.documents, 'shared document')}, score {item.score:.2f}")
    lines += ["", "- Score: how much more often than chance they share sentences and documents (smoothed PMI)",
              f"- Noted: {now or _now()}"]
    return Note("related", f"{_count(len(related), 'entity')} appearing with {name}", "\n".join(lines) + "\n")


# --- saving -------------------------------------------------------------------------------


class NoteSaveError(OSError):
    """The notes file could not be written; the message is one readable line."""


def _explain(error: OSError, path: Path) -> str:
    import errno

    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "it is a directory",
        errno.ENOTDIR: "a parent is not a directory",
        errno.EEXIST: "a parent is a file, not a directory",
        errno.EDQUOT: "the disk quota is exceeded",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"cannot write {path}: {reason}"


def append_note(note: Note, path: Path) -> Path:
    """Append ``note`` to ``path`` whole or not at all; raise ``NoteSaveError`` with a clear reason."""
    path = path.expanduser()
    data = note.markdown.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as error:
        raise NoteSaveError(error.errno, _explain(error, path)) from error
    try:
        size = os.fstat(fd).st_size
        prefix = b"\n" if size else b""
        payload = prefix + data
        try:
            written = 0
            while written < len(payload):
                written += os.write(fd, payload[written:])
            os.fsync(fd)
        except OSError as error:
            # Never leave half a note behind.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise NoteSaveError(error.errno, _explain(error, path)) from error
    finally:
        os.close(fd)
    return path


def fallback_notes_path() -> Path:
    return Path(tempfile.gettempdir()) / f"explorer-notes-{os.getuid() if hasattr(os, 'getuid') else 'user'}.md"


def save_note(note: Note, path: Path, fallback: Path | None = None) -> Delivery:
    """Append to ``path``; if that fails, to ``fallback`` (the temporary directory by default)."""
    delivery = Delivery()
    try:
        delivery.saved_to = append_note(note, path)
        return delivery
    except NoteSaveError as error:
        delivery.save_error = str(error.strerror or error)
    other = fallback or fallback_notes_path()
    if other.expanduser().resolve() != path.expanduser().resolve():
        try:
            delivery.saved_to = append_note(note, other)
            delivery.fallback = True
        except NoteSaveError as error:
            delivery.save_error += f"; {error.strerror or error}"
    return delivery


# --- system clipboards ---------------------------------------------------------------------

ClipboardCommand = tuple[str, list[str]]  # (name shown to the user, argv)


def clipboard_commands(env: dict[str, str] | None = None) -> list[ClipboardCommand]:
    """The system clipboard commands available here, best first.

    ``EXPLORER_CLIPBOARD=none`` turns them all off (tests, or a user who wants OSC 52 only).
    """
    env = dict(os.environ if env is None else env)
    if env.get("EXPLORER_CLIPBOARD", "").lower() in {"none", "off", "0"}:
        return []
    found: list[ClipboardCommand] = []
    if env.get("TMUX") and shutil.which("tmux"):
        found.append(("tmux", ["tmux", "load-buffer", "-w", "-"]))
    if env.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        found.append(("wl-copy", ["wl-copy"]))
    if env.get("DISPLAY"):
        if shutil.which("xclip"):
            found.append(("xclip", ["xclip", "-selection", "clipboard"]))
        elif shutil.which("xsel"):
            found.append(("xsel", ["xsel", "-b", "-i"]))
    if shutil.which("pbcopy"):
        found.append(("pbcopy", ["pbcopy"]))
    if shutil.which("clip.exe"):
        found.append(("clip.exe", ["clip.exe"]))
    return found


def copy_with_commands(text: str, commands: Sequence[ClipboardCommand], timeout: float = 2.0) -> list[str]:
    """Feed ``text`` to each command; return the names of those that succeeded. Never raises."""
    done: list[str] = []
    data = text.encode("utf-8")
    for name, argv in commands:
        try:
            result = subprocess.run(argv, input=data, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode == 0:
            done.append(name)
    return done


def deliver(
    note: Note,
    notes_path: Path,
    osc52: Callable[[str], None] | None = None,
    commands: Sequence[ClipboardCommand] = (),
    fallback: Path | None = None,
) -> Delivery:
    """Save the note, then copy it with every system clipboard command given, then by OSC 52.

    Inside tmux, ``tmux load-buffer -w`` already makes one buffer and passes the text on to the
    outer terminal's clipboard; OSC 52 on top of it would make a second, identical buffer (tmux
    turns an application's OSC 52 into a buffer of its own), so it is sent only when tmux did
    not take the note.
    """
    delivery = save_note(note, notes_path, fallback)
    delivery.clipboards.extend(copy_with_commands(note.markdown, commands))
    if osc52 is not None and len(note.markdown) <= OSC52_LIMIT and "tmux" not in delivery.clipboards:
        try:
            osc52(note.markdown)
            delivery.clipboards.append("OSC 52")
        except Exception:  # a terminal write failing must not lose the note
            pass
    return delivery
