"""Single-process analysis streams all articles through one ``nlp.pipe``: a failing article is redone
alone and recorded, the others keep their order, and an error of the source reaches the caller."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.analyze.extensions import register_extensions
from newsledger.analyze.pipeline import analyze_many
from newsledger.errors import Failure
from newsledger.model import Analysis, Article


@Language.component("test_fails_on_boom")
def _fails_on_boom(doc: Doc) -> Doc:
    if "boom" in doc.text:
        raise ValueError("boom")
    return doc


@pytest.fixture
def failing_nlp() -> Language:
    register_extensions()
    nlp = Language()
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_fails_on_boom")
    return nlp


@pytest.mark.parametrize("bad", [0, 5, 11])
def test_analyze_stream_bad_article_is_a_failure_and_order_holds(failing_nlp: Language, bad: int) -> None:
    texts = [f"Article {i} says talks went on." for i in range(12)]
    texts[bad] = "Article with a boom in it."
    articles = [Article(id=str(i), text=text) for i, text in enumerate(texts)]
    results = list(analyze_many(articles, nlp=failing_nlp, batch_size=4))
    assert [r.article.id if isinstance(r, Analysis) else r.article_id for r in results] == [
        str(i) for i in range(12)
    ]
    failures = [r for r in results if isinstance(r, Failure)]
    assert [f.article_id for f in failures] == [str(bad)]


def test_analyze_stream_source_error_reaches_the_caller(failing_nlp: Language) -> None:
    def articles() -> Iterator[Article]:
        yield Article(id="0", text="Talks went on.")
        yield Article(id="1", text="Talks went on again.")
        raise OSError("disk gone")

    results = analyze_many(articles(), nlp=failing_nlp, batch_size=4)
    seen = [next(results), next(results)]
    assert [r.article.id for r in seen if isinstance(r, Analysis)] == ["0", "1"]
    with pytest.raises(OSError, match="disk gone"):
        next(results)
