"""Keyset pagination: opaque cursors holding the last row's sort key, and the WHERE that resumes after it.

A cursor is URL-safe base64 of ``{"q": query name, "k": [sort key values]}``; dates are tagged so
they decode back to dates. Keyset (not OFFSET) pages stay stable while rows are being added and cost
the same on page 1,000 as on page 1.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from newsledger import errors

#: Largest page any query returns, whatever ``limit`` asks for.
MAX_LIMIT = 500

#: Sorts undated rows after dated ones in newest-first orders (NULL ordering differs by backend).
NO_DATE = dt.date(1, 1, 1)


def clamp(limit: int) -> int:
    """``limit`` within 1..MAX_LIMIT."""
    return max(1, min(int(limit), MAX_LIMIT))


def _tag(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        return dt.date.fromisoformat(value["d"])
    return value


def encode(query: str, key: Sequence[Any]) -> str:
    """The cursor resuming ``query`` after the row whose sort key is ``key``."""
    payload = json.dumps({"q": query, "k": [_tag(v) for v in key]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(query: str, cursor: str, size: int) -> list[Any]:
    """The sort key in ``cursor``; raises BadCursor (NL307) unless ``encode(query, ...)`` made it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        if payload["q"] != query or len(payload["k"]) != size:
            raise ValueError("cursor for another query")
        return [_untag(v) for v in payload["k"]]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise errors.BadCursor(
            f"invalid page cursor for {query}: {cursor[:40]!r}",
            hint="pass the next_cursor of the previous page unchanged, or no cursor for the first page",
        ) from None


def after(order: Sequence[tuple[ColumnElement[Any], bool]], key: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``key`` in ``order`` (pairs of expression, descending?)."""
    clauses = []
    for i, (expr, descending) in enumerate(order):
        equal = [e == v for (e, _), v in zip(order[:i], key[:i], strict=True)]
        beyond = expr < key[i] if descending else expr > key[i]
        clauses.append(sa.and_(*equal, beyond))
    # The redundant bound on the first key is what lets an index seek to the page instead of
    # scanning from the top (neither SQLite nor PostgreSQL derive it from the OR).
    first, descending = order[0]
    bound = first <= key[0] if descending else first >= key[0]
    return sa.and_(bound, sa.or_(*clauses))


def order_by(order: Sequence[tuple[ColumnElement[Any], bool]]) -> list[ColumnElement[Any]]:
    return [expr.desc() if descending else expr.asc() for expr, descending in order]
