"""Probes for the rules of parsers/autorobot.py (issue 15, people round 3), written after reading the parser.

Each rule that makes mail automatic keeps three people's mails of the same shape tickets, and the rule that makes a
stamped mail a ticket keeps three programs' mails of that shape automatic: a program's mailbox whose text says why
you get it or that nobody reads an answer; an inbox rule's forward of a mail system's notice; an answer to the
desk's own mail under X-Auto-Response-Suppress: All alone; one letter sent through a mass-mailing tool, whose
footer stands below the sender's signature (autostamp._above_tool_footer).
"""

from __future__ import annotations

import pytest

from postdesk.parsers import parse_mail
from tests.parsers.test_autoshape_blind import OPTIONS


def _mail(headers: str, text: str) -> bytes:
    return (headers.strip() + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n" + text).encode("utf-8")


_TO = "To: service@corp.example\nDate: Mon, 7 Dec 2026 10:00:00 +0300\nMessage-ID: <probe.{n}@x.example>\n"

ROBOT_MAILBOX_PEOPLE = {
    "noreply_small_firm_person_asks": _mail(
        "From: Greenleaf <noreply@greenleaf.example>\nSubject: Price list\n" + _TO.format(n=1),
        "Hello,\nplease do not reply to this address, our mail is misconfigured - write to george@greenleaf.example.\n"
        "Who should I send the updated price list to?\n\nGeorge Mills\n"),
    "notifications_mailbox_manager_asks_with_footer": _mail(
        "From: Acme Notifications <notifications@acme.example>\nSubject: Order 7781\n" + _TO.format(n=2),
        "Hi, this is Lisa, your account manager. Could you confirm the delivery address for order 7781?\n\n"
        "Lisa Brown\n\nYou are receiving this email because you are a customer of Acme.\n"),
    "onedrive_share_with_persons_request": _mail(
        "From: =?utf-8?b?0JzQsNGA0LjRjyDQl9Cw0LnRhtC10LLQsA==?= <no-reply@sharepointonline.com>\n"
        "Subject: Shared file\n" + _TO.format(n=3),
        "Мария Зайцева предоставила вам доступ к файлу\n\nПосмотрите, пожалуйста, почему не запускается макрос.\n\n"
        "Вы получили это письмо, потому что Мария Зайцева поделилась с вами файлом.\n"),
}
ROBOT_MAILBOX_ROBOTS = {
    # review M: a shared mailbox's writer may sign with a first and last name; a program's notice so signed links
    # somewhere, or signs with a department, or names a person inside a sentence
    "newsletter_signed_by_the_director_with_link": _mail(
        "From: Corp Portal <noreply@portal.example>\nSubject: Новости портала\n" + _TO.format(n=6),
        "Вы получили это письмо, потому что подписаны на новости портала.\nПодробнее: https://portal.example/news\n\n"
        "Иван Петров, генеральный директор\n"),
    "hr_notice_signed_by_a_department": _mail(
        "From: HR <no-reply@hr.example>\nSubject: Отпуск согласован\n" + _TO.format(n=7),
        "Ваш отпуск с 10 по 24 марта согласован.\nНе отвечайте на это письмо.\n\nСлужба персонала\n"),
    "notice_naming_a_person_in_a_sentence": _mail(
        "From: Portal <notifications@portal.example>\nSubject: Заявка согласована\n" + _TO.format(n=8),
        "Ваша заявка 4471 согласована.\nСогласовал: Иван Петров, руководитель отдела.\n"
        "Не отвечайте на это письмо.\n"),
    "bank_do_not_reply_statement": _mail(
        "From: Bank <do-not-reply@bank.example>\nSubject: Your statement is ready\n" + _TO.format(n=4),
        "Your December statement is ready in the online bank.\n\nPlease do not reply to this email.\n"),
    "forge_notifications_watching": _mail(
        "From: Forge <notifications@forge.example>\nSubject: [infra] Pipeline passed\n" + _TO.format(n=5),
        "Pipeline #4821 passed on main.\n\nYou are receiving this email because you are watching this project.\n"),
}


def _rule_forward(n: int, above: str, forwarded_from: str, subject: str, text: str, rule: bool = True) -> bytes:
    marks = ("X-MS-Exchange-Inbox-Rules-Loop: a.petrova@corp.example\n"
             "X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\n") if rule else ""
    return _mail(f"From: Anna Petrova <a.petrova@corp.example>\nSubject: FW: {subject}\n" + _TO.format(n=n) + marks,
                 f"{above}\n\nFrom: {forwarded_from}\nSent: Monday, December 7, 2026 9:55 AM\n"
                 f"To: Anna Petrova <a.petrova@corp.example>\nSubject: {subject}\n\n{text}\n")


_NDR = "Delivery has failed to these recipients or groups:\n\nbuh@old.example\nThe email address couldn't be found."
RULE_FORWARD_PEOPLE = {
    "rule_forwards_a_persons_request": _rule_forward(
        10, "", "Oleg Ivanov <o.ivanov@partner.example>", "Printer",
        "The printer on the 3rd floor prints blank pages, could you send someone?\n\nOleg"),
    "person_writes_above_a_forwarded_ndr": _rule_forward(
        11, "Коллеги, что это значит? Счёт не ушёл.", "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6"
        "ce41109e@corp.example>", "Undeliverable: Invoice 118", _NDR),
    "person_forwards_ndr_by_hand_no_rule": _rule_forward(
        12, "Why?", "Mail Delivery System <mailer-daemon@corp.example>", "Undeliverable: Invoice 118", _NDR,
        rule=False),
}
RULE_FORWARD_ROBOTS = {
    "rule_forwards_mailer_daemon_notice": _rule_forward(
        13, "", "Mail Delivery System <MAILER-DAEMON@corp.example>", "Returned mail: see transcript", _NDR),
}


def _suppressed_reply(n: int, name: str, text: str, subject: str = "Re: [SD-890] Scanner") -> bytes:
    return _mail(f"From: {name} <support@partner.example>\nSubject: {subject}\n" + _TO.format(n=n)
                 + "In-Reply-To: <postdesk.890.1.890aa1@corp.example>\nX-Auto-Response-Suppress: All\n", text)


SUPPRESSED_ROBOTS = {
    "partner_desk_status_update": _suppressed_reply(
        20, "NordScan Support", "Your request 48213 was updated.\nStatus: Solved\n\nNordScan Support\n"),
    "partner_away_note_with_question": _suppressed_reply(
        21, "Kelly", "Thank you for your message. I am out of the office until 14 December. Could you resend it after "
        "that?\n\nKelly\n"),
    "partner_satisfaction_survey": _suppressed_reply(
        22, "NordScan Support", "How would you rate the support you received?\nGreat: https://s.example/1\n"
        "Okay: https://s.example/2\nBad: https://s.example/3\n\nNordScan Support\n"),
}
SUPPRESSED_PEOPLE = {
    "partner_agent_asks": _suppressed_reply(
        23, "Kelly (NordScan Support)", "Hi,\n\ncould you send us the serial number of the scanner?\n\nKind regards,\n"
        "Kelly\n"),
}


@pytest.mark.parametrize("name", [*ROBOT_MAILBOX_PEOPLE, *RULE_FORWARD_PEOPLE, *SUPPRESSED_PEOPLE])
def test_a_persons_mail_of_the_rules_shape_stays_a_ticket(name: str) -> None:
    raw = {**ROBOT_MAILBOX_PEOPLE, **RULE_FORWARD_PEOPLE, **SUPPRESSED_PEOPLE}[name]
    assert parse_mail(raw, OPTIONS).auto is None


@pytest.mark.parametrize("name", [*ROBOT_MAILBOX_ROBOTS, *RULE_FORWARD_ROBOTS, *SUPPRESSED_ROBOTS])
def test_a_programs_mail_of_the_rules_shape_stays_automatic(name: str) -> None:
    raw = {**ROBOT_MAILBOX_ROBOTS, **RULE_FORWARD_ROBOTS, **SUPPRESSED_ROBOTS}[name]
    m = parse_mail(raw, OPTIONS)
    assert m.auto is not None and m.auto.kind in ("bulk", "auto-reply", "bounce"), m.auto


_TOOL = ("Precedence: bulk\nList-Unsubscribe: <https://mailer.example/unsub/1>\n"
         "List-Unsubscribe-Post: List-Unsubscribe=One-Click\nFeedback-ID: 1:2:mailer\n")
_FOOTER = "\n\nВы получили это письмо, потому что подписаны на новости. Отписаться: https://mailer.example/unsub/1\n"


def _via_tool(n: int, text: str, footer: str = _FOOTER,
              name: str = "=?utf-8?b?0J7Qu9GM0LPQsCDQn9C10YLRgNC+0LLQsA==?=") -> bytes:
    return _mail(f"From: {name} <olga@events.example>\nSubject: 15.12\n" + _TO.format(n=n) + _TOOL, text + footer)


TOOL_PEOPLE = {
    "organizer_asks_reader_signed": _via_tool(
        30, "Добрый день, Елена!\n\nСколько человек от вас приедет 15 декабря? Вам нужна парковка?\n\nОльга Петрова"),
    "organizer_asks_reader_signed_en_footer": _via_tool(
        31, "Hi Elena,\n\ncould you confirm the headcount for the January training?\n\nOlga Petrova\nEvents",
        "\n\nYou are receiving this email because you registered. Unsubscribe: https://mailer.example/unsub/1\n",
        "Olga Petrova"),
}
TOOL_ROBOTS = {
    "promo_signed_by_a_person_asks_nothing": _via_tool(
        32, "Елена, только до пятницы скидка 20% на все тарифы.\n\nОльга Петрова"),
    "webinar_invite_with_a_link": _via_tool(
        33, "Приглашаем вас на вебинар 15 декабря. Придёте? Регистрация: https://events.example/w\n\nОльга Петрова"),
    "newsletter_says_why_in_its_text": _via_tool(
        34, "Вы получили это письмо, потому что подписаны. Что нового у нас?\n\nОльга Петрова"),
    "newsletter_unsigned_question": _via_tool(
        35, "Как вам наш новый тариф? Расскажите нам!\n\nКоманда Events"),
}


@pytest.mark.parametrize("name", TOOL_PEOPLE)
def test_one_letter_through_a_mailing_tool_is_a_ticket(name: str) -> None:
    assert parse_mail(TOOL_PEOPLE[name], OPTIONS).auto is None


@pytest.mark.parametrize("name", TOOL_ROBOTS)
def test_a_mailing_through_the_same_tool_stays_bulk(name: str) -> None:
    m = parse_mail(TOOL_ROBOTS[name], OPTIONS)
    assert m.auto is not None and m.auto.kind == "bulk", m.auto
