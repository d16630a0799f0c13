"""The learned target chooser: loading its weights, the candidate phrases, the tag layer's span
scores, the features, the choice itself and its place in the events component."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from newsledger.analyze.events import EventsComponent
from newsledger.analyze.events.arguments import ARGUMENT_LABELS
from newsledger.analyze.events.targets import (
    TargetChooser,
    candidate_spans,
    load_target_chooser,
    model_path,
    span_log_prob,
    target_features,
)
from newsledger.errors import ModelNotFound


def _chooser(weights: dict[str, float], threshold: float = 0.0, bias: float = 0.0) -> TargetChooser:
    return TargetChooser(bias=bias, threshold=threshold, weights=weights)


def test_targets_shipped_chooser_loads() -> None:
    """The packaged weights load, with a finite threshold and weights for the tag layer's score."""
    chooser = load_target_chooser()
    assert model_path().is_file()
    assert math.isfinite(chooser.threshold)
    assert "score" in chooser.weights
    assert "rule" in chooser.weights


def test_targets_bad_file_names_itself(tmp_path: Path) -> None:
    """A malformed weights file is a ModelNotFound naming the file and how to rebuild it (the format's
    checks: ``test_attributions_prefilter.py``, which reads the same format)."""
    path = tmp_path / "target_chooser.json"
    path.write_text(json.dumps({"version": 1, "bias": 0, "weights": {}}), encoding="utf-8")  # no threshold
    with pytest.raises(ModelNotFound, match="event target chooser") as error:
        TargetChooser.load(path)
    assert str(path) in str(error.value)
    assert "make train-target-chooser" in (error.value.hint or "")


@pytest.mark.parametrize(
    ("candidates", "threshold", "expected"),
    [
        ({(0, 2): {"rule": 1.0}, (3, 4): {"score": 1.0}}, 0.0, (3, 4)),  # the better score wins
        ({(0, 2): {"rule": 1.0}, (3, 4): {"score": 0.5}}, 3.0, None),  # none passes: no target
        ({(3, 4): {"score": 1.0}, (0, 2): {"score": 1.0}}, 0.0, (0, 2)),  # a tie goes to the first
        ({}, -100.0, None),  # nothing to choose from
    ],
)
def test_targets_choose_best_over_threshold(
    candidates: dict[tuple[int, int], dict[str, float]], threshold: float, expected: tuple[int, int] | None
) -> None:
    chooser = _chooser({"rule": 1.0, "score": 2.0}, threshold=threshold)
    assert chooser.choose(candidates) == expected


def _matrix(tags: list[str], sure: float = 0.9) -> np.ndarray:
    """A log probability matrix that gives each word its tag with probability ``sure``."""
    rest = (1 - sure) / (len(ARGUMENT_LABELS) - 1)
    probs = np.full((len(tags), len(ARGUMENT_LABELS)), rest)
    for row, tag in enumerate(tags):
        probs[row, ARGUMENT_LABELS.index(tag)] = sure
    return np.log(probs)


@pytest.mark.parametrize(
    ("span", "kind", "best"),
    [
        ((1, 3), "T", True),  # exactly the tagged target
        ((1, 2), "T", False),  # stops before its last word
        ((0, 3), "T", False),  # starts a word early
        ((1, 3), "S", False),  # the other role
    ],
)
def test_targets_span_log_prob_prefers_the_tagged_span(span: tuple[int, int], kind: str, best: bool) -> None:
    log_probs = _matrix(["O", "B-T", "I-T", "O"])
    rows = {i: i for i in range(4)}
    score = span_log_prob(log_probs, rows, span, kind)
    exact = span_log_prob(log_probs, rows, (1, 3), "T")
    assert (score == exact) is best
    assert score <= exact


SENTENCE = "Kenyan officials returned the stolen tusks to the government of Uganda."


def test_targets_candidates_are_the_sentence_phrases(nlp: Language) -> None:
    """Whole phrases, phrases without their article, and phrases cut before a trailing modifier."""
    doc = nlp(SENTENCE)
    texts = {doc[a:b].text for a, b in candidate_spans(next(doc.sents))}
    assert {"Kenyan officials", "the stolen tusks", "stolen tusks", "the government of Uganda"} <= texts
    assert "the government" in texts  # cut before "of Uganda"
    assert "returned" not in texts
    assert "." not in texts


def test_targets_features_tell_how_a_phrase_hangs_from_the_trigger(nlp: Language) -> None:
    doc = nlp(SENTENCE)
    trigger = doc[2]
    words = [t for t in doc if not t.is_space]
    log_probs = _matrix(["O"] * len(words))
    tusks, government, source, uganda = (3, 6), (7, 11), (0, 2), (10, 11)
    features = target_features(
        doc,
        [tusks, government, source, uganda],
        log_probs=log_probs,
        rows={t.i: n for n, t in enumerate(words)},
        trigger=trigger,
        event_type="RETREAT",
        rule_target=government,
    )
    assert features[tusks]["path=dobj"] == 1.0
    assert features[government]["path=prep:to/pobj"] == 1.0
    assert features[government]["rule"] == 1.0
    assert features[government]["first=the"] == 1.0
    assert features[source]["path=nsubj"] == 1.0
    assert features[uganda]["entity=GPE"] == 1.0
    assert features[uganda]["rule_overlap"] == 1.0
    assert all(f["event=RETREAT"] == 1.0 for f in features.values())


@pytest.mark.parametrize("enabled", [True, False])
def test_targets_component_option(nlp: Language, enabled: bool) -> None:
    """``target_chooser`` switches the chooser on (the default, with the argument tagger) or off."""
    assert nlp.get_pipe("newsledger_events").chooser is not None  # the default
    component = EventsComponent(nlp, "events", target_chooser=enabled)
    assert (component.chooser is not None) is enabled
