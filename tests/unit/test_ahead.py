"""``ahead``: steps run in a helper thread, or inline in worker processes, with the same results."""

from __future__ import annotations

import threading

import pytest
import spacy

from newsledger.analyze import ahead as ahead_module
from newsledger.analyze.ahead import ahead, run_inline


@pytest.fixture(params=["helper thread", "inline"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(ahead_module, "_helper_thread", True)
    if request.param == "inline":
        run_inline()
    return str(request.param)


@pytest.mark.parametrize("window", [1, 3, 10])
def test_ahead_yields_each_result_with_its_document_in_order(mode: str, window: int) -> None:
    nlp = spacy.blank("en")
    docs = [nlp.make_doc(f"article number {n}") for n in range(7)]
    threads: set[int] = set()

    def step(doc: spacy.tokens.Doc) -> str:
        threads.add(threading.get_ident())
        return doc[-1].text

    pairs = list(ahead(iter(docs), step, window))
    assert [doc for doc, _ in pairs] == docs
    assert [result for _, result in pairs] == [str(n) for n in range(7)]
    assert (threads == {threading.get_ident()}) == (mode == "inline")


def test_ahead_raises_a_step_error_when_its_document_is_reached(mode: str) -> None:
    nlp = spacy.blank("en")
    docs = [nlp.make_doc(text) for text in ("good", "bad", "good")]

    def step(doc: spacy.tokens.Doc) -> int:
        if doc.text == "bad":
            raise ValueError("bad article")
        return len(doc)

    results = ahead(iter(docs), step, 2)
    assert next(results)[1] == 1
    with pytest.raises(ValueError, match="bad article"):
        next(results)
