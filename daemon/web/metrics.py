"""Prometheus metrics for `GET /metrics`: what this daemon did, and how the center's queues stand.

Two sources, chosen for what each question needs:

* **What this daemon did** (mails received per ingress and mailbox, tickets created, deliveries, quarantines,
  pipeline latency, digest mails) is counted where it happens. The daemon is two processes — the front takes
  mail in, the worker processes and sends it — so the counters use prometheus-client's multiprocess mode:
  each process writes them to files under `<data_dir>/metrics/<front pid>/` (daemon.metricsdir) and a scrape
  sums the files (`MultiProcessCollector`). With several daemons on one database each counts its own work,
  and Prometheus sums across instances. Counting these from the database instead would cost a scan of the
  history on every scrape, could not tell which daemon did the work, and has no latency to offer.
* **How the queues stand** (inbound and outbox depths, mailbox last successes) is read from the database at
  scrape time with index-range queries (storage.depths). It is center-wide: every daemon sharing the
  database reports the same values, so aggregate them with max(), not sum() — the HELP text says so.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from postdesk.storage.db import Database
from postdesk.storage.depths import depths

log = logging.getLogger("postdesk.metrics")

CONTENT_TYPE = CONTENT_TYPE_LATEST
CENTER_WIDE = "Center-wide, read from the database at scrape time: the same on every daemon sharing it."

RECEIVED = Counter("postdesk_mails_received", "Mails this daemon stored, by ingress (smtp, lmtp, imap, web) and "
                   "mailbox (service, a queue's name, imap:NAME, web, news).", ["ingress", "mailbox"])
TICKETS_CREATED = Counter("postdesk_tickets_created", "Tickets this daemon's pipeline opened, by queue.", ["queue"])
QUARANTINED = Counter("postdesk_mails_quarantined", "Mails this daemon's pipeline quarantined, by the stage that "
                      "failed (see postdesk quarantine list).", ["stage"])
LATENCY = Histogram("postdesk_pipeline_latency_seconds", "From storing a mail to committing what was done with it "
                    "(ticket, reply, quarantine).",
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900))
DELIVERIES = Counter("postdesk_outbox_deliveries", "Delivery attempts of outgoing mail by kind (ack, reply, notify, "
                     "rating, digest, …) and result: sent; retry (failed, tried again later); failed (given up).",
                     ["kind", "result"])
DIGEST_MAILS = Counter("postdesk_digest_mails", "Digest mails queued for subscribers, by digest and result "
                       "(queued, failed).", ["digest", "result"])
MODEL_DECISIONS = Counter("postdesk_model_decisions", "New tickets the learned model was asked about, by result: "
                          "routed (above the threshold), guessed (below: default queue, guesses shown).", ["result"])
MODEL_ERRORS = Counter("postdesk_model_errors", "Model-routed tickets an agent moved to another queue (#queue).")
MODEL_FIT = Gauge("postdesk_model_fit_macro_f1", "Cross-validated macro-F1 of the last refit: the model in use "
                  "before it (old) and the one it trained (new); the new one is kept when not worse.", ["model"],
                  multiprocess_mode="mostrecent")


@dataclass(frozen=True, slots=True)
class Settled:
    """One mail the pipeline finished (its transaction committed): what the counters learn from it."""

    received_at: datetime
    new_ticket_queue: str | None = None
    quarantined_at: str | None = None  # the stage that failed


def count_received(ingress: str, mailbox: str, mails: int = 1) -> None:
    """For every ingress, once the mail is committed (the IMAP readers call it too)."""
    RECEIVED.labels(ingress, mailbox).inc(mails)


def settled(mails: Iterable[Settled], now: datetime) -> None:
    for m in mails:
        LATENCY.observe(max(0.0, (now - m.received_at).total_seconds()))
        if m.new_ticket_queue is not None:
            TICKETS_CREATED.labels(m.new_ticket_queue).inc()
        if m.quarantined_at is not None:
            QUARANTINED.labels(m.quarantined_at).inc()


def delivered(kind: str, result: str) -> None:
    DELIVERIES.labels(kind, result).inc()


class DatabaseCollector(Collector):
    """The center-wide gauges; a database that does not answer is `postdesk_database_up 0`, not a failed scrape."""

    def __init__(self, db: Database, mailbox_names: Callable[[], Iterable[str]]):
        self.db = db
        self.mailbox_names = mailbox_names

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        up = GaugeMetricFamily("postdesk_database_up", "1 when the database answered this scrape's queries.")
        try:
            found = depths(self.db)
        except Exception as exc:
            log.warning("metrics: the database did not answer: %s: %s", type(exc).__name__, exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        inbound = GaugeMetricFamily("postdesk_inbound_mails", "Stored mails waiting (pending), in hand (processing) "
                                    f"or quarantined. {CENTER_WIDE}", labels=["status"])
        for status, n in found.inbound.items():
            inbound.add_metric([status], n)
        yield inbound
        outbox = GaugeMetricFamily("postdesk_outbox_mails", "Outgoing mails waiting or retrying (pending), being "
                                   f"sent (sending) or given up (failed). {CENTER_WIDE}", labels=["status"])
        for status, n in found.outbox.items():
            outbox.add_metric([status], n)
        yield outbox
        known = {m.name: m for m in found.mailboxes}
        success = GaugeMetricFamily("postdesk_mailbox_last_success_timestamp_seconds", "When each configured IMAP "
                                    f"mailbox was last read successfully (0: never). {CENTER_WIDE}",
                                    labels=["mailbox"])
        connected = GaugeMetricFamily("postdesk_mailbox_connected", "1 while a daemon holds a connection to the "
                                      f"mailbox. {CENTER_WIDE}", labels=["mailbox"])
        for name in self.mailbox_names():
            state = known.get(name)
            last = state.last_success_at if state else None
            success.add_metric([name], last.timestamp() if last else 0)
            connected.add_metric([name], 1 if state and state.connected else 0)
        yield success
        yield connected
        took = GaugeMetricFamily("postdesk_metrics_database_seconds", "How long this scrape's database queries took.")
        took.add_metric([], time.perf_counter() - started)
        yield took


def exposition(db: Database, mailbox_names: Callable[[], Iterable[str]]) -> bytes:
    """The text a scrape gets: every process's counters of this daemon, then the database's gauges."""
    registry = CollectorRegistry()
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        MultiProcessCollector(registry, path)
    else:  # not under `postdesk run` (a test's app): this process's own counters
        for metric in (RECEIVED, TICKETS_CREATED, QUARANTINED, LATENCY, DELIVERIES, DIGEST_MAILS, MODEL_DECISIONS,
                       MODEL_ERRORS, MODEL_FIT):
            registry.register(metric)
    registry.register(DatabaseCollector(db, mailbox_names))
    return generate_latest(registry)
