"""Issue 15, people round 2: people whose WORDS look like a machine's, in the body and the subject.

Round 1 (test_people_blind_r1.py) measured people whose headers look automatic. Here the headers are a person's
client's own, and the machine's look is in what they write: an employee pastes a 1C error window, a Windows event
log entry, a stack trace, a cron mail, a monitoring alert, an SMTP error of their own client, Gmail's "Message not
delivered" text, a parcel's «Не доставлено» status, DSN field lines, an antivirus or a printer's status; forwards a
supplier's auto-reply, a bank's robot notice, a DocuSign notice, our own acknowledgement; attaches a bounce or an
out-of-office as a message; writes tersely like a status notice, announces a schedule or a move, reminds like HR,
asks for their own out-of-office, puts "Delivery failed", "Read:", "[ВАЖНО]" or "Undeliverable.xlsx" in a
subject; or writes from an odd client (HTML only with a signature image, a phone system's voicemail transcript, a
scan-to-mail whose subject is the request, a one-line mail), in Kazakh, Uzbek, Ukrainian or English. Each is a
ticket that shows the writer's request (the phrase in its row: in the text, or in the subject where the mail has
no text). Ten CONTROLS in the same setting ARE automatic (cron, Alertmanager, a parcel service, an auto-reply, two
NDRs, a read receipt, a backup report, DocuSign, an Exchange automatic reply). The mails and the rows were written
before the automatic-mail rules in parsers/ were read; rows the first run got wrong are strict xfails naming the
miss, and tests/mail/README.md describes each mail.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from postdesk.parsers import parse_mail
from tests.parsers.test_autoshape_blind import MAIL_DIR, OPTIONS, check_rows_and_readme
from tests.parsers.test_people_blind_r1 import Control, _params

PREFIX = "people_r2_"


@dataclass(frozen=True)
class Person:
    name: str  # tests/mail/people_r2_<name>.eml
    keeps: str  # the writer's own words the agent must see
    where: str = "text"  # "subject" for a mail whose only words are its subject


PEOPLE: tuple[Person, ...] = (
    Person("ru_pastes_1c_error_window_cant_post_sale", "Не могу провести реализацию"),
    Person("ru_pastes_windows_event_log_kernel_power", "Посмотрите, пожалуйста, что с ним"),
    Person("en_partner_dev_pastes_python_traceback", "Could you check why the export API returns 500"),
    Person("ru_forwards_cron_mail_asks_is_backup_done", "Бэкап файлового сервера вообще делается?"),
    Person("ru_pastes_grafana_alert_asks_clean_disk", "Почистите, пожалуйста, или расширьте"),
    Person("ru_thebat_smtp_550_user_unknown_own_words", "это у нас что-то сломалось или у них?"),
    Person("en_partner_copies_message_not_delivered_text", "Which address should I use for HR documents"),
    Person("ru_subject_ne_dostavleno_cdek_parcel_question", "Кто у вас ведёт эту поставку?"),
    Person("ru_pastes_pochta_tracking_originals_lost", "Заберите, пожалуйста, письмо на почте"),
    Person("ru_forwards_supplier_autoreply_asks_who_else", "У кого ещё мы можем заказать бумагу"),
    Person("en_forwards_carrier_out_of_office_asks_alternative", "Who else can sign the pickup"),
    Person("ru_terse_server_down_logs_attached", "Сервер недоступен с 10:00"),
    Person("ru_duty_schedule_announcement_request_at_end", "доступ к терминалу сбора данных"),
    Person("ru_branch_manager_reminder_style_request_to_hr", "Пришлите, пожалуйста, бланк заявления"),
    Person("ru_own_vacation_asks_set_autoreply", "настройте, пожалуйста, автоответ"),
    Person("en_subject_delivery_failed_pallet_returned", "Please confirm a new delivery date"),
    Person("en_subject_read_contract_draft_asks_comments", "Has your legal team read it yet?"),
    Person("ru_attachment_named_undeliverable_xlsx_asks_writeoff", "списать на убытки или сделать возврат"),
    Person("en_terse_status_vpn_down_since", "VPN down since 09:30"),
    Person("ru_samsung_html_only_signature_image_phone_dead", "Не работает телефон на ресепшене"),
    Person("ru_pbx_voicemail_transcript_caller_asks_callback", "не открывается банк-клиент"),
    Person("ru_scan_to_mail_subject_is_the_request", "Прошу оплатить счёт Ростелекома", "subject"),
    Person("ru_one_line_srochno_perezvonite", "срочно перезвоните"),
    Person("en_per_my_last_email_invoice_unpaid", "Please advise when it will be paid"),
    Person("kk_almaty_colleague_laptop_wont_start", "Менің ноутбугім бүгін таңертеңнен бері іске қосылмайды"),
    Person("uz_tashkent_colleague_asks_1c_access", "1C buxgalteriya bazasiga kirish huquqini bering"),
    Person("uk_colleague_asks_income_certificate", "Прошу надіслати мені довідку про доходи"),
    Person("ru_pastes_kaspersky_detection_asks_if_safe", "Можно ли его как-то безопасно открыть?"),
    Person("ru_pastes_windows_update_error_code", "Можно это починить удалённо?"),
    Person("en_admin_pastes_dsn_fields_asks_whitelist", "Could you whitelist .xlsm"),
    Person("ru_forwards_bank_payment_rejected_asks", "Что не так с реквизитами"),
    Person("ru_pastes_printer_status_paper_jam", "Пришлите кого-нибудь, пожалуйста"),
    Person("ru_subject_avtomaticheskoe_soobshchenie_complaint", "Отключите, пожалуйста, эту рассылку"),
    Person("en_subject_auto_reply_option_greyed_out", "Can you enable it for my account"),
    Person("ru_terse_akt_vo_vlozhenii_caption_only", "Подпишите и верните скан до 15.12"),
    Person("ru_emoji_checklist_status_lines_by_person", "Подключите, пожалуйста, телефоны и принтер"),
    Person("ru_dev_pastes_gitlab_pipeline_failed_asks_runner", "Почистите, пожалуйста, docker-кэш"),
    Person("ru_pastes_oracle_tns_error_asks", "Проверьте, пожалуйста, сервер базы"),
    Person("ru_replies_to_our_autoack_with_question", "когда примерно подойдёт специалист?"),
    Person("ru_forwards_bounce_as_attachment_asks_address", "правильный ли это адрес"),
    Person("ru_forwards_oof_as_attached_eml_asks_deputy", "кто в «Партнёр-Строй» его замещает"),
    Person("en_iphone_one_line_printer_jammed", "Printer on 2nd floor jammed again"),
    Person("ru_bracket_tag_subject_vazhno_branch_1c_down", "Срочно посмотрите, пожалуйста"),
    Person("ru_own_table_dostavleno_ne_dostavleno_stores", "Закажите, пожалуйста, повторную доставку"),
    Person("en_forwards_docusign_completed_asks_original", "Who keeps the paper originals of leases"),
    Person("ru_notice_style_soobshchaem_office_move_request", "Просим сервисный центр перенести 6 рабочих мест"),
)

AUTOMATIC = frozenset({"auto-reply", "bulk", "list"})  # a program's notice may be told as any of these
CONTROLS: tuple[Control, ...] = (
    Control("control_cron_daemon_backup_output", AUTOMATIC),
    Control("control_alertmanager_disk_firing", AUTOMATIC),
    Control("control_cdek_parcel_not_delivered_notice", AUTOMATIC),
    Control("control_yandex_autoreply_vacation_ru", "auto-reply"),
    Control("control_exchange_online_ndr_en_recipient_not_found", "bounce", ("dogovor@partner-bank.example",),
            "postdesk.815.1.815f0a@corp.example"),
    Control("control_gmail_dsn_address_not_found", "bounce", ("anna.fomina.hr@gmail.com",),
            "postdesk.816.1.816b2c@corp.example"),
    Control("control_outlook_mdn_read_en", "receipt"),
    Control("control_veeam_backup_job_report_html", AUTOMATIC),
    Control("control_docusign_completed_notification", AUTOMATIC),
    Control("control_exchange_automatic_reply_en", "auto-reply"),
)

# what the first run got wrong (figures: tests/mail/README.md)
TAKEN_FOR_AUTOMATIC: dict[str, str] = {}
REQUEST_LOST: dict[str, str] = {}
CONTROL_MISSED: dict[str, str] = {
    # the cron mail, the Alertmanager alert and the Veeam report are bulk now (parsers/autoreport.py)
    "control_docusign_completed_notification": "a ticket: DocuSign's notice '… via DocuSign' with Reply-To the sender "
    "and no automatic-mail header; it is a service sending on a person's behalf, the shape of a web form's relayed "
    "request, and an envelope's own notice carries the sender's message, so it is left a ticket (with an answer to "
    "the Reply-To person)",
}


def _raw(name: str) -> bytes:
    return (MAIL_DIR / f"{PREFIX}{name}.eml").read_bytes()


@pytest.mark.parametrize("person", _params(PEOPLE, TAKEN_FOR_AUTOMATIC))
def test_a_persons_mail_is_a_ticket(person: Person) -> None:
    m = parse_mail(_raw(person.name), OPTIONS)
    assert m.auto is None, m.auto
    assert m.bounced_recipients == ()


@pytest.mark.parametrize("person", _params(PEOPLE, REQUEST_LOST))
def test_the_persons_request_reaches_the_ticket(person: Person) -> None:
    m = parse_mail(_raw(person.name), OPTIONS)
    shown = (m.subject or "") if person.where == "subject" else (m.text or "")
    assert person.keeps in shown, (m.reply_cut, shown[-400:])


@pytest.mark.parametrize("control", _params(CONTROLS, CONTROL_MISSED))
def test_an_automatic_control_is_still_automatic(control: Control) -> None:
    m = parse_mail(_raw(control.name), OPTIONS)
    kind = m.auto.kind if m.auto else None
    wanted = control.kind if isinstance(control.kind, frozenset) else frozenset({control.kind})
    assert kind in wanted, m.auto
    assert sorted(m.bounced_recipients) == sorted(control.bounced)
    if control.original:
        assert control.original in m.original_message_ids, m.original_message_ids


def test_every_people_r2_mail_has_a_row_and_a_description() -> None:
    check_rows_and_readme((*PEOPLE, *CONTROLS), PREFIX)  # type: ignore[arg-type]
