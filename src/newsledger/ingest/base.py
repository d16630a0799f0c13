"""Article construction shared by every reader: text checks, metadata, dates and stable ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from newsledger.errors import BadMetadata, EmptyText, TooLarge, UndecodableText
from newsledger.model import Article

#: Largest article text accepted, in UTF-8 bytes (about 300,000 words: far beyond any news article).
DEFAULT_MAX_BYTES = 2_000_000

#: Metadata keys a reader takes from its input (JSONL keys, sidecar JSON, front matter).
METADATA_KEYS = ("id", "title", "published", "outlet", "url")

# Dates outside this range are typos or placeholders ("0001-11-30"), not publication dates.
_EARLIEST_YEAR = 1800


class DateOrder(StrEnum):
    """How to read all-numeric dates such as ``1/21/18``: month first (US) or day first."""

    MDY = "mdy"
    DMY = "dmy"


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# An optional weekday, then "21 January 2018" or "January 21, 2018"; a time may follow.
_WEEKDAY = r"(?:[A-Za-z]+\.?,?\s+)?"
_DAY_MONTH_YEAR = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,].*)?")


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


def parse_date(
    value: Any, *, where: str, field: str = "published", order: DateOrder | None = None
) -> dt.date | None:
    """A publication date as a ``date``; ``None`` for no value.

    Read: ISO 8601 dates and date-times (the date is kept), RFC 2822 dates as feeds write them
    ("Sun, 21 Jan 2018 10:00:00 GMT"), dates with an English month name ("21 January 2018",
    "Jan. 21, 2018"), and all-numeric dates ("1/21/18", "21.01.2018") only when ``order`` says which
    number is the month: "3/8/17" is March in the US and August elsewhere.
    """
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
    date = _iso_date(text) or _rfc2822_date(text) or _named_month_date(text)
    if date is None:
        numeric = _NUMERIC.fullmatch(text)
        if numeric is None:
            raise BadMetadata(f"{field} {value!r} is not a date newsledger can read", where=where, hint=hint)
        if order is None:
            raise BadMetadata(
                f"{field} {value!r} is all-numeric: newsledger does not guess if month or day comes first",
                where=where,
                hint="say which with --date-order mdy (US: 1/21/18) or --date-order dmy (21/1/18), "
                "or write YYYY-MM-DD",
            )
        first, _, second, year = numeric.groups()
        month, day = (first, second) if order is DateOrder.MDY else (second, first)
        date = _checked_date(_full_year(year), int(month), int(day))
        if date is None:
            raise BadMetadata(
                f"{field} {value!r} is not a valid date when read as {order.value}", where=where, hint=hint
            )
    if not _EARLIEST_YEAR <= date.year <= dt.date.today().year + 1:
        raise BadMetadata(f"{field} {value!r} is not a plausible publication date", where=where, hint=hint)
    return date


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _rfc2822_date(text: str) -> dt.date | None:
    if not re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None  # parsedate reads too much else ("3/8/17" as a year 3)
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError):
        return None


def _named_month_date(text: str) -> dt.date | None:
    for pattern, day_group, month_group in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        match = pattern.match(text)
        if match is None:
            continue
        month = _MONTHS.get(match.group(month_group).lower())
        if month is not None:
            return _checked_date(int(match.group(3)), month, int(match.group(day_group)))
    return None


def _full_year(digits: str) -> int:
    """A two-digit year in the century that puts it nearest before next year ("18" -> 2018, "97" -> 1997)."""
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    return year if year <= dt.date.today().year + 1 else year - 100


def _checked_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def article_from_fields(
    text: str,
    fields: Mapping[str, Any],
    *,
    where: str,
    origin: str | None,
    overrides: Metadata,
    max_bytes: int = DEFAULT_MAX_BYTES,
    date_order: DateOrder | None = None,
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
    values["published"] = parse_date(fields.get("published"), where=where, order=date_order)
    values = overrides.apply(values)
    return make_article(text, origin=origin, **values)
