"""Pipeline assembly: spaCy model + newsledger components, and Doc -> Analysis.

Components, in order (each a registered factory usable in any spaCy pipeline):
``newsledger_times`` -> ``newsledger_actors`` -> ``newsledger_attributions`` -> ``newsledger_events``.
They read the publication date from ``doc._.published`` and write records to ``doc._.times``,
``doc._.actors``, ``doc._.attributions``, ``doc._.events``.
"""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import os
from collections.abc import Generator, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any

from newsledger import __version__
from newsledger.errors import AnalysisError, Failure, NewsledgerError
from newsledger.model import Analysis, Article, Entity, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# spaCy, the models and the components are imported only where a pipeline is built: a process that
# hands articles to workers and stores their records (ingest with n_process > 1) stays small.

COMPONENTS = (
    "newsledger_times",
    "newsledger_actors",
    "newsledger_attributions",
    "newsledger_events",
)

#: Articles per batch. A worker holds up to two batches of parsed Docs: with 8 articles (rather than 32)
#: and two malloc arenas two workers peaked at about 0.6 GB each instead of 0.8-1.1 GB
#: (docs/benchmarks.md).
DEFAULT_BATCH_SIZE = 8

ANALYZER_VERSION = f"newsledger-{__version__}"


def build_pipeline(model: str | None = None, *, components: tuple[str, ...] = COMPONENTS) -> Language:
    """Load the spaCy model and add the newsledger components after it. The model's attribute ruler
    is swapped for the faster ``IndexedAttributeRuler``, which annotates the same, its parser and
    entity recogniser decode holding the GIL (``stepped``), which finds the same parses and entities,
    the model's layers multiply matrices through numpy's BLAS (``blas``), which also gives the same
    annotations, the lemmatizer tests its word lists by set lookups (``lemma_index``), which gives the
    same lemmas, line breaks become sentence boundaries before the parser runs (``paragraphs``), and
    the horizontal bar is punctuation (``tokenizer``)."""
    from newsledger.analyze import actors, attributions, events, times  # noqa: F401  (the factories)
    from newsledger.analyze.attribute_ruler import index_attribute_ruler
    from newsledger.analyze.blas import use_numpy_blas
    from newsledger.analyze.extensions import register_extensions
    from newsledger.analyze.lemma_index import index_lemma_tables
    from newsledger.analyze.paragraphs import add_paragraphs
    from newsledger.analyze.stepped import step_decoders
    from newsledger.analyze.tokenizer import split_horizontal_bars
    from newsledger.nlp import load_model

    register_extensions()
    nlp = load_model(model)
    split_horizontal_bars(nlp)
    index_attribute_ruler(nlp)
    step_decoders(nlp)
    index_lemma_tables(nlp)
    use_numpy_blas(nlp)
    add_paragraphs(nlp)
    for name in components:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


def make_doc(nlp: Language, article: Article) -> Doc:
    """A tokenised Doc for ``article``, carrying its publication date for the components."""
    doc = nlp.make_doc(article.text)
    doc._.published = article.published
    return doc


def doc_to_analysis(doc: Doc, article: Article) -> Analysis:
    """Collect the records the components left on ``doc``."""
    actor_of_span: dict[tuple[int, int], str] = {}
    for actor in doc._.actors or ():
        for mention in actor.mentions:
            actor_of_span[(mention.start, mention.end)] = actor.id
    entities = tuple(
        Entity(
            span=Span(start=ent.start_char, end=ent.end_char, text=ent.text),
            label=ent.label_,
            actor_id=actor_of_span.get((ent.start_char, ent.end_char)),
        )
        for ent in doc.ents
    )
    sentences = tuple(Span(start=sent.start_char, end=sent.end_char, text=sent.text) for sent in doc.sents)
    return Analysis(
        article=article,
        entities=entities,
        actors=tuple(doc._.actors or ()),
        times=tuple(doc._.times or ()),
        attributions=tuple(doc._.attributions or ()),
        events=tuple(doc._.events or ()),
        sentences=sentences,
        analyzer_version=ANALYZER_VERSION,
    )


def analyze_article(nlp: Language, article: Article) -> Analysis:
    """Analyse one article with an already built pipeline."""
    return doc_to_analysis(nlp(make_doc(nlp, article)), article)


def _analyze_batch(nlp: Language, batch: list[Article]) -> list[Analysis | Failure]:
    results: list[Analysis | Failure] = []
    try:
        docs = list(nlp.pipe(make_doc(nlp, a) for a in batch))
    except Exception:  # one bad article must not sink the batch: retry one by one
        docs = []
    if len(docs) == len(batch):
        return [doc_to_analysis(doc, article) for doc, article in zip(docs, batch, strict=True)]
    for article in batch:
        try:
            results.append(analyze_article(nlp, article))
        except NewsledgerError as error:
            results.append(
                Failure.from_error(
                    error, stage="analyze", where=article.origin or article.id, article_id=article.id
                )
            )
        except Exception as error:  # a bug in an extractor: record it, keep the batch going
            wrapped = AnalysisError(
                f"{type(error).__name__}: {error}", hint="please report this article as a bug"
            )
            results.append(
                Failure.from_error(
                    wrapped, stage="analyze", where=article.origin or article.id, article_id=article.id
                )
            )
    return results


class _ReadError(Exception):
    """An error of the article source itself (not of an article's analysis): it goes to the caller."""


def _fed_docs(nlp: Language, articles: Iterator[Article], fed: collections.deque[Article]) -> Iterator[Doc]:
    while True:
        try:
            article = next(articles)
        except StopIteration:
            return
        except Exception as error:
            raise _ReadError() from error
        fed.append(article)
        yield make_doc(nlp, article)


def _analyze_stream(
    nlp: Language, articles: Iterator[Article], batch_size: int
) -> Iterator[Analysis | Failure]:
    """One ``nlp.pipe`` over all articles, so that the taggers' helper threads (``analyze/ahead.py``)
    tag while spaCy parses the next batch and while the caller stores the last result. Separate calls
    per batch left nothing to overlap. When the stream fails, the articles in it are redone one batch
    at a time, then one by one (``_analyze_batch``), and a new stream takes the rest; an error of the
    source itself reaches the caller once the articles read before it are done."""
    while True:
        fed: collections.deque[Article] = collections.deque()  # in the stream, not yet yielded
        stream = nlp.pipe(_fed_docs(nlp, articles, fed), batch_size=batch_size)
        failure: Exception
        try:
            for doc in stream:
                analysis = doc_to_analysis(doc, fed[0])
                fed.popleft()
                yield analysis
            return
        except Exception as error:  # one bad article must not sink the others: redo the stream's
            failure = error
        del stream  # its generators close, and with them the helper threads
        pending = list(fed)
        for start in range(0, len(pending), batch_size):
            yield from _analyze_batch(nlp, pending[start : start + batch_size])
        if isinstance(failure, _ReadError) and failure.__cause__ is not None:
            raise failure.__cause__


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# Worker state for multi-process analysis: each worker builds its pipeline once.
_worker_nlp: Language | None = None
# A worker whose pipeline cannot be built reports why on its first batch: an initializer that raises
# makes multiprocessing.Pool start replacement workers forever, and the caller would hang.
_worker_error: NewsledgerError | None = None


def _worker_init(model: str | None) -> None:
    global _worker_nlp, _worker_error
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from newsledger.analyze.ahead import run_inline  # imports spaCy: the parent process need not

    run_inline()
    try:
        _worker_nlp = build_pipeline(model)
    except NewsledgerError as error:
        _worker_error = error
    except Exception as error:  # any failure to load must reach the caller, not hang the pool
        _worker_error = AnalysisError(
            f"cannot build the analysis pipeline: {type(error).__name__}: {error}",
            hint="check the model name and reinstall newsledger",
        )


def _worker_run(batch: list[Article]) -> list[Analysis | Failure]:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_nlp is not None
    return _analyze_batch(_worker_nlp, batch)


def analyze_many(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Generator[Analysis | Failure, None, None]:
    """Analyse ``articles`` in order, yielding an Analysis or a Failure for each.

    With ``n_process > 1`` workers each run ``nlp.pipe`` over batches and send back the small
    records, not the Docs; input is read only as fast as workers take it, so memory stays flat
    whatever the corpus size. Closing the generator early ends the workers once they have finished
    the batches in flight (at most two each).
    """
    if n_process <= 1:
        yield from _analyze_stream(nlp or build_pipeline(model), iter(articles), batch_size)
        return
    # glibc gives threads (onnxruntime's, the tokenizer's) malloc arenas of their own, and memory freed
    # in one is not reused by another; workers inherit this limit at spawn.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(n_process, initializer=_worker_init, initargs=(model,))
    try:
        # Pool.imap would drain the input from a thread of its own; submitting by hand keeps at most
        # two batches per worker in flight, so memory stays flat and results come in input order.
        in_flight: collections.deque[AsyncResult[list[Analysis | Failure]]] = collections.deque()
        for batch in _batches(articles, batch_size):
            in_flight.append(pool.apply_async(_worker_run, (batch,)))
            if len(in_flight) >= 2 * n_process:
                yield from in_flight.popleft().get()
        while in_flight:
            yield from in_flight.popleft().get()
    finally:
        # Workers finish the batches in flight and exit. Pool.terminate (what `with Pool` does) can
        # kill a worker while it holds the result queue's lock, and then hangs the caller for good.
        pool.close()
        pool.join()


def analyze(
    article: Article | str,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    published: dt.date | None = None,
    **metadata: Any,
) -> Analysis:
    """Analyse one article (or a bare text) and return its records."""
    if isinstance(article, str):
        from newsledger.ingest.base import make_article

        article = make_article(article, published=published, **metadata)
    return analyze_article(nlp or build_pipeline(model), article)
