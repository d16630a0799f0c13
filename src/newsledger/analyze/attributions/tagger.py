"""The trained span tagger: MiniLM fine-tuned end to end on PolNeAR train, run through onnxruntime.

It labels each word of a sentence with a BIO tag over the roles source, cue and content. Word pieces
come from the encoder's own tokenizer (all-MiniLM-L6-v2); a word takes the tag scores of its first
piece; the scores are decoded with BIO constraints (an ``I-x`` only continues ``B-x``/``I-x``), which
keeps span boundaries whole, after adding the per-tag decoding biases of ``meta.json``
(``decode_bias``: priors tuned on dev at export that trade recall for exact boundaries). One int8 graph
(``tagger.onnx``) holds the encoder and two tag layers: this one, and the event argument tagger's
(``events/arguments.py``), each an output that a ``SpanTagger`` reads; each layer's self-attention
is one fused node (``training/attributions/graph.py``). Training and export: ``training/attributions``
(``make train-attributions``), then ``training/tagger/joint.py`` (``make train-tagger``).
"""

from __future__ import annotations

import json
import weakref
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

from newsledger.analyze.attributions.labels import LABELS, normalize_word
from newsledger.errors import ModelNotFound

MODEL_PACKAGE = "newsledger.models.attribution"
# windows whose scores a graph keeps (key and scores of every head: 1-5 kB each); see SpanTagger.log_probs
WINDOW_CACHE_SIZE = 4096
# distinct words whose pieces a tokenizer keeps (about 0.14 kB each); see WordPieces
WORDS_REMEMBERED = 30_000
UNKNOWN_WORD = "[UNK]"
# onnxruntime's fused residual + layer norm (SkipLayerNormalization) ran slower than the two nodes it
# replaces: unfused, the graph tags real news windows about a fifth faster (docs/benchmarks.md,
# "Tagger graph")
UNFUSED = ("SkipLayerNormFusion",)
_GRAPHS: weakref.WeakSet[TaggerGraph] = weakref.WeakSet()


@lru_cache(maxsize=8)
def _constraints(labels: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(allowed, start_allowed): allowed[i, j] says tag j may follow tag i.

    An ``I-x`` only continues an ``x`` span, and a ``B-x`` never directly follows one: adjacent spans
    of one role are rare in PolNeAR (45 in the dev sentences) while the head often splits a long
    content in two (merging them raised dev content exact F1 from 0.47 to 0.53).
    """
    allowed = np.ones((len(labels), len(labels)), dtype=bool)
    for j, label in enumerate(labels):
        prefix, _, role = label.partition("-")
        for i, previous in enumerate(labels):
            same = previous in (f"B-{role}", f"I-{role}")
            if prefix == "I":
                allowed[i, j] = same
            elif prefix == "B":
                allowed[i, j] = not same
    return allowed, np.array([not label.startswith("I-") for label in labels])


def viterbi(log_probs: np.ndarray, labels: tuple[str, ...] = LABELS) -> list[int]:
    """Best tag ids under the BIO constraints, for (words, tags) log probabilities."""
    allowed, start_allowed = _constraints(labels)
    greedy = log_probs.argmax(axis=1)
    if start_allowed[greedy[0]] and allowed[greedy[:-1], greedy[1:]].all():
        # the best path of all is well formed, so no constrained path beats it (most sentences)
        return [int(t) for t in greedy]
    penalty = np.where(allowed, 0.0, -1e4)
    score = log_probs[0] + np.where(start_allowed, 0.0, -1e4)
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, len(log_probs)):
        total = score[:, None] + penalty
        back[t] = total.argmax(axis=0)
        score = total.max(axis=0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(len(log_probs) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


Window = tuple[list[int], list[int]]  # piece ids, positions of each word's first piece


class WordPieces:
    """The encoder tokenizer's word pieces of each word, remembered.

    Words come pre-tokenised, so a word's pieces never depend on its neighbours: each distinct word is
    run through ``tokenizer`` once per process (news repeats its words; measured: tokenising was about a
    quarter of the taggers' time outside onnxruntime). A word the tokenizer drops entirely (a zero-width mark)
    becomes ``[UNK]`` so that every word keeps a first piece.
    """

    def __init__(self, tokenizer: Tokenizer, *, remembered: int = WORDS_REMEMBERED) -> None:
        self.tokenizer = tokenizer
        self.remembered = remembered
        ends = tokenizer.encode([UNKNOWN_WORD], is_pretokenized=True).ids
        self.cls, self.sep = ends[0], ends[-1]
        self._unknown = tuple(ends[1:-1])
        self._known: dict[str, tuple[int, ...]] = {}

    def of(self, words: list[str]) -> list[tuple[int, ...]]:
        """The piece ids of each word."""
        known = self._known
        new = list(dict.fromkeys(word for word in words if word not in known))
        if new:
            if len(known) + len(new) > self.remembered:
                known.clear()
            encoding = self.tokenizer.encode([normalize_word(word) for word in new], is_pretokenized=True)
            pieces: list[list[int]] = [[] for _ in new]
            for piece, index in zip(encoding.ids, encoding.word_ids, strict=True):
                if index is not None:
                    pieces[index].append(piece)
            for word, word_pieces in zip(new, pieces, strict=True):
                known[word] = tuple(word_pieces) or self._unknown
        return [known[word] for word in words]


def piece_windows(pieces: WordPieces, words: list[str], max_pieces: int) -> list[Window]:
    """Piece ids and first-piece positions of consecutive word windows that fit ``max_pieces``.

    Shared by training and run time, so that both see exactly the same pieces.
    """
    out: list[Window] = []
    ids: list[int] = [pieces.cls]
    firsts: list[int] = []
    for word_pieces in pieces.of(words):
        if firsts and len(ids) >= max_pieces - 9:
            out.append(([*ids, pieces.sep], firsts))
            ids, firsts = [pieces.cls], []
        firsts.append(len(ids))
        # pieces past the limit inside one long word are dropped
        ids.extend(word_pieces[: max(0, max_pieces - 1 - len(ids))])
    out.append(([*ids, pieces.sep], firsts))
    return out


def decode_bias(biases: dict[str, float], labels: tuple[str, ...] = LABELS) -> np.ndarray:
    """The per-tag vector added to log probabilities before decoding; ValueError for an unknown tag
    or a value that is not a finite number."""
    vector = np.zeros(len(labels), dtype=np.float32)
    for label, value in biases.items():
        if label not in labels:
            raise ValueError(f"decode_bias names an unknown tag {label!r}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
            raise ValueError(f"decode_bias for {label} is {value!r}, not a finite number")
        vector[labels.index(label)] = value
    return vector


def load_tokenizer(folder: Path) -> WordPieces:
    """The encoder's tokenizer in ``folder`` (tokenizer.json), remembering the pieces of its words."""
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return WordPieces(tokenizer)


def open_session(path: Path, *, unfused: tuple[str, ...] = UNFUSED) -> onnxruntime.InferenceSession:
    """An onnxruntime session of the graph at ``path`` as the taggers run it, without the graph
    fusions named in ``unfused``."""
    options = onnxruntime.SessionOptions()
    # spaCy runs on one core; the tagger keeps to it so that n_process scales the same way
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # Sentence batches vary in shape: an arena sized for the largest one is never given back, and
    # with one per worker process it cost hundreds of MB of peak memory for no measurable speed.
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    return onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=list(unfused)
    )


# onnxruntime's load errors (a truncated or foreign file) do not all derive from RuntimeError
_LOAD_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    RuntimeError,
    *(
        error
        for name in ("Fail", "InvalidArgument", "InvalidProtobuf", "NoSuchFile", "InvalidGraph")
        if isinstance(error := getattr(onnxruntime.capi.onnxruntime_pybind11_state, name, None), type)
    ),
)


def forget_windows() -> None:
    """Drop every graph's kept window scores (a benchmark times each pass from cold)."""
    for graph in list(_GRAPHS):
        graph.scores.cache_clear()


class TaggerGraph:
    """One model folder's encoder graph and tokenizer, shared by the taggers of its heads.

    The shipped graph has two tag layers over one encoder (``logits`` for attributions,
    ``event_logits`` for event arguments): a window runs once for both, and the scores of all its
    outputs are kept together, so the event component finds most of its sentences already run by the
    attribution component."""

    def __init__(self, folder: Path) -> None:
        self.tokenizer = load_tokenizer(folder)
        self.session = open_session(folder / "tagger.onnx")
        self.outputs = tuple(output.name for output in self.session.get_outputs())
        self.scores = lru_cache(maxsize=WINDOW_CACHE_SIZE)(self._run_window)
        _GRAPHS.add(self)

    def _run_window(self, pieces: bytes) -> tuple[np.ndarray, ...]:
        """Every output's (pieces, tags) scores for one window (its piece ids as int64 bytes, a compact
        key), read-only (``scores`` caches them)."""
        ids = np.frombuffer(pieces, dtype=np.int64)[None, :]
        outputs: list[np.ndarray] = [output[0] for output in self.session.run(None, {"input_ids": ids})]
        for scores in outputs:
            scores.flags.writeable = False
        return tuple(outputs)


@lru_cache(maxsize=4)
def _graph(folder: Path, _version: tuple[int, int]) -> TaggerGraph:
    """The graph of ``folder``, loaded once per process while its file stays the same (``_version``:
    its modification time and size)."""
    return TaggerGraph(folder)


def load_graph(folder: Path) -> TaggerGraph:
    """The shared graph of a model folder; OSError when it has no tagger.onnx."""
    stat = (folder / "tagger.onnx").stat()
    return _graph(folder.resolve(), (stat.st_mtime_ns, stat.st_size))


class SpanTagger:
    """Tags pre-tokenised sentences with one tag layer (head) of a folder's graph.

    ``labels`` are the BIO tags the head was trained for. ``head`` names an entry of ``meta.json``'s
    ``heads`` (its ``output``, ``labels`` and ``decode_bias``); without one, or in a folder whose graph
    has a single head, the top level of ``meta.json`` describes it and its output is the graph's first.
    ``name`` and ``rebuild`` go into the error raised when the model cannot be loaded.
    """

    def __init__(
        self,
        folder: Path,
        *,
        labels: tuple[str, ...] = LABELS,
        head: str | None = None,
        name: str = "attribution tagger",
        rebuild: str = "make train-attributions",
    ) -> None:
        self.folder = folder
        self.labels = labels
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            spec = meta["heads"][head] if head is not None and "heads" in meta else meta
            self.max_pieces = int(meta["max_pieces"])
            self.bias = decode_bias(spec.get("decode_bias", {}), labels)
            self.graph = load_graph(folder)
            self.output = self.graph.outputs.index(spec["output"]) if "output" in spec else 0
            found = tuple(spec["labels"])
        except _LOAD_ERRORS as error:
            raise ModelNotFound(
                f"cannot load the {name} from {folder}: {error}",
                hint=f"reinstall newsledger, or rebuild it with `{rebuild}`",
            ) from error
        if found != labels:
            raise ModelNotFound(f"{name} labels {list(found)} differ from {list(labels)}", where=str(folder))
        self.tokenizer = self.graph.tokenizer

    def _logits(self, pieces: bytes) -> np.ndarray:
        return self.graph.scores(pieces)[self.output]

    def log_probs(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """A (words, tags) matrix of tag log probabilities for each sentence.

        Each window runs alone: the int8 graph quantises its activations with one scale per call, so
        a sentence batched with others would get tags that depend on its neighbours (measured: 22 %
        of dev sentences changed), and a batch pads to its longest window; one at a time was also
        faster (4.4 s against 5.0 s for 1,000 dev sentences).

        Because a window's scores depend on its word pieces alone, the last ``WINDOW_CACHE_SIZE``
        windows' scores are kept and reused: sentences that recur (an outlet's boilerplate, wire copy
        that many outlets print) are tagged once per process, with the same result, and a sentence
        that one head of the graph has run costs the other heads nothing.
        """
        out: list[np.ndarray] = []
        for words in sentences:
            parts = []
            for pieces, firsts in piece_windows(self.tokenizer, words, self.max_pieces) if words else ():
                scores = self._logits(np.array(pieces, dtype=np.int64).tobytes())[firsts]
                parts.append(scores - np.logaddexp.reduce(scores, axis=1, keepdims=True))
            out.append(
                np.concatenate(parts).astype(np.float32)
                if parts
                else np.zeros((0, len(self.labels)), np.float32)
            )
        return out

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for each sentence (lists of words)."""
        return [tags for tags, _ in self.tag_with_scores(sentences)]

    def decode(self, scores: np.ndarray) -> list[str]:
        """The BIO tags of one sentence's ``log_probs`` matrix."""
        return [self.labels[t] for t in viterbi(scores + self.bias, self.labels)] if len(scores) else []

    def tag_with_scores(self, sentences: list[list[str]]) -> list[tuple[list[str], list[float]]]:
        """BIO tags for each sentence with each tag's probability."""
        tagged: list[tuple[list[str], list[float]]] = []
        for scores in self.log_probs(sentences):
            if not len(scores):
                tagged.append(([], []))
                continue
            path = viterbi(scores + self.bias, self.labels)
            tagged.append(
                ([self.labels[t] for t in path], [float(np.exp(scores[i, t])) for i, t in enumerate(path)])
            )
        return tagged


def model_folder() -> Path:
    """The shipped model's folder inside the installed package."""
    return Path(str(resources.files(MODEL_PACKAGE)))


@lru_cache(maxsize=2)
def load_tagger(folder: str | None = None) -> SpanTagger:
    """The shipped tagger (or one in ``folder``), loaded once per process."""
    return SpanTagger(Path(folder) if folder else model_folder())
