"""The nightly refit of the learned routing (a timed job, daemon/process/jobs.py).

It runs when at least `[model] min_new` tickets were resolved since the model was trained (or when there is
no model yet), fits on the desk's history, and keeps the new model only when its cross-validated macro-F1 is
not worse than the one in use: a bad week of mail must not make the routing worse. Both figures are logged
and on /metrics (`postdesk_model_fit_macro_f1{model="old"|"new"}`). The category model, when the desk has
one (`postdesk model fit --labels category`), is refitted in the same run by the same rule.

The fit itself runs in a process of its own (`_fit_apart`): fitting 40,000 tickets peaks at ~1.6 GB and
imports scikit-learn, and a long-running worker would keep both (the allocator rarely gives a peak back).
Only the fitted weights come back, through the pipe, and the worker's memory is what it was.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from postdesk.daemon.config import Config
from postdesk.daemon.learning.predictor import category_path
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
    current = _current(learning, path, "model")
    since = datetime.fromisoformat(current.meta["trained_at"]) if current else None
    new = resolved_since(db, since)
    if current is not None and new < config.model.min_new:
        log.info("model refit: %d ticket(s) resolved since the model was trained, fewer than [model] min_new = %d; "
                 "not refitted", new, config.model.min_new)
        done["skipped"] += 1
        return done
    tickets = labelled_tickets(db)
    texts = [model_text(t.subject, t.text, strip=False) for t in tickets]
    weights = [learning.CORRECTED_WEIGHT if t.corrected else 1.0 for t in tickets]
    examples = [learning.Example(x, t.queue, w) for x, t, w in zip(texts, tickets, weights, strict=True)]
    done[_refit(learning, config, examples, path, current, "model")] += 1
    categories = category_path(path)
    if categories.exists():  # only where an admin fitted one: most desks' categories are set by rules
        labelled = [learning.Example(x, t.category, w) for x, t, w in zip(texts, tickets, weights, strict=True)
                    if t.category]
        if len({e.label for e in labelled}) < 2:  # fitted from an old desk's file; this one's tickets have none yet
            log.info("category model refit: the tickets have fewer than two categories; not refitted")
            done["category skipped"] += 1
        else:
            done["category " + _refit(learning, config, labelled, categories,
                                      _current(learning, categories, "category model"), "category model")] += 1
    return done


def _current(learning: Any, path: Path, what: str) -> Any:
    try:
        return learning.load(path)
    except learning.ModelError as exc:
        log.info("%s refit: no usable %s in use (%s)", what, what, exc)
        return None


def _refit(learning: Any, config: Config, examples: list[Any], path: Path, current: Any, what: str) -> str:
    """Fit, compare with the model in use, keep the better; the outcome as the job reports it."""
    try:
        fitted = _fit_apart(learning, examples, config.model.precision)
    except learning.ModelError as exc:
        log.warning("%s refit: %s", what, exc)
        return "failed"
    old_f1 = float(current.meta["cv"]["macro_f1"]) if current else None
    new_f1 = float(fitted.meta["cv"]["macro_f1"])
    if what == "model":
        metrics.MODEL_FIT.labels("new").set(new_f1)
        if old_f1 is not None:
            metrics.MODEL_FIT.labels("old").set(old_f1)
    if old_f1 is not None and new_f1 < old_f1:
        log.warning("%s refit on %d tickets: cross-validated macro-F1 %.3f is worse than the model in use "
                    "(%.3f); kept the model in use", what, len(examples), new_f1, old_f1)
        return "kept old"
    learning.save(fitted, path)
    log.info("%s refit on %d tickets: cross-validated macro-F1 %.3f (was %s); threshold %.3f routes %.1f%% at "
             "precision %.3f; the new model is in use", what, len(examples), new_f1,
             f"{old_f1:.3f}" if old_f1 is not None else "no model", fitted.model.threshold,
             100 * fitted.meta["cv"]["coverage"], fitted.meta["cv"]["precision"])
    return "refitted"


def _fit_apart(learning: Any, examples: list[Any], precision: float) -> Any:
    """`learning.fit` in a fresh process (spawned: the worker runs threads, so it must not fork)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(learning.fit, examples, precision).result()
