"""Domain records: what newsledger extracts from an article.

Records hold character offsets into ``Article.text`` and plain values, never spaCy objects, so they
outlive the pipeline and serialise through one ``to_dict``/``from_dict`` path (CLI ``--json``, store,
API, web UI). The JSON shape is the public contract documented in ``docs/schema.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from enum import StrEnum
from typing import Any, Self, TypeVar

SCHEMA_VERSION = "1.0"

T = TypeVar("T")


# --- closed vocabularies ---------------------------------------------------------------------------


class TimeType(StrEnum):
    """TIMEX3 types."""

    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class SourceType(StrEnum):
    """Who a claim rests on."""

    NAMED_PERSON = "named_person"
    NAMED_ORGANISATION = "named_organisation"
    MEDIA = "media"  # a publication, news agency or broadcaster
    DOCUMENT = "document"  # a statement, report, transcript, tweet, law...
    ANONYMOUS_INDIVIDUAL = "anonymous_individual"  # "one source", "an insider"
    ANONYMOUS_GROUP = "anonymous_group"  # "officials", "diplomats", "five senior Chinese officials"
    UNSPECIFIED = "unspecified"  # "reports say", "it is said"


class QuoteKind(StrEnum):
    """How the content is rendered."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class Certainty(StrEnum):
    """What the cue says about the source's commitment to the content."""

    ASSERTED = "asserted"  # said, stated, told
    HEDGED = "hedged"  # suggested, hinted, appears, may
    DENIED = "denied"  # denied, rejected the claim
    NEGATED = "negated"  # did not say
    QUESTIONED = "questioned"  # asked whether


class Channel(StrEnum):
    """How the source made the claim."""

    ON_RECORD = "on_record"
    PRIVATE = "private"  # privately, on condition of anonymity, in private conversations
    PUBLISHED = "published"  # in a report, statement, tweet, article
    UNKNOWN = "unknown"


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    MEDIA = "media"
    PLACE = "place"  # a country or city; may act as its government by metonymy
    GROUP = "group"  # an unnamed group: "officials", "diplomats"
    INDIVIDUAL = "individual"  # an unnamed person: "one source"
    DOCUMENT = "document"


class EventMode(StrEnum):
    """PLOVER-style modality of an event."""

    FACT = "fact"
    NEGATED = "negated"
    FUTURE = "future"  # will, plans to
    HYPOTHETICAL = "hypothetical"  # could, would, if
    THREATENED = "threatened"
    REQUESTED = "requested"


# --- records ---------------------------------------------------------------------------------------


class _Record:
    """``to_dict``/``from_dict`` for a record dataclass: fields by name, nested records as dicts."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return _to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return _from_dict(cls, data)


class _FlatSpanRecord(_Record):
    """A record whose ``span`` is written inline: {start, end, text, ...other fields}."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        data = _to_dict(self)
        return {**data.pop("span"), **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return _from_dict(cls, {**data, "span": {k: data[k] for k in ("start", "end", "text")}})


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A stretch of ``Article.text``: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span offsets {self.start}..{self.end}")

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(start=int(data["start"]), end=int(data["end"]), text=str(data["text"]))

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Self:
        """The span of ``text[start:end]``."""
        return cls(start=start, end=end, text=text[start:end])


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Article(_Record):
    """One news article; ``text`` is exactly the analysed text that all offsets refer to."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    origin: str | None = None  # where it was read from: file path, "file.jsonl:12", "-"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Actor(_Record):
    """An actor mentioned in one article: all its mentions linked, resolved to the KB where possible.

    ``id`` is local to the article ("A1", "A2"...); ``kb_id`` is the knowledge-base id (a Wikidata QID
    or a newsledger KB key) when resolved. ``country`` is ISO 3166 alpha-3 (or "IGO"), ``sector`` a
    CAMEO/PLOVER sector code (GOV, MIL, MED...).
    """

    id: str
    name: str
    kind: ActorKind
    mentions: tuple[Span, ...] = ()
    kb_id: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None  # role at the article's date, e.g. "President of Russia"
    affiliation: str | None = None  # local id of the organisation a person speaks for


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A named-entity mention (spaCy NER) linked to an article actor when it is one."""

    span: Span
    label: str
    actor_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "label": self.label, "actor_id": self.actor_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(span=Span.from_dict(data), label=data["label"], actor_id=data.get("actor_id"))


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression(_FlatSpanRecord):
    """A TIMEX3-compatible time expression.

    ``value`` follows TimeML (``2022-02-04``, ``2022-12``, ``P9M``, ``PRESENT_REF``, ``XXXX-WXX-3``);
    ``interval`` is the calendar range (earliest, latest day, ISO dates) a DATE/TIME may denote, and for
    durations anchored in the text ("the past nine months") the range they cover. ``anchor`` names what
    the value was resolved against: "dct", a time id, or a reference event id.
    """

    id: str
    span: Span
    type: TimeType
    value: str
    mod: str | None = None
    interval: tuple[str, str] | None = None
    anchor: str | None = None
    resolved: str | None = None  # a calendar value for expressions TimeML keeps relative ("20 days")
    timeml: bool = True  # False: a span TimeML would not tag (an event reference resolved to its date)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Conduit(_Record):
    """Someone who relays a claim made by someone else ("... told the FT")."""

    span: Span | None
    actor_id: str | None = None
    source_type: SourceType | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Attribution(_Record):
    """Who says what: source, cue and content with their offsets.

    ``via`` lists the conduits of a relayed claim, innermost first and outermost last: for "officials
    told the FT" reported by this article, source = officials, via = [FT].
    """

    cue: Span
    content: Span
    source: Span | None = None
    source_type: SourceType = SourceType.UNSPECIFIED
    direct: QuoteKind = QuoteKind.INDIRECT
    certainty: Certainty = Certainty.ASSERTED
    channel: Channel = Channel.UNKNOWN
    source_actor: str | None = None
    source_resolved: Span | None = None  # the named mention a pronoun/description source stands for
    source_affiliation: Span | None = None  # organisation a person source speaks for ("a researcher at X")
    via: tuple[Conduit, ...] = ()
    times: tuple[str, ...] = ()  # ids of the time expressions in the attributed clause
    confidence: float | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class EventActor(_FlatSpanRecord):
    span: Span
    actor_id: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None  # CAMEO actor code, e.g. "CHNGOV"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class EventDate(_Record):
    """When an event happened: a time expression of its clause, else the publication date (flagged)."""

    value: str | None
    interval: tuple[str, str] | None = None
    time_id: str | None = None
    from_publication: bool = False


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Location(_FlatSpanRecord):
    span: Span
    country: str | None = None
    name: str | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Event(_Record):
    """A coded political event (PLOVER type, CAMEO code where determinable)."""

    type: str
    trigger: Span
    cameo: str | None = None
    mode: EventMode = EventMode.FACT
    source: EventActor | None = None
    target: EventActor | None = None
    date: EventDate | None = None
    location: Location | None = None
    reported_by: int | None = None  # index into the article's attributions
    negated: bool = False
    sentence: Span | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    actors: tuple[Actor, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()
    sentences: tuple[Span, ...] = ()
    analyzer_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "analyzer_version": self.analyzer_version,
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "actors": [a.to_dict() for a in self.actors],
            "times": [t.to_dict() for t in self.times],
            "attributions": [a.to_dict() for a in self.attributions],
            "events": [e.to_dict() for e in self.events],
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            article=Article.from_dict(data["article"]),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            actors=tuple(Actor.from_dict(a) for a in data.get("actors", ())),
            times=tuple(TimeExpression.from_dict(t) for t in data.get("times", ())),
            attributions=tuple(Attribution.from_dict(a) for a in data.get("attributions", ())),
            events=tuple(Event.from_dict(e) for e in data.get("events", ())),
            sentences=tuple(Span.from_dict(s) for s in data.get("sentences", ())),
            analyzer_version=data.get("analyzer_version", ""),
        )


# --- generic (de)serialisation ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _to_dict(record: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _from_dict(cls: type[T], data: dict[str, Any]) -> T:
    converters = _field_converters(typing.cast(type, cls))
    return cls(**{name: convert(data[name]) for name, convert in converters if name in data})


Converter = typing.Callable[[Any], Any]


@functools.cache
def _field_converters(cls: type) -> tuple[tuple[str, Converter], ...]:
    # Resolving type hints is slow (a ledger of 10,000 articles spent 5 minutes in it when read
    # back): each class's fields are resolved once, into one converter per field.
    hints = typing.get_type_hints(cls)
    return tuple((field.name, _converter(hints[field.name])) for field in dataclasses.fields(cls))


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _converter(hint: Any) -> Converter:
    """A function turning the JSON form of a ``hint``-typed value (None stays None) into the value."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    convert: Converter = _identity
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        convert = _converter(inner[0]) if len(inner) == 1 else _identity
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _converter(args[0])
        convert = lambda values: tuple(item(v) for v in values)  # noqa: E731
    elif origin is tuple:
        items = tuple(_converter(a) for a in args)
        convert = lambda values: tuple(c(v) for c, v in zip(items, values, strict=True))  # noqa: E731
    elif hint is dt.date:
        convert = lambda value: value if isinstance(value, dt.date) else dt.date.fromisoformat(value)  # noqa: E731
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        convert = hint
    elif isinstance(hint, type) and hasattr(hint, "from_dict"):
        from_dict = hint.from_dict
        convert = lambda value: from_dict(value) if isinstance(value, dict) else value  # noqa: E731
    if convert is _identity:
        return convert
    return lambda value: None if value is None else convert(value)
