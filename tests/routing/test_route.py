"""Routing decisions on parsed mail: the first rule whose conditions all hold wins, and says why."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from postdesk.parsers import ParseOptions, parse_mail
from postdesk.routing import Assignment, Condition, Pattern, QueueDef, RoutingTable, Rule, decide

TABLE = RoutingTable(
    queues=(QueueDef("it", "IT", ("it@corp.example",)), QueueDef("hr", "HR", ("hr@corp.example",)),
            QueueDef("buh", "Бухгалтерия", ("buh@corp.example",)), QueueDef("general", "General")),
    rules=(
        Rule("vacation", (Condition("to", (Pattern.parse("hr@corp.example"),)),
                          Condition("subject", (Pattern.parse("(?i)отпуск|vacation"),))),
             Assignment(queue="hr", category="vacation", priority="normal")),
        Rule("outage", (Condition("body", (Pattern.parse("(?i)не работает|down|outage"),)),),
             Assignment(queue="it", priority="high")),
        Rule("vip", (Condition("from", (Pattern.parse("@board.corp.example"), Pattern.parse("ceo@corp.example"))),),
             Assignment(priority="urgent")),
        Rule("outlook-high", (Condition("header.X-Priority", (Pattern.parse("^1"),)),),
             Assignment(priority="high", category="flagged")),
    ),
    default_queue="general",
)


def parsed(subject: str, body: str, *, to: str = "service@corp.example", sender: str = "petr@corp.example",
           headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, to, subject
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body)
    return parse_mail(m.as_bytes(), ParseOptions())


def test_first_matching_rule_wins_and_is_named() -> None:
    d = decide(parsed("Заявление на отпуск", "Прошу отпуск. Ноутбук не работает.", to="hr@corp.example"), TABLE)
    assert (d.queue, d.category, d.priority, d.rule) == ("hr", "vacation", "normal", "vacation")
    assert d.trace == ("vacation: matched",)


def test_all_conditions_must_hold() -> None:
    d = decide(parsed("Заявление на отпуск", "Прошу отпуск."), TABLE)  # not to hr@
    assert d.rule is None and d.queue == "general"
    assert d.trace[0] == "vacation: to did not match"


def test_body_rule_routes_outage_to_it() -> None:
    d = decide(parsed("Почта", "С утра не работает почта"), TABLE)
    assert (d.queue, d.priority, d.rule) == ("it", "high", "outage")


def test_department_address_is_the_default_queue() -> None:
    d = decide(parsed("Справка 2-НДФЛ", "Нужна справка", to="buh@corp.example"), TABLE)
    assert (d.queue, d.rule) == ("buh", None)
    assert "addressed to buh@corp.example" in d.reason


def test_mailbox_queue_beats_addresses_and_rules_still_apply() -> None:
    mail = parsed("Справка", "Нужна справка", to="buh@corp.example")
    assert decide(mail, TABLE, mailbox_queue="hr").queue == "hr"
    outage = parsed("Сервер", "Сервер down", to="buh@corp.example")
    assert decide(outage, TABLE, mailbox_queue="hr").queue == "it"


def test_rule_without_queue_keeps_the_default_queue() -> None:
    d = decide(parsed("Вопрос", "Текст", sender="Director <ceo@corp.example>", to="hr@corp.example"), TABLE)
    assert (d.queue, d.priority, d.rule) == ("hr", "urgent", "vip")
    assert decide(parsed("Q", "T", sender="a@board.corp.example"), TABLE).priority == "urgent"
    assert decide(parsed("Q", "T", sender="a@notboard.corp.example"), TABLE).priority == "normal"


def test_header_rule() -> None:
    d = decide(parsed("Q", "T", headers={"X-Priority": "1 (Highest)"}), TABLE)
    assert (d.priority, d.category, d.rule) == ("high", "flagged", "outlook-high")


@pytest.mark.parametrize("text,kind", [
    ("hr@corp.example", "address"), ("@corp.example", "domain"), ("(?i)отпуск", "regex"), ("vpn", "regex")])
def test_pattern_kinds(text: str, kind: str) -> None:
    assert Pattern.parse(text).kind == kind


def test_explain_is_printable() -> None:
    text = decide(parsed("Почта", "не работает"), TABLE).explain()
    assert "rule:     outage" in text and "tried vacation: to did not match" in text
