"""The pages' words: every msgid in both languages, the catalogs in step with the code and the templates.

A word added to a template or to daemon/web without `scripts/catalogs` (or left untranslated after it) shows
in English on a Russian page; a placeholder lost in a translation breaks the page (`%` formatting raises).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from postdesk.templates.i18n import LANGUAGES, po_path, translations
from postdesk.templates.render import Renderer

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def extracted() -> set[tuple[str, str | None]]:
    """(msgid, context) of every word the code and the templates ask for, found as `scripts/catalogs` finds them."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, directory_filter=lambda d: Path(d).parts[len(ROOT.parts):][:1] in (
                (), ("daemon",), ("templates",))):
        found.add((message if isinstance(message, str) else message[0], context))
    return found


def test_python_code_asks_for_words_by_the_name_extraction_knows() -> None:
    """`words(lang)("…")` works but is not extracted, so its msgid would never reach the catalogs."""
    hidden = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "daemon").rglob("*.py")
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\bwords\([^()]*(\([^()]*\))?[^()]*\)\(", line)]
    assert hidden == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_msgid_has_a_translation(lang: str) -> None:
    missing = [m.id for m in catalog(lang) if m.id and (not m.string or m.fuzzy)]
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    broken = [m.id for m in catalog(lang) if m.id and
              sorted(PLACEHOLDER.findall(str(m.id))) != sorted(PLACEHOLDER.findall(str(m.string)))]
    assert broken == []


def test_the_catalogs_are_in_step_with_the_code_and_the_templates() -> None:
    asked = extracted()
    assert len(asked) > 90  # the walk found the portal's templates and code
    for lang in LANGUAGES:
        known = {(str(m.id), m.context) for m in catalog(lang) if m.id}
        assert sorted(asked - known, key=str) == [], f"not in {lang}.po: run scripts/catalogs and translate"
        assert sorted(known - asked, key=str) == [], f"in {lang}.po but asked for nowhere: run scripts/catalogs"


def test_a_page_takes_the_words_of_its_language() -> None:
    page = {lang: Renderer().common("portal/login.html", lang, service_name="Desk", css="/portal.css", csrf="x",
                                    address=None, is_lead=False, path="/login", other_lang="en",
                                    other_lang_name="English", error=None, email="", status_words={})
            for lang in LANGUAGES}
    assert translations("ru").gettext("Send me a link") in page["ru"] and "Send me a link" in page["en"]
    assert "Send me a link" not in page["ru"]
