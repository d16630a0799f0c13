"""The model's layers multiply through numpy's BLAS and annotate exactly as with BLIS."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.tokens import Doc
from thinc.api import NumpyOps

from conftest import sample_texts
from newsledger.analyze.blas import NumpyBlasOps, use_numpy_blas
from newsledger.nlp import load_model

EDGE_TEXTS = ["", "   \n\n  ", "Talks.", "The U.S.-led coalition’s “final” offer: 5,000 troops, a $1bn loan."]


def _texts() -> list[str]:
    return sample_texts(EDGE_TEXTS, cc_by_articles=10)


def _annotations(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start, t.ent_iob_, t.ent_type_)
        for t in doc
    ]


def test_blas_model_annotates_as_with_blis() -> None:
    shipped, faster = load_model(), load_model()
    use_numpy_blas(faster)
    texts = _texts()
    for expected, got in zip(shipped.pipe(texts), faster.pipe(texts), strict=True):
        assert _annotations(got) == _annotations(expected), expected.text[:80]


def test_blas_every_layer_gets_the_numpy_backend() -> None:
    nlp = load_model()
    use_numpy_blas(nlp)
    models = [model for _, pipe in nlp.components if (model := getattr(pipe, "model", None)) is not None]
    layers = [layer for model in models for layer in model.walk()]
    assert layers
    assert all(type(layer.ops) is NumpyBlasOps for layer in layers)
    assert len({id(layer.ops) for layer in layers}) == 1


@pytest.mark.parametrize(("trans1", "trans2"), [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("into_out", [False, True])
def test_blas_gemm_matches_blis(trans1: bool, trans2: bool, into_out: bool) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 5) if not trans1 else (5, 7)).astype("float32")
    y = rng.standard_normal((5, 3) if not trans2 else (3, 5)).astype("float32")
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    out = np.empty((7, 3), dtype="float32") if into_out else None
    got = NumpyBlasOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    if out is not None:
        assert got is out
