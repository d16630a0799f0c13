"""``newsledger kb ...``: look names up and import actor dictionaries (thin layer over newsledger.kb)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.errors import NewsledgerError
from newsledger.kb.entries import EntryKind, write_entries
from newsledger.kb.lookup import KB_PATH_ENV, KnowledgeBase
from newsledger.kb.phoenix import import_phoenix as _import_phoenix
from newsledger.kb.wikidata import default_country_qids
from newsledger.kb.wikidata import import_wikidata as _import_wikidata

kb_app = typer.Typer(
    name="kb",
    help="The actor knowledge base: look names up, import Phoenix or Wikidata files.",
    no_args_is_help=True,
)

KbOption = Annotated[
    list[Path] | None,
    typer.Option("--kb", help=f"Extra KB file or folder (repeatable); also ${KB_PATH_ENV}."),
]


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Coded errors become one message on stderr and exit status 2."""
    try:
        yield
    except NewsledgerError as error:
        where = escape(f" [{error.where}]") if error.where else ""
        hint = f"\n  hint: {escape(error.hint)}" if error.hint else ""
        Console(stderr=True, highlight=False).print(
            f"[red]{error.code}[/]{where}: {escape(error.message)}{hint}"
        )
        raise typer.Exit(2) from None


def _kb(paths: list[Path] | None) -> KnowledgeBase:
    if not paths:
        return KnowledgeBase.default()
    extra = [p for p in os.environ.get(KB_PATH_ENV, "").split(os.pathsep) if p]
    return KnowledgeBase.load([*extra, *paths])


@kb_app.command("lookup")
def lookup(
    name: Annotated[
        str, typer.Argument(help="A name as written in news: 'Russian President Vladimir Putin', 'FT'.")
    ],
    date: Annotated[
        str | None, typer.Option("--date", "-d", help="Day (YYYY-MM-DD) whose roles to show; default today.")
    ] = None,
    kb: KbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a match.")] = False,
) -> None:
    """Print the KB entries NAME may refer to, with the role each held on --date.

    Example: newsledger kb lookup Putin --date 2010-06-01
    """
    with _errors():
        try:
            day = dt.date.fromisoformat(date) if date else dt.date.today()
        except ValueError:
            raise typer.BadParameter(f"{date!r} is not a YYYY-MM-DD date", param_hint="--date") from None
        matches = _kb(kb).lookup(name, date=day)
        if as_json:
            for match in matches:
                data = {**dataclasses.asdict(match), "kind": match.kind.value}
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return
        if not matches:
            Console(stderr=True).print(f"no KB entry for {name!r}: it stays an unresolved mention")
            raise typer.Exit(1)
        console = Console(highlight=False)
        for m in matches:
            where = "/".join(x for x in (m.country, m.sector) if x)
            role = f"  {escape(m.role)} on {day}" if m.role else ""
            console.print(
                f"[bold]{escape(m.kb_id)}[/]  {escape(m.name)}  ({m.kind.value}) {where}{role}"
                f"  code={m.cameo_code or '-'} score={m.score:.2f} as={m.matched_as}"
            )


@kb_app.command("import-phoenix")
def import_phoenix(
    files: Annotated[list[Path], typer.Argument(help="Phoenix/PETRARCH .actors.txt or agents.txt files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the converted .jsonl files.")] = Path(
        "kb"
    ),
) -> None:
    """Convert PETRARCH/Phoenix dictionaries into KB files (use them with --kb or $NEWSLEDGER_KB_PATH).

    Example: newsledger kb import-phoenix ../shared/kb/phoenix/Phoenix.Countries.actors.txt --out kb
    """
    with _errors():
        console = Console(stderr=True, highlight=False)
        for path in files:
            target, report = _import_phoenix(path, out)
            console.print(
                f"{escape(str(path))} -> {escape(str(target))}: {report.entries} entries, "
                f"{report.roles} dated roles, {len(report.skipped)} skipped"
            )
            for reason in report.skipped[:20]:
                console.print(f"  skipped {escape(reason)}")
            if len(report.skipped) > 20:
                console.print(f"  ... and {len(report.skipped) - 20} more")


@kb_app.command("import-wikidata")
def import_wikidata(
    file: Annotated[
        Path, typer.Argument(help="Wikidata JSON: a dump, an array, or a Special:EntityData export.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="KB file to write.")] = Path("kb/wikidata.jsonl"),
    kind: Annotated[
        EntryKind | None, typer.Option("--kind", help="Kind for every item, when P31 does not tell.")
    ] = None,
) -> None:
    """Convert Wikidata entities into a KB file (labels, aliases, country, positions held with dates).

    Example: newsledger kb import-wikidata Q7747.json --out kb/wikidata.jsonl
    """
    with _errors():
        entries = _import_wikidata(file, known_countries=default_country_qids(), kind=kind)
        count = write_entries(entries, out)
        Console(stderr=True, highlight=False).print(
            f"{escape(str(file))} -> {escape(str(out))}: {count} entries"
        )


@kb_app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="KB files or folders; default: the packaged KB.")
    ] = None,
) -> None:
    """Load and validate KB files, printing counts by kind; errors name file:line:field.

    Example: newsledger kb validate kb/
    """
    with _errors():
        kb = KnowledgeBase.load(paths or [], include_default=not paths)
        counts: dict[str, int] = {}
        for entry in kb.entries:
            counts[entry.kind.value] = counts.get(entry.kind.value, 0) + 1
        roles = sum(len(e.roles) for e in kb.entries)
        qids = sum(1 for e in kb.entries if e.qid)
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        Console(highlight=False).print(
            f"{len(kb.entries)} entries ({summary}); {roles} roles; {qids} with QIDs"
        )
