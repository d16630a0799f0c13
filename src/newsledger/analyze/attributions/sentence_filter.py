"""The learned half of the attribution prefilter: which sentences without a lexicon cue word, quotation
mark or colon are still worth the tagger's time.

PolNeAR counts many verbs and nouns as cues ("backed", "condemned", "charges", "demand for") that no
short lexicon lists. A logistic regression over a sentence's lower-cased words, trained on the PolNeAR
train sentences (``training/attributions/prefilter.py``, weights in
``models/attribution/sentence_filter.json``), sends such sentences to the tagger when their
probability of holding a cue passes the threshold chosen on dev (docs/attributions.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsledger.analyze.linear_model import read_linear_model

FILE_NAME = "sentence_filter.json"


@dataclass(frozen=True, slots=True)
class SentenceFilter:
    """``wants(words)``: whether a sentence's score (bias + the weights of its distinct lower-cased
    words) passes ``threshold`` (a log-odds value)."""

    bias: float
    threshold: float
    weights: dict[str, float]

    def wants(self, words: Iterable[str]) -> bool:
        get = self.weights.get
        return self.bias + sum(get(word, 0.0) for word in set(words)) > self.threshold

    @classmethod
    def load(cls, path: Path) -> SentenceFilter:
        """The filter in ``path``; ModelNotFound naming the file when it is missing or malformed."""
        model = read_linear_model(path, name="attribution sentence filter", rebuild="make train-attributions")
        return cls(bias=model.bias, threshold=model.threshold, weights=model.weights)


@lru_cache(maxsize=2)
def load_sentence_filter(folder: Path) -> SentenceFilter:
    """The filter shipped beside the tagger in ``folder``, loaded once per process."""
    return SentenceFilter.load(folder / FILE_NAME)
