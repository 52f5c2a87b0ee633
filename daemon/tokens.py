"""Signed tokens for links: a ticket number alone never opens a page."""

from __future__ import annotations

import base64
import hmac
from hashlib import sha256


def _mac(secret: bytes, purpose: str, value: str, size: int = 15) -> str:
    digest = hmac.new(secret, f"{purpose}:{value}".encode(), sha256).digest()[:size]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(secret: bytes, purpose: str, ticket_id: int) -> str:
    """`<id>-<mac>`: the id is readable (it is in the subject anyway), the MAC is not guessable."""
    return f"{ticket_id}-{_mac(secret, purpose, str(ticket_id))}"


def verify(secret: bytes, purpose: str, token: str) -> int | None:
    """The ticket id of a valid token, else None (forged, truncated or for another purpose)."""
    head, sep, mac = token.partition("-")
    if not sep or not head.isdigit() or len(head) > 12:
        return None
    expected = _mac(secret, purpose, head)
    return int(head) if hmac.compare_digest(mac.encode(), expected.encode()) else None


def ticket_token(secret: bytes, ticket_id: int) -> str:
    return sign(secret, "ticket", ticket_id)


def verify_ticket_token(secret: bytes, token: str) -> int | None:
    return verify(secret, "ticket", token)
