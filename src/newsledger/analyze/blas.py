"""Matrix products of the spaCy model's layers through numpy's BLAS instead of BLIS.

thinc's CPU backend multiplies matrices with the BLIS library that the ``blis`` package compiles.
On the x86-64 machines measured (docs/benchmarks.md), the OpenBLAS that numpy's wheels ship did the
same products in a third of the CPU time, and the products are about a third of en_core_web_sm's
time on news. ``use_numpy_blas`` gives every layer of a pipeline's models a ``NumpyBlasOps``: thinc's
own ``NumpyOps`` with BLIS turned off (thinc's switch), so the products go to ``numpy.dot``. Nothing
else changes: on 1,000 news articles no token differed in tag, parse, entity or lemma.

The transition-based parser and entity recogniser keep BLIS for the small products inside their
Cython loops, which thinc does not let Python code redirect.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

#: numpy's BLAS runs each product on one thread: the analysis already fills the cores with its own
#: threads and processes, and OpenBLAS's waiting threads would spin on them.
BLAS = ThreadpoolController().select(user_api="blas")


class NumpyBlasOps(NumpyOps):  # type: ignore[misc]  # thinc is untyped here
    """thinc's NumpyOps with BLIS off: ``gemm`` is ``numpy.dot`` on one BLAS thread."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(use_blis=False, **kwargs)

    def gemm(self, x: Any, y: Any, *, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        with BLAS.limit(limits=1):
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)


def use_numpy_blas(nlp: Language) -> None:
    """Give every thinc layer of ``nlp``'s components the ``NumpyBlasOps`` backend."""
    ops = NumpyBlasOps()
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            if isinstance(layer.ops, NumpyOps):  # a GPU backend stays as it is
                layer.ops = ops
