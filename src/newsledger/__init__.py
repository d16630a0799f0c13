"""newsledger: who did and said what, to whom, when, and according to whom, from news articles.

The public API (``newsledger.ingest(...)``, ``newsledger.analyze_text(...)``...) lives in
:mod:`newsledger.api` and is imported on first use, so ``import newsledger`` stays fast and so does the
CLI.

``analyze`` and ``ingest`` are also the names of subpackages (``newsledger/analyze/``,
``newsledger/ingest/``), and Python binds a subpackage to its parent's attribute when it is imported. So
that ``newsledger.ingest(paths)`` and ``newsledger.ingest.base`` both work whatever was imported first,
those two subpackages are made callable: calling one calls the API function of the same name.
"""

from __future__ import annotations

import importlib
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from newsledger.api import (
        IngestReport,
        Summary,
        analyze,
        analyze_text,
        claims,
        export,
        ingest,
        reanalyze,
        search,
        show,
        summary,
    )
    from newsledger.errors import Failure, NewsledgerError
    from newsledger.model import Analysis, Article


class _CallableModule(types.ModuleType):
    """A subpackage that is also the API function of the same name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        api = importlib.import_module("newsledger.api")
        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


if not TYPE_CHECKING:
    for _name in ("analyze", "ingest"):
        importlib.import_module(f"newsledger.{_name}").__class__ = _CallableModule

_EXPORTS = {
    "Analysis": "newsledger.model",
    "Article": "newsledger.model",
    "Failure": "newsledger.errors",
    "IngestReport": "newsledger.api",
    "NewsledgerError": "newsledger.errors",
    "Summary": "newsledger.api",
    "analyze_text": "newsledger.api",
    "claims": "newsledger.api",
    "export": "newsledger.api",
    "reanalyze": "newsledger.api",
    "search": "newsledger.api",
    "show": "newsledger.api",
    "summary": "newsledger.api",
}

__all__ = [
    "Analysis",
    "Article",
    "Failure",
    "IngestReport",
    "NewsledgerError",
    "Summary",
    "__version__",
    "analyze",
    "analyze_text",
    "claims",
    "export",
    "ingest",
    "reanalyze",
    "search",
    "show",
    "summary",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsledger' has no attribute {name!r}")
