"""Reading: exact analyses back, and the paged, filtered queries over the projection tables."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from newsledger import errors
from newsledger.errors import Failure
from newsledger.model import Analysis, Article
from newsledger.store import fts, paging, schema
from newsledger.store.engine import Database
from newsledger.store.rows import (
    ActorRow,
    ArticleRow,
    ClaimRow,
    EventActorRow,
    EventRow,
    NetworkEdge,
    Page,
    TimelineItem,
)
from newsledger.store.write import content_hash, normalise, unpack

_BATCH = 200

articles = schema.articles
attributions = schema.attributions
events_table = schema.events
actors_table = schema.actors

Order = list[tuple[ColumnElement[Any], bool]]


def _published_key() -> ColumnElement[dt.date]:
    return sa.func.coalesce(articles.c.published, sa.literal(paging.NO_DATE, sa.Date), type_=sa.Date)


def _like(value: str) -> str:
    escaped = normalise(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _actor_match(
    actor: str, *, key: ColumnElement[Any], kb_id: ColumnElement[Any], texts: Sequence[ColumnElement[Any]]
) -> ColumnElement[bool]:
    """The ``actor`` filter: a key or KB id exactly (case-insensitive), or part of a name or text."""
    exact = actor.strip()
    pattern = _like(actor)
    return sa.or_(
        key == exact,
        sa.func.lower(kb_id) == exact.lower(),
        *(text.like(pattern, escape="\\") for text in texts),
    )


def _page(
    db: Database,
    name: str,
    statement: Select[Any],
    order: Order,
    *,
    limit: int,
    cursor: str | None,
    convert: Callable[[Row[Any]], Any],
    having: bool = False,
) -> Page[Any]:
    """Run ``statement`` as one keyset page ordered by ``order``; sort keys are selected as ``_k<i>``."""
    limit = paging.clamp(limit)
    statement = statement.add_columns(*(expr.label(f"_k{i}") for i, (expr, _) in enumerate(order)))
    if cursor:
        condition = paging.after(order, paging.decode(name, cursor, len(order)))
        statement = statement.having(condition) if having else statement.where(condition)
    statement = statement.order_by(*paging.order_by(order)).limit(limit + 1)
    with db.read() as conn:
        rows = conn.execute(statement).all()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = paging.encode(name, [getattr(last, f"_k{i}") for i in range(len(order))])
    return Page(tuple(convert(row) for row in page), next_cursor)


# --- articles ------------------------------------------------------------------------------------


def has_article(db: Database, article_id: str) -> bool:
    with db.read() as conn:
        return conn.execute(sa.select(articles.c.pk).where(articles.c.id == article_id)).first() is not None


def is_current(db: Database, article: Article, analyzer_version: str) -> bool:
    with db.read() as conn:
        row = conn.execute(
            sa.select(articles.c.content_hash, articles.c.analyzer_version).where(articles.c.id == article.id)
        ).first()
    return (
        row is not None
        and row.content_hash == content_hash(article)
        and row.analyzer_version == analyzer_version
    )


def _document(db: Database, article_id: str) -> bytes:
    with db.read() as conn:
        document = conn.execute(sa.select(articles.c.analysis).where(articles.c.id == article_id)).scalar()
    if document is None:
        raise errors.ArticleNotFound(
            f"no article {article_id!r} in {db.name}",
            where=article_id,
            hint="list stored ids with `newsledger articles`, or ingest the article first",
        )
    return bytes(document)


def get(db: Database, article_id: str) -> Analysis:
    return unpack(_document(db, article_id))


def get_json(db: Database, article_id: str) -> bytes:
    return zlib.decompress(_document(db, article_id))


def _batched_ids(db: Database, column: ColumnElement[Any]) -> Iterator[Row[Any, Any]]:
    last: str | None = None
    while True:
        statement = sa.select(articles.c.id, column).order_by(articles.c.id).limit(_BATCH)
        if last is not None:
            statement = statement.where(articles.c.id > last)
        with db.read() as conn:
            rows = conn.execute(statement).all()
        yield from rows
        if len(rows) < _BATCH:
            return
        last = rows[-1].id


def article_ids(db: Database) -> Iterator[str]:
    for row in _batched_ids(db, sa.null()):
        yield row.id


def export(db: Database) -> Iterator[Analysis]:
    for row in _batched_ids(db, articles.c.analysis):
        yield unpack(row.analysis)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def articles_page(
    db: Database,
    *,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
    query: str | None,
    limit: int,
    cursor: str | None,
) -> Page[ArticleRow]:
    columns = [c for c in articles.c if c.name not in ("text", "analysis", "content_hash", "pk")]
    statement = sa.select(*columns)
    if outlet is not None:
        statement = statement.where(articles.c.outlet == outlet)
    if since is not None:
        statement = statement.where(articles.c.published >= since)
    if until is not None:
        statement = statement.where(articles.c.published <= until)
    if query:
        statement = statement.where(fts.article_filter(db, query))
    order: Order = [(_published_key(), True), (articles.c.id, False)]

    def convert(row: Row[Any]) -> ArticleRow:
        data = {c.name: getattr(row, c.name) for c in columns}
        data["ingested_at"] = _utc(data["ingested_at"])
        return ArticleRow(**data)

    return _page(db, "articles", statement, order, limit=limit, cursor=cursor, convert=convert)


# --- claims --------------------------------------------------------------------------------------


def _claim_filters(
    *,
    source_type: str | None,
    actor: str | None,
    outlet: str | None,
    certainty: str | None,
    since: dt.date | None,
    until: dt.date | None,
    article_id: str | None,
) -> list[ColumnElement[bool]]:
    t = attributions
    where: list[ColumnElement[bool]] = []
    if source_type is not None:
        where.append(t.c.source_type == str(source_type))
    if certainty is not None:
        where.append(t.c.certainty == str(certainty))
    # Outlet and publication date are the claim's own copies (sort_date is NO_DATE when undated),
    # so each filter is an index range on attributions.
    if outlet is not None:
        where.append(t.c.outlet == outlet)
    if since is not None:
        where.append(t.c.sort_date >= since)
    if until is not None:
        where.append(t.c.sort_date <= until)
        where.append(t.c.sort_date > paging.NO_DATE)
    if article_id is not None:
        where.append(t.c.article_pk == _article_pk(article_id))
    if actor:
        where.append(
            _actor_match(
                actor, key=t.c.actor_key, kb_id=t.c.actor_kb_id, texts=(t.c.actor_name_norm, t.c.source_norm)
            )
        )
    return where


_CLAIMS_FROM = attributions.join(articles, articles.c.pk == attributions.c.article_pk)


def _article_pk(article_id: str) -> sa.ScalarSelect[Any]:
    return sa.select(articles.c.pk).where(articles.c.id == article_id).scalar_subquery()


def claims(db: Database, *, limit: int, cursor: str | None, **filters: Any) -> Page[ClaimRow]:
    t = attributions
    statement = (
        sa.select(t, articles.c.id.label("article_id"), articles.c.title, articles.c.published)
        .select_from(_CLAIMS_FROM)
        .where(*_claim_filters(**filters))
    )
    # Newest article first (same day: last stored first), claims in text order: index-served.
    order: Order = [(t.c.sort_date, True), (t.c.article_pk, True), (t.c.idx, False)]

    def convert(row: Row[Any]) -> ClaimRow:
        return ClaimRow(
            article_id=row.article_id,
            index=row.idx,
            title=row.title,
            published=row.published,
            outlet=row.outlet,
            source=row.source_text,
            source_start=row.source_start,
            source_end=row.source_end,
            source_type=row.source_type,
            source_actor=row.source_actor,
            actor_name=row.actor_name if row.source_actor else None,
            actor_kb_id=row.actor_kb_id,
            cue=row.cue_text,
            cue_start=row.cue_start,
            cue_end=row.cue_end,
            content=row.content_text,
            content_start=row.content_start,
            content_end=row.content_end,
            direct=row.direct,
            certainty=row.certainty,
            channel=row.channel,
            via=tuple(json.loads(row.via)),
            confidence=row.confidence,
            date_start=row.date_start,
            date_end=row.date_end,
            date_from_publication=bool(row.date_from_publication),
        )

    return _page(db, "claims/2", statement, order, limit=limit, cursor=cursor, convert=convert)


def claim_facets(db: Database, **filters: Any) -> dict[str, dict[str, int]]:
    where = _claim_filters(**filters)
    facets: dict[str, dict[str, int]] = {}
    with db.read() as conn:
        for name, column in (
            ("source_type", attributions.c.source_type),
            ("outlet", attributions.c.outlet),
            ("certainty", attributions.c.certainty),
        ):
            # attributions alone: with no filter each count is an index-only scan.
            statement = (
                sa.select(column, sa.func.count())
                .where(*where)
                .group_by(column)
                .order_by(sa.func.count().desc(), column)
            )
            facets[name] = {value or "unknown": count for value, count in conn.execute(statement)}
    return facets


# --- events --------------------------------------------------------------------------------------


def _event_date_filters(since: dt.date | None, until: dt.date | None) -> list[ColumnElement[bool]]:
    e = events_table
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(e.c.date_end >= since)
    if until is not None:
        where.append(e.c.date_start <= until)
    return where


def _event_actor_match(actor: str) -> ColumnElement[bool]:
    e = events_table
    return sa.or_(
        *(
            _actor_match(
                actor,
                key=e.c[f"{role}_key"],
                kb_id=e.c[f"{role}_kb_id"],
                texts=(e.c[f"{role}_name_norm"], e.c[f"{role}_norm"]),
            )
            for role in ("source", "target")
        )
    )


def _event_side(row: Row[Any], role: str) -> EventActorRow | None:
    text = getattr(row, f"{role}_text")
    if text is None:
        return None
    return EventActorRow(
        text=text,
        start=getattr(row, f"{role}_start"),
        end=getattr(row, f"{role}_end"),
        actor_id=getattr(row, f"{role}_actor"),
        name=getattr(row, f"{role}_name"),
        kb_id=getattr(row, f"{role}_kb_id"),
        country=getattr(row, f"{role}_country"),
        sector=getattr(row, f"{role}_sector"),
        code=getattr(row, f"{role}_code"),
    )


def events(
    db: Database,
    *,
    type: str | None,  # noqa: A002
    actor: str | None,
    country: str | None,
    since: dt.date | None,
    until: dt.date | None,
    article_id: str | None,
    limit: int,
    cursor: str | None,
) -> Page[EventRow]:
    e = events_table
    sentence = sa.func.substr(articles.c.text, e.c.sentence_start + 1, e.c.sentence_end - e.c.sentence_start)
    statement = (
        sa.select(
            e,
            articles.c.id.label("article_id"),
            articles.c.title,
            articles.c.published,
            articles.c.outlet,
            sentence.label("sentence"),
        )
        .select_from(e.join(articles, articles.c.pk == e.c.article_pk))
        .where(*_event_date_filters(since, until))
    )
    if type is not None:
        statement = statement.where(sa.func.upper(e.c.type) == type.upper())
    if country is not None:
        code = country.strip().upper()
        statement = statement.where(
            sa.or_(e.c.source_country == code, e.c.target_country == code, e.c.location_country == code)
        )
    if article_id is not None:
        statement = statement.where(e.c.article_pk == _article_pk(article_id))
    if actor:
        statement = statement.where(_event_actor_match(actor))
    if until is not None:  # implied by date_start <= until; lets the order's index seek
        statement = statement.where(e.c.sort_date <= until)
    # Latest first (sort_date is date_start, else NO_DATE), then last stored article: index-served.
    order: Order = [(e.c.sort_date, True), (e.c.article_pk, True), (e.c.idx, False)]

    def convert(row: Row[Any]) -> EventRow:
        return EventRow(
            article_id=row.article_id,
            index=row.idx,
            title=row.title,
            published=row.published,
            outlet=row.outlet,
            type=row.type,
            cameo=row.cameo,
            mode=row.mode,
            negated=bool(row.negated),
            trigger=row.trigger_text,
            trigger_start=row.trigger_start,
            trigger_end=row.trigger_end,
            source=_event_side(row, "source"),
            target=_event_side(row, "target"),
            date_value=row.date_value,
            date_start=row.date_start,
            date_end=row.date_end,
            date_from_publication=bool(row.date_from_publication),
            location=row.location_text,
            location_country=row.location_country,
            reported_by=row.reported_by,
            sentence=row.sentence,
        )

    return _page(db, "events/2", statement, order, limit=limit, cursor=cursor, convert=convert)


# --- actors, timeline, network -------------------------------------------------------------------


def actors(db: Database, *, name: str | None, limit: int, cursor: str | None) -> Page[ActorRow]:
    a = actors_table
    n_articles = sa.func.count(sa.distinct(a.c.article_pk))
    n_mentions = sa.func.sum(a.c.n_mentions)
    statement = sa.select(
        a.c.key,
        sa.func.max(a.c.name).label("name"),
        sa.func.max(a.c.kind).label("kind"),
        sa.func.max(a.c.kb_id).label("kb_id"),
        sa.func.max(a.c.country).label("country"),
        sa.func.max(a.c.sector).label("sector"),
        n_articles.label("articles"),
        n_mentions.label("mentions"),
        sa.func.sum(a.c.n_claims).label("claims"),
        sa.func.sum(a.c.n_events).label("events"),
    ).group_by(a.c.key)
    if name:
        statement = statement.where(_actor_match(name, key=a.c.key, kb_id=a.c.kb_id, texts=(a.c.name_norm,)))
    order: Order = [(n_articles, True), (n_mentions, True), (a.c.key, False)]

    def convert(row: Row[Any]) -> ActorRow:
        return ActorRow(
            key=row.key,
            name=row.name,
            kind=row.kind,
            kb_id=row.kb_id,
            country=row.country,
            sector=row.sector,
            articles=int(row.articles),
            mentions=int(row.mentions or 0),
            claims=int(row.claims or 0),
            events=int(row.events or 0),
        )

    return _page(db, "actors", statement, order, limit=limit, cursor=cursor, convert=convert, having=True)


def timeline(
    db: Database, *, actor: str | None, since: dt.date | None, until: dt.date | None, limit: int
) -> list[TimelineItem]:
    """The ``limit`` latest-starting dated events and claims within the filters, earliest first.

    Each table gives at most ``limit`` rows read newest-first off its date index, so the cost follows
    the page size rather than the number of matching rows.
    """
    e, t = events_table, attributions
    limit = paging.clamp(limit)
    event_rows = (
        sa.select(
            sa.literal("event").label("kind"),
            articles.c.id.label("article_id"),
            e.c.idx,
            e.c.date_start.label("start"),
            e.c.date_end.label("end"),
            e.c.date_from_publication.label("from_publication"),
            e.c.type.label("label"),
            e.c.source_name.label("actor"),
            e.c.target_name.label("target"),
            e.c.trigger_text.label("text"),
            articles.c.outlet,
            articles.c.published,
        )
        .select_from(e.join(articles, articles.c.pk == e.c.article_pk))
        .where(e.c.sort_date > paging.NO_DATE, *_event_date_filters(since, until))
        .order_by(e.c.sort_date.desc(), e.c.article_pk.desc(), e.c.idx.desc())
        .limit(limit)
    )
    claim_rows = (
        sa.select(
            sa.literal("claim").label("kind"),
            articles.c.id.label("article_id"),
            t.c.idx,
            t.c.date_start.label("start"),
            t.c.date_end.label("end"),
            t.c.date_from_publication.label("from_publication"),
            t.c.source_type.label("label"),
            t.c.actor_name.label("actor"),
            sa.null().label("target"),
            t.c.content_text.label("text"),
            articles.c.outlet,
            articles.c.published,
        )
        .select_from(_CLAIMS_FROM)
        .where(t.c.date_start.is_not(None))
        .order_by(t.c.date_start.desc(), t.c.pk.desc())
        .limit(limit)
    )
    if since is not None:
        claim_rows = claim_rows.where(t.c.date_end >= since)
    if until is not None:
        claim_rows = claim_rows.where(t.c.date_start <= until)
        event_rows = event_rows.where(e.c.sort_date <= until)
    if actor:
        event_rows = event_rows.where(_event_actor_match(actor))
        claim_rows = claim_rows.where(
            _actor_match(
                actor, key=t.c.actor_key, kb_id=t.c.actor_kb_id, texts=(t.c.actor_name_norm, t.c.source_norm)
            )
        )
    with db.read() as conn:
        rows = [*conn.execute(event_rows).all(), *conn.execute(claim_rows).all()]
    items = [
        TimelineItem(
            kind=row.kind,
            article_id=row.article_id,
            index=row.idx,
            start=row.start,
            end=row.end,
            from_publication=bool(row.from_publication),
            label=row.label,
            actor=row.actor,
            target=row.target,
            text=row.text,
            outlet=row.outlet,
            published=row.published,
        )
        for row in rows
    ]
    items.sort(key=lambda i: (i.start, i.end or i.start, i.kind, i.article_id, i.index))
    return items[-limit:]


def network(db: Database, *, since: dt.date | None, until: dt.date | None, limit: int) -> list[NetworkEdge]:
    e = events_table
    weight = sa.func.count()
    statement = (
        sa.select(
            e.c.source_key,
            sa.func.max(e.c.source_name).label("source_name"),
            e.c.target_key,
            sa.func.max(e.c.target_name).label("target_name"),
            weight.label("weight"),
            sa.func.count(sa.distinct(e.c.article_pk)).label("articles"),
        )
        .where(
            # Sides that are neither a resolved actor nor CAMEO-coded ("the plan") are not actors.
            sa.or_(e.c.source_actor.is_not(None), e.c.source_code.is_not(None)),
            sa.or_(e.c.target_actor.is_not(None), e.c.target_code.is_not(None)),
            e.c.source_key.is_not(None),
            e.c.target_key.is_not(None),
            *_event_date_filters(since, until),
        )
        .group_by(e.c.source_key, e.c.target_key)
        .order_by(weight.desc(), e.c.source_key, e.c.target_key)
        .limit(paging.clamp(limit))
    )
    with db.read() as conn:
        rows = conn.execute(statement).all()
    return [
        NetworkEdge(
            source=row.source_key,
            source_name=row.source_name,
            target=row.target_key,
            target_name=row.target_name,
            weight=int(row.weight),
            articles=int(row.articles),
        )
        for row in rows
    ]


# --- failures and counts -------------------------------------------------------------------------


def failures(db: Database) -> list[Failure]:
    f = schema.failures
    with db.read() as conn:
        rows = conn.execute(sa.select(f).order_by(f.c.at, f.c.pk)).all()
    return [
        Failure(
            where=row.where,
            stage=row.stage,
            code=row.code,
            message=row.message,
            hint=row.hint,
            article_id=row.article_id,
        )
        for row in rows
    ]


def stats(db: Database) -> dict[str, int]:
    tables = (
        schema.articles,
        schema.sentences,
        schema.entities,
        schema.actors,
        schema.times,
        schema.attributions,
        schema.events,
        schema.failures,
    )
    with db.read() as conn:
        return {
            table.name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            for table in tables
        }
