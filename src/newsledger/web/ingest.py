"""Optional ingest through the API and a page: only mounted with ``--allow-ingest``, token-protected.

The token is compared in constant time; the text goes through the same ``make_article`` and
pipeline as ``newsledger ingest``, and the request body is already capped by :class:`BodyLimit`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from spacy.language import Language

from newsledger.analyze.pipeline import analyze_article, build_pipeline
from newsledger.ingest.base import make_article
from newsledger.model import Analysis
from newsledger.store import Store
from newsledger.web.errors import BadRequestError, UnauthorizedError
from newsledger.web.pages import quote, render

MAX_TEXT_CHARS = 200_000

router = APIRouter(prefix="/api", tags=["ingest"])
page_router = APIRouter(include_in_schema=False)


class ArticleIn(BaseModel):
    """An article to analyse and store."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    title: str | None = Field(default=None, max_length=1000)
    published: dt.date | None = None
    outlet: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)


class Analyzer:
    """Builds the pipeline on first use (it takes seconds) and serialises access to it."""

    def __init__(self, model: str | None = None, *, nlp: Language | None = None) -> None:
        self.model = model
        self._nlp = nlp
        self._lock = threading.Lock()

    def __call__(self, data: ArticleIn) -> Analysis:
        if not data.text.strip():
            raise BadRequestError("the article text is empty", where="text", hint="paste the article's text")
        article = make_article(
            data.text,
            title=data.title,
            published=data.published,
            outlet=data.outlet,
            url=data.url,
            origin="web",
        )
        with self._lock:
            if self._nlp is None:
                self._nlp = build_pipeline(self.model)
            return analyze_article(self._nlp, article)


def check_token(request: Request, given: str | None) -> None:
    """Raise unless ``given`` is the token the server was started with."""
    expected: str = request.app.state.settings.token
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise UnauthorizedError(
            "missing or wrong ingest token",
            where="authorization",
            hint="send 'Authorization: Bearer TOKEN' with the token printed at start",
        )


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    scheme, _, value = (authorization or "").partition(" ")
    check_token(request, value if scheme.lower() == "bearer" else None)


def ingest(request: Request, data: ArticleIn) -> tuple[Analysis, bool]:
    """Analyse and store ``data``; returns the analysis and whether it was new or changed."""
    analyzer: Analyzer = request.app.state.analyzer
    store: Store = request.app.state.store
    analysis = analyzer(data)
    return analysis, store.save(analysis)


@router.post(
    "/articles",
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Analyse and store an article (only with --allow-ingest)",
)
def post_article(request: Request, data: ArticleIn) -> dict[str, Any]:
    analysis, saved = ingest(request, data)
    return {
        "id": analysis.article.id,
        "saved": saved,
        "attributions": len(analysis.attributions),
        "events": len(analysis.events),
        "url": f"/articles/{analysis.article.id}",
    }


@page_router.get("/ingest")
def ingest_form(request: Request) -> HTMLResponse:
    return render(request, "ingest.html", title="Add article", max_chars=MAX_TEXT_CHARS)


@page_router.post("/ingest")
async def ingest_submit(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    text: Annotated[str, Form(max_length=MAX_TEXT_CHARS)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    outlet: Annotated[str, Form(max_length=200)] = "",
    published: Annotated[str, Form(max_length=10)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    file: UploadFile | None = None,
) -> RedirectResponse:
    """The form posts here; a file, when given, replaces the pasted text."""
    check_token(request, token)
    if file is not None and file.filename:
        raw = await file.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequestError(
                "the uploaded file is not UTF-8 text",
                where=file.filename,
                hint="upload a .txt file saved as UTF-8",
            ) from None
    try:
        data = ArticleIn(
            text=text,
            title=title or None,
            outlet=outlet or None,
            published=dt.date.fromisoformat(published) if published else None,
            url=url or None,
        )
    except ValueError as exc:
        raise BadRequestError(
            f"invalid article: {str(exc).splitlines()[0]}",
            where="form",
            hint=f"paste 1 to {MAX_TEXT_CHARS} characters; dates as YYYY-MM-DD",
        ) from None
    analysis, _ = await run_in_threadpool(ingest, request, data)
    return RedirectResponse(f"/articles/{quote(analysis.article.id)}", status_code=303)
