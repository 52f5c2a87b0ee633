"""The SMTP relay path: a relay that is down delays mail, never loses it; a hard refusal is recorded."""

from __future__ import annotations

import json
import ssl
import time

import pytest
from aiosmtpd.controller import Controller

from dovecot import make_certificates
from postdesk.daemon.web.tokens import bounce_token
from support import SECRET, Center, free_port, mail


class Sink:
    """An aiosmtpd relay that keeps what it receives and refuses one address for good."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.startswith("gone@"):
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def outbox(center: Center) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(center.cli("outbox", "list", "--json").stdout)


def test_relay_down_then_up_delivers_exactly_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    center = Center(tmp_path, smtp_out=f'host = "127.0.0.1"\nport = {port}\ntls = "none"\nretry_after = "1s"')
    center.start()
    try:
        center.send(mail("Не приходит зарплата", "Здравствуйте, не пришла зарплата за ноябрь."))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (outbox(center) and outbox(center)[0]["attempts"] >= 1
                                                   and outbox(center)[0]["status"] == "pending"):
            time.sleep(0.1)
        row = outbox(center)[0]
        assert row["status"] == "pending" and row["last_error"], row  # queued, not lost

        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and outbox(center)[0]["status"] != "sent":
                time.sleep(0.2)
            assert outbox(center)[0]["status"] == "sent"
            time.sleep(1)
            assert len(sink.received) == 1
            mail_from, rcpt, content = sink.received[0]
            # the envelope sender is the row's signed VERP address: a bounce to it proves it returns this mail
            assert mail_from == f"service+{bounce_token(SECRET.encode(), 1, 'petr@corp.example')}@corp.example"
            assert rcpt == ["petr@corp.example"]
            assert b"Auto-Submitted: auto-replied" in content

            center.send(mail("Доступ", "Нужен доступ", sender="gone@corp.example"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and outbox(center)[0]["status"] != "failed":
                time.sleep(0.2)
            failed = outbox(center)[0]
            assert failed["status"] == "failed" and "550" in failed["last_error"]
            assert failed["attempts"] == 1  # a permanent refusal is not retried
        finally:
            controller.stop()
    finally:
        center.stop()


def test_a_backlog_goes_through_one_relay_session_and_a_refusal_does_not_break_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    center = Center(tmp_path, smtp_out=f'host = "127.0.0.1"\nport = {port}\ntls = "none"\nretry_after = "1s"')
    try:
        senders = ["a@corp.example", "b@corp.example", "gone@corp.example", "c@corp.example", "d@corp.example"]
        for n, sender in enumerate(senders):  # stored while no daemon runs: one pass will send them all
            center.cli("ingest", "--sender", sender, "-", input=mail(f"Заявка {n}", "Текст", sender=sender).as_bytes())
        center.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(sink.received) < 4:
            time.sleep(0.1)
        time.sleep(0.5)
        assert sorted(rcpt[0] for _, rcpt, _ in sink.received) == ["a@corp.example", "b@corp.example",
                                                                    "c@corp.example", "d@corp.example"]
        assert sink.sessions == 1
        statuses = {row["to"][0]: row["status"] for row in outbox(center)}
        assert statuses["gone@corp.example"] == "failed"
    finally:
        center.stop()
        controller.stop()


def test_a_relay_with_starttls_is_trusted_through_ca_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ca = make_certificates(tmp_path / "tls")
    if ca is None:
        pytest.skip("openssl is not installed: the TLS test cannot make its certificates (apt-get install openssl)")
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "tls" / "server.pem", tmp_path / "tls" / "server.key")
    port = free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=server, require_starttls=True)
    controller.start()
    center = Center(tmp_path / "c", smtp_out=f'host = "127.0.0.1"\nport = {port}\ntls = "starttls"\n'
                                              f'ca_file = "{ca}"\nretry_after = "1s"')
    center.start()
    try:
        center.send(mail("Не приходит зарплата", "Здравствуйте, не пришла зарплата за ноябрь."))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not sink.received:
            time.sleep(0.1)
        ((_, rcpt, content),) = sink.received
        assert rcpt == ["petr@corp.example"] and b"\r\nX-Postdesk-Ticket: SD-1\r\n" in content  # STARTTLS was required
    finally:
        center.stop()
        controller.stop()
