"""Domain records round-trip through to_dict/from_dict."""

from __future__ import annotations

import datetime as dt

import pytest

from newsledger.model import (
    Actor,
    ActorKind,
    Analysis,
    Article,
    Attribution,
    Conduit,
    Event,
    EventActor,
    EventDate,
    QuoteKind,
    SourceType,
    Span,
    TimeExpression,
    TimeType,
)

TEXT = "Officials told the FT that Moscow met Beijing on February 4, 2022."


def _span(start: int, end: int) -> Span:
    return Span.of(TEXT, start, end)


def test_span_rejects_negative_offsets() -> None:
    """A span cannot end before it starts."""
    with pytest.raises(ValueError, match="invalid span"):
        Span(start=5, end=2, text="")


def test_analysis_round_trips_through_dict() -> None:
    """Every record survives to_dict/from_dict unchanged."""
    analysis = Analysis(
        article=Article(id="a1", text=TEXT, published=dt.date(2023, 1, 10), outlet="X"),
        actors=(Actor(id="A1", name="Officials", kind=ActorKind.GROUP, mentions=(_span(0, 9),)),),
        times=(
            TimeExpression(
                id="t1",
                span=_span(48, 64),
                type=TimeType.DATE,
                value="2022-02-04",
                interval=("2022-02-04", "2022-02-04"),
                anchor="dct",
            ),
        ),
        attributions=(
            Attribution(
                source=_span(0, 9),
                cue=_span(10, 14),
                content=_span(26, 64),
                source_type=SourceType.ANONYMOUS_GROUP,
                direct=QuoteKind.INDIRECT,
                via=(Conduit(span=_span(15, 21), source_type=SourceType.MEDIA),),
                times=("t1",),
            ),
        ),
        events=(
            Event(
                type="CONSULT",
                trigger=_span(34, 37),
                source=EventActor(span=_span(27, 33), country="RUS"),
                date=EventDate(value="2022-02-04", time_id="t1"),
                reported_by=0,
            ),
        ),
    )
    assert Analysis.from_dict(analysis.to_dict()) == analysis
