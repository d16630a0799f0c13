"""The BIO tag set of the span tagger and the word normalisation shared by training and run time."""

from __future__ import annotations

ROLES = ("source", "cue", "content")
LABELS = ("O", *(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I")))
LABEL_IDS = {label: index for index, label in enumerate(LABELS)}

# PTB renders quotes as `` and '', news text as curly or straight marks: the tagger sees one form.
_DOUBLE_QUOTES = frozenset({"``", "''", "\u201c", "\u201d", '"', "\u201e", "\u00ab", "\u00bb", "'''"})
_SINGLE_QUOTES = frozenset({"`", "'", "\u2018", "\u2019"})


def normalize_word(word: str) -> str:
    """The form of ``word`` the tagger is trained on (quote marks unified)."""
    if word in _DOUBLE_QUOTES:
        return '"'
    if word in _SINGLE_QUOTES:
        return "'"
    return word


def bio_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """(role, start, end) token spans of a BIO sequence; a stray I- opens a span as B- would."""
    spans: list[tuple[str, int, int]] = []
    role: str | None = None
    start = 0
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, tag_role = tag.partition("-")
        if role is not None and (prefix != "I" or tag_role != role):
            spans.append((role, start, index))
            role = None
        if prefix == "B" or (prefix == "I" and role is None):
            role, start = tag_role, index
    return spans
