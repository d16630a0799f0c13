"""Events as GDELT/PLOVER-style tabular rows: one row per event, written as CSV or TSV.

Columns follow GDELT's event table where one exists (``Actor1Code``/``Actor2Code`` become
``source_code``/``target_code``, ``EventCode`` is ``cameo``, ``EventRootCode`` is ``cameo_root``,
``QuadClass`` is ``quad_class``, ``ActionGeo`` is ``location``, ``SOURCEURL`` is ``source_url``) and add
PLOVER's type and mode plus newsledger's offsets and attribution.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from newsledger.model import Analysis, Event, EventActor

COLUMNS = (
    "article_id",
    "event_index",
    "published",
    "event_date",
    "date_from_publication",
    "plover_type",
    "mode",
    "negated",
    "cameo",
    "cameo_root",
    "quad_class",
    "source_text",
    "source_code",
    "source_country",
    "source_sector",
    "target_text",
    "target_code",
    "target_country",
    "target_sector",
    "location",
    "location_country",
    "trigger",
    "trigger_start",
    "trigger_end",
    "sentence_start",
    "sentence_end",
    "reported_by",
    "reported_by_source",
    "source_url",
    "outlet",
)

_QUAD_OF_ROOT = {
    **dict.fromkeys(("01", "02"), 1),
    **dict.fromkeys(("03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13"), 3),
    **dict.fromkeys(("14", "15", "16", "17", "18", "19", "20"), 4),
}


def _actor(prefix: str, actor: EventActor | None) -> dict[str, Any]:
    return {
        f"{prefix}_text": actor.span.text if actor else None,
        f"{prefix}_code": actor.code if actor else None,
        f"{prefix}_country": actor.country if actor else None,
        f"{prefix}_sector": actor.sector if actor else None,
    }


def event_row(analysis: Analysis, index: int, event: Event) -> dict[str, Any]:
    """One row for ``event`` (the ``index``-th of ``analysis``); keys are :data:`COLUMNS`."""
    article = analysis.article
    root = event.cameo[:2] if event.cameo else None
    reporter = None
    if event.reported_by is not None and event.reported_by < len(analysis.attributions):
        source = analysis.attributions[event.reported_by].source
        reporter = source.text if source else None
    return {
        "article_id": article.id,
        "event_index": index,
        "published": article.published.isoformat() if article.published else None,
        "event_date": event.date.value if event.date else None,
        "date_from_publication": event.date.from_publication if event.date else None,
        "plover_type": event.type,
        "mode": event.mode.value,
        "negated": event.negated,
        "cameo": event.cameo,
        "cameo_root": root,
        # GDELT quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal, 4 material conflict
        "quad_class": _QUAD_OF_ROOT.get(root) if root else None,
        **_actor("source", event.source),
        **_actor("target", event.target),
        "location": event.location.span.text if event.location else None,
        "location_country": event.location.country if event.location else None,
        "trigger": event.trigger.text,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "sentence_start": event.sentence.start if event.sentence else None,
        "sentence_end": event.sentence.end if event.sentence else None,
        "reported_by": event.reported_by,
        "reported_by_source": reporter,
        "source_url": article.url,
        "outlet": article.outlet,
    }


def event_rows(analysis: Analysis) -> Iterator[dict[str, Any]]:
    """One row per event of ``analysis``, in text order."""
    for index, event in enumerate(analysis.events):
        yield event_row(analysis, index, event)


def write_event_rows(
    analyses: Iterable[Analysis], out: TextIO | None = None, *, delimiter: str = "\t"
) -> int:
    """Write the rows of ``analyses`` as TSV (CSV with ``delimiter=","``) with a header; returns the count."""
    writer = csv.DictWriter(out or sys.stdout, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    count = 0
    for analysis in analyses:
        for row in event_rows(analysis):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
            count += 1
    return count
