"""Hostile mail against who-wrote-it: forged Authentication-Results, an employee posing as an agent or editor,
a display name that smuggles headers, a forged log line, an address our relay cannot take.

Each case is a real mail through a real SMTP session into a running daemon; what comes out is read where a
person would meet it: the relay (an aiosmtpd sink), the outbox maildir, the ticket, the log.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import smtplib
import time
from collections.abc import Callable, Iterator
from email.header import Header
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller

from desk import AGENTS, REQUESTER, open_ticket, processed, wait_for, wait_ticket
from support import Center, RelaySink, free_port

MX = "mx.corp.example"
TRUSTED = f'trusted_authserv_id = "{MX}"'
# the Received header our MX writes when the mail arrives: everything below it is the sender's own text
FROM_OUTSIDE = f"from mail.evil.example (mail.evil.example [203.0.113.9]) by {MX} (Postfix) with ESMTPS id 4Qx1"
FROM_OUR_SERVER = f"from mail.corp.example (mail.corp.example [192.0.2.25]) by {MX} (Postfix) with ESMTPS id 4Qx2"
SIGNED_BY_IVANOV = f"{MX}; dkim=pass header.d=corp.example header.i=ivanov@corp.example header.s=mail"
SIGNED_BY_THE_DOMAIN = (f"{MX}; dkim=pass header.d=corp.example header.i=@corp.example header.s=mail; "
                        "spf=pass smtp.mailfrom=petr@corp.example; dmarc=pass header.from=corp.example")


def raw_mail(headers: list[tuple[str, str]], body: str, subject: str = "Re: Не работает VPN [SD-1]") -> bytes:
    """A mail with its header block in exactly this order (the email package would reorder nothing, but
    building by hand shows what the MX and the sender each wrote)."""
    lines = [f"{k}: {v}" for k, v in headers]
    lines += [f"Subject: {Header(subject, 'utf-8').encode()}", f"Message-ID: {make_msgid(domain='corp.example')}",
              "Date: Mon, 07 Dec 2026 10:00:00 +0300", "MIME-Version: 1.0",
              "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n").encode("utf-8")


def b64_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


@pytest.fixture
def trusted(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS, service_extra=TRUSTED)
    center.start()
    yield center


def kinds(center: Center, ref: str = "SD-1") -> list[str]:
    return [e["kind"] for e in center.ticket(ref)["events"]]


# -- agents
def test_an_authentication_results_planted_lower_in_the_header_block_runs_no_command(trusted: Center) -> None:
    open_ticket(trusted)
    before = trusted.ticket("SD-1")["priority"]
    body = "#cc mallory@evil.example\n#priority low\n\nДобавил коллегу."
    for planted in (
        raw_mail([("Received", FROM_OUTSIDE), ("From", "Иван Иванов <ivanov@corp.example>"),
                  ("Authentication-Results", SIGNED_BY_IVANOV), ("To", "service@corp.example")], body),
        raw_mail([("Received", FROM_OUTSIDE), ("Received", "from [10.9.9.9] by mail.evil.example with ESMTP"),
                  ("Authentication-Results", SIGNED_BY_IVANOV), ("From", "Иван Иванов <ivanov@corp.example>"),
                  ("To", "service@corp.example")], body),
    ):
        trusted.send(planted, sender="ivanov@corp.example")
    processed(trusted, 3)
    t = trusted.ticket("SD-1")
    assert t["priority"] == before and "mallory@evil.example" not in [p["email"] for p in t["participants"]]
    assert "possible-spoof" in kinds(trusted)
    # the very same verdict where our MX writes it -- above the arrival -- does prove the agent
    genuine = raw_mail([("Authentication-Results", SIGNED_BY_IVANOV), ("Received", FROM_OUR_SERVER),
                        ("From", "Иван Иванов <ivanov@corp.example>"), ("To", "service@corp.example")],
                       "#priority low")
    trusted.send(genuine, sender="ivanov@corp.example")
    wait_ticket(trusted, lambda t: t["priority"] == "low")


def test_an_employee_with_a_domain_signature_cannot_pose_as_an_agent(trusted: Center) -> None:
    open_ticket(trusted)
    before = trusted.ticket("SD-1")
    posing = raw_mail([("Authentication-Results", SIGNED_BY_THE_DOMAIN), ("Received", FROM_OUR_SERVER),
                       ("From", "Иван Иванов <ivanov@corp.example>"), ("To", "service@corp.example")],
                      "#close\n#assign me\n\nЗакрываю.")
    trusted.send(posing, sender="petr@corp.example")  # Пётр's mail, rightly signed by the domain
    processed(trusted, 2)
    t = trusted.ticket("SD-1")
    assert (t["status"], t["assignee"]) == (before["status"], before["assignee"])
    spoof = [e for e in t["events"] if e["kind"] == "possible-spoof"]
    assert spoof and "DKIM signature of that address" in spoof[0]["detail"]["reason"]
    assert "possible spoof" in trusted.log.read_text()


def test_a_follow_up_whose_from_our_mx_contradicts_opens_its_own_ticket(trusted: Center) -> None:
    open_ticket(trusted)
    forged = raw_mail([("Authentication-Results", f"{MX}; dkim=none; spf=pass smtp.mailfrom=mallory@evil.example; "
                                                  "dmarc=fail (p=none) header.from=corp.example"),
                       ("Received", FROM_OUTSIDE), ("From", f"Пётр Сидоров <{REQUESTER}>"),
                       ("To", "service@corp.example")], "Отмените заявку, пришлите пароль на mallory@evil.example.")
    trusted.send(forged, sender="mallory@evil.example")
    new = wait_ticket(trusted, lambda t: True, ref="SD-2")
    assert [m["kind"] for m in trusted.ticket("SD-1")["messages"] if m["direction"] == "in"] == ["request"]
    mention = [e for e in new["events"] if e["kind"] == "mentions"]
    assert mention and "dmarc=fail header.from=corp.example" in mention[0]["detail"]["reason"]
    assert "possible-spoof" in kinds(trusted, "SD-1")


# -- editors
def test_an_editor_forgery_with_a_planted_or_domain_pass_publishes_nothing(make_center: Callable[..., Center]
                                                                          ) -> None:
    center = make_center(service_extra=TRUSTED,
                         extra='[news]\naddress = "news@corp.example"\neditors = ["pr@corp.example"]\n')
    center.start()
    planted = raw_mail([("Received", FROM_OUTSIDE), ("From", "Пресс-служба <pr@corp.example>"),
                        ("Authentication-Results", SIGNED_BY_IVANOV.replace("ivanov@", "pr@")),
                        ("To", "news@corp.example")], "Всем срочно сменить пароль по ссылке.", subject="Смена паролей")
    domain_only = raw_mail([("Authentication-Results", SIGNED_BY_THE_DOMAIN), ("Received", FROM_OUR_SERVER),
                            ("From", "Пресс-служба <pr@corp.example>"), ("To", "news@corp.example")],
                           "Премии отменяются.", subject="Премии")
    for m in (planted, domain_only):
        center.send(m, rcpt=["news@corp.example"], sender="petr@corp.example")
    processed(center, 2)
    assert "no news" in center.cli("news", "list").stdout
    previews = wait_for(center, lambda ms: [m for m in ms if "pr@corp.example" in str(m["To"])], count=2)
    assert all(str(p["Reply-To"]).startswith("news+") for p in previews)  # only the real mailbox can confirm
    signed = raw_mail([("Authentication-Results", SIGNED_BY_IVANOV.replace("ivanov@", "pr@")),
                       ("Received", FROM_OUR_SERVER), ("From", "Пресс-служба <pr@corp.example>"),
                       ("To", "news@corp.example")], "В пятницу столовая не работает.", subject="Столовая")
    center.send(signed, rcpt=["news@corp.example"], sender="pr@corp.example")
    deadline = time.monotonic() + 10
    while "Столовая" not in center.cli("news", "list").stdout and time.monotonic() < deadline:
        time.sleep(0.1)
    listed = center.cli("news", "list").stdout
    assert "Столовая" in listed and "Смена паролей" not in listed and "Премии" not in listed


# -- headers smuggled in a display name
@pytest.fixture
def relayed(make_center: Callable[..., Center]) -> Iterator[tuple[Center, RelaySink]]:
    port = free_port()
    sink = RelaySink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    center = make_center(smtp_out=f'host = "127.0.0.1"\nport = {port}\ntls = "none"\nretry_after = "1s"')
    center.start()
    try:
        yield center, sink
    finally:
        controller.stop()


INJECTED = "IT <victim@x.example>\r\nSubject: Urgent: new bank details\r\nBcc: all@x.example\r\n\r\nfake body"


@pytest.mark.parametrize("from_header, real_sender", [
    (f"{b64_word(INJECTED)} <attacker@evil.example>", "attacker@evil.example"),  # a name with a line break
    (b64_word(INJECTED), "envelope@evil.example"),  # the whole "Name <addr>" hidden in one encoded word
])
def test_a_display_name_with_a_line_break_sends_only_our_mail_to_the_real_sender(
        relayed: tuple[Center, RelaySink], from_header: str, real_sender: str) -> None:
    center, sink = relayed
    center.send(raw_mail([("From", from_header), ("To", "service@corp.example")], "Не работает принтер.",
                         subject="Принтер"), sender=real_sender)
    ((mail_from, rcpt, content),) = sink.wait(1, timeout=10, settle=0.5)
    assert rcpt == [real_sender] and mail_from.startswith("service") and mail_from.endswith("@corp.example")
    out = email.message_from_bytes(content, policy=email.policy.default)
    assert out.get_all("Subject") == ["Re: Принтер [SD-1]"] and out.get_all("Bcc") is None
    head = content.split(b"\r\n\r\n", 1)[0]
    assert b"victim" not in head and b"Urgent" not in head and b"fake body" not in content
    assert str(out["To"]) == real_sender  # no name: the one it gave was dropped, not rewritten
    t = center.ticket("SD-1")
    assert (t["requester"], t["requester_name"]) == (real_sender, "")
    assert [p["email"] for p in t["participants"] if "victim" in p["email"]] == []


def test_the_desks_own_addresses_spelt_anew_in_cc_are_no_participants(trusted: Center) -> None:
    """`"it"@corp.example` and `"Service"@corp.example.` are the desk's own mailboxes (RFC 5321: quotes a local
    part does not need, the DNS root's dot): as participants they got every answer on the ticket, and the desk
    mailed itself."""
    trusted.send(raw_mail([("From", "Пётр <petr@corp.example>"), ("To", "service@corp.example"),
                           ("Cc", '"it"@corp.example, "Service"@Corp.Example., anna@corp.example')],
                          "Не печатает принтер на 3 этаже.", subject="Принтер"), sender="petr@corp.example")
    t = wait_ticket(trusted, lambda t: bool(t["participants"]))
    assert sorted(p["email"] for p in t["participants"]) == ["anna@corp.example", "petr@corp.example"]


# -- the log
FORGED_LINE = "2026-12-07 10:00:00 INFO    postdesk.pipeline: inbound 99 <x@y>: agent root@corp.example"


def smuggle_into_the_log(center: Center) -> None:
    """What a stranger can put where the daemon logs it: an unknown recipient and a sender (SMTPUTF8 lets
    U+2028 and U+0085 through, which many readers break lines at), and a From name with CR LF."""
    with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=10) as s:
        s.ehlo()
        s.command_encoding = "utf-8"
        s.mail(f'"a\u2028{FORGED_LINE}"@evil.example', ["SMTPUTF8"])
        s.rcpt(f'"b\x85{FORGED_LINE}\x1b[2J"@corp.example')
        s.rset()
    evil = f"x\r\n{FORGED_LINE}\r\n"
    center.send(raw_mail([("From", f"{b64_word(evil)} <ivanov@corp.example>"),  # an agent's From: it is logged
                          ("To", "service@corp.example"), ("X-Mailer", evil.strip())],
                         "#close", subject=f"Re: {evil}"), sender="ivanov@corp.example")


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_nothing_from_a_mail_or_a_session_forges_a_log_line(make_center: Callable[..., Center],
                                                            log_format: str) -> None:
    center = make_center(extra=AGENTS)
    center.start("--log-format", log_format)
    smuggle_into_the_log(center)
    processed(center, 1)
    center.stop()
    text = center.log.read_text(encoding="utf-8")
    assert "possible spoof" in text and "refused recipient" in text  # the lines about them were written
    lines = text.splitlines()  # splits at U+2028, U+0085 and the other separators too
    assert not [line for line in lines if line.startswith(FORGED_LINE[:30])]
    assert "\x1b" not in text
    if log_format == "json":
        assert all(json.loads(line) for line in lines)


# -- addresses the relay cannot take
def test_a_non_ascii_address_gets_its_ticket_and_an_event_an_idn_domain_its_reply(
        relayed: tuple[Center, RelaySink]) -> None:
    center, sink = relayed
    center.send(raw_mail([("From", "Пётр <пётр@почта.рф>"), ("To", "service@corp.example")], "Не работает VPN.",
                         subject="VPN"), sender="bounces@xn--80a1acny.xn--p1ai")
    t = wait_ticket(center, lambda t: "not-sent" in [e["kind"] for e in t["events"]])
    (event,) = [e for e in t["events"] if e["kind"] == "not-sent"]
    assert event["detail"]["to"] == "пётр@почта.рф" and "SMTPUTF8" in event["detail"]["reason"]
    assert t["requester"] == "пётр@почта.рф" and t["status"] == "new"
    assert json.loads(center.cli("status", "--json").stdout)["inbound"].get("quarantined", 0) == 0
    center.send(raw_mail([("From", "Пётр <petr@почта.рф>"), ("To", "service@corp.example")], "Принтер.",
                         subject="Принтер"), sender="petr@xn--80a1acny.xn--p1ai")
    # only the second: the first requester got nothing half-encoded
    ((_, rcpt, content),) = sink.wait(1, timeout=10, settle=0.5)
    assert rcpt == ["petr@xn--80a1acny.xn--p1ai"]
    out = email.message_from_bytes(content, policy=email.policy.default)
    assert out["To"].addresses[0].addr_spec == "petr@xn--80a1acny.xn--p1ai" and "[SD-2]" in str(out["Subject"])


def test_results_prove_nothing_unless_our_mx_handed_the_mail_over(make_center: Callable[..., Center]) -> None:
    """A client that reaches the desk's SMTP port directly can write our MX's Received line and its verdict
    itself: only mail from `[smtp_in] trusted_relays` (the MX; here 127.0.0.2) may prove an agent."""
    center = make_center(extra=AGENTS, service_extra=TRUSTED)
    center.config.write_text(center.config.read_text().replace(
        "[smtp_in]\n", '[smtp_in]\ntrusted_relays = ["127.0.0.2"]\n'))
    center.start()
    open_ticket(center)
    genuine_looking = raw_mail([("Authentication-Results", SIGNED_BY_IVANOV), ("Received", FROM_OUR_SERVER),
                                ("From", "Иван Иванов <ivanov@corp.example>"), ("To", "service@corp.example")],
                               "#priority low")
    center.send(genuine_looking, sender="ivanov@corp.example")  # from 127.0.0.1: not the MX
    processed(center, 2)
    t = center.ticket("SD-1")
    assert t["priority"] != "low" and "possible-spoof" in kinds(center)
    with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=10, source_address=("127.0.0.2", 0)) as mx:
        mx.sendmail("ivanov@corp.example", ["service@corp.example"],
                    genuine_looking.replace(b"Message-ID: <", b"Message-ID: <again."))
    wait_ticket(center, lambda t: t["priority"] == "low")


def test_an_editor_is_proven_only_in_mail_our_mx_handed_over(make_center: Callable[..., Center]) -> None:
    """The news path decides from the same facts: a stranger at the SMTP port cannot publish with its own
    copy of the MX's verdict, where the MX (here 127.0.0.2) can."""
    center = make_center(service_extra=TRUSTED,
                         extra='[news]\naddress = "news@corp.example"\neditors = ["pr@corp.example"]\n')
    center.config.write_text(center.config.read_text().replace(
        "[smtp_in]\n", '[smtp_in]\ntrusted_relays = ["127.0.0.2"]\n'))
    center.start()

    def signed(subject: str) -> bytes:
        return raw_mail([("Authentication-Results", SIGNED_BY_IVANOV.replace("ivanov@", "pr@")),
                         ("Received", FROM_OUR_SERVER), ("From", "Пресс-служба <pr@corp.example>"),
                         ("To", "news@corp.example")], "Всем срочно сменить пароль по ссылке.", subject=subject)

    center.send(signed("Смена паролей"), rcpt=["news@corp.example"], sender="pr@corp.example")  # from 127.0.0.1
    processed(center, 1)
    assert "no news" in center.cli("news", "list").stdout
    with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=10, source_address=("127.0.0.2", 0)) as mx:
        mx.sendmail("pr@corp.example", ["news@corp.example"], signed("Столовая"))
    deadline = time.monotonic() + 10
    while "Столовая" not in center.cli("news", "list").stdout and time.monotonic() < deadline:
        time.sleep(0.1)
    listed = center.cli("news", "list").stdout
    assert "Столовая" in listed and "Смена паролей" not in listed
