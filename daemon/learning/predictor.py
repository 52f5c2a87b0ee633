"""The learned model as the pipeline and `route-test` use it: loaded once, reloaded when a refit replaced
the file, and refused — once, in the log — when the file is damaged or foreign, so routing goes on by rules.

Nothing here imports NumPy until a model is actually loaded: with `[model] enabled = false`,
`predictor_for` returns None and the daemon's memory and start stay what they were.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from postdesk.daemon.aftercommit import later
from postdesk.daemon.config import Config
from postdesk.daemon.web import metrics
from postdesk.parsers.model import InboundMail
from postdesk.routing.model import Decision, Prediction
from postdesk.routing.route import Predictor
from postdesk.storage.tickets import Tx
from postdesk.storage.views import TicketView

log = logging.getLogger("postdesk.model")

_ROUTED_BY = re.compile(r"; model: (\S+) [0-9.]+$")


def category_path(queue_model: Path) -> Path:
    """The category model lives beside the queue model: `postdesk model fit --labels category` writes it."""
    return queue_model.with_name("category.npz")


class _File:
    """One model file: loaded once, reloaded when a refit replaced it, refused once (logged) when unusable."""

    def __init__(self, path: Path, what: str, optional: bool):
        self.path, self.what, self.optional = path, what, optional
        self._lock = threading.Lock()
        self._stamp: tuple[float, int] | None = None
        self._model: Any = None
        self.error: str | None = None

    def model(self) -> Any:
        """The loaded routing.classifier.Linear; None when there is none (an optional file may be absent)."""
        try:
            st = self.path.stat()
            stamp: tuple[float, int] | None = (st.st_mtime, st.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp == self._stamp:
                return self._model
            self._stamp = stamp
            if stamp is None and self.optional:
                self._model = None
                return None
            from postdesk.daemon.learning.fit import ModelError, load
            try:
                fitted = load(self.path)
            except ModelError as exc:
                self._model, self.error = None, str(exc)
                if self.optional:
                    log.error("the learned category model is off: %s; categories by rules alone", exc)
                else:
                    log.error("learned routing is off: %s; routing by rules alone", exc)
                return None
            self._model, self.error = fitted.model, None
            log.info("learned routing: %s model %s loaded (%s, %d labels, threshold %.2f, trained %s)", self.what,
                     self.path, fitted.meta.get("candidate"), len(fitted.model.labels), fitted.model.threshold,
                     fitted.meta.get("trained_at"))
            return self._model


class ModelPredictor:
    """Callable mail → Prediction | None (None: no usable queue model; the reason was logged once). A category
    model beside it, when fitted, adds its guess where it clears its own threshold."""

    def __init__(self, config: Config):
        self.path = config.model.path(config.service.data_dir)
        self.queues = _File(self.path, "queue", optional=False)
        self.categories = _File(category_path(self.path), "category", optional=True)

    @property
    def error(self) -> str | None:
        return self.queues.error

    def model(self) -> Any:
        return self.queues.model()

    def __call__(self, mail: InboundMail) -> Prediction | None:
        model = self.queues.model()
        if model is None:
            return None
        from postdesk.routing.classifier import model_text, predict
        text = model_text(mail.subject, mail.text or mail.full_text, strip=False)
        found = predict(model, text)
        categories = self.categories.model()
        if categories is None:
            return found
        guess = predict(categories, text, top=1)
        return replace(found, category=(guess.label, guess.confidence)) if guess.routed else found


def predictor_for(config: Config) -> Predictor | None:
    """None when `[model] enabled` is false: then nothing of the learned routing is even imported."""
    return ModelPredictor(config) if config.model.enabled else None


def routed_by_model(route_reason: str | None) -> str | None:
    """The queue the model chose for a ticket, read back from its route reason; None if no model routed it."""
    found = _ROUTED_BY.search(route_reason or "")
    return found.group(1) if found else None


def model_event(tx: Tx, ticket_id: int, d: Decision, now: datetime) -> None:
    """The model's part in a new ticket, on the ticket: where it routed it, or its best guesses."""
    if d.model:
        label, _, confidence = d.model.partition(" ")
        tx.add_event(ticket_id, actor="system", via="system", kind="model", now=now, routed=True, queue=label,
                     confidence=float(confidence), reason=f"model: {d.model}")
        later(metrics.MODEL_DECISIONS.labels("routed").inc)  # once, after the commit
    else:
        tx.add_event(ticket_id, actor="system", via="system", kind="model", now=now, routed=False,
                     guesses=[[q, p] for q, p in d.guesses],
                     reason="below the threshold; guesses: " + ", ".join(f"{q} {p:.2f}" for q, p in d.guesses))
        later(metrics.MODEL_DECISIONS.labels("guessed").inc)


def model_corrected(tx: Tx, t: TicketView, queue: str, agent: str, now: datetime) -> None:
    """An agent's `#queue` on a ticket still in the queue the model chose: a model error, counted."""
    chosen = routed_by_model(t.route_reason)
    if chosen is None or chosen != t.queue or queue == chosen:
        return
    tx.add_event(t.id, actor=agent, via="command", kind="model-error", now=now, predicted=chosen, corrected=queue)
    later(metrics.MODEL_ERRORS.inc)
