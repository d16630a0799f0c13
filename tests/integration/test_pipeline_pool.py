"""Multi-process analysis reads its input only as fast as the workers take it."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import pytest

from newsledger.analyze.pipeline import analyze_many
from newsledger.errors import ModelNotFound, NewsledgerError
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


def test_analyze_many_reports_a_model_workers_cannot_load() -> None:
    """A worker that cannot build its pipeline raises the coded error instead of hanging the pool."""
    articles = [Article(id=str(i), text="Officials said talks would resume.") for i in range(3)]
    with pytest.raises(ModelNotFound, match="no_such_spacy_model"):
        list(analyze_many(articles, model="no_such_spacy_model", n_process=2, batch_size=1))


@pytest.mark.parametrize(
    "error",
    [ModelNotFound("cannot load", hint="reinstall"), NewsledgerError("bad", where="a.txt:3")],
)
def test_newsledger_error_survives_pickling(error: NewsledgerError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (str(copy), copy.where, copy.hint) == (str(error), error.where, error.hint)


def test_analyze_many_parent_process_does_not_load_spacy() -> None:
    """With workers, the parent only reads and stores: importing the pipeline module must not pull in
    spaCy (about 60 MB and a second of CPU in a process that never parses)."""
    import subprocess
    import sys

    code = "import sys, newsledger.api, newsledger.analyze.pipeline; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
