"""What became of an inbound mail: the kind of action carried out, and the line a person reads.

The pipeline used to return and store only the line ("new ticket SD-1 in general"), and its callers (the
import's counts, the benchmark, the route-test truth test) read the kind back with `startswith`. The kind
is now stored beside the line (inbound.outcome_kind); a row processed before has no kind, and its line
still shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OutcomeKind(StrEnum):
    """The kinds of routing.actions (the words `postdesk route-test` prints), and what is not an action:
    a mail that waits for a later pass, or one quarantined (refused, or failed at a stage)."""

    NEW_TICKET = "new-ticket"
    FOLLOW_UP = "follow-up"
    AGENT_REPLY = "agent-reply"
    THIRD_PARTY = "third-party"
    RATING = "rating"
    SOLVED = "solved"
    STATUS = "status"
    SUBSCRIPTION = "subscription"
    NEWS = "news"
    TOO_LARGE = "too-large"
    AUTOMATIC = "automatic"
    DUPLICATE = "duplicate"
    REFUSE = "refuse"
    DEFER = "defer"
    QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One mail's outcome: its kind (None for a row stored before kinds were), the ticket it ended on, and
    the line for people ("follow-up on SD-3 (reopened)"), which is also what `str()` gives."""

    kind: OutcomeKind | None
    text: str
    ticket_id: int | None = None

    def __str__(self) -> str:
        return self.text

    @property
    def quarantined(self) -> bool:
        """Kept in the quarantine, not done: refused (no request can come of it) or failed at a stage."""
        return self.kind in (OutcomeKind.REFUSE, OutcomeKind.QUARANTINED)

    @classmethod
    def stored(cls, kind: str | None, text: str | None, ticket_id: int | None) -> Outcome | None:
        """The outcome of a row as stored: none before it is done; an unknown or missing kind reads as None."""
        if text is None:
            return None
        try:
            known = OutcomeKind(kind) if kind else None
        except ValueError:  # a kind a later Postdesk wrote: the line still says what happened
            known = None
        return cls(known, text, ticket_id)
