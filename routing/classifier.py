"""Learned routing, the pure part: text → features → a queue with its probability. Values in, values out.

The fitting (scikit-learn) lives in daemon/learning/fit.py and uses *these* analyzers, so the features a model
was trained on and the features the daemon predicts from are made by the same code. Prediction needs only
NumPy: a sparse dot product of the mail's TF-IDF terms with the stored weights, then a softmax scaled by the
temperature the fit calibrated on cross-validated scores. Importing this module imports NumPy, so nothing
that runs with `[model] enabled = false` imports it.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import snowballstemmer

from postdesk.parsers.quotes import strip_reply
from postdesk.routing.model import Prediction

FEATURES = 2  # the version of the analyzers below: a model made with other features is refused, not misread
MAX_CHARS = 4000  # a mail's first characters say where it goes; more only costs time (a 1 ms budget)

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REF = re.compile(r"\b[A-ZА-ЯЁ]{1,10}-\d+\b")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{7,}\d(?!\w)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]{2,}|[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яё]")
_STEMMER = snowballstemmer.stemmer("russian")
_STEM_LOCK = threading.Lock()  # a Snowball stemmer keeps its word in the object while it works
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_MAX = 20_000  # ~250 bytes an entry: a bound a long-running daemon predicting by the model stays under
KNOWN_WORDS = 100_000  # per model: the words whose character n-grams are remembered


def normalize(text: str) -> str:
    """Lower-case words with URLs, addresses, ticket references, phones and numbers replaced by one
    placeholder each: they name a person or a case, never a queue, and would only be memorised."""
    text = text[:MAX_CHARS]
    text = _URL.sub(" urlx ", text)
    text = _EMAIL.sub(" mailx ", text)
    text = _REF.sub(" refx ", text)
    text = _PHONE.sub(" phonex ", text)
    text = _NUMBER.sub(" numx ", text)
    return " ".join(_WORD.findall(text.lower().replace("ё", "е")))


def model_text(subject: str, body: str, *, strip: bool = True) -> str:
    """What a model reads of a request: the subject and the sender's own new text (no quotes, no signature)."""
    own = strip_reply(body) if strip and body else (body or "")
    return normalize(f"{subject or ''}\n{own}")


def _stem(word: str) -> str:
    """Russian words to their Snowball stem; other words as they are (stemming English cost half a point of
    accuracy on the English tickets, bench/model.py: its few word forms carry meaning there)."""
    found = _STEM_CACHE.get(word)
    if found is None:
        if not _CYRILLIC.search(word):
            found = word  # remembered too: the look-up is cheaper than the search (fitting 40,000 mails)
        else:
            with _STEM_LOCK:
                found = _STEMMER.stemWord(word)
        if len(_STEM_CACHE) < _STEM_CACHE_MAX:
            _STEM_CACHE[word] = found
    return found


def word_terms(text: str) -> list[str]:
    """Words (Russian ones stemmed) and word pairs of a normalised text («отпускные», «отпуска» → «отпускн»,
    «отпуск»)."""
    stems = [_stem(w) for w in text.split()]
    return stems + [f"{a} {b}" for a, b in itertools.pairwise(stems)]


def char_terms(text: str) -> list[str]:
    """Character 2–5-grams inside each padded word: they carry morphology and typos («зп», «зарплта»)."""
    out: list[str] = []
    for word in text.split():
        p = f" {word} "
        n = len(p)
        out += [p[i:i + 2] for i in range(n - 1)]
        out += [p[i:i + 3] for i in range(n - 2)]
        out += [p[i:i + 4] for i in range(n - 3)]
        out += [p[i:i + 5] for i in range(n - 4)]
    return out


ANALYZERS = {"words": word_terms, "chars": char_terms}
VECTORS = "vectors"  # the block kind of a mail's mean word vector (see mean_vector)
VECTOR_WORD = 4  # shorter words (в, на, по, что, the, and) say nothing of a topic and would dominate the mean


class WordVectors(Protocol):
    """A table of pretrained word vectors (loaded by daemon/learning/vectors.py): the general language a
    few hundred mails cannot teach (that «платежка» and «оплата» are near), none of it about our queues."""

    name: str
    dim: int

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """The vectors of the known ones among `words` (rows of `dim` float32; none known: no rows)."""
        ...


def mean_vector(table: WordVectors, text: str) -> np.ndarray:
    """The l2-normed mean of the vectors of a normalised text's words (of VECTOR_WORD letters and more); zeros
    when none is known."""
    found = table.vectors([w for w in text.split() if len(w) >= VECTOR_WORD])
    if not len(found):
        return np.zeros(table.dim, dtype=np.float32)
    v: np.ndarray = np.mean(found, axis=0).astype(np.float32)
    norm = float(np.sqrt(np.dot(v, v)))
    if norm > 0:
        v /= norm
    return v


@dataclass(frozen=True)
class Block:
    """One kind of features: its terms' column numbers (in the weights' rows) and their idf."""

    kind: str  # a key of ANALYZERS
    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, one per term, in column order
    offset: int  # where this block's rows start in `weights`
    known: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)  # word → its n-grams
    table: WordVectors | None = field(default=None, compare=False, repr=False)  # kind VECTORS: no vocabulary

    @property
    def size(self) -> int:
        """How many rows of `weights` are this block's."""
        return self.table.dim if self.table is not None else len(self.vocabulary)

    def char_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """What Counter(char_terms(text)) gives for the known terms, a word at a time: a word's n-grams do not
        depend on its neighbours, so each word's column numbers are worked out once and remembered."""
        get = self.vocabulary.get
        parts = []
        for word, n in Counter(text.split()).items():
            ids = self.known.get(word)
            if ids is None:
                ids = np.array([i for t in char_terms(word) if (i := get(t)) is not None], dtype=np.int64)
                if len(self.known) < KNOWN_WORDS:
                    self.known[word] = ids
            parts.append(np.tile(ids, n) if n > 1 else ids)
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(parts), return_counts=True)


@dataclass(frozen=True)
class Linear:
    """A fitted linear model over the blocks' features: scores = x·weights + intercepts, then
    softmax(temperature · scores) — temperature fitted on cross-validated scores, so the confidence
    is a probability, not a margin."""

    labels: tuple[str, ...]
    blocks: tuple[Block, ...]
    weights: np.ndarray  # (features, labels) float32
    intercepts: np.ndarray  # (labels,) float32
    temperature: float
    threshold: float


def features(blocks: Sequence[Block], text: str) -> tuple[np.ndarray, np.ndarray]:
    """The mail's sparse feature vector (row indices and values): per block sublinear tf × idf, l2-normed."""
    rows: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for block in blocks:
        if block.table is not None:
            v = mean_vector(block.table, text)
            if v.any():  # no known word adds no row, so a mail of unknown words still is not routed
                rows.append(np.arange(block.offset, block.offset + block.table.dim))
                values.append(v)
            continue
        if block.kind == "chars":
            at, counts = block.char_counts(text)
        else:
            get = block.vocabulary.get
            idx: list[int] = []
            tf: list[int] = []
            for term, n in Counter(ANALYZERS[block.kind](text)).items():
                i = get(term)
                if i is not None:
                    idx.append(i)
                    tf.append(n)
            at, counts = np.array(idx, dtype=np.int64), np.array(tf)
        if not len(at):
            continue
        v = (1.0 + np.log(counts.astype(np.float32))) * block.idf[at]
        norm = float(np.sqrt(np.dot(v, v)))
        if norm > 0:
            v /= norm
        rows.append(at + block.offset)
        values.append(v)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(rows), np.concatenate(values)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


def probabilities(model: Linear, text: str) -> np.ndarray:
    return softmax(_scores(model, *features(model.blocks, text)), model.temperature)


def _scores(model: Linear, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    scores = model.intercepts.astype(np.float64)
    if len(rows):
        scores = scores + (values @ model.weights[rows]).astype(np.float64)
    return scores


def predict(model: Linear, text: str, top: int = 3) -> Prediction:
    """The best queue, its probability, whether it clears the threshold, and the `top` best guesses."""
    rows, values = features(model.blocks, text)
    p = softmax(_scores(model, rows, values), model.temperature)
    order = np.argsort(-p, kind="stable")[:top]
    guesses = tuple((model.labels[i], round(float(p[i]), 4)) for i in order)
    best, confidence = guesses[0]
    # not one known word: the guess is only the labels' prior, never enough to route by
    return Prediction(best, confidence, bool(len(rows)) and confidence >= model.threshold, guesses)


# ------------------------------------------------------------------------------------- threshold and curves

@dataclass(frozen=True, slots=True)
class Operating:
    """A confidence threshold with what cross-validation says it gives: precision on what it routes, and
    the share it routes."""

    threshold: float
    precision: float
    coverage: float


def pick_threshold(confidence: Sequence[float], correct: Sequence[bool], target: float) -> Operating:
    """The lowest confidence at which the precision of the mails at or above it reaches `target`.

    The mails are taken from the most confident down; the threshold is the confidence of the last one
    whose running precision still reaches the target (so ties at a confidence go in or out together).
    None reaching it: a threshold above 1, which routes nothing.
    """
    conf = np.asarray(confidence, dtype=np.float64)
    ok = np.asarray(correct, dtype=np.float64)
    if not len(conf):
        return Operating(1.01, 0.0, 0.0)
    order = np.argsort(-conf, kind="stable")
    conf, ok = conf[order], ok[order]
    last_of_tie = np.append(conf[1:] != conf[:-1], True)  # a cut only between different confidences
    running = np.cumsum(ok) / np.arange(1, len(ok) + 1)
    good = np.nonzero((running >= target) & last_of_tie)[0]
    if not len(good):
        return Operating(1.01, 0.0, 0.0)
    k = int(good[-1])
    return Operating(float(conf[k]), float(running[k]), (k + 1) / len(conf))


def curve(confidence: Sequence[float], correct: Sequence[bool],
          steps: Iterable[float] = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)) -> list[Operating]:
    """Precision and coverage at each threshold of `steps`: the table `postdesk model eval` prints."""
    conf = np.asarray(confidence, dtype=np.float64)
    ok = np.asarray(correct, dtype=bool)
    out = []
    for t in steps:
        mask = conf >= t
        n = int(mask.sum())
        out.append(Operating(t, float(ok[mask].mean()) if n else 0.0, n / len(conf) if len(conf) else 0.0))
    return out


@dataclass(frozen=True, slots=True)
class Scores:
    """Accuracy, macro-F1 and per label (precision, recall, F1, support); the confusion matrix by label."""

    accuracy: float
    macro_f1: float
    per_label: dict[str, tuple[float, float, float, int]]
    confusion: dict[str, dict[str, int]]


def scores(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Scores:
    """Plain counting, so `eval` needs no scikit-learn."""
    confusion = {a: dict.fromkeys(labels, 0) for a in labels}
    for t, p in zip(truth, predicted, strict=True):
        confusion.setdefault(t, dict.fromkeys(labels, 0))
        confusion[t][p] = confusion[t].get(p, 0) + 1
    per: dict[str, tuple[float, float, float, int]] = {}
    for label in confusion:
        tp = confusion[label].get(label, 0)
        support = sum(confusion[label].values())
        said = sum(row.get(label, 0) for row in confusion.values())
        prec = tp / said if said else 0.0
        rec = tp / support if support else 0.0
        per[label] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0, support)
    right = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p)
    present = [v for v in per.values() if v[3]]
    return Scores(right / len(truth) if truth else 0.0,
                  sum(v[2] for v in present) / len(present) if present else 0.0, per, confusion)
