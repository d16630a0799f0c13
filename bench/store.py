"""Storage cost: seconds to store 1,000 analyses, so ingest can budget it against spaCy time.

Analyses are built from real article texts (../shared/corpus/abp-10k.jsonl.gz) with records at real
offsets and in the numbers the pipeline produces for a ~1,000-word article (measured on that corpus:
about 50 sentences, 80 entities, 25 actors, 12 times, 35 events; attributions set to 15), without
running the model, so the figure is the store's alone.

    .venv/bin/python bench/store.py                    # SQLite file in a temp dir, 1,000 articles
    .venv/bin/python bench/store.py --db postgresql://user@host/db --articles 2000
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from newsledger.model import (
    Actor,
    ActorKind,
    Analysis,
    Article,
    Attribution,
    Entity,
    Event,
    EventActor,
    EventDate,
    SourceType,
    Span,
    TimeExpression,
    TimeType,
)
from newsledger.store import Store

CORPUS = Path(os.environ.get("NEWSLEDGER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = CORPUS / "corpus" / "abp-10k.jsonl.gz"
_SENTENCE = re.compile(r"[^.!?]+[.!?]+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def articles(limit: int) -> Iterator[Article]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, limit):
            data = json.loads(line)
            yield Article(
                id=data["id"], text=data["text"], title=data.get("title"), outlet=data.get("outlet")
            )


def synthetic(article: Article) -> Analysis:
    """Records at real offsets, in realistic numbers."""
    text = article.text
    sentences = tuple(Span.of(text, m.start(), m.end()) for m in _SENTENCE.finditer(text))[:60]
    names = [Span.of(text, m.start(), m.end()) for m in _NAME.finditer(text)][:80]
    entities = tuple(Entity(span=s, label="PERSON" if i % 2 else "ORG") for i, s in enumerate(names))
    distinct: dict[str, list[Span]] = {}
    for span in names:
        distinct.setdefault(span.text, []).append(span)
    actors = tuple(
        Actor(
            id=f"A{i}", name=name, kind=ActorKind.PERSON, mentions=tuple(spans), country="USA", sector="GOV"
        )
        for i, (name, spans) in enumerate(list(distinct.items())[:25])
    )
    times = tuple(
        TimeExpression(
            id=f"T{i}", span=s, type=TimeType.DATE, value="2020-01-10", interval=("2020-01-10", "2020-01-10")
        )
        for i, s in enumerate(names[:12])
    )
    attributions = tuple(
        Attribution(
            source=names[i] if i < len(names) else None,
            cue=Span.of(text, s.start, s.start + 1),
            content=s,
            source_type=SourceType.NAMED_PERSON,
            source_actor=actors[i % len(actors)].id if actors else None,
            times=(times[0].id,) if times else (),
        )
        for i, s in enumerate(sentences[:15])
    )
    events = tuple(
        Event(
            type="CONSULT",
            trigger=Span.of(text, s.start, s.start + 1),
            source=EventActor(span=names[i], actor_id=actors[i % len(actors)].id)
            if actors and i < len(names)
            else None,
            target=EventActor(span=names[-1 - i]) if len(names) > i else None,
            date=EventDate(value="2020-01-10", interval=("2020-01-10", "2020-01-10")),
            sentence=s,
        )
        for i, s in enumerate(sentences[:35])
    )
    return Analysis(
        article=article,
        entities=entities,
        actors=actors,
        times=times,
        attributions=attributions,
        events=events,
        sentences=sentences,
        analyzer_version="bench",
    )


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds: on a shared machine the CPU time is the figure to compare."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temp dir)")
    parser.add_argument(
        "--spacy", type=int, default=0, help="also time plain spaCy on this many of the texts"
    )
    args = parser.parse_args()
    analyses = [synthetic(a) for a in articles(args.articles)]
    n = len(analyses)
    rows = sum(
        1
        + len(a.sentences)
        + len(a.entities)
        + len(a.actors)
        + len(a.times)
        + len(a.attributions)
        + len(a.events)
        for a in analyses
    )
    per = 1000 / n
    print(f"{n} analyses of real texts, {rows / n:.0f} rows each; seconds per 1,000 analyses (wall / CPU):")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or str(Path(tmp) / "bench.db")
        with Store(url) as store:
            for label, action in (
                ("save_many (batched transactions)", lambda: store.save_many(analyses)),
                ("re-save unchanged (no-op)", lambda: store.save_many(analyses)),
                ("save one by one, replace=True", lambda: [store.save(a, replace=True) for a in analyses]),
            ):
                wall, cpu = _timed(action)
                print(f"  {label:34s} {wall * per:6.2f} / {cpu * per:6.2f}")
            wall, _ = _timed(lambda: store.search("president", limit=50))
            print(f"  search, 50 hits: {wall * 1000:.0f} ms")
        if not args.db:
            print(f"  database size: {Path(url).stat().st_size / n / 1024:.1f} KiB per analysis")
    if args.spacy:
        from newsledger.nlp import load_model

        nlp = load_model()
        texts = [a.article.text for a in analyses[: args.spacy]]
        wall, cpu = _timed(lambda: list(nlp.pipe(texts)))
        label = f"plain spaCy {nlp.meta['name']} ({len(texts)} texts)"
        print(f"  {label:34s} {wall * 1000 / len(texts):6.2f} / {cpu * 1000 / len(texts):6.2f}")


if __name__ == "__main__":
    main()
