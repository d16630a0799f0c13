"""How much event coding adds to analysis time.

Runs the pipeline without ``newsledger_events`` over N articles, 32 at a time, and after each batch the
events component alone over the same Docs, timing both in process CPU time (other work on the shared
machine does not skew the share), and prints the share events add. Target: at most 20%.

    .venv/bin/python bench/events.py [--n 200] [--corpus ../shared/corpus/abp-10k.jsonl.gz] [--model-only]

``--model-only`` compares against the bare spaCy model (times/actors/attributions left out), the
strictest baseline: then the share is events' cost relative to parsing alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", ROOT.parent / "shared"))


def articles(path: Path, n: int) -> Iterator[tuple[str, str | None]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if count >= n:
                return
            record = json.loads(line)
            yield record["text"], record.get("published")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "abp-10k.jsonl.gz")
    parser.add_argument("--model-only", action="store_true")
    args = parser.parse_args()

    import datetime as dt

    from newsledger.analyze.events import EventsComponent
    from newsledger.analyze.extensions import register_extensions
    from newsledger.analyze.pipeline import COMPONENTS, build_pipeline

    register_extensions()
    others = () if args.model_only else tuple(c for c in COMPONENTS if c != "newsledger_events")
    nlp = build_pipeline(components=others)
    events = EventsComponent(nlp, "newsledger_events")
    texts = list(articles(args.corpus, args.n))

    def make(text: str, published: str | None) -> object:
        doc = nlp.make_doc(text)
        try:
            doc._.published = dt.date.fromisoformat(published) if published else None
        except ValueError:  # a few records carry US-style dates: the events then fall back to none
            doc._.published = None
        return doc

    base = coding = 0.0
    count = words = 0
    # batch by batch, as the pipeline runs them: the event argument tagger shares the attribution
    # tagger's encoder and finds the sentences that one has just run among its kept windows
    for first in range(0, len(texts), 32):
        start = time.process_time()
        docs = list(nlp.pipe((make(t, p) for t, p in texts[first : first + 32]), batch_size=32))
        base += time.process_time() - start
        start = time.process_time()
        count += sum(len(events(doc)._.events) for doc in docs)
        coding += time.process_time() - start
        words += sum(len(doc) for doc in docs)
    print(f"machine: {describe()}")
    print(f"articles: {len(texts)}, tokens: {words}, events: {count}")
    print(f"pipeline without events ({', '.join(others) or 'model only'}): {base:.2f} s")
    print(f"events component: {coding:.2f} s ({1000 * coding / max(1, len(texts)):.1f} ms/article)")
    print(f"events add: {100 * coding / base:.1f}% to analysis time")


if __name__ == "__main__":
    main()
