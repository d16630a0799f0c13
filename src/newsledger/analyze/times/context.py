"""What an expression is resolved against: publication date, narrative reference time, verb tense."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from spacy.tokens import Doc, Token

from newsledger.analyze.times.calendar import Point

Tense = Literal["past", "present", "future"]

_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
_FUTURE_WORDS = frozenset(
    {
        "will",
        "'ll",
        "shall",
        "wo",
        "ll",
        "upcoming",
        "scheduled",
        "expected",
        "plans",
        "plan",
        "due",
        "going",
        "next",
        "would",
        "set",
    }
)
_FUTURE_MODALS = frozenset({"would", "may", "might", "should", "must", "can", "'d"})
_SCHEDULED = frozenset({"schedule", "plan", "slate", "due", "expect"})
#: verbs whose infinitive complement is ahead of them: "plans to meet Friday"
_PLANNING = frozenset(
    {
        "plan",
        "expect",
        "schedule",
        "set",
        "intend",
        "aim",
        "hope",
        "want",
        "seek",
        "prepare",
        "propose",
        "promise",
        "vow",
        "pledge",
        "threaten",
        "decide",
        "agree",
        "due",
        "likely",
        "go",
        "try",
        "wish",
        "need",
        "offer",
        "ask",
        "urge",
        "call",
    }
)
_PAST_WORDS = frozenset({"was", "were", "had", "did", "said", "told", "last", "ago", "earlier"})


@dataclasses.dataclass(frozen=True, slots=True)
class Context:
    """The references one expression is resolved with.

    ``ref`` is the narrative reference time: the last date resolved before the expression (its id in
    ``ref_id``), used by anaphoric expressions ("the next day", "a year earlier"). ``narrative_year`` is
    the year of an explicit date in the same or previous sentence when it differs from the publication
    year, so that "In 2019 ... In March" means March 2019.
    """

    dct: dt.date | None
    tense: Tense | None = None
    ref: Point | None = None
    ref_id: str | None = None
    ref_in_sentence: bool = False
    ref_distance: int = 0  # sentences between the reference time and the expression
    narrative_year: int | None = None

    @property
    def dct_point(self) -> Point | None:
        return Point("D", self.dct) if self.dct else None


def _is_future(verb: Token) -> bool:
    for child in verb.children:
        lower = child.lower_
        if child.dep_ in ("aux", "auxpass") and lower in _FUTURE_AUX:
            return True
        if lower == "going" and any(c.lower_ == "to" for c in verb.children):
            return True
    return (
        verb.lower_ in ("scheduled", "due", "expected")
        and verb.tag_ == "VBN"
        and any(c.lower_ in ("is", "are", "'s", "'re") for c in verb.children)
    )


def _verb_of(token: Token) -> Token | None:
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def parsed_tense(token: Token, depth: int = 0) -> Tense | None:
    """Tense of the verb that governs ``token`` in a parsed Doc (None when there is no verb)."""
    verb = _verb_of(token)
    if verb is None:
        return None
    if _is_future(verb):
        return "future"
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        head = verb.head
        if head.lemma_ in _PLANNING:
            return "future"
        if head.i != verb.i and head.pos_ in ("VERB", "AUX", "ADJ") and depth < 3:
            return parsed_tense(head, depth + 1)
    if verb.tag_ == "VBD":
        return "past"
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass") and (
            child.tag_ == "VBD" or child.lower_ in ("has", "have", "had")
        ):
            return "past"
        if child.dep_ in ("aux", "auxpass") and child.lower_ in _FUTURE_MODALS:
            return "future"  # "would meet", "plans to meet Friday", "may close"
    if verb.tag_ == "VBN":  # a reduced relative: "the deal signed Friday", unless "a summit set for April"
        return "future" if verb.lemma_ in _SCHEDULED else "past"
    if verb.head.i != verb.i and verb.dep_ in ("xcomp", "ccomp", "advcl") and verb.tag_ in ("VB", "VBG"):
        return (
            parsed_tense(verb.head, depth + 1)
            if verb.head.pos_ in ("VERB", "AUX") and depth < 3
            else "present"
        )
    return "present"


def lexical_tense(doc: Doc, start: int, end: int) -> Tense | None:
    """Tense guessed from words near tokens ``start:end`` when the Doc has no parse: future cues only."""
    left = max(start - 8, 0)
    for token in doc[left : min(end + 6, len(doc))]:
        if token.i in range(start, end):
            continue
        if token.lower_ in _FUTURE_WORDS:
            return "future"
        if token.lower_ in _PAST_WORDS or (token.lower_.endswith("ed") and len(token) > 4):
            return "past"
    return None


def tense_at(doc: Doc, start: int, end: int) -> Tense | None:
    """Past, present or future for the clause of tokens ``start:end``."""
    if doc.has_annotation("DEP"):
        return parsed_tense(doc[start])
    return lexical_tense(doc, start, end)
