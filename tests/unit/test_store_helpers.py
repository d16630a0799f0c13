"""Store helpers that need no database: URLs, search queries, cursors, dates, hashing, snippets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from factories import make_analysis
from newsledger import errors
from newsledger.store import fts, names, paging
from newsledger.store.engine import parse_url
from newsledger.store.write import content_hash, network_edges, normalise, value_interval


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vladimir  Putin", ["vladimir", "putin"]),
        ("Putin's", ["putin", "s"]),
        ("U.S. officials", ["u", "s", "officials"]),
        ("al-Assad", ["al", "assad"]),
        ("100%_", ["100"]),  # LIKE wildcards and "_" are not word characters
        ("Straße ÉLYSÉE", ["strasse", "élysée"]),
        ("  ", []),
    ],
)
def test_names_words_are_casefolded_letter_and_digit_runs(text: str, expected: list[str]) -> None:
    """Name matching compares runs of letters and digits, casefolded."""
    assert names.words(text) == expected
    assert names.word_text(text) == f" {' '.join(expected)} "


@pytest.mark.parametrize(
    ("actor", "probe", "pattern"),
    [
        ("Putin", "word >= 'putin'", "% putin%"),  # a last word of 3+ characters is a prefix
        ("Xi", "word = 'xi'", "% xi %"),  # shorter ones are whole words
        ("Vladimir Put", "word = 'vladimir'", "% vladimir put%"),  # the longest word probes the index
        ("the U.S.", "word = 'the'", "% the u s %"),
    ],
)
def test_names_matching_keys_probes_the_word_index(actor: str, probe: str, pattern: str) -> None:
    """A filter becomes one word-index probe plus a word-boundary LIKE on the candidates' words."""
    sql = str(names.matching_keys(actor).compile(compile_kwargs={"literal_binds": True}))
    assert probe in sql.replace("actor_name_words.", "")
    assert f"LIKE '{pattern}'" in sql
    assert f"key_norm = '{normalise(actor)}'" in sql


def test_names_matching_keys_without_words_is_an_exact_key_match() -> None:
    """Input without letters or digits can only equal a key."""
    sql = str(names.matching_keys("%_").compile(compile_kwargs={"literal_binds": True}))
    assert "actor_name_words" not in sql
    assert "key_norm = '%_'" in sql


def _event(
    source: str | None, target: str | None, start: str | None = "2023-01-01", **sides: str | None
) -> dict:
    day = dt.date.fromisoformat(start) if start else None
    return {
        "source_key": source,
        "target_key": target,
        "source_actor": sides.get("source_actor", "A1"),
        "source_code": sides.get("source_code"),
        "target_actor": sides.get("target_actor", "A2"),
        "target_code": sides.get("target_code"),
        "source_name": sides.get("source_name", (source or "").upper()),
        "target_name": sides.get("target_name", (target or "").upper()),
        "date_start": day,
        "date_end": day,
    }


def test_network_edges_count_actor_pairs_per_date_interval() -> None:
    """An article's edges count events between actors by key pair and interval; others are skipped."""
    events = [
        _event("q1", "q2"),
        _event("q1", "q2", source_name="ZED"),  # the greatest name is kept
        _event("q1", "q2", start="2023-02-01"),
        _event("q1", "name:the plan", target_actor=None),  # not an actor, not coded
        _event("q1", "name:rus", target_actor=None, target_code="RUS"),  # coded: an actor
        _event("q1", None),
    ]
    edges = {
        (e["source_key"], e["target_key"], e["date_start"]): (e["weight"], e["source_name"])
        for e in network_edges(events)
    }
    assert edges == {
        ("q1", "q2", dt.date(2023, 1, 1)): (2, "ZED"),
        ("q1", "q2", dt.date(2023, 2, 1)): (1, "Q1"),
        ("q1", "name:rus", dt.date(2023, 1, 1)): (1, "Q1"),
    }
