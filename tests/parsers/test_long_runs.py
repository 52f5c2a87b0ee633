"""A mail's text cannot stop the desk: a long run of one character parses in linear time (issue 15 hardening).

An outsider's mail, a base64 text part of `Hello` + 300,000 blanks + `x` (400 KB, under the size limit), took
the reply-text cleanup's `[ \\t]+$` (re.M) twenty minutes and more: the regex tried every blank of the run as a
start and scanned to the run's end each time. Every mail behind it waited. Each case here is such a run in a
place where a quadratic pattern would stall the parser for minutes; the alarm turns a hang into a failure
instead of a stuck suite (linear code needs well under a second; this is a guard, not a speed test).

More such runs were found by putting runs of many characters and short patterns in every place of a mail. In
HTML: no-break spaces (they become blanks once the markup is read; 80,000: 5 s), and markup that never closes
(`<a` 20,000 times: 4 s, `<` and 20,000 letters: 7 s, 20,000 `<!--`: 6 s); in a bounce's HTML report, `<br`
20,000 times (6 s: the bounce reader's own tag pattern). A message id field that opens with one long word
(20,000 letters: 1 s, 300,000: minutes). Past the parser, a junk DKIM-Signature beside the valid one when the
desk asks whether the signature proves the writer (8,000 letters: 1.3 s, 300,000: half an hour). A quoted
Content-Type parameter holding many `;` (80,000: 3.6 s in the stdlib's parameter reader, for each read).
"""

from __future__ import annotations

import base64
import email.message
import importlib.util
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from postdesk.parsers import InboundMail, ParseOptions, authres, autoread, compat32, headers, html_text, parse_mail

RUN = 300_000
GUARD_SECONDS = 30
OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))

RUNS = {
    "blanks before a word": "Hello" + " " * RUN + "x",
    "tabs and blanks before a line end": "Hello" + "\t " * (RUN // 2) + "x\n",
    "no-break spaces between words": "Hello" + "\u00a0" * RUN + "x",
}
# Markup that never closes: each `<` of the run scanned to the document's end, and a name that never ends was
# scanned again for every shorter name it could have been.
UNCLOSED = {
    "tags": "Hello " + "<a" * (RUN // 2) + " x",
    "tags with an odd quote": "Hello " + '<a "' * (RUN // 4) + " x",
    "a tag name": "Hello <" + "a" * RUN + " x",
    "script openings": "Hello " + "<script" * (RUN // 7) + " x",
}


@contextmanager
def guard() -> Iterator[None]:
    fired: list[int] = []
    message = f"parsing took over {GUARD_SECONDS} s: a pattern is quadratic in a run"

    def stalled(signum: int, frame: object) -> None:
        fired.append(signum)
        raise TimeoutError(message)

    old = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    if fired:  # the parser never raises on bad mail: a reader's `except Exception` may have swallowed the alarm
        raise TimeoutError(message)


def mail(body: str, ctype: str) -> bytes:
    head = ("From: Олег Смирнов <o.smirnov@corp.example>\r\nTo: service@corp.example\r\nSubject: Не работает\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {ctype}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    return head.encode() + base64.encodebytes(body.encode())


@pytest.mark.parametrize("ctype", ["text/plain", "text/html"])
@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_long_run_parses_and_keeps_the_writers_words(name: str, ctype: str) -> None:
    with guard():
        parsed: InboundMail = parse_mail(mail(RUNS[name], ctype), OPTIONS)
    assert parsed.text.startswith("Hello") and parsed.text.endswith("x")


@pytest.mark.parametrize("name", sorted(UNCLOSED))
def test_html_whose_markup_never_closes_parses_and_keeps_the_writers_words(name: str) -> None:
    with guard():
        parsed = parse_mail(mail(UNCLOSED[name], "text/html"), OPTIONS)
    assert parsed.text.startswith("Hello") and parsed.text.endswith("x")  # markup that never closes is text


def test_html_comments_that_never_close_keep_the_words_before_them() -> None:
    with guard():
        parsed = parse_mail(mail("Hello" + "<!--" * (RUN // 4) + " x", "text/html"), OPTIONS)
    assert parsed.text.startswith("Hello") and "<!--" not in parsed.text  # the rest is a comment, as browsers show it


@pytest.mark.parametrize("markup", ["<br" * (RUN // 3), "<script>" * (RUN // 8)], ids=["br", "script"])
def test_a_bounce_whose_html_report_never_closes_its_tags_still_names_the_failed_recipient(markup: str) -> None:
    head = ("From: MAILER-DAEMON@mx.corp.example\r\nTo: service@corp.example\r\nSubject: Undelivered Mail\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=BB\r\n\r\n"
            "--BB\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    status = ("--BB\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.corp.example\r\n\r\n"
              "Final-Recipient: rfc822; petrov@corp.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--BB--\r\n")
    raw = head.encode() + base64.encodebytes(("<p>Delivery failed " + markup).encode()) + status.encode()
    with guard():
        parsed = parse_mail(raw, OPTIONS)
    assert parsed.auto is not None and parsed.auto.kind == "bounce"
    assert parsed.bounced_recipients == ("petrov@corp.example",)

def test_a_reply_whose_in_reply_to_opens_with_one_long_word_still_threads() -> None:
    raw = ("From: Олег Смирнов <o.smirnov@corp.example>\r\nTo: service@corp.example\r\nSubject: Re: printer\r\n"
           f"In-Reply-To: {'a' * RUN} sd-1-reply@corp.example\r\n\r\nThanks, it prints again.\r\n").encode()
    with guard():
        parsed = parse_mail(raw, OPTIONS)
    assert parsed.in_reply_to == ("sd-1-reply@corp.example",)

def test_a_junk_dkim_signature_does_not_stall_the_proof_of_the_writer() -> None:
    mx = "mx1.corp.example"
    fields = (("Authentication-Results", f"{mx}; dkim=pass header.d=corp.example header.i=ivanov@corp.example "
                                         "header.s=mail header.b=Xy12AbCd"),
              ("Received", f"from mail.corp.example (mail.corp.example [192.0.2.25]) by {mx} (Postfix) with ESMTPS"),
              ("From", "Иван Иванов <ivanov@corp.example>"),
              ("DKIM-Signature", "a" * RUN),
              ("DKIM-Signature", "v=1; a=rsa-sha256; d=corp.example; i=ivanov@corp.example; s=mail; "
                                 "h=from:to:subject; b=Xy12AbCdEf"))
    with guard():
        assert authres.proves_person(fields, mx, "ivanov@corp.example") == "dkim=pass header.i=ivanov@corp.example"

def test_a_content_type_parameter_full_of_semicolons_keeps_the_declared_charset() -> None:
    words = "Принтер на третьем этаже не печатает."
    raw = ("From: o.smirnov@corp.example\r\nTo: service@corp.example\r\nSubject: printer\r\nMIME-Version: 1.0\r\n"
           f'Content-Type: text/plain; x="{";" * RUN}"; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n'
           ).encode() + base64.encodebytes(words.encode())
    with guard():
        parsed = parse_mail(raw, OPTIONS)
    assert parsed.text == words

# The linear readers must read exactly as the plain regexes did: each is checked against that regex (quadratic on
# long runs, exact on short texts) on random texts of the pieces that matter to it.
_PIECES = ["<", ">", '"', "'", "a", " ", "/", "!", "?", "-", "<!--", "-->", "<a", "<a ", "</a>", "<script", "</script>",
           "</SCRIPT >", "<style>", "</style", "<br>", "<br", "x=", "href=", "=", "&nbsp;", "\xa0", "\t", "\n", "<!x",
           "<?x", "<img alt='y'>", "ſ", "<xml", "<title>", "<tr>", "<td>", "<li>", "<pre>", "</pre>", "</p>", "<p",
           "<p class=MsoNormal>", "<a href=\"u\">", "</div>", "<h1>", "Ж", "_", ":", "1"]


def random_texts(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60)))


def test_html_is_read_as_the_plain_regexes_read_it() -> None:
    token = re.compile(r"""<(/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--.*?(?:-->|$)|<[!?][^>]*>|"""
                       r"""([^<]+|<)""", re.S)
    invisible = re.compile(r"<(script|style|head|title|xml)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
    attr = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
    for text in random_texts(4000, 15):
        assert list(html_text._tokens(text)) == [m.groups() for m in token.finditer(text)], text
        assert html_text._drop_invisible(text) == invisible.sub(" ", text), text
        assert html_text._TRAILING.sub("\n", text) == re.sub(r"[ \t]+\n", "\n", text), text
        assert [m.groups() for m in html_text._ATTR.finditer(text)] == [m.groups() for m in attr.finditer(text)], text


def test_a_bounces_html_tags_are_found_as_the_plain_regex_found_them() -> None:
    tag = re.compile(r"<(?:script|style)[^>]*>.*?</(?:script|style)>|<br\s*/?>|</(?:p|div|tr|li|h\d)>|<[^>]+>",
                     re.I | re.S)
    for text in random_texts(4000, 16):
        assert list(autoread._tags(text)) == [m.span() for m in tag.finditer(text)], text



def test_bare_message_ids_are_found_as_the_plain_regex_found_them() -> None:
    rng = random.Random(17)
    bare_id = re.compile(r"[^\s<>,;\"()]+@[^\s<>,;\"()]+")
    for _ in range(4000):
        text = "".join(rng.choice("a@b<>,; \"()x.\n") for _ in range(rng.randint(0, 40)))
        assert headers._BARE_ID.findall(text) == bare_id.findall(text), text



def test_signature_tags_are_found_as_the_plain_regex_found_them() -> None:
    rng = random.Random(18)
    tag = re.compile(r"([a-z]+)\s*=\s*([^;]*)", re.I)
    for _ in range(4000):
        text = "".join(rng.choice("aZb= ;\t1\u017f\u212a_-") for _ in range(rng.randint(0, 40)))
        assert authres._TAG.findall(text) == tag.findall(text), text



def test_header_parameters_are_split_as_the_stdlib_splits_them() -> None:
    spec = importlib.util.spec_from_file_location("stdlib_message", email.message.__file__)
    assert spec is not None and spec.loader is not None
    stdlib = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stdlib)  # the stdlib's own reader, before compat32 replaced it
    rng = random.Random(19)
    pieces = ['"', ";", "\\", "=", " ", "a", '\\"', "x=", "; ", '"a;b"', "A="]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert compat32.parse_params(text) == stdlib._parseparam(text), text
