"""Hostile and broken mail around delivery, each a real mail through a real SMTP session into a running daemon:
forged bounces hold nobody, a genuine one (to its VERP sender) holds only its recipient, an agent's bounce
tells the lead, a relay refusing some recipients (450/550) loses nobody, the service's alias is never a
participant, and two header-less auto-responders stop after `[service] relays_per_hour`."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller

from desk import (
    AGENTS,
    REQUESTER,
    addressed,
    body_text,
    open_ticket,
    processed,
    reply_to,
    send_to,
    wait_for,
    wait_ticket,
)
from postdesk.daemon.config import load_config
from postdesk.daemon.web.tokens import bounce_token
from postdesk.storage.db import Database
from postdesk.storage.tickets import TicketStore
from support import SECRET, Center, free_port, mail

OUTSIDER = "victim@partner.example"
ANNA = "anna@corp.example"


def dsn(recipients: list[str], original_message_id: str, to: str = "service@corp.example") -> bytes:
    """A Postfix-style DSN saying `recipients` failed for good; anyone can write one."""
    boundary = "dsn-boundary"
    listed = "".join(f"Final-Recipient: rfc822; {r}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                     f"Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n" for r in recipients)
    return (
        "From: MAILER-DAEMON@mx.partner.example (Mail Delivery System)\r\n"
        f"To: {to}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.partner.example')}\r\nAuto-Submitted: auto-replied\r\n"
        f'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        f"\r\n--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.partner.example\r\n"
        f"\r\n{listed}--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original_message_id}\r\nFrom: service@corp.example\r\nSubject: x\r\n\r\n--{boundary}--\r\n"
    ).encode()


def verp(outbox_id: int, recipient: str) -> str:
    return f"service+{bounce_token(SECRET.encode(), outbox_id, recipient)}@corp.example"


def held(center: Center, *addresses: str) -> dict[str, object]:
    """The suppression table itself, for addresses that are on no ticket."""
    db = Database(load_config(center.config).database_url)
    try:
        return dict(TicketStore(db).suppressions(addresses))
    finally:
        db.dispose()


def outbox(center: Center) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(center.cli("outbox", "list", "--json").stdout)


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def test_forged_bounces_hold_nobody(desk: Center) -> None:
    """Null sender, multipart/report, naming an agent, an employee and an outsider: to the service address,
    with the real ticket's Message-ID, and to a VERP-shaped address with a made-up tag. Nobody is held."""
    _, ack, note = open_ticket(desk)
    everyone = ["ivanov@corp.example", REQUESTER, OUTSIDER]
    desk.send(dsn(everyone, make_msgid(domain="corp.example")), sender="")
    # the requester knows the Message-ID of his acknowledgment: it names him alone, not the others
    desk.send(dsn(["ivanov@corp.example", OUTSIDER], str(ack["Message-ID"])), sender="")
    forged_tag = "service+bounces-1-aaaaaaaaaaaaaaaa@corp.example"
    desk.send(dsn(everyone, str(ack["Message-ID"]), to=forged_tag), rcpt=[forged_tag], sender="")
    # he copies the VERP tag his acknowledgment came from and sends a notice of the shape a gateway writes
    # (no DSN, a person's From, "Re:", a failure listing opening the text): the tag proves only his own address
    (ack_row,) = [r for r in outbox(desk) if r["kind"] == "ack"]
    his_tag = verp(ack_row["id"], REQUESTER)
    shaped = (f"From: Mail Gateway <gw@mx.partner.example>\r\nTo: {his_tag}\r\nSubject: Re: {ack['Subject']}\r\n"
              f"Message-ID: {make_msgid(domain='corp.example')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
              "The following addresses failed:\r\n\r\nivanov@corp.example\r\n" f"{OUTSIDER}\r\n\r\n"
              f"Message-ID: {ack['Message-ID']}\r\n")
    desk.send(shaped.encode(), rcpt=[his_tag], sender="")
    processed(desk, 5)
    t = desk.ticket("SD-1")
    assert t["suppressed"] == []
    assert held(desk, *everyone) == {}
    recorded = [e["detail"] for e in t["events"] if e["kind"] == "automatic-mail"]
    assert len(recorded) == 3 and all(d["proven"].startswith("no") for d in recorded)  # kept on the ticket
    assert "no mail to" not in desk.cli("tickets", "show", "SD-1").stdout
    assert len(desk.tickets()) == 1  # a bounce never opens a ticket
    # and mail still flows to all of them: the agent's reply reaches the requester
    send_to(desk, reply_to(note, "Пётр, перезагрузите, пожалуйста, ноутбук."))
    wait_for(desk, lambda ms: [m for m in ms if "перезагрузите" in body_text(m) and REQUESTER in str(m["To"])])


def test_a_genuine_bounce_to_the_verp_sender_holds_only_its_recipient(desk: Center) -> None:
    _, _, note = open_ticket(desk, cc=f"Анна Смирнова <{ANNA}>")
    send_to(desk, reply_to(note, "Проверьте, пожалуйста, ещё раз."))
    wait_for(desk, lambda ms: [m for m in ms if "ещё раз" in body_text(m)])
    (row,) = [r for r in outbox(desk) if r["kind"] == "reply"]
    assert sorted(row["to"]) == sorted([REQUESTER, ANNA])
    # the DSN names both, but it came back to Anna's tag: only Anna is held
    desk.send(dsn([ANNA, REQUESTER], row["message_id"], to=verp(row["id"], ANNA)), rcpt=[verp(row["id"], ANNA)],
              sender="")
    t = wait_ticket(desk, lambda t: any(e["kind"] == "suppressed" for e in t["events"]))
    assert [s["address"] for s in t["suppressed"]] == [ANNA]
    (event,) = [e["detail"] for e in t["events"] if e["kind"] == "automatic-mail"]
    assert event["proven"] == f"VERP, outbox {row['id']}"


def test_an_agents_bounce_holds_nobody_and_tells_the_lead(desk: Center) -> None:
    open_ticket(desk)
    (row,) = [r for r in outbox(desk) if r["kind"] == "notify" and r["to"] == ["ivanov@corp.example"]]
    desk.send(dsn(["ivanov@corp.example"], row["message_id"], to=verp(row["id"], "ivanov@corp.example")),
              rcpt=[verp(row["id"], "ivanov@corp.example")], sender="")
    (told,) = wait_for(desk, lambda ms: [m for m in addressed("petrova@corp.example")(ms)
                                         if "ivanov@corp.example" in body_text(m)])
    assert "не доставлена" in body_text(told) and "[SD-1]" in str(told["Subject"])
    assert held(desk, "ivanov@corp.example") == {}
    t = desk.ticket("SD-1")
    assert t["suppressed"] == [] and [e for e in t["events"] if e["kind"] == "agent-undeliverable"]


class Refusing:
    """A relay that refuses chosen recipients: `busy@` with 450 the first time, `gone@` with 550 always,
    `spam@` with 554 after DATA."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str]]] = []
        self.busy_tries = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.startswith("gone@"):
            return "550 5.1.1 <gone@corp.example>: Recipient address rejected: User unknown"
        if address.startswith("busy@"):
            self.busy_tries += 1
            if self.busy_tries == 1:
                return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if any(r.startswith("spam@") for r in envelope.rcpt_tos):
            return "554 5.7.1 Message content rejected"
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def test_a_relay_refusing_some_recipients_loses_nobody_and_records_each_failure(
        make_center: Callable[..., Center]) -> None:
    port = free_port()
    sink = Refusing()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    center = make_center(extra=AGENTS, smtp_out=f'host = "127.0.0.1"\nport = {port}\ntls = "none"\n'
                                                 'retry_after = "1s"')
    center.start()
    try:
        center.send(mail("Не работает VPN", "С утра не работает VPN.",
                         cc="busy@corp.example, gone@corp.example"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not [r for r in sink.received if "ivanov@corp.example" in r[1]]:
            time.sleep(0.1)
        note = [r for r in outbox(center) if r["kind"] == "notify" and r["to"] == ["ivanov@corp.example"]]
        assert note and note[0]["status"] == "sent"
        # the agent answers (its notification came through the relay: the test plays its mail client)
        reply = EmailMessage()
        reply["From"], reply["To"] = "ivanov@corp.example", f"service+{_reply_token(1)}@corp.example"
        reply["Subject"], reply["Message-ID"] = "Re: [SD-1] Не работает VPN", make_msgid(domain="corp.example")
        reply.set_content("Перезагрузите, пожалуйста, ноутбук.")
        send_to(center, reply)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not [r for r in outbox(center) if r["kind"] == "reply"
                                                   and r["status"] == "sent"]:
            time.sleep(0.2)
        (row,) = [r for r in outbox(center) if r["kind"] == "reply"]
        assert row["status"] == "sent" and row["to"] == ["busy@corp.example"]  # retried alone, then delivered
        relayed = [rcpt[0] for _, rcpt in sink.received if rcpt[0] != "ivanov@corp.example"
                   and rcpt[0] != "petrova@corp.example"]
        assert sorted(relayed) == ["busy@corp.example", REQUESTER, REQUESTER]  # the ack and the reply; busy once
        assert sink.busy_tries == 2  # refused once, then retried alone
        t = center.ticket("SD-1")
        failed = [e["detail"] for e in t["events"] if e["kind"] == "delivery-failed"]
        assert failed and all(d["to"] == ["gone@corp.example"] and "550" in d["reason"] for d in failed)
        assert [s["address"] for s in t["suppressed"]] == ["gone@corp.example"]
        # a refusal at DATA is recorded on the ticket; the address is not held (the mail was refused, not it)
        center.send(mail("Спам-фильтр", "Письма не доходят", sender="spam@corp.example"))
        t2 = wait_ticket(center, lambda t: any(e["kind"] == "delivery-failed" for e in t["events"]), ref="SD-2",
                         timeout=20)
        (d,) = [e["detail"] for e in t2["events"] if e["kind"] == "delivery-failed"]
        assert "554" in d["reason"] and t2["suppressed"] == []
    finally:
        center.stop()
        controller.stop()


def _reply_token(ticket_id: int) -> str:
    from postdesk.daemon.web.tokens import reply_token

    return reply_token(SECRET.encode(), ticket_id, "ivanov@corp.example")


def test_the_services_alias_is_ours_never_a_participant(make_center: Callable[..., Center]) -> None:
    center = make_center(extra=AGENTS, service_extra='aliases = ["helpdesk@corp.example"]')
    center.start()
    center.send(mail("Не работает VPN", "С утра не работает VPN.", to="helpdesk@corp.example",
                     cc=f"Анна Смирнова <{ANNA}>"), rcpt=["helpdesk@corp.example"])  # accepted as the service
    (note,) = wait_for(center, addressed("ivanov@corp.example", "notify"))
    t = center.ticket("SD-1")
    assert sorted(p["email"] for p in t["participants"]) == [ANNA, REQUESTER]
    send_to(center, reply_to(note, "Перезагрузите, пожалуйста, ноутбук."))
    (relayed,) = wait_for(center, lambda ms: [m for m in ms if "Перезагрузите" in body_text(m)])
    assert "helpdesk" not in f"{relayed['To']} {relayed['Cc']}".lower()
    # mail from the alias (the desk's own mail coming back) is a loop: recorded, never a request
    center.send(mail("Re: [SD-1] Не работает VPN", "Перезагрузите", sender="helpdesk@corp.example"))
    processed(center, 3)
    assert len(center.tickets()) == 1


def test_two_headerless_auto_responders_stop_after_relays_per_hour(make_center: Callable[..., Center]) -> None:
    center = make_center(extra=AGENTS, service_extra="relays_per_hour = 3")
    center.start()
    original, _, note = open_ticket(center)
    rounds = 0
    for rounds in range(1, 16):  # the agent's responder answers every notification, the requester's every reply
        relayed_before = len(_relayed(center))
        send_to(center, reply_to(note, "Спасибо за письмо. Я отвечу в ближайшее время."))
        processed(center, 2 * rounds)
        deadline = time.monotonic() + 3  # the outbox delivers a moment after the mail is processed
        while len(relayed := _relayed(center)) == relayed_before and time.monotonic() < deadline:
            time.sleep(0.05)
        if len(relayed) == relayed_before:
            break
        answer = mail("Re: " + str(relayed[-1]["Subject"]), "Ваше письмо получено, ответим в течение дня.")
        answer["In-Reply-To"] = str(relayed[-1]["Message-ID"])
        center.send(answer)
        notes = wait_for(center, addressed("ivanov@corp.example", "notify"), count=rounds + 1)
        note = notes[-1]
    assert rounds == 4 and len(_relayed(center)) == 3  # the fourth reply is kept, not sent: the loop ends
    t = center.ticket("SD-1")
    assert len([e for e in t["events"] if e["kind"] == "relay-held"]) == 1
    assert [m for m in t["messages"] if m["kind"] == "note" and "Спасибо за письмо" in m["text"]]
    told = [m for m in addressed("ivanov@corp.example", "notify")(center.outgoing())
            if "не пересылаются" in body_text(m)]
    assert len(told) == 1  # the agent hears once
    assert original["Message-ID"]


def _relayed(center: Center) -> list[EmailMessage]:
    return [m for m in center.outgoing() if REQUESTER in str(m["To"]) and "Я отвечу" in body_text(m)]


def test_a_news_page_loads_no_image_from_another_host(make_center: Callable[..., Center]) -> None:
    center = make_center(extra='[news]\ndir = "news"\n')
    (center.root / "news").mkdir()
    (center.root / "news" / "a.md").write_text(
        "---\ntitle: Плановые работы\ndate: 2026-01-10\n---\nПочта недоступна ночью.\n\n"
        "![pixel](https://track.example/p.gif?u=1)\n", encoding="utf-8")
    center.start()
    status, page = center.get(f"http://127.0.0.1:{center.web_port}/news/file%3Aa.md")
    assert status == 200 and "Почта недоступна ночью" in page
    assert "track.example" not in page and "[pixel]" in page


class PlainSenderOnly:
    """A relay that lets the login send only as service@ itself (Postfix's reject_sender_login_mismatch
    without service+* in the login map)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str]]] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # type: ignore[no-untyped-def]
        if "+" in address:
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def test_a_relay_that_refuses_the_verp_sender_still_gets_the_mail(make_center: Callable[..., Center]) -> None:
    port = free_port()
    sink = PlainSenderOnly()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    center = make_center(smtp_out=f'host = "127.0.0.1"\nport = {port}\ntls = "none"\nretry_after = "1s"')
    center.start()
    try:
        center.send(mail("Не приходит зарплата", "Здравствуйте, не пришла зарплата за ноябрь."))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not sink.received:
            time.sleep(0.1)
        assert sink.received == [("service@corp.example", [REQUESTER])]
        assert [r["status"] for r in outbox(center)] == ["sent"]
        assert "refuses the envelope sender" in center.log.read_text()
    finally:
        center.stop()
        controller.stop()


def test_the_blind_sets_forged_bounces_touch_nothing(desk: Center) -> None:
    """tests/mail auto_r3_* (issue 15, round 3) as they arrive: a DSN naming an agent for a mail we never
    sent, a free-text "bounce" naming a customer under a postdesk-shaped Message-ID we never used, one listing
    500 recipients, and a bounce of a [SD-1] reply whose text opens with agent commands, sent to the service
    and to the agents' reply address. Nobody is held, no command runs, no ticket opens or changes status."""
    from pathlib import Path

    mails = Path(__file__).resolve().parent.parent / "mail"
    _, ack, note = open_ticket(desk)
    before = desk.ticket("SD-1")
    named = ["anna.agent@corp.example", "ivan.petrov@customer-ooo.example", "user000@mass-0.example",
             "user499@mass-2.example"]

    def wire(name: str) -> bytes:  # SMTP carries CRLF lines; some of the files are stored as a local delivery's LF
        return (mails / f"auto_r3_{name}.eml").read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

    for name in ("forged_dsn_names_our_agent", "forged_freetext_names_customer_fake_postdesk_id",
                 "bounce_500_recipients"):
        desk.send(wire(name), sender="")
    commands = wire("bounce_with_ticket_ref_and_commands").replace(
        b"[SD-12]", b"[SD-1]").replace(b"<postdesk.12.1.3f7a2c@corp.example>", str(ack["Message-ID"]).encode())
    desk.send(commands, sender="")
    agents_address = str(note["Reply-To"])
    desk.send(commands.replace(b"<ndr.0012.", b"<ndr.0013."), rcpt=[agents_address], sender="")
    processed(desk, 6)
    t = desk.ticket("SD-1")
    assert [t[k] for k in ("status", "assignee", "priority")] == [before[k] for k in ("status", "assignee",
                                                                                      "priority")]
    assert [e for e in t["events"] if e.get("via") == "command"] == []
    assert t["suppressed"] == [] and held(desk, *named, "helpdesk-closer@prank-partner.example") == {}
    assert len(desk.tickets()) == 1  # a bounce never opens a ticket
    log = desk.log.read_text()
    assert "user004@mass-4.example and 495 more returns no mail of ours" in log and "user499@" not in log
