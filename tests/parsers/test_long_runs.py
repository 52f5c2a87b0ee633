"""A mail's text cannot stop the desk: a long run of one character parses in linear time (issue 15 hardening).

An outsider's mail, a base64 text part of `Hello` + 300,000 blanks + `x` (400 KB, under the size limit), took
the reply-text cleanup's `[ \\t]+$` (re.M) twenty minutes and more: the regex tried every blank of the run as a
start and scanned to the run's end each time. Every mail behind it waited. Each case here is such a run in a
place where a quadratic pattern would stall the parser for minutes; the alarm turns a hang into a failure
instead of a stuck suite (linear code needs well under a second; this is a guard, not a speed test).
"""

from __future__ import annotations

import base64
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from postdesk.parsers import InboundMail, ParseOptions, parse_mail

RUN = 300_000
GUARD_SECONDS = 30
OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))

RUNS = {
    "blanks before a word": "Hello" + " " * RUN + "x",
    "tabs and blanks before a line end": "Hello" + "\t " * (RUN // 2) + "x\n",
}


@contextmanager
def guard() -> Iterator[None]:
    def stalled(signum: int, frame: object) -> None:
        raise TimeoutError(f"parsing took over {GUARD_SECONDS} s: a pattern is quadratic in a run")

    old = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


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
