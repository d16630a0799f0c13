"""The CLI without the model: help, version, option checking, exit codes and error messages."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger import __version__
from newsledger.cli import EXIT_FAILURES, EXIT_FATAL, app
from newsledger.store import Store

runner = CliRunner()

COMMANDS = ["analyze", "ingest", "reanalyze", "show", "search", "claims", "export", "summary"]


@pytest.fixture
def unused_port() -> int:
    """A local TCP port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _empty_db(tmp_path: Path) -> str:
    path = tmp_path / "ledger.db"
    Store(path).close()
    return str(path)


def test_cli_version_prints_version() -> None:
    """--version prints the package version."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_help_has_example(command: str) -> None:
    """Every command's --help shows an example invocation."""
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: newsledger" in result.stdout


def test_cli_mounts_eval_group() -> None:
    """`newsledger eval` exists for the evaluation commands."""
    result = runner.invoke(app, ["eval", "--help"])
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["analyze", "x.txt", "--published", "2020-13-01"], "NL110"),
        (["analyze", "x.txt", "--field", "text"], "NL110"),
        (["analyze", "x.txt", "--field", "author=by"], "NL110"),
        (["ingest", "x.txt", "--published", "yesterday"], "NL110"),
        (["claims", "--since", "1/2/20"], "NL110"),
        (["summary", "--db", "mysql://localhost/x"], "NL306"),
    ],
)
def test_cli_bad_option_exits_2_with_code(tmp_path: Path, args: list[str], code: str) -> None:
    """Bad option values are usage errors: exit 2 and the coded message on stderr, no traceback."""
    result = runner.invoke(app, args, env={"NEWSLEDGER_DB": str(tmp_path / "x.db")})
    assert result.exit_code == EXIT_FATAL
    assert f"error {code}" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_typer_rejects_bad_choice() -> None:
    """Closed vocabularies are checked by the parser (exit 2)."""
    result = runner.invoke(app, ["claims", "--source-type", "gossip"])
    assert result.exit_code == EXIT_FATAL


def test_cli_unreachable_postgres_exits_2(unused_port: int) -> None:
    """A PostgreSQL URL nobody answers is NL301 and exit 2."""
    result = runner.invoke(app, ["summary", "--db", f"postgresql://nobody@127.0.0.1:{unused_port}/x"])
    assert result.exit_code == EXIT_FATAL
    assert "error NL301" in result.stderr


def test_cli_show_missing_article_exits_1(tmp_path: Path) -> None:
    """show for an id that is not stored is NL305 and exit 1."""
    result = runner.invoke(app, ["show", "nope", "--db", _empty_db(tmp_path)])
    assert result.exit_code == EXIT_FAILURES
    assert "error NL305" in result.stderr


def test_cli_db_from_environment(tmp_path: Path) -> None:
    """NEWSLEDGER_DB is the default --db."""
    result = runner.invoke(app, ["summary", "--json"], env={"NEWSLEDGER_DB": _empty_db(tmp_path)})
    assert result.exit_code == 0, result.stderr
    assert '"articles": 0' in result.stdout


def test_cli_empty_ledger_summary_and_export(tmp_path: Path) -> None:
    """An empty ledger summarises to zeros and exports nothing."""
    db = _empty_db(tmp_path)
    assert runner.invoke(app, ["summary", "--db", db]).exit_code == 0
    out = tmp_path / "claims.csv"
    result = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text().startswith("article_id,")


def test_cli_verbose_shows_traceback(tmp_path: Path) -> None:
    """Tracebacks appear only with --verbose."""
    args = ["show", "nope", "--db", _empty_db(tmp_path)]
    assert "Traceback" not in runner.invoke(app, args).stderr
    assert "Traceback" in runner.invoke(app, ["--verbose", *args]).stderr
