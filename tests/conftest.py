"""Shared fixtures: the one place tests find ../shared, the real model, and temp databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSLEDGER_SHARED", ROOT.parent / "shared")).resolve()
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_ARTICLE = SHARED / "corpus" / "seed" / "000_86870e30135a20ec.txt"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test with a reason when shared data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path} (set NEWSLEDGER_SHARED)")
    return path


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full newsledger pipeline on the real English model, built once per test session."""
    from newsledger.analyze.pipeline import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def blank_nlp() -> Language:
    """A blank English pipeline with a sentencizer, for rule tests that need no model."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A real SQLite file under the test's temp dir."""
    yield f"sqlite:///{tmp_path / 'ledger.db'}"
