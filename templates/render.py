"""Render mail and pages in the requester's language; an admin's directory overrides any template.

Mail templates are written once per language (ru/, en/); the portal's pages are written once (common/) and take
their words from the gettext catalogs (templates.i18n).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context

from postdesk.templates.i18n import LANGUAGES, translations


@pass_context
def _gettext(context: Context, message: str) -> str:
    """The template's words in the language it is rendered in (`lang`, which every render passes)."""
    return translations(str(context.get("lang", "en"))).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(str(context.get("lang", "en"))).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Context, where: str, message: str) -> str:
    return translations(str(context.get("lang", "en"))).pgettext(where, message)


class Renderer:
    """Two environments on one loader: the mails' (ru/, en/: words in the file) and the pages' with Jinja's i18n
    extension (common/: words from the catalogs). Mails render without it: the extension's globals made every
    mail render a quarter slower (37 → 46 µs an acknowledgment) for words they do not use."""

    def __init__(self, override_dir: Path | None = None, timezone: str = "UTC"):
        loaders: list[Any] = [FileSystemLoader(str(override_dir))] if override_dir else []
        loaders.append(PackageLoader("postdesk.templates", "."))
        self.tz = ZoneInfo(timezone)
        self.mail_env = self._environment(ChoiceLoader(loaders))
        self._mail_templates: dict[tuple[str, str], tuple[Template, Any]] = {}
        self.env = self._environment(ChoiceLoader(loaders), extensions=["jinja2.ext.i18n"])
        # `_()`, `{% trans %}` and `pgettext()` in a template: newstyle, so `_("… %(name)s", name=x)` formats and
        # escapes like the rest of the page
        self.env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
            _gettext, _ngettext, newstyle=True, pgettext=_pgettext)

    def _environment(self, loader: ChoiceLoader, extensions: Sequence[str] = ()) -> Environment:
        env = Environment(
            loader=loader,
            autoescape=lambda name: bool(name and name.endswith(".html")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a stat() per template per mail costs more than rendering; SIGHUP makes a new Renderer
            cache_size=-1,
            extensions=list(extensions),
        )
        env.filters["when"] = self.when
        return env

    def when(self, value: datetime | None) -> str:
        return value.astimezone(self.tz).strftime("%d.%m.%Y %H:%M") if value else ""

    @staticmethod
    def lang(language: str | None) -> str:
        return language if language in LANGUAGES else "en"

    def render(self, name: str, language: str | None, /, **ctx: Any) -> str:
        """A mail's text or HTML part, written in its language (ru/, en/), with that language's `labels.j2` as `L`.

        `L` is handed in rather than `{% import %}`ed by each template: an import looks the module up and
        compares the context's key sets on every render, a quarter of an acknowledgment's two renders. An
        admin's template that still imports it works as before (its own `L` wins)."""
        lang = self.lang(language)
        template, labels = self._mail_templates.get((lang, name)) or self._mail_template(lang, name)
        return template.render(lang=lang, L=labels, **ctx)

    def _mail_template(self, lang: str, name: str) -> tuple[Template, Any]:
        """A mail template and its language's labels, looked up once (auto_reload is off: SIGHUP makes a new
        Renderer)."""
        found = (self.mail_env.get_template(f"{lang}/{name}"), self.mail_env.get_template(f"{lang}/labels.j2").module)
        self._mail_templates[(lang, name)] = found
        return found

    def common(self, name: str, language: str | None, /, **ctx: Any) -> str:
        """A template with no words of its own (a page around an article): one file for every language."""
        return self.env.get_template(f"common/{name}").render(lang=self.lang(language), **ctx)

    def page(self, name: str, language: str | None, /, **ctx: Any) -> str:
        """A page written once (common/, its words from the catalogs) that an admin may still override for one
        language (`en/ticket.html` in the override folder, as before the page was shared)."""
        lang = self.lang(language)
        return self.env.select_template([f"{lang}/{name}", f"common/{name}"]).render(lang=lang, **ctx)

    def mail(self, name: str, language: str | None, /, **ctx: Any) -> tuple[str, str]:
        """The text part and the HTML part of a mail."""
        return self.render(f"{name}.txt", language, **ctx), self.render(f"{name}.html", language, **ctx)
