"""The Python API on the real model: analyze, ingest, reanalyze, show, search, claims, export, summary."""

from __future__ import annotations

import gzip
import io
import itertools
import json
from pathlib import Path

import jsonschema
import pytest
from spacy.language import Language

import newsledger
from conftest import EXAMPLES, ROOT, shared_path
from newsledger.errors import EmptyText, Failure
from newsledger.model import Analysis, Span
from newsledger.store import Store

ABP_SLICE = 30
EXAMPLE = EXAMPLES / "02_crimea_annexation.txt"
SCHEMA = json.loads((ROOT / "docs" / "schema.v1.json").read_text(encoding="utf-8"))


def _spans(analysis: Analysis) -> list[Span]:
    """Every span an analysis holds, wherever it is nested."""
    spans = list(analysis.sentences) + [e.span for e in analysis.entities] + [t.span for t in analysis.times]
    spans += [m for actor in analysis.actors for m in actor.mentions]
    for attribution in analysis.attributions:
        spans += [attribution.cue, attribution.content]
        spans += [s for s in [attribution.source, *(c.span for c in attribution.via)] if s is not None]
    for event in analysis.events:
        spans.append(event.trigger)
        parts = [event.source, event.target, event.location]
        spans += [part.span for part in parts if part is not None]
        spans += [event.sentence] if event.sentence is not None else []
    return spans


def _assert_offsets_valid(analysis: Analysis) -> None:
    text = analysis.article.text
    for span in _spans(analysis):
        assert text[span.start : span.end] == span.text, (analysis.article.id, span)


@pytest.fixture(scope="module")
def abp_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first articles of the 10k corpus with a valid date, as a small JSONL file under tmp."""
    source = shared_path("corpus", "abp-10k.jsonl.gz")
    path = tmp_path_factory.mktemp("abp") / "slice.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        dated = (line for line in lines if json.loads(line)["published"].startswith(("19", "20")))
        out.writelines(itertools.islice(dated, ABP_SLICE))
    return path


def test_analyze_examples_reads_sidecars_and_offsets(nlp: Language) -> None:
    """Each example article is analysed with its sidecar metadata, and every span matches the text."""
    results = list(newsledger.analyze(EXAMPLES, nlp=nlp))
    texts = sorted(EXAMPLES.glob("*.txt"))
    assert len(results) == len(texts)
    for result, path in zip(results, texts, strict=True):
        assert isinstance(result, Analysis), result
        sidecar = json.loads(path.with_suffix(".json").read_text())
        assert result.article.title == sidecar["title"]
        assert str(result.article.published) == sidecar["published"]
        assert result.sentences
        _assert_offsets_valid(result)


def test_analyze_cc_by_corpus_keeps_ids_and_schema(nlp: Language) -> None:
    """All 51 CC-BY articles are analysed under their own ids, in order, as schema-valid JSON."""
    path = shared_path("corpus", "cc-by", "articles.jsonl")
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    results = list(newsledger.analyze(path, nlp=nlp))
    assert [r.article.id for r in results if isinstance(r, Analysis)] == ids
    for result in results:
        assert isinstance(result, Analysis)
        _assert_offsets_valid(result)
        jsonschema.validate(json.loads(json.dumps(result.to_dict())), SCHEMA)


def test_analyze_overrides_metadata(nlp: Language) -> None:
    """published/outlet given to analyze() replace the inputs' own."""
    (result,) = newsledger.analyze(EXAMPLE, nlp=nlp, outlet="Mine", published="2014-03-19")
    assert isinstance(result, Analysis)
    assert (result.article.outlet, str(result.article.published)) == ("Mine", "2014-03-19")


def test_analyze_yields_failures_in_place(nlp: Language, tmp_path: Path) -> None:
    """A bad file among good ones is a Failure; the good ones are still analysed."""
    (tmp_path / "a.txt").write_text("The president said on Monday that talks would resume.")
    (tmp_path / "b.txt").write_text("   ")
    (tmp_path / "c.txt").write_text("Officials denied the report.")
    results = list(newsledger.analyze(tmp_path, nlp=nlp))
    assert [type(r).__name__ for r in results] == ["Analysis", "Failure", "Analysis"]
    assert isinstance(results[1], Failure)
    assert results[1].code == "NL104"


def test_analyze_text_returns_analysis(nlp: Language) -> None:
    """analyze_text analyses a string with the given metadata."""
    result = newsledger.analyze_text(
        "Officials said on Monday that talks would resume.", nlp=nlp, published="2023-01-10"
    )
    assert str(result.article.published) == "2023-01-10"
    assert result.article.origin is None
    _assert_offsets_valid(result)


def test_analyze_text_raises_coded_error(nlp: Language) -> None:
    """An empty text raises NL104 instead of returning nothing."""
    with pytest.raises(EmptyText):
        newsledger.analyze_text(" \n ", nlp=nlp)


def test_analyze_reads_stdin_jsonl(nlp: Language) -> None:
    """'-' with format=jsonl streams records from stdin."""
    stdin = io.BytesIO(b'{"id": "s1", "text": "Ministers met in Paris."}\n')
    (result,) = newsledger.analyze("-", nlp=nlp, format="jsonl", stdin=stdin)
    assert isinstance(result, Analysis)
    assert result.article.id == "s1"


def test_ingest_is_idempotent_and_queryable(
    nlp: Language, sqlite_url: str, abp_slice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest stores everything once; a re-run finds it unchanged; show/export/summary see it."""
    sources = [EXAMPLES, abp_slice]
    expected = len(list(EXAMPLES.glob("*.txt"))) + ABP_SLICE
    seen: list[int] = []
    report = newsledger.ingest(sources, db=sqlite_url, nlp=nlp, progress=lambda r: seen.append(r.processed))
    assert (report.read, report.stored, report.failed) == (expected, expected, 0), report.failures
    assert seen[-1] == expected
    with monkeypatch.context() as patched:
        # A re-run compares stored hashes only: reading stored analyses back made it take minutes.
        patched.setattr(Store, "get", lambda *_: pytest.fail("a re-run read a stored analysis"))
        again = newsledger.ingest(sources, db=sqlite_url, nlp=nlp)
    assert (again.analysed, again.stored, again.unchanged) == (0, 0, expected)

    (first,) = newsledger.analyze(EXAMPLE, nlp=nlp)
    assert isinstance(first, Analysis)
    assert newsledger.show(first.article.id, db=sqlite_url) == first
    summary = newsledger.summary(db=sqlite_url)
    assert summary.counts["articles"] == expected
    assert summary.outlets[first.article.outlet or "unknown"] == len(list(EXAMPLES.glob("*.txt")))
    out = io.StringIO()
    assert newsledger.export(db=sqlite_url, out=out) == expected
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {a["article"]["id"] for a in exported} >= {first.article.id}


def test_ingest_records_failures_and_goes_on(nlp: Language, sqlite_url: str, tmp_path: Path) -> None:
    """Bad items are recorded in the report and the database; the good ones are stored."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "g1", "text": "Officials said talks would resume."}\n'
        "{broken\n"
        '{"id": "g2", "text": "The minister denied the report.", "published": "1/2/20"}\n'
        '{"id": "g3", "text": "Diplomats said the meeting went well."}\n'
    )
    report = newsledger.ingest(path, db=sqlite_url, nlp=nlp)
    assert (report.stored, report.failed) == (2, 2)
    assert [f.code for f in report.failures] == ["NL106", "NL109"]
    with Store(sqlite_url) as store:
        assert {f.code for f in store.failures()} == {"NL106", "NL109"}
        assert store.has_article("g3")


def test_ingest_strict_stops_at_first_failure(nlp: Language, sqlite_url: str, tmp_path: Path) -> None:
    """strict=True stops at the first failure and says so."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "g1", "text": "Officials spoke."}\n{broken\n' + '{"text": "Later article."}\n' * 5
    )
    report = newsledger.ingest(path, db=sqlite_url, nlp=nlp, strict=True)
    assert report.stopped
    assert report.failed == 1
    assert report.processed < 7


def test_reanalyze_replaces_only_when_asked(nlp: Language, sqlite_url: str) -> None:
    """reanalyze leaves current analyses alone, and re-runs them all with force."""
    newsledger.ingest(sorted(EXAMPLES.glob("*.txt"))[:2], db=sqlite_url, nlp=nlp)
    count = 2
    assert newsledger.reanalyze(db=sqlite_url, nlp=nlp).unchanged == count
    forced = newsledger.reanalyze(db=sqlite_url, nlp=nlp, force=True)
    assert (forced.read, forced.analysed, forced.failed) == (count, count, 0)


@pytest.mark.slow
def test_ingest_with_two_processes_matches_one(nlp: Language, tmp_path: Path) -> None:
    """n_process=2 stores the same analyses as a single process."""
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    files = sorted(EXAMPLES.glob("*.txt"))[:6]
    newsledger.ingest(files, db=one, nlp=nlp)
    report = newsledger.ingest(files, db=two, n_process=2, batch_size=2)
    assert report.failed == 0
    with Store(one) as a, Store(two) as b:
        assert [a.get(i) for i in a.article_ids()] == [b.get(i) for i in b.article_ids()]
