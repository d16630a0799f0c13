"""TimeML reading and TempEval-3 scoring on hand-written documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.errors import GoldDataError
from newsledger.eval.timeml import parse_timeml, read_timeml_dir
from newsledger.eval.times import score_document
from newsledger.model import Span, TimeExpression, TimeType

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>doc1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2023-01-10T08:00:00">20230110</TIMEX3></DCT>
<TEXT>
Troops &amp; tanks <EVENT eid="e1" class="OCCURRENCE">left</EVENT>
<TIMEX3 tid="t1" type="DATE" value="2023-01-09">yesterday</TIMEX3>
after <TIMEX3 tid="t2" type="DURATION" value="P9M" mod="APPROX">about nine months</TIMEX3>.
</TEXT>
</TimeML>
"""


def timex(start: int, end: int, kind: str, value: str, text: str = "x") -> TimeExpression:
    return TimeExpression(
        id="t", span=Span(start=start, end=end, text=text), type=TimeType(kind), value=value
    )


def test_times_timeml_reader_strips_tags_and_keeps_offsets() -> None:
    """Gold offsets point into the tag-free, entity-decoded text; the DCT is the date part."""
    document = parse_timeml(TML, where="doc1.tml")
    assert document.id == "doc1"
    assert str(document.dct) == "2023-01-10"
    assert "Troops & tanks left\nyesterday" in document.text
    for time in document.times:
        assert document.text[time.span.start : time.span.end] == time.span.text
    assert [(t.span.text, t.value, t.mod) for t in document.times] == [
        ("yesterday", "2023-01-09", None),
        ("about nine months", "P9M", "APPROX"),
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [("<TimeML><DCT></DCT></TimeML>", "TEXT"), ("<TimeML><TEXT>x</TEXT></TimeML>", "DCT")],
)
def test_times_timeml_reader_reports_bad_files(source: str, message: str) -> None:
    """A file without TEXT or DCT is a coded gold-data error naming the file."""
    with pytest.raises(GoldDataError, match=message) as error:
        parse_timeml(source, where="bad.tml")
    assert error.value.where == "bad.tml"


def test_times_timeml_dir_must_exist(tmp_path: Path) -> None:
    """A missing folder or one without .tml files is reported, not ignored."""
    with pytest.raises(GoldDataError):
        list(read_timeml_dir(tmp_path / "absent"))
    with pytest.raises(GoldDataError):
        list(read_timeml_dir(tmp_path))


def test_times_scorer_strict_relaxed_and_attributes() -> None:
    """Strict needs equal offsets, relaxed an overlap; type and value are judged on relaxed matches."""
    gold = [
        timex(0, 9, "DATE", "2023-01-09"),
        timex(20, 37, "DURATION", "P9M"),
        timex(50, 55, "DATE", "2022"),
    ]
    system = [
        timex(0, 9, "DATE", "2023-01-09"),  # exact, right
        timex(26, 37, "DURATION", "P8M"),  # overlap, wrong value
        timex(60, 65, "DATE", "2021"),  # spurious
    ]
    counts, errors = score_document("d", gold, system)
    s = counts.scores()
    assert (counts.strict_gold, counts.relaxed_gold, counts.relaxed_system) == (1, 2, 2)
    assert s["strict_precision"] == pytest.approx(1 / 3)
    assert s["relaxed_recall"] == pytest.approx(2 / 3)
    assert s["type_accuracy"] == 1.0
    assert s["value_accuracy"] == 0.5
    assert s["value_f1"] == pytest.approx(1 / 3)  # 1 correct of 3 system and 3 gold
    assert sorted(e.kind for e in errors) == ["missing", "spurious", "value"]


def test_times_scorer_ignores_non_timeml_expressions() -> None:
    """Event references resolved to dates (timeml=False) are not scored against TimeML gold."""
    extra = TimeExpression(
        id="t", span=Span(start=0, end=5, text="x"), type=TimeType.DATE, value="2022", timeml=False
    )
    counts, _ = score_document("d", [], [extra])
    assert counts.system == 0
