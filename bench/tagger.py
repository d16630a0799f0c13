"""CPU time of the tagger graph alone, on real news sentence windows, one graph against another.

    nice python bench/tagger.py [GRAPH[:fused] ...] [--windows 3000] [--rounds 3] [--skip 2000]

Each GRAPH (default: the shipped ``tagger.onnx``) is loaded as the run time loads it
(``tagger.open_session``: one thread, residual and layer norm left unfused); ``GRAPH:fused`` keeps every
onnxruntime fusion instead. The windows are the word-piece windows of the sentences of the articles of
``../shared/corpus/abp-10k.jsonl.gz`` after the first ``--skip`` (sentences split at end punctuation,
words at word boundaries: close enough to the pipeline's for timing). Every graph runs all windows
one call each, as the run time does, ``--rounds`` times in turn; the table gives each round's CPU
seconds and the per-window mean of the fastest round. Before timing, each graph's tag scores are
compared with the first graph's (largest difference, share of equal best tags).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime

from machine import describe
from newsledger.analyze.attributions.tagger import (
    UNFUSED,
    load_tagger,
    model_folder,
    open_session,
    piece_windows,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "abp-10k.jsonl.gz"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"\w+|[^\w\s]")


def news_windows(count: int, skip: int) -> list[np.ndarray]:
    """Piece id arrays (1, pieces) of the first ``count`` windows after ``skip`` articles."""
    pieces = load_tagger().tokenizer
    windows: list[np.ndarray] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number < skip:
                continue
            for sentence in SENTENCE_END.split(json.loads(line)["text"]):
                words = WORD.findall(sentence)
                if len(words) >= 3:
                    windows.extend(
                        np.array([ids], dtype=np.int64) for ids, _ in piece_windows(pieces, words, 128)
                    )
            if len(windows) >= count:
                return windows[:count]
    return windows


def load(spec: str) -> onnxruntime.InferenceSession:
    path, _, mode = spec.partition(":")
    return open_session(Path(path), unfused=() if mode == "fused" else UNFUSED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", nargs="*", default=[str(model_folder() / "tagger.onnx")])
    parser.add_argument("--windows", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip", type=int, default=2000, help="articles skipped (the ingest bench's)")
    args = parser.parse_args(argv)
    windows = news_windows(args.windows, args.skip)
    sessions = [load(spec) for spec in args.graphs]
    mean_pieces = sum(w.shape[1] for w in windows) / len(windows)
    print(f"{len(windows)} windows, {mean_pieces:.1f} pieces on average", file=sys.stderr)
    reference = [sessions[0].run(None, {"input_ids": w}) for w in windows[:500]]
    for spec, session in zip(args.graphs[1:], sessions[1:], strict=True):
        largest, same, total = 0.0, 0, 0
        for window, expected in zip(windows, reference, strict=False):
            for got, want in zip(session.run(None, {"input_ids": window}), expected, strict=True):
                largest = max(largest, float(np.abs(got - want).max()))
                same += int((got.argmax(-1) == want.argmax(-1)).sum())
                total += got.shape[1]
        print(f"{spec}: largest score difference {largest:.3f}, same best tag {same / total:.4f}")
    seconds: dict[str, list[float]] = {spec: [] for spec in args.graphs}
    for _ in range(args.rounds):
        for spec, session in zip(args.graphs, sessions, strict=True):
            started = time.process_time()
            for window in windows:
                session.run(None, {"input_ids": window})
            seconds[spec].append(time.process_time() - started)
    print(f"machine: {describe()}\n")
    print("| graph | CPU s per round | ms per window (fastest round) |")
    print("| --- | --- | ---: |")
    for spec, rounds in seconds.items():
        per_round = " / ".join(f"{s:.2f}" for s in rounds)
        print(f"| {spec} | {per_round} | {min(rounds) / len(windows) * 1e3:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
