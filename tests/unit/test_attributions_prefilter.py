"""The sentence prefilter that keeps the encoder off sentences that cannot hold an attribution."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsledger.analyze.attributions import candidate_sentences
from newsledger.analyze.attributions.lexicon import default_lexicon

LEXICON = default_lexicon()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The bridge opened in 1932. The mayor said it was safe.", ["The mayor said it was safe."]),
        ("Rain fell all day. Unions criticized the plan.", ["Unions criticized the plan."]),
        ("Rain fell all day. The rule: no dogs.", ["The rule: no dogs."]),
        ("“We won. We are happy. Thanks.” Rain fell.", ["“We won.", "We are happy.", "Thanks.”"]),
        ("Rain fell all day. Roads were closed.", []),
    ],
)
def test_candidate_sentences_keeps_cue_quote_and_colon_sentences(
    blank_nlp: Language, text: str, kept: list[str]
) -> None:
    """Sentences with a cue word, a quotation mark, a colon or inside an open quote reach the tagger."""
    doc = blank_nlp(text)
    chosen = candidate_sentences(doc, LEXICON)
    assert [doc[s[0].i : s[-1].i + 1].text for s in chosen] == kept
