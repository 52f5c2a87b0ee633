"""What every part of one mail's transaction stands on: one connection, its fast runner, the database.

`storage.tickets.Tx` is composed of one part per table group (tickets, conversation, ratings,
suppressions, outbox, inbound, news, portal), each written beside the rest of its group's statements;
they all share this base, so one mail's work is one transaction whatever tables it touches. The
connection and session stay private to storage: the daemon asks the parts, never the database.
"""

from __future__ import annotations

from sqlalchemy import Connection

from postdesk.storage.db import Database
from postdesk.storage.prepared import Runner, Savepoint


class TxBase:
    """The transaction the parts share: `_c` for SQLAlchemy statements, `_run` for prepared ones."""

    def __init__(self, conn: Connection, db: Database, writing: bool = True):
        self._c = conn
        self._run = Runner(conn)
        self._db = db
        self._writing = writing  # False in a read transaction (route-test's dry run): it locks nothing

    def savepoint(self) -> Savepoint:
        """One mail's part of a batch: rolled back alone if that mail fails."""
        return self._run.savepoint()
