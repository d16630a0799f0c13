"""Readers that turn files, folders, streams and records into Articles.

``read(sources)`` is lazy: it yields an Article or an ``errors.Failure`` per input item, so one bad
file or line never stops the batch and a corpus of any size streams in flat memory.

Calling the package itself, ``newsledger.ingest(paths, db=...)``, runs :func:`newsledger.api.ingest`
(see ``newsledger/__init__.py``).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from newsledger.errors import Failure, FileNotReadable, NewsledgerError, TooLarge, UnsupportedFormat
from newsledger.ingest.base import (
    DEFAULT_MAX_BYTES,
    DateOrder,
    Metadata,
    article_id,
    make_article,
    parse_date,
)
from newsledger.ingest.decode import SNIFF_BYTES, check_not_binary
from newsledger.ingest.html import MARKUP_FACTOR, html_article, read_html_file
from newsledger.ingest.jsonl import read_jsonl
from newsledger.ingest.options import InputFormat, ReadOptions, format_for, parse_fields
from newsledger.ingest.text import read_text_file, text_article
from newsledger.model import Article

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DateOrder",
    "InputFormat",
    "Metadata",
    "ReadOptions",
    "article_id",
    "count_items",
    "iter_files",
    "make_article",
    "parse_date",
    "parse_fields",
    "read",
]

#: The source name that means standard input.
STDIN = "-"

Source = str | os.PathLike[str]


def read(
    sources: Source | Iterable[Source],
    options: ReadOptions | None = None,
    *,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | Failure]:
    """Articles (or Failures) from files, folders (recursive, sorted, hidden names skipped) and ``-``."""
    options = options or ReadOptions()
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    for source in sources:
        if os.fspath(source) == STDIN:
            yield from _read_stream(stdin or sys.stdin.buffer, options)
            continue
        path = Path(source)
        if path.is_dir():
            for file in iter_files(path):
                yield from _read_file(file, options)
        elif path.exists():
            yield from _read_file(path, options)
        else:
            error = FileNotReadable(
                "no such file or folder",
                where=str(path),
                hint="check the path; to analyse a text itself use newsledger.analyze_text(text) or '-'",
            )
            yield Failure.from_error(error, stage="read")


def iter_files(folder: Path) -> Iterator[Path]:
    """The readable files under ``folder`` in path order, skipping hidden names and sidecar JSON.

    Symbolic links to folders are not followed, so a link cycle cannot make the walk endless.
    """
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from iter_files(path)
        elif format_for(path) is not None:
            yield path


def _read_file(path: Path, options: ReadOptions) -> Iterator[Article | Failure]:
    where = str(path)
    fmt = options.format or format_for(path)
    try:
        if fmt is None:
            raise UnsupportedFormat(
                f"cannot tell the format of {path.name!r}",
                where=where,
                hint="name it .txt, .html or .jsonl(.gz), or pass --format text|html|jsonl",
            )
        if fmt is InputFormat.JSONL:
            with _open_lines(path) as stream:
                yield from _read_jsonl_stream(stream, name=where, options=options)
            return
        reader = read_html_file if fmt is InputFormat.HTML else read_text_file
        yield reader(path, options)
    except NewsledgerError as error:
        yield Failure.from_error(error, stage="read", where=where)
    except (OSError, EOFError, zlib.error) as error:  # EOFError, zlib.error: a damaged .gz
        message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        failure = FileNotReadable(
            f"cannot read the file: {message}",
            where=where,
            hint="check that it exists, that you may read it, and that a .gz is complete",
        )
        yield Failure.from_error(failure, stage="read")


@contextlib.contextmanager
def _open_lines(path: Path) -> Iterator[IO[bytes]]:
    """``path`` opened for reading bytes, decompressed when it is gzip (by magic number, not name)."""
    with open(path, "rb") as raw:
        if raw.peek(2)[:2] == b"\x1f\x8b":
            with gzip.open(raw) as unzipped:
                yield cast(IO[bytes], unzipped)
        else:
            yield raw


def _read_jsonl_stream(stream: IO[bytes], *, name: str, options: ReadOptions) -> Iterator[Article | Failure]:
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    check_not_binary(head, where=name, lines=True)
    yield from read_jsonl(stream, name=name, options=options)


def _read_stream(stream: IO[bytes], options: ReadOptions) -> Iterator[Article | Failure]:
    fmt = options.format or InputFormat.TEXT
    try:
        if fmt is InputFormat.JSONL:
            yield from _read_jsonl_stream(stream, name=STDIN, options=options)
            return
        limit = options.max_bytes * (MARKUP_FACTOR if fmt is InputFormat.HTML else 1)
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(
                f"standard input is over the limit of {limit:,} bytes",
                where=STDIN,
                hint="pass one article on stdin, JSON Lines with --format jsonl, or raise --max-bytes",
            )
        build = html_article if fmt is InputFormat.HTML else text_article
        yield build(data, where=STDIN, origin=STDIN, options=options)
    except NewsledgerError as error:
        yield Failure.from_error(error, stage="read", where=STDIN)


def count_items(sources: Source | Iterable[Source], options: ReadOptions | None = None) -> int | None:
    """How many items ``read`` will yield (JSON lines counted, not parsed); None when unknowable (stdin).

    Used for progress bars: reading a 10,000-line .jsonl.gz once more takes well under a second.
    """
    options = options or ReadOptions()
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    total = 0
    for source in sources:
        if os.fspath(source) == STDIN:
            return None
        path = Path(source)
        for file in iter_files(path) if path.is_dir() else [path]:
            if (options.format or format_for(file)) is InputFormat.JSONL:
                total += _count_lines(file)
            else:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    try:
        with _open_lines(path) as stream:
            return sum(1 for line in stream if line.strip())
    except (OSError, EOFError, zlib.error):  # the reader reports it properly
        return 1
