"""A ticket's rating by its requester: one a ticket, replaceable for a week."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from postdesk.storage.db import Database
from postdesk.storage.models import Rating
from postdesk.storage.txbase import TxBase

RATING_REPLACEABLE = timedelta(days=7)


class RatingsTx(TxBase):
    """Ratings inside one mail's transaction (a rating reply, a press of a rating link)."""

    def rate(self, ticket_id: int, score: int, comment: str, via: str, now: datetime) -> str:
        """One rating a ticket; a later one replaces it within a week of the first, then it stands."""
        row = self._c.execute(select(Rating.first_at).where(Rating.ticket_id == ticket_id)).first()
        if row is None:
            self._c.execute(insert(Rating), {"ticket_id": ticket_id, "score": score, "comment": comment[:4000],
                                             "via": via, "at": now, "first_at": now})
            return "recorded"
        if now - row[0] > RATING_REPLACEABLE:
            return "kept (the earlier rating is more than 7 days old)"
        self._c.execute(update(Rating).where(Rating.ticket_id == ticket_id).values(
            score=score, comment=comment[:4000] if comment else Rating.comment, via=via, at=now))
        return "replaced"


def rating(db: Database, ticket_id: int) -> tuple[int, str] | None:
    """(score, comment) of the ticket's rating, if any."""
    with db.read() as s:
        row = s.execute(select(Rating.score, Rating.comment).where(Rating.ticket_id == ticket_id)).first()
        return (int(row[0]), str(row[1])) if row else None
