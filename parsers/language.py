"""Which language a mail is in, for replying in kind: Russian when its letters are mostly Cyrillic."""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def detect_language(*texts: str) -> str:
    """"ru" when Cyrillic letters outnumber Latin ones in the given texts, else "en"."""
    sample = " ".join(t[:4000] for t in texts if t)
    cyrillic = len(_CYRILLIC.findall(sample))
    return "ru" if cyrillic and cyrillic >= len(_LATIN.findall(sample)) else "en"
