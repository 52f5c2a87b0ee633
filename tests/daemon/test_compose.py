"""Composing is the second wall: no header value with a control character is ever written, and an address the
relay cannot take is refused with a reason, never half-encoded."""

from __future__ import annotations

import email
import email.policy
import itertools
import random
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mailfuzz import address_value

from postdesk.daemon.outgoing.compose import (
    OutAttachment,
    UnsafeHeader,
    Unsendable,
    compose,
    relay_address,
    reply_subject,
    unsendable,
)
from postdesk.parsers.addresses import parse_addresses

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def build(**changes: Any) -> bytes:
    args: dict[str, Any] = dict(from_name="Общий центр", from_email="service@corp.example",
                                to=[("Пётр", "petr@corp.example")], subject="VPN", text="text", html=None,
                                in_reply_to="a@b", references=(), now=NOW, auto=True, ticket_ref="SD-1",
                                language="ru")
    args.update(changes)
    return compose(**args).raw


def head_lines(raw: bytes) -> list[str]:
    return raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")


@pytest.mark.parametrize("change", [
    {"to": [("IT <victim@x.example>\r\nSubject: Urgent\r\n\r\nfake body", "attacker@evil.example")]},
    {"to": [("Ann", "ann@x.example\r\nBcc: all@corp.example")]},
    {"cc": [("Ann\x00", "ann@x.example")]},
    {"from_name": "Desk\nX-Evil: 1"},
    {"reply_to": "service+1@corp.example\r\nBcc: x@y"},
    {"in_reply_to": "a@b>\r\nBcc: <x@y"},
    {"references": ("a@b", "c@d\x1be")},
    {"extra_headers": {"List-Id": "desk\r\nBcc: x@y"}},
])
def test_a_control_character_in_any_header_value_refuses(change: dict[str, Any]) -> None:
    with pytest.raises(UnsafeHeader, match="control character"):
        build(**change)


def test_the_subject_is_text_its_controls_become_blanks() -> None:
    raw = build(subject="Urgent\r\nBcc: x@y\x07 now")
    assert "Subject: Urgent Bcc: x@y now" in head_lines(raw)
    assert reply_subject("Тема\r\nBcc: x@y", "SD-1") == "Re: Тема Bcc: x@y [SD-1]"


def test_every_header_line_is_a_header_and_the_body_is_ours() -> None:
    raw = build(to=[("Анна Смирнова", "anna@corp.example")], subject="Не работает VPN",
                attachments=[OutAttachment("отчёт\x07.pdf", "текст/plain", b"%PDF")])
    lines = head_lines(raw)
    assert all(":" in line or line.startswith(" ") for line in lines)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert [p.get_content_type() for p in msg.iter_attachments()] == ["application/octet-stream"]
    assert "%07" in raw.decode("ascii")  # the control in the file name is percent-encoded (RFC 2231)


def test_a_non_ascii_domain_goes_out_in_idna() -> None:
    assert relay_address("petr@почта.рф") == "petr@xn--80a1acny.xn--p1ai"
    out = compose(from_name="", from_email="service@corp.example", to=[("Пётр", "petr@почта.рф")], subject="x",
                  text="t", html=None, in_reply_to=None, references=(), now=NOW, auto=True, ticket_ref=None,
                  language="ru")
    assert out.rcpt == ("petr@xn--80a1acny.xn--p1ai",)
    assert email.message_from_bytes(out.raw, policy=email.policy.default)["To"].addresses[0].domain == \
        "xn--80a1acny.xn--p1ai"


def test_a_non_ascii_local_part_cannot_be_sent_and_says_why() -> None:
    assert "SMTPUTF8" in (unsendable("пётр@почта.рф") or "")
    assert unsendable("petr@почта.рф") is None and unsendable("petr@corp.example") is None
    with pytest.raises(Unsendable):
        build(to=[("Пётр", "пётр@почта.рф")])


def test_a_non_ascii_message_id_is_left_out_not_an_error() -> None:
    lines = head_lines(build(in_reply_to="пётр@почта.рф", references=("ok@x", "ё@x")))
    assert not [line for line in lines if line.startswith("In-Reply-To")]
    assert "References: <ok@x>" in lines


@settings(max_examples=1500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(1, 8), st.text(max_size=60))
def test_whatever_the_parser_hands_on_composes_to_header_lines_or_is_refused_as_unsendable(
        number: int, size: int, subject: str) -> None:
    """Both walls together: addresses the parser read from a hostile header either go out as well-formed
    header lines of our own, or are refused as unsendable -- never a control character, never UnsafeHeader."""
    people = [(a.name, a.email) for a in parse_addresses(address_value(random.Random(number), size)) if a.email]
    if not people:
        return
    try:
        raw = build(to=people, subject=subject)
    except Unsendable:
        return
    lines = head_lines(raw)
    assert all(line[:1] == " " or (":" in line and line.split(":", 1)[0].isprintable()) for line in lines)
    assert sum(line.startswith("Subject:") for line in lines) == 1
    assert all(line.isprintable() for line in lines)  # ASCII (head_lines decodes it so), no bare CR or LF
    at = next(i for i, line in enumerate(lines) if line.startswith("To: "))
    to = " ".join([lines[at], *itertools.takewhile(lambda line: line.startswith(" "), lines[at + 1:])])
    assert all(relay_address(e) in to for _, e in people)


def test_remembered_headers_follow_their_inputs() -> None:
    """From and Date are remembered between mails: a renamed desk (a reload) or another zone shows at once."""
    before = email.message_from_bytes(build(from_name="Общий центр"), policy=email.policy.default)
    renamed = email.message_from_bytes(build(from_name="Центр услуг"), policy=email.policy.default)
    assert before["From"].addresses[0].display_name == "Общий центр"
    assert renamed["From"].addresses[0].display_name == "Центр услуг"
    moscow = NOW.astimezone(ZoneInfo("Europe/Moscow"))
    assert moscow == NOW
    assert b"Date: Mon, 07 Dec 2026 10:00:00 +0000\r\n" in build(now=NOW)
    assert b"Date: Mon, 07 Dec 2026 13:00:00 +0300\r\n" in build(now=moscow)


@pytest.mark.parametrize("size", [0, 1, 57, 58, 20_000])
def test_parts_and_attachments_arrive_byte_for_byte(size: int) -> None:
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    text = "Отчёт во вложении. " * (size // 100 + 1)
    raw = build(text=text, attachments=[OutAttachment("отчёт.bin", "application/octet-stream", data)])
    body_lines = [line for line in raw.split(b"\r\n") if b":" not in line and not line.startswith(b"--")]
    assert max(map(len, body_lines)) <= 76  # base64 lines, as RFC 2045 wants them
    got = email.message_from_bytes(raw, policy=email.policy.default)
    parts = list(got.walk())
    assert parts[1].get_content() == text
    assert parts[2].get_filename() == "отчёт.bin" and parts[2].get_content() == data
