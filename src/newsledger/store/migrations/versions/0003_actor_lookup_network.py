"""Indexed actor filters and a maintained network: actor-name vocabulary, key indexes, network edges.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

``actor=`` filters matched part of a name or text with ``LIKE '%…%'`` over every claim or event,
which no index serves; the network grouped every event of its window. This revision adds

* ``actor_names`` (every (actor key, normalised name) pair the ledger uses, with the name's words)
  and ``actor_name_words`` (word -> name), through which a filter is resolved to actor keys;
* key indexes that end with the listing order's last column, ``(actor_key | source_key |
  target_key, sort_date, article_pk, idx)``, replacing 0002's (which lacked ``idx``) and 0001's
  single-column key indexes (their prefixes), plus ``(actor_key, date_start, pk)`` for the timeline;
* the order indexes of claims ``(sort_date, article_pk, idx)`` and ``(date_start)`` and of events
  ``(sort_date, article_pk, idx)`` extended with the key columns (and, for the timeline's and the
  events', ``date_end``), so a filter on many keys or a date window is tested on the index alone
  while it is read in order;
* ``(outlet, source_type, certainty)`` on claims, which the facets count in one pass;
* ``network_edges``: per article, events between actors counted by (source key, target key, date
  interval).

Stored rows are backfilled here; new ones are written with their article. Self-contained like 0001
and 0002: the word rule is copied from ``newsledger.store.names`` as it was for this revision.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_WORD = re.compile(r"[^\W_]+")
_BATCH = 2000

# (table, columns) dropped by upgrade and restored by downgrade, and the indexes created.
_OLD_INDEXES: list[tuple[str, tuple[str, ...]]] = [
    ("attributions", ("actor_key",)),
    ("attributions", ("date_start",)),
    ("attributions", ("sort_date", "article_pk", "idx")),
    ("attributions", ("actor_key", "sort_date", "article_pk")),
    ("events", ("source_key",)),
    ("events", ("target_key",)),
    ("events", ("sort_date", "article_pk", "idx")),
    ("events", ("source_key", "sort_date", "article_pk")),
    ("events", ("target_key", "sort_date", "article_pk")),
]
_NEW_INDEXES: list[tuple[str, tuple[str, ...]]] = [
    ("attributions", ("actor_key", "sort_date", "article_pk", "idx")),
    ("attributions", ("actor_key", "date_start", "pk")),
    ("attributions", ("sort_date", "article_pk", "idx", "actor_key")),
    ("attributions", ("date_start", "pk", "actor_key", "date_end")),
    ("attributions", ("outlet", "source_type", "certainty")),
    ("events", ("source_key", "sort_date", "article_pk", "idx")),
    ("events", ("target_key", "sort_date", "article_pk", "idx")),
    ("events", ("sort_date", "article_pk", "idx", "source_key", "target_key", "date_end")),
]

# Events whose two sides are actors: resolved, or CAMEO-coded (the network's rule).
_EDGE_EVENTS = (
    "(source_actor IS NOT NULL OR source_code IS NOT NULL)"
    " AND (target_actor IS NOT NULL OR target_code IS NOT NULL)"
    " AND source_key IS NOT NULL AND target_key IS NOT NULL"
)

_PAIRS = (
    "SELECT key, name_norm FROM actors"
    " UNION SELECT actor_key, actor_name_norm FROM attributions"
    " WHERE actor_key IS NOT NULL AND actor_name_norm IS NOT NULL"
    " UNION SELECT source_key, source_name_norm FROM events"
    " WHERE source_key IS NOT NULL AND source_name_norm IS NOT NULL"
    " UNION SELECT target_key, target_name_norm FROM events"
    " WHERE target_key IS NOT NULL AND target_name_norm IS NOT NULL"
)


#: Longer than PostgreSQL's 63 characters by the naming convention: named by hand (schema.py too).
_NAMED: dict[tuple[str, tuple[str, ...]], str] = {
    ("events", ("sort_date", "article_pk", "idx", "source_key", "target_key", "date_end")): (
        "ix_events_sort_date_article_pk_idx_keys_date_end"
    ),
}


def _name(table: str, columns: tuple[str, ...]) -> str:
    return _NAMED.get((table, columns), f"ix_{table}_{'_'.join(columns)}")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def upgrade() -> None:
    op.create_table(
        "network_edges",
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("target_key", sa.Text(), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("target_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_network_edges_article_pk"), ondelete="CASCADE"
        ),
    )
    op.create_index("ix_network_edges_article_pk", "network_edges", ["article_pk"], unique=False)
    op.create_index("ix_network_edges_date_end_date_start", "network_edges", ["date_end", "date_start"])
    op.create_table(
        "actor_names",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("key_norm", sa.Text(), nullable=False),
        sa.Column("name_norm", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_actor_names")),
        sa.UniqueConstraint("key", "name_norm", name=op.f("uq_actor_names_key_name_norm")),
    )
    op.create_index("ix_actor_names_key_norm", "actor_names", ["key_norm"], unique=False)
    op.create_table(
        "actor_name_words",
        # Code point order on PostgreSQL too, so a word prefix is one index range.
        sa.Column(
            "word", sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql"), nullable=False
        ),
        sa.Column("name_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["name_pk"], ["actor_names.pk"], name=op.f("fk_actor_name_words_name_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("word", "name_pk", name=op.f("pk_actor_name_words")),
    )
    for table, columns in _OLD_INDEXES:
        op.drop_index(_name(table, columns), table_name=table)
    for table, columns in _NEW_INDEXES:
        op.create_index(_name(table, columns), table, list(columns), unique=False)

    op.execute(
        "INSERT INTO network_edges"
        " (article_pk, source_key, target_key, date_start, date_end, weight, source_name, target_name)"
        " SELECT article_pk, source_key, target_key, date_start, date_end, count(*),"
        " max(source_name), max(target_name)"
        f" FROM events WHERE {_EDGE_EVENTS}"
        " GROUP BY article_pk, source_key, target_key, date_start, date_end"
    )
    _fill_names()


def _fill_names() -> None:
    """The vocabulary of the stored rows, with the words computed as the code of 0003 does."""
    bind = op.get_bind()
    names = sa.table(
        "actor_names",
        sa.column("pk", sa.Integer),
        sa.column("key", sa.Text),
        sa.column("key_norm", sa.Text),
        sa.column("name_norm", sa.Text),
        sa.column("words", sa.Text),
    )
    words = sa.table("actor_name_words", sa.column("word", sa.Text), sa.column("name_pk", sa.Integer))
    pairs = bind.execute(sa.text(_PAIRS)).all()
    rows = [
        {"key": key, "key_norm": _normalise(key), "name_norm": name, "words": f" {' '.join(_words(name))} "}
        for key, name in pairs
    ]
    for start in range(0, len(rows), _BATCH):
        bind.execute(names.insert(), rows[start : start + _BATCH])
    batch: list[dict[str, object]] = []
    for pk, text in bind.execute(sa.select(names.c.pk, names.c.words)).all():
        batch.extend({"word": word, "name_pk": pk} for word in sorted(set(text.split())))
        if len(batch) >= _BATCH:
            bind.execute(words.insert(), batch)
            batch = []
    if batch:
        bind.execute(words.insert(), batch)


def downgrade() -> None:
    for table, columns in _NEW_INDEXES:
        op.drop_index(_name(table, columns), table_name=table)
    for table, columns in _OLD_INDEXES:
        op.create_index(_name(table, columns), table, list(columns), unique=False)
    op.drop_table("actor_name_words")
    op.drop_index("ix_actor_names_key_norm", table_name="actor_names")
    op.drop_table("actor_names")
    op.drop_index("ix_network_edges_date_end_date_start", table_name="network_edges")
    op.drop_index("ix_network_edges_article_pk", table_name="network_edges")
    op.drop_table("network_edges")
