"""Connecting: database URLs, engines with the right SQLite pragmas, migrations on open, and the
translation of driver errors into coded newsledger errors that name the database and say what to do.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import StaticPool

from newsledger import errors

#: PostgreSQL servers that do not answer are reported after this many seconds, not minutes.
PG_CONNECT_TIMEOUT = 3

_PG_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


def parse_url(url: str | Path) -> URL:
    """A SQLAlchemy URL for a file path, ``sqlite:///...`` or ``postgresql://...`` (psycopg 3)."""
    text = str(url).strip()
    if not text:
        raise errors.BadDatabaseUrl("empty database URL", hint="give a file path or a postgresql:// URL")
    if isinstance(url, Path) or "://" not in text:
        if text == ":memory:":
            return URL.create("sqlite", database=":memory:")
        return URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        parsed = sa.make_url(text)
        _ = parsed.port  # a non-numeric port only fails when read
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise errors.BadDatabaseUrl(
            f"cannot parse database URL {_redact(text)!r}: {exc}",
            hint="use a file path, sqlite:///path/to/file.db or postgresql://user:password@host:5432/dbname",
        ) from None
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed.set(drivername="sqlite")
    if parsed.drivername in _PG_SCHEMES:
        if not parsed.database:
            raise errors.BadDatabaseUrl(
                f"no database name in {parsed.render_as_string(hide_password=True)!r}",
                hint="end the URL with /dbname, e.g. postgresql://user@localhost/newsledger",
            )
        return parsed.set(drivername="postgresql+psycopg")
    raise errors.BadDatabaseUrl(
        f"unsupported database {parsed.drivername!r} in {parsed.render_as_string(hide_password=True)!r}",
        hint="newsledger stores into SQLite (a file path) or PostgreSQL (postgresql://...)",
    )


def _redact(text: str) -> str:
    """``text`` with anything between ``:`` and ``@`` of the authority hidden."""
    scheme, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    auth, _, host = rest.rpartition("@")
    user = auth.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in auth else text


class Database:
    """An engine plus what the store needs to know about it; built by :meth:`open`."""

    def __init__(self, engine: Engine, url: URL, *, path: Path | None) -> None:
        self.engine = engine
        self.url = url
        self.path = path
        self.dialect = engine.dialect.name
        self.name = url.render_as_string(hide_password=True) if path is None else str(path)

    @classmethod
    def open(cls, url: str | Path, *, create: bool = True, busy_timeout: float = 10.0) -> Database:
        """Connect, check the schema version and upgrade to the code's schema."""
        target = parse_url(url)
        if target.drivername == "sqlite":
            db = cls._open_sqlite(target, create=create, busy_timeout=busy_timeout)
        else:
            db = cls._open_postgres(target)
        try:
            from newsledger.store.migrate import is_current, upgrade

            # A read first: opening an up-to-date database must not wait for another writer.
            with db.read() as conn:
                current = is_current(conn, name=db.name)
            if not current:
                with db.write() as conn:
                    upgrade(conn, name=db.name)
        except BaseException:
            db.close()
            raise
        return db

    @classmethod
    def _open_sqlite(cls, url: URL, *, create: bool, busy_timeout: float) -> Database:
        database = url.database or ":memory:"
        path: Path | None = None
        if database == ":memory:":
            # One shared connection, or every checkout would see its own empty database.
            engine = sa.create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        elif url.query.get("uri") in ("true", "1"):
            # A SQLite URI (file:path?mode=ro...): SQLite opens it as given.
            engine = sa.create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})
        else:
            path = Path(database).expanduser().absolute()
            if path.is_dir():
                raise errors.DatabaseNotWritable(
                    f"{path} is a directory, not a database file",
                    where=str(path),
                    hint="give a file path such as ledger.db",
                )
            if not path.exists():
                if not create:
                    raise errors.DatabaseUnavailable(
                        f"no database at {path}",
                        where=str(path),
                        hint="check the path, or ingest articles first to create it",
                    )
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise errors.DatabaseNotWritable(
                        f"cannot create the folder for {path}: {exc.strerror}",
                        where=str(path),
                        hint="choose a path in a folder you can write to",
                    ) from None
            engine = sa.create_engine(
                url.set(database=str(path)),
                connect_args={"timeout": busy_timeout, "check_same_thread": False},
            )
        _configure_sqlite(engine)
        return cls(engine, url, path=path)

    @classmethod
    def _open_postgres(cls, url: URL) -> Database:
        try:
            import psycopg  # noqa: F401  (only to give a helpful message when missing)
        except ImportError:
            raise errors.DatabaseUnavailable(
                "PostgreSQL support is not installed",
                where=url.render_as_string(hide_password=True),
                hint="pip install 'newsledger[postgres]'",
            ) from None
        engine = sa.create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT}
        )
        return cls(engine, url, path=None)

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a (deferred, on SQLite) transaction for consistent reads."""
        with self.translated(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success, rolled back on any error.

        On SQLite it starts with BEGIN IMMEDIATE: the write lock is taken (waiting up to the busy
        timeout) before anything is read, so two writers never deadlock upgrading a read lock.
        """
        with self.translated(), self.engine.connect() as conn:
            conn.execution_options(newsledger_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def translated(self, *, where: str | None = None) -> Iterator[None]:
        """Re-raise driver errors as coded newsledger errors."""
        try:
            yield
        except sa.exc.DBAPIError as exc:
            raise translate(exc, self.name, where=where) from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (savepoints need it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            with contextlib.suppress(sqlite3.OperationalError):  # read-only files keep their journal mode
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("newsledger_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def translate(exc: sa.exc.DBAPIError, name: str, *, where: str | None = None) -> errors.StoreError:
    """The coded error for a driver error on database ``name``."""
    original = exc.orig
    text = str(original).strip().splitlines()[0] if original is not None else str(exc)
    lowered = text.lower()
    where = where or name
    if "locked" in lowered or "database is busy" in lowered:
        return errors.DatabaseLocked(
            f"database {name} is locked by another writer: {text}",
            where=where,
            hint="wait for the other newsledger process to finish, or use PostgreSQL for concurrent writers",
        )
    if "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return errors.DatabaseNotWritable(
            f"cannot write to database {name}: {text}",
            where=where,
            hint="check the file's and folder's permissions, or give a writable path with --db",
        )
    if "unable to open database file" in lowered:
        return errors.DatabaseNotWritable(
            f"cannot open or create database {name}: {text}",
            where=where,
            hint="check that the folder exists and is writable",
        )
    if "file is not a database" in lowered or "malformed" in lowered:
        return errors.DatabaseUnavailable(
            f"{name} is not a usable SQLite database: {text}",
            where=where,
            hint="give the path of a newsledger database, or a new file name",
        )
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError) or exc.connection_invalidated:
        return errors.DatabaseUnavailable(
            f"cannot reach database {name}: {text}",
            where=where,
            hint="check that the server is running and the URL's host, port, user and password",
        )
    return errors.StoreError(f"database error on {name}: {text}", where=where)
