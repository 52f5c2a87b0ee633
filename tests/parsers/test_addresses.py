"""Addresses as real mail writes them (RFC 5322 comments, groups, obsolete forms), and never a control character
in what the parser hands on: a name or address that decodes to a line break would forge a header or a log line."""

from __future__ import annotations

import base64

import pytest

from postdesk.parsers import parse_mail
from postdesk.parsers.addresses import parse_addresses
from postdesk.parsers.headers import CONTROL, parse_ids
from postdesk.parsers.model import Address


def b64_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


INJECTED = "IT <victim@x.example>\r\nSubject: Urgent\r\n\r\nfake body"


# ---------------------------------------------------------------------------------------------- RFC 5322 forms


def test_comments_inside_and_around_the_address() -> None:
    assert parse_addresses("Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>") == (
        Address("Pete", "pete@silly.test"),)
    assert parse_addresses("pete(his account)@silly.test (his host)")[0].email == "pete@silly.test"
    assert parse_addresses("Chris Jones <c@(Chris's host.)public.example>") == (
        Address("Chris Jones", "c@public.example"),)
    assert parse_addresses("Joe <joe @ example . org>")[0].email == "joe@example.org"  # obsolete folding around @ and .


def test_groups_flatten_and_empty_groups_name_nobody() -> None:
    value = ("A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
             "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)")
    assert [a.email for a in parse_addresses(value)] == ["c@public.example", "joe@example.org", "jdoe@one.test"]
    assert parse_addresses("undisclosed-recipients:;") == ()
    assert parse_addresses("(Empty list)(start)Undisclosed recipients  :(nobody(that I know))  ;") == ()
    assert parse_addresses("<Undisclosed-Recipient:@mailman.enron.com;>") == ()


def test_route_addresses_quoted_local_parts_and_literals() -> None:
    assert parse_addresses("<@route.example,@b.example:user@host.example>")[0].email == "user@host.example"
    assert parse_addresses('"john doe"@example.com')[0].email == '"john doe"@example.com'
    assert parse_addresses("Joe <joe@[192.0.2.1]>")[0].email == "joe@[192.0.2.1]"
    assert parse_addresses("Mail Delivery Subsystem <MAILER-DAEMON>")[0].email == "mailer-daemon"  # bounces say so
    assert parse_addresses("Пётр <пётр@почта.рф>") == (Address("Пётр", "пётр@почта.рф"),)


def test_an_address_with_specials_is_invalid_one_with_a_space_is_kept_as_written() -> None:
    defects: list[str] = []
    assert parse_addresses("Someone <some;one@x.example>", defects) == (Address("Someone", ""),)
    assert defects == ["address: invalid address dropped"]
    assert parse_addresses("Someone <some one@x.example>")[0].email == "some one@x.example"
    assert parse_addresses('"Millions Lottery"@example.com>')[0].email == '"millions lottery"@example.com'
    assert [a.email for a in parse_addresses("Mary <@machine.tld:mary@example.net>, , jdoe@test   . example")] == [
        "mary@example.net", "jdoe@test.example"]


def test_a_second_to_and_cc_header_both_count() -> None:
    raw = (b"From: a@x.example\r\nTo: aa@aa.ru\r\nTo: bb@aa.ru\r\nCc: cc@aa.ru\r\nCc: Dd <dd@aa.ru>\r\n"
           b"Subject: two\r\n\r\nbody\r\n")
    mail = parse_mail(raw)
    assert [a.email for a in mail.to] == ["aa@aa.ru", "bb@aa.ru"]
    assert [a.email for a in mail.cc] == ["cc@aa.ru", "dd@aa.ru"]


# ---------------------------------------------------------------------------------------------- control characters


def test_an_encoded_name_with_a_line_break_is_dropped_the_address_kept() -> None:
    defects: list[str] = []
    assert parse_addresses(f"{b64_word(INJECTED)} <attacker@evil.example>", defects) == (
        Address("", "attacker@evil.example"),)
    assert defects == ["address: control characters in a display name, name dropped"]
    assert parse_addresses('"=?utf-8?q?IT_<victim@x.example>=0D=0ABcc:_x@y?=" <a@evil.example>') == (
        Address("", "a@evil.example"),)


@pytest.mark.parametrize("value, name", [
    ('"ivanov@corp.example" <a5@evil.example>', ""),  # an agent's address as the name: read first, greeted
    ("'ivanov@corp.example' <a5@evil.example>", ""),
    ("=?utf-8?q?ivanov=40corp=2Eexample?= <a5@evil.example>", ""),  # the same, encoded
    ('"<Ivanov@Corp.Example>" <a5@evil.example>', ""),
    ('"petr@corp.example" <Petr@Corp.Example.>', "petr@corp.example"),  # its own address: a client's habit
    ('"Doe, Jane (jane@home.example)" <jane.doe@partner.example>', "Doe, Jane (jane@home.example)"),
    ('"it@corp.example via list" <list@corp.example>', "it@corp.example via list"),
])
def test_a_name_that_is_only_another_address_is_no_name(value: str, name: str) -> None:
    (address,) = parse_addresses(value)
    assert address.name == name
    assert address.email.rstrip(".").endswith(("evil.example", "corp.example", "partner.example"))  # kept


def test_a_whole_address_smuggled_in_an_encoded_word_with_a_line_break_is_no_address() -> None:
    assert parse_addresses(b64_word(INJECTED)) == ()
    assert parse_addresses(b64_word("IT <victim@x.example>")) == (Address("IT", "victim@x.example"),)  # no break: ok


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\r", "\n"])
def test_control_characters_in_names_and_addresses(bad: str) -> None:
    for value in (f"{b64_word('Ann' + bad + 'a')} <ann@x.example>", f"<an{bad}n@x.example>",
                  f'"Ann{bad}" <ann@x.example>'):
        for a in parse_addresses(value):
            assert not CONTROL.search(a.name) and not CONTROL.search(a.email), (value, a)


def test_a_tab_in_a_name_is_only_a_space() -> None:
    assert parse_addresses(b64_word("Ann\tSmith") + " <ann@x.example>") == (Address("Ann Smith", "ann@x.example"),)


def test_the_injected_from_of_a_whole_mail() -> None:
    raw = (f"From: {b64_word(INJECTED)}\r\nTo: service@corp.example\r\nSubject: hello\r\n"
           f"Message-ID: <m1@evil.example>\r\n\r\nbody\r\n").encode()
    mail = parse_mail(raw, envelope_from="attacker@evil.example")
    assert mail.from_ is None and mail.sender == "attacker@evil.example"


def test_message_ids_with_control_characters_are_dropped() -> None:
    assert parse_ids("<a\x01b@x.example> <ok@x.example>") == ("ok@x.example",)


@pytest.mark.parametrize("value", ['"x" ivanov@corp.example" <petr@corp.example>',
                                   '"<b>x</b>"\'><svg onload=alert(3)>" <petr@corp.example>'])
def test_a_quote_never_closed_does_not_hide_the_bracketed_address(value: str) -> None:
    """Every mail client reads the `<address>`; a word of a broken name must not become the sender."""
    (addr,) = parse_addresses(value)
    assert addr.email == "petr@corp.example"


def test_raw_utf8_message_ids_are_text_that_can_be_stored() -> None:
    """SMTPUTF8 mail (RFC 6532) may carry UTF-8 in its ids; the bytes' surrogates could not be stored."""
    raw = ("From: Пётр <пётр@почта.рф>\r\nTo: service@corp.example\r\nSubject: Пропуск\r\n"
           "Message-ID: <pass@почта.рф>\r\nIn-Reply-To: <ack@почта.рф>\r\n\r\nНужен пропуск.\r\n").encode()
    m = parse_mail(raw)
    assert m.message_id == "pass@почта.рф" and m.in_reply_to == ("ack@почта.рф",)
    assert m.message_id.encode("utf-8")
