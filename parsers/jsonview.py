"""InboundMail as the JSON object of `postdesk parse --json`: the contract other tools and tests read."""

from __future__ import annotations

from typing import Any

from postdesk.parsers.model import Address, InboundMail


def _address(a: Address | None) -> dict[str, str] | None:
    return {"name": a.name, "email": a.email} if a is not None else None


def mail_as_dict(mail: InboundMail) -> dict[str, Any]:
    """Plain JSON-ready values; a file name Postdesk made up is reported as null."""
    return {
        "message_id": mail.message_id,
        "from": _address(mail.from_),
        "to": [_address(a) for a in mail.to],
        "cc": [_address(a) for a in mail.cc],
        "reply_to": [_address(a) for a in mail.reply_to],
        "subject": mail.subject,
        "date": mail.date.isoformat() if mail.date else None,
        "in_reply_to": list(mail.in_reply_to),
        "references": list(mail.references),
        "language": mail.language,
        "text": mail.text,
        "full_text": mail.full_text,
        "has_html": mail.html is not None,
        "attachments": [
            {"filename": a.filename if a.name_given and a.filename else None, "content_type": a.content_type,
             "size": a.size, "sha256": a.sha256, "inline": a.inline}
            for a in mail.attachments
        ],
        "auto": {"kind": mail.auto.kind, "reason": mail.auto.reason} if mail.auto else None,
        "bounced_recipients": list(mail.bounced_recipients),
        "ticket_ref": mail.ticket_ref,
        "commands": [{"name": c.name, "args": c.args} for c in mail.commands],
        "defects": list(mail.defects),
        # why `text` ends (or, with nothing cut below, starts) where it does: rule, 1-based line of full_text, that
        # line (null: nothing cut)
        "reply_cut": ({"rule": mail.reply_cut.rule, "line": mail.reply_cut.line, "text": mail.reply_cut.text}
                      if mail.reply_cut else None),
    }
