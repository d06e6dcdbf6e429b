"""Writes the committed samples under ``tests/samples/`` (run from the project root).

``python tests/make_samples.py`` rewrites ``report.pdf`` (a three-page report with a
real text layer and metadata, made with pypdf and a Helvetica font) and the text
files in legacy encodings. ``article.html`` and ``note.md`` are written by hand.
Tests import ``make_pdf`` from here to build PDFs of their own, and the makers of
e-mail (``make_eml``, ``make_mbox``, ``make_msg``), Office files (``make_docx``,
``make_odt``, ``make_rtf``) and scans (``make_scan``) to build the files they read:
no binary sample of those formats is committed.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject

PAGES = [
    [
        "Six-Party Talks: A Status Report",
        "Prepared by Elena Marsh",
        "The Security Council adopted resolution 1874 on 12 June 2009.",
        "Stephen Bosworth travelled to Pyongyang in December 2009.",
    ],
    [
        "Section 2. Sanctions",
        "Member states were called upon to inspect cargo bound for North Korea.",
        "The panel of experts reported to the committee in May 2010.",
    ],
    [
        "Section 3. Outlook",
        "Talks hosted by China have been suspended since April 2009.",
        "Envoys from Seoul, Tokyo and Moscow met in Beijing in 2011.",
    ],
]


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], title: str | None = None, author: str | None = None) -> PdfWriter:
    """A PDF whose pages carry ``pages`` as text (one list of lines per page)."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    font_ref = writer._add_object(font)
    for lines in pages:
        page = writer.add_blank_page(width=612, height=792)
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(ContentStream(stream, writer))
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
    metadata = {}
    if title:
        metadata["/Title"] = title
    if author:
        metadata["/Author"] = author
    if metadata:
        writer.add_metadata(metadata)
    return writer


ENCODED_TEXTS: dict[str, tuple[str, str]] = {
    "cp1252.txt": (
        "Sanctions \u201ctightened\u201d after the 2009 test \u2014 the caf\u00e9 owner in Z\u00fcrich said.\r\n"
        "Prices rose by 5 \u20ac in Gen\u00e8ve.\r\n",
        "cp1252",
    ),
    "latin1.txt": (
        "Rapport de l'Assembl\u00e9e g\u00e9n\u00e9rale \u00e0 Gen\u00e8ve, 12 juin 2009.\n"
        "Le Conseil de s\u00e9curit\u00e9 a adopt\u00e9 la r\u00e9solution \u00e0 l'unanimit\u00e9. "
        "Se\u00f1or Mu\u00f1oz \u00e9tait pr\u00e9sent.\n",
        "latin-1",
    ),
    "utf16.txt": (
        "UTF-16 report on Kim Kye-gwan\u2019s visit to Beijing, 2009.\nThe envoy met officials in Pyongyang.\n",
        "utf-16",
    ),
    "utf8-bom.txt": ("\ufeffBOM report: Ri Gun met Sung Kim in New York \u2014 2008.\n", "utf-8"),
}


# --- E-mail ---------------------------------------------------------------------------


def make_eml(
    subject: str,
    sender: str,
    to: str,
    body: str,
    date: datetime,
    *,
    html: str | None = None,
    attachments: list[tuple[str, bytes]] | None = None,
    cc: str | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A MIME message as a mail client writes it: text/plain (and HTML), then the attached files."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Date"] = format_datetime(date)
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.org")
    if body:
        message.set_content(body)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    for name, data in attachments or []:
        if name.endswith(".eml"):  # an attached message, as mail clients attach one (message/rfc822)
            from email import policy
            from email.parser import BytesParser

            message.add_attachment(BytesParser(policy=policy.default).parsebytes(data), filename=name)
            continue
        maintype, subtype = _MIME_TYPES.get(Path(name).suffix.lower(), ("application", "octet-stream"))
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


_MIME_TYPES = {
    ".pdf": ("application", "pdf"),
    ".txt": ("text", "plain"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".png": ("image", "png"),
}


def make_mbox(messages: list[EmailMessage]) -> bytes:
    """An mbox file: each message after a ``From `` separator line, ``From `` in bodies escaped."""
    out = io.BytesIO()
    for message in messages:
        out.write(b"From sender@example.org Tue Dec  8 09:00:00 2009\n")
        for line in message.as_bytes().splitlines(keepends=True):
            out.write(b">" + line if line.startswith(b"From ") else line)
        out.write(b"\n")
    return out.getvalue()


def _filetime(moment: datetime) -> int:
    return int((moment.timestamp() + 11_644_473_600) * 10_000_000)


class _PropertyStream:
    """The ``__properties_version1.0`` stream of an MSG object and its variable-length streams."""

    def __init__(self) -> None:
        self.entries: list[bytes] = []
        self.streams: dict[str, bytes] = {}

    def string(self, prop: int, value: str) -> None:
        self.binary(prop, value.encode("utf-16-le"), kind=0x001F)

    def binary(self, prop: int, value: bytes, kind: int = 0x0102) -> None:
        tag = (prop << 16) | kind
        self.entries.append(struct.pack("<IIII", tag, 6, len(value) + (2 if kind == 0x001F else 0), 0))
        self.streams[f"__substg1.0_{tag:08X}"] = value

    def integer(self, prop: int, value: int) -> None:
        self.entries.append(struct.pack("<IIiI", (prop << 16) | 0x0003, 6, value, 0))

    def time(self, prop: int, moment: datetime) -> None:
        self.entries.append(struct.pack("<IIQ", (prop << 16) | 0x0040, 6, _filetime(moment)))

    def write(self, writer: Any, storage: list[str], header: bytes) -> None:
        for name, data in self.streams.items():
            writer.addEntry([*storage, name], data)
        writer.addEntry([*storage, "__properties_version1.0"], header + b"".join(self.entries))


def make_msg(
    subject: str,
    sender_name: str,
    sender_address: str,
    to: list[tuple[str, str]],
    body: str,
    date: datetime,
    *,
    attachments: list[tuple[str, bytes]] | None = None,
    message_class: str = "IPM.Note",
    message_id: str = "<memo-1@example.org>",
) -> bytes:
    """An Outlook .msg (MS-OXMSG: a compound file of property streams), written with extract-msg's OLE writer."""
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    props = _PropertyStream()
    props.string(0x001A, message_class)
    props.string(0x0037, subject)
    props.string(0x0C1A, sender_name)
    props.string(0x0C1F, sender_address)
    props.string(0x0C1E, "SMTP")
    props.string(0x0042, sender_name)
    props.string(0x0E04, "; ".join(name for name, _ in to))
    props.string(0x1000, body)
    props.string(0x1035, message_id)
    props.time(0x0039, date)
    props.time(0x0E06, date)
    props.integer(0x0E07, 1)  # message flags: read
    attachments = attachments or []
    props.write(writer, [], struct.pack("<8xIIII8x", len(to), len(attachments), len(to), len(attachments)))
    for index, (name, address) in enumerate(to):
        storage = [f"__recip_version1.0_#{index:08X}"]
        writer.addEntry(storage, storage=True)
        recipient = _PropertyStream()
        recipient.string(0x3001, name)
        recipient.string(0x3003, address)
        recipient.string(0x39FE, address)
        recipient.string(0x3002, "SMTP")
        recipient.integer(0x0C15, 1)  # To
        recipient.write(writer, storage, b"\x00" * 8)
    for index, (name, data) in enumerate(attachments):
        storage = [f"__attach_version1.0_#{index:08X}"]
        writer.addEntry(storage, storage=True)
        attachment = _PropertyStream()
        attachment.string(0x3707, name)
        attachment.string(0x3704, name[:12])
        attachment.string(0x3703, Path(name).suffix)
        attachment.binary(0x3701, data)
        attachment.integer(0x3705, 1)  # attached by value
        attachment.integer(0x370B, -1)
        attachment.write(writer, storage, b"\x00" * 8)
    named = ["__nameid_version1.0"]
    writer.addEntry(named, storage=True)
    for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry([*named, stream], b"")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Office files -----------------------------------------------------------------------


def make_docx(paragraphs: list[str], *, title: str | None = None, author: str | None = None,
              created: datetime | None = None, heading: str | None = None,
              table: list[list[str]] | None = None) -> bytes:
    """A Word file made with python-docx, its core properties set as Word sets them."""
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    properties = document.core_properties
    properties.title = title or ""
    properties.author = author or ""
    if created:
        properties.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_odt(paragraphs: list[str], *, title: str | None = None, author: str | None = None,
             created: datetime | None = None, heading: str | None = None) -> bytes:
    """An OpenDocument text as LibreOffice writes one: mimetype first and stored, content.xml, meta.xml."""
    body = ""
    if heading:
        body += f'<text:h text:outline-level="1">{_xml_escape(heading)}</text:h>'
    for paragraph in paragraphs:
        # Runs of spaces are <text:s/> in ODF; the reader must give them back.
        body += "<text:p>" + _xml_escape(paragraph).replace("  ", ' <text:s text:c="1"/>') + "</text:p>"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS} office:version="1.3">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    meta_fields = ""
    if title:
        meta_fields += f"<dc:title>{_xml_escape(title)}</dc:title>"
    if author:
        meta_fields += f"<meta:initial-creator>{_xml_escape(author)}</meta:initial-creator>"
    if created:
        meta_fields += f"<meta:creation-date>{created.strftime('%Y-%m-%dT%H:%M:%S')}</meta:creation-date>"
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODT_NS} office:version="1.3">'
            f"<office:meta>{meta_fields}</office:meta></office:document-meta>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return out.getvalue()


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) > 127:
            out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
        else:
            out.append(ch)
    return "".join(out)


def make_rtf(paragraphs: list[str], *, title: str | None = None, author: str | None = None,
             created: datetime | None = None) -> bytes:
    """An RTF memo as WordPad writes one, with an ``\\info`` group for its properties."""
    info = ""
    if title:
        info += "{\\title " + _rtf_escape(title) + "}"
    if author:
        info += "{\\author " + _rtf_escape(author) + "}"
    if created:
        info += (f"{{\\creatim\\yr{created.year}\\mo{created.month}\\dy{created.day}"
                 f"\\hr{created.hour}\\min{created.minute}}}")
    body = "".join("\\pard " + _rtf_escape(p) + "\\par\n" for p in paragraphs)
    text = ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}"
            + ("{\\info" + info + "}" if info else "") + "\n\\f0\\fs24 " + body + "}")
    return text.encode("ascii")


# --- Scans ------------------------------------------------------------------------------


def make_scan(lines: list[str], *, size: int = 40, image_format: str = "PNG") -> bytes:
    """A page image with ``lines`` drawn in black on white, as a scanner would hand it over (Pillow)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=size)
    width = max(int(font.getlength(line)) for line in lines) + 2 * size
    height = (len(lines) * 2 + 1) * size
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((size, size + index * 2 * size), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format=image_format)
    return out.getvalue()


def main() -> int:
    folder = Path(__file__).with_name("samples")
    with open(folder / "report.pdf", "wb") as handle:
        make_pdf(PAGES, title="Six-Party Talks: A Status Report", author="Elena Marsh").write(handle)
    for name, (text, encoding) in ENCODED_TEXTS.items():
        (folder / name).write_bytes(text.encode(encoding))
    for path in sorted(folder.iterdir()):
        print(path, path.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
