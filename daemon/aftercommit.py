"""What the pipeline tells the world about a transaction's work (log lines, metrics) waits for its commit.

On PostgreSQL a batch that lost a deadlock to another daemon is undone and done again (pipeline/runner.py).
Told at once, the undone attempt left its log lines behind ("inbound 7: new ticket SD-41", when the redo made
SD-42 and SD-41 never existed) and counted its model decisions twice. Inside `holding()` such effects are
kept in order and carried out when the block ends; `Hold.drop()` forgets those of an attempt that was
undone. Outside a hold (the web, the jobs, the tests' direct calls) `later` acts at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_held: ContextVar[list[Callable[[], None]] | None] = ContextVar("postdesk_held_effects", default=None)


class Hold:
    """The effects waiting in one `holding()` block."""

    def __init__(self) -> None:
        self.effects: list[Callable[[], None]] = []

    def drop(self) -> int:
        """Forget what waits (an undone attempt's lines and counts); how many there were."""
        dropped, self.effects[:] = len(self.effects), []
        return dropped


def later(effect: Callable[[], None]) -> None:
    """Carry out `effect` once the current hold ends (at once outside one)."""
    held = _held.get()
    if held is None:
        effect()
    else:
        held.append(effect)


def held() -> bool:
    return _held.get() is not None


@contextmanager
def holding() -> Iterator[Hold]:
    """Keep this thread's effects until the block ends, then carry out those not dropped, in order. They are
    carried out when the block raises, too: the lines before a failure are what explains it."""
    hold = Hold()
    token = _held.set(hold.effects)
    try:
        yield hold
    finally:
        _held.reset(token)
        for effect in hold.effects:
            effect()
