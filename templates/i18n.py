"""The pages' words in Russian and English: gettext catalogs, one per language, in templates/locale.

`locale/messages.pot` is what `scripts/catalogs` extracts with Babel from the templates and daemon/web (the
`_()`/`pgettext()` calls); `locale/<lang>/LC_MESSAGES/messages.po` holds each language's words. The .po files
are read with Babel when first needed, so a fresh checkout and the wheel work without a compile step; a .po
entry marked fuzzy is not used (the English msgid shows instead) until a translator confirms it.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("ru", "en")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of one of LANGUAGES (anything else gets English); read once per process."""
    lang = lang if lang in LANGUAGES else "en"
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def words(lang: str) -> Callable[[str], str]:
    """`_` for Python code's words in `lang` (the templates have their own `_`, which reads the page's `lang`)."""
    return translations(lang).gettext
