"""``newsledger analyze examples --json`` on the bundled example articles: every record is well formed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from newsledger.model import Analysis

ARTICLES = sorted(EXAMPLES.glob("*.txt"))
Record = dict[str, Any]


@pytest.fixture(scope="module")
def printed() -> dict[str, Record]:
    """The CLI's JSON lines for examples/, keyed by the article's file name."""
    command = Path(sys.executable).with_name("newsledger")
    # The real command in a child process: the console script, its option parsing and its output.
    run = subprocess.run(
        [str(command), "analyze", str(EXAMPLES), "--json"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return {Path(line["article"]["origin"]).name: line for line in lines}


def _spans(value: Any, path: str = "") -> Iterator[tuple[str, Record]]:
    """Every object with character offsets in an analysis, with where it sits."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and "text" in value:
            yield path, value
        for key, inner in value.items():
            if key != "article":
                yield from _spans(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _spans(inner, f"{path}[{index}]")


def test_examples_cli_prints_one_analysis_per_article(printed: dict[str, Record]) -> None:
    """Each example article yields exactly one analysis, none fails."""
    assert sorted(printed) == [path.name for path in ARTICLES]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.stem)
def test_examples_cli_spans_match_text(printed: dict[str, Record], path: Path) -> None:
    """Every span's text is the article text at its offsets, and the article keeps its sidecar metadata."""
    analysis = printed[path.name]
    text = analysis["article"]["text"]
    sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert text == path.read_text(encoding="utf-8")
    assert {key: analysis["article"][key] for key in sidecar} == sidecar
    spans = list(_spans(analysis))
    assert spans, "no records at all"
    wrong = [(where, span) for where, span in spans if text[span["start"] : span["end"]] != span["text"]]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.stem)
def test_examples_cli_references_resolve(printed: dict[str, Record], path: Path) -> None:
    """The JSON reads back into records, and every id or index it holds points at a record."""
    analysis = printed[path.name]
    assert Analysis.from_dict(analysis).to_dict() == analysis
    actors = {actor["id"] for actor in analysis["actors"]}
    times = {time["id"] for time in analysis["times"]}
    for attribution in analysis["attributions"]:
        assert attribution["source_actor"] in actors | {None}
        assert set(attribution["times"]) <= times
        assert {conduit["actor_id"] for conduit in attribution["via"]} <= actors | {None}
    for event in analysis["events"]:
        assert event["reported_by"] is None or 0 <= event["reported_by"] < len(analysis["attributions"])
        for party in (event["source"], event["target"]):
            assert party is None or party["actor_id"] in actors | {None}
        assert event["date"] is None or event["date"]["time_id"] in times | {None}
    for entity in analysis["entities"]:
        assert entity["actor_id"] in actors | {None}


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.stem)
def test_examples_cli_finds_each_kind_of_record(printed: dict[str, Record], path: Path) -> None:
    """Every example was written with attributions, time expressions and events: each kind is found."""
    analysis = printed[path.name]
    assert {kind: bool(analysis[kind]) for kind in ("attributions", "times", "events", "actors")} == {
        "attributions": True,
        "times": True,
        "events": True,
        "actors": True,
    }
