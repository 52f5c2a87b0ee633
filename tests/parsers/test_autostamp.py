"""A gateway's stamp on a person's letter (parsers/autostamp.py): the letter is a ticket, answered by no robot.

The people are the kind the blind people round found dropped (tests/parsers/test_people_blind_r1.py); the
machines are what the same stamps sit on when they are true: newsletters, a ticket system's status change, a
report script, a digest. Each side is checked through parse_mail, as the pipeline sees it.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from postdesk.parsers.autolist import unread_mailbox
from postdesk.parsers.autostamp import refuses_answers

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))


def _mail(sender: str, subject: str, body: str, *headers: str) -> bytes:
    head = "".join(f"{h}\n" for h in headers)
    return (f"From: {sender}\nTo: service@corp.example\nSubject: {subject}\nMessage-ID: <s@x.example>\n{head}"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}").encode()


PEOPLE = {
    "mandrill_partner": _mail(
        "Sophie Martin <sophie.martin@partner.example>", "NDA",
        "Hello,\n\nCould you send back the signed NDA by Friday? Our legal team needs it before the kickoff.\n\n"
        "Best regards,\nSophie Martin\n",
        "List-Unsubscribe: <mailto:unsub@mandrillapp.com?subject=unsub>", "X-Mandrill-User: md_123"),
    "subsidiary_gateway": _mail(
        "Гусев Павел <p.gusev@corp-service.example>", "Отпускные",
        "Добрый день!\n\nОтпускные пришли меньше, чем в расчётном листке. Проверьте, пожалуйста, начисление.\n\n"
        "Гусев Павел, табельный № 0457\n",
        "List-Unsubscribe: <https://gw.corp-service.example/u/1>", "Precedence: bulk"),
    "gateway_precedence_list": _mail(
        "Захарова Ирина <i.zaharova@holding.example>", "Счёт 118",
        "Коллеги, добрый день.\n\nСчёт 118 от 02.12 отправили вам на оплату неделю назад. Подскажите, пожалуйста, "
        "на каком он этапе?\n\nЗахарова Ирина\n", "Precedence: list"),
    "access_missing": _mail(
        "Ольга Петрова <o.petrova@partner.example>", "Отсутствует доступ к 1С",
        "Добрый день!\n\nС утра нет доступа к базе 1С:Бухгалтерия. Можете проверить, что случилось?\n\n"
        "Ольга Петрова\n", "Precedence: bulk"),
    "short_statement_signed": _mail(
        "Иван Петров <i.petrov@branch.example>", "Принтер",
        "Принтер на 3 этаже не печатает с утра, горит красная лампа.\n\nИван Петров\n", "Precedence: bulk",
        "List-Unsubscribe: <https://gw.branch.example/u/1>"),
    "ukrainian_note_signed": _mail(
        "Олена Коваленко <o.kovalenko@branch.example>", "Принтер",
        "Принтер на 2 поверсі не друкує з ранку.\n\nОлена Коваленко\n", "Precedence: bulk"),
    "polish_note_signed": _mail(
        "Łukasz Nowak <l.nowak@partner.example>", "Faktura",
        "Faktura 118 nie dotarła do księgowości.\n\nŁukasz Nowak\n", "Precedence: bulk"),
    "own_procmail_loop": _mail(
        "Jane Doe <jane.doe@corp.example>", "Documents",
        "Hi,\n\nwho do I send the signed travel documents to? HR said it is you now.\n\nJane\n",
        "X-Loop: jane.doe@corp.example"),
}

MACHINES = {
    "newsletter": (_mail(
        "Brand News <news@brand.example>", "Новинки декабря",
        "Ещё не выбрали подарки? Смотрите подборку: https://brand.example/a https://brand.example/b "
        "https://brand.example/c\n\nВы получили это письмо, потому что подписались на рассылку.\n",
        "List-Unsubscribe: <https://brand.example/u>", "Precedence: bulk"), "bulk"),
    "jira_status": (_mail(
        "Jira <jira@tracker.example>", "[JIRA] (OPS-12) Printer", "Tom Becker changed the status to Resolved.\n",
        "Precedence: bulk"), "bulk"),
    "report_script": (_mail(
        "Reports <reports@partner.example>", "Daily report", "Daily report attached. Can't see it? Open the portal.\n",
        "Precedence: bulk"), "bulk"),
    "list_announcement": (_mail(
        "Meetup <meetup@lists.example>", "Meetup moved", "The December meetup moves to Thursday, 18:00.\n\n"
        "_______________________________________________\nmeetup mailing list\nhttps://lists.example/meetup\n",
        "List-Id: <meetup.lists.example>", "Precedence: list"), "list"),
    "robot_mailbox_signed_by_a_person": (_mail(
        "Мария Иванова <no-reply@crm.example>", "Задача 118",
        "Добрый день! Проверьте, пожалуйста, задачу 118 в CRM.\n\nМария Иванова\n", "Precedence: bulk"), "bulk"),
    "mailing_under_a_product_name": (_mail(
        "Acme Updates <updates@acme.example>", "New in December",
        "Hi,\n\nWe shipped dark mode! Would you like to try it?\n\nAcme Inc\nPrivacy Policy\n",
        "List-Unsubscribe: <https://acme.example/u>", "Precedence: bulk"), "bulk"),
    "manager_newsletter_with_unsubscribe_line": (_mail(
        "Анна Смирнова <a.smirnova@shop.example>", "Скидки недели",
        "Здравствуйте! Хотите получить скидку 20%? Напишите мне.\n\nАнна Смирнова\n"
        "Отписаться от рассылки: https://shop.example/u/1\n",
        "List-Unsubscribe: <https://shop.example/u/1>"), "bulk"),
    "away_notice_signed": (_mail(
        "John Smith <john.smith@partner.example>", "Re: [SD-5] Printer",
        "I am out of the office until 14 December. Could you contact Ann Lee (ann@partner.example) if urgent?"
        "\n\nJohn Smith\n", "Precedence: bulk"), "bulk"),
    "mailbox_no_longer_monitored": (_mail(
        "John Miller <john.miller@partner.example>", "RE: Invoice 118",
        "Hello,\n\nThis mailbox is no longer monitored. Please send your invoices to ap@partner.example.\n\n"
        "Thank you,\nJohn Miller\n", "X-Auto-Response-Suppress: All",
        "X-MS-Exchange-Inbox-Rules-Loop: john.miller@partner.example"), "auto-reply"),
    "address_no_longer_read": (_mail(
        "Jane Doe <jane@uni.example>", "Re: Printer on floor 3",
        "Hello,\n\nthis address is no longer read. Would you write to jane.doe@newuni.example instead?\n\nJane Doe\n",
        "X-Loop: jane@uni.example"), "loop"),
    "auto_submitted": (_mail(
        "Ivan Petrov <ivan@partner.example>", "Re: Заявка",
        "Проверьте, пожалуйста, статус заявки.\n\nИван Петров\n", "Auto-Submitted: auto-generated",
        "Precedence: bulk"), "bulk"),
}


@pytest.mark.parametrize("name", PEOPLE)
def test_a_persons_letter_under_a_gateways_stamp_is_a_request(name: str) -> None:
    m = parse_mail(PEOPLE[name], OPTIONS)
    assert m.auto is None, m.auto


@pytest.mark.parametrize("name", MACHINES)
def test_the_same_stamps_on_a_program_or_a_list_stay_automatic(name: str) -> None:
    raw, kind = MACHINES[name]
    m = parse_mail(raw, OPTIONS)
    assert m.auto is not None and m.auto.kind == kind


@pytest.mark.parametrize(("headers", "said"), [
    ((("Precedence", "bulk"),), "Precedence: bulk"),
    ((("precedence", "Junk (old client)"),), "Precedence: junk"),
    ((("List-Unsubscribe", "<https://x.example/u>"),), "List-Unsubscribe"),
    ((("X-Mailing-List", "ops@lists.example"),), "X-Mailing-List"),
    ((("X-Loop", "jane.doe@corp.example"),), "X-Loop"),
    ((("Auto-Submitted", "auto-generated"),), "Auto-Submitted: auto-generated"),
    ((("X-Auto-Response-Suppress", "DR, All"),), "X-Auto-Response-Suppress: All"),
])
def test_a_mail_that_asks_for_no_automatic_answer_gets_none(headers: tuple[tuple[str, str], ...], said: str) -> None:
    assert refuses_answers((("From", "a@b.example"), *headers)) == said


def test_the_desks_own_group_alias_stamps_every_request_and_silences_none() -> None:
    """A desk fed by its own Google Group or Mailman list (List-Id service.corp.example) answers everyone."""
    group = (("List-Id", "<service.corp.example>"), ("Precedence", "list"),
             ("List-Unsubscribe", "<mailto:service+unsubscribe@corp.example>"))
    assert refuses_answers(group, frozenset({"service@corp.example"})) is None
    assert refuses_answers(group, frozenset({"other@corp.example"})) is not None
    assert refuses_answers((*group, ("Auto-Submitted", "auto-replied")), frozenset({"service@corp.example"}))


@pytest.mark.parametrize("headers", [
    (("Auto-Submitted", "no"),), (("X-Auto-Response-Suppress", "DR, OOF, AutoReply"),),
    (("Precedence", "first-class"),), (("List-Something", "x"),), (("Subject", "Precedence: bulk"),),
])
def test_a_persons_ordinary_headers_ask_for_no_silence(headers: tuple[tuple[str, str], ...]) -> None:
    assert refuses_answers(headers) is None


@pytest.mark.parametrize("address, unread", [
    ("no-reply@portal.example", True), ("NoReply@Bank.example", True), ("noreply-orders@shop.example", True),
    ("portal.no_reply@x.example", True), ("donotreply@x.example", True), ("notifications@jira.example", True),
    ("notify@x.example", True), ("mailer-daemon@mx.example", True), ("postmaster@x.example", True),
    # people's mailboxes in small firms, and names that merely contain the letters
    ("admin@firm.example", False), ("office-admin@firm.example", False), ("sysadmin@firm.example", False),
    ("info@firm.example", False), ("buh@firm.example", False), ("noreen.replyer@x.example", False),
    ("anna.notifi@x.example", False),
])
def test_a_mailbox_nobody_reads_is_told_by_its_name_alone(address: str, unread: bool) -> None:
    assert unread_mailbox(address) is unread
