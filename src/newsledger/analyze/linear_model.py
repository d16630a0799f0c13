"""The file format of newsledger's small learned linear models (the attribution sentence filter, the
event target chooser): JSON with ``version`` 1, a ``bias``, a ``threshold`` (log odds) and named
``weights``, validated on load."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from newsledger.errors import ModelNotFound


@dataclass(frozen=True, slots=True)
class LinearModel:
    bias: float
    threshold: float
    weights: dict[str, float]


def _finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}, not a finite number")
    return float(value)


def read_linear_model(path: Path, *, name: str, rebuild: str) -> LinearModel:
    """The model in ``path``; ModelNotFound naming the file (and ``name``, what it is) when it is
    missing or malformed, with the ``rebuild`` command as the hint."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("version") != 1 or not isinstance(raw.get("weights"), dict):
            raise ValueError("expected version 1 and a 'weights' object")
        return LinearModel(
            bias=_finite(raw["bias"], "bias"),
            threshold=_finite(raw["threshold"], "threshold"),
            weights={str(key): _finite(value, f"weight of {key!r}") for key, value in raw["weights"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelNotFound(
            f"cannot load the {name} {path}: {error}",
            hint=f"reinstall newsledger, or rebuild it with `{rebuild}`",
        ) from error
