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
    # "нужно/необходимо" + an action is a request as much as "прошу"
    "needs_an_auto_reply_set_up": mail(
        "Автоответ", "Нужно включить автоответ на время отпуска с 10.03 по 24.03. Текст: «Я в отпуске, по срочным "
        "вопросам обращайтесь к Петрову»."),
    "vacation_words_and_a_need": mail(
        "Отпуск с 10.03", "Добрый день! С 10.03 по 24.03 буду без доступа к почте. Необходимо настроить "
        "переадресацию на Петрова.", sender="Анна <anna@partner-hr.example>"),
    # a notice pasted bare, but signed with a closing formula and a person's name
    "paste_signed_by_a_person": mail(
        "Письмо не дошло",
        "Добрый день.\n\nНе удалось доставить письмо следующим получателям:\n\nivanov@partner.ru\n\n"
        "С уважением,\nОльга Смирнова\nменеджер отдела закупок\n+7 495 123-45-67",
        sender="Ольга Смирнова <o.smirnova@partner-group.example>"),
    "another_systems_ticket_number_and_a_question": mail(
        "[Заявка №12345] Не пришёл расчётный лист",
        "Добрый день! Обращение зарегистрировано у вас ещё 10.02, но расчётный лист так и не пришёл. Когда будет?",
        sender="Ольга <olga@partner.example>"),
    "read_subject_from_a_reader": mail(
        "Read: contract draft", "Hi, I have read the contract draft. It was read by our lawyer too. Comments below.",
        sender="Li <li@partner.example>"),
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


def multipart(subject: str, sender: str, parts: tuple[tuple[str, str], ...], kind: str = "alternative") -> bytes:
    """A multipart mail of (content type, text) parts."""
    body = "".join(f"--b1\nContent-Type: {ctype}\nContent-Transfer-Encoding: 8bit\n\n{text}\n" for ctype, text in parts)
    return mail(subject, body + "--b1--\n", sender, ctype=f'multipart/{kind}; boundary="b1"')


CALENDAR_REPLY = ("BEGIN:VCALENDAR\nMETHOD:REPLY\nPRODID:Microsoft Exchange Server 2010\nVERSION:2.0\nBEGIN:VEVENT\n"
                  "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ivanov@partner.ru\nSUMMARY:Совещание по бюджету\n"
                  "UID:040000008200E00074C5B7101A82E008\nEND:VEVENT\nEND:VCALENDAR")

# No Auto-Submitted, no report part, no list header: each answered would start a loop.
MACHINES = {
    # out-of-office replies under Outlook's prefix in other languages, and the template's sentence
    "oof_uk": mail("Автоматична відповідь: Договір",
                   "Доброго дня! Я у відпустці до 24.02 без доступу до пошти. З термінових питань звертайтеся до "
                   "Петренка.", "Олена Коваль <o.koval@partner.ua>"),
    "oof_kk": mail("Автоматты жауап: Келісімшарт", "Сәлеметсіз бе! Мен 24.02 дейін демалыстамын.",
                   "Айгүл <aigul@partner.kz>"),
    "oof_uz_cyrillic": mail("Автоматик жавоб: Шартнома", "Ассалому алайкум! Мен 24.02 гача таътилдаман.",
                            "Азиз <aziz@partner.uz>"),
    "oof_tr": mail("Otomatik yanıt: Sözleşme",
                   "Merhaba, 24 Şubat'a kadar izindeyim ve e-postalarıma erişimim yok.", "Ayşe <ayse@partner.com.tr>"),
    "oof_zh_cn": mail("自动答复: 合同", "您好，我正在休假，2月24日返回，期间无法查看邮件。", "Li <li@partner.cn>"),
    "oof_zh_tw": mail("自動回覆: 合同", "您好，我正在休假。", "Li <li@partner.tw>"),
    "oof_tr_weak_subject_and_sentence": mail("İzindeyim", "24 Şubat'a kadar e-postalarıma erişimim olmayacak.",
                                             "Ayşe <ayse@partner.com.tr>"),
    # a template's "please check with …" is no request; under the desk's own tag the prefix is enough anyway
    "oof_please_check_with": mail("Automatic reply: [SD-12] Договор",
                                  "Thank you for your message. I am out of the office until 24 February with limited "
                                  "access to email. Please check with Anna Smith for urgent matters.",
                                  "John <john@partner.example>"),
    "oof_please_check_back_no_tag": mail("Out of office", "I am out of the office until 24 February with no access to "
                                         "email. Please check back after my return.", "John <john@partner.example>"),
    "oof_ru_if_needed_contact": mail("Автоответ: Договор", "Добрый день! Я в отпуске до 24.02. Если нужно срочно "
                                     "решить вопрос, обращайтесь к Петрову.", "Пётр <p@partner.ru>"),
    # read receipts written as plain text (Outlook's, and its Russian)
    "receipt_read_en": mail("Read: [SD-12] Договор",
                            "Your message\n\n  To: Иванов\n  Subject: [SD-12] Договор\n  Sent: 16.02.2026 9:00\n\n"
                            "was read on 16.02.2026 10:00.", PARTNER),
    "receipt_read_ru": mail("Прочитано: [SD-12] Договор",
                            "Ваше сообщение\n\n  Кому: Иванов\n  Тема: [SD-12] Договор\n  Отправлено: 16.02.2026 9:00\n"
                            "\nбыло прочитано 16.02.2026 10:00.", PARTNER),
    "receipt_thunderbird": mail("Return Receipt (displayed) - [SD-12] Договор",
                                "This is a Return Receipt for the mail that you sent to ivanov@partner.ru.\n\nNote: "
                                "This Return Receipt only acknowledges that the message was displayed on the "
                                "recipient's computer.", PARTNER),
    # a calendar program accepting an invitation the desk's mail carried
    "calendar_accept": multipart("Accepted: Совещание по бюджету", PARTNER, (
        ("text/plain; charset=utf-8", ""),
        ("text/calendar; method=REPLY; charset=utf-8", CALENDAR_REPLY))),
    "calendar_accept_ru_only_calendar": mail("Принято: Совещание по бюджету", CALENDAR_REPLY, PARTNER,
                                             ctype="text/calendar; charset=utf-8"),
    # another helpdesk acknowledging the desk's mail: the helpdesk-to-helpdesk loop
    "jira_ack": mail("[JIRA] (HD-123) Your request has been received",
                     "Hi,\n\nWe have received your request HD-123. Our team will get back to you shortly.",
                     "Partner Help Desk <helpdesk@partner.example>"),
    "otrs_ack": mail("[Ticket#2026021610000123] RE: [SD-12] Договор",
                     "Dear Customer,\n\nThank you for your email. Your request has been received and will be "
                     "processed shortly.\n\nYour Support Team", "Support <support@partner.example>"),
    "zammad_ack": mail("Thanks for your inquiry ([SD-12] Договор) [Ticket#31001]",
                       "Thank you for your inquiry (#31001)!\n\nYour request has been received and will be answered "
                       "as soon as possible.", "Zammad Helpdesk <support@partner.example>"),
    "osticket_ack": mail("Support Ticket Opened [#123456]",
                         "Dear Иван,\n\nA request for support has been created and assigned #123456. A "
                         "representative will follow-up with you as soon as possible.",
                         "Support <support@partner.example>"),
    "ru_helpdesk_ack": mail("[Заявка №12345] Re: [SD-12] Договор",
                            "Здравствуйте!\n\nВаше обращение зарегистрировано под номером 12345. Мы ответим вам в "
                            "ближайшее время.\n\nСлужба поддержки", "Служба поддержки <support@partner.ru>"),
    # challenge-response anti-spam
    "challenge_en": mail("Please confirm your message",
                         "Hello,\n\nYou sent a message to boss@partner.example. To protect against spam, please "
                         "confirm you are human by clicking the link below:\n\nhttps://cr.partner.example/c?id=123\n",
                         "boss@partner.example"),
    "challenge_ru": mail("Подтвердите отправку письма",
                         "Здравствуйте!\n\nВы отправили письмо на адрес boss@partner.example. Для защиты от спама "
                         "подтвердите, что вы не робот, перейдя по ссылке:\nhttps://cr.partner.example/c?id=123",
                         "boss@partner.example"),
}


@pytest.mark.parametrize("name", MACHINES)
def test_automatic_mail_without_headers_is_automatic(name: str) -> None:
    assert verdict(MACHINES[name]) is not None


NOT_MACHINES = {
    # a partner's person answering our ticket: the desk's own bracketed tag is no other helpdesk's number
    "partner_confirms_under_our_tag": mail("Re: [SD-12] Договор",
                                           "Добрый день! Ваша заявка получена, счёт отправим завтра.", PARTNER),
    "receipt_subject_but_a_question": mail("Read receipts", "How do I turn off read receipts? Every mail I send "
                                           "was read and I get a notice each time.", COLLEAGUE),
    "accepted_subject_without_calendar": mail("Принято: заявка на пропуск", "Добрый день! Оформите, пожалуйста, "
                                              "пропуск для гостя на завтра.", COLLEAGUE),
    "ticket_number_and_a_request": mail("[Ticket#2026021610000123] доступ к VPN",
                                        "Добрый день! Ваш запрос получен, но доступ так и не выдан. Проверьте, "
                                        "пожалуйста.", PARTNER),
}


@pytest.mark.parametrize("name", NOT_MACHINES)
def test_a_person_writing_about_receipts_and_tickets_is_no_machine(name: str) -> None:
    assert verdict(NOT_MACHINES[name]) is None


def test_a_colleagues_auto_reply_keeps_its_other_marks() -> None:
    """The one-stamp exemption is about bulk only: a colleague's vacation program (Precedence: bulk and an
    out-of-office subject) and X-Auto-Response-Suppress: All stay automatic."""
    vacation = mail("Out of office: Не работает сканер", "Я в отпуске до 24.02.", headers=("Precedence: bulk",))
    assert verdict(vacation) == "auto-reply"
    suppressed = mail("Отчёт", "Ежедневный отчёт.", headers=("X-Auto-Response-Suppress: All",))
    assert verdict(suppressed) == "bulk"
