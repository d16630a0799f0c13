"""The learned target chooser: which words of a sentence are its main event's target.

The parse rules and the argument tag layer each propose a target, and each is wrong in its own way:
the rules know the verb's objects but not where the annotators start and end a party, the tag layer
knows the words but not which verb they belong to. The chooser weighs every noun phrase of the
sentence (``candidate_spans``) by what both say about it (``target_features``: the tag layer's score
of the phrase as a target, whether the rules chose it, its relation to the trigger in the parse, its
entity type) with a logistic regression, and keeps the best phrase when its probability passes a
threshold, else no target. It was trained on the ConfliBERT tuning sentences with scores from
argument taggers that never saw them (``training/events/target_chooser.py``), so that it trusts the
tag layer as much as it deserves on new text; weights in ``models/events/target_chooser.json``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.events.arguments import ARGUMENT_LABELS
from newsledger.analyze.linear_model import read_linear_model

FILE_NAME = "target_chooser.json"
#: Package that holds the shipped weights.
MODEL_PACKAGE = "newsledger.models.events"
#: Token spans [start, end) of a document.
TokenSpan = tuple[int, int]

#: First words of a phrase that the annotators treat unevenly (articles, possessives, quantifiers).
_FIRST_WORDS = frozenset({"the", "a", "an", "its", "their", "his", "her", "all", "more", "on", "in", "some"})
#: Dependencies after a noun where its phrase may end early ("protesters | in Yerevan").
_CUTS = frozenset({"prep", "relcl", "acl", "appos", "punct", "cc", "conj"})
#: Parts of speech of words that can name a party.
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
#: Entity labels of people, groups and places that can be parties.
_PARTY_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: The tag layer's columns of each role's B- and I- tags.
_BEGIN = {kind: ARGUMENT_LABELS.index(f"B-{kind}") for kind in "STR"}
_INSIDE = {kind: ARGUMENT_LABELS.index(f"I-{kind}") for kind in "STR"}
#: Scores below this log probability carry no more information (and keep features bounded).
_FLOOR = -30.0


class Chooser(Protocol):
    def choose(self, candidates: Mapping[TokenSpan, Mapping[str, float]]) -> TokenSpan | None:
        """The target among the candidates (spans with their ``target_features``), or None."""
        ...


@dataclass(frozen=True, slots=True)
class TargetChooser:
    """A logistic regression over ``target_features``: ``bias`` plus the weights of a candidate's
    features; the best candidate is the target when its score passes ``threshold`` (log odds)."""

    bias: float
    threshold: float
    weights: Mapping[str, float]

    def score(self, features: Mapping[str, float]) -> float:
        get = self.weights.get
        return self.bias + sum(get(name, 0.0) * value for name, value in features.items())

    def choose(self, candidates: Mapping[TokenSpan, Mapping[str, float]]) -> TokenSpan | None:
        """The best-scoring candidate when it passes the threshold, else None (the event has no target);
        ties go to the first span in text order."""
        best: TokenSpan | None = None
        best_score = -math.inf
        for span in sorted(candidates):
            score = self.score(candidates[span])
            if score > best_score:
                best, best_score = span, score
        return best if best_score > self.threshold else None

    @classmethod
    def load(cls, path: Path) -> TargetChooser:
        """The chooser in ``path``; ModelNotFound naming the file when it is missing or malformed."""
        model = read_linear_model(path, name="event target chooser", rebuild="make train-target-chooser")
        return cls(bias=model.bias, threshold=model.threshold, weights=model.weights)


def model_path() -> Path:
    """The shipped chooser's file inside the installed package."""
    return Path(str(resources.files(MODEL_PACKAGE))) / FILE_NAME


@lru_cache(maxsize=2)
def load_target_chooser(path: str | None = None) -> TargetChooser:
    """The shipped chooser (or the one in ``path``), loaded once per process."""
    return TargetChooser.load(Path(path) if path else model_path())


def candidate_spans(sent: SpacySpan) -> dict[TokenSpan, int]:
    """The phrases of ``sent`` that could be a party, each with its head word's index: each nominal
    word's whole phrase, without its article, cut before each of its trailing modifiers or clauses,
    or from its first modifier to itself (its noun chunk)."""
    doc = sent.doc
    spans: dict[TokenSpan, int] = {}
    for token in sent:
        if token.pos_ not in _NOMINAL:
            continue
        start, end = token.left_edge.i, token.right_edge.i + 1
        article = doc[start].dep_ == "det"
        found = [(start, end)]
        if article and end - start > 1:
            found.append((start + 1, end))
        for child in token.rights:
            cut = child.left_edge.i
            if child.dep_ in _CUTS and cut > start:
                found.append((start, cut))
                if article and cut > start + 1:
                    found.append((start + 1, cut))
        found.append((min([token.i, *(c.left_edge.i for c in token.lefts)]), token.i + 1))
        for span in found:
            spans.setdefault(span, token.i)
    return {
        (start, end): head
        for (start, end), head in spans.items()
        if not doc[start].is_space and not doc[end - 1].is_space and sent.start <= start < end <= sent.end
    }


def span_log_prob(log_probs: np.ndarray, rows: Mapping[int, int], span: TokenSpan, kind: str) -> float:
    """The tag layer's log probability that ``span`` is one whole party of ``kind`` ("S", "T", "R"):
    B- on its first word, I- on the others, and no I- on the word after it."""
    return _SpanScores(log_probs, rows).score(span, kind)


class _SpanScores:
    """``span_log_prob`` for many spans of one sentence, in constant time each (running sums)."""

    def __init__(self, log_probs: np.ndarray, rows: Mapping[int, int]) -> None:
        self.log_probs = log_probs.astype(np.float64)
        self.rows = rows
        padded = np.vstack([self.log_probs, np.full((1, self.log_probs.shape[1]), -np.inf)])
        # log P(not I- of that kind) on each word, 0 past the last one
        self.not_inside = np.log1p(-np.minimum(np.exp(padded), 1 - 1e-6))
        self.inside = np.vstack([np.zeros((1, self.log_probs.shape[1])), np.cumsum(self.log_probs, axis=0)])

    def score(self, span: TokenSpan, kind: str) -> float:
        rows = [self.rows[i] for i in (span[0], span[1] - 1) if i in self.rows]
        if not rows:
            return _FLOOR
        first, last = rows[0], rows[-1]
        begin, inside = _BEGIN[kind], _INSIDE[kind]
        total = (
            self.log_probs[first, begin]
            + self.inside[last + 1, inside]
            - self.inside[first + 1, inside]
            + self.not_inside[last + 1, inside]
        )
        return max(float(total), _FLOOR)


class _Token(NamedTuple):
    head: int
    dep: str
    pos: str
    entity: str
    lower: str


class _Tokens:
    """The attributes the features read of a document's tokens, each token read from spaCy once."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.cache: dict[int, _Token] = {}

    def __getitem__(self, i: int) -> _Token:
        found = self.cache.get(i)
        if found is None:
            token = self.doc[i]
            found = _Token(token.head.i, token.dep_, token.pos_, token.ent_type_, token.lower_)
            self.cache[i] = found
        return found

    def root(self, span: TokenSpan) -> int:
        """The head word of the span: of its words whose head lies outside it, the first that can
        name a party (a span the parse splits, "hideouts | in Waziristan", has several), else the
        last."""
        start, end = span
        roots = [i for i in range(start, end) if not start <= self[i].head < end or self[i].head == i]
        nominal = [i for i in roots if self[i].pos in _NOMINAL]
        return nominal[0] if nominal else roots[-1] if roots else end - 1

    def governs(self, ancestor: int, i: int) -> bool:
        """Whether ``ancestor`` is above ``i`` in the parse."""
        while (head := self[i].head) != i:
            if head == ancestor:
                return True
            i = head
        return False

    def path(self, root: int, trigger: int, steps: int = 3) -> str:
        """How a phrase hangs from the trigger: the dependencies up to it ("dobj", "prep:to/pobj", at
        most ``steps``), "governs" when the phrase holds the trigger's governor, else "apart"."""
        deps: list[str] = []
        node = root
        for _ in range(steps):
            token = self[node]
            deps.append(f"prep:{self[token.head].lower}/{token.dep}" if token.dep == "pobj" else token.dep)
            if token.head == trigger:
                return ">".join(reversed(deps))
            if token.dep == "pobj":
                node = token.head  # the preposition is part of the step
                token = self[node]
                if token.head == trigger:
                    return ">".join(reversed(deps))
            if token.head == node:
                break
            node = token.head
        return "governs" if root == trigger or self.governs(root, trigger) else "apart"


def _overlaps(a: TokenSpan, b: TokenSpan | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


def target_features(
    doc: Doc,
    candidates: Iterable[TokenSpan],
    *,
    log_probs: np.ndarray,
    rows: Mapping[int, int],
    trigger: Token,
    event_type: str,
    rule_target: TokenSpan | None,
    source: TokenSpan | None = None,
    tagged_targets: Iterable[TokenSpan] = (),
    tagged_sources: Iterable[TokenSpan] = (),
) -> dict[TokenSpan, dict[str, float]]:
    """Each candidate's features. ``log_probs``: the tag layer's (words, tags) log probabilities of the
    sentence, ``rows``: the row of each document token; ``rule_target`` and ``source``: what the rules
    (with the tagged parties) chose; ``tagged_*``: the tag layer's decoded spans."""
    spans = sorted(set(candidates))
    targets, sources = set(tagged_targets), set(tagged_sources)
    scorer = _SpanScores(log_probs, rows)
    scores = {span: max(scorer.score(span, "T"), scorer.score(span, "R")) for span in spans}
    best = max(scores.values(), default=0.0)
    begins = np.exp(log_probs[:, [_BEGIN["T"], _BEGIN["R"]]]).sum(axis=1)
    tokens = _Tokens(doc)
    source_root = tokens.root(source) if source is not None else None
    low = min((start for start, _ in spans), default=0)
    high = max((end for _, end in spans), default=0)
    # running counts of commas, conjunctions and names from ``low``: a span's count in constant time
    counts = np.zeros((high - low + 1, 3), dtype=np.int64)
    for i in range(low, high):
        token = tokens[i]
        named = token.entity in _PARTY_ENTITIES or token.pos == "PROPN"
        counts[i - low + 1] = counts[i - low] + (token.lower == ",", token.dep == "cc", named)
    out: dict[TokenSpan, dict[str, float]] = {}
    for span in spans:
        start, end = span
        root = tokens.root(span)
        word = tokens[root]
        head = tokens[word.head]
        first = tokens[start]
        row = rows.get(start)
        comma, coordination, named = counts[end - low] - counts[start - low]
        features: dict[str, float] = {
            "score": scores[span] / 10,
            "score_gap": (scores[span] - best) / 10,
            "score_best": float(scores[span] == best),
            "begin": float(begins[row]) if row is not None else 0.0,
            "source_score": scorer.score(span, "S") / 10,
            "tagged": float(span in targets),
            "tagged_source": float(span in sources),
            "rule": float(span == rule_target),
            "rule_overlap": float(_overlaps(span, rule_target)),
            "rule_none": float(rule_target is None),
            "head_is_trigger": float(word.head == trigger.i and root != trigger.i),
            "grandhead_is_trigger": float(head.head == trigger.i and word.head != trigger.i),
            "after_trigger": float(start > trigger.i),
            "holds_trigger": float(start <= trigger.i < end),
            # a party named inside the source's phrase ("rebels loyal to the army chief") modifies it
            "inside_source": float(source_root is not None and tokens.governs(source_root, root)),
            "distance": min(abs(root - trigger.i), 15) / 15,
            "article": float(first.dep == "det"),
            "comma": float(comma > 0),
            "coordination": float(coordination > 0),
            "named": float(named > 0),
            "length": min(end - start, 12) / 12,
            "one_word": float(end - start == 1),
            f"dep={word.dep}": 1.0,
            f"entity={word.entity or '-'}": 1.0,
            f"pos={word.pos}": 1.0,
            f"event={event_type}": 1.0,
        }
        if word.dep == "pobj":
            features[f"prep={head.lower}"] = 1.0
        features[f"path={tokens.path(root, trigger.i)}"] = 1.0
        features[f"event={event_type},dep={word.dep}"] = 1.0
        if span not in targets and any(_overlaps(span, t) for t in targets):
            features["tagged_overlap"] = 1.0
        if first.lower in _FIRST_WORDS:
            features[f"first={first.lower}"] = 1.0
        out[span] = features
    return out
