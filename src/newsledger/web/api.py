"""The JSON API under ``/api``: thin handlers over :class:`~newsledger.store.Store`.

Every list is a keyset page ``{"items": [...], "next_cursor": ...}``; pass ``next_cursor`` back as
``cursor``. Parameters are validated here (types, enums, lengths, page size) so the store only ever
sees well-formed values, and every error has the shape ``{"error": {"code", "message", "where", "hint"}}``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from newsledger.model import Certainty, SourceType
from newsledger.store import Store
from newsledger.web import queries
from newsledger.web.errors import BadRequestError, NotFoundError, QueryTooCostlyError

#: Page size: small by default, capped so one request never serialises thousands of rows.
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
#: Texts users type (search, actor, outlet) are capped: longer ones only cost time.
MAX_TEXT = 200
MAX_CURSOR = 512
#: Full-text queries with more terms than this are refused: each term is another index lookup.
MAX_TERMS = 16
#: Timeline and network draw everything they return, so they are bounded more tightly.
MAX_TIMELINE = 500
MAX_EDGES = 300

router = APIRouter(prefix="/api", tags=["api"])


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Cursor = Annotated[str | None, Query(max_length=MAX_CURSOR, description="next_cursor of the previous page")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
ActorText = Annotated[
    str | None,
    Query(
        max_length=MAX_TEXT,
        description="actor key or KB id, or words of a name (the last may be the start of a word)",
    ),
]
Since = Annotated[dt.date | None, Query(description="inclusive, YYYY-MM-DD")]
Until = Annotated[dt.date | None, Query(description="inclusive, YYYY-MM-DD")]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DateRange:
    since: dt.date | None
    until: dt.date | None


def date_range(since: Since = None, until: Until = None) -> DateRange:
    if since and until and since > until:
        raise BadRequestError(f"since {since} is after until {until}", where="since", hint="swap the dates")
    return DateRange(since=since, until=until)


Dates = Annotated[DateRange, Depends(date_range)]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ClaimFilters:
    source_type: SourceType | None
    actor: str | None
    certainty: Certainty | None
    outlet: str | None
    article_id: str | None

    def store_kwargs(self, dates: DateRange) -> dict[str, Any]:
        return {
            "source_type": self.source_type.value if self.source_type else None,
            "actor": self.actor or None,
            "certainty": self.certainty.value if self.certainty else None,
            "outlet": self.outlet or None,
            "article_id": self.article_id or None,
            "since": dates.since,
            "until": dates.until,
        }


def claim_filters(
    source_type: Annotated[SourceType | None, Query(description="who the claim rests on")] = None,
    actor: ActorText = None,
    certainty: Certainty | None = None,
    outlet: Text = None,
    article_id: Text = None,
) -> ClaimFilters:
    return ClaimFilters(
        source_type=source_type, actor=actor, certainty=certainty, outlet=outlet, article_id=article_id
    )


ClaimFilterDep = Annotated[ClaimFilters, Depends(claim_filters)]


def paged(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.to_dict()
    return result


@router.get("/articles", summary="List articles")
def list_articles(
    store: StoreDep,
    dates: Dates,
    outlet: Text = None,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="full-text query")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Articles, newest first, filtered by outlet, publication date range and full text."""
    return paged(
        store.articles(
            outlet=outlet or None,
            since=dates.since,
            until=dates.until,
            query=q or None,
            limit=limit,
            cursor=cursor,
        )
    )


@router.get(
    "/articles/{article_id:path}",
    summary="One article with all its records",
    responses={
        200: {
            "description": "Analysis.to_dict()",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def get_article(store: StoreDep, article_id: Annotated[str, Path(max_length=MAX_TEXT)]) -> Response:
    """The stored analysis: article text and every record with its character offsets (docs/schema.md)."""
    return Response(queries.analysis_json(store, article_id), media_type="application/json")


@router.get("/search", summary="Full-text search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)],
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Ranked hits over titles, texts and claim contents (words, "phrases", OR, -word)."""
    if len(q.split()) > MAX_TERMS:
        raise QueryTooCostlyError(
            f"{len(q.split())} search terms, at most {MAX_TERMS}",
            where="q",
            hint="search for fewer, more specific words",
        )
    return paged(store.search(q, limit=limit, cursor=cursor))


@router.get("/claims", summary="List claims (attributions)")
def list_claims(
    store: StoreDep,
    filters: ClaimFilterDep,
    dates: Dates,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Who said what, filtered by source type, source actor, certainty, outlet and publication date."""
    return paged(store.claims(**filters.store_kwargs(dates), limit=limit, cursor=cursor))


@router.get("/claims/facets", summary="Claim counts by source type, certainty and outlet")
def claim_facets(store: StoreDep, filters: ClaimFilterDep, dates: Dates) -> dict[str, dict[str, int]]:
    """Counts of the claims matching the same filters as /api/claims."""
    return store.claim_facets(**filters.store_kwargs(dates))


@router.get("/events", summary="List events")
def list_events(
    store: StoreDep,
    dates: Dates,
    type: Annotated[str | None, Query(max_length=40, description="PLOVER type, or STATEMENT")] = None,  # noqa: A002
    actor: ActorText = None,
    country: Annotated[str | None, Query(max_length=3, description="ISO 3166 alpha-3")] = None,
    article_id: Text = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Coded events, latest first; the date range keeps events whose date interval overlaps it."""
    return paged(
        store.events(
            type=type or None,
            actor=actor or None,
            country=country or None,
            since=dates.since,
            until=dates.until,
            article_id=article_id or None,
            limit=limit,
            cursor=cursor,
        )
    )


@router.get("/actors", summary="List actors")
def list_actors(
    store: StoreDep, name: Text = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> dict[str, Any]:
    """Actors grouped across articles, most widely reported first."""
    return paged(store.actors(name=name or None, limit=limit, cursor=cursor))


@router.get("/actors/{key:path}", summary="One actor across the corpus")
def get_actor(store: StoreDep, key: Annotated[str, Path(max_length=MAX_TEXT)]) -> dict[str, Any]:
    """Roles over time, what it said, events as source or target, and the outlets reporting on it."""
    profile = queries.actor_profile(store, key)
    if profile is None:
        raise NotFoundError(f"no actor with key {key!r}", where=key, hint="list keys with /api/actors")
    result: dict[str, Any] = _plain(profile)
    return result


def _json(data: dict[str, Any]) -> Response:
    """``data`` (plain JSON values) encoded once: for the long lists of the timeline and network,
    FastAPI's validation and re-encoding of the returned value cost as much as the query."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, media_type="application/json")


def _object(description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}
    }


@router.get(
    "/timeline",
    summary="Events and claims on the calendar",
    responses=_object('{"items": [...]}: kind, article_id, index, start, end, label, actor, target, text'),
)
def timeline(
    store: StoreDep,
    dates: Dates,
    actor: ActorText = None,
    limit: Annotated[int, Query(ge=1, le=MAX_TIMELINE)] = MAX_TIMELINE,
) -> Response:
    """Items with their date interval (``start``..``end``; equal for an exact day), earliest first."""
    items = store.timeline(actor=actor or None, since=dates.since, until=dates.until, limit=limit)
    return _json({"items": [item.to_dict() for item in items]})


@router.get(
    "/network",
    summary="Who acts on whom",
    responses=_object('{"edges": [...]}: source, source_name, target, target_name, weight, articles'),
)
def network(
    store: StoreDep, dates: Dates, limit: Annotated[int, Query(ge=1, le=MAX_EDGES)] = 200
) -> Response:
    """Source -> target actor edges weighted by their number of events, heaviest first."""
    edges = store.network(since=dates.since, until=dates.until, limit=limit)
    return _json({"edges": [edge.to_dict() for edge in edges]})


@router.get("/stats", summary="Row counts")
def stats(store: StoreDep) -> dict[str, int]:
    return store.stats()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value
