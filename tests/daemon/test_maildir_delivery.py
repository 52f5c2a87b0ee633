"""The maildir outbox syncs a pass's files together: every mail lands once, and no row says sent before its file
is on disk."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from postdesk.daemon.config import load_config
from postdesk.daemon.outgoing.delivery import MaildirTransport, send_due
from postdesk.storage import outbox
from postdesk.storage.db import Database
from postdesk.storage.tickets import TicketStore

CONFIG = """
[service]
address = "service@corp.example"
secret = "0123456789abcdef0123"
[smtp_out]
maildir = "out"
[[queues]]
name = "general"
"""


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Database, object, Path]:
    (tmp_path / "c.toml").write_text(CONFIG)
    config = load_config(tmp_path / "c.toml")
    db = Database(config.database_url)
    db.create_schema()
    now = datetime.now(UTC)
    with TicketStore(db).transaction() as tx:
        for i in range(7):
            tx.enqueue(kind="ack", message_id=f"m{i}@x", mail_from="service@corp.example", rcpt=[f"p{i}@corp.example"],
                       subject=f"ack {i}", raw=f"Subject: ack {i}\r\n\r\nbody {i}\r\n".encode(), ticket_id=None,
                       now=now)
    assert config.smtp_out.maildir is not None
    return db, config.smtp_out, config.smtp_out.maildir


def subjects(maildir: Path) -> list[str]:
    return sorted(p.read_bytes().split(b"\n", 1)[0].decode() for p in (maildir / "new").iterdir())


def test_a_pass_lands_every_mail_in_new_and_marks_it_sent(desk: tuple[Database, object, Path]) -> None:
    db, cfg, maildir = desk
    assert send_due(db, MaildirTransport(maildir), cfg) == 7  # type: ignore[arg-type]
    assert subjects(maildir) == [f"Subject: ack {i}" for i in range(7)]
    assert list((maildir / "tmp").iterdir()) == []
    assert outbox.counts(db) == {"sent": 7}
    assert (maildir / "new" / sorted(p.name for p in (maildir / "new").iterdir())[0]).read_bytes().endswith(
        b"\n\nbody 0\n")


class BrokenDisk(MaildirTransport):
    """A filesystem that fails the pass's sync once (full, or an I/O error)."""

    failed = False

    def flush(self) -> None:
        if not BrokenDisk.failed:
            BrokenDisk.failed = True
            self.written = []
            raise OSError(5, "Input/output error")
        super().flush()


def test_mails_that_could_not_be_synced_are_not_sent_and_go_out_once_later(
        desk: tuple[Database, object, Path]) -> None:
    db, cfg, maildir = desk
    send_due(db, BrokenDisk(maildir), cfg)  # type: ignore[arg-type]
    assert outbox.counts(db) == {"pending": 7}
    assert list((maildir / "new").iterdir()) == []
    rows = outbox.list_rows(db)
    assert all(r.last_error == "OSError: [Errno 5] Input/output error" for r in rows)
    with db.write() as s:  # the retry is due now, not after the backoff
        s.connection().exec_driver_sql("UPDATE outbox SET next_attempt_at = '2000-01-01 00:00:00'")
    send_due(db, BrokenDisk(maildir), cfg)  # type: ignore[arg-type]
    assert outbox.counts(db) == {"sent": 7}
    assert subjects(maildir) == [f"Subject: ack {i}" for i in range(7)]


def test_a_crash_after_the_files_landed_but_before_the_rows_said_sent_sends_nothing_twice(
        desk: tuple[Database, object, Path]) -> None:
    db, cfg, maildir = desk
    transport = MaildirTransport(maildir)
    for row, raw in outbox.claim_due(db):  # what send_due does, up to the crash
        transport.deliver(row, raw, {})
    transport.flush()
    assert len(subjects(maildir)) == 7 and outbox.counts(db) == {"sending": 7}
    assert outbox.reset_sending(db) == 7  # the next start
    send_due(db, MaildirTransport(maildir), cfg)  # type: ignore[arg-type]
    assert outbox.counts(db) == {"sent": 7}
    assert subjects(maildir) == [f"Subject: ack {i}" for i in range(7)]
