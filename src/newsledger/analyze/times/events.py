"""Named reference events ("the invasion", "the 9/11 attacks") that time expressions are anchored to.

``data/reference_events.v1.jsonl`` holds one event a line: ``id``, ``label``, ``date`` (a TIMEX3 date
value), ``aliases`` (always meant), ``contextual_aliases`` (generic phrases such as "the invasion" that
mean this event only for articles published in ``context`` = {"before": days, "after": days} around
it) and ``examples``. Users add events with a file of the same shape (``read_reference_events(path)``,
component option ``reference_events``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from newsledger.analyze.times.calendar import Point, value_point
from newsledger.errors import DataFileError

EVENTS_FILE = "reference_events.v1.jsonl"

#: Words that may stand between a trigger ("since") and the alias: "since the start of Russia's ..."
_LEAD = (
    r"(?:(?:the\s+)?(?:start|beginning|outbreak|launch|onset|eve|end)\s+of\s+)?"
    r"(?:(?:the|a|an|its|this|that|last\s+year's|[A-Z][\w.-]*'s)\s+)?"
)


_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclasses.dataclass(frozen=True, slots=True)
class ReferenceEvent:
    id: str
    label: str
    date: str
    point: Point
    aliases: tuple[str, ...]
    contextual_aliases: tuple[str, ...] = ()
    before_days: int = 0
    after_days: int = 3650
    examples: tuple[dict[str, str], ...] = ()

    def applies(self, alias: str, published: dt.date | None) -> bool:
        """Whether ``alias`` (normalised) names this event in an article published on ``published``."""
        if alias in (a.lower() for a in self.aliases):
            return published is None or published >= self.point.day
        if alias not in (a.lower() for a in self.contextual_aliases) or published is None:
            return False
        delta = (published - self.point.day).days
        return -self.before_days <= delta <= self.after_days


class EventIndex:
    """All reference events, with one regex matching any alias (after optional lead words)."""

    def __init__(self, events: Iterable[ReferenceEvent]) -> None:
        self.events = list(events)
        aliases = {a for e in self.events for a in (*e.aliases, *e.contextual_aliases)}
        alternation = "|".join(_alias_regex(a) for a in sorted(aliases, key=len, reverse=True))
        self.regex = (
            re.compile(rf"{_LEAD}(?P<alias>{alternation})(?![\w-])", re.IGNORECASE) if aliases else None
        )

    def resolve(self, alias: str, published: dt.date | None) -> ReferenceEvent | None:
        """The event ``alias`` names for this publication date: the latest one already past wins."""
        key = _DETERMINER.sub("", " ".join(alias.lower().split()))
        found = [e for e in self.events if e.applies(key, published)]
        if not found:
            return None
        if published is not None:
            past = [e for e in found if e.point.day <= published]
            found = past or found
        return max(found, key=lambda e: e.point.day)


def _alias_regex(alias: str) -> str:
    return r"\s+".join(re.escape(word) for word in alias.split())


def _fail(where: str, message: str) -> DataFileError:
    return DataFileError(message, where=where, hint="fix the entry; see docs/times.md (reference events)")


def parse_event(data: Any, where: str) -> ReferenceEvent:
    """Validate one decoded JSON line of a reference-events file."""
    if not isinstance(data, dict):
        raise _fail(where, "entry must be a JSON object")
    for key in ("id", "label", "date"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(f"{where}:{key}", "missing or not a string")
    point = value_point(data["date"])
    if point is None:
        raise _fail(f"{where}:date", f"not a calendar date value: {data['date']!r}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("aliases", "contextual_aliases"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
            raise _fail(f"{where}:{key}", "expected a list of non-empty strings")
        # the grammar matches determiners itself: "the invasion" is stored as "invasion"
        lists[key] = tuple(_DETERMINER.sub("", a.strip()) for a in value)
    if not lists["aliases"] and not lists["contextual_aliases"]:
        raise _fail(f"{where}:aliases", "an event needs at least one alias")
    context = data.get("context", {})
    if not isinstance(context, dict) or not all(
        isinstance(context.get(k, 0), int) and context.get(k, 0) >= 0 for k in ("before", "after")
    ):
        raise _fail(f"{where}:context", 'expected {"before": days, "after": days} (non-negative integers)')
    examples = data.get("examples", [])
    if not isinstance(examples, list) or not all(
        isinstance(x, dict) and all(isinstance(x.get(k), str) for k in ("text", "span", "value"))
        for x in examples
    ):
        raise _fail(f"{where}:examples", "each example needs text, span and value strings")
    return ReferenceEvent(
        id=data["id"],
        label=data["label"],
        date=data["date"],
        point=point,
        aliases=lists["aliases"],
        contextual_aliases=lists["contextual_aliases"],
        before_days=context.get("before", 0),
        after_days=context.get("after", 3650),
        examples=tuple(examples),
    )


def read_reference_events(path: Path | None = None) -> list[ReferenceEvent]:
    """Read and validate a reference-events file (default: the packaged one)."""
    if path is None:
        name = f"newsledger/data/{EVENTS_FILE}"
        text = resources.files("newsledger.data").joinpath(EVENTS_FILE).read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise DataFileError(f"cannot read reference events: {error}", where=name) from error
    events: list[ReferenceEvent] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataFileError(f"invalid JSON: {error.msg}", where=where) from error
        event = parse_event(data, where)
        if event.id in seen:
            raise _fail(f"{where}:id", f"duplicate id {event.id!r}")
        seen.add(event.id)
        events.append(event)
    return events


@functools.cache
def event_index(extra: str | None = None) -> EventIndex:
    """The packaged events plus those of the file ``extra`` (same id: the user's entry wins)."""
    events = {e.id: e for e in read_reference_events()}
    if extra:
        events.update({e.id: e for e in read_reference_events(Path(extra))})
    return EventIndex(events.values())
