"""The parser and entity recogniser decoding from Python find exactly what spaCy's own loops find."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.pipeline import DependencyParser, EntityRecognizer
from spacy.tokens import Doc

from conftest import sample_texts
from newsledger.analyze.blas import use_numpy_blas
from newsledger.analyze.paragraphs import add_paragraphs
from newsledger.analyze.stepped import SteppedEntityRecognizer, SteppedParser, step_decoders
from newsledger.nlp import load_model

EDGE_TEXTS = [
    "",
    "   \n\n  ",
    "Paris.",
    "Talks in Geneva on 4 February 2022 between the U.S. and Russia’s Sergei Lavrov.\n\nNATO replied.",
    "The U.S.-led coalition’s “final” offer: 5,000 troops, a $1bn loan.",
    "MOSCOW\nThe minister said on Monday that talks would resume, officials told reporters.",
]


def _texts() -> list[str]:
    return sample_texts(EDGE_TEXTS, cc_by_articles=12)


def _annotations(doc: Doc) -> list[tuple[object, ...]]:
    return [(t.head.i, t.dep_, t.is_sent_start, t.ent_iob_, t.ent_type_) for t in doc] + [
        (e.start, e.end, e.label_) for e in doc.ents
    ]


def _model(*, stepped: bool, paragraphs: bool) -> Language:
    nlp = load_model()
    if paragraphs:
        add_paragraphs(nlp)  # boundaries set before the parser runs must be kept alike
    if stepped:
        step_decoders(nlp)
    use_numpy_blas(nlp)
    return nlp


@pytest.mark.parametrize("paragraphs", [False, True])
@pytest.mark.parametrize("batch_size", [1, 8, 64])
def test_stepped_decoders_find_what_spacy_finds(batch_size: int, paragraphs: bool) -> None:
    spacys = _model(stepped=False, paragraphs=paragraphs)
    stepped = _model(stepped=True, paragraphs=paragraphs)
    texts = _texts()
    expected = spacys.pipe(texts, batch_size=batch_size)
    got = stepped.pipe(texts, batch_size=batch_size)
    for want, have in zip(expected, got, strict=True):
        assert _annotations(have) == _annotations(want), want.text[:80]


def test_stepped_decoders_replace_the_greedy_components_in_place() -> None:
    nlp = load_model()
    names = nlp.pipe_names
    step_decoders(nlp)
    assert nlp.pipe_names == names
    assert type(nlp.get_pipe("parser")) is SteppedParser
    assert type(nlp.get_pipe("ner")) is SteppedEntityRecognizer
    original = load_model()
    for name in ("parser", "ner"):
        assert nlp.get_pipe(name).labels == original.get_pipe(name).labels  # type: ignore[attr-defined]
    step_decoders(nlp)  # a second call changes nothing
    assert type(nlp.get_pipe("parser")) is SteppedParser
    assert type(nlp.get_pipe("ner")) is SteppedEntityRecognizer


def test_stepped_decoders_keep_the_parser_listening_to_the_shared_encoder() -> None:
    nlp = load_model()
    step_decoders(nlp)
    tok2vec = nlp.get_pipe("tok2vec")
    assert "parser" in tok2vec.listener_map  # type: ignore[attr-defined]
    listener = tok2vec.listener_map["parser"][0]  # type: ignore[attr-defined]
    assert any(layer is listener for layer in nlp.get_pipe("parser").model.walk())  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "spacy_class"), [("parser", DependencyParser), ("ner", EntityRecognizer)])
def test_stepped_decoders_leave_a_beam_component_alone(name: str, spacy_class: type) -> None:
    nlp = load_model()
    nlp.get_pipe(name).cfg["beam_width"] = 4  # type: ignore[attr-defined]
    step_decoders(nlp)
    assert type(nlp.get_pipe(name)) is spacy_class


def test_stepped_decoders_without_the_components_is_a_no_op() -> None:
    nlp = load_model()
    nlp.remove_pipe("ner")
    nlp.remove_pipe("parser")
    names = nlp.pipe_names
    step_decoders(nlp)
    assert nlp.pipe_names == names
