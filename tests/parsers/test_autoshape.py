"""The shape of a notice (parsers/autoshape.py): each rule where it must fire and where a person's mail
must not trip it. Whole mails of each shape are in tests/mail (`auto_*`, `auto_human_*`)."""

from __future__ import annotations

import email
from email.message import Message
from pathlib import Path

from postdesk.parsers import ParseOptions, parse_mail
from postdesk.parsers.autophrases import _GENERATED_BODY_RE, _MTA_TEXT_RE, _OOF_BODY_RE
from postdesk.parsers.autoshape import (
    failure_listing,
    first_unquoted,
    listed_failures,
    quoted_at,
    said_of_the_past,
    wrapped_report,
)

GATEWAY = """Уведомление почтового шлюза.

Не удалось доставить письмо следующему получателю:

    d.orlov@teplo-partner.example

Причина: учётная запись отключена.
"""


# ------------------------------------------------------------------------------- failure listings


def test_a_failure_heading_over_an_address_alone_is_a_listing() -> None:
    assert failure_listing(GATEWAY) == "Не удалось доставить письмо следующему получателю:"
    qmail = "The following address failed:\n<k.belov@zavod.example>:\nSorry, no mailbox here by that name.\n"
    assert failure_listing(qmail) == "The following address failed:"


def test_a_dates_weekday_is_no_first_person() -> None:
    """'Mon' and 'Mi' open dates in notices; only the lower-case French/Spanish words mark a person."""
    dated = "Sent: Mon, 16 Feb 2026 10:00\nGesendet: Mi, 18.02.2026\n\nThe following address failed:\n\n  x@h.example\n"
    assert failure_listing(dated) == "The following address failed:"


def test_a_heading_over_prose_is_no_listing() -> None:
    """The address must stand alone on its line: a sentence naming it is not a list of failures."""
    text = "Delivery to the following recipient failed:\nplease ask k.belov@zavod.example to clear the mailbox\n"
    assert failure_listing(text) is None


def test_a_person_writing_about_their_own_mail_is_no_listing() -> None:
    text = "Hello, my mail came back with this:\n\nThe following address failed:\n\n  orders@supplier.example\n"
    assert failure_listing(text) is None


def test_a_listing_far_down_is_a_pasted_excerpt() -> None:
    text = "Добрый день.\n" + "Текст обращения. " * 60 + "\n\nНе удалось доставить письмо:\n\nx@partner.example\n"
    assert failure_listing(text) is None


def test_what_failure_headings_list() -> None:
    mixed = ("Delivery to the following recipient failed permanently:\n\n     f@hub.example\n\nTechnical details\n\n"
             "Delivery to the following recipient has been delayed:\n\n     d@hub.example\n")
    assert listed_failures(mixed) == (["f@hub.example"], [])
    aol = "   ----- The following addresses had permanent fatal errors -----\nzerobanana\n    (reason: 550)\n"
    assert listed_failures(aol) == ([], ["zerobanana"])
    groupwise = "The message that you sent was undeliverable to the following:\n\tp.zhukov (user not found)\n"
    assert listed_failures(groupwise) == ([], ["p.zhukov"])


# -------------------------------------------------------------------------------- quoted phrases


def test_a_phrase_in_quotation_marks_is_cited_not_stated() -> None:
    cited = 'every mail comes back with "Delivery has failed to these recipients or groups". Please check.'
    assert quoted_at(cited, cited.index("Delivery"))
    assert first_unquoted(_MTA_TEXT_RE, cited) is None
    ru = "приходили уведомления («Это письмо сформировано автоматически, не отвечайте»), а теперь нет"
    assert first_unquoted(_GENERATED_BODY_RE, ru) is None


def test_the_same_phrase_unquoted_is_stated() -> None:
    stated = 'Unknown user "v.lebedev".\n\nDelivery has failed to these recipients or groups:\n'
    m = first_unquoted(_MTA_TEXT_RE, stated)
    assert m is not None and m.group(0).lower().startswith("delivery has failed")


# ----------------------------------------------------------------------------- past tense (OOF)


def test_an_out_of_office_sentence_in_the_past_is_a_person_back_at_work() -> None:
    back = "Вернулась из отпуска, две недели была без доступа к почте. Теперь не работает телефон."
    m = _OOF_BODY_RE.search(back)
    assert m is not None and said_of_the_past(back, m.start())
    away = "Я в отпуске до 24 февраля, без доступа к почте. По срочным вопросам звоните Петрову."
    m = _OOF_BODY_RE.search(away)
    assert m is not None and not said_of_the_past(away, m.start())


# ------------------------------------------------------------------------- a forwarded report

DSN = """From: MAILER-DAEMON@mx.partner.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="in"

--in
Content-Type: text/plain

This is the mail system at host mx.partner.example.

--in
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.partner.example

Final-Recipient: rfc822; u.pavlov@partner.example
Action: failed
Status: 5.1.1

--in--
"""


def forward(own_text: str, extra: str = "") -> Message:
    raw = ("From: someone@corp.example\nSubject: FW: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
           'Content-Type: multipart/mixed; boundary="out"\n\n--out\nContent-Type: text/plain\n\n'
           f"{own_text}\n{extra}--out\nContent-Type: message/rfc822\n\n{DSN}\n--out--\n")
    return email.message_from_string(raw)


def test_a_forward_with_no_text_of_its_own_is_the_report_it_carries() -> None:
    inner = wrapped_report(forward(""))
    assert inner is not None and inner["Subject"] == "Undelivered Mail Returned to Sender"


def test_a_forward_with_a_question_or_another_attachment_is_a_persons_mail() -> None:
    assert wrapped_report(forward("Why does this bounce? Can you check?")) is None
    pdf = "--out\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=a.pdf\n\nJVBERi0=\n"
    assert wrapped_report(forward("", pdf)) is None


def test_a_passed_on_or_forwarded_bounce_threads_to_our_mail() -> None:
    """The daemon finds the bounced mail by the returned original's Message-ID: a wrapper must not hide it."""
    mail = Path(__file__).resolve().parent.parent / "mail"
    for name, ident in (("auto_gateway_passes_on_dsn_with_text.eml", "postdesk.235.1.fa0b8d@corp.example"),
                        ("auto_bounce_in_rfc822_of_automatic_forward.eml", "postdesk.223.1.dcef6b@corp.example")):
        m = parse_mail((mail / name).read_bytes(), ParseOptions())
        assert m.original_message_ids == (ident,), name


# ------------------------------------------------------------------- issue 15 round 3 (the blind set's rules)


def test_an_out_of_office_text_needs_all_three_sentences() -> None:
    from postdesk.parsers.autonotice import away_reply
    template = ("Thank you for your email. I am currently out of the office and will return on 2 March. "
                "For urgent matters please contact Anna Roth.")
    assert away_reply(template) is not None
    ru = "Здравствуйте! Я в отпуске, вернусь 2 марта. По срочным вопросам обращайтесь к Петрову."
    assert away_reply(ru) is not None
    # a person mentioning their leave in a request: no redirect, or a question, or the past
    assert away_reply("I am on vacation and will return on Monday, but the VPN token is blocked again.") is None
    assert away_reply("I am out of the office until Monday, for urgent matters call me. Can you reset my "
                      "password?") is None
    assert away_reply("I was on leave and will be back on Monday; thank you for your email about it.") is None


def test_a_dsn_field_names_an_address_only_when_nothing_else_stands_beside_it() -> None:
    from postdesk.parsers.dsn import _field_address
    assert _field_address("rfc822; a.b@x.example") == "a.b@x.example"
    assert _field_address("rfc822;<a.b@x.example> (Anna)") == "a.b@x.example"
    assert _field_address("utf-8; \\x{43E}\\x{43B}\\x{44C}\\x{433}\\x{430}@x.example") == "ольга@x.example"
    assert _field_address("rfc822;x+0D+0ABcc:+20victim@corp.example") == ""
    assert _field_address("rfc822; =?utf-8?q?x=0D=0ABcc=3A_v=40corp=2Eexample?=@x.example") == ""
    # an encoded word that decodes to letters is a broken client's literal address, kept (sisimai sendmail-25)
    assert _field_address("RFC822; =?utf-8?B?8J+QiPCfkIg=?=@example.org") == "=?utf-8?B?8J+QiPCfkIg=?=@example.org"


def test_a_warning_that_also_says_the_failure_is_for_good_is_a_failure() -> None:
    from postdesk.parsers.autophrases import _DELAY_TEXT_RE, _PERMANENT_TEXT_RE
    mdaemon = "The attached message had PERMANENT fatal delivery errors!\n\nYOU DO NOT NEED TO RESEND THIS MESSAGE!!"
    assert _DELAY_TEXT_RE.search(mdaemon) and _PERMANENT_TEXT_RE.search(mdaemon)
    for warning in ("Eventually the mail delivery software will give up, and when that happens ...",
                    "Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.",
                    "THIS IS A WARNING MESSAGE ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE."):
        assert not _PERMANENT_TEXT_RE.search(warning), warning


def test_only_a_mail_systems_own_mailbox_sends_system_notices() -> None:
    from postdesk.parsers.autonotice import system_notice
    assert system_notice("microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@corp.example") is not None
    assert system_notice("mailer-daemon@mx.corp.example") is not None
    assert system_notice("postmaster@corp.example") is None  # people read and write from it
    assert system_notice("exchange.admin@corp.example") is None


def _verdict(head: str, body: str) -> tuple[str | None, tuple[str, ...]]:
    raw = (head + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
           + body).replace("\n", "\r\n").encode()
    m = parse_mail(raw, ParseOptions(our_addresses=frozenset({"service@corp.example", "it@corp.example"})))
    return (m.auto.kind if m.auto else None), m.bounced_recipients


def test_exchange_55_names_the_recipient_with_its_address_type() -> None:
    head = "Return-Path: <>\nFrom: System Administrator <postmaster@ex55.example>\nSubject: Undeliverable: x\n"
    body = ("Your message\n\ndid not reach the following recipient(s):\n\nSMTP=y.belkina@ex55.example; on Thu, 19 Feb "
            "2026 12:00:00 +0300\n    The recipient name is not recognized\n    MSEXCH:IMS:EX55:SITE:SERVER 0\n")
    assert _verdict(head, body) == ("bounce", ("y.belkina@ex55.example",))


def test_a_person_on_leave_who_reports_a_problem_is_no_auto_reply() -> None:
    head = "From: Mark Lee <m.lee@corp.example>\nSubject: Laptop\n"
    body = ("Hi team,\n\nI am on leave and will be back on Monday. My laptop would not boot this morning.\n"
            "Thank you for your email yesterday about the update, I think that is the cause.\n\nMark\n")
    assert _verdict(head, body) == (None, ())


def test_a_web_forms_generated_mail_with_the_visitor_in_reply_to_is_a_request() -> None:
    head = "From: Site <noreply@corp-site.example>\nReply-To: s.kotov@client.example\nSubject: New request\n"
    body = ("Name: Sergey Kotov\nMessage: I cannot log in to my account.\n\n"
            "This message was generated automatically, do not reply to it.\n")
    assert _verdict(head, body) == (None, ())
    no_visitor = head.replace("Reply-To: s.kotov@client.example\n", "")
    assert _verdict(no_visitor, body)[0] == "bulk"


def test_a_colleagues_postmaster_team_mailbox_is_a_person() -> None:
    head = "From: Postmaster Team <postmaster-team@corp.example>\nSubject: Returned mail: please review\n"
    body = "Hello desk,\n\n12 messages were rejected by partner.example because of SPF.\nPlease open a ticket.\n"
    assert _verdict(head, body) == (None, ())
    assert _verdict(head.replace("@corp.example", "@partner.example"), body)[0] == "bounce"


def test_the_delay_words_pre_test_never_hides_a_phrase_the_delay_regex_finds() -> None:
    from postdesk.parsers.autophrases import _DELAY_TEXT_RE, _DELAY_WORDS, FOLDED_LETTERS, says_any
    assert not [w for w in _DELAY_WORDS if set(w) & set(FOLDED_LETTERS)]  # str.lower() would miss ı, ſ, ᲀ …
    for phrase in ("This is a warning", "this is only a WARNING", "warning message only", "only a temporary failure",
                   "temporary failure report", "STILL BEING RETRIED", "ſtill undelıvered", "will keep trying",
                   "will continue to try", "Will Retry", "has been delayed", "do not need to re-send",
                   "Delivery incomplete", "Временная ошибка", "временный сбой", "задержка доставки",
                   "доставка сообщения задерживается", "пока не удалось доставить", "пока не доставлено",
                   "продолжаем попытки", "попытки доставки будут продолжены", "ЗАДЕРЖКА ДОСТАВКИ"):
        assert _DELAY_TEXT_RE.search(phrase) and says_any(phrase, _DELAY_WORDS), phrase
