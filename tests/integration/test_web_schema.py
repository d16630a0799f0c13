"""Schemathesis over the OpenAPI document: generated requests never get a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from e2e.web_corpus import hand_made
from newsledger.store import Store
from newsledger.web.app import Settings, create_app

#: Kept small: the suite runs on shared CPUs; derandomized so a failure reproduces.
MAX_EXAMPLES = 10


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("web-schema") / "ledger.db"
    with Store(path) as store:
        for analysis in hand_made():
            store.save(analysis)
    app = create_app(Settings(db=str(path)))
    yield app
    app.state.store.close()


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_web_api_never_answers_with_a_server_error(web_app: Any, mode: GenerationMode) -> None:
    """Requests the schema allows (positive) or breaks (negative) get 2xx or a coded 4xx, never 5xx."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", web_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    checked = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def check(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        try:
            check()
        except Unsatisfiable:
            # An operation without parameters (/api/stats) has no invalid request to generate.
            assert mode is GenerationMode.NEGATIVE
            continue
        checked += 1
    assert checked >= 10
