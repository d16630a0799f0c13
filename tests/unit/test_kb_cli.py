"""The ``newsledger kb`` commands through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from newsledger.kb.cli import kb_app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lookup", "Putin", "--date", "2010-06-01"], "Prime Minister of Russia"),
        (["lookup", "Putin", "--date", "2015-06-01"], "President of Russia"),
        (["lookup", "Le Yucheng", "--date", "2021-01-01"], "Vice Foreign Minister of China"),
        (["validate"], "entries"),
    ],
)
def test_kb_cli_prints(args: list[str], expected: str) -> None:
    """lookup prints the role held on --date; validate prints counts."""
    result = runner.invoke(kb_app, args)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_kb_cli_lookup_json_and_unknown() -> None:
    """--json prints one object a match; an unknown name exits 1."""
    result = runner.invoke(kb_app, ["lookup", "FT", "--json"])
    assert json.loads(result.output.splitlines()[0])["kb_id"] == "media.ft"
    assert runner.invoke(kb_app, ["lookup", "Zorblatt Consortium"]).exit_code == 1


def test_kb_cli_imports_and_validates(tmp_path: Path) -> None:
    """Imported files validate; a malformed file exits 2 naming file:line:field."""
    phoenix = tmp_path / "Mini.actors.txt"
    phoenix.write_text("ANA_PEREZ_\n+PEREZ_\n\t[PERGOV >020101]\n", encoding="utf-8")
    out = tmp_path / "kb"
    assert runner.invoke(kb_app, ["import-phoenix", str(phoenix), "--out", str(out)]).exit_code == 0
    wikidata = out / "wd.jsonl"
    export = FIXTURES / "kb" / "wikidata_entities.json"
    assert runner.invoke(kb_app, ["import-wikidata", str(export), "--out", str(wikidata)]).exit_code == 0
    result = runner.invoke(kb_app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 entries" in result.output
    found = runner.invoke(kb_app, ["lookup", "Perez", "--date", "2005-01-01", "--kb", str(out)])
    assert "PERGOV" in found.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "kind": "person"}\n', encoding="utf-8")
    result = runner.invoke(kb_app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl:1:name" in result.output.replace("\n", "")
