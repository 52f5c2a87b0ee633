"""Decide where a new request goes: the first rule whose conditions all hold wins."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from email.header import decode_header, make_header

from postdesk.parsers.model import InboundMail
from postdesk.routing.model import Condition, Decision, Prediction, RoutingTable, Rule

Predictor = Callable[[InboundMail], Prediction | None]  # the learned model, when [model] is on

DEFAULT_PRIORITY = "normal"


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # a broken encoded word: match on the raw text
        return value


def condition_holds(cond: Condition, mail: InboundMail) -> bool:
    """Any pattern of the condition matches the mail's field."""
    if cond.field == "to":
        return any(p.matches_address(a) for a in mail.recipients() for p in cond.patterns)
    if cond.field == "from":
        sender = mail.sender
        return sender is not None and any(p.matches_address(sender) for p in cond.patterns)
    if cond.field == "subject":
        return any(p.matches_text(mail.subject) for p in cond.patterns)
    if cond.field == "body":
        body = mail.text or mail.full_text
        return any(p.matches_text(body) for p in cond.patterns)
    name = cond.field.split(".", 1)[1]
    values = [_decoded(v) for v in mail.header(name)]
    return any(p.matches_text(v) for v in values for p in cond.patterns)


def first_failing(rule: Rule, mail: InboundMail) -> Condition | None:
    return next((c for c in rule.conditions if not condition_holds(c, mail)), None)


def department_queue(mail: InboundMail, table: RoutingTable, mailbox_queue: str | None) -> tuple[str, str] | None:
    """The queue the mail chose itself, and how: the mailbox it arrived at, else the first department
    address written to; None for mail to the service address alone."""
    if mailbox_queue:
        return mailbox_queue, f"mail arrived at the {mailbox_queue!r} mailbox"
    for address in mail.recipients():
        queue = table.queue_for_address(address)
        if queue:
            return queue.name, f"addressed to {address}"
    return None


def default_queue(mail: InboundMail, table: RoutingTable, mailbox_queue: str | None) -> tuple[str, str]:
    """The queue before rules: the department's (department_queue), else the default queue."""
    return department_queue(mail, table, mailbox_queue) or (table.default_queue, "default queue")


def decide(mail: InboundMail, table: RoutingTable, mailbox_queue: str | None = None,
           predict: Predictor | None = None) -> Decision:
    """Route a new request; the trace tells an admin which rules were tried and why they failed.

    `predict` (the learned model) is asked only when no rule decided and the mail came to no queue's own
    address or mailbox, or when the matching rule says `classify = true`."""
    decision = _by_rules(mail, table, mailbox_queue)
    if predict is None or not wants_model(decision, table, department_queue(mail, table, mailbox_queue)):
        return decision
    return consult(decision, predict(mail), table)


def wants_model(decision: Decision, table: RoutingTable, chosen: tuple[str, str] | None) -> bool:
    """Whether the model has a say: a rule that asks for it (`classify = true`), or no rule and no queue the
    mail chose itself (`chosen`: department_queue's answer)."""
    if decision.rule is not None:
        rule = next((r for r in table.rules if r.name == decision.rule), None)
        return rule is not None and rule.classify
    return chosen is None


def consult(decision: Decision, prediction: Prediction | None, table: RoutingTable) -> Decision:
    """Above the threshold the predicted queue (if the config still has it); below, the queue stays and the
    best guesses travel with the decision, for the agents' notification and the ticket's events."""
    if prediction is None:
        return decision
    decision = _category(decision, prediction)
    said = f"{prediction.label} {prediction.confidence:.2f}"
    if prediction.routed and table.queue(prediction.label) is not None:
        return dataclasses.replace(decision, queue=prediction.label, model=said,
                                   reason=f"{decision.reason}; model: {said}",
                                   trace=(*decision.trace, f"model: {said}"))
    why = "no such queue" if prediction.routed else "below the threshold"
    return dataclasses.replace(decision, guesses=prediction.top,
                               trace=(*decision.trace, f"model: {said} ({why}); guesses: {prediction.guesses()}"))


def _category(decision: Decision, prediction: Prediction) -> Decision:
    """The category model's guess, above its own threshold, where no rule set a category."""
    if prediction.category is None or decision.category is not None:
        return decision
    category, confidence = prediction.category
    return dataclasses.replace(decision, category=category,
                               trace=(*decision.trace, f"model category: {category} {confidence:.2f}"))


def _by_rules(mail: InboundMail, table: RoutingTable, mailbox_queue: str | None) -> Decision:
    queue, why = default_queue(mail, table, mailbox_queue)
    trace: list[str] = []
    for rule in table.rules:
        failing = first_failing(rule, mail)
        if failing is not None:
            trace.append(f"{rule.name}: {failing.field} did not match")
            continue
        trace.append(f"{rule.name}: matched")
        a = rule.assignment
        return Decision(
            queue=a.queue or queue,
            category=a.category,
            priority=a.priority or DEFAULT_PRIORITY,
            assignee=a.assignee,
            rule=rule.name,
            reason=f"rule {rule.name!r} matched" + ("" if a.queue else f"; queue: {why}"),
            trace=tuple(trace),
        )
    return Decision(queue=queue, category=None, priority=DEFAULT_PRIORITY, assignee=None,
                    rule=None, reason=f"no rule matched; {why}", trace=tuple(trace))
