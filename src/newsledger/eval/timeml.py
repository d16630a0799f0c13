"""Reading TimeML files (TempEval-3 format): the raw text of ``<TEXT>``, its TIMEX3s and the DCT.

The text handed to newsledger is the content of ``<TEXT>`` with every tag removed and XML entities
decoded; gold offsets refer to that text. The document creation time is the ``value`` of the TIMEX3
inside ``<DCT>`` (date part only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

from newsledger.errors import GoldDataError
from newsledger.model import Span, TimeExpression, TimeType

_TEXT = re.compile(r"<TEXT>(?P<body>.*?)</TEXT>", re.DOTALL)
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b[^>]*\bvalue=\"(?P<value>[^\"]+)\"", re.DOTALL)
_DOCID = re.compile(r"<DOCID>\s*(?P<id>[^<]+?)\s*</DOCID>")
_TAG = re.compile(r"<(?P<close>/)?(?P<name>[A-Za-z0-9_]+)(?P<attrs>[^>]*?)(?P<empty>/)?>")
_ATTR = re.compile(r"(\w+)=\"([^\"]*)\"")


@dataclasses.dataclass(frozen=True, slots=True)
class TimeMLDocument:
    id: str
    path: Path
    text: str
    dct: dt.date
    times: tuple[TimeExpression, ...]


def parse_timeml(source: str, *, where: str, path: Path | None = None) -> TimeMLDocument:
    """Parse one TimeML document; ``where`` names it in errors."""
    body = _TEXT.search(source)
    if body is None:
        raise GoldDataError("no <TEXT> element", where=where, hint="expected a TempEval-3 TimeML file")
    dct_match = _DCT.search(source)
    if dct_match is None:
        raise GoldDataError(
            "no <DCT> TIMEX3 with a value", where=where, hint="expected a TempEval-3 TimeML file"
        )
    try:
        dct = dt.date.fromisoformat(dct_match["value"][:10])
    except ValueError as error:
        raise GoldDataError(f"bad DCT value {dct_match['value']!r}", where=where) from error
    docid = _DOCID.search(source)
    text_parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    times: list[TimeExpression] = []
    raw = body["body"]
    position = 0
    for tag in _TAG.finditer(raw):
        chunk = html.unescape(raw[position : tag.start()])
        text_parts.append(chunk)
        length += len(chunk)
        position = tag.end()
        if tag["name"] != "TIMEX3":
            continue
        if tag["close"]:
            if open_timex is None:
                raise GoldDataError("</TIMEX3> without an opening tag", where=where)
            start, attrs = open_timex
            open_timex = None
            times.append(_timex(attrs, start, length, text_parts, where))
        elif not tag["empty"]:
            open_timex = (length, dict(_ATTR.findall(tag["attrs"])))
    text_parts.append(html.unescape(raw[position:]))
    text = "".join(text_parts)
    times = [dataclasses.replace(t, span=Span.of(text, t.span.start, t.span.end)) for t in times]
    return TimeMLDocument(
        id=docid["id"] if docid else (path.stem if path else where),
        path=path or Path(where),
        text=text,
        dct=dct,
        times=tuple(times),
    )


def _timex(attrs: dict[str, str], start: int, end: int, parts: list[str], where: str) -> TimeExpression:
    tid = attrs.get("tid", "?")
    try:
        kind = TimeType(attrs.get("type", ""))
    except ValueError as error:
        raise GoldDataError(f"TIMEX3 {tid} has type {attrs.get('type')!r}", where=where) from error
    return TimeExpression(
        id=tid,
        span=Span(start=start, end=end, text=""),
        type=kind,
        value=attrs.get("value", ""),
        mod=attrs.get("mod"),
    )


def read_timeml_dir(directory: Path) -> Iterator[TimeMLDocument]:
    """Every ``*.tml`` under ``directory`` (sorted, each document id once)."""
    if not directory.is_dir():
        raise GoldDataError(
            f"not a directory: {directory}",
            where=str(directory),
            hint="pass a folder of TimeML files, e.g. ../shared/gold/tempeval3/TBAQ-cleaned",
        )
    seen: set[str] = set()
    paths = sorted(directory.rglob("*.tml"))
    if not paths:
        raise GoldDataError("no .tml files found", where=str(directory), hint="pass a folder of TimeML files")
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise GoldDataError(f"cannot read: {error}", where=str(path)) from error
        document = parse_timeml(source, where=str(path), path=path)
        if document.id in seen:
            continue
        seen.add(document.id)
        yield document
