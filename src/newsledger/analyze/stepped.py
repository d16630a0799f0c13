"""spaCy's dependency parser and entity recogniser with their greedy decoding loop driven from Python.

spaCy's transition-based components decode in a C loop that releases the GIL. The spaCy wheels for
Python 3.11 are compiled with Cython profiling hooks, so every small inline helper of that loop (the
state's ``B_``, ``safe_get``, each move's validity test) takes the GIL back and drops it again: on
news, ``perf`` put about half of the entity recogniser's time in ``take_gil``/``drop_gil``. The parser
and the entity recogniser are the costliest parts of en_core_web_sm on news, so this matters.

``SteppedParser`` and ``SteppedEntityRecognizer`` run the same steps through spaCy's own Python-level
API, as spaCy's training and beam search do: score the unfinished states with the step model, then
apply the best valid move (``transition_states``). The loop keeps the GIL, so the helpers' hooks find
it held and cost next to nothing. Same weights, same features, same moves: on news the parses and
entities are the same (``tests/unit/test_stepped.py``; docs/benchmarks.md).

``build_pipeline`` swaps them in for the model's greedy ``parser`` and ``ner`` (``step_decoders``); a
beam-search component is left as it is. A component that listens to a shared encoder (the parser of
en_core_web_sm listens to its ``tok2vec``) gets a listener of its own, which spaCy links to the same
encoder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import DependencyParser, EntityRecognizer
from spacy.tokens import Doc

from newsledger.analyze.blas import BLAS

PARSER_FACTORY = "newsledger_parser"
ENTITY_RECOGNIZER_FACTORY = "newsledger_entity_recognizer"


def _decode_greedily(component: Any, docs: Doc | list[Doc]) -> Any:
    """The final states of a greedy transition-based ``component`` over ``docs``, stepped from Python
    (what spaCy's ``Parser.predict`` returns); spaCy's own loop for a beam or empty documents."""
    if isinstance(docs, Doc):
        docs = [docs]
    if component.cfg["beam_width"] != 1 or not any(len(doc) for doc in docs):
        return None
    component._ensure_labels_are_added(docs)
    batch = component.moves.init_batch(docs)
    step_model = component.model.predict(docs)
    score = _scorer(step_model)
    states = [state for state in batch if not state.is_final()]
    with BLAS.limit(limits=1):
        while states:
            states = component.transition_states(states, score(states))
    step_model.clear_memory()
    return batch


class SteppedParser(DependencyParser):  # type: ignore[misc]  # spaCy's Cython classes are untyped
    """A ``DependencyParser`` whose greedy decoding holds the GIL (see the module docstring)."""

    def predict(self, docs: Doc | list[Doc]) -> Any:
        batch = _decode_greedily(self, docs)
        return super().predict(docs) if batch is None else batch


class SteppedEntityRecognizer(EntityRecognizer):  # type: ignore[misc]  # spaCy's Cython classes are untyped
    """An ``EntityRecognizer`` whose greedy decoding holds the GIL (see the module docstring)."""

    def predict(self, docs: Doc | list[Doc]) -> Any:
        batch = _decode_greedily(self, docs)
        return super().predict(docs) if batch is None else batch


def _scorer(step_model: Any) -> Callable[[list[Any]], Any]:
    """The move scores of a list of states, as ``step_model.predict`` computes them.

    A batch of news articles takes tens of thousands of steps, mostly for one or two states, so the
    per-step overhead of thinc's layer calls counts: for the usual step model (a hidden layer with
    precomputed features, then a linear output layer, every move seen in training) this does the same
    operations, in the same order, directly."""
    output = step_model.vec2scores
    if (
        not step_model.attrs["has_upper"]
        or output is None
        or output.name != "linear"
        or not step_model._class_mask.all()
    ):
        return step_model.predict  # type: ignore[no-any-return]
    weights_t = output.get_param("W").T
    bias = output.get_param("b")
    hidden = step_model.state2vec.predict
    token_ids = step_model.get_token_ids

    def score(states: list[Any]) -> Any:
        scores = numpy.dot(hidden(token_ids(states)), weights_t)
        scores += bias
        return scores

    return score


_MODEL_CONFIG = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 96,
        "depth": 4,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    },
}


@Language.factory(
    PARSER_FACTORY,
    assigns=["token.dep", "token.head", "token.is_sent_start", "doc.sents"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "learn_tokens": False,
        "min_action_freq": 30,
        "model": {**_MODEL_CONFIG, "state_type": "parser"},
        "scorer": {"@scorers": "spacy.parser_scorer.v1"},
    },
)
def make_stepped_parser(
    nlp: Language,
    name: str,
    model: Any,
    moves: Any,
    update_with_oracle_cut_size: int,
    learn_tokens: bool,
    min_action_freq: int,
    scorer: Any,
) -> SteppedParser:
    """The arguments of spaCy's own ``parser`` factory."""
    return SteppedParser(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        learn_tokens=learn_tokens,
        min_action_freq=min_action_freq,
        scorer=scorer,
    )


@Language.factory(
    ENTITY_RECOGNIZER_FACTORY,
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": {**_MODEL_CONFIG, "state_type": "ner"},
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
)
def make_stepped_entity_recognizer(
    nlp: Language,
    name: str,
    model: Any,
    moves: Any,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: str | None,
    scorer: Any,
) -> SteppedEntityRecognizer:
    """The arguments of spaCy's own ``ner`` factory."""
    return SteppedEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )


#: spaCy's greedy decoder classes and the factory of the stepped class that replaces each
_STEPPED = {DependencyParser: PARSER_FACTORY, EntityRecognizer: ENTITY_RECOGNIZER_FACTORY}


def step_decoders(nlp: Language) -> None:
    """Replace each greedy ``DependencyParser`` and ``EntityRecognizer`` of ``nlp`` by its stepped
    class, with the same configuration and weights, under the same name. Beam-search components and
    anything else are left alone; a second call changes nothing."""
    for name, original in list(nlp.pipeline):
        factory = _STEPPED.get(type(original))
        if factory is None or original.cfg.get("beam_width", 1) != 1:  # type: ignore[attr-defined]
            continue
        # interpolated: a listener's width refers to its encoder's section of the config
        config = dict(nlp.config.interpolate()["components"][name])
        config.pop("factory")
        weights = original.to_bytes(exclude=["vocab"])  # type: ignore[attr-defined]
        nlp.replace_pipe(name, factory, config=config)
        stepped: Any = nlp.get_pipe(name)
        stepped.from_bytes(weights, exclude=["vocab"])
