"""Out-of-fold argument taggers: tag layers that never saw the tuning sentences they tag.

    python training/events/folds.py ../shared/gold/confilbert-cameo/train.txt training/work/events/folds

The shipped argument tag layer was trained on the tuning four fifths of ``train.txt`` (gold repeated),
so on those sentences it is nearly always right: a rule that decides between the tag layer and the
parse rules, judged there, would learn to trust the tag layer far more than it deserves on new news.
This script splits the tuning sentences into ``--folds`` parts (``split_conll``'s rule: sentence i goes
to part i mod folds) and, for each part, trains a tagger on the others with the recipe of
``make train-event-tagger`` (``argument_tagger.py``'s defaults: four layers, 12 epochs) and exports it
as int8 into ``OUT/fold-K`` with the shipped event head's decoding biases. ``eval_folds.py`` then runs
the whole pipeline on each part with its fold's tagger. The held-out fifth is neither trained on
nor tagged here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "attributions"))

from argument_tagger import add_recipe_options, read_rows, span_f1, train
from eval_folds import fold_parts
from train import MAX_PIECES, Tagger, write_graph

from newsledger.analyze.attributions.tagger import SpanTagger, model_folder
from newsledger.analyze.events.arguments import ARGUMENT_HEAD, ARGUMENT_LABELS
from newsledger.analyze.events.targets import FILE_NAME
from newsledger.eval.events import split_conll


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="ConfliBERT train.txt")
    parser.add_argument("out", type=Path, help="folder for fold-0 ... fold-K")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", type=int, nargs="*", help="train only these folds")
    add_recipe_options(parser)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    shipped = json.loads((model_folder() / "meta.json").read_text(encoding="utf-8"))
    bias = shipped["heads"][ARGUMENT_HEAD]["decode_bias"]
    tune, _ = split_conll(read_rows(args.gold))  # type: ignore[arg-type]
    for k, (rows, tagged) in enumerate(fold_parts(tune, args.folds)):
        if args.only is not None and k not in args.only:
            continue
        torch.manual_seed(args.seed)
        model = Tagger(args.layers, args.dropout, labels=len(ARGUMENT_LABELS))
        train(model, rows, args, [])
        target = args.out / f"fold-{k}"
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            write_graph(model, Path(tmp))
            for name in ("tagger.onnx", "tokenizer.json"):
                (target / name).write_bytes((Path(tmp) / name).read_bytes())
        meta = {
            "labels": list(ARGUMENT_LABELS),
            "max_pieces": MAX_PIECES,
            "decode_bias": bias,
            "fold": k,
            "folds": args.folds,
        }
        (target / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        # a target chooser learned the old tagger's scores: `make train-target-chooser` trains it anew
        (target / FILE_NAME).unlink(missing_ok=True)
        tagger = SpanTagger(target, labels=ARGUMENT_LABELS, name="event argument tagger")
        scores = span_f1(tagger.tag([words for words, _ in tagged]), tagged)
        print(
            f"fold {k}: {len(rows)} trained, {len(tagged)} tagged, exact F1 {json.dumps(scores)}", flush=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
