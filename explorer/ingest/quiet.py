"""Keep the document libraries' own log lines and warnings off the user's terminal.

trafilatura, htmldate, pypdf and charset-normalizer log what they find odd in a
file ("wrong pointing object", "parsed tree length"); with no logging set up,
Python prints those to stderr. A skipped file is reported once, by explorer, in
one line, so their chatter is silenced here.
"""

from __future__ import annotations

import logging
import warnings

_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "readability", "lxml", "pypdf", "charset_normalizer",
              "extract_msg", "olefile", "RTFDE", "docx", "PIL", "RapidOCR", "rapidocr", "pypdfium2")
_done = False


def quiet_libraries() -> None:
    global _done
    if _done:
        return
    for name in _LIBRARIES:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False
    warnings.filterwarnings(
        "ignore", module=r"(pypdf|trafilatura|htmldate|charset_normalizer|extract_msg|olefile|docx|rapidocr|pypdfium2)(\.|$)")
    _done = True
