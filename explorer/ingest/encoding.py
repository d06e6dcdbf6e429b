"""Bytes -> text: binary sniffing and encoding detection for text files.

Order of evidence, strongest first:

1. a signature of a known binary format (PNG, JPEG, ZIP, ...) -> not text;
2. a byte-order mark (UTF-8, UTF-16, UTF-32);
3. UTF-16 without a BOM (a NUL in every other byte), then NUL density -> binary;
4. valid UTF-8 (nearly every modern file), or UTF-8 with a few broken bytes;
5. Windows-1252 when the decoded text reads like Western European prose (this also
   decodes Latin-1 correctly: the two differ only in C1 controls, which never occur
   in real Latin-1 text);
6. charset-normalizer's candidates, ranked by how plausible the decoded text is.

``decode_text`` never returns text that was silently truncated; bytes that fit no
encoding become U+FFFD.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from explorer.ingest.errors import UnreadableFile

# How much of a file the sniffers and the charset detector look at.
SNIFF_BYTES = 8192
DETECT_BYTES = 256 * 1024

# Leading bytes of formats that are never text, with a name for the skip reason.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media (WebP/WAV/AVI)"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", "BMP image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document (OLE)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 media"),
    (b"\x00\x00\x00\x1cftyp", "MP4 media"),
    (b"\x00\x00\x00\x20ftyp", "MP4 media"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x00\x01\x00\x00\x00", "font"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls that never occur in text (tab, newlines, form feed and ESC do).
_BINARY_CONTROLS = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])

# Encodings in the order a tie between equally plausible candidates is settled:
# the ones people's files are actually in come first.
_COMMON_ENCODINGS = (
    "cp1252", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1257",
    "iso8859_15", "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "gb18030", "gb2312", "gbk", "big5",
    "euc_kr", "cp949", "iso8859_7", "iso8859_9", "cp1256", "cp1255", "iso8859_5", "mac_roman",
)


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NULs sit in every other byte, as in UTF-16 text."""
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (``"binary file (PNG image)"``), or None when it may be text."""
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            return f"binary file ({name}), not text"
    if bom_encoding(data):
        return None
    head = data[:SNIFF_BYTES]
    if _utf16_without_bom(head):
        return None
    if head.count(0) > max(8, len(head) // 100):
        # A few stray NULs are tolerated in text; many mean a binary format.
        return "binary file (NUL bytes), not text"
    if head:
        controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
        if controls > max(8, len(head) // 20):
            return "binary file (control bytes), not text"
    return None


def _implausibility(text: str) -> int:
    """How un-text-like a decoding is: C1 controls and symbols wedged inside words.

    A wrong single-byte code page turns letters into symbols in the middle of words
    (Polish "ą" read as Windows-1252 is "±"); a right one produces letters there.
    """
    score = 0
    for i, ch in enumerate(text):
        code = ord(ch)
        if code < 0x80:
            continue
        if 0x80 <= code <= 0x9F or ch == "\ufffd":
            score += 3
            continue
        if unicodedata.category(ch) == "Mn" and (i == 0 or not text[i - 1].isalpha()):
            score += 1  # an accent on nothing: a Vietnamese code page read where none is meant
            continue
        if 0 < i < len(text) - 1 and not ch.isalpha() and text[i - 1].isalpha() and text[i + 1].isalpha():
            category = unicodedata.category(ch)
            # An apostrophe or a middle dot is at home in a word; other symbols are not.
            if (category[0] in "SN" or category in ("Po", "Cf", "Co", "Cn")) and ch not in "’'·":
                score += 1
    return score


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_ACCENTED_WORD = re.compile(r"\w*[^\x00-\x7f\W]\w*")  # words with a non-ASCII letter


def _reads_as_western(sample: str) -> bool:
    """Does a Windows-1252 decoding read as Western European text?"""
    non_ascii = _NON_ASCII.findall(sample)
    if not non_ascii:
        return True
    if _implausibility(sample) > max(1, len(non_ascii) // 50):
        return False
    # Turkish read as Windows-1252 shows Icelandic letters (ý for ı, þ for ş, ð for ğ).
    if any(ch in "ðýþÐÝÞ" for ch in non_ascii):
        return False
    # Cyrillic, Greek or Hebrew read as Windows-1252 is nothing but accented letters;
    # Western languages write most of their letters, and all but a few words, in ASCII.
    accented = sum(1 for ch in non_ascii if ch.isalpha())
    if accented > 0.35 * (accented + len(_ASCII_LETTERS.findall(sample))):
        return False
    words = _ACCENTED_WORD.findall(sample)
    foreign = sum(1 for word in words if len(word) >= 3 and not _ASCII_LETTERS.search(word))
    return foreign <= max(2, len(words) // 10)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (a truncated or spliced file) rather than a legacy code page."""
    sample = data[: DETECT_BYTES * 4]
    text = sample.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    well_formed = len(_NON_ASCII.findall(text)) - broken
    # Legacy single-byte text almost never forms valid multi-byte UTF-8 sequences.
    return well_formed > broken


def _cut_sample(data: bytes) -> bytes:
    """The first ``DETECT_BYTES`` of ``data``, cut at a line end so no character is split."""
    if len(data) <= DETECT_BYTES:
        return data
    cut = data.rfind(b"\n", 0, DETECT_BYTES)
    return data[: cut if cut > DETECT_BYTES // 2 else DETECT_BYTES]


def detect_encoding(data: bytes) -> str:
    """The name of the codec to decode ``data`` with; raises ``UnreadableFile`` if none fits."""
    bom = bom_encoding(data)
    if bom:
        return bom
    utf16 = _utf16_without_bom(data[:SNIFF_BYTES])
    if utf16:
        return utf16
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return "utf-8"
    sample = _cut_sample(data)
    if not any(b in sample for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")) and _reads_as_western(
        sample.decode("cp1252", errors="replace")
    ):
        return "cp1252"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        raise UnreadableFile("not text (no known encoding fits its bytes)")

    def rank(position: int) -> tuple[int, float, float, int, int]:
        # Fewest symbols inside words, then charset-normalizer's "chaos" (mess) and
        # "coherence" (letter frequencies of a language), then the encodings people
        # actually use, then its own order.
        match = matches[position]
        decoded = sample.decode(match.encoding, errors="replace")
        common = _COMMON_ENCODINGS.index(match.encoding) if match.encoding in _COMMON_ENCODINGS else len(_COMMON_ENCODINGS)
        return _implausibility(decoded), round(match.chaos, 1), -round(match.coherence, 2), common, position

    return matches[min(range(len(matches)), key=rank)].encoding


def decode_text(data: bytes) -> str:
    """Decode the bytes of a text file: BOMs, UTF-16, UTF-8, then legacy code pages.

    A leading BOM is dropped; bytes the chosen encoding cannot decode become U+FFFD.
    """
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):  # a BOM inside UTF-16/32 text
        text = text[1:]
    return text


def normalise_newlines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line ends become ``\\n``; a bare CR would move a terminal's cursor."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
