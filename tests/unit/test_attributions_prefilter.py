"""The sentence prefilter that keeps the encoder off sentences that cannot hold an attribution: lexicon
rule and learned word filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newsledger.analyze.attributions import candidate_sentences
from newsledger.analyze.attributions.lexicon import default_lexicon
from newsledger.analyze.attributions.sentence_filter import SentenceFilter, load_sentence_filter
from newsledger.analyze.attributions.tagger import model_folder
from newsledger.errors import ModelNotFound

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


def test_candidate_sentences_adds_the_sentences_the_learned_filter_wants(blank_nlp: Language) -> None:
    """A sentence with no lexicon cue word still reaches the tagger when the word filter wants it."""
    text = "Rain fell all day. Unions backed the strike."
    sentence_filter = SentenceFilter(bias=-2.0, threshold=0.0, weights={"backed": 3.0, "rain": -1.0})
    doc = blank_nlp(text)
    assert [doc[s[0].i : s[-1].i + 1].text for s in candidate_sentences(doc, LEXICON)] == []
    chosen = candidate_sentences(doc, LEXICON, sentence_filter)
    assert [doc[s[0].i : s[-1].i + 1].text for s in chosen] == ["Unions backed the strike."]


def test_sentence_filter_shipped_only_adds_sentences(blank_nlp: Language) -> None:
    """The shipped filter loads and never drops a sentence the lexicon rule keeps."""
    sentence_filter = load_sentence_filter(model_folder())
    assert len(sentence_filter.weights) > 1000
    doc = blank_nlp("Rain fell all day. The mayor said it was safe. Unions backed the plan. Roads were shut.")
    plain = [s[0].i for s in candidate_sentences(doc, LEXICON)]
    learned = [s[0].i for s in candidate_sentences(doc, LEXICON, sentence_filter)]
    assert set(plain) <= set(learned)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"version": 2, "bias": 0, "threshold": 0, "weights": {}}',
        '{"version": 1, "bias": 0, "threshold": 0}',
        '{"version": 1, "bias": "low", "threshold": 0, "weights": {}}',
        '{"version": 1, "bias": 0, "threshold": NaN, "weights": {}}',
        '{"version": 1, "bias": 0, "threshold": 0, "weights": {"said": true}}',
        "[1, 2]",
    ],
)
def test_sentence_filter_rejects_a_malformed_file(tmp_path: Path, content: str) -> None:
    """A broken weights file is a coded error naming the file and how to rebuild it."""
    path = tmp_path / "sentence_filter.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelNotFound) as caught:
        SentenceFilter.load(path)
    assert str(path) in str(caught.value)
    assert "make train-attributions" in (caught.value.hint or "")
