"""The tables, as SQLAlchemy Core metadata (the migrations create them; this is what queries use).

``articles.analysis`` keeps each Analysis as zlib-compressed JSON so :meth:`Store.get` is exact and
cheap; every other table is a query projection of it with real columns: offsets, texts, vocabulary
values, and the names, KB ids and date intervals resolved at write time so filters need no joins or
JSON parsing.
Child rows reference ``articles.pk``, an integer that is also the rowid full-text indexes point at.

Actor ``key`` columns group an actor across articles: its KB id, else ``name:`` + its normalised
name (casefolded, spaces collapsed). ``*_norm`` columns hold such casefolded text for
case-insensitive matching that behaves the same on SQLite and PostgreSQL.

Full-text search objects (SQLite FTS5 tables and triggers, PostgreSQL ``search`` tsvector columns
with GIN indexes) are created by the migrations only: see :mod:`newsledger.store.fts`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _article_fk() -> sa.Column[int]:
    return sa.Column(
        "article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False
    )


articles = sa.Table(
    "articles",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("published", sa.Date),
    sa.Column("outlet", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("origin", sa.Text),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("analyzer_version", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("n_chars", sa.Integer, nullable=False),
    sa.Column("n_sentences", sa.Integer, nullable=False),
    sa.Column("n_actors", sa.Integer, nullable=False),
    sa.Column("n_attributions", sa.Integer, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column("analysis", sa.LargeBinary, nullable=False),  # Analysis.to_dict() as zlib-compressed JSON
    sa.Index(None, "published", "id"),
    sa.Index(None, "outlet", "published"),
)

sentences = sa.Table(
    "sentences",
    metadata,
    _article_fk(),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("article_pk", "idx"),
)

entities = sa.Table(
    "entities",
    metadata,
    _article_fk(),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("actor_id", sa.Text),
    sa.PrimaryKeyConstraint("article_pk", "idx"),
)

actors = sa.Table(
    "actors",
    metadata,
    _article_fk(),
    sa.Column("id", sa.Text, nullable=False),  # local to the article: "A1"
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_norm", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("kb_id", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("sector", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("affiliation", sa.Text),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("n_claims", sa.Integer, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("article_pk", "id"),
    sa.Index(None, "key"),
)

times = sa.Table(
    "times",
    metadata,
    _article_fk(),
    sa.Column("id", sa.Text, nullable=False),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("mod", sa.Text),
    sa.Column("interval_start", sa.Date),
    sa.Column("interval_end", sa.Date),
    sa.Column("anchor", sa.Text),
    sa.Column("resolved", sa.Text),
    sa.PrimaryKeyConstraint("article_pk", "id"),
)

attributions = sa.Table(
    "attributions",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("source_start", sa.Integer),
    sa.Column("source_end", sa.Integer),
    sa.Column("source_text", sa.Text),
    sa.Column("source_norm", sa.Text),
    sa.Column("cue_start", sa.Integer, nullable=False),
    sa.Column("cue_end", sa.Integer, nullable=False),
    sa.Column("cue_text", sa.Text, nullable=False),
    sa.Column("content_start", sa.Integer, nullable=False),
    sa.Column("content_end", sa.Integer, nullable=False),
    sa.Column("content_text", sa.Text, nullable=False),
    sa.Column("source_type", sa.Text, nullable=False),
    sa.Column("direct", sa.Text, nullable=False),
    sa.Column("certainty", sa.Text, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("source_actor", sa.Text),  # local actor id
    sa.Column("actor_key", sa.Text),
    sa.Column("actor_name", sa.Text),
    sa.Column("actor_name_norm", sa.Text),
    sa.Column("actor_kb_id", sa.Text),
    sa.Column("via", sa.Text, nullable=False),  # JSON list of Conduit dicts
    sa.Column("times", sa.Text, nullable=False),  # JSON list of time ids
    sa.Column("confidence", sa.Float),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("date_from_publication", sa.Boolean, nullable=False),
    # Copied from the article at write time (revision 0002) so the claims order and its filters are
    # one index range each: the article's publication date, else paging.NO_DATE, and its outlet.
    sa.Column("sort_date", sa.Date, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.UniqueConstraint("article_pk", "idx"),
    sa.Index(None, "source_type"),
    sa.Index(None, "certainty"),
    sa.Index(None, "source_type", "sort_date", "article_pk"),
    sa.Index(None, "certainty", "sort_date", "article_pk"),
    sa.Index(None, "outlet", "sort_date", "article_pk"),
    # Revision 0003: one ordered range per actor key, for the listing and for the timeline; the
    # listing and timeline orders carry the key (the timeline's also the interval's end), so a test
    # of many keys or of a date window reads no table row.
    sa.Index(None, "actor_key", "sort_date", "article_pk", "idx"),
    sa.Index(None, "actor_key", "date_start", "pk"),
    sa.Index(None, "sort_date", "article_pk", "idx", "actor_key"),
    sa.Index(None, "date_start", "pk", "actor_key", "date_end"),
    sa.Index(None, "outlet", "source_type", "certainty"),  # claim facets in one pass
)


def _event_actor_columns(role: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{role}_text", sa.Text),
        sa.Column(f"{role}_norm", sa.Text),
        sa.Column(f"{role}_start", sa.Integer),
        sa.Column(f"{role}_end", sa.Integer),
        sa.Column(f"{role}_actor", sa.Text),  # local actor id
        sa.Column(f"{role}_key", sa.Text),
        sa.Column(f"{role}_name", sa.Text),
        sa.Column(f"{role}_name_norm", sa.Text),
        sa.Column(f"{role}_kb_id", sa.Text),
        sa.Column(f"{role}_country", sa.Text),
        sa.Column(f"{role}_sector", sa.Text),
        sa.Column(f"{role}_code", sa.Text),
    ]


events = sa.Table(
    "events",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("cameo", sa.Text),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.Column("trigger_start", sa.Integer, nullable=False),
    sa.Column("trigger_end", sa.Integer, nullable=False),
    sa.Column("trigger_text", sa.Text, nullable=False),
    *_event_actor_columns("source"),
    *_event_actor_columns("target"),
    sa.Column("date_value", sa.Text),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("date_from_publication", sa.Boolean, nullable=False),
    sa.Column("time_id", sa.Text),
    sa.Column("location_text", sa.Text),
    sa.Column("location_start", sa.Integer),
    sa.Column("location_end", sa.Integer),
    sa.Column("location_name", sa.Text),
    sa.Column("location_country", sa.Text),
    sa.Column("reported_by", sa.Integer),
    sa.Column("sentence_start", sa.Integer),
    sa.Column("sentence_end", sa.Integer),
    # date_start, else paging.NO_DATE (revision 0002): the events order as one index.
    sa.Column("sort_date", sa.Date, nullable=False),
    sa.UniqueConstraint("article_pk", "idx"),
    sa.Index(None, "type"),
    sa.Index(None, "date_start"),
    sa.Index(None, "source_country"),
    sa.Index(None, "target_country"),
    sa.Index(None, "date_end", "date_start"),
    # Revision 0003: one ordered range per actor key and side (listing and timeline alike); the
    # order carries both keys and the interval's end, so a test of many keys or of a date window
    # reads no table row.
    sa.Index(None, "source_key", "sort_date", "article_pk", "idx"),
    sa.Index(None, "target_key", "sort_date", "article_pk", "idx"),
    # (named by hand: the conventional name is longer than PostgreSQL's 63 characters)
    sa.Index(
        "ix_events_sort_date_article_pk_idx_keys_date_end",
        "sort_date",
        "article_pk",
        "idx",
        "source_key",
        "target_key",
        "date_end",
    ),
)

# Revision 0003: who acts on whom, per article: the events whose sides are both actors (resolved or
# CAMEO-coded), counted by (source key, target key, date interval). Written with the events, so the
# network sums a few narrow rows instead of reading every event.
network_edges = sa.Table(
    "network_edges",
    metadata,
    _article_fk(),
    sa.Column("source_key", sa.Text, nullable=False),
    sa.Column("target_key", sa.Text, nullable=False),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("weight", sa.Integer, nullable=False),
    sa.Column("source_name", sa.Text, nullable=False),  # the greatest of the article's names for the key
    sa.Column("target_name", sa.Text, nullable=False),
    sa.Index(None, "article_pk"),
    sa.Index(None, "date_end", "date_start"),
)

# Revision 0003: the vocabulary ``actor=`` filters are resolved through (newsledger.store.names):
# every (actor key, normalised name) pair any article uses, the name's words, and a word index.
# Rows are added with the articles that use them and never removed (a stale pair finds no rows).
actor_names = sa.Table(
    "actor_names",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("key_norm", sa.Text, nullable=False),  # casefolded key, for case-insensitive KB ids
    sa.Column("name_norm", sa.Text, nullable=False),
    sa.Column("words", sa.Text, nullable=False),  # " word word " (names.word_text)
    sa.UniqueConstraint("key", "name_norm"),
    sa.Index(None, "key_norm"),
)

#: Code point order on every backend, so a prefix is one index range (PostgreSQL's default
#: collation may order by locale rules instead).
WORD = sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")

actor_name_words = sa.Table(
    "actor_name_words",
    metadata,
    sa.Column("word", WORD, nullable=False),
    sa.Column("name_pk", sa.Integer, sa.ForeignKey("actor_names.pk", ondelete="CASCADE"), nullable=False),
    sa.PrimaryKeyConstraint("word", "name_pk"),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("where", sa.Text, nullable=False),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("hint", sa.Text),
    sa.Column("article_id", sa.Text),
    sa.Index(None, "article_id"),
)

#: Child tables of an article, deleted before it (their FTS triggers must see each row go).
CHILD_TABLES = (sentences, entities, actors, times, attributions, events, network_edges)
