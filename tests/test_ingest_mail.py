"""E-mail: .eml, .mbox and Outlook .msg, their metadata, attachments, quoted replies and signatures.

Every message is made here with the standard library's ``email`` package (or, for
.msg, extract-msg's compound-file writer) and read back as a user's folder would be.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from make_samples import make_docx, make_eml, make_mbox, make_msg, make_pdf

from explorer.extract import extract
from explorer.ingest import read_documents, read_file
from explorer.ingest.mail import reply_furniture
from explorer.model import Skipped, SourceDocument

KST = timezone(timedelta(hours=9))
REPLY = (
    "Dear Sung,\n\n"
    "I met Kim Kye-gwan in Pyongyang on Tuesday. The talks with the Foreign Ministry went well, and we agreed "
    "to meet again in Beijing.\n\n"
    "On Mon, 7 Dec 2009 at 09:00, Sung Kim <sk@example.org> wrote:\n"
    "> Please send the notes from Geneva.\n"
    "> Thanks, Wendy Sherman sends her regards.\n\n"
    "-- \n"
    "Stephen Bosworth\n"
    "Special Representative for North Korea Policy\n"
)


def _pdf(lines: list[str], title: str) -> bytes:
    out = io.BytesIO()
    make_pdf([lines], title=title).write(out)
    return out.getvalue()


def _documents(path: Path) -> list[SourceDocument]:
    items = read_documents(path)
    assert all(isinstance(item, SourceDocument) for item in items), items
    return items  # type: ignore[return-value]


def test_an_eml_gives_subject_sender_date_recipients_and_its_attachment(tmp_path: Path) -> None:
    message = make_eml(
        "Talks in Pyongyang", "Stephen Bosworth <sb@example.org>", "Sung Kim <sk@example.org>", REPLY,
        datetime(2009, 12, 10, 18, 0, tzinfo=KST), cc="Kurt Campbell <kc@example.org>",
        message_id="<talks-1@example.org>",
        attachments=[("notes.pdf", _pdf(["Notes of the meeting", "Bosworth met Kim Kye-gwan on 9 December 2009."],
                                        "Meeting notes"))],
    )
    path = tmp_path / "mail.eml"
    path.write_bytes(message.as_bytes())
    mail, notes = _documents(path)

    assert (mail.title, mail.author, mail.published, mail.format) == (
        "Talks in Pyongyang", "Stephen Bosworth", "2009-12-10", "email")
    assert mail.container is None and mail.path.endswith("mail.eml")
    assert mail.properties["to"] == "Sung Kim <sk@example.org>"
    assert mail.properties["cc"] == "Kurt Campbell <kc@example.org>"
    assert mail.properties["message_id"] == "<talks-1@example.org>"
    assert mail.properties["from"] == "Stephen Bosworth <sb@example.org>"
    assert "I met Kim Kye-gwan in Pyongyang on Tuesday." in mail.text

    # The attachment is its own document, read as the PDF it is, citing the message.
    assert notes.path == f"{mail.path} \u203a notes.pdf"
    assert notes.container == mail.path
    assert (notes.format, notes.title) == ("pdf", "Meeting notes")
    assert "9 December 2009" in notes.text


def test_on_tuesday_in_the_body_resolves_from_the_date_header(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(make_eml("Talks", "Stephen Bosworth <sb@example.org>", "sk@example.org", REPLY,
                              datetime(2009, 12, 10, 18, 0, tzinfo=KST)).as_bytes())
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    events = {event.text: event.date for event in extract(doc).events}
    assert events["Tuesday"] == "2009-12-08"  # the Tuesday before Thursday 10 December 2009


def test_quoted_reply_and_signature_are_furniture_with_true_offsets(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(make_eml("Talks", "Stephen Bosworth <sb@example.org>", "sk@example.org", REPLY,
                              datetime(2009, 12, 10, 18, 0, tzinfo=KST)).as_bytes())
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    furniture = "".join(doc.text[start:end] for start, end in doc.furniture)
    for kept_aside in ("On Mon, 7 Dec 2009 at 09:00, Sung Kim <sk@example.org> wrote:",
                       "> Please send the notes from Geneva.", "Special Representative for North Korea Policy"):
        assert kept_aside in furniture
        assert kept_aside in doc.text  # kept in the text
    assert "I met Kim Kye-gwan" not in furniture
    names = {entity.name for entity in extract(doc).entities}
    assert "Kim Kye-gwan" in names
    assert "Wendy Sherman" not in names and "Geneva" not in names  # only in the quoted reply


def test_reply_furniture_knows_outlook_and_wrapped_attributions() -> None:
    outlook = ("Agreed, see you in Seoul.\n\n-----Original Message-----\nFrom: Sung Kim\nSent: Monday\n"
               "Shall we meet in Seoul?\n")
    (start, end), = reply_furniture(outlook)
    assert outlook[start:end].startswith("-----Original Message-----") and end == len(outlook)

    headers = "Fine by me.\n\nFrom: Sung Kim <sk@example.org>\nSent: Monday, December 7, 2009\nTo: Ri Gun\n\nOld text\n"
    (start, end), = reply_furniture(headers)
    assert headers[start:].startswith("From: Sung Kim") and end == len(headers)

    wrapped = "Yes.\n\nOn Mon, Dec 7, 2009 at 9:00 AM, Sung Kim\n<sk@example.org> wrote:\n> Question?\n\nAnswer below.\n"
    spans = reply_furniture(wrapped)
    assert [wrapped[s:e] for s, e in spans] == ["On Mon, Dec 7, 2009 at 9:00 AM, Sung Kim\n<sk@example.org> wrote:\n> Question?"]

    # A forwarded message is the content, not a quote; a plain dash line is no signature.
    forwarded = "FYI\n\n---------- Forwarded message ---------\nFrom: Ri Gun\nDate: Mon\n\nThe talks resume.\n"
    assert reply_furniture(forwarded) == []
    assert reply_furniture("Totals\n---\n5 votes\n") == []


def test_an_html_only_message_is_read_through_the_html_reader(tmp_path: Path) -> None:
    html = ("<html><body><p>The envoy <b>Sung Kim</b> arrives in Seoul on Friday.</p>"
            "<script>alert(1)</script><p>Talks follow in Beijing.</p></body></html>")
    path = tmp_path / "html.eml"
    path.write_bytes(make_eml("Arrival", "ri@example.org", "sk@example.org", "", datetime(2009, 12, 1, tzinfo=UTC),
                              html=html).as_bytes())
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    assert "The envoy Sung Kim arrives in Seoul on Friday." in doc.text
    assert "Talks follow in Beijing." in doc.text
    assert "<b>" not in doc.text and "alert(1)" not in doc.text
    assert doc.author == "ri@example.org"  # no name: the address


def test_plain_text_is_preferred_over_the_html_alternative(tmp_path: Path) -> None:
    path = tmp_path / "both.eml"
    path.write_bytes(make_eml("Both", "ri@example.org", "sk@example.org", "The plain text version.\n",
                              datetime(2009, 12, 1, tzinfo=UTC), html="<p>The HTML version.</p>").as_bytes())
    doc = read_file(path)
    assert isinstance(doc, SourceDocument)
    assert "The plain text version." in doc.text and "The HTML version." not in doc.text


def test_an_mbox_gives_one_document_per_message(tmp_path: Path) -> None:
    first = make_eml("Schedule", "Ri Gun <rg@example.org>", "sk@example.org",
                     "We meet in New York on Friday.\nFrom the airport I go to the mission.\n",
                     datetime(2009, 11, 2, 9, 0, tzinfo=UTC))
    second = make_eml("Re: Schedule", "Sung Kim <sk@example.org>", "rg@example.org", "Friday is fine.\n",
                      datetime(2009, 11, 3, 9, 0, tzinfo=UTC),
                      attachments=[("agenda.docx", make_docx(["Agenda for the talks in New York."],
                                                              title="Agenda"))])
    path = tmp_path / "archive.mbox"
    path.write_bytes(make_mbox([first, second]))
    docs = _documents(path)
    assert [d.path.rsplit("/", 1)[-1] for d in docs] == [
        "archive.mbox \u203a message 1", "archive.mbox \u203a message 2",
        "archive.mbox \u203a message 2 \u203a agenda.docx"]
    assert [d.title for d in docs] == ["Schedule", "Re: Schedule", "Agenda"]
    assert [d.published for d in docs[:2]] == ["2009-11-02", "2009-11-03"]
    assert docs[0].container is None and docs[2].container == docs[1].path
    # "From the airport" in a body escaped as ">From" is given back, and does not split the message.
    assert "From the airport I go to the mission." in docs[0].text


@pytest.mark.parametrize("name", ["Inbox", "export.eml"])
def test_a_mailbox_without_a_suffix_or_under_eml_is_read_as_one(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(make_mbox([make_eml("One", "a@example.org", "b@example.org", "Text one.\n",
                                         datetime(2009, 1, 1, tzinfo=UTC)),
                                make_eml("Two", "a@example.org", "b@example.org", "Text two.\n",
                                         datetime(2009, 1, 2, tzinfo=UTC))]))
    assert [d.title for d in _documents(path)] == ["One", "Two"]


def test_an_outlook_msg_gives_its_metadata_and_attachments(tmp_path: Path) -> None:
    path = tmp_path / "visit.msg"
    path.write_bytes(make_msg(
        "Visit to Seoul", "Kurt Campbell", "kc@example.org", [("Sung Kim", "sk@example.org")],
        "I arrive in Seoul on Wednesday.\r\n\r\n-- \r\nKurt Campbell\r\nAssistant Secretary\r\n",
        datetime(2009, 12, 7, 9, 0, tzinfo=UTC), message_id="<visit-7@example.org>",
        attachments=[("agenda.txt", b"Agenda: a meeting at the Ministry of Unification.\n")]))
    msg, agenda = _documents(path)
    assert (msg.title, msg.author, msg.published, msg.format) == ("Visit to Seoul", "Kurt Campbell", "2009-12-07",
                                                                  "email")
    assert msg.properties["message_id"] == "<visit-7@example.org>"
    assert "Sung Kim" in msg.properties["to"]
    assert "I arrive in Seoul on Wednesday." in msg.text
    assert any(msg.text[s:e].startswith("-- ") for s, e in msg.furniture)
    assert agenda.path == f"{msg.path} \u203a agenda.txt" and agenda.container == msg.path
    assert "Ministry of Unification" in agenda.text


def test_attached_messages_are_read_recursively_and_duplicate_names_kept_apart(tmp_path: Path) -> None:
    inner = make_eml("Inner", "ri@example.org", "sk@example.org", "The inner message about Beijing.\n",
                     datetime(2009, 5, 1, tzinfo=UTC), attachments=[("notes.txt", b"Inner notes on Tokyo.\n")])
    outer = make_eml("Fwd: Inner", "sk@example.org", "kc@example.org", "See below.\n", datetime(2009, 5, 2, tzinfo=UTC),
                     attachments=[("inner.eml", inner.as_bytes()), ("notes.txt", b"Outer notes on Seoul.\n"),
                                  ("notes.txt", b"More outer notes on Busan.\n")])
    path = tmp_path / "fwd.eml"
    path.write_bytes(outer.as_bytes())
    docs = {d.path.rsplit("/", 1)[-1]: d for d in _documents(path)}
    assert list(docs) == ["fwd.eml", "fwd.eml \u203a inner.eml", "fwd.eml \u203a inner.eml \u203a notes.txt",
                          "fwd.eml \u203a notes.txt", "fwd.eml \u203a notes (2).txt"]
    assert docs["fwd.eml \u203a inner.eml"].title == "Inner"
    assert docs["fwd.eml \u203a inner.eml \u203a notes.txt"].container == docs["fwd.eml \u203a inner.eml"].path
    assert "Busan" in docs["fwd.eml \u203a notes (2).txt"].text


def test_an_unreadable_attachment_is_its_own_line_beside_the_message(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(make_eml("Figures", "ri@example.org", "sk@example.org", "Figures attached.\n",
                              datetime(2009, 5, 1, tzinfo=UTC),
                              attachments=[("figures.xlsx", b"PK\x03\x04" + b"\x00" * 40),
                                           ("broken.pdf", b"%PDF-1.4 garbage")]).as_bytes())
    items = read_documents(path)
    assert isinstance(items[0], SourceDocument)
    skipped = {item.path.rsplit(" \u203a ", 1)[-1]: item.reason for item in items if isinstance(item, Skipped)}
    assert set(skipped) == {"figures.xlsx", "broken.pdf"}
    assert "unsupported file type .xlsx" in skipped["figures.xlsx"]
    assert "PDF" in skipped["broken.pdf"]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("garbage.eml", b"\x00\x01\x02\x03" * 200, "not an e-mail"),
    ("notes.eml", b"Just some notes, no headers at all.\n", "not an e-mail"),
    ("fake.msg", b"Not a compound file at all", "not an Outlook message"),
    ("fake.mbox", b"Hello\nworld\n", "not a mailbox"),
], ids=["garbage.eml", "notes.eml", "fake.msg", "fake.mbox"])
def test_what_is_no_mail_is_skipped_with_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    items = read_documents(path)
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert reason in items[0].reason


def test_a_message_attached_in_base64_is_decoded_and_read(tmp_path: Path) -> None:
    """Some mailers base64-encode an attached message/rfc822, which the standard forbids; it is read all the same."""
    inner = make_eml("Inner", "ri@example.org", "sk@example.org", "The inner message about Hanoi.\n",
                     datetime(2009, 5, 1, tzinfo=UTC))
    outer = make_eml("Fwd", "sk@example.org", "kc@example.org", "See below.\n", datetime(2009, 5, 2, tzinfo=UTC))
    outer.add_attachment(inner.as_bytes(), maintype="message", subtype="rfc822", filename="inner.eml")
    assert b"Content-Transfer-Encoding: base64" in outer.as_bytes()
    path = tmp_path / "fwd.eml"
    path.write_bytes(outer.as_bytes())
    docs = _documents(path)
    assert [d.title for d in docs] == ["Fwd", "Inner"]
    assert "The inner message about Hanoi." in docs[1].text and docs[1].container == docs[0].path


def test_a_mailbox_without_a_suffix_is_allowed_a_mailbox_s_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A suffix-less file is text (64 MB at most) unless it starts as a mailbox: then the mailbox limit holds."""
    import explorer.ingest.readers as readers

    path = tmp_path / "Inbox"
    path.write_bytes(make_mbox([make_eml(f"Message {n}", "a@example.org", "b@example.org", "Talks in Seoul.\n" * 50,
                                         datetime(2009, 1, 1, tzinfo=UTC)) for n in range(5)]))
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    assert path.stat().st_size > 1000
    assert [d.title for d in _documents(path)] == [f"Message {n}" for n in range(5)]
    notes = tmp_path / "notes"
    notes.write_bytes(b"Talks in Seoul.\n" * 100)
    (item,) = read_documents(notes)
    assert isinstance(item, Skipped) and item.reason.startswith("too large")
