"""Initial schema: articles and their records, failures, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Self-contained on purpose: later changes to newsledger.store.schema must not change what this
revision creates.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# SQLite: FTS5 tables over external content (the rows' integer pk is their rowid), kept in step by
# triggers so every writer, not only newsledger, leaves the index consistent.
_TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"


def _sqlite_fts(table: str, fts: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.pk, {new});"
    remove = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.pk, {old});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='pk', {_TOKENIZE})",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {remove} {insert} END",
    ]


_SQLITE_FTS = [
    *_sqlite_fts("articles", "articles_fts", ("title", "text")),
    *_sqlite_fts("attributions", "claims_fts", ("content_text",)),
]

# PostgreSQL: stored generated tsvector columns (title weighted above text) with GIN indexes.
_ARTICLES_TSVECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', text), 'B')"
)
_CLAIMS_TSVECTOR = "to_tsvector('english', content_text)"
_POSTGRES_FTS = [
    f"ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ({_ARTICLES_TSVECTOR}) STORED",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
    f"ALTER TABLE attributions ADD COLUMN search tsvector GENERATED ALWAYS AS ({_CLAIMS_TSVECTOR}) STORED",
    "CREATE INDEX ix_attributions_search ON attributions USING gin (search)",
]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("analyzer_version", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n_chars", sa.Integer(), nullable=False),
        sa.Column("n_sentences", sa.Integer(), nullable=False),
        sa.Column("n_actors", sa.Integer(), nullable=False),
        sa.Column("n_attributions", sa.Integer(), nullable=False),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column("analysis", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_articles")),
        sa.UniqueConstraint("id", name=op.f("uq_articles_id")),
    )
    op.create_index(op.f("ix_articles_outlet_published"), "articles", ["outlet", "published"], unique=False)
    op.create_index(op.f("ix_articles_published_id"), "articles", ["published", "id"], unique=False)
    op.create_table(
        "failures",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("where", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("hint", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_failures")),
    )
    op.create_index(op.f("ix_failures_article_id"), "failures", ["article_id"], unique=False)
    op.create_table(
        "actors",
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_norm", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("kb_id", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("sector", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.Text(), nullable=True),
        sa.Column("n_mentions", sa.Integer(), nullable=False),
        sa.Column("n_claims", sa.Integer(), nullable=False),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_actors_article_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_pk", "id", name=op.f("pk_actors")),
    )
    op.create_index(op.f("ix_actors_key"), "actors", ["key"], unique=False)
    op.create_table(
        "attributions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("source_norm", sa.Text(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=False),
        sa.Column("cue_end", sa.Integer(), nullable=False),
        sa.Column("cue_text", sa.Text(), nullable=False),
        sa.Column("content_start", sa.Integer(), nullable=False),
        sa.Column("content_end", sa.Integer(), nullable=False),
        sa.Column("content_text", sa.Text(), nullable=False),
        sa.Column("source_type", sa.Text(), nullable=False),
        sa.Column("direct", sa.Text(), nullable=False),
        sa.Column("certainty", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("source_actor", sa.Text(), nullable=True),
        sa.Column("actor_key", sa.Text(), nullable=True),
        sa.Column("actor_name", sa.Text(), nullable=True),
        sa.Column("actor_name_norm", sa.Text(), nullable=True),
        sa.Column("actor_kb_id", sa.Text(), nullable=True),
        sa.Column("via", sa.Text(), nullable=False),
        sa.Column("times", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("date_from_publication", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_attributions_article_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_attributions")),
        sa.UniqueConstraint("article_pk", "idx", name=op.f("uq_attributions_article_pk_idx")),
    )
    op.create_index(op.f("ix_attributions_actor_key"), "attributions", ["actor_key"], unique=False)
    op.create_index(op.f("ix_attributions_certainty"), "attributions", ["certainty"], unique=False)
    op.create_index(op.f("ix_attributions_date_start"), "attributions", ["date_start"], unique=False)
    op.create_index(op.f("ix_attributions_source_type"), "attributions", ["source_type"], unique=False)
    op.create_table(
        "entities",
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_entities_article_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_pk", "idx", name=op.f("pk_entities")),
    )
    op.create_table(
        "events",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("cameo", sa.Text(), nullable=True),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("trigger_start", sa.Integer(), nullable=False),
        sa.Column("trigger_end", sa.Integer(), nullable=False),
        sa.Column("trigger_text", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("source_norm", sa.Text(), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("source_actor", sa.Text(), nullable=True),
        sa.Column("source_key", sa.Text(), nullable=True),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("source_name_norm", sa.Text(), nullable=True),
        sa.Column("source_kb_id", sa.Text(), nullable=True),
        sa.Column("source_country", sa.Text(), nullable=True),
        sa.Column("source_sector", sa.Text(), nullable=True),
        sa.Column("source_code", sa.Text(), nullable=True),
        sa.Column("target_text", sa.Text(), nullable=True),
        sa.Column("target_norm", sa.Text(), nullable=True),
        sa.Column("target_start", sa.Integer(), nullable=True),
        sa.Column("target_end", sa.Integer(), nullable=True),
        sa.Column("target_actor", sa.Text(), nullable=True),
        sa.Column("target_key", sa.Text(), nullable=True),
        sa.Column("target_name", sa.Text(), nullable=True),
        sa.Column("target_name_norm", sa.Text(), nullable=True),
        sa.Column("target_kb_id", sa.Text(), nullable=True),
        sa.Column("target_country", sa.Text(), nullable=True),
        sa.Column("target_sector", sa.Text(), nullable=True),
        sa.Column("target_code", sa.Text(), nullable=True),
        sa.Column("date_value", sa.Text(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("date_from_publication", sa.Boolean(), nullable=False),
        sa.Column("time_id", sa.Text(), nullable=True),
        sa.Column("location_text", sa.Text(), nullable=True),
        sa.Column("location_start", sa.Integer(), nullable=True),
        sa.Column("location_end", sa.Integer(), nullable=True),
        sa.Column("location_name", sa.Text(), nullable=True),
        sa.Column("location_country", sa.Text(), nullable=True),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.Column("sentence_start", sa.Integer(), nullable=True),
        sa.Column("sentence_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_events_article_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_events")),
        sa.UniqueConstraint("article_pk", "idx", name=op.f("uq_events_article_pk_idx")),
    )
    op.create_index(op.f("ix_events_date_start"), "events", ["date_start"], unique=False)
    op.create_index(op.f("ix_events_source_country"), "events", ["source_country"], unique=False)
    op.create_index(op.f("ix_events_source_key"), "events", ["source_key"], unique=False)
    op.create_index(op.f("ix_events_target_country"), "events", ["target_country"], unique=False)
    op.create_index(op.f("ix_events_target_key"), "events", ["target_key"], unique=False)
    op.create_index(op.f("ix_events_type"), "events", ["type"], unique=False)
    op.create_table(
        "sentences",
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_sentences_article_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_pk", "idx", name=op.f("pk_sentences")),
    )
    op.create_table(
        "times",
        sa.Column("article_pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("mod", sa.Text(), nullable=True),
        sa.Column("interval_start", sa.Date(), nullable=True),
        sa.Column("interval_end", sa.Date(), nullable=True),
        sa.Column("anchor", sa.Text(), nullable=True),
        sa.Column("resolved", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_pk"], ["articles.pk"], name=op.f("fk_times_article_pk"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article_pk", "id", name=op.f("pk_times")),
    )

    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_FTS if dialect == "sqlite" else _POSTGRES_FTS if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE claims_fts")
        op.execute("DROP TABLE articles_fts")
    op.drop_table("times")
    op.drop_table("sentences")
    op.drop_index(op.f("ix_events_type"), table_name="events")
    op.drop_index(op.f("ix_events_target_key"), table_name="events")
    op.drop_index(op.f("ix_events_target_country"), table_name="events")
    op.drop_index(op.f("ix_events_source_key"), table_name="events")
    op.drop_index(op.f("ix_events_source_country"), table_name="events")
    op.drop_index(op.f("ix_events_date_start"), table_name="events")
    op.drop_table("events")
    op.drop_table("entities")
    op.drop_index(op.f("ix_attributions_source_type"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_date_start"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_certainty"), table_name="attributions")
    op.drop_index(op.f("ix_attributions_actor_key"), table_name="attributions")
    op.drop_table("attributions")
    op.drop_index(op.f("ix_actors_key"), table_name="actors")
    op.drop_table("actors")
    op.drop_index(op.f("ix_failures_article_id"), table_name="failures")
    op.drop_table("failures")
    op.drop_index(op.f("ix_articles_published_id"), table_name="articles")
    op.drop_index(op.f("ix_articles_outlet_published"), table_name="articles")
    op.drop_table("articles")
