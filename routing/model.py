"""Routing values: rules as admins wrote them, and the decision they lead to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PRIORITIES = ("low", "normal", "high", "urgent")
MATCH_FIELDS = ("to", "from", "subject", "body")
SET_FIELDS = ("queue", "category", "priority", "assignee")

_ADDRESS = re.compile(r"^[^@\s()\[\]\\|^$*+?{}]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_DOMAIN = re.compile(r"^@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One alternative of a condition: an exact address, a `@domain`, or a regex."""

    source: str
    kind: str  # "address" | "domain" | "regex"
    regex: re.Pattern[str] | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, source: str) -> Pattern:
        """Classify `source`; raises re.error for a bad regex (config validation reports it)."""
        text = source.strip()
        if _ADDRESS.match(text):
            return cls(text.lower(), "address")
        if _DOMAIN.match(text):
            return cls(text.lower(), "domain")
        return cls(source, "regex", re.compile(source))

    def matches_address(self, address: str) -> bool:
        address = address.lower()
        if self.kind == "address":
            return address == self.source
        if self.kind == "domain":
            return address.endswith(self.source)
        assert self.regex is not None
        return self.regex.search(address) is not None

    def matches_text(self, text: str) -> bool:
        if self.kind == "regex":
            assert self.regex is not None
            return self.regex.search(text) is not None
        return self.source in text.lower()


@dataclass(frozen=True, slots=True)
class Condition:
    """`field` must match any of `patterns`; field is to/from/subject/body or header.<Name>."""

    field: str
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True, slots=True)
class Assignment:
    """What a rule sets; None leaves the value to the defaults."""

    queue: str | None = None
    category: str | None = None
    priority: str | None = None
    assignee: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    conditions: tuple[Condition, ...]
    assignment: Assignment
    classify: bool = False  # a matching rule still lets the learned model pick the queue (routing/route.py)


@dataclass(frozen=True, slots=True)
class QueueDef:
    """A queue: `title` in the service's language, `titles` per language where the admin gave them, so an
    English requester is not shown «ИТ-поддержка»."""

    name: str
    title: str
    addresses: tuple[str, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()  # (language, title)

    def title_in(self, language: str) -> str:
        return next((t for lang, t in self.titles if lang == language), self.title)


@dataclass(frozen=True, slots=True)
class RoutingTable:
    """Everything routing needs from the config, as plain values."""

    queues: tuple[QueueDef, ...]
    rules: tuple[Rule, ...]
    default_queue: str

    def queue(self, name: str) -> QueueDef | None:
        return next((q for q in self.queues if q.name == name), None)

    def queue_title(self, name: str, language: str) -> str:
        """What a person reading `language` calls the queue; its bare name when the config no longer has it."""
        queue = self.queue(name)
        return queue.title_in(language) if queue else name

    def queue_for_address(self, address: str) -> QueueDef | None:
        address = address.lower()
        return next((q for q in self.queues if address in q.addresses), None)


@dataclass(frozen=True, slots=True)
class Prediction:
    """The learned model's guess for a mail: best queue, its probability, whether it clears the fitted
    threshold, and the best guesses with their probabilities (routing/classifier.py)."""

    label: str
    confidence: float
    routed: bool
    top: tuple[tuple[str, float], ...]
    category: tuple[str, float] | None = None  # the category model's guess, when one is fitted and sure of it

    def guesses(self) -> str:
        return ", ".join(f"{q} {p:.2f}" for q, p in self.top)


@dataclass(frozen=True, slots=True)
class Decision:
    """Where a new ticket goes and why: the rule that fired and the trace of those tried."""

    queue: str
    category: str | None
    priority: str
    assignee: str | None
    rule: str | None
    reason: str
    trace: tuple[str, ...] = ()
    model: str | None = None  # "it 0.93" when the learned model routed it
    guesses: tuple[tuple[str, float], ...] = ()  # the model's best guesses when it did not

    def explain(self) -> str:
        lines = [
            f"queue:    {self.queue}",
            f"category: {self.category or '-'}",
            f"priority: {self.priority}",
            f"assignee: {self.assignee or '-'}",
            f"rule:     {self.rule or '(none)'}",
            f"why:      {self.reason}",
        ]
        if self.model:
            lines.append(f"model:    {self.model}")
        if self.guesses:
            lines.append("guesses:  " + ", ".join(f"{q} {p:.2f}" for q, p in self.guesses))
        lines += [f"  tried {t}" for t in self.trace]
        return "\n".join(lines)
