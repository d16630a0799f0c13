"""The CLI on the real model: analyze (report and --json), ingest, show, search, claims, export, summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from spacy.language import Language
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from newsledger.cli import app

runner = CliRunner()
SCHEMA = json.loads((ROOT / "docs" / "schema.v1.json").read_text(encoding="utf-8"))
EXAMPLE = EXAMPLES / "02_crimea_annexation.txt"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> str:
    """A SQLite ledger holding the example articles, ingested through the CLI."""
    del nlp  # built first so that a broken model fails here, with its own message
    db = str(tmp_path_factory.mktemp("cli") / "ledger.db")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db])
    assert result.exit_code == 0, result.stderr
    return db


def test_cli_analyze_prints_readable_report() -> None:
    """Without --json, analyze prints the article's title and its sections."""
    result = runner.invoke(app, ["analyze", str(EXAMPLE)])
    assert result.exit_code == 0, result.stderr
    title = json.loads(EXAMPLE.with_suffix(".json").read_text())["title"]
    assert title[:30] in " ".join(result.stdout.split())
    assert "sentences" in result.stdout


def test_cli_analyze_json_lines_follow_schema() -> None:
    """--json prints one schema-valid Analysis a line."""
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--json"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(list(EXAMPLES.glob("*.txt")))
    for line in lines:
        jsonschema.validate(json.loads(line), SCHEMA)


def test_cli_analyze_stdin_with_metadata() -> None:
    """'-' reads a text from stdin; --published and --outlet set its metadata."""
    result = runner.invoke(
        app,
        ["analyze", "-", "--json", "--published", "2023-01-10", "--outlet", "Test"],
        input="Officials said on Monday that the talks would resume.",
    )
    assert result.exit_code == 0, result.stderr
    article = json.loads(result.stdout)["article"]
    assert (article["published"], article["outlet"], article["origin"]) == ("2023-01-10", "Test", "-")


def test_cli_analyze_date_order_reads_numeric_dates() -> None:
    """--date-order mdy reads a JSON Lines record's US date ("1/21/18")."""
    record = {
        "id": "us1",
        "text": "Officials said on Monday that the talks would resume.",
        "published": "1/21/18",
    }
    args = ["analyze", "-", "--json", "--format", "jsonl"]
    result = runner.invoke(app, [*args, "--date-order", "mdy"], input=json.dumps(record) + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["article"]["published"] == "2018-01-21"
    refused = runner.invoke(app, args, input=json.dumps(record) + "\n")
    assert refused.exit_code == 1
    assert "NL109" in refused.stderr


def test_cli_analyze_failure_exits_1(tmp_path: Path) -> None:
    """A bad file among good ones: the good one is printed, the failure summarised, exit 1."""
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["analyze", str(EXAMPLE), str(tmp_path / "empty.txt"), "--json"])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "NL104" in result.stderr


def test_cli_ingest_again_is_unchanged(ledger: str) -> None:
    """A second ingest of the same articles stores nothing new."""
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", ledger, "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["stored"], report["unchanged"]) == (0, len(list(EXAMPLES.glob("*.txt"))))


def test_cli_summary_counts_articles(ledger: str) -> None:
    """summary prints the ledger counts and the outlets."""
    result = runner.invoke(app, ["summary", "--db", ledger])
    assert result.exit_code == 0, result.stderr
    assert "articles" in result.stdout
    assert "Outlets" in result.stdout
    data = json.loads(runner.invoke(app, ["summary", "--db", ledger, "--json"]).stdout)
    assert data["counts"]["articles"] == len(list(EXAMPLES.glob("*.txt")))


def test_cli_show_listing_text_and_json(ledger: str) -> None:
    """show prints the listing, the marked text, or the stored JSON of one article."""
    first = json.loads(runner.invoke(app, ["export", "--db", ledger]).stdout.splitlines()[0])
    article_id = first["article"]["id"]
    listing = runner.invoke(app, ["show", article_id, "--db", ledger])
    assert listing.exit_code == 0, listing.stderr
    assert article_id in listing.stdout
    marked = runner.invoke(app, ["show", article_id, "--db", ledger, "--text"])
    assert first["article"]["text"].split()[0] in marked.stdout
    assert json.loads(runner.invoke(app, ["show", article_id, "--db", ledger, "--json"]).stdout) == first


def test_cli_search_and_claims_run(ledger: str) -> None:
    """search and claims answer on a real ledger (an empty result is not an error)."""
    search = runner.invoke(app, ["search", "minister", "--db", ledger, "--json"])
    assert search.exit_code == 0, search.stderr
    claims = runner.invoke(app, ["claims", "--db", ledger, "--since", "2000-01-01"])
    assert claims.exit_code == 0, claims.stderr


def test_cli_export_csv_has_claim_columns(ledger: str, tmp_path: Path) -> None:
    """export --format csv writes one claim a row with the ClaimRow columns."""
    out = tmp_path / "claims.csv"
    result = runner.invoke(app, ["export", "--db", ledger, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    claims = json.loads(runner.invoke(app, ["summary", "--db", ledger, "--json"]).stdout)["counts"]
    assert len(rows) == claims["attributions"]
