"""Addresses that get no mail for a while (a permanent bounce): kept, asked about, and listed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select

from postdesk.storage.db import Database
from postdesk.storage.models import Suppression, utcnow
from postdesk.storage.prepared import PreparedIn
from postdesk.storage.txbase import TxBase


class SuppressionsTx(TxBase):
    """Suppressions inside one mail's transaction: a bounce adds one, every automatic mail asks first."""

    def suppressed(self, addresses: Iterable[str], now: datetime) -> dict[str, datetime]:
        """The addresses among these that get no mail now, with until when."""
        wanted = [a.lower() for a in addresses if a]
        if not wanted:
            return {}
        return {a: until for a, until in self._run.all_in(_SUPPRESSED, wanted, {"now": now})}

    def suppress(self, address: str, until: datetime, reason: str, now: datetime) -> None:
        address = address.lower()
        self._c.execute(delete(Suppression).where(Suppression.address == address))
        self._c.execute(insert(Suppression), {"address": address, "until": until, "reason": reason[:1000],
                                              "created_at": now})


def suppressions(db: Database, addresses: Iterable[str]) -> dict[str, tuple[datetime, str]]:
    """Addresses among these that get no mail for now (a permanent bounce): until when, and why."""
    wanted = [a.lower() for a in addresses]
    if not wanted:
        return {}
    with db.read() as s:
        q = select(Suppression.address, Suppression.until, Suppression.reason).where(
            Suppression.address.in_(wanted), Suppression.until > utcnow())
        return {a: (until, reason) for a, until, reason in s.execute(q).all()}


_SUPPRESSED = PreparedIn(lambda ids: select(Suppression.address, Suppression.until).where(
    Suppression.address.in_(ids), Suppression.until > bindparam("now")))
