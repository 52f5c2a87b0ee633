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
