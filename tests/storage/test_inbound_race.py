"""Two daemons storing the same mail at the same moment: one row, and the other is told it was seen."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from postdesk.storage.db import Database
from postdesk.storage.inbound import _INSERT, Arrival, Delivery, store_arrivals
from postdesk.storage.models import Inbound
from postdesk.storage.prepared import Runner
from postgres import Postgres

MAIL = Arrival(b"Message-ID: <race@corp.example>\r\n\r\nhi\r\n", "smtp", (Delivery("service", None, ()),),
               "anna@corp.example", "race@corp.example")


def test_the_second_of_two_concurrent_copies_is_not_stored(postgres: Postgres) -> None:
    url = postgres.new_url()
    first, second = Database(url), Database(url)
    first.create_schema()
    results: list[list[list[int | None]]] = []
    with first.write() as s:  # the first daemon has inserted, not yet committed
        Runner(s.connection()).insert(_INSERT, {"source": "smtp", "mailbox": "service", "message_id":
                                                "race@corp.example", "size": 1, "raw": b"x"})
        other = threading.Thread(target=lambda: results.append(store_arrivals(second, [MAIL, MAIL])))
        other.start()
        other.join(0.5)
        assert other.is_alive()  # waits on the unique index for the first transaction
    other.join(10)
    assert results == [[[None], [None]]]
    with first.read() as s:
        assert s.scalar(select(func.count()).select_from(Inbound)) == 1
    first.dispose()
    second.dispose()
    postgres.drop(url)
