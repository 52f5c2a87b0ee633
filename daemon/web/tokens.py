"""Signed tokens for links: a ticket number alone never opens a page."""

from __future__ import annotations

import base64
import hmac
from collections.abc import Iterable
from hashlib import sha256


def _mac(secret: bytes, purpose: str, value: str, size: int = 15) -> str:
    digest = hmac.new(secret, f"{purpose}:{value}".encode(), sha256).digest()[:size]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def decimal_id(text: str, digits: int = 12) -> int | None:
    """A row id written in a token, a URL or a subject: ASCII digits only, at most `digits` of them. `str.isdigit`
    alone lets "²" through (then `int` raises) and a thousand digits (then the database cannot take it)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


def sign(secret: bytes, purpose: str, ticket_id: int) -> str:
    """`<id>-<mac>`: the id is readable (it is in the subject anyway), the MAC is not guessable."""
    return f"{ticket_id}-{_mac(secret, purpose, str(ticket_id))}"


def verify(secret: bytes, purpose: str, token: str) -> int | None:
    """The ticket id of a valid token, else None (forged, truncated or for another purpose)."""
    head, sep, mac = token.partition("-")
    ticket_id = decimal_id(head)
    if not sep or ticket_id is None:
        return None
    expected = _mac(secret, purpose, head)
    return ticket_id if hmac.compare_digest(mac.encode(), expected.encode()) else None


def ticket_token(secret: bytes, ticket_id: int) -> str:
    return sign(secret, "ticket", ticket_id)


def verify_ticket_token(secret: bytes, token: str) -> int | None:
    return verify(secret, "ticket", token)


def reply_token(secret: bytes, ticket_id: int, agent: str) -> str:
    """The per-agent, per-ticket part of a reply address: lower-case, as mail systems may fold the case."""
    digest = hmac.new(secret, f"reply:{ticket_id}:{agent.lower()}".encode(), sha256).digest()[:10]
    return f"{ticket_id}-{base64.b32encode(digest).decode().lower()}"


def verify_reply_token(secret: bytes, token: str, agents: Iterable[str]) -> tuple[int, str] | None:
    """(ticket id, agent address) of a valid reply token; the agent is found by trying each (a few dozen)."""
    head, sep, _ = token.partition("-")
    ticket_id = decimal_id(head)
    if not sep or ticket_id is None:
        return None
    for agent in agents:
        if hmac.compare_digest(token.lower().encode(), reply_token(secret, ticket_id, agent).encode()):
            return ticket_id, agent.lower()
    return None


def rating_token(secret: bytes, ticket_id: int) -> str:
    return sign(secret, "rating", ticket_id)


def verify_rating_token(secret: bytes, token: str) -> int | None:
    return verify(secret, "rating", token)


def csrf_token(secret: bytes, bound_to: str) -> str:
    """A form's token, bound to the signed token of the page it sits on."""
    return _mac(secret, "csrf", bound_to)


def unsubscribe_token(secret: bytes, address: str) -> str:
    """The address (readable to whoever holds the mail anyway) and a MAC: one click, no login."""
    head = base64.urlsafe_b64encode(address.lower().encode()).decode().rstrip("=")
    return f"{head}.{_mac(secret, 'unsubscribe', address.lower())}"


def verify_unsubscribe_token(secret: bytes, token: str) -> str | None:
    head, sep, mac = token.partition(".")
    if not sep or len(head) > 600:
        return None
    try:
        address = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    expected = _mac(secret, "unsubscribe", address)
    return address if "@" in address and hmac.compare_digest(mac.encode(), expected.encode()) else None


def news_token(secret: bytes, key: str, editor: str) -> str:
    """For the Reply-To of a news preview: replying from the editor's mailbox publishes that draft."""
    digest = hmac.new(secret, f"news:{key}:{editor.lower()}".encode(), sha256).digest()[:10]
    return base64.b32encode(digest).decode().lower()


def bounce_token(secret: bytes, outbox_id: int, recipient: str) -> str:
    """The VERP tag of one recipient of one outbox row: `bounces-<id>-<mac>`, lower-case (mail systems may
    fold the case). A DSN to it proves that mail went to that recipient; one without proves nothing."""
    digest = hmac.new(secret, f"bounce:{outbox_id}:{recipient.lower()}".encode(), sha256).digest()[:10]
    return f"bounces-{outbox_id}-{base64.b32encode(digest).decode().lower()}"


def bounce_outbox_id(token: str) -> int | None:
    """The outbox id a tag claims (to load the row whose recipients may match); not yet a proof."""
    parts = token.lower().split("-")
    return decimal_id(parts[1]) if len(parts) == 3 and parts[0] == "bounces" else None


def verify_bounce_token(secret: bytes, token: str, outbox_id: int, recipients: Iterable[str]) -> str | None:
    """The recipient of that outbox row the tag was made for, else None (forged or for another row)."""
    for recipient in recipients:
        if hmac.compare_digest(token.lower().encode(), bounce_token(secret, outbox_id, recipient).encode()):
            return recipient.lower()
    return None
