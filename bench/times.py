"""The time tagger's share of analysis time: python bench/times.py [--articles 1000].

Runs the analysis pipeline (spaCy model + newsledger components) over the first N articles of
../shared/corpus/abp-10k.jsonl.gz, component by component over batches, and prints the seconds spent
in each (CPU time of this process, so that other work on a shared machine does not skew it) and the
share of ``newsledger_times``. Recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import time
from collections.abc import Iterator
from pathlib import Path

from machine import describe

os.environ.setdefault("OMP_NUM_THREADS", "1")

import dateparser

from newsledger.analyze.pipeline import COMPONENTS, build_pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "abp-10k.jsonl.gz"


def articles(limit: int) -> Iterator[tuple[str, dt.date | None]]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                return
            record = json.loads(line)
            yield record["text"], publication_date(record.get("published"))


def publication_date(text: str | None) -> dt.date | None:
    """The corpus mixes ISO and US dates ("1/21/18"): dateparser reads the latter."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        parsed = dateparser.parse(text, settings={"DATE_ORDER": "MDY"})
        return parsed.date() if parsed else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--times-only", action="store_true", help="spaCy model + newsledger_times only")
    options = parser.parse_args()

    components = ("newsledger_times",) if options.times_only else COMPONENTS
    try:
        nlp = build_pipeline(components=components)
    except Exception as error:  # another component not ready (missing model file...): measure what runs
        print(
            f"full pipeline unavailable ({type(error).__name__}: {error}); measuring spaCy + newsledger_times"
        )
        nlp = build_pipeline(components=("newsledger_times",))
    seconds = dict.fromkeys(nlp.pipe_names, 0.0)
    batch: list[tuple[str, dt.date | None]] = []
    count = words = times = 0

    def run(batch: list[tuple[str, dt.date | None]]) -> None:
        nonlocal words, times
        start = time.process_time()
        docs = [nlp.make_doc(text) for text, _ in batch]
        seconds["tokenizer"] = seconds.get("tokenizer", 0.0) + time.process_time() - start
        for doc, (_, published) in zip(docs, batch, strict=True):
            doc._.published = published
        for name, component in nlp.pipeline:
            start = time.process_time()
            docs = (
                list(component.pipe(docs, batch_size=options.batch_size))
                if hasattr(component, "pipe")
                else [component(doc) for doc in docs]
            )
            seconds[name] += time.process_time() - start
        words += sum(len(doc) for doc in docs)
        times += sum(len(doc._.times or ()) for doc in docs)

    for article in articles(options.articles):
        batch.append(article)
        count += 1
        if len(batch) >= options.batch_size:
            run(batch)
            batch = []
    if batch:
        run(batch)

    total = sum(seconds.values())
    print(
        f"machine: {platform.node()}, {describe()}, one process, "
        f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}"
    )
    print(f"articles: {count}  tokens: {words}  time expressions: {times}")
    for name, value in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"  {name:28s} {value:8.2f} s  {100 * value / total:5.1f} %")
    share = 100 * seconds["newsledger_times"] / total
    print(f"total {total:.1f} s; newsledger_times share: {share:.1f} % (budget: < 15 %)")


if __name__ == "__main__":
    main()
