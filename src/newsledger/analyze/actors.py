"""Actors extraction (placeholder: being built)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.extensions import register_extensions


def extract_actors(doc: Doc) -> Iterator[Any]:
    """Records for ``doc``."""
    yield from ()


class ActorsComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.actors = list(extract_actors(doc))
        return doc


@Language.factory("newsledger_actors", assigns=["doc._.actors"])
def make_actors_component(nlp: Language, name: str) -> ActorsComponent:
    register_extensions()
    return ActorsComponent(nlp, name)
