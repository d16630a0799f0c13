"""Run one per-document step in a helper thread, ahead of the documents a component yields.

The taggers spend their time in onnxruntime, which releases the GIL, while spaCy's own components
run in the calling thread. A component that hands its tagging to ``ahead`` lets a single process tag
the documents it already has while spaCy parses the next batch; on a machine with a spare core the
two run at once. Results and errors come back in document order.

The worker processes of ``analyze_many(n_process=...)`` call ``run_inline``: there every core already
runs a worker, and a helper thread beside each only competes with it for the core (2-3 % more CPU
and wall time for two workers on two cores: docs/benchmarks.md, Ingest).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from spacy.tokens import Doc

Result = TypeVar("Result")

_helper_thread = True


def run_inline() -> None:
    """From now on this process runs ``ahead``'s steps in the calling thread."""
    global _helper_thread
    _helper_thread = False


def ahead(docs: Iterable[Doc], step: Callable[[Doc], Result], window: int) -> Iterator[tuple[Doc, Result]]:
    """(doc, step(doc)) in order, with up to ``window`` documents submitted before the first is
    taken back. A document is only read by the helper thread until its result is returned."""
    if not _helper_thread:
        for doc in docs:
            yield doc, step(doc)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsledger-tagger") as pool:
        pending: deque[tuple[Doc, Future[Result]]] = deque()
        try:
            for doc in docs:
                pending.append((doc, pool.submit(step, doc)))
                if len(pending) > window:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            for _, future in pending:  # the caller stopped early: drop the work not yet started
                future.cancel()
