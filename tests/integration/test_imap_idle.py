"""IDLE against a real Dovecot: mail announced in awkward places is still seen at once."""

from __future__ import annotations

import threading
import time

from imapclient import IMAPClient

from postdesk.daemon.ingress.imap_client import idle_until_news
from support import mail


def login(dovecot, user: str, password: str) -> IMAPClient:  # type: ignore[no-untyped-def]
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10)
    client.login(user, password)
    client.select_folder("INBOX")
    return client


def test_mail_that_arrives_before_idle_starts_is_announced_at_once(dovecot) -> None:  # type: ignore[no-untyped-def]
    # Dovecot tells of it together with IDLE's continuation, in one segment: poll() on the socket sees nothing.
    user, password = dovecot.add_user("idle-race")
    client = login(dovecot, user, password)
    try:
        for n in range(3):
            dovecot.append(user, "INBOX", mail(f"Между выборкой и IDLE {n}", "Письмо").as_bytes())
            started = time.monotonic()
            assert idle_until_news(client, threading.Event(), limit=8.0)
            assert time.monotonic() - started < 3.0
            client.select_folder("INBOX")
    finally:
        client.logout()


def test_mail_appended_during_idle_ends_it_and_quiet_idle_runs_to_its_limit(dovecot) -> None:  # type: ignore[no-untyped-def]
    user, password = dovecot.add_user("idle-wait")
    client = login(dovecot, user, password)
    try:
        started = time.monotonic()
        assert not idle_until_news(client, threading.Event(), limit=1.5)  # nothing new: back after the limit
        assert 1.5 <= time.monotonic() - started < 4.0
        client.select_folder("INBOX")
        timer = threading.Timer(1.0, dovecot.append, (user, "INBOX", mail("Во время IDLE", "Письмо").as_bytes()))
        timer.start()
        started = time.monotonic()
        assert idle_until_news(client, threading.Event(), limit=20.0)
        assert time.monotonic() - started < 4.0
        timer.join()
    finally:
        client.logout()
