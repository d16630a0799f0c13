"""Attributions: who says what, with source, cue and content offsets (``doc._.attributions``).

A trained span tagger (MiniLM fine-tuned on PolNeAR train, run through onnxruntime int8: ``tagger``)
marks source, cue and content spans in each sentence; rules over the parse and the lexicons
(``extract``, ``lexicon``) pair them and add quote kind, source type, certainty, channel, the resolved
actor and relay chain. See docs/attributions.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsledger.analyze.attributions.extract import CLOSING_MARKS, OPENING_MARKS, build_attributions
from newsledger.analyze.attributions.lexicon import Lexicon, default_lexicon
from newsledger.analyze.attributions.tagger import SpanTagger, load_tagger
from newsledger.analyze.extensions import register_extensions
from newsledger.model import Attribution

__all__ = ["AttributionsComponent", "candidate_sentences", "extract_attributions", "tag_doc"]


def candidate_sentences(doc: Doc, lexicon: Lexicon) -> list[list[Token]]:
    """The sentences that can hold an attribution part, without space tokens.

    The encoder is the pipeline's costliest step, so it skips sentences with no cue word (lexicon form
    or lemma, incl. PolNeAR's broad cue verbs), no quotation mark, no colon and no open quotation
    running on from before (measured on PolNeAR dev: a quarter of the sentences skipped, exact F1
    within 0.6 points per role; docs/attributions.md).
    """
    chosen: list[list[Token]] = []
    quoted = False  # inside a quotation opened in an earlier sentence of the paragraph
    for sentence in doc.sents:
        tokens = [t for t in sentence if not t.is_space]
        keep = quoted or any(
            t.is_quote or t.text == ":" or t.lower_ in lexicon.cues or t.lemma_.lower() in lexicon.cues
            for t in tokens
        )
        for token in sentence:
            if token.is_space and "\n" in token.text:
                quoted = False
            elif token.text in OPENING_MARKS:
                quoted = True
            elif token.text in CLOSING_MARKS:
                quoted = False
            elif token.text == '"':
                quoted = not quoted
        if keep:
            chosen.append(tokens)
    return chosen


def tag_doc(doc: Doc, tagger: SpanTagger, lexicon: Lexicon | None = None) -> tuple[list[str], list[float]]:
    """A BIO tag and its probability for every token of ``doc``; space tokens and the sentences that
    cannot hold an attribution (``candidate_sentences``) stay "O"."""
    tags = ["O"] * len(doc)
    scores = [1.0] * len(doc)
    sentences = candidate_sentences(doc, lexicon or default_lexicon())
    tagged = tagger.tag_with_scores([[t.text for t in tokens] for tokens in sentences])
    for tokens, (sentence_tags, sentence_scores) in zip(sentences, tagged, strict=True):
        for token, tag, score in zip(tokens, sentence_tags, sentence_scores, strict=True):
            tags[token.i] = tag
            scores[token.i] = score
    return tags, scores


def extract_attributions(
    doc: Doc, *, tagger: SpanTagger | None = None, lexicon: Lexicon | None = None
) -> Iterator[Attribution]:
    """Attribution records for a parsed ``doc`` (uses ``doc._.actors`` and ``doc._.times`` when set)."""
    lexicon = lexicon or default_lexicon()
    tags, scores = tag_doc(doc, tagger or load_tagger(), lexicon)
    yield from build_attributions(doc, tags, scores, lexicon=lexicon, actors=doc._.actors, times=doc._.times)


class AttributionsComponent:
    """Writes ``doc._.attributions``; the tagger and lexicons are loaded once per process."""

    def __init__(self, nlp: Language, name: str, *, model: str | None) -> None:
        self.name = name
        self.tagger = load_tagger(model)
        self.lexicon = default_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = list(extract_attributions(doc, tagger=self.tagger, lexicon=self.lexicon))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(
    "newsledger_attributions",
    assigns=["doc._.attributions"],
    default_config={"model": None},
)
def make_attributions_component(nlp: Language, name: str, model: str | None) -> AttributionsComponent:
    """``model``: a folder holding tagger.onnx, tokenizer.json and meta.json (default: the packaged one)."""
    register_extensions()
    return AttributionsComponent(nlp, name, model=model)
