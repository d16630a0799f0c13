"""Property tests: arbitrary text, bytes and JSON lines never crash analyze or ingest.

Every input item ends as an Analysis whose spans match its text, or as a Failure with an NLxxx code.
Example counts are small because each example runs the real model.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

import newsledger
from newsledger.errors import Failure, NewsledgerError
from newsledger.model import Analysis

CODE = re.compile(r"^NL\d{3}$")
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "text": st.text(max_size=200) | json_values,
        "title": json_values,
        "published": st.dates().map(str) | json_values,
        "outlet": json_values,
        "url": json_values,
    },
)
lines = st.lists(
    records.map(json.dumps) | st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
    max_size=5,
)


def _check(result: Analysis | Failure) -> None:
    if isinstance(result, Failure):
        assert CODE.match(result.code), result
        return
    assert isinstance(result, Analysis)
    text = result.article.text
    for span in [*result.sentences, *(e.span for e in result.entities), *(t.span for t in result.times)]:
        assert text[span.start : span.end] == span.text


@SETTINGS
@given(text=st.text(max_size=400))
def test_properties_any_text_analyses_or_raises_coded_error(nlp: Language, text: str) -> None:
    """analyze_text on any Unicode string returns an Analysis or raises a coded error."""
    try:
        result: Analysis | Failure = newsledger.analyze_text(text, nlp=nlp)
    except NewsledgerError as error:  # turned into the Failure a batch would record
        result = Failure.from_error(error, stage="analyze")
    _check(result)


@SETTINGS
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".jsonl.gz"]))
def test_properties_any_bytes_file_gives_results(nlp: Language, data: bytes, suffix: str) -> None:
    """Any bytes in a file of any supported type give Analyses or coded Failures, never an exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "input" + suffix)
        path.write_bytes(data)
        results = list(newsledger.analyze(path, nlp=nlp))
    if suffix in (".txt", ".html"):
        assert len(results) == 1
    for result in results:
        _check(result)


@SETTINGS
@given(content=lines)
def test_properties_any_json_lines_give_one_result_per_line(nlp: Language, content: list[str]) -> None:
    """Each non-blank line of a JSONL file gives exactly one Analysis or Failure."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "input.jsonl")
        path.write_text("\n".join(content) + "\n", encoding="utf-8")
        results = list(newsledger.analyze(path, nlp=nlp))
    encoded = [line.encode("utf-8") for line in content]
    if (
        encoded
        and b"\x00" in encoded[0]
        and not any(line.lstrip().startswith(b"{") and b"\x00" not in line for line in encoded[1:])
    ):  # a NUL first line and no JSON object after it: the file is binary, one failure
        assert [r.code for r in results if isinstance(r, Failure)] == ["NL103"]
        return
    # blank means ASCII whitespace only: str.strip() would also drop separators such as "\x1f",
    # which the reader rightly reports as a line that is not JSON
    assert len(results) == sum(1 for line in encoded if line.strip())
    for result in results:
        _check(result)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.lists(st.binary(max_size=300) | st.text(max_size=200).map(str.encode), min_size=1, max_size=4)
)
def test_properties_ingest_accounts_for_every_file(nlp: Language, files: list[bytes]) -> None:
    """ingest over arbitrary files stores, skips or records a failure for each, and never raises."""
    with tempfile.TemporaryDirectory() as folder:
        for index, data in enumerate(files):
            Path(folder, f"{index}.txt").write_bytes(data)
        report = newsledger.ingest(folder, db=Path(folder, "ledger.db"), nlp=nlp)
    assert report.processed == len(files)
    assert all(CODE.match(f.code) for f in report.failures)
