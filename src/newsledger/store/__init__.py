"""The ledger database: analyses in, queryable claims, events, actors and full-text search out.

One schema (SQLAlchemy 2 Core, Alembic migrations shipped in ``store/migrations``) on SQLite (a file
path or ``sqlite:///path``, the default) or PostgreSQL (``postgresql://user:pw@host/db``, psycopg 3)::

    from newsledger.store import Store

    with Store("ledger.db") as store:
        store.save(analysis)                       # False when already stored unchanged
        page = store.claims(actor="Putin", source_type="anonymous_group")
        for claim in page.items: ...
        more = store.claims(actor="Putin", cursor=page.next_cursor)

Every list query returns a :class:`Page` with a stable opaque ``next_cursor`` (keyset pagination);
``limit`` is capped at :data:`MAX_LIMIT`. ``since``/``until`` are inclusive dates. ``actor`` filters
match an actor key or KB id exactly (case-insensitively), or the words of an actor's name (for a
source or event side linked to no actor, of its text) in order, the last one possibly cut short
("Putin", "vladimir put"; words under three letters, such as "Xi", must be whole):
:mod:`newsledger.store.names`.
Schema and search details: ``docs/store.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self

from newsledger.errors import Failure
from newsledger.model import Analysis, Article
from newsledger.store import fts, profile, read, write
from newsledger.store.engine import Database
from newsledger.store.paging import MAX_LIMIT
from newsledger.store.rows import (
    ActorRow,
    ArticleRow,
    ClaimRow,
    EventActorRow,
    EventRow,
    NetworkEdge,
    Page,
    SaveReport,
    SearchHit,
    TimelineItem,
)

#: The default database: a SQLite file in the working directory.
DEFAULT_DB = "newsledger.db"


class Store:
    """A connection to a newsledger database, migrated to the current schema on open.

    ``url`` is a file path or ``sqlite:///path`` (SQLite, created when missing unless
    ``create=False``) or ``postgresql://...``. ``busy_timeout`` is how long (seconds) a SQLite
    writer waits for another writer before raising :class:`~newsledger.errors.DatabaseLocked`.

    Raises :class:`~newsledger.errors.BadDatabaseUrl`, :class:`~newsledger.errors.DatabaseUnavailable`,
    :class:`~newsledger.errors.DatabaseNotWritable`, :class:`~newsledger.errors.DatabaseLocked`,
    :class:`~newsledger.errors.SchemaOutOfDate` (the database was written by a newer newsledger).
    """

    def __init__(
        self, url: str | Path = DEFAULT_DB, *, create: bool = True, busy_timeout: float = 10.0
    ) -> None:
        self._db = Database.open(url, create=create, busy_timeout=busy_timeout)

    @classmethod
    def open(cls, url: str | Path = DEFAULT_DB, *, create: bool = True, busy_timeout: float = 10.0) -> Self:
        """Same as ``Store(url, ...)``; reads well in ``with Store.open(url) as store:``."""
        return cls(url, create=create, busy_timeout=busy_timeout)

    @property
    def url(self) -> str:
        """The database URL with any password hidden, as used in messages."""
        return self._db.name

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.dialect

    def close(self) -> None:
        """Release the connections; the store cannot be used afterwards."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # --- writing -----------------------------------------------------------------------------------

    def save(self, analysis: Analysis, *, replace: bool = False) -> bool:
        """Store one analysis in one transaction; True if written, False if already stored unchanged.

        An article already stored with the same content hash and analyzer version is left alone
        (idempotent re-runs); a different analyzer version, changed content, or ``replace=True``
        replaces all of the article's records atomically.
        """
        return write.save(self._db, analysis, replace=replace)

    def save_many(self, items: Iterable[Analysis | Failure], *, replace: bool = False) -> SaveReport:
        """Store many analyses, batching transactions; one failing article never loses the others.

        A failing article is rolled back alone (a savepoint), recorded like :meth:`record_failure`
        (stage ``"store"``) and listed in the report. :class:`~newsledger.errors.Failure` items (as
        ``analyze_many`` yields them) are recorded and listed too. Each batch of
        :data:`~newsledger.store.write.BATCH_SIZE` articles commits together. Database-wide problems
        (locked, unavailable) are raised.
        """
        return write.save_many(self._db, items, replace=replace)

    def record_failure(self, failure: Failure) -> None:
        """Record an article that could not be read, analysed or stored, with the current time."""
        write.record_failure(self._db, failure)

    def delete(self, article_id: str) -> bool:
        """Remove an article and all its records; False if it was not stored."""
        return write.delete(self._db, article_id)

    # --- reading -----------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        return read.has_article(self._db, article_id)

    def is_current(self, article: Article, analyzer_version: str) -> bool:
        """Whether ``article`` is stored with the same content and analyzer version: what :meth:`save`
        would skip. Cheap (no records are read), so callers can skip analysing such articles."""
        return read.is_current(self._db, article, analyzer_version)

    def get(self, article_id: str) -> Analysis:
        """The stored analysis, equal to the one saved; raises :class:`~newsledger.errors.ArticleNotFound`."""
        return read.get(self._db, article_id)

    def get_json(self, article_id: str) -> bytes:
        """The stored analysis as UTF-8 JSON (``Analysis.to_dict()``), without building the records:
        what an API serves as is. Raises :class:`~newsledger.errors.ArticleNotFound`."""
        return read.get_json(self._db, article_id)

    def article_ids(self) -> Iterator[str]:
        """All stored article ids, in id order (streamed in batches)."""
        return read.article_ids(self._db)

    def articles(
        self,
        *,
        outlet: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        query: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[ArticleRow]:
        """Articles, newest publication first (undated last), optionally filtered by a full-text ``query``."""
        return read.articles_page(
            self._db, outlet=outlet, since=since, until=until, query=query, limit=limit, cursor=cursor
        )

    def search(self, query: str, *, limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
        """Ranked full-text hits over article titles/texts and claim contents.

        ``query`` takes words (all must match, stemmed), ``"quoted phrases"``, ``OR`` between terms
        and ``-word`` to exclude; other punctuation is ignored, so any user input is safe.
        """
        return fts.search(self._db, query, limit=limit, cursor=cursor)

    def claims(
        self,
        *,
        source_type: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        certainty: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[ClaimRow]:
        """Attributions, newest article first; ``since``/``until`` filter on the publication date."""
        return read.claims(
            self._db,
            source_type=source_type,
            actor=actor,
            outlet=outlet,
            certainty=certainty,
            since=since,
            until=until,
            article_id=article_id,
            limit=limit,
            cursor=cursor,
        )

    def outlet_counts(self) -> dict[str, int]:
        """Stored articles per outlet ("unknown" for none), most first."""
        return read.outlet_counts(self._db)

    def claim_facets(
        self,
        *,
        source_type: str | None = None,
        actor: str | None = None,
        outlet: str | None = None,
        certainty: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
    ) -> dict[str, dict[str, int]]:
        """Counts of the claims matching the filters by ``source_type``, ``outlet`` and ``certainty``.

        A missing outlet counts under ``"unknown"``.
        """
        return read.claim_facets(
            self._db,
            source_type=source_type,
            actor=actor,
            outlet=outlet,
            certainty=certainty,
            since=since,
            until=until,
            article_id=article_id,
        )

    def events(
        self,
        *,
        type: str | None = None,  # noqa: A002  (the field's name in the model and the API)
        actor: str | None = None,
        country: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[EventRow]:
        """Events, latest first, by their date interval (the publication date when none is stated).

        ``since``/``until`` keep events whose interval overlaps them; ``actor`` matches the source or
        the target; ``country`` (ISO alpha-3) the source's, target's or location's country.
        """
        return read.events(
            self._db,
            type=type,
            actor=actor,
            country=country,
            since=since,
            until=until,
            article_id=article_id,
            limit=limit,
            cursor=cursor,
        )

    def actors(
        self, *, name: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> Page[ActorRow]:
        """Actors grouped across articles by KB id (else normalised name), most widely reported first;
        ``name`` filters like ``actor=`` elsewhere."""
        return read.actors(self._db, name=name, limit=limit, cursor=cursor)

    def actor_profile(self, key: str) -> profile.ActorProfile | None:
        """One actor across the corpus (totals, roles, outlets, claims, events); None if never mentioned."""
        return profile.actor_profile(self._db, key)

    def actor_keys(self, article_id: str) -> dict[str, str]:
        """Local actor id -> corpus-wide actor key, for one article (empty when it is not stored)."""
        return profile.actor_keys(self._db, article_id)

    def timeline(
        self,
        *,
        actor: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 500,
    ) -> list[TimelineItem]:
        """The ``limit`` (at most :data:`MAX_LIMIT`) latest-starting events and claims, earliest first."""
        return read.timeline(self._db, actor=actor, since=since, until=until, limit=limit)

    def network(
        self, *, since: dt.date | None = None, until: dt.date | None = None, limit: int = 200
    ) -> list[NetworkEdge]:
        """Source actor -> target actor edges weighted by their number of events, heaviest first."""
        return read.network(self._db, since=since, until=until, limit=limit)

    def failures(self) -> list[Failure]:
        """Recorded failures, oldest first."""
        return read.failures(self._db)

    def stats(self) -> dict[str, int]:
        """Row counts: articles, sentences, entities, actors, times, attributions, events, failures."""
        return read.stats(self._db)

    def export(self) -> Iterator[Analysis]:
        """Every stored analysis, in article id order (streamed in batches)."""
        return read.export(self._db)


__all__ = [
    "DEFAULT_DB",
    "MAX_LIMIT",
    "ActorRow",
    "ArticleRow",
    "ClaimRow",
    "EventActorRow",
    "EventRow",
    "NetworkEdge",
    "Page",
    "SaveReport",
    "SearchHit",
    "Store",
    "TimelineItem",
]
