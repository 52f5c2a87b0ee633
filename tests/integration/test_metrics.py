"""`GET /metrics` on a running daemon, read the way Prometheus reads it, after mail went through over SMTP."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from support import Center, mail

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(center: Center) -> Samples:
    with urllib.request.urlopen(f"http://127.0.0.1:{center.web_port}/metrics", timeout=5) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=")  # the text exposition format
        text = r.read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    """A sample's value; a counter that never moved has no sample yet, which Prometheus reads as 0."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def wait_scrape(center: Center, ready: Callable[[Samples], bool], timeout: float = 10) -> Samples:
    deadline = time.monotonic() + timeout
    while True:
        samples = scrape(center)
        if ready(samples) or time.monotonic() > deadline:
            return samples
        time.sleep(0.1)


def test_counters_follow_the_mail_and_gauges_read_the_queues(running: Center) -> None:
    before = scrape(running)
    assert value(before, "postdesk_mails_received_total", ingress="smtp", mailbox="service") == 0
    assert value(before, "postdesk_database_up") == 1
    assert value(before, "postdesk_inbound_mails", status="pending") == 0

    running.send(mail("Не работает VPN", "С утра не работает VPN, ошибка 809."))  # the outage rule: it
    running.send(mail("Справка 2-НДФЛ", "Нужна справка 2-НДФЛ за прошлый год."))  # no rule: general
    running.send(mail("Отпуск", "Хочу взять отпуск с 1 декабря.", to="hr@corp.example"))  # hr@: hr
    running.send(b"To: service@corp.example\r\nSubject: no from\r\nMessage-ID: <nofrom@x>\r\n\r\nbody\r\n",
                 sender="")  # no sender at all: quarantined at classify
    running.wait_outgoing(3)
    after = wait_scrape(running, lambda s: value(s, "postdesk_outbox_deliveries_total", kind="ack",
                                                 result="sent") >= 3
                        and value(s, "postdesk_pipeline_latency_seconds_count") >= 4)

    assert value(after, "postdesk_mails_received_total", ingress="smtp", mailbox="service") == 3
    assert value(after, "postdesk_mails_received_total", ingress="smtp", mailbox="hr") == 1
    assert value(after, "postdesk_tickets_created_total", queue="it") == 1
    assert value(after, "postdesk_tickets_created_total", queue="general") == 1
    assert value(after, "postdesk_tickets_created_total", queue="hr") == 1
    assert value(after, "postdesk_mails_quarantined_total", stage="classify") == 1
    assert value(after, "postdesk_outbox_deliveries_total", kind="ack", result="sent") == 3
    assert value(after, "postdesk_outbox_deliveries_total", kind="ack", result="failed") == 0
    assert value(after, "postdesk_pipeline_latency_seconds_count") == 4
    assert 0 < value(after, "postdesk_pipeline_latency_seconds_sum") < 4 * 10
    assert value(after, "postdesk_pipeline_latency_seconds_bucket", le="+Inf") == 4
    # the center-wide gauges, from the database
    assert value(after, "postdesk_inbound_mails", status="quarantined") == 1
    assert value(after, "postdesk_inbound_mails", status="pending") == 0
    assert value(after, "postdesk_outbox_mails", status="pending") == 0
    assert value(after, "postdesk_outbox_mails", status="failed") == 0


def test_a_restart_starts_the_counters_afresh_but_the_queues_are_the_database(center: Center) -> None:
    center.start()
    center.send(b"To: service@corp.example\r\nSubject: no from\r\nMessage-ID: <nofrom@x>\r\n\r\nbody\r\n", sender="")
    wait_scrape(center, lambda s: value(s, "postdesk_mails_quarantined_total", stage="classify") == 1)
    assert center.stop() == 0

    center.start()
    samples = scrape(center)
    assert value(samples, "postdesk_mails_received_total", ingress="smtp", mailbox="service") == 0
    assert value(samples, "postdesk_inbound_mails", status="quarantined") == 1
    folders = list((center.root / "var" / "metrics").iterdir())
    assert [f.name for f in folders] == [str(center.proc.pid)]  # type: ignore[union-attr]  # the old one is gone


def test_a_mailbox_never_read_shows_zero_and_a_stale_folder_is_dropped(make_center: Callable[..., Center]) -> None:
    center = make_center(extra="""
[[mailboxes]]
name = "hr"
host = "127.0.0.1"
port = 1
tls = "none"
username = "hr@corp.example"
password = "x"
""")
    stale = center.root / "var" / "metrics" / "999999999"  # no such process
    stale.mkdir(parents=True)
    (stale / "counter_1.db").write_bytes(b"")
    center.start()
    samples = scrape(center)
    assert value(samples, "postdesk_mailbox_last_success_timestamp_seconds", mailbox="hr") == 0
    assert value(samples, "postdesk_mailbox_connected", mailbox="hr") == 0
    assert not Path(stale).exists()
