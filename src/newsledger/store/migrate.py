"""Alembic migrations applied on open: the database is upgraded to the code's head revision.

Scripts live in ``store/migrations/versions`` and ship with the package; ``docs/store.md`` says how to
add one. The version is kept in its own table so a PostgreSQL database shared with another
Alembic-managed application does not mix histories.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from newsledger import errors

SCRIPTS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "newsledger_schema_version"

#: Any constant: PostgreSQL advisory lock key so concurrent openers migrate one at a time.
_PG_LOCK_KEY = 7_211_983_104


def include_object(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate filter: full-text objects are created by raw SQL in the migrations (FTS5 tables
    and their shadow tables on SQLite, ``search`` columns and GIN indexes on PostgreSQL), not by
    the metadata, and must not be proposed for removal."""
    if name is None:
        return True
    return not name.startswith(("articles_fts", "claims_fts")) and name not in (
        "search",
        "ix_articles_search",
        "ix_attributions_search",
    )


def config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at the packaged scripts (and ``connection`` for env.py)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def current(connection: Connection) -> tuple[str, ...]:
    """The revisions the database is at (empty for a new database)."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return tuple(context.get_current_heads())


def is_current(connection: Connection, *, name: str) -> bool:
    """Whether the database is at the head revision; raises SchemaOutOfDate if it is ahead."""
    scripts = ScriptDirectory.from_config(config())
    revisions = current(connection)
    _check_known(scripts, revisions, name)
    return revisions == tuple(scripts.get_heads())


def _check_known(scripts: ScriptDirectory, revisions: tuple[str, ...], name: str) -> None:
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = [revision for revision in revisions if revision not in known]
    if unknown:
        raise errors.SchemaOutOfDate(
            f"database {name} has schema revision {', '.join(unknown)}, newer than this newsledger knows",
            where=name,
            hint="upgrade newsledger (pip install -U newsledger) or use another database",
        )


def upgrade(connection: Connection, *, name: str) -> None:
    """Upgrade the database on ``connection`` (inside a transaction) to the head revision.

    Raises :class:`~newsledger.errors.SchemaOutOfDate` when the database carries a revision this
    code does not know: it was written by a newer newsledger.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
    cfg = config(connection)
    scripts = ScriptDirectory.from_config(cfg)
    revisions = current(connection)
    heads = tuple(scripts.get_heads())
    if revisions == heads:
        return
    _check_known(scripts, revisions, name)
    command.upgrade(cfg, "heads")
