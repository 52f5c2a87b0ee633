"""Learned routing on the shared data sets: quality, threshold, speed, memory, and the baselines beside it.

    .venv/bin/python bench/model.py [--no-baselines] [--skip-english] [--skip-russian] [--inner]

Reads ../shared/datasets/it_tickets/train.csv (38k English tickets, 8 labels) and
../shared/datasets/ru_requests/dev.jsonl (201 Russian requests, 8 queues) at run time; nothing is copied.

* English: our own held-out fifth of train.csv (chosen by a hash of the text, as the data set's own held-back
  part was), the model fitted on the other four fifths (and on 5,000 of them); accuracy, macro-F1, per label,
  the threshold the fit chose by cross-validation on its training rows only, and what it gives on the
  held-out rows (coverage, precision); fit time and prediction time per mail.
* Russian: 5-fold cross-validation on dev.jsonl (three shuffles), all rows and the unambiguous ones.
* The issue's baselines measured in the same run on the same splits (TF-IDF word 1–2-grams + LinearSVC, and
  logistic regression C=10; character 2–5-grams + LinearSVC for Russian).
* The self-check: fit on the first 80 % in file order, predict the rest, as a center lives with it.
* RSS of a process holding the full English model, after predicting.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "datasets"

from postdesk.daemon.learning import fit as learning  # noqa: E402
from postdesk.routing.classifier import model_text, predict  # noqa: E402


def english() -> list[tuple[str, str]]:
    with (DATA / "it_tickets" / "train.csv").open(encoding="utf-8", newline="") as f:
        return [(r["text"], r["label"]) for r in csv.DictReader(f)]


def russian() -> list[dict[str, object]]:
    with (DATA / "ru_requests" / "dev.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def held_out(text: str, salt: bytes = b"bench:") -> bool:
    return int(hashlib.md5(salt + text.encode()).hexdigest(), 16) % 5 == 0


def measure(name: str, train: list[learning.Example], test: list[tuple[str, str]], per_label: bool = False) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    fitted = learning.fit(train, 0.95)
    fit_s, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    result = learning.evaluate(fitted.model, test)
    per_mail = (time.perf_counter() - started) / max(1, len(test)) * 1000
    cv, at = fitted.meta["cv"], result["at_threshold"]
    print(f"{name}: {len(train)} training rows ({fitted.meta['candidate']}), {len(test)} held out")
    print(f"  accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")
    print(f"  threshold {fitted.model.threshold:.3f} (cross-validated on the training rows: precision "
          f"{cv['precision']:.3f}, coverage {cv['coverage']:.1%}); held out at it: routes {at['coverage']:.1%} "
          f"at precision {at['precision']:.3f}")
    print(f"  fit {fit_s:.1f} s ({cpu:.0f} s of CPU: the machine's load aside), "
          f"predict {per_mail:.3f} ms per mail (features + dot product, one mail at a time)")
    if per_label:
        for label, v in result["per_label"].items():
            print(f"    {label:<24} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  n {v['support']}")
    return {"fitted": fitted, "result": result}


def baselines_en(train: list[tuple[str, str]], test: list[tuple[str, str]], rows: int | None = None) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.svm import LinearSVC

    pick = train[:rows] if rows else train
    v = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    x = v.fit_transform([t for t, _ in pick])
    xt = v.transform([t for t, _ in test])
    y, yt = [lab for _, lab in pick], [lab for _, lab in test]
    models = [("LinearSVC", LinearSVC())]
    if not rows:
        models.append(("logistic C=10", LogisticRegression(C=10, max_iter=1000)))
    for name, clf in models:
        started = time.perf_counter()
        p = clf.fit(x, y).predict(xt)
        print(f"  baseline word 1-2-grams + {name} ({len(pick)} rows): accuracy {accuracy_score(yt, p):.3f}, "
              f"macro-F1 {f1_score(yt, p, average='macro'):.3f} ({time.perf_counter() - started:.0f} s)")


def bench_english(baselines: bool) -> None:
    rows = english()
    train = [(t, lab) for t, lab in rows if not held_out(t)]
    test = [(model_text("", t), lab) for t, lab in rows if held_out(t)]
    examples = [learning.Example(model_text("", t), lab) for t, lab in train]
    full = measure("English, all of train.csv less the held-out fifth", examples, test, per_label=True)
    if baselines:
        baselines_en(train, [(t, lab) for t, lab in rows if held_out(t)])
    random.Random(0).shuffle(examples)
    random.Random(0).shuffle(train)
    measure("English, 5,000 training rows", examples[:5000], test)
    if baselines:
        baselines_en(train, [(t, lab) for t, lab in rows if held_out(t)], rows=5000)
    cut = len(rows) * 8 // 10
    measure("English self-check: first 80 % in file order, predict the last 20 %",
            [learning.Example(model_text("", t), lab) for t, lab in rows[:cut]],
            [(model_text("", t), lab) for t, lab in rows[cut:]])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "queue.npz"
        learning.save(full["fitted"], path)
        print(f"  the full English model file: {path.stat().st_size / 2**20:.1f} MB; {_rss_with(path)}")


def _rss_with(path: Path, sample: str = "laptop screen broken please replace") -> str:
    """A fresh process that imports the daemon, loads the model as the daemon does and predicts: its RSS."""
    code = ("import re, sys, time; import postdesk.daemon.process.service, postdesk.daemon.pipeline.runner; "
            "rss = lambda: int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024; "
            "before = rss(); "
            "from postdesk.daemon.learning.fit import load; "
            "from postdesk.routing.classifier import predict, model_text; "
            "started = time.perf_counter(); m = load(__import__('pathlib').Path(sys.argv[1])).model; "
            "took = time.perf_counter() - started; "
            "[predict(m, model_text('', sys.argv[2])) for _ in range(100)]; "
            "after = rss(); "
            "print(f'a process with the daemon imported: RSS {before:.0f} MB; with the model loaded ({took:.1f} s) "
            "and predicting: {after:.0f} MB')")
    out = subprocess.run([sys.executable, "-c", code, str(path), sample], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip()[-300:]


def bench_russian(baselines: bool) -> None:
    from sklearn.model_selection import StratifiedKFold

    rows = russian()
    texts = [model_text(str(r.get("subject") or ""), str(r.get("body") or "")) for r in rows]
    labels = [str(r["label"]) for r in rows]
    clear = [not r.get("ambiguous") for r in rows]
    accs, clears, base, fit_s, ms = [], [], [], [], []
    for seed in range(3):
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, labels):
            started = time.perf_counter()
            fitted = learning.fit([learning.Example(texts[i], labels[i]) for i in train], 0.95)
            fit_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            got = [predict(fitted.model, texts[i]).label for i in test]
            ms.append((time.perf_counter() - started) / len(test) * 1000)
            accs.append(sum(g == labels[i] for g, i in zip(got, test, strict=True)) / len(test))
            kept = [(g, i) for g, i in zip(got, test, strict=True) if clear[i]]
            clears.append(sum(g == labels[i] for g, i in kept) / len(kept))
            if baselines:
                base.append(_char_svc([f"{rows[i].get('subject')}\n{rows[i].get('body')}" for i in train],
                                      [labels[i] for i in train],
                                      [f"{rows[i].get('subject')}\n{rows[i].get('body')}" for i in test],
                                      [labels[i] for i in test]))
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    print(f"Russian, dev.jsonl, 5-fold cross-validation × 3 shuffles ({len(rows)} rows): accuracy {mean(accs):.3f} "
          f"(unambiguous rows {mean(clears):.3f}); fit {mean(fit_s):.1f} s, predict {mean(ms):.3f} ms per mail")
    if baselines:
        print(f"  baseline character 2-5-grams + LinearSVC, same folds: accuracy {mean(base):.3f}")
    fitted = learning.fit([learning.Example(t, lab) for t, lab in zip(texts, labels, strict=True)], 0.95)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "queue.npz"
        learning.save(fitted, path)
        print(f"  the model of all {len(rows)} rows ({', '.join(b['kind'] for b in fitted.meta['blocks'])}): "
              f"{path.stat().st_size / 2**20:.1f} MB; {_rss_with(path, texts[0])}")


def _char_svc(x: list[str], y: list[str], xt: list[str], yt: list[str]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    v = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    p = LinearSVC().fit(v.fit_transform(x), y).predict(v.transform(xt))
    return sum(a == b for a, b in zip(p, yt, strict=True)) / len(yt)


def inner_english() -> None:
    """The comparisons behind the fit's choices, on an inner split of the training rows only (a second hash
    takes a fifth of them; the held-out fifth is never looked at): LinearSVC on words, on words and
    characters, and NBSVM on words and characters, with a paired bootstrap standard error."""
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.svm import LinearSVC

    from postdesk.daemon.learning.nbsvm import NBSVM

    train = [(model_text("", t), lab) for t, lab in english() if not held_out(t)]
    inner = [held_out(t, b"inner:") for t, _ in train]
    fit_rows = [r for r, i in zip(train, inner, strict=True) if not i]
    test_rows = [r for r, i in zip(train, inner, strict=True) if i]
    labels = sorted({lab for _, lab in train})
    y = np.array([labels.index(lab) for _, lab in fit_rows])
    yt = np.array([labels.index(lab) for _, lab in test_rows])
    vecs = learning._vectorizers(len(fit_rows))
    parts = [(v.fit_transform([t for t, _ in fit_rows]), v.transform([t for t, _ in test_rows])) for _, v in vecs]
    words = parts[0]
    both = (hstack([p[0] for p in parts]).tocsr(), hstack([p[1] for p in parts]).tocsr())
    right = {}
    for name, (x, xt), clf in (("LinearSVC C=0.5, words (the model before)", words, LinearSVC(C=0.5)),
                               ("LinearSVC C=0.3, words + characters", both, LinearSVC(C=0.3)),
                               ("NBSVM C=0.3, words + characters (the model now)", both, NBSVM(0.3))):
        right[name] = clf.fit(x, y).decision_function(xt).argmax(1) == yt
        print(f"inner split ({len(fit_rows)} → {len(test_rows)}): {name}: accuracy {right[name].mean():.4f}")
    first, *_, last = right.values()
    d = last.astype(float) - first
    rng = np.random.default_rng(0)
    se = np.std([d[rng.integers(0, len(d), len(d))].mean() for _ in range(1000)])
    print(f"  now − before: {d.mean():+.4f} ± {se:.4f} (paired bootstrap standard error)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--skip-english", action="store_true")
    ap.add_argument("--skip-russian", action="store_true")
    ap.add_argument("--inner", action="store_true", help="only the English comparisons on an inner split")
    args = ap.parse_args()
    if args.inner:
        inner_english()
        return
    if not args.skip_russian:
        bench_russian(not args.no_baselines)
    if not args.skip_english:
        bench_english(not args.no_baselines)


if __name__ == "__main__":
    main()
