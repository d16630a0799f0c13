"""Events extraction (placeholder: being built)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.extensions import register_extensions


def extract_events(doc: Doc) -> Iterator[Any]:
    """Records for ``doc``."""
    yield from ()


class EventsComponent:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = list(extract_events(doc))
        return doc


@Language.factory("newsledger_events", assigns=["doc._.events"])
def make_events_component(nlp: Language, name: str) -> EventsComponent:
    register_extensions()
    return EventsComponent(nlp, name)
