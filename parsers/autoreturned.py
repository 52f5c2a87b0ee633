"""What a notice returns and what a mail says in its own text, read for auto.py's bounce rules (moved out of
auto.py, which had reached the 400-line limit): the mail's own text, a mail returned by a mail system to a null
Return-Path, a sending service's failure event mailed on as JSON.
"""

from __future__ import annotations

from email.message import Message

from postdesk.parsers.autoread import _content_type, _has_part, _null_return_path, _report_texts, _show
from postdesk.parsers.autoshape import asks, requests_action, written_by_a_person
from postdesk.parsers.bouncenotes import event_failures

__all__ = ["body_text", "returned_by_a_system", "returns_a_mail"]


def body_text(msg: Message, body: str | None) -> str:
    """The mail's own text (plain preferred), for phrases a template writes: the caller's, or decoded here."""
    if body is not None:
        return body
    texts = _report_texts(msg)
    return texts[0] if texts else ""


def returned_by_a_system(msg: Message, body: str | None, daemon_sender: bool, local_part: str) -> str:
    """Why a notice with no bounce subject or MTA phrase is one anyway ('' when it is not): a sending service's
    failure event mailed on as it is (webhook JSON), or a mail system's own mailbox returning a mail to a null
    Return-Path (RFC 5321 4.5.5) whatever its subject says (MDaemon's "Message Delivery Failure - Unknown User")."""
    if events := _webhook_failures(msg, body):
        return f"a sending service's failure event for {_show(events[0], 60)}, mailed by"
    if daemon_sender and local_part != "postmaster" and _null_return_path(msg) and returns_a_mail(msg) and not (
            written_by_a_person(text := body_text(msg, body)) or asks(text) or requests_action(text)):
        return "a mail returned to a null Return-Path by"  # (people write from a small company's postmaster@)
    return ""


def _webhook_failures(msg: Message, body: str | None) -> list[str]:
    """The failed recipients of a mail whose text is a webhook's JSON event data (`bouncenotes.event_failures`);
    the parts are decoded only when the caller's text starts as JSON does, or the mail is application/json."""
    if body is not None and _content_type(msg) != "application/json":
        texts = [body] if body[:200].lstrip()[:1] in ("{", "[") else []  # (not a copy of every mail's text)
    else:
        texts = _report_texts(msg)[:2]
    failed, _, after = event_failures(texts) if texts else ([], [], "")
    if not failed:
        return []
    return [] if asks(after) or requests_action(after) else failed  # a person's question below pasted data


def returns_a_mail(msg: Message) -> bool:
    """Whether the mail carries another one, or its header block, as a part (what a bounce returns)."""
    return _has_part(msg, "message/rfc822") or _has_part(msg, "text/rfc822-headers")
