"""The MIME core of the parser on small realistic mails: charsets, headers, body choice, attachments, garbage."""

from __future__ import annotations

import base64
import hashlib
import os
import random
import struct
from datetime import UTC, datetime, timedelta, timezone
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from postdesk.parsers import Address, ParseOptions, parse_mail
from postdesk.parsers.addresses import parse_addresses
from postdesk.parsers.charsets import decode_bytes
from postdesk.parsers.headers import decode_header_value, parse_date, parse_ids
from postdesk.parsers.html_text import html_to_text
from postdesk.parsers.jsonview import mail_as_dict


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


# ------------------------------------------------------------------------------------------ charsets & headers


def test_koi8r_mail_with_encoded_headers() -> None:
    body = "Здравствуйте!\nНе работает принтер на третьем этаже.\n".encode("koi8-r")
    raw = crlf(
        "From: =?koi8-r?B?" + base64.b64encode("Иван Петров".encode("koi8-r")).decode() + "?= <Ivan@Example.RU>\n"
        "To: Служба <desk@example.com>\n"
        "Subject: =?KOI8-R?Q?=F0=D2=C9=CE=D4=C5=D2?= [SD-12]\n"
        "Message-ID: <abc@example.ru>\n"
        "Date: Tue, 3 Mar 2026 10:15:00 +0300\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=koi8-r\n"
        "Content-Transfer-Encoding: 8bit\n\n"
    ) + body
    mail = parse_mail(raw)
    assert mail.from_ == Address("Иван Петров", "ivan@example.ru")
    assert mail.to == (Address("Служба", "desk@example.com"),)  # raw 8-bit utf-8 in a header
    assert mail.subject == "Принтер [SD-12]"
    assert "Не работает принтер" in mail.full_text
    assert mail.language == "ru"
    assert mail.ticket_ref == "SD-12"
    assert mail.message_id == "abc@example.ru"
    assert mail.date == datetime(2026, 3, 3, 10, 15, tzinfo=timezone(timedelta(hours=3)))
    assert mail.html is None


def test_cp1251_body_labelled_latin1_is_recognized() -> None:
    text = "Прошу восстановить доступ к почте, пароль не подходит."
    raw = crlf("From: a@b.ru\nSubject: test\nContent-Type: text/plain; charset=iso-8859-1\n"
               "Content-Transfer-Encoding: 8bit\n\n") + text.encode("cp1251")
    mail = parse_mail(raw)
    assert mail.full_text == text
    assert any("mislabelled" in d for d in mail.defects)


def test_missing_charset_is_detected_koi8_vs_cp1251() -> None:
    text = "Добрый день, коллеги. Отчёт приложен к письму."
    for codec in ("cp1251", "koi8-r", "utf-8"):
        raw = crlf("From: a@b.ru\nSubject: x\n\n") + text.encode(codec)
        assert parse_mail(raw).full_text == text, codec


def test_utf8_labelled_but_cp1251_and_unknown_label() -> None:
    text = "Срочно: сломался ноутбук"
    assert decode_bytes(text.encode("cp1251"), "utf-8")[0] == text
    decoded, defect = decode_bytes(text.encode("cp1251"), "x-foo")
    assert decoded == text
    assert defect is not None and defect.startswith("charset: unknown x-foo")


@pytest.mark.parametrize(("label", "text"), [
    ("iso-8859-5", "Привет"), ("utf-7", "Привет, мир"), ("gb2312", "你好世界"), ("gbk", "你好世界"),
    ("iso-2022-jp", "こんにちは世界"), ("windows-1251", "Заявка №5"), ("koi8-r", "ёлка"), ("big5", "中文測試"),
])
def test_labelled_charsets(label: str, text: str) -> None:
    assert decode_bytes(text.encode(label), label) == (text, None)


def test_iso2022jp_with_vendor_characters_and_shift_jis_mislabel() -> None:
    jis = b"\x1b$B-!#1ET\x1b(B"  # NEC circled one, full-width 1, 都
    assert decode_bytes(jis, "iso-2022-jp")[0] == "①１都"
    sjis = base64.b64encode("ツール".encode("cp932")).decode()
    assert decode_header_value(f"=?ISO-2022-JP?B?{sjis}?=") == "ツール"


def test_rfc2047_adjacent_words_split_multibyte_and_broken_words() -> None:
    # one UTF-8 character split across two encoded words must still decode
    word = "Привет".encode()
    first, second = base64.b64encode(word[:3]).decode(), base64.b64encode(word[3:]).decode()
    assert decode_header_value(f"=?utf-8?B?{first}?=\r\n =?utf-8?B?{second}?=") == "Привет"
    assert decode_header_value("=?utf-8?q?a?= =?utf-8?q?b?= c") == "ab c"
    assert decode_header_value("=?x-unknown?q?caf=E9?=") == "café"
    assert decode_header_value("=?utf-8?B?!!!?=") in ("", "=?utf-8?B?!!!?=")
    raw_8bit = "Тема".encode("cp1251").decode("ascii", "surrogateescape")
    assert decode_header_value(raw_8bit) == "Тема"


def test_addresses_groups_brackets_comments_and_garbage() -> None:
    value = ('"Doe, John" <John@X.com>, =?utf-8?B?0JjQstCw0L0=?= <ivan@y.ru>, c@d.org (Cee Dee), '
             "undisclosed-recipients:;, team: x@y.com, z@w.com;, Broken <broken@x.com, <>, ,")
    assert parse_addresses(value) == (
        Address("Doe, John", "john@x.com"), Address("Иван", "ivan@y.ru"), Address("Cee Dee", "c@d.org"),
        Address("", "x@y.com"), Address("", "z@w.com"), Address("Broken", "broken@x.com"),
    )
    assert parse_addresses("=?iso-8859-1?Q?B=FCrling,=20Andreas?= <smith@example.com>") == (
        Address("Bürling, Andreas", "smith@example.com"),)
    assert parse_addresses("Name (user@example.com)") == (Address("Name", "user@example.com"),)
    assert parse_addresses("MAILER-DAEMON (Mail Delivery System)") == (
        Address("Mail Delivery System", "mailer-daemon"),)
    assert parse_addresses("") == ()


def test_ids_and_dates() -> None:
    assert parse_ids("<a@b> <c@d>\r\n\t<e@f> <a@b>") == ("a@b", "c@d", "e@f")
    assert parse_ids("bare@id.example") == ("bare@id.example",)
    assert parse_ids("   ") == ()
    assert parse_date("Mon, 1 Jan 2024 12:00:00 -0000") == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert parse_date("1 Jan 99 00:00 +0100") == datetime(1999, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    defects: list[str] = []
    assert parse_date("next tuesday", defects) is None
    assert defects


# ------------------------------------------------------------------------------------------ body choice


def test_alternative_prefers_plain_and_keeps_html() -> None:
    msg = MIMEMultipart("alternative")
    msg["From"] = "Anna <anna@example.com>"
    msg["Subject"] = "Re: [sd-7] VPN"
    msg["In-Reply-To"] = "<n1@desk>"
    msg["References"] = "<n0@desk> <n1@desk>"
    msg.attach(MIMEText("VPN works now, thanks.\n", "plain", "utf-8"))
    msg.attach(MIMEText("<p>VPN works <b>now</b>, thanks.</p>", "html", "utf-8"))
    mail = parse_mail(msg.as_bytes(), ParseOptions(ticket_prefix="SD"))
    assert mail.full_text == "VPN works now, thanks."
    assert mail.html is not None and "<b>now</b>" in mail.html
    assert mail.ticket_ref == "SD-7"
    assert mail.in_reply_to == ("n1@desk",)
    assert mail.references == ("n0@desk", "n1@desk")
    assert mail.language == "en"
    assert mail.attachments == ()


def test_html_only_mail_is_converted() -> None:
    html = ("<html><head><style>p{color:red}</style><script>x()</script></head><body>"
            "<p>Hello&nbsp;team,</p><ul><li>one</li><li>two</li></ul>"
            "<p>See <a href='https://wiki.example.com/vpn'>the wiki</a> or https://x.org "
            "<a href='https://x.org'>https://x.org</a></p><table><tr><td>a</td><td>b</td></tr></table></body></html>")
    raw = MIMEText(html, "html", "utf-8")
    raw["From"] = "x@example.com"
    mail = parse_mail(raw.as_bytes())
    assert mail.full_text == ("Hello team,\n\n- one\n- two\n\nSee the wiki (https://wiki.example.com/vpn) or "
                              "https://x.org https://x.org\n\na\tb")
    assert mail.text.startswith("Hello team,")
    assert mail.html == html


def test_empty_plain_alternative_falls_back_to_html() -> None:
    msg = MIMEMultipart("alternative")
    msg.attach(MIMEText("\n\n", "plain", "utf-8"))
    msg.attach(MIMEText("<b>only here</b>", "html", "utf-8"))
    assert parse_mail(msg.as_bytes()).full_text == "only here"


def test_full_text_joins_inline_text_parts_in_order() -> None:
    msg = MIMEMultipart("mixed")
    msg.attach(MIMEText("first part", "plain", "utf-8"))
    msg.attach(MIMEApplication(b"%PDF-1.4", "pdf", Name="a.pdf"))
    msg.attach(MIMEText("second part", "plain", "utf-8"))
    mail = parse_mail(msg.as_bytes())
    assert mail.full_text == "first part\nsecond part"
    assert [a.filename for a in mail.attachments] == ["a.pdf"]


# ------------------------------------------------------------------------------------------ attachments


def test_attachment_names_rfc2231_rfc2047_and_name_fallback() -> None:
    pdf = b"%PDF-1.4 fake"
    cont = "%D0%A1%D1%87%D0%B5%D1%82"  # Счет
    raw = crlf(
        "From: a@example.com\nSubject: files\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="XX"\n\n'
        "--XX\nContent-Type: text/plain; charset=utf-8\n\nsee attached\n"
        "--XX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        f"Content-Disposition: attachment;\n filename*0*=utf-8''{cont};\n filename*1*=%20%E2%84%961.pdf\n\n"
        + b64(pdf) +
        "--XX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        f"Content-Disposition: attachment; filename*=windows-1251''%C0%EA%F2.pdf\n\n{b64(pdf)}"
        "--XX\nContent-Type: application/octet-stream;\n name=\"=?UTF-8?B?0JTQvtCz0L7QstC+0YAuZG9jeA==?=\"\n"
        f"Content-Transfer-Encoding: base64\n\n{b64(b'docx')}"
        "--XX--\n"
    )
    mail = parse_mail(raw)
    assert [a.filename for a in mail.attachments] == ["Счет №1.pdf", "Акт.pdf", "Договор.docx"]
    first = mail.attachments[0]
    assert first.size == len(pdf)
    assert first.sha256 == hashlib.sha256(pdf).hexdigest()
    assert first.data == pdf
    assert first.content_type == "application/pdf"
    assert not first.inline
    assert mail.full_text == "see attached"


def test_raw_8bit_filename_is_decoded() -> None:
    raw = (crlf("From: a@example.com\nSubject: x\nContent-Type: multipart/mixed; boundary=B\n\n--B\n"
                "Content-Type: text/plain\n\nhi\n--B\nContent-Type: image/jpeg\n"
                'Content-Disposition: attachment; filename="')
           + "Hofjägerallee.jpg".encode() + crlf('"\n\nJPEG\n--B--\n'))
    assert [a.filename for a in parse_mail(raw).attachments] == ["Hofjägerallee.jpg"]


def test_inline_image_referenced_by_cid() -> None:
    png = b"\x89PNG\r\n\x1a\nfake"
    raw = crlf(
        "From: a@example.com\nSubject: logo\nContent-Type: multipart/related; boundary=R\n\n"
        "--R\nContent-Type: text/html; charset=utf-8\n\n<p>Logo: <img src=\"cid:logo@x\"></p>\n"
        "--R\nContent-Type: image/png; name=logo.png\nContent-ID: <logo@x>\nContent-Transfer-Encoding: base64\n\n"
        + b64(png) +
        "--R\nContent-Type: image/png; name=other.png\nContent-ID: <other@x>\nContent-Transfer-Encoding: base64\n\n"
        + b64(png) + "--R--\n"
    )
    mail = parse_mail(raw)
    assert [(a.filename, a.inline, a.content_id) for a in mail.attachments] == [
        ("logo.png", True, "logo@x"), ("other.png", False, "other@x")]
    assert mail.full_text == "Logo:"


def test_forwarded_message_becomes_eml_attachment() -> None:
    inner = MIMEText("original text", "plain", "utf-8")
    inner["Subject"] = "=?utf-8?B?0J7RgtGH0ZHRgg==?="  # Отчёт
    inner["From"] = "boss@example.com"
    outer = MIMEMultipart("mixed")
    outer["From"] = "fwd@example.com"
    outer.attach(MIMEText("see below", "plain", "utf-8"))
    from email.mime.message import MIMEMessage

    outer.attach(MIMEMessage(inner))
    mail = parse_mail(outer.as_bytes())
    assert mail.full_text == "see below"
    (att,) = mail.attachments
    assert att.filename == "Отчёт.eml"
    assert att.content_type == "message/rfc822"
    assert not att.name_given
    assert b"Subject: =?utf-8?B?0J7RgtGH0ZHRgg==?=" in att.data
    assert mail_as_dict(mail)["attachments"][0]["filename"] is None


def _tnef_attr(level: int, name: int, type_: int, data: bytes) -> bytes:
    return struct.pack("<BHHI", level, name, type_, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def test_winmail_dat_is_unpacked() -> None:
    tnef = (struct.pack("<IH", 0x223E9F78, 1)
            + _tnef_attr(1, 0x9006, 0x0008, b"\x00\x00\x01\x00")
            + _tnef_attr(1, 0x800C, 0x0002, b"Hello from Outlook\x00")
            + _tnef_attr(2, 0x9002, 0x0006, b"\x00" * 14)
            + _tnef_attr(2, 0x8010, 0x0001, b"report.txt\x00")
            + _tnef_attr(2, 0x800F, 0x0006, b"file content here"))
    msg = MIMEMultipart("mixed")
    msg["From"] = "outlook@example.com"
    part = MIMEApplication(tnef, "ms-tnef", Name="winmail.dat")
    part.add_header("Content-Disposition", "attachment", filename="winmail.dat")
    msg.attach(part)
    mail = parse_mail(msg.as_bytes())
    assert mail.full_text == "Hello from Outlook"
    assert [(a.filename, a.data) for a in mail.attachments] == [("report.txt", b"file content here")]


def test_broken_winmail_dat_is_kept() -> None:
    msg = MIMEMultipart("mixed")
    msg.attach(MIMEText("body", "plain", "utf-8"))
    msg.attach(MIMEApplication(b"not tnef at all", "ms-tnef", Name="winmail.dat"))
    mail = parse_mail(msg.as_bytes())
    assert [a.filename for a in mail.attachments] == ["winmail.dat"]
    assert any(d.startswith("tnef:") for d in mail.defects)


# ------------------------------------------------------------------------------------------ robustness


def test_broken_header_block_is_mended() -> None:
    raw = crlf("---- Original message ----\nFrom: a@example.com\nX-Long: first line\nlost indentation\n"
               "Subject: still found\nTo: desk@example.com\n\nbody\n")
    mail = parse_mail(raw)
    assert mail.subject == "still found"
    assert mail.from_ == Address("", "a@example.com")
    assert mail.full_text == "body"


def test_header_names_with_blanks_do_not_end_the_header_block() -> None:
    """`X Mailer: …` or a name with a tab inside: the fields after it (Content-Type!) still count."""
    body = "Zażółć gęślą jaźń - zgłoszenie.\n".encode("iso-8859-2")
    raw = crlf("From: a@example.com\nSubject: drukarka\nX Mailer: Old Gateway 1.0\n"
               "X-Trace/id\t (local): 42\n 43\nContent-Type: text/plain; charset=iso-8859-2\n"
               "Content-Transfer-Encoding: base64\n\n") + b64(body).encode().replace(b"\n", b"\r\n")
    mail = parse_mail(raw)
    assert mail.full_text == "Zażółć gęślą jaźń - zgłoszenie."
    assert mail.header("X-Mailer") == ["Old Gateway 1.0"]


def test_a_colon_line_followed_by_prose_starts_the_body() -> None:
    raw = crlf("From: a@example.com\nSubject: no blank line\nDear team: the printer is broken.\n"
               "It prints blank pages.\n\nThanks\n")
    mail = parse_mail(raw)
    assert mail.full_text.startswith("Dear team: the printer is broken.\nIt prints blank pages.")


def test_charset_of_an_enclosing_multipart_signed_is_inherited() -> None:
    body = "키스의 고유조건은 입술끼리 만나야 하고".encode("euc-kr")
    raw = crlf('From: a@example.com\nSubject: signed\nMIME-Version: 1.0\nContent-Type: multipart/signed;\n'
               ' charset="euc-kr"; protocol="application/pkcs7-signature"; micalg=sha1; boundary=S\n\n'
               '--S\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n' + b64(body) +
               '\n--S\nContent-Type: application/pkcs7-signature; name=smime.p7s\n'
               'Content-Transfer-Encoding: base64\n\nAAAA\n--S--\n')
    assert parse_mail(raw).full_text == "키스의 고유조건은 입술끼리 만나야 하고"


def test_missing_semicolon_before_boundary_is_mended() -> None:
    raw = crlf("From: a@example.com\nContent-Type: multipart/mixed\n\tboundary=\"B\"\n\n--B\n"
               "Content-Type: text/plain\n\nthe text\n--B\nContent-Type: application/pdf; name=x.pdf\n\n%PDF\n--B--\n")
    mail = parse_mail(raw)
    assert mail.full_text == "the text"
    assert [a.filename for a in mail.attachments] == ["x.pdf"]


def test_multipart_without_boundary_lines_is_read_as_text() -> None:
    raw = crlf("From: a@example.com\nContent-Type: multipart/mixed; boundary=NEVER\n"
               "Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe aus Berlin\n")
    mail = parse_mail(raw)
    assert mail.full_text == "Grüße aus Berlin"
    assert mail.attachments == ()


def test_html_meta_charset_is_used_when_the_part_has_none() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Счёт на оплату</body></html>'
    raw = crlf("From: a@example.com\nContent-Type: text/html\n\n") + html.encode("cp1251")
    assert parse_mail(raw).full_text == "Счёт на оплату"


def test_from_prefers_an_address_with_a_domain() -> None:
    raw = crlf("From: [??????]\nFrom: Real <real@example.com>\nSubject: x\n\nhi\n")
    assert parse_mail(raw).from_ == Address("Real", "real@example.com")


@pytest.mark.parametrize("raw", [
    b"", b"   \r\n", b"\x00\xff\xfe", b"Subject: only a header", b"Subject: x\r\nContent-Type: multipart/mixed\r\n\r\n",
    b"no headers at all, just text\n\nand more", b"Content-Type: text/plain; charset=\"\r\n\r\n\xff\xfe",
    b"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n",
    b"From: <<<@@@>>>\r\nTo: ,,,;;;:::\r\nDate: 99 Foo 99999 99:99:99 +9999\r\nMessage-ID: <<>>\r\n\r\nx",
    b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64@@@",
])
def test_garbage_never_raises(raw: bytes) -> None:
    mail = parse_mail(raw)
    assert isinstance(mail.defects, tuple)
    mail_as_dict(mail)


def test_random_bytes_never_raise() -> None:
    rng = random.Random(7)
    for _ in range(50):
        mail = parse_mail(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))))
        mail_as_dict(mail)
    parse_mail(os.urandom(2000))


def test_deep_nesting_is_cut_off() -> None:
    raw = b"Content-Type: text/plain\r\n\r\nx"
    for depth in range(60):
        raw = (f"Content-Type: multipart/mixed; boundary=b{depth}\r\n\r\n--b{depth}\r\n".encode()
               + raw + f"\r\n--b{depth}--\r\n".encode())
    mail = parse_mail(raw)
    mail_as_dict(mail)


# ------------------------------------------------------------------------------------------ contract


def test_json_view_contract() -> None:
    msg = MIMEText("Привет", "plain", "utf-8")
    msg["From"] = "Анна <anna@example.ru>"
    msg["To"] = "desk@example.com"
    msg["Subject"] = "Вопрос"
    msg["Date"] = "Tue, 3 Mar 2026 10:15:00 +0300"
    d = mail_as_dict(parse_mail(msg.as_bytes()))
    assert set(d) == {"message_id", "from", "to", "cc", "reply_to", "subject", "date", "in_reply_to", "references",
                      "language", "text", "full_text", "has_html", "attachments", "auto", "bounced_recipients",
                      "ticket_ref", "commands", "defects", "reply_cut"}
    assert d["reply_cut"] is None  # nothing was cut
    assert d["from"] == {"name": "Анна", "email": "anna@example.ru"}
    assert d["to"] == [{"name": "", "email": "desk@example.com"}]
    assert d["date"] == "2026-03-03T10:15:00+03:00"
    assert d["language"] == "ru"
    assert d["has_html"] is False


def test_json_view_explains_the_reply_cut() -> None:
    body = ("Да, ноутбук можно забирать.\n\nС уважением,\nИван Петров\nИТ-поддержка\n\n"
            "3 февр. 2026 г., в 10:15, Анна <anna@corp.example> написал(а):\n\n> Когда будет готов ноутбук?\n")
    msg = MIMEText(body, "plain", "utf-8")
    msg["From"] = "ivan@corp.example"
    d = mail_as_dict(parse_mail(msg.as_bytes()))
    assert d["text"] == "Да, ноутбук можно забирать."
    assert d["reply_cut"] == {"rule": "closing-formula", "line": 3, "text": "С уважением,"}
    msg = MIMEText("Спасибо!\n\n-----Исходное сообщение-----\nОт: Служба <desk@corp.example>\n\nold\n", "plain",
                   "utf-8")
    cut = mail_as_dict(parse_mail(msg.as_bytes()))["reply_cut"]
    assert cut == {"rule": "forward-separator", "line": 3, "text": "-----Исходное сообщение-----"}


def test_json_view_explains_what_stands_above_a_bottom_posted_answer() -> None:
    """A bottom post's attribution and quote are not in the ticket either: the view names the first of them, so an
    admin sees why the ticket's text starts below (it was null, as if nothing had been cut)."""
    body = "10.02.2026 09:14, Служба <desk@corp.example> пишет:\n> Какой у вас кабинет?\n\nКабинет 305.\n"
    msg = MIMEText(body, "plain", "utf-8")
    msg["From"] = "Сергей Волков <s.volkov@corp.example>"
    msg["Subject"] = "Re: Принтер [SD-7]"
    d = mail_as_dict(parse_mail(msg.as_bytes()))
    assert d["text"] == "Кабинет 305."
    assert d["reply_cut"] == {"rule": "attribution", "line": 1,
                              "text": "10.02.2026 09:14, Служба <desk@corp.example> пишет:"}


def test_json_view_explains_a_cut_made_in_the_html() -> None:
    html = ('<div>Approved, go ahead.</div><div class="gmail_quote"><div>On Mon, Anna &lt;anna@corp.example&gt; '
            'wrote:</div><blockquote type="cite">Can I order two monitors?</blockquote></div>')
    msg = MIMEText(html, "html", "utf-8")
    msg["From"] = "boss@corp.example"
    d = mail_as_dict(parse_mail(msg.as_bytes()))
    assert d["text"] == "Approved, go ahead."
    assert d["reply_cut"]["rule"] == "html-quote"
    assert d["reply_cut"]["line"] == 2 and d["reply_cut"]["text"].startswith("On Mon, Anna")


def test_headers_are_kept_unfolded_in_order() -> None:
    raw = crlf("Received: from a\n by b\nX-Test: one\nSubject: s\n\nbody\n")
    mail = parse_mail(raw)
    assert mail.headers == (("Received", "from a by b"), ("X-Test", "one"), ("Subject", "s"))
    assert mail.header("x-test") == ["one"]


def test_html_to_text_entities_and_breaks() -> None:
    assert html_to_text("a<br>b&amp;c<div>d</div>&#1055;&lt;") == "a\nb&c\nd\nП<"
    assert html_to_text("<p>unclosed <b>tags") == "unclosed tags"


# ------------------------------------------------------------------------------------------ issue 15, round 3


@pytest.mark.parametrize(("name", "codec"), [
    ("Łukasz Żółw", "iso-8859-2"), ("Γιώργος Παπάς", "iso-8859-7"), ("山田太郎", "shift_jis"), ("김민준", "euc-kr"),
    ("王小明", "gbk"), ("Şule Öztürk", "cp1254"), ("Ян", "cp1251"), ("José García", "iso-8859-1"),
])
def test_raw_8bit_headers_are_read_in_the_charset_the_mailer_declared(name: str, codec: str) -> None:
    """A few raw header bytes cannot tell Latin-2 from Cyrillic or GBK from Shift_JIS; the body's label can."""
    raw = (b"From: " + name.encode(codec) + b" <a@example.com>\r\nTo: b@example.com\r\nSubject: "
           + name.encode(codec) + b"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + codec.encode()
           + b"\r\n\r\n" + f"Hello {name}".encode(codec) + b"\r\n")
    mail = parse_mail(raw)
    assert (mail.subject, mail.from_) == (name, Address(name, "a@example.com"))
    assert mail.full_text == f"Hello {name}"


def test_raw_header_bytes_that_do_not_fit_the_declared_charset_are_guessed() -> None:
    """GBK under a spam filter's Latin-1 report (zammad mail046), cp1251 under a utf-8 body: the label of the
    text is not the header's."""
    gbk = (b"From: " + "武兰成".encode("gbk") + b" <a@example.com>\r\nSubject: " + "整体提升企业服务水平".encode("gbk")
           + b"\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nreport\r\n")
    assert (parse_mail(gbk).subject, parse_mail(gbk).from_.name) == ("整体提升企业服务水平", "武兰成")  # type: ignore[union-attr]
    cp1251 = (b"From: " + "Ирина Кузнецова".encode("cp1251") + b" <i@example.com>\r\nSubject: "
              + "Не работает сканер".encode("cp1251") + b"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
              + "Сканер".encode())
    mail = parse_mail(cp1251)
    assert (mail.subject, mail.from_) == ("Не работает сканер", Address("Ирина Кузнецова", "i@example.com"))


def test_format_flowed_is_joined_by_quote_depth() -> None:
    """RFC 3676: soft lines join within one quote depth; `-- `, empty lines and lines that join nothing stay."""
    text = ("Das ist umbro \nchen, mitten im Wort.\n\nSoft line before \n\nan empty one.\n"
            "> quoted and \n> wrapped\n>> deeper \n> shallower\nend \n-- \nName")
    ct = 'text/plain; charset="utf-8"; format=flowed; delsp=yes'
    raw = crlf(f"From: a@example.com\nSubject: x\nContent-Type: {ct}\n\n{text}\n")
    assert parse_mail(raw).full_text == ("Das ist umbrochen, mitten im Wort.\n\nSoft line before\n\nan empty one.\n"
                                         "> quoted andwrapped\n>> deeper\n> shallower\nend\n--\nName")  # no blanks
    plain = parse_mail(raw.replace(b"delsp=yes", b"delsp=no")).full_text
    assert "umbro chen" in plain and "> quoted and wrapped" in plain


def test_a_lone_cr_in_a_header_is_a_blank_and_a_cr_only_mail_still_reads() -> None:
    raw = b"From: a@example.com\r\nSubject: VPN\rdown again\x00 today\r\nTo: b@example.com\r\n\r\nbody\r\n"
    mail = parse_mail(raw)
    assert (mail.subject, mail.full_text, [a.email for a in mail.to]) == ("VPN down again today", "body",
                                                                         ["b@example.com"])
    old_mac = b"From: a@example.com\rSubject: classic\rTo: b@example.com\r\rline one\rline two\r"
    mail = parse_mail(old_mac)
    assert (mail.subject, mail.full_text) == ("classic", "line one\nline two")


def test_a_byte_order_mark_is_no_text() -> None:
    for data, cs in (("\ufeffHallo".encode(), "utf-8"), ("Hallo".encode("utf-16"), "utf-16")):
        raw = crlf(f"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset={cs}\n"
                   "Content-Transfer-Encoding: base64\n\n") + base64.encodebytes(data)
        assert parse_mail(raw).full_text == "Hallo", cs


@pytest.mark.parametrize(("name", "codec"), [
    ("Zażółć.pdf", "iso-8859-2"), ("請求書.pdf", "shift_jis"), ("견적서.pdf", "euc-kr"), ("报价单.pdf", "gbk"),
    ("Größe.pdf", "iso-8859-1"), ("Счёт.pdf", "cp1251"), ("Счёт.pdf", "koi8-r"), ("Ελλάδα.pdf", "iso-8859-7"),
])
def test_raw_8bit_file_names_are_read_in_the_charset_the_mailer_declared(name: str, codec: str) -> None:
    raw = (b"From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
           b"\r\n--b\r\nContent-Type: text/plain; charset=" + codec.encode() + b"\r\n\r\nhi\r\n--b\r\n"
           b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + name.encode(codec)
           + b"\"\r\n\r\nPDF\r\n--b--\r\n")
    assert [a.filename for a in parse_mail(raw).attachments] == [name]


@pytest.mark.parametrize(("label", "codec", "text"), [
    ("windows-31j", "cp932", "請求書をお送りします"), ("x-euc-jp", "euc_jp", "請求書をお送りします"),
    ("x-x-big5", "big5", "請款單已寄出"), ("gb_2312-80", "gb2312", "报价单已发送"),
    ("x-windows-949", "cp949", "견적서를 보냅니다"), ("cp-850", "cp850", "Größe München"),
    ("win-1252", "cp1252", "Grüße – „Köln“"), ("windows1252", "cp1252", "Grüße €"),
    ("koi8", "koi8-r", "Привет, мир"), ("koi8u", "koi8-u", "Привіт, ґанок"), ("x-mac-ce", "mac_latin2", "Zażółć gęślą"),
])
def test_charset_labels_in_their_other_spellings(label: str, codec: str, text: str) -> None:
    assert decode_bytes(text.encode(codec), label) == (text, None)


def test_a_boundary_whose_quote_was_never_closed_still_delimits() -> None:
    raw = crlf('From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="abc\n\n'
               "--abc\nContent-Type: text/plain\n\nthe text\n--abc\nContent-Type: application/pdf; name=a.pdf\n\nPDF\n"
               "--abc--\n")
    mail = parse_mail(raw)
    assert (mail.full_text, [a.filename for a in mail.attachments]) == ("the text", ["a.pdf"])


@pytest.mark.parametrize(("cte", "body"), [("base-64", "R3LDvMOfZQ=="), ("Quoted_Printable", "Gr=C3=BC=C3=9Fe")])
def test_a_misspelt_transfer_encoding_is_still_decoded(cte: str, body: str) -> None:
    raw = crlf(f"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
               f"Content-Transfer-Encoding: {cte}\n\n{body}\n")
    assert parse_mail(raw).full_text == "Grüße"


@pytest.mark.parametrize(("codec", "text"), [
    ("shift_jis", "お世話になっております。事務所のプリンターが昨日から動きません。至急対応をお願いします。"),
    ("euc-jp", "お世話になっております。事務所のプリンターが昨日から動きません。至急対応をお願いします。"),
    ("euc-kr", "안녕하세요. 사무실 프린터가 어제부터 작동하지 않습니다. 빠른 조치 부탁드립니다."),
    ("gbk", "您好，办公室的打印机从昨天开始无法使用，请尽快协助处理。"),
    ("gbk", "您好 请 帮忙 处理 打印机 问题"),
    ("cp866", "Добрый день, программа учёта склада не печатает накладные."),
    ("cp1251", "Добрый день, принтер в офисе не работает со вчерашнего дня."),
    ("koi8-r", "Добрый день, принтер в офисе не работает со вчерашнего дня."),
    ("cp1252", "Bonjour, l'imprimante est cassée depuis déjà trois jours. Merci d'avance, « Hélène »."),
])
def test_unlabelled_bytes_of_east_asian_and_dos_mailers_are_recognized(codec: str, text: str) -> None:
    """Japanese and Korean also decode as GBK, cp866 Russian as Latin-1: kana, Hangul words between blanks and
    whole words of cp866 letters tell them apart."""
    assert decode_bytes(text.encode(codec), None)[0] == text


def test_recipients_without_a_domain_are_no_recipients() -> None:
    """A reply could reach neither `matmail` nor a bare name (imap_tools raw_email11 expects no To at all)."""
    raw = crlf("From: a@example.com\nTo: matmail\nCc: Team Lead, b@example.com, recipient-list\nSubject: x\n\nhi\n")
    mail = parse_mail(raw)
    assert (mail.to, [a.email for a in mail.cc]) == ((), ["b@example.com"])


def test_a_preamble_that_is_a_part_is_read_as_the_first_part() -> None:
    """A hand-made multipart without its first delimiter line: the text is the agent's, not a preamble to drop."""
    raw = crlf("From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
               "Content-Type: text/plain;\n charset=utf-8\n\nthe request\n--b\n"
               "Content-Type: application/pdf; name=a.pdf\n\nPDF\n--b--\n")
    mail = parse_mail(raw)
    assert (mail.full_text, [a.filename for a in mail.attachments]) == ("the request", ["a.pdf"])
    head = b"Content-Type: text/plain;\r\n charset=utf-8\r\n\r\nthe request"
    usual = raw.replace(head, b"This is a multi-part message")
    assert parse_mail(usual).full_text == ""


def test_a_q_encoded_word_folded_inside_an_escape_is_joined() -> None:
    raw = crlf("From: a@example.com\nSubject: =?utf-8?Q?R=C3=A9union_caf=C3=\n A9?=\n\nx\n")
    assert parse_mail(raw).subject == "Réunion café"


def test_a_subject_of_sixty_thousand_characters_is_cut_to_a_title() -> None:
    # it is every notice's Subject, the tracking page's heading and the ticket list's line: a hostile one held
    # 60,000 characters; cut, with the cut said in the defects, and an ordinary long subject kept whole
    long = "Не работает " * 5000
    raw = f"From: a@x.example\nTo: service@corp.example\nSubject: {long}\n\nhi\n".encode()
    m = parse_mail(raw, ParseOptions(ticket_prefix="SD"))
    assert 3990 < len(m.subject) <= 4000 and m.subject.endswith("…") and m.subject.startswith("Не работает Не работает")
    assert any("subject: cut to 4000" in d for d in m.defects)
    ordinary = "RE: [SD-7] " + "очень длинная тема " * 40
    m = parse_mail(f"From: a@x.example\nSubject: {ordinary}\n\nhi\n".encode(), ParseOptions(ticket_prefix="SD"))
    assert m.subject == ordinary.strip() and m.ticket_ref == "SD-7"
