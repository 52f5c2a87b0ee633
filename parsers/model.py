"""The values the parser hands to the rest of Postdesk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

AUTO_KINDS = frozenset({"bounce", "auto-reply", "list", "bulk", "complaint", "receipt", "loop"})


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox: display name (decoded, may be empty) and lower-cased address."""

    name: str
    email: str

    def formatted(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes = field(repr=False)
    inline: bool = False
    content_id: str | None = None
    name_given: bool = True  # False when the mail named no file and Postdesk made the name up


@dataclass(frozen=True, slots=True)
class AutoVerdict:
    """Why a mail is automatic; `kind` is one of AUTO_KINDS."""

    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Command:
    """One `#command args` line from the top of a reply."""

    name: str
    args: str
    line: str


@dataclass(frozen=True, slots=True)
class ReplyCut:
    """Why `text` ends where it does: the rule that cut the reply and the line the cut starts at; or, when nothing
    below the writer's words was cut, why it starts where it does (a bottom post's attribution and quote above).

    `line` is 1-based in `full_text` (0 when the line is not there as such, e.g. cut in the HTML).
    """

    rule: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the parser needs to know of the center: ticket prefix and our own addresses."""

    ticket_prefix: str = "SD"
    our_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class InboundMail:
    """One parsed mail; `text` is the new content only, `full_text` the whole readable body."""

    message_id: str | None
    from_: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    subject: str
    date: datetime | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    language: str
    text: str
    full_text: str
    html: str | None
    attachments: tuple[Attachment, ...]
    auto: AutoVerdict | None
    bounced_recipients: tuple[str, ...]
    ticket_ref: str | None
    commands: tuple[Command, ...]
    defects: tuple[str, ...]
    headers: tuple[tuple[str, str], ...] = ()
    original_message_ids: tuple[str, ...] = ()  # of the mail a bounce returns
    envelope_from: str | None = None
    envelope_to: tuple[str, ...] = ()
    reply_cut: ReplyCut | None = None

    @property
    def sender(self) -> str | None:
        """The address a reply goes to: From, else the envelope sender."""
        if self.from_ and self.from_.email:
            return self.from_.email
        return self.envelope_from.lower() if self.envelope_from else None

    def header(self, name: str) -> list[str]:
        """Raw (undecoded, unfolded) values of a header, in order."""
        low = name.lower()
        return [v for k, v in self.headers if k.lower() == low]

    def recipients(self) -> tuple[str, ...]:
        """Every address the mail was for: To, Cc and the envelope, de-duplicated."""
        seen: dict[str, None] = {}
        for a in (*self.to, *self.cc):
            if a.email:
                seen.setdefault(a.email, None)
        for e in self.envelope_to:
            seen.setdefault(e.lower(), None)
        return tuple(seen)
