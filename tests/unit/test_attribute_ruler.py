"""The indexed attribute ruler annotates exactly as the model's own attribute ruler."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from conftest import sample_texts
from newsledger.analyze.attribute_ruler import IndexedAttributeRuler, index_attribute_ruler
from newsledger.nlp import load_model

# contractions, negations, multi-token and regular-expression patterns, spaces, odd quotes
EDGE_TEXTS = [
    "",
    "   \n\n  ",
    "I ain't gonna sign it, y'all, and he's not; she'd've said so.",
    "Wanna bet?  They're here, we'll see, it's   done.\n\nOK.",
    "The U.S.-led coalition’s “final” offer: 5,000 troops, 2 jets & a $1bn loan.",
]


@pytest.fixture(scope="module")
def rulers() -> tuple[Language, AttributeRuler, AttributeRuler]:
    """The real model (up to its parser), its attribute ruler, and an indexed copy of that ruler."""
    model = load_model()
    original = model.get_pipe("attribute_ruler")
    assert type(original) is AttributeRuler
    indexed = IndexedAttributeRuler(model.vocab)
    indexed.add_patterns(original.patterns)
    return model, original, indexed


def _texts() -> list[str]:
    return sample_texts(EDGE_TEXTS, cc_by_articles=10)


def _annotations(doc: Doc) -> list[tuple[str, str, str, str]]:
    return [(t.pos_, t.tag_, str(t.morph), t.lemma_) for t in doc]


def test_indexed_attribute_ruler_annotates_as_the_original(
    rulers: tuple[Language, AttributeRuler, AttributeRuler],
) -> None:
    model, original, indexed = rulers
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(model.pipe(_texts()))
    for doc in docs:
        expected, got = original(doc.copy()), indexed(doc.copy())
        assert _annotations(got) == _annotations(expected), doc.text[:80]


def test_indexed_attribute_ruler_keeps_patterns_and_serialises(
    rulers: tuple[Language, AttributeRuler, AttributeRuler],
) -> None:
    model, original, indexed = rulers
    assert indexed.patterns == original.patterns
    restored = IndexedAttributeRuler(model.vocab).from_bytes(indexed.to_bytes())
    assert restored.patterns == original.patterns
    doc = model("Officials said they weren't told.")
    assert _annotations(restored(doc.copy())) == _annotations(original(doc.copy()))


@pytest.mark.parametrize(
    ("pattern", "attrs", "text", "expected"),
    [
        ([{"LOWER": "talks"}], {"LEMMA": "talk"}, "Talks began.", ["talk", "began", "."]),
        ([{"LOWER": {"NOT_IN": ["talks"]}}], {"LEMMA": "x"}, "Talks began.", ["Talks", "x", "x"]),
        ([{"LOWER": "talks"}, {"LOWER": "began"}], {"LEMMA": "y"}, "Talks began.", ["y", "began", "."]),
        ([{"LOWER": {"REGEX": "^t"}}], {"LEMMA": "z"}, "Talks began.", ["z", "began", "."]),
    ],
)
def test_indexed_attribute_ruler_pattern_kinds(
    pattern: list[dict[str, object]], attrs: dict[str, str], text: str, expected: list[str]
) -> None:
    """Patterns it files (values, exclusions) and those it leaves to the Matcher all match."""
    blank = spacy.blank("en")
    ruler = IndexedAttributeRuler(blank.vocab)
    ruler.add([pattern], attrs)
    doc = blank.make_doc(text)
    for token in doc:
        token.lemma_ = token.text
    assert [t.lemma_ for t in ruler(doc)] == expected


def test_index_attribute_ruler_swaps_only_the_model_ruler() -> None:
    model = load_model()
    patterns = model.get_pipe("attribute_ruler").patterns
    index_attribute_ruler(model)
    assert isinstance(model.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert model.get_pipe("attribute_ruler").patterns == patterns
    assert model.pipe_names == load_model().pipe_names
    blank = spacy.blank("en")
    index_attribute_ruler(blank)  # no attribute ruler: nothing to do
    assert blank.pipe_names == []
