"""HTML pages: the main text and metadata extracted offline with trafilatura."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsledger.errors import NoArticleBody
from newsledger.ingest.decode import check_not_binary, decode
from newsledger.ingest.options import ReadOptions
from newsledger.ingest.text import read_limited, read_sidecar, sidecar_of
from newsledger.model import Article

#: Markup, scripts and styles make a page several times larger than its text.
MARKUP_FACTOR = 5


def read_html_file(path: Path, options: ReadOptions) -> Article:
    """The article in the HTML page ``path``; raises a NewsledgerError when there is none."""
    where = str(path)
    data = read_limited(path, limit=options.max_bytes * MARKUP_FACTOR, where=where)
    return html_article(data, where=where, origin=where, options=options, sidecar=sidecar_of(path))


def html_article(
    data: bytes, *, where: str, origin: str, options: ReadOptions, sidecar: Path | None = None
) -> Article:
    """An Article from the bytes of an HTML page (file or stdin)."""
    import trafilatura  # here, not at the top: it takes a quarter of a second to import

    check_not_binary(data, where=where)
    # With no forced encoding trafilatura reads <meta charset> itself, which our text policy cannot.
    page: str | bytes = data
    if options.encoding is not None:
        page = decode(data, where=where, encoding=options.encoding)
    # Precision over recall: an index page's link lists must not pass for an article body.
    try:
        extracted = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_links=False, favor_precision=True
        )
    except Exception as error:  # a parser bug on one odd page must not stop the batch
        raise NoArticleBody(
            f"the page could not be parsed: {type(error).__name__}: {error}",
            where=where,
            hint="save the article's text as .txt instead",
        ) from error
    document = extracted.as_dict() if extracted is not None and not isinstance(extracted, dict) else extracted
    text = document.get("text") if document is not None else None
    if document is None or not text or not text.strip():
        raise NoArticleBody(
            "no article text found in this page",
            where=where,
            hint="it may be an index, a login wall or a script-rendered page; save the article's own page",
        )
    fields: dict[str, Any] = {
        "title": document.get("title"),
        "published": document.get("date"),
        "outlet": document.get("sitename"),
        "url": document.get("url"),
    }
    if sidecar is not None:
        fields.update(read_sidecar(sidecar))
    return options.article(text, fields, where=where, origin=origin)
