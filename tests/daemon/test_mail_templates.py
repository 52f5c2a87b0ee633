"""The mail templates get their language's labels (`L`) from the Renderer: an admin's folder still overrides
either the template or the labels, and an override written when templates imported the labels themselves still
renders."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from postdesk.templates.render import Renderer

TICKET = SimpleNamespace(subject="Printer", priority="urgent", status="pending")
ACK = {"ticket": TICKET, "ref": "SD-7", "name": "Anna", "queue_title": "IT", "url": "https://desk.example/t/7-x",
       "suggestions": [], "solved_url": "https://desk.example/t/7-x/solved", "service_name": "Desk"}


def test_the_acknowledgment_shows_its_languages_labels() -> None:
    text, html = Renderer().mail("ack", "ru", **ACK)
    assert "срочный" in text and "Ждём вашего ответа" in text
    assert "срочный" in html and "Ждём вашего ответа" in html


def test_an_admins_labels_change_the_words_of_our_templates(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    ours = (Path(__file__).parents[2] / "templates" / "en" / "labels.j2").read_text(encoding="utf-8")
    (tmp_path / "en" / "labels.j2").write_text(ours.replace('"urgent": "urgent"', '"urgent": "on fire"'),
                                               encoding="utf-8")
    text, _ = Renderer(tmp_path).mail("ack", "en", **ACK)
    assert "Priority:  on fire" in text


def test_an_admins_template_that_imports_the_labels_itself_still_renders(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "ack.txt").write_text(
        '{% import "en/labels.j2" as L %}\n{{ ref }} is {{ L.status[ticket.status] }}\n', encoding="utf-8")
    text, _ = Renderer(tmp_path).mail("ack", "en", **ACK)
    assert text == "SD-7 is Waiting for your reply\n"
