"""Train the event argument span model (``newsledger.analyze.events.spans``) on ConfliBERT actor spans.

    python training/events/argument_spans.py ../shared/gold/confilbert-cameo/train.txt \
        --export src/newsledger/models/events/argument_spans.json

The rules code each sentence's events with the span model off. Where the main event's source or
target overlaps an annotated span of its role, the candidate phrases around the argument's head are
listed and the annotated one, when it is among them, is the one to prefer: a conditional logit over
the candidates, trained on the tuning four fifths of the sentences (``split_conll``). The L2 strength
is chosen by cross-validation inside those four fifths; the held-out fifth is only reported.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Token

from newsledger.analyze.events.spans import ROLES, anchor_features, candidates, with_role
from newsledger.analyze.pipeline import COMPONENTS, build_pipeline
from newsledger.eval.events import TaggedSentence, _token_doc, main_event, read_conll, split_conll

L2_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03)


@dataclass
class Instance:
    options: list[list[str]]  # the features of each candidate
    spans: list[tuple[int, int]]
    gold: int  # index of the annotated span among the candidates
    rule: tuple[int, int]  # the span the rules alone give


def rule_pipeline() -> Language:
    nlp = build_pipeline(components=tuple(c for c in COMPONENTS if c != "newsledger_events"))
    nlp.add_pipe("newsledger_events", config={"argument_spans": False, "argument_tagger": False})
    return nlp


def _root(doc_span: list[Token]) -> Token:
    inside = {t.i for t in doc_span}
    roots = [t for t in doc_span if t.head.i not in inside or t.head.i == t.i]
    return roots[-1]


def collect(nlp: Language, sentences: list[TaggedSentence]) -> tuple[list[Instance], dict[str, int]]:
    """One instance per main-event argument whose rule span overlaps an annotated span of its role."""
    instances: list[Instance] = []
    counts = {"overlapping": 0, "reachable": 0}
    docs = nlp.pipe((_token_doc(nlp, s.tokens) for s in sentences), batch_size=64)
    for sentence, doc in zip(sentences, docs, strict=True):
        event = main_event(doc._.events or (), doc)
        if event is None:
            continue
        trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        rules = {
            role: doc.char_span(actor.span.start, actor.span.end, alignment_mode="expand")
            for role in ROLES
            if (actor := getattr(event, role)) is not None
        }
        heads = {role: _root(list(span)) for role, span in rules.items() if span is not None}
        for role, gold in (("source", sentence.sources), ("target", sentence.targets)):
            predicted = rules.get(role)
            if predicted is None:
                continue
            # as at run time: never the trigger or the other party's head
            avoid = [*(trigger or ()), *(h for r, h in heads.items() if r != role)]
            overlapping = [g for g in gold if g[0] < predicted.end and predicted.start < g[1]]
            if not overlapping:
                continue
            counts["overlapping"] += 1
            target = max(overlapping, key=lambda g: min(g[1], predicted.end) - max(g[0], predicted.start))
            head = heads[role]
            options: list[list[str]] = []
            spans: list[tuple[int, int]] = []
            for anchor, how, lefts, rights in candidates(head, avoid):
                base = anchor_features(head, anchor, how)
                for left in lefts:
                    for right in rights:
                        options.append(with_role([*base, *left.features, *right.features], role))
                        spans.append((left.index, right.index))
            if target in spans:
                counts["reachable"] += 1
                rule = (predicted.start, predicted.end)
                instances.append(Instance(options, spans, spans.index(target), rule))
    return instances, counts


def _matrices(instances: list[Instance], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = [[index[f] for f in option if f in index] for inst in instances for option in inst.options]
    x = np.zeros((len(rows), len(index)), dtype=np.float32)
    for r, columns in enumerate(rows):
        np.add.at(x[r], columns, 1.0)
    sizes = np.array([len(inst.options) for inst in instances])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    gold = offsets + np.array([inst.gold for inst in instances])
    return x, offsets, gold


def fit(instances: list[Instance], l2: float, epochs: int = 300) -> dict[str, float]:
    """Weights maximising the annotated candidates' log-likelihood (full-batch Adam, L2 penalty)."""
    features = sorted({f for inst in instances for option in inst.options for f in option})
    index = {f: i for i, f in enumerate(features)}
    x, offsets, gold = _matrices(instances, index)
    group = np.repeat(np.arange(len(instances)), np.diff(np.append(offsets, len(x))))
    w = np.zeros(len(features), dtype=np.float64)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, epochs + 1):
        scores = x @ w
        peak = np.maximum.reduceat(scores, offsets)[group]
        e = np.exp(scores - peak)
        p = e / np.add.reduceat(e, offsets)[group]
        grad = x.T @ p - x[gold].sum(axis=0)
        grad = grad / len(instances) + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return {f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= 1e-3}


def accuracy(weights: dict[str, float], instances: list[Instance]) -> float:
    if not instances:
        return 0.0
    hits = 0
    for inst in instances:
        scores = [sum(weights.get(f, 0.0) for f in option) for option in inst.options]
        hits += int(np.argmax(scores)) == inst.gold
    return hits / len(instances)


def choose_l2(instances: list[Instance], folds: int = 4) -> tuple[float, dict[float, float]]:
    results = {}
    for l2 in L2_GRID:
        right = 0.0
        for k in range(folds):
            train = [inst for i, inst in enumerate(instances) if i % folds != k]
            test = [inst for i, inst in enumerate(instances) if i % folds == k]
            right += accuracy(fit(train, l2), test) * len(test)
        results[l2] = round(right / len(instances), 4)
    return max(results, key=lambda k: results[k]), results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="ConfliBERT train.txt")
    parser.add_argument("--export", type=Path, required=True, help="where to write the weights (JSON)")
    args = parser.parse_args()
    tune, held = split_conll(read_conll(args.gold))
    nlp = rule_pipeline()
    train, train_counts = collect(nlp, tune)
    test, test_counts = collect(nlp, held)
    l2, grid = choose_l2(train)
    weights = fit(train, l2)
    rule_hits = {
        name: sum(inst.spans[inst.gold] == inst.rule for inst in part) / max(len(part), 1)
        for name, part in (("tune", train), ("held_out", test))
    }
    report = {
        "instances": {"tune": train_counts, "held_out": test_counts},
        "l2_grid_cv_accuracy": {str(k): v for k, v in grid.items()},
        "l2": l2,
        "candidate_accuracy": {"tune": accuracy(weights, train), "held_out": accuracy(weights, test)},
        "rule_span_accuracy": rule_hits,
    }
    print(json.dumps(report, indent=1))
    args.export.parent.mkdir(parents=True, exist_ok=True)
    model = {
        "version": 1,
        "trained_on": f"{args.gold.name}: the tuning four fifths of the sentences (split_conll)",
        "roles": list(ROLES),
        "training": report,
        "weights": dict(sorted(weights.items())),
    }
    args.export.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
