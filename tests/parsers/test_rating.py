"""Ratings by reply: the first thing in the new text decides."""

from __future__ import annotations

import pytest

from postdesk.parsers.rating import rating_of


@pytest.mark.parametrize(("text", "expected"), [
    ("5", (5, "")),
    ("4 — быстро, но пришлось напоминать", (4, "быстро, но пришлось напоминать")),
    ("  3. Долго ждал ответа.\n\n-- \nПётр", (3, "Долго ждал ответа.\n\n-- \nПётр")),
    ("5/5 спасибо!", (5, "спасибо!")),
    ("Оценка: 2, никто не перезвонил", (2, "никто не перезвонил")),
    ("Отлично! Всё заработало.", (5, "Всё заработало.")),
    ("плохо", (2, "")),
    ("Ужасно, неделю ждал", (1, "неделю ждал")),
    ("Excellent, thanks", (5, "thanks")),
    ("bad - took a week", (2, "took a week")),
    ("4 out of 5", (4, "")),
])
def test_ratings(text: str, expected: tuple[int, str]) -> None:
    assert rating_of(text) == expected


@pytest.mark.parametrize("text", [
    "", "Спасибо!", "6", "0", "10 минут назад снова упал VPN", "1С не запускается", "2-НДФЛ нужна ещё одна",
    "3.5", "Добрый день, всё ещё не работает", "hello", "5000 рублей не пришли",
])
def test_not_ratings(text: str) -> None:
    assert rating_of(text) is None
