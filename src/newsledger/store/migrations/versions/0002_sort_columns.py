"""Index-served listings: materialised sort columns on claims and events, and their indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Claims were ordered by ``coalesce(articles.published, …)`` and events by ``coalesce(date_start, …)``
plus the joined article id, which no index serves: every matching row was sorted before a page was
taken. ``sort_date`` holds that date (``0001-01-01`` when there is none), filled here for stored rows
and at write time for new ones; claims also copy their article's outlet so that filter is an index
range too. Self-contained like 0001: later schema changes must not change what this creates.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NO_DATE = "0001-01-01"

_INDEXES: dict[str, list[tuple[str, ...]]] = {
    "attributions": [
        ("sort_date", "article_pk", "idx"),
        ("source_type", "sort_date", "article_pk"),
        ("certainty", "sort_date", "article_pk"),
        ("actor_key", "sort_date", "article_pk"),
        ("outlet", "sort_date", "article_pk"),
    ],
    "events": [
        ("sort_date", "article_pk", "idx"),
        ("source_key", "sort_date", "article_pk"),
        ("target_key", "sort_date", "article_pk"),
        ("date_end", "date_start"),
    ],
}


def _name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    # A server default lets NOT NULL columns be added to filled tables; the UPDATEs set real values.
    default = sa.text(f"'{_NO_DATE}'")
    # Plain ALTERs, not batch mode: rebuilding the tables would drop the SQLite FTS triggers.
    op.add_column("attributions", sa.Column("sort_date", sa.Date, nullable=False, server_default=default))
    op.add_column("attributions", sa.Column("outlet", sa.Text))
    op.add_column("events", sa.Column("sort_date", sa.Date, nullable=False, server_default=default))
    op.execute(
        "UPDATE attributions SET"
        f" sort_date = coalesce((SELECT published FROM articles WHERE articles.pk = attributions.article_pk),"
        f" '{_NO_DATE}'),"
        " outlet = (SELECT outlet FROM articles WHERE articles.pk = attributions.article_pk)"
    )
    op.execute(f"UPDATE events SET sort_date = coalesce(date_start, '{_NO_DATE}')")
    for table, indexes in _INDEXES.items():
        for columns in indexes:
            op.create_index(_name(table, columns), table, list(columns), unique=False)


def downgrade() -> None:
    for table, indexes in _INDEXES.items():
        for columns in indexes:
            op.drop_index(_name(table, columns), table_name=table)
    op.drop_column("events", "sort_date")
    op.drop_column("attributions", "outlet")
    op.drop_column("attributions", "sort_date")
