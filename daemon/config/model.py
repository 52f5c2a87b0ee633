"""The `[model]` section: learned routing (daemon/learning/fit.py), off unless a center turns it on."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """`file` is the model `postdesk model fit` writes and the daemon routes by; `precision` the target the
    fit picks its confidence threshold for; `min_new` the resolved tickets that make the nightly refit run."""

    enabled: bool = False
    precision: float = 0.95
    min_new: int = 200
    file: Path | None = None  # None: <data_dir>/model/queue.npz

    def path(self, data_dir: Path) -> Path:
        return self.file or data_dir / "model" / "queue.npz"


DEFAULT = ModelConfig()
KEYS = {f.name for f in fields(ModelConfig)}  # the section's keys are the fields


def parse_model(r: Any, data: dict[str, Any]) -> ModelConfig:
    """`r` is config.reader.Reader: problems are collected there, like every other section's; the defaults
    are the dataclass's."""
    table = r.table(data, "model", KEYS)
    enabled = r.boolean(table, "enabled", "model.enabled", DEFAULT.enabled)
    precision = table.get("precision", DEFAULT.precision)
    if isinstance(precision, bool) or not isinstance(precision, int | float) or not 0.5 <= precision <= 1.0:
        r.problem("model.precision", f"must be a number from 0.5 to 1.0 (e.g. {DEFAULT.precision})")
        precision = DEFAULT.precision
    file = r.string(table, "file", "model.file")
    return ModelConfig(enabled=enabled, precision=float(precision),
                       min_new=r.integer(table, "min_new", "model.min_new", DEFAULT.min_new, 1),
                       file=r.path(file) if file else None)
