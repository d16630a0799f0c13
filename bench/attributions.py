"""Throughput of the whole analysis with attributions on vs plain en_core_web_sm, side by side.

    .venv/bin/python bench/attributions.py [--articles 60] [--rounds 2] [--other-model FOLDER]

Both pipelines run over the same articles of ../shared/corpus/abp-10k.jsonl.gz, alternating round by
round so that load on a shared machine hits both alike; the figure is the ratio of words per second
(best round of each). Also reported: the bare model with numpy's BLAS and the parser's and entity
recogniser's decoding loops held in Python, as newsledger runs it (analyze/blas.py, analyze/stepped.py),
the like-for-like floor; the full pipeline without the attribution component, and each
pipeline's CPU time (all threads of the process) in words per CPU-second: newsledger's taggers run in
a helper thread, so on a machine with a spare core the wall-clock ratio is higher than the CPU one.
``--other-model FOLDER`` adds the whole analysis with the attribution tagger in FOLDER (say an earlier
one, from git history), timed in the same rounds: on a shared machine whose speed moves from minute to
minute, that comparison is steadier than two runs of this script.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from pathlib import Path

from spacy.language import Language

from machine import describe
from newsledger.analyze.attributions.tagger import forget_windows
from newsledger.analyze.blas import use_numpy_blas
from newsledger.analyze.pipeline import COMPONENTS, build_pipeline
from newsledger.analyze.stepped import step_decoders
from newsledger.nlp import load_model

SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def read_texts(count: int) -> list[str]:
    texts: list[str] = []
    with gzip.open(SHARED / "corpus" / "abp-10k.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            texts.append(json.loads(line)["text"])
            if len(texts) >= count:
                break
    return texts


def seconds(nlp: Language, texts: list[str]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one pass, with the taggers' window scores forgotten first: a
    later round would otherwise find every sentence already tagged."""
    forget_windows()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def newsledger_model() -> Language:
    """The bare model with the matrix products and decoding loops newsledger's pipeline uses."""
    nlp = load_model()
    step_decoders(nlp)
    use_numpy_blas(nlp)
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--other-model", type=Path, help="an attribution tagger folder to time as well")
    args = parser.parse_args()
    texts = read_texts(args.articles)
    words = sum(len(t.split()) for t in texts)
    pipelines = {
        "en_core_web_sm": load_model(),
        "en_core_web_sm, as newsledger runs it": newsledger_model(),
        "newsledger (all components)": build_pipeline(),
        "newsledger without attributions": build_pipeline(
            components=tuple(c for c in COMPONENTS if c != "newsledger_attributions")
        ),
    }
    if args.other_model:
        others = tuple(c for c in COMPONENTS if c not in ("newsledger_attributions", "newsledger_events"))
        nlp = build_pipeline(components=others)
        nlp.add_pipe("newsledger_attributions", config={"model": str(args.other_model)})
        nlp.add_pipe("newsledger_events")
        pipelines[f"newsledger, tagger in {args.other_model.name}"] = nlp
    for nlp in pipelines.values():  # warm up: lazy loads, caches
        seconds(nlp, texts[:3])
    best = dict.fromkeys(pipelines, float("inf"))
    best_cpu = dict.fromkeys(pipelines, float("inf"))
    for _ in range(args.rounds):
        for name, nlp in pipelines.items():
            wall, cpu = seconds(nlp, texts)
            best[name] = min(best[name], wall)
            best_cpu[name] = min(best_cpu[name], cpu)
    print(f"{len(texts)} articles, {words} words; {describe()}")
    base = words / best["en_core_web_sm"]
    base_cpu = words / best_cpu["en_core_web_sm"]
    for name in pipelines:
        rate, cpu_rate = words / best[name], words / best_cpu[name]
        print(
            f"{name:34s} {rate:8.0f} words/s  {rate / base:5.2f}x   "
            f"{cpu_rate:8.0f} words/CPU-s  {cpu_rate / base_cpu:5.2f}x"
        )


if __name__ == "__main__":
    main()
