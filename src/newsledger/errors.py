"""Errors with stable codes that say what went wrong, where, and how to fix it.

Codes by family: NL1xx input/ingest, NL2xx analysis, NL3xx store, NL4xx data files (lexicons, KB),
NL5xx web/API, NL6xx evaluation. A code never changes meaning once released; docs/errors.md lists them.
"""

from __future__ import annotations

import dataclasses
from typing import Any


class NewsledgerError(Exception):
    """Base class: ``code`` is stable, ``where`` names the file/line/article, ``hint`` says what to do."""

    code = "NL000"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        if self.where:
            text = f"{self.code} [{self.where}]: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "where": self.where, "hint": self.hint}

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (analysis workers): rebuild from the parts, not the text.
        return (_rebuild, (type(self), self.message, self.where, self.hint))


def _rebuild(
    cls: type[NewsledgerError], message: str, where: str | None, hint: str | None
) -> NewsledgerError:
    return cls(message, where=where, hint=hint)


# --- NL1xx: input ------------------------------------------------------------------------------------


class InputError(NewsledgerError):
    code = "NL100"


class FileNotReadable(InputError):
    code = "NL101"


class UndecodableText(InputError):
    code = "NL102"


class BinaryInput(InputError):
    code = "NL103"


class EmptyText(InputError):
    code = "NL104"


class NoArticleBody(InputError):
    code = "NL105"


class MalformedRecord(InputError):
    code = "NL106"


class TooLarge(InputError):
    code = "NL107"


class UnsupportedFormat(InputError):
    code = "NL108"


class BadMetadata(InputError):
    code = "NL109"


# --- NL2xx: analysis ---------------------------------------------------------------------------------


class AnalysisError(NewsledgerError):
    code = "NL200"


class ModelNotFound(AnalysisError):
    code = "NL201"


# --- NL3xx: store ------------------------------------------------------------------------------------


class StoreError(NewsledgerError):
    code = "NL300"


class DatabaseUnavailable(StoreError):
    code = "NL301"


class DatabaseLocked(StoreError):
    code = "NL302"


class DatabaseNotWritable(StoreError):
    code = "NL303"


class SchemaOutOfDate(StoreError):
    code = "NL304"


class ArticleNotFound(StoreError):
    code = "NL305"


class BadDatabaseUrl(StoreError):
    code = "NL306"


# --- NL4xx: data files -------------------------------------------------------------------------------


class DataFileError(NewsledgerError):
    """A lexicon, pattern or knowledge-base file is invalid; ``where`` is file:line:field."""

    code = "NL400"


# --- NL5xx: web --------------------------------------------------------------------------------------


class WebError(NewsledgerError):
    code = "NL500"


# --- NL6xx: evaluation -------------------------------------------------------------------------------


class GoldDataError(NewsledgerError):
    code = "NL600"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """One article that could not be processed, recorded so the batch can go on."""

    where: str  # file, file:line, or article id
    stage: str  # "read", "analyze", "store"
    code: str
    message: str
    hint: str | None = None
    article_id: str | None = None

    @classmethod
    def from_error(
        cls, error: NewsledgerError, *, stage: str, where: str | None = None, article_id: str | None = None
    ) -> Failure:
        return cls(
            where=where or error.where or "?",
            stage=stage,
            code=error.code,
            message=error.message,
            hint=error.hint,
            article_id=article_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class BadOption(InputError):
    """A command-line or API option has an invalid value (a usage error: exit status 2)."""

    code = "NL110"


class BadCursor(StoreError):
    """A page cursor the store did not make for this query (a client error, not a database fault)."""

    code = "NL307"
