"""Authentication-Results as real MTAs write them, and trusting only what our own authserv-id verified."""

from __future__ import annotations

import pytest

from postdesk.parsers.authres import (
    AuthResult,
    _internal_hop,
    contradicts_from,
    parse_authentication_results,
    proves_person,
    trusted_results,
)

GMAIL = (
    "mx.google.com;\r\n"
    "       dkim=pass header.i=@corp.example header.s=mail header.b=Qm3f8XzA;\r\n"
    "       spf=pass (google.com: domain of ivanov@corp.example designates 203.0.113.25 as permitted sender)"
    " smtp.mailfrom=ivanov@corp.example;\r\n"
    "       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=corp.example"
)
M365 = (
    "spf=pass (sender IP is 203.0.113.25) smtp.mailfrom=corp.example; dkim=pass (signature was verified) "
    "header.d=corp.example;dmarc=pass action=none header.from=corp.example;compauth=pass reason=100"
)
YANDEX = (
    "mail-nwsmtp-mxfront-production-main-38.vla.yp-c.yandex.net; spf=pass "
    "(mail-nwsmtp-mxfront-production-main-38.vla.yp-c.yandex.net: domain of corp.example designates 203.0.113.25 "
    "as permitted sender, rule=[ip4:203.0.113.0/24]) smtp.mail=ivanov@corp.example; dkim=pass header.i=@corp.example"
)
OPENDKIM = (
    "mx1.corp.example;\n"
    "\tdkim=pass (2048-bit key; unprotected) header.d=corp.example header.i=@corp.example header.a=rsa-sha256 "
    "header.s=mail header.b=Xy12AbCd;\n"
    "\tdkim-atps=neutral"
)
POLICYD_SPF = "mx1.corp.example; spf=pass (sender SPF authorized) smtp.mailfrom=corp.example"
OPENDMARC = "mx1.corp.example; dmarc=pass (p=reject dis=none) header.from=corp.example"
FORGED = ("mx1.corp.example.attacker.example; dkim=pass header.d=corp.example; "
          "spf=pass smtp.mailfrom=ivanov@corp.example")
DKIM_FAIL = ("mx1.corp.example; dkim=fail reason=\"signature verification failed\" (2048-bit key; unprotected) "
             "header.d=corp.example header.i=@corp.example header.b=Xy12AbCd")
SPF_SOFTFAIL = ("mx1.corp.example; spf=softfail (domain owner discourages use of this host) "
                "smtp.mailfrom=ivanov@corp.example smtp.helo=mail.corp.example")


# ---------------------------------------------------------------------------------------------- parsing


def test_gmail() -> None:
    assert parse_authentication_results(GMAIL) == (
        AuthResult("mx.google.com", "dkim", "pass",
                   (("header.i", "@corp.example"), ("header.s", "mail"), ("header.b", "Qm3f8XzA"))),
        AuthResult("mx.google.com", "spf", "pass", (("smtp.mailfrom", "ivanov@corp.example"),)),
        AuthResult("mx.google.com", "dmarc", "pass", (("header.from", "corp.example"),)),
    )


def test_microsoft_365_without_authserv_id() -> None:
    assert parse_authentication_results(M365) == (
        AuthResult("", "spf", "pass", (("smtp.mailfrom", "corp.example"),)),
        AuthResult("", "dkim", "pass", (("header.d", "corp.example"),)),
        AuthResult("", "dmarc", "pass", (("action", "none"), ("header.from", "corp.example"))),
        AuthResult("", "compauth", "pass", (("reason", "100"),)),
    )


def test_yandex_comment_with_brackets_and_commas() -> None:
    results = parse_authentication_results(YANDEX)
    assert [(r.authserv_id, r.method, r.result) for r in results] == [
        ("mail-nwsmtp-mxfront-production-main-38.vla.yp-c.yandex.net", "spf", "pass"),
        ("mail-nwsmtp-mxfront-production-main-38.vla.yp-c.yandex.net", "dkim", "pass"),
    ]
    assert results[0].properties == (("smtp.mail", "ivanov@corp.example"),)


def test_opendkim_comment_with_semicolon() -> None:
    results = parse_authentication_results(OPENDKIM)
    assert [(r.method, r.result) for r in results] == [("dkim", "pass"), ("dkim-atps", "neutral")]
    assert results[0].get("header.d") == "corp.example"
    assert results[0].get("Header.A") == "rsa-sha256"
    assert results[0].get("header.x") is None


def test_version_after_authserv_id() -> None:
    assert parse_authentication_results("mx.corp.example 1; dkim=pass header.d=corp.example") == (
        AuthResult("mx.corp.example", "dkim", "pass", (("header.d", "corp.example"),)),)


@pytest.mark.parametrize("value", ["mx.corp.example 1; none", "mx.corp.example; none", "mx.corp.example;none  ",
                                   "mx.corp.example (no checks); none (nothing to do)"])
def test_none_is_an_empty_result_set(value: str) -> None:
    assert parse_authentication_results(value) == ()


def test_nested_comments_quoted_values_and_reason() -> None:
    value = ('MX.Corp.Example (our (main; inbound) relay) 1; DKIM=Pass (good (really; yes) signature) '
             'reason="signature ok \\"v2\\"" header.i="ivanov@corp.example" header.d = corp.example ;'
             ' spf=none (no "record") smtp.mailfrom=""')
    assert parse_authentication_results(value) == (
        AuthResult("mx.corp.example", "dkim", "pass", (
            ("reason", 'signature ok "v2"'), ("header.i", "ivanov@corp.example"), ("header.d", "corp.example"))),
        AuthResult("mx.corp.example", "spf", "none", (("smtp.mailfrom", ""),)),
    )


def test_quoted_semicolon_and_parenthesis_stay_in_the_value() -> None:
    value = 'mx.corp.example; auth=pass smtp.auth="ivanov;(x)@corp.example"; spf=pass smtp.mailfrom=corp.example'
    results = parse_authentication_results(value)
    assert [r.method for r in results] == ["auth", "spf"]
    assert results[0].get("smtp.auth") == "ivanov;(x)@corp.example"


def test_method_version_is_dropped_and_case_is_folded() -> None:
    r = parse_authentication_results("Example.COM; DKIM/1=PASS Header.D=Example.COM")
    assert r == (AuthResult("example.com", "dkim", "pass", (("header.d", "Example.COM"),)),)


def test_arc_authentication_results_instance_is_skipped() -> None:
    r = parse_authentication_results("i=1; mx.google.com; dkim=pass header.i=@corp.example")
    assert r == (AuthResult("mx.google.com", "dkim", "pass", (("header.i", "@corp.example"),)),)


def test_all_result_values() -> None:
    value = ("mx.corp.example; dkim=fail header.d=a.example; spf=softfail smtp.mailfrom=b.example; "
             "dmarc=none header.from=c.example; spf=neutral; spf=temperror; dkim=permerror; dkim=policy; iprev=pass")
    assert [(r.method, r.result) for r in parse_authentication_results(value)] == [
        ("dkim", "fail"), ("spf", "softfail"), ("dmarc", "none"), ("spf", "neutral"), ("spf", "temperror"),
        ("dkim", "permerror"), ("dkim", "policy"), ("iprev", "pass")]


def test_junk_between_properties_is_skipped() -> None:
    r = parse_authentication_results("mx.corp.example; dkim=pass stray words header.d=corp.example \"open quote")
    assert r == (AuthResult("mx.corp.example", "dkim", "pass", (("header.d", "corp.example"),)),)


def test_a_bad_resinfo_is_dropped_the_rest_kept() -> None:
    value = "mx.corp.example; header.d=x.example; reason=bad; =pass; dkim=pass header.d=c.example"
    assert [(r.method, r.get("header.d")) for r in parse_authentication_results(value)] == [("dkim", "c.example")]


@pytest.mark.parametrize("value", [
    "", "   ", "garbage", "hello world foo", "(((", ")))", ";;;", "=;=", "\"unterminated", "mx.corp.example; dkim",
    "mx.corp.example;", "mx.corp.example extra words; dkim=pass header.d=corp.example", "\x00\xff\ufffd",
    "dkim=pass" * 10_000, "(" * 5000 + "dkim=pass", "mx.corp.example; " + "a=" * 20_000,
])
def test_garbage_gives_nothing_and_never_raises(value: str) -> None:
    assert parse_authentication_results(value) == ()


# ---------------------------------------------------------------------------------------------- whose results count

MX = "mx1.corp.example"
ARRIVAL = ("from mail.corp.example (mail.corp.example [192.0.2.25]) by mx1.corp.example (Postfix) "
           "with ESMTPS id 4Qx1; Mon, 7 Dec 2026 10:00:00 +0300")
SENDER_HOP = "from [10.1.2.3] (ws12.lan [10.1.2.3]) by mail.corp.example with ESMTPSA; Mon, 7 Dec 2026 09:59:59 +0300"
CONTENT_FILTER = "from mx1.corp.example ([127.0.0.1]) by localhost (amavis, port 10024) with ESMTP id x"
PERSON = f"{MX}; dkim=pass header.d=corp.example header.i=ivanov@corp.example header.s=mail header.b=Xy12AbCd"


def mail_headers(*top: tuple[str, str], below: tuple[tuple[str, str], ...] = ()) -> tuple[tuple[str, str], ...]:
    """A header block as it reaches Postdesk: what our MX prepended, its Received, then the sender's own."""
    return (*top, ("Received", ARRIVAL), ("Received", SENDER_HOP), ("From", "Иван Иванов <ivanov@corp.example>"),
            ("To", "service@corp.example"), ("Subject", "Re: VPN"), *below)


def test_results_above_the_arrival_count() -> None:
    headers = mail_headers(("Authentication-Results", OPENDKIM), ("Authentication-Results", OPENDMARC))
    assert [r.method for r in trusted_results(headers, MX)] == ["dkim", "dkim-atps", "dmarc"]


def test_a_header_planted_lower_down_does_not_count_whatever_id_it_names() -> None:
    headers = mail_headers(below=(("Authentication-Results", PERSON),))
    assert trusted_results(headers, MX) == ()
    assert proves_person(headers, MX, "ivanov@corp.example") is None
    beyond = (("Received", ARRIVAL), ("Received", SENDER_HOP), ("Authentication-Results", PERSON),
              ("From", "ivanov@corp.example"))
    assert trusted_results(beyond, MX) == ()  # under a hop that is not our MX's: the sender wrote it
    by_another_host = (("Received", SENDER_HOP), ("Authentication-Results", PERSON), ("From", "ivanov@corp.example"))
    assert trusted_results(by_another_host, MX) == ()


def test_results_a_milter_put_just_below_the_arrival_line_count() -> None:
    """OpenDKIM and OpenDMARC insert at index 1, under the MX's own Received; a header the sender put first
    reads the same, which is why the MX must strip incoming ones with its id (README, Postfix in front)."""
    headers = (("Received", ARRIVAL), ("Authentication-Results", OPENDMARC), ("Authentication-Results", PERSON),
               ("Received", SENDER_HOP), ("From", "ivanov@corp.example"))
    assert [r.method for r in trusted_results(headers, MX)] == ["dmarc", "dkim"]
    after_the_senders_first_header = (("Received", ARRIVAL), ("X-Mailer", "evil"), ("Authentication-Results", PERSON),
                                      ("From", "ivanov@corp.example"))
    assert trusted_results(after_the_senders_first_header, MX) == ()


def test_only_the_top_block_counts_when_our_mx_added_its_own() -> None:
    headers = mail_headers(("Authentication-Results", OPENDKIM), below=(("Authentication-Results", PERSON),))
    assert proves_person(headers, MX, "ivanov@corp.example") is None
    assert all(r.get("header.i") != "ivanov@corp.example" for r in trusted_results(headers, MX))


def test_internal_hops_above_our_results_are_skipped() -> None:
    headers = (("Return-Path", "<ivanov@corp.example>"), ("Received", CONTENT_FILTER),
               *mail_headers(("Authentication-Results", PERSON)))
    assert proves_person(headers, MX, "ivanov@corp.example") == "dkim=pass header.i=ivanov@corp.example"


def test_a_helo_of_127_0_0_1_does_not_make_an_outside_hop_internal() -> None:
    assert _internal_hop(CONTENT_FILTER) and _internal_hop("from localhost (localhost [::1]) by mx1 with ESMTP")
    assert not _internal_hop("from [127.0.0.1] (evil.example [203.0.113.9]) by mx1.corp.example (Postfix)")
    assert not _internal_hop("by mx1.corp.example (Postfix, from userid 0) id 4Qx3")  # local submission


def test_without_any_received_no_header_is_our_mxs() -> None:
    headers = (("Authentication-Results", PERSON), ("From", "ivanov@corp.example"))
    assert trusted_results(headers, MX) == ()


def test_another_hosts_results_or_none_at_all() -> None:
    headers = mail_headers(("Authentication-Results", FORGED), ("Authentication-Results", M365))
    assert trusted_results(headers, MX) == ()
    assert trusted_results(mail_headers(("Authentication-Results", OPENDKIM)), "") == ()


def test_authserv_id_is_case_insensitive() -> None:
    assert proves_person(mail_headers(("Authentication-Results", PERSON)), "MX1.Corp.Example",
                         "IVANOV@corp.example") == "dkim=pass header.i=ivanov@corp.example"


# ---------------------------------------------------------------------------------------------- proving a person


def test_a_domain_signature_proves_no_person() -> None:
    for value in (OPENDKIM, POLICYD_SPF, OPENDMARC, f"{MX}; dkim=pass header.d=corp.example"):
        assert proves_person(mail_headers(("Authentication-Results", value)), MX, "ivanov@corp.example") is None


def test_spf_never_proves_a_person() -> None:
    value = f"{MX}; spf=pass smtp.mailfrom=ivanov@corp.example"
    assert proves_person(mail_headers(("Authentication-Results", value)), MX, "ivanov@corp.example") is None


def test_the_signing_identity_must_be_that_very_address() -> None:
    headers = mail_headers(("Authentication-Results", PERSON))
    assert proves_person(headers, MX, "ivanov@corp.example") == "dkim=pass header.i=ivanov@corp.example"
    assert proves_person(headers, MX, "petrova@corp.example") is None
    failed = PERSON.replace("dkim=pass", "dkim=fail")
    assert proves_person(mail_headers(("Authentication-Results", failed)), MX, "ivanov@corp.example") is None


def test_identity_read_from_the_signature_the_result_names() -> None:
    result = f"{MX}; dkim=pass header.d=corp.example header.s=mail header.b=Xy12AbCd"
    signature = ("v=1; a=rsa-sha256; c=relaxed/relaxed; d=corp.example; s=mail; i=ivanov@corp.example;\r\n"
                 "\th=from:to:subject:date; bh=abc=; b=Xy12AbCd\r\n\t9fQ==")
    headers = mail_headers(("Authentication-Results", result), below=(("DKIM-Signature", signature),))
    assert proves_person(headers, MX, "ivanov@corp.example") == "dkim=pass header.i=ivanov@corp.example"
    unsigned_from = signature.replace("h=from:to", "h=reply-to:to")
    headers = mail_headers(("Authentication-Results", result), below=(("DKIM-Signature", unsigned_from),))
    assert proves_person(headers, MX, "ivanov@corp.example") is None  # the From is not covered
    copied = signature.replace("i=ivanov", "i=petrova")  # a second signature with the same b= disagrees
    headers = mail_headers(("Authentication-Results", result),
                           below=(("DKIM-Signature", signature), ("DKIM-Signature", copied)))
    assert proves_person(headers, MX, "ivanov@corp.example") is None


def test_a_second_from_header_proves_nothing() -> None:
    headers = mail_headers(("Authentication-Results", PERSON), below=(("From", "petrova@corp.example"),))
    assert proves_person(headers, MX, "ivanov@corp.example") is None


# ---------------------------------------------------------------------------------------------- contradicting a From


def test_dmarc_or_dkim_failure_for_the_from_domain_contradicts_it() -> None:
    dmarc = f"{MX}; dmarc=fail (p=none dis=none) header.from=corp.example"
    assert contradicts_from(mail_headers(("Authentication-Results", dmarc)), MX, "petr@corp.example", False) == \
        "dmarc=fail header.from=corp.example"
    assert contradicts_from(mail_headers(("Authentication-Results", DKIM_FAIL)), MX, "petr@corp.example", False) \
        == "dkim=fail header.d=corp.example"
    both = mail_headers(("Authentication-Results", DKIM_FAIL), ("Authentication-Results", OPENDKIM))
    assert contradicts_from(both, MX, "petr@corp.example", True) is None  # one signature failed, another passed


def test_an_employee_authenticated_only_as_another_domain() -> None:
    value = f"{MX}; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=bounce@evil.example"
    headers = mail_headers(("Authentication-Results", value))
    assert contradicts_from(headers, MX, "petr@corp.example", True) == "authenticated as evil.example, not corp.example"
    assert contradicts_from(headers, MX, "anna@customer.example", False) is None  # outsiders' providers sign so


def test_nothing_to_contradict_without_trusted_results() -> None:
    dmarc = f"{MX}; dmarc=fail header.from=corp.example"
    assert contradicts_from(mail_headers(below=(("Authentication-Results", dmarc),)), MX, "petr@corp.example",
                            True) is None
    assert contradicts_from(mail_headers(("Authentication-Results", OPENDKIM)), MX, "petr@corp.example", True) \
        is None
    assert contradicts_from(mail_headers(("Authentication-Results", dmarc)), "", "petr@corp.example", True) is None
