"""Full-text search over article titles/texts and claim contents, one API on both backends.

SQLite: FTS5 tables ``articles_fts`` and ``claims_fts`` over external content (porter stemming,
diacritics folded), kept in step by triggers; ranked by bm25, snippets by ``snippet()``.
PostgreSQL: stored ``search`` tsvector columns (english configuration) with GIN indexes; ranked by
``ts_rank_cd``, snippets by ``ts_headline``. Both take the same query language (words, "phrases",
OR, -word), which is what PostgreSQL's ``websearch_to_tsquery`` accepts; for SQLite it is rewritten
into an FTS5 expression with every term quoted, so no user input can be an FTS5 syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

from newsledger.store import paging, schema
from newsledger.store.engine import Database
from newsledger.store.rows import Page, SearchHit

# Snippet match markers: control characters cannot occur in article text that went through ingest,
# so they are safe to split on, and the web layer gets plain text plus offsets to escape itself.
_START, _STOP = "\x02", "\x03"
_ELLIPSIS = "…"
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str | None:
    """The FTS5 expression for a web-search style ``query``; None when nothing searchable is left."""
    groups: list[list[str]] = []  # AND of ORs
    excluded: list[str] = []
    join_next = False
    for phrase, bare in _TOKEN.findall(query):
        if bare == "OR":
            join_next = bool(groups)
            continue
        negative = bool(bare) and bare.startswith("-") and len(bare) > 1
        words = _WORD.findall(bare or phrase)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negative:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return None
    expression = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    if not excluded:
        return expression
    return "".join([f"({expression})", *(f" NOT {term}" for term in excluded)])


_ENGLISH: ColumnElement[Any] = sa.literal_column("'english'::regconfig")


def _tsquery(query: str) -> ColumnElement[Any]:
    return sa.func.websearch_to_tsquery(_ENGLISH, sa.literal(query))


def article_filter(db: Database, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``articles`` keeping those whose title or text matches ``query``."""
    articles = schema.articles
    if db.dialect == "postgresql":
        return sa.literal_column("articles.search").bool_op("@@")(_tsquery(query))
    expression = fts5_query(query)
    if expression is None:
        return sa.false()
    matching = sa.text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_query").bindparams(
        fts_query=expression
    )
    return articles.c.pk.in_(matching.columns(sa.column("rowid", sa.Integer)))


# Ranks only: snippets are made afterwards for the page's hits, not for every match.
_SQLITE_HITS = """
SELECT 'article' AS kind, a.id AS article_id, -1 AS idx, -bm25(articles_fts, 2.0, 1.0) AS rank,
       a.pk AS article_pk, a.pk AS row_pk
FROM articles_fts JOIN articles AS a ON a.pk = articles_fts.rowid
WHERE articles_fts MATCH :fts_query
UNION ALL
SELECT 'claim', a.id, t.idx, -bm25(claims_fts), a.pk, t.pk
FROM claims_fts JOIN attributions AS t ON t.pk = claims_fts.rowid JOIN articles AS a ON a.pk = t.article_pk
WHERE claims_fts MATCH :fts_query
"""

_POSTGRES_HITS = """
SELECT 'article' AS kind, a.id AS article_id, -1 AS idx,
       -- float8: cursors carry the rank back, and must compare equal to it
       ts_rank_cd(a.search, q.query)::float8 AS rank,
       a.pk AS article_pk, a.pk AS row_pk
FROM articles AS a, websearch_to_tsquery('english', :fts_query) AS q(query)
WHERE a.search @@ q.query
UNION ALL
SELECT 'claim', a.id, t.idx, ts_rank_cd(t.search, q.query)::float8, a.pk, t.pk
FROM attributions AS t JOIN articles AS a ON a.pk = t.article_pk,
     websearch_to_tsquery('english', :fts_query) AS q(query)
WHERE t.search @@ q.query
"""

_HEADLINE_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, MaxWords=40, MinWords=15"


def search(db: Database, query: str, *, limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
    """See :meth:`newsledger.store.Store.search`."""
    limit = paging.clamp(limit)
    if db.dialect == "postgresql":
        if not _WORD.search(query):
            return Page(())
        hits_sql, parameter = _POSTGRES_HITS, query
    else:
        expression = fts5_query(query)
        if expression is None:
            return Page(())
        hits_sql, parameter = _SQLITE_HITS, expression
    hits = (
        sa.text(hits_sql)
        .bindparams(fts_query=parameter)
        .columns(
            sa.column("kind", sa.Text),
            sa.column("article_id", sa.Text),
            sa.column("idx", sa.Integer),
            sa.column("rank", sa.Float),
            sa.column("article_pk", sa.Integer),
            sa.column("row_pk", sa.Integer),
        )
        .subquery("hits")
    )
    order = [(hits.c.rank, True), (hits.c.kind, False), (hits.c.article_id, False), (hits.c.idx, False)]
    statement = sa.select(hits)
    if cursor:
        statement = statement.where(paging.after(order, paging.decode("search", cursor, len(order))))
    statement = statement.order_by(*paging.order_by(order)).limit(limit + 1)
    with db.read() as conn:
        rows = conn.execute(statement).all()
        page, more = rows[:limit], len(rows) > limit
        items = _hits(conn, db, page, query, parameter)
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = paging.encode("search", [last.rank, last.kind, last.article_id, last.idx])
    return Page(tuple(items), next_cursor)


def _hits(
    conn: Connection, db: Database, rows: Sequence[Row[Any]], query: str, parameter: str
) -> list[SearchHit]:
    articles, attributions = schema.articles, schema.attributions
    article_pks = {row.article_pk for row in rows}
    claim_pks = [row.row_pk for row in rows if row.kind == "claim"]
    text_pks = {row.article_pk for row in rows if row.kind == "article"}
    meta = {
        r.pk: r
        for r in conn.execute(
            sa.select(articles.c.pk, articles.c.title, articles.c.published, articles.c.outlet).where(
                articles.c.pk.in_(article_pks)
            )
        )
    }
    texts = dict(
        conn.execute(sa.select(articles.c.pk, articles.c.text).where(articles.c.pk.in_(text_pks))).all()
    )
    claims = {
        r.pk: r
        for r in conn.execute(
            sa.select(attributions.c.pk, attributions.c.content_start, attributions.c.content_end).where(
                attributions.c.pk.in_(claim_pks)
            )
        )
    }
    if db.dialect == "postgresql":
        snippets = _headlines(conn, query, text_pks, claim_pks)
    else:
        snippets = _snippets(conn, parameter, text_pks, claim_pks)
    items = []
    for row in rows:
        snippet, highlights = _unmark(snippets.get((row.kind, row.row_pk)) or "")
        info = meta[row.article_pk]
        start = end = None
        if row.kind == "claim":
            claim = claims[row.row_pk]
            start, end = claim.content_start, claim.content_end
        else:
            core = snippet.strip(_ELLIPSIS).strip()
            found = texts[row.article_pk].find(core) if core else -1
            if found >= 0:
                start, end = found, found + len(core)
        items.append(
            SearchHit(
                kind=row.kind,
                article_id=row.article_id,
                title=info.title,
                published=info.published,
                outlet=info.outlet,
                rank=float(row.rank),
                snippet=snippet,
                highlights=highlights,
                start=start,
                end=end,
                claim_index=row.idx if row.kind == "claim" else None,
            )
        )
    return items


_SQLITE_SNIPPETS = (
    ("article", "articles_fts", 1),
    ("claim", "claims_fts", 0),
)


def _snippets(
    conn: Connection, expression: str, article_pks: set[int], claim_pks: list[int]
) -> dict[tuple[str, int], str]:
    result: dict[tuple[str, int], str] = {}
    for kind, table, column in _SQLITE_SNIPPETS:
        pks = article_pks if kind == "article" else claim_pks
        if not pks:
            continue
        statement = sa.text(
            f"SELECT rowid, snippet({table}, {column}, '{_START}', '{_STOP}', '{_ELLIPSIS}', 32)"
            f" FROM {table} WHERE {table} MATCH :fts_query AND rowid IN :pks"
        ).bindparams(sa.bindparam("fts_query", expression), sa.bindparam("pks", list(pks), expanding=True))
        result.update(((kind, pk), text) for pk, text in conn.execute(statement))
    return result


def _headlines(
    conn: Connection, query: str, article_pks: set[int], claim_pks: list[int]
) -> dict[tuple[str, int], str]:
    articles, attributions = schema.articles, schema.attributions
    options = sa.literal(_HEADLINE_OPTIONS)

    def headline(column: ColumnElement[Any]) -> ColumnElement[str]:
        return sa.func.ts_headline(_ENGLISH, column, _tsquery(query), options, type_=sa.Text)

    result: dict[tuple[str, int], str] = {}
    if article_pks:
        statement = sa.select(articles.c.pk, headline(articles.c.text)).where(articles.c.pk.in_(article_pks))
        result.update((("article", pk), text) for pk, text in conn.execute(statement))
    if claim_pks:
        statement = sa.select(attributions.c.pk, headline(attributions.c.content_text)).where(
            attributions.c.pk.in_(claim_pks)
        )
        result.update((("claim", pk), text) for pk, text in conn.execute(statement))
    return result


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text and the (start, end) of each marked stretch in it."""
    plain: list[str] = []
    highlights: list[tuple[int, int]] = []
    length = 0
    start = None
    for piece in re.split(f"([{_START}{_STOP}])", marked):
        if piece == _START:
            start = length
        elif piece == _STOP:
            if start is not None and length > start:
                highlights.append((start, length))
            start = None
        else:
            plain.append(piece)
            length += len(piece)
    return "".join(plain), tuple(highlights)
