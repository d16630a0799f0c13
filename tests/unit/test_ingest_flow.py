"""The ingest flow keeps read failures in input order."""

from __future__ import annotations

from collections.abc import Iterator

from newsledger.api import _Flow
from newsledger.errors import Failure
from newsledger.model import Analysis, Article


def _items(count: int, bad_every: int) -> Iterator[Article | Failure]:
    for i in range(count):
        if i % bad_every == bad_every - 1:
            yield Failure(where=f"in:{i}", stage="read", code="NL106", message="bad line")
        else:
            yield Article(id=str(i), text=f"Article {i}.")


def _labels(results: list[Analysis | Failure]) -> list[str]:
    return [r.where.split(":")[1] if isinstance(r, Failure) else r.article.id for r in results]


def test_ingest_flow_puts_failures_back_in_order() -> None:
    """Failures held while their neighbours are analysed come out in their input position."""
    flow = _Flow()
    results = flow.merge(Analysis(article=a) for a in flow.articles(_items(20, 4)))
    assert _labels(list(results)) == [str(i) for i in range(20)]
