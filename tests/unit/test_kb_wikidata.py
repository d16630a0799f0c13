"""Wikidata import on a small hand-written entity file (fictional items, no network)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from newsledger.errors import DataFileError
from newsledger.kb import EntryKind, KnowledgeBase, read_entries, write_entries
from newsledger.kb.wikidata import default_country_qids, import_wikidata, wikidata_date

EXPORT = FIXTURES / "kb" / "wikidata_entities.json"


def _dump(tmp_path: Path) -> Path:
    """The same entities in the full-dump layout: one entity a line inside [ ... ]."""
    entities = json.loads(EXPORT.read_text(encoding="utf-8"))["entities"].values()
    path = tmp_path / "dump.json"
    path.write_text("[\n" + ",\n".join(json.dumps(e) for e in entities) + "\n]\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("layout", ["export", "dump", "array"])
def test_kb_wikidata_reads_every_layout(tmp_path: Path, layout: str) -> None:
    """Entity exports, line-per-entity dumps and plain arrays give the same entries."""
    path = EXPORT
    if layout == "dump":
        path = _dump(tmp_path)
    elif layout == "array":
        path = tmp_path / "array.json"
        path.write_text(
            json.dumps(list(json.loads(EXPORT.read_text())["entities"].values())), encoding="utf-8"
        )
    entries = import_wikidata(path, known_countries=default_country_qids())
    assert [e.id for e in entries] == [
        "wd.Q900000001",
        "wd.Q900000002",
        "wd.Q900000010",
        "wd.Q900000011",
        "wd.Q900000012",
        "wd.Q900000020",
    ]


def test_kb_wikidata_person_with_positions() -> None:
    """Label, aliases, citizenship through P298 and dated positions (deprecated ones skipped)."""
    entries = {e.qid: e for e in import_wikidata(EXPORT, known_countries=default_country_qids())}
    ana = entries["Q900000001"]
    assert (ana.kind, ana.name, ana.aliases, ana.country) == (
        EntryKind.PERSON,
        "Ana Example",
        ("A. Example", "Example"),
        "PER",
    )
    assert [(r.title, r.start, r.end) for r in ana.roles] == [
        ("Minister of Examples", dt.date(2019, 5, 20), dt.date(2022, 6, 30)),
        ("Q900000021", dt.date(2022, 1, 1), None),
    ]
    assert entries["Q900000002"].country == "RUS"  # Russia's QID is known to the packaged KB
    assert entries["Q900000010"].kind is EntryKind.COUNTRY
    assert (entries["Q900000011"].kind, entries["Q900000011"].country) == (EntryKind.MEDIA, "PER")
    assert entries["Q900000012"].kind is EntryKind.ACTOR


def test_kb_wikidata_entries_load_and_resolve(tmp_path: Path) -> None:
    """Imported entries validate and resolve with the role at a date, under their QID."""
    target = tmp_path / "wd.jsonl"
    write_entries(import_wikidata(EXPORT, known_countries=default_country_qids()), target)
    assert read_entries(target)
    kb = KnowledgeBase.load([target])
    match = kb.best("Ana Example", date=dt.date(2020, 1, 1))
    assert match is not None
    assert (match.kb_id, match.role, match.country) == (
        "Q900000001",
        "Minister of Examples",
        "PER",
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"time": "+2001-02-03T00:00:00Z", "precision": 11}, "2001-02-03"),
        ({"time": "+2001-02-00T00:00:00Z", "precision": 10}, "2001-02"),
        ({"time": "+2001-00-00T00:00:00Z", "precision": 9}, "2001"),
        ({"time": "-0044-03-15T00:00:00Z", "precision": 11}, None),
        (None, None),
    ],
)
def test_kb_wikidata_dates_keep_precision(value: object, text: str | None) -> None:
    """Time values keep their precision; BCE and missing values give nothing."""
    assert wikidata_date(value) == text


@pytest.mark.parametrize("content", ["{not json", '{"something": 1}', "[\n{bad\n]\n"])
def test_kb_wikidata_rejects_malformed_files(tmp_path: Path, content: str) -> None:
    """Malformed files are coded errors naming the file."""
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError):
        import_wikidata(path)
