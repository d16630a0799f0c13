"""The web UI in Debian's Chromium (Playwright) against a uvicorn server on a free loopback port.

The database holds the hand-made corpus (overlapping records, uncertain dates, hostile text) and
examples/ analysed by the real pipeline. Every test checks the page logged no console error and ran
no injected script; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from conftest import EXAMPLES, ROOT
from newsledger.model import Analysis

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def examples_analysed(nlp: Language) -> list[Analysis]:
    """examples/ read by the real readers and analysed by the real pipeline."""
    from newsledger.analyze.pipeline import analyze_article
    from newsledger.ingest import read
    from newsledger.model import Article

    articles = [item for item in read(EXAMPLES) if isinstance(item, Article)]
    assert articles, "examples/ holds no readable article"
    return [analyze_article(nlp, article) for article in articles]


def _build_db(path: Path, analyses: list[Analysis]) -> str:
    from newsledger.store import Store

    with Store(path) as store:
        for analysis in analyses:
            store.save(analysis)
    return str(path)


@contextlib.contextmanager
def _serve(db: str) -> Iterator[str]:
    """The app over ``db`` under uvicorn in a thread; yields its base URL."""
    import uvicorn

    from newsledger.web.app import Settings, create_app

    app = create_app(Settings(db=db, allowed_hosts=("127.0.0.1",)))
    # Bound and listening before the thread starts: the browser's first request simply waits in
    # the backlog until uvicorn accepts it, so no start-up polling is needed.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.store.close()


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite ledger with the hand-made web corpus."""
    from web_corpus import hand_made

    return _build_db(tmp_path_factory.mktemp("web") / "ledger.db", hand_made())


@pytest.fixture(scope="session")
def server(web_db: str) -> Iterator[str]:
    with _serve(web_db) as url:
        yield url


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory, examples_analysed: list[Analysis]) -> str:
    """A SQLite ledger with examples/ analysed by the real pipeline."""
    return _build_db(tmp_path_factory.mktemp("web-examples") / "ledger.db", examples_analysed)


@pytest.fixture(scope="session")
def examples_server(examples_db: str) -> Iterator[str]:
    with _serve(examples_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium with a fresh user-data dir."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@dataclasses.dataclass
class Tab:
    """A page plus what it reported: console errors, uncaught exceptions, dialogs (alert() etc.)."""

    page: Any
    base: str
    errors: list[str] = dataclasses.field(default_factory=list)
    dialogs: list[str] = dataclasses.field(default_factory=list)

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None, path
        assert response.ok, f"{path}: HTTP {response.status}"
        return response

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a screenshot under test-artifacts/."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.page.evaluate("() => window.__xss === undefined"), "injected script ran"


@pytest.fixture
def tab(browser_context: Any, server: str) -> Iterator[Tab]:
    page = browser_context.new_page()
    result = Tab(page=page, base=server)
    page.on("console", lambda msg: msg.type == "error" and result.errors.append(msg.text))
    page.on("pageerror", lambda exc: result.errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        result.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield result
    page.close()


pytestmark = pytest.mark.browser

#: Every page, with a name for its screenshot.
PAGES = [
    ("articles", "/articles"),
    ("article", "/articles/summit-1"),
    ("claims", "/claims"),
    ("timeline", "/timeline"),
    ("actors", "/actors"),
    ("actor", "/actors/Q7747"),
    ("network", "/network"),
    ("search", "/search?q=Putin"),
]

#: Pages showing the hostile article's fields.
HOSTILE_PAGES = [
    "/articles/hostile-3",
    "/articles?outlet=%3Cb",
    "/claims?article_id=hostile-3",
    "/claims",
    "/timeline",
    "/actors",
    "/network",
    "/search?q=plan",
    "/actors/name%3A%3Csvg%20onload%3D%22window.__xss%3D'actor'%22%3Emallory",
]

COLLECT_MARKS = """() => {
  const marks = {};
  document.querySelectorAll('#article-text .hl').forEach((el) => {
    for (const id of el.dataset.marks.split(' ')) {
      (marks[id] = marks[id] || []).push([Number(el.dataset.start), Number(el.dataset.end), el.textContent]);
    }
  });
  return marks;
}"""


def expected_marks(analysis: Analysis) -> dict[str, tuple[int, int]]:
    """The page's mark ids (its documented contract) and the stored offsets each must cover."""
    marks: dict[str, tuple[int, int]] = {}
    for i, a in enumerate(analysis.attributions):
        marks[f"c{i}"] = (a.content.start, a.content.end)
        marks[f"q{i}"] = (a.cue.start, a.cue.end)
        if a.source:
            marks[f"s{i}"] = (a.source.start, a.source.end)
    for t in analysis.times:
        marks[f"t-{t.id}"] = (t.span.start, t.span.end)
    for actor in analysis.actors:
        for j, m in enumerate(actor.mentions):
            marks[f"a-{actor.id}-{j}"] = (m.start, m.end)
    for k, e in enumerate(analysis.events):
        marks[f"e{k}"] = (e.trigger.start, e.trigger.end)
    return {key: span for key, span in marks.items() if span[0] < span[1]}


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_web_page_loads_without_console_errors(tab: Tab, name: str, path: str) -> None:
    """Each page loads, shows its heading and logs no console error (CSP violations included)."""
    tab.open(path)
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("main h1").count() == 1
    tab.shot(f"page-{name}")
    tab.assert_clean()


def _stored(web_db: str, article_id: str) -> Analysis:
    from newsledger.store import Store

    with Store(web_db) as store:
        return store.get(article_id)


def _check_highlights(tab: Tab, analysis: Analysis) -> int:
    tab.open(f"/articles/{analysis.article.id}")
    text = analysis.article.text
    assert tab.page.locator("#article-text").text_content() == text
    rendered = tab.page.evaluate(COLLECT_MARKS)
    expected = expected_marks(analysis)
    assert set(rendered) == set(expected)
    for key, (start, end) in expected.items():
        pieces = rendered[key]
        assert (pieces[0][0], pieces[-1][1]) == (start, end), key
        assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces)), f"{key} has a gap"
        assert "".join(p[2] for p in pieces) == text[start:end], key
    tab.assert_clean()
    return len(expected)


@pytest.mark.parametrize("article_id", ["summit-1", "hostile-3"])
def test_web_article_highlights_match_stored_offsets(tab: Tab, web_db: str, article_id: str) -> None:
    """Every source, cue, content, time, actor mention and event trigger covers exactly its stored offsets."""
    assert _check_highlights(tab, _stored(web_db, article_id)) >= 10


def test_web_article_highlights_match_offsets_of_analysed_examples(
    tab: Tab, examples_server: str, examples_db: str, examples_analysed: list[Analysis]
) -> None:
    """The same on examples/ analysed by the real pipeline and read back from the store."""
    tab.base = examples_server
    checked = sum(_check_highlights(tab, _stored(examples_db, a.article.id)) for a in examples_analysed)
    assert checked > len(examples_analysed)
    tab.shot("article-real-example")
    tab.shot("article-real-example-viewport", full_page=False)  # the README's picture


def test_web_article_click_source_shows_its_claims_across_the_corpus(tab: Tab) -> None:
    """Clicking a source selects its claim; its link lists that source's claims in every article."""
    tab.open("/articles/accuse-2")
    tab.page.locator('#article-text [data-marks~="s0"]').first.click()
    assert "selected" in (tab.page.locator("#claim-0").get_attribute("class") or "")
    assert tab.page.locator("#article-text .hl.active").count() >= 3  # source, cue, content pieces
    tab.page.locator("#claim-0 a.source-claims").click()
    tab.page.wait_for_url("**/claims?actor=Kremlin")
    assert tab.page.locator("#claims tbody tr").count() >= 1
    tab.assert_clean()


def test_web_claims_filters_change_results(tab: Tab) -> None:
    """Choosing a source type narrows the table and the facet counts to it."""
    tab.open("/claims")
    everything = tab.page.locator("#claims tbody tr").count()
    tab.page.select_option("select[name=source_type]", "anonymous_group")
    tab.page.locator("#claim-filters button[type=submit]").click()
    tab.page.wait_for_url("**source_type=anonymous_group**")
    cells = tab.page.locator("#claims td.source-type").all_text_contents()
    assert 0 < len(cells) < everything
    assert set(cells) == {"anonymous_group"}
    assert tab.page.locator("[data-facet=source_type] a[data-value]").count() == 1
    assert "100%" in (tab.page.locator("#claim-summary").text_content() or "")
    tab.shot("claims-filtered")
    tab.assert_clean()


def test_web_claims_outlet_filter_gives_anonymous_share(tab: Tab) -> None:
    """Filtering by outlet shows how much of its reporting rests on anonymous sources."""
    tab.open("/claims?outlet=Test+Wire")
    summary = tab.page.locator("#claim-summary").text_content() or ""
    assert "3 claims match" in " ".join(summary.split())
    assert "67%" in summary  # two of the three claims rest on anonymous sources
    tab.assert_clean()


def test_web_timeline_draws_intervals_and_filters_by_actor(tab: Tab) -> None:
    """Uncertain dates are bars, exact days dots; an actor filter keeps only its items."""
    tab.open("/timeline")
    assert tab.page.locator("#timeline rect.interval").count() >= 3
    assert tab.page.locator("#timeline circle.point").count() >= 1
    everything = tab.page.locator("#timeline a.item").count()
    tab.page.fill("#timeline-filters input[name=actor]", "Xi Jinping")
    tab.page.locator("#timeline-filters button[type=submit]").click()
    tab.page.wait_for_url("**actor=Xi+Jinping**")
    assert 0 < tab.page.locator("#timeline a.item").count() < everything
    tab.assert_clean()


def test_web_network_renders_nodes_and_edges(tab: Tab) -> None:
    """The force layout draws one circle per actor and one line per edge."""
    tab.open("/network")
    svg = tab.page.locator("svg#network[data-rendered]")
    svg.wait_for()
    nodes = int(svg.get_attribute("data-rendered") or 0)
    assert nodes >= 3
    assert tab.page.locator("svg#network circle.node").count() == nodes
    assert tab.page.locator("svg#network line.edge").count() == tab.page.locator("#edges tbody tr").count()
    tab.open("/network?since=2023-01-25&until=2023-02-28")
    assert tab.page.locator("svg#network line.edge").count() == 1  # only Putin accusing NATO
    tab.assert_clean()


def test_web_search_box_finds_text(tab: Tab) -> None:
    """The header search box searches the full text and marks the matched words."""
    tab.open("/articles")
    tab.page.fill("header input[name=q]", "expansion")
    tab.page.locator("header form button").click()
    tab.page.wait_for_url("**/search?q=expansion")
    assert tab.page.locator("#hits li.hit").count() >= 1
    assert tab.page.locator("#hits .hl-match").count() >= 1
    tab.assert_clean()


def test_web_actor_page_shows_roles_over_time(tab: Tab) -> None:
    """An actor's page lists each role with the dates it was given, and its events."""
    tab.open("/actors/Q7747")
    roles = tab.page.locator("#roles tbody tr td:first-child").all_text_contents()
    assert roles == ["President of Russia", "President of the Russian Federation"]
    assert tab.page.locator("#did tbody tr").count() == 2
    assert tab.page.locator("#reporters tbody tr").count() == 2
    tab.assert_clean()


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_web_hostile_article_runs_no_script(tab: Tab, path: str) -> None:
    """Script tags, handler attributes and javascript: URLs from an article stay inert text."""
    tab.open(path)
    tab.page.mouse.move(10, 10)
    for link in tab.page.locator("a[href]").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    tab.assert_clean()


def test_web_hostile_article_shows_its_text_literally(tab: Tab) -> None:
    """The hostile title, outlet, url and body are displayed as the characters they are."""
    from web_corpus import XSS_BODY, XSS_OUTLET, XSS_TITLE, XSS_URL

    tab.open("/articles/hostile-3")
    assert tab.page.locator("#article-title").text_content() == XSS_TITLE
    assert tab.page.locator("#article-text").text_content() == XSS_BODY
    meta = tab.page.locator("#article-meta").text_content() or ""
    assert XSS_OUTLET in meta
    assert tab.page.locator("#article-url").evaluate("el => el.tagName") == "SPAN"
    assert tab.page.locator("#article-url").text_content() == XSS_URL
    tab.page.locator('#article-text [data-marks~="s0"]').first.click()
    tab.shot("article-hostile")
    tab.assert_clean()
