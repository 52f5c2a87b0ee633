"""[retention] raw_mail with the real daemon, CLI and SQLite file: old raw bytes go, tickets stay, and whatever
reads raw mail later says plainly that it was purged."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import event

from postdesk.storage.db import Database
from postdesk.storage.inbound import Delivery, store_inbound
from postdesk.storage.retention import purge_raw
from support import Center, mail

RETENTION = '[retention]\nraw_mail = "180d"\n'
NO_SENDER = b"To: service@corp.example\r\nSubject: no from\r\nMessage-ID: <nofrom@x>\r\n\r\nbody\r\n"


def at(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def raw_state(center: Center, table: str) -> dict[int, tuple[str, bool]]:
    """id -> (status, whether the raw bytes are still there), straight from the SQLite file."""
    with sqlite3.connect(center.root / "var" / "postdesk.db") as c:
        return {i: (status, has) for i, status, has in c.execute(f"SELECT id, status, raw IS NOT NULL FROM {table}")}


def wait_until(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_old_raw_mail_is_purged_and_everything_else_stays(make_center: Callable[..., Center]) -> None:
    center = make_center(extra=RETENTION)
    assert "retention: raw mail purged 180 days after it came in or went out" in center.cli("check-config").stdout
    assert "retention" in center.cli("jobs").stdout
    center.start()
    m = mail("Не работает VPN", "С утра не работает VPN, ошибка 809.", message_id="<vpn@corp.example>")
    assert isinstance(m, EmailMessage)
    m.add_attachment(b"\x89PNG screenshot", maintype="image", subtype="png", filename="error809.png")
    center.send(m)
    center.send(NO_SENDER, sender="")
    center.wait_outgoing(1)
    wait_until(lambda: "no sender" in center.cli("quarantine", "list").stdout)
    assert center.stop() == 0
    db = Database(f"sqlite:///{center.root / 'var' / 'postdesk.db'}")
    (pending,) = store_inbound(db, b"From: anna@corp.example\r\nSubject: later\r\n\r\nhi\r\n", source="ingest",
                               deliveries=[Delivery("service", None, ())], envelope_from="anna@corp.example",
                               message_id="later@corp.example")  # stored, not processed yet: a daemon is down
    db.dispose()
    inbound = raw_state(center, "inbound")
    done = next(i for i, (status, _) in inbound.items() if status == "done")
    quarantined = next(i for i, (status, _) in inbound.items() if status == "quarantined")

    out = center.cli("retention", "run", "--now", at(179)).stdout
    assert "purged the raw bytes of 0 processed inbound mail(s) and 0 sent mail(s)" in out
    out = center.cli("retention", "run", "--now", at(181)).stdout
    assert "purged the raw bytes of 1 processed inbound mail(s) and 1 sent mail(s)" in out
    assert "tickets, messages and attachments are kept" in out
    assert raw_state(center, "inbound") == {done: ("done", False), quarantined: ("quarantined", True),
                                            pending: ("pending", True)}
    assert list(raw_state(center, "outbox").values()) == [("sent", False)]
    assert "0 processed inbound mail(s) and 0 sent" in center.cli("retention", "run", "--now", at(182)).stdout

    ticket = center.ticket("SD-1")
    (request,) = [msg for msg in ticket["messages"] if msg["kind"] == "request"]
    assert "ошибка 809" in request["text"] and [a["filename"] for a in request["attachments"]] == ["error809.png"]
    shown = center.cli("quarantine", "show", str(done)).stdout
    assert "(raw mail purged by retention)" in shown
    refused = center.cli("quarantine", "show", "--raw", str(done), check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert f"inbound {done}: the raw mail was purged by retention" in refused.stderr
    kept = center.cli("quarantine", "show", "--raw", str(quarantined)).stdout
    assert kept.startswith("To: service@corp.example")


def test_purged_mail_put_back_in_a_queue_is_refused_plainly(make_center: Callable[..., Center]) -> None:
    """Only by hand can a purged row be queued again; the pipeline and the sender then say why they cannot."""
    center = make_center(extra=RETENTION)
    center.start()
    center.send(mail("Принтер", "Принтер не печатает."))
    center.wait_outgoing(1)
    assert center.stop() == 0
    center.cli("retention", "run", "--now", at(200))
    with sqlite3.connect(center.root / "var" / "postdesk.db") as c:
        c.execute("UPDATE inbound SET status = 'pending'")
        c.execute("UPDATE outbox SET status = 'pending'")
    center.start()
    wait_until(lambda: "purged by retention" in center.cli("quarantine", "list").stdout)
    wait_until(lambda: "purged by retention" in center.cli("outbox", "list", "--status", "failed").stdout)
    assert len(center.outgoing()) == 1  # nothing new went out


def test_a_retention_that_is_not_set_or_not_a_duration_is_named(make_center: Callable[..., Center]) -> None:
    refused = make_center().cli("retention", "run", check=False)
    assert refused.returncode == 2 and "raw mail is kept forever" in refused.stderr
    for value, problem in (('"soon"', "retention.raw_mail: not a duration: 'soon'"),
                           ("180", "retention.raw_mail: 180 is less than a day (a bare number means seconds)"),
                           ('"12h"', "retention.raw_mail: '12h' is less than a day")):
        checked = make_center(extra=f"[retention]\nraw_mail = {value}\n").cli("check-config", check=False)
        assert checked.returncode == 2 and problem in checked.stderr, checked.stderr
    assert "raw mail kept forever" in make_center(extra='[retention]\nraw_mail = "forever"\n').cli(
        "check-config").stdout


def test_a_large_purge_goes_in_short_transactions(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    db.create_schema()
    ids = [store_inbound(db, f"Subject: {n}\r\n\r\nbody {n}\r\n".encode(), source="smtp",
                         deliveries=[Delivery("service", None, ())], envelope_from="a@b.example",
                         message_id=f"{n}@b.example")[0] for n in range(25)]
    with sqlite3.connect(tmp_path / "p.db") as c:
        c.execute("UPDATE inbound SET status = 'done'")
        c.execute(f"UPDATE inbound SET status = 'quarantined' WHERE id = {ids[3]}")
    commits: list[int] = []
    event.listen(db.write_engine, "commit", lambda conn: commits.append(1))
    purged = purge_raw(db, datetime.now(UTC) + timedelta(minutes=1), window=4)
    assert (purged.inbound, purged.outbox) == (24, 0)
    assert len(commits) == 7  # 25 ids in windows of 4, each its own write transaction
    with sqlite3.connect(tmp_path / "p.db") as c:
        assert c.execute("SELECT id FROM inbound WHERE raw IS NOT NULL").fetchall() == [(ids[3],)]
    assert purge_raw(db, datetime.now(UTC) - timedelta(days=1), window=4).inbound == 0  # nothing that old
    db.dispose()
