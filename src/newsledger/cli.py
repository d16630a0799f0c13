"""The ``newsledger`` command: thin Typer wrappers over :mod:`newsledger.api`, same names and defaults.

Exit status: 0 everything worked; 1 some articles failed (listed at the end), or nothing matched;
2 usage or fatal errors (bad option, no model, database unusable). Errors become messages in one
place, :func:`_handle_errors`; tracebacks are shown only with ``--verbose``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from newsledger import __version__
from newsledger.errors import ArticleNotFound, Failure, NewsledgerError
from newsledger.model import Certainty, SourceType

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_FATAL = 2

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="newsledger",
    help="Turn news articles into a ledger of who did and said what, to whom, when, and according to whom.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: newsledger ingest examples --db ledger.db && newsledger summary --db ledger.db",
)

_state = {"verbose": False}


def _out() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


# --- errors: the one place they become messages and exit codes -------------------------------------


def exit_code(error: BaseException) -> int:
    """The exit status for an error that ends a command."""
    return EXIT_FAILURES if isinstance(error, ArticleNotFound) else EXIT_FATAL


def _handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn coded errors (and bugs) into a one-paragraph message and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except NewsledgerError as error:
            _report_error(error.code, error.message, error.where, error.hint)
            raise typer.Exit(exit_code(error)) from None
        except BrokenPipeError:  # the reader went away (`| head`): not an error, say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except KeyboardInterrupt:
            _err().print("[red]interrupted[/]: what was stored so far is kept; re-run to go on")
            raise typer.Exit(130) from None
        except Exception as error:  # a bug: say so plainly, keep the traceback for --verbose
            message = f"internal error: {type(error).__name__}: {error}"
            _report_error("NL000", message, None, "re-run with --verbose and report it as a bug")
            raise typer.Exit(EXIT_FATAL) from None

    return wrapper


def _report_error(code: str, message: str, where: str | None, hint: str | None) -> None:
    """Print an error; called from an ``except`` block, so the traceback is at hand for --verbose."""
    console = _err()
    if _state["verbose"]:
        console.print_exception()
    location = f" [dim]{escape(where)}[/]" if where else ""
    console.print(f"[bold red]error {code}[/]{location}: {escape(message)}")
    if hint:
        console.print(f"  [yellow]hint[/]: {escape(hint)}")


def _finish(failures: list[Failure]) -> None:
    """Summarise failures and exit 1 when there were any."""
    if failures:
        from newsledger.report import failures_table

        _err().print(failures_table(failures))
        raise typer.Exit(EXIT_FAILURES)


# --- shared options ---------------------------------------------------------------------------------

Db = Annotated[
    str,
    typer.Option(
        "--db", envvar="NEWSLEDGER_DB", help="Database: a file path, sqlite:///path or postgresql://... URL."
    ),
]
Paths = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH...", help="Files (.txt, .html, .jsonl, .jsonl.gz), folders, or - for stdin."
    ),
]
Published = Annotated[
    str | None, typer.Option(help="Publication date YYYY-MM-DD, overriding the input's.", show_default=False)
]
Outlet = Annotated[str | None, typer.Option(help="Outlet name, overriding the input's.", show_default=False)]
Url = Annotated[str | None, typer.Option(help="Article URL, overriding the input's.", show_default=False)]
Title = Annotated[str | None, typer.Option(help="Article title, overriding the input's.", show_default=False)]
Model = Annotated[
    str | None, typer.Option(help="spaCy model name or path (default: en_core_web_sm).", show_default=False)
]
NProcess = Annotated[int, typer.Option("--n-process", "-j", min=1, help="Worker processes for analysis.")]
BatchSize = Annotated[int, typer.Option(min=1, help="Articles per analysis/storage batch.")]
Strict = Annotated[bool, typer.Option("--strict", help="Stop at the first failure.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (lines) instead of tables.")]


class FormatChoice(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"


class DateOrderChoice(StrEnum):
    MDY = "mdy"
    DMY = "dmy"


class ExportChoice(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


InputFormatOpt = Annotated[
    FormatChoice | None,
    typer.Option(
        "--format", help="Input format, when the file name does not say (stdin: text).", show_default=False
    ),
]
Fields = Annotated[
    list[str] | None,
    typer.Option(
        "--field", help="Map a JSON key to a field: --field text=body (repeatable).", show_default=False
    ),
]
MaxBytes = Annotated[int, typer.Option(min=1, help="Largest article text accepted, in bytes.")]
Encoding = Annotated[
    str | None, typer.Option(help="Encoding of text/HTML files (default: UTF-8, else clean cp1252).")
]
DateOrderOpt = Annotated[
    DateOrderChoice | None,
    typer.Option(
        "--date-order",
        help="Read all-numeric published dates as month/day/year (mdy: 1/21/18) or day/month/year (dmy).",
        show_default=False,
    ),
]


def _read_kwargs(
    published: str | None,
    outlet: str | None,
    url: str | None,
    title: str | None,
    input_format: FormatChoice | None,
    field: list[str] | None,
    max_bytes: int,
    encoding: str | None,
    date_order: DateOrderChoice | None,
) -> dict[str, Any]:
    from newsledger.ingest import parse_fields

    return {
        "published": published,
        "outlet": outlet,
        "url": url,
        "title": title,
        "format": input_format.value if input_format else None,
        "fields": parse_fields(field or []),
        "max_bytes": max_bytes,
        "encoding": encoding,
        "date_order": date_order.value if date_order else None,
    }


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsledger {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks with errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """newsledger: who did and said what, to whom, when, and according to whom, from news articles."""
    _state["verbose"] = verbose


# --- commands ---------------------------------------------------------------------------------------

_DEFAULT_MAX_BYTES = 2_000_000  # = ingest.DEFAULT_MAX_BYTES, inlined so --help does not import the readers
_DEFAULT_BATCH = 8  # = analyze.pipeline.DEFAULT_BATCH_SIZE, for the same reason


@app.command(epilog="Example: newsledger analyze examples/02_crimea_annexation.txt --json > out.jsonl")
@_handle_errors
def analyze(
    paths: Paths,
    as_json: AsJson = False,
    published: Published = None,
    outlet: Outlet = None,
    url: Url = None,
    title: Title = None,
    model: Model = None,
    n_process: NProcess = 1,
    batch_size: BatchSize = _DEFAULT_BATCH,
    strict: Strict = False,
    input_format: InputFormatOpt = None,
    field: Fields = None,
    max_bytes: MaxBytes = _DEFAULT_MAX_BYTES,
    encoding: Encoding = None,
    date_order: DateOrderOpt = None,
) -> None:
    """Analyse articles and print who claims what, times, actors and events (nothing is stored)."""
    from newsledger import api, report

    results = api.analyze(
        paths,
        model=model,
        n_process=n_process,
        batch_size=batch_size,
        **_read_kwargs(published, outlet, url, title, input_format, field, max_bytes, encoding, date_order),
    )
    failures: list[Failure] = []
    out = _out()
    with contextlib.closing(results):
        for result in results:
            if isinstance(result, Failure):
                failures.append(result)
                if strict:
                    break
            elif as_json:
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            else:
                out.print(report.analysis_report(result))
                out.print()
    _finish(failures)


@app.command(epilog="Example: newsledger ingest ../shared/corpus/cc-by/articles.jsonl --db ledger.db -j 2")
@_handle_errors
def ingest(
    paths: Paths,
    db: Db = "newsledger.db",
    n_process: NProcess = 1,
    batch_size: BatchSize = _DEFAULT_BATCH,
    strict: Strict = False,
    force: Annotated[
        bool, typer.Option("--force", help="Re-analyse articles even when stored unchanged.")
    ] = False,
    published: Published = None,
    outlet: Outlet = None,
    url: Url = None,
    title: Title = None,
    model: Model = None,
    input_format: InputFormatOpt = None,
    field: Fields = None,
    max_bytes: MaxBytes = _DEFAULT_MAX_BYTES,
    encoding: Encoding = None,
    date_order: DateOrderOpt = None,
    as_json: AsJson = False,
) -> None:
    """Read, analyse and store articles; failures are recorded and listed at the end."""
    from newsledger import api
    from newsledger.ingest import count_items

    read_kwargs = _read_kwargs(
        published, outlet, url, title, input_format, field, max_bytes, encoding, date_order
    )
    options = api.read_options(**read_kwargs)
    with _progress("ingest", count_items(paths, options)) as update:
        result = api.ingest(
            paths,
            db=db,
            n_process=n_process,
            batch_size=batch_size,
            strict=strict,
            force=force,
            progress=update,
            model=model,
            **read_kwargs,
        )
    _print_report(result, as_json=as_json)
    _finish(result.failures)


@app.command(epilog="Example: newsledger reanalyze --db ledger.db --force")
@_handle_errors
def reanalyze(
    db: Db = "newsledger.db",
    force: Annotated[
        bool, typer.Option("--force", help="Re-analyse every article, not only outdated ones.")
    ] = False,
    n_process: NProcess = 1,
    batch_size: BatchSize = _DEFAULT_BATCH,
    strict: Strict = False,
    model: Model = None,
    as_json: AsJson = False,
) -> None:
    """Re-run the analysis on stored articles analysed by another version (all with --force)."""
    from newsledger import api

    with _progress("reanalyze", None) as update:
        result = api.reanalyze(
            db=db,
            force=force,
            n_process=n_process,
            batch_size=batch_size,
            strict=strict,
            progress=update,
            model=model,
        )
    _print_report(result, as_json=as_json)
    _finish(result.failures)


@app.command(epilog="Example: newsledger show 1f0c9a2b3d4e5f60 --db ledger.db --text")
@_handle_errors
def show(
    article_id: Annotated[str, typer.Argument(help="The article id (see search, claims or export).")],
    db: Db = "newsledger.db",
    text: Annotated[
        bool, typer.Option("--text", help="Print the text with sources, claims and times marked.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Show one stored article: a structured listing of its records, or its text with spans marked."""
    from newsledger import api, report

    analysis = api.show(article_id, db=db)
    if as_json:
        sys.stdout.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
    else:
        _out().print(report.marked_text(analysis) if text else report.analysis_report(analysis))


@app.command(epilog="Example: newsledger search '\"nuclear deal\" Iran -Israel' --db ledger.db")
@_handle_errors
def search(
    query: Annotated[str, typer.Argument(help='Words (all must match), "phrases", OR, -word.')],
    db: Db = "newsledger.db",
    limit: Annotated[int, typer.Option(min=1, help="Hits per page.")] = 20,
    cursor: Annotated[str | None, typer.Option(help="Next page (printed under the table).")] = None,
    as_json: AsJson = False,
) -> None:
    """Full-text search over article texts and claim contents."""
    from newsledger import api, report

    page = api.search(query, db=db, limit=limit, cursor=cursor)
    _print_page(page, report.search_table, as_json=as_json)


@app.command(
    epilog="Example: newsledger claims --source-type anonymous_group --since 2019-01-01 --db ledger.db"
)
@_handle_errors
def claims(
    db: Db = "newsledger.db",
    source_type: Annotated[
        SourceType | None, typer.Option(help="Kind of source.", show_default=False)
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(help="Source actor: KB id, or whole words of its name (the last may be a prefix)."),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name.")] = None,
    certainty: Annotated[
        Certainty | None, typer.Option(help="Commitment of the source.", show_default=False)
    ] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    article: Annotated[str | None, typer.Option(help="Only this article id.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Claims per page.")] = 50,
    cursor: Annotated[str | None, typer.Option(help="Next page (printed under the table).")] = None,
    as_json: AsJson = False,
) -> None:
    """Who claims what: stored attributions, filtered by source type, actor, outlet, date, certainty."""
    from newsledger import api, report

    page = api.claims(
        db=db,
        source_type=source_type.value if source_type else None,
        actor=actor,
        outlet=outlet,
        certainty=certainty.value if certainty else None,
        since=since,
        until=until,
        article_id=article,
        limit=limit,
        cursor=cursor,
    )
    _print_page(page, report.claims_table, as_json=as_json)


@app.command(epilog="Example: newsledger export --format csv --out claims.csv --db ledger.db")
@_handle_errors
def export(
    db: Db = "newsledger.db",
    export_format: Annotated[
        ExportChoice, typer.Option("--format", help="jsonl: one analysis a line; csv: one claim a row.")
    ] = ExportChoice.JSONL,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")] = None,
) -> None:
    """Export the ledger: every analysis as JSON Lines (docs/schema.md), or the claims as CSV."""
    from newsledger import api

    count = api.export(db=db, format=export_format.value, out=out)
    if out is not None:
        _err().print(f"{count:,} rows written to {out}")


@app.command(epilog="Example: newsledger summary --db ledger.db")
@_handle_errors
def summary(db: Db = "newsledger.db", as_json: AsJson = False) -> None:
    """Counts: articles, outlets, top sources and source types, attributions, times, events, failures."""
    from newsledger import api, report

    result = api.summary(db=db)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        _out().print(report.summary_report(result))


# --- helpers ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[Any], None]]:
    """A Rich progress bar on stderr, fed with the running IngestReport."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=_err(),
        transient=True,
    )
    task = progress.add_task(label, total=total, failed=0)

    def update(report: Any) -> None:
        progress.update(task, completed=report.processed, failed=report.failed)

    with progress:
        yield update


def _print_report(result: Any, *, as_json: bool) -> None:
    from newsledger import report

    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        _err().print(report.ingest_summary(result))


def _print_page(page: Any, table: Callable[[Any], Any], *, as_json: bool) -> None:
    if as_json:
        for item in page.items:
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    elif page.items:
        _out().print(table(page))
    else:
        _err().print("nothing found")


# === commands of other components ===================================================================
# Owners mount their commands here, one block each, and nowhere else in this file:
# - evaluation: ``@eval_app.command("times")`` etc. (``newsledger eval times|attributions|events``);
# - knowledge base: ``app.add_typer(kb_app, name="kb")`` with ``kb_app`` defined in newsledger.kb;
# - events listing: ``@app.command("events")``.

eval_app = typer.Typer(
    name="eval", help="Score newsledger against gold data (../shared/gold).", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

from newsledger.eval.attributions import attributions_command  # noqa: E402  (attributions owner's block)

eval_app.command("attributions", epilog="Example: newsledger eval attributions ../shared/gold/polnear/dev")(
    _handle_errors(attributions_command)
)

from newsledger.eval.times import times_command  # noqa: E402  (times owner's block)

eval_app.command("times", epilog="Example: newsledger eval times ../shared/gold/tempeval3/TBAQ-cleaned")(
    _handle_errors(times_command)
)

from newsledger.eval.events import events_command as eval_events_command  # noqa: E402  (events owner)

eval_app.command("events", epilog="Example: newsledger eval events ../shared/gold/plover/gsr-dev.jsonl")(
    _handle_errors(eval_events_command)
)

from newsledger.analyze.events.cli import (  # noqa: E402  (events owner)
    events_command,
    export_events_command,
    import_cameo_verbs_command,
)

events_app = typer.Typer(help="Stored events; import-cameo-verbs converts a CAMEO verb dictionary.")
events_app.callback(
    invoke_without_command=True,
    epilog="Example: newsledger events --type ASSAULT --since 2022-02-01 --db ledger.db",
)(_handle_errors(events_command))
events_app.command(
    "import-cameo-verbs",
    epilog="Example: newsledger events import-cameo-verbs ../shared/kb/phoenix/CAMEO.2.0.txt --out verbs",
)(_handle_errors(import_cameo_verbs_command))
app.add_typer(events_app, name="events")
app.command("export-events", epilog="Example: newsledger analyze a.txt --json | newsledger export-events -")(
    _handle_errors(export_events_command)
)

from newsledger.kb.cli import kb_app  # noqa: E402  (mounted here, in the owners' block)

app.add_typer(kb_app, name="kb")


# web (newsledger.web): ``newsledger serve``
@app.command(
    epilog="Example: newsledger serve --db ledger.db --port 8000  (then open http://127.0.0.1:8000/)"
)
@_handle_errors
def serve(
    db: Db = "newsledger.db",
    host: Annotated[
        str, typer.Option(help="Address to listen on; other than loopback exposes the ledger.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    allow_ingest: Annotated[
        bool, typer.Option("--allow-ingest", help="Accept articles through the UI and API.")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(envvar="NEWSLEDGER_TOKEN", help="Ingest token (default: generated, printed)."),
    ] = None,
    max_body: Annotated[
        int, typer.Option(min=1, help="Largest request body accepted, in bytes.")
    ] = 1_000_000,
    cors_origin: Annotated[
        list[str] | None, typer.Option(help="Origin allowed to call the API from a browser (repeatable).")
    ] = None,
    model: Model = None,
) -> None:
    """Browse the ledger in a web browser and query it as JSON (read-only unless --allow-ingest)."""
    from newsledger.web.server import serve as run_server

    run_server(
        db=db,
        host=host,
        port=port,
        allow_ingest=allow_ingest,
        token=token,
        max_body=max_body,
        cors_origins=tuple(cors_origin or ()),
        model=model,
    )


# === end of commands of other components ============================================================


def main() -> None:
    """Entry point of the ``newsledger`` script."""
    app()
