"""``newsledger serve``: run the web app with uvicorn, safe by default.

Loopback only unless another host is asked for; read-only unless ``allow_ingest``; when ingest is
on without a token, one is generated and printed once, since the UI and API need it.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys

from newsledger.web.app import Settings, create_app
from newsledger.web.security import DEFAULT_MAX_BODY

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def settings_for(
    *,
    db: str,
    host: str = DEFAULT_HOST,
    allow_ingest: bool = False,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    cors_origins: tuple[str, ...] = (),
    model: str | None = None,
) -> Settings:
    """The app settings for a server on ``host``: on loopback, only loopback Host headers (DNS rebinding)."""
    if allow_ingest and not token:
        token = secrets.token_urlsafe(24)
        print(f"ingest token: {token}", file=sys.stderr)
    hosts = ("127.0.0.1", "localhost", "[::1]", host) if is_loopback(host) else ()
    return Settings(
        db=db,
        allow_ingest=allow_ingest,
        token=token,
        max_body=max_body,
        cors_origins=cors_origins,
        allowed_hosts=hosts,
        model=model,
    )


def serve(
    *,
    db: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    allow_ingest: bool = False,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    cors_origins: tuple[str, ...] = (),
    model: str | None = None,
) -> None:
    """Serve the ledger at ``http://host:port/`` until interrupted."""
    import uvicorn

    settings = settings_for(
        db=db,
        host=host,
        allow_ingest=allow_ingest,
        token=token,
        max_body=max_body,
        cors_origins=cors_origins,
        model=model,
    )
    if not is_loopback(host):
        print(f"warning: serving on {host}, reachable from other machines", file=sys.stderr)
    app = create_app(settings)
    print(f"newsledger: http://{host}:{port}/ (database {app.state.store.url})", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
