"""Fine-tune MiniLM as the event argument tagger on ConfliBERT actor spans and export it as int8 ONNX.

    python training/events/argument_tagger.py ../shared/gold/confilbert-cameo/train.txt \\
        --export training/work/events/tagger

The product does not ship this tagger as it is: ``training/tagger/joint.py`` distils it into a second
tag layer of the attribution tagger (``make train-tagger``), so that both share one encoder.

The tagger marks the source (S), target (T) and reciprocal parties (R) of a sentence's main event, as
the ConfliBERT annotators did. The encoder is all-MiniLM-L6-v2 cut to its first ``--layers`` layers,
as for the attribution tagger (``training/attributions/train.py``, whose model and export code this
reuses). It is trained on the tuning four fifths of the sentences (``split_conll``); the held-out fifth
is only scored, after export, through the run-time tagger. ``--inner`` instead trains on four fifths
of the tuning sentences and scores the rest after every epoch: that is how ``--epochs`` was chosen.

Decoding biases (per-tag priors that trade recall for exact boundaries, as for the attribution tagger)
are tuned on the inner split too: a model trained on four fifths of the tuning sentences tags the
fifth it did not see, through its int8 graph, and the biases that give the best mean exact F1 there go
into the exported ``meta.json``. ``--retune-bias FOLDER`` does only this for an exported model.

``--ffn N`` makes the shipped tagger cheaper: once trained, each layer's feed-forward block is pruned to
its ``N`` most important units and the pruned copy is distilled back from the full tagger, on the
gold sentences and the unlabelled ``--silver`` ones (``silver.py``), for ``--distil-epochs``
(``pruned``); the inner models that tune the decoding biases go through the same steps.

``--teachers N`` distils an ensemble: N taggers of ``--teacher-layers`` layers, trained first on the same
sentences with other seeds, give the averaged, softened tag scores that are mixed into the loss
(``--alpha``, ``--temperature``); ``--silver FILE`` (JSON lines of word lists: unlabelled news
sentences) adds sentences scored by the ensemble alone. Training runs on a CUDA GPU when torch sees one
(``--device``).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "attributions"))

from train import (
    MAX_PIECES,
    Tagger,
    decode,
    encoder_dir,
    optimizer_and_schedule,
    optimizer_step,
    predict_tags,
    prune_ffn,
    tune_decode_bias,
    write_graph,
)

from newsledger.analyze.attributions.labels import bio_spans
from newsledger.analyze.attributions.tagger import SpanTagger, load_tokenizer, piece_windows
from newsledger.analyze.events.arguments import ARGUMENT_LABELS
from newsledger.eval.events import split_conll

Row = tuple[list[str], list[str]]  # words, tags
LABEL_IDS = {label: index for index, label in enumerate(ARGUMENT_LABELS)}


def read_rows(path: Path) -> list[Row]:
    rows: list[Row] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as lines:
        for line in [*lines, "\n"]:
            if not line.strip():
                if words:
                    rows.append((words, tags))
                words, tags = [], []
                continue
            word, tag = line.rstrip("\n").rsplit(" ", 1)
            words.append(word)
            tags.append(tag)
    return rows


def span_f1(predicted: list[list[str]], rows: list[Row]) -> dict[str, float]:
    """Exact span F1 per role, a reciprocal span counting as both source and target."""
    from newsledger.eval.attributions import prf

    counts = {"source": [0, 0, 0], "target": [0, 0, 0]}
    for tags, (_, gold_tags) in zip(predicted, rows, strict=True):
        for role, kinds in (("source", {"S", "R"}), ("target", {"T", "R"})):
            gold = {(a, b) for kind, a, b in bio_spans(gold_tags) if kind in kinds}
            found = {(a, b) for kind, a, b in bio_spans(tags) if kind in kinds}
            counts[role][0] += len(gold & found)
            counts[role][1] += len(found)
            counts[role][2] += len(gold)
    return {role: round(prf(*c)[2], 4) for role, c in counts.items()}


Window = tuple[list[int], list[int], list[int]]  # piece ids, first pieces, label ids (-100: none)


def windows_of(rows: list[Row], silver: list[list[str]]) -> list[Window]:
    tokenizer = load_tokenizer(encoder_dir())
    windows: list[Window] = []
    for words, tags in [*rows, *((words, []) for words in silver)]:
        labels = [LABEL_IDS[tag] for tag in tags] or [-100] * len(words)
        for ids, firsts in piece_windows(tokenizer, words, MAX_PIECES):
            windows.append((ids, firsts, labels[: len(firsts)]))
            labels = labels[len(firsts) :]
    return windows


def pruned(model: Tagger, rows: list[Row], args: argparse.Namespace, check: list[Row]) -> Tagger:
    """A copy of the trained ``model`` with each feed-forward block pruned to ``--ffn`` units
    (``prune_ffn``, ranked on ``rows``), distilled back from it: for ``--distil-epochs`` epochs at
    ``--distil-lr`` the copy learns ``rows``' gold tags and ``model``'s softened scores on ``rows``
    and the ``--silver`` sentences. Pruning MiniLM before fine-tuning instead lost 4.5 points of
    inner target F1 (docs/events.md)."""
    student = copy.deepcopy(model)
    prune_ffn(student, args.ffn, windows_of(rows, []))
    teacher = model.eval().requires_grad_(False)
    distil = argparse.Namespace(
        **{**vars(args), "epochs": args.distil_epochs, "lr": args.distil_lr, "head_lr": 2 * args.distil_lr}
    )
    train(student, rows, distil, check, [teacher], args.silver_words)
    return student


def batch_tensors(batch: list[Window], device: torch.device) -> tuple[torch.Tensor, ...]:
    """Piece ids, attention mask, gold tag ids (-100 where none) and the pieces that carry a word."""
    width = max(len(ids) for ids, _, _ in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    gold = torch.full_like(ids, -100)
    scored = torch.zeros_like(ids, dtype=torch.bool)
    for row, (pieces, firsts, labels) in enumerate(batch):
        ids[row, : len(pieces)] = torch.tensor(pieces)
        mask[row, : len(pieces)] = 1
        gold[row, firsts] = torch.tensor(labels)
        scored[row, firsts] = True
    return tuple(t.to(device) for t in (ids, mask, gold, scored))


def ensemble_loss(
    logits: torch.Tensor,
    teachers: list[Tagger],
    ids: torch.Tensor,
    mask: torch.Tensor,
    scored: torch.Tensor,
    temperature: float,
) -> torch.Tensor:
    """KL divergence from the teachers' averaged, softened tag distribution to the student's, over the
    pieces that carry a word, scaled by the squared temperature so its gradients keep their size."""
    with torch.no_grad():
        probs = torch.stack([torch.softmax(t(ids, mask)[scored] / temperature, -1) for t in teachers])
        target = torch.log(probs.mean(0))
    student = torch.log_softmax(logits[scored] / temperature, -1)
    divergence = torch.nn.functional.kl_div(student, target, log_target=True, reduction="batchmean")
    return divergence * temperature**2


def train_teachers(rows: list[Row], args: argparse.Namespace) -> list[Tagger]:
    """``--teachers`` taggers of ``--teacher-layers`` layers on ``rows``, seeds after the student's."""
    teachers = []
    for k in range(args.teachers):
        seed = args.seed + 100 + k
        torch.manual_seed(seed)
        teacher = Tagger(args.teacher_layers, args.dropout, labels=len(ARGUMENT_LABELS))
        plain = argparse.Namespace(**{**vars(args), "seed": seed, "layers": args.teacher_layers})
        train(teacher, rows, plain, [])
        teachers.append(teacher.eval().requires_grad_(False))
    return teachers


def train(
    model: Tagger,
    rows: list[Row],
    args: argparse.Namespace,
    check: list[Row],
    teachers: list[Tagger] | None = None,
    silver: list[list[str]] | None = None,
) -> None:
    rng = random.Random(args.seed)
    device = torch.device(args.device)
    model.to(device)
    windows = windows_of(rows, silver if teachers else [])
    batches = (len(windows) + args.batch - 1) // args.batch
    optimizer, schedule = optimizer_and_schedule(model, args.lr, args.head_lr, batches * args.epochs, 10)
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        order = list(range(len(windows)))
        rng.shuffle(order)
        for first in range(0, len(order), args.batch):
            ids, mask, gold, scored = batch_tensors(
                [windows[i] for i in order[first : first + args.batch]], device
            )
            logits = model(ids, mask)
            loss = torch.zeros((), device=device)
            if (gold != -100).any():
                loss = torch.nn.functional.cross_entropy(
                    logits.reshape(-1, len(ARGUMENT_LABELS)), gold.reshape(-1)
                )
            if teachers:
                loss = (1 - args.alpha) * loss + args.alpha * ensemble_loss(
                    logits, teachers, ids, mask, scored, args.temperature
                )
            optimizer_step(model, loss, optimizer, schedule)
        line = f"epoch {epoch} {time.time() - started:.0f}s"
        if check:
            line += f" inner dev exact F1 {json.dumps(score_torch(model, check))}"
        print(line, file=sys.stderr, flush=True)


def score_torch(model: Tagger, rows: list[Row]) -> dict[str, float]:
    return span_f1(predict_tags(model, [words for words, _ in rows], encoder_dir(), ARGUMENT_LABELS), rows)


def export(model: Tagger, target: Path, held: list[Row], meta: dict[str, object]) -> dict[str, float]:
    """Write tagger.onnx (int8), tokenizer.json and meta.json into ``target``; score held-out."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_graph(model, folder)
        scores = score_held_out(folder, held, meta)
        target.mkdir(parents=True, exist_ok=True)
        for name in ("tagger.onnx", "tokenizer.json", "meta.json"):
            shutil.copy(folder / name, target / name)
    return scores


def score_held_out(folder: Path, held: list[Row], meta: dict[str, object]) -> dict[str, float]:
    """Exact F1 of the run-time tagger in ``folder`` (its decoding biases included) on the held-out
    fifth, recorded in ``meta`` and written to ``folder/meta.json``."""
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    tagger = SpanTagger(folder, labels=ARGUMENT_LABELS, name="event argument tagger")
    scores = span_f1(tagger.tag([words for words, _ in held]), held)
    meta["held_out_int8_all_spans"] = scores
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return scores


def inner_decode_bias(tune: list[Row], args: argparse.Namespace) -> dict[str, object]:
    """Decoding biases tuned on the inner fifth of the tuning sentences, tagged (int8, as at run time)
    by ``--bias-seeds`` models trained on the other four fifths with consecutive seeds; with the
    inner fifth's exact F1 before and after. The inner fifth is small (184 sentences): one model's
    best biases differed from another seed's, pooling both models' tags steadies the choice."""
    inner, check = split_conll(tune)
    teachers = train_teachers(inner, args)
    log_probs: list[np.ndarray] = []
    for seed in range(args.seed, args.seed + args.bias_seeds):
        torch.manual_seed(seed)
        model = Tagger(args.layers, args.dropout, labels=len(ARGUMENT_LABELS))
        seeded = argparse.Namespace(**{**vars(args), "seed": seed})
        train(model, inner, seeded, [], teachers, args.silver_words)
        if args.ffn:
            model = pruned(model, inner, seeded, [])
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_graph(model, folder)
            meta = {"labels": list(ARGUMENT_LABELS), "max_pieces": MAX_PIECES}
            (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            tagger = SpanTagger(folder, labels=ARGUMENT_LABELS, name="event argument tagger")
            log_probs += tagger.log_probs([words for words, _ in check])
    rows = check * args.bias_seeds
    bias = tune_decode_bias(log_probs, lambda tags: span_f1(tags, rows), ARGUMENT_LABELS)
    return {
        "decode_bias": {label: float(b) for label, b in zip(ARGUMENT_LABELS, bias, strict=True) if b},
        "inner_int8_unbiased": span_f1(decode(log_probs, np.zeros_like(bias), ARGUMENT_LABELS), rows),
        "inner_int8_biased": span_f1(decode(log_probs, bias, ARGUMENT_LABELS), rows),
    }


def add_recipe_options(parser: argparse.ArgumentParser) -> None:
    """The options of the recipe that trains a tagger (also ``folds.py``'s)."""
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="ConfliBERT train.txt (CoNLL, B-/I- S, T, R tags)")
    parser.add_argument("--export", type=Path, help="package folder to write the model into")
    parser.add_argument("--inner", action="store_true", help="choose epochs: train and score inside tuning")
    parser.add_argument(
        "--retune-bias", type=Path, help="re-tune the decoding biases of the model in a folder"
    )
    parser.add_argument("--bias-seeds", type=int, default=2, help="inner models that tune the biases")
    add_recipe_options(parser)
    parser.add_argument("--ffn", type=int, help="then prune each feed-forward block to this many units")
    parser.add_argument("--distil-epochs", type=int, default=3, help="epochs that distil the pruned tagger")
    parser.add_argument("--distil-lr", type=float, default=2e-5)
    parser.add_argument("--teachers", type=int, default=0, help="taggers whose averaged scores to distil")
    parser.add_argument("--teacher-layers", type=int, default=6)
    parser.add_argument("--alpha", type=float, default=0.5, help="weight of the teachers' scores in the loss")
    parser.add_argument("--temperature", type=float, default=2.0, help="softening of all models' scores")
    parser.add_argument("--silver", type=Path, help="JSON lines of unlabelled sentences (word lists)")
    args = parser.parse_args(argv)
    args.silver_words = (
        [json.loads(line) for line in args.silver.read_text(encoding="utf-8").splitlines() if line.strip()]
        if args.silver
        else []
    )

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tune, held = split_conll(read_rows(args.gold))  # type: ignore[arg-type]
    if args.inner:
        inner, check = split_conll(tune)
        model = Tagger(args.layers, args.dropout, labels=len(ARGUMENT_LABELS))
        train(model, inner, args, check)
        if args.ffn:
            pruned(model, inner, args, check)
        return 0
    if args.retune_bias:
        meta = json.loads((args.retune_bias / "meta.json").read_text(encoding="utf-8"))
        meta.update(inner_decode_bias(tune, args))
        scores = score_held_out(args.retune_bias, held, meta)
        print(
            f"decoding biases {meta['decode_bias']}; held-out exact F1 {json.dumps(scores)}", file=sys.stderr
        )
        return 0
    tuned = inner_decode_bias(tune, args) if args.export else {}
    teachers = train_teachers(tune, args)
    torch.manual_seed(args.seed)
    model = Tagger(args.layers, args.dropout, labels=len(ARGUMENT_LABELS))
    train(model, tune, args, [], teachers, args.silver_words)
    if args.ffn:
        model = pruned(model, tune, args, [])
    if args.export:
        meta: dict[str, object] = {
            "labels": list(ARGUMENT_LABELS),
            "max_pieces": MAX_PIECES,
            "encoder": f"all-MiniLM-L6-v2 (Apache-2.0), first {args.layers} layers, fine-tuned"
            + (f", feed-forward blocks pruned to {args.ffn} units and distilled" if args.ffn else "")
            + ", int8",
            "trained_on": "ConfliBERT CAMEO actor spans, tuning four fifths (training/events)",
            "training": {
                k: str(v)
                for k, v in vars(args).items()
                if k not in ("inner", "retune_bias", "device", "silver_words")
                and v is not None
                and not (k in ("teacher_layers", "alpha", "temperature") and not (args.teachers or args.ffn))
                and not (k in ("distil_epochs", "distil_lr") and not args.ffn)
            },
            **tuned,
        }
        scores = export(model, args.export, held, meta)
        print(f"exported int8 -> {args.export}; held-out exact F1 {json.dumps(scores)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
