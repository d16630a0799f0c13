"""Web error codes (NL5xx) and the one error shape every API response uses.

``{"error": {"code": "NL501", "message": ..., "where": ..., "hint": ...}}`` with the HTTP status below.
"""

from __future__ import annotations

from typing import Any

from newsledger.errors import ArticleNotFound, BadCursor, NewsledgerError, WebError


class BadRequestError(WebError):
    """A query parameter or request field is invalid (422)."""

    code = "NL501"


class NotFoundError(WebError):
    """No such page, article, actor or route (404)."""

    code = "NL502"


class RequestTooLargeError(WebError):
    """The request body is over the size limit (413)."""

    code = "NL503"


class UnauthorizedError(WebError):
    """Ingest needs the token given when the server was started (401)."""

    code = "NL504"


class QueryTooCostlyError(WebError):
    """The query would scan too much: narrow it (422)."""

    code = "NL506"


STATUS: dict[str, int] = {
    BadRequestError.code: 422,
    NotFoundError.code: 404,
    ArticleNotFound.code: 404,
    RequestTooLargeError.code: 413,
    UnauthorizedError.code: 401,
    QueryTooCostlyError.code: 422,
}


def status_of(error: NewsledgerError) -> int:
    """The HTTP status for ``error``: 4xx for what the client can fix, 500 otherwise."""
    if error.code in STATUS:
        return STATUS[error.code]
    if error.code.startswith("NL1"):  # bad input (e.g. an uploaded article) is the client's to fix
        return 422
    return 500


def error_body(error: NewsledgerError) -> dict[str, Any]:
    return {"error": error.to_dict()}


def as_client_error(error: NewsledgerError) -> NewsledgerError:
    """``error``, or the client error it really is.

    The store reports a cursor it did not make as BadCursor (NL307, a StoreError); over HTTP that
    is a bad parameter (422), not a server error.
    """
    if isinstance(error, BadCursor):
        return BadRequestError(error.message, where="cursor", hint=error.hint)
    return error
