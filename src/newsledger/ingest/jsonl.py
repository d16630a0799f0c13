"""JSON Lines: one article object a line, streamed so that a corpus of any size reads in flat memory."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from newsledger.errors import (
    Failure,
    FileNotReadable,
    MalformedRecord,
    NewsledgerError,
    TooLarge,
    UndecodableText,
)
from newsledger.ingest.base import METADATA_KEYS
from newsledger.ingest.options import ReadOptions
from newsledger.model import Article

#: JSON escapes (``\u00e9``) can make a line several times longer than the text it carries.
ESCAPE_FACTOR = 6


def read_jsonl(stream: IO[bytes], *, name: str, options: ReadOptions) -> Iterator[Article | Failure]:
    """An Article or a Failure for each non-blank line of ``stream``; ``name`` is used in messages."""
    limit = options.max_bytes * ESCAPE_FACTOR + 4096
    lineno = 0
    try:
        for lineno, line in _lines(stream, limit):
            where = f"{name}:{lineno}"
            if line is None:
                error: NewsledgerError = TooLarge(
                    f"line {lineno} is over {limit:,} bytes",
                    where=where,
                    hint="split the record, or raise the limit with --max-bytes",
                )
                yield Failure.from_error(error, stage="read")
                continue
            if not line.strip():
                continue
            record: dict[str, Any] = {}
            try:
                record = _parse(line, where=where, first=lineno == 1)
                yield _article(record, where=where, options=options)
            except NewsledgerError as error:
                article_id = record.get(options.key("id"))
                yield Failure.from_error(
                    error, stage="read", article_id=None if article_id is None else str(article_id)
                )
    except (OSError, EOFError, zlib.error) as error:  # a truncated or corrupt .gz
        failure = FileNotReadable(
            f"cannot read past line {lineno}: {error}",
            where=f"{name}:{lineno + 1}",
            hint="the file is truncated or corrupt; the lines before were read",
        )
        yield Failure.from_error(failure, stage="read")


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; ``None`` for a line over ``limit`` bytes, whose rest is skipped unread."""
    lineno = 0
    while line := stream.readline(limit):
        lineno += 1
        if len(line) >= limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _parse(line: bytes, *, where: str, first: bool) -> dict[str, Any]:
    try:
        text = line.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as error:
        raise UndecodableText(
            f"not valid UTF-8 (byte 0x{line[error.start]:02x} at column {error.start + 1})",
            where=where,
            hint="JSON Lines must be UTF-8: re-export the file as UTF-8",
        ) from error
    try:
        record = json.loads(text)
    except ValueError as error:
        raise MalformedRecord(
            f"not valid JSON: {error}",
            where=where,
            hint="each line must be one complete JSON object; fix or delete this line",
        ) from error
    if not isinstance(record, dict):
        raise MalformedRecord(
            f"a JSON {type(record).__name__}, not an object",
            where=where,
            hint='each line must be an object such as {"text": ...}',
        )
    return record


def _article(record: dict[str, Any], *, where: str, options: ReadOptions) -> Article:
    key = options.key("text")
    text = record.get(key)
    if not isinstance(text, str):
        found = "no" if text is None else f"a {type(text).__name__} in the"
        keys = ", ".join(sorted(record)[:12]) or "none"
        raise MalformedRecord(
            f"{found} text field {key!r} (keys: {keys})",
            where=where,
            hint="name the field that holds the text with --field text=KEY",
        )
    fields = {name: record.get(options.key(name)) for name in METADATA_KEYS}
    return options.article(text, fields, where=where, origin=where)
