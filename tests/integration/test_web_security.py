"""Web protections: escaping of hostile articles, CSP and other headers, static path traversal,
CORS, Host checking."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from e2e.web_corpus import XSS_ACTOR, XSS_BODY, XSS_OUTLET, XSS_TITLE, hand_made
from newsledger.store import Store
from newsledger.web.app import Settings, create_app
from newsledger.web.security import CONTENT_SECURITY_POLICY

PAGES = [
    "/articles",
    "/articles/hostile-3",
    "/claims",
    "/claims?article_id=hostile-3",
    "/timeline",
    "/actors",
    "/network",
    "/search?q=plan",
    "/actors/name%3A" + XSS_ACTOR.casefold().replace(" ", "%20"),
]

#: Markup that only appears if some field went out unescaped.
RAW_PAYLOADS = [
    "<script>window",
    "<img src=x",
    "<svg onload",
    "<b onmouseover",
    "</span><script>",
    "<i onclick",
]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=\"/static/)(?![^>]*type=\"application/json\")", re.I)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("web-security") / "ledger.db"
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


@pytest.mark.parametrize("path", PAGES)
def test_web_pages_escape_hostile_article_text(client: TestClient, path: str) -> None:
    """Script tags and handler attributes from titles, bodies, outlets and names come out as text."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    html = response.text
    for payload in RAW_PAYLOADS:
        assert payload not in html, payload
    assert not re.search(r"""href=["']?\s*javascript:""", html, re.I)
    assert not INLINE_SCRIPT.search(html)


def test_web_article_page_shows_hostile_fields_escaped(client: TestClient) -> None:
    """The hostile title, outlet and body are present, entity-escaped; the javascript: URL is no link."""
    html = client.get("/articles/hostile-3").text
    assert "&lt;script&gt;window.__xss=&#39;title&#39;&lt;/script&gt;" in html
    assert XSS_TITLE not in html
    assert XSS_OUTLET not in html
    assert XSS_BODY not in html
    assert 'id="article-url">javascript:' in html


def test_web_network_data_cannot_close_its_script_block(client: TestClient) -> None:
    """Names embedded as JSON for the network script have < and > escaped."""
    html = client.get("/network").text
    block = html.split('id="network-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert "\\u003csvg onload" in block


@pytest.mark.parametrize("path", ["/articles", "/api/claims", "/static/app.css", "/api/nothing", "/nothing"])
def test_web_responses_carry_security_headers(client: TestClient, path: str) -> None:
    """Every response, errors and static files included, has the strict CSP and nosniff."""
    response = client.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/static/....//app.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/..\\app.py",
    ],
)
def test_web_static_files_refuse_path_traversal(client: TestClient, path: str) -> None:
    """Nothing outside web/static is served, however the path is spelled."""
    response = client.get(path)
    assert response.status_code in (400, 404), path
    assert "create_app" not in response.text
    assert "root:" not in response.text


def test_web_cors_is_off_by_default(client: TestClient) -> None:
    """No Access-Control headers unless origins were given at start."""
    response = client.get("/api/articles", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_web_cors_allows_only_the_given_origins(ledger: str) -> None:
    """With --cors-origin, that origin (only) may read the API from a browser."""
    app = create_app(Settings(db=ledger, cors_origins=("http://ok.example",)))
    with TestClient(app) as client:
        allowed = client.get("/api/articles", headers={"Origin": "http://ok.example"})
        refused = client.get("/api/articles", headers={"Origin": "http://evil.example"})
    app.state.store.close()
    assert allowed.headers["access-control-allow-origin"] == "http://ok.example"
    assert "access-control-allow-origin" not in refused.headers


def test_web_host_header_is_checked_on_loopback(ledger: str) -> None:
    """A loopback server answers only to loopback Host names (DNS rebinding guard)."""
    from newsledger.web.server import settings_for

    app = create_app(settings_for(db=ledger, host="127.0.0.1"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/stats").status_code == 200
        assert client.get("/api/stats", headers={"Host": "attacker.example"}).status_code == 400
    app.state.store.close()


def test_web_serve_generates_a_token_for_ingest(ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--allow-ingest without --token gets a random token, printed once for the user."""
    from newsledger.web.server import settings_for

    settings = settings_for(db=ledger, allow_ingest=True)
    assert settings.token
    assert len(settings.token) >= 24
    assert settings.token in capsys.readouterr().err
