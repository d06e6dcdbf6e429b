"""Scans: images (``.png``, ``.jpg``, ``.tif``) and PDF pages without a text layer, read by OCR.

OCR is the optional extra ``pip install 'explorer[ocr]'``: RapidOCR (its ONNX
models inside the wheel, nothing downloaded at run time) on ONNX Runtime, Pillow
to open images and pypdfium2 to render PDF pages; no system binary. Without the
extra a scan is skipped with a line naming it.

Each page is recognised on its own; the recognised lines are put back in reading
order (top to bottom, left to right on a line, a blank line where the page has a
gap) and the recognition confidence is kept in ``properties``: the mean over the
document, weighted by characters, and each page's where there are several.

Memory stays bounded: an image or a rendered page larger than ``MAX_PIXELS`` is
refused before it is decoded (Pillow's decompression-bomb limit), and a PDF page
is rendered at a resolution that keeps it under the same limit.
"""

from __future__ import annotations

import importlib.util
import io
import math
import statistics
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from explorer.ingest.errors import UnreadableFile
from explorer.ingest.quiet import quiet_libraries
from explorer.model import SourceDocument

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_IMAGE_BYTES = 256 * 1024 * 1024
# A page scanned at 600 dpi is 35 million pixels; a larger image is refused before decoding.
MAX_PIXELS = 60_000_000
MAX_FRAMES = 1000  # pages of a multi-page TIFF
RENDER_DPI = 200  # PDF pages: enough for body text, a quarter of 400 dpi's memory
PAGE_SEPARATOR = "\n\n"
INSTALL_HINT = "pip install 'explorer[ocr]' reads scans"


def available() -> bool:
    """Whether the ``ocr`` extra is installed (the engine, its runtime and Pillow)."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime", "PIL"))


@lru_cache(maxsize=1)
def _engine() -> Any:
    quiet_libraries()
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "critical"})


@dataclass(slots=True)
class PageText:
    text: str
    confidence: float  # mean over recognised characters, 0..1
    characters: int


def _lines(boxes: Any, texts: Any, scores: Any) -> list[tuple[float, float, float, str, float]]:
    """(top, bottom, left, text, score) of each recognised box."""
    found = []
    for box, text, score in zip(boxes, texts, scores, strict=False):
        text = " ".join(str(text).split())
        if not text:
            continue
        ys = [float(point[1]) for point in box]
        xs = [float(point[0]) for point in box]
        found.append((min(ys), max(ys), min(xs), text, float(score)))
    return found


def _layout(items: list[tuple[float, float, float, str, float]]) -> str:
    """Boxes back into lines (boxes whose middles are within half a line) and paragraphs (at gaps)."""
    if not items:
        return ""
    height = statistics.median(bottom - top for top, bottom, _, _, _ in items) or 1.0
    rows: list[list[tuple[float, float, float, str, float]]] = []
    for item in sorted(items, key=lambda i: (i[0] + i[1]) / 2):
        middle = (item[0] + item[1]) / 2
        if rows:
            last = rows[-1]
            last_middle = statistics.fmean((i[0] + i[1]) / 2 for i in last)
            if abs(middle - last_middle) < height / 2:
                last.append(item)
                continue
        rows.append([item])
    out: list[str] = []
    previous_bottom: float | None = None
    for row in rows:
        top = min(i[0] for i in row)
        if previous_bottom is not None:
            out.append("\n\n" if top - previous_bottom > height * 0.9 else "\n")
        out.append(" ".join(i[3] for i in sorted(row, key=lambda i: i[2])))
        previous_bottom = max(i[1] for i in row)
    return "".join(out)


def recognise(image: Any) -> PageText:
    """OCR one page image (a Pillow image) into its text in reading order and its confidence."""
    import numpy as np

    grey = image.convert("L")
    darkest, _ = grey.getextrema()
    if darkest > 160:  # nothing darker than light grey: a blank page has no text to find
        return PageText("", 0.0, 0)
    result = _engine()(np.asarray(grey.convert("RGB")))
    boxes, texts, scores = result.boxes, result.txts, result.scores
    if boxes is None or texts is None or scores is None:
        return PageText("", 0.0, 0)
    items = _lines(boxes, texts, scores)
    characters = sum(len(i[3]) for i in items)
    confidence = sum(len(i[3]) * i[4] for i in items) / characters if characters else 0.0
    return PageText(_layout(items), confidence, characters)


def confidence_properties(pages: dict[int, PageText]) -> dict[str, str]:
    """What a document keeps of its recognition: the mean confidence, and each page's where there are several."""
    read = {number: page for number, page in pages.items() if page.characters}
    characters = sum(page.characters for page in read.values())
    if not characters:
        return {}
    mean = sum(page.confidence * page.characters for page in read.values()) / characters
    properties = {"ocr": "RapidOCR", "ocr_confidence": f"{mean:.2f}"}
    if len(pages) > 1:
        properties["ocr_pages"] = ", ".join(str(number) for number in sorted(pages))
        properties["ocr_page_confidence"] = ", ".join(
            f"p. {number} {page.confidence:.2f}" for number, page in sorted(read.items()))[:1000]
    return properties


def _open_image(data: bytes) -> Any:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with warnings.catch_warnings():
        # Pillow warns between the limit and twice it, and refuses above: both are refusals here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UnreadableFile(f"image too large ({_size_of(data)}; the limit is {MAX_PIXELS // 1_000_000} "
                                 "million pixels)") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise UnreadableFile(f"not a readable image (damaged or misnamed: {exc.__class__.__name__})") from None
    return image


def _size_of(data: bytes) -> str:
    """An image's dimensions read from its header without Pillow's limit (for the message only)."""
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                return f"{image.width:,} x {image.height:,} pixels"
    except Exception:
        return "over the limit"
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def read_image(path: Path, data: bytes) -> SourceDocument:
    if not available():
        raise UnreadableFile(f"an image (a scan?); {INSTALL_HINT}")
    quiet_libraries()
    image = _open_image(data)
    pages: dict[int, PageText] = {}
    try:
        frames = min(int(getattr(image, "n_frames", 1) or 1), MAX_FRAMES)
        for frame in range(frames):
            if frame:
                image.seek(frame)
            if image.width * image.height > MAX_PIXELS:
                raise UnreadableFile(f"image too large ({image.width:,} x {image.height:,} pixels on page "
                                     f"{frame + 1}; the limit is {MAX_PIXELS // 1_000_000} million pixels)")
            pages[frame + 1] = recognise(image)
    except (OSError, ValueError, SyntaxError) as exc:
        if not pages:
            raise UnreadableFile(f"damaged image ({exc.__class__.__name__}: {exc})"[:200]) from None
    finally:
        image.close()
    texts = [pages[number].text for number in sorted(pages)]
    if not any(text.strip() for text in texts):
        raise UnreadableFile("no text found by OCR in the image")
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    doc = SourceDocument(path=str(path), text=PAGE_SEPARATOR.join(texts), format="image",
                         pages=starts if len(texts) > 1 else [])
    doc.properties = confidence_properties(pages)
    from explorer.ingest.analysis import analyse

    analyse(doc)
    return doc


def ocr_pdf_pages(data: bytes, numbers: list[int]) -> dict[int, PageText]:
    """OCR the given 0-based pages of a PDF, each rendered at ``RENDER_DPI`` within ``MAX_PIXELS``."""
    quiet_libraries()
    import pypdfium2

    found: dict[int, PageText] = {}
    document = pypdfium2.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number]
            try:
                width, height = page.get_size()
                scale = RENDER_DPI / 72
                if width * height * scale * scale > MAX_PIXELS:
                    scale = math.sqrt(MAX_PIXELS / max(width * height, 1.0))
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil()
                found[number] = recognise(image)
                image.close()
                bitmap.close()
            finally:
                page.close()
    finally:
        document.close()
    return found
