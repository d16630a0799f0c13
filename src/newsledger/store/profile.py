"""One actor across the corpus, as an actor page shows it.

Actors are grouped by ``key`` exactly as :func:`newsledger.store.read.actors` groups them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa

from newsledger.store import schema as t
from newsledger.store.engine import Database

#: Rows shown per section of an actor page; the full lists are one link away (claims, events pages).
SECTION_LIMIT = 50


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RolePeriod:
    """A role the actor was given, and the first and last publication dates it was given on."""

    role: str
    first: dt.date | None
    last: dt.date | None
    articles: int


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Reporter:
    """An outlet that mentioned the actor."""

    outlet: str
    articles: int
    first: dt.date | None
    last: dt.date | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ActorClaim:
    article_id: str
    index: int
    title: str | None
    published: dt.date | None
    outlet: str | None
    source: str | None
    cue: str
    content: str
    certainty: str
    source_type: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ActorEvent:
    article_id: str
    index: int
    title: str | None
    published: dt.date | None
    type: str
    role: str  # "source" or "target": the actor's part in the event
    other: str | None  # the other party's name, else its text
    trigger: str
    date_start: dt.date | None
    date_end: dt.date | None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ActorProfile:
    """Everything the actor page shows."""

    key: str
    name: str
    kind: str
    kb_id: str | None
    country: str | None
    sector: str | None
    articles: int
    mentions: int
    claims: int
    events: int
    roles: tuple[RolePeriod, ...]
    reporters: tuple[Reporter, ...]
    said: tuple[ActorClaim, ...]
    did: tuple[ActorEvent, ...]

    @property
    def filter_value(self) -> str:
        """What the store's ``actor=`` filters match this actor by: its KB id, else its name."""
        return self.kb_id or self.name


def actor_profile(db: Database, key: str) -> ActorProfile | None:
    """The actor grouped under ``key``, or None when no article mentions it."""
    a, art = t.actors, t.articles
    with db.read() as conn:
        totals = conn.execute(
            sa.select(
                sa.func.count(sa.distinct(a.c.article_pk)),
                sa.func.coalesce(sa.func.sum(a.c.n_mentions), 0),
                sa.func.coalesce(sa.func.sum(a.c.n_claims), 0),
                sa.func.coalesce(sa.func.sum(a.c.n_events), 0),
            ).where(a.c.key == key)
        ).one()
        if not totals[0]:
            return None
        # The most frequent form names the actor; ties go to the alphabetically first for stability.
        head = conn.execute(
            sa.select(
                a.c.name, a.c.kind, sa.func.max(a.c.kb_id), sa.func.max(a.c.country), sa.func.max(a.c.sector)
            )
            .where(a.c.key == key)
            .group_by(a.c.name, a.c.kind)
            .order_by(sa.func.count().desc(), a.c.name)
            .limit(1)
        ).one()
        roles = conn.execute(
            sa.select(
                a.c.role,
                sa.func.min(art.c.published),
                sa.func.max(art.c.published),
                sa.func.count(sa.distinct(a.c.article_pk)),
            )
            .join(art, art.c.pk == a.c.article_pk)
            .where(a.c.key == key, a.c.role.is_not(None))
            .group_by(a.c.role)
            .order_by(sa.func.min(art.c.published), a.c.role)
            .limit(SECTION_LIMIT)
        ).all()
        outlet = sa.func.coalesce(art.c.outlet, "unknown")
        reporters = conn.execute(
            sa.select(
                outlet,
                sa.func.count(sa.distinct(art.c.pk)),
                sa.func.min(art.c.published),
                sa.func.max(art.c.published),
            )
            .join(art, art.c.pk == a.c.article_pk)
            .where(a.c.key == key)
            .group_by(outlet)
            .order_by(sa.func.count(sa.distinct(art.c.pk)).desc(), outlet)
            .limit(SECTION_LIMIT)
        ).all()
        said = _claims(conn, key)
        did = _events(conn, key)
    return ActorProfile(
        key=key,
        name=head[0],
        kind=head[1],
        kb_id=head[2],
        country=head[3],
        sector=head[4],
        articles=totals[0],
        mentions=totals[1],
        claims=totals[2],
        events=totals[3],
        roles=tuple(RolePeriod(role=r[0], first=r[1], last=r[2], articles=r[3]) for r in roles),
        reporters=tuple(Reporter(outlet=r[0], articles=r[1], first=r[2], last=r[3]) for r in reporters),
        said=said,
        did=did,
    )


def _claims(conn: sa.Connection, key: str) -> tuple[ActorClaim, ...]:
    c, art = t.attributions, t.articles
    rows = conn.execute(
        sa.select(
            art.c.id,
            c.c.idx,
            art.c.title,
            art.c.published,
            art.c.outlet,
            c.c.source_text,
            c.c.cue_text,
            c.c.content_text,
            c.c.certainty,
            c.c.source_type,
        )
        .join(art, art.c.pk == c.c.article_pk)
        .where(c.c.actor_key == key)
        # The claims listing's order, served by the (actor_key, sort_date, article_pk) index.
        .order_by(c.c.sort_date.desc(), c.c.article_pk.desc(), c.c.idx)
        .limit(SECTION_LIMIT)
    ).all()
    return tuple(
        ActorClaim(
            article_id=r[0],
            index=r[1],
            title=r[2],
            published=r[3],
            outlet=r[4],
            source=r[5],
            cue=r[6],
            content=r[7],
            certainty=r[8],
            source_type=r[9],
        )
        for r in rows
    )


def _events(conn: sa.Connection, key: str) -> tuple[ActorEvent, ...]:
    e, art = t.events, t.articles
    role = sa.case((e.c.source_key == key, "source"), else_="target")
    other = sa.case(
        (e.c.source_key == key, sa.func.coalesce(e.c.target_name, e.c.target_text)),
        else_=sa.func.coalesce(e.c.source_name, e.c.source_text),
    )
    rows = conn.execute(
        sa.select(
            art.c.id,
            e.c.idx,
            art.c.title,
            art.c.published,
            e.c.type,
            role,
            other,
            e.c.trigger_text,
            e.c.date_start,
            e.c.date_end,
        )
        .join(art, art.c.pk == e.c.article_pk)
        .where(sa.or_(e.c.source_key == key, e.c.target_key == key))
        .order_by(e.c.sort_date.desc(), e.c.article_pk.desc(), e.c.idx)
        .limit(SECTION_LIMIT)
    ).all()
    return tuple(
        ActorEvent(
            article_id=r[0],
            index=r[1],
            title=r[2],
            published=r[3],
            type=r[4],
            role=r[5],
            other=r[6],
            trigger=r[7],
            date_start=r[8],
            date_end=r[9],
        )
        for r in rows
    )


def actor_keys(db: Database, article_id: str) -> dict[str, str]:
    """Local actor id -> corpus-wide key for one article, so its page can link to actor pages."""
    a, art = t.actors, t.articles
    with db.read() as conn:
        rows = conn.execute(
            sa.select(a.c.id, a.c.key).join(art, art.c.pk == a.c.article_pk).where(art.c.id == article_id)
        ).all()
    return {r[0]: r[1] for r in rows}
