"""Learned routing, the side-effect part: fitting (scikit-learn), the model file, examples from files.

The model file is data, never a pickle: one NumPy `.npz` (loaded with allow_pickle=False) holding the
vocabularies, idf, weights and intercepts, and a JSON header (format, version, labels, temperature,
threshold, metrics, training date). A file that is damaged, foreign or of another version is refused with
a `ModelError` saying which; the daemon then routes by rules alone.

scikit-learn is imported inside `fit` only, so a daemon that merely predicts never loads it; NumPy is
imported with this module, which the daemon imports only when `[model] enabled = true`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from postdesk.routing.classifier import (
    ANALYZERS,
    FEATURES,
    VECTORS,
    Block,
    Linear,
    Operating,
    WordVectors,
    mean_vector,
    model_text,
    pick_threshold,
    softmax,
)
from postdesk.routing.classifier import scores as score_of

FORMAT = "postdesk-model"
VERSION = 1
MAX_FILE = 512 * 1024 * 1024  # a model file larger than this is no model of ours
MAX_TEMPERATURE = 50.0  # a few hundred separable mails would otherwise make every guess a certainty
SMALL = 10_000  # examples; a history this small is where word vectors help (see _table_for)
_CYRILLIC = re.compile(r"[а-яё]")
CYRILLIC_SHARE = 0.3  # of the examples: above it, the Russian word vectors join small histories' features
NB_FROM = 10_000  # examples: from here on the fit is NBSVM's (see _candidates)
CORRECTED_WEIGHT = 3.0  # a ticket an agent re-queued by hand teaches what the routing got wrong


class ModelError(Exception):
    """A model file that cannot be used, or examples that cannot be trained on; the message says why."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str  # already model_text()
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class Fitted:
    model: Linear
    meta: dict[str, Any]  # everything the header stores: metrics, chosen candidate, threshold, date


# --------------------------------------------------------------------------------------------- examples

def read_examples(path: Path, kind: str) -> list[tuple[str, str | None]]:
    """(model text, label or None) per row of a CSV (`text,label` or `subject,body,label`) or JSON Lines
    (objects with `text` or `subject`+`body`, and `label`) file; `-` reads standard input."""
    import sys
    raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    rows: list[dict[str, Any]] = []
    if kind == "csv":
        csv.field_size_limit(max(csv.field_size_limit(), 16 * 2**20))  # a long mail body is one field
        reader = csv.DictReader(io.StringIO(raw, newline=""))
        fields = set(reader.fieldnames or ())
        if "text" not in fields and not {"subject", "body"} <= fields:
            raise ModelError(f"{path}: the CSV needs a header with text,label or subject,body,label "
                             f"(found: {', '.join(sorted(fields)) or 'none'})")
        try:
            rows = list(reader)
        except csv.Error as exc:
            raise ModelError(f"{path}:{reader.line_num}: not CSV as expected: {exc}") from None
    else:
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ModelError(f"{path}:{n}: not JSON: {exc.msg}") from None
            if not isinstance(obj, dict):
                raise ModelError(f"{path}:{n}: each line must be a JSON object")
            rows.append(obj)
    out = []
    for row in rows:
        if row.get("text") is not None:
            text = model_text("", str(row["text"]))
        else:
            text = model_text(str(row.get("subject") or ""), str(row.get("body") or ""))
        label = row.get("label")
        out.append((text, str(label).strip() if label not in (None, "") else None))
    return out


def labelled(rows: Iterable[tuple[str, str | None]], source: str) -> list[Example]:
    found = [Example(t, lab) for t, lab in rows if lab]
    if not found:
        raise ModelError(f"{source}: no labelled rows")
    return found


# --------------------------------------------------------------------------------------------- fitting

def _vectorizers(n: int) -> list[tuple[str, Any]]:
    """Words, and character n-grams: they carry the morphology and typos a few hundred mails cannot teach,
    and under NBSVM they add a point on 30,000 English tickets too (bench/model.py). The characters' matrix
    is built a word at a time (nbsvm.CharVectorizer), which keeps 40,000 mails within the fitting budget."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from postdesk.daemon.learning.nbsvm import CharVectorizer
    min_df = 2 if n >= 2000 else 1  # a term seen once in thousands of mails is a name or a typo
    return [("words", TfidfVectorizer(analyzer=ANALYZERS["words"], sublinear_tf=True, min_df=min_df,
                                      dtype=np.float32)),
            ("chars", CharVectorizer(min_df))]


def _table_for(texts: Sequence[str]) -> WordVectors | None:
    """Pretrained Russian word vectors for a small history that is largely Russian, when installed; they
    gave 0.70 → 0.74 on the Russian requests (bench/model.py) and know nothing of English tickets."""
    from postdesk.daemon.learning import vectors
    if len(texts) > SMALL or not texts:
        return None
    cyrillic = sum(1 for t in texts if _CYRILLIC.search(t))
    return vectors.vectors() if cyrillic >= CYRILLIC_SHARE * len(texts) and vectors.available() else None


def _features(texts: Sequence[str]) -> tuple[list[tuple[str, Any]], WordVectors | None, Any]:
    """The fitted vectorizers, the word vectors if used, and the examples' feature matrix (csr)."""
    from scipy.sparse import csr_matrix, hstack
    vecs = _vectorizers(len(texts))
    parts = [v.fit_transform(texts) for _, v in vecs]
    table = _table_for(texts)
    if table is not None:
        parts.append(csr_matrix(np.array([mean_vector(table, t) for t in texts], dtype=np.float32)))
    return vecs, table, hstack(parts).tocsr()


def _candidates(n: int, scaled: int) -> list[tuple[str, Callable[[], Any]]]:
    """Linear models that fit 40,000 mails in seconds; the temperature makes their margins probabilities.

    From NB_FROM examples on, NBSVM alone: +0.9 points over the plain SVM on 24,000 English tickets, and the
    only one there is time for. On fewer its naive-Bayes ratios are noise: −1.7 points at 2,000 English
    tickets, a tie at 5,000, −5 on the 160 Russian requests a fold trains on (bench/model.py), so the plain
    models compete there. (Logistic regression: no better, ten times slower.)"""
    from sklearn.linear_model import SGDClassifier
    from sklearn.svm import LinearSVC

    from postdesk.daemon.learning.nbsvm import NBSVM
    if n >= NB_FROM:
        return [("nbsvm C=0.3", lambda: NBSVM(0.3, scaled))]
    return [
        ("linear-svc C=0.5", lambda: LinearSVC(C=0.5)),
        ("linear-svc C=1", lambda: LinearSVC(C=1.0)),
        ("sgd modified-huber", lambda: SGDClassifier(loss="modified_huber", alpha=2e-5, max_iter=50, tol=1e-4,
                                                     random_state=0)),
    ]


def steps(n: int) -> int:
    """How many times `fit` calls its `step` for n examples (features, each candidate, the final fit)."""
    return 2 + len(_candidates(n, 0))


def _temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that makes cross-validated scores honest probabilities (least log loss)."""
    def loss(t: float) -> float:
        p = softmax(scores, t)[np.arange(len(y)), y]
        return float(-np.mean(np.log(np.maximum(p, 1e-12))))
    lo, hi = math.log(0.05), math.log(MAX_TEMPERATURE)
    for _ in range(60):  # golden-section search on log t
        a, b = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
        if loss(math.exp(a)) < loss(math.exp(b)):
            hi = b
        else:
            lo = a
    return math.exp((lo + hi) / 2)


def fit(examples: Sequence[Example], precision: float = 0.95, step: Callable[[str], None] = lambda _: None,
        folds: int | None = None) -> Fitted:
    """Featurise, cross-validate each candidate, keep the best by macro-F1, calibrate, pick the threshold
    for `precision` on the cross-validated predictions, and fit the winner on everything."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import StratifiedKFold

    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # SGD's iteration cap is deliberate

    started = time.perf_counter()
    labels = sorted({e.label for e in examples})
    if len(labels) < 2:
        raise ModelError(f"at least two labels are needed to learn anything (found: {', '.join(labels)})")
    index = {lab: i for i, lab in enumerate(labels)}
    y = np.array([index[e.label] for e in examples])
    w = np.array([e.weight for e in examples], dtype=np.float64)
    texts = [e.text for e in examples]
    least = int(np.bincount(y).min())
    # two folds for NBSVM's large histories: a third less fitting, the same threshold within 0.015 (bench/model.py)
    k = folds or (5 if len(texts) < 2000 else 3 if len(texts) < NB_FROM else 2)
    k = max(2, min(k, least))
    vecs, table, x = _features(texts)
    step("features")
    split = list(StratifiedKFold(k, shuffle=True, random_state=0).split(x, y)) if least >= 2 else []
    best: tuple[float, str, Callable[[], Any], np.ndarray] | None = None
    for name, make in _candidates(len(texts), sum(len(v.vocabulary_) for _, v in vecs)):
        oof = np.zeros((len(texts), len(labels)))
        for train, test in split:
            clf = make().fit(x[train], y[train], sample_weight=w[train])
            oof[test] = _scores(clf, x[test], len(labels))
        macro = score_of([labels[i] for i in y], [labels[i] for i in oof.argmax(1)], labels).macro_f1 if split else 0.0
        step(name)
        if best is None or macro > best[0]:
            best = (macro, name, make, oof)
    assert best is not None
    macro, name, make, oof = best
    temperature = _temperature(oof, y) if split else 1.0
    p = softmax(oof, temperature)
    predicted = p.argmax(1)
    cv = score_of([labels[i] for i in y], [labels[i] for i in predicted], labels)
    # too few examples to cross-validate: nothing is known of its precision, so it routes nothing
    op = pick_threshold(p.max(1).tolist(), (predicted == y).tolist(), precision) if split else Operating(1.01, 0, 0)
    clf = make().fit(x, y, sample_weight=w)
    step("final fit")
    model = _linear(labels, vecs, table, clf, temperature, op.threshold)
    blocks = model.blocks
    meta = {
        "format": FORMAT, "version": VERSION, "features": FEATURES, "labels": labels, "temperature": temperature,
        "threshold": op.threshold, "precision_target": precision, "candidate": name,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "examples": len(texts), "folds": k,
        "fit_seconds": round(time.perf_counter() - started, 1),
        "cv": {"accuracy": cv.accuracy, "macro_f1": cv.macro_f1, "precision": op.precision,
               "coverage": op.coverage, "per_label": {lab: list(v) for lab, v in cv.per_label.items()}},
        "blocks": [{"kind": b.kind, "offset": b.offset, "size": b.size}
                   | ({"table": b.table.name} if b.table is not None else {}) for b in blocks],
    }
    return Fitted(model, meta)


def _linear(labels: list[str], vecs: list[tuple[str, Any]], table: WordVectors | None, clf: Any,
            temperature: float, threshold: float) -> Linear:
    """The fitted vectorizers and classifier as our own plain model: vocabularies, idf and weights, so that
    predicting needs neither scikit-learn nor its pickles."""
    blocks, offset = [], 0
    for kind, v in vecs:
        vocab = {t: int(i) for t, i in v.vocabulary_.items()}
        blocks.append(Block(kind, vocab, v.idf_.astype(np.float32), offset))
        offset += len(vocab)
    if table is not None:
        blocks.append(Block(VECTORS, {}, np.zeros(0, dtype=np.float32), offset, table=table))
    coef = np.asarray(clf.coef_, dtype=np.float32)
    intercept = np.asarray(clf.intercept_, dtype=np.float32)
    if len(labels) == 2 and coef.shape[0] == 1:  # scikit-learn keeps one row for two labels
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    return Linear(tuple(labels), tuple(blocks), np.ascontiguousarray(coef.T), intercept, temperature, threshold)


def _scores(clf: Any, x: Any, n: int) -> np.ndarray:
    d = np.asarray(clf.decision_function(x), dtype=np.float64)
    if d.ndim == 1:  # two labels: one margin
        d = np.stack([-d / 2, d / 2], axis=1)
    return d


# --------------------------------------------------------------------------------------------- the file

def save(fitted: Fitted, path: Path) -> None:
    """Written beside and renamed into place, so a reader never sees half a file."""
    m = fitted.model
    arrays: dict[str, np.ndarray] = {
        "header": np.frombuffer(json.dumps(fitted.meta, ensure_ascii=False).encode(), dtype=np.uint8),
        "weights": m.weights.astype(np.float32), "intercepts": m.intercepts.astype(np.float32)}
    for b in m.blocks:
        if b.table is not None:
            continue  # the vectors are the installed package's; the header names them
        terms = sorted(b.vocabulary, key=b.vocabulary.__getitem__)
        arrays[f"vocab_{b.kind}"] = np.frombuffer("\n".join(terms).encode(), dtype=np.uint8)
        arrays[f"idf_{b.kind}"] = b.idf.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        np.savez_compressed(f, **arrays)  # type: ignore[arg-type]  # (numpy's stub reads **kw as allow_pickle)
    os.replace(tmp, path)


def load(path: Path) -> Fitted:
    """Read a model file back; anything unexpected is a ModelError naming the file and the problem."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise ModelError(f"{path}: larger than {MAX_FILE // 2**20} MB: not a model file of ours")
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise ModelError(f"{path}: no model file (train one with `postdesk model fit`)") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"{path}: not a model file (damaged or foreign: {type(exc).__name__}: {exc})") from None
    try:
        meta = json.loads(bytes(arrays["header"]).decode())
    except (KeyError, ValueError, UnicodeDecodeError):
        raise ModelError(f"{path}: not a Postdesk model file (no readable header)") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get('format') if isinstance(meta, dict) else None
        raise ModelError(f"{path}: not a Postdesk model file (format {found!r})")
    if meta.get("version") != VERSION:
        raise ModelError(f"{path}: model format version {meta.get('version')!r}; this Postdesk reads version "
                         f"{VERSION}: fit the model again")
    if meta.get("features") != FEATURES:
        raise ModelError(f"{path}: made with version {meta.get('features')!r} of the features; this Postdesk makes "
                         f"version {FEATURES}: fit the model again")
    try:
        labels = tuple(str(x) for x in meta["labels"])
        weights, intercepts = arrays["weights"], arrays["intercepts"]
        blocks = []
        for b in meta["blocks"]:
            kind, offset, size = b["kind"], int(b["offset"]), int(b["size"])
            if kind == VECTORS:
                blocks.append(_vectors_block(path, str(b["table"]), offset, size))
                continue
            if kind not in ANALYZERS:
                raise ValueError(f"unknown feature kind {kind!r}")
            terms = bytes(arrays[f"vocab_{kind}"]).decode().split("\n") if size else []
            idf = arrays[f"idf_{kind}"].astype(np.float32)
            if len(terms) != size or len(idf) != size:
                raise ValueError(f"{kind}: {len(terms)} terms and {len(idf)} idf for {size}")
            blocks.append(Block(kind, {t: i for i, t in enumerate(terms)}, idf, offset))
        rows = sum(b.size for b in blocks)
        if weights.dtype != np.float32 or weights.shape != (rows, len(labels)) or intercepts.shape != (len(labels),):
            raise ValueError(f"weights {weights.shape} and intercepts {intercepts.shape} do not fit "
                             f"{rows} features × {len(labels)} labels")
        if not (np.isfinite(weights).all() and np.isfinite(intercepts).all()):
            raise ValueError("weights that are not finite numbers")
        model = Linear(labels, tuple(blocks), weights, intercepts, float(meta["temperature"]),
                       float(meta["threshold"]))
    except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: a damaged model file ({type(exc).__name__}: {exc})") from None
    return Fitted(model, meta)


def _vectors_block(path: Path, name: str, offset: int, size: int) -> Block:
    from postdesk.daemon.learning.vectors import VectorsMissing, vectors
    try:
        table = vectors(name)
    except VectorsMissing as exc:
        raise ModelError(f"{path}: the model uses word vectors that are not here: {exc}") from None
    if table.dim != size:
        raise ValueError(f"{name}: {table.dim} dimensions for {size}")
    return Block(VECTORS, {}, np.zeros(0, dtype=np.float32), offset, table=table)


def evaluate(model: Linear, rows: Sequence[tuple[str, str | None]]) -> dict[str, Any]:
    """Accuracy, macro-F1, per label, the confusion matrix and the precision/coverage curve on labelled rows."""
    from postdesk.routing.classifier import curve, probabilities

    rows = [(t, lab) for t, lab in rows if lab]
    probs = np.array([probabilities(model, t) for t, _ in rows]) if rows else np.zeros((0, len(model.labels)))
    best = probs.argmax(1) if len(probs) else np.array([], dtype=int)
    predicted = [model.labels[i] for i in best]
    truth = [lab for _, lab in rows if lab]
    labels = list(model.labels) + sorted({t for t in truth} - set(model.labels))
    s = score_of(truth, predicted, labels)
    conf = probs.max(1) if len(probs) else np.array([])
    ok = [p == t for p, t in zip(predicted, truth, strict=True)]
    routed = conf >= model.threshold
    return {
        "rows": len(truth), "accuracy": s.accuracy, "macro_f1": s.macro_f1,
        "per_label": {k: {"precision": v[0], "recall": v[1], "f1": v[2], "support": v[3]}
                      for k, v in s.per_label.items()},
        "confusion": s.confusion, "threshold": model.threshold,
        "at_threshold": {"coverage": float(routed.mean()) if len(conf) else 0.0,
                         "precision": float(np.mean([o for o, r in zip(ok, routed, strict=True) if r]))
                         if routed.any() else 0.0},
        "curve": [{"threshold": c.threshold, "precision": c.precision, "coverage": c.coverage}
                  for c in curve(conf.tolist(), ok)],
    }
