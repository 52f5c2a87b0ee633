"""Review O of round 8's reply cuts (tests/parsers/probes/o8/): replies a person could write that attack the new rules
(parsers/leading.py: a quoted question or a `-- ` block opening the mail; signatures.closing_over_name; the
first-name sign-off of round 8 (since removed); lookalikes' "says"/"said" and _told_by_the_writer heads).

The standard: the ticket's text is the writer's new words; losing them is the worst error, history left in is the
lesser one. Each probe names a phrase that must stay in `text` and, where the rule is about history, one that must
go. A probe the parser still misjudges is a strict xfail whose reason says what `text` is and which rule did it, so
the fix that mends it turns the xfail into a failure to be removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdesk.parsers import ParseOptions, parse_mail

PROBES = Path(__file__).resolve().parent / "probes" / "o8"
OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))

_TOP_SIG = "leading.signature_on_top drops the writer's request under `-- ` because some text stands below the quote"
_Q_TOP = "leading.quoted_letter drops the lone quoted question (what the writer cites) although the text below "
_BLOCK = "signatures.closing_over_name takes a short statement under the name for a title line"
_SAID = "lookalikes.unattested keeps a client's head over an unquoted original ("

# probe -> (a phrase that must stay in text, a phrase that must be gone or None, strict-xfail reason or None)
PROBE_ROWS: dict[str, tuple[str, str | None, str | None]] = {
    # a) words lost: a `-- ` block on top that is the writer's short request, not a signature (worst: text is
    # a disclaimer, "Thanks" or the writer's own signature)
    "o_a10_en_dashes_request_over_quote_disclaimer": ("jams again", "CONFIDENTIALITY", None),
    "o_a11_ru_dashes_request_over_quote_disclaimer": ("опять не сканирует", "конфиденциальны", None),
    "o_a12_en_dashes_request_over_quote_thanks_below": ("Still broken", None, None),
    "o_a13_de_dashes_request_over_quote_sent_from": ("wieder Papierstau", None, None),
    # a) words lost: one word of status over the sender's first name, under what the writer tried
    "o_a28_kk_istemeydi_after_tried": ("Істемейді", None, None),
    "o_a29_uz_ishlamayapti_after_tried": ("Ishlamayapti", None, None),
    "o_a30_de_funktioniert_after_tried": ("Funktioniert", None, None),
    "o_a31_fr_resolu_after_tried": ("Résolu", None, None),
    "o_a32_en_nope_after_tried": ("Nope", None, None),
    "o_a18_en_urgent_over_first_name": ("Urgent", None, None),
    "o_a23_en_help_over_first_name": ("Help", None, None),
    "o_a27_uz_latin_urgent_over_first_name": ("Shoshilinch", None, None),
    # a) what the writer cites lost: a quoted question or a program's prompt opening the mail, then a new question
    # or what the writer did about the prompt
    "o_a1_en_colleague_question_then_own": ("Visio can be installed", None, None),
    "o_a2_ru_colleague_question_then_own": ("второй монитор", None, None),
    "o_a4_nl_colleague_question_glued_own": ("Teams ook op de vergaderlaptop", None, None),
    "o_a6_fr_excel_prompt_question": ("enregistrer les modifications", None, None),
    "o_a7_kk_prompt_glued_answer": ("қолтаңбасыз жібергіңіз", None, None),
    "o_a8_ru_1c_dialog_buttons": ("не соответствует сохраненной", None, None),
    "o_a5_en_uac_prompt_answer": ("allow this app to make changes", None,
                                  _Q_TOP + "tells what the writer clicked (the UAC prompt is gone)"),
    "o_a9_uz_prompt_answer": ("drayverini hozir yangilashni", None,
                              _Q_TOP + "tells what the writer clicked (the driver prompt is gone)"),
    # a) words lost: a short statement under the name after a closing and a blank line
    "o_a15_en_closing_over_name_then_urgency": ("Please hurry", None, None),
    "o_a16_de_closing_over_name_then_away": ("Ab Montag im Urlaub", None,
                                             _BLOCK + " ('Ab Montag im Urlaub')"),
    "o_a33_en_closing_over_name_then_missing_item": ("Charger missing", None, None),
    # b) history left: a client's head ending in "said"/"says" or with lower-case words, over an unquoted original
    "o_b4_en_said_over_unquoted_original": ("Works now", "password was reset", None),
    "o_b5_en_says_over_unquoted_original": ("please go ahead", "move your mailbox", None),
    "o_b6_ru_lowercase_name_pishet_unquoted": ("доступ есть", "папке выдан", None),
    "o_b7_fr_lowercase_name_a_ecrit_unquoted": ("ça marche", "accès est rétabli", None),
    # kept right now (guards): a question above the quote, a closing over a colon line, an answer that is all
    # the mail says over the first name, a Russian urgency, program-named clients over `>` quotes
    "o_a3_de_own_question_above_quote": ("Wann wird der Drucker", None, None),
    "o_a14_nl_closing_over_status_lines": ("still broken", None, None),
    "o_a19_en_confirmed_over_first_name": ("Confirmed", "technician come", None),
    "o_a20_de_ja_over_first_name": ("Ja", "Techniker", None),
    "o_a21_fr_resolu_over_first_name": ("Résolu", "problème d'impression", None),
    "o_a22_nl_opgelost_over_first_name": ("Opgelost", "Werkt de VPN", None),
    "o_a24_kk_not_working_over_first_name": ("Істемейді", "қазір жұмыс", None),
    "o_a25_uz_not_working_over_first_name": ("Ishlamayapti", None, None),
    "o_a26_ru_srochno_over_first_name": ("Срочно", None, None),
    "o_b1_en_jira_says_over_quote": ("Done, thanks.", "needs", None),
    "o_b2_ru_sber_pishet_over_quote": ("всё прошло", "исполнено", None),
    "o_b3_en_mailer_daemon_said_over_quote": ("it arrives now", "permanently", None),
    "o_b8_de_program_name_schreibt_quote": ("erledigt", "CRM-Daily", None),
}


def test_every_probe_has_a_row() -> None:
    assert {p.stem for p in PROBES.glob("*.eml")} == set(PROBE_ROWS)


def _params() -> list[object]:
    return [pytest.param(name, keep, lack, id=name,
                         marks=[pytest.mark.xfail(reason=why, strict=True)] if why else [])
            for name, (keep, lack, why) in sorted(PROBE_ROWS.items())]


@pytest.mark.parametrize(("name", "keep", "lack"), _params())
def test_the_ticket_holds_the_writers_words_and_not_the_history(name: str, keep: str, lack: str | None) -> None:
    m = parse_mail((PROBES / f"{name}.eml").read_bytes(), OPTIONS)
    assert m.auto is None, m.auto
    text = m.text or ""
    assert keep in text, (m.reply_cut, text)
    assert lack is None or lack not in text, (m.reply_cut, text)
