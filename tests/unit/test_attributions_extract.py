"""Attribution assembly rules on hand-built Docs: pairing, quote kind, certainty, relay, BIO decoding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.attributions.extract import (
    ActorIndex,
    build_attributions,
    certainty,
    classify_source,
    quote_kind,
)
from newsledger.analyze.attributions.labels import LABELS, bio_spans, normalize_word
from newsledger.analyze.attributions.lexicon import default_lexicon
from newsledger.analyze.attributions.tagger import (
    SpanTagger,
    WordPieces,
    decode_bias,
    forget_windows,
    load_tokenizer,
    model_folder,
    piece_windows,
    viterbi,
)
from newsledger.errors import ModelNotFound
from newsledger.model import Actor, ActorKind, Certainty, QuoteKind, SourceType, Span

LEXICON = default_lexicon()


def _tagged(blank_nlp: Language, text: str, marks: dict[str, str]) -> tuple[Doc, list[str]]:
    """A Doc of ``text`` and BIO tags putting each ``marks`` substring in its role."""
    doc = blank_nlp(text)
    tags = ["O"] * len(doc)
    for phrase, role in marks.items():
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
        assert span is not None
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + role
    return doc, tags


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (
            ["B-source", "I-source", "B-cue", "B-content", "I-content"],
            [("source", 0, 2), ("cue", 2, 3), ("content", 3, 5)],
        ),
        (["O", "I-cue", "O"], [("cue", 1, 2)]),
        (["B-content", "B-content"], [("content", 0, 1), ("content", 1, 2)]),
        (["O", "O"], []),
    ],
)
def test_bio_spans_reads_spans(tags: list[str], spans: list[tuple[str, int, int]]) -> None:
    """BIO tags decode to role spans; a stray I- opens a span."""
    assert bio_spans(tags) == spans


@pytest.mark.parametrize(
    ("word", "form"), [("``", '"'), ("''", '"'), ("“", '"'), ("”", '"'), ("‘", "'"), ("said", "said")]
)
def test_normalize_word_unifies_quote_marks(word: str, form: str) -> None:
    """PTB, curly and straight quote marks reach the tagger as one form."""
    assert normalize_word(word) == form


def test_viterbi_never_opens_with_inside_tag() -> None:
    """Constrained decoding turns a likelier I-x without a B-x into a valid sequence."""
    scores = np.full((2, len(LABELS)), -10.0)
    scores[0, LABELS.index("I-cue")] = -0.1
    scores[0, LABELS.index("B-cue")] = -1.0
    scores[1, LABELS.index("I-cue")] = -0.1
    assert [LABELS[i] for i in viterbi(scores)] == ["B-cue", "I-cue"]


def test_decode_bias_builds_tag_vector() -> None:
    """meta.json's decode_bias becomes one value per tag, zero for the tags it does not name."""
    vector = decode_bias({"O": 0.75, "B-content": -0.5})
    assert vector[LABELS.index("O")] == pytest.approx(0.75)
    assert vector[LABELS.index("B-content")] == pytest.approx(-0.5)
    assert np.count_nonzero(vector) == 2


@pytest.mark.parametrize("biases", [{"B-quote": 1.0}, {"O": float("nan")}, {"O": "high"}, {"O": True}])
def test_decode_bias_rejects_bad_entries(biases: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="decode_bias"):
        decode_bias(biases)  # type: ignore[arg-type]


def test_span_tagger_applies_and_validates_decode_bias(tmp_path: Path) -> None:
    """A strong O prior silences every span; a malformed bias is a ModelNotFound naming the folder."""
    for name in ("tagger.onnx", "tokenizer.json", "meta.json"):
        shutil.copy(model_folder() / name, tmp_path / name)
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    words = ["The", "minister", "said", "that", "talks", "would", "resume", "."]
    assert set(SpanTagger(tmp_path).tag([words])[0]) != {"O"}
    (tmp_path / "meta.json").write_text(json.dumps({**meta, "decode_bias": {"O": 50.0}}), encoding="utf-8")
    assert set(SpanTagger(tmp_path).tag([words])[0]) == {"O"}
    (tmp_path / "meta.json").write_text(json.dumps({**meta, "decode_bias": {"X": 1}}), encoding="utf-8")
    with pytest.raises(ModelNotFound, match="decode_bias"):
        SpanTagger(tmp_path)


def test_span_tagger_reuses_the_scores_of_a_recurring_window(tmp_path: Path) -> None:
    """A sentence seen before (boilerplate, wire copy) is not run again and gets the same scores as
    a tagger that never saw it; "U.S." as one word or four shares pieces but not word starts."""
    for name in ("tagger.onnx", "tokenizer.json", "meta.json"):
        shutil.copy(model_folder() / name, tmp_path / name)
    recurring = ["Officials", "said", "the", "U.S.", "talks", "would", "resume", "."]
    split = ["Officials", "said", "the", "U", ".", "S", ".", "talks", "would", "resume", "."]
    other = ["The", "minister", "denied", "it", "."]
    tagger = SpanTagger(tmp_path)
    first, _, again, pieces_alike = tagger.log_probs([recurring, other, recurring, split])
    assert tagger.graph.scores.cache_info().hits == 2
    assert np.array_equal(first, again)
    assert np.array_equal(first, SpanTagger(tmp_path).log_probs([recurring])[0])
    assert pieces_alike.shape == (len(split), len(LABELS))
    assert np.array_equal(pieces_alike, SpanTagger(tmp_path).log_probs([split])[0])
    forget_windows()
    assert np.array_equal(tagger.log_probs([recurring])[0], first)
    assert tagger.graph.scores.cache_info().hits == 0


@pytest.mark.parametrize(
    "words",
    [
        ["Officials", "said", "the", "U.S.-China", "talks", "would", "resume", "."],
        ["\u201cWe", "will", "win", ",", "\u201d", "she", "said", "."],  # quote marks unified
        ["A", "\u200b", "mark", "the", "tokenizer", "drops", ""],  # dropped words become [UNK]
        ["[SEP]", "\u00e9t\u00e9", "\u65e5\u672c", "\U0001f600", "x" * 300],
        ["long" * 40] * 12,  # several windows, pieces cut inside a long word
    ],
)
def test_word_pieces_match_the_tokenizer_on_the_whole_sentence(words: list[str]) -> None:
    """Remembered per word, the pieces are those of the sentence tokenised at once (how the tagger
    was trained): a pre-tokenised word's pieces do not depend on its neighbours."""
    tokenizer = load_tokenizer(model_folder()).tokenizer
    normalized = [normalize_word(w) for w in words]
    encoding = tokenizer.encode(normalized, is_pretokenized=True)
    dropped = set(range(len(words))) - set(encoding.word_ids)
    if dropped:
        normalized = ["[UNK]" if i in dropped else w for i, w in enumerate(normalized)]
        encoding = tokenizer.encode(normalized, is_pretokenized=True)
    expected = [
        [p for p, i in zip(encoding.ids, encoding.word_ids, strict=True) if i == k] for k in range(len(words))
    ]
    pieces = WordPieces(tokenizer, remembered=4)
    for _ in range(2):  # cold, then remembered (or forgotten when over ``remembered``)
        assert [list(p) for p in pieces.of(words)] == expected
    windows = piece_windows(pieces, words, 32)
    assert sum(len(firsts) for _, firsts in windows) == len(words)
    assert all(len(ids) <= 32 and ids[0] == pieces.cls and ids[-1] == pieces.sep for ids, _ in windows)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("“We will win,” he said.", QuoteKind.DIRECT),
        ('"We will win," he said.', QuoteKind.DIRECT),
        ("“We will win and the fight goes on", QuoteKind.DIRECT),  # unbalanced: runs to the paragraph end
        ("“He told me ‘never again’ and left,” she said.", QuoteKind.DIRECT),  # nested quote
        ("that the plan was “a disaster” for farmers", QuoteKind.MIXED),
        ("that the plan failed", QuoteKind.INDIRECT),
    ],
)
def test_quote_kind_reads_quote_marks(text: str, kind: QuoteKind) -> None:
    """Direct, mixed and indirect content with curly, straight, nested and unbalanced marks."""
    end = text.find(" he said") if " he said" in text else text.find(" she said")
    end = end if end > 0 else len(text)
    content = text[:end].rstrip(",")
    assert quote_kind(text, 0, len(content)) is kind


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ("He did not say that.", "did not say", Certainty.NEGATED),
        ("He never said that.", "never said", Certainty.NEGATED),
        ("She denied that.", "denied", Certainty.DENIED),
        ("The FT suggests that.", "suggests", Certainty.HEDGED),
        ("Reporters asked whether that.", "asked", Certainty.QUESTIONED),
        ("She said that.", "said", Certainty.ASSERTED),
    ],
)
def test_certainty_from_cue(blank_nlp: Language, text: str, cue: str, expected: Certainty) -> None:
    """The cue's words give its certainty; negation wins over the verb's class."""
    doc = blank_nlp(text)
    start = text.index(cue)
    span = doc.char_span(start, start + len(cue))
    assert span is not None
    assert certainty(doc, (span.start, span.end), LEXICON) is expected


def test_build_pairs_source_cue_and_content(blank_nlp: Language) -> None:
    """One sentence's source, cue and content make one attribution with character offsets."""
    text = "One source indicated that China viewed the moves as limited."
    doc, tags = _tagged(
        blank_nlp,
        text,
        {"One source": "source", "indicated": "cue", "that China viewed the moves as limited": "content"},
    )
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.source == Span.of(text, 0, 10)
    assert record.cue.text == "indicated"
    assert record.content.text == "that China viewed the moves as limited"
    assert record.source_type is SourceType.ANONYMOUS_INDIVIDUAL
    assert record.certainty is Certainty.HEDGED


def test_build_joins_quote_spanning_sentences(blank_nlp: Language) -> None:
    """A quote running over the next sentence (no cue there) is one content."""
    text = "“We will fight,” she said. “We will never give up.”"
    doc, tags = _tagged(
        blank_nlp,
        text,
        {
            "“We will fight,”": "content",
            "she": "source",
            "said": "cue",
            "“We will never give up.”": "content",
        },
    )
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.start == 0
    assert record.content.end == len(text)
    assert record.direct is QuoteKind.MIXED or record.direct is QuoteKind.DIRECT


@pytest.mark.parametrize(
    "frame", ["she said on Monday.", "she said in a speech in Kyiv.", "said the minister, Anna Bell."]
)
def test_build_joins_quotes_around_a_longer_frame(blank_nlp: Language, frame: str) -> None:
    """Two quotations split by their cue's frame and its own words are one speaker's content; the
    scorer cuts the frame out again, as CofeNet tags the pieces."""
    from newsledger.eval.attributions import _content_parts

    first, second = "“We will fight,”", "“We will never give up.”"
    text = f"{first} {frame} {second}"
    source = "she" if frame.startswith("she") else "the minister, Anna Bell"
    marks = {first: "content", source: "source", "said": "cue", second: "content"}
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert (record.content.start, record.content.end) == (0, len(text))
    assert [text[s:e] for _, (s, e) in _content_parts(text, record)] == [first, second]


def test_build_joins_content_around_a_parenthetical_frame(blank_nlp: Language) -> None:
    """ "X, he said, Y" is one content around its frame; the scorer's pieces are X and Y, no commas."""
    from newsledger.eval.attributions import _content_parts

    text = "The ceasefire was holding, the envoy said, until the shelling resumed at dawn."
    marks = {"The ceasefire was holding": "content", "the envoy": "source", "said": "cue"}
    marks["until the shelling resumed at dawn"] = "content"
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert (
        record.content.text == "The ceasefire was holding, the envoy said, until the shelling resumed at dawn"
    )
    parts = [text[s:e] for _, (s, e) in _content_parts(text, record)]
    assert parts == ["The ceasefire was holding", "until the shelling resumed at dawn"]


def test_build_joins_content_the_cue_interrupts(nlp: Language) -> None:
    """ "The truce | is expected | to hold": one content around its cue; the scorer's pieces are the
    two sides, as PolNeAR marks them."""
    from newsledger.eval.attributions import _content_parts

    text = "The truce is expected to hold until spring."
    marks = {"The truce": "content", "is expected": "cue", "to hold until spring": "content"}
    doc, tags = _tagged(nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "The truce is expected to hold until spring"
    assert [text[s:e] for _, (s, e) in _content_parts(text, record)] == ["The truce", "to hold until spring"]


def test_build_keeps_an_active_cues_subject_out_of_the_content(nlp: Language) -> None:
    """Before an active speech verb the words are its source, even when tagged as content."""
    text = "The envoy said the truce would hold."
    marks = {"The envoy": "content", "said": "cue", "the truce would hold": "content"}
    doc, tags = _tagged(nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "the truce would hold"


@pytest.mark.parametrize(
    ("text", "quotation", "cue", "content"),
    [
        # the quotation ends its sentence: the next cue is another speaker's
        (
            "“This is a new plan”. The mayor called the move a mistake.",
            "“This is a new plan”",
            "called",
            "the move a mistake",
        ),
        # a quotation inside the writer's sentence
        (
            "The vote was described as a “historic mandate”, saying the plan would pass.",
            "“historic mandate”",
            "saying",
            "the plan would pass",
        ),
        # a straight mark stuck to the next word opens a quotation
        (
            'The minister told reporters, "Protesters want to block the road."',
            'reporters, "',
            "want",
            "to block the road",
        ),
    ],
)
def test_build_takes_no_quotation_outside_a_frame(
    nlp: Language, text: str, quotation: str, cue: str, content: str
) -> None:
    """Only a quotation that starts its sentence and runs on into its frame ("“...,” she said") wins
    over the content after the cue."""
    doc, tags = _tagged(nlp, text, {quotation: "content", cue: "cue", content: "content"})
    records = list(build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON))
    assert [r.content.text for r in records if r.cue.text == cue] == [content]


@pytest.mark.parametrize(
    ("opening", "content"),
    [
        ("“The talks failed.", "“The talks failed. Nobody came. We will try again,”"),
        # no opening mark: the earlier sentences are the writer's, not the envoy's
        ("The talks failed.", "We will try again,”"),
    ],
)
def test_build_joins_the_opening_of_a_quotation(blank_nlp: Language, opening: str, content: str) -> None:
    """A quotation over several sentences that closes before its cue is one content from its opening
    mark; sentences before it that no mark opens are not."""
    text = f"{opening} Nobody came. We will try again,” the envoy said."
    marks = {opening: "content", "Nobody came.": "content", "We will try again,”": "content"}
    marks.update({"the envoy": "source", "said": "cue"})
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == content


def test_build_takes_a_quotation_the_parser_put_in_the_sentence_before(blank_nlp: Language) -> None:
    """ "“...,” | the minister said ..., “...”": spaCy often ends a sentence after the closing mark; the
    quotation is still the cue's, and the one after the frame resumes it."""
    from newsledger.eval.attributions import _content_parts

    first, second = "“Talks are over,”", "“and nobody will come back.”"
    text = f"{first} the minister said in Kyiv, {second}"
    marks = {first: "content", "the minister": "source", "said": "cue", second: "content"}
    doc, tags = _tagged(blank_nlp, text, marks)
    minister = next(t.i for t in doc if t.text == "the")
    split = blank_nlp.make_doc(text)
    for token in split:
        token.is_sent_start = token.i in (0, minister)
    (record,) = build_attributions(split, tags, [1.0] * len(split), lexicon=LEXICON)
    assert [text[s:e] for _, (s, e) in _content_parts(text, record)] == [first, second]


def test_build_keeps_a_following_quotation_as_a_claim_of_its_own(blank_nlp: Language) -> None:
    """ "She criticised the plan. “It will fail.”": two claims by the same source, as PolNeAR has them."""
    text = "She criticised the plan. “It will fail.”"
    marks = {"She": "source", "criticised": "cue", "the plan": "content", "“It will fail.”": "content"}
    doc, tags = _tagged(blank_nlp, text, marks)
    opening = next(t.i for t in doc if t.text == "“")
    for token in doc:  # the parser's split: the opening mark starts the next sentence
        token.is_sent_start = token.i in (0, opening)
    records = list(build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON))
    assert [(r.source and r.source.text, r.content.text) for r in records] == [
        ("She", "the plan"),
        ("She", "“It will fail.”"),
    ]


def test_build_keeps_another_speakers_quote_apart(blank_nlp: Language) -> None:
    """A quotation with its own cue after the frame is not joined to the first speaker's."""
    text = "“We will fight,” she said on Monday. “We will win,” Tom replied."
    marks = {"“We will fight,”": "content", "she": "source", "said": "cue"}
    marks.update({"“We will win,”": "content", "Tom": "source", "replied": "cue"})
    doc, tags = _tagged(blank_nlp, text, marks)
    first = next(iter(build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)))
    assert first.content.text == "“We will fight,”"


@pytest.mark.parametrize(
    ("text", "source", "contents", "content"),
    [
        # a cue sentence without content ("He said.") takes the quote just before it
        ("“The deal is dead.” He said.", "He", ["“The deal is dead.”"], "“The deal is dead.”"),
        # "“...,” the minister said after ...": the quotation, not the circumstance after the cue
        (
            "“Talks are over,” the minister said after the envoy left the capital.",
            "the minister",
            ["“Talks are over,”", "the envoy left the capital"],
            "“Talks are over,”",
        ),
    ],
)
def test_build_pairs_the_cue_with_its_content(
    blank_nlp: Language, text: str, source: str, contents: list[str], content: str
) -> None:
    marks = dict.fromkeys(contents, "content") | {source: "source", "said": "cue"}
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == content


def test_build_resolves_pronoun_to_actor(blank_nlp: Language) -> None:
    """A pronoun source takes the type and id of the actor the actors component linked it to."""
    text = "Xi met Putin. He spoke of peace."
    doc, tags = _tagged(blank_nlp, text, {"He": "source", "spoke of": "cue", "peace": "content"})
    xi = Actor(
        id="A1", name="Xi", kind=ActorKind.PERSON, mentions=(Span.of(text, 0, 2), Span.of(text, 14, 16))
    )
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON, actors=[xi])
    assert record.source_type is SourceType.NAMED_PERSON
    assert record.source_actor == "A1"


def test_build_resolves_description_to_outlet_named_before(blank_nlp: Language) -> None:
    """'the newspaper' is the media outlet named earlier."""
    text = "The Financial Times reported talks. The newspaper notes a change."
    doc, tags = _tagged(blank_nlp, text, {"The newspaper": "source", "notes": "cue", "a change": "content"})
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.source_type is SourceType.MEDIA
    assert record.source_resolved is not None
    assert record.source_resolved.text == "Financial Times"


@pytest.mark.parametrize(
    ("text", "content", "expected"),
    [
        ("Officials said the plan had failed, adding little.", "the plan had failed,", "the plan had failed"),
        ("Officials said the plan had failed.", "the plan had failed.", "the plan had failed"),
        ("She said: “We won.”", "“We won.”", "“We won.”"),
    ],
)
def test_build_trims_trailing_comma_and_period_outside_quotes(
    blank_nlp: Language, text: str, content: str, expected: str
) -> None:
    """A content ends before a trailing comma, and before a final period unless it is a quotation."""
    doc, tags = _tagged(blank_nlp, text, {"said": "cue", content: "content"})
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == expected


def test_build_opens_content_on_preceding_quote_mark(blank_nlp: Language) -> None:
    """A content the tagger starts just after an opening quote mark takes the mark in."""
    text = "He said : '' we will win . ''"
    words = text.split()
    doc = Doc(blank_nlp.vocab, words=words, sent_starts=[True] + [False] * (len(words) - 1))
    tags = ["O", "B-cue", "O", "O", "B-content", "I-content", "I-content", "I-content", "I-content"]
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "'' we will win . ''"


def test_build_counts_the_cue_verbs_preposition_in_the_content(nlp: Language) -> None:
    """ "responded | to requests for comment": the preposition opens the content, as PolNeAR marks it."""
    text = "The ministry responded to requests for comment."
    marks = {"The ministry": "source", "responded": "cue", "requests for comment": "content"}
    doc, tags = _tagged(nlp, text, marks)  # the real parse: "to" hangs on the cue verb
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "to requests for comment"


def test_build_drops_a_content_of_punctuation_only(blank_nlp: Language) -> None:
    """A stray quote mark tagged as content makes no record: it says nothing a reader could check."""
    text = "She said: “"
    doc, tags = _tagged(blank_nlp, text, {"She": "source", "said": "cue", "“": "content"})
    assert list(build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)) == []


def test_build_takes_a_quotation_sentence_after_the_frame_as_the_speakers(nlp: Language) -> None:
    """A sentence that is one quotation, with no cue of its own, after a frame that cannot join the
    two (it quotes a title) is another claim by the same speaker."""
    first, second = "“We will not sign,”", "“The terms are unfair.”"
    text = f"{first} the minister said on the radio show “Morning Edition.” {second}"
    marks = {first: "content", "the minister": "source", "said": "cue", second: "content"}
    doc, tags = _tagged(nlp, text, marks)
    records = list(build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON))
    assert sorted(r.content.text for r in records) == sorted([first, second])
    assert {r.source.text for r in records if r.source} == {"the minister"}


@pytest.mark.parametrize(
    ("frame", "pieces"),
    [
        ("the envoy said", ["The ceasefire", "was holding until dawn"]),
        ("the envoy explained later in the day", ["The ceasefire", "was holding until dawn"]),
    ],
)
def test_build_joins_content_around_a_frame_with_words_of_its_own(
    blank_nlp: Language, frame: str, pieces: list[str]
) -> None:
    """ "X, the envoy explained later in the day, Y": one content around the comma frame; the scorer's
    pieces leave out the frame's own words."""
    from newsledger.eval.attributions import _content_parts

    text = f"The ceasefire, {frame}, was holding until dawn."
    cue = frame.split()[2]
    marks = {
        "The ceasefire": "content",
        "the envoy": "source",
        cue: "cue",
        "was holding until dawn": "content",
    }
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == text[: -len(".")]
    assert [text[s:e] for _, (s, e) in _content_parts(text, record)] == pieces


def test_build_keeps_a_closing_mark_out_of_the_next_content(blank_nlp: Language) -> None:
    """A mark that closes a quotation is not the opening of the content after it."""
    text = "“Release the videos without delay.” The governor plans to visit, an aide said."
    marks = {"The governor plans to visit": "content", "an aide": "source", "said": "cue"}
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "The governor plans to visit"


def test_build_takes_a_closed_quotation_with_a_nested_quote_for_its_frame(blank_nlp: Language) -> None:
    """ "“... the term ‘outreach,’” she told the group, adding that ...": the quotation is the content of
    "told" (its comma sits inside the nested quote), the clause after "adding" that of "adding"."""
    quotation = "“I have always disliked the term ‘outreach,’”"
    text = f"{quotation} Ms. Okafor told the group, adding that the word sounds distant."
    marks = {quotation: "content", "Ms. Okafor": "source", "told": "cue", "adding": "cue"}
    marks["that the word sounds distant"] = "content"
    doc, tags = _tagged(blank_nlp, text, marks)
    contents = {
        r.cue.text: r.content.text for r in build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    }
    assert contents == {"told": quotation, "adding": "that the word sounds distant"}


def test_build_keeps_a_complement_clause_to_its_sentence(blank_nlp: Language) -> None:
    """ "She said that ... . The council met ...": a clause the cue introduces ends with its sentence;
    the next sentence is the writer's, even where the tagger marks it."""
    text = "She said that the plan had failed. The council met again on Monday."
    marks = {"She": "source", "said": "cue", "that the plan had failed": "content"}
    marks["The council met again on Monday"] = "content"
    doc, tags = _tagged(blank_nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "that the plan had failed"


@pytest.mark.parametrize(
    ("text", "marks", "content"),
    [
        (
            "The senator seems to have left the race.",
            {"The senator": "content", "seems": "cue", "to have left the race": "content"},
            "The senator seems to have left the race",
        ),
        (
            "Campaign Reportedly Scrambling For Votes In Ohio",
            {"Campaign": "content", "Reportedly": "cue", "Scrambling For Votes In Ohio": "content"},
            "Campaign Reportedly Scrambling For Votes In Ohio",
        ),
    ],
)
def test_build_joins_the_subject_of_a_raising_cue(
    nlp: Language, text: str, marks: dict[str, str], content: str
) -> None:
    """A raising verb or an adverb alone as cue interrupts one content, like an auxiliary."""
    doc, tags = _tagged(nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == content


def test_build_takes_no_conduit_from_an_outlet_naming_the_object(nlp: Language) -> None:
    """ "rejects Washington Post request": the outlet says whose request, it is no addressee."""
    text = "A judge rejects Washington Post request to open the sealed court papers."
    marks = {
        "A judge": "source",
        "rejects": "cue",
        "Washington Post request to open the sealed court papers": "content",
    }
    doc, tags = _tagged(nlp, text, marks)
    (record,) = build_attributions(doc, tags, [1.0] * len(doc), lexicon=LEXICON)
    assert record.content.text == "Washington Post request to open the sealed court papers"
    assert record.via == ()


@pytest.mark.parametrize(
    ("words", "ents", "expected"),
    [
        # the small model often labels a surname ORG or GPE where the article named the person in full
        (
            ["Tomas", "Berg", "arrived", ".", "Berg", "said", "so", "."],
            ["B-PERSON", "I-PERSON", "O", "O", "B-ORG", "O", "O", "O"],
            SourceType.NAMED_PERSON,
        ),
        (
            ["Tomas", "Berg", "arrived", ".", "Berg", "said", "so", "."],
            ["B-PERSON", "I-PERSON", "O", "O", "B-GPE", "O", "O", "O"],
            SourceType.NAMED_PERSON,
        ),
        # with no person of that name, an organisation stays one
        (
            ["Anna", "Holm", "arrived", ".", "Berg", "said", "so", "."],
            ["B-PERSON", "I-PERSON", "O", "O", "B-ORG", "O", "O", "O"],
            SourceType.NAMED_ORGANISATION,
        ),
    ],
)
def test_classify_source_surname_the_model_took_for_a_name_of_a_place_or_firm(
    blank_nlp: Language, words: list[str], ents: list[str], expected: SourceType
) -> None:
    """A one-word name is a person's when the article names a person of that surname."""
    doc = Doc(blank_nlp.vocab, words=words, ents=ents, pos=["PROPN" if e != "O" else "VERB" for e in ents])
    assert classify_source(doc, 4, 5, LEXICON, ActorIndex.of(None)).type is expected


def _source_type(nlp: Language, text: str, source: str) -> str:
    """The source type ``classify_source`` gives the words ``source`` of ``text``."""
    doc = nlp(text)
    span = doc.char_span(text.index(source), text.index(source) + len(source), alignment_mode="expand")
    assert span is not None
    return str(classify_source(doc, span.start, span.end, LEXICON, ActorIndex.of(doc._.actors)).type.value)


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        (
            "Port authority engineer Tomas Berg said the crane had failed.",
            "Port authority engineer Tomas Berg",
            SourceType.NAMED_PERSON,
        ),
        (
            "The union's founder and chairwoman, Maria Olsen, said the strike would go on.",
            "The union's founder and chairwoman, Maria Olsen,",
            SourceType.NAMED_PERSON,
        ),
        (
            "A spokesman for Tomas Berg said the crane had failed.",
            "A spokesman for Tomas Berg",
            SourceType.ANONYMOUS_INDIVIDUAL,
        ),
        # a name after its titles, whatever the parse made the head
        (
            "Harbour police Chief Tomas Berg said the crane had failed.",
            "Harbour police Chief Tomas Berg",
            SourceType.NAMED_PERSON,
        ),
        # but not a name given as an example, or inside a clause
        (
            "Officials like port director Tomas Berg said the crane had failed.",
            "Officials like port director Tomas Berg",
            SourceType.ANONYMOUS_GROUP,
        ),
        (
            "The people who elected Tomas Berg said the crane had failed.",
            "The people who elected Tomas Berg",
            SourceType.ANONYMOUS_GROUP,
        ),
        # someone's relation is not the person named before
        (
            "Maria Olsen stayed at home. Her daughter said the strike would go on.",
            "Her daughter",
            SourceType.ANONYMOUS_INDIVIDUAL,
        ),
        (
            "Maria Olsen stayed at home. The daughter said the strike would go on.",
            "The daughter",
            SourceType.NAMED_PERSON,
        ),
    ],
)
def test_classify_source_person_named_beside_a_title(
    nlp: Language, text: str, source: str, expected: SourceType
) -> None:
    """A name in apposition to a title makes the source that person; a name in a relation does not."""
    assert _source_type(nlp, text, source) == expected.value


def _person(mention_start: int, mention_end: int, name: str, actor_id: str = "A1") -> Actor:
    return Actor(
        id=actor_id,
        name=name,
        kind=ActorKind.PERSON,
        mentions=(Span(start=mention_start, end=mention_end, text=name),),
    )


@pytest.mark.parametrize(
    ("people", "expected", "actor_id"),
    [
        # "Berg" at a paragraph's start, tagged a common noun with no entity: the one Berg named in full
        ([("Tomas Berg", "A1")], SourceType.NAMED_PERSON, "A1"),
        # two people of that surname: a named person, but which one is not sure
        ([("Tomas Berg", "A1"), ("Anna Berg", "A2")], SourceType.NAMED_PERSON, None),
        # no person of that surname
        ([("Anna Holm", "A1")], SourceType.UNSPECIFIED, None),
    ],
)
def test_classify_source_surname_with_no_entity_is_the_person_of_that_name(
    blank_nlp: Language, people: list[tuple[str, str]], expected: SourceType, actor_id: str | None
) -> None:
    """The small model sometimes tags a surname that starts a paragraph as a common noun."""
    words = ["Tomas", "Berg", "arrived", ".", "\n\n", "Berg", "said", "so", "."]
    doc = Doc(
        blank_nlp.vocab,
        words=words,
        spaces=[True, True, False, False, False, True, True, False, False],
        ents=["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O"],
        pos=["PROPN", "PROPN", "VERB", "PUNCT", "SPACE", "NOUN", "VERB", "ADV", "PUNCT"],
    )
    actors = ActorIndex.of([_person(0, len(name), name, actor) for name, actor in people])
    referent = classify_source(doc, 5, 6, LEXICON, actors)
    assert (referent.type, referent.actor_id) == (expected, actor_id)


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        (
            "The poll asked 10,000 voters. Around 4,700 said they would vote.",
            "Around 4,700",
            "anonymous_group",
        ),
        (
            "The poll asked 10,000 voters. Another 3,000 said they were undecided.",
            "Another 3,000",
            "anonymous_group",
        ),
        ("Two aides spoke to reporters. One said the talks had failed.", "One", "anonymous_individual"),
        ("The best approach is a hands-off one, which says little.", "which", "unspecified"),
    ],
)
def test_classify_source_counted_people(nlp: Language, text: str, source: str, expected: str) -> None:
    """A bare number of people is a group, like "63 percent"; "one" alone is one person."""
    assert _source_type(nlp, text, source) == expected


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        # "the senator" is the person named before; "the juror" is a role the article leaves unnamed
        ("Maria Olsen spoke first. The senator said the vote would pass.", "The senator", "named_person"),
        (
            "Maria Olsen spoke first. The juror said the verdict was fair.",
            "The juror",
            "anonymous_individual",
        ),
        # a relative clause on a description of a named person is that person's
        ("Tomas Berg, a port engineer who worked there, said the crane had failed.", "who", "named_person"),
    ],
)
def test_classify_source_definite_role_and_described_person(
    nlp: Language, text: str, source: str, expected: str
) -> None:
    """ "The senator" is the person named before, "the juror" is not; "X, a ... who" is X."""
    assert _source_type(nlp, text, source) == expected
