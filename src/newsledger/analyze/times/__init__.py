"""Time expressions: tag, type and normalise them TIMEX3-style, anchored to the publication date.

``extract_times(doc)`` yields :class:`~newsledger.model.TimeExpression` records; the spaCy component
``newsledger_times`` writes them to ``doc._.times``. ``times_in`` and ``times_of_clause`` let the
attribution and event extractors pick the times of a span or a clause. See docs/times.md.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsledger.analyze.extensions import register_extensions
from newsledger.analyze.times.calendar import Point, shift_day, value_interval, value_point
from newsledger.analyze.times.context import Context, tense_at
from newsledger.analyze.times.events import event_index
from newsledger.analyze.times.grammar import Grammar, Piece, Resolution, Resolver
from newsledger.analyze.times.lexicon import default_lexicon
from newsledger.model import Span, TimeExpression, TimeType

__all__ = ["extract_times", "get_grammar", "make_times_component", "times_in", "times_of_clause"]

_OR_LATER = re.compile(r"\s+or\s+(?P<w>later|after|earlier|before|so)\b", re.IGNORECASE)
# "until Nov. 16", "effective Dec. 7": deadlines, whatever the tense of the verb
_DEADLINE = re.compile(r"\b(?:until|till|by|through|effective|expires?|due)\s+$", re.IGNORECASE)
_ANCHOR_LINK = re.compile(
    r"^\s+(?P<rel>before|after|ahead\s+of|prior\s+to|following|from)\s+$", re.IGNORECASE
)
# TimeML leaves signals ("within") and possessives ("its fourth quarter") out of a TIMEX3's extent;
# the mod ("within a week": EQUAL_OR_LESS) stays
_LEADING_SIGNAL = re.compile(r"(?:within|its|their|his|her|our|my|your)\s+", re.IGNORECASE)
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj"})


@functools.cache
def get_grammar(reference_events: str | None = None) -> Grammar:
    """The grammar for the packaged lexicon and reference events (plus a user file of events)."""
    return Grammar(default_lexicon(), event_index(reference_events))


def _doc_text(doc: Doc) -> str:
    """``doc.text``, rebuilt from the token arrays: spaCy's property makes a Token object per word."""
    strings = doc.vocab.strings
    return "".join(
        strings[orth] + (" " if space else "") for orth, space in doc.to_array(["ORTH", "SPACY"]).tolist()
    )


def _publication(doc: Doc) -> dt.date | None:
    published = doc._.published
    if isinstance(published, dt.datetime):
        return published.date()
    return published if isinstance(published, dt.date) else None


def _with_mod(resolve: Resolver, mod: str) -> Resolver:
    """A resolver whose result gets ``mod`` unless it has one."""

    def wrapped(ctx: Context) -> Resolution:
        result = resolve(ctx)
        return dataclasses.replace(result, mod=result.mod or mod) if mod else result

    return wrapped


def _affixes(pieces: list[Piece], text: str, grammar: Grammar) -> list[Piece]:
    """Widen pieces over "early"/"the end of"/"about" before and "or later" after them."""
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        floor = pieces[i - 1].end if i else 0
        ceiling = pieces[i + 1].start if i + 1 < len(pieces) else len(text)
        if piece.type in (TimeType.DATE, TimeType.TIME) and piece.timeml:
            window = text[max(floor, piece.start - 40) : piece.start]
            position = grammar.position.search(window)
            approx = grammar.approx_prefix.search(window)
            if position:
                mod = grammar.lexicon.lookup("position", position["pos"]) or ""
                piece = dataclasses.replace(
                    piece,
                    start=piece.start - len(window) + position.start(),
                    resolve=_with_mod(piece.resolve, mod),
                )
            elif approx and grammar.lexicon.lookup("approx", approx["ap"]) == "APPROX":
                piece = dataclasses.replace(
                    piece,
                    start=piece.start - len(window) + approx.start(),
                    resolve=_with_mod(piece.resolve, "APPROX"),
                )
            after = _OR_LATER.match(text, piece.end, ceiling)
            if after:
                word = after["w"].lower()
                mod = {"later": "ON_OR_AFTER", "after": "ON_OR_AFTER", "so": "APPROX"}.get(
                    word, "ON_OR_BEFORE"
                )
                piece = dataclasses.replace(piece, end=after.end(), resolve=_with_mod(piece.resolve, mod))
        out.append(piece)
    return out


def _trim_signal(piece: Piece, text: str) -> Piece:
    """The piece without a leading signal word or possessive pronoun."""
    signal = _LEADING_SIGNAL.match(text, piece.start, piece.end)
    if signal is None or signal.end() >= piece.end:
        return piece
    return dataclasses.replace(piece, start=signal.end())


def extract_times(
    doc: Doc, *, published: dt.date | None = None, grammar: Grammar | None = None
) -> Iterator[TimeExpression]:
    """Time expressions of ``doc`` in text order, ids t1, t2..., resolved against ``published``
    (default ``doc._.published``), the narrative reference time and the tense of their clause."""
    grammar = grammar or get_grammar()
    dct = published or _publication(doc)
    text = _doc_text(doc)
    pieces = [p for c in grammar.candidates(text) for p in c.pieces]
    pieces = [_trim_signal(p, text) for p in _affixes(pieces, text, grammar)]
    token_starts = doc.to_array("IDX").tolist() if pieces else []
    sentence_starts = [0]
    if pieces and doc.has_annotation("SENT_START"):
        starts = doc.to_array("SENT_START").tolist()
        sentence_starts = [token_starts[i] for i, flag in enumerate(starts) if flag == 1] or [0]
    parsed = doc.has_annotation("DEP")
    ref: Point | None = None
    ref_id: str | None = None
    ref_sentence = -1
    narrative: tuple[int, int] | None = None  # (year, sentence) of the last explicit date
    records: list[TimeExpression] = []
    for piece in pieces:
        tid = f"t{len(records) + 1}"
        first = max(bisect.bisect_right(token_starts, piece.start) - 1, 0)
        last = max(bisect.bisect_left(token_starts, piece.end), first + 1)
        sentence = bisect.bisect_right(sentence_starts, piece.start) - 1
        if piece.type == TimeType.SET and last - first == 1 and parsed and doc[first].dep_ == "amod":
            continue  # "a quarterly dividend", "the daily Granma": a kind of thing, not a recurrence
        narrative_year = None
        if narrative and sentence == narrative[1] and (dct is None or narrative[0] != dct.year):
            narrative_year = narrative[0]
        ctx = Context(
            dct=dct,
            tense=None
            if _DEADLINE.search(text, max(piece.start - 12, 0), piece.start)
            else (tense_at(doc, first, min(last, len(doc))) if len(doc) else None),
            ref=ref,
            ref_id=ref_id,
            ref_in_sentence=ref_sentence == sentence,
            ref_distance=sentence - ref_sentence,
            narrative_year=narrative_year,
        )
        result = piece.resolve(ctx)
        if not piece.timeml and result.anchor is None:
            continue  # an event alias that names no known event for this publication date
        interval = result.interval
        if interval is None and piece.type in (TimeType.DATE, TimeType.TIME):
            interval = value_interval(result.value, result.mod, dct)
        records.append(
            TimeExpression(
                id=tid,
                span=Span.of(text, piece.start, piece.end),
                type=piece.type,
                value=result.value,
                mod=result.mod or None,
                interval=interval,
                anchor=result.anchor,
                resolved=result.resolved,
                timeml=piece.timeml,
            )
        )
        if result.point is not None and piece.type in (TimeType.DATE, TimeType.TIME):
            ref, ref_id, ref_sentence = result.point, tid, sentence
            if piece.explicit and result.point.gran in ("D", "M"):
                narrative = (result.point.day.year, sentence)
    yield from _anchor_durations(records, text)


def _anchor_durations(records: list[TimeExpression], text: str) -> list[TimeExpression]:
    """ "two days before March 3": give the duration the date it points at, anchored to the date."""
    out = list(records)
    for i, record in enumerate(records[:-1]):
        if record.type != TimeType.DURATION or record.resolved:
            continue
        following = records[i + 1]
        link = _ANCHOR_LINK.match(text[record.span.end : following.span.start])
        point = value_point(following.value) if following.type == TimeType.DATE else None
        duration = re.fullmatch(r"P(\d+)([DWMY])", record.value)
        if not link or point is None or duration is None:
            continue
        n = int(duration[1]) * (-1 if link["rel"].lower() in ("before", "ahead of", "prior to") else 1)
        day = shift_day(point.day, n, duration[2])
        target = Point(point.gran if point.gran != "D" else "D", day)
        out[i] = dataclasses.replace(
            record,
            resolved=target.value,
            anchor=following.id,
            interval=value_interval(target.value, record.mod, None),
        )
    return out


def times_in(
    doc_or_times: Doc | Iterable[TimeExpression], start_char: int, end_char: int
) -> list[TimeExpression]:
    """The time expressions lying entirely within ``start_char:end_char`` (a clause, a quote...)."""
    times = doc_or_times._.times or [] if isinstance(doc_or_times, Doc) else doc_or_times
    return [t for t in times if t.span.start >= start_char and t.span.end <= end_char]


def _clause_head(token: Token) -> Token:
    """The verb heading the clause ``token`` belongs to (the root when there is none)."""
    current = token
    for _ in range(50):
        if current.pos_ in ("VERB", "AUX") and (current.dep_ in _CLAUSE_DEPS or current.head.i == current.i):
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current


def times_of_clause(doc: Doc, target: Token | SpacySpan) -> list[TimeExpression]:
    """The times that modify the clause of ``target`` (a token or span): those whose governing
    verb, found by climbing the dependency tree, is the verb heading ``target``'s clause."""
    if not doc.has_annotation("DEP"):
        if not doc.has_annotation("SENT_START"):
            return list(doc._.times or ())
        return times_in(doc, target.sent.start_char, target.sent.end_char)
    head = _clause_head(target if isinstance(target, Token) else target.root)
    found: list[TimeExpression] = []
    for time in doc._.times or ():
        span = doc.char_span(time.span.start, time.span.end, alignment_mode="expand")
        if span is not None and _clause_head(span.root).i == head.i:
            found.append(time)
    return found


class TimesComponent:
    """Writes ``doc._.times``; ``reference_events`` names a JSONL file of extra reference events."""

    def __init__(self, nlp: Language, name: str, reference_events: str | None = None) -> None:
        self.name = name
        self.grammar = get_grammar(reference_events)

    def __call__(self, doc: Doc) -> Doc:
        doc._.times = list(extract_times(doc, grammar=self.grammar))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("newsledger_times", assigns=["doc._.times"], default_config={"reference_events": None})
def make_times_component(nlp: Language, name: str, reference_events: str | None) -> TimesComponent:
    register_extensions()
    return TimesComponent(nlp, name, reference_events)
