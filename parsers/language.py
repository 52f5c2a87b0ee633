"""Which language a mail is in, for replying in kind: Russian when its letters are mostly Cyrillic."""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")  # runs of letters: far fewer matches to count than letters
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def detect_language(*texts: str) -> str:
    """"ru" when Cyrillic letters outnumber Latin ones in the given texts, else "en"."""
    sample = " ".join(t[:4000] for t in texts if t)
    if sample.isascii():  # a flag of the string, no scan: no Cyrillic letter in it
        return "en"
    cyrillic = sum(map(len, _CYRILLIC.findall(sample)))
    return "ru" if cyrillic and cyrillic >= sum(map(len, _LATIN.findall(sample))) else "en"
