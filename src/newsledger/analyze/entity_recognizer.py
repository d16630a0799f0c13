"""spaCy's entity recogniser with its greedy decoding loop driven from Python.

spaCy's transition-based components decode in a C loop that releases the GIL. The spaCy wheels for
Python 3.11 are compiled with Cython profiling hooks, so every small inline helper of that loop (the
state's ``B_``, ``safe_get``, each move's validity test) takes the GIL back and drops it again: on
news, ``perf`` put about half of the entity recogniser's time in ``take_gil``/``drop_gil``. The
entity recogniser is the costliest part of en_core_web_sm on news, so this matters.

``SteppedEntityRecognizer`` runs the same steps through spaCy's own Python-level API, as spaCy's
training and beam search do: score the unfinished states with the step model, then apply the best
valid move (``transition_states``). The loop keeps the GIL, so the helpers' hooks find it held and
cost next to nothing. Same weights, same features, same moves: on news the entities are the same
(``tests/unit/test_entity_recognizer.py``; docs/benchmarks.md).

``build_pipeline`` swaps it in for a greedy ``EntityRecognizer`` (``step_entity_recognizer``); a
beam-search recogniser or one listening to a shared encoder is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

from newsledger.analyze.blas import BLAS

FACTORY = "newsledger_entity_recognizer"


class SteppedEntityRecognizer(EntityRecognizer):  # type: ignore[misc]  # spaCy's Cython classes are untyped
    """An ``EntityRecognizer`` whose greedy decoding holds the GIL (see the module docstring)."""

    def predict(self, docs: Doc | list[Doc]) -> Any:
        if isinstance(docs, Doc):
            docs = [docs]
        if self.cfg["beam_width"] != 1 or not any(len(doc) for doc in docs):
            return super().predict(docs)
        self._ensure_labels_are_added(docs)
        batch = self.moves.init_batch(docs)
        step_model = self.model.predict(docs)
        score = _scorer(step_model)
        states = [state for state in batch if not state.is_final()]
        with BLAS.limit(limits=1):
            while states:
                states = self.transition_states(states, score(states))
        step_model.clear_memory()
        return batch


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


@Language.factory(
    FACTORY,
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
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
        },
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


def step_entity_recognizer(nlp: Language, name: str = "ner") -> None:
    """Replace ``nlp``'s greedy entity recogniser by a ``SteppedEntityRecognizer`` with the same
    configuration and weights. Anything else under ``name`` (another kind of component, beam search, a
    model listening to a shared encoder) is left alone."""
    if name not in nlp.pipe_names:
        return
    original: Any = nlp.get_pipe(name)  # spaCy types components as plain callables
    if type(original) is not EntityRecognizer or original.cfg.get("beam_width", 1) != 1:
        return
    if any("listener" in layer.name for layer in original.model.walk()):
        return
    config = {key: value for key, value in nlp.config["components"][name].items() if key != "factory"}
    weights = original.to_bytes(exclude=["vocab"])
    nlp.replace_pipe(name, FACTORY, config=config)
    stepped: Any = nlp.get_pipe(name)
    stepped.from_bytes(weights, exclude=["vocab"])
