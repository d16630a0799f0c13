"""The lemmatizer with its word lists tested by set lookups gives exactly spaCy's lemmas."""

from __future__ import annotations

import pytest
from spacy.language import Language

from conftest import sample_texts
from newsledger.analyze.lemma_index import IndexedWords, index_lemma_tables
from newsledger.nlp import load_model

EDGE_TEXTS = [
    "",
    "   \n\n  ",
    "Paris.",
    "The ministers were meeting; talks had been held, and the leaders' aides were briefed.",
    "Geese, mice and crises: data on the media's analyses of the U.S.-led coalition’s 5,000 troops.",
]


def _lemmas(nlp: Language, texts: list[str]) -> list[list[str]]:
    return [[token.lemma_ for token in doc] for doc in nlp.pipe(texts, batch_size=8)]


def _indexed(nlp: Language) -> Language:
    index_lemma_tables(nlp)
    return nlp


def test_lemma_index_gives_spacys_lemmas() -> None:
    texts = sample_texts(EDGE_TEXTS, cc_by_articles=12)
    assert _lemmas(_indexed(load_model()), texts) == _lemmas(load_model(), texts)


def test_lemma_index_indexes_every_word_list_once() -> None:
    nlp = _indexed(load_model())
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    lists = dict(table.items())
    assert lists
    assert all(type(words) is IndexedWords for words in lists.values())
    index_lemma_tables(nlp)  # a second call changes nothing
    assert all(table[key] is words for key, words in lists.items())


def test_lemma_index_saved_lemmatizer_loads_with_the_same_lemmas() -> None:
    nlp = _indexed(load_model())
    saved = nlp.get_pipe("lemmatizer").to_bytes()  # type: ignore[attr-defined]
    fresh = load_model()
    fresh.get_pipe("lemmatizer").from_bytes(saved)  # type: ignore[attr-defined]
    texts = sample_texts(EDGE_TEXTS, cc_by_articles=2)
    assert _lemmas(fresh, texts) == _lemmas(load_model(), texts)


@pytest.mark.parametrize(
    ("words", "word", "found"),
    [(["state", "talk"], "talk", True), (["state", "talk"], "talks", False), ([], "", False)],
)
def test_lemma_index_membership_is_the_lists(words: list[str], word: str, found: bool) -> None:
    indexed = IndexedWords(words)
    assert (word in indexed) is found is (word in words)
    assert indexed == words


def test_lemma_index_without_a_lemmatizer_is_a_no_op() -> None:
    nlp = load_model()
    nlp.remove_pipe("lemmatizer")
    names = nlp.pipe_names
    index_lemma_tables(nlp)
    assert nlp.pipe_names == names
