"""Page analysis (title, byline, date line, furniture) with a bound on the text it reads.

``analyse_page`` reads every line of a document (its body is the longest run of
prose, its headline and date line are found around it); on a 50 MB file that
would be most of the time spent reading it. A web page saved as text is well
under ``ANALYSE_CHARS`` (100-300 KB for the longest), so a document longer than
that is analysed on its first ``ANALYSE_CHARS`` (cut at a line end), and the
results, which are offsets into that head, hold for the whole text. Furniture
further down such a document is not marked; at that size it is a log, a book or
a dump, not a web page.
"""

from __future__ import annotations

from explorer.ingest.page import analyse_page
from explorer.model import SourceDocument

ANALYSE_CHARS = 400_000


def analyse(doc: SourceDocument) -> None:
    """``analyse_page(doc)``, on at most the first ``ANALYSE_CHARS`` of a long text."""
    if len(doc.text) <= ANALYSE_CHARS:
        analyse_page(doc)
        return
    cut = doc.text.rfind("\n", 0, ANALYSE_CHARS)
    if cut < ANALYSE_CHARS // 2:
        cut = ANALYSE_CHARS
    head = SourceDocument(
        path=doc.path, text=doc.text[:cut], title=doc.title, author=doc.author, published=doc.published,
        format=doc.format, pages=[start for start in doc.pages if start < cut],
    )
    analyse_page(head)
    doc.title, doc.author, doc.published = head.title, head.author, head.published
    doc.furniture = head.furniture
    doc.body_start = head.body_start
