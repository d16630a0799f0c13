"""Event extraction on hand-built parsed Docs (no model): triggers, arguments, modes, dates, attribution."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.events import extract_events
from newsledger.analyze.extensions import register_extensions
from newsledger.model import (
    Attribution,
    EventMode,
    Span,
    TimeExpression,
    TimeType,
)

register_extensions()

# word, lemma, POS, tag, dependency, head index, entity type
Parse = list[tuple[str, str, str, str, str, int, str]]


def make_doc(nlp: Language, parse: Parse, published: dt.date | None = None) -> Doc:
    """A Doc carrying a hand-written parse (one sentence)."""
    words = [w for w, *_ in parse]
    ents = []
    previous = "O"
    for _, _, _, _, _, _, ent in parse:
        ents.append("O" if not ent else ("I-" if previous == ent else "B-") + ent)
        previous = ent or "O"
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=[i < len(words) - 2 for i in range(len(words))],
        lemmas=[lemma for _, lemma, *_ in parse],
        pos=[p for _, _, p, *_ in parse],
        tags=[t for _, _, _, t, *_ in parse],
        deps=[d for _, _, _, _, d, _, _ in parse],
        heads=[h for *_, h, _ in parse],
        ents=ents,
        sent_starts=[True] + [False] * (len(words) - 1),
    )
    doc._.published = published
    return doc


NEGATED: Parse = [
    ("Russia", "Russia", "PROPN", "NNP", "nsubj", 3, "GPE"),
    ("did", "do", "AUX", "VBD", "aux", 3, ""),
    ("not", "not", "PART", "RB", "neg", 3, ""),
    ("attack", "attack", "VERB", "VB", "ROOT", 3, ""),
    ("Ukraine", "Ukraine", "PROPN", "NNP", "dobj", 3, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 3, ""),
]
PASSIVE: Parse = [
    ("Lebanon", "Lebanon", "PROPN", "NNP", "nsubjpass", 2, "GPE"),
    ("was", "be", "AUX", "VBD", "auxpass", 2, ""),
    ("attacked", "attack", "VERB", "VBN", "ROOT", 2, ""),
    ("by", "by", "ADP", "IN", "agent", 2, ""),
    ("Syrian", "syrian", "ADJ", "JJ", "amod", 5, "NORP"),
    ("troops", "troop", "NOUN", "NNS", "pobj", 3, ""),
    (".", ".", "PUNCT", ".", "punct", 2, ""),
]
THREAT: Parse = [
    ("Moscow", "Moscow", "PROPN", "NNP", "nsubj", 1, "GPE"),
    ("threatened", "threaten", "VERB", "VBD", "ROOT", 1, ""),
    ("to", "to", "PART", "TO", "aux", 3, ""),
    ("attack", "attack", "VERB", "VB", "xcomp", 1, ""),
    ("Kyiv", "Kyiv", "PROPN", "NNP", "dobj", 3, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 1, ""),
]
NOMINAL: Parse = [
    ("Russia", "Russia", "PROPN", "NNP", "poss", 2, "GPE"),
    ("'s", "'s", "PART", "POS", "case", 0, ""),
    ("invasion", "invasion", "NOUN", "NN", "nsubj", 5, ""),
    ("of", "of", "ADP", "IN", "prep", 2, ""),
    ("Ukraine", "Ukraine", "PROPN", "NNP", "pobj", 3, "GPE"),
    ("began", "begin", "VERB", "VBD", "ROOT", 5, ""),
    (".", ".", "PUNCT", ".", "punct", 5, ""),
]
UNKNOWN: Parse = [
    ("Zorblax", "Zorblax", "PROPN", "NNP", "nsubj", 1, "PERSON"),
    ("attacked", "attack", "VERB", "VBD", "ROOT", 1, ""),
    ("Quuxville", "Quuxville", "PROPN", "NNP", "dobj", 1, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 1, ""),
]
FUTURE: Parse = [
    ("Japan", "Japan", "PROPN", "NNP", "nsubj", 2, "GPE"),
    ("will", "will", "AUX", "MD", "aux", 2, ""),
    ("visit", "visit", "VERB", "VB", "ROOT", 2, ""),
    ("India", "India", "PROPN", "NNP", "dobj", 2, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 2, ""),
]


@pytest.mark.parametrize(
    ("parse", "kind", "mode", "source", "target"),
    [
        (NEGATED, "ASSAULT", EventMode.NEGATED, "RUS", "UKR"),
        (PASSIVE, "ASSAULT", EventMode.FACT, "SYR", "LBN"),
        (THREAT, "THREATEN", EventMode.THREATENED, "RUS", "UKR"),
        (NOMINAL, "ASSAULT", EventMode.FACT, "RUS", "UKR"),
        (FUTURE, "AGREE", EventMode.FUTURE, "JPN", "IND"),
    ],
    ids=["negated", "passive", "threatened", "nominal", "future-intent"],
)
def test_events_type_mode_and_actor_countries(
    blank_nlp: Language, parse: Parse, kind: str, mode: EventMode, source: str, target: str
) -> None:
    """The main event has the expected type, mode, and source/target countries."""
    events = list(extract_events(make_doc(blank_nlp, parse)))
    assert len(events) == 1
    event = events[0]
    assert (event.type, event.mode) == (kind, mode)
    assert event.source is not None
    assert event.source.country == source
    assert event.target is not None
    assert event.target.country == target


def test_events_negation_flag(blank_nlp: Language) -> None:
    """ "did not attack" is flagged negated, not coded as a fact."""
    (event,) = extract_events(make_doc(blank_nlp, NEGATED))
    assert event.negated
    assert event.cameo == "190"


def test_events_passive_sector_from_agent_noun(blank_nlp: Language) -> None:
    """ "Syrian troops" codes as the Syrian military."""
    (event,) = extract_events(make_doc(blank_nlp, PASSIVE))
    assert event.source is not None
    assert (event.source.sector, event.source.code) == ("MIL", "SYRMIL")


def test_events_unknown_actor_stays_unresolved(blank_nlp: Language) -> None:
    """An actor missing from every dictionary keeps its text and gets no code."""
    (event,) = extract_events(make_doc(blank_nlp, UNKNOWN))
    assert event.source is not None
    assert event.source.span.text == "Zorblax"
    assert (event.source.country, event.source.code) == (None, None)


def test_events_date_falls_back_to_publication(blank_nlp: Language) -> None:
    """With no time expression in the clause the publication date is used and flagged."""
    (event,) = extract_events(make_doc(blank_nlp, NEGATED, published=dt.date(2023, 1, 10)))
    assert event.date is not None
    assert (event.date.value, event.date.from_publication) == ("2023-01-10", True)


def test_events_date_from_clause_time_expression(blank_nlp: Language) -> None:
    """A dated time expression inside the clause dates the event."""
    doc = make_doc(blank_nlp, NEGATED, published=dt.date(2023, 1, 10))
    start = doc[4].idx  # pretend "Ukraine" were a date, to keep the parse small
    doc._.times = [
        TimeExpression(
            id="t1",
            span=Span.of(doc.text, start, start + 7),
            type=TimeType.DATE,
            value="2022-02-24",
            interval=("2022-02-24", "2022-02-24"),
        )
    ]
    (event,) = extract_events(doc)
    assert event.date is not None
    assert (event.date.value, event.date.time_id, event.date.from_publication) == ("2022-02-24", "t1", False)


def test_events_reported_by_innermost_attribution(blank_nlp: Language) -> None:
    """An event inside attributed content points at that attribution, not at its speaker."""
    doc = make_doc(blank_nlp, NEGATED)
    outer = Attribution(cue=Span.of(doc.text, 0, 1), content=Span.of(doc.text, 0, len(doc.text)))
    inner = Attribution(cue=Span.of(doc.text, 0, 1), content=Span.of(doc.text, doc[3].idx, len(doc.text)))
    doc._.attributions = [outer, inner]
    (event,) = extract_events(doc)
    assert event.reported_by == 1


VERBLESS: Parse = [
    ("Talks", "talk", "NOUN", "NNS", "ROOT", 0, ""),
    ("with", "with", "ADP", "IN", "prep", 0, ""),
    ("Iran", "Iran", "PROPN", "NNP", "pobj", 1, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 0, ""),
]


def test_events_verbless_headline(blank_nlp: Language) -> None:
    """A nominal trigger heading a verbless sentence is coded (its clause is the whole sentence)."""
    (event,) = extract_events(make_doc(blank_nlp, VERBLESS, published=dt.date(2023, 1, 10)))
    assert event.type == "CONSULT"
    assert event.target is not None
    assert event.target.country == "IRN"


def test_events_none_without_parse(blank_nlp: Language) -> None:
    """A Doc without a dependency parse yields no events rather than failing."""
    assert list(extract_events(blank_nlp("Russia attacked Ukraine."))) == []


INNER_TARGET: Parse = [
    ("Poland", "Poland", "PROPN", "NNP", "nsubj", 1, "GPE"),
    ("demanded", "demand", "VERB", "VBD", "ROOT", 1, ""),
    ("an", "an", "DET", "DT", "det", 3, ""),
    ("admission", "admission", "NOUN", "NN", "dobj", 1, ""),
    ("by", "by", "ADP", "IN", "prep", 3, ""),
    ("Moscow", "Moscow", "PROPN", "NNP", "pobj", 4, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 1, ""),
]
TITLED: Parse = [
    ("Rebels", "rebel", "NOUN", "NNS", "nsubj", 1, ""),
    ("attacked", "attack", "VERB", "VBD", "ROOT", 1, ""),
    ("civilians", "civilian", "NOUN", "NNS", "dobj", 1, ""),
    ("in", "in", "ADP", "IN", "prep", 2, ""),
    ("Syria", "Syria", "PROPN", "NNP", "pobj", 3, "GPE"),
    (".", ".", "PUNCT", ".", "punct", 1, ""),
]
NO_COMMENT: Parse = [
    ("Kenya", "Kenya", "PROPN", "NNP", "nsubj", 1, "GPE"),
    ("declined", "decline", "VERB", "VBD", "ROOT", 1, ""),
    ("to", "to", "PART", "TO", "aux", 3, ""),
    ("comment", "comment", "VERB", "VB", "xcomp", 1, ""),
    (".", ".", "PUNCT", ".", "punct", 1, ""),
]


def test_events_target_inside_object_phrase(blank_nlp: Language) -> None:
    """An object phrase is coded by the named actor inside it: "demanded an admission by Moscow" is a
    demand of Russia, and Moscow, not the admission, is the party asked."""
    (event,) = extract_events(make_doc(blank_nlp, INNER_TARGET))
    assert event.type == "REQUEST"
    assert event.target is not None
    assert (event.target.span.text, event.target.country) == ("Moscow", "RUS")


def test_events_phrase_keeps_place_and_unplaced_actor_takes_sentence_country(blank_nlp: Language) -> None:
    """The target phrase keeps its place ("civilians in Syria"); an actor of known sector but no country
    ("Rebels") takes the one country its sentence names."""
    (event,) = extract_events(make_doc(blank_nlp, TITLED))
    assert event.target is not None
    assert (event.target.span.text, event.target.country) == ("civilians in Syria", "SYR")
    assert event.source is not None
    assert (event.source.country, event.source.sector, event.source.code) == ("SYR", "REB", "SYRREB")


def test_events_declining_to_comment_is_no_event(blank_nlp: Language) -> None:
    assert list(extract_events(make_doc(blank_nlp, NO_COMMENT))) == []
