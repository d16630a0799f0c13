"""Writing analyses: one transaction per article (or one per batch with a savepoint per article),
idempotent re-saves, atomic replacement, and the denormalised query columns computed once here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import itertools
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from newsledger import errors
from newsledger.errors import Failure
from newsledger.model import Actor, Analysis, Article, EventActor
from newsledger.store import names, paging, schema
from newsledger.store.engine import Database
from newsledger.store.names import normalise as normalise  # re-exported: how names are compared
from newsledger.store.rows import SaveReport

#: Articles per transaction in save_many: large enough to amortise commits, small enough that a
#: crash loses little and other writers get the lock regularly.
BATCH_SIZE = 200


def content_hash(article: Article) -> str:
    """SHA-256 of the article's content and metadata (not ``origin``: the same article read from
    another file is the same article)."""
    data = article.to_dict()
    data.pop("origin", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def pack(analysis: Analysis) -> bytes:
    """The stored form of an analysis: its JSON, zlib-compressed (a sixth of the size for a fraction
    of a millisecond: measured in docs/store.md). :func:`unpack` reverses it."""
    return zlib.compress(
        json.dumps(analysis.to_dict(), ensure_ascii=False, separators=(",", ":")).encode(), 1
    )


def unpack(document: bytes) -> Analysis:
    return Analysis.from_dict(json.loads(zlib.decompress(document)))


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def value_interval(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The calendar days a TimeML value such as ``2022-02-04``, ``2022-02`` or ``2022`` covers."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
            day = dt.date.fromisoformat(value[:10])
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:7])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return None


def _interval(pair: tuple[str, str] | None) -> tuple[dt.date, dt.date] | None:
    if pair is None:
        return None
    start, end = _date(pair[0]), _date(pair[1])
    if start is None or end is None:
        return None
    return start, end


def _key(actor: Actor | None, text: str | None) -> tuple[str | None, str | None, str | None]:
    """(key, name, kb_id) for a resolved actor, else for the mention's text."""
    if actor is not None:
        return actor.kb_id or f"name:{normalise(actor.name)}", actor.name, actor.kb_id
    if text and normalise(text):
        return f"name:{normalise(text)}", text, None
    return None, None, None


def _rows(analysis: Analysis) -> dict[sa.Table, list[dict[str, Any]]]:
    """Child-table rows for ``analysis`` (without ``article_pk``)."""
    article = analysis.article
    actors_by_id = {actor.id: actor for actor in analysis.actors}
    claims_by_actor = Counter(a.source_actor for a in analysis.attributions if a.source_actor)
    events_by_actor = Counter(
        side.actor_id for e in analysis.events for side in (e.source, e.target) if side and side.actor_id
    )
    time_intervals = {t.id: _interval(t.interval) or value_interval(t.value) for t in analysis.times}
    publication = (article.published, article.published) if article.published else None

    sentences = [
        {"idx": i, "start_char": s.start, "end_char": s.end} for i, s in enumerate(analysis.sentences)
    ]
    entities = [
        {
            "idx": i,
            "start_char": e.span.start,
            "end_char": e.span.end,
            "text": e.span.text,
            "label": e.label,
            "actor_id": e.actor_id,
        }
        for i, e in enumerate(analysis.entities)
    ]
    actors = [
        {
            "id": a.id,
            "key": _key(a, None)[0],
            "name": a.name,
            "name_norm": normalise(a.name),
            "kind": str(a.kind),
            "kb_id": a.kb_id,
            "country": a.country,
            "sector": a.sector,
            "role": a.role,
            "affiliation": a.affiliation,
            "n_mentions": len(a.mentions),
            "n_claims": claims_by_actor[a.id],
            "n_events": events_by_actor[a.id],
        }
        for a in analysis.actors
    ]
    times = []
    for t in analysis.times:
        interval = _interval(t.interval)
        times.append(
            {
                "id": t.id,
                "start_char": t.span.start,
                "end_char": t.span.end,
                "text": t.span.text,
                "type": str(t.type),
                "value": t.value,
                "mod": t.mod,
                "interval_start": interval[0] if interval else None,
                "interval_end": interval[1] if interval else None,
                "anchor": t.anchor,
                "resolved": t.resolved,
            }
        )
    attributions = []
    for i, a in enumerate(analysis.attributions):
        key, name, kb_id = _key(actors_by_id.get(a.source_actor or ""), a.source.text if a.source else None)
        stated = [iv for iv in (time_intervals.get(t) for t in a.times) if iv is not None]
        dates = (min(s for s, _ in stated), max(e for _, e in stated)) if stated else publication
        attributions.append(
            {
                "idx": i,
                "source_start": a.source.start if a.source else None,
                "source_end": a.source.end if a.source else None,
                "source_text": a.source.text if a.source else None,
                "source_norm": normalise(a.source.text) if a.source else None,
                "cue_start": a.cue.start,
                "cue_end": a.cue.end,
                "cue_text": a.cue.text,
                "content_start": a.content.start,
                "content_end": a.content.end,
                "content_text": a.content.text,
                "source_type": str(a.source_type),
                "direct": str(a.direct),
                "certainty": str(a.certainty),
                "channel": str(a.channel),
                "source_actor": a.source_actor,
                "actor_key": key,
                "actor_name": name,
                "actor_name_norm": normalise(name) if name else None,
                "actor_kb_id": kb_id,
                "via": json.dumps([c.to_dict() for c in a.via], ensure_ascii=False),
                "times": json.dumps(list(a.times)),
                "confidence": a.confidence,
                "date_start": dates[0] if dates else None,
                "date_end": dates[1] if dates else None,
                "date_from_publication": not stated and dates is not None,
                "sort_date": article.published or paging.NO_DATE,
                "outlet": article.outlet,
            }
        )
    events = []
    for i, e in enumerate(analysis.events):
        row: dict[str, Any] = {
            "idx": i,
            "type": e.type,
            "cameo": e.cameo,
            "mode": str(e.mode),
            "negated": e.negated,
            "trigger_start": e.trigger.start,
            "trigger_end": e.trigger.end,
            "trigger_text": e.trigger.text,
            "reported_by": e.reported_by,
            "sentence_start": e.sentence.start if e.sentence else None,
            "sentence_end": e.sentence.end if e.sentence else None,
            "location_text": e.location.span.text if e.location else None,
            "location_start": e.location.span.start if e.location else None,
            "location_end": e.location.span.end if e.location else None,
            "location_name": e.location.name if e.location else None,
            "location_country": e.location.country if e.location else None,
        }
        for role, side in (("source", e.source), ("target", e.target)):
            row.update(_event_actor(role, side, actors_by_id))
        interval = None
        if e.date is not None:
            interval = _interval(e.date.interval) or value_interval(e.date.value)
            if interval is None and e.date.time_id:
                interval = time_intervals.get(e.date.time_id)
        from_publication = bool(e.date and e.date.from_publication)
        if interval is None and publication is not None:
            interval, from_publication = publication, True
        row.update(
            {
                "date_value": e.date.value if e.date else None,
                "date_start": interval[0] if interval else None,
                "date_end": interval[1] if interval else None,
                "sort_date": interval[0] if interval else paging.NO_DATE,
                "date_from_publication": from_publication,
                "time_id": e.date.time_id if e.date else None,
            }
        )
        events.append(row)
    return {
        schema.sentences: sentences,
        schema.entities: entities,
        schema.actors: actors,
        schema.times: times,
        schema.attributions: attributions,
        schema.events: events,
        schema.network_edges: network_edges(events),
    }


def network_edges(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One article's ``network_edges`` rows from its ``events`` rows: the events whose sides are both
    actors (resolved, or CAMEO-coded: "the plan" is not a node), counted by source key, target key
    and date interval, each side named by the greatest of its names."""
    edges: dict[tuple[Any, ...], dict[str, Any]] = {}
    for e in events:
        if not (
            (e["source_actor"] is not None or e["source_code"] is not None)
            and (e["target_actor"] is not None or e["target_code"] is not None)
            and e["source_key"] is not None
            and e["target_key"] is not None
        ):
            continue
        group = (e["source_key"], e["target_key"], e["date_start"], e["date_end"])
        edge = edges.get(group)
        if edge is None:
            edges[group] = {
                "source_key": e["source_key"],
                "target_key": e["target_key"],
                "date_start": e["date_start"],
                "date_end": e["date_end"],
                "weight": 1,
                "source_name": e["source_name"],
                "target_name": e["target_name"],
            }
        else:
            edge["weight"] += 1
            edge["source_name"] = max(edge["source_name"], e["source_name"])
            edge["target_name"] = max(edge["target_name"], e["target_name"])
    return list(edges.values())


def name_pairs(children: dict[sa.Table, list[dict[str, Any]]]) -> set[tuple[str, str]]:
    """The (actor key, normalised name) pairs an article's rows use: its ``actor_names`` entries."""
    pairs = {(row["key"], row["name_norm"]) for row in children[schema.actors]}
    pairs.update(
        (row["actor_key"], row["actor_name_norm"])
        for row in children[schema.attributions]
        if row["actor_key"] is not None and row["actor_name_norm"] is not None
    )
    for row in children[schema.events]:
        for role in ("source", "target"):
            key, name = row[f"{role}_key"], row[f"{role}_name_norm"]
            if key is not None and name is not None:
                pairs.add((key, name))
    return pairs


def _add_names(conn: Connection, pairs: set[tuple[str, str]]) -> None:
    """Add the pairs the vocabulary lacks, with their words. Both inserts are ``ON CONFLICT DO
    NOTHING`` and sorted: concurrent PostgreSQL writers adding the same pairs neither fail nor
    deadlock, and every pair missing when this transaction looked gets its words."""
    if not pairs:
        return
    n = schema.actor_names
    keys = sorted({key for key, _ in pairs})
    known: set[tuple[str, str]] = set()
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = keys[start : start + _IN_CHUNK]
        known.update(
            (r.key, r.name_norm)
            for r in conn.execute(sa.select(n.c.key, n.c.name_norm).where(n.c.key.in_(chunk)))
        )
    missing = sorted(pairs - known)
    if not missing:
        return
    rows = names.name_rows(missing)
    sql, _ = _insert_sql(conn.dialect, n, tuple(rows[0]), conflict=True, article=False)
    conn.exec_driver_sql(sql, [tuple(row.values()) for row in rows])
    wanted = set(missing)
    word_rows: set[tuple[str, int]] = set()
    missing_keys = sorted({key for key, _ in missing})
    for start in range(0, len(missing_keys), _IN_CHUNK):
        chunk = missing_keys[start : start + _IN_CHUNK]
        for r in conn.execute(sa.select(n.c.pk, n.c.key, n.c.name_norm, n.c.words).where(n.c.key.in_(chunk))):
            if (r.key, r.name_norm) in wanted:
                word_rows.update((word, r.pk) for word in r.words.split())
    if word_rows:
        sql, _ = _insert_sql(
            conn.dialect, schema.actor_name_words, ("word", "name_pk"), conflict=True, article=False
        )
        conn.exec_driver_sql(sql, sorted(word_rows))


def _event_actor(role: str, side: EventActor | None, actors_by_id: dict[str, Actor]) -> dict[str, Any]:
    if side is None:
        return {
            f"{role}_{name}": None
            for name in (
                "text", "norm", "start", "end", "actor", "key", "name", "name_norm",
                "kb_id", "country", "sector", "code",
            )
        }  # fmt: skip
    actor = actors_by_id.get(side.actor_id or "")
    key, name, kb_id = _key(actor, side.span.text)
    return {
        f"{role}_text": side.span.text,
        f"{role}_norm": normalise(side.span.text),
        f"{role}_start": side.span.start,
        f"{role}_end": side.span.end,
        f"{role}_actor": side.actor_id,
        f"{role}_key": key,
        f"{role}_name": name,
        f"{role}_name_norm": normalise(name) if name else None,
        f"{role}_kb_id": kb_id,
        f"{role}_country": side.country or (actor.country if actor else None),
        f"{role}_sector": side.sector or (actor.sector if actor else None),
        f"{role}_code": side.code,
    }


def _delete_article(conn: Connection, pk: int) -> None:
    # Children first and explicitly: their FTS triggers must see every row go, on any backend.
    for table in schema.CHILD_TABLES:
        conn.execute(sa.delete(table).where(table.c.article_pk == pk))
    conn.execute(sa.delete(schema.articles).where(schema.articles.c.pk == pk))


def _save(conn: Connection, analysis: Analysis, *, replace: bool) -> bool:
    article = analysis.article
    digest = content_hash(article)
    articles = schema.articles
    existing = conn.execute(
        sa.select(articles.c.pk, articles.c.content_hash, articles.c.analyzer_version).where(
            articles.c.id == article.id
        )
    ).first()
    if existing is not None:
        unchanged = existing.content_hash == digest and existing.analyzer_version == analysis.analyzer_version
        if unchanged and not replace:
            return False
    children = _rows(analysis)  # before any write: a bad record fails with nothing written
    document = pack(analysis)
    if existing is not None:
        _delete_article(conn, existing.pk)
    inserted = conn.execute(
        sa.insert(articles).values(
            id=article.id,
            title=article.title,
            text=article.text,
            published=article.published,
            outlet=article.outlet,
            url=article.url,
            origin=article.origin,
            content_hash=digest,
            analyzer_version=analysis.analyzer_version,
            ingested_at=dt.datetime.now(dt.UTC),
            n_chars=len(article.text),
            n_sentences=len(analysis.sentences),
            n_actors=len(analysis.actors),
            n_attributions=len(analysis.attributions),
            n_events=len(analysis.events),
            analysis=document,
        )
    ).inserted_primary_key
    assert inserted is not None
    pk = inserted[0]
    for table, rows in children.items():
        if rows:
            _insert_many(conn, table, pk, rows)
    _add_names(conn, name_pairs(children))
    return True


def _insert_many(conn: Connection, table: sa.Table, article_pk: int, rows: list[dict[str, Any]]) -> None:
    """executemany straight to the driver: child rows are most of the write, and SQLAlchemy's
    per-row parameter processing weighed as much as the inserts in profiles (docs/store.md, Cost)."""
    columns = tuple(rows[0])
    sql, dates = _insert_sql(conn.dialect, table, columns)
    values = []
    for row in rows:
        record = [article_pk, *row.values()]
        for i in dates:  # the sqlite3 module's date adapter is deprecated: store ISO text, as Core does
            if record[i] is not None:
                record[i] = record[i].isoformat()
        values.append(tuple(record))
    conn.exec_driver_sql(sql, values)


#: Values per ``IN (...)`` list: well under SQLite's and psycopg's parameter limits.
_IN_CHUNK = 500


@functools.cache
def _insert_sql(
    dialect: Dialect,
    table: sa.Table,
    columns: tuple[str, ...],
    *,
    conflict: bool = False,
    article: bool = True,
) -> tuple[str, tuple[int, ...]]:
    """The INSERT of ``article_pk`` (unless not ``article``) + ``columns`` in the driver's
    placeholder style (``ON CONFLICT DO NOTHING`` with ``conflict``: the same SQL on SQLite and
    PostgreSQL), and which positions hold dates that need converting for SQLite."""
    names = ("article_pk", *columns) if article else columns
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)})"
        f" VALUES ({', '.join(marker for _ in names)})" + (" ON CONFLICT DO NOTHING" if conflict else "")
    )
    dates = (
        tuple(i for i, n in enumerate(names) if isinstance(table.c[n].type, sa.Date))
        if dialect.name == "sqlite"
        else ()
    )
    return sql, dates


def _failure(analysis: Analysis, exc: Exception, name: str) -> Failure:
    article_id = analysis.article.id
    if isinstance(exc, errors.NewsledgerError):
        error = exc
    else:
        detail = exc.orig if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None else exc
        first_line = str(detail).strip().splitlines()[0] if str(detail).strip() else type(detail).__name__
        error = errors.StoreError(
            f"could not store article {article_id!r} in {name}: {first_line}",
            where=article_id,
            hint="check the analysis for duplicate ids or invalid values; the other articles were stored",
        )
    return Failure.from_error(
        error, stage="store", where=analysis.article.origin or article_id, article_id=article_id
    )


def _is_fatal(exc: Exception) -> bool:
    """Errors about the database itself (not one article) stop the batch."""
    return isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError) or (
        isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated
    )


def save(db: Database, analysis: Analysis, *, replace: bool = False) -> bool:
    """See :meth:`newsledger.store.Store.save`."""
    with db.write() as conn:
        try:
            return _save(conn, analysis, replace=replace)
        except errors.NewsledgerError:
            raise
        except Exception as exc:
            if _is_fatal(exc):
                raise
            failure = _failure(analysis, exc, db.name)
            raise errors.StoreError(failure.message, where=failure.where, hint=failure.hint) from exc


def save_many(db: Database, items: Iterable[Analysis | Failure], *, replace: bool = False) -> SaveReport:
    """See :meth:`newsledger.store.Store.save_many`; Failures among ``items`` are recorded as they come."""
    saved = unchanged = 0
    failures: list[Failure] = []
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, BATCH_SIZE)):
        with db.write() as conn:
            for item in batch:
                if isinstance(item, Failure):
                    _insert_failure(conn, item)
                    failures.append(item)
                    continue
                savepoint = conn.begin_nested()
                try:
                    changed = _save(conn, item, replace=replace)
                except Exception as exc:
                    savepoint.rollback()
                    if _is_fatal(exc):
                        raise
                    failure = _failure(item, exc, db.name)
                    _insert_failure(conn, failure)
                    failures.append(failure)
                    continue
                savepoint.commit()
                saved += changed
                unchanged += not changed
    return SaveReport(saved=saved, unchanged=unchanged, failures=tuple(failures))


def _insert_failure(conn: Connection, failure: Failure) -> None:
    conn.execute(
        sa.insert(schema.failures).values(
            {
                "at": dt.datetime.now(dt.UTC),
                "where": failure.where,
                "stage": failure.stage,
                "code": failure.code,
                "message": failure.message,
                "hint": failure.hint,
                "article_id": failure.article_id,
            }
        )
    )


def record_failure(db: Database, failure: Failure) -> None:
    """See :meth:`newsledger.store.Store.record_failure`."""
    with db.write() as conn:
        _insert_failure(conn, failure)


def delete(db: Database, article_id: str) -> bool:
    """See :meth:`newsledger.store.Store.delete`."""
    with db.write() as conn:
        pk = conn.execute(sa.select(schema.articles.c.pk).where(schema.articles.c.id == article_id)).scalar()
        if pk is None:
            return False
        _delete_article(conn, pk)
        return True
