"""The delivery report a forward carries (auto.py and bounces.py read it in place of the forward): an inbox rule's
forward with no text of its own, or a mail system's forward of a report that says it is automatic.

Moved out of autoshape.py, which reads what a notice's text looks like.
"""

from __future__ import annotations

from email.message import Message

from postdesk.parsers.autoread import _content_type, _first_word, _has_dsn_part, _header, _param, _part_text, _walk

__all__ = ["wrapped_report"]

# RFC 3834's values for mail a process sent on its own ("no" is a person's client saying it is not automatic).
_AUTOMATIC_SUBMISSION = frozenset({"auto-generated", "auto-replied", "auto-notified"})


def wrapped_report(msg: Message, depth: int = 0) -> Message | None:
    """The delivery report a forward carries as its only content (an inbox rule forwarding a bounce as an
    attachment, no text of its own), also through forwards of such forwards (one mailbox's rule passing on
    what another's forwarded); None for anything else, a person's forward with a question above the report
    among them. A forward that says it was sent automatically (RFC 3834 Auto-Submitted, set by no person's
    client) passes the report on even with a note of its own."""
    if _content_type(msg) != "multipart/mixed" or depth > 3:
        return None
    leaves: list[Message] = []
    attached: list[Message] = []
    for p in _walk(msg):  # one pass that stops at the first other attachment: most mixed mail has one
        ctype = _content_type(p)
        if p is msg or (not ctype.startswith("message/") and p.is_multipart()):
            continue
        if not ctype.startswith(("text/", "message/")):
            return None
        leaves.append(p)
        if ctype in ("message/rfc822", "message/global"):
            attached.append(p)
    if len(attached) != 1:
        return None
    payload = attached[0].get_payload()
    if not (isinstance(payload, list) and payload and isinstance(payload[0], Message)):
        return None
    inner = payload[0]
    reports = _content_type(inner) == "multipart/report" and _param(inner, "report-type") in (
        "delivery-status", "global-delivery-status")
    if not (reports or _has_dsn_part(inner)):
        deeper = wrapped_report(inner, depth + 1)
        if deeper is None:
            return None  # neither a report nor a forward of one with no text of its own
        inner = deeper
    if _first_word(_header(msg, "Auto-Submitted")) in _AUTOMATIC_SUBMISSION:
        return inner  # a mail system passing the report on with a note of its own (a security gateway's)
    if any(_part_text(p, 20_000).strip() for p in leaves if p is not attached[0]):
        return None  # words of its own: a person passing the report on
    return inner
