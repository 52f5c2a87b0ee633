"""Blind set, round 3 (issue 15): MIME structure, charsets, headers and addresses in tests/mail/mime_r3_*.eml.

The mails and these expectations were written before reading the parser, from what RFC 5322/2045-2049/
2047/2231/6532 allow and what real clients and broken gateways send, so that the first score was an
honest measure of mail the parser had never met. The checks are the kinds a parse test of another
project makes — subject, sender name and address, To/Cc sets, attachment names, body text — on
`full_text` (the whole readable body), compared the way tests/mail's README explains: whitespace
collapsed, addresses without case, quotes or angle brackets, domains in Unicode or xn-- form alike.
A check the parser still fails is an xfail(strict=True) with the reason, so a fix shows up at once.

`python -m tests.parsers.test_mime_r3` (or `.venv/bin/python tests/parsers/test_mime_r3.py`) prints the
score by kind.
"""

from __future__ import annotations

import contextlib
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from postdesk.parsers import InboundMail, ParseOptions, parse_mail

MAIL_DIR = Path(__file__).resolve().parent.parent / "mail"
OPTIONS = ParseOptions(ticket_prefix="SD", our_addresses=frozenset({"service@corp.example"}))
SD = "service@corp.example"
ANY = None  # a kind not checked for this mail


@dataclass(frozen=True)
class Named:
    """An attachment name that cannot be written out exactly (a name we must make up or make safe)."""

    why: str
    ok: Callable[[str], bool]

    def __repr__(self) -> str:
        return f"<{self.why}>"


SOME_NAME = Named("any non-empty name", lambda n: bool(n.strip()))


def _safe(n: str) -> bool:
    """A name a person can save without leaving the folder or being misled about the extension."""
    return (bool(n.strip()) and not re.search(r"[/\\\x00-\x1f\x7f]", n) and not n.startswith("..")
            and not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", n))


@dataclass(frozen=True)
class Blind:
    file: str
    subject: str
    from_: tuple[str, str]  # (display name, address); name "" = none given (the address is accepted too)
    to: frozenset[str] | None = frozenset({SD})
    cc: frozenset[str] | None = frozenset()
    attachments: tuple[str | Named, ...] | None = ()
    has: tuple[str, ...] = ()  # must be in full_text
    lacks: tuple[str, ...] = ()  # must not be in full_text
    xfail: dict[str, str] = field(default_factory=dict)  # kind -> why it still fails


def s(*addrs: str) -> frozenset[str]:
    return frozenset(addrs)


LONG = ("Запрос на предоставление доступа к общим папкам отдела продаж и бухгалтерии для новых сотрудников "
        "филиала в Екатеринбурге, а также настройка принтеров и сканеров на третьем этаже")
PL = "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy. Drukarka w pokoju 7 nie działa."

CASES: tuple[Blind, ...] = (
    # ------------------------------------------------------------------------------------ headers
    Blind("mime_r3_ew_split_midchar.eml", "Заявка: замена картриджа в принтере HP",
          ("Анна Ковалёва", "a.kovaleva@partner.example"), has=("Картридж закончился, принтер в кабинете 12.",)),
    Blind("mime_r3_ew_whitespace_vs_text.eml", "Re: Zugang zum Server für Jan (dringend)",
          ("Jürgen Weiß", "j.weiss@partner.example"), has=("Bitte den Zugang für Jan freischalten.",)),
    Blind("mime_r3_ew_in_quoted_display_name.eml", "Outlook quoted names",
          ("Сергей Морозов", "s.morozov@partner.example"),
          to=s("hans.mueller@corp.example", SD), cc=s("a.prentiev@corp.example"),
          has=("Проверьте, пожалуйста, доступ к папке Проекты.",)),
    Blind("mime_r3_ew_unknown_charset_labels.eml", "Не открывается отчёт",
          ("Ирина Кузнецова", "i.kuznetsova@partner.example"), cc=s("o.titov@corp.example"),
          has=("Отчёт по продажам не открывается с утра.",)),
    Blind("mime_r3_ew_ks_c_5601_1987.eml", "프린터 고장 문의 (뷁)", ("김민준", "minjun.kim@partner.example"),
          has=("3층 프린터가 작동하지 않습니다.",)),
    Blind("mime_r3_ew_gb2312_holding_gbk.eml", "关于王喆的打印机问题", ("王喆", "wang.zhe@partner.example"),
          has=("王喆的打印机无法连接网络",)),
    Blind("mime_r3_ew_lowercase_q_b_underscore.eml", "Café und Kuchen für das Team – Raum 3",
          ("Renée Lefèvre", "renee@partner.example"), has=("Kaffeemaschine in Raum 3 ist defekt.",)),
    Blind("mime_r3_raw_utf8_headers_smtputf8.eml", "Ошибка «Нет доступа» – ärgerlich",
          ("Sörën Ållebrand", "soren@partner.example"), has=("При входе в портал пишет «Нет доступа».",)),
    Blind("mime_r3_raw_cp1251_headers_utf8_body.eml", "Не работает сканер в бухгалтерии",
          ("Ирина Кузнецова", "i.kuznetsova@partner.example"), has=("Сканер Kyocera не отправляет файлы в папку.",)),
    Blind("mime_r3_long_folded_subject.eml", f"[Ticket#77] {LONG} (part 2 of 2)",
          ("Ольга Белова", "o.belova@partner.example"), has=("Список сотрудников приложу позже.",)),
    Blind("mime_r3_subject_bare_cr_nul.eml", "VPN down again since Monday", ("Max Field", "max.field@partner.example"),
          has=("The VPN drops every ten minutes.",)),
    Blind("mime_r3_duplicate_subject_from.eml", "Monitor flickers", ("Nina Park", "nina.park@partner.example"),
          has=("My second monitor flickers since the update.",)),
    Blind("mime_r3_header_names_odd_case.eml", "Keyboard missing keys", ("Tom Ruiz", "tom.ruiz@partner.example"),
          has=("The keyboard at desk 4 is missing the Ä and Ö keys.",)),
    Blind("mime_r3_tab_continuation_body_without_blank.eml", "Drucker im zweiten Stock",
          ("Lena Vogt", "lena.vogt@partner.example"),
          has=("Guten Morgen,", "der Drucker im zweiten Stock druckt nur leere Seiten.")),
    # ------------------------------------------------------------------------------------ addresses
    Blind("mime_r3_group_syntax.eml", "Group syntax", ("Petra Lang", "petra.lang@partner.example"), to=s(),
          cc=s("anna@corp.example", "boris@corp.example", SD), has=("Please add the team to the shared calendar.",)),
    Blind("mime_r3_quoted_local_part_comments.eml", "Quoted local part", ("John Doe", '"john..doe"@partner.example'),
          to=s(SD, "it@corp.example"), cc=s("carol@corp.example"), has=("My account is locked.",)),
    Blind("mime_r3_display_names_commas_quotes.eml", "Names with commas",
          ("Müller, Anna (IT)", "anna.mueller@partner.example"), to=s("john.smith@corp.example", "dex@corp.example"),
          cc=s(SD), has=("Bitte Zugang zum Laufwerk S: einrichten.",)),
    Blind("mime_r3_idn_domains.eml", "IDN domains", ("Jörg Müller", "joerg@müller.example"),
          to=s("info@müller.example", SD), cc=s("petra@bücher.example"), has=("Unsere Domain wird nicht aufgelöst.",)),
    Blind("mime_r3_cyrillic_local_parts.eml", "Адрес на кириллице", ("Пётр Сидоров", "пётр@корп.рф"),
          to=s("кадры@корп.рф", SD), has=("Письма на кириллический адрес не доходят.",)),
    Blind("mime_r3_angleless_addresses.eml", "Angle-less addresses", ("Anna Smith", "anna.smith@partner.example"),
          to=s("bob@corp.example"), cc=s("carol@corp.example"), has=("The projector in room 5 has no signal.",),
          xfail={"from_name": "disagreement kept: zammad mail087 (`From: Test test@example.com`) and imap_tools "
                                 "read no name in an angle-less address; see parsers/README.md"}),
    Blind("mime_r3_outlook_semicolons_trailing_commas.eml", "Semicolons", ("Karin Holm", "karin.holm@partner.example"),
          to=s("anna@corp.example", "boris@corp.example"), cc=s("carol@corp.example", "dan@corp.example"),
          has=("The meeting room screen is broken.",)),
    Blind("mime_r3_mailto_in_angles.eml", "Mailto in angles", ("Anna Berg", "anna.berg@partner.example"),
          has=("I cannot print to PDF.",)),
    Blind("mime_r3_to_300_addresses.eml", "All staff list", ("Hanna Roth", "hanna.roth@partner.example"),
          to=frozenset(f"user{n:03d}@corp.example" for n in range(1, 301)),
          has=("Please check why everyone got this.",)),
    # ------------------------------------------------------------------------------------ MIME structure
    Blind("mime_r3_apple_related_in_alternative_in_mixed.eml", "Screenshot of the error",
          ("Mia Chen", "mia.chen@partner.example"), attachments=("error.png", "log.pdf"),
          has=("Hi, the error is in the screenshot below.",)),
    Blind("mime_r3_text_plain_attachment_disposition.eml", "Installer log",
          ("Oskar Lind", "oskar.lind@partner.example"),
          attachments=("setup.log",), has=("The installer fails, log attached.",), lacks=("ERROR 1603",)),
    Blind("mime_r3_inline_images_cid_only.eml", "Two inline images", ("Ada Novak", "ada.novak@partner.example"),
          attachments=("first.png", SOME_NAME), has=("Error one:", "Error two:")),
    Blind("mime_r3_attached_rfc822_without_name.eml", "Fwd: budget", ("Ivo Kral", "ivo.kral@partner.example"),
          attachments=("Q1 budget draft.eml",), has=("Please see the forwarded budget mail.",),
          lacks=("Inner budget numbers",)),
    Blind("mime_r3_multipart_report_delivery_status.eml", "Undelivered Mail Returned to Sender",
          ("Mail Delivery System", "MAILER-DAEMON@mx.partner.example"), attachments=ANY,
          has=("your message could not be delivered",)),
    Blind("mime_r3_winmail_dat_two_files.eml", "Two files", ("Outlook User", "outlook.user@partner.example"),
          attachments=("budget.xls", "notes.txt"), has=("Please find the two files from Outlook.",)),
    Blind("mime_r3_base64_odd_whitespace.eml", "Laptop startet nicht", ("Karl Bauer", "karl.bauer@partner.example"),
          has=("Der Laptop startet nicht mehr, nur ein schwarzer Bildschirm mit Cursor.", "Seriennummer 5CD1234XYZ.")),
    Blind("mime_r3_base64_garbage_tail.eml", "Headset", ("Eva Kurz", "eva.kurz@partner.example"),
          has=("Mein Headset wird nicht erkannt.",)),
    Blind("mime_r3_qp_edge_cases.eml", "QP", ("Rolf Hahn", "rolf.hahn@partner.example"),
          has=("Die Größe der Datei ist 3 MB.", "Ein Satz, der weich umbrochen wurde.",
               "Formel: 1 + 1 = 2 und =ZZ bleibt.", "Letzte Zeile mit weichem Umbruch am Ende"),
          lacks=("Ende=", "=c3")),
    Blind("mime_r3_8bit_declared_7bit.eml", "Umlaute", ("Zoë Adler", "zoe.adler@partner.example"),
          has=("Die Schaltfläche „Übernehmen“ fehlt – seit gestern.",)),
    Blind("mime_r3_format_flowed_delsp.eml", "Flowed", ("Timo Kask", "timo.kask@partner.example"),
          has=("Das ist ein langer Satz, der vom Programm umbrochen wurde, mitten im Wort.",
               "Die Verbindung bricht ab, sobald ich das VPN starte.")),
    Blind("mime_r3_preamble_epilogue.eml", "Preamble", ("Ute Falk", "ute.falk@partner.example"),
          has=("Der Beamer im Saal B zeigt kein Bild.",), lacks=("multi-part message in MIME format", "epilogue")),
    Blind("mime_r3_boundary_inside_base64.eml", "Firmware dump", ("Ali Demir", "ali.demir@partner.example"),
          attachments=("dump.bin",), has=("The firmware dump is attached.",)),
    Blind("mime_r3_missing_closing_boundary.eml", "CSV export", ("Jan Dvorak", "jan.dvorak@partner.example"),
          attachments=("report.csv",), has=("The export has wrong totals.",)),
    Blind("mime_r3_nested_same_boundary.eml", "Same boundary", ("Sara Blom", "sara.blom@partner.example"),
          attachments=("scan.pdf",), has=("The scanner saves empty pages.",)),
    Blind("mime_r3_content_type_odd_param_spacing.eml", "Odd parameters", ("Hans Groß", "hans.gross@partner.example"),
          has=("Grüße aus München, das WLAN im Büro fällt aus.",)),
    Blind("mime_r3_rfc2231_mixed_with_filename.eml", "RFC 2231", ("Vera Ilic", "vera.ilic@partner.example"),
          attachments=("Отчёт.pdf", "Quarterly report 2026 final.xlsx"), has=("Two files.",)),
    Blind("mime_r3_filename_encoded_word_in_quotes.eml", "Old-style names",
          ("Olga Frolova", "o.frolova@partner.example"),
          attachments=("Счёт № 15.pdf", "Договор.doc", "Präsentation Q1.ppt"), has=("Счёт и договор во вложении.",)),
    Blind("mime_r3_filename_with_path.eml", "Paths in names", ("Anna Wolf", "anna.wolf@partner.example"),
          attachments=("report.pdf", "notes.txt"), has=("Two reports.",),
          xfail={"attachments": "disagreement kept: stalwart (legacy/035, 039, rfc/001) and Python keep the name as "
                                   "written, RFC 822 unquoting and path included; see parsers/README.md"}),
    Blind("mime_r3_dangerous_filenames.eml", "Files", ("Eve Black", "eve.black@partner.example"),
          attachments=(Named("safe, ends in passwd", lambda n: _safe(n) and n.endswith("passwd")),
                       Named("safe a…b.txt", lambda n: _safe(n) and n.startswith("a") and n.endswith("b.txt")),
                       Named("safe, real extension .exe", lambda n: _safe(n) and n.endswith("fdp.exe"))),
          has=("See the files.",),
          xfail={"attachments": "disagreement kept: the name as written (`../../etc/passwd`), as stalwart and Python "
                                   "give it; see parsers/README.md"}),
    Blind("mime_r3_zero_length_duplicate_names.eml", "Scans", ("Paul Eder", "paul.eder@partner.example"),
          attachments=("scan.pdf", "scan.pdf", "empty.txt"), has=("Two scans and an empty file.",)),
    # ------------------------------------------------------------------------------------ charsets in bodies
    Blind("mime_r3_utf8_bom.eml", "BOM", ("Nils Berg", "nils.berg@partner.example"),
          has=("Hallo, das Telefon klingelt nicht.",), lacks=("\ufeff",)),
    Blind("mime_r3_utf16_text_parts.eml", "UTF-16", ("Mei Lin", "mei.lin@partner.example"),
          has=("First part: the phone rings twice.", "Second part: then it stops."), lacks=("\ufeff",)),
    Blind("mime_r3_cp1251_labelled_latin1_alternative.eml", "Почта с сайта",
          ("Анна Котова", "a.kotova@partner.example"),
          has=("Добрый день! Не приходит почта с сайта заказов, проверьте фильтр.",)),
    Blind("mime_r3_koi8u.eml", "Принтер у кімнаті 214", ("Олена Ґаврилюк", "o.gavryliuk@partner.example"),
          has=("Доброго дня! Не працює принтер у кімнаті 214. Ґанок, їжак, єнот - перевірте, будь ласка.",)),
    Blind("mime_r3_cp866.eml", "Накладные", ("Склад", "sklad@partner.example"),
          has=("Здравствуйте! Программа учёта склада под DOS не печатает накладные.",)),
    Blind("mime_r3_mac_cyrillic.eml", "Вложения на Mac", ("Глеб Орлов", "g.orlov@partner.example"),
          has=("Добрый день! На Mac не открываются вложения из почты, пишет «ошибка формата».",)),
    Blind("mime_r3_iso8859_2_polish_czech.eml", "Drukarka nie działa",
          ("Małgorzata Świętek", "m.swietek@partner.example"),
          has=(PL,)),
    Blind("mime_r3_cp1252_german_euro_quotes.eml", "Rechnung über 1.250 €",
          ("Jürgen Köhler", "j.koehler@partner.example"),
          has=("Die Rechnung über 1.250 € wurde „doppelt“ gebucht – bitte prüfen. Grüße, Jürgen",)),
    Blind("mime_r3_latin1_label_cp1252_bytes.eml", "Preis im Shop", ("Maria Schön", "maria.schoen@partner.example"),
          has=("Der Preis von 99 € ist „falsch“ – korrekt wären 89 €.",)),
    Blind("mime_r3_html_meta_charset_only.eml", "Телефон", ("Роман Ефимов", "r.efimov@partner.example"),
          has=('Не работает телефон в переговорной "Волга".',)),
    Blind("mime_r3_html_only_rich.eml", "Отчёт не открывается", ("Дарья Лис", "d.lis@partner.example"),
          has=("Добрый день!", "Не открывается отчёт «Продажи» & остатки.", "Ошибка ниже:", "E-404", "Спасибо"),
          lacks=("color: red", "tracking", "Preheader", "&nbsp;", "&laquo;"),
          xfail={"body": "disagreement kept: zammad (mail049) and a plain HTML-to-text reading keep a display:none "
                            "preheader; see parsers/README.md"}),
)

BY_FILE = {c.file: c for c in CASES}
KINDS = ("subject", "from_email", "from_name", "to", "cc", "attachments", "body")


# ------------------------------------------------------------------------------------------ comparing


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def addr(a: str) -> str:
    """An address as a person compares it: no case, quotes or brackets; the domain in Unicode."""
    local, _, domain = a.strip().strip("<>").replace('"', "").lower().rpartition("@")
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("ascii").decode("idna") if "xn--" in domain else domain
    return f"{local}@{domain}" if local else domain


@cache
def _parse(file: str) -> InboundMail | BaseException:
    try:
        return parse_mail((MAIL_DIR / file).read_bytes(), OPTIONS)
    except BaseException as e:  # reported by the checks below
        return e


def _names_match(want: tuple[str | Named, ...], got: list[str]) -> bool:
    """Every expected name matched by a distinct attachment, and none left over."""
    left = [unicodedata.normalize("NFC", g) for g in got]
    for w in sorted(want, key=lambda w: isinstance(w, Named)):  # exact names first
        hit = next((g for g in left if (w.ok(g) if isinstance(w, Named) else g == w)), None)
        if hit is None:
            return False
        left.remove(hit)
    return not left


def check(case: Blind, kind: str) -> tuple[bool, str] | None:
    """(passed, what was seen) for one kind of one mail; None when the kind is not checked there."""
    m = _parse(case.file)
    if isinstance(m, BaseException):
        return False, f"parse_mail raised {type(m).__name__}: {m}"
    name, email = (m.from_.name, m.from_.email) if m.from_ else ("", "")
    if kind == "subject":
        return ws(m.subject) == ws(case.subject), repr(m.subject)
    if kind == "from_email":
        return addr(email) == addr(case.from_[1]), repr(email)
    if kind == "from_name":
        return ws(name) == ws(case.from_[0]) or (not case.from_[0] and addr(name) == addr(email)), repr(name)
    if kind in ("to", "cc"):
        want = case.to if kind == "to" else case.cc
        got = {addr(a.email) for a in (m.to if kind == "to" else m.cc)}
        return (None if want is None else ({addr(a) for a in want} == got, repr(sorted(got))[:300]))
    if kind == "attachments":
        names = [a.filename or "" for a in m.attachments]
        return None if case.attachments is None else (_names_match(case.attachments, names), repr(names))
    text = ws(m.full_text)
    ok = all(ws(h) in text for h in case.has) and not any(ws(x) in text for x in case.lacks)
    return ok, repr(m.full_text[:400])


def params(kind: str, cases: tuple[Blind, ...] | None = None, prefix: str = "mime_r3_") -> list:
    """The checks of one kind over a round's mails (round 4 passes its own), a miss as a strict xfail."""
    out = []
    for c in CASES if cases is None else cases:
        if (kind in ("to", "cc") and getattr(c, kind) is None) or (kind == "attachments" and c.attachments is None):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail[kind])] if kind in c.xfail else []
        out.append(pytest.param(c, kind, id=f"{c.file.removeprefix(prefix).removesuffix('.eml')}-{kind}",
                                marks=marks))
    return out


# ------------------------------------------------------------------------------------------ the tests


def test_every_blind_mail_has_a_row_and_a_readme_line() -> None:
    on_disk = {p.name for p in MAIL_DIR.glob("mime_r3_*.eml")}
    assert on_disk == set(BY_FILE) and len(BY_FILE) == len(CASES)
    readme = (MAIL_DIR / "README.md").read_text(encoding="utf-8")
    assert [c.file for c in CASES if f"`{c.file}`" not in readme] == []


@pytest.mark.parametrize(("case", "kind"), [p for k in KINDS for p in params(k)])
def test_blind_check(case: Blind, kind: str) -> None:
    result = check(case, kind)
    assert result is not None
    ok, seen = result
    assert ok, f"{kind}: got {seen}"


def score() -> dict[str, tuple[int, int]]:
    """Checks passed / checks made, by kind (xfail marks ignored: this is the measure)."""
    out: dict[str, tuple[int, int]] = {}
    for kind in KINDS:
        results = [r for c in CASES if (r := check(c, kind)) is not None]
        out[kind] = (sum(ok for ok, _ in results), len(results))
    return out


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    if verbose:
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
