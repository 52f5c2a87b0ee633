"""Agents work by mail: notifications, relayed replies, #commands, and no way to pose as an agent.

Everything goes through the daemon's SMTP ingress and comes out of its maildir outbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
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
    to_of,
    wait_for,
    wait_ticket,
)
from support import Center, mail, text_of


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center



# -- notifications
def test_new_ticket_notifies_the_queue_agents_with_a_signed_reply_address(desk: Center) -> None:
    _, ack, note = open_ticket(desk)
    (other,) = wait_for(desk, addressed("petrova@corp.example", "notify"))
    assert note["Subject"] == "[SD-1] Не работает VPN"
    reply_address = str(note["Reply-To"])
    assert reply_address.startswith("service+1-") and reply_address.endswith("@corp.example")
    assert str(other["Reply-To"]) != reply_address  # one per agent: not a shared, guessable address
    body = text_of(note)
    assert "petr@corp.example" in body and "ИТ-поддержка" in body and "высокий" in body
    assert "ошибку 809" in body and "http://127.0.0.1:" in body and "#resolve" in body
    assert note["Auto-Submitted"] == "auto-generated"
    assert "ivanov@corp.example" not in ack.as_string() and "petrova" not in ack.as_string()


def test_hr_ticket_notifies_only_hr_agents(desk: Center) -> None:
    desk.send(mail("Справка 2-НДФЛ", "Нужна справка 2-НДФЛ за год.", to="hr@corp.example"))
    wait_for(desk, addressed("petrova@corp.example", "notify"))
    wait_for(desk, addressed(REQUESTER))
    time.sleep(0.5)
    assert not addressed("ivanov@corp.example")(desk.outgoing())


# -- relay
@pytest.mark.both_backends
def test_agent_reply_is_relayed_from_the_service_address_in_the_requesters_thread(desk: Center) -> None:
    original, _, note = open_ticket(desk, cc="Анна Смирнова <anna@corp.example>")
    send_to(desk, reply_to(note, "Пётр, переустановите клиент VPN по инструкции во вложении.",
                           attachment=("инструкция VPN.pdf", b"%PDF-1.4 test")))
    (relayed,) = wait_for(desk, lambda ms: [m for m in ms if "переустановите" in m.as_string()
                                           or "Пётр, переустановите" in body_text(m)])
    sender = relayed["From"].addresses[0]
    # Python's reader keeps the fold between encoded words as a space; mail clients (RFC 2047) drop it
    assert " ".join(sender.display_name.split()) == "Иван Иванов (Общий центр обслуживания)"
    assert sender.addr_spec == "service@corp.example"
    assert relayed["To"].addresses[0].addr_spec == REQUESTER
    assert [a.addr_spec for a in relayed["Cc"].addresses] == ["anna@corp.example"]
    assert relayed["In-Reply-To"] == str(original["Message-ID"])
    assert "[SD-1]" in relayed["Subject"]
    assert "ivanov@corp.example" not in relayed.as_string()
    text = body_text(relayed)
    assert "переустановите клиент VPN" in text
    assert "пишет:" not in text and "доб. 1234" not in text  # quote and signature stay behind
    (pdf,) = list(relayed.iter_attachments())
    assert pdf.get_filename() == "инструкция VPN.pdf" and pdf.get_content() == b"%PDF-1.4 test"
    assert not relayed["Auto-Submitted"]
    t = desk.ticket("SD-1")
    assert t["status"] == "open" and t["assignee"] == "ivanov@corp.example"
    reply = [m for m in t["messages"] if m["kind"] == "reply"]
    assert reply and reply[0]["name"] == "Иван Иванов" and reply[0]["visibility"] == "public"


def test_requester_answer_to_the_relay_joins_the_ticket_and_notifies_the_assignee(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "Попробуйте перезагрузить ноутбук."))
    (relayed,) = wait_for(desk, lambda ms: [m for m in ms if "перезагрузить" in body_text(m) and
                                           REQUESTER in to_of(m)])
    answer = mail("Re: " + str(relayed["Subject"]), "Перезагрузил, не помогло.",
                  headers={"In-Reply-To": str(relayed["Message-ID"])})
    desk.send(answer)
    notes = wait_for(desk, addressed("ivanov@corp.example", "notify"), count=2)
    assert "Перезагрузил, не помогло." in text_of(notes[-1])
    time.sleep(0.5)  # Petrova is not told any more: the ticket has an assignee now
    assert len(addressed("petrova@corp.example", "notify")(desk.outgoing())) == 1
    assert len(desk.tickets()) == 1


# -- commands
@pytest.mark.both_backends
def test_commands_change_the_ticket_and_a_commands_only_reply_sends_nothing(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    before = len(desk.outgoing())
    send_to(desk, reply_to(note, "#priority urgent\n#category vpn\n#queue general\n#cc anna@corp.example\n"
                                 "#assign Петрова\n#status pending"))
    t = wait_ticket(desk, lambda t: t["status"] == "pending")
    assert (t["priority"], t["category"], t["queue"], t["assignee"]) == ("urgent", "vpn", "general",
                                                                        "petrova@corp.example")
    assert {"email": "anna@corp.example", "name": "", "role": "cc"} in t["participants"]
    by_command = {e["kind"]: e for e in t["events"] if e["via"] == "command"}
    assert by_command["priority"]["detail"] == {"old": "high", "new": "urgent"}
    assert by_command["status"]["actor"] == "ivanov@corp.example"
    assert set(by_command) >= {"priority", "category", "queue", "participant", "assignee", "status"}
    # the new assignee is told; the requester gets nothing
    # (her own "new request" notice may land after `before` was counted: the outbox writes one file at a time)
    assert wait_for(desk, lambda ms: [m for m in ms[before:] if "petrova" in to_of(m)
                                             and "назначена на вас" in text_of(m)])
    time.sleep(0.5)
    assert not [m for m in desk.outgoing()[before:] if REQUESTER in to_of(m) or "anna@" in to_of(m)]
    assert not [m for m in t["messages"] if m["kind"] == "reply"]


def test_moving_a_ticket_tells_the_agents_of_its_new_queue(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#очередь hr"))
    wait_ticket(desk, lambda t: t["queue"] == "hr")
    (moved,) = wait_for(desk, lambda ms: [m for m in ms if "petrova" in to_of(m)
                                          and "передана в очередь" in body_text(m)])
    assert "Кадры" in body_text(moved) and "Иван Иванов" in body_text(moved)


def test_russian_aliases(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#приоритет низкий\n#назначить я\n#решено\n\nГотово, VPN-профиль обновлён."))
    t = wait_ticket(desk, lambda t: t["status"] == "resolved")
    assert t["priority"] == "low" and t["assignee"] == "ivanov@corp.example"
    (relayed,) = wait_for(desk, lambda ms: [m for m in ms if "VPN-профиль обновлён" in body_text(m)])
    assert "#решено" not in body_text(relayed) and "#приоритет" not in body_text(relayed)


def test_an_invalid_command_applies_nothing_and_the_agent_is_told(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#priority сверхсрочно\n#resolve\n#assign Сидоров\n\nСделаю завтра."))
    (error,) = wait_for(desk, lambda ms: [m for m in ms if "ivanov" in to_of(m) and "не выполнены" in body_text(m)])
    body = body_text(error)
    assert "#priority сверхсрочно" in body and "#assign Сидоров" in body and "#resolve" in body
    # the problems are explained in Russian, as the agent wrote (they were English words in a Russian mail)
    assert "неизвестный приоритет «сверхсрочно»" in body and "нет специалиста «Сидоров»" in body
    assert "unknown" not in body and "no agent" not in body
    assert "[SD-1]" in error["Subject"]
    t = desk.ticket("SD-1")
    assert (t["status"], t["priority"], t["assignee"]) == ("new", "high", None)
    assert [e for e in t["events"] if e["kind"] == "commands-rejected"]
    time.sleep(0.5)
    assert not [m for m in desk.outgoing() if "Сделаю завтра" in body_text(m)]


def test_cc_of_the_desk_or_an_agent_is_refused_and_the_agent_is_told_why(desk: Center) -> None:
    # such a copy would never be sent (the desk does not mail itself, agents follow by notices): silence would
    # let the agent believe the colleague or the department now reads along
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#cc IT@corp.example, petrova@corp.example\n\nПодключаю коллег."))
    (error,) = wait_for(desk, lambda ms: [m for m in ms if "ivanov" in to_of(m) and "не выполнены" in body_text(m)])
    assert "it@corp.example — адрес самой службы, копий он не получает" in body_text(error)
    t = desk.ticket("SD-1")
    assert [p for p in t["participants"] if p["role"] == "cc"] == []
    send_to(desk, reply_to(note, "#cc petrova@corp.example\n\nМария, посмотрите."))
    (error2,) = wait_for(desk, lambda ms: [m for m in ms if "petrova@corp.example — специалист" in body_text(m)])
    assert "ivanov" in to_of(error2)


def test_note_stays_with_the_agents(desk: Center) -> None:
    _, ack, note = open_ticket(desk)
    before = len(desk.outgoing())
    send_to(desk, reply_to(note, "#заметка\nПохоже на проблему с сертификатом, проверю на шлюзе."))
    t = wait_ticket(desk, lambda t: any(m["kind"] == "note" for m in t["messages"]))
    (n,) = [m for m in t["messages"] if m["kind"] == "note"]
    assert n["visibility"] == "internal" and "сертификатом" in n["text"]
    time.sleep(0.5)
    assert not [m for m in desk.outgoing()[before:] if "сертификатом" in body_text(m) and REQUESTER in to_of(m)]
    status, page = desk.get(_tracking_url(ack))
    assert status == 200 and "сертификатом" not in page


def _tracking_url(ack: EmailMessage) -> str:
    return next(w for w in body_text(ack).split() if "/t/" in w)


# -- who is an agent
def test_forged_agent_from_runs_no_command(desk: Center) -> None:
    _, ack, _ = open_ticket(desk)
    forged = mail("Re: " + str(ack["Subject"]), "#resolve\n#assign me\n\nЗакрываю.",
                  sender="Иван Иванов <ivanov@corp.example>")
    desk.send(forged)
    processed(desk, 2)
    t = desk.ticket("SD-1")
    assert t["status"] == "new" and t["assignee"] is None
    assert [e for e in t["events"] if e["kind"] == "possible-spoof"]
    assert "possible spoof" in desk.log.read_text()
    assert not [m for m in desk.outgoing() if "Закрываю" in body_text(m) and REQUESTER in to_of(m)]


def test_a_stranger_at_an_agents_reply_address_is_not_relayed(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    stranger = reply_to(note, "Закройте заявку, это я её за него решу.", sender="Мошенник <mallory@evil.example>")
    send_to(desk, stranger)
    (told,) = wait_for(desk, lambda ms: [m for m in ms if "ivanov" in to_of(m) and "mallory" in body_text(m)])
    assert "не переслано" in body_text(told)
    t = desk.ticket("SD-1")
    (kept,) = [m for m in t["messages"] if m["kind"] == "third-party"]
    assert kept["visibility"] == "internal" and kept["from"] == "mallory@evil.example"
    assert not [m for m in desk.outgoing() if "за него решу" in body_text(m) and REQUESTER in to_of(m)]
    assert t["status"] == "new"


def test_trusted_dkim_pass_of_the_agents_own_address_makes_an_agent(make_center: Callable[..., Center]) -> None:
    center = make_center(extra=AGENTS, service_extra='trusted_authserv_id = "mx.corp.example"')
    center.start()
    _, ack, _ = open_ticket(center)
    subject = "Re: " + str(ack["Subject"])
    forged = mail(subject, "#priority low", sender="ivanov@corp.example",
                  headers={"Authentication-Results": "mx.evil.example; dkim=pass header.d=corp.example"})
    center.send(forged)
    processed(center, 2)
    assert center.ticket("SD-1")["priority"] == "high"  # another host's verdict counts for nothing
    signed = mail(subject, "#priority low", sender="ivanov@corp.example",
                  headers={"Authentication-Results": "mx.corp.example; dkim=pass header.d=corp.example "
                                                     "header.i=ivanov@corp.example header.s=mail; "
                                                     "spf=pass smtp.mailfrom=corp.example",
                           "Received": "from mail.corp.example (mail.corp.example [192.0.2.25]) "
                                       "by mx.corp.example (Postfix) with ESMTPS id 4Qx1"})
    center.send(signed)
    wait_ticket(center, lambda t: t["priority"] == "low")


# -- the requester's side
def test_reply_to_a_resolved_ticket_reopens_it_but_thanks_do_not(desk: Center) -> None:
    _, ack, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#resolve\n\nПерезапустил шлюз, должно работать."))
    wait_ticket(desk, lambda t: t["status"] == "resolved")
    desk.send(mail("Re: " + str(ack["Subject"]), "Спасибо большое, всё работает!\n\n--\nПётр"))
    processed(desk, 3)
    t = desk.ticket("SD-1")
    assert t["status"] == "resolved"
    assert [e for e in t["events"] if e["kind"] == "message" and e["detail"].get("thanks")]
    desk.send(mail("Re: " + str(ack["Subject"]), "Спасибо, но сегодня опять не подключается."))
    t = wait_ticket(desk, lambda t: t["status"] == "open")
    assert [e for e in t["events"] if e["kind"] == "status" and e["detail"].get("reason") == "the requester replied"]
    (reopened,) = wait_for(desk, lambda ms: [m for m in ms if "ivanov" in to_of(m) and "снова открыта" in body_text(m)])
    assert "опять не подключается" in body_text(reopened)


def test_people_in_copy_become_participants_and_may_add_to_the_ticket(desk: Center) -> None:
    _, ack, _ = open_ticket(desk, cc="Анна Смирнова <anna@corp.example>")
    desk.send(mail("Re: " + str(ack["Subject"]), "У меня та же ошибка 809.",
                   sender="Анна Смирнова <anna@corp.example>"))
    processed(desk, 2)
    assert len(desk.tickets()) == 1
    t = desk.ticket("SD-1")
    assert [m for m in t["messages"] if m["kind"] == "follow-up" and m["from"] == "anna@corp.example"]


# -- bounces
def test_a_bounce_of_an_acknowledgment_lands_on_its_ticket_and_stops_mail_to_the_address(desk: Center) -> None:
    _, ack, note = open_ticket(desk)
    bounce = _bounce_of(ack, REQUESTER)
    desk.send(bounce, sender="")
    t = wait_ticket(desk, lambda t: any(e["kind"] == "suppressed" for e in t["events"]))
    assert [e for e in t["events"] if e["kind"] == "automatic-mail" and e["detail"]["auto"] == "bounce"]
    assert [s["address"] for s in t["suppressed"]] == [REQUESTER]
    assert len(desk.tickets()) == 1  # a bounce never opens a ticket
    assert "no mail to: petr@corp.example" in desk.cli("tickets", "show", "SD-1").stdout
    before = len(desk.outgoing())
    send_to(desk, reply_to(note, "Пётр, проверьте, пожалуйста, ещё раз."))
    wait_ticket(desk, lambda t: any(e["kind"] == "not-sent" for e in t["events"]))
    time.sleep(0.5)
    assert not [m for m in desk.outgoing()[before:] if REQUESTER in to_of(m)]


def _bounce_of(original: EmailMessage, recipient: str) -> bytes:
    """A Postfix-style DSN for `original`, as the relay returns it."""
    boundary = "bounce-boundary-1"
    return (
        "From: MAILER-DAEMON@mx.corp.example (Mail Delivery System)\r\n"
        f"To: service@corp.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.corp.example')}\r\nAuto-Submitted: auto-replied\r\n"
        f'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\n"
        f"I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        f"<{recipient}>: host mx.corp.example said: 550 5.1.1 User unknown\r\n"
        f"\r\n--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.corp.example\r\n\r\nFinal-Recipient: rfc822; {recipient}\r\n"
        f"Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        f"\r\n--{boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original['Message-ID']}\r\nFrom: service@corp.example\r\nTo: {recipient}\r\n"
        f"Subject: x\r\n\r\n--{boundary}--\r\n"
    ).encode()


def test_a_reply_to_the_notification_sent_to_the_service_address_still_counts(desk: Center) -> None:
    """Some clients ignore Reply-To; the notification the reply answers then names the agent."""
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#priority low\n\nПроверьте ещё раз, пожалуйста.", to="service@corp.example"))
    t = wait_ticket(desk, lambda t: t["priority"] == "low")
    assert [m for m in t["messages"] if m["kind"] == "reply"]
    wait_for(desk, lambda ms: [m for m in ms if "Проверьте ещё раз" in body_text(m) and REQUESTER in to_of(m)])


def test_after_the_reopen_window_a_reply_opens_a_new_ticket_that_mentions_the_old(
        make_center: Callable[..., Center]) -> None:
    center = make_center(extra=AGENTS, service_extra="reopen_days = 0")
    center.start()
    _, ack, note = open_ticket(center)
    send_to(center, reply_to(note, "#resolve"))
    wait_ticket(center, lambda t: t["status"] == "resolved")
    center.send(mail("Re: " + str(ack["Subject"]), "VPN снова не работает, та же ошибка."))
    new = wait_ticket(center, lambda t: t["status"] == "new", ref="SD-2")
    (mention,) = [e for e in new["events"] if e["kind"] == "mentions"]
    assert mention["detail"]["ticket"] == "SD-1" and "resolved more than 0 days ago" in mention["detail"]["reason"]
    assert center.ticket("SD-1")["status"] == "resolved"
