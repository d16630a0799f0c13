"""The learned half of the attribution prefilter: which sentences without a lexicon cue word, quotation
mark or colon are still worth the tagger's time.

PolNeAR counts many verbs and nouns as cues ("backed", "condemned", "charges", "demand for") that no
short lexicon lists. A logistic regression over a sentence's lower-cased words, trained on the PolNeAR
train sentences (``training/attributions/prefilter.py``, weights in
``models/attribution/sentence_filter.json``), sends such sentences to the tagger when their
probability of holding a cue passes the threshold chosen on dev (docs/attributions.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsledger.errors import ModelNotFound

FILE_NAME = "sentence_filter.json"


def _finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}, not a finite number")
    return float(value)


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
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != 1 or not isinstance(raw.get("weights"), dict):
                raise ValueError("expected version 1 and a 'weights' object")
            return cls(
                bias=_finite(raw["bias"], "bias"),
                threshold=_finite(raw["threshold"], "threshold"),
                weights={
                    str(word): _finite(value, f"weight of {word!r}") for word, value in raw["weights"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ModelNotFound(
                f"cannot load the attribution sentence filter {path}: {error}",
                hint="reinstall newsledger, or rebuild it with `make train-attributions`",
            ) from error


@lru_cache(maxsize=2)
def load_sentence_filter(folder: Path) -> SentenceFilter:
    """The filter shipped beside the tagger in ``folder``, loaded once per process."""
    return SentenceFilter.load(folder / FILE_NAME)
