"""Plain-text articles: ``.txt`` files with metadata in a front-matter block or a sidecar JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsledger.errors import BadMetadata, TooLarge
from newsledger.ingest.base import METADATA_KEYS
from newsledger.ingest.decode import check_not_binary, decode
from newsledger.ingest.options import ReadOptions
from newsledger.model import Article

_FENCE = "---"


def read_text_file(path: Path, options: ReadOptions) -> Article:
    """The article in ``path``; raises a NewsledgerError when it cannot be read."""
    where = str(path)
    data = read_limited(path, limit=options.max_bytes, where=where)
    return text_article(data, where=where, origin=where, options=options, sidecar=sidecar_of(path))


def text_article(
    data: bytes, *, where: str, origin: str, options: ReadOptions, sidecar: Path | None = None
) -> Article:
    """An Article from the bytes of a text document (file or stdin)."""
    check_not_binary(data, where=where)
    text = decode(data, where=where, encoding=options.encoding).replace("\r\n", "\n")
    fields, text = split_front_matter(text, where=where)
    if sidecar is not None:
        fields.update(read_sidecar(sidecar))
    return options.article(text, fields, where=where, origin=origin)


def read_limited(path: Path, *, limit: int, where: str) -> bytes:
    """The bytes of ``path``, refusing files over ``limit`` before reading them."""
    size = path.stat().st_size
    if size > limit:
        raise TooLarge(
            f"the file is {size:,} bytes, over the limit of {limit:,}",
            where=where,
            hint="split it into articles, or raise the limit with --max-bytes",
        )
    return path.read_bytes()


def sidecar_of(path: Path) -> Path | None:
    """The ``same-name.json`` metadata file next to ``path``, if there is one."""
    sidecar = path.with_suffix(".json")
    return sidecar if sidecar.is_file() else None


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata keys of a sidecar JSON object, or NL109."""
    where = str(path)
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise BadMetadata(
            f"the metadata file is not valid JSON: {error}",
            where=where,
            hint='fix it: {"title": ..., "published": "YYYY-MM-DD", "outlet": ..., "url": ...}',
        ) from error
    if not isinstance(data, dict):
        raise BadMetadata(
            f"the metadata file holds a JSON {type(data).__name__}, not an object",
            where=where,
            hint='write one object: {"title": ..., "published": "YYYY-MM-DD"}',
        )
    return {key: data[key] for key in METADATA_KEYS if key in data}


def split_front_matter(text: str, *, where: str) -> tuple[dict[str, Any], str]:
    """Metadata from a leading ``---`` block of ``key: value`` lines, and the text after it.

    A leading ``---`` with no closing fence is left as text: it is more likely a rule than metadata.
    """
    if not text.startswith(_FENCE + "\n"):
        return {}, text
    lines = text.split("\n")
    try:
        end = lines.index(_FENCE, 1)
    except ValueError:
        return {}, text
    fields: dict[str, Any] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise BadMetadata(
                f"front-matter line {number} is not 'key: value'",
                where=f"{where}:{number}",
                hint="write one 'key: value' a line between the --- lines",
            )
        key = key.strip().lower()
        if key in METADATA_KEYS:
            fields[key] = _unquote(value.strip())
    return fields, "\n".join(lines[end + 1 :]).lstrip("\n")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
