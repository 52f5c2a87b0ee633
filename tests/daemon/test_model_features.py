"""What the daemon predicts from is exactly what the fit trained on: our NumPy features equal scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")

from postdesk.daemon.learning import fit as learning
from postdesk.routing.classifier import Block, features, model_text

TEXTS = [model_text(s, b) for s, b in [
    ("Отпускные", "Когда придут отпускные? Отпуск с 12.08, зп за июль пришла."),
    ("Printer", "The printer prints blank pages, printer printer again; call +7 495 123-45-67"),
    ("Акт сверки", "Пришлите акт сверки, SD-12, ivan@corp.example, https://x.example/a"),
    ("ЗП", "зп зп зарплта не пришла"),
]]


def test_prediction_features_equal_the_fitted_vectorizers_rows() -> None:
    vecs = learning._vectorizers(len(TEXTS))
    assert [k for k, _ in vecs] == ["words", "chars"]
    for kind, v in vecs:
        rows = v.fit_transform(TEXTS).toarray()
        block = Block(kind, {t: int(i) for t, i in v.vocabulary_.items()}, v.idf_.astype(np.float32), 0)
        for text, expected in zip([*TEXTS, "зп отпуск printer unknownword"], [*rows, None], strict=True):
            idx, values = features([block], text)
            got = np.zeros(len(block.vocabulary), dtype=np.float32)
            got[idx] = values
            if expected is None:
                expected = v.transform([text]).toarray()[0]
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
