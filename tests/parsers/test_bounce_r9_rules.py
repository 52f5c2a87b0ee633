"""Round 9's bounce words (tests/mail `auto_r9_*`): an Italian heading of who DID get the mail, Exchange's delay
subjects in Italian and French, and the people who write the same words about their own things.

A notice's "è stato invece recapitato correttamente a:" lists recipients that did not fail; a negated heading
("nie została dostarczona do:", "não foi entregue a:") lists ones that did. A person whose subject reads
"Ritardo: …" or "Retardée : …" from their own mailbox is asking about their own delay, not a delay notice.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))


def notice(body: str, subject: str = "Undeliverable: Re: [SD-7] Contratto") -> bytes:
    return (f"Return-Path: <>\r\nFrom: Mail Delivery System <mailer-daemon@mx.partner.example>\r\n"
            f"To: service@corp.example\r\nSubject: {subject}\r\nMessage-ID: <n1@mx.partner.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body.replace("\n", "\r\n")).encode()


def person(subject: str, body: str) -> bytes:
    return (f"Return-Path: <m.rossi@corp.example>\r\nFrom: Marco Rossi <m.rossi@corp.example>\r\n"
            f"To: service@corp.example\r\nSubject: {subject}\r\nMessage-ID: <p1@corp.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body.replace("\n", "\r\n")).encode()


@pytest.mark.parametrize("heading, failed", [
    ("Il messaggio è stato invece recapitato correttamente a:", ("g.bianchi@partner.example",)),
    ("Wiadomość nie została dostarczona do:", ("g.bianchi@partner.example", "l.verdi@partner.example")),
    ("A mensagem não foi entregue a:", ("g.bianchi@partner.example", "l.verdi@partner.example")),
])
def test_who_got_the_mail_is_not_failed_and_a_negated_heading_still_fails(heading: str, failed: tuple[str, ...]
                                                                         ) -> None:
    body = ("Il messaggio non è stato recapitato ai seguenti destinatari:\n\n"
            "  g.bianchi@partner.example: casella piena (552 5.2.2 Mailbox full)\n\n"
            f"{heading}\n\n  l.verdi@partner.example\n")
    m = parse_mail(notice(body), OPTIONS)
    assert m.auto is not None and m.auto.kind == "bounce"
    assert sorted(m.bounced_recipients) == sorted(failed)


@pytest.mark.parametrize("subject, body", [
    ("Ritardo: consegna del monitor", "Buongiorno, il monitor ordinato a febbraio non è ancora arrivato. "
     "Potete verificare?\n\nMarco Rossi"),
    ("Retardée : livraison des badges", "Bonjour, les badges pour les nouveaux ne sont pas arrivés. "
     "Pouvez-vous relancer ?\n\nMarco Rossi"),
    ("Ritardo: rimborso trasferta", "Il rimborso della trasferta di marzo non è stato ancora recapitato sul conto. "
     "Quando arriva?\n\nMarco"),
])
def test_a_person_writing_about_their_own_delay_is_a_request(subject: str, body: str) -> None:
    m = parse_mail(person(subject, body), OPTIONS)
    assert m.auto is None, m.auto
    assert m.bounced_recipients == ()
