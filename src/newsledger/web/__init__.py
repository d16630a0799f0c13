"""Web UI and JSON API over a ledger: ``create_app(Settings(db=...))``, served by ``newsledger serve``.

See ``docs/web.md`` for the pages, the endpoints, the error codes and the security model.
"""

from __future__ import annotations

from newsledger.web.app import Extension, Settings, create_app

__all__ = ["Extension", "Settings", "create_app"]
