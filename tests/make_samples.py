"""Writes the committed samples under ``tests/samples/`` (run from the project root).

``python tests/make_samples.py`` rewrites ``report.pdf`` (a three-page report with a
real text layer and metadata, made with pypdf and a Helvetica font) and the text
files in legacy encodings. ``article.html`` and ``note.md`` are written by hand.
Tests import ``make_pdf`` from here to build PDFs of their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

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
