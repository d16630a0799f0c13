"""What store queries return: small frozen records, one per row, with ``to_dict()`` for JSON.

They are flat on purpose (the web UI and ``--json`` render them directly); the full records live in
:class:`newsledger.model.Analysis`, which :meth:`newsledger.store.Store.get` returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Generic, TypeVar

from newsledger.errors import Failure

T = TypeVar("T")


_SCALARS = (str, int, float, type(None))  # bool is an int


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):  # most values: checked first (timelines convert thousands)
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return value


class _Row:
    """``to_dict()`` shared by every row: dates become ISO strings, tuples lists."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in _field_names(type(self))}


@dataclasses.dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; pass ``next_cursor`` back as ``cursor=`` for the next (None: last page)."""

    items: tuple[T, ...]
    next_cursor: str | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict[str, Any]:
        return {"items": [_plain(item) for item in self.items], "next_cursor": self.next_cursor}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ArticleRow(_Row):
    """An article without its text, with counts of what was extracted from it."""

    id: str
    title: str | None
    published: dt.date | None
    outlet: str | None
    url: str | None
    origin: str | None
    analyzer_version: str
    ingested_at: dt.datetime
    n_chars: int
    n_sentences: int
    n_actors: int
    n_attributions: int
    n_events: int


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit(_Row):
    """A full-text hit in an article (``kind="article"``) or in a claim's content (``kind="claim"``).

    ``snippet`` is plain text around the match; ``highlights`` are (start, end) offsets of the
    matched words inside ``snippet``. ``start``/``end`` locate the snippet (article hits) or the
    claim content (claim hits) in the article text, when they could be determined.
    """

    kind: str
    article_id: str
    title: str | None
    published: dt.date | None
    outlet: str | None
    rank: float  # higher is better; comparable within one search only
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    start: int | None = None
    end: int | None = None
    claim_index: int | None = None  # index into the article's attributions for claim hits


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRow(_Row):
    """One attribution (who says what) with its article's metadata.

    ``actor_name``/``actor_kb_id`` come from the resolved source actor; ``date_start``/``date_end`` is
    the interval of the claim's time expressions, else the publication date (``date_from_publication``).
    """

    article_id: str
    index: int
    title: str | None
    published: dt.date | None
    outlet: str | None
    source: str | None
    source_start: int | None
    source_end: int | None
    source_type: str
    source_actor: str | None
    actor_name: str | None
    actor_kb_id: str | None
    cue: str
    cue_start: int
    cue_end: int
    content: str
    content_start: int
    content_end: int
    direct: str
    certainty: str
    channel: str
    via: tuple[dict[str, Any], ...]
    confidence: float | None
    date_start: dt.date | None
    date_end: dt.date | None
    date_from_publication: bool


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class EventActorRow(_Row):
    """The source or target of an event: the span text and what it was resolved to."""

    text: str
    start: int
    end: int
    actor_id: str | None
    name: str | None  # resolved actor name, else the span text
    kb_id: str | None
    country: str | None
    sector: str | None
    code: str | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class EventRow(_Row):
    """One coded event with its article's metadata."""

    article_id: str
    index: int
    title: str | None
    published: dt.date | None
    outlet: str | None
    type: str
    cameo: str | None
    mode: str
    negated: bool
    trigger: str
    trigger_start: int
    trigger_end: int
    source: EventActorRow | None
    target: EventActorRow | None
    date_value: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    date_from_publication: bool
    location: str | None
    location_country: str | None
    reported_by: int | None
    sentence: str | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ActorRow(_Row):
    """An actor grouped across articles by ``key`` (its KB id, else ``name:`` + normalised name)."""

    key: str
    name: str
    kind: str
    kb_id: str | None
    country: str | None
    sector: str | None
    articles: int  # articles mentioning it
    mentions: int
    claims: int  # attributions it is the source of
    events: int  # events it is the source or target of


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TimelineItem(_Row):
    """An event or a claim placed on the calendar (``start``..``end``, inclusive days)."""

    kind: str  # "event" or "claim"
    article_id: str
    index: int
    start: dt.date
    end: dt.date
    from_publication: bool  # the date is the article's, not one stated in the text
    label: str  # event type, or the claim's source type
    actor: str | None  # event source / claim source (resolved name, else text)
    target: str | None  # event target; None for claims
    text: str  # event trigger, or claim content
    outlet: str | None
    published: dt.date | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class NetworkEdge(_Row):
    """Events from one actor to another; ``source``/``target`` are actor keys as in :class:`ActorRow`."""

    source: str
    source_name: str
    target: str
    target_name: str
    weight: int  # number of events
    articles: int  # distinct articles reporting them


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class SaveReport(_Row):
    """What :meth:`Store.save_many` did: saved (new or replaced), unchanged, and failed articles."""

    saved: int = 0
    unchanged: int = 0
    failures: tuple[Failure, ...] = ()

    @property
    def failed(self) -> int:
        return len(self.failures)


__all__ = [
    "ActorRow",
    "ArticleRow",
    "ClaimRow",
    "EventActorRow",
    "EventRow",
    "NetworkEdge",
    "Page",
    "SaveReport",
    "SearchHit",
    "TimelineItem",
]
