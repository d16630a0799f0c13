"""The learned argument span model: loading, candidate phrases and the words events keep."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.events.spans import ArgumentSpans, candidates, load_argument_spans
from newsledger.analyze.pipeline import COMPONENTS, build_pipeline
from newsledger.errors import ModelNotFound
from newsledger.model import Event


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    """The span model alone: the argument tagger, which may redraw the main event's parties, is off."""
    skipped = ("newsledger_attributions", "newsledger_events")
    nlp = build_pipeline(components=tuple(c for c in COMPONENTS if c not in skipped))
    nlp.add_pipe("newsledger_events", config={"argument_tagger": False})
    return nlp


@pytest.fixture(scope="module")
def parser() -> Language:
    return build_pipeline(components=())


def _events(nlp: Language, text: str) -> list[Event]:
    return list(nlp(text)._.events)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not json", "Expecting value"),
        ('{"version": 2, "weights": {}}', "version 1"),
        ('{"version": 1, "weights": {"A:self": NaN}}', "not a finite number"),
        ('{"version": 1, "weights": {"A:self": true}}', "not a finite number"),
        ('{"version": 1}', "weights"),
    ],
    ids=["not-json", "version", "nan", "bool", "no-weights"],
)
def test_spans_model_malformed_file_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    """A damaged weights file is a coded error naming the file and how to rebuild it."""
    path = tmp_path / "argument_spans.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelNotFound) as caught:
        ArgumentSpans.load(path)
    assert str(path) in caught.value.message
    assert problem in caught.value.message
    assert "make train-event-spans" in (caught.value.hint or "")


def test_spans_shipped_model_loads() -> None:
    """The packaged weights load and hold features for both roles."""
    weights = load_argument_spans().weights
    assert any(name.startswith("source|") for name in weights)
    assert any(name.startswith("target|") for name in weights)


@pytest.mark.parametrize(
    ("text", "head", "avoid"),
    [
        ("Pro-Kremlin groups in the Baltic states staged a rally on Sunday.", "groups", "staged"),
        ("The Turkish-Greek talks on the island of Crete resumed.", "talks", "resumed"),
        ("Ministers of Chile and Peru signed a fisheries accord.", "Ministers", "Peru"),
    ],
)
def test_spans_candidates_never_cross_avoided_words_or_split_words(
    parser: Language, text: str, head: str, avoid: str
) -> None:
    """No candidate phrase takes in an avoided token, or starts or ends inside a hyphenated word."""
    doc = parser(text)
    head_token = next(t for t in doc if t.text == head)
    avoided = next(t for t in doc if t.text == avoid)
    for anchor, _, lefts, rights in candidates(head_token, [avoided]):
        assert anchor.i != avoided.i
        for left in lefts:
            for right in rights:
                assert not left.index <= avoided.i < right.index
                for edge in (left.index, right.index):
                    if 0 < edge < len(doc) and not doc[edge - 1].whitespace_:
                        assert "-" not in (doc[edge - 1].text, doc[edge].text)


@pytest.mark.parametrize(
    ("weight", "expected"), [(5.0, "an army base near Damascus"), (-5.0, "an army base")]
)
def test_spans_bounds_follow_the_weights(parser: Language, weight: float, expected: str) -> None:
    """The chosen phrase is the best-scoring candidate: here, with or without its place."""
    doc: Doc = parser("Israeli jets attacked an army base near Damascus.")
    head = next(t for t in doc if t.text == "base")
    model = ArgumentSpans({"R-in:prep:near": weight, "L-out:det:an": -5.0})
    start, end = model.bounds(head, "target", [doc[2]])
    assert doc[start:end].text == expected


@pytest.mark.parametrize(
    ("text", "trigger", "target"),
    [
        # a measure applies to a place or people, which is the party
        ("The two sides agreed a ceasefire in eastern Ukraine.", "agreed", "eastern Ukraine"),
        ("Saudi Arabia lifted its blockade of Qatar in January.", "lifted", "Qatar"),
        ("Pakistan declared a state of emergency in Afghanistan.", "declared", "Afghanistan"),
    ],
)
def test_spans_measure_targets_the_place_it_applies_to(
    events_nlp: Language, text: str, trigger: str, target: str
) -> None:
    event = next(e for e in _events(events_nlp, text) if e.trigger.text == trigger)
    assert event.target is not None
    assert event.target.span.text == target


def test_spans_attack_keeps_the_thing_hit(events_nlp: Language) -> None:
    """An attack's target is what it hit, coded by the place it stands in."""
    text = "Israeli jets attacked an army base near Damascus."
    event = next(e for e in _events(events_nlp, text) if e.type == "ASSAULT")
    assert event.target is not None
    assert event.target.span.text.startswith("an army base")
    assert event.target.country == "SYR"


def test_spans_keep_the_words_that_gave_the_code(events_nlp: Language) -> None:
    """A phrase coded from words inside it never drops those words, and brackets stay balanced."""
    text = "The Foreign Office (FO) rejected a demand by Moscow for an apology."
    event = next(e for e in _events(events_nlp, text) if e.trigger.text == "rejected")
    assert event.source is not None
    assert event.target is not None
    assert event.source.span.text.count("(") == event.source.span.text.count(")")
    assert event.target.country == "RUS"
    assert "Moscow" in event.target.span.text


def test_spans_model_off_gives_the_rule_phrase() -> None:
    """With the model off (``argument_spans: false``) the words are the head's noun phrase."""
    skipped = ("newsledger_attributions", "newsledger_events")
    nlp = build_pipeline(components=tuple(c for c in COMPONENTS if c not in skipped))
    nlp.add_pipe("newsledger_events", config={"argument_spans": False, "argument_tagger": False})
    event = next(
        e for e in _events(nlp, "Gunmen shelled a supply dump of the Malian army.") if e.type == "ASSAULT"
    )
    assert event.target is not None
    assert event.target.span.text == "a supply dump of the Malian army"
