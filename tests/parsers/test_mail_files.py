"""What a user must see after `parse_mail` reads each of the project's own test mails in tests/mail/.

One row per file. The expectations say what a person reading the ticket needs (decoded subject and
sender, the new text without quoted history or signatures, attachment names, whether the mail is
automatic, the ticket it refers to); they are never adjusted to what the parser happens to return.
`ANY` means "not checked for this mail". Texts are compared after collapsing whitespace (line
breaks, non-breaking spaces), so wrapping and HTML-to-text layout do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from postdesk.parsers import InboundMail, ParseOptions, parse_mail

MAIL_DIR = Path(__file__).resolve().parent.parent / "mail"
OPTIONS = ParseOptions(
    ticket_prefix="SD",
    our_addresses=frozenset({"service@corp.example", "it@corp.example", "hr@corp.example", "buh@corp.example"}),
)


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


@dataclass(frozen=True)
class Expect:
    file: str
    subject: str
    from_email: str
    from_name: str
    language: str
    has: tuple[str, ...] = ()  # must be in `text`
    lacks: tuple[str, ...] = ()  # must NOT be in `text` (quoted history, signature, markup, mojibake)
    attachments: tuple[str, ...] | _Any = ()  # file names, any order
    auto: str | _Any | None = None  # AutoVerdict.kind
    bounced: tuple[str, ...] = ()
    ticket_ref: str | _Any | None = None
    commands: tuple[tuple[str, str], ...] = ()  # (name without '#', args)
    broken: bool = False  # a real format defect: `defects` must say so
    empty_text: bool = False


SD = "service@corp.example"

CASES: tuple[Expect, ...] = (
    # ------------------------------------------------------------------ charsets, new requests
    Expect(
        "ru_plain_utf8_vpn.eml", "Не работает VPN", "ivan.petrov@corp.example", "Иван Петров", "ru",
        has=("С утра не подключается VPN из дома", '"Login failed" после ввода кода из SMS'),
        lacks=("доб. 1234", "+7 916 123-45-67"),
    ),
    Expect(
        "ru_plain_koi8r_password_reset.eml", "Сброс пароля в домене", "o.smirnova@corp.example", "Ольга Смирнова", "ru",
        has=("срок действия пароля истёк", "Нарушены требования к паролю", "Учётная запись o.smirnova"),
        lacks=("mailto:o.smirnova@corp.example",),
    ),
    Expect(
        "ru_plain_cp1251_printer_3rd_floor.eml", "Не печатает принтер на 3 этаже", "d.sokolov@corp.example",
        "Дмитрий Соколов", "ru",
        has=("«Замятие бумаги в лотке 2»", "Очередь печати на сервере PRN01"),
    ),
    Expect(
        "ru_plain_iso8859-5_guest_pass.eml", "Гостевой пропуск на 5 февраля", "n.orlova@corp.example",
        "Наталья Орлова", "ru",
        has=("гостевой пропуск на 5 февраля 2026 г.", "Ковалёв Андрей Викторович", 'ООО "Альфа-Консалт"'),
        lacks=("доб. 4410",),
    ),
    Expect(
        "ru_mislabeled_cp1251_as_koi8r_1c.eml", "Не работает 1С", "e.vasilieva@corp.example", "Елена Васильева", "ru",
        has=("Не запускается 1С:Бухгалтерия", "провести платёжки до 15:00"),
        lacks=("дНАПШИ ДЕМЭ", "\ufffd"),  # cp1251 bytes read as koi8-r
    ),
    Expect(
        "ru_unlabeled_cp1251_no_mime_headers.eml", "Справка 2-НДФЛ", "t.lebedeva@corp.example", "Татьяна Лебедева",
        "ru",
        has=("справку о доходах (2-НДФЛ) за 2025 год", "Заберу лично в четверг"),
        lacks=("\ufffd",),
    ),
    Expect(
        "ru_raw_8bit_headers_utf8.eml", "Новый сотрудник с 9 февраля: нужен ноутбук и доступы",
        "p.novikov@corp.example", "Павел Новиков", "ru",
        has=("Алина Захарова", "учётная запись в AD"),
    ),
    Expect(
        "ru_raw_8bit_headers_cp1251.eml", "Заявка на командировку в Новосибирск", "v.egorov@corp.example",
        "Виктор Егоров", "ru",
        has=("командировку в Новосибирск с 16 по 18 февраля 2026 г.",),
    ),
    # ------------------------------------------------------------------ replies from the usual clients
    Expect(
        "ru_outlook_reply_laptop_cp1251_html.eml", "RE: [SD-15] Новый ноутбук для сотрудника",
        "p.novikov@corp.example", "Новиков Павел", "ru",
        has=('нужен второй монитор 27"', "в понедельник в 9:30"),
        lacks=("Ваше обращение SD-15 зарегистрировано", "Отправлено: понедельник", "нестандартная конфигурация"),
        ticket_ref="SD-15",
    ),
    Expect(
        "en_outlook_reply_re_aw_printer_sd7.eml", "RE: AW: [SD-7] printer", "thomas.wagner@corp.example",
        "Thomas Wagner", "en",
        has=('"49.4C02 Service error"', "Could someone come by room 312 today?"),
        lacks=("-----Original Message-----", "can you answer this", "We replaced the toner cartridge", "Ursprüngliche"),
        ticket_ref="SD-7",
    ),
    Expect(
        "ru_thunderbird_reply_password_sd21.eml", "Re: [SD-21] Сброс пароля в домене", "o.smirnova@corp.example",
        "Ольга Смирнова", "ru",
        has=("Пароль сбросили, спасибо!", "Outlook всё равно просит пароль каждые 10 минут"),
        lacks=("Временный пароль отправлен", "Алексей Волков пишет:", "Отдел закупок, каб. 214"),
        ticket_ref="SD-21",
    ),
    Expect(
        "en_gmail_reply_laptop_sd30.eml", "Re: [SD-30] New laptop request", "michael.brown@corp.example",
        "Michael Brown", "en",
        has=('The 14" model is fine', "USB-C docking station"),
        lacks=("two standard models in stock", "Anna Smith <anna@corp.example> wrote:"),
        ticket_ref="SD-30",
    ),
    Expect(
        "ru_yandex_web_reply_business_trip_sd44.eml", "Re: [SD-44] Командировка в Казань 10–12 февраля",
        "s.kuznetsov@yandex.ru", "Сергей Кузнецов", "ru",
        has=("ул. Баумана", "утренний рейс 10 февраля"),
        lacks=("Уточните, пожалуйста, даты поездки", "С уважением", "11:20"),
        ticket_ref="SD-44",
    ),
    Expect(
        "ru_mailru_web_reply_guest_pass_sd50.eml", "Re[2]: [SD-50] Пропуск для гостя", "m.ivanova@mail.ru",
        "Мария Иванова", "ru",
        has=("госномер А123ВС 777", "Можно заказать парковку?"),
        lacks=("Пропуск для гостя оформлен", "паспорт"),
        ticket_ref="SD-50",
    ),
    Expect(
        "ru_iphone_reply_otpusk_sd61.eml", "Re: [SD-61] Заявление на отпуск с 16 по 27 февраля",
        "e.popova@corp.example", "Екатерина Попова", "ru",
        has=("даты верные, заявление подпишу завтра утром",),
        lacks=("Отправлено с iPhone", "Подтвердите, пожалуйста, даты отпуска", "написал(а)"),
        ticket_ref="SD-61",
    ),
    Expect(
        "en_inline_reply_vpn_sd27.eml", "Re: [SD-27] VPN disconnects every 10 minutes", "james.wilson@corp.example",
        "James Wilson", "en",
        # answers written between the quoted questions are the new content
        has=("Cisco Secure Client 5.1.3.62", "Only at home", "new router from my provider on Friday"),
        ticket_ref="SD-27",
    ),
    Expect(
        "ru_outlook_signature_disclaimer_sd140.eml", "RE: [SD-140] Акт сверки за январь", "n.kovaleva@corp.example",
        "Ковалёва Наталья", "ru",
        has=("Акт сверки за январь подписали", "оригинал передам курьером в четверг"),
        lacks=("С уважением", "ведущий бухгалтер", "доб. 2210", "являются конфиденциальными", "Исходное сообщение",
               "Пришлите, пожалуйста, подписанный акт"),
        ticket_ref="SD-140",
    ),
    Expect(
        "ru_gmail_reply_date_attribution_sd141.eml", "Re: [SD-141] Пропуск для гостя", "d.orlov.msk@gmail.com",
        "Дмитрий Орлов", "ru",
        has=("пропуск нужен на всю неделю, с 16 по 20 февраля",),
        lacks=("пн, 9 февр. 2026 г. в 10:15", "Уточните, пожалуйста"),
        ticket_ref="SD-141",
    ),
    Expect(
        "ru_iphone_reply_lost_quote_mark_sd142.eml", "Re: [SD-142] Ноутбук для нового сотрудника",
        "a.sokolova@corp.example", "Алина Соколова", "ru",
        has=("Ноутбук забрала, всё работает. Спасибо!",),
        lacks=("Отправлено с iPhone", "написал(а)", "18:00, при себе иметь пропуск", "кабинете 214"),
        ticket_ref="SD-142",
    ),
    Expect(
        "ru_the_bat_vy_pisali_sd143.eml", "Re: [SD-143] Полосы при печати", "b.fedorov@corp.example",
        "Борис Фёдоров", "ru",
        has=("Картридж заменили, но принтер всё равно печатает полосы.",),
        lacks=("Вы писали", "СП>", "Замените, пожалуйста", "mailto:"),
        ticket_ref="SD-143",
    ),
    Expect(
        "ru_mailru_mobile_footer_unquoted_sd144.eml", "Re[2]: [SD-144] Замена монитора", "o.lebedeva@mail.ru",
        "Оксана Лебедева", "ru",
        has=("Да, можно в пятницу после 15:00.",),
        lacks=("Отправлено из мобильной Почты Mail.ru", "Когда удобно заменить монитор"),
        ticket_ref="SD-144",
    ),
    # ------------------------------------------------------------------ HTML and attachments
    Expect(
        "en_html_only_owa_access_table.eml", "Access request for new finance team members",
        "laura.chen@corp.example", "Laura Chen", "en",
        has=("Two new members join the finance team", "Oliver Grant", "Sophie Turner", "SAP FI, Concur",
             "Approver", "finance role matrix"),
        lacks=("<td", "<a ", "&nbsp;", "font-family", "P {margin-top"),
        ticket_ref=None,  # SD-29 is only mentioned in the body
    ),
    Expect(
        "ru_outlook_html_inline_image_and_pdf.eml", "Ошибка 1С при проведении акта сверки",
        "e.vasilieva@corp.example", "Васильева Елена", "ru",
        has=("1С выдаёт ошибку (скриншот ниже)",),
        lacks=("[cid:",),  # a raw cid: placeholder means nothing to a reader
        attachments=("image001.png", "Акт сверки январь 2026.pdf"),
    ),
    Expect(
        "ru_attachment_pdf_rfc2231_buh_payslip.eml", "Расчётный листок за январь", "a.kuzmina@corp.example",
        "Анна Кузьмина", "ru",
        has=("Прошу выслать расчётный листок за январь 2026 г.",),
        attachments=("Заявление.pdf",),
    ),
    Expect(
        "ru_attachment_docx_octet_rfc2047_name.eml", "Служебная записка о переводе", "r.grigoriev@corp.example",
        "Роман Григорьев", "ru",
        has=("служебную записку о переводе сотрудника Жуковой",),
        lacks=("начальник отдела логистики",),
        attachments=("Служебная записка о переводе.docx",),
    ),
    Expect(
        "ru_attachment_jpeg_rfc2231_continuation.eml", "Принтер на 3 этаже — фото ошибки [SD-9]",
        "a.morozov@corp.example", "Андрей Морозов", "ru",
        has=("Прикладываю фото экрана принтера",),
        attachments=("Фото_принтера_3_этаж_ошибка_замятие_бумаги.jpg",),
        ticket_ref="SD-9",
    ),
    Expect(
        "ru_forward_as_attachment_rfc822.eml", "Fwd: Доступ к общей папке бухгалтерии", "r.grigoriev@corp.example",
        "Роман Григорьев", "ru",
        has=("пересылаю письмо от главбуха",),
        attachments=("Доступ к общей папке бухгалтерии.eml",),
    ),
    # ------------------------------------------------------------------ follow-ups
    Expect(
        "ru_followup_re_vpn_sd12.eml", "Re: Не работает VPN [SD-12]", "ivan.petrov@corp.example", "Иван Петров", "ru",
        has=("VPN подключился", "Заявку можно закрывать"),
        lacks=("обращение зарегистрировано", "доб. 1234", "sd.corp.example/kb/17"),
        ticket_ref="SD-12",
    ),
    Expect(
        "ru_followup_otv_peresl_1c_sd3.eml", "Отв: Пересл: [SD-3] Не работает 1С", "r.grigoriev@corp.example",
        "Григорьев Роман", "ru",
        has=("Проблема повторилась сегодня в 14:20",),
        lacks=("Исходное сообщение", "у тебя тоже так", "Сервер 1С перезапущен"),
        ticket_ref="SD-3",
    ),
    Expect(
        "en_followup_fwd_inline_wifi_sd88.eml", "Fwd: [SD-88] Guest Wi-Fi password", "peter.hall@corp.example",
        "Peter Hall", "en",
        has=("does not work for our visitors in room 5.12",),
        ticket_ref="SD-88",
    ),
    # ------------------------------------------------------------------ automatic mail
    Expect(
        "auto_postfix_dsn_bounce_old_employee.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx1.corp.example", "Mail Delivery System", "en",
        auto="bounce", bounced=("old.employee@corp.example",), ticket_ref=ANY, attachments=ANY,
    ),
    Expect(
        "auto_exchange_ndr_ru.eml", "Не доставлено: RE: [SD-19] Доступ к папке",
        "microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@corp.example", "Microsoft Outlook", "ru",
        auto="bounce", bounced=("a.sidorov@corp.example",), ticket_ref=ANY, attachments=ANY,
    ),
    Expect(
        "auto_yandex_vacation_ru.eml", "Re: [SD-44] Командировка в Казань 10–12 февраля", "s.kuznetsov@yandex.ru",
        "Сергей Кузнецов", "ru",
        has=("Я в отпуске до 16 февраля",),
        auto="auto-reply", ticket_ref="SD-44",
    ),
    Expect(
        "auto_outlook_automatic_reply_en.eml", "Automatic reply: [SD-7] printer", "thomas.wagner@corp.example",
        "Thomas Wagner", "en",
        has=("out of the office until Monday, February 9",),
        auto="auto-reply", ticket_ref="SD-7",
    ),
    Expect(
        "auto_mailing_list_it_announce.eml", "[it-announce] Плановые работы на почтовом сервере 7 февраля",
        "it-ops@corp.example", "Группа эксплуатации ИТ", "ru",
        has=("пройдут плановые работы",),
        auto="list",
    ),
    Expect(
        "auto_bulk_newsletter.eml", "February product update: new admin console",
        "news@mailer.contosocloud.example", "ContosoCloud News", "en",
        auto="bulk",
    ),
    Expect(
        "auto_mdn_read_receipt_ru.eml", "Прочитано: [SD-33] Расчётный листок за январь", "a.kuzmina@corp.example",
        "Кузьмина Анна", "ru",
        auto="receipt", ticket_ref="SD-33", attachments=ANY,
    ),
    Expect(
        "auto_bounce_freetext_bilingual_gateway.eml",
        "Сообщение не доставлено / Undeliverable: [SD-150] Счёт на оплату", "mailgw@partner.example",
        "Почтовый шлюз Партнёр", "en",
        # the recipient is named only in prose; helpdesk@ in the help text is not a recipient
        auto="bounce", bounced=("a.zaitsev@partner.example",), ticket_ref="SD-150",
    ),
    Expect(
        "auto_delay_warning_postfix.eml", "Delayed Mail (still being retried)", "mailer-daemon@mx.partner.example",
        "Mail Delivery System", "en",
        auto="bounce", bounced=(), attachments=ANY,  # a warning: nothing has failed yet
    ),
    Expect(
        "auto_dsn_original_vs_final_recipient.eml", "Undelivered Mail Returned to Sender",
        "mailer-daemon@mx.partner.example", "Mail Delivery System", "en",
        # the address we wrote to, not where the alias led
        auto="bounce", bounced=("buh@partner.example",), attachments=ANY,
    ),
    Expect(
        "auto_oof_outlook_rule_template_ru.eml", "Я в отпуске до 24.02", "i.vinogradov@partner.example",
        "Виноградов Игорь", "ru",
        has=("Я в отпуске до 24 февраля",),
        auto="auto-reply",
    ),
    Expect(
        "auto_1c_docflow_notification.eml", "Задача: Согласовать договор № 118/26", "docflow@corp.example",
        "1С:Документооборот", "ru",
        has=("Вам назначена задача",),
        auto="bulk",
    ),
    # ------------------------------------------------------------------ agents' replies with #commands
    Expect(
        "agent_commands_resolve_assign_ru.eml", "Re: [SD-12] Не работает VPN", "a.volkov@corp.example",
        "Алексей Волков", "ru",
        has=("переустановил клиент VPN", "Если проблема повторится"),
        lacks=("#resolve", "#assign", "Новое обращение SD-12", "доб. 1000"),
        commands=(("resolve", ""), ("assign", "me")),
        ticket_ref="SD-12",
    ),
    Expect(
        "agent_commands_priority_queue_outlook_en.eml", "RE: [SD-30] New laptop request", "anna@corp.example",
        "Anna Smith", "en",
        has=("a T14 and a docking station are reserved for you", "room 118"),
        lacks=("#приоритет", "#queue", "New reply in SD-30", "Sent: Tuesday"),
        commands=(("приоритет", "высокий"), ("queue", "hardware")),
        ticket_ref="SD-30",
    ),
    # ------------------------------------------------------------------ broken mail
    Expect(
        "broken_truncated_multipart.eml", "Скан паспорта для командировки", "v.egorov@corp.example",
        "Виктор Егоров", "ru",
        has=("скан паспорта для оформления командировки в Новосибирск",),
        attachments=ANY, broken=True,
    ),
    Expect(
        "broken_base64_garbage.eml", "Сканер на 2 этаже", "i.belov@corp.example", "Игорь Белов", "ru",
        has=("Не работает сканер на 2 этаже", "E-051"),
        lacks=("0JfQtNGA",),  # raw base64 must not be shown as text
        broken=True,
    ),
    Expect(
        "broken_header_line_without_colon.eml", "Пропуск на парковку", "i.belov@corp.example", "Игорь Белов", "ru",
        has=("пропуск на парковку для автомобиля Шкода Октавия",),
        lacks=("Dr.Web", "MIME-Version", "Content-Type"),
        broken=True,
    ),
    Expect(
        "broken_no_charset_8bit_cyrillic.eml", "Не работает телефон", "m.kozlova@corp.example", "Марина Козлова", "ru",
        has=("Не работает телефон на рабочем месте, каб. 407",),
        lacks=("\ufffd",),
        broken=True,
    ),
    Expect(
        "broken_header_name_with_space_x_mailer.eml", "Доступ к порталу поставщиков", "p.sidorov@partner.example",
        "Петр Сидоров", "ru",
        # "X Mailer:" and a name with a tab end the header block for the stdlib: Content-Type (base64) must still count
        has=("Не могу войти на портал поставщиков",),
        lacks=("0JTQ", "Content-Type"),
        broken=True,
    ),
    Expect(
        "pl_multipart_signed_charset_on_parent.eml", "Drukarka nie działa", "jan.kowalski@partner.example",
        "Jan Kowalski", "en",
        # the charset is declared only on the enclosing multipart/signed
        has=("Dzień dobry", "na ekranie błąd 49.4C02. Proszę o pomoc."),
        lacks=("Dzie\u00f1", "b\u00b3\u00b9d"),
        attachments=("smime.p7s",),
    ),
    Expect(
        "de_latin1_umlaut_attachment_names.eml", "Größenänderung Bürostühle", "j.mueller@partner.example",
        "Jürgen Müller", "en",
        has=("anbei die Größenänderung für die Bürostühle im Erdgeschoß",),
        lacks=("Г", "ь"),  # umlauts read as Cyrillic would show up as these
        attachments=("Größenänderung Bürostühle.pdf", "Preisübersicht März.xls"),
    ),
    Expect(
        "en_mixed_text_html_siblings_empty_attachment.eml", "VPN profile for the new office",
        "laura.chen@corp.example", "Laura Chen", "en",
        # text/plain and text/html side by side in multipart/mixed say different things: both are the content
        has=("Please create a VPN profile for the new office in Kazan.", "Keenetic Giga, address 10.44.0.1"),
        lacks=("<b>",),
        attachments=("vpn-export.ovpn",),  # empty, still listed
    ),
    Expect(
        "jp_rfc2231_iso2022jp_filename.eml", "見積書 quotation", "t.yamada@partner.example", "Taro Yamada", "en",
        has=("見積書を添付します。",),
        attachments=("見積書_2026年2月.pdf",),
    ),
    Expect(
        "broken_empty_body.eml", "Пароль от гостевого Wi-Fi", "m.kozlova@corp.example", "Марина Козлова", "ru",
        empty_text=True,  # valid, just empty: no defect required
    ),
    Expect(
        "broken_headers_only_multipart.eml", "Договор аренды склада — на согласование", "legal@corp.example",
        "Юридический отдел", "ru",
        empty_text=True, broken=True,
    ),
)

BY_FILE = {c.file: c for c in CASES}
EMPTY_ON_PURPOSE = {"vpn-export.ovpn"}  # an empty attachment is still an attachment
IDS = [c.file.removesuffix(".eml") for c in CASES]


def where(pred) -> list:
    """The rows a check applies to, each named after its file."""
    return [pytest.param(c, id=c.file.removesuffix(".eml")) for c in CASES if pred(c)]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


@cache
def _parse(file: str) -> InboundMail | BaseException:
    try:
        return parse_mail((MAIL_DIR / file).read_bytes(), OPTIONS)
    except BaseException as e:  # reported by the tests below
        return e


def parsed(case: Expect) -> InboundMail:
    result = _parse(case.file)
    if isinstance(result, BaseException):
        pytest.fail(f"parse_mail raised {type(result).__name__}: {result}")
    return result


# ----------------------------------------------------------------------------------- the table itself


def test_every_mail_file_has_a_row_and_every_row_a_file() -> None:
    on_disk = {p.name for p in MAIL_DIR.glob("*.eml")}
    assert on_disk == set(BY_FILE), (sorted(on_disk - set(BY_FILE)), sorted(set(BY_FILE) - on_disk))
    assert len(CASES) == len(BY_FILE)


def test_readme_describes_every_mail() -> None:
    readme = (MAIL_DIR / "README.md").read_text(encoding="utf-8")
    missing = [c.file for c in CASES if f"`{c.file}`" not in readme]
    assert not missing


# ----------------------------------------------------------------------------------------- per mail


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_parse_never_raises(case: Expect) -> None:
    parsed(case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_subject(case: Expect) -> None:
    assert parsed(case).subject == case.subject


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_from(case: Expect) -> None:
    m = parsed(case)
    assert m.from_ is not None
    assert (m.from_.email, m.from_.name) == (case.from_email, case.from_name)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_language(case: Expect) -> None:
    assert parsed(case).language == case.language


@pytest.mark.parametrize("case", where(lambda c: c.has))
def test_text_has_the_new_content(case: Expect) -> None:
    text = norm(parsed(case).text)
    missing = [s for s in case.has if norm(s) not in text]
    assert not missing, f"text was: {text!r}"


@pytest.mark.parametrize("case", where(lambda c: c.lacks))
def test_text_lacks_history_signature_and_junk(case: Expect) -> None:
    text = norm(parsed(case).text)
    present = [s for s in case.lacks if norm(s) in text]
    assert not present, f"text was: {text!r}"


@pytest.mark.parametrize("case", where(lambda c: c.empty_text))
def test_empty_mail_gives_empty_text(case: Expect) -> None:
    assert parsed(case).text.strip() == ""


@pytest.mark.parametrize("case", where(lambda c: c.attachments is not ANY))
def test_attachment_names(case: Expect) -> None:
    m = parsed(case)
    assert sorted(a.filename for a in m.attachments) == sorted(case.attachments)
    for a in m.attachments:
        assert a.size == len(a.data)
        assert a.size > 0 or a.filename in EMPTY_ON_PURPOSE


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_attachment_has_a_name(case: Expect) -> None:
    """Whatever is listed as an attachment gets a file name a person can save it under."""
    nameless = [a.content_type for a in parsed(case).attachments if not (a.filename or "").strip()]
    assert not nameless


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_auto_kind(case: Expect) -> None:
    m = parsed(case)
    assert (m.auto.kind if m.auto else None) == case.auto, m.auto


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bounced_recipients(case: Expect) -> None:
    assert tuple(parsed(case).bounced_recipients) == case.bounced


@pytest.mark.parametrize("case", where(lambda c: c.ticket_ref is not ANY))
def test_ticket_ref(case: Expect) -> None:
    assert parsed(case).ticket_ref == case.ticket_ref


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_commands(case: Expect) -> None:
    assert tuple((c.name, c.args) for c in parsed(case).commands) == case.commands


@pytest.mark.parametrize("case", where(lambda c: c.broken))
def test_broken_mail_reports_defects(case: Expect) -> None:
    assert parsed(case).defects


def test_attachment_bytes_survive() -> None:
    """The PDF named with RFC 2231 comes out as the same bytes: a PDF, complete."""
    m = parsed(BY_FILE["ru_attachment_pdf_rfc2231_buh_payslip.eml"])
    (pdf,) = m.attachments
    assert pdf.content_type == "application/pdf"
    assert pdf.data.startswith(b"%PDF-1.4") and pdf.data.rstrip().endswith(b"%%EOF")


def test_inline_image_is_marked_inline_with_its_content_id() -> None:
    m = parsed(BY_FILE["ru_outlook_html_inline_image_and_pdf.eml"])
    by_name = {a.filename: a for a in m.attachments}
    img = by_name["image001.png"]
    assert img.inline and img.content_type == "image/png"
    assert (img.content_id or "").strip("<>") == "image001.png@01DC95A1.3A7B5C40"
    assert not by_name["Акт сверки январь 2026.pdf"].inline


def test_follow_up_keeps_threading_headers() -> None:
    m = parsed(BY_FILE["ru_followup_re_vpn_sd12.eml"])
    assert [i.strip("<>") for i in m.in_reply_to] == ["postdesk.12.1.3f7a2c@corp.example"]
    assert [r.strip("<>") for r in m.references] == [
        "5c1e7f0a-3b2d-4e8a-9f1c-2d7e6b0a4c11@corp.example",
        "postdesk.12.1.3f7a2c@corp.example",
    ]
