"""Offsets to HTML: split an article's text at record offsets into escaped, classed segments.

Records overlap freely (a source inside a content, an actor mention inside a source, a time inside a
content), so the text is cut at every boundary into non-overlapping segments and each segment lists
every mark that covers it. CSS layers the classes (contents as background, sources and cues as
underlines) and the page script follows ``data-marks`` to cross-link a click to its records.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from newsledger.model import Analysis

#: Mark kinds, also their CSS classes (``hl-<kind>``).
KINDS = ("content", "source", "cue", "time", "actor", "event")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    """One highlighted stretch: ``id`` is unique in the page and names the record it belongs to."""

    id: str
    kind: str
    start: int
    end: int
    label: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    start: int
    end: int
    marks: tuple[Mark, ...]


def marks_of(analysis: Analysis) -> list[Mark]:
    """Every highlightable record of ``analysis``, with ids the page's record lists reuse."""
    marks: list[Mark] = []
    for i, attribution in enumerate(analysis.attributions):
        marks.append(
            Mark(
                id=f"c{i}",
                kind="content",
                start=attribution.content.start,
                end=attribution.content.end,
                label=f"claim {i + 1}",
            )
        )
        marks.append(
            Mark(
                id=f"q{i}",
                kind="cue",
                start=attribution.cue.start,
                end=attribution.cue.end,
                label=attribution.certainty.value,
            )
        )
        if attribution.source is not None:
            marks.append(
                Mark(
                    id=f"s{i}",
                    kind="source",
                    start=attribution.source.start,
                    end=attribution.source.end,
                    label=attribution.source_type.value,
                )
            )
    for time in analysis.times:
        marks.append(
            Mark(id=f"t-{time.id}", kind="time", start=time.span.start, end=time.span.end, label=time.value)
        )
    for actor in analysis.actors:
        for j, mention in enumerate(actor.mentions):
            marks.append(
                Mark(
                    id=f"a-{actor.id}-{j}",
                    kind="actor",
                    start=mention.start,
                    end=mention.end,
                    label=actor.name,
                )
            )
    for k, event in enumerate(analysis.events):
        marks.append(
            Mark(id=f"e{k}", kind="event", start=event.trigger.start, end=event.trigger.end, label=event.type)
        )
    return marks


def segment(length: int, marks: Iterable[Mark]) -> list[Segment]:
    """Cut ``[0, length)`` at every mark boundary; each piece lists the marks covering it.

    Marks outside the text are clipped (a stored record must never break the page); empty marks vanish.
    """
    kept = [m for m in marks if 0 <= m.start < m.end and m.start < length]
    cuts = {0, length}
    for mark in kept:
        cuts.add(mark.start)
        cuts.add(min(mark.end, length))
    bounds = sorted(cuts)
    # Sweep: marks sorted by start enter, leave once their end is passed; O((n + m) log n).
    by_start = sorted(kept, key=lambda m: (m.start, -m.end))
    active: list[Mark] = []
    pending = 0
    segments: list[Segment] = []
    for left, right in itertools.pairwise(bounds):
        while pending < len(by_start) and by_start[pending].start <= left:
            active.append(by_start[pending])
            pending += 1
        active = [m for m in active if m.end > left]
        segments.append(Segment(start=left, end=right, marks=tuple(active)))
    return segments


def render(text: str, marks: Sequence[Mark]) -> Markup:
    """The article text as escaped HTML with one ``<span>`` per marked segment."""
    parts: list[str] = []
    for piece in segment(len(text), marks):
        chunk = escape(text[piece.start : piece.end])
        if not piece.marks:
            parts.append(str(chunk))
            continue
        classes = " ".join(sorted({f"hl-{m.kind}" for m in piece.marks}))
        ids = " ".join(m.id for m in piece.marks)
        parts.append(
            f'<span class="hl {classes}" data-marks="{escape(ids)}" '
            f'data-start="{piece.start}" data-end="{piece.end}">{chunk}</span>'
        )
    return Markup("".join(parts))
