"""The trained span tagger: a BiLSTM head over frozen MiniLM features, both run through onnxruntime.

It labels each word of a sentence with a BIO tag over the roles source, cue and content. Word pieces
come from the encoder's own tokenizer (all-MiniLM-L6-v2, int8); a word is represented by its first
piece's hidden states (layers 3 and 6); the head, trained on PolNeAR train, scores the tags, decoded
with BIO constraints (an ``I-x`` only continues ``B-x``/``I-x``), which keeps span boundaries whole.
Training and export: ``training/attributions`` (``make train-attributions``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

from newsledger.analyze.attributions.labels import LABELS, normalize_word
from newsledger.errors import ModelNotFound

MODEL_PACKAGE = "newsledger.models.attribution"
_BATCH_PIECES = 4096  # padded pieces per onnxruntime call: larger batches gained nothing on CPU


def _transition_mask() -> np.ndarray:
    """allowed[i, j]: tag j may follow tag i.

    An ``I-x`` only continues an ``x`` span, and a ``B-x`` never directly follows one: adjacent spans
    of one role are rare in PolNeAR (45 in the dev sentences) while the head often splits a long
    content in two (merging them raised dev content exact F1 from 0.47 to 0.53).
    """
    allowed = np.ones((len(LABELS), len(LABELS)), dtype=bool)
    for j, label in enumerate(LABELS):
        prefix, _, role = label.partition("-")
        for i, previous in enumerate(LABELS):
            same = previous in (f"B-{role}", f"I-{role}")
            if prefix == "I":
                allowed[i, j] = same
            elif prefix == "B":
                allowed[i, j] = not same
    return allowed


_ALLOWED = _transition_mask()
_START_ALLOWED = np.array([not label.startswith("I-") for label in LABELS])


def viterbi(log_probs: np.ndarray) -> list[int]:
    """Best tag ids under the BIO constraints, for (words, tags) log probabilities."""
    penalty = np.where(_ALLOWED, 0.0, -1e4)
    score = log_probs[0] + np.where(_START_ALLOWED, 0.0, -1e4)
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, len(log_probs)):
        total = score[:, None] + penalty
        back[t] = total.argmax(axis=0)
        score = total.max(axis=0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(len(log_probs) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


class Encoder:
    """The frozen MiniLM encoder: one feature vector per word (its first piece's hidden states)."""

    def __init__(self, folder: Path, max_pieces: int) -> None:
        self.session = _session(folder / "encoder.onnx")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.max_pieces = max_pieces

    def _windows(self, words: list[str]) -> list[tuple[list[int], list[int]]]:
        """Piece ids and first-piece positions of consecutive word windows that fit ``max_pieces``."""
        normalized = [normalize_word(w) for w in words]
        encoding = self.tokenizer.encode(normalized, is_pretokenized=True)
        if len(set(encoding.word_ids) - {None}) < len(words):  # words the tokenizer drops (zero-width marks)
            present = set(encoding.word_ids)
            normalized = [w if i in present else "[UNK]" for i, w in enumerate(normalized)]
            encoding = self.tokenizer.encode(normalized, is_pretokenized=True)
        cls, sep = encoding.ids[0], encoding.ids[-1]
        out: list[tuple[list[int], list[int]]] = []
        ids: list[int] = [cls]
        firsts: list[int] = []
        previous = None
        for piece, word in zip(encoding.ids[1:-1], encoding.word_ids[1:-1], strict=True):
            starts_word = word is not None and word != previous
            if starts_word and firsts and len(ids) >= self.max_pieces - 9:
                out.append(([*ids, sep], firsts))
                ids, firsts = [cls], []
            if starts_word:
                firsts.append(len(ids))
            if len(ids) < self.max_pieces - 1:  # pieces past the limit inside one long word are dropped
                ids.append(piece)
            previous = word
        out.append(([*ids, sep], firsts))
        return out

    def features(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """A (words, features) float32 matrix for each sentence."""
        windows = [(n, w) for n, words in enumerate(sentences) if words for w in self._windows(words)]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1][0]))
        results: dict[int, np.ndarray] = {}
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(windows[order[end]][1][0]) <= _BATCH_PIECES:
                end += 1
            group = order[start:end]
            width = max(len(windows[i][1][0]) for i in group)
            ids = np.zeros((len(group), width), dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for row, i in enumerate(group):
                pieces = windows[i][1][0]
                ids[row, : len(pieces)] = pieces
                mask[row, : len(pieces)] = 1
            (states,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(group):
                results[i] = states[row, windows[i][1][1]]
            start = end
        parts: list[list[np.ndarray]] = [[] for _ in sentences]
        for i, (sentence, _) in enumerate(windows):
            parts[sentence].append(results[i])
        width = self.session.get_outputs()[0].shape[-1]
        return [
            np.concatenate(p).astype(np.float32) if p else np.zeros((0, width), np.float32) for p in parts
        ]


def _session(path: Path) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    # spaCy runs on one core; the tagger keeps to it so that n_process scales the same way
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class SpanTagger:
    """Tags pre-tokenised sentences; one instance per process (it holds two onnxruntime sessions)."""

    def __init__(self, folder: Path) -> None:
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            self.encoder = Encoder(folder, int(meta["max_pieces"]))
            self.head = _session(folder / "head.onnx")
        except (OSError, ValueError, KeyError, RuntimeError) as error:
            raise ModelNotFound(
                f"cannot load the attribution tagger from {folder}: {error}",
                hint="reinstall newsledger, or rebuild it with `make train-attributions`",
            ) from error
        if tuple(meta["labels"]) != LABELS:
            raise ModelNotFound(
                f"attribution tagger labels {meta['labels']} differ from {LABELS}", where=str(folder)
            )

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for each sentence (lists of words)."""
        return [tags for tags, _ in self.tag_with_scores(sentences)]

    def tag_with_scores(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        """BIO tags for each sentence with each tag's probability."""
        tagged: list[tuple[list[str], list[float]]] = []
        for features in self.encoder.features(sentences):
            if not len(features):
                tagged.append(([], []))
                continue
            (logits,) = self.head.run(None, {"features": features[None]})
            scores = logits[0] - np.logaddexp.reduce(logits[0], axis=1, keepdims=True)
            path = viterbi(scores)
            tagged.append(
                ([LABELS[t] for t in path], [float(np.exp(scores[i, t])) for i, t in enumerate(path)])
            )
        return tagged


def model_folder() -> Path:
    """The shipped model's folder inside the installed package."""
    return Path(str(resources.files(MODEL_PACKAGE)))


@lru_cache(maxsize=2)
def load_tagger(folder: str | None = None) -> SpanTagger:
    """The shipped tagger (or one in ``folder``), loaded once per process."""
    return SpanTagger(Path(folder) if folder else model_folder())
