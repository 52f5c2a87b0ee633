"""How a failure is attributed to the stage it happened in, shared by the runner and the handlers.

A mail that fails anywhere is rolled back and quarantined with the stage and the error; `stage(name)` is the
one mechanism that names the stage, so a broken notification says "notify", not the "store" around it.
The handlers raise through it as the runner does, which is why it lives beside both and in neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class Reject(Exception):
    """A mail that cannot become a request; quarantined with this reason."""


class RawPurged(Exception):
    """The raw bytes of a stored mail are gone ([retention] raw_mail): there is nothing to process."""


class StageFailed(Exception):
    """An error inside a later stage, carrying that stage's name to the quarantine record."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


@contextmanager
def stage(name: str) -> Iterator[None]:
    """The one way a failure is attributed: whatever goes wrong inside is quarantined under `name` (an inner
    stage keeps its own), so a broken notification says "notify", not the "store" around it."""
    try:
        yield
    except StageFailed:
        raise
    except Exception as exc:
        raise StageFailed(name) from exc
