"""The rules issue 15's round-5 blind set (test_autoshape_blind_r5.py) led to, each in variants written after
reading the parser: other layouts and languages of the same shape, and the mail each rule must leave alone. A row:
the mail's header lines, its text, the kind (None: a person's request), the failed recipients. Non-ASCII header
text goes on the wire as RFC 2047, lines as CRLF.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from tests.parsers.test_autoshape_r4_rules import _field

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example", "it@corp.example"}))

_EXIM = "From: Mail Delivery System <Mailer-Daemon@mx.partner.example>\nSubject: Mail delivery failed\n"
_EXIM_TOP = ("This message was created automatically by mail delivery software.\n\n"
             "A message that you sent could not be delivered to one or more of its\n"
             "recipients. This is a permanent error. The following address(es) failed:\n\n")

ROWS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    # ------------------------------------------------------------------ the reason under a listed address
    # the next hop's name for the listed address (a redirect's target) in its indented reason is no other failure
    ("exim_reason_names_redirect_target", _EXIM,
     _EXIM_TOP + "  sales@partner.example\n    host relay.group.example [10.0.0.9]\n"
     "    SMTP error from remote mail server after RCPT TO:<old.sales@group.example>:\n"
     "    550 5.1.1 <old.sales@group.example>: User unknown\n", "bounce", ("sales@partner.example",)),
    ("exim_two_items_each_with_reason", _EXIM,
     _EXIM_TOP + "  a@partner.example\n    SMTP error from remote mail server after RCPT TO:<x1@next.example>:\n"
     "    550 no such user\n\n  b@partner.example\n    SMTP error from remote mail server after RCPT TO:"
     "<x2@next.example>:\n    552 mailbox full\n", "bounce", ("a@partner.example", "b@partner.example")),
    ("postfix_wrapped_reason_names_rewritten",
     "From: MAILER-DAEMON@mx.partner.example (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n",
     "This is the mail system at host mx.partner.example.\n\n<info@partner.example>: host mail.partner.example"
     "[10.1.1.1] said:\n    550 5.1.1 <info-archive@store.partner.example>: Recipient address rejected\n",
     "bounce", ("info@partner.example",)),
    # addresses listed at one indentation are each an item, not one's reason
    ("same_indent_two_items", _EXIM, _EXIM_TOP + "  a@partner.example\n  b@partner.example\n    retry timeout "
     "exceeded\n", "bounce", ("a@partner.example", "b@partner.example")),
    # a transcript at the line's start ends the item: its RCPT TO is read as before
    ("courier_unindented_transcript",
     "Return-Path: <>\nFrom: Courier mail server <@>\nSubject: NOTICE: mail delivery status.\n",
     "---- UNDELIVERABLE MAIL ----\n\n<k.l@partner.example>:\n    mx.partner.example [10.3.3.3]:\n"
     ">>> RCPT TO:<k.l@partner.example>\n<<< 550 5.1.1 unknown user\n", "bounce", ("k.l@partner.example",)),
    # ------------------------------------------------------------------ "Name (address)" alone on its line
    ("exchange_named_line_listed",
     "From: Microsoft Outlook <postmaster@partner.example>\nSubject: Undeliverable: [SD-600] Order\n",
     "Delivery has failed to these recipients or groups:\n\nAnna Petrova (a.petrova@partner.example)\n"
     "The email address couldn't be found.\n", "bounce", ("a.petrova@partner.example",)),
    ("sentence_with_parenthesised_desk_address",
     "From: Mail Server <MAILER-DAEMON@partner.example>\nSubject: Delivery failure notification\n",
     "Dear service@corp.example,\n\nThe message could not be delivered to the following recipients:\n\n"
     "   Recipient: h.g@partner.example\n   Reason: mailbox disabled\n\nReply to the helpdesk address that sent "
     "the original (service@corp.example) only if you are its administrator.\n", "bounce", ("h.g@partner.example",)),
    ("sentence_with_parenthesised_other_address",
     "From: Mail Server <MAILER-DAEMON@partner.example>\nSubject: Delivery failure notification\n",
     "Your message could not be delivered.\n\n   Recipient: h.g@partner.example\n\nThe list owner of the "
     "group (owner@partner.example) was told of it as well.\n", "bounce", ("h.g@partner.example",)),
    # ------------------------------------------------------------------ X-Auto-Response-Suppress: All
    ("colleague_suppress_all_question_is_a_request",
     "From: Elena <e.r@corp.example>\nSubject: FW: bounce report\nX-Auto-Response-Suppress: All\n",
     "Colleagues,\n\ncould the desk check these customers' addresses?\n\nElena\n", None, ()),
    ("colleague_suppress_all_and_precedence_bulk",
     "From: Elena <e.r@corp.example>\nSubject: Weekly digest\nX-Auto-Response-Suppress: All\n"
     "Precedence: bulk\nList-Unsubscribe: <https://corp.example/unsub>\n",
     "This week's changes.\n", "bulk", ()),
    ("outsider_suppress_all_stays_bulk",
     "From: Portal <portal@vendor.example>\nSubject: Your weekly report\nX-Auto-Response-Suppress: All\n",
     "Your report is ready.\n", "bulk", ()),
    # ------------------------------------------------------------------ an out-of-office opening in it, nl, pl, pt
    ("oof_it_greeting_and_thanks",
     "From: Marco <m.b@partner.it>\nSubject: Re: [SD-600] Ordine\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Buongiorno,\n\ngrazie per il suo messaggio. Sono fuori ufficio fino al 16/03/2026.\n"
     "Per urgenze contattare ufficio@partner.it.\n", "auto-reply", ()),
    ("oof_nl_greeting_and_thanks",
     "From: Jan <j.v@partner.nl>\nSubject: Re: [SD-600] Bestelling\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Beste,\n\nbedankt voor uw bericht. Ik ben afwezig tot 16 maart.\nVoor dringende zaken: info@partner.nl.\n",
     "auto-reply", ()),
    ("oof_pt_greeting_and_thanks",
     "From: Ana <a.s@partner.pt>\nSubject: Re: [SD-600] Encomenda\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Bom dia,\n\nobrigada pela sua mensagem. Estou fora do escritório até 16/03.\n"
     "Para assuntos urgentes contacte geral@partner.pt.\n", "auto-reply", ()),
    ("person_pl_same_opening_asks",
     "From: Anna <a.k@partner.pl>\nSubject: Re: [SD-600] Dostęp\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Dzień dobry,\n\ndziękuję za wiadomość. Jestem poza biurem do 16.03, czy mogą Państwo przesunąć termin?\n"
     "W pilnych sprawach proszę dzwonić.\n", None, ()),
    # tr: the date the absence lasts to before the verb ("… tarihine kadar ofis dışındayım")
    ("oof_tr_date_before_verb",
     "From: Ayşe <a.y@ortak.com.tr>\nSubject: Re: [SD-600] Sipariş\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Merhaba,\n\n16 Mart tarihine kadar ofis dışındayım. Acil durumlar için lütfen destek@ortak.com.tr adresine "
     "yazınız.\n\nAyşe Yılmaz\n", "auto-reply", ()),
    ("oof_tr_numeric_date_izindeyim",
     "From: Mehmet <m.k@ortak.com.tr>\nSubject: Re: [SD-600] Sipariş\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Merhaba,\n\n20.03.2026 tarihine kadar izindeyim ve e-postalarıma erişimim kısıtlı olacak. Acil konular için "
     "asistan@ortak.com.tr ile iletişime geçebilirsiniz.\n", "auto-reply", ()),
    ("person_tr_on_leave_asks",
     "From: Ayşe <a.y@ortak.com.tr>\nSubject: Re: [SD-600] Sipariş\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Merhaba,\n\n16 Mart tarihine kadar izindeyim. Siparişi 17 Mart'ta gönderebilir misiniz? Acil durumlar için "
     "beni arayın.\n", None, ()),
    ("person_tr_thanks_first_then_leave",
     "From: Ayşe <a.y@ortak.com.tr>\nSubject: Re: [SD-600] Sipariş\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Bilgi için teşekkürler, fatura ulaştı. 16 Mart tarihine kadar izindeyim; acil durumlar için Mehmet Bey'e "
     "yazabilirsiniz.\n", None, ()),
    # a two-sentence responder (Gmail's): away until a date, then the promise to answer on return
    ("oof_es_gmail_two_sentences_no_headers",
     "From: Lucía <lucia@socio.es>\nSubject: Re: [SD-600] Pedido\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Hola, estoy de vacaciones hasta el 9 de marzo sin acceso al correo.\nResponderé a tu mensaje a mi regreso. "
     "Gracias.\n", "auto-reply", ()),
    ("oof_en_two_sentences_no_headers",
     "From: Tom <tom@partner.example>\nSubject: Re: [SD-600] Order\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "I am on vacation until 9 March. I will reply to your message when I return.\n", "auto-reply", ()),
    ("oof_ru_two_sentences_no_headers",
     "From: Ольга <olga@partner.example>\nSubject: Re: [SD-600] Заказ\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Я в отпуске до 9 марта. Отвечу на ваше письмо после возвращения.\n", "auto-reply", ()),
    ("person_two_sentences_asks",
     "From: Lucía <lucia@socio.es>\nSubject: Re: [SD-600] Pedido\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Estoy de vacaciones hasta el 9 de marzo. Responderé a mi regreso, ¿pueden enviar la factura hoy?\n", None, ()),
    ("person_thanks_first_then_away_and_later",
     "From: Tom <tom@partner.example>\nSubject: Re: [SD-600] Order\nIn-Reply-To: <postdesk.600.1.aa@corp.example>\n",
     "Thanks, the invoice arrived. I am on vacation until 9 March; I will reply about the rest when I return.\n",
     None, ()),
    # ------------------------------------------------------------------ a challenge without headers
    ("challenge_make_sure_you_are_human",
     "From: \"Viktor (via MailGuard)\" <verify@mailguard.example>\nSubject: Please confirm your message to Viktor\n",
     "Hello,\n\nYou sent a message to v.s@consult.example. To make sure you are a human and not a spam robot, "
     "please confirm your message by clicking the link below:\n\n  https://mailguard.example/confirm/c0533f27\n",
     "auto-reply", ()),
    ("challenge_prove_not_a_bot",
     "From: Filter <filter@partner.example>\nSubject: Your message is waiting\n",
     "Your message to k.p@partner.example is waiting. Prove you are not a bot: https://filter.partner.example/r/1\n",
     "auto-reply", ()),
    ("person_asks_about_a_captcha",
     "From: Anna <anna@partner.example>\nSubject: portal\n",
     "The portal https://portal.corp.example asks me to verify you are human and then fails. What do I do?\n",
     None, ()),
    # ------------------------------------------------------------------ a quarantine's mailbox
    ("quarantine_digest_mailbox",
     "From: Security <quarantine@gateway.vendor.example>\nSubject: You have messages in quarantine\n",
     "2 messages are held for you to review.\n", "bulk", ()),
    ("person_writes_about_quarantine",
     "From: Anna <anna@partner.example>\nSubject: quarantine\n",
     "Hello, our invoice is stuck in your quarantine, could you release it?\n", None, ()),
    # ------------------------------------------------------------------ a DMARC subject alone is no report
    ("dmarc_subject_without_report_file",
     "From: Anna <anna@partner.example>\nSubject: Report domain: corp.example Submitter: partner.example\n",
     "Hello, what does this report we got mean? Could you check your SPF?\n", None, ()),
)


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed"), ROWS, ids=[r[0] for r in ROWS])
def test_rule(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...]) -> None:
    lines = [_field(line) for line in head.splitlines()]
    lines += ["To: service@corp.example", f"Message-ID: <{name}@r5.example>", "MIME-Version: 1.0",
              "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto
    assert sorted(m.bounced_recipients) == sorted(failed)


_DSN = """From: MAILER-DAEMON@mail.lab.example (Mail Delivery Subsystem)
To: service@corp.example
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d"

--d
Content-Type: text/plain

550 5.1.1 {local}... User unknown

--d
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.lab.example

Final-Recipient: RFC822; {final}
Action: failed
Status: 5.1.1

--d
Content-Type: text/rfc822-headers

From: Service Desk <service@corp.example>
To: {to}
Subject: [SD-600] Order
Message-ID: <postdesk.600.1.aa@corp.example>

--d--
"""


@pytest.mark.parametrize(("final", "to", "expected"), [
    # Sendmail qualified the local user with its host: the report names what we wrote to
    ("lab7@mail.lab.example", "lab7@lab.example", "lab7@lab.example"),
    ("lab7@mx.dept.lab.example", "Lab <lab7@dept.lab.example>", "lab7@dept.lab.example"),
    # we wrote to the host-qualified address itself, or to another local part: the field stands
    ("lab7@mail.lab.example", "lab7@mail.lab.example", "lab7@mail.lab.example"),
    ("lab7@mail.lab.example", "lab8@lab.example", "lab7@mail.lab.example"),
    # two recipients fit (lab7@lab.example and lab7@dept.lab.example for lab7@mx.dept.lab.example): no guess
    ("lab7@mx.dept.lab.example", "lab7@lab.example, lab7@dept.lab.example", "lab7@mx.dept.lab.example"),
])
def test_host_qualified_final_recipient(final: str, to: str, expected: str) -> None:
    raw = _DSN.format(local=final.split("@")[0], final=final, to=to).replace("\n", "\r\n").encode()
    m = parse_mail(raw, OPTIONS)
    assert m.auto is not None and m.auto.kind == "bounce"
    assert list(m.bounced_recipients) == [expected]


_DMARC = """From: noreply-dmarc-support@google.example
To: service@corp.example
Subject: {subject}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="z"

--z
Content-Type: text/plain

{text}
--z
Content-Type: application/zip; name="google.example!corp.example!1772409600!1772495999.zip"
Content-Disposition: attachment; filename="google.example!corp.example!1772409600!1772495999.zip"
Content-Transfer-Encoding: base64

UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==
--z--
"""


@pytest.mark.parametrize(("subject", "text", "kind"), [
    ("Report domain: corp.example Submitter: google.example Report-ID: 177249", "", "bulk"),
    ("Report Domain: corp.example Submitter: mail.ru Report-ID: <abc@mail.ru>", "Aggregate report.", "bulk"),
    # a person passing the report on with a question is a request
    ("Fwd: Report domain: corp.example Submitter: google.example", "What is this? Is our SPF broken?", None),
])
def test_dmarc_aggregate_report(subject: str, text: str, kind: str | None) -> None:
    raw = _DMARC.format(subject=subject, text=text).replace("\n", "\r\n").encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto


# ------------------------------------------------------------------ a gateway's notice naming us as the sender
GATEWAY_ROWS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    ("eset_en_sender_field", "From: ESET Mail Security <eset@mail.partner.example>\nSubject: Message blocked\n",
     "ESET Mail Security has blocked the message.\n\nSender: service@corp.example\nRecipients: k.p@partner.example\n"
     "Subject: [SD-700] Order\nReason: infected attachment\n\nThe message was deleted.\n", "bounce",
     ("k.p@partner.example",)),
    ("kaspersky_ru_sender_field", "From: KSMG <ksmg@gw.partner.example>\nSubject: Уведомление\n",
     "Сообщение заблокировано.\n\nОтправитель: <service@corp.example>\nПолучатели: k.p@partner.example\n"
     "Причина: запрещённый тип вложения.\n", "bounce", ("k.p@partner.example",)),
    ("de_gateway_absender_field", "From: Mail-Filter <filter@werk.example>\nSubject: Hinweis\n",
     "Die Nachricht wurde blockiert.\n\nAbsender: service@corp.example\nEmpfänger: h.vogel@werk.example\n",
     "bounce", ("h.vogel@werk.example",)),
    # a no-reply or postmaster mailbox stating the failure in its opening sentence, no null Return-Path
    ("proofpoint_noreply_opening_sentence",
     "From: Proofpoint Essentials <noreply@proofpointessentials.example>\nSubject: Message rejected\n",
     "Your message to k.p@partner.example was rejected by Proofpoint Essentials because it was identified as "
     "spam.\n\nMessage subject: [SD-700] Order\n", "bounce", ("k.p@partner.example",)),
    ("postmaster_person_states_failure_signed",
     "From: Sergey Vlasov <postmaster@partner.example>\nSubject: your mail\n",
     "Your message to k.p@partner.example was rejected by our new filter, I have fixed the rule now.\n\n"
     "Best regards,\nSergey Vlasov\n", None, ()),
    # people: a question, a request, a reply, a field without words of a stopped mail
    ("person_pastes_fields_asks", "From: Ivan <ivan@partner.example>\nSubject: Message blocked\n",
     "Sender: service@corp.example\nRecipients: k.p@partner.example\nThe message was deleted by our filter. "
     "Is this mail genuine?\n", None, ()),
    # "please resend without the archive" a gateway writes too: the person's signed name tells them apart
    ("person_pastes_fields_signed", "From: Ivan Petrov <ivan@partner.example>\nSubject: Blocked mail\n",
     "Sender: service@corp.example\nRecipients: k.p@partner.example\nThe message was blocked. "
     "Please resend the invoice without the archive.\n\nBest regards,\nIvan Petrov\n", None, ()),
    ("reply_with_sender_field", "From: Ivan <ivan@partner.example>\nSubject: Re: [SD-700] Order\n",
     "Blocked again.\n\nSender: service@corp.example\nRecipients: k.p@partner.example\n", None, ()),
    ("person_sender_field_no_stop_words", "From: Ivan <ivan@partner.example>\nSubject: Contacts\n",
     "Our new contacts for your records.\n\nSupport: service@corp.example\nSales: k.p@partner.example\n", None, ()),
)


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed"), GATEWAY_ROWS, ids=[r[0] for r in GATEWAY_ROWS])
def test_gateway_notice_names_us(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...]) -> None:
    test_rule(name, head, body, kind, failed)
