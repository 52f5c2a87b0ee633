"""The rules issue 15's round-4 blind set (test_autoshape_blind_r4.py) led to, each in variants written after
reading the parser: other wordings, languages and layouts of the same shape, and the people each rule must
leave alone. A row: the mail's header lines, its text, the kind (None: a person's request), the failed
recipients, the returned Message-ID (or None). Non-ASCII header text goes on the wire as RFC 2047, lines as CRLF.
"""

from __future__ import annotations

from email.header import Header

import pytest

from postdesk.parsers import ParseOptions, parse_mail

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example", "it@corp.example"}))

ORIGINAL = ("From: Service Desk <service@corp.example>\n"
            "To: {to}\n"
            "Subject: [SD-600] Order status\n"
            "Message-ID: <postdesk.600.1.{hx}@corp.example>\n"
            "Date: Mon, 02 Mar 2026 10:00:00 +0300\n")

ROWS: tuple[tuple[str, str, str, str | None, tuple[str, ...], str | None], ...] = (
    # ------------------------------------------------------------------ a failure label with the address as value
    ("label_value_domino_en_tab",
     "Return-Path: <>\nFrom: Mail Router <postmaster@notes.partner.example>\nSubject: Report on your message\n",
     "Your document:\t[SD-600] Order status\nwas not delivered to:\ta.lind@partner.example\n"
     "because:\tUser a.lind@partner.example is not listed in the directory\n",
     "bounce", ("a.lind@partner.example",), None),
    ("label_value_de_gateway_ordinary_sender",
     "From: Mail-Gateway <gateway@werk.example>\nSubject: Hinweis zu Ihrer Nachricht\n",
     "Ihre Nachricht wurde nicht zugestellt an:\th.vogel@werk.example\n\nGrund: Postfach gesperrt\n",
     "bounce", ("h.vogel@werk.example",), None),
    # Exchange's "Display Name (address)" under the heading, passed on by an ordinary mailbox; two of them
    ("display_name_line_it",
     "From: IT <it-desk@partner.it>\nSubject: Notice\n",
     "Recapito non riuscito per questi destinatari o gruppi:\n\nMario Rossi (m.rossi@partner.it)\n"
     "Luca Bianchi (l.bianchi@partner.it)\n\nL'indirizzo di posta elettronica non è stato trovato.\n",
     "bounce", ("m.rossi@partner.it", "l.bianchi@partner.it"), None),
    ("display_name_line_person_asks",
     "From: Olga <olga@client.example>\nSubject: mail\n",
     "Delivery failed for:\n\nMario Rossi (m.rossi@partner.it)\n\nWhat does it mean?\n", None, (), None),
    # a person's own sentence "не доставлено: x@y" (a space, not a layout's tab), signed: a request
    ("label_value_person_ru_space_signed",
     "Return-Path: <o.petrova@client.example>\nFrom: Ольга Петрова <o.petrova@client.example>\nSubject: Почта\n",
     "Добрый день.\n\nПисьмо не доставлено:  director@partner.example\nПроверьте, пожалуйста, что с ящиком.\n\n"
     "Ольга Петрова\n", None, (), None),
    ("label_value_person_asks", "From: Olga <olga@client.example>\nSubject: Help with mail\n",
     "Hello! My letter was not delivered to: boss@partner.example\nWhat should I do?\n", None, (), None),
    ("label_value_person_ru_no_first_person_but_asks", "From: Ольга <olga@client.example>\nSubject: Почта\n",
     "Письмо не доставлено:  boss@partner.example\nПочему так?\n", None, (), None),
    # a listing its sender signs with their own first and last name is their letter; a product's name is not one
    ("listing_signed_with_senders_name_ru",
     "Return-Path: <o.petrova@client.example>\nFrom: Ольга Петрова <o.petrova@client.example>\nSubject: Почта\n",
     "Добрый день.\n\nПисьмо не доставлено:\ndirector@partner.example\n\nПроверьте, пожалуйста, что с ящиком.\n\n"
     "Ольга Петрова\n", None, (), None),
    ("listing_signed_with_senders_name_en",
     "Return-Path: <j.smith@client.example>\nFrom: John Smith <j.smith@client.example>\nSubject: mail problem\n",
     "Hello,\n\nDelivery failed for:\nboss@partner.example\n\nPlease check the mailbox.\n\nJohn Smith\n",
     None, (), None),
    ("listing_signed_by_a_product",
     "Return-Path: <gw@client.example>\nFrom: Secure Gateway <gw@client.example>\nSubject: Notice\n",
     "Delivery failed for:\nboss@partner.example\n\nPlease check the address and try again.\n\nSecure Gateway\n",
     "bounce", ("boss@partner.example",), None),
    # ------------------------------------------------------------------ a null Return-Path and stated failure words
    ("null_rp_fr_guillemets",
     "Return-Path: <>\nFrom: Passerelle <passerelle@vins.example>\nSubject: Information\n",
     "Votre message pour « c.roux@vins.example » n'a pas pu être remis. Motif : boîte désactivée.\n",
     "bounce", ("c.roux@vins.example",), None),
    ("null_rp_es_prose",
     "Return-Path: <>\nFrom: Seguridad <filtro@bodega.example>\nSubject: Aviso\n",
     "El mensaje para m.ruiz@bodega.example no se pudo entregar porque el buzón no existe.\n",
     "bounce", ("m.ruiz@bodega.example",), None),
    ("null_rp_words_only_quoted",
     "Return-Path: <>\nFrom: Ivan <ivan@client.example>\nSubject: Question\n",
     'A colleague keeps getting "the message was not delivered to boss@partner.example" from us.\n',
     None, (), None),
    ("null_rp_failure_far_below",
     "Return-Path: <>\nFrom: Newsletter <news@shop.example>\nSubject: Spring offers\n",
     "Spring offers for you.\n" + "Our catalogue has new items every week. " * 20
     + "\n\nIf a message was not delivered to anna@shop.example, write again.\n", None, (), None),
    # ------------------------------------------------------------------ what an alias was expanded from
    ("exim_ultimately_generated_from",
     "Return-Path: <>\nFrom: Mail Delivery System <Mailer-Daemon@mx.club.example>\n"
     "Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: k.smirnov@club.example\n",
     "This message was created automatically by mail delivery software.\n\n"
     "A message that you sent could not be delivered to one or more of its\n"
     "recipients. This is a permanent error. The following address(es) failed:\n\n"
     "  k.smirnov@club.example\n    (ultimately generated from board@club.example)\n"
     "    all hosts have been failing for a long time\n\n"
     "------ This is a copy of the message, including all the headers. ------\n\n"
     + ORIGINAL.format(to="board@club.example", hx="6000a1") + "\nHello.\n",
     "bounce", ("board@club.example",), "postdesk.600.1.6000a1@corp.example"),
    ("sendmail_expanded_from_below_reason",
     "Return-Path: <>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mail.zavod.example>\n"
     "Subject: Returned mail: see transcript for details\n",
     "   ----- The following addresses had permanent fatal errors -----\n<p.orlov@zavod.example>\n"
     "    (reason: 550 5.1.1 User unknown)\n    (expanded from: <snab@zavod.example>)\n\n"
     "   ----- Original message follows -----\n\n" + ORIGINAL.format(to="snab@zavod.example", hx="6000a2"),
     "bounce", ("snab@zavod.example",), "postdesk.600.1.6000a2@corp.example"),
    ("alias_note_but_we_wrote_to_the_target",
     "Return-Path: <>\nFrom: Mail Delivery System <Mailer-Daemon@mx.club.example>\n"
     "Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: k.smirnov@club.example\n",
     "The following address(es) failed:\n\n  k.smirnov@club.example\n    (generated from old-board@club.example)\n"
     "    Unrouteable address\n\n------ This is a copy of the message, including all the headers. ------\n\n"
     + ORIGINAL.format(to="k.smirnov@club.example", hx="6000a3"),
     "bounce", ("k.smirnov@club.example",), "postdesk.600.1.6000a3@corp.example"),
    # ------------------------------------------------------------------ postmaster@ of a small company is a person
    ("postmaster_person_asks_with_envelope",
     "Return-Path: <postmaster@bakery.example>\nFrom: postmaster@bakery.example\nSubject: Our mail to you\n",
     "Hi, I run the mail here. My mails to zakaz@corp.example come back with 550 user unknown since Monday.\n"
     "Has the address changed?\n", None, (), None),
    ("postmaster_person_signs_with_envelope",
     "Return-Path: <postmaster@bakery.example>\nFrom: Postmaster <postmaster@bakery.example>\nSubject: Rejected\n",
     "Hello,\n\nI am the admin of the bakery. Your server answers 550 5.7.1 to our mail, please allow our IP.\n\n"
     "Best regards,\nPavel Sokolov\n", None, (), None),
    ("postmaster_person_no_return_path_header",  # a store that keeps no Return-Path: no envelope to go by
     "From: postmaster@farm.example\nSubject: Rejected\n",
     "Hello, I'm the admin. Every message to zakupki@corp.example is returned with 550 5.7.1.\n"
     "Can you allow-list us?\n\nThanks,\nPavel Sokolov\n", None, (), None),
    ("noreply_mailbox_person_asks_the_reader",  # a shop's only mailbox is noreply@; no "I", a question to us
     "Return-Path: <noreply@smallshop.example>\nFrom: noreply@smallshop.example\nSubject: Invoices\n",
     "Hi, this is Anna from Small Shop. Our invoices to buh@corp.example bounce with 'user unknown'.\n"
     "Could you check the address?\n\nAnna\n", None, (), None),
    ("noreply_notice_instructs_stays",
     "Return-Path: <noreply@gw.shop.example>\nFrom: noreply@gw.shop.example\nSubject: Notice\n",
     "Your message to sklad@shop.example could not be delivered: user unknown.\n"
     "Please check the address and try again.\n", "bounce", ("sklad@shop.example",), None),
    ("postmaster_notice_null_rp_stays",
     "Return-Path: <>\nFrom: postmaster@bakery.example\nSubject: Notice\n",
     "Your message could not be delivered to the recipient.\n\nRecipient: zakaz@bakery.example\n"
     "Reason: 550 5.1.1 user unknown\n", "bounce", ("zakaz@bakery.example",), None),
    ("postmaster_notice_with_envelope_no_person",
     "Return-Path: <postmaster@bakery.example>\nFrom: postmaster@bakery.example\nSubject: Notice\n",
     "Delivery to the following recipient failed permanently:\n\n    zakaz@bakery.example\n\n"
     "Reason: 550 5.1.1 user unknown\n", "bounce", ("zakaz@bakery.example",), None),
    # ------------------------------------------------------------------ "machine-generated" gives way to the content
    ("auto_generated_read_receipt",
     "From: Anna <anna@partner.example>\nSubject: Read: [SD-600] Order status\nAuto-Submitted: auto-generated\n",
     "Your message\n\n  To: anna@partner.example\n  Subject: [SD-600] Order status\n\n"
     "was read on Monday, 2 March 2026 11:00.\n", "receipt", (), None),
    ("auto_generated_challenge",
     "From: Filter <verify@guard.example>\nSubject: Please verify your message\nAuto-Submitted: auto-generated\n",
     "Your message is held until you confirm it. Please confirm that you are a human:\n"
     "https://guard.example/confirm/77\n", "auto-reply", (), None),
    ("auto_generated_newsletter_stays_bulk",
     "From: Shop <news@shop.example>\nSubject: Spring offers\nAuto-Submitted: auto-generated\n",
     "Spring offers for you: 20% off all printers this week.\n", "bulk", (), None),
    # a web form's mail on a visitor's behalf (Reply-To the visitor) is their request, whatever header the form's
    # program stamps; a newsletter (List-Unsubscribe) or a robot's Reply-To stays bulk
    ("form_auto_generated_reply_to_visitor",
     "From: Site <noreply@site.example>\nReply-To: irina.volkova@gmail.com\nSubject: New request from the website\n"
     "Auto-Submitted: auto-generated\n",
     "Name: Irina Volkova\nMessage: У нас не печатает принтер в бухгалтерии, посмотрите.\n", None, (), None),
    ("form_precedence_bulk_reply_to_visitor",
     "From: Site <wordpress@site.example>\nReply-To: Irina <irina.volkova@gmail.com>\nSubject: Contact form\n"
     "Precedence: bulk\n", "Name: Irina\nMessage: The printer in accounting does not print.\n", None, (), None),
    ("newsletter_reply_to_elsewhere_stays_bulk",
     "From: Shop <news@shop.example>\nReply-To: manager@shop-team.example\nSubject: Spring offers\n"
     "Precedence: bulk\nList-Unsubscribe: <https://shop.example/u/1>\n", "Spring offers for you.\n", "bulk", (), None),
    ("notice_reply_to_robot_stays_bulk",
     "From: Portal <portal@portal.example>\nReply-To: noreply@mailer.example\nSubject: Your report is ready\n"
     "Auto-Submitted: auto-generated\n", "Your monthly report is ready for download.\n", "bulk", (), None),
    # ------------------------------------------------------------------ the returned Message-ID under a label in words
    ("msgid_label_de",
     "Return-Path: <>\nFrom: Mailer-Daemon <mailer-daemon@gmx.partner.example>\n"
     "Subject: Mail delivery failed: returning message to sender\n",
     "Die Nachricht an <j.wolf@gmx.partner.example> konnte nicht zugestellt werden.\n\n"
     "Kennung der Nachricht: <postdesk.600.1.6000b1@corp.example>\n", "bounce", ("j.wolf@gmx.partner.example",),
     "postdesk.600.1.6000b1@corp.example"),
    ("msgid_label_fr_space_before_colon",
     "Return-Path: <>\nFrom: MAILER-DAEMON@laposte.partner.example\nSubject: Non remis : [SD-600] Order status\n",
     "Votre message à <l.martin@laposte.partner.example> n'a pas pu être remis.\n\n"
     "Identifiant du message : <postdesk.600.1.6000b2@corp.example>\n", "bounce",
     ("l.martin@laposte.partner.example",), "postdesk.600.1.6000b2@corp.example"),
)


def _field(line: str) -> str:
    """A header line as a client writes it: non-ASCII text as an RFC 2047 word, a display name apart from its
    address."""
    key, _, value = line.partition(": ")
    if value.isascii():
        return line
    name, sep, addr = value.rpartition(" <") if key == "From" and value.endswith(">") else ("", "", "")
    return f"{key}: {Header(name, 'utf-8').encode()} <{addr}" if sep else f"{key}: {Header(value, 'utf-8').encode()}"


@pytest.mark.parametrize(("name", "head", "body", "kind", "failed", "original"), ROWS, ids=[r[0] for r in ROWS])
def test_rule(name: str, head: str, body: str, kind: str | None, failed: tuple[str, ...], original: str | None) -> None:
    lines = [_field(line) for line in head.splitlines()]
    lines += ["To: service@corp.example", f"Message-ID: <{name}@r4.example>", "MIME-Version: 1.0",
              "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    raw = ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()
    m = parse_mail(raw, OPTIONS)
    assert (m.auto.kind if m.auto else None) == kind, m.auto
    assert sorted(m.bounced_recipients) == sorted(failed)
    if original:
        assert original in m.original_message_ids, m.original_message_ids


_DSN = """From: MAILER-DAEMON@relay.partner.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d"

--d
Content-Type: text/plain

<n.frolova@partner.example>: host mail.partner.example said: 550 5.1.1 User unknown

--d
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.partner.example

Final-Recipient: rfc822; n.frolova@partner.example
Action: failed
Status: 5.1.1

--d
Content-Type: text/rfc822-headers

""" + ORIGINAL.format(to="n.frolova@partner.example", hx="6000c1") + """
--d--
"""


def _forward(inner: str, boundary: str, own_text: str = "") -> str:
    return (f"From: Mailroom <mailroom@corp.example>\nSubject: FW: Undelivered Mail Returned to Sender\n"
            f"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\n\n"
            f"--{boundary}\nContent-Type: text/plain\n\n{own_text}\n"
            f"--{boundary}\nContent-Type: message/rfc822\n\n{inner}\n--{boundary}--\n")


@pytest.mark.parametrize(("levels", "own_text", "bounce"), [
    (2, "", True), (3, "", True),  # rule forwards of rule forwards: the DSN inside is read
    (2, "Colleagues, what is this? Please check.", False),  # a person's forward with words of its own
])
def test_forward_of_forward_of_a_dsn(levels: int, own_text: str, bounce: bool) -> None:
    raw = _DSN
    for level in range(levels):
        raw = _forward(raw, f"f{level}", own_text if level == levels - 1 else "")
    m = parse_mail(("To: service@corp.example\n" + raw).replace("\n", "\r\n").encode(), OPTIONS)
    if bounce:
        assert m.auto is not None and m.auto.kind == "bounce", m.auto
        assert list(m.bounced_recipients) == ["n.frolova@partner.example"]
        assert "postdesk.600.1.6000c1@corp.example" in m.original_message_ids
    else:
        assert m.auto is None or m.auto.kind != "bounce", m.auto
        assert not m.bounced_recipients


# Exchange's localized failure heading over the address, as a partner's gateway passes it on from an ordinary
# mailbox (no null Return-Path, no daemon): the failure words of each language make it a listing
LOCALIZED = (
    ("pl", "Dostarczenie do tych adresatów lub grup nie powiodło się:", "j.kowalski@partner.pl"),
    ("pt", "A entrega falhou para estes destinatários ou grupos:", "joao@parceiro.com.br"),
    ("nl", "Bezorging is mislukt voor deze ontvangers of groepen:", "jan@partner.nl"),
    ("sv", "Leveransen till följande mottagare eller grupper misslyckades:", "sven@partner.se"),
    ("cs", "Doručení těmto příjemcům nebo skupinám se nezdařilo:", "jan.novak@partner.cz"),
    ("tr", "Şu alıcılara veya gruplara teslim başarısız oldu:", "ahmet@partner.com.tr"),
    ("zh", "传递到这些收件人或组失败:", "wang@partner.cn"),
    ("ja", "次の受信者またはグループへの配信に失敗しました:", "tanaka@partner.jp"),
)


@pytest.mark.parametrize(("lang", "heading", "address"), LOCALIZED, ids=[x[0] for x in LOCALIZED])
def test_localized_failure_heading(lang: str, heading: str, address: str) -> None:
    raw = (f"From: IT <it-desk@partner.example>\r\nTo: service@corp.example\r\nSubject: Notice\r\n"
           f"Message-ID: <loc-{lang}@r4.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           f"Content-Transfer-Encoding: 8bit\r\n\r\n{heading}\r\n\r\n{address}\r\n\r\n550 5.1.1\r\n").encode()
    m = parse_mail(raw, OPTIONS)
    assert m.auto is not None and m.auto.kind == "bounce", m.auto
    assert list(m.bounced_recipients) == [address]


# Exchange's text-only delay notice in the languages of its failure notices, from postmaster@ with a null
# Return-Path: a bounce whose recipient has not failed (yet)
DELAYS = (
    ("de", "Verzögert: [SD-7] Bestellung", "Die Zustellung an folgende Empfänger oder Gruppen verzögert sich:",
     "Diese Nachricht wurde noch nicht zugestellt. Es wird weiterhin versucht, die Nachricht zuzustellen."),
    ("fr", "Remise différée : [SD-7] Commande", "La remise à ces destinataires ou groupes est différée :",
     "Ce message n'a pas encore été remis. La remise sera tentée à nouveau."),
    ("es", "Retrasado: [SD-7] Pedido", "La entrega a estos destinatarios o grupos se ha retrasado:",
     "Este mensaje aún no se ha entregado. Se seguirá intentando entregarlo."),
    ("it", "Recapito ritardato: [SD-7] Ordine", "Il recapito ai seguenti destinatari o gruppi è stato ritardato:",
     "Il messaggio non è stato ancora recapitato. Verranno eseguiti altri tentativi di recapito."),
    ("pl", "Opóźnione: [SD-7] Zamówienie", "Dostarczanie do tych adresatów lub grup jest opóźnione:",
     "Ta wiadomość nie została jeszcze dostarczona. Podejmowane będą dalsze próby jej dostarczenia."),
    ("pt", "Atrasada: [SD-7] Pedido", "A entrega para estes destinatários ou grupos está atrasada:",
     "Esta mensagem ainda não foi entregue. A entrega continuará a ser tentada."),
)


def _text_mail(head: str, body: str) -> bytes:
    lines = [_field(line) for line in head.splitlines()] + [
        "To: service@corp.example", "Message-ID: <delay@r4.example>", "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


@pytest.mark.parametrize(("lang", "subject", "heading", "sentence"), DELAYS, ids=[d[0] for d in DELAYS])
def test_localized_delay_notice_fails_nobody(lang: str, subject: str, heading: str, sentence: str) -> None:
    head = f"Return-Path: <>\nFrom: Microsoft Outlook <postmaster@partner.{lang}>\nSubject: {subject}\n"
    m = parse_mail(_text_mail(head, f"{heading}\n\nrecipient@partner.{lang}\n\n{sentence}\n"), OPTIONS)
    assert m.auto is not None and m.auto.kind == "bounce", m.auto
    assert m.bounced_recipients == ()
    # a person's subject in the same words is no notice: no null Return-Path, no mail system's mailbox
    person = f"From: Olga <olga@client.example>\nSubject: {subject}\n"
    assert parse_mail(_text_mail(person, "Hello, when will the order arrive? Thanks, Olga\n"), OPTIONS).auto is None


# A header-less out-of-office reply (an Outlook rule's template, a web mail's responder) in Italian, Portuguese,
# Polish and Dutch: away now, back on a date, the reader sent elsewhere; a person's reply from leave asks
AWAY = (
    ("it", "Sono fuori ufficio fino al 9 marzo e non ho accesso alla posta. Per urgenze contattare olga@x.example."),
    ("pt", "Estou fora do escritório até 9 de março, com acesso limitado ao e-mail. Para assuntos urgentes, "
           "contate olga@x.example."),
    ("pl", "Jestem poza biurem do 9 marca z ograniczonym dostępem do poczty. W pilnych sprawach proszę o kontakt "
           "z olga@x.example."),
    ("nl", "Ik ben afwezig tot 9 maart en heb beperkt toegang tot mijn e-mail. Voor dringende zaken kunt u contact "
           "opnemen met olga@x.example."),
)


@pytest.mark.parametrize(("lang", "text"), AWAY, ids=[a[0] for a in AWAY])
def test_headerless_out_of_office_reply(lang: str, text: str) -> None:
    head = "From: Anna <anna@x.example>\nSubject: Re: [SD-7] Order\nIn-Reply-To: <postdesk.7.1.aaaaaa@corp.example>\n"
    m = parse_mail(_text_mail(head, text + "\n"), OPTIONS)
    assert m.auto is not None and m.auto.kind == "auto-reply", m.auto
    # the same words in a person's reply that asks something: a request
    asked = text.split(". ")[0] + ". Ma la fattura non è arrivata: potete inviarla di nuovo?\n"
    assert parse_mail(_text_mail(head, asked), OPTIONS).auto is None
