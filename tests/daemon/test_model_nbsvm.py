"""A large history's model is NBSVM's: the naive-Bayes scaling is folded into the weights, so the model file
the daemon loads scores a mail exactly as the fitted classifier did, and its guesses route the mails."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")

from postdesk.daemon.learning import fit as learning
from postdesk.daemon.learning.nbsvm import NBSVM
from postdesk.routing.classifier import model_text, predict, probabilities, softmax

TOPICS = {
    "hardware": ["laptop screen cracked", "printer jams paper", "monitor flickers", "keyboard keys stuck",
                 "docking station no power", "mouse stopped working"],
    "access": ["password expired reset", "account locked after login attempts", "need vpn access",
               "grant access shared folder", "mfa token lost", "cannot log in portal"],
    "purchase": ["order new laptop for hire", "quote for licences", "purchase order approval",
                 "buy headsets for team", "invoice for monitors", "renew software subscription"],
}


def _examples() -> list[learning.Example]:
    return [learning.Example(model_text("", f"{t} please {n}"), label)
            for label, texts in TOPICS.items() for t in texts for n in ("today", "thanks", "urgent")]


def test_the_nbsvm_model_file_scores_as_the_fitted_classifier(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learning, "NB_FROM", 10)  # the real switch is at 10,000 mails: too many for a test
    examples = _examples()
    fitted = learning.fit(examples, 0.9)
    assert fitted.meta["candidate"].startswith("nbsvm")
    path = tmp_path / "queue.npz"
    learning.save(fitted, path)
    model = learning.load(path).model

    _, _, x = learning._features([e.text for e in examples])
    labels = list(model.labels)
    y = np.array([labels.index(e.label) for e in examples])
    clf = NBSVM(0.3, x.shape[1]).fit(x, y)
    expected = softmax(clf.decision_function(x), model.temperature)
    got = np.array([probabilities(model, e.text) for e in examples])
    np.testing.assert_allclose(got, expected, atol=2e-4)
    assert [predict(model, e.text).label for e in examples] == [e.label for e in examples]
    assert predict(model, model_text("", "the printer jams again")).label == "hardware"


def test_below_the_switch_the_plain_models_compete() -> None:
    assert not learning.fit(_examples(), 0.9).meta["candidate"].startswith("nbsvm")
