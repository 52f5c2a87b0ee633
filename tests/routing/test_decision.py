"""The one decision about an inbound mail (routing.decision.decide_mail), table by table: every action kind and
every reason, Russian and English mails, pure values in, a verdict out. No database, no server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from postdesk.parsers import InboundMail, ParseOptions, parse_mail
from postdesk.routing import Assignment, Condition, Pattern, QueueDef, RoutingTable, Rule
from postdesk.routing.actions import (
    KINDS,
    AgentReply,
    Automatic,
    Defer,
    Duplicate,
    FollowUp,
    NewsByMail,
    NewTicket,
    Rating,
    Refuse,
    Solved,
    StatusRequest,
    Subscription,
    ThirdParty,
    TooLarge,
)
from postdesk.routing.commands import AgentRef
from postdesk.routing.decision import decide_mail, identify
from postdesk.routing.facts import Bounce, Claim, Delivered, Desk, Facts, Identity, Thread
from postdesk.routing.model import Prediction

MX = "mx1.corp.example"
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
PETROVA = AgentRef("petrova@corp.example", "Петрова")
SMITH = AgentRef("smith@corp.example", "John Smith")
TABLE = RoutingTable(
    queues=(QueueDef("it", "ИТ", ("it@corp.example",)), QueueDef("general", "Общие")),
    rules=(Rule("outage", (Condition("body", (Pattern.parse("(?i)не работает|down|outage"),)),),
                Assignment(queue="it", priority="high")),),
    default_queue="general",
)
DESK = Desk(routing=TABLE, agents=(PETROVA, SMITH), reopen_days=14, trusted_authserv_id=MX,
            own_domains=frozenset({"corp.example"}), news_editors=frozenset({"editor@corp.example"}))
ARRIVAL = ("from mail.corp.example (mail.corp.example [192.0.2.25]) by mx1.corp.example (Postfix) "
           "with ESMTPS id 4Qx1; Mon, 7 Dec 2026 10:00:00 +0300")
PROVEN = f"{MX}; dkim=pass header.d=corp.example header.i=petrova@corp.example header.s=mail header.b=Xy12AbCd"
DMARC_FAIL = f"{MX}; dmarc=fail (p=reject) header.from=corp.example"


def mail(subject: str = "Вопрос", body: str = "Текст", *, sender: str | None = "petr@corp.example",
         envelope_from: str | None = None, top: tuple[tuple[str, str], ...] = (), **headers: str) -> InboundMail:
    """A mail as the parser hands it over; `top` are headers our MX prepended (above its Received)."""
    lines = [f"{k}: {v}" for k, v in top]
    if top:
        lines.append(f"Received: {ARRIVAL}")
    if sender:
        lines.append(f"From: {sender}")
    lines += ["To: service@corp.example", f"Subject: {subject}", "Message-ID: <m1@corp.example>",
              "Content-Type: text/plain; charset=utf-8"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    raw = ("\n".join(lines) + "\n\n" + body + "\n").encode()
    return parse_mail(raw, ParseOptions(), envelope_from=envelope_from)


def thread(status: str = "open", *, people: tuple[str, ...] = ("petr@corp.example",), resolved_days: int = 1,
           number: int = 12) -> Thread:
    resolved = NOW - timedelta(days=resolved_days) if status in ("resolved", "closed") else None
    return Thread(number, f"SD-{number}", status, resolved or NOW - timedelta(hours=1), resolved, frozenset(people))


def facts(**kw: object) -> Facts:
    return Facts(DESK, NOW, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Case:
    name: str
    mail: InboundMail
    facts: Facts
    kind: type
    line: str  # the action's line for people, exactly
    why: str = ""  # a piece of the trace
    fields: dict[str, object] = field(default_factory=dict)


PROVEN_AGENT = Identity(PETROVA, PETROVA, 12, "its signed reply address")
RESOLVED = thread("resolved")
CASES = [
    # -- refused, deferred
    Case("refuse: no sender (ru)", mail("Без адреса", sender=None), facts(), Refuse,
         "refuse: no sender address: neither From nor the envelope sender can be answered"),
    Case("refuse: no sender (en)", mail("No address", "Hello", sender=None), facts(thread=thread()), Refuse,
         "refuse: no sender address: neither From nor the envelope sender can be answered"),
    Case("defer: answers a pending mail", mail("Re: Принтер", In_Reply_To="<p@corp.example>"),
         facts(waits="p@corp.example"), Defer, "wait: answers <p@corp.example>, not processed yet"),
    # -- automatic mail
    Case("drop: auto-reply (en)", mail("Out of office", "I am away.", Auto_Submitted="auto-replied"), facts(),
         Automatic, "drop: auto-reply (Auto-Submitted: auto-replied)", "never answered"),
    Case("record: auto-reply on its thread (ru)",
         mail("Автоответ: Принтер", "Я в отпуске.", Auto_Submitted="auto-replied"), facts(thread=thread()),
         Automatic, "record on SD-12: auto-reply (Auto-Submitted: auto-replied), not answered"),
    Case("bounce proven by VERP, about the ticket of the mail it returns",
         mail("Undelivered Mail Returned to Sender", "no such user", sender="MAILER-DAEMON@mx.corp.example",
              Auto_Submitted="auto-replied"),
         facts(bounce=Bounce(7, "VERP", ("old@corp.example",), 3, thread(number=3))), Automatic,
         "record on SD-3: bounce (delivery report from mailer-daemon@mx.corp.example), not answered; holds "
         "old@corp.example (proven by VERP)", "returns our outbox mail 7"),
    Case("an automatic mail without a sender is recorded, not refused",
         mail("Delivery report", "x", sender=None, envelope_from=None, Auto_Submitted="auto-generated"), facts(),
         Automatic, "drop: bulk (Auto-Submitted: auto-generated (machine-generated mail))"),
    # -- the row's options: too large, the news mailbox, the page's clicks
    Case("too large", mail("Сканы", "Во вложении"), facts(delivered=Delivered(too_large=31_000_000)), TooLarge,
         "too large (31000000 bytes): left on the server, the sender is told", "for its size"),
    Case("news by an editor", mail("Плановые работы", "В субботу", sender="editor@corp.example"),
         facts(delivered=Delivered(mailbox="news")), NewsByMail, "news by mail from editor@corp.example"),
    Case("news from someone who is no editor", mail("Buy now", "Cheap", sender="spam@example.net"),
         facts(delivered=Delivered(mailbox="news")), NewsByMail,
         "ignore: news mail from spam@example.net, who is no editor"),
    Case("solved, clicked on the page", mail("Solved"), facts(thread=thread(), delivered=Delivered(web="solved")),
         Solved, "solved: the requester resolves SD-12"),
    Case("rating, clicked on the page", mail("Rating"),
         facts(thread=RESOLVED, delivered=Delivered(web="rating", score=4, comment="быстро")), Rating,
         "rating 4 for SD-12: быстро", fields={"via": "web"}),
    Case("a click from someone not on the ticket is a new request", mail("Solved", sender="eve@example.net"),
         facts(thread=thread(), delivered=Delivered(web="solved")), NewTicket,
         "new ticket in general (no rule matched), mentions SD-12: the sender is not a participant of that request"),
    # -- duplicates, agents, third parties, authentication
    Case("duplicate", mail("Re: Принтер"), facts(thread=thread(), known=True), Duplicate, "already on SD-12",
         "already on the thread"),
    Case("agent reply with commands (ru)",
         mail("Re: Принтер [SD-12]", "#status resolved\nГотово, перезагрузили.", sender="petrova@corp.example"),
         facts(thread=thread(), who=PROVEN_AGENT), AgentReply,
         "agent reply on SD-12 by Петрова: #status resolved", "a proven agent wrote",
         {"how": "its signed reply address"}),
    Case("agent reply with an invalid command (en)",
         mail("Re: Printer [SD-12]", "#frobnicate now\nDone.", sender="smith@corp.example"),
         facts(thread=thread(), who=Identity(SMITH, SMITH, 12, "a reply to its notification")), AgentReply,
         "agent reply on SD-12 by John Smith: 1 invalid command(s), nothing applied"),
    Case("agent reply without commands (en)", mail("Re: Printer", "Please restart it.", sender="smith@corp.example"),
         facts(thread=thread(), who=Identity(SMITH, SMITH, None, "Authentication-Results from mx1")), AgentReply,
         "agent reply on SD-12 by John Smith"),
    Case("third party at an agent's reply address",
         mail("Re: Принтер", "Я тоже", sender="kolya@corp.example"),
         facts(thread=thread(), who=Identity(None, PETROVA, 12)), ThirdParty,
         "third-party mail on SD-12 to Петрова's reply address: kept, not relayed", "signed reply address"),
    Case("From contradicted by our MX: its own ticket, never a follow-up",
         mail("Re: VPN [SD-12]", "Дайте доступ", sender="petr@corp.example"),
         facts(thread=thread(), who=Identity(contradicted="dmarc=fail header.from=corp.example")), NewTicket,
         "new ticket in general (no rule matched), mentions SD-12: the sender's authentication contradicts its "
         "From (dmarc=fail header.from=corp.example)"),
    # -- status and subscription by mail
    Case("status request (ru)", mail("Статус"), facts(), StatusRequest, "status reply to petr@corp.example",
         "asks for the sender's open requests"),
    Case("status request (en)", mail("My requests!", "", sender="ann@example.net"), facts(), StatusRequest,
         "status reply to ann@example.net"),
    Case("a status subject on a thread is a follow-up", mail("Статус"), facts(thread=thread()), FollowUp,
         "follow-up on SD-12"),
    Case("a status subject to a department is a request", mail("статус"), facts(delivered=Delivered("it", "it")),
         NewTicket, "new ticket in it (no rule matched)"),
    Case("unsubscribe by subject (ru)", mail("Отписаться", ""), facts(), Subscription,
         "unsubscribe petr@corp.example from the news", "says only unsubscribe"),
    Case("unsubscribe by body (en)", mail("Re: Weekly news", "Unsubscribe.", sender="ann@example.net"), facts(),
         Subscription, "unsubscribe ann@example.net from the news"),
    Case("subscribe by a reply's subject (en)", mail("Re: Subscribe", "", sender="ann@example.net"), facts(),
         Subscription, "subscribe ann@example.net to the news", "says only subscribe"),
    # -- ratings by mail, follow-ups, reopening
    Case("rating by reply (ru)", mail("Re: Принтер [SD-12]", "5 спасибо, быстро"), facts(thread=RESOLVED), Rating,
         "rating 5 for SD-12: спасибо, быстро", "starts with a score", {"via": "mail"}),
    Case("rating by reply on a closed ticket (en)", mail("Re: Printer", "2", sender="ann@example.net"),
         facts(thread=thread("closed", people=("ann@example.net",))), Rating, "rating 2 for SD-12"),
    Case("follow-up (ru)", mail("Re: Принтер [SD-12]", "Всё ещё не печатает"), facts(thread=thread()), FollowUp,
         "follow-up on SD-12", "a participant wrote on a live request"),
    Case("follow-up from a cc'd participant (en)", mail("Re: Printer", "Me too", sender="ann@example.net"),
         facts(thread=thread("pending", people=("petr@corp.example", "ann@example.net"))), FollowUp,
         "follow-up on SD-12"),
    Case("history import joins a closed thread, nothing reopens", mail("Re: Принтер", "Старое письмо"),
         facts(thread=thread("closed"), delivered=Delivered(silent=True)), FollowUp, "follow-up on SD-12",
         "history import"),
    Case("only thanks on a resolved ticket (ru)", mail("Re: Принтер", "Спасибо, всё работает!"),
         facts(thread=RESOLVED), FollowUp, "thanks on SD-12, which stays resolved", "only thanks"),
    Case("only thanks on a resolved ticket (en)", mail("Re: Printer", "Thanks, it works now.",
                                                       sender="ann@example.net"),
         facts(thread=thread("resolved", people=("ann@example.net",))), FollowUp,
         "thanks on SD-12, which stays resolved"),
    Case("a reply to a recently resolved ticket reopens it", mail("Re: Принтер", "Опять не печатает"),
         facts(thread=RESOLVED), FollowUp, "follow-up on SD-12 (reopens it)", "within 14 days"),
    # -- new requests, and why a mail did not join the thread it names
    Case("new request, routed by a rule (ru)", mail("VPN", "С утра не работает VPN"), facts(), NewTicket,
         "new ticket in it (rule outage)", "no thread: a new request"),
    Case("new request, no rule (en)", mail("Monitor", "I need a second monitor", sender="ann@example.net"),
         facts(), NewTicket, "new ticket in general (no rule matched)"),
    Case("a stranger using [SD-n]", mail("Re: Принтер [SD-12]", "Тоже", sender="eve@example.net"),
         facts(thread=thread()), NewTicket,
         "new ticket in general (no rule matched), mentions SD-12: the sender is not a participant of that request"),
    Case("a reply to a closed ticket", mail("Re: Принтер", "Снова сломался"), facts(thread=thread("closed")),
         NewTicket, "new ticket in general (no rule matched), mentions SD-12: that request is closed"),
    Case("a reply long after resolution (en)", mail("Re: Printer", "Broken again", sender="ann@example.net"),
         facts(thread=thread("resolved", people=("ann@example.net",), resolved_days=40)), NewTicket,
         "new ticket in general (no rule matched), mentions SD-12: that request was resolved more than 14 days ago"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_decision(case: Case) -> None:
    verdict = decide_mail(case.mail, case.facts)
    assert type(verdict.action) is case.kind
    assert verdict.line() == case.line
    assert case.why in "\n".join(verdict.trace)
    out = verdict.as_json()
    assert out["action"] == case.kind.kind and out["line"] == case.line  # type: ignore[attr-defined]
    assert {k: out[k] for k in case.fields} == case.fields
    json.dumps(out, ensure_ascii=False)  # plain values only


def test_every_kind_of_action_is_in_the_table() -> None:
    assert {c.kind for c in CASES} == set(KINDS)


def test_the_trace_names_the_sender_and_the_thread() -> None:
    verdict = decide_mail(mail("Re: Принтер [SD-12]", "Готово", sender="petrova@corp.example"),
                          facts(thread=thread(), who=PROVEN_AGENT, known=False))
    assert verdict.trace[:2] == ("sender: petrova@corp.example; agent petrova@corp.example, proven by its signed "
                                 "reply address", "thread: SD-12 (open)")


def test_a_new_ticket_carries_the_rules_tried() -> None:
    action = decide_mail(mail("VPN", "не работает"), facts()).action
    assert isinstance(action, NewTicket)
    assert action.decision.trace == ("outage: matched",) and action.decision.priority == "high"


def test_agent_commands_are_planned_by_the_decision() -> None:
    action = decide_mail(mail("Re: VPN", "#status resolved\n#priority high\nСделано", sender="petrova@corp.example"),
                         facts(thread=thread(), who=PROVEN_AGENT)).action
    assert isinstance(action, AgentReply) and action.plan.ok
    assert [(c.field, c.value) for c in action.plan.changes] == [("status", "resolved"), ("priority", "high")]
    assert action.commands == ("#status resolved", "#priority high")


# -- who wrote: From alone never makes an agent
SIGNED = Claim(12, "petrova@corp.example")


@pytest.mark.parametrize(("sender", "signed", "notified", "top", "expect"), [
    ("petrova@corp.example", SIGNED, None, (), ("petrova@corp.example", "its signed reply address", None)),
    ("kolya@corp.example", SIGNED, None, (), (None, "", None)),
    ("petrova@corp.example", None, SIGNED, (), ("petrova@corp.example", "a reply to its notification", None)),
    ("petrova@corp.example", None, None, (("Authentication-Results", PROVEN),),
     ("petrova@corp.example", f"Authentication-Results from {MX}: dkim=pass header.i=petrova@corp.example", None)),
    ("petrova@corp.example", None, None, (), (None, "", "is an agent's address")),
    ("petrova@corp.example", SIGNED, None, (("Authentication-Results", DMARC_FAIL),), (None, "", "but mx1")),
    ("ann@example.net", None, None, (), (None, "", None)),
], ids=["signed", "signed-by-another", "notification", "dkim", "from-alone", "contradicted", "stranger"])
def test_identify(sender: str, signed: Claim | None, notified: Claim | None, top: tuple[tuple[str, str], ...],
                  expect: tuple[str | None, str, str | None]) -> None:
    who = identify(mail("Re: VPN", "ok", sender=sender, top=top), DESK, signed, notified)
    agent, how, spoof = expect
    assert (who.agent.address if who.agent else None, who.how) == (agent, how)
    assert (spoof is None and who.spoof is None) or (spoof is not None and spoof in (who.spoof or ""))
    if signed is not None and agent is None:  # whoever used a signed address, it names its agent and ticket
        assert who.addressed == PETROVA and who.ticket_id == 12


def test_a_contradicted_from_never_joins_the_thread_as_that_person() -> None:
    m = mail("Re: VPN [SD-12]", "Дайте доступ", top=(("Authentication-Results", DMARC_FAIL),))
    who = identify(m, DESK, None, None)
    assert who.contradicted == "dmarc=fail header.from=corp.example"
    verdict = decide_mail(m, facts(thread=thread(), who=who))
    assert isinstance(verdict.action, NewTicket) and "not who its From says" in verdict.trace[0]


def test_without_a_clock_a_resolved_ticket_always_reopens() -> None:
    old = replace(facts(thread=thread("resolved", resolved_days=400)), now=None)
    assert decide_mail(mail("Re: Принтер", "Опять"), old).line() == "follow-up on SD-12 (reopens it)"


def test_the_learned_model_has_its_word_in_the_decision_where_the_rules_leave_it_room() -> None:
    """[model] on: the pipeline and route-test both get the model's queue from the decision itself."""
    def predict(m: InboundMail) -> Prediction:
        return Prediction("it", 0.91, True, (("it", 0.91), ("general", 0.05)))

    sure = replace(DESK, predict=predict)
    routed = decide_mail(mail("Ноутбук", "Не включается экран"), replace(facts(), desk=sure))
    assert routed.line() == "new ticket in it (no rule matched)"
    assert routed.as_json()["decision"]["model"] == "it 0.91"
    by_rule = decide_mail(mail("VPN", "не работает"), replace(facts(), desk=sure)).action
    assert isinstance(by_rule, NewTicket) and by_rule.decision.model is None  # a rule decided: not asked
