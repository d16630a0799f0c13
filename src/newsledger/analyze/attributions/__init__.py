"""Attributions: who says what, with source, cue and content offsets (``doc._.attributions``).

A trained span tagger (MiniLM fine-tuned on PolNeAR train, run through onnxruntime int8: ``tagger``)
marks source, cue and content spans in each sentence; rules over the parse and the lexicons
(``extract``, ``lexicon``) pair them and add quote kind, source type, certainty, channel, the resolved
actor and relay chain. See docs/attributions.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsledger.analyze.ahead import ahead
from newsledger.analyze.attributions.extract import CLOSING_MARKS, OPENING_MARKS, build_attributions
from newsledger.analyze.attributions.lexicon import Lexicon, default_lexicon
from newsledger.analyze.attributions.sentence_filter import SentenceFilter, load_sentence_filter
from newsledger.analyze.attributions.tagger import SpanTagger, load_tagger
from newsledger.analyze.extensions import register_extensions
from newsledger.model import Attribution

__all__ = ["AttributionsComponent", "candidate_sentences", "extract_attributions", "tag_doc"]


def candidate_sentences(
    doc: Doc, lexicon: Lexicon, sentence_filter: SentenceFilter | None = None
) -> list[list[Token]]:
    """The sentences that can hold an attribution part, without space tokens.

    The encoder is the pipeline's costliest step, so it skips sentences with no cue word (lexicon form
    or lemma, incl. PolNeAR's broad cue verbs), no quotation mark, no colon, no open quotation running
    on from before, and that the learned ``sentence_filter`` does not want (measured on PolNeAR dev:
    docs/attributions.md).
    """
    chosen: list[list[Token]] = []
    quoted = False  # inside a quotation opened in an earlier sentence of the paragraph
    for sentence in doc.sents:
        tokens = [t for t in sentence if not t.is_space]
        keep = (
            quoted
            or any(
                t.is_quote or t.text == ":" or t.lower_ in lexicon.cues or t.lemma_.lower() in lexicon.cues
                for t in tokens
            )
            or (sentence_filter is not None and sentence_filter.wants(t.lower_ for t in tokens))
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


def tag_doc(
    doc: Doc,
    tagger: SpanTagger,
    lexicon: Lexicon | None = None,
    sentence_filter: SentenceFilter | None = None,
) -> tuple[list[str], list[float]]:
    """A BIO tag and its probability for every token of ``doc``; space tokens and the sentences that
    cannot hold an attribution (``candidate_sentences``) stay "O"."""
    tags = ["O"] * len(doc)
    scores = [1.0] * len(doc)
    sentences = candidate_sentences(doc, lexicon or default_lexicon(), sentence_filter)
    tagged = tagger.tag_with_scores([[t.text for t in tokens] for tokens in sentences])
    for tokens, (sentence_tags, sentence_scores) in zip(sentences, tagged, strict=True):
        for token, tag, score in zip(tokens, sentence_tags, sentence_scores, strict=True):
            tags[token.i] = tag
            scores[token.i] = score
    return tags, scores


def extract_attributions(
    doc: Doc,
    *,
    tagger: SpanTagger | None = None,
    lexicon: Lexicon | None = None,
    sentence_filter: SentenceFilter | None = None,
) -> Iterator[Attribution]:
    """Attribution records for a parsed ``doc`` (uses ``doc._.actors`` and ``doc._.times`` when set).

    Without ``tagger`` the shipped tagger and its sentence filter are used."""
    lexicon = lexicon or default_lexicon()
    if tagger is None:
        tagger = load_tagger()
        sentence_filter = sentence_filter or load_sentence_filter(tagger.folder)
    tags, scores = tag_doc(doc, tagger, lexicon, sentence_filter)
    yield from build_attributions(doc, tags, scores, lexicon=lexicon, actors=doc._.actors, times=doc._.times)


class AttributionsComponent:
    """Writes ``doc._.attributions``; the tagger and lexicons are loaded once per process."""

    def __init__(self, nlp: Language, name: str, *, model: str | None) -> None:
        self.name = name
        self.tagger = load_tagger(model)
        self.sentence_filter = load_sentence_filter(self.tagger.folder)
        self.lexicon = default_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = list(
            extract_attributions(
                doc, tagger=self.tagger, lexicon=self.lexicon, sentence_filter=self.sentence_filter
            )
        )
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        tag = functools.partial(
            tag_doc, tagger=self.tagger, lexicon=self.lexicon, sentence_filter=self.sentence_filter
        )
        for doc, (tags, scores) in ahead(docs, tag, batch_size):
            doc._.attributions = list(
                build_attributions(
                    doc, tags, scores, lexicon=self.lexicon, actors=doc._.actors, times=doc._.times
                )
            )
            yield doc


@Language.factory(
    "newsledger_attributions",
    assigns=["doc._.attributions"],
    default_config={"model": None},
)
def make_attributions_component(nlp: Language, name: str, model: str | None) -> AttributionsComponent:
    """``model``: a folder holding tagger.onnx, tokenizer.json, meta.json and sentence_filter.json
    (default: the packaged one)."""
    register_extensions()
    return AttributionsComponent(nlp, name, model=model)
