"""Reading: exact analyses back, and the paged, filtered queries over the projection tables."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from newsledger import errors
from newsledger.errors import Failure
from newsledger.model import Analysis, Article
from newsledger.store import fts, names, paging, schema
from newsledger.store.engine import Database
from newsledger.store.names import ActorKeys
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
from newsledger.store.write import content_hash, unpack

_BATCH = 200

articles = schema.articles
attributions = schema.attributions
events_table = schema.events
actors_table = schema.actors

Order = list[tuple[ColumnElement[Any], bool]]


def _published_key() -> ColumnElement[dt.date]:
    return sa.func.coalesce(articles.c.published, sa.literal(paging.NO_DATE, sa.Date), type_=sa.Date)


def _actor_keys(db: Database, actor: str | None) -> ActorKeys | None:
    """What an ``actor=`` filter resolves to (None: no filter; blank counts as none)."""
    if actor is None or not actor.strip():
        return None
    with db.read() as conn:
        return names.resolve(conn, actor)


def _merged(
    arms: Sequence[Select[Any]], order: Sequence[tuple[sa.Column[Any], bool]], size: int
) -> sa.Subquery:
    """The sort keys of the first ``size`` rows of the union of ``arms`` in ``order``.

    Each arm selects the ``order`` columns of the rows of one actor key (and side), which an index
    led by that key gives in order; each is cut to ``size`` rows before the merge, so a page costs
    about ``size`` index entries per arm however many rows the keys have. A row found by two arms
    (an actor acting on itself) is kept once.
    """
    parts = [arm.order_by(*paging.order_by(order)).limit(size) for arm in arms]
    if len(parts) == 1:
        return parts[0].subquery("page")
    # SQLite takes no ORDER BY/LIMIT in a compound's arms, so each is wrapped; ``SELECT *`` and
    # plain column names spare SQLAlchemy building column proxies for every arm (half its cost).
    union = sa.union_all(
        *(sa.select(sa.literal_column("*")).select_from(part.subquery()) for part in parts)
    ).subquery()
    merged: Order = [(sa.column(column.name), descending) for column, descending in order]
    return (
        sa.select(*(column for column, _ in merged))
        .select_from(union)
        .distinct()
        .order_by(*paging.order_by(merged))
        .limit(size)
        .subquery("page")
    )


def _seek(name: str, order: Order, cursor: str | None) -> list[ColumnElement[bool]]:
    """The condition resuming after ``cursor`` (none for the first page)."""
    return [paging.after(order, paging.decode(name, cursor, len(order)))] if cursor else []


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
    return where


_CLAIMS_FROM = attributions.join(articles, articles.c.pk == attributions.c.article_pk)


def _article_pk(article_id: str) -> sa.ScalarSelect[Any]:
    return sa.select(articles.c.pk).where(articles.c.id == article_id).scalar_subquery()


def claims(
    db: Database, *, actor: str | None, limit: int, cursor: str | None, **filters: Any
) -> Page[ClaimRow]:
    t = attributions
    where = _claim_filters(**filters)
    # Newest article first (same day: last stored first), claims in text order: index-served.
    order: Order = [(t.c.sort_date, True), (t.c.article_pk, True), (t.c.idx, False)]
    source: sa.FromClause = _CLAIMS_FROM
    keys = _actor_keys(db, actor)
    if keys is not None and keys.empty:
        return Page((), None)
    if keys is not None and not keys.few:
        where.append(keys.match(t.c.actor_key))
    elif keys is not None:
        # One (actor_key, sort_date, article_pk, idx) range per key, merged into the page's keys.
        seek = _seek("claims/2", order, cursor)
        arms = [
            sa.select(t.c.sort_date, t.c.article_pk, t.c.idx).where(t.c.actor_key == key, *where, *seek)
            for key in keys.keys
        ]
        page = _merged(
            arms, [(t.c.sort_date, True), (t.c.article_pk, True), (t.c.idx, False)], paging.clamp(limit) + 1
        )
        source = page.join(t, sa.and_(t.c.article_pk == page.c.article_pk, t.c.idx == page.c.idx)).join(
            articles, articles.c.pk == t.c.article_pk
        )
    statement = (
        sa.select(t, articles.c.id.label("article_id"), articles.c.title, articles.c.published)
        .select_from(source)
        .where(*where)
    )

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


def outlet_counts(db: Database) -> dict[str, int]:
    """Stored articles per outlet ("unknown" for none), most first: one index-only pass."""
    statement = sa.select(articles.c.outlet, sa.func.count()).group_by(articles.c.outlet)
    counts: Counter[str] = Counter()
    with db.read() as conn:
        for outlet, count in conn.execute(statement):
            counts[outlet or "unknown"] += count
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0] == "unknown", item[0])))


def claim_facets(db: Database, *, actor: str | None, **filters: Any) -> dict[str, dict[str, int]]:
    where = _claim_filters(**filters)
    keys = _actor_keys(db, actor)
    if keys is not None:
        if keys.empty:
            return {"source_type": {}, "outlet": {}, "certainty": {}}
        where.append(attributions.c.actor_key.in_(keys.members()))
    t = attributions
    # One pass over (outlet, source_type, certainty), an index of its own (revision 0003): with no
    # filter an index-only scan, with an outlet one index range.
    statement = (
        sa.select(t.c.outlet, t.c.source_type, t.c.certainty, sa.func.count())
        .where(*where)
        .group_by(t.c.outlet, t.c.source_type, t.c.certainty)
    )
    counts: dict[str, Counter[str]] = {name: Counter() for name in ("source_type", "outlet", "certainty")}
    with db.read() as conn:
        for outlet, source_type, certainty, count in conn.execute(statement):
            counts["source_type"][source_type] += count
            counts["outlet"][outlet or "unknown"] += count
            counts["certainty"][certainty] += count
    # Most claims first, then by value ("unknown" last among equals).
    return {
        name: dict(sorted(counter.items(), key=lambda item: (-item[1], item[0] == "unknown", item[0])))
        for name, counter in counts.items()
    }


# --- events --------------------------------------------------------------------------------------


def _event_date_filters(since: dt.date | None, until: dt.date | None) -> list[ColumnElement[bool]]:
    """Events whose date interval overlaps ``since``..``until``, on columns of the order index
    (``sort_date`` is ``date_start``, else NO_DATE), so rows outside are skipped without reading them."""
    e = events_table
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(e.c.date_end >= since)
    if until is not None:
        where.extend((e.c.sort_date <= until, e.c.sort_date > paging.NO_DATE))
    return where


_SIDES = ("source", "target")


def _event_key_match(keys: ActorKeys) -> ColumnElement[bool]:
    """Events whose source or target has one of ``keys``."""
    e = events_table
    return sa.or_(*(keys.match(e.c[f"{role}_key"]) for role in _SIDES))


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
    where = _event_date_filters(since, until)
    if type is not None:
        where.append(sa.func.upper(e.c.type) == type.upper())
    if country is not None:
        code = country.strip().upper()
        where.append(
            sa.or_(e.c.source_country == code, e.c.target_country == code, e.c.location_country == code)
        )
    if article_id is not None:
        where.append(e.c.article_pk == _article_pk(article_id))
    # Latest first (sort_date is date_start, else NO_DATE), then last stored article: index-served.
    order: Order = [(e.c.sort_date, True), (e.c.article_pk, True), (e.c.idx, False)]
    source: sa.FromClause = e.join(articles, articles.c.pk == e.c.article_pk)
    keys = _actor_keys(db, actor)
    if keys is not None and keys.empty:
        return Page((), None)
    if keys is not None and not keys.few:
        where.append(_event_key_match(keys))
    elif keys is not None:
        # One (side_key, sort_date, article_pk, idx) range per key and side, merged.
        seek = _seek("events/2", order, cursor)
        arms = [
            sa.select(e.c.sort_date, e.c.article_pk, e.c.idx).where(e.c[f"{role}_key"] == key, *where, *seek)
            for key in keys.keys
            for role in _SIDES
        ]
        page = _merged(
            arms, [(e.c.sort_date, True), (e.c.article_pk, True), (e.c.idx, False)], paging.clamp(limit) + 1
        )
        source = page.join(e, sa.and_(e.c.article_pk == page.c.article_pk, e.c.idx == page.c.idx)).join(
            articles, articles.c.pk == e.c.article_pk
        )
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
        .select_from(source)
        .where(*where)
    )

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
    keys = _actor_keys(db, name)
    if keys is not None:
        if keys.empty:
            return Page((), None)
        statement = statement.where(a.c.key.in_(keys.members()))
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

    Each table gives at most ``limit`` rows read newest-first off a date index (with ``actor``, off
    one index range per matching actor key and side, merged), so the cost follows the page size
    rather than the number of matching rows.
    """
    e, t = events_table, attributions
    limit = paging.clamp(limit)
    event_where: list[ColumnElement[bool]] = [
        e.c.sort_date > paging.NO_DATE,
        *_event_date_filters(since, until),
    ]
    claim_where: list[ColumnElement[bool]] = [t.c.date_start.is_not(None)]
    if since is not None:
        claim_where.append(t.c.date_end >= since)
    if until is not None:
        claim_where.append(t.c.date_start <= until)
    event_order = [(e.c.sort_date, True), (e.c.article_pk, True), (e.c.idx, True)]
    claim_order = [(t.c.date_start, True), (t.c.pk, True)]
    event_from: sa.FromClause = e.join(articles, articles.c.pk == e.c.article_pk)
    claim_from: sa.FromClause = _CLAIMS_FROM
    keys = _actor_keys(db, actor)
    if keys is not None and keys.empty:
        return []
    if keys is not None and not keys.few:
        event_where.append(_event_key_match(keys))
        claim_where.append(keys.match(t.c.actor_key))
    elif keys is not None:
        events_page = _merged(
            [
                sa.select(e.c.sort_date, e.c.article_pk, e.c.idx).where(
                    e.c[f"{role}_key"] == key, *event_where
                )
                for key in keys.keys
                for role in _SIDES
            ],
            event_order,
            limit,
        )
        event_from = events_page.join(
            e, sa.and_(e.c.article_pk == events_page.c.article_pk, e.c.idx == events_page.c.idx)
        ).join(articles, articles.c.pk == e.c.article_pk)
        # (actor_key, date_start, pk) ranges.
        claims_page = _merged(
            [
                sa.select(t.c.date_start, t.c.pk).where(t.c.actor_key == key, *claim_where)
                for key in keys.keys
            ],
            claim_order,
            limit,
        )
        claim_from = claims_page.join(t, t.c.pk == claims_page.c.pk).join(
            articles, articles.c.pk == t.c.article_pk
        )
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
        .select_from(event_from)
        .where(*event_where)
        .order_by(*paging.order_by(event_order))
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
        .select_from(claim_from)
        .where(*claim_where)
        .order_by(*paging.order_by(claim_order))
        .limit(limit)
    )
    with db.read() as conn:
        rows = [*conn.execute(event_rows).all(), *conn.execute(claim_rows).all()]
    # Cut before building records: half the rows are dropped, and building them is most of the
    # Python time of a 500-item timeline. Columns: kind, article_id, idx, start, end, ...
    rows.sort(key=lambda r: (r[3], r[4] or r[3], r[0], r[1], r[2]))
    return [_timeline_item(row) for row in rows[-limit:]]


def _timeline_item(row: Sequence[Any]) -> TimelineItem:
    kind, article_id, index, start, end, from_publication, label, actor, target, text, outlet, published = row
    return TimelineItem(
        kind=kind,
        article_id=article_id,
        index=index,
        start=start,
        end=end,
        from_publication=bool(from_publication),
        label=label,
        actor=actor,
        target=target,
        text=text,
        outlet=outlet,
        published=published,
    )


def network(db: Database, *, since: dt.date | None, until: dt.date | None, limit: int) -> list[NetworkEdge]:
    """Edges summed from ``network_edges`` (per article: events between two actors by key pair and
    date interval), whose intervals overlap ``since``..``until`` like the events filter."""
    n = schema.network_edges
    weight = sa.func.sum(n.c.weight)
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(n.c.date_end >= since)
    if until is not None:
        where.append(n.c.date_start <= until)
    statement = (
        sa.select(
            n.c.source_key,
            sa.func.max(n.c.source_name).label("source_name"),
            n.c.target_key,
            sa.func.max(n.c.target_name).label("target_name"),
            weight.label("weight"),
            sa.func.count(sa.distinct(n.c.article_pk)).label("articles"),
        )
        .where(*where)
        .group_by(n.c.source_key, n.c.target_key)
        .order_by(weight.desc(), n.c.source_key, n.c.target_key)
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
