"""E-mail: ``.eml`` (MIME), ``.mbox`` (one document per message) and Outlook ``.msg`` (extract-msg).

A message becomes a document whose text starts with its header block (From, To,
Cc, Date, Subject) and goes on with its body: text/plain where the message has
it, otherwise its HTML part's visible text (through the HTML reader's
``visible_text``: an e-mail's HTML is the message itself, with no site navigation
for a main-text extractor to remove). The subject is the title, the sender the
author, the Date header the publication date, so "on Tuesday" in the body
resolves against the day the message was sent; recipients and the message id go
into ``properties``.

Quoted replies ("On Mon, 7 Dec 2009, X wrote:", lines starting with ">", an
Outlook "-----Original Message-----" block) and signatures ("-- " and what
follows) are furniture: kept in the text, offsets true, ignored by extraction.

Attachments come back as ``Attachment`` (a file, read by its suffix) or, for an
attached message, a nested ``Message``; ``readers.read_documents`` reads them.
The standard library parses MIME; extract-msg is imported on the first ``.msg``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from explorer.ingest.containers import Attachment, Message
from explorer.ingest.encoding import binary_reason, decode_text, normalise_newlines
from explorer.ingest.errors import UnreadableFile
from explorer.ingest.page import split_lines
from explorer.ingest.quiet import quiet_libraries
from explorer.model import SourceDocument

# An .eml or .msg above this is skipped (attachments included, base64 counted);
# a mailbox may be larger, each of its messages not.
MAX_MAIL_BYTES = 256 * 1024 * 1024
MAX_MBOX_BYTES = 512 * 1024 * 1024

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?\S", re.MULTILINE)
# An mbox separator: "From " at a line start, then a header line (a body line "From the start"
# written by a careless mailer is not followed by one).
_MBOX_SEPARATOR = re.compile(rb"^From [^\n]*\r?\n(?=[!-9;-~]+:)", re.MULTILINE)
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")

# --- Quoted replies and signatures -------------------------------------------------------

_ATTRIBUTION = re.compile(
    r"^\s*(?:On\s.{3,300}?\s(?:wrote|writes)|Le\s.{3,300}?\sa\s\u00e9crit|Am\s.{3,300}?\sschrieb\s?.{0,200}?"
    r"|El\s.{3,300}?\sescribi\u00f3)\s?:\s*$",
    re.IGNORECASE,
)
_ATTRIBUTION_START = re.compile(r"^\s*(?:On|Le|Am|El)\s", re.IGNORECASE)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Urspr\u00fcngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*(?:\*\s*)?From:\s*\S")
_OUTLOOK_SENT = re.compile(r"^\s*(?:\*\s*)?Sent:\s*\S")
# A forwarded message is the content itself, not a quote: after this line nothing runs to the end.
_FORWARDED = re.compile(r"^\s*(?:-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:)\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^-- ?$")


def reply_furniture(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that repeat earlier messages or sign off: quoted replies and the signature."""
    lines = split_lines(text)
    spans: list[tuple[int, int]] = []
    seen_text = forwarded = False
    i = 0
    while i < len(lines):
        line = lines[i]
        raw = line.text
        forwarded = forwarded or bool(_FORWARDED.match(raw))
        if not forwarded and (_SIGNATURE.match(raw) or _ORIGINAL_MESSAGE.match(raw) or (
                seen_text and _OUTLOOK_FROM.match(raw)
                and any(_OUTLOOK_SENT.match(following.text) for following in lines[i + 1 : i + 4]))):
            spans.append((line.start, len(text)))  # the rest is the signature or the earlier message
            break
        if _ATTRIBUTION.match(raw):
            spans.append((line.start, line.end))
        elif _ATTRIBUTION_START.match(raw) and i + 1 < len(lines) and _ATTRIBUTION.match(
                raw + " " + lines[i + 1].text.strip()):
            spans.append((line.start, lines[i + 1].end))  # "On Mon, 7 Dec 2009 at 09:00, Sung Kim\n<sk@...> wrote:"
            i += 1
        elif raw.lstrip().startswith(">"):
            spans.append((line.start, line.end))
        elif raw.strip():
            seen_text = True
        i += 1
    return _merge_across_blanks(spans, text)


def _merge_across_blanks(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --- Building the document ---------------------------------------------------------------


def _one_line(value: object, limit: int = 2000) -> str:
    return _SPACE.sub(" ", str(value or "")).strip()[:limit]


def _author(sender: str) -> str | None:
    """The sender's name where the From header gives one, else the address."""
    if not sender:
        return None
    if "@" not in sender and "<" not in sender:
        return _one_line(sender.strip("'\" ")) or None  # a name alone (Outlook's sender without an address)
    pairs = getaddresses([sender])
    if pairs and (pairs[0][0] or pairs[0][1]):
        name, address = pairs[0]
        return _one_line(name.strip("'\" ")) or address or None
    return sender


def _iso_day(moment: datetime | None) -> str | None:
    if moment is None or not 1900 <= moment.year <= 2200:
        return None
    return moment.date().isoformat()


def _mail_document(
    path: Path, *, sender: str, to: str, cc: str, date_text: str, moment: datetime | None, subject: str,
    body: str, message_id: str, in_reply_to: str = "",
) -> SourceDocument:
    header = [f"From: {sender}" if sender else "", f"To: {to}" if to else "", f"Cc: {cc}" if cc else "",
              f"Date: {date_text}" if date_text else "", f"Subject: {subject}" if subject else ""]
    head = "\n".join(line for line in header if line)
    body = normalise_newlines(body).strip("\n")
    text = f"{head}\n\n{body}" if head and body else head or body
    if not text.strip():
        raise UnreadableFile("an empty message (no headers, no text)")
    body_start = len(head) + 2 if head and body else 0
    doc = SourceDocument(
        path=str(path), text=text, title=subject or None, author=_author(sender), published=_iso_day(moment),
        format="email", body_start=body_start,
    )
    doc.furniture = [(body_start + s, body_start + e) for s, e in reply_furniture(text[body_start:])] if body else []
    properties = {"from": sender, "to": to, "cc": cc, "date": date_text, "message_id": message_id,
                  "in_reply_to": in_reply_to}
    doc.properties = {key: value[:1000] for key, value in properties.items() if value}
    return doc


def html_to_text(markup: str) -> str:
    """An HTML body's visible text (the HTML reader's block-per-paragraph rendering)."""
    from explorer.ingest.html import visible_text

    markup = _XML_INCOMPATIBLE.sub("", markup)
    if not markup.strip():
        return ""
    try:
        return visible_text(markup)
    except Exception:  # lxml refuses a body that is no markup at all: keep it as it is
        return markup


# --- MIME (.eml, .mbox) -------------------------------------------------------------------


def _header(message: EmailMessage, name: str) -> str:
    """A header as one line of text; a malformed header is kept as it was written."""
    try:
        value = message.get(name)
    except Exception:
        value = None
    if value is None:
        raw = [v for k, v in getattr(message, "_headers", []) if k.lower() == name.lower()]
        value = raw[0] if raw else ""
    return _one_line(value)


def _date(message: EmailMessage, text: str) -> datetime | None:
    try:
        header = message.get("date")
        moment = getattr(header, "datetime", None)
        if moment is None and text:
            moment = parsedate_to_datetime(text)
        return moment
    except Exception:
        return None


def _payload_text(part: EmailMessage) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes | bytearray):
        return str(part.get_payload() or "")
    charset = part.get_content_charset()
    if charset:
        try:
            return bytes(data).decode(charset, errors="replace")
        except LookupError:
            pass
    return decode_text(bytes(data))


def _body(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        if message.is_multipart() or message.get_content_maintype() != "text":
            return ""
        part = message
    text = _payload_text(part)
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    return text


def _skippable(part: EmailMessage) -> bool:
    """Parts that are no document: a signature, an image the HTML body shows inline."""
    kind = part.get_content_type()
    if kind in ("application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"):
        return True
    return part.get_content_maintype() == "image" and bool(part.get("content-id")) and (
        part.get_content_disposition() != "attachment")


def _attachment_parts(message: EmailMessage) -> Iterator[EmailMessage]:
    try:
        parts = list(message.iter_attachments())
    except Exception:
        return
    for part in parts:
        if part.get_content_maintype() == "multipart":
            yield from _attachment_parts(part)  # a nested mixed part: its own attachments
        elif not _skippable(part):
            yield part


def _suffix_for(part: EmailMessage) -> str:
    import mimetypes

    return mimetypes.guess_extension(part.get_content_type()) or ""


def _from_mime(message: EmailMessage, path: Path, label: str) -> Message:
    subject = _header(message, "subject")
    sender = _header(message, "from")
    date_text = _header(message, "date")
    doc = _mail_document(
        path, sender=sender, to=_header(message, "to"), cc=_header(message, "cc"), date_text=date_text,
        moment=_date(message, date_text), subject=subject, body=_body(message),
        message_id=_header(message, "message-id"), in_reply_to=_header(message, "in-reply-to"),
    )
    result = Message(label, doc)
    for index, part in enumerate(_attachment_parts(message), 1):
        name = _one_line(part.get_filename() or "", 200)
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, EmailMessage) and inner.keys():
                title = _header(inner, "subject") or f"message {index}"
                result.attachments.append(_nested(inner, path, name or f"{title}.eml"))
                continue
            # A message attached in base64 (against the standard, but mailers do): the parser
            # leaves it undecoded; decode it and read it as an .eml file.
            raw = inner.get_payload() if isinstance(inner, EmailMessage) else ""
            encoding = str(part.get("content-transfer-encoding", "")).lower()
            data = _decode_transfer(raw if isinstance(raw, str) else "", encoding)
            result.attachments.append(Attachment(name or f"message {index}.eml", data))
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes | bytearray):
            data = str(part.get_payload() or "").encode("utf-8", "surrogateescape")
        result.attachments.append(Attachment(name or f"attachment {index}{_suffix_for(part)}", bytes(data)))
    return result


def _decode_transfer(text: str, encoding: str) -> bytes:
    import base64
    import binascii
    import quopri

    if encoding == "base64":
        try:
            return base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return b""
    if encoding == "quoted-printable":
        return quopri.decodestring(text.encode("ascii", "replace"))
    return text.encode("utf-8", "surrogateescape")


def _nested(message: EmailMessage, path: Path, label: str) -> Message:
    try:
        return _from_mime(message, path, label)
    except UnreadableFile as exc:
        return Message(label, None, str(exc))


def _looks_like_mail(data: bytes) -> bool:
    head = data[:8192].lstrip(b"\r\n")
    return bool(_HEADER_LINE.match(head)) and bool(
        re.search(rb"(?im)^(?:from|date|subject|message-id|to|received|mime-version):", head))


def parse_mime(data: bytes) -> EmailMessage:
    reason = binary_reason(data[:65536])
    if reason:
        raise UnreadableFile(reason)
    if not _looks_like_mail(data):
        raise UnreadableFile("not an e-mail (no message headers at its start)")
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def read_eml(path: Path, data: bytes) -> list[Message]:
    if len(data) > MAX_MAIL_BYTES:
        raise UnreadableFile(f"too large for an e-mail ({len(data) >> 20} MB > {MAX_MAIL_BYTES >> 20} MB)")
    if looks_like_mbox(data):  # some exports write a mailbox, "From " line and all, under .eml
        return read_mbox(path, data)
    return [_from_mime(parse_mime(data), path, "")]


def looks_like_mbox(data: bytes) -> bool:
    return data.startswith(b"From ") and bool(_MBOX_SEPARATOR.match(data))


def read_mbox(path: Path, data: bytes) -> list[Message]:
    if not looks_like_mbox(data):
        raise UnreadableFile("not a mailbox (no 'From ' line before its first message)")
    starts = [m.start() for m in _MBOX_SEPARATOR.finditer(data)]
    messages: list[Message] = []
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(data)], strict=True), 1):
        label = f"message {number}"
        chunk = data[start:end]
        chunk = chunk[chunk.find(b"\n") + 1 :]  # the "From " separator line is the mbox's, not the message's
        chunk = re.sub(rb"(?m)^>(>*From )", rb"\1", chunk)  # mboxrd: ">From " in a body was "From "
        if len(chunk) > MAX_MAIL_BYTES:
            messages.append(Message(label, None, f"too large for an e-mail ({len(chunk) >> 20} MB)"))
            continue
        try:
            messages.append(_from_mime(parse_mime(chunk), path, label))
        except UnreadableFile as exc:
            messages.append(Message(label, None, str(exc)))
        except RecursionError:
            messages.append(Message(label, None, "too deeply nested to read"))
    if not messages:
        raise UnreadableFile("an empty mailbox")
    return messages


# --- Outlook (.msg) -------------------------------------------------------------------------


def _attr(item: Any, name: str) -> Any:
    try:
        return getattr(item, name, None)
    except Exception:  # extract-msg computes properties lazily; a damaged one raises
        return None


def _msg_text(msg: Any) -> str:
    body = _attr(msg, "body")
    if isinstance(body, str) and body.strip():
        return body
    html = _attr(msg, "htmlBody")
    if isinstance(html, bytes) and html.strip():
        return html_to_text(html.decode("utf-8", errors="replace"))
    return ""


def _from_msg(msg: Any, path: Path, label: str) -> Message:
    moment = _attr(msg, "date")
    moment = moment if isinstance(moment, datetime) else None
    header = _attr(msg, "header")
    date_text = _one_line(header.get("date", "") if header is not None else "") or (
        moment.strftime("%a, %d %b %Y %H:%M:%S %z").strip() if moment else "")
    doc = _mail_document(
        path, sender=_one_line(_attr(msg, "sender")), to=_one_line(_attr(msg, "to")), cc=_one_line(_attr(msg, "cc")),
        date_text=date_text, moment=moment, subject=_one_line(_attr(msg, "subject")), body=_msg_text(msg),
        message_id=_one_line(_attr(msg, "messageId")), in_reply_to=_one_line(_attr(msg, "inReplyTo")),
    )
    doc.properties["outlook_class"] = _one_line(_attr(msg, "classType"), 100)
    result = Message(label, doc)
    attachments = _attr(msg, "attachments") or []
    for index, attachment in enumerate(attachments, 1):
        name = _one_line(_attr(attachment, "longFilename") or _attr(attachment, "shortFilename")
                         or _attr(attachment, "name") or "", 200)
        if _attr(attachment, "hidden") and _attr(attachment, "cid"):
            continue  # an image the HTML body shows inline
        data = _attr(attachment, "data")
        if isinstance(data, bytes):
            result.attachments.append(Attachment(name or f"attachment {index}", data))
        elif data is not None and hasattr(data, "classType"):  # an attached Outlook item
            title = _one_line(_attr(data, "subject")) or f"message {index}"
            try:
                result.attachments.append(_from_msg(data, path, name or f"{title}.msg"))
            except UnreadableFile as exc:
                result.attachments.append(Message(name or f"{title}.msg", None, str(exc)))
        else:
            result.attachments.append(Message(name or f"attachment {index}", None,
                                              "an attachment Outlook keeps by reference, not in the message"))
    return result


def _protected(class_type: str) -> str | None:
    kind = class_type.lower()
    if kind.startswith("ipm.note.smime") and not kind.endswith("multipartsigned"):
        return "encrypted message (S/MIME); it can be read only with the recipient's key"
    if "rpmsg" in kind:
        return "protected message (Microsoft Rights Management); it can be read only in Outlook"
    return None


def read_msg(path: Path, data: bytes) -> list[Message]:
    if len(data) > MAX_MAIL_BYTES:
        raise UnreadableFile(f"too large for an e-mail ({len(data) >> 20} MB > {MAX_MAIL_BYTES >> 20} MB)")
    if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnreadableFile("not an Outlook message (no compound-file header; damaged or misnamed)")
    quiet_libraries()
    import extract_msg

    try:
        probe = extract_msg.MSGFile(data, delayAttachments=True)
        try:
            class_type = str(probe.classType or "")
        finally:
            probe.close()
    except Exception as exc:
        raise UnreadableFile(f"damaged Outlook message ({exc.__class__.__name__})") from None
    if not class_type:
        raise UnreadableFile("not an Outlook message (a compound file of another kind: .doc, .xls?)")
    protected = _protected(class_type)
    if protected:
        raise UnreadableFile(protected)
    try:
        msg = extract_msg.openMsg(data, strict=False)
    except Exception as exc:
        raise UnreadableFile(f"damaged Outlook message ({exc.__class__.__name__})") from None
    try:
        return [_from_msg(msg, path, "")]
    finally:
        msg.close()
