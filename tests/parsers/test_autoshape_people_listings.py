"""A person's "failed for:" over an address is their request, not a bounce: the listing's shape needs a machine's mark.

Round 4 taught the failure listing ("<failure words>:\n\n<address>") ten more languages' words, which are the
words people use for their own trouble too ("inloggningen misslyckades för följande konto:"); such a mail was
dropped as a bounce, without a ticket, and the writer's own address marked as dead. A listing now counts only
with a sign of software beside it: a null Return-Path, the returned mail or its header attached, a mail system's
or department's From, an enhanced status code or SMTP reply line, a bounce subject, a daemon or no-reply sender.
"""

from __future__ import annotations

import pytest

from postdesk.parsers import ParseOptions, parse_mail

OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))


def _mail(sender: str, subject: str, body: str, head: str = "") -> bytes:
    return (f"{head}From: {sender}\nTo: service@corp.example\nSubject: {subject}\nMessage-ID: <p@x.example>\n"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}").encode()


PEOPLE = [
    ("Anna Svensson <anna.svensson@partner.se>", "Portalen",
     "Hej,\n\ninloggningen i portalen misslyckades för följande konto:\n\nanna.svensson@partner.se\n\n"
     "Kan ni återställa lösenordet, tack.\n\nAnna\n"),
    ("Jan Kowalski <j.kowalski@firma.pl>", "Logowanie",
     "Dzień dobry,\n\nlogowanie nie powiodło się dla konta:\n\nj.kowalski@firma.pl\n\nProszę o reset hasła.\n"),
    ("Ольга Петрова <o.petrova@corp.ru>", "Акт сверки не дошёл",
     "Добрый день!\n\nСегодня утром письмо с актом сверки так и не было доставлено:\n\n"
     "Иван Петров (ivan.petrov@romashka-opt.ru)\n\nПроверьте, пожалуйста, с нашей стороны.\n\nОльга\n"),
    ("Mark Lee <mark@partner.example>", "Password reset",
     "Hi,\n\nthe password reset failed for this user:\n\nmark@partner.example\n\nCould you reset it by hand?\n"),
]


@pytest.mark.parametrize(("sender", "subject", "body"), PEOPLE, ids=["sv", "pl", "ru-named", "en"])
def test_a_persons_failure_listing_is_their_request(sender: str, subject: str, body: str) -> None:
    m = parse_mail(_mail(sender, subject, body), OPTIONS)
    assert m.auto is None and m.bounced_recipients == ()


@pytest.mark.parametrize(("sender", "head", "extra"), [
    ("Mail Gateway <mailgw@partner.se>", "", ""),  # a mail system's mailbox
    ("Anna Svensson <anna.svensson@partner.se>", "Return-Path: <>\n", ""),  # the null sender
    ("Anna Svensson <anna.svensson@partner.se>", "", "\nRemote server said: 550 5.1.1 User unknown\n"),
], ids=["system-from", "null-return-path", "status-code"])
def test_the_same_listing_with_a_machines_mark_is_a_bounce(sender: str, head: str, extra: str) -> None:
    body = "Leverans misslyckades för följande mottagare:\n\nkund@partner.se\n" + extra
    m = parse_mail(_mail(sender, "Leverans", body, head), OPTIONS)
    assert m.auto is not None and m.auto.kind == "bounce"
    assert m.bounced_recipients == ("kund@partner.se",)


def _with_file(body: str) -> bytes:
    return ("From: Giulia Bianchi <g.bianchi@fornitore.it>\nTo: service@corp.example\nSubject: Re: [SD-41] Fattura\n"
            "In-Reply-To: <postdesk.41.1.abc@corp.example>\nMessage-ID: <f@x.example>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n"
            f"{body}\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=fattura.pdf\n"
            "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n").encode()


def test_an_away_note_that_sends_a_file_is_a_person_and_the_file_reaches_the_ticket() -> None:
    # an auto-responder's template carries no file; dropped as an out-of-office, the invoice never reached anyone
    text = ("Buongiorno,\n\nsono in ferie fino al 20/12. Per urgenze contattare il collega.\n\n"
            "Vi mando comunque la fattura corretta in allegato.\n\nGiulia")
    m = parse_mail(_with_file(text), OPTIONS)
    assert m.auto is None and [a.filename for a in m.attachments] == ["fattura.pdf"]
    template = ("Buongiorno,\n\nsono in ferie fino al 20/12. Per urgenze contattare il collega.\n\nGiulia")
    away = parse_mail(_with_file(template).split(b"\n--b\nContent-Type: application/pdf")[0] + b"\n--b--\n", OPTIONS)
    assert away.auto is not None and away.auto.kind == "auto-reply"  # no file, nothing said after: a template
