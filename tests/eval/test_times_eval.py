"""TempEval-3 floors on TBAQ-cleaned (TimeBank + AQUAINT): a regression in the time tagger fails CI."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from conftest import shared_path
from newsledger.analyze.pipeline import build_pipeline
from newsledger.eval.times import TimesReport, evaluate_times

pytestmark = pytest.mark.slow

#: Measured 2026-11-29 (docs/times.md): strict F1 0.858, relaxed F1 0.934, type acc 0.950, value F1 0.800.
#: Floors sit about 0.013 below (the issue's acceptance floors: relaxed F1 0.88, value F1 0.78).
FLOORS = {
    "relaxed_f1": 0.92,  # HeidelTime, TempEval-3 test: 0.903
    "value_f1": 0.787,  # HeidelTime: 0.776
    "strict_f1": 0.845,
    "type_accuracy": 0.937,
}


@pytest.fixture(scope="module")
def times_nlp() -> Language:
    """spaCy's model with the time tagger: what ``newsledger eval times`` runs."""
    return build_pipeline(components=("newsledger_times",))


@pytest.fixture(scope="module")
def report(times_nlp: Language) -> TimesReport:
    """One run of the scorer over the gold, shared by the tests of this module."""
    return evaluate_times(shared_path("gold", "tempeval3", "TBAQ-cleaned"), nlp=times_nlp)


@pytest.mark.parametrize(("metric", "floor"), FLOORS.items())
def test_times_tempeval3_floor(report: TimesReport, metric: str, floor: float) -> None:
    """Each TempEval-3 figure stays at or above its floor."""
    assert report.total.scores()[metric] >= floor


def test_times_tempeval3_reads_all_documents(report: TimesReport) -> None:
    """All 256 TBAQ documents and their 1,822 TIMEX3s are read."""
    assert (len(report.documents), report.total.gold) == (256, 1822)


def test_times_seed_article(times_nlp: Language) -> None:
    """The seed article (published 2023-01-10): anchored "20 days", the past nine months, late December."""
    text = shared_path("corpus", "seed", "000_86870e30135a20ec.txt").read_text(encoding="utf-8")
    doc = times_nlp.make_doc(text)
    doc._.published = dt.date(2023, 1, 10)
    found = {t.span.text: t for t in times_nlp(doc)._.times}
    anchored = found["Around 20 days"]
    assert (anchored.value, anchored.mod, anchored.resolved) == ("P20D", "APPROX", "2022-02-04")
    assert found["the past nine months"].interval == ("2022-04-10", "2023-01-10")
    assert found["February 4, 2022"].value == "2022-02-04"
    assert (found["late December"].value, found["late December"].mod) == ("2022-12", "END")
