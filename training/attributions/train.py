"""Train the attribution span tagger's head: a BiLSTM over frozen MiniLM features (CPU, torch).

    python training/attributions/train.py training/work/attributions/train.jsonl \\
        --dev ../shared/gold/polnear-sentences/valid.jsonl --work training/work/attributions

Features come from the packaged int8 encoder (``export.py encoder``), the very graph used at run time,
and are cached in ``--work``. Each epoch ends with exact-match span F1 per role on the dev sentences
(tuning data: dev only); the best epoch is saved as ``head.pt`` for ``export.py head``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from newsledger.analyze.attributions.labels import LABEL_IDS, LABELS, ROLES, bio_spans
from newsledger.analyze.attributions.tagger import Encoder, model_folder, viterbi


class Head(torch.nn.Module):
    """LayerNorm -> BiLSTM -> linear tag scores."""

    def __init__(self, features: int, hidden: int, dropout: float) -> None:
        super().__init__()
        self.norm = torch.nn.LayerNorm(features)
        self.lstm = torch.nn.LSTM(features, hidden, batch_first=True, bidirectional=True)
        self.dropout = torch.nn.Dropout(dropout)
        self.out = torch.nn.Linear(2 * hidden, len(LABELS))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        states, _ = self.lstm(self.dropout(self.norm(features)))
        return self.out(self.dropout(states))


def load_rows(path: Path) -> list[dict[str, list[str]]]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def featurize(rows: list[dict[str, list[str]]], cache: Path, encoder: Encoder) -> list[np.ndarray]:
    """Word features of each row (float16), computed once and cached."""
    if cache.exists():
        data = np.load(cache)
        return np.split(data["features"], data["offsets"][1:-1])
    out: list[np.ndarray] = []
    started = time.time()
    for i in range(0, len(rows), 64):
        out.extend(f.astype(np.float16) for f in encoder.features([r["tokens"] for r in rows[i : i + 64]]))
        if i % 1280 == 0:
            print(f"featurized {i}/{len(rows)} {time.time() - started:.0f}s", file=sys.stderr, flush=True)
    offsets = np.cumsum([0, *(len(f) for f in out)])
    np.savez(cache, features=np.concatenate(out), offsets=offsets)
    return out


def evaluate(head: Head, rows: list[dict[str, list[str]]], features: list[np.ndarray]) -> dict[str, float]:
    """Exact-match span F1 per role with constrained decoding."""
    from newsledger.eval.attributions import prf

    head.eval()
    counts = {role: [0, 0, 0] for role in ROLES}
    with torch.no_grad():
        for row, feats in zip(rows, features, strict=True):
            logits = head(torch.from_numpy(feats.astype(np.float32))[None])[0]
            tags = [LABELS[t] for t in viterbi(torch.log_softmax(logits, -1).numpy())]
            gold, pred = set(bio_spans(row["labels"])), set(bio_spans(tags))
            for role in ROLES:
                g = {s for s in gold if s[0] == role}
                p = {s for s in pred if s[0] == role}
                counts[role][0] += len(g & p)
                counts[role][1] += len(p)
                counts[role][2] += len(g)
    head.train()
    return {role: round(prf(*c)[2], 4) for role, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--max-sentences", type=int, default=16000)
    parser.add_argument("--negatives", type=float, default=0.1, help="share of unlabelled sentences kept")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=160)
    parser.add_argument("--dropout", type=float, default=0.25)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    rows = [r for r in load_rows(args.train) if set(r["labels"]) != {"O"} or rng.random() < args.negatives]
    rng.shuffle(rows)
    rows = [r for r in rows if len(r["tokens"]) <= 150][: args.max_sentences]
    dev = load_rows(args.dev)
    encoder = Encoder(model_folder(), max_pieces=128)
    args.work.mkdir(parents=True, exist_ok=True)
    train_x = featurize(rows, args.work / f"train-{args.max_sentences}-{args.seed}.npz", encoder)
    dev_x = featurize(dev, args.work / "dev.npz", encoder)
    kept = [i for i, r in enumerate(rows) if len(train_x[i]) == len(r["labels"])]
    rows, train_x = [rows[i] for i in kept], [train_x[i] for i in kept]
    train_y = [torch.tensor([LABEL_IDS[label] for label in r["labels"]]) for r in rows]

    config = {"features": int(train_x[0].shape[1]), "hidden": args.hidden, "dropout": args.dropout}
    head = Head(**config)
    optimizer = torch.optim.Adam(head.parameters(), lr=args.lr)
    weights = torch.ones(len(LABELS))
    best: tuple[float, dict[str, float]] = (-1.0, {})
    started = time.time()
    order = sorted(range(len(rows)), key=lambda i: len(train_x[i]))
    for epoch in range(1, args.epochs + 1):
        batches = [order[i : i + 32] for i in range(0, len(order), 32)]
        rng.shuffle(batches)
        for g in optimizer.param_groups:  # halve the step size over the last epochs
            g["lr"] = args.lr * (0.5 ** max(0, epoch - args.epochs // 2))
        for batch in batches:
            x = torch.nn.utils.rnn.pad_sequence(
                [torch.from_numpy(train_x[i].astype(np.float32)) for i in batch], batch_first=True
            )
            y = torch.nn.utils.rnn.pad_sequence(
                [train_y[i] for i in batch], batch_first=True, padding_value=-100
            )
            logits = head(x)
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, len(LABELS)), y.reshape(-1), weight=weights
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 5.0)
            optimizer.step()
            optimizer.zero_grad()
        scores = evaluate(head, dev, dev_x)
        mean = sum(scores.values()) / len(scores)
        print(
            f"epoch {epoch} loss {loss.item():.3f} dev exact F1 {json.dumps(scores)} "
            f"{time.time() - started:.0f}s",
            file=sys.stderr,
            flush=True,
        )
        if mean > best[0]:
            best = (mean, scores)
            torch.save(
                {"config": config, "weights": head.state_dict(), "dev": scores, "epoch": epoch},
                args.work / "head.pt",
            )
    print(f"best dev exact F1 {json.dumps(best[1])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
