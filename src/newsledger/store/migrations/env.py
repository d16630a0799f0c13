"""Alembic environment: runs on the store's connection, or on ``-x url=...`` from the command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from newsledger.store.engine import parse_url
from newsledger.store.migrate import VERSION_TABLE, include_object
from newsledger.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # Command line (``alembic -c src/newsledger/store/migrations/alembic.ini -x url=dev.db revision ...``).
    import sqlalchemy as sa

    url = context.get_x_argument(as_dictionary=True).get("url", "newsledger.db")
    engine = sa.create_engine(parse_url(url))
    with engine.begin() as conn:
        _run(conn)
