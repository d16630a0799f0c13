"""Line breaks as sentence boundaries, set before the parser reads the text.

en_core_web_sm's parser often runs a sentence on over a line break: a headline, dateline, subhead or
photo caption without final punctuation joins the paragraph after it ("MINNEAPOLIS\\n\\nA woman ...").
That happened to about one sentence in ten of news text (docs/attributions.md), and such a sentence
then mixes the source of one attribution or event with the words of another.
``mark_paragraph_starts`` marks the first word after a blank line as a sentence start, and the first
word after a single line break too, unless the text is hard-wrapped (lines broken inside sentences)
or that next line starts in lower case. The parser keeps boundaries set before it runs.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Token

FACTORY = "newsledger_paragraphs"

#: Share of single line breaks followed by a lower-case word above which a text counts as hard-wrapped.
WRAPPED_SHARE = 0.2


def mark_paragraph_starts(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first word of each paragraph (see the module's docstring)."""
    breaks: list[tuple[Token, bool]] = []  # first word after a line break, whether a blank line came
    newlines = 0
    for token in doc:
        if token.is_space:
            newlines += token.text.count("\n")
        elif newlines:
            if token.i > 0:
                breaks.append((token, newlines > 1))
            newlines = 0
    single = [word for word, blank in breaks if not blank]
    lower = sum(1 for word in single if word.text[:1].islower())
    wrapped = lower >= 2 and lower > WRAPPED_SHARE * len(single)
    for word, blank in breaks:
        if blank or not (wrapped or word.text[:1].islower()):
            word.is_sent_start = True
    return doc


@Language.factory(FACTORY)
def make_paragraphs(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """A component that marks paragraph starts as sentence starts; put it before the parser."""
    return mark_paragraph_starts


def add_paragraphs(nlp: Language) -> None:
    """Insert the component before the model's parser or sentence recogniser (first when neither)."""
    if FACTORY in nlp.pipe_names:
        return
    before = next((name for name in nlp.pipe_names if name in ("parser", "senter")), None)
    if before is None:
        nlp.add_pipe(FACTORY, first=True)
    else:
        nlp.add_pipe(FACTORY, before=before)
