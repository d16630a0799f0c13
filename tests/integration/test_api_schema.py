"""The --json contract: real output, a full record and the documented example match schema.v1.json."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import typing
from enum import StrEnum
from typing import Any

import jsonschema
import pytest
from spacy.language import Language

import newsledger
from conftest import EXAMPLES, ROOT, shared_path
from newsledger import model
from newsledger.model import (
    Actor,
    ActorKind,
    Analysis,
    Article,
    Attribution,
    Certainty,
    Channel,
    Conduit,
    Entity,
    Event,
    EventActor,
    EventDate,
    EventMode,
    Location,
    QuoteKind,
    SourceType,
    Span,
    TimeExpression,
    TimeType,
)

SCHEMA = json.loads((ROOT / "docs" / "schema.v1.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
TEXT = "Officials told the FT that Moscow met Beijing in Paris on February 4, 2022."

# Schema definition of each record class (records whose span is inlined list the span keys too).
DEFINITIONS = {
    Article: "article",
    Entity: "entity",
    Actor: "actor",
    TimeExpression: "time",
    Conduit: "conduit",
    Attribution: "attribution",
    EventActor: "event_actor",
    EventDate: "event_date",
    Location: "location",
    Event: "event",
    Span: "span",
}


def _errors(data: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def _full_analysis() -> Analysis:
    """An analysis with every record type and every optional field set."""

    def span(start: int, end: int) -> Span:
        return Span.of(TEXT, start, end)

    return Analysis(
        article=Article(
            id="a1", text=TEXT, title="T", published=dt.date(2023, 1, 10), outlet="X", url="u", origin="-"
        ),
        entities=(Entity(span=span(27, 33), label="GPE", actor_id="A2"),),
        actors=(
            Actor(
                id="A2", name="Russia", kind=ActorKind.PLACE, mentions=(span(27, 33),), kb_id="Q159",
                country="RUS", sector="GOV", role="state", affiliation=None,
            ),
        ),
        times=(
            TimeExpression(
                id="T1", span=span(55, 73), type=TimeType.DATE, value="2022-02-04", mod="APPROX",
                interval=("2022-02-04", "2022-02-04"), anchor="dct", resolved="2022-02-04", timeml=False,
            ),
        ),
        attributions=(
            Attribution(
                source=span(0, 9), cue=span(10, 14), content=span(27, 73),
                source_type=SourceType.ANONYMOUS_GROUP, direct=QuoteKind.INDIRECT,
                certainty=Certainty.HEDGED, channel=Channel.PRIVATE, source_actor="A1",
                source_resolved=span(19, 21), source_affiliation=span(15, 21),
                via=(Conduit(span=span(15, 21), actor_id="A3", source_type=SourceType.MEDIA),),
                times=("T1",), confidence=0.9,
            ),
        ),
        events=(
            Event(
                type="CONSULT", trigger=span(34, 37), cameo="040", mode=EventMode.FACT,
                source=EventActor(
                    span=span(27, 33), actor_id="A2", country="RUS", sector="GOV", code="RUSGOV"
                ),
                target=EventActor(span=span(38, 45), country="CHN"),
                date=EventDate(value="2022-02-04", interval=("2022-02-04", "2022-02-04"), time_id="T1"),
                location=Location(span=span(49, 54), country="FRA", name="Paris"),
                reported_by=0, negated=False, sentence=span(0, len(TEXT)),
            ),
        ),
        sentences=(span(0, len(TEXT)),),
        analyzer_version="newsledger-test",
    )  # fmt: skip


def test_schema_is_valid_draft_2020_12() -> None:
    """schema.v1.json is itself a valid JSON Schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_accepts_fully_populated_analysis() -> None:
    """A record with every field set validates, so no field is missing from the schema."""
    assert _errors(_full_analysis().to_dict()) == []


def test_schema_accepts_real_output(nlp: Language) -> None:
    """What analyze produces on the examples and on the first CC-BY articles validates."""
    cc_by = shared_path("corpus", "cc-by", "articles.jsonl")
    for result in itertools.islice(newsledger.analyze([EXAMPLES, cc_by], nlp=nlp), 30):
        assert isinstance(result, Analysis), result
        data = json.loads(json.dumps(result.to_dict()))
        assert _errors(data) == [], result.article.id


def test_schema_accepts_documented_example() -> None:
    """The example in docs/schema.md is valid."""
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```json\n(.*?)```", doc, flags=re.DOTALL)
    assert _errors(json.loads(example)) == []


@pytest.mark.parametrize("record", list(DEFINITIONS), ids=lambda c: c.__name__)
def test_schema_lists_every_model_field(record: type) -> None:
    """Each record's fields are exactly the keys its schema definition allows."""
    definition = SCHEMA["$defs"][DEFINITIONS[record]]
    fields = {f.name for f in dataclasses.fields(record)}
    if "span" in fields and record not in (Conduit,):
        fields = fields - {"span"} | {"start", "end", "text"}
    assert set(definition["properties"]) == fields


@pytest.mark.parametrize(
    "enum",
    [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, StrEnum) and c is not StrEnum],
)
def test_schema_enums_match_model(enum: type[StrEnum]) -> None:
    """Every closed vocabulary in the schema has exactly the model's values."""
    found = [
        [v for v in prop["enum"] if v is not None]
        for definition in SCHEMA["$defs"].values()
        for name, prop in definition.get("properties", {}).items()
        if "enum" in prop and _enum_of(definition, name) is enum
    ]
    assert found
    assert all(values == [m.value for m in enum] for values in found)


def _enum_of(definition: dict[str, Any], name: str) -> type | None:
    record = next(c for c, key in DEFINITIONS.items() if SCHEMA["$defs"][key] is definition)
    hint = typing.get_type_hints(record)[name]
    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return arg
    return None
