"""A rating sent as a plain reply: "5", "4 — быстро, спасибо", "отлично!", "bad, took a week"."""

from __future__ import annotations

import re

# Words a requester answers a "how did we do" mail with, and the score they mean. Only the first word of
# the reply counts, so "плохо работает VPN" is a complaint and never reaches here on a live ticket
# (ratings are only read on resolved tickets, where such a reply is read as a 2 — it is one).
_WORDS = {
    "отлично": 5, "отличненько": 5, "превосходно": 5, "великолепно": 5, "супер": 5, "прекрасно": 5,
    "хорошо": 4, "неплохо": 4,
    "нормально": 3, "удовлетворительно": 3, "средне": 3, "норм": 3,
    "плохо": 2, "неудовлетворительно": 2,
    "ужасно": 1, "отвратительно": 1, "кошмар": 1,
    "excellent": 5, "great": 5, "perfect": 5, "awesome": 5,
    "good": 4,
    "ok": 3, "okay": 3, "average": 3, "fine": 3,
    "bad": 2, "poor": 2,
    "terrible": 1, "awful": 1, "horrible": 1,
}
_LEADING = re.compile(r"^\s*(?:оценка|rating|score)?\s*[:\-–—]?\s*([1-5])(?:\s*(?:/|из|of|out of)\s*5)?"
                      r"(?!\w|[.,]\d|-\w)\s*(?:[!.,:;)\-–—]+\s*)?(.*)$", re.I | re.S)
_WORD = re.compile(r"^\s*([^\W\d_]+)\s*(?:[!.,:;)\-–—]+\s*)?(.*)$", re.S)


def rating_of(text: str) -> tuple[int, str] | None:
    """(score 1–5, comment) when the new text starts with a digit 1–5 or a rating word, else None."""
    text = text.strip()
    if not text:
        return None
    m = _LEADING.match(text)
    if m:
        return int(m.group(1)), m.group(2).strip()
    m = _WORD.match(text)
    if m:
        score = _WORDS.get(m.group(1).lower().replace("ё", "е"))
        if score is not None:
            return score, m.group(2).strip()
    return None
