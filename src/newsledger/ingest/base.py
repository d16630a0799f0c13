"""Article construction shared by every reader: text normalisation and stable ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from newsledger.model import Article


def normalize_for_id(text: str) -> str:
    """The form of a text that its id is computed from: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str, url: str | None = None) -> str:
    """A stable id from the normalised text and url: the same article always gets the same id."""
    digest = hashlib.sha256(f"{normalize_for_id(text)}\n{url or ''}".encode()).hexdigest()
    return digest[:16]


def make_article(
    text: str,
    *,
    id: str | None = None,  # noqa: A002 - the record's field name
    title: str | None = None,
    published: dt.date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    origin: str | None = None,
) -> Article:
    """An Article with its id computed when the input has none."""
    return Article(
        id=id or article_id(text, url),
        text=text,
        title=title,
        published=published,
        outlet=outlet,
        url=url,
        origin=origin,
    )
