"""`postdesk model fit | predict | eval | show`: train the learned routing, try it, measure it.

Registered in daemon/cli/main.py; everything heavy (NumPy, scikit-learn) is imported inside the commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from postdesk.daemon.cli.common import config_of, database_of, fail

KINDS = ("csv", "jsonl")


model_grp: click.Group = click.Group(
    "model", help="Learned routing ([model]): a model trained on the desk's own history picks the queue when no "
                  "rule does.")


LABELS = click.option("--labels", type=click.Choice(["queue", "category"]), default="queue", show_default=True,
                      help="Which model: the queues', or the categories' (category.npz beside it).")


def _model_path(ctx: click.Context, given: str | None, labels: str = "queue") -> Path:
    if given:
        return Path(given)
    c = config_of(ctx)
    path = c.model.path(c.service.data_dir)
    if labels == "category":
        from postdesk.daemon.learning.predictor import category_path
        return category_path(path)
    return path


def _needs_learning() -> Any:
    try:
        from postdesk.daemon.learning import fit as learning
    except ImportError as exc:
        fail(f"learned routing needs NumPy and scikit-learn: pip install 'postdesk[learn]' ({exc})")
    return learning


def _source(csv_file: str | None, jsonl_file: str | None) -> tuple[str, str] | None:
    if csv_file and jsonl_file:
        fail("give --csv or --jsonl, not both")
    if csv_file:
        return csv_file, "csv"
    if jsonl_file:
        return jsonl_file, "jsonl"
    return None


def _rows(learning: Any, path: str, kind: str) -> list[tuple[str, str | None]]:
    try:
        rows: list[tuple[str, str | None]] = learning.read_examples(Path(path), kind)
        return rows
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read: {exc}")
    except learning.ModelError as exc:
        fail(str(exc))


def _from_db(ctx: click.Context, learning: Any, labels: str = "queue") -> list[Any]:
    from postdesk.routing.classifier import model_text
    from postdesk.storage.training import labelled_tickets

    found = [learning.Example(model_text(t.subject, t.text, strip=False), label,
                              learning.CORRECTED_WEIGHT if t.corrected else 1.0)
             for t in labelled_tickets(database_of(ctx))
             if (label := t.queue if labels == "queue" else t.category)]
    if not found:
        fail("the database has no tickets that began with a mail" + (" and have a category" if labels == "category"
                                                                      else "") + ": nothing to learn from yet")
    return found


@model_grp.command("fit")
@click.option("--csv", "csv_file", default=None, help="Examples: CSV with text,label or subject,body,label.")
@click.option("--jsonl", "jsonl_file", default=None, help="Examples: JSON Lines with text or subject+body, and label.")
@click.option("--from-db", is_flag=True, help="Examples: the desk's tickets (first mail, final queue).")
@click.option("--precision", type=click.FloatRange(0.5, 1.0), default=None,
              help="Target precision for the threshold (default: [model] precision, else 0.95).")
@click.option("--model", "model_file", default=None, help="Write here instead of [model] file.")
@click.option("--json", "as_json", is_flag=True, help="Print the fitted model's header as JSON.")
@LABELS
@click.pass_context
def fit_cmd(ctx: click.Context, csv_file: str | None, jsonl_file: str | None, from_db: bool, precision: float | None,
            model_file: str | None, as_json: bool, labels: str) -> None:
    """Train, cross-validate, choose the threshold, and write the model file (the daemon picks it up)."""
    learning = _needs_learning()
    source = _source(csv_file, jsonl_file)
    examples: list[Any] = []
    if source:
        examples += learning.labelled(_rows(learning, *source), source[0])
    if from_db:
        examples += _from_db(ctx, learning, labels)
    if not examples:
        fail("give the examples: --csv FILE, --jsonl FILE or --from-db")
    if precision is None:
        precision = config_of(ctx).model.precision if model_file is None else 0.95
    path = _model_path(ctx, model_file, labels)
    with click.progressbar(length=learning.steps(len(examples)), label=f"fitting {len(examples)} examples",
                           file=sys.stderr, show_eta=False) as bar:
        try:
            fitted = learning.fit(examples, precision, step=lambda _name: bar.update(1))
        except learning.ModelError as exc:
            fail(str(exc))
    learning.save(fitted, path)
    m = fitted.meta
    if labels == "queue" and Path(ctx.obj["config_path"]).exists():
        queues = {q.name for q in config_of(ctx).routing.queues}
        if strange := [lab for lab in m["labels"] if lab not in queues]:
            click.echo(f"postdesk: warning: labels that are no queue of the config, never routed to: "
                       f"{', '.join(strange)}", err=True)
    if as_json:
        click.echo(json.dumps(m, ensure_ascii=False))
        return
    cv = m["cv"]
    click.echo(f"model {path}: {m['candidate']}, {m['examples']} examples, {len(m['labels'])} labels, "
               f"fitted in {m['fit_seconds']} s")
    click.echo(f"cross-validated ({m['folds']} folds): accuracy {cv['accuracy']:.3f}, macro-F1 {cv['macro_f1']:.3f}")
    click.echo(f"threshold {m['threshold']:.3f} for precision {precision:.2f}: routes {cv['coverage']:.1%} "
               f"of the mails at precision {cv['precision']:.3f}; the rest go to the default queue")


def _load(ctx: click.Context, learning: Any, model_file: str | None, labels: str = "queue") -> Any:
    try:
        return learning.load(_model_path(ctx, model_file, labels))
    except learning.ModelError as exc:
        fail(str(exc))


@model_grp.command("predict")
@click.option("--csv", "csv_file", default=None, help="Rows of a CSV (text or subject,body).")
@click.option("--jsonl", "jsonl_file", default=None, help="Rows of a JSON Lines file (text or subject+body).")
@click.option("--model", "model_file", default=None, help="The model file (default: [model] file).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per row: label, confidence, routed, top.")
@click.argument("mail", required=False)
@LABELS
@click.pass_context
def predict_cmd(ctx: click.Context, csv_file: str | None, jsonl_file: str | None, model_file: str | None,
                as_json: bool, mail: str | None, labels: str) -> None:
    """The model's guesses for each row of --csv/--jsonl, or for one mail (a message file, - for stdin)."""
    learning = _needs_learning()
    from postdesk.routing.classifier import model_text, predict

    source = _source(csv_file, jsonl_file)
    if source:
        texts = [t for t, _ in _rows(learning, *source)]
    elif mail:
        from postdesk.parsers import parse_mail
        raw = sys.stdin.buffer.read() if mail == "-" else _read_bytes(mail)
        parsed = parse_mail(raw)
        texts = [model_text(parsed.subject, parsed.text or parsed.full_text, strip=False)]
    else:
        fail("give --csv FILE, --jsonl FILE, or a mail file (- for standard input)")
    model = _load(ctx, learning, model_file, labels).model
    for text in texts:
        p = predict(model, text)
        if as_json:
            click.echo(json.dumps({"label": p.label, "confidence": p.confidence, "routed": p.routed,
                                   "top": [list(g) for g in p.top]}, ensure_ascii=False))
        else:
            click.echo(f"{p.label:<16} {p.confidence:.3f} {'routed' if p.routed else 'below threshold':<16} "
                       f"{p.guesses()}")


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")


@model_grp.command("eval")
@click.option("--csv", "csv_file", default=None, help="Labelled CSV (text,label or subject,body,label).")
@click.option("--jsonl", "jsonl_file", default=None, help="Labelled JSON Lines.")
@click.option("--from-db", is_flag=True, help="The desk's own tickets (final queues) — mostly seen in training.")
@click.option("--model", "model_file", default=None, help="The model file (default: [model] file).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@LABELS
@click.pass_context
def eval_cmd(ctx: click.Context, csv_file: str | None, jsonl_file: str | None, from_db: bool,
             model_file: str | None, as_json: bool, labels: str) -> None:
    """Accuracy, macro-F1, a per-label table, the confusion matrix and the precision/coverage curve."""
    learning = _needs_learning()
    source = _source(csv_file, jsonl_file)
    if source:
        rows = _rows(learning, *source)
    elif from_db:
        rows = [(e.text, e.label) for e in _from_db(ctx, learning, labels)]
    else:
        fail("give the labelled rows: --csv FILE, --jsonl FILE or --from-db")
    model = _load(ctx, learning, model_file, labels).model
    with click.progressbar(length=1, label=f"predicting {len(rows)} rows", file=sys.stderr, show_eta=False) as bar:
        result = learning.evaluate(model, rows)
        bar.update(1)
    if result["rows"] == 0:
        fail("no labelled rows to measure on")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"{result['rows']} rows: accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")
    at = result["at_threshold"]
    click.echo(f"at the threshold {result['threshold']:.3f}: routes {at['coverage']:.1%}, "
               f"precision {at['precision']:.3f}")
    click.echo("")
    click.echo(f"{'label':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'rows':>6}")
    for label, v in result["per_label"].items():
        click.echo(f"{label:<16} {v['precision']:9.3f} {v['recall']:7.3f} {v['f1']:6.3f} {v['support']:6d}")
    names = list(result["confusion"])
    click.echo("")
    click.echo("confusion (rows: true label, columns: predicted)")
    width = max(6, *(len(x) for x in names)) + 1
    click.echo(" " * width + "".join(f"{x[:width - 1]:>{width}}" for x in names))
    for t in names:
        click.echo(f"{t:<{width}}" + "".join(f"{result['confusion'][t].get(p, 0):>{width}}" for p in names))
    click.echo("")
    click.echo(f"{'threshold':>9} {'precision':>9} {'coverage':>8}")
    for c in result["curve"]:
        click.echo(f"{c['threshold']:9.2f} {c['precision']:9.3f} {c['coverage']:8.1%}")


@model_grp.command("show")
@click.option("--model", "model_file", default=None, help="The model file (default: [model] file).")
@LABELS
@click.pass_context
def show_cmd(ctx: click.Context, model_file: str | None, labels: str) -> None:
    """The model file's header: labels, threshold, cross-validated metrics, training date."""
    learning = _needs_learning()
    click.echo(json.dumps(_load(ctx, learning, model_file, labels).meta, ensure_ascii=False, indent=2))
