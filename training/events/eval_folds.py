"""Score the whole pipeline on the tuning sentences, each part tagged by the fold that never saw it.

    python training/events/eval_folds.py ../shared/gold/confilbert-cameo/train.txt \
        training/work/events/folds [--dump FILE.jsonl]

``folds.py`` trains the fold taggers. For each part, the events component's argument tagger is that
part's fold tagger, so the source / target span F1 printed here shows how the rules and the tag layer
combine on sentences the tag layer did not learn: the figure to judge a change of that combination
by. Each part's target chooser is the one ``target_chooser.py`` trained without it (``fold-K/``), or
none when that was not run. ``--dump`` writes one JSON line per sentence (gold spans, the tag layer's
spans, the main event's parties) for reading the errors. The held-out fifth is not read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsledger.analyze.attributions.labels import bio_spans
from newsledger.analyze.attributions.tagger import SpanTagger
from newsledger.analyze.events.arguments import ARGUMENT_LABELS
from newsledger.analyze.events.targets import FILE_NAME, TargetChooser
from newsledger.analyze.pipeline import build_pipeline
from newsledger.eval.events import (
    TaggedSentence,
    main_parties,
    read_conll,
    split_conll,
    token_doc,
)


def fold_parts(rows: list[Any], folds: int) -> list[tuple[list[Any], list[Any]]]:
    """(training rows, tagged rows) of each fold."""
    return [
        ([r for i, r in enumerate(rows) if i % folds != k], [r for i, r in enumerate(rows) if i % folds == k])
        for k in range(folds)
    ]


def prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    precision = tp / pred if pred else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("models", type=Path, help="the folder folds.py wrote")
    parser.add_argument("--folds", type=int, default=5, help="as given to folds.py")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args(argv)
    nlp = build_pipeline()
    events = nlp.get_pipe("newsledger_events")
    tune, _ = split_conll(read_conll(args.gold))
    counts = {k: [0, 0, 0] for k in ("source", "target", "tagger source", "tagger target")}
    rows: list[dict[str, Any]] = []
    for k, (_, part) in enumerate(fold_parts(tune, args.folds)):
        if not (args.models / f"fold-{k}").is_dir():
            print(f"fold {k} not trained: its sentences are left out", file=sys.stderr)
            continue
        tagger = SpanTagger(args.models / f"fold-{k}", labels=ARGUMENT_LABELS, name="fold tagger")
        events.arguments = tagger
        # the shipped chooser learned every fold: each fold takes the one trained without it, if any
        chooser = args.models / f"fold-{k}" / FILE_NAME
        events.chooser = TargetChooser.load(chooser) if chooser.is_file() else None
        docs = nlp.pipe((token_doc(nlp, s.tokens) for s in part), batch_size=64)
        for sentence, doc in zip(part, docs, strict=True):
            rows.append(score(sentence, doc, tagger, counts, k))
    report = {role: prf(*c) for role, c in counts.items()}
    print(json.dumps({"sentences": len(rows), **report}))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")
    return 0


def score(
    sentence: TaggedSentence, doc: Any, tagger: SpanTagger, counts: dict[str, list[int]], fold: int
) -> dict[str, Any]:
    event, spans = main_parties(doc)
    row: dict[str, Any] = {
        "fold": fold,
        "text": " ".join(sentence.tokens),
        "gold_sources": sorted(sentence.sources),
        "gold_targets": sorted(sentence.targets),
        "trigger": event.trigger.text if event else None,
        "type": event.type if event else None,
    }
    for role, gold in (("source", sentence.sources), ("target", sentence.targets)):
        actor = getattr(event, role) if event else None
        row[role] = spans[role][0] if spans[role] else None
        row[f"{role}s"] = spans[role]
        row[f"{role}_code"] = (actor.country, actor.sector) if actor else None
        counts[role][2] += len(gold)
        counts[role][1] += len(spans[role])
        counts[role][0] += sum(span in gold for span in spans[role])
    tags = tagger.tag([list(sentence.tokens)])[0]
    spans = bio_spans(tags)
    for role, kinds, gold in (
        ("source", {"S", "R"}, sentence.sources),
        ("target", {"T", "R"}, sentence.targets),
    ):
        found = {(a, b) for kind, a, b in spans if kind in kinds}
        row[f"tagged_{role}s"] = sorted(found)
        c = counts[f"tagger {role}"]
        c[0] += len(found & gold)
        c[1] += len(found)
        c[2] += len(gold)
    return row


if __name__ == "__main__":
    raise SystemExit(main())
