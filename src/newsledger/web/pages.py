"""Server-rendered pages: Jinja2 templates with autoescaping, no inline script, small static JS.

Page handlers parse their own query strings (HTML forms send empty fields as ``""``) and reuse the
API's limits. Everything from an article goes through autoescaping or :mod:`highlight`, which escapes.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from newsledger.errors import NewsledgerError
from newsledger.model import Analysis, Certainty, SourceType
from newsledger.store import Store
from newsledger.web import api, highlight, queries, timeline
from newsledger.web.errors import BadRequestError, NotFoundError

TEMPLATES = Path(__file__).resolve().parent / "templates"

NAV: tuple[tuple[str, str], ...] = (
    ("Articles", "/articles"),
    ("Claims", "/claims"),
    ("Timeline", "/timeline"),
    ("Actors", "/actors"),
    ("Network", "/network"),
)

#: Source types whose claims rest on no named source: the "anonymous share" of a selection.
ANONYMOUS = (SourceType.ANONYMOUS_INDIVIDUAL.value, SourceType.ANONYMOUS_GROUP.value)

E = TypeVar("E", bound=StrEnum)

router = APIRouter(include_in_schema=False)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) link; articles are hostile, so never javascript:/data: etc."""
    if not url:
        return None
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        return url.strip()
    return None


def link(path: str, params: Mapping[str, Any] | None = None, **more: Any) -> str:
    """``path`` with the non-empty parameters as a query string."""
    merged = {**(params or {}), **more}
    query = urllib.parse.urlencode({k: str(v) for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def quote(value: str) -> str:
    """A path segment: ids and actor keys can hold ``/``, spaces and ``:``."""
    return urllib.parse.quote(value, safe="")


env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals.update(link=link, safe_url=safe_url, quote=quote)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = env.get_template(name)
    html = template.render(nav=request.app.state.nav, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, error: NewsledgerError, status: int) -> HTMLResponse:
    return render(request, "error.html", status=status, error=error, status_code=status, title="Error")


# --- parsing of form fields -----------------------------------------------------------------------


def _text(request: Request, name: str, limit: int = api.MAX_TEXT) -> str | None:
    value = request.query_params.get(name, "").strip()
    if len(value) > limit:
        raise BadRequestError(f"{name} is longer than {limit} characters", where=name)
    return value or None


def _date(request: Request, name: str) -> dt.date | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequestError(f"{name}={value!r} is not a date", where=name, hint="use YYYY-MM-DD") from None


def _choice(request: Request, name: str, enum: type[E]) -> E | None:
    value = _text(request, name)
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise BadRequestError(f"{name}={value!r} is not one of {allowed}", where=name) from None


def _dates(request: Request) -> api.DateRange:
    return api.date_range(_date(request, "since"), _date(request, "until"))


def _store(request: Request) -> Store:
    return api.get_store(request)


# --- pages -----------------------------------------------------------------------------------------


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/articles", status_code=307)


@router.get("/articles")
def articles(request: Request) -> HTMLResponse:
    dates = _dates(request)
    outlet, q = _text(request, "outlet"), _text(request, "q")
    params = {"outlet": outlet, "q": q, "since": dates.since, "until": dates.until}
    page = _store(request).articles(
        outlet=outlet,
        since=dates.since,
        until=dates.until,
        query=q,
        limit=api.DEFAULT_LIMIT,
        cursor=_text(request, "cursor", api.MAX_CURSOR),
    )
    return render(
        request, "articles.html", title="Articles", page=page, params=params, stats=_store(request).stats()
    )


@router.get("/search")
def search(request: Request) -> HTMLResponse:
    q = _text(request, "q")
    if q:
        cursor = _text(request, "cursor", api.MAX_CURSOR)
        page = _store(request).search(q, limit=api.DEFAULT_LIMIT, cursor=cursor)
        hits = [(hit, highlight.render(hit.snippet, _matches(hit.highlights))) for hit in page.items]
        return render(request, "search.html", title=f"Search: {q}", q=q, hits=hits, page=page)
    return render(request, "search.html", title="Search", q="", hits=None, page=None)


def _matches(spans: tuple[tuple[int, int], ...]) -> list[highlight.Mark]:
    return [highlight.Mark(id=f"m{i}", kind="match", start=s, end=e) for i, (s, e) in enumerate(spans)]


@router.get("/articles/{article_id:path}")
def article(request: Request, article_id: str) -> HTMLResponse:
    store = _store(request)
    analysis = store.get(article_id)
    keys = queries.actor_keys(store, article_id)
    return render(
        request,
        "article.html",
        title=analysis.article.title or analysis.article.id,
        **article_context(analysis, keys),
    )


def article_context(analysis: Analysis, keys: Mapping[str, str]) -> dict[str, Any]:
    """What the article template needs: highlighted text and records, each with the mark ids it owns."""
    actors = {actor.id: actor for actor in analysis.actors}

    def who(actor_id: str | None, fallback: str | None) -> str | None:
        """The value the claims/events filters find this actor by: KB id, else name, else the text."""
        actor = actors.get(actor_id or "")
        if actor is not None:
            return actor.kb_id or actor.name
        return fallback

    claims = [
        {
            "index": i,
            "a": a,
            "marks": " ".join(f"{p}{i}" for p in ("c", "q", "s") if p != "s" or a.source),
            "source_filter": who(a.source_actor, a.source.text if a.source else None),
            "actor_key": keys.get(a.source_actor or ""),
        }
        for i, a in enumerate(analysis.attributions)
    ]
    events = [
        {
            "index": k,
            "e": e,
            "marks": f"e{k}",
            "source_key": keys.get(e.source.actor_id or "") if e.source else None,
            "target_key": keys.get(e.target.actor_id or "") if e.target else None,
        }
        for k, e in enumerate(analysis.events)
    ]
    actor_rows = [
        {"a": a, "key": keys.get(a.id), "marks": " ".join(f"a-{a.id}-{j}" for j in range(len(a.mentions)))}
        for a in analysis.actors
    ]
    times = [{"t": t, "marks": f"t-{t.id}"} for t in analysis.times]
    return {
        "analysis": analysis,
        "article": analysis.article,
        "text_html": highlight.render(analysis.article.text, highlight.marks_of(analysis)),
        "claims": claims,
        "events": events,
        "actors": actor_rows,
        "times": times,
    }


@router.get("/claims")
def claims(request: Request) -> HTMLResponse:
    dates = _dates(request)
    filters = api.ClaimFilters(
        source_type=_choice(request, "source_type", SourceType),
        actor=_text(request, "actor"),
        certainty=_choice(request, "certainty", Certainty),
        outlet=_text(request, "outlet"),
        article_id=_text(request, "article_id"),
    )
    kwargs = filters.store_kwargs(dates)
    store = _store(request)
    page = store.claims(**kwargs, limit=api.DEFAULT_LIMIT, cursor=_text(request, "cursor", api.MAX_CURSOR))
    facets = store.claim_facets(**kwargs)
    by_type = facets.get("source_type", {})
    total = sum(by_type.values())
    anonymous = sum(by_type.get(t, 0) for t in ANONYMOUS)
    params = {k: v for k, v in kwargs.items() if v is not None}
    return render(
        request,
        "claims.html",
        title="Claims",
        page=page,
        facets=facets,
        params=params,
        total=total,
        anonymous=anonymous,
        source_types=list(SourceType),
        certainties=list(Certainty),
    )


@router.get("/timeline")
def timeline_page(request: Request) -> HTMLResponse:
    dates = _dates(request)
    actor = _text(request, "actor")
    rows = _store(request).timeline(actor=actor, since=dates.since, until=dates.until, limit=api.MAX_TIMELINE)
    items = [
        timeline.Item(
            kind=row.kind,
            label=_timeline_label(row.kind, row.label, row.actor, row.target, row.text),
            start=row.start,
            end=row.end,
            href=f"/articles/{quote(row.article_id)}#{row.kind}-{row.index}",
            title=f"{row.start} – {row.end}{' (publication date)' * row.from_publication}: {row.text}",
            from_publication=row.from_publication,
        )
        for row in rows
    ]
    return render(
        request,
        "timeline.html",
        title="Timeline",
        layout=timeline.layout(items),
        params={"actor": actor, "since": dates.since, "until": dates.until},
        count=len(items),
    )


def _timeline_label(kind: str, label: str, actor: str | None, target: str | None, text: str) -> str:
    if kind == "claim":
        short = text if len(text) <= 45 else text[:44] + "…"
        return f"{actor or label}: {short}"
    return f"{actor or '?'} {label}{' → ' + target if target else ''}"


@router.get("/actors")
def actors(request: Request) -> HTMLResponse:
    name = _text(request, "name")
    cursor = _text(request, "cursor", api.MAX_CURSOR)
    page = _store(request).actors(name=name, limit=api.DEFAULT_LIMIT, cursor=cursor)
    return render(request, "actors.html", title="Actors", page=page, params={"name": name})


@router.get("/actors/{key:path}")
def actor(request: Request, key: str) -> HTMLResponse:
    profile = queries.actor_profile(_store(request), key)
    if profile is None:
        raise NotFoundError(f"no actor with key {key!r}", where=key, hint="find actors on /actors")
    return render(request, "actor.html", title=profile.name, actor=profile)


@router.get("/network")
def network(request: Request) -> HTMLResponse:
    dates = _dates(request)
    edges = _store(request).network(since=dates.since, until=dates.until, limit=200)
    weights: dict[str, int] = {}
    names: dict[str, str] = {}
    for edge in edges:
        for key, name in ((edge.source, edge.source_name), (edge.target, edge.target_name)):
            weights[key] = weights.get(key, 0) + edge.weight
            names[key] = name
    data = {
        "nodes": [
            {"id": k, "label": names[k], "weight": w, "href": f"/actors/{quote(k)}"}
            for k, w in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "edges": [{"source": e.source, "target": e.target, "weight": e.weight} for e in edges],
    }
    return render(
        request,
        "network.html",
        title="Network",
        data=data,
        edges=edges,
        params={"since": dates.since, "until": dates.until},
    )
