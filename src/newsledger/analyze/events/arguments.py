"""The learned argument tagger: which words of a sentence are its main event's source and target.

A tag layer over the attribution tagger's encoder (one int8 ONNX graph with two outputs, the same
run-time code) marks the source (S), target (T) and reciprocal parties (R: "Putin and Xi met") of the
event a sentence is about, as the ConfliBERT annotators marked them. The rules still find the triggers,
the event types and the codes; the tagger decides where the main event's parties are and where their
words start and end. Sharing the encoder makes the parties nearly free: the attribution component has
already run most sentences with a trigger, and their scores for this head come with theirs. Weights:
``models/attribution`` (head ``event_arguments``), made by ``training/tagger/joint.py`` (``make
train-tagger``), which distils a four-layer argument tagger trained on the tuning four fifths of the
ConfliBERT actor spans (``training/events/argument_tagger.py``) into the attribution tagger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.attributions.labels import bio_spans
from newsledger.analyze.attributions.tagger import SpanTagger
from newsledger.analyze.attributions.tagger import model_folder as attribution_folder

ARGUMENT_LABELS = ("O", "B-S", "I-S", "B-T", "I-T", "B-R", "I-R")
#: the entry of the shipped graph's meta.json ``heads`` that describes this tag layer
ARGUMENT_HEAD = "event_arguments"


@dataclass(frozen=True, slots=True)
class TaggedArguments:
    """Document token spans [start, end) of one sentence's tagged parties, in text order, and the tag
    layer's (words, tags) log probabilities of the sentence with the row of each document token (for
    the target chooser, ``targets.py``)."""

    sources: tuple[tuple[int, int], ...]
    targets: tuple[tuple[int, int], ...]
    log_probs: np.ndarray | None = field(default=None, compare=False, repr=False)
    rows: Mapping[int, int] = field(default_factory=dict, compare=False, repr=False)


def model_folder() -> Path:
    """The folder of the shipped graph that holds the argument tag layer (the attribution model's)."""
    return attribution_folder()


@lru_cache(maxsize=2)
def load_argument_tagger(folder: str | None = None) -> SpanTagger:
    """The shipped argument tagger (or the one in ``folder``: a graph with an ``event_arguments`` head,
    or a single-head argument tagger), loaded once per process."""
    return SpanTagger(
        Path(folder) if folder else model_folder(),
        labels=ARGUMENT_LABELS,
        head=ARGUMENT_HEAD,
        name="event argument tagger",
        rebuild="make train-tagger",
    )


def tag_arguments(
    tagger: SpanTagger, sentences: list[SpacySpan], triggers: list[set[int]] | None = None
) -> list[TaggedArguments]:
    """The tagged parties of each sentence. A reciprocal party is both a source and a target.

    ``triggers``: each sentence's trigger tokens (document indices). A source or target span that runs
    over one keeps only its side of it, the words before it for a source and after it for a target:
    the decoding biases favour long spans, and a target could run back over its event's verb ("the
    former army chief freed prisoners" -> "prisoners")."""
    words = [[token.text for token in sent if not token.is_space] for sent in sentences]
    out: list[TaggedArguments] = []
    for sent, log_probs, verbs in zip(
        sentences, tagger.log_probs(words), triggers or [set()] * len(sentences), strict=True
    ):
        tags = tagger.decode(log_probs)
        # tags are per non-space token; map them back to document token indices
        indices = [token.i for token in sent if not token.is_space]
        spans = [
            (kind, *trimmed)
            for kind, start, end in bio_spans(tags)
            if (
                trimmed := _trim(
                    sent.doc, *_beside_trigger(kind, indices[start], indices[end - 1] + 1, verbs)
                )
            )
            is not None
        ]
        out.append(
            TaggedArguments(
                sources=tuple((a, b) for kind, a, b in spans if kind in ("S", "R")),
                targets=tuple((a, b) for kind, a, b in spans if kind in ("T", "R")),
                log_probs=log_probs,
                rows={i: row for row, i in enumerate(indices)},
            )
        )
    return out


def _beside_trigger(kind: str, start: int, end: int, triggers: set[int]) -> tuple[int, int]:
    """The part of a source span before the first trigger inside it, or of a target span after the
    last one (empty when none is left); a reciprocal span and a span without a trigger are whole."""
    inside = [i for i in triggers if start <= i < end]
    if not inside or kind == "R":
        return start, end
    return (start, min(inside)) if kind == "S" else (max(inside) + 1, end)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The span without the spaces, stray punctuation and dangling conjunctions at its edges (a
    closing quote of the sentence before, "Bay," or "academics and"); a bracket stays when its pair
    is inside ("the Nigerian Air Force (NAF)"). None when nothing is left, or nothing that names a
    party."""

    def loose(token: Token, edge: str) -> bool:
        if token.is_space or token.pos_ == "CCONJ":
            return True
        if not token.is_punct:
            return False
        if token.is_bracket:  # a bracket pair inside the span stays whole
            inside = doc[start : token.i] if edge == "right" else doc[token.i + 1 : end]
            return not any(t.is_bracket and t.text != token.text for t in inside)
        return True

    while start < end and loose(doc[start], "left"):
        start += 1
    while end > start and loose(doc[end - 1], "right"):
        end -= 1
    if start < end and (noun := _object_after(doc, end)) is not None:
        end = noun.i + 1  # "dozens of" -> "dozens of protesters": a party never ends in its preposition
    while start < end and (noun := _noun_after(doc, end)) is not None:
        end = noun.i + 1  # "at least 28" -> "at least 28 defendants": the noun its last word modifies
    if not any(t.pos_ in _NOMINAL or t.ent_type_ for t in doc[start:end]):
        return None  # nothing left, or it names no one: "the", "a" (cut from "a group")
    return start, end


def _object_after(doc: Doc, end: int) -> Token | None:
    """The object of the preposition that ends a span, when it lies after the span in its sentence."""
    last = doc[end - 1]
    if last.pos_ != "ADP" or last.dep_ != "prep":
        return None
    objects = [child for child in last.rights if child.dep_ == "pobj" and child.i >= end]
    return objects[0] if objects and objects[0].sent.start == last.sent.start else None


def _noun_after(doc: Doc, end: int) -> Token | None:
    """The noun after the span that the span's last word modifies, when that word cannot end a noun
    phrase: a count ("at least 28" of "at least 28 defendants"), the first words of a name ("Ibrahim
    Ahmed" of "Ibrahim Ahmed Ghandour"), a noun of a compound ("immigration" of "immigration
    policy") or an adjective that is not a nationality ("restrictive" of "restrictive immigration
    policy"). A nationality or a name modifying a common noun names a party by itself ("Syrian" of
    "Syrian inequalities", "the U.S." of "the U.S. embassy") and may end a span."""
    last = doc[end - 1]
    noun = last.head
    if not (end <= noun.i and noun.pos_ in ("NOUN", "PROPN") and noun.sent.start == last.sent.start):
        return None
    if last.dep_ in _COUNTS:
        return noun
    if last.dep_ == "amod":
        return None if last.ent_type_ or last.text[:1].isupper() else noun
    if last.dep_ in _NAME_PARTS:
        return noun if noun.pos_ == "PROPN" or not last.ent_type_ else None
    return None


#: Dependencies of words that count a noun and never name a party without it.
_COUNTS = frozenset({"nummod", "quantmod"})
#: Dependencies of the words of a name or compound noun before its last word.
_NAME_PARTS = frozenset({"compound", "flat"})
#: Parts of speech that can name a party; an adjective can too when it is a name ("Afghan").
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
