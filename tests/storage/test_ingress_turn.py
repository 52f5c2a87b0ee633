"""Mail a client waits for goes before the worker's batches (storage.durable.IngressTurn), on one SQLite file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from postdesk.storage.db import Database
from postdesk.storage.inbound import Arrival, Delivery, store_arrivals
from postdesk.storage.models import Inbound

MAIL = Arrival(b"Message-ID: <turn@corp.example>\r\n\r\nhi\r\n", "smtp", (Delivery("service", None, ()),),
               "anna@corp.example", "turn@corp.example")


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Inbound)) or 0)


def test_a_batch_sees_the_waiting_ingress_and_lets_it_store_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'postdesk.db'}"
    worker, front = Database(url), Database(url)  # two processes' worth: each opens the database itself
    worker.create_schema()
    assert not worker.ingress_waiting()
    stored: list[list[list[int | None]]] = []
    with worker.write() as s:
        s.connection()  # the worker's batch has begun: it holds the write lock
        ingress = threading.Thread(target=lambda: stored.append(store_arrivals(front, [MAIL])))
        ingress.start()
        deadline = time.monotonic() + 5
        while not worker.ingress_waiting() and time.monotonic() < deadline:
            time.sleep(0.001)
        assert worker.ingress_waiting()  # the batch would commit here, after the mail in hand
        assert not stored
    worker.give_way()  # before its next transaction: the ingress's mail is stored by then
    assert _count(worker) == 1
    ingress.join(5)
    assert stored and stored[0][0][0] is not None
    assert not worker.ingress_waiting()
    worker.dispose()
    front.dispose()


def test_a_batch_is_never_held_up_for_long(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'postdesk.db'}"
    worker, front = Database(url), Database(url)
    worker.create_schema()
    with front.write(durable=True) as s:
        s.connection()  # an ingress that waits and waits (here: holds its turn and the lock)
        began = time.monotonic()
        worker.give_way()
        assert time.monotonic() - began < 1.0  # GIVE_WAY_SECONDS, then the batch takes its turn
    worker.dispose()
    front.dispose()
