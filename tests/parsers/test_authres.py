"""Authentication-Results as real MTAs write them, and trusting only what our own authserv-id verified."""

from __future__ import annotations

import pytest

from parsers.authres import AuthResult, parse_authentication_results, passes_for_domain

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


# ---------------------------------------------------------------------------------------------- trusting a domain


def test_dkim_pass_by_header_d() -> None:
    assert passes_for_domain([OPENDKIM], "mx1.corp.example", "corp.example") == "dkim=pass header.d=corp.example"


def test_dkim_pass_by_header_i_domain() -> None:
    assert passes_for_domain([GMAIL], "mx.google.com", "corp.example") == "dkim=pass header.i=@corp.example"


def test_spf_pass_by_mailfrom_domain() -> None:
    assert passes_for_domain([POLICYD_SPF], "mx1.corp.example", "corp.example") == "spf=pass smtp.mailfrom=corp.example"
    value = "mx1.corp.example; spf=pass smtp.mailfrom=ivanov@corp.example"
    assert passes_for_domain([value], "mx1.corp.example", "corp.example") == \
        "spf=pass smtp.mailfrom=ivanov@corp.example"


def test_dkim_is_preferred_over_spf() -> None:
    assert passes_for_domain([POLICYD_SPF, OPENDKIM], "mx1.corp.example", "corp.example") == \
        "dkim=pass header.d=corp.example"
    assert passes_for_domain([GMAIL], "mx.google.com", "corp.example").startswith("dkim=pass")


def test_yandex_smtp_mail_counts_as_mailfrom() -> None:
    spf_only = YANDEX.split("; dkim")[0]
    authserv = "mail-nwsmtp-mxfront-production-main-38.vla.yp-c.yandex.net"
    assert passes_for_domain([spf_only], authserv, "corp.example") == "spf=pass smtp.mailfrom=ivanov@corp.example"
    assert passes_for_domain([YANDEX], authserv, "corp.example") == "dkim=pass header.i=@corp.example"


def test_authserv_id_and_domain_are_case_insensitive() -> None:
    assert passes_for_domain([OPENDKIM], "MX1.Corp.Example", "CORP.example.") == "dkim=pass header.d=corp.example"


def test_forged_header_with_another_authserv_id_does_not_count() -> None:
    assert passes_for_domain([FORGED], "mx1.corp.example", "corp.example") is None
    assert passes_for_domain([FORGED, OPENDMARC], "mx1.corp.example", "corp.example") is None
    assert passes_for_domain([FORGED, OPENDKIM], "mx1.corp.example", "corp.example") == \
        "dkim=pass header.d=corp.example"


def test_header_without_authserv_id_is_never_trusted() -> None:
    assert passes_for_domain([M365], "", "corp.example") is None
    assert passes_for_domain([M365], "mx1.corp.example", "corp.example") is None


def test_failures_do_not_count() -> None:
    assert passes_for_domain([DKIM_FAIL, SPF_SOFTFAIL], "mx1.corp.example", "corp.example") is None
    assert parse_authentication_results(DKIM_FAIL)[0].get("reason") == "signature verification failed"


def test_dmarc_pass_alone_does_not_count() -> None:
    assert passes_for_domain([OPENDMARC], "mx1.corp.example", "corp.example") is None


def test_other_domain_or_subdomain_does_not_count() -> None:
    assert passes_for_domain([OPENDKIM], "mx1.corp.example", "other.example") is None
    value = "mx1.corp.example; dkim=pass header.d=mail.corp.example; spf=pass smtp.mailfrom=bounce@esp.example"
    assert passes_for_domain([value], "mx1.corp.example", "corp.example") is None
    assert passes_for_domain([value], "mx1.corp.example", "mail.corp.example") == "dkim=pass header.d=mail.corp.example"


def test_spf_helo_is_not_mailfrom() -> None:
    value = "mx1.corp.example; spf=pass smtp.helo=mail.corp.example"
    assert passes_for_domain([value], "mx1.corp.example", "corp.example") is None


def test_garbage_and_empty_inputs() -> None:
    assert passes_for_domain([], "mx1.corp.example", "corp.example") is None
    assert passes_for_domain(["garbage", "", ";;"], "mx1.corp.example", "corp.example") is None
    assert passes_for_domain([OPENDKIM], "mx1.corp.example", "") is None
