"""Line breaks as sentence boundaries (``analyze.paragraphs``)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from newsledger.analyze.paragraphs import FACTORY, add_paragraphs, mark_paragraph_starts


def _starts(text: str) -> list[str]:
    """The words ``mark_paragraph_starts`` marks as sentence starts."""
    doc = mark_paragraph_starts(spacy.blank("en").make_doc(text))
    return [token.text for token in doc if token.is_sent_start and token.i > 0]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        # a headline without final punctuation, then its first paragraph
        ("Leaders meet in Geneva\nThe talks began on Monday.", ["The"]),
        # a dateline and a blank line
        ("KYIV\n\nThe shelling stopped at dawn.\nIt resumed at noon.", ["The", "It"]),
        # a break inside a sentence: the next line starts in lower case
        ("The talks with\nthe rebels resumed.\nBoth sides agreed.", ["Both"]),
        # no line breaks at all
        ("One sentence. Another one.", []),
    ],
)
def test_paragraphs_mark_line_starts(text: str, starts: list[str]) -> None:
    assert _starts(text) == starts


def test_paragraphs_hard_wrapped_text_keeps_only_blank_lines() -> None:
    """Lines broken inside sentences (many start in lower case) are no boundaries; blank lines are."""
    text = (
        "The minister said the talks with\nthe rebels would resume on\nMonday, according to officials in\n"
        "the capital, who said President\nBiden had not been told.\n\nA second round is planned."
    )
    assert _starts(text) == ["A"]


def test_paragraphs_parser_keeps_the_boundaries(nlp: Language) -> None:
    """In the full pipeline a headline and a dateline are sentences of their own."""
    doc = nlp(
        "Putin and Xi discuss Ukraine\nAround 20 days before the war, Putin spoke with Xi."
        "\n\nMOSCOW\n\nHe left."
    )
    sentences = [sentence.text.strip() for sentence in doc.sents]
    assert sentences[:2] == [
        "Putin and Xi discuss Ukraine",
        "Around 20 days before the war, Putin spoke with Xi.",
    ]
    assert "MOSCOW" in sentences


def test_paragraphs_added_once_before_the_parser(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index(FACTORY) < names.index("parser")
    add_paragraphs(nlp)
    assert nlp.pipe_names == names
