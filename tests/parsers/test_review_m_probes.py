"""Review M (issue 15): this session's automatic-mail rules (parsers/autorobot.py, autostamp._above_tool_footer, the
round-8 bounce rules) probed from both sides with mails written after reading them (tests/parsers/probes/m_review/).

A person's request taken for automatic is a request lost (bulk: no ticket); a robot taken for a person costs an agent
a minute, and when it also gets our acknowledgment it may answer it, which is how loops start. Probes the code gets
wrong are strict xfails with the reason, so a fix shows; the rest guard what is right now.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from postdesk.daemon.outgoing.send import Answering
from postdesk.parsers import InboundMail, ParseOptions, parse_mail
from postdesk.storage.views import InboundView

PROBES = Path(__file__).resolve().parent / "probes" / "m_review"
OURS = frozenset({"service@corp.example"})
OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=OURS)


def _parse(name: str) -> InboundMail:
    return parse_mail((PROBES / f"m_{name}.eml").read_bytes(), OPTIONS)


_ROBOT_BOX = "autorobot._robot_says_so: a program's mailbox by its name (autolist.robot_mailbox) whose text "
# people's mails that must be tickets with no failed recipient; the value is why a rule got it wrong (None: right now)
PEOPLE: dict[str, str | None] = {
    "a01_partner_admin_says_why_in_own_words": None,
    "a02_en_sysadmin_old_address_not_monitored": None,
    "a03_hr_notifications_box_person_reports_portal": None,
    "a04_branch_noreply_person_paste_then_ask_below": "auto._generated_notification (older rule): a pasted "
    "«сформировано автоматически» with the writer's own paragraph below a rule line",
    "a04b_branch_noreply_paste_then_own_words_below": None,
    "a05_en_notifications_box_colleague_fyi": _ROBOT_BOX + "holds a pasted 'You are receiving this' under the "
    "writer's own sentence ('Got the message below…'), which ends in no colon, and her name below it",
    "a15_en_office_admin_own_words_why_you_get_this": None,
    "a17_payroll_box_person_reports_phishing": None,
    "a18_rule_forward_partner_postmaster_person": "autorobot._forwarded_notice: an inbox rule's forward of a "
    "partner's postmaster@ who writes as a person (asks to resend): the forwarded From's local part alone decides",
    "a19_rule_forward_colleague_delivery_failure_subject": None,
    "a06_ru_person_pastes_notice_no_question_mark": None,
    "a07_rule_forward_person_quoting_ndr_first": None,
    "a08_fwd_bounce_question_in_subject_only": None,
    "a09_person_my_mail_came_back_recipient_address": None,
    "a10_ru_person_pastes_original_details_colleague": None,
    "a11_kk_person_pastes_notice_says_why": None,
    "a12_hold_person_says_message_held": None,
    "a13_person_not_yet_delivered_parcel_mail": None,
    "a14_en_person_email_has_not_been_delivered": None,
    "c03_person_pastes_recipient_address_no_question": None,
}

# robots' mails that must be automatic; the value is why a rule took the robot for a person (None: right now)
ROBOTS: dict[str, str | None] = {
    "b02_unisender_cold_sales_no_link": "autostamp._above_tool_footer: a sales sequence's step through a mailing "
    "tool reads as one letter (signed by the From name, asks the reader, no link above the tool's footer)",
    "b04_xars_partner_autoack_on_our_ack": "autorobot.suppressed_reply_is_a_letter: a partner system's "
    "acknowledgment of our mail under an agent's name, asking for a customer number",
    "b05_noreply_portal_asks_no_headers": "autorobot._robot_says_so: a portal's notice from no-reply@ asks "
    "('Can we deliver…?', 'Please confirm'), and asks()/requests_action() alone clear it",
    "b06_notifications_survey_question_no_headers": "autorobot._robot_says_so: a survey from notifications@ opens "
    "with 'How did we do?', and a question anywhere (asks, framed_by_a_person) clears it",
    "b07_partner_zendesk_ack_role_sender_xars": None,
    "b09_xars_autoreply_backlog_on_our_ack": "autorobot.suppressed_reply_is_a_letter: a 'will reply within 48 "
    "hours' responder with a question under X-Auto-Response-Suppress: All, no away words that _away knows",
    "b01_sendpulse_sequence_step2_question": None,
    "b03_survey_invitation_html_button": None,
}

# robots that become tickets AND get our acknowledgment (no Auto-Submitted, no stamp): the loop risk
ANSWERED_ROBOTS: dict[str, str] = {}  # b05 (no-reply@) and b06 (notifications@) get none since unread_mailbox


def _cases(table: dict[str, str | None]) -> list[object]:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=why)) if why else name
            for name, why in sorted(table.items())]


def test_every_probe_has_a_row() -> None:
    rows = set(PEOPLE) | set(ROBOTS) | set(BOUNCES)
    assert {p.stem.removeprefix("m_") for p in PROBES.glob("*.eml")} == rows


@pytest.mark.parametrize("name", _cases(PEOPLE))
def test_a_persons_mail_is_a_ticket_with_no_failed_recipient(name: str) -> None:
    m = _parse(name)
    assert m.auto is None, m.auto
    assert m.bounced_recipients == ()


@pytest.mark.parametrize("name", _cases(ROBOTS))
def test_a_robots_mail_is_automatic(name: str) -> None:
    m = _parse(name)
    assert m.auto is not None and m.auto.kind in ("bulk", "auto-reply"), m.text[:200]


@pytest.mark.parametrize("name", _cases({name: ANSWERED_ROBOTS.get(name) for name in ROBOTS}))
def test_no_robot_gets_our_automatic_answer(name: str) -> None:
    """What the desk's answers go by (send.Answering.of): an automatic verdict, the headers' refusal (RFC 3834),
    or a sender whose mailbox is named so that nobody reads it (no-reply@, notifications@)."""
    m = _parse(name)
    row = cast(InboundView, SimpleNamespace(envelope_from="bounces@partner.example"))
    assert Answering.of(m, row, OURS).automatic is not None


# notices that return our mail; the set the desk would stop mailing, and the colleague who must not be in it
BOUNCES = {
    "c01_ndr_no_address_original_body_recipient_line": None,  # the notice names none; the body's "Recipient:" is not
    "c02_ndr_wrapped_line_in_quoted_original": ("boris.lee@client.example",),
    "c05_ndr_no_address_original_quotes_history_cc": None,  # the history's Cc and a "Recipient Address:" of ours
}
COLLEAGUE = "a.petrova@corp.example"


@pytest.mark.parametrize("name", sorted(BOUNCES))
def test_a_bounce_never_names_a_colleague_from_the_returned_mails_text(name: str) -> None:
    m = _parse(name)
    assert m.auto is not None and m.auto.kind == "bounce", m.auto
    assert COLLEAGUE not in m.bounced_recipients
    if (expected := BOUNCES[name]) is not None:
        assert m.bounced_recipients == expected
