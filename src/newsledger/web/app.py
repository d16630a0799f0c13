"""The FastAPI application: JSON API, server-rendered pages, vendored static files, protections.

``create_app(Settings(db=...))`` is all a server (``newsledger serve``) or a test needs. Read-only
unless ``allow_ingest``; CORS off unless origins are given; a strict CSP on every response.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsledger import __version__
from newsledger.errors import NewsledgerError, WebError
from newsledger.store import Store
from newsledger.web import api, pages
from newsledger.web.errors import BadRequestError, NotFoundError, as_client_error, error_body, status_of
from newsledger.web.security import DEFAULT_MAX_BODY, BodyLimit, SecurityHeaders

STATIC = Path(__file__).resolve().parent / "static"

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """How the server runs; the defaults are the safe ones."""

    db: str
    allow_ingest: bool = False
    token: str | None = None  # required when allow_ingest
    max_body: int = DEFAULT_MAX_BODY
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()  # Host headers accepted (DNS-rebinding guard); empty: any
    model: str | None = None  # spaCy model for ingest


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Extension:
    """A feature's pages and API plugged into the app, with its navigation links.

    This is where cross-article views (stories, mutations: ``newsledger.link``) attach once they
    exist: ``create_app(settings, extensions=[Extension(router=..., nav=(("Stories", "/stories"),))])``.
    """

    router: APIRouter
    nav: tuple[tuple[str, str], ...] = ()


def create_app(
    settings: Settings, *, store: Store | None = None, extensions: Sequence[Extension] = ()
) -> FastAPI:
    """The application over ``settings.db`` (or an already open ``store``)."""
    if settings.allow_ingest and not settings.token:
        raise BadRequestError(
            "ingest needs a token", where="token", hint="pass --token or let newsledger serve generate one"
        )
    app = FastAPI(
        title="newsledger",
        version=__version__,
        description="Claims, events, actors and times extracted from news, with character offsets.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the Swagger/ReDoc pages load their assets from CDNs: the JSON is served instead
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store or Store(settings.db, create=False)
    nav = list(pages.NAV)
    app.include_router(api.router)
    if settings.allow_ingest:
        from newsledger.web import ingest

        app.state.analyzer = ingest.Analyzer(settings.model)
        app.include_router(ingest.router)
        app.include_router(ingest.page_router)
        nav.append(("Add article", "/ingest"))
    for extension in extensions:
        app.include_router(extension.router)
        nav.extend(extension.nav)
    app.state.nav = tuple(nav)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
    _add_error_handlers(app)

    # Outermost last: the body limit and headers also wrap errors and static files.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET"], allow_headers=[]
        )
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _respond(request: Request, error: NewsledgerError, status: int) -> Response:
    if _wants_json(request):
        return JSONResponse(error_body(error), status_code=status)
    return pages.error_page(request, error, status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NewsledgerError)
    async def coded(request: Request, exc: NewsledgerError) -> Response:
        error = as_client_error(exc)
        return _respond(request, error, status_of(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = exc.errors()
        first = problems[0] if problems else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body"))
        message = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in problems[:5]
        )
        error = BadRequestError(
            message or "invalid request",
            where=where or None,
            hint="see /api/openapi.json for the parameters each endpoint takes",
        )
        return _respond(request, error, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            error: NewsledgerError = NotFoundError(
                f"nothing at {request.url.path}",
                where=request.url.path,
                hint="start from / or /api/openapi.json",
            )
        else:
            error = WebError(str(exc.detail), where=request.url.path)
        response = _respond(request, error, exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        error = WebError(
            "internal error", where=request.url.path, hint="the server log has the details; please report it"
        )
        return _respond(request, error, 500)
