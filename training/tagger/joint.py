"""Distil the attribution tagger and the event argument tagger into one encoder with two tag layers.

    python training/tagger/joint.py \\
        --attribution-checkpoint training/work/attributions/tagger-6-ffn1024.pt \\
        --attribution-teacher training/work/attributions/model --events-teacher training/work/events/tagger \\
        --export training/work/tagger/full

Both taggers read the same word pieces of the same sentences, and each ran its own encoder: the
argument tagger's four layers cost about a fifth of the whole analysis. Here the attribution tagger
(``--attribution-checkpoint``, the fp32 weights that ``training/attributions/train.py`` wrote; six
layers, feed-forward blocks pruned) gets a second tag layer for event arguments, and the whole
network learns from both trained taggers at once, each run through its int8 graph as the product
runs it (``--attribution-teacher``, ``--events-teacher``):

- the PolNeAR train sentences (``--attribution-train``: gold attribution tags, the unlabelled ones
  sampled at ``--negatives``), the tuning four fifths of the ConfliBERT sentences (gold argument
  tags, repeated ``--gold-repeat`` times) and unlabelled news sentences (``--silver``:
  ``training/events/silver.py``) are all scored by both teachers;
- each tag layer's loss is its teacher's softened scores (``--temperature``) mixed with the gold tags
  where there are any (``--alpha``: the teacher's weight), and the two losses are summed.

A second run makes the shipped graph cheaper: ``--init`` starts from the first run's exported graph
(its int8 weights read back and dequantised: ``graph.weights``), ``--ffn 512`` first narrows every
feed-forward block to the units that matter most on a sample of the windows (``prune_ffn``), and the
same graph teaches both tag layers (``--attribution-teacher`` and ``--events-teacher`` both name it;
its ``event_logits`` teach the argument tag layer):

    python training/tagger/joint.py --init training/work/tagger/full --ffn 512 --lr 1e-4 --head-lr 2e-4 \\
        --attribution-teacher training/work/tagger/full --events-teacher training/work/tagger/full \\
        --checkpoint training/work/tagger/joint-ffn512.pt --export src/newsledger/models/attribution

The exported graph (int8, as ``training/attributions/train.py`` exports) has two outputs, ``logits``
(attributions) and ``event_logits`` (event arguments: head ``event_arguments`` in ``meta.json``),
and keeps both teachers' decoding biases; the attribution teacher's sentence filter comes with it.
The held-out fifth of the ConfliBERT sentences is only scored, after export.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime
import torch

TRAINING = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TRAINING / "attributions"))
sys.path.insert(0, str(TRAINING / "events"))

from argument_tagger import LABEL_IDS as ARGUMENT_IDS  # noqa: E402
from argument_tagger import read_rows  # noqa: E402
from argument_tagger import span_f1 as argument_f1  # noqa: E402
from graph import quantize, weights  # noqa: E402
from train import (  # noqa: E402
    MAX_PIECES,
    Tagger,
    encoder_dir,
    ffn_width,
    load_rows,
    narrow_ffn,
    optimizer_and_schedule,
    optimizer_step,
    prune_ffn,
    softened_kl,
    span_f1,
    windows_of,
)

from newsledger.analyze.attributions.tagger import SpanTagger, load_tokenizer, piece_windows  # noqa: E402
from newsledger.analyze.events.arguments import ARGUMENT_HEAD, ARGUMENT_LABELS  # noqa: E402
from newsledger.eval.events import split_conll  # noqa: E402

#: piece ids, first pieces, gold attribution tag ids, gold argument tag ids (None: no gold)
Window = tuple[list[int], list[int], list[int] | None, list[int] | None]


class JointTagger(torch.nn.Module):
    """The attribution tagger (encoder, ``out``) with a second tag layer, ``events``."""

    def __init__(self, layers: int, ffn: int | None, dropout: float) -> None:
        super().__init__()
        self.tagger = Tagger(layers, dropout, ffn=ffn)
        self.events = torch.nn.Linear(self.tagger.encoder.config.hidden_size, len(ARGUMENT_LABELS))

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.tagger.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        states = self.tagger.dropout(states)
        return self.tagger.out(states), self.events(states)


def initial_model(args: argparse.Namespace) -> JointTagger:
    """The network training starts from: an exported joint graph's weights, dequantised (``--init``),
    or the attribution tagger's checkpoint with a new argument tag layer."""
    if args.init:
        state = {
            name.removeprefix("model."): torch.from_numpy(array.copy())
            for name, array in weights(args.init / "tagger.onnx").items()
        }
        layers = {name.split(".")[4] for name in state if name.startswith("tagger.encoder.encoder.layer.")}
        ffn = len(state["tagger.encoder.encoder.layer.0.intermediate.dense.bias"])
        model = JointTagger(len(layers), ffn, args.dropout)
        missing, unexpected = model.load_state_dict(state, strict=False)
        # the pooler is not in the graph (nothing reads it): it keeps MiniLM's weights
        if unexpected or any(".pooler." not in name for name in missing):
            raise ValueError(f"{args.init}: weights that do not fit the joint tagger: {missing + unexpected}")
        return model
    checkpoint = torch.load(args.attribution_checkpoint, map_location="cpu")
    model = JointTagger(int(checkpoint["layers"]), checkpoint.get("ffn"), args.dropout)
    model.tagger.load_state_dict(checkpoint["weights"])
    return model


def collect_windows(args: argparse.Namespace, rng: random.Random) -> list[Window]:
    """The training windows: PolNeAR sentences, tuning ConfliBERT sentences (repeated), silver."""
    rows = [
        r
        for r in load_rows(args.attribution_train)
        if set(r["labels"]) != {"O"} or rng.random() < args.negatives
    ]
    windows: list[Window] = [
        (ids, firsts, labels, None) for ids, firsts, labels in windows_of(rows, encoder_dir())
    ]
    tokenizer = load_tokenizer(encoder_dir())
    tune, _ = split_conll(read_rows(args.events_gold))  # type: ignore[arg-type]
    gold: list[Window] = []
    for words, tags in tune:
        labels = [ARGUMENT_IDS[tag] for tag in tags]
        for ids, firsts in piece_windows(tokenizer, words, MAX_PIECES):
            gold.append((ids, firsts, None, labels[: len(firsts)]))
            labels = labels[len(firsts) :]
    silver = [
        json.loads(line) for line in args.silver.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    unlabelled: list[Window] = [
        (ids, firsts, None, None)
        for words in silver
        for ids, firsts in piece_windows(tokenizer, words, MAX_PIECES)
    ]
    return [w for w in [*windows, *gold * args.gold_repeat, *unlabelled] if w[1]]


def teacher_scores(
    folder: Path, windows: list[Window], threads: int, head: str | None = None
) -> list[torch.Tensor]:
    """The int8 teacher graph's scores of each window's first pieces: its first output, or the output
    of ``head`` when the graph has that head (a joint graph teaching both tag layers)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    session = onnxruntime.InferenceSession(
        str(folder / "tagger.onnx"), options, providers=["CPUExecutionProvider"]
    )
    heads = json.loads((folder / "meta.json").read_text(encoding="utf-8")).get("heads", {})
    output = heads[head]["output"] if head in heads else session.get_outputs()[0].name
    scores: list[torch.Tensor] = []
    known: dict[bytes, torch.Tensor] = {}  # the repeated gold windows run once
    for ids, firsts, _, _ in windows:
        key = np.array(ids, dtype=np.int64).tobytes() + np.array(firsts, dtype=np.int64).tobytes()
        if key not in known:
            (logits,) = session.run([output], {"input_ids": np.array([ids], dtype=np.int64)})
            known[key] = torch.from_numpy(logits[0][firsts].copy())
        scores.append(known[key])
    return scores


def head_spec(folder: Path, head: str) -> dict[str, object]:
    """The ``meta.json`` entry of a teacher's tag layer: its head's, or the top level's."""
    meta: dict[str, object] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    heads = meta.get("heads", {})
    return heads[head] if isinstance(heads, dict) and head in heads else meta  # type: ignore[no-any-return]


def prune(model: JointTagger, width: int, windows: list[Window], rng: random.Random) -> None:
    """Narrow the encoder's feed-forward blocks to the ``width`` units that matter most on 1,500 of
    the training windows (``prune_ffn``)."""
    sample = rng.sample(windows, min(1500, len(windows)))
    prune_ffn(model.tagger, width, [(ids, firsts, [0] * len(firsts)) for ids, firsts, _, _ in sample])


def head_loss(
    logits: torch.Tensor,
    scored: torch.Tensor,
    teacher: torch.Tensor,
    gold: torch.Tensor,
    args: argparse.Namespace,
) -> torch.Tensor:
    """One tag layer's loss: its teacher's scores, mixed with the gold tags when the batch has any."""
    loss = softened_kl(logits[scored], teacher, args.temperature)
    if (gold != -100).any():
        hard = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), gold.reshape(-1))
        loss = args.alpha * loss + (1 - args.alpha) * hard
    return loss


def train(
    model: JointTagger,
    windows: list[Window],
    teachers: tuple[list[torch.Tensor], ...],
    args: argparse.Namespace,
) -> None:
    """Train both tag layers, the batches in an order drawn from their own ``--seed`` stream."""
    rng = random.Random(args.seed)
    device = torch.device(args.device)
    model.to(device).train()
    order = sorted(range(len(windows)), key=lambda i: (len(windows[i][0]), rng.random()))
    batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
    optimizer, schedule = optimizer_and_schedule(
        model, args.lr, args.head_lr, len(batches) * args.epochs, 16, head=list(model.events.parameters())
    )
    started = time.time()
    step = 0
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(batches)
        for batch in batches:
            width = max(len(windows[i][0]) for i in batch)
            ids = torch.zeros((len(batch), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            scored = torch.zeros_like(ids, dtype=torch.bool)
            golds = (torch.full_like(ids, -100), torch.full_like(ids, -100))
            for row, i in enumerate(batch):
                pieces, firsts, *labels = windows[i]
                ids[row, : len(pieces)] = torch.tensor(pieces)
                mask[row, : len(pieces)] = 1
                scored[row, firsts] = True
                for gold, tags in zip(golds, labels, strict=True):
                    if tags is not None:
                        gold[row, firsts] = torch.tensor(tags)
            outputs = model(ids.to(device), mask.to(device))
            loss = sum(
                head_loss(
                    logits,
                    scored.to(device),
                    torch.cat([scores[i] for i in batch]).to(device),
                    gold.to(device),
                    args,
                )
                for logits, scores, gold in zip(outputs, teachers, golds, strict=True)
            )
            optimizer_step(model, loss, optimizer, schedule)  # type: ignore[arg-type]
            step += 1
            if step % 500 == 0:
                seconds, value = time.time() - started, float(loss.detach())
                sys.stderr.write(f"epoch {epoch} step {step} loss {value:.3f} {seconds:.0f}s\n")


class Unmasked(torch.nn.Module):
    """Both tag layers as run time calls them: one unpadded window, no attention mask."""

    def __init__(self, model: JointTagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.model(input_ids)  # type: ignore[no-any-return]


def export(model: JointTagger, args: argparse.Namespace) -> dict[str, object]:
    """Write tagger.onnx (int8, two outputs), tokenizer.json, meta.json and the sentence filter into
    ``--export``; the attribution dev and argument held-out figures of the int8 graph go into meta."""
    model.cpu().eval()
    model.tagger.encoder.config._attn_implementation = "eager"
    attribution = json.loads((args.attribution_teacher / "meta.json").read_text(encoding="utf-8"))
    events = head_spec(args.events_teacher, ARGUMENT_HEAD)
    # a joint teacher's description already tells of the second tag layer
    encoder = str(attribution["encoder"]).split("; ")[0]
    encoder += "; a second tag layer for event arguments, both distilled into one encoder"
    if args.ffn:
        encoder += f", whose feed-forward blocks were then pruned to {args.ffn} units and distilled again"
    meta: dict[str, object] = {
        **{k: attribution[k] for k in ("labels", "max_pieces", "decode_bias")},
        "encoder": encoder + " (training/tagger/joint.py)",
        "trained_on": "PolNeAR train, the tuning four fifths of the ConfliBERT actor spans, "
        "unlabelled news sentences",
        "training": {
            k: str(v)
            for k, v in vars(args).items()
            if k not in ("export", "device", "threads") and v is not None
        },
        "heads": {
            ARGUMENT_HEAD: {
                "output": "event_logits",
                "labels": list(ARGUMENT_LABELS),
                "decode_bias": events.get("decode_bias", {}),
            }
        },
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = folder / "tagger.fp32.onnx"
        torch.onnx.export(
            Unmasked(model.requires_grad_(False)),
            (torch.ones((1, 16), dtype=torch.long),),
            str(plain),
            input_names=["input_ids"],
            output_names=["logits", "event_logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "pieces"},
                "logits": {0: "batch", 1: "pieces"},
                "event_logits": {0: "batch", 1: "pieces"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize(plain, folder / "tagger.onnx")
        plain.unlink()
        shutil.copy(args.attribution_teacher / "tokenizer.json", folder / "tokenizer.json")
        (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        dev = load_rows(args.dev)
        tagger = SpanTagger(folder)
        meta["dev_int8"] = span_f1(tagger.tag([row["tokens"] for row in dev]), dev)
        _, held = split_conll(read_rows(args.events_gold))  # type: ignore[arg-type]
        arguments = SpanTagger(
            folder, labels=ARGUMENT_LABELS, head=ARGUMENT_HEAD, name="event argument tagger"
        )
        meta["heads"][ARGUMENT_HEAD]["held_out_int8_all_spans"] = argument_f1(  # type: ignore[index]
            arguments.tag([words for words, _ in held]), held
        )
        (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        args.export.mkdir(parents=True, exist_ok=True)
        for name in ("tagger.onnx", "tokenizer.json", "meta.json"):
            shutil.copy(folder / name, args.export / name)
    if (args.attribution_teacher / "sentence_filter.json").resolve() != (
        args.export / "sentence_filter.json"
    ).resolve():
        shutil.copy(args.attribution_teacher / "sentence_filter.json", args.export / "sentence_filter.json")
    return meta


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--attribution-train", type=Path, default=Path("training/work/attributions/train.jsonl")
    )
    parser.add_argument(
        "--attribution-checkpoint", type=Path, help="the attribution tagger's fp32 weights (without --init)"
    )
    parser.add_argument(
        "--attribution-teacher", type=Path, required=True, help="int8 attribution tagger folder"
    )
    parser.add_argument("--events-gold", type=Path, default=Path("../shared/gold/confilbert-cameo/train.txt"))
    parser.add_argument("--events-teacher", type=Path, required=True, help="int8 argument tagger folder")
    parser.add_argument("--silver", type=Path, default=Path("training/work/events/silver.jsonl"))
    parser.add_argument("--dev", type=Path, default=Path("../shared/gold/polnear-sentences/valid.jsonl"))
    parser.add_argument("--export", type=Path, required=True, help="package folder to write the model into")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        default=Path("training/work/tagger/joint.pt"),
        help="where the trained fp32 weights go",
    )
    parser.add_argument(
        "--trained", type=Path, help="export the fp32 weights that --checkpoint saved, without training"
    )
    parser.add_argument(
        "--init",
        type=Path,
        help="start from this exported joint graph's weights (both tag layers; an --export of this script)",
    )
    parser.add_argument(
        "--ffn", type=int, help="first prune each feed-forward block to this many units (with --init)"
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3, help="rate of the new argument tag layer")
    parser.add_argument(
        "--alpha", type=float, default=0.5, help="weight of the teachers' scores in each loss"
    )
    parser.add_argument("--temperature", type=float, default=2.0)
    parser.add_argument(
        "--negatives", type=float, default=0.3, help="share of unlabelled PolNeAR sentences kept"
    )
    parser.add_argument(
        "--gold-repeat", type=int, default=4, help="times each ConfliBERT sentence is seen per epoch"
    )
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args(argv)
    if args.init is None and args.attribution_checkpoint is None:
        parser.error("give the attribution tagger's weights (--attribution-checkpoint) or a graph (--init)")
    needed = {
        args.attribution_teacher: "make train-attributions",
        args.events_teacher: "make train-event-tagger",
    }
    if args.init:  # the second stage: every folder is the first stage's graph
        needed[args.init] = "this script without --init (make train-tagger's first stage)"
    for folder, how in needed.items():
        if not (folder / "tagger.onnx").exists():
            parser.error(f"{folder} has no tagger.onnx: run {how} first")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = initial_model(args)
    if args.trained:
        if args.ffn:
            narrow_ffn(model.tagger, [list(range(args.ffn))] * len(model.tagger.encoder.encoder.layer))
        model.load_state_dict(torch.load(args.trained, map_location="cpu"))
    else:
        rng = random.Random(args.seed)
        windows = collect_windows(args, rng)
        if args.ffn and args.ffn < ffn_width(model.tagger):
            prune(model, args.ffn, windows, rng)
        print(f"{len(windows)} windows; scoring them with both teachers", file=sys.stderr, flush=True)
        teachers = (
            teacher_scores(args.attribution_teacher, windows, args.threads),
            teacher_scores(args.events_teacher, windows, args.threads, ARGUMENT_HEAD),
        )
        train(model, windows, teachers, args)
        args.checkpoint.parent.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), args.checkpoint)
    meta = export(model, args)
    print(
        f"exported int8 -> {args.export}; attribution dev exact F1 {json.dumps(meta['dev_int8'])}; "
        f"argument held-out exact F1 {json.dumps(meta['heads'][ARGUMENT_HEAD]['held_out_int8_all_spans'])}",  # type: ignore[index]
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
