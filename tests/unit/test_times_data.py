"""The time lexicon and reference-event files: every entry's examples, and validation errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.analyze.times import extract_times
from newsledger.analyze.times.events import EventIndex, read_reference_events
from newsledger.analyze.times.lexicon import read_lexicon
from newsledger.errors import DataFileError

LEXICON = read_lexicon()
EVENTS = read_reference_events()
DEFAULT_PUBLISHED = "2023-01-10"

LEXICON_EXAMPLES = [
    pytest.param(example, id=f"{entry.id}[{i}]")
    for entry in LEXICON.entries
    for i, example in enumerate(entry.examples)
]
EVENT_EXAMPLES = [
    pytest.param(example, id=f"{event.id}[{i}]")
    for event in EVENTS
    for i, example in enumerate(event.examples)
]


def _check_example(nlp: Language, example: dict[str, str]) -> None:
    published = dt.date.fromisoformat(example.get("published", DEFAULT_PUBLISHED))
    times = list(extract_times(nlp(example["text"]), published=published))
    found = {t.span.text: t for t in times}
    assert example["span"] in found, f"{example['span']!r} not tagged in {example['text']!r}: {list(found)}"
    time = found[example["span"]]
    assert time.value == example["value"]
    for key in ("mod", "resolved", "type"):
        if key in example:
            assert str(getattr(time, key)) == example[key]


@pytest.mark.parametrize("example", LEXICON_EXAMPLES)
def test_times_lexicon_examples(blank_nlp: Language, example: dict[str, str]) -> None:
    """Every lexicon entry's example sentence is tagged as its entry says."""
    _check_example(blank_nlp, example)


@pytest.mark.parametrize("example", EVENT_EXAMPLES)
def test_times_reference_event_examples(blank_nlp: Language, example: dict[str, str]) -> None:
    """Every reference event's example resolves against that event."""
    _check_example(blank_nlp, example)


def test_times_every_entry_has_examples() -> None:
    """No lexicon entry or reference event goes untested."""
    assert all(entry.examples for entry in LEXICON.entries)
    assert all(event.examples for event in EVENTS)


GOOD = {
    "id": "x",
    "label": "month",
    "pattern": "brumaire",
    "value": "11",
    "examples": [{"text": "In Brumaire 1799.", "span": "Brumaire 1799", "value": "1799-11"}],
}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("{not json", ":1"),
        (json.dumps({**GOOD, "label": "planet"}), ":1:label"),
        (json.dumps({**GOOD, "pattern": "(unclosed"}), ":1:pattern"),
        (json.dumps({**GOOD, "pattern": "(a)"}), ":1:pattern"),
        (json.dumps({**GOOD, "value": "eleven"}), ":1:value"),
        (json.dumps({**GOOD, "examples": []}), ":1:examples"),
        (json.dumps({**GOOD, "examples": [{"text": "x", "span": "y", "value": "z"}]}), ":1:examples[0]"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "id"}), ":1:id"),
    ],
)
def test_times_lexicon_validation_names_file_line_field(tmp_path: Path, line: str, field: str) -> None:
    """A bad lexicon line raises DataFileError whose location is file:line:field."""
    path = tmp_path / "lexicon.v1.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_lexicon(path)
    assert error.value.where == f"{path}{field}"


def test_times_lexicon_rejects_duplicate_ids(tmp_path: Path) -> None:
    """Two entries with one id are an error on the second line."""
    path = tmp_path / "lexicon.v1.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="duplicate"):
        read_lexicon(path)


EVENT = {"id": "e", "label": "An event", "date": "2020-05-01", "aliases": ["the big event"]}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({**EVENT, "date": "May 2020"}, ":1:date"),
        ({**EVENT, "aliases": "the big event"}, ":1:aliases"),
        ({**EVENT, "aliases": []}, ":1:aliases"),
        ({**EVENT, "context": {"before": -1}}, ":1:context"),
        ({k: v for k, v in EVENT.items() if k != "label"}, ":1:label"),
    ],
)
def test_times_reference_events_validation(tmp_path: Path, entry: dict[str, object], field: str) -> None:
    """A bad reference-event line raises DataFileError naming file:line:field."""
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_reference_events(path)
    assert error.value.where == f"{path}{field}"


def test_times_user_reference_events_extend_the_index(tmp_path: Path) -> None:
    """A user file adds events that resolve like the packaged ones."""
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(EVENT) + "\n", encoding="utf-8")
    index = EventIndex([*EVENTS, *read_reference_events(path)])
    event = index.resolve("big event", dt.date(2021, 1, 1))
    assert event is not None
    assert event.id == "e"
    assert index.resolve("big event", dt.date(2019, 1, 1)) is None  # not yet happened
