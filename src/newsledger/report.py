"""Human-readable rendering with Rich: analyses, marked texts, claims, failures and summaries.

Everything here builds Rich renderables and never prints, so the CLI chooses the stream and tests can
render to a string. Long texts are shortened for the terminal; ``--json`` gives the full records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsledger.errors import Failure
from newsledger.model import Analysis, Attribution, Channel, Event, Span, TimeExpression

if TYPE_CHECKING:
    from newsledger.api import IngestReport, Summary
    from newsledger.store import ClaimRow, Page, SearchHit

#: Styles of the marked text (``show --text``), also used as the legend.
STYLES = {
    "source": "bold cyan",
    "cue": "bold yellow",
    "content": "green",
    "time": "bold magenta",
    "actor": "underline",
}

_CONTENT_WIDTH = 160


def shorten(text: str, width: int = _CONTENT_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def analysis_report(analysis: Analysis) -> RenderableType:
    """One article: its metadata, then who claims what, times, actors and events."""
    parts: list[RenderableType] = [_article_header(analysis)]
    parts.append(
        _attributions_table(analysis) if analysis.attributions else Text("No attributed claims found.")
    )
    if analysis.times:
        parts.append(_times_table(analysis))
    if analysis.actors:
        parts.append(_actors_table(analysis))
    if analysis.events:
        parts.append(_events_table(analysis))
    return Group(*parts)


def _article_header(analysis: Analysis) -> Panel:
    article = analysis.article
    lines = Text()
    lines.append(article.title or "(no title)", style="bold")
    facts = [
        ("id", article.id),
        ("outlet", article.outlet),
        ("published", article.published.isoformat() if article.published else None),
        ("url", article.url),
        ("from", article.origin),
    ]
    for label, value in facts:
        if value:
            lines.append(f"\n{label}: ", style="dim")
            lines.append(value)
    counts = (
        f"{len(analysis.sentences)} sentences · {len(analysis.attributions)} attributions · "
        f"{len(analysis.times)} times · {len(analysis.actors)} actors · {len(analysis.events)} events"
    )
    lines.append(f"\n{counts}", style="dim")
    return Panel(lines, expand=False)


def _attributions_table(analysis: Analysis) -> Table:
    table = Table(title="Sources and what they claim", title_justify="left", show_lines=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("source")
    table.add_column("type")
    table.add_column("certainty")
    table.add_column("cue", style=STYLES["cue"])
    table.add_column("claim", ratio=1)
    times = {t.id: t for t in analysis.times}
    for index, attribution in enumerate(analysis.attributions, start=1):
        table.add_row(
            str(index),
            _source_text(attribution),
            attribution.source_type.value.replace("_", " "),
            attribution.certainty.value,
            attribution.cue.text,
            _claim_text(attribution, times),
        )
    return table


def _source_text(attribution: Attribution) -> Text:
    text = Text(attribution.source.text if attribution.source else "(unnamed)", style=STYLES["source"])
    for conduit in attribution.via:
        if conduit.span is not None:
            text.append(f"\nvia {conduit.span.text}", style="dim")
    return text


def _claim_text(attribution: Attribution, times: Mapping[str, TimeExpression]) -> Text:
    quote = '"' if attribution.direct.value == "direct" else ""
    text = Text(f"{quote}{shorten(attribution.content.text)}{quote}")
    details = [attribution.direct.value]
    if attribution.channel is not Channel.UNKNOWN:
        details.append(attribution.channel.value.replace("_", " "))
    details += [f"when: {times[i].span.text} = {times[i].value}" for i in attribution.times if i in times]
    text.append("\n" + " · ".join(details), style="dim")
    return text


def _times_table(analysis: Analysis) -> Table:
    table = Table(title="Times", title_justify="left")
    for column in ("id", "text", "type", "value", "mod", "interval", "resolved"):
        table.add_column(column)
    for time in analysis.times:
        interval = " .. ".join(time.interval) if time.interval else ""
        table.add_row(
            time.id,
            Text(time.span.text, style=STYLES["time"]),
            time.type.value,
            time.value,
            time.mod or "",
            interval,
            time.resolved or "",
        )
    return table


def _actors_table(analysis: Analysis) -> Table:
    table = Table(title="Actors", title_justify="left")
    for column in ("id", "name", "kind", "country", "sector", "role", "mentions"):
        table.add_column(column)
    for actor in analysis.actors:
        table.add_row(
            actor.id,
            actor.name,
            actor.kind.value,
            actor.country or "",
            actor.sector or "",
            actor.role or "",
            str(len(actor.mentions)),
        )
    return table


def _events_table(analysis: Analysis) -> Table:
    table = Table(title="Events", title_justify="left")
    for column in ("type", "who", "to whom", "trigger", "when", "mode"):
        table.add_column(column)
    for event in analysis.events:
        table.add_row(
            event.type,
            event.source.span.text if event.source else "",
            event.target.span.text if event.target else "",
            event.trigger.text,
            _event_date(event),
            event.mode.value + (" (negated)" if event.negated else ""),
        )
    return table


def _event_date(event: Event) -> str:
    if event.date is None or event.date.value is None:
        return ""
    return event.date.value + (" (publication)" if event.date.from_publication else "")


def marked_text(analysis: Analysis) -> RenderableType:
    """The article text with sources, cues, claims, times and actor mentions styled, and a legend."""
    text = Text(analysis.article.text)
    spans: list[tuple[Span, str]] = []
    for attribution in analysis.attributions:
        spans.append((attribution.content, STYLES["content"]))
        spans.append((attribution.cue, STYLES["cue"]))
        if attribution.source is not None:
            spans.append((attribution.source, STYLES["source"]))
    spans += [(time.span, STYLES["time"]) for time in analysis.times]
    spans += [(mention, STYLES["actor"]) for actor in analysis.actors for mention in actor.mentions]
    for span, style in spans:  # later styles win where spans nest: cue and source over content
        text.stylize(style, span.start, span.end)
    legend = Text("  ".join(f"[{name}]" for name in STYLES))
    for name, style in STYLES.items():
        legend.highlight_words([f"[{name}]"], style=style)
    return Group(_article_header(analysis), text, Text(), legend)


def failures_table(failures: Sequence[Failure], *, limit: int = 50) -> Table:
    """The failures of a batch: where, stage, code, what went wrong and what to do."""
    table = Table(title=f"{len(failures)} failed", title_justify="left", title_style="bold red")
    for column in ("where", "stage", "code", "problem", "what to do"):
        table.add_column(column, overflow="fold")
    for failure in failures[:limit]:
        table.add_row(failure.where, failure.stage, failure.code, failure.message, failure.hint or "")
    if len(failures) > limit:
        table.caption = f"{len(failures) - limit} more not shown (all are recorded in the database)"
    return table


def ingest_summary(report: IngestReport) -> Text:
    """One line: how many articles were read, analysed, stored, unchanged and failed."""
    text = Text()
    text.append(f"{report.read} read, {report.analysed} analysed, ")
    text.append(f"{report.stored} stored", style="green")
    text.append(f", {report.unchanged} unchanged, ")
    text.append(f"{report.failed} failed", style="bold red" if report.failed else "")
    text.append(f" in {report.seconds:.1f} s")
    if report.stopped:
        text.append(" (stopped at the first failure: --strict)", style="bold red")
    return text


def summary_report(summary: Summary) -> RenderableType:
    """The ledger at a glance, as ``make demo`` prints it."""
    counts = Table(title="Ledger", title_justify="left", show_header=False)
    counts.add_column(justify="left")
    counts.add_column(justify="right")
    for name, value in summary.counts.items():
        counts.add_row(name, f"{value:,}")
    tables: list[RenderableType] = [counts]
    tables.append(_counter_table("Outlets", "articles", summary.outlets.items()))
    tables.append(_counter_table("Source types", "claims", summary.source_types.items()))
    tables.append(_counter_table("Certainty", "claims", summary.certainty.items()))
    tables.append(_counter_table("Top sources", "claims", summary.top_sources))
    return Group(*tables)


def _counter_table(title: str, unit: str, rows: Iterable[tuple[str, int]], limit: int = 10) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("name")
    table.add_column(unit, justify="right")
    shown = 0
    for name, count in rows:
        if shown == limit:
            break
        table.add_row(name.replace("_", " "), f"{count:,}")
        shown += 1
    if not shown:
        table.add_row("(none)", "")
    return table


def claims_table(page: Page[ClaimRow]) -> Table:
    """Stored claims: article, source and its type, certainty, cue and content."""
    table = Table(show_lines=True)
    for column in ("article", "published", "outlet", "source", "type", "certainty", "cue", "claim"):
        table.add_column(column)
    for claim in page.items:
        table.add_row(
            claim.article_id,
            claim.published.isoformat() if claim.published else "",
            claim.outlet or "",
            Text(claim.actor_name or claim.source or "(unnamed)", style=STYLES["source"]),
            claim.source_type.replace("_", " "),
            claim.certainty,
            Text(claim.cue, style=STYLES["cue"]),
            shorten(claim.content),
        )
    if page.next_cursor:
        table.caption = f"more: --cursor {page.next_cursor}"
    return table


def search_table(page: Page[SearchHit]) -> Table:
    """Full-text hits with their snippets, matches highlighted."""
    table = Table(show_lines=True)
    for column in ("article", "kind", "title", "outlet", "snippet"):
        table.add_column(column)
    for hit in page.items:
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold reverse", start, end)
        table.add_row(hit.article_id, hit.kind, hit.title or "", hit.outlet or "", snippet)
    if page.next_cursor:
        table.caption = f"more: --cursor {page.next_cursor}"
    return table
