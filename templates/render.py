"""Render mail and pages in the requester's language; an admin's directory overrides any template."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

LANGUAGES = ("ru", "en")


class Renderer:
    def __init__(self, override_dir: Path | None = None, timezone: str = "UTC"):
        loaders: list[Any] = [FileSystemLoader(str(override_dir))] if override_dir else []
        loaders.append(PackageLoader("postdesk.templates", "."))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=lambda name: bool(name and name.endswith(".html")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a stat() per template per mail costs more than rendering; SIGHUP makes a new Renderer
            cache_size=-1,
        )
        self.tz = ZoneInfo(timezone)
        self.env.filters["when"] = self.when

    def when(self, value: datetime | None) -> str:
        return value.astimezone(self.tz).strftime("%d.%m.%Y %H:%M") if value else ""

    @staticmethod
    def lang(language: str | None) -> str:
        return language if language in LANGUAGES else "en"

    def render(self, name: str, language: str | None, /, **ctx: Any) -> str:
        return self.env.get_template(f"{self.lang(language)}/{name}").render(lang=self.lang(language), **ctx)

    def common(self, name: str, language: str | None, /, **ctx: Any) -> str:
        """A template with no words of its own (a page around an article): one file for every language."""
        return self.env.get_template(f"common/{name}").render(lang=self.lang(language), **ctx)

    def mail(self, name: str, language: str | None, /, **ctx: Any) -> tuple[str, str]:
        """The text part and the HTML part of a mail."""
        return self.render(f"{name}.txt", language, **ctx), self.render(f"{name}.html", language, **ctx)
