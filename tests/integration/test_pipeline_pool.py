"""Multi-process analysis reads its input only as fast as the workers take it."""

from __future__ import annotations

from collections.abc import Iterator

from newsledger.analyze.pipeline import analyze_many
from newsledger.model import Analysis, Article


def test_analyze_many_bounds_reading_ahead_with_workers() -> None:
    """With 2 workers at most 2 batches per worker are read ahead of the first result."""
    pulled = 0

    def articles() -> Iterator[Article]:
        nonlocal pulled
        for i in range(200):
            pulled += 1
            yield Article(id=str(i), text=f"Officials said talks would resume on Monday, report {i}.")

    results = analyze_many(articles(), n_process=2, batch_size=4)
    first = next(results)
    assert isinstance(first, Analysis)
    assert first.article.id == "0"
    assert pulled <= 4 * (2 * 2 + 1)
    results.close()
