"""The store on real databases: a SQLite file and a throwaway PostgreSQL cluster (``db_url``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from factories import make_analysis, make_plain
from newsledger import errors
from newsledger.errors import Failure
from newsledger.model import Actor, ActorKind, Analysis, SourceType
from newsledger.store import MAX_LIMIT, Page, Store, names, paging


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store on a fresh database."""
    with Store(db_url) as opened:
        yield opened


def _all(fetch: Any, **kwargs: Any) -> list[Any]:
    """Every item of a paged query, following cursors."""
    items: list[Any] = []
    cursor = None
    while True:
        page = fetch(cursor=cursor, **kwargs)
        items.extend(page.items)
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor


def _corpus(store: Store) -> None:
    """Five articles over two outlets and five days."""
    for i in range(5):
        store.save(
            make_analysis(
                f"art-{i}",
                published=dt.date(2023, 1, 10 + i),
                outlet="Example Times" if i % 2 == 0 else "Daily Sample",
            )
        )


# --- save / get ----------------------------------------------------------------------------------


def test_store_round_trip_equals_original(store: Store) -> None:
    """get() returns exactly the saved analysis."""
    analysis = make_analysis()
    assert store.save(analysis) is True
    assert store.get(analysis.article.id) == analysis
    assert json.loads(store.get_json(analysis.article.id)) == analysis.to_dict()
    assert store.has_article(analysis.article.id)


def test_store_resave_unchanged_is_noop(store: Store) -> None:
    """Saving the same article and analyzer version again writes nothing and returns False."""
    analysis = make_analysis()
    store.save(analysis)
    before = store.stats()
    assert (
        store.save(dataclasses.replace(analysis, article=dataclasses.replace(analysis.article, origin="x")))
        is False
    )
    assert store.stats() == before
    assert store.is_current(analysis.article, analysis.analyzer_version)
    assert not store.is_current(analysis.article, "test-2")


@pytest.mark.parametrize(
    ("change", "replace"),
    [({"analyzer_version": "test-2"}, False), ({}, True), ({"title": "A new title"}, False)],
)
def test_store_save_replaces_records_atomically(store: Store, change: dict[str, Any], replace: bool) -> None:
    """A new analyzer version, replace=True or changed content replace the article's records."""
    store.save(make_analysis())
    before = store.stats()
    analysis = make_analysis(**change)
    assert store.save(analysis, replace=replace) is True
    assert store.get("art-1") == analysis
    assert store.stats() == before


def test_store_replace_updates_search(store: Store) -> None:
    """After a replacement, search finds the new text and no longer the old one."""
    store.save(make_plain("p1", "The harvest was poor this year."))
    store.save(make_plain("p1", "The vineyard flooded in spring.", analyzer_version="test-2"))
    assert [hit.article_id for hit in store.search("vineyard").items] == ["p1"]
    assert store.search("harvest").items == ()


def test_store_get_missing_raises_article_not_found(store: Store) -> None:
    """A missing id raises ArticleNotFound naming it."""
    with pytest.raises(errors.ArticleNotFound, match="nope"):
        store.get("nope")
    assert not store.has_article("nope")


def test_store_delete_removes_all_records(store: Store) -> None:
    """delete() removes the article and every child row."""
    store.save(make_analysis())
    assert store.delete("art-1") is True
    assert store.delete("art-1") is False
    assert set(store.stats().values()) == {0}
    assert store.search("Kremlin").items == ()


def test_store_export_and_ids_list_everything(store: Store) -> None:
    """export() and article_ids() stream every article in id order."""
    _corpus(store)
    assert list(store.article_ids()) == [f"art-{i}" for i in range(5)]
    assert [a.article.id for a in store.export()] == [f"art-{i}" for i in range(5)]


# --- transactions and failures -------------------------------------------------------------------


def _broken(article_id: str) -> Analysis:
    """An analysis whose actors repeat an id: the actors insert fails after the article row is written."""
    analysis = make_analysis(article_id)
    duplicate = Actor(id="A1", name="Someone", kind=ActorKind.PERSON)
    return dataclasses.replace(analysis, actors=(*analysis.actors, duplicate))


def test_store_failed_save_leaves_nothing(store: Store) -> None:
    """An error mid-save rolls the whole article back."""
    with pytest.raises(errors.StoreError, match="broken"):
        store.save(_broken("broken"))
    assert not store.has_article("broken")
    assert set(store.stats().values()) == {0}


def test_store_save_many_isolates_failing_article(store: Store) -> None:
    """One bad article in a batch is recorded as a failure; the others are stored."""
    good = [make_analysis(f"ok-{i}") for i in range(3)]
    report = store.save_many([good[0], _broken("bad"), good[1], good[2], good[0]])
    assert (report.saved, report.unchanged, report.failed) == (3, 1, 1)
    assert report.failures[0].article_id == "bad"
    assert list(store.article_ids()) == ["ok-0", "ok-1", "ok-2"]
    (failure,) = store.failures()
    assert (failure.article_id, failure.stage, failure.code) == ("bad", "store", "NL300")


def test_store_save_many_records_given_failures(store: Store) -> None:
    """Failures passed among the analyses (from analyze_many) are recorded in order."""
    failure = Failure(where="in.jsonl:3", stage="analyze", code="NL200", message="boom", article_id="x")
    report = store.save_many([make_analysis(), failure])
    assert (report.saved, report.failures) == (1, (failure,))
    assert store.failures() == [failure]


def test_store_record_failure_round_trips(store: Store) -> None:
    """Recorded failures come back oldest first with all their fields."""
    first = Failure(where="a.txt", stage="read", code="NL102", message="undecodable", hint="re-encode")
    second = Failure(where="b.html", stage="read", code="NL105", message="no body", article_id="b")
    store.record_failure(first)
    store.record_failure(second)
    assert store.failures() == [first, second]
    assert store.stats()["failures"] == 2


# --- articles and search -------------------------------------------------------------------------


def test_store_outlet_counts_count_articles(store: Store) -> None:
    """Articles per outlet, most first, articles without an outlet as "unknown"."""
    _corpus(store)
    store.save(make_analysis("no-outlet", outlet=None))
    assert store.outlet_counts() == {"Example Times": 3, "Daily Sample": 2, "unknown": 1}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["art-4", "art-3", "art-2", "art-1", "art-0"]),
        ({"outlet": "Daily Sample"}, ["art-3", "art-1"]),
        ({"since": dt.date(2023, 1, 11), "until": dt.date(2023, 1, 12)}, ["art-2", "art-1"]),
        ({"query": "grain exports"}, ["art-4", "art-3", "art-2", "art-1", "art-0"]),
        ({"query": "vineyard"}, []),
    ],
)
def test_store_articles_filters(store: Store, filters: dict[str, Any], expected: list[str]) -> None:
    """articles() filters by outlet, dates and full text, newest first."""
    _corpus(store)
    assert [row.id for row in store.articles(**filters).items] == expected


def test_store_articles_cursor_pages_through_all(store: Store) -> None:
    """Small pages cover every article once, undated ones last."""
    _corpus(store)
    store.save(make_analysis("undated", published=None))
    rows = _all(store.articles, limit=2)
    assert [row.id for row in rows] == ["art-4", "art-3", "art-2", "art-1", "art-0", "undated"]
    assert rows[0].n_attributions == 3
    assert rows[0].ingested_at.tzinfo is not None


def test_store_search_finds_articles_and_claims(store: Store) -> None:
    """search() returns article and claim hits with snippets, highlights and offsets."""
    analysis = make_analysis()
    store.save(analysis)
    store.save(make_plain("other", "Nothing relevant here."))
    hits = store.search("grain").items
    assert {hit.kind for hit in hits} == {"article", "claim"}
    text = analysis.article.text
    for hit in hits:
        assert hit.article_id == "art-1"
        assert [hit.snippet[s:e].lower() for s, e in hit.highlights] == ["grain"]
        assert hit.start is not None
        assert hit.end is not None
        assert "grain" in text[hit.start : hit.end]
    claim = next(hit for hit in hits if hit.kind == "claim")
    assert claim.claim_index == 2
    assert claim.snippet == analysis.attributions[2].content.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("welcomed plan", {("article", "art-1"), ("claim", "art-1")}),
        ('"talks on grain"', {("article", "art-1"), ("claim", "art-1")}),
        ("vineyard OR kremlin", {("article", "art-1")}),
        ("kremlin -grain", set()),
        ("stalls", {("article", "art-1"), ("claim", "art-1")}),  # stemmed
    ],
)
def test_store_search_query_language(store: Store, query: str, expected: set[tuple[str, str]]) -> None:
    """Words, phrases, OR, exclusion and stemming behave alike on both backends."""
    store.save(make_analysis())
    assert {(hit.kind, hit.article_id) for hit in store.search(query).items} == expected


@pytest.mark.parametrize(
    "query", ["", '"', "AND", "NEAR(", "*", "-", "a:b", "OR OR", "' ; DROP TABLE articles"]
)
def test_store_search_any_input_is_safe(store: Store, query: str) -> None:
    """Odd user input never raises a syntax error."""
    store.save(make_analysis())
    assert isinstance(store.search(query), Page)
    assert store.stats()["articles"] == 1


def test_store_search_cursor_pages_through_all(store: Store) -> None:
    """Search pages are disjoint and cover every hit, best first."""
    _corpus(store)
    everything = store.search("grain", limit=MAX_LIMIT).items
    paged = _all(store.search, query="grain", limit=3)
    assert len(everything) == 10
    assert [(h.kind, h.article_id) for h in paged] == [(h.kind, h.article_id) for h in everything]
    assert [h.rank for h in paged] == sorted((h.rank for h in paged), reverse=True)


# --- claims, events, actors, timeline, network ---------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [0, 1, 2]),
        ({"source_type": SourceType.ANONYMOUS_GROUP}, [0, 2]),
        ({"source_type": "named_organisation"}, [1]),
        ({"certainty": "hedged"}, [2]),
        ({"actor": "kremlin"}, [1]),  # resolved actor name, case-insensitive
        ({"actor": "two DIPLOMATS"}, [2]),  # source text
        ({"actor": "name:officials"}, [0]),  # actor key
        ({"actor": "100%_"}, []),  # LIKE wildcards are literal
        ({"outlet": "Example Times"}, [0, 1, 2]),
        ({"outlet": "Other"}, []),
        ({"since": dt.date(2023, 1, 11)}, []),
        ({"until": dt.date(2023, 1, 10)}, [0, 1, 2]),
        ({"article_id": "art-1"}, [0, 1, 2]),
    ],
)
def test_store_claims_filters(store: Store, filters: dict[str, Any], expected: list[int]) -> None:
    """claims() filters combine as documented."""
    store.save(make_analysis())
    assert [row.index for row in store.claims(**filters).items] == expected


def test_store_claims_rows_carry_resolved_fields(store: Store) -> None:
    """A claim row has offsets, the resolved actor, the conduits and a date interval."""
    analysis = make_analysis()
    store.save(analysis)
    first, second, third = store.claims().items
    text = analysis.article.text
    assert text[first.content_start : first.content_end] == first.content
    assert (first.date_start, first.date_end, first.date_from_publication) == (
        dt.date(2023, 3, 1),
        dt.date(2023, 3, 31),
        False,
    )
    assert (second.actor_name, second.date_start, second.date_from_publication) == (
        "Kremlin",
        dt.date(2023, 1, 10),
        True,
    )
    assert third.actor_name is None
    assert third.via[0]["actor_id"] == "A5"
    assert third.to_dict()["published"] == "2023-01-10"


def test_store_claims_cursor_pages_through_all(store: Store) -> None:
    """Claim pages follow newest article first, then article id and claim index."""
    _corpus(store)
    rows = _all(store.claims, limit=4)
    assert [(r.article_id, r.index) for r in rows] == [
        (f"art-{i}", j) for i in range(4, -1, -1) for j in range(3)
    ]


def test_store_claim_facets_count_matching_claims(store: Store) -> None:
    """Facets count claims by source type, outlet and certainty under the same filters."""
    _corpus(store)
    store.save(make_analysis("no-outlet", outlet=None))
    facets = store.claim_facets()
    assert facets["source_type"] == {"anonymous_group": 12, "named_organisation": 6}
    assert facets["outlet"] == {"Example Times": 9, "Daily Sample": 6, "unknown": 3}
    assert facets["certainty"] == {"asserted": 12, "hedged": 6}
    assert store.claim_facets(outlet="Daily Sample")["certainty"] == {"asserted": 4, "hedged": 2}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["CONSULT", "SUPPORT"]),  # March before the publication day, latest first
        ({"type": "support"}, ["SUPPORT"]),
        ({"actor": "putin"}, ["SUPPORT"]),
        ({"actor": "Q649"}, ["CONSULT"]),  # target's KB id
        ({"country": "chn"}, ["CONSULT"]),
        ({"country": "RUS"}, ["CONSULT", "SUPPORT"]),
        ({"since": dt.date(2023, 3, 15)}, ["CONSULT"]),  # interval overlap
        ({"until": dt.date(2023, 2, 1)}, ["SUPPORT"]),
        ({"article_id": "missing"}, []),
    ],
)
def test_store_events_filters(store: Store, filters: dict[str, Any], expected: list[str]) -> None:
    """events() filters by type, actor, country, date overlap and article."""
    store.save(make_analysis())
    assert [row.type for row in store.events(**filters).items] == expected


def test_store_events_rows_resolve_actors_and_dates(store: Store) -> None:
    """An event row has resolved sides, its interval and its sentence text."""
    store.save(make_analysis())
    consult, support = store.events().items
    assert consult.source is not None
    assert consult.target is not None
    assert (consult.source.name, consult.source.kb_id, consult.target.country) == (
        "Xi Jinping",
        "Q15031",
        "RUS",
    )
    assert (consult.date_start, consult.date_end) == (dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert consult.sentence is not None
    assert consult.sentence.startswith("Officials in Beijing")
    assert (support.date_start, support.date_from_publication) == (dt.date(2023, 1, 10), True)
    assert support.target is not None
    assert support.target.actor_id is None


def test_store_events_cursor_pages_through_all(store: Store) -> None:
    """Event pages cover every event once."""
    _corpus(store)
    rows = _all(store.events, limit=3)
    assert len(rows) == 10
    assert len({(r.article_id, r.index) for r in rows}) == 10


def test_store_actors_grouped_across_articles(store: Store) -> None:
    """Actors merge across articles by KB id, else by normalised name, most reported first."""
    _corpus(store)
    rows = _all(store.actors, limit=4)
    assert len(rows) == 6
    by_key = {row.key: row for row in rows}
    assert (by_key["Q7747"].articles, by_key["Q7747"].events) == (5, 5)
    assert (by_key["name:kremlin"].claims, by_key["name:kremlin"].mentions) == (5, 5)
    assert [row.key for row in store.actors(name="PUTIN").items] == ["Q7747"]


def test_store_timeline_orders_events_and_claims_by_date(store: Store) -> None:
    """The timeline lists events and claims earliest first, filtered by actor and dates."""
    store.save(make_analysis())
    items = store.timeline()
    assert [(i.kind, i.start) for i in items] == [
        ("claim", dt.date(2023, 1, 10)),
        ("claim", dt.date(2023, 1, 10)),
        ("event", dt.date(2023, 1, 10)),
        ("claim", dt.date(2023, 3, 1)),
        ("event", dt.date(2023, 3, 1)),
    ]
    assert [(i.kind, i.label) for i in store.timeline(actor="xi jinping")] == [("event", "CONSULT")]
    assert {i.kind for i in store.timeline(since=dt.date(2023, 2, 1))} == {"claim", "event"}
    assert len(store.timeline(limit=2)) == 2


def test_store_network_weights_actor_pairs(store: Store) -> None:
    """Edges join resolved or coded actors, weighted by events."""
    _corpus(store)
    edges = store.network()
    assert [(e.source, e.target, e.weight, e.articles) for e in edges] == [("Q15031", "Q649", 5, 5)]
    assert store.network(until=dt.date(2023, 1, 1)) == []


# --- actor filters through the name vocabulary, network edges (revision 0003) --------------------


def _actor_corpus(store: Store, n: int = 6) -> None:
    """Articles on n days where Xi (Q15031) is a source, a target and both (a self-loop), and the
    Moscow actor (Q649) is renamed "Kremlin Palace" so that "kremlin" names two keys."""
    for i in range(n):
        analysis = make_analysis(f"art-{i}", published=dt.date(2023, 1, 10 + i))
        consult, support = analysis.events
        assert consult.source is not None
        xi_side = consult.source
        events = (
            consult,
            dataclasses.replace(support, target=xi_side),
            dataclasses.replace(consult, type="MEET", cameo=None, target=xi_side, date=None),
        )
        actors = tuple(
            dataclasses.replace(a, name="Kremlin Palace") if a.id == "A6" else a for a in analysis.actors
        )
        store.save(dataclasses.replace(analysis, events=events, actors=actors))


def _keys(rows: list[Any]) -> list[tuple[str, int]]:
    return [(row.article_id, row.index) for row in rows]


@pytest.mark.parametrize(
    ("actor", "events", "claims"),
    [
        ("Putin", ["SUPPORT"], []),  # a word of the resolved name
        ("put", ["SUPPORT"], []),  # a last word of 3+ characters may be cut short
        ("VLADIMIR  put", ["SUPPORT"], []),  # consecutive words, case and spaces ignored
        ("putin vladimir", [], []),  # in order
        ("Xi", ["CONSULT"], []),  # short words are whole words
        ("x", [], []),
        ("jin", ["CONSULT"], []),
        ("q15031", ["CONSULT"], []),  # KB ids case-insensitively
        ("Q649", ["CONSULT"], []),  # the target side
        ("plan", ["SUPPORT"], []),  # an unresolved side: its text is its name
        ("officials", [], [0]),  # a resolved source: its actor's name...
        ("beijing", [], []),  # ...not its text ("Officials in Beijing")
        ("two dipl", [], [2]),  # an unresolved source's text
        ("name:two diplomats", [], [2]),  # an actor key
        ("the", ["SUPPORT"], []),  # "the plan"; not "Kremlin" from "the Kremlin" (resolved)
        ("   ", ["CONSULT", "SUPPORT"], [0, 1, 2]),  # blank: no filter
    ],
)
def test_store_actor_filter_matches_words_of_names_and_keys(
    store: Store, actor: str, events: list[str], claims: list[int]
) -> None:
    """actor= resolves through the vocabulary: keys and KB ids exactly, else whole words of a name."""
    store.save(make_analysis())
    assert [row.type for row in store.events(actor=actor).items] == events
    assert [row.index for row in store.claims(actor=actor).items] == claims


@pytest.mark.parametrize("limit", [1, 2, 5])
@pytest.mark.parametrize(
    ("actor", "kb_id", "claimed_by"), [("xi", "Q15031", None), ("kremlin", "Q649", "Kremlin")]
)
def test_store_actor_filter_pages_merge_keys_and_sides(
    store: Store, limit: int, actor: str, kb_id: str, claimed_by: str | None
) -> None:
    """Pages merged from one index range per key and side list each match once, in the listing
    order: Xi as source, as target and as both; "kremlin" as the Kremlin's claims and the events
    of "Kremlin Palace" (two keys)."""
    _actor_corpus(store)
    events = [
        row
        for row in _all(store.events, limit=MAX_LIMIT)
        if kb_id in {side.kb_id for side in (row.source, row.target) if side is not None}
    ]
    claims = [
        row for row in _all(store.claims, limit=MAX_LIMIT) if claimed_by and row.actor_name == claimed_by
    ]
    assert len(events) >= 6
    assert _keys(_all(store.events, actor=actor, limit=limit)) == _keys(events)
    assert _keys(_all(store.claims, actor=actor, limit=limit)) == _keys(claims)


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("events", {"actor": "xi"}),
        ("events", {"actor": "kremlin", "until": dt.date(2023, 3, 31), "type": "CONSULT"}),
        ("claims", {"actor": "kremlin"}),
        ("claims", {"actor": "kremlin", "since": dt.date(2023, 1, 12), "source_type": "named_organisation"}),
        ("timeline", {"actor": "xi"}),
        ("timeline", {"actor": "kremlin", "since": dt.date(2023, 1, 12)}),
        ("claim_facets", {"actor": "kremlin"}),
        ("actors", {"name": "kremlin"}),
    ],
)
@pytest.mark.parametrize("limits", [{"MAX_KEYS": 0}, {"MAX_KEYS": 0, "MAX_LISTED": 0}])
def test_store_actor_filter_broad_matches_equal_merged_ones(
    store: Store, monkeypatch: pytest.MonkeyPatch, call: str, kwargs: dict[str, Any], limits: dict[str, int]
) -> None:
    """Past MAX_KEYS matching keys the filter becomes a membership test of the listed keys, past
    MAX_LISTED of the lookup as a subquery: with the same results."""
    _actor_corpus(store)
    fetch = getattr(store, call)
    paged = call in ("events", "claims", "actors")
    merged = _all(fetch, limit=2, **kwargs) if paged else fetch(**kwargs)
    for name, value in limits.items():
        monkeypatch.setattr(names, name, value)
    broad = _all(fetch, limit=2, **kwargs) if paged else fetch(**kwargs)
    assert broad == merged
    assert merged


def test_store_timeline_actor_filter_keeps_the_latest_items(store: Store) -> None:
    """An actor's timeline is the unfiltered one's items for that actor; a limit keeps the latest."""
    _actor_corpus(store)
    everything = store.timeline()
    xi = [i for i in everything if "Xi Jinping" in (i.actor, i.target)]
    assert store.timeline(actor="xi jinping") == xi
    assert store.timeline(actor="xi jinping", limit=3) == xi[-3:]
    assert store.timeline(actor="nobody at all") == []


def test_store_network_edges_follow_saves_deletes_and_replacements(store: Store) -> None:
    """The network's per-article edges are written, replaced and deleted with the article."""
    _corpus(store)
    assert [(e.source, e.target, e.weight, e.articles) for e in store.network()] == [("Q15031", "Q649", 5, 5)]
    store.delete("art-0")
    assert [(e.weight, e.articles) for e in store.network()] == [(4, 4)]
    store.save(make_analysis("art-1", published=dt.date(2023, 1, 11), analyzer_version="test-2"))
    assert [(e.weight, e.articles) for e in store.network()] == [(4, 4)]
    assert [e.weight for e in store.network(since=dt.date(2023, 3, 31), until=dt.date(2023, 4, 2))] == [4]
    assert store.network(until=dt.date(2023, 2, 28)) == []
    assert store.network(limit=0)[0].source_name == "Xi Jinping"


def test_store_name_vocabulary_holds_each_pair_once(store: Store) -> None:
    """Names shared by articles are stored once, with their words indexed."""
    _corpus(store)
    with store._db.engine.connect() as conn:
        pairs = conn.execute(sa.text("SELECT key, name_norm, words FROM actor_names")).all()
        n_words = conn.execute(sa.text("SELECT count(*) FROM actor_name_words")).scalar_one()
    assert len(pairs) == len({(key, name) for key, name, _ in pairs}) == 8
    assert ("Q15031", "xi jinping", " xi jinping ") in pairs
    assert ("name:two diplomats", "two diplomats", " two diplomats ") in pairs
    assert n_words == sum(len(words.split()) for _, _, words in pairs)


def test_store_concurrent_writers_add_shared_names_once(db_url: str) -> None:
    """Two stores saving articles with the same new names at once both succeed (ON CONFLICT DO
    NOTHING), and the vocabulary holds each pair once with its words."""
    import threading

    with Store(db_url):
        pass  # migrated once, before the writers race
    errors_seen: list[BaseException] = []
    start = threading.Barrier(2)

    def write(prefix: str) -> None:
        try:
            with Store(db_url) as writer:
                batch = [make_analysis(f"{prefix}-{i}", published=dt.date(2023, 1, 10 + i)) for i in range(4)]
                start.wait()
                report = writer.save_many(batch)  # one transaction: the two overlap on PostgreSQL
                assert (report.saved, report.failures) == (4, ())
        except BaseException as exc:
            errors_seen.append(exc)

    threads = [threading.Thread(target=write, args=(prefix,)) for prefix in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors_seen == []
    with Store(db_url) as store:
        assert store.stats()["articles"] == 8
        with store._db.engine.connect() as conn:
            pairs = conn.execute(sa.text("SELECT key, name_norm, words FROM actor_names")).all()
            n_words = conn.execute(sa.text("SELECT count(*) FROM actor_name_words")).scalar_one()
        assert len(pairs) == 8
        assert n_words == sum(len(words.split()) for _, _, words in pairs)
        assert [e.weight for e in store.network()] == [8]


# --- schema and limits ---------------------------------------------------------------------------


def test_store_limit_is_capped(store: Store) -> None:
    """A huge limit returns at most MAX_LIMIT rows."""
    store.save(make_analysis())
    assert len(store.claims(limit=10**9).items) == 3
    assert len(store.claims(limit=0).items) == 1


def test_store_bad_cursor_raises_bad_cursor(store: Store) -> None:
    """A forged, foreign or pre-0002 cursor is BadCursor (NL307, a StoreError), not a crash."""
    _corpus(store)
    cursor = store.events(limit=1).next_cursor
    old_format = paging.encode("claims", [dt.date(2023, 1, 14), "art-4", 0])
    for bad in (cursor, "not-a-cursor!", old_format):
        with pytest.raises(errors.BadCursor, match="cursor") as raised:
            store.claims(cursor=bad)
        assert isinstance(raised.value, errors.StoreError)
        assert raised.value.code == "NL307"


def test_store_claims_and_events_order_undated_last_then_last_stored(store: Store) -> None:
    """Same-day articles list the last stored first; undated articles' claims and events come last."""
    store.save(make_analysis("undated", published=None))
    store.save(make_analysis("first", published=dt.date(2023, 1, 10)))
    store.save(make_analysis("second", published=dt.date(2023, 1, 10)))
    claims = _all(store.claims, limit=2)
    assert [(r.article_id, r.index) for r in claims] == [
        (a, j) for a in ("second", "first", "undated") for j in range(3)
    ]
    events = _all(store.events, limit=2)
    assert (events[-1].article_id, events[-1].date_start) == ("undated", None)
    assert len({(r.article_id, r.index) for r in events}) == len(events) == 6


def test_store_timeline_keeps_the_latest_items(store: Store) -> None:
    """A bounded timeline keeps the latest-starting items, still earliest first."""
    _corpus(store)
    everything = store.timeline()
    latest = store.timeline(limit=3)
    assert [i.start for i in latest] == sorted(i.start for i in latest)
    assert min(i.start for i in latest) >= sorted(i.start for i in everything)[-3]


def test_store_reopen_keeps_data(db_url: str) -> None:
    """Reopening an up-to-date database migrates nothing and sees the data."""
    with Store(db_url) as store:
        store.save(make_analysis())
    with Store.open(db_url, create=False) as store:
        assert store.stats()["articles"] == 1


def test_store_migration_0002_fills_sort_columns_of_stored_rows(db_url: str) -> None:
    """Rows stored under revision 0001 get their sort date and outlet when 0002 is applied on open."""
    from alembic import command

    from newsledger.store import migrate

    with Store(db_url) as store:
        store.save(make_analysis("undated", published=None, outlet="Daily Sample"))
        store.save(make_analysis("dated"))
        expected = [(r.article_id, r.index) for r in store.claims().items]
        with store._db.engine.begin() as conn:
            command.downgrade(migrate.config(conn), "0001")
    with Store(db_url) as store:
        assert [(r.article_id, r.index) for r in store.claims().items] == expected
        assert {r.article_id for r in store.claims(outlet="Daily Sample").items} == {"undated"}
        assert store.events().items[-1].date_start is None


def test_store_migration_0003_backfills_names_and_network(db_url: str) -> None:
    """Rows stored under 0002 get their vocabulary and network edges when 0003 is applied on open,
    the same as writing them under 0003 gives."""
    from alembic import command

    from newsledger.store import migrate

    def snapshot(store: Store) -> tuple[Any, ...]:
        with store._db.engine.connect() as conn:
            vocabulary = sorted(
                conn.execute(sa.text("SELECT key, key_norm, name_norm, words FROM actor_names"))
            )
            words = sorted(
                conn.execute(
                    sa.text(
                        "SELECT w.word, n.key, n.name_norm FROM actor_name_words w"
                        " JOIN actor_names n ON n.pk = w.name_pk"
                    )
                )
            )
        return (
            vocabulary,
            words,
            store.network(),
            _keys(_all(store.events, actor="xi", limit=3)),
            _keys(_all(store.claims, actor="kremlin", limit=3)),
            store.timeline(actor="kremlin"),
        )

    with Store(db_url) as store:
        _actor_corpus(store, 3)
        store.save(make_analysis("undated", published=None))
        expected = snapshot(store)
        with store._db.engine.begin() as conn:
            command.downgrade(migrate.config(conn), "0002")
    with Store(db_url) as store:
        assert snapshot(store) == expected


def test_store_schema_newer_than_code_raises(db_url: str) -> None:
    """A database migrated by a newer newsledger raises SchemaOutOfDate."""
    with Store(db_url) as store:
        url = store._db.engine.url
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE newsledger_schema_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(errors.SchemaOutOfDate, match="newer"):
        Store(db_url)


def test_store_migrations_match_schema(store: Store) -> None:
    """The migrated database has exactly the tables, columns and indexes the code queries."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from newsledger.store.migrate import VERSION_TABLE, include_object
    from newsledger.store.schema import metadata

    with store._db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "version_table": VERSION_TABLE}
        )
        assert compare_metadata(context, metadata) == []


def test_store_memory_database_round_trips() -> None:
    """':memory:' gives a working private SQLite database."""
    with Store(":memory:") as store:
        analysis = make_analysis()
        store.save(analysis)
        assert store.get("art-1") == analysis
        assert [hit.kind for hit in store.search("Kremlin").items] == ["article"]
