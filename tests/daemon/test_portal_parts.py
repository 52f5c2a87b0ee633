"""The portal's pure parts: catalog declarations and answers, the labelled block, file names, the language,
colours' contrast, and SVG charts that carry no markup of their input."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdesk.daemon.config import ConfigError, load_config
from postdesk.daemon.web.portal.catalog import CatalogField, Service, check_answers, labelled_block, parse_services
from postdesk.daemon.web.portal.charts import bar_chart
from postdesk.daemon.web.portal.words import choose_language, contrast, on_color
from postdesk.parsers.filenames import safe_filename

NDFL = Service("ndfl", "buh", "Справка 2-НДФЛ", "", (
    CatalogField("period", "Период", "choice", True, ("2025", "2026")),
    CatalogField("copies", "Количество экземпляров", "text", True),
    CatalogField("by", "Нужна к", "date")))


def test_broken_service_declarations_name_their_keys() -> None:
    _, found = parse_services([
        {"name": "ndfl", "queue": "buhh", "title": "x", "colour": 1,
         "fields": [{"name": "p", "label": "P", "type": "number"},
                    {"name": "c", "label": "C", "type": "choice"},
                    {"name": "p", "label": "Again"}]},
        {"name": "Bad Name", "queue": "buh"},
    ], {"buh", "it"})
    assert found == [
        "services[0].colour: unknown key",
        'services[0].queue: unknown queue "buhh"',
        "services[0].fields[0].type: 'number': one of text, choice, date",
        "services[0].fields[1].choices: a choice field needs at least one choice",
        "services[0].fields[2].name: 'p' is used twice",
        "services[1].name: 'Bad Name': use lower-case letters, digits, - and _",
        "services[1].title: missing",
    ]


def test_the_config_refuses_a_broken_catalog_and_a_colour(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[service]\naddress = "service@corp.example"\nsecret = "0123456789abcdef0123"\n'
                 '[web]\ncolor = "blue"\nsession_days = 0\n[[queues]]\nname = "general"\n'
                 '[[services]]\nname = "x"\nqueue = "it"\ntitle = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_config(p)
    assert set(exc.value.problems) == {"web.color: 'blue': write it as #rrggbb",
                                       "web.session_days: must be a whole number ≥ 1",
                                       'services[0].queue: unknown queue "it"'}


def test_answers_are_checked_and_become_one_labelled_block() -> None:
    values, problems = check_answers(NDFL, {"period": "2024", "copies": "  "})
    assert problems == {"period": "choice", "copies": "required"}
    values, problems = check_answers(NDFL, {"period": "2026", "copies": "2\r\nBcc: x@y", "by": "2026-12-20"})
    assert problems == {} and values["copies"] == "2 Bcc: x@y"  # one line, whatever was posted
    assert check_answers(NDFL, {"period": "2026", "copies": "1", "by": "soon"})[1] == {"by": "date"}
    assert labelled_block(NDFL, values) == ("--- Справка 2-НДФЛ ---\n"
                                            "Период: 2026\n"
                                            "Количество экземпляров: 2 Bcc: x@y\n"
                                            "Нужна к: 2026-12-20")


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("паспорт скан.pdf", "паспорт скан.pdf"),
    (".htaccess", "htaccess"), ("a\x00b\r\n.txt", "a_b_.txt"), ("", "attachment"), ("..", "attachment"),
    ("<script>.pdf", "_script_.pdf"), ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_uploaded_file_names_keep_only_a_clean_last_part(given: str, kept: str) -> None:
    assert safe_filename(given) == kept


def test_language_from_the_switch_the_cookie_then_the_browser() -> None:
    assert choose_language(None, None, "en-US,en;q=0.9,ru;q=0.8", "ru") == "en"
    assert choose_language(None, None, "de-DE,ru;q=0.5,en;q=0.3", "en") == "ru"
    assert choose_language(None, None, "de-DE", "ru") == "ru"
    assert choose_language(None, "en", "ru", "ru") == "en"
    assert choose_language("ru", "en", "en", "en") == "ru"
    assert choose_language("xx", None, "ru;q=0", "en") == "en"


def test_text_on_the_centers_colour_stays_readable() -> None:
    assert on_color("#0b5cad") == "#ffffff" and contrast("#0b5cad", "#ffffff") >= 4.5
    assert on_color("#ffd500") == "#111111" and contrast("#ffd500", "#111111") >= 4.5


def test_a_chart_escapes_its_labels_and_scales_to_its_largest_value() -> None:
    svg = bar_chart("<b>t</b>", ["<script>", "b"], [("x", [4, None]), ("y", [1, 3])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    assert svg.count("<rect") == 3 + 2  # three bars (None is no bar) and two legend keys
    assert ">5<" in svg  # the axis ends at 5 for a largest value of 4
    assert "no data" in bar_chart("t", ["a"], [("x", [None])], empty="no data")


def test_a_share_in_per_cent_reads_against_100_even_without_data() -> None:
    """An empty CSAT chart ran from 0% to 1%; a share is always read against 100%."""
    svg = bar_chart("CSAT", ["it"], [("CSAT", [None])], unit="%", top=100.0, empty="нет данных")
    assert ">100%<" in svg and ">1%<" not in svg
    assert ">100%<" in bar_chart("CSAT", ["it"], [("CSAT", [40.0])], unit="%", top=100.0)
