"""Issue 15 from the outside: mails written as the desk's clients write them (a Russian shared service centre,
ru and en) that the automatic-mail rules must not take for automatic (a lost request), and automatic mail
that must not pass for a person's (an answer to a machine: a loop). Each case is a whole mail through
`parse_mail`; the rule each one needs is in parsers/README.md's automatic-mail table.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail

OPTIONS = ParseOptions(
    ticket_prefix="SD",
    our_addresses=frozenset({"service@corp.example", "it@corp.example", "hr@corp.example", "buh@corp.example"}),
)
COLLEAGUE = "Иван Петров <i.petrov@corp.example>"
PARTNER = "Пётр Иванов <ivanov@partner.ru>"


def mail(subject: str, body: str, sender: str = COLLEAGUE, headers: tuple[str, ...] = (),
         ctype: str = "text/plain; charset=utf-8") -> bytes:
    """One mail as a client sends it: 8-bit UTF-8, CRLF."""
    head = [f"From: {sender}", "To: it@corp.example", f"Subject: {subject}", "Date: Mon, 16 Feb 2026 10:15:00 +0300",
            f"Message-ID: <{abs(hash((subject, body)))}@client.example>", "MIME-Version: 1.0",
            f"Content-Type: {ctype}", "Content-Transfer-Encoding: 8bit", *headers]
    return ("\r\n".join(head) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def verdict(raw: bytes) -> str | None:
    auto = parse_mail(raw, OPTIONS).auto
    return auto.kind if auto else None


# --------------------------------------------------------------------- people: a request, never automatic

PEOPLE = {
    # a pasted notice with no "я"/"I": a lead-in line with a colon, a question below
    "colleagues_paste_ru": mail(
        "Письмо партнёру вернулось",
        "Коллеги, вот что пришло:\n\nНе удалось доставить письмо следующим получателям:\nivanov@partner.ru\n\n"
        "Что делать?"),
    "colleagues_paste_ru_no_question": mail(
        "Письмо партнёру вернулось",
        "Коллеги, вот что пришло:\n\nНе удалось доставить письмо следующим получателям:\nivanov@partner.ru\n\n"
        "Посмотрите, пожалуйста."),
    "paste_en_no_first_person": mail(
        "Mail to partner came back",
        "Hi team, got this today:\n\nDelivery has failed to these recipients or groups:\nivanov@partner.ru\n\n"
        "What should we do?"),
    "paste_uk_no_first_person": mail(
        "Лист не доставлено",
        "Колеги, ось що прийшло:\n\nНе вдалося доставити повідомлення таким одержувачам:\npetrenko@partner.ua\n\n"
        "Що робити?"),
    # no lead-in and no question, but from a colleague's own mailbox: a notice there is one they pasted
    "colleague_paste_bare": mail(
        "partner mail",
        "Hello IT,\n\nThe following address failed:\n\nivanov@partner.ru\n\nPlease check our relay.\n\nOlga"),
    "manager_forwards_ndr_see_below": mail(
        "FW: Undeliverable: Договор поставки",
        "см. ниже\n\n-----Original Message-----\nFrom: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce"
        "41109e@corp.example>\nSent: Monday, February 16, 2026 9:00 AM\nTo: Петров Иван\nSubject: Undeliverable: "
        "Договор поставки\n\nDelivery has failed to these recipients or groups:\n\nivanov@partner.ru\n"
        "The email address you entered couldn't be found.\n"),
    "subject_autoreply_broken_words": mail(
        "Автоответ не работает",
        "Добрый день! Настроил автоответ в Outlook, но коллеги его не получают. Посмотрите, пожалуйста.\n\n"
        "С уважением,\nИван"),
    "subject_autoreply_prefix_request": mail(
        "Автоответ: не работает",
        "Добрый день. Включил автоответ на время отпуска, но он не отправляется. Проверьте, пожалуйста."),
    "subject_oof_setup": mail(
        "Out of office setup",
        "Hello, please set up my out of office for next week, I will be on vacation from the 10th.\nThanks, Ivan"),
    "subject_oof_prefix_setup": mail(
        "Out of office: setup for next week",
        "Hello, please set up an out of office reply for me, I will have no access to email from the 10th to the "
        "20th.\nThanks"),
    # HR: an actual request that mentions the vacation and the mail it will not read
    "hr_vacation_request": mail(
        "В отпуске с 10.03",
        "Добрый день!\n\nБуду в отпуске с 10.03 по 24.03 без доступа к почте, прошу оформить отпуск и настроить "
        "переадресацию на Петрова.\n\nАнна Иванова", sender="Анна Иванова <a.ivanova@partner-hr.example>"),
    # a 1C-like form says it was generated, and asks for something
    "onec_vacation_form": mail(
        "Заявление на отпуск",
        "Это сообщение сформировано автоматически программой 1С:Зарплата и управление персоналом.\n\n"
        "Сотрудник: Иванова Анна Петровна\nВид заявки: Заявление на ежегодный отпуск\n"
        "Период: 10.03.2026 - 24.03.2026\n\nПрошу оформить доступ к почте на время отпуска для заместителя.",
        sender="Иванова Анна <a.ivanova@partner-hr.example>"),
    "generated_sentence_cited_after_colon": mail(
        "Не приходят уведомления",
        "Добрый день! Приходит письмо с текстом: Это сообщение сформировано автоматически, не отвечайте на него. "
        "А нам нужно ответить. Как быть?", sender="Ольга <olga@partner.example>"),
    # «Пересл.:» (Outlook ru, with its dot) is a forward like «Пересл:»
    "forward_with_dotted_prefix": mail(
        "Пересл.: Уведомление", "Посмотрите\n\nЭто сообщение сформировано автоматически. Не отвечайте на него.\n",
        sender="Ольга <olga@partner.example>"),
    "unsubscribe_words_in_a_request": mail(
        "Не приходят письма рассылки",
        "Добрый день! Мне перестали приходить письма от рассылки поставщика. Нажала unsubscribe случайно? "
        "Как отменить?\n\n--\nЧтобы отписаться от рассылки, нажмите unsubscribe\n"),
    # a department's gateway stamps one bulk mark on every mail its people send
    "department_gateway_precedence_bulk": mail(
        "Не работает сканер", "Добрый день! На 2 этаже не работает сканер, ошибка E-22.\n\nОльга",
        sender="Ольга Смирнова <o.smirnova@corp.example>", headers=("Precedence: bulk",)),
    "department_gateway_list_unsubscribe": mail(
        "Не работает сканер", "Добрый день! На 2 этаже не работает сканер.\n\nОльга",
        sender="Ольга Смирнова <o.smirnova@corp.example>",
        headers=("List-Unsubscribe: <mailto:unsub@corp.example>",)),
}


@pytest.mark.parametrize("name", PEOPLE)
def test_a_persons_mail_is_no_automatic_mail(name: str) -> None:
    assert verdict(PEOPLE[name]) is None


def test_an_internal_newsletter_with_two_bulk_marks_stays_bulk() -> None:
    """The colleague exemption is for one mark a gateway adds, not for a mass mailing from the own domain."""
    raw = mail("Новости компании", "Дайджест за неделю.", sender="Новости <news@corp.example>",
               headers=("Precedence: bulk", "List-Unsubscribe: <mailto:unsub@corp.example>"))
    assert verdict(raw) == "bulk"


def test_a_partners_precedence_bulk_stays_bulk() -> None:
    """Outside the desk's domain Precedence: bulk alone still marks bulk mail (a newsletter without list
    headers): the desk cannot tell a partner's misconfigured gateway from a mass mailer."""
    raw = mail("Счёт", "Добрый день! Не приходит счёт.", sender=PARTNER, headers=("Precedence: bulk",))
    assert verdict(raw) == "bulk"


# ----------------------------------------------------------------- machines: automatic, never answered

def test_a_gateway_answering_as_the_recipient_under_re_is_a_bounce() -> None:
    """A gateway with the recipient's own From and "Re: <original subject>": the notice opens the text."""
    raw = mail("Re: Договор поставки",
               "Не удалось доставить письмо следующим получателям:\n\nivanov@partner.ru\n\nПричина: ящик переполнен.",
               sender=PARTNER)
    m = parse_mail(raw, OPTIONS)
    assert m.auto is not None and m.auto.kind == "bounce"
    assert m.bounced_recipients == ("ivanov@partner.ru",) or list(m.bounced_recipients) == ["ivanov@partner.ru"]


def test_a_reply_with_a_notice_below_its_own_words_is_a_request() -> None:
    raw = mail("Re: Договор поставки",
               "Добрый день, письмо не дошло до Иванова, вот ответ сервера. Подскажите, в чём дело\n\n"
               "Не удалось доставить письмо следующим получателям:\n\nivanov@partner.ru\n", sender=PARTNER)
    assert verdict(raw) is None
