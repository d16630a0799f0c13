"""Timeline layout: events and claims as SVG marks, date uncertainty drawn as intervals.

Laid out in Python so the page is plain server-rendered SVG (no script needed) and the geometry is
unit-testable. An item dated "2023-01" spans the whole month; an exact day is a point.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

WIDTH = 1000
ROW = 18
TOP = 28
LEFT = 10
RIGHT = 260  # room for the labels drawn right of the last bars


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One dated thing: ``start == end`` for an exact day."""

    kind: str  # "event" or "claim"
    label: str
    start: dt.date
    end: dt.date
    href: str
    title: str = ""
    from_publication: bool = False  # dated by the article's publication, not by the text


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    item: Item
    x: float
    y: float
    width: float
    point: bool


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Tick:
    x: float
    label: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    width: int
    height: int
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]


def _ticks(first: dt.date, last: dt.date, scale: float) -> list[Tick]:
    days = (last - first).days
    if days > 3 * 366:
        starts = [dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
        fmt = "%Y"
    elif days > 62:
        starts, month = [], dt.date(first.year, first.month, 1)
        while month <= last:
            if month > first:
                starts.append(month)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        fmt = "%Y-%m"
    else:
        starts = [first + dt.timedelta(days=d) for d in range(0, days + 1, max(1, days // 8 or 1))]
        fmt = "%Y-%m-%d"
    # Keep at most ~12 labels so they never collide.
    step = max(1, len(starts) // 12)
    return [Tick(x=LEFT + (d - first).days * scale, label=d.strftime(fmt)) for d in starts[::step]]


def layout(items: Sequence[Item], *, width: int = WIDTH) -> Layout:
    """One row per item, sorted by start; x is linear in days over the items' whole range."""
    ordered = sorted(items, key=lambda i: (i.start, i.end, i.kind, i.label))
    if not ordered:
        return Layout(width=width, height=TOP + ROW, marks=(), ticks=())
    first = min(i.start for i in ordered)
    last = max(i.end for i in ordered) + dt.timedelta(days=1)  # an item covers its last day too
    span = max((last - first).days, 1)
    scale = (width - LEFT - RIGHT) / span
    marks = []
    for row, item in enumerate(ordered):
        x = LEFT + (item.start - first).days * scale
        days = (item.end - item.start).days + 1
        point = item.start == item.end
        marks.append(
            Mark(
                item=item,
                x=round(x, 1),
                y=TOP + row * ROW,
                width=round(max(days * scale, 3.0), 1),
                point=point,
            )
        )
    return Layout(
        width=width,
        height=TOP + len(ordered) * ROW + 8,
        marks=tuple(marks),
        ticks=tuple(_ticks(first, last, scale)),
    )


def interval_of(value: str | None, interval: Sequence[str] | None) -> tuple[dt.date, dt.date] | None:
    """The calendar range of a stored date: its interval when known, else what its value denotes."""
    if interval and len(interval) == 2:
        try:
            start, end = dt.date.fromisoformat(interval[0]), dt.date.fromisoformat(interval[1])
        except ValueError:
            return None
        return (start, end) if start <= end else (end, start)
    if not value:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return day, day
        if len(value) == 7:
            start = dt.date.fromisoformat(value + "-01")
            following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return start, following - dt.timedelta(days=1)
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None
