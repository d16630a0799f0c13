"""Shared fixtures: the one place tests find ../shared, the real model, and temp databases."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def sample_texts(edge_texts: list[str], cc_by_articles: int) -> list[str]:
    """Edge texts, the example articles and the first ``cc_by_articles`` CC BY articles: the texts the
    tests of a faster component check it against the component it replaces on."""
    with open(shared_path("corpus", "cc-by", "articles.jsonl"), encoding="utf-8") as lines:
        cc_by = [json.loads(line)["text"] for line in lines][:cc_by_articles]
    examples = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    return edge_texts + examples + cc_by


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
def sqlite_url(tmp_path: Path) -> str:
    """A real SQLite file under the test's temp dir."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A throwaway PostgreSQL server for this test session (per xdist worker), from tests/pg.py."""
    from pg import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: run scripts/system-deps.sh")
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_url(pg_cluster: Any) -> str:
    """URL of a PostgreSQL database shared by this session's tests (use `db_url` for a fresh one)."""
    return str(pg_cluster.create_database())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database for one test: a SQLite file, then a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    schema, url = cluster.create_schema()
    yield url
    cluster.drop_schema(schema)
