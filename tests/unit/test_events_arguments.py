"""The learned event argument tagger: loading, BIO decoding over its own labels, mapping tags back to
document tokens, choosing the trigger the tagged parties belong to, and its effect on event parties."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from factories import one_act
from newsledger.analyze.attributions.tagger import load_tagger, viterbi
from newsledger.analyze.events.arguments import (
    ARGUMENT_HEAD,
    ARGUMENT_LABELS,
    TaggedArguments,
    _beside_trigger,
    _trim,
    load_argument_tagger,
    model_folder,
    tag_arguments,
)
from newsledger.analyze.events.coding import ActorCoder
from newsledger.analyze.events.extract import _conjoined, _reciprocated, _tagged_trigger, _Trigger
from newsledger.analyze.pipeline import COMPONENTS, build_pipeline
from newsledger.errors import ModelNotFound
from newsledger.model import Event


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    return build_pipeline(components=tuple(c for c in COMPONENTS if c != "newsledger_attributions"))


def _main(nlp: Language, text: str, trigger: str) -> Event:
    return one_act(nlp(text)._.events, trigger)


def test_argument_tagger_loads_the_shipped_model() -> None:
    tagger = load_argument_tagger()
    assert tagger.labels == ARGUMENT_LABELS
    meta = json.loads((model_folder() / "meta.json").read_text(encoding="utf-8"))
    assert meta["heads"][ARGUMENT_HEAD]["labels"] == list(ARGUMENT_LABELS)


def test_argument_tagger_shares_the_attribution_taggers_graph() -> None:
    """One encoder serves both tag layers: a sentence the attribution tagger ran costs the argument
    tagger no run of its own, and each head reads its own output."""
    attributions, arguments = load_tagger(), load_argument_tagger()
    assert arguments.graph is attributions.graph
    words = ["Rebels", "attacked", "an", "army", "post", "near", "the", "border", "on", "Sunday", "."]
    attributions.log_probs([words])
    before = arguments.graph.scores.cache_info()
    (scores,) = arguments.log_probs([words])
    after = arguments.graph.scores.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)
    assert scores.shape == (len(words), len(ARGUMENT_LABELS))
    assert not np.array_equal(scores, attributions.log_probs([words])[0])


@pytest.mark.parametrize(
    "heads",
    [{}, {ARGUMENT_HEAD: {"output": "no_such_output", "labels": list(ARGUMENT_LABELS)}}],
    ids=["head missing", "output missing"],
)
def test_argument_tagger_head_missing_from_the_graph_is_a_coded_error(
    tmp_path: Path, heads: dict[str, object]
) -> None:
    folder = tmp_path / "tagger"
    shutil.copytree(model_folder(), folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps({**meta, "heads": heads}), encoding="utf-8")
    with pytest.raises(ModelNotFound) as raised:
        load_argument_tagger(str(folder))
    assert raised.value.code == "NL201"


@pytest.mark.parametrize(
    ("broken", "what"),
    [
        (lambda folder: (folder / "meta.json").write_text("{", encoding="utf-8"), "meta.json"),
        (lambda folder: (folder / "tagger.onnx").write_bytes(b"not a graph"), "tagger.onnx"),
        (
            lambda folder: (folder / "meta.json").write_text(
                json.dumps({"labels": ["O", "B-source"], "max_pieces": 128}), encoding="utf-8"
            ),
            "labels",
        ),
    ],
)
def test_argument_tagger_malformed_model_is_a_coded_error(tmp_path: Path, broken: object, what: str) -> None:
    folder = tmp_path / "tagger"
    shutil.copytree(model_folder(), folder)
    broken(folder)  # type: ignore[operator]
    with pytest.raises(ModelNotFound) as raised:
        load_argument_tagger(str(folder))
    assert raised.value.code == "NL201"
    assert "event argument tagger" in str(raised.value)


def test_viterbi_argument_labels_keep_spans_well_formed() -> None:
    """An I-T after an S span cannot continue it: the decoder opens a target instead."""
    scores = np.full((3, len(ARGUMENT_LABELS)), -5.0, dtype=np.float32)
    scores[0, ARGUMENT_LABELS.index("B-S")] = 0.0
    scores[1, ARGUMENT_LABELS.index("I-T")] = 0.0
    scores[1, ARGUMENT_LABELS.index("B-T")] = -1.0
    scores[2, ARGUMENT_LABELS.index("O")] = 0.0
    path = [ARGUMENT_LABELS[t] for t in viterbi(scores, ARGUMENT_LABELS)]
    assert path == ["B-S", "B-T", "O"]


def test_tag_arguments_spans_are_document_tokens(events_nlp: Language) -> None:
    doc = events_nlp("The mayor spoke first.  Border guards detained two fishermen near the river on Sunday.")
    second = list(doc.sents)[-1]
    (tagged,) = tag_arguments(load_argument_tagger(), [second])
    assert [doc[a:b].text for a, b in tagged.sources] == ["Border guards"]
    (target,) = tagged.targets
    assert doc[target[0] : target[1]].text.startswith("two fishermen")
    assert second.start <= target[0] < target[1] <= second.end


def test_tagged_trigger_is_the_closest_outside_the_parties() -> None:
    """ "Rebels attacked a convoy and seized trucks": parties of "attacked" are closest to it; a
    trigger inside a tagged party ("the attack" as a source) never takes them."""
    words = ["Rebels", "attacked", "a", "convoy", "and", "seized", "trucks"]
    heads = [1, 1, 3, 1, 1, 1, 5]
    deps = ["nsubj", "ROOT", "det", "dobj", "cc", "conj", "dobj"]
    doc = Doc(Language().vocab, words=words, heads=heads, deps=deps)
    attacked = _Trigger(token=doc[1], type="ASSAULT", cameo="19")
    seized = _Trigger(token=doc[5], type="COERCE", cameo="17")
    parties = TaggedArguments(sources=((0, 1),), targets=((2, 4),))
    assert _tagged_trigger([seized, attacked], parties) is attacked
    inside = TaggedArguments(sources=((0, 2),), targets=((6, 7),))
    assert _tagged_trigger([attacked, seized], inside) is seized
    assert _tagged_trigger([attacked], TaggedArguments(sources=(), targets=())) is None


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        # the people freed are the target, not the capital named at the end of the sentence (the
        # tag layer may draw the place they were freed from into it); they are civilians held in
        # the one country the sentence names
        (
            (
                "Rebels loyal to the former army chief freed prisoners from a prison north of the "
                "capital Bangui."
            ),
            "freed",
            ("Rebels", "CAF"),
            ("prisoners", "CAF"),
        ),
        # the place stays in the target's words, as the annotators drew it; the code is the country's
        (
            "Pakistani troops attacked militant hideouts in North Waziristan.",
            "attacked",
            ("Pakistani troops", "PAK"),
            ("militant hideouts in North Waziristan", "PAK"),
        ),
        # one reciprocal span: both parties show its words, each coded as one of its conjuncts
        (
            "Chile and Peru signed a fisheries agreement on Tuesday.",
            "signed",
            ("Chile and Peru", "CHL"),
            ("Chile and Peru", "PER"),
        ),
    ],
)
def test_events_argument_tagger_sets_main_parties(
    events_nlp: Language,
    text: str,
    trigger: str,
    source: tuple[str, str | None],
    target: tuple[str, str | None],
) -> None:
    event = _main(events_nlp, text, trigger)
    assert event.source is not None
    assert event.target is not None
    assert (event.source.span.text, event.source.country) == source
    # a party starts with the expected words; where it ends is the tag layer's drawing
    assert event.target.span.text.startswith(target[0])
    assert event.target.country == target[1]
    assert text[event.target.span.start : event.target.span.end] == event.target.span.text


@pytest.mark.parametrize(
    ("text", "trigger", "dyads"),
    [
        (
            "President Macron met Chancellor Scholz in Berlin on Monday.",
            "met",
            [("FRA", "DEU"), ("DEU", "FRA")],
        ),
        (
            "Chile and Peru signed a fisheries agreement on Tuesday.",
            "signed",
            [("CHL", "PER"), ("PER", "CHL")],
        ),
        ("Police arrested two protesters in Paris.", "arrested", [("FRA", "FRA")]),
        # talks and meetings are reciprocal by the lexicon, whatever the tag layer marks
        (
            "The Turkish foreign minister held talks with his Greek counterpart in Athens.",
            "held",
            [("TUR", "GRC"), ("GRC", "TUR")],
        ),
        ("The Kenyan president met the Ethiopian prime minister.", "met", [("KEN", "ETH"), ("ETH", "KEN")]),
        # a thing discussed is no party: nothing the other way round
        ("The Egyptian minister discussed the dam project.", "discussed", [("EGY", None)]),
        # nor is a thing a country's name codes
        ("The Chinese envoy held talks on the Syrian crisis.", "held", [("CHN", "SYR")]),
    ],
    ids=["met", "one-span", "not-reciprocal", "talks", "meeting", "thing-discussed", "coded-thing"],
)
def test_events_argument_tagger_reciprocal_parties_act_both_ways(
    events_nlp: Language, text: str, trigger: str, dyads: list[tuple[str, str]]
) -> None:
    """Parties the tag layer marks as reciprocal did the act with each other: one event each way."""
    events = [e for e in events_nlp(text)._.events if e.trigger.text == trigger]
    assert [(e.source and e.source.country, e.target and e.target.country) for e in events] == dyads


def test_events_argument_tagger_reciprocal_parties_drawn_whole_act_both_ways(events_nlp: Language) -> None:
    """Tagged reciprocal words without their article ("Senate", "House") still match the parties
    drawn whole ("The Senate", "the House"): the act is coded the other way round too."""
    doc = events_nlp("The Senate met the House on Monday.")
    event = one_act(doc._.events, "met")
    tagged = TaggedArguments(sources=((1, 2), (4, 5)), targets=((1, 2), (4, 5)))
    trigger = _Trigger(doc[2], "CONSULT", "040")  # not reciprocal by the lexicon: the tags decide
    back = _reciprocated(doc, event, tagged, trigger, ActorCoder(), frozenset())
    assert back is not None
    assert back.source is not None
    assert back.target is not None
    assert (back.source.span.text, back.target.span.text) == ("the House", "The Senate")


def test_events_argument_tagger_party_joined_inside_the_target_is_its_own(events_nlp: Language) -> None:
    """The parse joins "a military base" to "Abha", inside the target "the airport of Abha"; tagged
    as a target of its own, it is the target of an event of its own."""
    doc = events_nlp("Houthi rebels attacked the airport of Abha and a military base near the border.")
    event = one_act(doc._.events, "attacked")
    tagged = TaggedArguments(sources=((0, 2),), targets=((3, 7), (8, 11)))
    more = list(_conjoined(doc, ActorCoder(), event, tagged))
    assert [e.target.span.text for e in more if e.target is not None] == ["a military base"]


def test_events_argument_tagger_off_keeps_rule_parties() -> None:
    nlp = build_pipeline(
        components=tuple(c for c in COMPONENTS if c not in ("newsledger_attributions", "newsledger_events"))
    )
    nlp.add_pipe("newsledger_events", config={"argument_tagger": False})
    assert nlp.get_pipe("newsledger_events").arguments is None  # type: ignore[attr-defined]
    text = "Chile and Peru signed a fisheries agreement on Tuesday."
    event = _main(nlp, text, "signed")
    assert event.source is not None
    assert event.source.span.text == "Chile"


@pytest.mark.parametrize(
    ("text", "start", "end", "kept"),
    [
        ('" \n\nProtesters marched', 0, 3, "Protesters"),  # a closing quote of the sentence before
        ("academics and students", 0, 2, "academics"),
        ("the park , Causeway Bay ,", 0, 6, "the park , Causeway Bay"),
        ("the Nigerian Air Force ( NAF )", 0, 7, "the Nigerian Air Force ( NAF )"),
        ("( NAF ) and", 0, 4, "( NAF )"),
        ('" ,', 0, 2, None),
        ("the group decided", 0, 1, None),  # names no one
        ("a small group decided", 0, 2, "a small group"),  # an adjective takes in its noun
        ("the Afghan government decided", 1, 2, "Afghan"),  # an adjective that is a name
        # a count takes in the noun it counts
        ("Police detained at least 28 protesters", 2, 5, "at least 28 protesters"),
        # a party never ends in its preposition: it takes in the preposition's object
        ("The court freed dozens of protesters on bail .", 3, 5, "dozens of protesters"),
        ("Troops held some of the wounded soldiers overnight .", 2, 4, "some of the wounded soldiers"),
        # a party never ends inside a name, a compound or before the noun of its adjective
        (
            "Egypt welcomed Sudanese minister Ibrahim Ahmed Ghandour .",
            2,
            6,
            "Sudanese minister Ibrahim Ahmed Ghandour",
        ),
        ("Mexico defended its restrictive immigration policy .", 2, 4, "its restrictive immigration policy"),
        # a nationality before its noun names a party by itself
        ("Turkey condemned Syrian inequalities .", 2, 3, "Syrian"),
    ],
)
def test_trim_drops_loose_edges(
    events_nlp: Language, text: str, start: int, end: int, kept: str | None
) -> None:
    doc = events_nlp(text)
    trimmed = _trim(doc, start, min(end, len(doc)))
    assert (doc[trimmed[0] : trimmed[1]].text if trimmed else None) == kept


@pytest.mark.parametrize(
    ("kind", "triggers", "kept"),
    [
        ("S", {3}, (0, 3)),  # a source keeps the words before the verb it runs over
        ("T", {1}, (2, 5)),  # a target keeps the words after it
        ("T", {1, 3}, (4, 5)),
        ("R", {2}, (0, 5)),  # a reciprocal span names both parties: whole
        ("T", set(), (0, 5)),
        ("T", {7}, (0, 5)),  # a trigger outside the span
        ("S", {0}, (0, 0)),  # nothing left
    ],
)
def test_beside_trigger_keeps_the_party_side(kind: str, triggers: set[int], kept: tuple[int, int]) -> None:
    assert _beside_trigger(kind, 0, 5, triggers) == kept


def test_tag_arguments_target_never_holds_a_trigger(events_nlp: Language) -> None:
    doc = events_nlp(
        "Rebels loyal to the former army chief freed prisoners from a prison north of the capital Bangui."
    )
    freed = next(t.i for t in doc if t.text == "freed")
    (tagged,) = tag_arguments(load_argument_tagger(), [doc[:]], [{freed}])
    assert tagged.targets  # which words the model tags varies with its weights; the end-to-end
    # parties of this sentence are pinned in test_events_argument_tagger_sets_main_parties
    assert all(not start <= freed < end for start, end in (*tagged.sources, *tagged.targets))
