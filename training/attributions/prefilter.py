"""Train the sentence filter that decides which sentences the attribution tagger reads.

    python training/attributions/prefilter.py training/work/attributions/train.jsonl \
        --export src/newsledger/models/attribution/sentence_filter.json

A logistic regression over the set of lower-cased words of a sentence, fitted on the PolNeAR train
sentences that ``prepare.py`` writes (positive: the sentence holds a cue). At run time it is asked
only about the sentences that the cue lexicon, quotation marks and colons do not already send to
the tagger (``newsledger.analyze.attributions.candidate_sentences``). The threshold was chosen on
PolNeAR dev by exact F1 against the share of words tagged (docs/attributions.md).
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

#: Probability above which a sentence is tagged (chosen on dev: docs/attributions.md).
THRESHOLD = 0.4


def adam(gradient: Callable[[np.ndarray], np.ndarray], size: int, steps: int) -> np.ndarray:
    """The weights that minimise a loss, from ``gradient`` (weights -> gradient), by full-batch Adam."""
    weights = np.zeros(size)
    first, second = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, steps + 1):
        slope = gradient(weights)
        first = 0.9 * first + 0.1 * slope
        second = 0.999 * second + 0.001 * slope**2
        rate = 0.05 * math.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        weights -= rate * first / (np.sqrt(second) + 1e-8)
    return weights


def fit(rows: list[list[int]], labels: np.ndarray, size: int, l2: float, steps: int = 400) -> np.ndarray:
    """Weights (bias last) minimising log loss + l2/2 |w|^2."""
    flat = np.concatenate([np.array(r, dtype=np.int64) for r in rows])
    owner = np.repeat(np.arange(len(rows)), [len(r) for r in rows])

    def gradient(weights: np.ndarray) -> np.ndarray:
        logits = np.bincount(owner, weights=weights[flat], minlength=len(rows)) + weights[-1]
        error = 1.0 / (1.0 + np.exp(-logits)) - labels
        slope = np.bincount(flat, weights=error[owner], minlength=size + 1)
        slope[-1] = error.sum()
        slope[:-1] += l2 * weights[:-1]
        return slope

    return adam(gradient, size + 1, steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="sentence rows (tokens, labels) from prepare.py")
    parser.add_argument("--export", type=Path, required=True)
    parser.add_argument("--l2", type=float, default=3.0)
    parser.add_argument(
        "--threshold", type=float, default=THRESHOLD, help="probability above which a sentence is tagged"
    )
    parser.add_argument("--min-count", type=int, default=2, help="words seen fewer times get no weight")
    args = parser.parse_args()
    with open(args.train, encoding="utf-8") as lines:
        sentences = [json.loads(line) for line in lines if line.strip()]
    words = [sorted({w.lower() for w in s["tokens"]}) for s in sentences]
    counts = Counter(w for ws in words for w in ws)
    vocabulary = sorted(w for w, n in counts.items() if n >= args.min_count)
    index = {w: i for i, w in enumerate(vocabulary)}
    rows = [[index[w] for w in ws if w in index] for ws in words]
    labels = np.array([any(tag.endswith("cue") for tag in s["labels"]) for s in sentences], dtype=float)
    weights = fit(rows, labels, len(vocabulary), args.l2)
    model = {
        "version": 1,
        "trained_on": f"PolNeAR train sentences ({len(sentences)}), training/attributions/prefilter.py",
        "threshold": round(math.log(args.threshold / (1 - args.threshold)), 4),
        "bias": round(float(weights[-1]), 4),
        "weights": {
            w: round(float(v), 4) for w, v in zip(vocabulary, weights[:-1], strict=True) if abs(v) >= 1e-3
        },
    }
    args.export.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(model['weights'])} word weights -> {args.export}")


if __name__ == "__main__":
    main()
