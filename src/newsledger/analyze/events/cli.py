"""Commands for events: ``newsledger events`` (stored events), ``newsledger events import-cameo-verbs``
(a user's PETRARCH verb dictionary) and ``newsledger export-events`` (tabular).

Thin wrappers mounted in ``newsledger.cli``'s owners' block; the work is done by
:meth:`newsledger.store.Store.events` and :func:`newsledger.export_events.write_event_rows`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsledger.errors import BadMetadata, MalformedRecord
from newsledger.model import Analysis


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise BadMetadata(f"{option} {value!r} is not a date", hint="use YYYY-MM-DD") from error


def events_command(
    ctx: typer.Context,
    db: Annotated[
        str, typer.Option("--db", envvar="NEWSLEDGER_DB", help="Database file or URL.")
    ] = "newsledger.db",
    actor: Annotated[str | None, typer.Option(help="Source or target: KB id or part of its name.")] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT, or STATEMENT.")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 of source, target or place.")] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Events per page.")] = 50,
    cursor: Annotated[str | None, typer.Option(help="Next page (printed under the table).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines instead of a table.")] = False,
) -> None:
    """Stored events, latest first, filtered by actor, PLOVER type, country and date.

    Example: newsledger events --type CONSULT --actor Putin --since 2022-01-01 --db ledger.db
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsledger.store import Store

    with Store(db, create=False) as store:
        page = store.events(
            type=event_type.upper() if event_type else None,
            actor=actor,
            country=country,
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            limit=limit,
            cursor=cursor,
        )
    if as_json:
        for row in page.items:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False, default=str) + "\n")
        return
    console = Console(highlight=False)
    if not page.items:
        Console(stderr=True).print("no events found")
        raise typer.Exit(1)
    table = Table("date", "type", "mode", "source", "trigger", "target", "place", "article")
    for row in page.items:
        when = row.date_value or ""
        if row.date_from_publication:
            when += " (published)"
        table.add_row(
            when,
            f"{row.type} {row.cameo or ''}".strip(),
            row.mode,
            row.source.text if row.source else "",
            row.trigger,
            row.target.text if row.target else "",
            row.location or "",
            row.article_id,
        )
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


def import_cameo_verbs_command(
    source: Annotated[Path, typer.Argument(help="PETRARCH's CAMEO verb dictionary (CAMEO.2.0.txt).")],
    out: Annotated[
        Path, typer.Option("--out", envvar="NEWSLEDGER_DATA", help="Directory for the converted files.")
    ],
) -> None:
    """Convert a CAMEO verb dictionary for the event coder (use it with $NEWSLEDGER_EVENTS_PATH=DIR).

    Example: newsledger events import-cameo-verbs ../shared/kb/phoenix/CAMEO.2.0.txt --out verbs
    """
    from newsledger.analyze.events.petrarch import import_cameo_verbs

    blocks, synsets = import_cameo_verbs(source, out)
    Console(stderr=True).print(
        f"{blocks} verb blocks and {synsets} synonym sets written to {out}; "
        f"use them with NEWSLEDGER_EVENTS_PATH={out}"
    )


def _analyses(path: str) -> Iterator[Analysis]:
    handle = sys.stdin if path == "-" else open(Path(path), encoding="utf-8")  # noqa: SIM115  (closed below; stdin too)
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield Analysis.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise MalformedRecord(
                    f"not an analysis record: {error}",
                    where=f"{path}:{number}",
                    hint="pass the output of `newsledger analyze --json`",
                ) from error


def export_events_command(
    analyses: Annotated[
        str, typer.Argument(help="JSON lines from `newsledger analyze --json`, or - for stdin.")
    ],
    out: Annotated[Path | None, typer.Option(help="Output file (default: stdout).")] = None,
    csv_format: Annotated[
        bool, typer.Option("--csv", help="Comma-separated instead of tab-separated.")
    ] = False,
) -> None:
    """Events as GDELT/PLOVER-style rows: actor codes, type, CAMEO code, date, place, URL, offsets.

    Example: newsledger analyze article.txt --json | newsledger export-events - --out events.tsv
    """
    from newsledger.export_events import write_event_rows

    delimiter = "," if csv_format else "\t"
    if out is None:
        write_event_rows(_analyses(analyses), sys.stdout, delimiter=delimiter)
        return
    with open(out, "w", encoding="utf-8", newline="") as handle:
        count = write_event_rows(_analyses(analyses), handle, delimiter=delimiter)
    Console(stderr=True).print(f"{count} events written to {out}")
