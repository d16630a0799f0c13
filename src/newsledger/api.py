"""The Python API: the same verbs, names and defaults as the CLI (``newsledger ingest`` = ``ingest()``).

Reading, analysis and storage stream: ``ingest`` holds at most a few batches of articles in memory
whatever the corpus size, records every failure and carries on (unless ``strict``).
"""

from __future__ import annotations

import collections
import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from newsledger.analyze.pipeline import ANALYZER_VERSION, DEFAULT_BATCH_SIZE, analyze_many, build_pipeline
from newsledger.errors import BadMetadata, BadOption, Failure, NewsledgerError
from newsledger.ingest import (
    DEFAULT_MAX_BYTES,
    DateOrder,
    InputFormat,
    Metadata,
    ReadOptions,
    parse_date,
    read,
)
from newsledger.model import Analysis, Article
from newsledger.store import DEFAULT_DB, MAX_LIMIT, ClaimRow, Page, SearchHit, Store

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "DEFAULT_DB",
    "IngestReport",
    "Summary",
    "analyze",
    "analyze_text",
    "claims",
    "export",
    "ingest",
    "reanalyze",
    "search",
    "show",
    "summary",
]

Source = str | os.PathLike[str] | Article
Sources = Source | Iterable[Source]
ExportFormat = Literal["jsonl", "csv"]
#: A database path or URL, or an open Store (left open: the caller owns it).
Db = str | Path | Store


@dataclasses.dataclass(slots=True, kw_only=True)
class IngestReport:
    """What ``ingest``/``reanalyze`` did, filled in as it runs (``progress`` sees it grow).

    Every input item ends up exactly once in ``stored``, ``unchanged`` or ``failures``; ``read`` counts
    the articles read successfully and ``analysed`` those that went through the model.
    """

    read: int = 0
    analysed: int = 0
    stored: int = 0
    unchanged: int = 0
    failures: list[Failure] = dataclasses.field(default_factory=list)
    stopped: bool = False  # ``strict`` stopped the run at the first failure
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def processed(self) -> int:
        """Items accounted for so far."""
        return self.stored + self.unchanged + self.failed

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "analysed": self.analysed,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "stopped": self.stopped,
            "seconds": round(self.seconds, 3),
            "failures": [f.to_dict() for f in self.failures],
        }


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Counts over a whole ledger, as ``newsledger summary`` prints them."""

    counts: dict[str, int]  # articles, sentences, entities, actors, times, attributions, events, failures
    outlets: dict[str, int]  # articles per outlet, most first ("unknown" when none)
    source_types: dict[str, int]  # attributions per source type, most first
    certainty: dict[str, int]  # attributions per certainty, most first
    top_sources: list[tuple[str, int]]  # actor name, number of claims it is the source of

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- analysis without a database -------------------------------------------------------------------


def analyze(
    sources: Sources,
    *,
    published: dt.date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    model: str | None = None,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    format: InputFormat | str | None = None,  # noqa: A002 - the CLI option's name
    fields: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    date_order: DateOrder | str | None = None,
    stdin: IO[bytes] | None = None,
) -> Generator[Analysis | Failure, None, None]:
    """Analyse files, folders, ``-`` (stdin) or Article objects: an Analysis or a Failure for each item.

    Options are checked at once (raising NL110); the items are read and analysed lazily, in order.
    ``published``/``outlet``/``url``/``title`` override the inputs' own metadata. To analyse a string,
    use :func:`analyze_text`.

    >>> for result in analyze("examples", published="2023-01-10"):  # doctest: +SKIP
    ...     print(result.article.id, len(result.attributions))
    """
    options = read_options(
        published=published,
        outlet=outlet,
        url=url,
        title=title,
        format=format,
        fields=fields,
        max_bytes=max_bytes,
        encoding=encoding,
        date_order=date_order,
    )
    _check_workers(n_process, batch_size)
    return _analyze(
        sources, options, model=model, nlp=nlp, n_process=n_process, batch_size=batch_size, stdin=stdin
    )


def analyze_text(
    text: str,
    *,
    id: str | None = None,  # noqa: A002 - the record's field name
    published: dt.date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    model: str | None = None,
    nlp: Language | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Analysis:
    """Analyse one text; raises the coded error (NL104 empty, NL107 too large...) when it cannot.

    >>> analyze_text("Officials said talks would resume.", published="2023-01-10")  # doctest: +SKIP
    """
    options = read_options(published=published, outlet=outlet, url=url, title=title, max_bytes=max_bytes)
    article = options.article(text, {"id": id}, where=id or "text", origin=None)
    result = next(analyze_many([article], nlp=nlp or pipeline(model)))
    if isinstance(result, Failure):
        raise _as_error(result)
    return result


def _analyze(
    sources: Sources,
    options: ReadOptions,
    *,
    model: str | None,
    nlp: Language | None,
    n_process: int,
    batch_size: int,
    stdin: IO[bytes] | None,
) -> Generator[Analysis | Failure, None, None]:
    flow = _Flow()
    results = analyze_many(
        flow.articles(_read_all(sources, options, stdin=stdin)),
        nlp=_pipeline_for(nlp, model, n_process),
        model=model,
        n_process=n_process,
        batch_size=batch_size,
    )
    yield from flow.merge(results)


def _read_all(
    sources: Sources, options: ReadOptions, *, stdin: IO[bytes] | None = None
) -> Iterator[Article | Failure]:
    """The articles (or read failures) of ``sources``; Article objects pass through as they are."""
    items: Iterable[Source] = [sources] if isinstance(sources, str | os.PathLike | Article) else sources
    for item in items:
        if isinstance(item, Article):
            yield item
        else:
            yield from read(item, options, stdin=stdin)


class _Flow:
    """Articles on their way to analysis: kept in input order with the read failures, and bounded.

    Analysis works in batches, maybe in other processes, so a read failure that came after article n
    is held back and reported right after article n's result: output stays in input order and
    ``strict`` stops exactly at the first bad item. ``analyze_many`` reads its input only as fast
    as it analyses, so nothing here needs bounding.
    """

    def __init__(self) -> None:
        self._held: collections.deque[tuple[int, Failure]] = collections.deque()
        self._count = 0

    def articles(self, items: Iterable[Article | Failure]) -> Iterator[Article]:
        """The articles of ``items``; failures are held back with their position."""
        for item in items:
            if isinstance(item, Failure):
                self._held.append((self._count, item))
                continue
            self._count += 1
            yield item

    def merge(self, results: Iterator[Analysis | Failure]) -> Generator[Analysis | Failure, None, None]:
        """``results`` (one per article) with the held failures put back in place."""
        try:
            for index, result in enumerate(results):
                yield from self._before(index)
                yield result
            yield from self._before(None)
        finally:
            _close(results)  # when stopped early, this ends the worker processes at once

    def _before(self, index: int | None) -> Iterator[Failure]:
        while self._held and (index is None or self._held[0][0] <= index):
            yield self._held.popleft()[1]


# --- the ledger ------------------------------------------------------------------------------------


def ingest(
    sources: Sources,
    *,
    db: Db = DEFAULT_DB,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    strict: bool = False,
    force: bool = False,
    progress: Callable[[IngestReport], None] | None = None,
    published: dt.date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    model: str | None = None,
    nlp: Language | None = None,
    format: InputFormat | str | None = None,  # noqa: A002 - the CLI option's name
    fields: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    date_order: DateOrder | str | None = None,
    stdin: IO[bytes] | None = None,
) -> IngestReport:
    """Read, analyse and store ``sources`` into the database ``db`` (a path or URL).

    Articles already stored with the same text, metadata and analyzer version are skipped (counted
    as ``unchanged``) unless ``force``. Failures are recorded in the database and the report; with
    ``strict`` the run stops at the first one. Raises the store's errors (NL3xx) when the database
    cannot be used at all. ``progress`` is called with the report after each item.

    >>> report = ingest(["examples"], db="ledger.db")  # doctest: +SKIP
    >>> report.stored, report.failed  # doctest: +SKIP
    """
    options = read_options(
        published=published,
        outlet=outlet,
        url=url,
        title=title,
        format=format,
        fields=fields,
        max_bytes=max_bytes,
        encoding=encoding,
        date_order=date_order,
    )
    _check_workers(n_process, batch_size)
    report = IngestReport()
    started = time.perf_counter()
    with _open(db, create=True) as store:
        flow = _Flow()

        def fresh(items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
            for item in items:
                if isinstance(item, Failure):
                    yield item
                    continue
                report.read += 1
                if not force and _unchanged(store, item):
                    report.unchanged += 1
                    _notify(progress, report, started)
                else:
                    yield item

        results = analyze_many(
            flow.articles(fresh(_read_all(sources, options, stdin=stdin))),
            nlp=_pipeline_for(nlp, model, n_process),
            model=model,
            n_process=n_process,
            batch_size=batch_size,
        )
        _run(
            store,
            flow.merge(results),
            report,
            strict=strict,
            replace=force,
            progress=progress,
            batch_size=batch_size,
            started=started,
        )
    report.seconds = time.perf_counter() - started
    return report


def reanalyze(
    *,
    db: Db = DEFAULT_DB,
    force: bool = False,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    strict: bool = False,
    progress: Callable[[IngestReport], None] | None = None,
    model: str | None = None,
    nlp: Language | None = None,
) -> IngestReport:
    """Re-run the analysis on the stored article texts whose analyzer version differs (all with ``force``).

    Each article's records are replaced atomically; up-to-date articles count as ``unchanged``.
    """
    _check_workers(n_process, batch_size)
    report = IngestReport()
    started = time.perf_counter()
    with _open(db) as store:

        def outdated() -> Iterator[Article]:
            for article_id in list(store.article_ids()):  # ids first: rows are replaced as we go
                stored = store.get(article_id)
                report.read += 1
                if force or stored.analyzer_version != ANALYZER_VERSION:
                    yield stored.article
                else:
                    report.unchanged += 1
                    _notify(progress, report, started)

        # outdated() yields only articles (no read failures), so no _Flow is needed to keep order.
        results = analyze_many(
            outdated(),
            nlp=_pipeline_for(nlp, model, n_process),
            model=model,
            n_process=n_process,
            batch_size=batch_size,
        )
        _run(
            store,
            results,
            report,
            strict=strict,
            replace=True,
            progress=progress,
            batch_size=batch_size,
            started=started,
        )
    report.seconds = time.perf_counter() - started
    return report


def _run(
    store: Store,
    results: Generator[Analysis | Failure, None, None],
    report: IngestReport,
    *,
    strict: bool,
    replace: bool,
    progress: Callable[[IngestReport], None] | None,
    batch_size: int,
    started: float,
) -> None:
    """Store analyses in batches and record failures as they come, until done or ``strict`` stops."""
    batch: list[Analysis] = []

    def flush() -> None:
        if batch:
            saved = store.save_many(batch, replace=replace)
            report.stored += saved.saved
            report.unchanged += saved.unchanged
            report.failures.extend(saved.failures)
            batch.clear()
            _notify(progress, report, started)

    def fail(failure: Failure) -> bool:
        store.record_failure(failure)
        report.failures.append(failure)
        _notify(progress, report, started)
        return strict

    with contextlib.closing(results):
        for result in results:
            if isinstance(result, Failure):
                if fail(result):
                    break
                continue
            report.analysed += 1
            batch.append(result)
            if len(batch) >= batch_size:
                flush()
                if strict and report.failures:
                    break
    flush()
    report.stopped = strict and bool(report.failures)


@contextlib.contextmanager
def _open(db: Db, *, create: bool = False) -> Iterator[Store]:
    """The store for ``db``: opened and closed here, or the caller's own, left open."""
    if isinstance(db, Store):
        yield db
    else:
        with Store(db, create=create) as store:
            yield store


def _close(results: Iterator[Any]) -> None:
    """Close a generator now: when ``strict`` ends a run early this stops the worker processes."""
    close = getattr(results, "close", None)
    if close is not None:
        close()


def _unchanged(store: Store, article: Article) -> bool:
    """Whether ``article`` is stored with the same text and metadata by this analyzer version (its
    stored hash and version are compared: no stored records are read)."""
    return store.is_current(article, ANALYZER_VERSION)


def _notify(progress: Callable[[IngestReport], None] | None, report: IngestReport, started: float) -> None:
    if progress is not None:
        report.seconds = time.perf_counter() - started
        progress(report)


def show(article_id: str, *, db: Db = DEFAULT_DB) -> Analysis:
    """The stored analysis of one article; raises NL305 when there is none."""
    with _open(db) as store:
        return store.get(article_id)


def search(query: str, *, db: Db = DEFAULT_DB, limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
    """Ranked full-text hits in article texts and claim contents (words, "phrases", OR, -word)."""
    with _open(db) as store:
        return store.search(query, limit=limit, cursor=cursor)


def claims(
    *,
    db: Db = DEFAULT_DB,
    source_type: str | None = None,
    actor: str | None = None,
    outlet: str | None = None,
    certainty: str | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    article_id: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[ClaimRow]:
    """Who claims what: stored attributions, newest article first, filtered by any of the options."""
    first, last = _option_date(since, "since"), _option_date(until, "until")
    with _open(db) as store:
        return store.claims(
            source_type=source_type,
            actor=actor,
            outlet=outlet,
            certainty=certainty,
            since=first,
            until=last,
            article_id=article_id,
            limit=limit,
            cursor=cursor,
        )


def export(
    *,
    db: Db = DEFAULT_DB,
    format: ExportFormat = "jsonl",  # noqa: A002 - the CLI option's name
    out: str | Path | IO[str] | None = None,
) -> int:
    """Write the ledger to ``out`` (a path, a text stream, or stdout) and return the number of rows.

    ``jsonl``: one Analysis a line, exactly as ``analyze --json`` prints it (docs/schema.md).
    ``csv``: one claim (attribution) a row with its article's metadata, the columns of ``ClaimRow``.
    """
    if format not in ("jsonl", "csv"):
        raise BadOption(f"unknown export format {format!r}", hint="use jsonl or csv")
    with _open(db) as store, _output(out) as stream:
        if format == "jsonl":
            count = 0
            for analysis in store.export():
                stream.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
                count += 1
            return count
        return _write_claims_csv(store, stream)


def _write_claims_csv(store: Store, stream: IO[str]) -> int:
    columns = [f.name for f in dataclasses.fields(ClaimRow)]
    writer = csv.DictWriter(stream, fieldnames=columns)
    writer.writeheader()
    count = 0
    cursor: str | None = None
    while True:
        page = store.claims(limit=MAX_LIMIT, cursor=cursor)
        for row in page.items:
            data = row.to_dict()
            data["via"] = json.dumps(data["via"], ensure_ascii=False)
            writer.writerow(data)
            count += 1
        cursor = page.next_cursor
        if cursor is None:
            return count


@contextlib.contextmanager
def _output(out: str | Path | IO[str] | None) -> Iterator[IO[str]]:
    if out is None:
        yield sys.stdout
    elif isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream
    else:
        yield out


def summary(*, db: Db = DEFAULT_DB, top: int = 10) -> Summary:
    """Counts of articles, outlets, sources, source types, attributions, times, events and failures."""
    with _open(db) as store:
        outlets = store.outlet_counts()
        facets = store.claim_facets()
        sources = [(row.name, row.claims) for row in store.actors(limit=MAX_LIMIT).items if row.claims]
        sources.sort(key=lambda item: (-item[1], item[0]))
        return Summary(
            counts=store.stats(),
            outlets=outlets,
            source_types=dict(Counter(facets.get("source_type", {})).most_common()),
            certainty=dict(Counter(facets.get("certainty", {})).most_common()),
            top_sources=sources[:top],
        )


# --- helpers ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def pipeline(model: str | None = None) -> Language:
    """The analysis pipeline for ``model``, built once per process (loading takes seconds)."""
    return build_pipeline(model)


def _pipeline_for(nlp: Language | None, model: str | None, n_process: int) -> Language | None:
    # Worker processes build their own pipeline; only a single-process run needs one here.
    return None if n_process > 1 else nlp or pipeline(model)


def read_options(
    *,
    published: dt.date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    format: InputFormat | str | None = None,  # noqa: A002
    fields: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    date_order: DateOrder | str | None = None,
) -> ReadOptions:
    """Reader options from API/CLI arguments, or NL110 naming the bad one."""
    try:
        fmt = InputFormat(format) if format is not None else None
    except ValueError as error:
        raise BadOption(f"unknown format {format!r}", hint="use text, html or jsonl") from error
    try:
        order = DateOrder(date_order) if date_order is not None else None
    except ValueError as error:
        raise BadOption(
            f"unknown date order {date_order!r}", hint="use mdy (US: 1/21/18) or dmy (21/1/18)"
        ) from error
    metadata = Metadata(title=title, published=_option_date(published, "published"), outlet=outlet, url=url)
    return ReadOptions(
        format=fmt,
        fields=dict(fields or {}),
        metadata=metadata,
        max_bytes=max_bytes,
        encoding=encoding,
        date_order=order,
    )


def _option_date(value: dt.date | str | None, name: str) -> dt.date | None:
    try:
        return parse_date(value, where=f"--{name}", field=name)
    except BadMetadata as error:
        raise BadOption(error.message, where=error.where, hint="give the date as YYYY-MM-DD") from error


def _check_workers(n_process: int, batch_size: int) -> None:
    if n_process < 1:
        raise BadOption(f"n_process must be 1 or more, not {n_process}")
    if batch_size < 1:
        raise BadOption(f"batch_size must be 1 or more, not {batch_size}")


def _as_error(failure: Failure) -> NewsledgerError:
    """The exception a single-text call raises for a Failure: the error class with the same code."""
    classes = [NewsledgerError]
    while classes:
        cls = classes.pop()
        if cls.code == failure.code:
            return cls(failure.message, where=failure.where, hint=failure.hint)
        classes.extend(cls.__subclasses__())
    return NewsledgerError(failure.message, where=failure.where, hint=failure.hint)
