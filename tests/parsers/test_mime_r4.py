"""Blind set, round 4 (issue 15): MIME, charsets, headers and addresses in tests/mail/mime_r4_*.eml.

Written before reading parsers/, in shapes round 3 lacks — the odd corners that the parse-fixture suites of
mail libraries (Python, Ruby's mail, Go, Rust, JavaMail, PHP) collect: encoded words split between a B and a Q
word, with RFC 2231 language tags, in comments, with literal spaces or lost padding, an encoded comma in an
unquoted name; raw 8-bit headers in legacy charsets; LF-only, CR-only, BOM and mbox "From " mail; groups, route
addresses, several From addresses, Sender and Resent-*; signed and encrypted shapes (S/MIME, PGP/MIME), Apple
double, BinHex, uuencode, a broken winmail.dat; CJK and Central European charsets in bodies and file names.
The comparison (what counts as the same subject, address, name) is round 3's, imported from test_mime_r3.
A check the parser still fails is an xfail(strict=True) with the reason, so a fix shows up at once.

`.venv/bin/python -m tests.parsers.test_mime_r4 [-v]` prints the score by kind.
"""

from __future__ import annotations

import re
import sys

import pytest

from postdesk.parsers import parse_mail
from tests.parsers.test_mime_r3 import KINDS, MAIL_DIR, OPTIONS, SD, SOME_NAME, Blind, Named, _parse, check, params, s

ANY = None
SIG = "signature.asc"

CASES: tuple[Blind, ...] = (
    # ------------------------------------------------------------------------------------ encoded words
    Blind("mime_r4_ew_split_char_b_then_q.eml", "Не печатает принтер в 305",
          ("Дмитрий Соколов", "d.sokolov@partner.example"),
          has=("Принтер в кабинете 305 не печатает с понедельника.",)),
    # RFC 2047 6.2: the blank between two adjacent encoded words is dropped (the second does not start with `_`)
    Blind("mime_r4_ew_rfc2231_language_tag.eml",
          "Нет доступа к порталуfür Jörg",
          ("Jörg Brückner", "j.brueckner@partner.example"), has=("Jörg kommt nicht ins Portal.",)),
    Blind("mime_r4_ew_in_comment_name.eml", "Passwort abgelaufen", ("Ramón López", "r.lopez@partner.example"),
          has=("Mein Passwort ist abgelaufen und ich kann es nicht ändern.",)),
    Blind("mime_r4_ew_quoted_mixed_with_plain.eml", "Badge reader", ("François Dupont", "f.dupont@partner.example"),
          cc=s("asa@corp.example", "asa.l@corp.example"),
          has=("The badge reader at the south entrance rejects my card.",)),
    Blind("mime_r4_ew_folded_underscores_whitespace.eml", "Passwort zurücksetzen für Frau Böhm",
          ("Gisela Böhm", "g.boehm@partner.example"), has=("Bitte das Passwort für Frau Böhm zurücksetzen.",)),
    Blind("mime_r4_ew_latin9_cp1250.eml", "Rechnung 120 € offen", ("Łukasz Dvořák", "l.dvorak@partner.example"),
          has=("Die Rechnung über 120 € ist noch offen.",)),
    Blind("mime_r4_ew_q_with_literal_spaces.eml", "Drucker im 2. Stock ist kaputt",
          ("Ute Krämer", "u.kraemer@partner.example"), has=("Der Drucker im 2. Stock zieht kein Papier ein.",)),
    Blind("mime_r4_ew_b_missing_padding.eml", "Übersicht der Tickets", ("Jörg", "joerg.b@partner.example"),
          has=("Die Übersicht der Tickets lädt nicht.",)),
    Blind("mime_r4_ew_crlf_inside_encoded_word.eml", "Monitor defekt Bcc: attacker@evil.example",
          ("Eve Reply-To: x@evil.example", "eve.m@partner.example"), has=("Mein Monitor zeigt Streifen.",),
          xfail={"from_name": "disagreement kept: a name that decodes to a line break is dropped, the address kept "
                              "(tests/parsers/test_addresses.py: it would forge a header or a second sender)"}),
    # ------------------------------------------------------------------------------------ raw headers, line ends
    Blind("mime_r4_raw_latin1_headers.eml", "Grüße und eine Frage zur VPN",
          ("Jürgen Sänger", "j.saenger@partner.example"),
          has=("Wie richte ich das VPN auf dem neuen Laptop ein? Grüße, Jürgen",)),
    Blind("mime_r4_raw_shift_jis_headers.eml", "パスワードの再設定", ("山田 花子", "hanako.yamada@partner.example"),
          has=("パスワードを忘れました。再設定をお願いします。",)),
    Blind("mime_r4_very_long_header_lines.eml",
          "Liste der Geräte: " + ", ".join(f"Notebook-{n:04d}" for n in range(1, 90)),
          ("Pia Wendt", "pia.wendt@partner.example"),
          to=frozenset({f"device-owner-{n:03d}@corp.example" for n in range(1, 60)} | {SD}),
          has=("Bitte die Geräte in der Liste inventarisieren.",)),
    Blind("mime_r4_bom_before_headers.eml", "Scanner", ("Kai Brandt", "kai.brandt@partner.example"),
          has=("Der Scanner im Flur meldet einen Papierstau.",),),
    Blind("mime_r4_mbox_from_line_escaped.eml", "Log excerpt", ("Ken Ueda", "k.ueda@partner.example"),
          has=("The nightly job failed again.", "From the log: job 17 exited with code 2."),
          lacks=("Mar  3 09:15:00 2026",)),
    Blind("mime_r4_lf_only_line_endings.eml", "LF-Zeilenenden", ("Lars Eik", "lars.eik@partner.example"),
          attachments=("scan.pdf",), has=("Der Scan ist angehängt.",)),
    Blind("mime_r4_cr_only_line_endings.eml", "CR line endings", ("Clara Ruiz", "clara.ruiz@partner.example"),
          attachments=("scan.pdf",), has=("Old Mac mail: the scan is attached.",)),
    # ------------------------------------------------------------------------------------ addresses
    Blind("mime_r4_groups_with_comments.eml", "Team access", ("Petra Lang", "petra.lang@partner.example"),
          to=s("anna@corp.example", "boris@corp.example", SD),
          has=("Please give the support team access to the queue.",)),
    Blind("mime_r4_rfc6532_greek_chinese_idn.eml", "Διεύθυνση με ελληνικά",
          ("Δημήτρης Παπαδόπουλος", "δημήτρης@παράδειγμα.ελ"), to=s("用户@例子.中国", SD), cc=s("info@müller.example"),
          has=("Τα μηνύματα προς την ελληνική διεύθυνση δεν φτάνουν.",)),
    Blind("mime_r4_quoted_local_part_spaces.eml", "Quoted local parts",
          ("Jane Q. Public", '"jane q public"@partner.example'),
          to=s('"first last"@corp.example', SD), has=("My address has spaces in it and replies bounce.",)),
    Blind("mime_r4_display_names_comma_at.eml", "Names with at-signs",
          ("Doe, Jane (jane@home.example)", "jane.doe@partner.example"), to=s(SD, "bob@corp.example"),
          cc=s("list@corp.example"), has=("The calendar invite shows the wrong time zone.",)),
    Blind("mime_r4_sender_differs_from_from.eml", "Travel request", ("Dr. Helga Stein", "h.stein@partner.example"),
          has=("Please book the meeting room for Dr. Stein on Friday.",)),
    Blind("mime_r4_resent_headers.eml", "Printer toner", ("Olaf Berg", "olaf.berg@partner.example"),
          to=s("office@partner.example"), has=("We need new toner for the printer in room 12.",)),
    Blind("mime_r4_several_from_addresses.eml", "Joint request", ("Anna Frei", "anna.frei@partner.example"),
          has=("We both need access to the shared drive.",)),
    Blind("mime_r4_obsolete_route_address.eml", "Route address", ("Jane Roe", "jane.roe@partner.example"),
          has=("Old gateway, old syntax.",)),
    Blind("mime_r4_ew_comma_unquoted_in_to.eml", "Encoded comma", ("Lisa Brandt", "lisa.brandt@partner.example"),
          to=s("hans@corp.example", SD), cc=s("p.ivanov@corp.example"), has=("Hans und Pjotr bitte auf Kopie.",)),
    # ------------------------------------------------------------------------------------ MIME structure
    Blind("mime_r4_rfc822_named_by_encoded_subject.eml", "Fwd: two mails from the supplier",
          ("Ivo Kral", "ivo.kral@partner.example"), attachments=("Счёт за март.eml", "lieferschein.eml"),
          has=("Both supplier mails are attached.",), lacks=("Inner invoice text", "Inner delivery text")),
    Blind("mime_r4_alternative_in_related_in_mixed.eml", "Chart is wrong", ("Mia Chen", "mia.chen@partner.example"),
          attachments=("chart.png", "report.pdf"), has=("The chart below shows wrong totals.",)),
    Blind("mime_r4_mdn_read_receipt.eml", "Gelesen: Druckerproblem", ("Tina Vogel", "tina.vogel@partner.example"),
          attachments=ANY, has=("Ihre Nachricht wurde am 03.03.2026 um 10:00 Uhr gelesen.",)),
    Blind("mime_r4_calendar_invite.eml", "Einladung: Laptop-Übergabe", ("Jonas Mai", "jonas.mai@partner.example"),
          attachments=ANY, has=("Termin für die Laptop-Übergabe am Donnerstag.",), lacks=("BEGIN:VCALENDAR",)),
    Blind("mime_r4_names_from_content_type_or_none.eml", "Two PDFs", ("Rosa Licht", "rosa.licht@partner.example"),
          attachments=("Rechnung.pdf", Named("a .pdf name", lambda n: n.lower().endswith(".pdf"))),
          has=("Eine Rechnung und ein Scan ohne Namen.",)),
    Blind("mime_r4_uuencode_in_plain_body.eml", "Report (uuencoded)", ("Old Client", "old.client@partner.example"),
          attachments=("report.txt",), has=("Here is the report from the old system.", "Regards"),
          lacks=("begin 644",),
          xfail={k: "disagreement kept: stalwart (legacy/049) and zammad (mail025) keep a uuencoded block as "
                    "body text with no attachment, as Python does; see parsers/appledouble.py"
                 for k in ("attachments", "body")}),
    Blind("mime_r4_binhex_attachment.eml", "Mac file", ("Mac User", "mac.user@partner.example"),
          attachments=("Budget.hqx",), has=("The file from my old Mac.",), lacks=("BinHex 4.0",)),
    Blind("mime_r4_appledouble.eml", "Spreadsheet from Mac", ("Mac User", "mac.user@partner.example"),
          attachments=("Budget.xls",), has=("The budget sheet, sent from Apple Mail.",),),
    Blind("mime_r4_tnef_broken.eml", "Outlook rich text", ("Outlook User", "outlook.user@partner.example"),
          attachments=(SOME_NAME,), has=("The projector remote is missing.",), lacks=("garbage-not-tnef",),),
    Blind("mime_r4_smime_signed_with_attachment.eml", "Signed contract", ("Nora Weiss", "nora.weiss@partner.example"),
          attachments=("contract.pdf", "smime.p7s"), has=("The signed contract is attached.",),
          lacks=("cryptographically signed message",)),
    Blind("mime_r4_smime_opaque_signed.eml", "Opaque signed", ("Nora Weiss", "nora.weiss@partner.example"),
          attachments=("smime.p7m",), lacks=("MIAGCSqGSIb3DQEHAqCAMIACAQEx",)),
    Blind("mime_r4_pgp_mime_signed.eml", "PGP signed", ("Gerd Fuchs", "gerd.fuchs@partner.example"),
          attachments=(SIG,), has=("Bitte meinen Schlüssel im Verzeichnis aktualisieren.",),
          lacks=("BEGIN PGP SIGNATURE",)),
    Blind("mime_r4_part_without_content_type.eml", "No part headers", ("Lea Sand", "lea.sand@partner.example"),
          attachments=("list.csv",), has=("The first part has no headers at all.",), lacks=("1;2",)),
    Blind("mime_r4_boundary_with_specials.eml", "Special boundary", ("Ines Ford", "ines.ford@partner.example"),
          attachments=("logs.zip",), has=("The boundary has odd characters.",)),
    # ------------------------------------------------------------------------------------ transfer encodings
    Blind("mime_r4_binary_cte.eml", "Binary parts", ("Bea Kron", "bea.kron@partner.example"),
          attachments=("data.bin",), has=("Die Datei enthält Rohdaten – bitte prüfen.",)),
    Blind("mime_r4_base64_bad_padding_garbage.eml", "Kein Ton", ("Emil Horn", "emil.horn@partner.example"),
          has=("Der Lautsprecher im Besprechungsraum gibt keinen Ton aus.",)),
    Blind("mime_r4_qp_lowercase_trailing_spaces.eml", "QP", ("Rolf Hahn", "rolf.hahn@partner.example"),
          has=("Die Lösung ist einfach.", "Zweite Zeile mit Leerzeichen am Ende", "Dritte Zeile: fertig."),
          lacks=("=c3", "ein="),),
    Blind("mime_r4_cte_with_comment_and_case.eml", "CTE comment", ("Sven Ohm", "sven.ohm@partner.example"),
          has=("Die Anmeldung am Terminalserver schlägt fehl.",),),
    # ------------------------------------------------------------------------------------ legacy charsets
    Blind("mime_r4_iso2022jp.eml", "会議室のプロジェクターが故障", ("山田太郎", "t.yamada@partner.example"),
          attachments=("議事録.pdf",), has=("第二会議室のプロジェクターが映りません。至急確認をお願いします。",)),
    Blind("mime_r4_big5.eml", "印表機無法列印", ("陳小明", "xm.chen@partner.example"),
          has=("三樓的印表機無法列印，請協助處理。",)),
    Blind("mime_r4_euc_kr.eml", "메일 수신 오류", ("이서연", "seoyeon.lee@partner.example"),
          has=("어제부터 외부 메일이 수신되지 않습니다.",)),
    Blind("mime_r4_gb18030.eml", "邮箱容量已满", ("张𠀀", "zhang@partner.example"),
          has=("我的邮箱容量已满，请扩容。€ 费用由部门承担。",)),
    Blind("mime_r4_shift_jis_cp932_chars.eml", "①番の端末が起動しない", ("佐藤", "sato@partner.example"),
          has=("①番の端末が起動しません～。ご確認ください。",)),
    Blind("mime_r4_cp1250_czech.eml", "Tiskárna nefunguje", ("Jiří Novák", "jiri.novak@partner.example"),
          attachments=("Žádost.pdf",), has=("Dobrý den, tiskárna ve 3. patře „netiskne“ – prosím o opravu.",)),
    Blind("mime_r4_ibm866_words.eml", "Касса не печатает чеки", ("Бухгалтерия Ёлкина", "buh@partner.example"),
          has=("Кассовая программа под DOS не печатает чеки с утра.",)),
    Blind("mime_r4_rfc2231_mixed_segments.eml", "Акт и договор", ("Vera Ilic", "vera.ilic@partner.example"),
          attachments=("Акт No 15 от марта.pdf", "Договор.doc"), has=("Акт и договор во вложении.",)),
    Blind("mime_r4_raw_8bit_filenames.eml", "Raw names", ("Tom Gärtner", "tom.gaertner@partner.example"),
          attachments=("Überweisung März.pdf", "Отчёт.txt"), has=("Zwei Dateien mit Umlauten.",), lacks=("отчёт",)),
)

# Round 4b: 13 more, written after round 4's fixes (the parser partly read by then) and run once before any change.
CASES_B: tuple[Blind, ...] = (
    Blind("mime_r4b_utf7_body.eml", "UTF-7", ("Karl Ott", "karl.ott@partner.example"),
          has=("Die Größe des Postfachs ist überschritten – bitte erhöhen.",)),
    Blind("mime_r4b_rfc2231_latin1_language.eml", "Grüße-Datei", ("Mona Rau", "mona.rau@partner.example"),
          attachments=("Grüße an alle.txt",), has=("The file is attached.",), lacks=("Hallo",)),
    Blind("mime_r4b_inline_pdf_named.eml", "Inline PDF", ("Paul Bay", "paul.bay@partner.example"),
          attachments=("invoice.pdf",), has=("The invoice is inline below.", "And the text after it.")),
    Blind("mime_r4b_attachment_only_no_text.eml", "Scan 0042", ("Scanner", "scanner@partner.example"),
          attachments=("scan0042.pdf",), lacks=("JVBERi",)),
    Blind("mime_r4b_html_entities_cp1251.eml", "Ошибка входа", ("Инна Рябова", "i.ryabova@partner.example"),
          has=("Добрый день!", "Не могу войти — пишет «неверный пароль».")),
    Blind("mime_r4b_unicode_1_1_utf8_label.eml", "Outlook label", ("Lars Holm", "lars.holm@partner.example"),
          has=("Der Kalender zeigt „falsche“ Zeiten – seit Montag.",)),
    Blind("mime_r4b_nested_comments_group.eml", "Nested comments", ("Ruth Lind", "ruth.lind@partner.example"),
          to=s(SD, "olaf@corp.example"), has=("Comments everywhere, the addresses must survive.",)),
    Blind("mime_r4b_delimiter_padding.eml", "Padded delimiters", ("Nils Dahl", "nils.dahl@partner.example"),
          attachments=("rows.csv",), has=("The delimiters carry transport padding.",), lacks=("a;b",)),
    Blind("mime_r4b_filename_split_encoded_words.eml", "Записка", ("Юлия Ким", "y.kim@partner.example"),
          attachments=("Служебная записка №7.docx",), has=("Записка во вложении.",)),
    Blind("mime_r4b_x_uuencode_part.eml", "x-uuencode", ("Old Gateway", "gw@partner.example"),
          attachments=("table.csv",), has=("The table comes as x-uuencode.",), lacks=("begin 644", "col1")),
    Blind("mime_r4b_q_escaped_question_underscore.eml", "Who? Me_Too = 50%", ("Who? Me_Too", "who@partner.example"),
          has=("Escapes in Q words.",)),
    Blind("mime_r4b_whitespace_only_fold_line.eml", "Folded with an empty fold line",
          ("Eva Lund", "eva.lund@partner.example"), has=("The body after an obsolete empty fold.",)),
    Blind("mime_r4b_iso_8859_1_1987_label.eml", "Latin-1 label", ("Jörn Weber", "joern.weber@partner.example"),
          has=("Grüße aus Köln, der Drucker ist kaputt.",)),
)
CASES = CASES + CASES_B
BY_FILE = {c.file: c for c in CASES}


def _id(c: Blind) -> str:
    return c.file.removeprefix("mime_").removesuffix(".eml")


def test_every_blind_mail_has_a_row_and_a_readme_line() -> None:
    on_disk = {p.name for p in MAIL_DIR.glob("mime_r4*_*.eml")}
    assert on_disk == set(BY_FILE) and len(BY_FILE) == len(CASES)
    readme = (MAIL_DIR / "README.md").read_text(encoding="utf-8")
    assert [c.file for c in CASES if f"`{c.file}`" not in readme] == []


@pytest.mark.parametrize(("case", "kind"), [p for k in KINDS for p in params(k, CASES, "mime_")])
def test_blind_check(case: Blind, kind: str) -> None:
    result = check(case, kind)
    assert result is not None
    ok, seen = result
    assert ok, f"{kind}: got {seen}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_no_control_character_reaches_a_header_value(case: Blind) -> None:
    """A CR/LF or control character in an encoded word must not survive into the subject, names or addresses:
    they are written back into reply headers and shown on one line. A TAB is folding white space (RFC 5322 WSP),
    legal in any header and unable to forge one: unfolding keeps it."""
    m = _parse(case.file)
    assert not isinstance(m, BaseException), m
    people = ([m.from_] if m.from_ else []) + list(m.to) + list(m.cc)
    values = [m.subject] + [p.name for p in people] + [p.email for p in people]
    assert [v for v in values if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", v)] == []


# ------------------------------------------------------------------------------------------ variants of the fixes
# The blind files each show one spelling; these are the neighbours a rule by shape must read alike.

_HEAD = b"From: Ann Lee <ann@partner.example>\r\nTo: service@corp.example\r\nSubject: Test\r\nMIME-Version: 1.0\r\n"


def _text(raw: bytes) -> str:
    return parse_mail(raw, OPTIONS).full_text


def test_a_byte_order_mark_before_an_mbox_from_line_hides_nothing() -> None:
    mbox = b"\xef\xbb\xbfFrom ann@partner.example Tue Mar  3 09:15:00 2026\r\n"
    m = parse_mail(mbox + _HEAD + b"\r\nhello\r\n", OPTIONS)
    assert (m.from_.email if m.from_ else "", m.subject, m.full_text) == ("ann@partner.example", "Test", "hello")


@pytest.mark.parametrize("cte", [b"quoted-printable (qp)", b"(gateway) Quoted-Printable", b"QUOTED-PRINTABLE (a) (b)"])
def test_a_commented_transfer_encoding_is_the_encoding(cte: bytes) -> None:
    head = _HEAD + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
    raw = head + cte + b"\r\n\r\nL=C3=B6sung\r\n"
    assert _text(raw) == "Lösung"


def test_blanks_after_a_soft_break_are_transport_padding_but_an_equals_sign_in_text_stays() -> None:
    qp = b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    assert _text(_HEAD + qp + b"ein=\t \r\nfach und a=3Db=  \r\n") == "einfach und a=b"
    assert _text(_HEAD + qp + b"L=C3=B6sung = gut\r\n") == "Lösung = gut"


def test_appledouble_in_any_case_of_its_name_shows_one_file() -> None:
    raw = _HEAD + (b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
                   b'--b\r\nContent-Type: multipart/AppleDouble; boundary="c"\r\n\r\n'
                   b'--c\r\nContent-Type: application/applefile; name="a.key"\r\n\r\nxx\r\n'
                   b'--c\r\nContent-Type: application/octet-stream; name="a.key"\r\n\r\nyy\r\n--c--\r\n--b--\r\n')
    assert [(a.filename, a.data) for a in parse_mail(raw, OPTIONS).attachments] == [("a.key", b"yy")]


def test_an_applesingle_file_alone_stays() -> None:
    raw = _HEAD + (b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
                   b'--b\r\nContent-Type: application/applefile; name="a.key"\r\n\r\nxx\r\n--b--\r\n')
    assert [a.filename for a in parse_mail(raw, OPTIONS).attachments] == ["a.key"]


def score() -> dict[str, tuple[int, int]]:
    """Checks passed / checks made, by kind (xfail marks ignored: this is the measure)."""
    out: dict[str, tuple[int, int]] = {}
    for kind in KINDS:
        results = [r for c in CASES if (r := check(c, kind)) is not None]
        out[kind] = (sum(ok for ok, _ in results), len(results))
    return out


if __name__ == "__main__":
    if "-b" in sys.argv:  # round 4b only
        CASES = CASES_B
    if "-v" in sys.argv:
        for c in CASES:
            for k in KINDS:
                r = check(c, k)
                if r is not None and not r[0]:
                    print(f"FAIL {c.file} {k}: {r[1]}")
    by_kind = score()
    for k, (p, t) in by_kind.items():
        print(f"{k:12} {p}/{t}")
    passed, total = (sum(v[i] for v in by_kind.values()) for i in (0, 1))
    print(f"ALL          {passed}/{total} ({100 * passed / total:.1f} %)")
