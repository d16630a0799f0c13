"""Bad input end to end: every kind becomes a recorded, coded failure; bad databases are fatal (exit 2)."""

from __future__ import annotations

import gzip
import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

import newsledger
from newsledger.cli import EXIT_FAILURES, EXIT_FATAL, app
from newsledger.errors import BadDatabaseUrl, DatabaseLocked, DatabaseNotWritable, DatabaseUnavailable
from newsledger.store import Store

GOOD = "The foreign minister said on Tuesday that the talks would resume next week."

#: file name -> (bytes, expected code, or None for a good article)
CASES: dict[str, tuple[bytes, str | None]] = {
    "a_good.txt": (GOOD.encode(), None),
    "b_cp1252.txt": ("Caf\u00e9 owners said prices \u201cwould rise\u201d.".encode("cp1252"), None),
    "c_undecodable.txt": (b"caf\xc3 \x81\x8d\x01 broken", "NL102"),
    "d_binary.txt": (b"abc\x00\x01\x02def", "NL103"),
    "e_pdf.html": (b"%PDF-1.4 binary", "NL103"),
    "f_empty.txt": (b"", "NL104"),
    "g_blank.txt": (b"\n \t \n", "NL104"),
    "h_nobody.html": (b"<html><head><title>t</title></head><body></body></html>", "NL105"),
    "i_records.jsonl": (
        b"\n".join(
            [
                b'{"id": "j1", "text": "Officials said the border was closed."}',
                b"{not json",
                b'{"id": "j3", "body": "no text field"}',
                b'{"id": "j4", "text": "A dated article.", "published": "31/12/2019"}',
            ]
        ),
        "NL106 NL106 NL109",
    ),
    "j_big.txt": (("word " * 1000).encode(), "NL107"),
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    """A folder holding one file of each kind of bad input, and good ones."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, (data, _) in CASES.items():
        (folder / name).write_bytes(data)
    lines = b"".join(
        b'{"text": "Article %d of %s."}\n' % (i, os.urandom(8).hex().encode()) for i in range(500)
    )
    data = gzip.compress(lines)
    (folder / "k_truncated.jsonl.gz").write_bytes(data[: len(data) // 2])
    return folder


@pytest.fixture
def closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> Iterator[Path]:
    """A SQLite ledger another connection holds an exclusive write lock on."""
    path = tmp_path / "locked.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield path
    holder.rollback()
    holder.close()


def _expected_codes() -> list[str]:
    codes = [code for _, code in CASES.values() if code]
    return sorted(c for code in codes for c in code.split())


def test_bad_input_ingest_records_each_failure(nlp: Language, bad_folder: Path, sqlite_url: str) -> None:
    """Each bad file or line is one coded failure, recorded in the database; good articles are stored."""
    report = newsledger.ingest(bad_folder, db=sqlite_url, nlp=nlp, max_bytes=2000)
    codes = sorted(f.code for f in report.failures)
    assert codes == sorted([*_expected_codes(), "NL101"])
    assert report.stored >= 3  # a_good, b_cp1252, j1 (+ any lines of the truncated .gz read before the cut)
    assert all(f.hint for f in report.failures)
    assert {Path(f.where.split(":")[0]).name for f in report.failures} >= {
        "c_undecodable.txt",
        "i_records.jsonl",
    }
    with Store(sqlite_url) as store:
        assert sorted(f.code for f in store.failures()) == codes
        assert store.has_article("j1")


def test_bad_input_cli_exits_1_with_failure_table(nlp: Language, bad_folder: Path, sqlite_url: str) -> None:
    """The CLI stores what it can, lists the failures in a table and exits 1."""
    del nlp  # the CLI builds its own pipeline; the fixture makes sure the model loads
    result = CliRunner().invoke(app, ["ingest", str(bad_folder), "--db", sqlite_url, "--max-bytes", "2000"])
    assert result.exit_code == EXIT_FAILURES, result.stderr
    assert "failed" in result.stderr
    for code in _expected_codes():
        assert code in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_input_strict_stops(nlp: Language, bad_folder: Path, sqlite_url: str) -> None:
    """--strict stops at the first failure, after the good article before it."""
    report = newsledger.ingest(bad_folder, db=sqlite_url, nlp=nlp, strict=True)
    assert report.stopped
    assert [f.code for f in report.failures] == ["NL102"]
    assert report.stored == 2  # the two good files before it


def test_bad_input_locked_sqlite_is_fatal(nlp: Language, locked_sqlite: Path, bad_folder: Path) -> None:
    """A SQLite ledger locked by another writer raises NL302 instead of hanging or losing data."""
    with Store(locked_sqlite, busy_timeout=0.1) as store, pytest.raises(DatabaseLocked):
        newsledger.ingest(bad_folder / "a_good.txt", db=store, nlp=nlp)


def test_bad_input_unreachable_postgres_is_fatal(closed_port: int) -> None:
    """A PostgreSQL URL nobody answers raises NL301; the CLI exits 2 before loading the model."""
    url = f"postgresql://newsledger@127.0.0.1:{closed_port}/ledger"
    with pytest.raises(DatabaseUnavailable):
        newsledger.ingest([], db=url)
    result = CliRunner().invoke(app, ["ingest", "-", "--db", url], input="Some text.")
    assert result.exit_code == EXIT_FATAL
    assert "error NL301" in result.stderr


def test_bad_input_unsupported_database_url() -> None:
    """A URL for a database newsledger does not support is NL306."""
    with pytest.raises(BadDatabaseUrl):
        newsledger.ingest([], db="mysql://localhost/ledger")


def test_bad_input_unwritable_database_path(tmp_path: Path) -> None:
    """A --db that cannot be a database file (here a folder) is NL303 and exit 2."""
    with pytest.raises(DatabaseNotWritable):
        newsledger.ingest([], db=tmp_path)
    result = CliRunner().invoke(app, ["ingest", "-", "--db", str(tmp_path)], input="Some text.")
    assert result.exit_code == EXIT_FATAL
    assert "error NL303" in result.stderr
