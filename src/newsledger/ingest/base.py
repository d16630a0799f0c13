"""Article construction shared by every reader: text checks, metadata, dates and stable ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import unicodedata
from collections.abc import Mapping
from typing import Any

from newsledger.errors import BadMetadata, EmptyText, TooLarge, UndecodableText
from newsledger.model import Article

#: Largest article text accepted, in UTF-8 bytes (about 300,000 words: far beyond any news article).
DEFAULT_MAX_BYTES = 2_000_000

#: Metadata keys a reader takes from its input (JSONL keys, sidecar JSON, front matter).
METADATA_KEYS = ("id", "title", "published", "outlet", "url")

# Dates outside this range are typos or placeholders ("0001-11-30"), not publication dates.
_EARLIEST_YEAR = 1800


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Metadata:
    """Metadata given by the caller (``--published``, ``--outlet``...); set fields override the input's."""

    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None

    def apply(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with every field set here replacing the input's."""
        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {**values, **{k: v for k, v in given.items() if v is not None}}


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


def clean_text(text: str, *, where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """``text`` with newlines unified to ``\\n``, or an error if it is empty, too large or unencodable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyText(
            "the article text is empty or only whitespace",
            where=where,
            hint="check the file or the text field; nothing was analysed",
        )
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:  # lone surrogates from a broken upstream decoder
        raise UndecodableText(
            f"the text holds an invalid character at offset {error.start}",
            where=where,
            hint="re-export the text as valid UTF-8",
        ) from error
    if size > max_bytes:
        raise TooLarge(
            f"the text is {size:,} bytes, over the limit of {max_bytes:,}",
            where=where,
            hint="split the file into articles, or raise the limit with --max-bytes",
        )
    return text


def parse_date(value: Any, *, where: str, field: str = "published") -> dt.date | None:
    """An ISO 8601 date (or date-time, whose date is kept) as a ``date``; ``None`` for no value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    hint = f"write {field} as YYYY-MM-DD (ISO 8601), or set it with --{field}"
    if not isinstance(value, str):
        raise BadMetadata(f"{field} is a {type(value).__name__}, not a date", where=where, hint=hint)
    text = value.strip()
    try:
        date = dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text).date()
    except ValueError as error:
        raise BadMetadata(f"{field} {value!r} is not an ISO 8601 date", where=where, hint=hint) from error
    if not _EARLIEST_YEAR <= date.year <= dt.date.today().year + 1:
        raise BadMetadata(f"{field} {value!r} is not a plausible publication date", where=where, hint=hint)
    return date


def article_from_fields(
    text: str,
    fields: Mapping[str, Any],
    *,
    where: str,
    origin: str | None,
    overrides: Metadata,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """Validate ``text`` and the metadata ``fields`` (keys of METADATA_KEYS) and build the Article."""
    text = clean_text(text, where=where, max_bytes=max_bytes)
    values: dict[str, Any] = {}
    for key in ("id", "title", "outlet", "url"):
        value = fields.get(key)
        if isinstance(value, dict | list | bool):
            raise BadMetadata(
                f"{key} is a {type(value).__name__}, not text",
                where=where,
                hint=f"give {key} as a string",
            )
        values[key] = None if value is None else str(value).strip() or None
    values["published"] = parse_date(fields.get("published"), where=where)
    values = overrides.apply(values)
    return make_article(text, origin=origin, **values)
