"""GDELT/PLOVER-style event rows and the export-events command, on hand-built records."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.export_events import COLUMNS, event_rows, write_event_rows
from newsledger.model import (
    Analysis,
    Article,
    Attribution,
    Event,
    EventActor,
    EventDate,
    EventMode,
    Span,
)

TEXT = "Officials said Russia did not attack Ukraine."


def _analysis() -> Analysis:
    event = Event(
        type="ASSAULT",
        trigger=Span.of(TEXT, 29, 35),
        cameo="190",
        mode=EventMode.NEGATED,
        negated=True,
        source=EventActor(span=Span.of(TEXT, 15, 21), country="RUS", code="RUS"),
        target=EventActor(span=Span.of(TEXT, 36, 43), country="UKR", code="UKR"),
        date=EventDate(value="2023-01-10", from_publication=True),
        reported_by=0,
        sentence=Span.of(TEXT, 0, len(TEXT)),
    )
    attribution = Attribution(
        cue=Span.of(TEXT, 10, 14), content=Span.of(TEXT, 15, 44), source=Span.of(TEXT, 0, 9)
    )
    article = Article(id="a1", text=TEXT, published=dt.date(2023, 1, 10), url="https://example.org/a1")
    return Analysis(article=article, attributions=(attribution,), events=(event,))


def test_events_export_row_fields() -> None:
    """A row carries codes, type, CAMEO root and quad class, date, offsets, URL and reporting source."""
    (row,) = event_rows(_analysis())
    assert set(row) == set(COLUMNS)
    assert (row["source_code"], row["target_code"], row["plover_type"]) == ("RUS", "UKR", "ASSAULT")
    assert (row["cameo_root"], row["quad_class"], row["mode"]) == ("19", 4, "negated")
    assert (row["event_date"], row["date_from_publication"]) == ("2023-01-10", True)
    assert (row["trigger_start"], row["sentence_end"]) == (29, len(TEXT))
    assert (row["reported_by_source"], row["source_url"]) == ("Officials", "https://example.org/a1")


def test_events_export_tsv_header_and_rows() -> None:
    """The writer prints a header and one tab-separated line per event."""
    out = io.StringIO()
    assert write_event_rows([_analysis()], out) == 1
    header, line = out.getvalue().splitlines()
    assert header.split("\t") == list(COLUMNS)
    assert line.split("\t")[COLUMNS.index("target_country")] == "UKR"


def test_events_export_command_reads_analysis_jsonl(tmp_path: Path) -> None:
    """`newsledger export-events FILE --csv` turns analysis JSON lines into CSV rows."""
    source = tmp_path / "analyses.jsonl"
    source.write_text(json.dumps(_analysis().to_dict()) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["export-events", str(source), "--csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("a1,0,2023-01-10")


def test_events_export_command_bad_record(tmp_path: Path) -> None:
    """A line that is not an analysis gives a coded error naming file:line, not a traceback."""
    source = tmp_path / "bad.jsonl"
    source.write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["export-events", str(source)])
    assert result.exit_code == 2
    assert "NL106" in result.output
