"""Property tests for the readers alone (no model): any bytes, any JSON lines, never an exception."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.errors import Failure
from newsledger.ingest import read
from newsledger.model import Article

CODE = re.compile(r"^NL\d{3}$")

html_like = st.lists(
    st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<div>", "<script>", "<!--", "&amp;", "<title>", "x"])
    | st.text(max_size=30),
    max_size=20,
).map("".join)


def _results(data: bytes, name: str) -> list[Article | Failure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, name)
        path.write_bytes(data)
        return list(read(path))


def _check(results: list[Article | Failure]) -> None:
    for result in results:
        if isinstance(result, Failure):
            assert CODE.match(result.code), result
            assert result.hint
        else:
            assert result.text.strip()
            assert result.id


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.jsonl.gz"]))
def test_ingest_any_bytes_read_without_exception(data: bytes, name: str) -> None:
    """Any bytes in any supported file give Articles or coded Failures; text/HTML give exactly one."""
    results = _results(data, name)
    if name in ("a.txt", "a.html"):
        assert len(results) == 1
    _check(results)


@settings(max_examples=100, deadline=None)
@given(page=html_like)
def test_ingest_any_markup_reads_without_exception(page: str) -> None:
    """Arbitrary tag soup is an Article or a coded Failure."""
    _check(_results(page.encode("utf-8", "surrogatepass"), "a.html"))


values = st.none() | st.integers() | st.text(max_size=30) | st.lists(st.integers())
records = st.dictionaries(st.sampled_from(["id", "text", "published", "title", "url"]), values)


@settings(max_examples=150, deadline=None)
@given(records=st.lists(records, max_size=6))
def test_ingest_any_json_records_one_result_each(records: list[dict[str, object]]) -> None:
    """Every JSON object line gives exactly one Article or coded Failure."""
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    results = _results(data, "a.jsonl")
    assert len(results) == len(records)
    _check(results)
