"""Store errors on real databases: each is a coded error naming the database and what to do."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from factories import make_analysis
from newsledger import errors
from newsledger.store import Store


def test_store_locked_sqlite_raises_database_locked(tmp_path: Path) -> None:
    """A writer blocked by another writer's lock gets DatabaseLocked after the busy timeout."""
    path = tmp_path / "ledger.db"
    with Store(path, busy_timeout=0.05) as store:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with Store(path, busy_timeout=0.05) as reader:  # opening and reading are not blocked (WAL)
                assert reader.stats()["articles"] == 0
            with pytest.raises(errors.DatabaseLocked, match=re.escape(str(path))) as caught:
                store.save(make_analysis())
            assert caught.value.hint is not None
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.save(make_analysis()) is True


@pytest.mark.parametrize("where", ["file-as-folder", "proc"])
def test_store_unwritable_path_raises_not_writable(tmp_path: Path, where: str) -> None:
    """A path whose folder cannot be created raises DatabaseNotWritable naming it."""
    if where == "file-as-folder":
        (tmp_path / "plain.txt").write_text("not a folder")
        path = tmp_path / "plain.txt" / "ledger.db"
    else:
        path = Path("/proc/newsledger-test/ledger.db")  # not creatable, even by root
    with pytest.raises(errors.DatabaseNotWritable, match=r"ledger\.db"):
        Store(path)


def test_store_directory_path_raises_not_writable(tmp_path: Path) -> None:
    """A folder given as the database raises DatabaseNotWritable."""
    with pytest.raises(errors.DatabaseNotWritable, match="directory"):
        Store(tmp_path)


def test_store_read_only_database_raises_not_writable(tmp_path: Path) -> None:
    """Saving into a database opened read-only raises DatabaseNotWritable."""
    path = tmp_path / "ledger.db"
    Store(path).close()
    with Store(f"sqlite:///file:{path}?mode=ro&uri=true") as store:
        assert store.stats()["articles"] == 0
        with pytest.raises(errors.DatabaseNotWritable):
            store.save(make_analysis())


def test_store_missing_database_without_create_raises_unavailable(tmp_path: Path) -> None:
    """create=False does not create a missing file."""
    with pytest.raises(errors.DatabaseUnavailable, match="no database"):
        Store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_store_garbage_file_raises_unavailable(tmp_path: Path) -> None:
    """A file that is not a SQLite database is reported as such."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages of a database" * 100)
    with pytest.raises(errors.DatabaseUnavailable, match="not a usable SQLite database"):
        Store(path)


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user@localhost/ledger",
        "postgresql://user@localhost:notaport/ledger",
        "postgresql://user@localhost",
        "   ",
    ],
)
def test_store_malformed_url_raises_bad_database_url(url: str) -> None:
    """Unsupported or malformed URLs raise BadDatabaseUrl."""
    with pytest.raises(errors.BadDatabaseUrl):
        Store(url)


def test_store_unreachable_postgres_raises_unavailable() -> None:
    """A PostgreSQL URL nobody answers raises DatabaseUnavailable without leaking the password."""
    with pytest.raises(errors.DatabaseUnavailable) as caught:
        Store("postgresql://ledger:s3cret@127.0.0.1:1/ledger")
    assert "127.0.0.1" in str(caught.value)
    assert "s3cret" not in str(caught.value)


@pytest.mark.postgres
def test_store_missing_postgres_database_raises_unavailable(pg_cluster: Any) -> None:
    """A server that answers but lacks the database raises DatabaseUnavailable."""
    with pytest.raises(errors.DatabaseUnavailable, match="does not exist"):
        Store(pg_cluster.url("no_such_db"))


def test_store_concurrent_openers_share_one_database(db_url: str) -> None:
    """Two stores on one database see each other's writes."""
    with Store(db_url) as first, Store(db_url) as second:
        first.save(make_analysis("a"))
        second.save(make_analysis("b"))
        assert list(first.article_ids()) == ["a", "b"]
