"""The rules issue 15's round-8 blind set (test_autoshape_blind_r8.py) led to, each in variants written after
reading the parser, and for every rule that makes mail automatic or adds a failed recipient, people's mails in a
similar shape that must stay requests. A row: the mail's header lines (a Content-Type among them replaces
text/plain), its text, the kind (None: a person's request), the failed recipients.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from postdesk.parsers.autophrases import _DELAY_TEXT_RE, _DELAY_WORDS, says_any
from tests.parsers.test_autoshape_r4_rules import _field

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example", "it@corp.example"}))

_DAEMON = "Return-Path: <>\nFrom: Mail Delivery System <mailer-daemon@mx.partner.example>\n"
_POSTMASTER = "Return-Path: <>\nFrom: Gateway Postmaster <postmaster@gw.partner.example>\n"
_PERSON = "From: Olga Smirnova <o.smirnova@corp.example>\n"
_PARTNER = "Return-Path: <i.petrov@partner.example>\nFrom: Ivan Petrov <i.petrov@partner.example>\n"

_LONG = "anastasiya.konstantinova-rozhdestvenskaya"

ROWS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    # ------------------------------------------------------------------ an address hard-wrapped over two lines
    ("wrapped_after_hyphen_in_domain", _DAEMON + "Subject: Undeliverable: order\n",
     f"The message was undeliverable to the following recipients:\n    {_LONG}@regional-office.north-\n"
     "    partner.example\n          (User not found)\n", "bounce",
     (f"{_LONG}@regional-office.north-partner.example",)),
    ("wrapped_right_after_the_at", _DAEMON + "Subject: Undeliverable: order\n",
     f"Your message to {_LONG}@\nregional-office.partner.example couldn't be delivered.\n"
     "The mailbox does not exist.\n", "bounce", (f"{_LONG}@regional-office.partner.example",)),
    ("wrapped_after_at_then_a_word_line_is_no_domain", _DAEMON + "Subject: Undeliverable: order\n",
     "Delivery to the following recipient failed permanently:\n\n    k.orlov@partner.example\n\n"
     "Please write to helpdesk@\nsupport if in doubt.\n", "bounce", ("k.orlov@partner.example",)),
    ("sentence_ending_in_an_address_and_a_period_stays", _DAEMON + "Subject: Undeliverable: order\n",
     "Your message to k.orlov@partner.example could not be delivered to k.orlov@partner.example.\n"
     "www.partner.example has more.\n", "bounce", ("k.orlov@partner.example",)),
    # people: a wrapped address in a person's mail changes nothing
    ("person_pastes_wrapped_notice_asks", _PERSON + "Subject: What does this mean?\n",
     f"Hi, I got this back:\n\nYour message to {_LONG}@\nregional-office.partner.example couldn't be delivered.\n\n"
     "What should I do? Olga\n", None, ()),
    ("person_signature_address_wrapped_after_hyphen", _PARTNER + "Subject: Access to the portal\n",
     "Good afternoon, please give me access to the supplier portal.\n\nIvan Petrov\n"
     f"E-mail: {_LONG}@regional-office.north-\npartner.example\n", None, ()),
    ("person_lists_wrapped_addresses_for_a_group", _PERSON + "Subject: Add to the sales group\n",
     f"Please add these two to the sales group:\n{_LONG}@corp-\nbranch.example\nk.orlov@corp.example\n\nThanks, Olga\n",
     None, ()),
    # ------------------------------------------------------------------ "Recipient Address:" of the original's details
    ("m365_details_recipient_address", _DAEMON + "Subject: Undeliverable: order\n",
     "Delivery has failed to these recipients or groups:\n\nsecurity desk\nThe recipient's mailbox is disabled.\n\n"
     "Original message details\nCreated Date:\t3/17/2026 8:00:00 AM\nSender Address:\tservice@corp.example\n"
     "Recipient Address:\tsecurity.desk@partner.example\nSubject:\torder\n", "bounce",
     ("security.desk@partner.example",)),
    ("person_pastes_m365_details_asks", _PERSON + "Subject: Undeliverable to security desk?\n",
     "Hi, Outlook showed me this:\n\nOriginal message details\nSender Address: o.smirnova@corp.example\n"
     "Recipient Address: security.desk@partner.example\n\nIs their mailbox blocked? Olga\n", None, ()),
    ("person_courier_form_recipient_address", _PARTNER + "Subject: Courier order\n",
     "Hello, please send the documents by courier.\n\nOriginal message of the order below.\n"
     "Recipient Address: 12 Lenina st., Moscow\nRecipient: k.orlov@partner.example\n\nIvan Petrov\n", None, ()),
    ("person_forwards_undeliverable_details_asks", _PERSON + "Subject: FW: Undeliverable: contract\n",
     "Who should I send the contract to now?\n\n-----Original Message-----\nFrom: Microsoft Outlook\n"
     "Original message details\nRecipient Address: legal@partner.example\n", None, ()),
    # ------------------------------------------------------------------ "not delivered yet": a hold or delay notice
    ("postmaster_hold_notice_nobody_failed", _POSTMASTER + "Subject: [Postmaster] Message on Hold\n",
     "Your message has been held for review and has not been delivered yet.\n\n"
     "Recipient(s):   hr@partner.example\nReason:         attachment policy\n", "bounce", ()),
    ("postmaster_not_yet_delivered_will_retry", _POSTMASTER + "Subject: [Postmaster] Email Delivery Notice\n",
     "Your message has not yet been delivered.\n\nRecipient(s):   hr@partner.example\nReason: 421 4.4.2 timeout\n",
     "bounce", ()),
    ("postmaster_failure_still_a_failure", _POSTMASTER + "Subject: [Postmaster] Email Delivery Failure\n",
     "Your message could not be delivered.\n\nRecipient(s):   hr@partner.example\nReason: 550 5.1.1 unknown\n",
     "bounce", ("hr@partner.example",)),
    # people: a person's own mail not delivered yet is their question
    ("person_from_partner_postmaster_asks", "From: Ivan Petrov <postmaster@partner.example>\n"
     "Return-Path: <postmaster@partner.example>\nSubject: Our mail to you\n",
     "Hello, my message to your sales team has not been delivered yet, it says queued. Could you check?\n\n"
     "Regards,\nIvan Petrov\n", None, ()),
    ("colleague_mail_stuck_in_outbox", _PERSON + "Subject: Mail stuck\n",
     "Hi, my email to the bank has not been delivered yet, it is stuck in the Outbox. Can you help?\n\nOlga\n",
     None, ()),
    ("colleague_pastes_hold_notice_asks", _PERSON + "Subject: Message on Hold?\n",
     "Hi, I got this, what do I do?\n\n> Your message has been held for review and has not been delivered yet.\n"
     "> Recipient(s): hr@partner.example\n\nOlga\n", None, ()),
    ("postmaster_held_pending_release", _POSTMASTER + "Subject: [Postmaster] Email Held\n",
     "Your email to the recipient below is being held pending release by an administrator.\n\n"
     "Recipient(s):   kontrakt@partner.example\n", "bounce", ()),
    ("colleague_mail_held_by_spam_filter_asks", _PERSON + "Subject: Held mail\n",
     "Hi, my email to the auditors has been held by the spam filter. Can you release it?\n\nOlga\n", None, ()),
    ("partner_postmaster_person_mail_held_in_quarantine", "From: Ivan Petrov <postmaster@partner.example>\n"
     "Return-Path: <postmaster@partner.example>\nSubject: Your mail to us\n",
     "Hello, your message is being held in our quarantine because of the macro in the file. Could you send it "
     "as PDF?\n\nRegards,\nIvan Petrov\n", None, ()),
    ("colleague_pastes_held_notice_asks", _PERSON + "Subject: Email Held?\n",
     "Hi, what does this mean?\n\n> Your email to the recipient below is being held pending release.\n"
     "> Recipient(s): kontrakt@partner.example\n\nOlga\n", None, ()),
    ("fr_pas_encore_distribue_delay", _DAEMON + "Subject: Avertissement\n",
     "Votre message n'a pas encore pu être distribué au destinataire suivant :\n\n    m.lefevre@partner.example\n\n"
     "Nous réessaierons pendant 5 jours.\n", "bounce", ()),
    # ------------------------------------------------------------------ German delay warnings: nobody failed
    ("de_bisher_nicht_zugestellt_heading", _DAEMON + "Subject: Warnung: Nachricht noch nicht zugestellt\n",
     "Ihre Nachricht konnte bisher nicht an folgende Empfänger zugestellt werden:\n\n    f.schmidt@partner.example\n\n"
     "Grund: 421 4.7.0 Try again later\n", "bounce", ()),
    ("de_versuchen_es_weiterhin", _DAEMON + "Subject: Zustellungsbenachrichtigung\n",
     "Ihre E-Mail an f.schmidt@partner.example liegt noch in der Warteschlange.\nWir versuchen es weiterhin "
     "bis zum 18.03.2026.\n", "bounce", ()),
    ("failed_list_then_delayed_heading_with_warning", _DAEMON + "Subject: Delivery Status Notification\n",
     "THIS IS A WARNING MESSAGE ONLY.\n\nDelivery to the following recipients failed permanently:\n\n"
     "    a.popov@partner.example\n\nDelivery to the following recipients has not yet been delivered:\n\n"
     "    b.orlova@partner.example\n", "bounce", ("a.popov@partner.example",)),
    ("de_failure_stays_a_failure", _DAEMON + "Subject: Unzustellbar: Angebot\n",
     "Ihre Nachricht konnte nicht an folgende Empfänger zugestellt werden:\n\n    f.schmidt@partner.example\n\n"
     "Grund: 550 5.1.1 Benutzer unbekannt\n", "bounce", ("f.schmidt@partner.example",)),
)


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed"), ROWS, ids=[r[0] for r in ROWS])
def test_rule(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...]) -> None:
    lines = [_field(line) for line in head.splitlines()]
    if not any(line.lower().startswith("content-type:") for line in lines):
        lines.append("Content-Type: text/plain; charset=utf-8")
    lines += ["To: service@corp.example", f"Message-ID: <{name}@r8.example>", "MIME-Version: 1.0",
              "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto
    assert sorted(m.bounced_recipients) == sorted(failed)


def test_the_new_delay_phrases_pass_the_pre_test() -> None:
    for phrase in ("has not yet been delivered", "not delivered yet", "konnte bisher nicht an x zugestellt werden",
                   "noch nicht zugestellt", "wird weiterhin versucht", "Wir versuchen es weiterhin",
                   "Sie müssen die Nachricht nicht erneut senden", "is being held pending release",
                   "n'a pas encore pu être distribué"):
        assert _DELAY_TEXT_RE.search(phrase) and says_any(phrase, _DELAY_WORDS), phrase


# ---------------------------------------------------------------------- the returned mail's Message-ID in the text
def _notice(lines: str) -> bytes:
    head = (_DAEMON + "To: service@corp.example\nSubject: Delivery failure notice\n"
            "Message-ID: <ndr.8@mx.partner.example>\nContent-Type: text/plain\n")
    return (head + "\nDelivery to k.orlov@partner.example failed: mailbox unavailable.\n\n" + lines).replace(
        "\n", "\r\n").encode()


@pytest.mark.parametrize(("lines", "ids"), (
    ("Original message ID: <postdesk.950.1.abc@corp.example>\n", ("postdesk.950.1.abc@corp.example",)),
    ("Message-Id: postdesk.951.1.abc@corp.example\n", ("postdesk.951.1.abc@corp.example",)),
    ("Original message ID: postdesk.952.1.abc@corp.example\n", ("postdesk.952.1.abc@corp.example",)),
    ("Nachrichten-ID: <postdesk.953.1.abc@corp.example>\n", ("postdesk.953.1.abc@corp.example",)),
    # a bare value with words after it, or a bracket never closed (a raw quoted-printable line), is read as nothing
    ("Message ID: postdesk.954.1.abc@corp.example was rejected\n", ()),
    ("Message-ID: <postdesk.955.1.abc@corp.exam=\n", ()),
    ("Message-ID: &lt;postdesk.956.1.abc@corp.exam=\n", ()),
    # an ID in angle brackets right after the word for the mail, in a sentence, names it; "to <x@y>" is a mailbox
    ("Our relay accepted the message\n<postdesk.957.1.abc@corp.example> from service@corp.example.\n",
     ("postdesk.957.1.abc@corp.example",)),
    ("The message to <k.orlov@partner.example> came back.\n", ()),
))
def test_the_returned_message_id_in_a_notices_text(lines: str, ids: tuple[str, ...]) -> None:
    m = parse_mail(_notice(lines), OPTIONS)
    assert m.original_message_ids == ids
    assert m.bounced_recipients == ("k.orlov@partner.example",)
