"""Agents' `#commands` checked against the config: a plan the caller applies only when every line made sense.

Pure: the caller passes the writing agent, the known agents and the queue names; nothing is looked up here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from postdesk.parsers.addresses import mailbox_of
from postdesk.parsers.model import Command
from postdesk.routing.model import PRIORITIES

__all__ = ["PROBLEMS", "VALID_FORMS", "AgentRef", "Change", "CommandError", "CommandPlan", "Problem", "plan_commands"]


@dataclass(frozen=True, slots=True)
class AgentRef:
    """An agent from the config: who may be assigned, and the name an agent may be called by."""

    address: str
    name: str


@dataclass(frozen=True, slots=True)
class Change:
    """One field of the ticket set to a canonical value (see the module's field list)."""

    field: str  # "status" | "assignee" | "priority" | "queue" | "category" | "cc"
    value: str


# What can be wrong with a command line, in English; the error mail phrases the same codes in the agent's
# language (templates/<lang>/labels.j2, `command_problem`), so a Russian `#статус` is answered in Russian.
PROBLEMS: dict[str, str] = {
    "unknown_command": "unknown command #{0}",
    "no_argument": "{0} takes no argument",
    "needs_argument": "{0} needs an argument",
    "unknown_status": 'unknown status "{0}" (open, pending, resolved, closed)',
    "unknown_priority": 'unknown priority "{0}" ({1})',
    "unknown_queue": 'unknown queue "{0}" (known: {1})',
    "not_an_agent": '"{0}" is not an agent, so cannot be assigned',
    "no_agent_address": 'no agent has the address "{0}"',
    "no_agent_match": 'no agent matches "{0}"',
    "ambiguous": '"{0}" is ambiguous: {1}',
    "not_an_address": '"{0}" is not an email address',
    "cc_agent": '{0} is an agent: agents follow tickets by their notices (#assign gives one the ticket)',
    "cc_ours": '{0} is one of the desk\'s own addresses, which never gets a copy',
    "conflict": 'conflicts with "{0}": {1} cannot be both {2} and {3}',
}


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a command cannot be carried out: a code of PROBLEMS and the values it names."""

    code: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return PROBLEMS[self.code].format(*self.args)


@dataclass(frozen=True, slots=True)
class CommandError:
    """A line the agent must fix, and why (`problem` is the English text, for events and logs)."""

    line: str
    why: Problem

    @property
    def problem(self) -> str:
        return str(self.why)


@dataclass(frozen=True, slots=True)
class CommandPlan:
    """What the commands ask for; the caller applies nothing unless `ok`, so a typo never half-changes a ticket."""

    changes: tuple[Change, ...]
    note: bool
    errors: tuple[CommandError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    def language(self, default: str) -> str:
        """The language to explain the errors in: Russian for commands written in Russian, else `default`."""
        cyrillic = any("\u0400" <= ch <= "\u04ff" for e in self.errors for ch in e.line)
        return "ru" if cyrillic else default


# ---------------------------------------------------------------------------------------------- vocabulary

# Russian keys are written with "е": `_key` folds "ё" before looking anything up.
_COMMANDS: dict[str, str] = {
    "status": "status", "статус": "status",
    "resolve": "resolve", "решено": "resolve", "решена": "resolve", "решить": "resolve",
    "close": "close", "закрыть": "close", "закрыто": "close", "закрыта": "close",
    "reopen": "reopen", "open": "reopen", "открыть": "reopen",
    "assign": "assign", "назначить": "assign",
    "priority": "priority", "приоритет": "priority",
    "queue": "queue", "очередь": "queue",
    "category": "category", "категория": "category",
    "note": "note", "заметка": "note", "внутреннее": "note",
    "cc": "cc", "копия": "cc",
}
_FIXED_STATUS = {"resolve": "resolved", "close": "closed", "reopen": "open"}

_STATUSES: dict[str, str] = {
    "open": "open", "открыта": "open", "открыто": "open", "открыт": "open",
    "pending": "pending", "ожидание": "pending", "ожидает": "pending",
    "resolved": "resolved", "решена": "resolved", "решено": "resolved", "решен": "resolved",
    "closed": "closed", "закрыта": "closed", "закрыто": "closed", "закрыт": "closed",
}
_PRIORITY_WORDS: dict[str, str] = {
    **{p: p for p in PRIORITIES},
    "низкий": "low",
    "обычный": "normal", "нормальный": "normal", "средний": "normal",
    "высокий": "high",
    "срочный": "urgent", "критичный": "urgent",
}
_ME = frozenset({"me", "я", "мне", "себе"})

VALID_FORMS: tuple[str, ...] = (
    "#status open|pending|resolved|closed  (#статус открыта|ожидание|решена|закрыта)",
    "#resolve  (#решено, #решена, #решить)",
    "#close  (#закрыть, #закрыто, #закрыта)",
    "#reopen, #open  (#открыть)",
    "#assign me|<agent name>|<agent address>  (#назначить я|мне|себе|<имя>|<адрес>)",
    "#priority low|normal|high|urgent  (#приоритет низкий|обычный|высокий|срочный)",
    "#queue <queue name>  (#очередь <название>)",
    "#category <text>  (#категория <текст>)",
    "#note  (#заметка, #внутреннее): the reply is an internal note, not sent to the requester",
    "#cc <address>  (#копия <адрес>)",
)

_ADDRESS_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
)
_ANGLE_RE = re.compile(r"<([^<>]*)>")  # "Мария Петрова <petrova@corp.example>": the address decides
_CC_SPLIT_RE = re.compile(r"[\s,;]+")
_WORD_RE = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def _key(word: str) -> str:
    """Case- and ё-insensitive form, so `#Решён` and `#решен` are one word."""
    return word.casefold().replace("ё", "е")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(_key(text)))


# ---------------------------------------------------------------------------------------------- one command


def _assignee(arg: str, agent: str, agents: Sequence[AgentRef]) -> Change | Problem:
    """The agent `arg` names; a problem when nobody or several match, since only agents can own tickets."""
    by_address = {a.address.lower(): a for a in agents}
    if _key(arg) in _ME:
        me = agent.strip().lower()
        return Change("assignee", me) if me in by_address else Problem("not_an_agent", (agent,))
    angle = _ANGLE_RE.search(arg)
    wanted = (angle.group(1) if angle else arg).strip().lower()
    if "@" in wanted:
        return Change("assignee", wanted) if wanted in by_address else Problem("no_agent_address", (wanted,))
    words = _words(arg)
    if not words:
        return Problem("no_agent_match", (arg,))
    exact = [a for a in agents if _words(a.name) == words]
    if not exact:  # "Иванов", "иван иванов", "Иванов Иван", or the address's local part
        exact = [a for a in agents if set(words) <= set(_words(a.name))
                 or (len(words) == 1 and words[0] == _key(a.address.split("@")[0]))]
    found = list({a.address.lower(): a for a in exact}.values())
    if len(found) == 1:
        return Change("assignee", found[0].address.lower())
    if not found:
        return Problem("no_agent_match", (arg,))
    names = ", ".join(f"{a.name} <{a.address.lower()}>" if a.name else a.address.lower() for a in found)
    return Problem("ambiguous", (arg, names))


def _changes(cmd: Command, kind: str, agent: str, agents: Sequence[AgentRef],
             queues: Sequence[str], ours: frozenset[str]) -> list[Change] | Problem:
    """The changes one known command asks for, or the problem with it."""
    arg = cmd.args.strip()
    name = f"#{cmd.name}"
    if kind in _FIXED_STATUS or kind == "note":
        if arg:
            return Problem("no_argument", (name,))
        return [] if kind == "note" else [Change("status", _FIXED_STATUS[kind])]
    if not arg:
        return Problem("needs_argument", (name,))
    if kind == "status":
        status = _STATUSES.get(_key(arg))
        return [Change("status", status)] if status else Problem("unknown_status", (arg,))
    if kind == "priority":
        prio = _PRIORITY_WORDS.get(_key(arg))
        return [Change("priority", prio)] if prio else Problem("unknown_priority", (arg, ", ".join(PRIORITIES)))
    if kind == "queue":
        queue = next((q for q in queues if _key(q) == _key(arg)), None)
        return [Change("queue", queue)] if queue else Problem("unknown_queue", (arg, ", ".join(queues) or "none"))
    if kind == "category":
        return [Change("category", arg)]
    if kind == "assign":
        who = _assignee(arg, agent, agents)
        return who if isinstance(who, Problem) else [who]
    # cc: one or more addresses, "a@x.example, b@y.example"
    addresses: list[str] = []
    for part in _CC_SPLIT_RE.split(arg):
        address = part.strip().strip("<>")
        if address and not _ADDRESS_RE.fullmatch(address):
            return Problem("not_an_address", (part,))
        addresses += [address.lower()] if address else []
    for address in addresses:
        if mailbox_of(address) in ours:  # the desk's mail to itself is a loop, never sent
            return Problem("cc_ours", (address,))
        if any(a.address == address for a in agents):  # agents are never participants (no mail reaches them)
            return Problem("cc_agent", (address,))
    return [Change("cc", address) for address in addresses]


# ---------------------------------------------------------------------------------------------- the plan


def plan_commands(commands: Sequence[Command], *, agent: str, agents: Sequence[AgentRef],
                  queues: Sequence[str], ours: frozenset[str] = frozenset()) -> CommandPlan:
    """Check every command, keep changes in the order given; any error makes the whole plan not `ok`.
    `ours`: the desk's own addresses in lower case, which `#cc` refuses."""
    changes: list[Change] = []
    set_by: dict[str, tuple[str, str]] = {}  # field -> (value, line) of the first command that set it
    errors: list[CommandError] = []
    note = False
    for cmd in commands:
        kind = _COMMANDS.get(_key(cmd.name))
        if kind is None:
            errors.append(CommandError(cmd.line, Problem("unknown_command", (cmd.name,))))
            continue
        result = _changes(cmd, kind, agent, agents, queues, ours)
        if isinstance(result, Problem):
            errors.append(CommandError(cmd.line, result))
            continue
        note = note or kind == "note"
        for change in result:
            if change in changes:
                continue
            first = set_by.get(change.field)
            if first is not None and change.field != "cc":  # cc adds people; every other field has one value
                why = Problem("conflict", (first[1], change.field, first[0], change.value))
                errors.append(CommandError(cmd.line, why))
                continue
            set_by.setdefault(change.field, (change.value, cmd.line))
            changes.append(change)
    return CommandPlan(tuple(changes), note, tuple(errors))
