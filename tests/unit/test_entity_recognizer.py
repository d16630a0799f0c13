"""The entity recogniser decoding from Python finds exactly the entities spaCy's own loop finds."""

from __future__ import annotations

import pytest
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

from conftest import sample_texts
from newsledger.analyze.blas import use_numpy_blas
from newsledger.analyze.entity_recognizer import SteppedEntityRecognizer, step_entity_recognizer
from newsledger.nlp import load_model

EDGE_TEXTS = [
    "",
    "   \n\n  ",
    "Paris.",
    "Talks in Geneva on 4 February 2022 between the U.S. and Russia’s Sergei Lavrov.\n\nNATO replied.",
    "The U.S.-led coalition’s “final” offer: 5,000 troops, a $1bn loan.",
]


def _texts() -> list[str]:
    return sample_texts(EDGE_TEXTS, cc_by_articles=12)


def _entities(doc: Doc) -> list[tuple[object, ...]]:
    return [(t.ent_iob_, t.ent_type_) for t in doc] + [(e.start, e.end, e.label_) for e in doc.ents]


@pytest.mark.parametrize("batch_size", [1, 8, 64])
def test_entity_recognizer_finds_what_spacy_finds(batch_size: int) -> None:
    spacys, stepped = load_model(), load_model()
    step_entity_recognizer(stepped)
    for nlp in (spacys, stepped):
        use_numpy_blas(nlp)
    texts = _texts()
    expected = spacys.pipe(texts, batch_size=batch_size)
    got = stepped.pipe(texts, batch_size=batch_size)
    for want, have in zip(expected, got, strict=True):
        assert _entities(have) == _entities(want), want.text[:80]


def test_entity_recognizer_replaces_the_greedy_recognizer_in_place() -> None:
    nlp = load_model()
    names = nlp.pipe_names
    step_entity_recognizer(nlp)
    assert nlp.pipe_names == names
    assert type(nlp.get_pipe("ner")) is SteppedEntityRecognizer
    assert nlp.get_pipe("ner").labels == load_model().get_pipe("ner").labels
    step_entity_recognizer(nlp)  # a second call changes nothing
    assert type(nlp.get_pipe("ner")) is SteppedEntityRecognizer


def test_entity_recognizer_leaves_a_beam_recognizer_alone() -> None:
    nlp = load_model()
    nlp.get_pipe("ner").cfg["beam_width"] = 4
    step_entity_recognizer(nlp)
    assert type(nlp.get_pipe("ner")) is EntityRecognizer


def test_entity_recognizer_without_one_is_a_no_op() -> None:
    nlp = load_model()
    nlp.remove_pipe("ner")
    step_entity_recognizer(nlp)
    assert "ner" not in nlp.pipe_names
