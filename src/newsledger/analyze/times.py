"""Times extraction (placeholder: being built)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.extensions import register_extensions


def extract_times(doc: Doc) -> Iterator[Any]:
    """Records for ``doc``."""
    yield from ()


class TimesComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.times = list(extract_times(doc))
        return doc


@Language.factory("newsledger_times", assigns=["doc._.times"])
def make_times_component(nlp: Language, name: str) -> TimesComponent:
    register_extensions()
    return TimesComponent(nlp, name)
