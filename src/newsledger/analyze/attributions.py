"""Attributions extraction (placeholder: being built)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.extensions import register_extensions


def extract_attributions(doc: Doc) -> Iterator[Any]:
    """Records for ``doc``."""
    yield from ()


class AttributionsComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = list(extract_attributions(doc))
        return doc


@Language.factory("newsledger_attributions", assigns=["doc._.attributions"])
def make_attributions_component(nlp: Language, name: str) -> AttributionsComponent:
    register_extensions()
    return AttributionsComponent(nlp, name)
