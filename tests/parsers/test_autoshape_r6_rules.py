"""The rules issue 15's round-6 blind set (test_autoshape_blind_r6.py) led to, each in variants written after
reading the parser, and for every rule that makes mail automatic, people's mails in a similar shape that must stay
requests. A row: the mail's header lines (a Content-Type among them replaces text/plain), its text, the kind (None:
a person's request), the failed recipients. Non-ASCII header text goes on the wire as RFC 2047, lines as CRLF.
"""

from __future__ import annotations

import json

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from tests.parsers.test_autoshape_r4_rules import _field

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example", "it@corp.example"}))

_RETURNED = ("From: IT Service Desk <service@corp.example>\nTo: {to}\nSubject: [SD-800] Order\n"
             "Message-ID: <postdesk.800.1.abc@corp.example>\n\nThe order is attached.\n")


def _with_returned(text: str, to: str, part: str = "message/rfc822") -> str:
    """A multipart/mixed body: `text`, then the desk's mail to `to` (or its header block) as a part."""
    returned = _RETURNED.format(to=to)
    if part != "message/rfc822":
        returned = returned.split("\n\n")[0] + "\n"
    return (f"--b\nContent-Type: text/plain; charset=utf-8\n\n{text}\n--b\nContent-Type: {part}\n\n{returned}\n"
            "--b--\n")


_MIXED = "Content-Type: multipart/mixed; boundary=\"b\"\n"
_MDAEMON = "Return-Path: <>\nFrom: MDaemon at mail.partner.example <MDaemon@mail.partner.example>\n"
_SMALL_POSTMASTER = "Return-Path: <>\nFrom: Igor Vasiliev <postmaster@small-partner.example>\n"


def _json(data: object, after: str = "") -> str:
    return json.dumps(data, indent=1) + "\n" + after


_MAILGUN = {"event-data": {"event": "failed", "severity": "permanent", "recipient": "k.l@shop.example",
                           "message": {"headers": {"message-id": "postdesk.801.1.abc@corp.example"}}}}
_RELAY = "From: Webhook relay <hooks@corp.example>\nSubject: [mailgun] event\nContent-Type: application/json\n"

ROWS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    # ------------------------------------------------------------------ a mail system's mailbox returns a mail
    ("mdaemon_any_subject_returns_mail", _MDAEMON + "Subject: Unknown local user\n" + _MIXED,
     _with_returned("The attached message was addressed to a local user that does not exist:\n\n    k.l\n",
                    "k.l@partner.example"), "bounce", ("k.l@partner.example",)),
    ("mdaemon_headers_only_returned", "Return-Path: <>\nFrom: mdaemon@mx.partner.example\nSubject: Notice\n"
     + _MIXED, _with_returned("Your mail was refused by the local policy.\n", "a.b@partner.example",
                              "text/rfc822-headers"), "bounce", ("a.b@partner.example",)),
    # people: a small company's postmaster (a misconfigured server sends Return-Path: <>) passing a mail on: the
    # rule leaves postmaster@ out, and a question, a request or a person's signature keep it a request anyway
    ("person_postmaster_attaches_mail_asks", _SMALL_POSTMASTER + "Subject: Your mail to us\n" + _MIXED,
     _with_returned("Hello,\n\nI found this mail of yours in our queue. Could you check why your server sent it "
                    "twice?\n\nRegards,\nIgor Vasiliev\n", "sales@small-partner.example"), None, ()),
    ("person_postmaster_ru_headers_signed", _SMALL_POSTMASTER + "Subject: Заголовки письма\n" + _MIXED,
     _with_returned("Коллеги, добрый день!\n\nПересылаю заголовки письма, которое наш сервер отклонил. Проверьте, "
                    "пожалуйста, SPF.\n\nС уважением,\nИгорь Васильев\n", "sales@small-partner.example",
                    "text/rfc822-headers"), None, ()),
    ("person_postmaster_ru_question", _SMALL_POSTMASTER + "Subject: Письмо на postmaster\n" + _MIXED,
     _with_returned("Это ваше письмо? Оно пришло на postmaster, а не менеджеру. Кому его передать?\n\n"
                    "Игорь Васильев\n", "postmaster@small-partner.example"), None, ()),
    # ------------------------------------------------------------------ a webhook's event data mailed on
    ("mailgun_failed_event", _RELAY, _json(_MAILGUN), "bounce", ("k.l@shop.example",)),
    ("postmark_bounce_record", "From: Relay <hooks@corp.example>\nSubject: postmark\n",
     _json({"RecordType": "Bounce", "Type": "HardBounce", "Email": "m.n@shop.example"}), "bounce",
     ("m.n@shop.example",)),
    ("sparkpost_nested_bounce", "From: Relay <hooks@corp.example>\nSubject: sparkpost\n",
     _json([{"msys": {"message_event": {"type": "bounce", "rcpt_to": "o.p@shop.example"}}}]), "bounce",
     ("o.p@shop.example",)),
    ("sns_footer_after_event", "From: Relay <relay@notify.example>\nSubject: event\n",
     _json({"event": "dropped", "email": "q.r@shop.example"}, "--\nIf you wish to stop receiving notifications "
           "from this topic, unsubscribe.\n"), "bounce", ("q.r@shop.example",)),
    # a temporary failure or a delivery fails nobody; the relay's Auto-Submitted still marks it machine mail
    ("mailgun_temporary_is_no_failure", _RELAY + "Auto-Submitted: auto-generated\n",
     _json({"event-data": {"event": "failed", "severity": "temporary", "recipient": "k.l@shop.example"}}),
     "bulk", ()),
    ("sendgrid_delivered_only", "From: Relay <relay@notify.example>\nAuto-Submitted: auto-generated\n"
     "Subject: events\n", _json([{"event": "delivered", "email": "s.t@shop.example"}]), "bulk", ()),
    # SES's event publishing: the recipients inside the bounce's own record; a soft bounce fails nobody
    ("ses_event_publishing_bounce", "From: Relay <hooks@relay.example>\nSubject: event\n",
     _json({"eventType": "Bounce", "bounce": {"bounceType": "Permanent", "bouncedRecipients": [
         {"emailAddress": "z@shop.example"}]}, "mail": {"source": "service@corp.example"}}), "bounce",
     ("z@shop.example",)),
    ("postmark_soft_bounce_fails_nobody", "From: Relay <hooks@relay.example>\nAuto-Submitted: auto-generated\n"
     "Subject: event\n", _json({"RecordType": "Bounce", "Type": "SoftBounce", "Email": "s@shop.example"}), "bulk",
     ()),
    # people: a colleague pastes the event and asks; words before it; a request after it
    ("person_pastes_event_then_asks", "From: Anna Orlova <a.orlova@corp.example>\nSubject: webhook\n",
     _json(_MAILGUN, "\nЧто это значит? Клиент не получил письмо.\n"), None, ()),
    ("person_words_before_event", "From: Anna Orlova <a.orlova@partner.example>\nSubject: bounce?\n",
     "Our relay posted this:\n\n" + _json(_MAILGUN), None, ()),
    ("person_event_then_request", "From: Anna Orlova <a.orlova@partner.example>\nSubject: failed event\n",
     _json(_MAILGUN, "\nPlease check this customer's address in your system, thanks.\n"), None, ()),
    # ------------------------------------------------------------------ a plain-text read receipt
    ("webmail_receipt_ru", "From: Уведомления <notify@webmail.example>\nSubject: Ваше письмо прочитано\n",
     "Ваше письмо прочитано.\n\nКому: d.s@webmail.example\nТема: [SD-802] Пропуск\nПрочитано: 11.03.2026 11:40\n",
     "receipt", ()),
    ("webmail_receipt_en", "From: Notifications <notify@webmail.example>\nSubject: Your message has been read\n",
     "To: d.s@webmail.example\nSubject: [SD-802] Pass\nRead: 3/11/2026 11:40 AM\n", "receipt", ()),
    # people: the same subject over a question, over their own reading, over a request
    ("person_read_subject_asks", "From: Darya Semenova <d.s@partner.example>\nSubject: Ваше письмо прочитано\n",
     "Ваше письмо прочитано, спасибо. Прочитано: 11.03.2026. Когда будет готов пропуск?\n", None, ()),
    ("person_read_subject_first_person", "From: Darya Semenova <d.s@partner.example>\nSubject: Your mail was read\n",
     "Read: 11.03.2026 by our lawyer. I have read it too and we agree with the terms; the signed copy follows.\n",
     None, ()),
    ("person_read_subject_request", "From: Darya Semenova <d.s@partner.example>\nSubject: Письмо прочитано\n",
     "Прочитано: 11.03.2026.\nПрошу оформить пропуск на Семёнову Дарью к пятнице.\n", None, ()),
    # ------------------------------------------------------------------ a member's request through a list
    ("mailman_member_asks", "From: Pavel Zhukov <p.z@branch.example>\nSubject: [it-help] Printer\n"
     "List-Id: <it-help.lists.partner.example>\nList-Post: <mailto:it-help@lists.partner.example>\n"
     "Precedence: list\n", "Hi,\n\nthe printer in room 312 prints blank pages. Could someone have a look?\n\nPavel\n",
     None, ()),
    # a list that rewrites From for DMARC: the member's name before "via", the list's address
    ("google_group_dmarc_munged_from_asks", "From: 'Pavel Zhukov' via it-help <it-help@googlegroups.example>\n"
     "Subject: [it-help] Printer\nList-Id: <it-help.googlegroups.example>\nPrecedence: list\n"
     "Reply-To: Pavel Zhukov <p.z@branch.example>\n",
     "Hi,\n\nthe printer in room 312 prints blank pages. Could someone have a look?\n\nPavel\n", None, ()),
    ("munged_from_of_a_robot_stays_list", "From: 'Build Bot' via dev <dev@googlegroups.example>\n"
     "Subject: [dev] Build failed\nList-Id: <dev.googlegroups.example>\nPrecedence: list\n",
     "Build 512 failed. Could you check the log?\n", "list", ()),
    ("robot_name_own_address_stays_list", "From: Build Bot <build@ci.example>\nSubject: [dev] Build failed\n"
     "List-Id: <dev.lists.example>\nPrecedence: list\n", "Build 512 failed. Could you check the log?\n", "list", ()),
    # what a list sends of its own stays list mail: an announcement that asks nothing, a digest under the list's
    # address, a forge's notification under a person's name, a mass mailer's post with a question
    ("mailman_announcement_asks_nothing", "From: Pavel Zhukov <p.z@corp.example>\nSubject: [it-announce] Works\n"
     "List-Id: <it-announce.lists.corp.example>\nPrecedence: list\n",
     "Colleagues,\n\nmail will be slow on Saturday from 22:00 to 02:00.\n", "list", ()),
    ("digest_under_list_address", "From: Erp Users <erp-users@googlegroups.example>\nSubject: Digest for erp-users\n"
     "List-Id: <erp-users.googlegroups.example>\nPrecedence: list\n",
     "Today's topics:\n\n1. Could someone share the import template? - 3 updates\n", "list", ()),
    ("forge_notification_person_name", "From: Anna Smith <notifications@forge.example>\nSubject: Re: [repo] Issue 7\n"
     "List-Id: <repo.team.forge.example>\nPrecedence: list\n", "Could you check the failing build?\n\n"
     "Reply to this email directly or view it on Forge.\n", "list", ()),
    ("newsletter_one_click_unsubscribe", "From: Anna Smith <anna@shop.example>\nSubject: Spring sale\n"
     "List-Id: <news.shop.example>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
     "List-Unsubscribe: <https://shop.example/u>\n", "Would you like 20% off? Check our spring sale.\n", "list", ()),
    # ------------------------------------------------------------------ who did get the mail
    ("sendmail_text_relayed_section", "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.partner.example>\n"
     "Subject: Returned mail: see transcript for details\n",
     "   ----- The following addresses had permanent fatal errors -----\n<a@partner.example>\n\n"
     "   ----- The following addresses were relayed or delivered -----\n<b@partner.example>\n<c@partner.example>\n",
     "bounce", ("a@partner.example",)),
    ("status_column_delivered", "From: GroupWise Internet Agent <postmaster@partner.example>\n"
     "Subject: Message status - undeliverable\nReturn-Path: <>\n",
     "  Recipients                 Action          Date\n  partner.example\n"
     "    x@partner.example          Delivered       3/10/2026\n    y@partner.example          Undeliverable   "
     "3/10/2026\n      User not found\n", "bounce", ("y@partner.example",)),
    ("succeeded_heading_ru", "From: Mail Delivery System <MAILER-DAEMON@mx.partner.example>\n"
     "Subject: Недоставленное сообщение\n",
     "Не удалось доставить письмо получателям:\n  a@partner.example (550 5.1.1)\n\nУспешно доставлено:\n"
     "  b@partner.example\n", "bounce", ("a@partner.example",)),
    ("html_table_delivered_cell", "From: Mail Delivery System <MAILER-DAEMON@mx.partner.example>\n"
     "Subject: Undeliverable: [SD-804] Plan\nContent-Type: text/html; charset=utf-8\n",
     "<p>Delivery failed</p><table><tr><td>Recipient:</td><td>a@partner.example</td><td>Failed</td></tr>"
     "<tr><td>Recipient:</td><td>b@partner.example</td><td>Delivered</td></tr></table>", "bounce",
     ("a@partner.example",)),
    # ------------------------------------------------------------------ notations of an address
    ("quoted_local_part_alone_on_its_line", "From: Mail Delivery System <Mailer-Daemon@mx.partner.example>\n"
     "Subject: Mail delivery failed\n", "The following address(es) failed:\n\n  \"j doe\"@partner.example\n"
     "    550 5.1.1 User unknown\n", "bounce", ('"j doe"@partner.example',)),
    ("exim_quoted_local_part", "From: Mail Delivery System <Mailer-Daemon@mx.partner.example>\n"
     "Subject: Mail delivery failed\n", "The following address(es) failed:\n\n  <\"anna smith\"@partner.example>\n"
     "    550 5.1.1 User unknown\n", "bounce", ('"anna smith"@partner.example',)),
    ("html_table_message_id_cell", "From: Mail Delivery System <postmaster@partner.example>\n"
     "Subject: Undeliverable: [SD-803] Memberships\nContent-Type: text/html; charset=utf-8\n",
     "<table><tr><td><b>Recipient</b></td><td>e.v@partner.example</td></tr>\n<tr><td>Message-ID</td>"
     "<td>&lt;postdesk.803.1.abc@corp.example&gt;</td></tr></table>", "bounce", ("e.v@partner.example",)),
)


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed"), ROWS, ids=[r[0] for r in ROWS])
def test_rule(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...]) -> None:
    lines = [_field(line) for line in head.splitlines()]
    if not any(line.lower().startswith("content-type:") for line in lines):
        lines.append("Content-Type: text/plain; charset=utf-8")
    lines += ["To: service@corp.example", f"Message-ID: <{name}@r6.example>", "MIME-Version: 1.0",
              "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto
    assert sorted(m.bounced_recipients) == sorted(failed)


def test_html_table_keeps_the_returned_message_id() -> None:
    """A table's label cell beside its value: the Message-ID is the returned mail's, not a recipient."""
    row = next(r for r in ROWS if r[0] == "html_table_message_id_cell")
    lines = [*row[1].splitlines(), "To: service@corp.example", "Message-ID: <t@r6.example>", "MIME-Version: 1.0"]
    m = parse_mail(("\r\n".join(lines) + "\r\n\r\n" + row[2]).encode(), OPTIONS)
    assert "postdesk.803.1.abc@corp.example" in m.original_message_ids


def test_webhook_event_gives_the_returned_message_id() -> None:
    lines = [*_RELAY.splitlines(), "To: service@corp.example", "Message-ID: <w@r6.example>", "MIME-Version: 1.0"]
    m = parse_mail(("\r\n".join(lines) + "\r\n\r\n" + _json(_MAILGUN)).encode(), OPTIONS)
    assert list(m.original_message_ids) == ["postdesk.801.1.abc@corp.example"]
