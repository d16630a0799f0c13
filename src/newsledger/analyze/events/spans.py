"""Where an event argument's words start and end: a linear model learned from annotated spans.

The rules find an argument's head word ("government" in "turned down the Chilean government's offer
of talks"); annotators disagree with a plain subtree on which words around it belong to the
argument (the possessed noun, a prepositional phrase of place, a trailing clause, a parenthesised
acronym, a second conjunct). The model scores the candidate phrases around the head and keeps the
best one. A candidate is an anchor (the head, or the noun it qualifies) with a left edge at one of the
anchor's left dependents and a right edge after one of its right dependents; its score is the sum of
an anchor score, a left-edge score and a right-edge score, each a sum of feature weights, so the best
candidate is found per anchor in time linear in its dependents.

Weights: ``models/events/argument_spans.json``, trained by ``training/events/argument_spans.py``
(``make train-event-spans``) on the tuning four fifths of the ConfliBERT actor spans.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Token

from newsledger.errors import ModelNotFound

ROLES = ("source", "target")
MODEL_PACKAGE = "newsledger.models.events"
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
#: Words whose identity matters at an edge (determiners, prepositions, brackets); others by tag.
_EDGE_DEPS = frozenset({"det", "predet", "prep", "punct", "cc", "quantmod", "advmod", "case"})
_PARTY_ENTITIES = frozenset({"GPE", "NORP", "ORG", "PERSON"})
_HYPHENS = frozenset({"-", "\u2010", "\u2011", "\u2013"})


@dataclass(frozen=True, slots=True)
class Edge:
    """One choice of where a candidate phrase ends on one side of its anchor."""

    index: int  # first token (left edge) or one past the last token (right edge)
    features: tuple[str, ...]


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def _dependent(token: Token) -> str:
    label = token.dep_
    return f"{label}:{token.lower_}" if label in _EDGE_DEPS else f"{label}:{token.ent_type_ or token.pos_}"


def anchors(head: Token) -> Iterator[tuple[Token, str]]:
    """The head, and the noun it only qualifies or belongs to ("Russia's request", "dozens of troops",
    "China and Russia"), each with the name of how it was reached."""
    yield head, "self"
    parent = head.head
    if parent.i == head.i or parent.pos_ not in _NOMINAL:
        return
    if head.dep_ == "poss":
        yield parent, "poss"
    elif head.dep_ in ("compound", "amod", "nmod"):
        yield parent, "modifier"
    elif head.dep_ == "conj":
        yield parent, "conjunct"
    elif head.dep_ == "pobj" and parent.dep_ == "prep" and parent.lower_ == "of":
        grand = parent.head
        if grand.i != parent.i and grand.pos_ in _NOMINAL:
            yield grand, "of"


def left_edges(anchor: Token) -> list[Edge]:
    """Start at the left edge of each left dependent's subtree, or at the anchor itself."""
    lefts = list(anchor.lefts)
    edges = []
    for cut in range(len(lefts) + 1):
        excluded = lefts[:cut]
        start = lefts[cut].left_edge.i if cut < len(lefts) else anchor.i
        first = anchor.doc[start]
        features = [f"L-out:{_dependent(t)}" for t in excluded]
        features.append(f"L-first:{first.lower_ if first.dep_ in _EDGE_DEPS else first.tag_}")
        features.append(f"L-len:{_bucket(anchor.i - start)}")
        edges.append(Edge(start, tuple(features)))
    return edges


def right_edges(anchor: Token) -> list[Edge]:
    """End after the subtree of each right dependent, or right after the anchor."""
    rights = list(anchor.rights)
    edges = []
    for cut in range(len(rights) + 1):
        included = rights[:cut]
        end = included[-1].right_edge.i + 1 if included else anchor.i + 1
        last = anchor.doc[end - 1]
        features = [f"R-in:{_dependent(t)}" for t in included]
        if cut < len(rights):
            features.append(f"R-stop:{_dependent(rights[cut])}")
        features.append(f"R-last:{last.lower_ if last.is_punct else last.tag_}")
        features.append(f"R-len:{_bucket(end - anchor.i - 1)}")
        opened = sum(t.text == "(" for t in anchor.doc[anchor.i : end])
        closed = sum(t.text == ")" for t in anchor.doc[anchor.i : end])
        if opened != closed:
            features.append("R-unbalanced")
        edges.append(Edge(end, tuple(features)))
    return edges


def anchor_features(head: Token, anchor: Token, how: str) -> tuple[str, ...]:
    return (
        f"A:{how}",
        f"A:{how}:{head.dep_}",
        f"A-ent:{anchor.ent_type_ or anchor.pos_}",
        f"A-dep:{anchor.dep_}",
    )


def with_role(features: Sequence[str], role: str) -> list[str]:
    """Each feature both on its own and for the role, so roles share what they have in common."""
    return [*features, *(f"{role}|{f}" for f in features)]


class ArgumentSpans:
    """Chooses the words of event arguments; one per process (it only reads its weights)."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    @classmethod
    def load(cls, path: Path) -> ArgumentSpans:
        """The model in ``path``; ModelNotFound naming the file when it is missing or malformed."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            weights = raw["weights"]
            if raw.get("version") != 1 or not isinstance(weights, dict):
                raise ValueError("expected version 1 and a 'weights' object")
            for name, value in weights.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    raise ValueError(f"weight of {name!r} is {value!r}, not a finite number")
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelNotFound(
                f"cannot load the event argument span model {path}: {error}",
                hint="reinstall newsledger, or rebuild it with `make train-event-spans`",
            ) from error
        return cls({str(k): float(v) for k, v in weights.items()})

    def _score(self, features: Sequence[str], role: str) -> float:
        get = self.weights.get
        return sum(get(f, 0.0) for f in with_role(features, role))

    def bounds(self, head: Token, role: str, avoid: Sequence[Token] = ()) -> tuple[int, int]:
        """(first token, one past the last token) of the best phrase around ``head`` for ``role``,
        never including a token of ``avoid`` (the trigger, the other party's head)."""
        best: tuple[float, int, int] = (-math.inf, head.i, head.i + 1)
        for anchor, how, lefts, rights in candidates(head, avoid):
            left_score, start = max((self._score(e.features, role), -e.index) for e in lefts)
            right_score, end = max((self._score(e.features, role), -e.index) for e in rights)
            total = self._score(anchor_features(head, anchor, how), role) + left_score + right_score
            if total > best[0]:
                best = (total, -start, -end)
        return best[1], best[2]


def candidates(
    head: Token, avoid: Sequence[Token] = ()
) -> Iterator[tuple[Token, str, list[Edge], list[Edge]]]:
    """(anchor, how it was reached, left edges, right edges) around ``head``, none spanning a token
    of ``avoid`` other than the head."""
    banned = [t.i for t in avoid if t.i != head.i]
    doc = head.doc
    for anchor, how in anchors(head):
        if anchor.i in banned:
            continue
        lefts = [
            e
            for e in left_edges(anchor)
            if not any(e.index <= at < anchor.i for at in banned)
            and not any(t.is_space for t in doc[e.index : anchor.i])
        ]
        # a named conjunct is a party of its own ("Obama and Putin met"), never part of another's words
        named = [t.i for t in doc[anchor.i + 1 : anchor.right_edge.i + 1] if t.dep_ == "conj" and _named(t)]
        rights = [
            e
            for e in right_edges(anchor)
            if not any(anchor.i < at < e.index for at in [*banned, *named])
            and not any(t.is_space for t in doc[anchor.i + 1 : e.index])
        ]
        # an edge inside a word ("pro-|Beijing", "Turkish|-Libyan") only when there is no other
        lefts = [e for e in lefts if not _splits_word(doc, e.index)] or lefts
        rights = [e for e in rights if not _splits_word(doc, e.index)] or rights
        yield anchor, how, lefts, rights


def _named(token: Token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ in _PARTY_ENTITIES


def _splits_word(doc: Doc, i: int) -> bool:
    """Whether a phrase edge between tokens i-1 and i would cut a written word in two."""
    if i <= 0 or i >= len(doc) or doc[i - 1].whitespace_:
        return False
    before, after = doc[i - 1], doc[i]
    return before.text in _HYPHENS or after.text in _HYPHENS or (before.is_alpha and after.is_alpha)


def model_path() -> Path:
    return Path(str(resources.files(MODEL_PACKAGE))) / "argument_spans.json"


@lru_cache(maxsize=2)
def load_argument_spans(path: str | None = None) -> ArgumentSpans:
    """The shipped model (or the one in ``path``), loaded once per process."""
    return ArgumentSpans.load(Path(path) if path else model_path())
