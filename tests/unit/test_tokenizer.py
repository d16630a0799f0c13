"""The horizontal bar is punctuation to newsledger's tokenizer."""

from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("lives.”― Ana Ruiz", ["lives", ".", "”", "―", "Ana", "Ruiz"]),
        ("him.”―Carla", ["him", ".", "”", "―", "Carla"]),
        ("WASHINGTON ― Donald", ["WASHINGTON", "―", "Donald"]),
        ("north―south", ["north", "―", "south"]),
        ("“Yes.” — Ana", ["“", "Yes", ".", "”", "—", "Ana"]),
    ],
    ids=["fused-to-quote", "fused-both-sides", "dateline", "infix", "em-dash-unchanged"],
)
def test_tokenizer_splits_horizontal_bar(nlp: Language, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp.make_doc(text)] == tokens
