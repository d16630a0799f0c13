"""Store helpers that need no database: URLs, search queries, cursors, dates, hashing, snippets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from factories import make_analysis
from newsledger import errors
from newsledger.store import fts, paging
from newsledger.store.engine import parse_url
from newsledger.store.write import content_hash, normalise, value_interval


@pytest.mark.parametrize(
    ("given", "driver", "database"),
    [
        ("ledger.db", "sqlite", "ledger.db"),
        (Path("data/ledger.db"), "sqlite", "data/ledger.db"),
        ("sqlite:////tmp/ledger.db", "sqlite", "/tmp/ledger.db"),
        (":memory:", "sqlite", ":memory:"),
        ("postgresql://u:p@db.example:5433/ledger", "postgresql+psycopg", "ledger"),
        ("postgres://u@db.example/ledger", "postgresql+psycopg", "ledger"),
        ("postgresql+psycopg://u@db.example/ledger", "postgresql+psycopg", "ledger"),
    ],
)
def test_parse_url_accepts_paths_and_urls(given: str | Path, driver: str, database: str) -> None:
    """Paths mean SQLite; postgresql URLs get the psycopg 3 driver."""
    url = parse_url(given)
    assert (url.drivername, url.database) == (driver, database)


@pytest.mark.parametrize("given", ["oracle://u@h/db", "postgresql://u:pw@h:port/db", "postgresql://u@h", ""])
def test_parse_url_rejects_bad_urls_without_password(given: str) -> None:
    """Bad URLs raise BadDatabaseUrl whose message hides the password."""
    with pytest.raises(errors.BadDatabaseUrl) as caught:
        parse_url(given)
    assert "pw" not in caught.value.message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("putin", '"putin"'),
        ("Putin Xi", '"Putin" AND "Xi"'),
        ('"grain deal" Kyiv', '"grain deal" AND "Kyiv"'),
        ("Moscow OR Kyiv talks", '("Moscow" OR "Kyiv") AND "talks"'),
        ("talks -grain", '("talks") NOT "grain"'),
        ("U.S. sanctions", '"U S" AND "sanctions"'),
        ("NEAR( AND * ^", '"NEAR" AND "AND"'),  # operators become plain words,
        ("-only", None),
        ('"unclosed phrase', '"unclosed phrase"'),
        ("", None),
    ],
)
def test_fts5_query_quotes_every_term(query: str, expected: str | None) -> None:
    """User queries become FTS5 expressions with every term quoted."""
    assert fts.fts5_query(query) == expected


def test_unmark_returns_plain_text_and_offsets() -> None:
    """Snippet markers become highlight offsets into plain text."""
    plain, highlights = fts._unmark("…the \x02grain\x03 deal \x02stalled\x03")
    assert plain == "…the grain deal stalled"
    assert [plain[s:e] for s, e in highlights] == ["grain", "stalled"]


def test_paging_cursor_round_trips_dates_and_numbers() -> None:
    """A cursor decodes to the key it was made from, for the same query only."""
    key = [dt.date(2023, 1, 10), "art-1", 3, 0.25]
    cursor = paging.encode("claims", key)
    assert paging.decode("claims", cursor, 4) == key
    with pytest.raises(errors.BadCursor, match="cursor"):
        paging.decode("events", cursor, 4)


@pytest.mark.parametrize(("limit", "expected"), [(0, 1), (-5, 1), (20, 20), (10**6, paging.MAX_LIMIT)])
def test_paging_clamp_caps_limits(limit: int, expected: int) -> None:
    """Limits are kept within 1..MAX_LIMIT."""
    assert paging.clamp(limit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-01-10", (dt.date(2023, 1, 10), dt.date(2023, 1, 10))),
        ("2023-01-10T14:00", (dt.date(2023, 1, 10), dt.date(2023, 1, 10))),
        ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("2023", (dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
        ("P9M", None),
        ("PRESENT_REF", None),
        ("2023-13", None),
        (None, None),
    ],
)
def test_value_interval_covers_calendar_values(
    value: str | None, expected: tuple[dt.date, dt.date] | None
) -> None:
    """TimeML calendar values map to the days they cover; others to None."""
    assert value_interval(value) == expected


def test_normalise_casefolds_and_collapses_spaces() -> None:
    """Names compare casefolded with single spaces."""
    assert normalise("  Vladimir\n  PUTIN ") == "vladimir putin"


def test_content_hash_ignores_origin_only() -> None:
    """The same article read from elsewhere hashes alike; a changed title does not."""
    article = make_analysis().article
    assert content_hash(article) == content_hash(dataclasses.replace(article, origin="other.jsonl:9"))
    assert content_hash(article) != content_hash(dataclasses.replace(article, title="Changed"))
