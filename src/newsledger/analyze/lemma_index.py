"""The rule lemmatizer's word lists tested by set lookups.

spaCy's rule lemmatizer checks each candidate lemma against its ``lemma_index`` table, which holds one
Python list of known words per part of speech (57,528 nouns, 20,993 adjectives in en_core_web_sm), so
every test scans a list: about 0.4 ms for a word not in it. The lemmatizer keeps each result for a
(form, part of speech, morphology) key, but news brings new keys all the time: on 300 articles those
first lookups were about three quarters of the lemmatizer's time. ``index_lemma_tables`` gives each list a
set beside it for the membership test (``IndexedWords``); the lemmas are the same, and the table still
serialises as lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language


class IndexedWords(list[str]):
    """A list of words whose ``in`` test is a set lookup (the list is never changed after it is built)."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self._members = frozenset(self)

    def __contains__(self, word: object) -> bool:
        return word in self._members


def index_lemma_tables(nlp: Language) -> None:
    """Give the word lists of the ``lemma_index`` table of each rule lemmatizer in ``nlp`` a set for
    their membership tests. Lemmatizers in another mode or without the table are left alone; a second
    call changes nothing."""
    for _, component in nlp.pipeline:
        lookups: Any = getattr(component, "lookups", None)
        if getattr(component, "mode", None) != "rule" or lookups is None:
            continue
        if not lookups.has_table("lemma_index"):
            continue
        table = lookups.get_table("lemma_index")
        for key, words in list(table.items()):
            if type(words) is list:
                table[key] = IndexedWords(words)
