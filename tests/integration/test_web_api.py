"""The JSON API over a real SQLite ledger of hand-made analyses: filters, cursors, errors, ingest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from e2e.web_corpus import hand_made
from newsledger.store import Store
from newsledger.web.app import Settings, create_app
from newsledger.web.ingest import Analyzer

TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("web-api") / "ledger.db"
    with Store(path) as store:
        for analysis in hand_made():
            store.save(analysis)
    return str(path)


@pytest.fixture(scope="module")
def client(ledger: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=ledger))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.store.close()


def _all(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged endpoint, one per page, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = client.get(path, params={**params, "limit": 1, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= 1
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


@pytest.mark.parametrize("path", ["/api/articles", "/api/claims", "/api/events", "/api/actors"])
def test_web_api_cursor_pages_cover_every_row_once(client: TestClient, path: str) -> None:
    """Walking one-row pages yields exactly the rows of one big page, in the same order."""
    whole = client.get(path, params={"limit": 100}).json()
    assert whole["next_cursor"] is None
    assert _all(client, path) == whole["items"]
    assert len(whole["items"]) >= 3


@pytest.mark.parametrize(
    ("path", "params", "field", "expected"),
    [
        ("/api/claims", {"source_type": "anonymous_group"}, "source_type", {"anonymous_group"}),
        ("/api/claims", {"certainty": "hedged"}, "certainty", {"hedged"}),
        ("/api/claims", {"outlet": "Other Daily"}, "outlet", {"Other Daily"}),
        ("/api/claims", {"actor": "Kremlin"}, "source", {"the Kremlin", "a Kremlin statement"}),
        ("/api/claims", {"since": "2023-01-15", "until": "2023-01-31"}, "article_id", {"hostile-3"}),
        ("/api/events", {"type": "ACCUSE"}, "type", {"ACCUSE"}),
        ("/api/events", {"actor": "Puti"}, "article_id", {"summit-1", "accuse-2"}),  # start of a word
        ("/api/events", {"actor": "xi"}, "article_id", {"summit-1"}),  # short: a whole word
        ("/api/events", {"actor": "q7184"}, "article_id", {"summit-1", "accuse-2"}),  # NATO's KB id
        ("/api/events", {"since": "2023-01-25", "until": "2023-02-28"}, "article_id", {"accuse-2"}),
        ("/api/articles", {"outlet": "Test Wire"}, "id", {"summit-1"}),
        ("/api/articles", {"q": "expansion"}, "id", {"accuse-2"}),
        ("/api/articles", {"since": "2023-01-15"}, "id", {"accuse-2", "hostile-3"}),
    ],
)
def test_web_api_filters_narrow_results(
    client: TestClient, path: str, params: dict[str, str], field: str, expected: set[str]
) -> None:
    """Each filter keeps exactly the matching rows."""
    response = client.get(path, params={**params, "limit": 100})
    assert response.status_code == 200, response.text
    assert {item[field] for item in response.json()["items"]} == expected


def test_web_api_article_detail_is_the_stored_analysis(client: TestClient, ledger: str) -> None:
    """The detail endpoint returns every record with its offsets, as stored."""
    with Store(ledger) as store:
        stored = store.get("summit-1")
    body = client.get("/api/articles/summit-1").json()
    assert body == stored.to_dict()
    text = body["article"]["text"]
    for claim in body["attributions"]:
        assert text[claim["content"]["start"] : claim["content"]["end"]] == claim["content"]["text"]


def test_web_api_claim_facets_count_by_source_type(client: TestClient) -> None:
    """Facets count the claims matching the filters, by source type, certainty and outlet."""
    facets = client.get("/api/claims/facets", params={"outlet": "Test Wire"}).json()
    assert facets["source_type"] == {"anonymous_group": 1, "anonymous_individual": 1, "document": 1}
    assert facets["outlet"] == {"Test Wire": 3}


def test_web_api_actor_has_roles_over_time(client: TestClient) -> None:
    """An actor's roles come with the first and last dates they were reported."""
    body = client.get("/api/actors/Q7747").json()
    assert [(r["role"], r["first"]) for r in body["roles"]] == [
        ("President of Russia", "2023-01-10"),
        ("President of the Russian Federation", "2023-02-01"),
    ]
    assert {e["role"] for e in body["did"]} == {"source", "target"}
    assert {r["outlet"] for r in body["reporters"]} == {"Test Wire", "Other Daily"}


def test_web_api_timeline_keeps_date_intervals(client: TestClient) -> None:
    """Timeline items carry the interval their date may denote; the actor filter narrows them."""
    items = client.get("/api/timeline").json()["items"]
    spans = {(i["kind"], i["article_id"], i["index"]): (i["start"], i["end"]) for i in items}
    assert spans[("event", "summit-1", 0)] == ("2023-03-01", "2023-03-31")
    assert spans[("claim", "summit-1", 2)] == ("2022-01-01", "2022-12-31")
    narrowed = client.get("/api/timeline", params={"actor": "Xi Jinping"}).json()["items"]
    assert 0 < len(narrowed) < len(items)


def test_web_api_network_weights_edges_by_events(client: TestClient) -> None:
    """Edges join actor keys with their event counts; a date range narrows them."""
    edges = client.get("/api/network").json()["edges"]
    assert {(e["source"], e["target"], e["weight"]) for e in edges} >= {("Q7747", "Q7184", 1)}
    narrowed = client.get("/api/network", params={"since": "2023-01-25", "until": "2023-02-28"}).json()
    assert [(e["source"], e["target"]) for e in narrowed["edges"]] == [("Q7747", "Q7184")]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/articles/no-such-article", 404, "NL305"),
        ("/api/actors/no-such-actor", 404, "NL502"),
        ("/api/no-such-endpoint", 404, "NL502"),
        ("/api/claims?limit=0", 422, "NL501"),
        ("/api/claims?limit=101", 422, "NL501"),
        ("/api/claims?since=2023-02-01&until=2023-01-01", 422, "NL501"),
        ("/api/claims?since=yesterday", 422, "NL501"),
        ("/api/claims?source_type=gossip", 422, "NL501"),
        ("/api/claims?cursor=bm90LWEtY3Vyc29y", 422, "NL501"),
        ("/api/events?cursor=%00%ff", 422, "NL501"),
        ("/api/articles?q=" + "x" * 201, 422, "NL501"),
        ("/api/search?q=" + "+".join(["word"] * 17), 422, "NL506"),
        ("/api/timeline?limit=501", 422, "NL501"),
    ],
)
def test_web_api_errors_have_one_shape(client: TestClient, path: str, status: int, code: str) -> None:
    """Client mistakes get a 4xx with {"error": {code, message, where, hint}}, never a 500."""
    response = client.get(path)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message", "where", "hint"}
    assert error["message"]


def test_web_api_cursor_of_another_query_is_refused(client: TestClient) -> None:
    """A claims cursor is not accepted by the events endpoint."""
    cursor = client.get("/api/claims", params={"limit": 1}).json()["next_cursor"]
    response = client.get("/api/events", params={"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["error"]["where"] == "cursor"


def test_web_api_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    """The OpenAPI document is served (its CDN-backed viewers are not)."""
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/claims",
        "/api/claims/facets",
        "/api/events",
        "/api/actors",
        "/api/actors/{key}",
        "/api/timeline",
        "/api/network",
        "/api/search",
    } <= set(paths)
    assert client.get("/docs").status_code == 404


def test_web_api_is_read_only_by_default(client: TestClient) -> None:
    """Without --allow-ingest there is no way to write: no POST route, no ingest page."""
    assert client.post("/api/articles", json={"text": "Hello."}).status_code == 405
    assert client.get("/ingest").status_code == 404


@pytest.fixture(scope="module")
def ingest_client(ledger: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = Path(tmp_path_factory.mktemp("web-ingest")) / "ledger.db"
    path.write_bytes(Path(ledger).read_bytes())
    app = create_app(Settings(db=str(path), allow_ingest=True, token=TOKEN, max_body=20_000))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.store.close()


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_web_ingest_refuses_a_missing_or_wrong_token(ingest_client: TestClient, header: str | None) -> None:
    """Ingest needs 'Authorization: Bearer TOKEN' with the token given at start."""
    headers = {"Authorization": header} if header else {}
    response = ingest_client.post(
        "/api/articles", json={"text": "Officials said it rained."}, headers=headers
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "NL504"


def test_web_ingest_refuses_a_body_over_the_limit(ingest_client: TestClient) -> None:
    """A body over --max-body is refused before it is read whole, with the error shape."""
    big = {"text": "word " * 10_000}
    response = ingest_client.post("/api/articles", json=big, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "NL503"


def test_web_ingest_refuses_a_streamed_body_over_the_limit(ingest_client: TestClient) -> None:
    """A chunked body without Content-Length is counted as it arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(50):
            yield b"x" * 1000
        yield b'"}'

    response = ingest_client.post(
        "/api/articles",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_web_ingest_with_token_analyses_and_stores(ingest_client: TestClient, nlp: Language) -> None:
    """With the token, a pasted article is analysed by the real pipeline and can be read back."""
    ingest_client.app.state.analyzer = Analyzer(nlp=nlp)  # type: ignore[attr-defined]
    text = "The minister said on Monday that the bridge would reopen in May."
    response = ingest_client.post(
        "/api/articles",
        json={"text": text, "title": "Bridge", "published": "2024-03-04", "outlet": "Local"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 201, response.text
    article_id = response.json()["id"]
    stored = ingest_client.get(f"/api/articles/{article_id}").json()
    assert stored["article"]["text"] == text
    assert stored["sentences"]


def test_web_ingest_form_needs_the_token(ingest_client: TestClient) -> None:
    """The upload/paste page is there with --allow-ingest, and its form checks the token too."""
    assert ingest_client.get("/ingest").status_code == 200
    response = ingest_client.post("/ingest", data={"token": "nope", "text": "Officials said it rained."})
    assert response.status_code == 401
    assert "NL504" in response.text


def test_web_ingest_form_takes_an_uploaded_file(ingest_client: TestClient, nlp: Language) -> None:
    """With the token, an uploaded text file is analysed, stored, and its page shown."""
    ingest_client.app.state.analyzer = Analyzer(nlp=nlp)  # type: ignore[attr-defined]
    text = "The mayor said on Friday that the library would close for repairs."
    response = ingest_client.post(
        "/ingest",
        data={"token": TOKEN, "title": "Library", "published": "2024-05-03"},
        files={"file": ("library.txt", text.encode(), "text/plain")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = ingest_client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Library" in page.text
