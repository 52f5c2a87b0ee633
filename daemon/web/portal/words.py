"""The language a visitor gets, the portal's words in it, and the colours' contrast.

The words themselves are in the gettext catalogs (templates/locale, read by templates.i18n): the templates
are shared by both languages and say `_("…")`; Python code gets the same `_` from `templates.i18n.words`.
"""

from __future__ import annotations

from postdesk.templates.i18n import LANGUAGES, words

LANGS = LANGUAGES  # the languages the catalogs have


def N_(message: str) -> str:
    """Marks a msgid for extraction (`scripts/catalogs`) where it is only named, translated later."""
    return message


STATUS = {"new": N_("New"), "open": N_("In progress"), "pending": N_("Waiting for your reply"),
          "resolved": N_("Resolved"), "closed": N_("Closed")}  # a ticket's status as the portal says it
OTHER_LANGUAGE = {"ru": ("en", "English"), "en": ("ru", "Русский")}  # the switch, in the language it switches to


def status_words(lang: str) -> dict[str, str]:
    _ = words(lang)
    return {status: _(text) for status, text in STATUS.items()}


def choose_language(asked: str | None, cookie: str | None, accept: str | None, default: str) -> str:
    """The switch (?lang=), then the remembered choice, then the browser's Accept-Language, then the center's."""
    for value in (asked, cookie):
        if value in LANGS:
            return value
    best: tuple[float, str] | None = None
    for part in (accept or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and q > 0 and (best is None or q > best[0]):
            best = (q, primary)
    return best[1] if best else (default if default in LANGS else "en")


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def on_color(color: str) -> str:
    """Text on the center's colour: white or near-black, whichever reads better (WCAG contrast)."""
    return "#ffffff" if contrast(color, "#ffffff") >= contrast(color, "#111111") else "#111111"


def human_size(n: int, lang: str) -> str:
    """A size limit as the form says it: whole megabytes, or kilobytes below one."""
    _ = words(lang)
    mb = n / 1_000_000
    return _("%(n)s MB") % {"n": f"{mb:.0f}"} if mb >= 1 else _("%(n)s KB") % {"n": n // 1000}
