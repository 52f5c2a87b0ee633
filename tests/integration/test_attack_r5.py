"""Hostile mail and careless clients against a running daemon, round 5 of issue 15: what an outsider tried
that the earlier attack tests (test_attack_*.py, test_hostile_*.py) did not, and what the desk does now.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from email.utils import make_msgid

import pytest

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
from postdesk.daemon.web.tokens import bounce_token
from support import SECRET, Center, mail


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def test_a_requester_rating_again_and_again_mails_the_leads_once(desk: Center) -> None:
    """A rating may be replaced for a week, and anyone can write as the requester: each low one mailed the
    queue's leads again (six replies "1", six mails to the lead). The leads hear of a ticket's low rating once;
    every rating stays on the ticket."""
    _, ack, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#resolve\nПереустановите клиент VPN."))
    wait_ticket(desk, lambda t: t["status"] == "resolved")
    for i, score in enumerate((1, 2, 5, 1, 1)):
        desk.send(mail(f"Re: {ack['Subject']}", f"{score} плохо, попытка {i}",
                       headers={"In-Reply-To": str(ack["Message-ID"])}))
    t = wait_ticket(desk, lambda t: len([e for e in t["events"] if e["kind"] == "rating"]) == 5)
    assert [e["detail"]["score"] for e in t["events"] if e["kind"] == "rating"] == [1, 2, 5, 1, 1]
    time.sleep(1.5)  # the worker has queued whatever it was going to
    low = re.compile(r"^[1-5]/5\.", re.M)  # the score line of a low-rating mail
    to_lead = [m for m in addressed("petrova@corp.example")(desk.outgoing()) if low.search(body_text(m))]
    assert len(to_lead) == 1, [body_text(m)[:80] for m in to_lead]


@pytest.mark.both_backends
def test_plus_forms_of_one_address_share_its_hourly_answers(desk: Center) -> None:
    """`victim+1@…`, `victim+2@…` are one mailbox. A forger who put a new tag on the victim's address in each
    mail's From got every mail acknowledged (ten tags, ten acknowledgments in the victim's mailbox); the hourly
    limit of automatic answers counts the mailbox, whatever tag the address carries."""
    for i in range(8):
        desk.send(mail(f"Вопрос {i}", "Не печатает принтер.", sender=f"victim+{i}@corp.example"),
                  sender=f"victim+{i}@corp.example")
    wait_for(desk, addressed("ivanov@corp.example", "notify"), count=8)
    time.sleep(1)
    acks = [m for m in desk.outgoing() if "victim" in str(m["To"])]
    assert len(acks) == 5, [str(m["To"]) for m in acks]
    desk.send(mail("Ещё вопрос", "Не печатает принтер.", sender="victim@corp.example"), sender="victim@corp.example")
    wait_for(desk, addressed("ivanov@corp.example", "notify"), count=9)
    time.sleep(1)
    assert len([m for m in desk.outgoing() if "victim" in str(m["To"])]) == 5
    # another mailbox of the same name elsewhere, and a longer name, have their own allowance
    for sender in ("victim@other.example", "victim2@corp.example", REQUESTER):
        desk.send(mail("Вопрос", "Не печатает принтер.", sender=sender), sender=sender)
        wait_for(desk, addressed(sender))


def _dsn(failed: str, original_message_id: str) -> bytes:
    """A DSN saying `failed` is unknown, returning the headers of `original_message_id`; anyone can write one."""
    return ("From: MAILER-DAEMON@mx.evil.example\r\nTo: service@corp.example\r\nSubject: Undelivered Mail\r\n"
            f"Message-ID: {make_msgid(domain='mx.evil.example')}\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
            "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.evil.example\r\n\r\n"
            f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
            f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {original_message_id}\r\n"
            "From: service@corp.example\r\n\r\n--b--\r\n").encode()


def test_a_participant_in_copy_cannot_silence_the_requester_with_a_forged_bounce(desk: Center) -> None:
    """A bounce without our VERP tag counts when it quotes the Message-ID of a mail sent to that address alone:
    only its recipient knows it. But the agent's reply to the requester and the people in copy carries the
    acknowledgment's Message-ID in its References: someone in copy quoted it in a forged DSN and the requester
    got no mail for 30 days. An ID a later mail showed to others proves nothing; one nobody else saw still does."""
    anna, mallory = "anna@corp.example", "mallory@evil.example"
    desk.send(mail("Не печатает принтер", "Принтер на 3 этаже не печатает.", sender=anna, cc=mallory),
              sender=anna)
    (ack,) = wait_for(desk, addressed(anna))
    (note,) = wait_for(desk, addressed("ivanov@corp.example", "notify"))
    send_to(desk, reply_to(note, "Проверьте бумагу в лотке."))
    (relayed,) = wait_for(desk, addressed(mallory))
    seen = re.findall(r"<[^<>\s]+>", " ".join(str(relayed[h] or "") for h in ("References", "In-Reply-To")))
    assert str(ack["Message-ID"]) in seen  # what mallory holds
    for mid in seen:
        desk.send(_dsn(anna, mid), sender="")
    # bob's acknowledgment went to bob alone and nowhere else: a bounce quoting it is his mailbox's own
    bob = "bob@corp.example"
    desk.send(mail("Нужен пропуск", "Прошу оформить пропуск.", sender=bob), sender=bob)
    (bob_ack,) = wait_for(desk, addressed(bob))
    desk.send(_dsn(bob, str(bob_ack["Message-ID"])), sender="")
    wait_ticket(desk, lambda t: [s for s in t["suppressed"] if bob in str(s)] != [], ref="SD-2")
    assert desk.ticket("SD-1")["suppressed"] == []
    send_to(desk, reply_to(note, "Анна, бумагу привезли."))
    wait_for(desk, lambda ms: [m for m in addressed(anna)(ms) if "привезли" in body_text(m)])


def test_a_name_or_subject_cannot_turn_the_agents_lines_around(desk: Center) -> None:
    """U+202E (right-to-left override) in an encoded display name showed `Заявитель: <RLO>вонавИ навИ
    <mallory@…>` to the agent as a colleague's name with the real address reversed into noise, and in a subject
    `Счёт <RLO>txt.exe` read as `Счёт exe.txt`. Embeddings, overrides and isolates are dropped from names and
    subjects (right-to-left text needs none of them); the words stay."""
    def b64(text: str) -> str:
        return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="
    raw = (f"From: {b64(chr(0x202E) + 'вонавИ навИ')} <mallory@evil.example>\r\nTo: service@corp.example\r\n"
           f"Subject: {b64('Счёт ' + chr(0x202E) + 'txt.exe' + chr(0x202C) + ' ' + chr(0x2067) + 'VPN')}\r\n"
           f"Message-ID: {make_msgid(domain='evil.example')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Не работает VPN.\r\n").encode()
    desk.send(raw, sender="mallory@evil.example")
    (note,) = wait_for(desk, addressed("ivanov@corp.example", "notify"))
    (ack,) = wait_for(desk, addressed("mallory@evil.example"))
    bidi = re.compile("[\u202a-\u202e\u2066-\u2069]")
    for m in (note, ack):
        shown = " ".join(str(m[h]) for h in ("To", "Subject")) + body_text(m)
        assert not bidi.search(shown), shown
    assert "Заявитель:  вонавИ навИ <mallory@evil.example>" in body_text(note)
    assert str(note["Subject"]) == "[SD-1] Счёт txt.exe VPN"


def test_our_own_address_with_the_roots_dot_is_still_ours(desk: Center) -> None:
    """`service@corp.example.` (the DNS root's trailing dot) is the service address to any MTA. It was read as a
    stranger: a mail From it was acknowledged, to ourselves, a loop. It is one of ours: nothing is mailed to it.
    (Reading such a mail as a loop before it opens a ticket is parsers/auto.py's; it still opens one.)"""
    desk.send(mail("Проверка", "Текст.", sender="Service <service@corp.example.>"), sender="x@evil.example")
    desk.send(mail("Проверка", "Текст.", sender="IT <IT@corp.example.>"), sender="x@evil.example")
    desk.send(mail("Не работает VPN", "Не работает VPN."))
    wait_for(desk, addressed(REQUESTER))
    wait_for(desk, addressed("ivanov@corp.example", "notify"))
    time.sleep(1)
    to_lines = [line for f in (desk.maildir / "new").iterdir() for line in f.read_bytes().splitlines()
                if line.startswith(b"To:")]  # the raw lines: the email package reads such an address as empty
    assert len(to_lines) >= 2 and [t for t in to_lines if b"@corp.example." in t.lower()] == []


def _closed_by_peer(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass  # an answer (a 4xx, say) before the close
        return True
    except TimeoutError:
        return False
    except OSError:
        return True


def test_a_slow_client_cannot_hold_web_connections_forever(make_center: Callable[..., Center]) -> None:
    """aiohttp waits for a request's head as long as the client likes: 3,000 connections that each sent half a
    head stayed open (each a file descriptor of the daemon, whose SMTP listener and database need them too).
    A connection that sends no whole head within `[web] idle_timeout` is closed; one that does is answered,
    and a kept-alive connection gets the same time for its next request."""
    center = make_center()
    center.config.write_text(center.config.read_text().replace("[web]\n", '[web]\nidle_timeout = "2s"\n', 1))
    center.start()
    slow = []
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", center.web_port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # ... and never the blank line
        slow.append(s)
    silent = socket.create_connection(("127.0.0.1", center.web_port), timeout=5)
    kept = socket.create_connection(("127.0.0.1", center.web_port), timeout=5)
    for piece in (b"GET /healthz HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):  # slow, but within the time
        kept.sendall(piece)
        time.sleep(0.5)
    kept.settimeout(5)
    assert kept.recv(4096).startswith(b"HTTP/1.1 200")
    time.sleep(3)
    assert all(_closed_by_peer(s, 2) for s in [*slow, silent])
    assert _closed_by_peer(kept, 2)  # idle after its answer: closed as well
    with urllib.request.urlopen(f"http://127.0.0.1:{center.web_port}/healthz", timeout=5) as r:
        assert r.status == 200
    for s in [*slow, silent, kept]:
        s.close()


def test_an_agents_attachment_reaches_the_requester_under_its_cleaned_name(desk: Center) -> None:
    """The desk stores and lists an attachment under its last path part, cleaned; the agent's reply was relayed
    with the name as the agent's mail gave it: `../../../etc/passwd`, `a<CR><LF>Bcc: x@evil.example.pdf` in the
    requester's Content-Disposition. The requester gets the names the desk showed."""
    _, _, note = open_ticket(desk)
    files = "".join(f"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; {param}\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
                    for param in ('filename="../../../etc/passwd"',
                                  "filename*=utf-8''a%0D%0ABcc%3A%20x%40evil.example.pdf"))
    raw = (f"From: ivanov@corp.example\r\nTo: {note['Reply-To']}\r\nSubject: Re: {note['Subject']}\r\n"
           f"In-Reply-To: {note['Message-ID']}\r\nMessage-ID: {make_msgid(domain='corp.example')}\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
           "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nФайлы во вложении.\r\n" f"{files}--B--\r\n")
    desk.send(raw.encode(), sender="ivanov@corp.example", rcpt=[str(note["Reply-To"])])
    (relayed,) = wait_for(desk, lambda ms: [m for m in addressed(REQUESTER)(ms) if "вложении" in body_text(m)])
    names = [p.get_filename() for p in relayed.iter_attachments()]
    assert names == ["passwd", "aBcc_ x@evil.example.pdf"], names


def test_a_request_the_server_cannot_parse_is_one_line_in_the_log(make_center: Callable[..., Center]) -> None:
    """Anyone could write an ERROR with aiohttp's traceback into the daemon's log per request (a URL past 8 KB,
    500 headers, a negative Content-Length): alerts on ERROR fired for a client's mistake. The client gets its
    400; the log gets one INFO line that says so."""
    center = make_center()
    center.start()
    requests = (b"GET /kb?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                b"GET /kb HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(500)) + b"\r\n",
                b"GET /kb HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
    for raw in requests:
        with socket.create_connection(("127.0.0.1", center.web_port), timeout=5) as s:
            s.sendall(raw)
            assert s.recv(4096).startswith(b"HTTP/1.0 400")
    time.sleep(0.5)
    log = center.log.read_text()
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
    assert log.count("bad HTTP request from 127.0.0.1") == 3


class _Visitor:
    """A browser's cookies; redirects are seen, not followed."""

    def __init__(self, center: Center):
        self.base = f"http://127.0.0.1:{center.web_port}"
        jar = http.cookiejar.CookieJar()

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)

    def go(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def csrf(self, path: str) -> str:
        return re.search(r'name="csrf" value="([^"]+)"', self.go(path)[2]).group(1)  # type: ignore[union-attr]

    def sign_in(self, center: Center, address: str) -> None:
        self.go("/login", {"csrf": self.csrf("/login"), "email": address})
        (link,) = wait_for(center, lambda ms: [m for m in addressed(address)(ms) if "/login/" in body_text(m)])
        path = urllib.parse.urlsplit(re.search(r"http\S+/login/\S+", body_text(link)).group(0)).path  # type: ignore
        assert self.go(path, {"csrf": self.csrf(path)})[0] == 303


def test_someone_in_copy_sees_the_request_but_cannot_act_as_the_requester(desk: Center) -> None:
    """`/my/<n>` sent a person in copy to the requester's tracking page, whose comment form, "this solved my
    problem" and rating all act as the requester: a colleague in copy could close Petr's request in his name.
    In copy, the portal shows the request read-only, with no link that carries the requester's token."""
    desk.send(mail("Не работает VPN", "С утра не работает VPN.", cc="zoe@corp.example"))
    wait_for(desk, addressed("ivanov@corp.example", "notify"))
    zoe = _Visitor(desk)
    zoe.sign_in(desk, "zoe@corp.example")
    status, _, page = zoe.go("/my/1")
    assert status == 200 and "Не работает VPN" in page and "С утра не работает VPN." in page
    assert "/t/" not in page and "/r/" not in page and "<form" not in page, page
    petr = _Visitor(desk)
    petr.sign_in(desk, REQUESTER)
    status, headers, _ = petr.go("/my/1")
    assert status == 303 and headers["Location"].startswith("/t/1-")
    assert _Visitor(desk).go("/my/1")[0] == 303  # not signed in: to the sign-in page


def test_an_out_of_office_to_our_envelope_sender_is_automatic(desk: Center) -> None:
    """Auto-responders answer the envelope sender (RFC 3834), and ours is `service+bounces-<row>-<tag>`; only
    software writes there. An out-of-office without `Auto-Submitted` to it was read as a person's mail: the
    requester's told the agents of a follow-up, the agent's opened a new ticket "from" the agent. Both are
    recorded on the ticket as automatic mail now, and nobody is mailed."""
    open_ticket(desk)
    rows = json.loads(desk.cli("outbox", "list", "--json").stdout)
    before = len(desk.outgoing())
    for row in sorted(rows, key=lambda r: r["id"]):
        (to,) = row["to"]
        verp = f"service+{bounce_token(SECRET.encode(), row['id'], to)}@corp.example"
        desk.send(mail(f"Re: {row['subject']}", "Я в отпуске до понедельника.", sender=to, to=verp),
                  sender=to, rcpt=[verp])
    assert len(rows) == 3  # the acknowledgment, and the notifications of Ivanov and Petrova
    t = wait_ticket(desk, lambda t: len([e for e in t["events"] if e["kind"] == "automatic-mail"]) == 3)
    assert {e["detail"]["auto"] for e in t["events"] if e["kind"] == "automatic-mail"} == {"auto-reply"}
    time.sleep(1)
    assert len(desk.outgoing()) == before and len(desk.tickets()) == 1


def test_a_dsn_naming_thousands_keeps_a_short_record_on_the_ticket(desk: Center) -> None:
    """A forged DSN naming 50,000 addresses, tied to someone's ticket by `[SD-1]` in its subject, made a 1.3 MB
    event there, all printed by `tickets show`. The event keeps the first 20 and how many more; nobody is held."""
    open_ticket(desk)
    listed = "".join(f"Final-Recipient: rfc822; user{i}@corp.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
                     for i in range(5000))
    raw = ("From: MAILER-DAEMON@mx.evil.example\r\nTo: service@corp.example\r\nSubject: Undelivered [SD-1]\r\n"
           f"Message-ID: {make_msgid(domain='mx.evil.example')}\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
           "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--b\r\nContent-Type: message/delivery-status"
           f"\r\n\r\nReporting-MTA: dns; mx.evil.example\r\n\r\n{listed}--b--\r\n").encode()
    desk.send(raw, sender="")
    t = wait_ticket(desk, lambda t: any(e["kind"] == "automatic-mail" for e in t["events"]))
    (event,) = [e["detail"] for e in t["events"] if e["kind"] == "automatic-mail"]
    assert len(event["bounced"]) == 20 and event["bounced_more"] == 4980
    assert t["suppressed"] == []
    assert len(desk.cli("tickets", "show", "SD-1").stdout) < 20_000


def test_no_mail_goes_to_an_address_literal(desk: Center) -> None:
    """`From: x@[10.0.0.5]` was acknowledged: the relay was made to connect to whatever host a sender wrote
    (an internal one included). The request is kept, and an event says why no mail went."""
    desk.send(mail("Не работает VPN", "С утра не работает VPN.", sender="Гость <guest@[10.0.0.5]>"),
              sender="guest@[10.0.0.5]")
    wait_for(desk, addressed("ivanov@corp.example", "notify"))
    t = wait_ticket(desk, lambda t: any(e["kind"] == "not-sent" for e in t["events"]))
    assert "address literal" in str([e["detail"] for e in t["events"] if e["kind"] == "not-sent"])
    time.sleep(1)
    assert [str(m["To"]) for m in desk.outgoing() if "[" in str(m["To"])] == []


def test_a_stranger_at_an_agents_signed_address_is_told_to_the_agent_once_an_hour(desk: Center) -> None:
    """Each mail of a stranger who learned an agent's signed reply address made the desk mail the agent (eight
    mails, eight notices), a new From each time as well. Every mail is kept on the ticket; the agent hears of
    strangers on that ticket once an hour."""
    _, _, note = open_ticket(desk)
    for i in range(5):
        m = mail(f"Re: {note['Subject']}", f"#close\nСпам {i}", sender=f"mallory{i % 3}@evil.example",
                 to=str(note["Reply-To"]))
        send_to(desk, m)
    t = wait_ticket(desk, lambda t: len([e for e in t["events"] if e["kind"] == "third-party"]) == 5)
    assert t["status"] == "new"
    time.sleep(1)
    told = [m for m in addressed("ivanov@corp.example")(desk.outgoing()) if "Спам" in body_text(m)]
    assert len(told) == 1, [body_text(m)[:60] for m in told]


def test_numbers_outside_ascii_or_too_long_are_no_ids_anywhere(desk: Center) -> None:
    """`str.isdigit` says yes to "²" (then `int` raised) and to twenty digits (then the database could not take
    the number): a mail to `service+bounces-²-x@…`, a subject naming [SD-99999999999999999999] and such
    numbers in a tracking or portal URL are no ids. The mails become tickets like any other, nothing is
    quarantined, and the pages answer a plain 404."""
    desk.send(mail("Вопрос про отпуск", "Сколько дней отпуска осталось?"),
              rcpt=["service+bounces-\u00b2-abcdef@corp.example"])
    desk.send(mail("Re: [SD-99999999999999999999] принтер", "Принтер снова не печатает."))
    processed(desk, 2)
    status = json.loads(desk.cli("status", "--json").stdout)["inbound"]
    assert status.get("quarantined", 0) == 0, desk.cli("quarantine", "list").stdout
    assert sorted(t["subject"] for t in desk.tickets()) == ["Re: [SD-99999999999999999999] принтер",
                                                           "Вопрос про отпуск"]  # two new tickets
    for path in ("/t/1-abcdef/original/\u00b2", "/t/\u00b2-abcdef", "/t/1-abcdef/original/99999999999999999999"):
        code, body = desk.get(f"http://127.0.0.1:{desk.web_port}" + urllib.parse.quote(path))
        assert code == 404 and "Traceback" not in body, (path, code)


def test_a_programs_mail_read_as_a_request_becomes_a_ticket_but_gets_no_automatic_answer(desk: Center) -> None:
    """A web form's mail for a visitor (Reply-To the visitor) and a colleague's question whose client set
    X-Auto-Response-Suppress: All are tickets the agents see; but the program said `Auto-Submitted` (or asked
    for no automatic answers), so the desk sends it none (RFC 3834): the acknowledgment went to the form's
    robot mailbox."""
    desk.send(mail("Заявка с сайта", "Имя: Ирина Волкова\nСообщение: не печатает принтер в бухгалтерии, посмотрите.",
                   sender="Site <wordpress@site.example>",
                   headers={"Reply-To": "irina.volkova@gmail.com", "Auto-Submitted": "auto-generated"}),
              sender="wordpress@site.example")
    desk.send(mail("VPN", "Не подключается VPN с утра, можете проверить?",
                   headers={"X-Auto-Response-Suppress": "All"}))
    wait_for(desk, addressed("ivanov@corp.example", "notify"), count=2)
    assert sorted(t["subject"] for t in desk.tickets()) == ["VPN", "Заявка с сайта"]
    time.sleep(1)
    sent_to = [str(m["To"]) for m in desk.outgoing()]
    assert not [t for t in sent_to if "wordpress@" in t or "petr@" in t], sent_to


def test_a_colleagues_question_under_a_gateways_bulk_stamp_is_a_ticket_answered_by_no_robot(desk: Center) -> None:
    """A department gateway stamps `Precedence: bulk` and `List-Unsubscribe` on every mail it relays. The
    colleague's question is a ticket the agents are told of; the stamp asked for no automatic answer (RFC 3834 2),
    so none goes back through the gateway."""
    desk.send(mail("Принтер", "Принтер на 3 этаже не печатает с утра. Посмотрите, пожалуйста?\n\nПётр Сидоров\n",
                   headers={"Precedence": "bulk", "List-Unsubscribe": "<https://gw.corp.example/u/petr>"}))
    (note,) = wait_for(desk, addressed("ivanov@corp.example", "notify"))
    assert [t["subject"] for t in desk.tickets()] == ["Принтер"]
    time.sleep(1)
    assert not [m for m in desk.outgoing() if "petr@" in str(m["To"])]
    # the agent's answer is a person's words and goes; the rating prompt, unasked, does not
    send_to(desk, reply_to(note, "#resolve\nЗаменили картридж."))
    (answer,) = wait_for(desk, addressed("petr@corp.example"))
    assert "Заменили картридж" in body_text(answer)
    wait_ticket(desk, lambda t: t["status"] == "resolved")
    time.sleep(1.5)  # the worker has queued whatever it was going to
    assert len(addressed("petr@corp.example")(desk.outgoing())) == 1



def test_a_request_from_a_mailbox_nobody_reads_is_a_ticket_and_gets_no_automatic_answer(desk: Center) -> None:
    """A partner portal's notice from no-reply@ that asks to confirm a delivery, with no automatic-mail header at
    all (review M, b05): the agents see it, but an acknowledgment to no-reply@ is read by no one, and the program
    behind the mailbox may answer it in turn. A colleague's mail keeps its acknowledgment."""
    desk.send(mail("Подтвердите доставку", "Здравствуйте! Можем ли мы доставить заказ 4471 завтра с 10 до 12? "
                   "Пожалуйста, подтвердите.", sender="Портал поставщика <no-reply@portal.example>"),
              sender="no-reply@portal.example")
    desk.send(mail("Сканер", "Не сканирует сканер в бухгалтерии, посмотрите, пожалуйста."))
    wait_for(desk, addressed("ivanov@corp.example", "notify"), count=2)
    wait_for(desk, addressed("petr@corp.example", "ack"))
    time.sleep(1)
    assert not [m for m in desk.outgoing() if "no-reply@" in str(m["To"])]


def test_a_desk_fed_by_its_own_group_alias_still_acknowledges_everyone(desk: Center) -> None:
    """The service address is a Google Group: every request comes with its list headers (List-Id
    service.corp.example, Precedence: list, List-Unsubscribe). They are the desk's own, not the sender's wish
    for silence: the requester gets the acknowledgment."""
    desk.send(mail("Монитор", "Монитор мигает, посмотрите, пожалуйста.",
                   headers={"List-Id": "<service.corp.example>", "Precedence": "list",
                            "List-Unsubscribe": "<mailto:service+unsubscribe@corp.example>",
                            "List-Post": "<mailto:service@corp.example>"}))
    (ack,) = wait_for(desk, addressed("petr@corp.example", "ack"))
    assert "[SD-1]" in str(ack["Subject"])
