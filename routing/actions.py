"""What happens to one inbound mail: a closed set of actions, each a frozen value with a line for people.

`routing.decision.decide_mail` returns one of them in a `Verdict` (with the trace of why); the daemon hands
it to one handler per kind (daemon/pipeline/handlers/), `postdesk route-test` prints it. These were the pipeline's
action classes; they moved here so the dry run and the daemon share them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from postdesk.routing.commands import AgentRef, CommandPlan
from postdesk.routing.facts import Bounce, Thread
from postdesk.routing.model import Decision


def _who(agent: AgentRef) -> str:
    return agent.name or agent.address


@dataclass(frozen=True, slots=True)
class Refuse:
    """Cannot become a request at all (no address to answer): quarantined with the reason."""

    kind: ClassVar[str] = "refuse"
    reason: str

    def line(self) -> str:
        return f"refuse: {self.reason}"


@dataclass(frozen=True, slots=True)
class Defer:
    """It answers a mail that came in earlier and is not processed yet: it waits for a later pass."""

    kind: ClassVar[str] = "defer"
    waits_for: str

    def line(self) -> str:
        return f"wait: answers <{self.waits_for}>, not processed yet"


@dataclass(frozen=True, slots=True)
class Automatic:
    """Automatic mail (bounce, auto-reply, list…): recorded on its thread if any, never answered; a bounce
    holds its failed recipients only when it is proven to return our mail (`bounce`)."""

    kind: ClassVar[str] = "automatic"
    auto: str
    reason: str
    thread: Thread | None
    bounce: Bounce | None = None

    def line(self) -> str:
        held = f"; holds {', '.join(self.bounce.recipients)} (proven by {self.bounce.how})" if self.bounce else ""
        if self.thread is None:
            return f"drop: {self.auto} ({self.reason}){held}"
        return f"record on {self.thread.ref}: {self.auto} ({self.reason}), not answered{held}"


@dataclass(frozen=True, slots=True)
class TooLarge:
    """A mail left on the IMAP server for its size: one polite reply, no ticket."""

    kind: ClassVar[str] = "too-large"
    size: int

    def line(self) -> str:
        return f"too large ({self.size} bytes): left on the server, the sender is told"


@dataclass(frozen=True, slots=True)
class NewsByMail:
    """A mail to the news address: an editor's item, published once the editor is proven; others ignored."""

    kind: ClassVar[str] = "news"
    sender: str
    editor: bool
    proven: str = ""  # the trusted DKIM verdict that proves the editor, else "" (a preview asks them to confirm)

    def line(self) -> str:
        if not self.editor:
            return f"ignore: news mail from {self.sender or '(no sender)'}, who is no editor"
        return f"news by mail from {self.sender}" + (f", proven by {self.proven}" if self.proven else "")


@dataclass(frozen=True, slots=True)
class Duplicate:
    """This very mail (its Message-ID) is already on the thread: nothing to do."""

    kind: ClassVar[str] = "duplicate"
    thread: Thread

    def line(self) -> str:
        return f"already on {self.thread.ref}"


@dataclass(frozen=True, slots=True)
class AgentReply:
    """An agent's reply, proven (`how`): its commands (`plan`, all or none), then a note or a relayed reply."""

    kind: ClassVar[str] = "agent-reply"
    thread: Thread
    agent: AgentRef
    how: str
    plan: CommandPlan
    commands: tuple[str, ...] = ()  # the command lines as written

    def line(self) -> str:
        head = f"agent reply on {self.thread.ref} by {_who(self.agent)}"
        if not self.plan.ok:
            return f"{head}: {len(self.plan.errors)} invalid command(s), nothing applied"
        return f"{head}: {'; '.join(self.commands)}" if self.commands else head


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """Someone other than the agent wrote to an agent's signed reply address: kept, never relayed."""

    kind: ClassVar[str] = "third-party"
    thread: Thread
    agent: AgentRef

    def line(self) -> str:
        return f"third-party mail on {self.thread.ref} to {_who(self.agent)}'s reply address: kept, not relayed"


@dataclass(frozen=True, slots=True)
class Solved:
    """The requester clicked "This solved my problem" (the page turns the click into an inbound row)."""

    kind: ClassVar[str] = "solved"
    thread: Thread

    def line(self) -> str:
        return f"solved: the requester resolves {self.thread.ref}"


@dataclass(frozen=True, slots=True)
class Rating:
    """The requester's rating of a resolved ticket: a reply starting with 1–5, or a link on the page."""

    kind: ClassVar[str] = "rating"
    thread: Thread
    score: int
    comment: str
    via: str  # "mail" | "web"

    def line(self) -> str:
        return f"rating {self.score} for {self.thread.ref}" + (f": {self.comment}" if self.comment else "")


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """A mail to the service address whose subject asks for the sender's open tickets."""

    kind: ClassVar[str] = "status"
    sender: str

    def line(self) -> str:
        return f"status reply to {self.sender}"


@dataclass(frozen=True, slots=True)
class Subscription:
    """A mail to the service address that says only "unsubscribe"/"отписаться" or "subscribe"/"подписаться"."""

    kind: ClassVar[str] = "subscription"
    sender: str
    subscribe: bool

    def line(self) -> str:
        return f"subscribe {self.sender} to the news" if self.subscribe else f"unsubscribe {self.sender} from the news"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A participant's mail on a live thread; `reopen` a resolved one; `thanks` only thanks on a resolved
    ticket: stored, nothing reopens, nobody is bothered."""

    kind: ClassVar[str] = "follow-up"
    thread: Thread
    reopen: bool
    thanks: bool = False

    def line(self) -> str:
        if self.thanks:
            return f"thanks on {self.thread.ref}, which stays {self.thread.status}"
        return f"follow-up on {self.thread.ref}" + (" (reopens it)" if self.reopen else "")


@dataclass(frozen=True, slots=True)
class NewTicket:
    """A new request, routed by `decision`; `mentions` the thread it did not join, and `why` not."""

    kind: ClassVar[str] = "new-ticket"
    decision: Decision
    mentions: Thread | None = None
    why: str = "the sender is not a participant of that request"

    def line(self) -> str:
        d = self.decision
        text = f"new ticket in {d.queue} ({f'rule {d.rule}' if d.rule else 'no rule matched'})"
        return text + (f", mentions {self.mentions.ref}: {self.why}" if self.mentions is not None else "")


Action = (Refuse | Defer | Automatic | TooLarge | NewsByMail | Duplicate | AgentReply | ThirdParty | Solved
          | Rating | StatusRequest | Subscription | FollowUp | NewTicket)
KINDS: tuple[type[Action], ...] = (Refuse, Defer, Automatic, TooLarge, NewsByMail, Duplicate, AgentReply,
                                   ThirdParty, Solved, Rating, StatusRequest, Subscription, FollowUp, NewTicket)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One action and the trace of why, line by line (as routing.Decision's trace for the queue rules)."""

    action: Action
    trace: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.action.kind

    def line(self) -> str:
        return self.action.line()

    def as_json(self) -> dict[str, Any]:
        """The kind, the line, the trace ("why") and the action's fields as plain JSON values."""
        out: dict[str, Any] = {"action": self.kind, "line": self.line(), "why": list(self.trace)}
        out.update({f.name: _plain(getattr(self.action, f.name)) for f in fields(self.action)})
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, Thread):
        return {"id": value.id, "ref": value.ref, "status": value.status}
    if isinstance(value, Bounce):
        return {"outbox_id": value.outbox_id, "how": value.how, "recipients": list(value.recipients)}
    if isinstance(value, AgentRef):
        return value.address
    if isinstance(value, Decision):  # every field: the rules' (queue, rule, trace…) and the model's word
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, CommandPlan):
        return {"ok": value.ok, "note": value.note, "changes": [f"{c.field}={c.value}" for c in value.changes],
                "errors": [f"{e.line}: {e.problem}" for e in value.errors]}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
