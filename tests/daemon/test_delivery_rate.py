"""[smtp_out] rate: a digest of thousands must not leave faster than the relay allows; ticket mail first."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from postdesk.daemon.config import load_config
from postdesk.daemon.outgoing.delivery import send_due, transport_for
from postdesk.storage.db import Database
from postdesk.storage.tickets import TicketStore

CONFIG = """
[service]
address = "service@corp.example"
secret = "0123456789abcdef0123"
[smtp_out]
maildir = "out"
rate = "20/s"
[[queues]]
name = "general"
"""


def test_rate_spaces_deliveries_and_digests_go_last(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(CONFIG)
    config = load_config(tmp_path / "c.toml")
    assert config.smtp_out.rate == 20
    db = Database(config.database_url)
    db.create_schema()
    now = datetime.now(UTC)
    with TicketStore(db).transaction() as tx:
        for i in range(10):
            tx.enqueue(kind="digest", message_id=f"d{i}@x", mail_from="service@corp.example",
                       rcpt=[f"p{i}@corp.example"], subject="digest", raw=b"Subject: d\r\n\r\nx\r\n", ticket_id=None,
                       now=now)
        tx.enqueue(kind="ack", message_id="a@x", mail_from="service@corp.example", rcpt=["late@corp.example"],
                   subject="ack", raw=b"Subject: a\r\n\r\nx\r\n", ticket_id=None, now=now)
    started = time.monotonic()
    assert send_due(db, transport_for(config.smtp_out), config.smtp_out) == 11
    assert time.monotonic() - started >= 10 / 20 * 0.9  # 11 mails at 20 a second: at least half a second
    new = config.smtp_out.maildir / "new"  # type: ignore[operator]
    first = min(new.iterdir(), key=lambda p: os.stat(p).st_mtime_ns)
    assert b"Subject: a" in first.read_bytes()  # the acknowledgment went out before the digest mail
