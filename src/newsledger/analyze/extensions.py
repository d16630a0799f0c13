"""Doc extensions shared by the newsledger components (registered once, at import)."""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS = ("published", "times", "actors", "attributions", "events")


def register_extensions() -> None:
    """Register ``doc._.published`` (a date or None) and one list of records per component."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
