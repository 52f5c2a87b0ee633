"""Automatic mail must never get an answer, and a person's mail must never be taken for automatic."""

from __future__ import annotations

import email
from email.message import Message
from email.utils import getaddresses

import pytest

from postdesk.parsers.auto import classify_auto
from postdesk.parsers.bounces import bounced_recipients, original_message_ids

OURS = frozenset({"desk@corp.example", "hr@corp.example"})


def parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw.replace(b"\n", b"\r\n"))


def sender_of(msg: Message) -> str | None:
    found = [a.lower() for _, a in getaddresses([str(msg.get("From", ""))]) if "@" in a]
    return found[0] if found else None


def classify(raw: bytes):
    msg = parse(raw)
    return classify_auto(msg, sender_of(msg), OURS)


# ------------------------------------------------------------------------------------------- bounces

POSTFIX_DSN = b"""Return-Path: <>
From: MAILER-DAEMON@mx.corp.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: desk@corp.example
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
  boundary="4B1C1A2B3C.1700000000/mx.corp.example"
Message-Id: <20240301101500.4B1C1A2B3C@mx.corp.example>

This is a MIME-encapsulated message.

--4B1C1A2B3C.1700000000/mx.corp.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.corp.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<p.sidorov@partner.example>: host mx.partner.example[192.0.2.10] said: 550
    5.1.1 <p.sidorov@partner.example>: Recipient address rejected: User unknown
    (in reply to RCPT TO command)

--4B1C1A2B3C.1700000000/mx.corp.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.corp.example
X-Postfix-Queue-ID: 4B1C1A2B3C
X-Postfix-Sender: rfc822; desk@corp.example
Arrival-Date: Fri,  1 Mar 2024 10:14:58 +0300 (MSK)

Final-Recipient: rfc822; p.sidorov@partner.example
Original-Recipient: rfc822;P.Sidorov@partner.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.partner.example
Diagnostic-Code: smtp; 550 5.1.1 <p.sidorov@partner.example>: Recipient address
    rejected: User unknown

Final-Recipient: rfc822; a.petrova@slow.example
Action: delayed
Status: 4.4.1

--4B1C1A2B3C.1700000000/mx.corp.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <desk@corp.example>
From: Service Desk <desk@corp.example>
To: p.sidorov@partner.example, a.petrova@slow.example
Subject: [SD-1042] Your request was received
Message-ID: <sd-1042.1.abc@corp.example>

--4B1C1A2B3C.1700000000/mx.corp.example--
"""


def test_postfix_dsn_lists_only_failed_recipients() -> None:
    msg = parse(POSTFIX_DSN)
    verdict = classify_auto(msg, sender_of(msg), OURS)
    assert verdict is not None and verdict.kind == "bounce"
    assert "delivery-status" in verdict.reason
    assert bounced_recipients(msg) == ["p.sidorov@partner.example"]
    assert original_message_ids(msg) == ["sd-1042.1.abc@corp.example"]


EXCHANGE_NDR_EN = b"""From: Microsoft Outlook <postmaster@partner.example>
To: desk@corp.example
Subject: Undeliverable: [SD-77] Password reset
Date: Mon, 4 Mar 2024 09:00:00 +0000
Message-ID: <ndr-1@partner.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="ndr"

--ndr
Content-Type: text/plain; charset="us-ascii"

Your message to j.smith@partner.example couldn't be delivered.

j.smith wasn't found at partner.example.

Delivery has failed to these recipients or groups:

j.smith@partner.example
The email address you entered couldn't be found. Please check the recipient's
email address and try to resend the message. If the problem continues, please
contact your helpdesk.

--ndr
Content-Type: message/rfc822

From: Service Desk <desk@corp.example>
To: j.smith@partner.example
Subject: [SD-77] Password reset
Message-ID: <sd-77.3.def@corp.example>

Hello, your password was reset.

--ndr--
"""

EXCHANGE_NDR_RU = """From: postmaster@company.example
To: desk@corp.example
Subject: =?utf-8?b?0J3QtSDQtNC+0YHRgtCw0LLQu9C10L3Qvjog0JfQsNGP0LLQutCwIFtTRC0xMjBd?=
Date: Tue, 5 Mar 2024 11:00:00 +0300
Message-ID: <ndr-ru-1@company.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Не удалось доставить сообщение следующим получателям или группам:

ivanov@company.example
Указанный адрес электронной почты не найден. Проверьте адрес получателя и
попробуйте отправить сообщение еще раз.

Диагностические сведения для администраторов:

Создающий сервер: EX01.company.example

Исходные заголовки сообщения:

From: Service Desk <desk@corp.example>
To: ivanov@company.example
Subject: [SD-120] Заявка
Message-ID: <sd-120.1.ghi@corp.example>
""".encode()


def test_exchange_ndr_english() -> None:
    msg = parse(EXCHANGE_NDR_EN)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "bounce"
    assert bounced_recipients(msg) == ["j.smith@partner.example"]
    assert original_message_ids(msg) == ["sd-77.3.def@corp.example"]


EXIM_REPLY_TO_FAILED = b"""Return-Path: <>
X-Failed-Recipients: anna.k@partner.example
Reply-To: anna.k@partner.example
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@mx.partner.example>
To: desk@corp.example
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  save to /var/mail/anna.k
    mailbox is full: retry timeout exceeded
"""


def test_a_stated_failed_recipient_counts_though_the_report_names_it_as_reply_to() -> None:
    """Exim sets Reply-To of a bounce to the failed address (sisimai lhost-exim-07): the report's own
    addresses are excluded from the addresses its prose mentions, not from X-Failed-Recipients."""
    msg = parse(EXIM_REPLY_TO_FAILED)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "bounce"
    assert bounced_recipients(msg) == ["anna.k@partner.example"]


def test_exchange_ndr_russian() -> None:
    msg = parse(EXCHANGE_NDR_RU)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "bounce"
    assert bounced_recipients(msg) == ["ivanov@company.example"]
    assert original_message_ids(msg) == ["sd-120.1.ghi@corp.example"]


GMAIL_BOUNCE = b"""Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: desk@corp.example
Subject: Delivery Status Notification (Failure)
X-Failed-Recipients: No.Such.User@gmail.com
Auto-Submitted: auto-replied
Message-ID: <gmail-bounce-1@mx.google.com>
Content-Type: text/plain; charset="UTF-8"

** Address not found **

Your message wasn't delivered to no.such.user@gmail.com because the address
couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.
"""


def test_gmail_bounce_uses_x_failed_recipients() -> None:
    msg = parse(GMAIL_BOUNCE)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "bounce"
    assert bounced_recipients(msg) == ["no.such.user@gmail.com"]


QMAIL_BOUNCE = b"""Return-Path: <>
From: MAILER-DAEMON@mail.partner.example
To: desk@corp.example
Subject: failure notice
Message-ID: <qmail-1@mail.partner.example>

Hi. This is the qmail-send program at mail.partner.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<gone@partner.example>:
Sorry, no mailbox here by that name. (#5.1.1)

<full@partner.example>:
user is over quota

--- Below this line is a copy of the message.

Return-Path: <desk@corp.example>
From: Service Desk <desk@corp.example>
To: gone@partner.example, full@partner.example
Message-ID: <sd-9.1.jkl@corp.example>
Subject: [SD-9] Done

Your request is done.
"""


def test_qmail_bounce_text() -> None:
    msg = parse(QMAIL_BOUNCE)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "bounce"
    assert bounced_recipients(msg) == ["gone@partner.example", "full@partner.example"]
    assert original_message_ids(msg) == ["sd-9.1.jkl@corp.example"]


EXIM_BOUNCE = b"""From: Mail Delivery System <Mailer-Daemon@relay.partner.example>
To: desk@corp.example
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1exim-0001@relay.partner.example>

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  old.employee@partner.example
    SMTP error from remote mail server after RCPT TO:<old.employee@partner.example>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

From: Service Desk <desk@corp.example>
To: old.employee@partner.example
Subject: [SD-5] Hello
"""


def test_exim_bounce_text() -> None:
    msg = parse(EXIM_BOUNCE)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "bounce"
    assert bounced_recipients(msg) == ["old.employee@partner.example"]


DELAY_NOTICE = b"""From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: desk@corp.example
Subject: Delivery Status Notification (Delay)
Message-ID: <delay-1@mx.google.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dly"

--dly
Content-Type: text/plain; charset="UTF-8"

** Delivery incomplete **

There was a temporary problem delivering your message to slow@partner.example.
Gmail will retry for 47 more hours. You'll be notified if the delivery fails permanently.

--dly
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com

Final-Recipient: rfc822; slow@partner.example
Action: delayed
Status: 4.4.1
Will-Retry-Until: Thu, 07 Mar 2024 10:00:00 -0800 (PST)

--dly--
"""


def test_delay_notice_is_automatic_but_nothing_failed() -> None:
    msg = parse(DELAY_NOTICE)
    verdict = classify_auto(msg, sender_of(msg), OURS)
    assert verdict is not None and verdict.kind == "bounce"
    assert "delayed" in verdict.reason
    assert bounced_recipients(msg) == []


def test_success_dsn_is_a_receipt() -> None:
    raw = b"""From: MAILER-DAEMON@mx.partner.example
To: desk@corp.example
Subject: Successful Mail Delivery Report
Content-Type: multipart/report; report-type=delivery-status; boundary="ok"

--ok
Content-Type: text/plain

Your message was successfully delivered to the destination(s) listed below.

--ok
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.partner.example

Final-Recipient: rfc822; boss@partner.example
Action: delivered
Status: 2.0.0

--ok--
"""
    msg = parse(raw)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "receipt"
    assert bounced_recipients(msg) == []


# ------------------------------------------------------------------------------------- auto-replies

YANDEX_VACATION = """From: =?utf-8?b?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <i.petrov@yandex.ru>
To: desk@corp.example
Subject: =?utf-8?b?0J3QtdGCINC90LAg0LzQtdGB0YLQtQ==?=
Auto-Submitted: auto-replied
Precedence: bulk
In-Reply-To: <sd-31.1.x@corp.example>
Message-ID: <vacation-1@yandex.ru>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Здравствуйте! Я в отпуске до 15 июля, с ограниченным доступом к почте.
""".encode()

OUTLOOK_OOF = b"""From: "Smith, Jane" <jane.smith@corp.example>
To: Service Desk <desk@corp.example>
Subject: Automatic reply: [SD-44] Printer on 3rd floor
Thread-Topic: [SD-44] Printer on 3rd floor
X-MS-Has-Attach:
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: jane.smith@corp.example
X-MS-TNEF-Correlator:
Message-ID: <oof-1@corp.example>
Content-Type: text/plain; charset="us-ascii"

I am out of the office until Monday with limited access to email.
"""


def test_yandex_vacation_reply_in_russian() -> None:
    verdict = classify(YANDEX_VACATION)
    assert verdict is not None and verdict.kind == "auto-reply"
    assert "Auto-Submitted" in verdict.reason


def test_outlook_automatic_reply() -> None:
    verdict = classify(OUTLOOK_OOF)
    assert verdict is not None and verdict.kind == "auto-reply"


def mail_with(subject: str, extra: str = "") -> bytes:
    return (f"From: a@partner.example\nTo: desk@corp.example\nSubject: {subject}\n{extra}"
            "Content-Type: text/plain; charset=utf-8\n\nBack on Monday.\n").encode()


@pytest.mark.parametrize(
    "subject",
    ["Out of Office: Invoice 12", "Automatic reply: [SD-3] VPN", "Автоматический ответ: Заявка",
     "Abwesenheitsnotiz: Rechnung", "Réponse automatique : Facture", "Autoreply: hello"],
)
def test_out_of_office_prefix_alone_is_enough(subject: str) -> None:
    verdict = classify(mail_with(subject))
    assert verdict is not None and verdict.kind == "auto-reply"


@pytest.mark.parametrize("subject", ["Out of office next week - who covers?", "Urlaub 2025", "Нет на месте"])
def test_out_of_office_words_need_header_evidence(subject: str) -> None:
    assert classify(mail_with(subject)) is None
    verdict = classify(mail_with(subject, "Return-Path: <>\n"))
    assert verdict is not None and verdict.kind == "auto-reply"


def test_out_of_office_template_without_headers_is_known_by_its_sentence() -> None:
    """An Outlook rule that replies with a template sends no Auto-Submitted, no X-Auto-Response-Suppress."""
    raw = ("From: Igor <igor@partner.example>\nTo: desk@corp.example\nSubject: Я в отпуске до 24.03\n"
           "Content-Type: text/plain; charset=utf-8\n\nЗдравствуйте!\n\nЯ в отпуске до 24 марта, без доступа к почте.\n"
           "По срочным вопросам - Жанна, zh@partner.example.\n").encode()
    verdict = classify(raw)
    assert verdict is not None and verdict.kind == "auto-reply"


def test_a_person_writing_about_their_leave_is_not_automatic() -> None:
    raw = ("From: Igor <igor@corp.example>\nTo: hr@corp.example\nSubject: Я в отпуске до 24.03\n"
           "Content-Type: text/plain; charset=utf-8\n\nПрошу перенести выплату отпускных на пятницу.\n").encode()
    assert classify(raw) is None


def test_a_notification_that_says_a_program_wrote_it_is_automatic() -> None:
    raw = ("From: 1C <docflow@corp.example>\nTo: buh@corp.example\nSubject: Задача: Согласовать договор\n"
           "Content-Type: text/plain; charset=utf-8\n\nВам назначена задача.\n\nЭто письмо сформировано "
           "автоматически программой 1С:Документооборот. Отвечать на него не нужно.\n").encode()
    verdict = classify(raw)
    assert verdict is not None and verdict.kind == "bulk"


def test_a_person_forwarding_a_notification_is_not_automatic() -> None:
    raw = ("From: Anna <anna@corp.example>\nTo: desk@corp.example\nSubject: Fwd: Задача: Согласовать договор\n"
           "Content-Type: text/plain; charset=utf-8\n\nКоллеги, задача не открывается, помогите.\n\n"
           "Это письмо сформировано автоматически программой 1С:Документооборот.\n").encode()
    assert classify(raw) is None


# ----------------------------------------------------------------------- lists, receipts, complaints

LIST_MAIL = b"""From: Bob <bob@lists.example>
To: devs@lists.example
Subject: [devs] release notes
List-Id: Developers <devs.lists.example>
List-Post: <mailto:devs@lists.example>
List-Unsubscribe: <mailto:devs-leave@lists.example>
Precedence: list
Message-ID: <list-1@lists.example>

New release is out.
"""


def test_list_mail() -> None:
    verdict = classify(LIST_MAIL)
    assert verdict is not None and verdict.kind == "list"


FML_LOOP_ALERT = b"""From: neko-admin@lists.example
To: neko-admin@lists.example
Subject: Loop Alert: Duplicated Message-ID (neko ML)
X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]
Content-Type: text/plain; charset=us-ascii

Duplicated Message-ID in <neko@lists.example>.
"""


def test_a_notice_of_a_list_server_that_only_names_itself_is_list_mail() -> None:
    """fml marks its own notices with X-MLServer and nothing else (sisimai lhost-fml-03)."""
    verdict = classify(FML_LOOP_ALERT)
    assert verdict is not None and (verdict.kind, verdict.reason) == ("list", "X-MLServer: fml [fml 4.0.3 release "
                                                                               "(20011202/4.0.3)]")


@pytest.mark.parametrize("precedence", ["list", "bulk"])
def test_group_alias_that_is_our_own_address_is_not_a_list(precedence: str) -> None:
    raw = f"""From: Anna <anna@corp.example>
To: hr@corp.example
Subject: Certificate of employment
List-Id: <hr.corp.example>
List-Post: <mailto:hr@corp.example>
Precedence: {precedence}

Please send me a certificate of employment.
""".encode()
    assert classify(raw) is None


def test_newsletter_without_list_id_is_bulk() -> None:
    raw = b"From: news@shop.example\nTo: desk@corp.example\nSubject: Sale\nList-Unsubscribe: <https://shop.example/u>\n\nx\n"
    assert classify(raw).kind == "bulk"


READ_RECEIPT = b"""From: Jane <jane@partner.example>
To: desk@corp.example
Subject: Read: [SD-50] Access request
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

--mdn
Content-Type: text/plain

Your message was read on Tuesday.

--mdn
Content-Type: message/disposition-notification

Reporting-UA: partner.example; Microsoft Exchange Server
Final-Recipient: rfc822; jane@partner.example
Original-Message-ID: <sd-50.2.mno@corp.example>
Disposition: automatic-action/MDN-sent-automatically; displayed

--mdn--
"""


def test_read_receipt() -> None:
    msg = parse(READ_RECEIPT)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "receipt"
    assert bounced_recipients(msg) == []
    assert original_message_ids(msg) == ["sd-50.2.mno@corp.example"]


ARF_COMPLAINT = b"""From: feedbackloop@isp.example
To: abuse@corp.example
Subject: Abuse Report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain

This is an email abuse report for an email message received from IP 192.0.2.1.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1

--arf
Content-Type: message/rfc822

From: Service Desk <desk@corp.example>
To: someone@isp.example
Subject: News digest
Message-ID: <digest-3@corp.example>

News.

--arf--
"""


def test_arf_complaint() -> None:
    msg = parse(ARF_COMPLAINT)
    assert classify_auto(msg, sender_of(msg), OURS).kind == "complaint"
    assert bounced_recipients(msg) == []


# ------------------------------------------------------------------------------ loops and headers


def test_own_address_with_plus_tag_is_a_loop() -> None:
    raw = b"From: Service Desk <desk+sd-12@corp.example>\nTo: desk@corp.example\nSubject: [SD-12] Update\n\nx\n"
    verdict = classify(raw)
    assert verdict is not None and verdict.kind == "loop"


@pytest.mark.parametrize("sender", ["desk@corp.example.", "Desk+sd-12@CORP.EXAMPLE."])
def test_own_address_with_the_roots_trailing_dot_is_a_loop(sender: str) -> None:
    # the DNS root's dot names the same mailbox: without this the desk opened a ticket for its own mail
    raw = f"From: Service Desk <{sender}>\nTo: desk@corp.example\nSubject: [SD-12] Update\n\nx\n".encode()
    verdict = classify(raw)
    assert verdict is not None and verdict.kind == "loop"
    assert classify(raw.replace(sender.encode(), b"petr@corp.example.")) is None  # a colleague's dot: a person


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Auto-Submitted: auto-generated", "bulk"),
        ("Auto-Submitted: auto-replied (vacation)", "auto-reply"),
        ("Precedence: junk", "bulk"),
        ("X-Autoreply: yes", "auto-reply"),
        ("X-Autorespond: on", "auto-reply"),
        ("X-POST-MessageClass: 9; Autoresponder", "auto-reply"),
        ("Delivered-To: Autoresponder", "auto-reply"),
        ("X-Loop: yes", "loop"),
        ("X-Auto-Response-Suppress: All", "bulk"),
    ],
)
def test_header_evidence(header: str, kind: str) -> None:
    raw = f"From: robot@partner.example\nTo: desk@corp.example\nSubject: Hello\n{header}\n\nx\n".encode()
    verdict = classify(raw)
    assert verdict is not None and verdict.kind == kind
    assert header.split(":")[0].lower() in verdict.reason.lower()


# ---------------------------------------------------------------------------- people, never automatic

PEOPLE = {
    "plain": b"""From: Olga <olga@corp.example>
To: desk@corp.example
Subject: Laptop does not start
Auto-Submitted: no
Message-ID: <p1@corp.example>

Hi, my laptop does not start since this morning.
""",
    "outlook with suppress subset": b"""From: "Kuznetsov, Ivan" <i.kuznetsov@corp.example>
To: IT Support <desk@corp.example>
Subject: RE: [SD-88] VPN access
Thread-Topic: [SD-88] VPN access
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
X-Auto-Response-Suppress: DR, OOF, AutoReply
X-MS-Exchange-Organization-AuthAs: Internal
Message-ID: <p2@corp.example>
Content-Type: text/plain; charset="us-ascii"

It still does not work, see the screenshot.
""",
    "forwarded bounce": b"""From: Anna <anna@corp.example>
To: desk@corp.example
Subject: Fwd: Undelivered Mail Returned to Sender
Message-ID: <p3@corp.example>

Why can't I write to our partner? See below.

---------- Forwarded message ---------
From: MAILER-DAEMON@mx.corp.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender

This is the mail system at host mx.corp.example.
<p.sidorov@partner.example>: host mx.partner.example said: 550 User unknown
""",
    "complaint about undeliverable mail": b"""From: Petr <petr@corp.example>
To: desk@corp.example
Subject: Undeliverable emails to partner.example
Message-ID: <p4@corp.example>

Since yesterday every mail I send to partner.example comes back as undeliverable,
"user unknown". Could you check the mail server?
""",
    "hr request about leave": """From: =?utf-8?b?0JzQsNGA0LjRjw==?= <maria@corp.example>
To: hr@corp.example
Subject: =?utf-8?b?0J7RgtC/0YPRgdC6INGBIDEg0LjRjtC70Y8=?=
Message-ID: <p5@corp.example>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Прошу оформить отпуск с 1 по 14 июля.
""".encode(),
    "reply to an auto-reply": b"""From: Olga <olga@corp.example>
To: jane.smith@corp.example, desk@corp.example
Subject: RE: Automatic reply: [SD-44] Printer on 3rd floor
In-Reply-To: <oof-1@corp.example>
Message-ID: <p6@corp.example>

Who replaces you while you are away?
""",
    "inline forward keeps the report part": b"""From: Anna <anna@corp.example>
To: desk@corp.example
Subject: Fwd: Delivery Status Notification (Failure)
Message-ID: <p8@corp.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fw"

--fw
Content-Type: text/plain

Is this address wrong? I cannot reach our new supplier.

--fw
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com

Final-Recipient: rfc822; sales@supplier.example
Action: failed
Status: 5.1.1

--fw--
""",
    "postmaster writes as a person": b"""From: Postmaster <postmaster@corp.example>
To: desk@corp.example
Subject: Please renew the TLS certificate of mx2
Message-ID: <p7@corp.example>

The certificate of mx2 expires next week, please open a change.
""",
}


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_people_are_never_automatic(name: str) -> None:
    msg = parse(PEOPLE[name])
    assert classify_auto(msg, sender_of(msg), OURS) is None
    assert bounced_recipients(msg) == []


# ------------------------------------------------------------------------------------ broken input


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe\x00garbage\r\n\r\n\x00\x01",
        b"Content-Type: multipart/report; report-type=delivery-status\r\n\r\nno boundary at all",
        b"From: MAILER-DAEMON\r\nSubject: =?bad?Q?=ZZ?=\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Final-Recipient: rfc822\r\nAction:\r\n",
    ],
)
def test_broken_input_never_raises(raw: bytes) -> None:
    msg = email.message_from_bytes(raw)
    classify_auto(msg, sender_of(msg), OURS)
    assert isinstance(bounced_recipients(msg), list)
    assert isinstance(original_message_ids(msg), list)


# ----------------------------------------------------------------------- free-text bounces, other notations
def _notice(frm: str, subject: str, body: str) -> bytes:
    return (f"From: {frm}\nTo: desk@corp.example\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n"
            f"{body}\n").encode()


@pytest.mark.parametrize(("frm", "subject", "body", "failed"), [
    ("postmaster@x.example", "Undeliverable: hello",
     "Delivery has failed to these recipients or groups:\n\nJohn Smith (john@x.example)\nThe address couldn't be "
     "found. If the problem continues, please contact your helpdesk at helpdesk@x.example.", "john@x.example"),
    ("Почтовая служба <robot@x.example>", "Не доставлено: привет",
     "Ваше сообщение не доставлено получателю ivan@x.example: ящик переполнен.\nПо вопросам пишите admin@x.example",
     "ivan@x.example"),
    ("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@x.example>", "Undeliverable: hello",
     "Your message to anna@x.example couldn't be delivered.\nanna wasn't found at x.example.", "anna@x.example"),
    ("antivirus@partner.example", "Virus found in message",
     "The message you sent to petr@x.example contained a virus and was not delivered.", "petr@x.example"),
])
def test_free_text_notices_name_only_the_failed_recipient(frm: str, subject: str, body: str, failed: str) -> None:
    msg = parse(_notice(frm, subject, body))
    verdict = classify_auto(msg, sender_of(msg), OURS)
    assert verdict is not None and verdict.kind == "bounce"
    assert bounced_recipients(msg) == [failed]


def test_a_person_forwarding_a_bounce_is_not_automatic() -> None:
    raw = _notice("Ivan <ivan@corp.example>", "Fwd: Undeliverable: hello",
                  "Посмотрите, почему не доходит?\n\n---------- Forwarded message ---------\n"
                  "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n\n"
                  "Your message wasn't delivered to anna@x.example because the address couldn't be found.")
    assert classify(raw) is None


def test_a_person_writing_about_a_virus_is_not_a_bounce() -> None:
    raw = _notice("Ivan <ivan@corp.example>", "Virus found in message from the bank",
                  "My antivirus says the attachment of the bank's mail is infected. What should I do?")
    assert classify(raw) is None
