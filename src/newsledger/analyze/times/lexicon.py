"""The time lexicon: closed-class words of the grammar (months, units, numbers, deictic phrases...).

Loaded from ``data/time/lexicon.v1.jsonl``: one entry a line with ``id``, ``label``, ``pattern`` (a
case-insensitive regex over the surface forms), ``value`` and ``examples`` (sentences the tagger must
get right, run by a parametrized test). Errors are reported as file:line:field.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from newsledger.errors import DataFileError

LEXICON_FILE = "time/lexicon.v1.jsonl"

#: label -> what ``value`` holds
LABELS = {
    "month": "month number, 01-12",
    "weekday": "ISO weekday, 1 (Monday) to 7",
    "season": "TIMEX3 season code SP/SU/FA/WI",
    "part_of_day": "TIMEX3 part of day MO/AF/EV/NI/DT",
    "unit": "calendar unit TS/TM/TH/D/W/M/Q/Y/DE/C (TS/TM/TH: second, minute, hour)",
    "number": "an integer",
    "ordinal": "an integer",
    "deictic": "a TIMEX3 constant (PRESENT_REF...) or an offset from the publication date: D-1, W+0, D+0TNI",
    "set": "a TIMEX3 SET value (P1D...)",
    "holiday": "MM-DD, or nth:MONTH:WEEKDAY:N (N=-1 for last), or easter",
    "approx": "the TIMEX3 mod a prefix gives a duration or date: APPROX, LESS_THAN...",
    "position": "the TIMEX3 mod of a part of a period: START, MID, END",
}
_DEICTIC = re.compile(r"^(?:[A-Z_]+_REF|[DWMQY][+-]\d+(?:T(?:MO|AF|EV|NI))?)$")
_HOLIDAY = re.compile(r"^(?:\d\d-\d\d|nth:\d{1,2}:[1-7]:-?[1-5]|easter)$")


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    id: str
    label: str
    pattern: str
    value: str
    examples: tuple[dict[str, str], ...]
    regex: re.Pattern[str]


class Lexicon:
    """Entries by label, with one compiled alternation per label for the grammar."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_label: dict[str, list[Entry]] = {}
        for entry in entries:
            self.by_label.setdefault(entry.label, []).append(entry)

    def alternation(self, *labels: str) -> str:
        """A non-capturing regex group matching any surface form of ``labels`` (longest first)."""
        patterns = [
            alt for label in labels for e in self.by_label.get(label, ()) for alt in _alternatives(e.pattern)
        ]
        patterns.sort(key=len, reverse=True)  # a regex alternation takes the first that fits: longest first
        return "(?:" + "|".join(patterns) + ")"

    @functools.lru_cache(maxsize=4096)  # noqa: B019  (one lexicon per process, lives as long)
    def lookup(self, label: str, surface: str) -> str | None:
        """The value of the ``label`` entry whose pattern matches all of ``surface``."""
        text = " ".join(surface.lower().split())
        for entry in self.by_label.get(label, ()):
            if entry.regex.fullmatch(text):
                return entry.value
        return None


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    parts, depth, current, escaped = [], 0, [], False
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _check(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise DataFileError(message, where=where, hint="fix the entry; see docs/times.md for the schema")


def parse_entry(data: Any, where: str) -> Entry:
    """Validate one decoded JSON line."""
    _check(isinstance(data, dict), where, "entry must be a JSON object")
    for key in ("id", "label", "pattern", "value"):
        _check(
            isinstance(data.get(key), str) and data[key] != "", f"{where}:{key}", "missing or not a string"
        )
    label = data["label"]
    _check(label in LABELS, f"{where}:label", f"unknown label {label!r}; one of {', '.join(LABELS)}")
    try:
        regex = re.compile(data["pattern"], re.IGNORECASE)
    except re.error as error:
        raise DataFileError(f"bad regex: {error}", where=f"{where}:pattern") from error
    _check(regex.groups == 0, f"{where}:pattern", "use (?:...) groups only")
    value = data["value"]
    if label in ("number", "ordinal", "month", "weekday"):
        _check(value.isdigit(), f"{where}:value", f"{label} value must be an integer")
    if label == "deictic":
        _check(
            bool(_DEICTIC.match(value)), f"{where}:value", "expected a *_REF constant or an offset like D-1"
        )
    if label == "holiday":
        _check(bool(_HOLIDAY.match(value)), f"{where}:value", "expected MM-DD, nth:M:WD:N or easter")
    examples = data.get("examples")
    _check(
        isinstance(examples, list) and len(examples) > 0, f"{where}:examples", "needs at least one example"
    )
    for i, example in enumerate(examples):
        ok = isinstance(example, dict) and all(
            isinstance(example.get(k), str) for k in ("text", "span", "value")
        )
        _check(ok, f"{where}:examples[{i}]", "each example needs text, span and value strings")
        _check(example["span"] in example["text"], f"{where}:examples[{i}]", "span is not in text")
    return Entry(data["id"], label, data["pattern"], value, tuple(examples), regex)


def read_lexicon(path: Path | None = None) -> Lexicon:
    """Read and validate a lexicon file (default: the packaged one)."""
    if path is None:
        source = resources.files("newsledger.data").joinpath(LEXICON_FILE)
        name, text = f"newsledger/data/{LEXICON_FILE}", source.read_text(encoding="utf-8")
    else:
        name, text = str(path), path.read_text(encoding="utf-8")
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataFileError(f"invalid JSON: {error.msg}", where=where) from error
        entry = parse_entry(data, where)
        _check(entry.id not in seen, f"{where}:id", f"duplicate id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    return Lexicon(entries)


@functools.cache
def default_lexicon() -> Lexicon:
    return read_lexicon()
