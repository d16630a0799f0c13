"""Calendar points at a granularity, TIMEX3 values, and the day interval a value may denote.

A :class:`Point` is a day plus the granularity the text gives it ("March 2022" is the month of
2022-03-01). Shifting a point keeps its granularity, so "a year earlier" than a quarter is a quarter.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re

#: Granularities, coarse to fine. Seasons carry their code (SP, SU, FA, WI) as granularity.
GRANULARITIES = ("C", "DE", "Y", "H", "Q", "SP", "SU", "FA", "WI", "M", "W", "WE", "D")
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
OPEN = ".."  # an open end of an interval (ISO 8601-2)


@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    """A day seen at a granularity; ``time`` is a TIMEX3 time suffix ("T10:30", "TMO") for TIME values."""

    gran: str
    day: dt.date
    time: str = ""

    @property
    def value(self) -> str:
        """The TIMEX3 value of this point."""
        d, g = self.day, self.gran
        if g == "C":
            return f"{d.year // 100:02d}"
        if g == "DE":
            return f"{d.year // 10:03d}"
        if g == "Y":
            return f"{d.year:04d}"
        if g == "H":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if g == "Q":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g in SEASON_START:
            return f"{d.year:04d}-{g}"
        if g == "M":
            return f"{d.year:04d}-{d.month:02d}"
        if g in ("W", "WE"):
            year, week, _ = d.isocalendar()
            return f"{year:04d}-W{week:02d}" + ("-WE" if g == "WE" else "")
        return d.isoformat() + self.time

    def shift(self, n: int, unit: str) -> Point:
        """This point moved by ``n`` units (D, W, M, Q, H, Y, DE, C), granularity kept."""
        return Point(self.gran, shift_day(self.day, n, unit), self.time)

    def at(self, gran: str) -> Point:
        """The same day seen at another granularity."""
        return Point(gran, self.day)


def shift_day(day: dt.date, n: int, unit: str) -> dt.date:
    """``day`` moved by ``n`` calendar units, clamping the day of month (Jan 31 + 1 month = Feb 28)."""
    if unit == "D":
        return day + dt.timedelta(days=n)
    if unit in ("W", "WE"):
        return day + dt.timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "H": 6, "Y": 12, "DE": 120, "C": 1200}.get(unit)
    if months is None:  # seasons: a year per step
        months = 12
    total = day.year * 12 + day.month - 1 + n * months
    year, month = divmod(total, 12)
    year = min(max(year, 1), 9999)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def point_interval(point: Point) -> tuple[dt.date, dt.date]:
    """First and last day of ``point``."""
    d, g = point.day, point.gran
    if g == "C":
        first = max(d.year // 100 * 100, 1)
        return dt.date(first, 1, 1), dt.date(min(first + 99, 9999), 12, 31)
    if g == "DE":
        first = max(d.year // 10 * 10, 1)
        return dt.date(first, 1, 1), dt.date(first + 9, 12, 31)
    if g == "Y":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if g == "H":
        return (
            (dt.date(d.year, 1, 1), dt.date(d.year, 6, 30))
            if d.month <= 6
            else (
                dt.date(d.year, 7, 1),
                dt.date(d.year, 12, 31),
            )
        )
    if g == "Q":
        first_month = (d.month - 1) // 3 * 3 + 1
        return dt.date(d.year, first_month, 1), month_end(d.year, first_month + 2)
    if g in SEASON_START:
        start = dt.date(d.year, SEASON_START[g], 1)
        end = shift_day(start, 2, "M")
        return start, month_end(end.year, end.month)
    if g == "M":
        return dt.date(d.year, d.month, 1), month_end(d.year, d.month)
    if g in ("W", "WE"):
        monday = d - dt.timedelta(days=d.weekday())
        if g == "WE":
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    return d, d


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def apply_mod(first: dt.date, last: dt.date, mod: str | None) -> tuple[str, str]:
    """The interval of a value under a TIMEX3 ``mod``: START/MID/END take a third, APPROX widens."""
    span = (last - first).days + 1
    third = dt.timedelta(days=max(span // 3, 1) - 1)
    if mod == "START" and span >= 3:
        last = first + third
    elif mod == "END" and span >= 3:
        first = last - third
    elif mod == "MID" and span >= 3:
        first, last = first + dt.timedelta(days=span // 3), last - dt.timedelta(days=span // 3)
    elif mod == "APPROX":
        pad = dt.timedelta(days=max(span // 10, 1))
        first, last = first - pad, last + pad
    elif mod in ("BEFORE", "ON_OR_BEFORE"):
        return OPEN, last.isoformat()
    elif mod in ("AFTER", "ON_OR_AFTER"):
        return first.isoformat(), OPEN
    return first.isoformat(), last.isoformat()


_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)"
    r"|W(?P<w>\d{1,2})(?P<we>-WE)?))?(?:T.*)?$"
)
_DECADE = re.compile(r"^(?P<dec>\d{3})$|^(?P<cent>\d{2})$")


def value_point(value: str) -> Point | None:
    """Parse a fully specified TIMEX3 date value back into a point (None for X, refs, durations)."""
    match = _VALUE.match(value)
    try:
        if match:
            year = int(match["y"])
            if match["d"]:
                return Point("D", dt.date(year, int(match["m"]), int(match["d"])), value[10:])
            if match["m"]:
                return Point("M", dt.date(year, int(match["m"]), 1))
            if match["q"]:
                return Point("Q", dt.date(year, int(match["q"]) * 3 - 2, 1))
            if match["h"]:
                return Point("H", dt.date(year, 1 if match["h"] == "1" else 7, 1))
            if match["s"]:
                return Point(match["s"], dt.date(year, SEASON_START[match["s"]], 1))
            if match["w"]:
                day = dt.date.fromisocalendar(year, int(match["w"]), 1)
                return Point("WE" if match["we"] else "W", day)
            return Point("Y", dt.date(year, 1, 1))
        match = _DECADE.match(value)
        if match and match["dec"]:
            return Point("DE", dt.date(max(int(match["dec"]) * 10, 1), 1, 1))
        if match and match["cent"]:
            return Point("C", dt.date(max(int(match["cent"]) * 100, 1), 1, 1))
    except ValueError:  # impossible dates in hand-written values: no interval
        return None
    return None


def value_interval(value: str, mod: str | None, dct: dt.date | None) -> tuple[str, str] | None:
    """The (earliest, latest) days a DATE/TIME value may denote, ``..`` for an open end."""
    if value == "PRESENT_REF":
        return (dct.isoformat(), dct.isoformat()) if dct else None
    if value == "PAST_REF":
        return (OPEN, dct.isoformat()) if dct else None
    if value == "FUTURE_REF":
        return (dct.isoformat(), OPEN) if dct else None
    point = value_point(value)
    if point is None:
        return None
    first, last = point_interval(point)
    return apply_mod(first, last, mod)
