"""API latency: median and p95 of the main web API queries on a SQLite ledger of N analysed articles.

    python bench/api_latency.py              # build (or resume) the 10,000-article ledger, then measure
    python bench/api_latency.py --n 1000 --db /tmp/l1k.db -j 2
    python bench/api_latency.py --no-build --db ledger.db   # measure an existing ledger as it is

Building analyses the first N articles of ../shared/corpus/abp-10k.jsonl.gz with the real pipeline
(about 64 CPU-minutes for 10,000: 32 minutes with -j 2 on 2 idle cores) and is resumable: stored
articles are skipped. Requests go over HTTP to ``newsledger serve`` (uvicorn, another process) on
127.0.0.1 through one keep-alive connection, so the figures include routing, validation, the store
query and JSON encoding. Targets (issue 6): median < 50 ms and p95 < 200 ms for the article, claims,
events and timeline queries.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from machine import describe

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "abp-10k.jsonl.gz"
TARGET_MEDIAN_MS = 50.0
TARGET_P95_MS = 200.0
#: The query groups the issue sets targets for.
TARGETED = ("article", "claims", "events", "timeline")


def build(db: Path, n: int, n_process: int) -> None:
    """Analyse and store the first ``n`` corpus articles (already stored ones are skipped)."""
    from newsledger.api import ingest

    with tempfile.TemporaryDirectory() as tmp:
        head = Path(tmp) / f"abp-first-{n}.jsonl"
        with gzip.open(CORPUS, "rt", encoding="utf-8") as source, open(head, "w", encoding="utf-8") as out:
            for i, line in enumerate(source):
                if i >= n:
                    break
                out.write(line)
        started = time.perf_counter()
        # A few records carry US dates ("1/21/18"; their URLs confirm month first).
        report = ingest([head], db=str(db), n_process=n_process, date_order="mdy")
        print(
            f"built {db}: {report.to_dict()} in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )


def replicate(db: Path, total: int) -> None:
    """Fill the ledger up to ``total`` articles with copies of the analysed ones under new ids.

    Only for when analysing ``total`` articles takes longer than one has: the copies have real
    records (same row counts per article as the corpus), dates shifted by whole weeks so date
    filters still spread them out. The report says how many articles were really analysed.
    """
    import dataclasses

    from newsledger.store import Store

    with Store(db) as store:
        originals = [store.get(i) for i in store.article_ids() if "~" not in i]
        have = store.stats()["articles"]
        copy = 0
        batch = []
        while have < total:
            source = originals[copy % len(originals)]
            round_ = copy // len(originals) + 1
            article = source.article
            published = article.published + dt.timedelta(weeks=round_) if article.published else None
            new = dataclasses.replace(article, id=f"{article.id}~{round_}", published=published)
            batch.append(dataclasses.replace(source, article=new))
            copy += 1
            have += 1
            if len(batch) >= 200 or have >= total:
                store.save_many(batch)
                batch = []
        print(f"{db}: {len(originals)} analysed articles, filled to {have} with copies", file=sys.stderr)


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """``newsledger serve`` in its own process (in-process, the client would compete for the GIL)."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        str(Path(sys.executable).with_name("newsledger")),
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # a benchmark may wait for start-up; tests never do
            try:
                httpx.get(f"{base}/api/stats", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(  # noqa: B904  (the transport error says nothing more)
                        f"server did not start: {server.stderr.read().decode() if server.stderr else ''}"
                    )
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def samples(db: Path, rng: random.Random) -> dict[str, list[Any]]:
    """Realistic parameter values drawn from the ledger itself."""
    import sqlalchemy as sa

    from newsledger.store import Store
    from newsledger.store import schema as t

    with Store(db, create=False) as store, store._db.read() as conn:
        ids = [r[0] for r in conn.execute(sa.select(t.articles.c.id))]
        outlets = [r[0] for r in conn.execute(sa.select(t.articles.c.outlet).distinct()) if r[0]]
        keys = [
            r[0]
            for r in conn.execute(
                sa.select(t.actors.c.key).group_by(t.actors.c.key).order_by(sa.func.count().desc()).limit(200)
            )
        ]
        names = [
            r[0]
            for r in conn.execute(
                sa.select(t.actors.c.name)
                .where(t.actors.c.kind.in_(("person", "organisation", "place")))
                .group_by(t.actors.c.name)
                .order_by(sa.func.count().desc())
                .limit(200)
            )
        ]
        types = [r[0] for r in conn.execute(sa.select(t.events.c.type).distinct())]
        days = [
            r[0]
            for r in conn.execute(
                sa.select(t.articles.c.published).where(t.articles.c.published.is_not(None))
            )
        ]
    days.sort()
    return {
        "ids": rng.sample(ids, min(len(ids), 200)),
        "outlets": outlets,
        "keys": keys,
        "names": names,
        "types": types or ["CONSULT"],
        "days": days,
    }


def queries(
    s: dict[str, list[Any]], rng: random.Random
) -> dict[str, Callable[[], tuple[str, dict[str, Any]]]]:
    """Query group -> a function giving one request (path, params) of that group."""

    def window() -> dict[str, str]:
        start = rng.choice(s["days"])
        return {
            "since": start.isoformat(),
            "until": (start + dt.timedelta(days=90)).isoformat(),
        }

    return {
        "article": lambda: (f"/api/articles/{rng.choice(s['ids'])}", {}),
        "articles": lambda: (
            "/api/articles",
            rng.choice([{}, {"outlet": rng.choice(s["outlets"])}, window()]),
        ),
        "claims": lambda: (
            "/api/claims",
            rng.choice(
                [
                    {},
                    {"source_type": rng.choice(["anonymous_group", "anonymous_individual", "named_person"])},
                    {"actor": rng.choice(s["names"])},
                    {"outlet": rng.choice(s["outlets"]), **window()},
                    {"certainty": "hedged"},
                ]
            ),
        ),
        "claim facets": lambda: (
            "/api/claims/facets",
            rng.choice([{}, {"outlet": rng.choice(s["outlets"])}]),
        ),
        "events": lambda: (
            "/api/events",
            rng.choice([{}, {"type": rng.choice(s["types"])}, {"actor": rng.choice(s["names"])}, window()]),
        ),
        "timeline": lambda: ("/api/timeline", rng.choice([{"actor": rng.choice(s["names"])}, window()])),
        "network": lambda: ("/api/network", rng.choice([{}, window()])),
        "actor": lambda: (f"/api/actors/{rng.choice(s['keys'])}", {}),
        "search": lambda: ("/api/search", {"q": rng.choice(s["names"])}),
    }


Timing = tuple[float, str, dict[str, Any]]  # ms, path, params


def measure(
    base: str, groups: dict[str, Callable[[], tuple[str, dict[str, Any]]]], repeat: int
) -> dict[str, list[Timing]]:
    import httpx

    timings: dict[str, list[Timing]] = {name: [] for name in groups}
    with httpx.Client(base_url=base, timeout=60) as client:
        for make in groups.values():  # warm-up: first connection, template and statement caches
            path, params = make()
            client.get(path, params=params)
        for _ in range(repeat):
            for name, make in groups.items():
                path, params = make()
                started = time.perf_counter()
                response = client.get(path, params=params)
                timings[name].append(((time.perf_counter() - started) * 1000, path, params))
                if response.status_code >= 400:
                    raise SystemExit(f"{path} {params}: HTTP {response.status_code} {response.text[:300]}")
    return timings


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "newsledger-bench-abp.db")
    parser.add_argument("--n", type=int, default=10_000, help="articles to analyse into the ledger")
    parser.add_argument("-j", "--n-process", type=int, default=1, help="analysis worker processes")
    parser.add_argument("--no-build", action="store_true", help="measure the ledger as it is")
    parser.add_argument(
        "--fill-to",
        type=int,
        default=0,
        help="then fill the ledger to this many articles with copies of the analysed ones (see replicate())",
    )
    parser.add_argument("--repeat", type=int, default=100, help="requests per query group")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--slowest", type=int, default=0, help="also list this many slowest requests of each group"
    )
    args = parser.parse_args()

    if not args.no_build:
        if not CORPUS.exists():
            raise SystemExit(f"corpus not found: {CORPUS} (set NEWSLEDGER_SHARED)")
        build(args.db, args.n, args.n_process)
    if args.fill_to:
        replicate(args.db, args.fill_to)
    from newsledger.store import Store

    with Store(args.db, create=False) as store:
        stats = store.stats()
        analysed = sum(1 for article_id in store.article_ids() if "~" not in article_id)
    rng = random.Random(args.seed)
    groups = queries(samples(args.db, rng), rng)
    with serving(args.db) as base:
        timings = measure(base, groups, args.repeat)

    copies = stats["articles"] - analysed
    made = f"{analysed:,} analysed, {copies:,} copies" if copies else "all analysed"
    print(
        f"ledger: {args.db} ({stats['articles']:,} articles, {made}; "
        f"{stats['attributions']:,} claims, "
        f"{stats['events']:,} events, {stats['actors']:,} actor mentions); SQLite"
    )
    print(f"machine: {describe()}; {args.repeat} requests per query")
    print()
    print("| query | median ms | p95 ms | target met |")
    print("| --- | ---: | ---: | --- |")
    failed = False
    for name, timed in timings.items():
        values = [ms for ms, _, _ in timed]
        median, high = statistics.median(values), p95(values)
        met = "-"
        if name in TARGETED:
            ok = median < TARGET_MEDIAN_MS and high < TARGET_P95_MS
            failed |= not ok
            met = "yes" if ok else "NO"
        print(f"| {name} | {median:.1f} | {high:.1f} | {met} |")
    if args.slowest:
        print()
        for name, timed in timings.items():
            for ms, path, params in sorted(timed, key=lambda t: t[0], reverse=True)[: args.slowest]:
                print(f"slowest {name}: {ms:.1f} ms {path} {params}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
