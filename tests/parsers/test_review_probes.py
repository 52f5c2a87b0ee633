"""The reviews' probe mails (tests/parsers/probes/): people's mails that the rules of the blind rounds first took
for automatic, or cut before the writer's own words. Each must be a person's request whose text keeps what the
person wrote, down to the phrase named here."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdesk.parsers import ParseOptions, parse_mail

PROBES = Path(__file__).resolve().parent / "probes"
OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))

KEEPS = {  # probe -> a phrase of the writer's that the ticket's text must still hold
    "fr1_table_between_rules_phone": "Тел. +7 916 555-12-34",
    "fr2_bank_details_framed": "р/с 40702810900000012345",
    "fr3_en_delivery_address": "+44 161 496 0000",
    "of1_new_employee_open_frame": "+7 916 555-12-34",
    "of2_en_contact_to_call": "+44 20 7946 0958",
    "sp1_download_app_instruction": "включите push-уведомления",
    "pr1_add_colleague_pronouns": "linkedin.com/in/alexkim-acme",
    "pr3_add_colleague_plain_name_colon": "linkedin.com/in/alexkim-acme",
    "ch2_verify_human_please_help": "Anna Schmidt",
    "ch3_ru_colleague_instructs": "Бухгалтерия ООО",
    "dl3_person_status_code_signed": "бухгалтерия",
    "gw1_fwd_inline_ru": "пересылаю текст:",
    "gw2_en_paste_noreq": "released from quarantine",
    "pm2_postmaster_en_unsigned": "Thanks",
    "oo1_leave_with_answer": "I am on leave until 14 March",
    "oo2_ru_leave_with_fact": "Я в отпуске до 20 марта",
    "oo3_leave_answer_on_return_q_elsewhere": "sono in ferie fino al 20 marzo",
    "oo4_en_leave_deadline": "I am out of the office until Monday 16 March",
    "oo5_en_elsewhere_fact": "For urgent matters please contact",
    "oo6_pl_elsewhere_fact": "jestem na urlopie do 20 marca",
    "oo8_en_thanks_short": "I am on holiday until 2 April",
    "tr1_leave_with_fact": "tarihine kadar izindeyim",
    # round 7's review (a sign-off over the sender's name, a quoted letter opening a new request, "sent from" in a
    # sentence, a bare "Original Message" line): each of these lost the phrase before the fix
    "r7_k1_short_answer_comma_over_name": "Всё заработало, закрывайте,",
    "r7_k2_short_answer_not_working_comma": "Пока не работает,",
    "r7_k3_hebrew_answer_no_punct_over_name": "עדיין לא עובד",
    "r7_k4_answer_number_over_name": "Кабинет триста пятый,",
    "r7_k5_answer_comma_over_name_more_text": "Пока не работает,",
    "r7_a1_dash_list_of_people": "– Анна Белова, закупки",
    "r7_a2_emdash_list_of_people": "— Сергей Волков, водитель",
    "r7_a3_pass_data_comma_over_own_name": "паспорт 4510 123456",
    "r7_a4_advance_report_total": "12 400,00 руб.",
    "r7_a5_people_list_comma_head": "Анна Белова",
    "r7_a8_hebrew_caseless_data_over_name": "דרכון מספר 12345678",
    "r7_a9_single_dash_glued_to_name_in_list": "-Олег Кузнецов",
    "r7_a10_dash_name_said_quote": "Прошу прислать другого мастера.",
    "r7_a11_double_dash_self_short": "подпишу после исправления",
    "r7_b1_new_request_quotes_supplier_letter": "> Просим до 20.02 подтвердить идентификатор участника ЭДО.",
    "r7_b2_new_request_quotes_supplier_glued": "> Срок действия сертификата ЭП истекает 15.02.2026.",
    "r7_b3_quoted_1c_error_dialog": "> Конфигурация базы данных не соответствует сохраненной конфигурации.",
    "r7_b4_quoted_sql_error_no_period": "> Нарушение ограничения UNIQUE KEY",
    "r7_b5_quoted_boss_instruction": "> он выходит 16.02, нужен с 1С и VPN.",
    "r7_b7_quoted_customer_complaint_ok_fwd": "пишет «неверный пароль»",
    "r7_e1_persian_sending_from_outlook_fails": "پیام‌ها در صندوق خروجی می‌مانند",
    "r7_e2_arabic_sent_from_iphone_not_arrived": "هل هناك حد لحجم المرفقات",
    "r7_e3_hebrew_sent_from_gmail_bounced": "מה הבעיה?",
    "r7_e4_arabic_sender_outlook_label": "كيف أغير عنوان المرسل",
    "r7_h1_original_message_subject_quote": "и больше ничего, вложений нет",
    "r7_h2_original_message_colon_above": "Ни текста, ни вложений.",
    "r7_f1_form_unnumbered_underscores": "Кабинет: 305",
    "r7_f5_numbered_items_with_letters": "в) Диадок — подписание.",
    "r7_e6_ru_sent_from_iphone_sentence": "а на ноутбуке в Outlook письма нет",
    # the stamped-letter review: a partner behind a gateway's stamp replying over a long or Outlook-style history
    "st_b11_long_quote_history": "Could you send the signed copy today?",
    "st_b12_outlook_top_post_reply": "Could you tell me when it will be ready?",
}


def test_every_probe_has_a_row() -> None:
    assert {p.stem for p in PROBES.glob("*.eml")} == set(KEEPS)


@pytest.mark.parametrize(("name", "phrase"), sorted(KEEPS.items()), ids=sorted(KEEPS))
def test_a_persons_mail_stays_a_request_with_their_words(name: str, phrase: str) -> None:
    m = parse_mail((PROBES / f"{name}.eml").read_bytes(), OPTIONS)
    assert m.auto is None, m.auto
    assert m.bounced_recipients == ()
    assert phrase in (m.text or ""), (m.reply_cut, m.text[-300:] if m.text else "")


def test_a_framed_block_with_the_senders_name_is_still_their_signature() -> None:
    # the bank details above are kept because the frame does not hold the sender's name; her own frame goes
    raw = ("From: Елена Кузнецова <e.kuznetsova@corp.example>\nTo: service@corp.example\nSubject: Реквизиты\n"
           "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nКоллеги, добрый день.\n\n"
           "Прошу обновить карточку контрагента в 1С.\n\n=========================\nООО \"Ромашка\"\n"
           "Елена Кузнецова, бухгалтерия\nТел. +7 495 123-45-67\n=========================\n").encode()
    m = parse_mail(raw, OPTIONS)
    assert m.text == "Коллеги, добрый день.\n\nПрошу обновить карточку контрагента в 1С."
    assert m.reply_cut is not None and m.reply_cut.rule == "framed-signature"


@pytest.mark.parametrize("tail", [
    "Итого: 5 шт.\n_______________________________________________\nIt-help mailing list: it-help@lists.example\n"
    "https://lists.example/it-help\n",
    "Tel: +44 20 7946 0958\n____________________\nConfidentiality Notice: This e-mail message, including any "
    "attachments, is for the sole use of the intended recipient.\n",
    "Телефон: 123-45-67\n________________________________\nОт: Служба поддержки <service@corp.example>\n"
    "Отправлено: 10 февраля 2026 г. 10:15\nКому: Иван Петров\nТема: [SD-5] Доступ\n\nЗаявка SD-5 принята.\n",
], ids=["list-footer", "disclaimer", "outlook-history"])
def test_a_rule_under_a_field_still_ends_the_letter_over_a_footer_or_history(tail: str) -> None:
    """A form's fields ruled apart stay the writer's (r7_f1); a rule under the writer's last field over a list's
    footer, a disclaimer or Outlook's history still ends the letter."""
    raw = ("From: Иван Петров <i.petrov@corp.example>\nTo: service@corp.example\nSubject: Re: [SD-5]\n"
           "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nДобрый день! Проверьте доступ.\n\n" + tail)
    text = parse_mail(raw.encode(), OPTIONS).text
    assert not any(word in text for word in ("_____", "mailing list", "Confidentiality", "SD-5 принята"))
