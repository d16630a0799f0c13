"""Train the event target chooser on the ConfliBERT tuning sentences, tagged by out-of-fold taggers.

    python training/events/target_chooser.py ../shared/gold/confilbert-cameo/train.txt \
        training/work/events/folds --threshold 0.15 --export src/newsledger/models/events/target_chooser.json

Needs the five fold taggers of ``folds.py`` (``make event-folds``). Each tuning sentence runs through the
whole pipeline with the argument tagger that never saw it, and the chooser's candidates and features
for its main event are recorded (the rules' target is kept while recording). A logistic regression
then learns which candidate is the annotators' target (``newsledger.analyze.events.targets``). The
tag layer's scores come from taggers that did not learn these sentences, so the chooser learns to
trust it as much as it deserves on new text: the shipped tag layer learned all of them.

For the fair figure, each fold also gets a chooser trained on the other folds' records only
(``FOLDS/fold-K/target_chooser.json``), which ``eval_folds.py`` uses. The threshold below which an
event keeps no target is ``--threshold``, else the one that gives those choosers the best exact F1
over all folds here (before the guards of ``extract._chosen_target``); the shipped 0.15 is the one
of 0.10, 0.15, 0.20 and 0.25 that gave the best pipeline figure of ``eval_folds.py``. The figures
printed here are the chooser's alone. The held-out fifth is neither recorded nor scored here.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "attributions"))

from eval_folds import fold_parts
from prefilter import adam

from newsledger.analyze.attributions.tagger import SpanTagger
from newsledger.analyze.events.arguments import ARGUMENT_LABELS
from newsledger.analyze.events.extract import whole_party
from newsledger.analyze.events.targets import FILE_NAME, TokenSpan
from newsledger.analyze.pipeline import build_pipeline
from newsledger.eval.events import read_conll, split_conll, token_doc

#: Candidate thresholds (probabilities) tried for "no target".
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)

Record = tuple[int, list[dict[str, float]], list[bool], TokenSpan | None]


class Recorder:
    """A chooser that records each call's candidates and keeps the rules' target."""

    def __init__(self) -> None:
        self.calls: list[dict[TokenSpan, dict[str, float]]] = []

    def choose(self, candidates: Mapping[TokenSpan, Mapping[str, float]]) -> TokenSpan | None:
        self.calls.append({span: dict(features) for span, features in candidates.items()})
        return next((span for span, features in candidates.items() if features.get("rule")), None)


def record(gold: Path, folds_dir: Path, folds: int) -> list[tuple[int, int, Record | None]]:
    """(fold, gold target count, record) for each tuning sentence; the record is None when the
    sentence has no event with tagged parties."""
    nlp = build_pipeline()
    events = nlp.get_pipe("newsledger_events")
    tune, _ = split_conll(read_conll(gold))
    out: list[tuple[int, int, Record | None]] = []
    for k, (_, part) in enumerate(fold_parts(tune, folds)):
        events.arguments = SpanTagger(folds_dir / f"fold-{k}", labels=ARGUMENT_LABELS, name="fold tagger")
        recorder = Recorder()
        events.chooser = recorder
        for sentence in part:
            recorder.calls.clear()
            doc = nlp(token_doc(nlp, sentence.tokens))
            if not recorder.calls:
                out.append((k, len(sentence.targets), None))
                continue
            candidates = recorder.calls[0]
            spans = sorted(candidates)
            rule = next((s for s in spans if candidates[s].get("rule")), None)
            # a phrase is right when the party it gives, drawn whole, is the annotators' one
            labels = [whole_party(doc, *span) in sentence.targets for span in spans]
            out.append((k, len(sentence.targets), (k, [candidates[s] for s in spans], labels, rule)))
    return out


def fit(rows: np.ndarray, labels: np.ndarray, l2: float, steps: int = 600) -> np.ndarray:
    """Weights (bias last) minimising log loss + l2/2 |w|^2."""
    x = np.hstack([rows, np.ones((len(rows), 1))])

    def gradient(weights: np.ndarray) -> np.ndarray:
        slope = x.T @ (1.0 / (1.0 + np.exp(-(x @ weights))) - labels)
        slope[:-1] += l2 * weights[:-1]
        return slope

    return adam(gradient, x.shape[1], steps)


def matrix(records: list[Record], names: list[str]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Candidate rows, their labels, and the record each belongs to."""
    index = {name: i for i, name in enumerate(names)}
    rows: list[np.ndarray] = []
    labels: list[bool] = []
    owner: list[int] = []
    for n, (_, features, gold, _) in enumerate(records):
        for candidate, label in zip(features, gold, strict=True):
            row = np.zeros(len(names))
            for name, value in candidate.items():
                if name in index:
                    row[index[name]] = value
            rows.append(row)
            labels.append(label)
            owner.append(n)
    return np.array(rows), np.array(labels, dtype=float), owner


def best_choices(
    weights: np.ndarray, rows: np.ndarray, owner: list[int], count: int
) -> list[tuple[int, float]]:
    """Each record's best candidate (its index within the record) and probability."""
    logits = rows @ weights[:-1] + weights[-1]
    best: list[tuple[int, float]] = [(-1, -math.inf)] * count
    position = [0] * count
    for logit, n in zip(logits, owner, strict=True):
        if logit > best[n][1]:
            best[n] = (position[n], float(logit))
        position[n] += 1
    return [(i, 1 / (1 + math.exp(-logit))) for i, logit in best]


def export(path: Path, weights: np.ndarray, names: list[str], threshold: float, meta: dict[str, Any]) -> None:
    model = {
        "version": 1,
        **meta,
        "threshold": round(math.log(threshold / (1 - threshold)), 4),
        "bias": round(float(weights[-1]), 4),
        "weights": {
            n: round(float(w), 4) for n, w in zip(names, weights[:-1], strict=True) if abs(w) >= 1e-4
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, sort_keys=True, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="ConfliBERT train.txt")
    parser.add_argument("folds_dir", type=Path, help="the folder folds.py wrote")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--export", type=Path, help="where to write the chooser trained on all folds")
    parser.add_argument("--threshold", type=float, help="probability for a target (default: the best above)")
    args = parser.parse_args(argv)
    sentences = record(args.gold, args.folds_dir, args.folds)
    records = [r for _, _, r in sentences if r is not None]
    names = sorted({name for _, features, _, _ in records for candidate in features for name in candidate})
    gold_total = sum(g for _, g, _ in sentences)
    # rules alone: the recorded rule target of each record
    rule_tp = sum(
        1
        for _, features, labels, rule in records
        if rule is not None and any(f.get("rule") and y for f, y in zip(features, labels, strict=True))
    )
    rule_pred = sum(1 for r in records if r[3] is not None)
    print(f"{len(sentences)} sentences, {len(records)} events the tag layer tags, {gold_total} gold targets")
    rules_f1 = 2 * rule_tp / (rule_pred + gold_total)
    print(f"rules + tag layer: exact F1 {rules_f1:.4f} ({rule_tp} right of {rule_pred})")
    # out-of-fold choices: each fold's records scored by a chooser trained on the others
    oof: list[tuple[int, float]] = [(-1, 0.0)] * len(records)
    fold_weights: dict[int, np.ndarray] = {}
    for k in range(args.folds):
        train = [r for r in records if r[0] != k]
        rows, labels, _ = matrix(train, names)
        fold_weights[k] = fit(rows, labels, args.l2)
        mine = [n for n, r in enumerate(records) if r[0] == k]
        rows, _, owner = matrix([records[n] for n in mine], names)
        for n, choice in zip(mine, best_choices(fold_weights[k], rows, owner, len(mine)), strict=True):
            oof[n] = choice
    scores = {}
    for threshold in THRESHOLDS:
        chosen = [(i, p) for i, p in oof if p > threshold]
        tp = sum(records[n][2][i] for n, (i, p) in enumerate(oof) if p > threshold)
        scores[threshold] = 2 * tp / (len(chosen) + gold_total)
        print(f"threshold {threshold:.2f}: exact F1 {scores[threshold]:.4f} ({tp} right of {len(chosen)})")
    threshold = args.threshold or max(scores, key=lambda t: scores[t])
    meta = {"trained_on": "", "features": len(names), "l2": args.l2}
    for k, weights in fold_weights.items():
        meta["trained_on"] = f"ConfliBERT tuning sentences outside fold {k}, out-of-fold argument taggers"
        export(args.folds_dir / f"fold-{k}" / FILE_NAME, weights, names, threshold, meta)
    if args.export:
        rows, labels, _ = matrix(records, names)
        meta["trained_on"] = (
            f"ConfliBERT tuning four fifths ({len(records)} events), out-of-fold argument taggers "
            "(training/events/target_chooser.py)"
        )
        export(args.export, fit(rows, labels, args.l2), names, threshold, meta)
        print(f"threshold {threshold} -> {args.export}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
