"""Tokenizer additions: the horizontal bar (U+2015) as punctuation.

spaCy's English punctuation lists hold the em and en dashes but not the horizontal bar, which some
outlets use for datelines and to sign quotations ("“...”― Ana Ruiz"). Fused to a closing quote
mark it made one token ("”―"), so neither the quotation nor its signature could be found.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

HORIZONTAL_BAR = "\u2015"


def split_horizontal_bars(nlp: Language) -> None:
    """Make the horizontal bar a prefix, suffix and infix of ``nlp``'s tokenizer (a spaCy
    ``Tokenizer``; a custom tokenizer without affix patterns is left alone)."""
    tokenizer: Any = nlp.tokenizer
    bar = re.escape(HORIZONTAL_BAR)
    if getattr(tokenizer, "prefix_search", None) is not None:
        tokenizer.prefix_search = re.compile(f"{_pattern(tokenizer.prefix_search)}|^{bar}").search
    if getattr(tokenizer, "suffix_search", None) is not None:
        tokenizer.suffix_search = re.compile(f"{_pattern(tokenizer.suffix_search)}|{bar}$").search
    if getattr(tokenizer, "infix_finditer", None) is not None:
        tokenizer.infix_finditer = re.compile(f"{_pattern(tokenizer.infix_finditer)}|{bar}").finditer


def _pattern(method: Any) -> str:
    """The regular expression of a compiled pattern's bound ``search``/``finditer``."""
    return str(method.__self__.pattern)
