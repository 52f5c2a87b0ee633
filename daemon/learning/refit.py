"""The nightly refit of the learned routing (a timed job, daemon/process/jobs.py).

It runs when at least `[model] min_new` tickets were resolved since the model was trained (or when there is
no model yet), fits on the desk's history, and keeps the new model only when its cross-validated macro-F1 is
not worse than the one in use: a bad week of mail must not make the routing worse. Both figures are logged
and on /metrics (`postdesk_model_fit_macro_f1{model="old"|"new"}`).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from postdesk.daemon.config import Config
from postdesk.daemon.web import metrics
from postdesk.storage.db import Database
from postdesk.storage.training import labelled_tickets, resolved_since
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.model")


def run_refit(config: Config, db: Database, renderer: Renderer, now: datetime | None = None) -> Counter[str]:
    from postdesk.daemon.learning import fit as learning  # NumPy and, inside fit, scikit-learn: only in this job
    from postdesk.routing.classifier import model_text

    done: Counter[str] = Counter()
    path = config.model.path(config.service.data_dir)
    try:
        current = learning.load(path)
    except learning.ModelError as exc:
        current = None
        log.info("model refit: no usable model in use (%s)", exc)
    since = datetime.fromisoformat(current.meta["trained_at"]) if current else None
    new = resolved_since(db, since)
    if current is not None and new < config.model.min_new:
        log.info("model refit: %d ticket(s) resolved since the model was trained, fewer than [model] min_new = %d; "
                 "not refitted", new, config.model.min_new)
        done["skipped"] += 1
        return done
    examples = [learning.Example(model_text(t.subject, t.text, strip=False), t.queue,
                                 learning.CORRECTED_WEIGHT if t.corrected else 1.0) for t in labelled_tickets(db)]
    try:
        fitted = learning.fit(examples, config.model.precision)
    except learning.ModelError as exc:
        log.warning("model refit: %s", exc)
        done["failed"] += 1
        return done
    old_f1 = float(current.meta["cv"]["macro_f1"]) if current else None
    new_f1 = float(fitted.meta["cv"]["macro_f1"])
    metrics.MODEL_FIT.labels("new").set(new_f1)
    if old_f1 is not None:
        metrics.MODEL_FIT.labels("old").set(old_f1)
    if old_f1 is not None and new_f1 < old_f1:
        log.warning("model refit on %d tickets: cross-validated macro-F1 %.3f is worse than the model in use "
                    "(%.3f); kept the model in use", len(examples), new_f1, old_f1)
        done["kept old"] += 1
        return done
    learning.save(fitted, path)
    log.info("model refit on %d tickets: cross-validated macro-F1 %.3f (was %s); threshold %.3f routes %.1f%% at "
             "precision %.3f; the new model is in use", len(examples), new_f1,
             f"{old_f1:.3f}" if old_f1 is not None else "no model", fitted.model.threshold,
             100 * fitted.meta["cv"]["coverage"], fitted.meta["cv"]["precision"])
    done["refitted"] += 1
    return done
