"""Rich rendering of analyses, failures and summaries, on hand-built records."""

from __future__ import annotations

import datetime as dt

from rich.console import Console, RenderableType

from newsledger.api import IngestReport, Summary
from newsledger.errors import Failure
from newsledger.model import (
    Actor,
    ActorKind,
    Analysis,
    Article,
    Attribution,
    Certainty,
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
from newsledger.report import (
    analysis_report,
    failures_table,
    ingest_summary,
    marked_text,
    shorten,
    summary_report,
)

TEXT = "Officials told the FT that Moscow met Beijing on February 4, 2022."


def _render(renderable: RenderableType) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(renderable)
    return console.export_text()


def _analysis() -> Analysis:
    def span(start: int, end: int) -> Span:
        return Span.of(TEXT, start, end)

    return Analysis(
        article=Article(id="a1", text=TEXT, title="Summit", published=dt.date(2023, 1, 10), outlet="Daily"),
        actors=(
            Actor(id="A1", name="Russia", kind=ActorKind.PLACE, mentions=(span(27, 33),), country="RUS"),
        ),
        times=(TimeExpression(id="T1", span=span(49, 65), type=TimeType.DATE, value="2022-02-04"),),
        attributions=(
            Attribution(
                source=span(0, 9),
                cue=span(10, 14),
                content=span(27, 65),
                source_type=SourceType.ANONYMOUS_GROUP,
                certainty=Certainty.HEDGED,
                direct=QuoteKind.INDIRECT,
                via=(Conduit(span=span(15, 21), source_type=SourceType.MEDIA),),
                times=("T1",),
            ),
        ),
        events=(
            Event(
                type="CONSULT",
                trigger=span(34, 37),
                source=EventActor(span=span(27, 33)),
                target=EventActor(span=span(38, 45)),
                date=EventDate(value="2022-02-04", time_id="T1"),
            ),
        ),
        sentences=(span(0, len(TEXT)),),
    )


def test_report_analysis_lists_sources_claims_times_actors_events() -> None:
    """The readable report names the source, its type and certainty, the time value and the event."""
    text = _render(analysis_report(_analysis()))
    for expected in (
        "Summit",
        "Officials",
        "via the FT",
        "anonymous group",
        "hedged",
        "2022-02-04",
        "CONSULT",
    ):
        assert expected in text


def test_report_marked_text_keeps_whole_text() -> None:
    """The marked view prints the full article text and a legend."""
    text = _render(marked_text(_analysis()))
    assert TEXT in text
    assert "[source]" in text


def test_report_failures_table_shows_code_and_hint() -> None:
    """The failure table shows where, the code, the problem and what to do."""
    failure = Failure(where="a.jsonl:3", stage="read", code="NL106", message="not valid JSON", hint="fix it")
    text = _render(failures_table([failure]))
    for expected in ("1 failed", "a.jsonl:3", "NL106", "not valid JSON", "fix it"):
        assert expected in text


def test_report_ingest_summary_counts() -> None:
    """The ingest summary line gives every count and flags --strict stops."""
    report = IngestReport(read=3, analysed=2, stored=2, unchanged=1, stopped=True)
    text = _render(ingest_summary(report))
    assert "3 read, 2 analysed, 2 stored, 1 unchanged, 0 failed" in text
    assert "--strict" in text


def test_report_summary_tables() -> None:
    """The summary shows counts, outlets, source types and top sources."""
    summary = Summary(
        counts={"articles": 2, "attributions": 5},
        outlets={"Daily": 2},
        source_types={"named_person": 4, "anonymous_group": 1},
        certainty={"asserted": 5},
        top_sources=[("Vladimir Putin", 3)],
    )
    text = _render(summary_report(summary))
    for expected in ("articles", "Daily", "named person", "Vladimir Putin"):
        assert expected in text


def test_report_shorten_flattens_and_cuts() -> None:
    """Long contents are put on one line and cut with an ellipsis."""
    assert shorten("a\n b   c") == "a b c"
    assert shorten("word " * 100, width=20).endswith("…")
    assert len(shorten("word " * 100, width=20)) == 20
