"""The rules issue 15's round-7 blind set (test_autoshape_blind_r7.py) led to, each in variants written after
reading the parser, and for every rule that makes mail automatic or adds a failed recipient, people's mails in a
similar shape that must stay requests. A row: the mail's header lines (a Content-Type among them replaces
text/plain), its text, the kind (None: a person's request), the failed recipients.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from tests.parsers.test_autoshape_r4_rules import _field

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example", "it@corp.example"}))

_DAEMON = "Return-Path: <>\nFrom: Mail Delivery System <mailer-daemon@mx.partner.example>\n"
_PERSON = "From: Olga Smirnova <o.smirnova@corp.example>\n"

_DSN = ("Return-Path: <>\nFrom: MAILER-DAEMON@mx.partner.example\nTo: service@corp.example\n"
        "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"in\"\n\n"
        "--in\nContent-Type: text/plain\n\n<k.lebedev@partner.example>: mailbox is full\n\n"
        "--in\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.partner.example\n\n"
        "Final-Recipient: rfc822; k.lebedev@partner.example\nAction: failed\nStatus: 5.2.2\n\n"
        "--in\nContent-Type: text/rfc822-headers\n\nFrom: service@corp.example\nTo: k.lebedev@partner.example\n"
        "Message-ID: <postdesk.900.1.abc@corp.example>\n\n--in--\n")


def _forward(note: str) -> str:
    """A multipart/mixed body: `note`, then the partner's DSN attached as a message."""
    return (f"--b\nContent-Type: text/plain; charset=utf-8\n\n{note}\n"
            f"--b\nContent-Type: message/rfc822\n\n{_DSN}\n--b--\n")


_MIXED = "Content-Type: multipart/mixed; boundary=\"b\"\n"

ROWS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    # ------------------------------------------------------------------ who the notice says the mail reached
    ("sentence_wrapped_delivered_then_failed", _DAEMON + "Subject: Message status\n",
     "Your message was delivered to\na.popov@partner.example, but the agent was unable to deliver it\n"
     "to b.orlova@partner.example: the mailbox was removed.\n", "bounce", ("b.orlova@partner.example",)),
    ("sentence_wrapped_failure_stays", _DAEMON + "Subject: Undeliverable: order\n",
     "Your message to\nc.frolov@partner.example couldn't be delivered. The mailbox is unavailable.\n",
     "bounce", ("c.frolov@partner.example",)),
    ("delivered_to_label_then_failed_label", _DAEMON + "Subject: Returned mail: see transcript for details\n",
     "Message delivered to: a.popov@partner.example;\nCould not deliver message to: b.orlova@partner.example;\n"
     "  reason: 550 5.1.1 user unknown\n", "bounce", ("b.orlova@partner.example",)),
    ("ru_delivered_clause_then_failed", _DAEMON + "Subject: Отчёт о доставке\n",
     "Письмо доставлено получателю a.popov@partner.example.\nПисьмо не доставлено получателю "
     "b.orlova@partner.example: ящик переполнен.\n", "bounce", ("b.orlova@partner.example",)),
    ("record_fields_result_delivered", _DAEMON + "Subject: Delivery Status Notification (Failure)\n",
     "Delivery failed for some recipients.\n\nRecipient: a.popov@partner.example\nResult: delivered\n\n"
     "Recipient: b.orlova@partner.example\nResult: not delivered - 550 5.1.1 user unknown\n", "bounce",
     ("b.orlova@partner.example",)),
    # ------------------------------------------------------------------ an SMTP session: 2xx accepted
    ("transcript_one_accepted_one_refused", _DAEMON + "Subject: Delivery Status Notification (Failure)\n",
     "The remote server's conversation:\n\n>>> MAIL FROM:<service@corp.example>\n<<< 250 OK\n"
     ">>> RCPT TO:<a.popov@partner.example>\n<<< 250 2.1.5 OK\n>>> RCPT TO:<b.orlova@partner.example>\n"
     "<<< 550 5.1.1 <b.orlova@partner.example>: user unknown\n", "bounce", ("b.orlova@partner.example",)),
    ("transcript_both_refused", _DAEMON + "Subject: Delivery Status Notification (Failure)\n",
     "The remote server's conversation:\n\n>>> RCPT TO:<a.popov@partner.example>\n<<< 550 5.1.1 user unknown\n"
     ">>> RCPT TO:<b.orlova@partner.example>\n<<< 550 5.1.1 user unknown\n", "bounce",
     ("a.popov@partner.example", "b.orlova@partner.example")),
    ("transcript_recipients_accepted_then_data_refused", _DAEMON + "Subject: Delivery Status Notification (Failure)\n",
     "The remote server's conversation:\n\n>>> RCPT TO:<a.popov@partner.example>\n<<< 250 2.1.5 OK\n"
     ">>> RCPT TO:<b.orlova@partner.example>\n<<< 250 2.1.5 OK\n>>> DATA\n<<< 354 go ahead\n"
     "<<< 554 5.7.1 message refused\n", "bounce", ("a.popov@partner.example", "b.orlova@partner.example")),
    ("postfix_style_item_answered_250", _DAEMON + "Subject: Successful Mail Delivery Report\n"
     "Content-Type: multipart/mixed; boundary=\"h\"\n",
     "--h\nContent-Type: text/plain\n\nYour message was successfully delivered to the destination(s)\nlisted below.\n\n"
     "<ok@partner.example>: delivery via mx.partner.example[192.0.2.9]:25:\n    250 2.0.0 Ok: queued as 7F\n\n"
     "--h\nContent-Type: text/rfc822-headers\n\nFrom: service@corp.example\nTo: ok@partner.example\n"
     "Message-ID: <postdesk.903.1.abc@corp.example>\n\n--h--\n", "bounce", ()),
    ("returned_message_id_in_text_is_no_recipient", _DAEMON + "Subject: Delivery Failure Report\n"
     "In-Reply-To: <postdesk.904.1.abc@corp.example>\n",
     "Router: Recipient m.titova@partner.example rejected: 550 5.1.1 No such user\n"
     "Router: Message postdesk.904.1.abc@corp.example was not transferred.\n", "bounce",
     ("m.titova@partner.example",)),
    # ------------------------------------------------------------------ a relay cites the notice with "| "
    ("relay_cites_notice_with_pipes", "Return-Path: <>\nFrom: Outbound Relay <relay-noreply@corp.example>\n"
     "Subject: Returned mail: delivery failed at remote system\n",
     "The remote system reported:\n\n| I'm sorry to have to inform you that your message could not\n"
     "| be delivered to one or more recipients.\n|\n| <d.sokolov@partner.example>: host mx said: 550 5.1.1 "
     "user unknown\n", "bounce", ("d.sokolov@partner.example",)),
    # ------------------------------------------------------------------ display names with angle brackets
    ("display_names_listed_one_a_line", _DAEMON + "Subject: Undelivered mail\n",
     "Your message was not delivered to the following recipients:\n\nJan Kowalski <j.kowalski@partner.example>,\n"
     "\"Nowak, Anna\" <a.nowak@partner.example>\n\nHelp: pomoc@partner.example\n", "bounce",
     ("j.kowalski@partner.example", "a.nowak@partner.example")),
    ("sentence_ending_in_bracketed_address_lists_nobody", _DAEMON + "Subject: failure notice\n",
     "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n<e.petrov@partner.example>:\n"
     "Sorry, no mailbox here by that name.\n\nQuestions about this notice go to the admin;\n"
     "the message came from <sales@other-partner.example>.\n", "bounce", ("e.petrov@partner.example",)),
    # ------------------------------------------------------------------ a mail system forwards a report
    ("gateway_forwards_dsn_with_note", "From: Mail Security Gateway <gateway@corp.example>\n"
     "Auto-Submitted: auto-generated\nSubject: FW: Undelivered Mail Returned to Sender\n" + _MIXED,
     _forward("A delivery notice arrived and was checked. It is attached unchanged."), "bounce",
     ("k.lebedev@partner.example",)),
    # people: the same shapes written, pasted or passed on by a person stay requests
    ("person_forwards_dsn_with_question", _PERSON + "Subject: FW: Undelivered Mail Returned to Sender\n" + _MIXED,
     _forward("Коллеги, что это значит? Письмо Лебедеву не дошло, проверьте, пожалуйста."), None, ()),
    ("person_client_says_not_automatic_forwards_dsn", _PERSON + "Auto-Submitted: no\n"
     "Subject: Fwd: Undelivered Mail Returned to Sender\n" + _MIXED,
     _forward("Passing this on: can you check the address of Konstantin Lebedev?"), None, ()),
    ("person_pastes_relay_cited_notice", _PERSON + "Subject: Почта не доходит\n",
     "Добрый день! Мне пришло вот это:\n\n| <d.sokolov@partner.example>: host mx said: 550 5.1.1 user unknown\n\n"
     "Что делать? Адрес правильный.\n", None, ()),
    ("person_lists_names_who_did_not_get_mail", _PERSON + "Subject: Не дошло письмо\n",
     "Моё письмо не получили:\n\nJan Kowalski <j.kowalski@partner.example>,\nAnna Nowak <a.nowak@partner.example>\n\n"
     "Проверьте, пожалуйста, нашу почту.\n", None, ()),
    ("person_en_names_who_never_got_invoice", _PERSON + "Subject: Undeliverable invoice?\n",
     "These two never got my invoice:\n\nJohn Smith <j.smith@partner.example>,\n"
     "Mary Jones <m.jones@partner.example>\n\n"
     "Can you check whether our server is blocked?\n\nOlga\n", None, ()),
    ("person_signs_with_name_and_bracketed_address", _PERSON + "Subject: Undeliverable: Re: [SD-905] Invoice\n",
     "Why did my answer bounce? I wrote to the address from your letter.\n\nBest regards,\n"
     "Olga Smirnova <o.smirnova@corp.example>\n", None, ()),
    ("person_pastes_pipe_cited_lines_en", _PERSON + "Subject: Mail delivery failed\n",
     "My mail client shows this:\n\n| <d.sokolov@partner.example>: host mx said: 550 5.1.1 user unknown\n"
     "| <e.petrov@partner.example>: host mx said: 550 5.1.1 user unknown\n\nCould you look at it, please?\n",
     None, ()),
    ("person_outlook_forwards_dsn_suppress_all", _PERSON + "X-Auto-Response-Suppress: All\n"
     "Subject: FW: Undelivered Mail Returned to Sender\n" + _MIXED,
     _forward("Hi team, the attached came back. Who should I send the contract to instead?"), None, ()),
    ("person_pastes_transcript_asks", _PERSON + "Subject: Question about our mail server\n",
     "Hi, my client showed this:\n\n>>> RCPT TO:<a.popov@partner.example>\n<<< 250 2.1.5 OK\n"
     ">>> RCPT TO:<b.orlova@partner.example>\n<<< 550 5.1.1 user unknown\n\nIs our server blocked? Thanks, Olga\n",
     None, ()),
)


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed"), ROWS, ids=[r[0] for r in ROWS])
def test_rule(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...]) -> None:
    lines = [_field(line) for line in head.splitlines()]
    if not any(line.lower().startswith("content-type:") for line in lines):
        lines.append("Content-Type: text/plain; charset=utf-8")
    lines += ["To: service@corp.example", f"Message-ID: <{name}@r7.example>", "MIME-Version: 1.0",
              "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto
    assert sorted(m.bounced_recipients) == sorted(failed)


def _notice(extra: str) -> bytes:
    head = (_DAEMON + "To: service@corp.example\nSubject: Undeliverable mail to f.gusev@partner.example\n"
            "Message-ID: <ndr.1@mx.partner.example>\n" + extra + "Content-Type: text/plain\n")
    return (head + "\nThe mailbox does not exist.\n").replace("\n", "\r\n").encode()


def test_a_notice_quoting_nothing_names_the_returned_mail_by_in_reply_to() -> None:
    m = parse_mail(_notice("In-Reply-To: <postdesk.901.1.abc@corp.example>\n"), OPTIONS)
    assert m.original_message_ids == ("postdesk.901.1.abc@corp.example",)


def test_else_by_the_last_of_its_references() -> None:
    refs = "References: <postdesk.902.0.abc@corp.example>\n <postdesk.902.1.abc@corp.example>\n"
    m = parse_mail(_notice(refs), OPTIONS)
    assert m.original_message_ids == ("postdesk.902.1.abc@corp.example",)


def test_a_returned_header_block_wins_over_in_reply_to() -> None:
    m = parse_mail(_forward_free_dsn_with_in_reply_to(), OPTIONS)
    assert m.original_message_ids == ("postdesk.900.1.abc@corp.example",)


def _forward_free_dsn_with_in_reply_to() -> bytes:
    head, _, body = _DSN.partition("\n\n")
    return (head + "\nIn-Reply-To: <something.else@corp.example>\n\n" + body).replace("\n", "\r\n").encode()
