"""Hostile mail against a running daemon, over real SMTP, after the fixes of issue 14: what an attacker tried
and what the desk did with it. Each hole found was fixed; they stay tested, with what held.
"""

from __future__ import annotations

import base64
import re
import smtplib
import socket
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from desk import AGENTS, REQUESTER, addressed, body_text, open_ticket, reply_to, send_to, wait_for, wait_ticket
from support import Center, smtp_reply

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # everything but \t and \n


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def send_raw(center: Center, sender: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", center.smtp_port) as s:
        s.sendmail(sender, ["service@corp.example"], raw)


def test_the_relayed_reply_gives_the_requester_no_handle_to_pose_as_the_agent(desk: Center) -> None:
    """The requester sees the agent's reply as relayed by the desk. Every Message-ID it carries (its own,
    In-Reply-To, References) is put into a mail `From:` the agent, sent to the service address with `#close`:
    none of them may count as "answers a notification sent to that agent"."""
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "Переустановите клиент VPN, пожалуйста."))
    relayed = wait_for(desk, lambda ms: [m for m in addressed(REQUESTER)(ms) if "Переустановите" in body_text(m)])[0]
    ids = re.findall(r"<[^<>\s]+>", " ".join(str(relayed[h] or "") for h in ("Message-ID", "In-Reply-To",
                                                                           "References")))
    assert ids
    for mid in ids:
        m = EmailMessage()
        m["From"] = "Иван Иванов <ivanov@corp.example>"
        m["To"] = "service@corp.example"
        m["Subject"] = "Re: " + str(relayed["Subject"])
        m["Message-ID"] = make_msgid(domain="corp.example")
        m["In-Reply-To"] = mid
        m["References"] = mid
        m.set_content("#close\n#cc mallory@evil.example\n")
        send_to(desk, m)
    time.sleep(3)
    t = wait_ticket(desk, lambda t: True)
    assert t["status"] != "closed"
    assert "mallory@evil.example" not in [p["email"] for p in t["participants"]]


def test_a_subject_cannot_write_control_characters_to_the_admins_terminal(desk: Center) -> None:
    hidden = base64.b64encode(b"VPN\x1b]0;owned\x07 down\r\nSD-999    closed    it    fake line").decode()
    send_raw(desk, REQUESTER, (f"From: {REQUESTER}\r\nTo: service@corp.example\r\n"
                               f"Subject: =?utf-8?b?{hidden}?=\r\nMessage-ID: {make_msgid(domain='x.example')}\r\n"
                               "\r\nС утра не работает VPN.\r\n").encode())
    wait_for(desk, addressed("ivanov@corp.example", "notify"))
    for args in (("tickets", "list"), ("tickets", "show", "SD-1"), ("outbox", "list")):
        out = desk.cli(*args).stdout
        assert not CONTROL.search(out), (args, out)
    assert len(desk.cli("tickets", "list").stdout.strip().splitlines()) == 1


def test_a_sender_without_a_domain_is_refused_at_mail(desk: Center) -> None:
    for path in (b'<"a@b">', b'<"">', b'<"a\\>'):
        sock = socket.create_connection(("127.0.0.1", desk.smtp_port), timeout=10)
        assert smtp_reply(sock).startswith(b"220")
        sock.sendall(b"EHLO mta.example\r\n")
        smtp_reply(sock)
        sock.sendall(b"MAIL FROM:" + path + b"\r\n")
        answer = smtp_reply(sock)
        sock.close()
        assert answer.startswith(b"553"), (path, answer)


def test_an_unbalanced_quote_in_a_name_does_not_change_who_wrote(desk: Center) -> None:
    for name in ('"x" ivanov@corp.example"', '"<b>x</b>"\'><svg onload=alert(3)>"'):
        send_raw(desk, REQUESTER, (f"From: {name} <{REQUESTER}>\r\nTo: service@corp.example\r\n"
                                   f"Subject: Принтер {len(name)}\r\nMessage-ID: {make_msgid(domain='x.example')}"
                                   "\r\n\r\nНе печатает принтер на 3 этаже.\r\n").encode())
    wait_for(desk, lambda ms: [m for m in ms if "Принтер" in str(m["Subject"])], 4)  # 2 acks, 2 notes
    assert {t["requester"] for t in desk.tickets()} == {REQUESTER}


def test_a_mailed_attachment_keeps_only_its_own_name(desk: Center) -> None:
    """A file's name as a client wrote it may carry a Windows path, a `../` climb or a line break decoded from
    an encoded word: the ticket and the agents' notice show the name alone, as the portal stores its uploads."""
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = REQUESTER, "service@corp.example", "Акт сверки"
    m["Message-ID"] = make_msgid(domain="x.example")
    m.set_content("Акт во вложении.")
    names = {r"C:\\Users\\ivan\\Desktop\\akt.pdf": "akt.pdf", "../../etc/passwd": "passwd",  # quoted-pair \\
             "=?utf-8?q?report=0D=0AX-Injected=3A_1.txt?=": "report"}
    for given in names:
        m.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf")
        m.get_payload()[-1].replace_header("Content-Disposition", f'attachment; filename="{given}"')
    send_to(desk, m)
    (note,) = wait_for(desk, addressed("ivanov@corp.example", "notify"))
    stored = sorted(a["filename"] for a in desk.ticket("SD-1")["messages"][0]["attachments"])
    assert stored[:2] == ["akt.pdf", "passwd"]
    assert stored[2].startswith("report") and not CONTROL.search(stored[2]) and ":" not in stored[2]
    assert "etc/passwd" not in body_text(note) and "Users" not in body_text(note)


def test_a_mailed_attachment_name_cannot_hide_its_real_extension(desk: Center) -> None:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = REQUESTER, "service@corp.example", "Счёт"
    m["Message-ID"] = make_msgid(domain="x.example")
    m.set_content("Счёт во вложении.")
    m.add_attachment(b"MZ", maintype="application", subtype="octet-stream", filename="invoice\u202efdp.exe")
    send_to(desk, m)
    wait_for(desk, addressed("ivanov@corp.example", "notify"))
    (name,) = [a["filename"] for a in desk.ticket("SD-1")["messages"][0]["attachments"]]
    assert not any(c in name for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), repr(name)
