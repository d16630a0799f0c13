"""What a reader needs to know besides the input: format, field names, caller metadata, limits."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from newsledger.errors import BadOption
from newsledger.ingest.base import DEFAULT_MAX_BYTES, METADATA_KEYS, DateOrder, Metadata, article_from_fields
from newsledger.model import Article


class InputFormat(StrEnum):
    """The formats newsledger reads."""

    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"


_SUFFIXES = (
    (".jsonl.gz", InputFormat.JSONL),
    (".ndjson.gz", InputFormat.JSONL),
    (".jsonl", InputFormat.JSONL),
    (".ndjson", InputFormat.JSONL),
    (".html", InputFormat.HTML),
    (".htm", InputFormat.HTML),
    (".xhtml", InputFormat.HTML),
    (".txt", InputFormat.TEXT),
    (".text", InputFormat.TEXT),
)

#: Field names a JSON record may be mapped from (``--field text=body``).
FIELDS = ("text", *METADATA_KEYS)


def format_for(path: Path) -> InputFormat | None:
    """The format a file name announces, or None."""
    name = path.name.lower()
    for suffix, fmt in _SUFFIXES:
        if name.endswith(suffix):
            return fmt
    return None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """How to read inputs; the defaults read every supported file by its extension."""

    format: InputFormat | None = None  # None: from the file name (stdin: text)
    fields: Mapping[str, str] = dataclasses.field(default_factory=dict)  # our name -> input key
    metadata: Metadata = dataclasses.field(default_factory=Metadata)
    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None  # force a codec for text and HTML files
    date_order: DateOrder | None = None  # how to read all-numeric dates ("3/8/17")

    def __post_init__(self) -> None:
        unknown = sorted(set(self.fields) - set(FIELDS))
        if unknown:
            raise BadOption(
                f"unknown field {', '.join(unknown)}",
                hint=f"map one of {', '.join(FIELDS)}, e.g. --field text=body",
            )
        if self.max_bytes <= 0:
            raise BadOption(f"max_bytes must be positive, not {self.max_bytes}")

    def key(self, name: str) -> str:
        """The input key holding field ``name``."""
        return self.fields.get(name, name)

    def article(self, text: str, fields: Mapping[str, Any], *, where: str, origin: str | None) -> Article:
        """The Article a reader found, checked and completed under these options (NL1xx if bad)."""
        return article_from_fields(
            text,
            fields,
            where=where,
            origin=origin,
            overrides=self.metadata,
            max_bytes=self.max_bytes,
            date_order=self.date_order,
        )


def parse_fields(specs: Iterable[str]) -> dict[str, str]:
    """``["text=body", "published=date"]`` as a mapping, or NL110."""
    fields: dict[str, str] = {}
    for spec in specs:
        name, sep, key = spec.partition("=")
        if not sep or not name.strip() or not key.strip():
            raise BadOption(f"--field {spec!r} is not NAME=KEY", hint="e.g. --field text=body")
        fields[name.strip()] = key.strip()
    return fields
