"""What a handler is handed: the desk's long-lived parts and the one mail in hand, with the helpers every
handler shares (the thread's ticket, the named agent, storing the mail, telling the agents).

A handler is a plain function `(Handling, action) -> (ticket id or None, outcome)`; the runner builds one
`Handling` per mail, inside that mail's savepoint, so a handler never reaches back into the runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from postdesk.daemon.config import AgentConfig, Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.daemon.pipeline.stages import stage
from postdesk.parsers import InboundMail
from postdesk.parsers.filenames import safe_filename
from postdesk.storage.tickets import NewAttachment, Tx
from postdesk.storage.views import InboundView, TicketView
from postdesk.templates.render import Renderer


@dataclass(frozen=True, slots=True)
class Handling:
    """One mail being carried out: the pipeline's parts (config … seconds) and this mail's transaction, row,
    parsed mail, the thread's ticket when there is one, and the time it is handled at."""

    config: Config
    mailer: Mailer
    renderer: Renderer
    knowledge: KnowledgeBase | None
    seconds: dict[str, float]  # per stage, for bench/ and metrics: the handlers move compose time out of store
    tx: Tx
    mail: InboundMail
    row: InboundView
    ticket: TicketView | None
    now: datetime

    def thread(self) -> TicketView:
        """The thread's ticket as storage has it: gather_facts hands it over with every action on a thread."""
        if self.ticket is None:
            raise LookupError("an action on a thread came without its ticket")
        return self.ticket

    def agent(self, address: str) -> AgentConfig:
        """The config's agent the decision named (routing knows agents only by address and name)."""
        agent = self.config.agent(address)
        if agent is None:
            raise LookupError(f"the decision named {address}, who is no agent of the config")
        return agent

    def ref(self, ticket_id: int) -> str:
        return ref_of(self.config, ticket_id)

    @property
    def sender(self) -> str:
        return self.mail.sender or ""

    def store_message(self, ticket_id: int, kind: str, visibility: str = "public") -> None:
        """The mail as a message of the ticket, written by its sender, with its attachments."""
        mail, author = self.mail, self.mail.from_
        self.tx.add_message(ticket_id, direction="in", kind=kind, visibility=visibility,
                            message_id=mail.message_id, author_email=mail.sender,
                            author_name=author.name if author else "", subject=mail.subject,
                            text=mail.text or mail.full_text, full_text=mail.full_text, html=mail.html,
                            inbound_id=self.row.id, now=self.now, attachments=attachments_of(mail))

    def notify(self, ticket: TicketView, event: str, guesses: Sequence[tuple[str, float]] = ()) -> None:
        """Tell the agents about this mail on `ticket` (its text, its files); a failure is the "notify" stage's."""
        mail = self.mail
        cut = len(mail.full_text) > len(mail.text or mail.full_text)  # as the page decides (TicketStore.originals)
        with stage("notify"):
            self.mailer.notify(self.tx, ticket, event, self.now, text=mail.text or mail.full_text,
                               actor=mail.sender,
                               attachments=[safe_filename(a.filename) for a in mail.attachments if not a.inline],
                               guesses=guesses, original=self.row.id if cut else None)


def attachments_of(mail: InboundMail) -> list[NewAttachment]:
    """The files as the ticket keeps them: under the name the portal would give them (the last path component,
    no control, direction or shell-special characters), since the page, the agents' mail and exports show it."""
    return [NewAttachment(safe_filename(a.filename), a.content_type, a.size, a.sha256, a.data, a.inline)
            for a in mail.attachments]


Result = tuple[int | None, str]  # the ticket the mail ended on (if any) and what happened, for the inbound row
