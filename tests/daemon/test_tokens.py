"""Signed reply addresses: one per agent and ticket, not guessable, not transferable."""

from __future__ import annotations

from postdesk.daemon.web.tokens import reply_token, verify_reply_token

SECRET = b"0123456789abcdef0123"
AGENTS = ["ivanov@corp.example", "petrova@corp.example"]


def test_a_token_names_its_ticket_and_agent() -> None:
    token = reply_token(SECRET, 42, "Ivanov@corp.example")
    assert token.startswith("42-") and token == token.lower()
    assert verify_reply_token(SECRET, token, AGENTS) == (42, "ivanov@corp.example")
    assert verify_reply_token(SECRET, token.upper(), AGENTS) == (42, "ivanov@corp.example")  # case folded on the way


def test_forged_moved_or_foreign_tokens_are_refused() -> None:
    token = reply_token(SECRET, 42, "ivanov@corp.example")
    mac = token.partition("-")[2]
    assert verify_reply_token(SECRET, f"43-{mac}", AGENTS) is None  # another ticket
    assert verify_reply_token(SECRET, token[:-1] + ("a" if token[-1] != "a" else "b"), AGENTS) is None
    assert verify_reply_token(b"another-secret-0123456", token, AGENTS) is None
    assert verify_reply_token(SECRET, token, ["petrova@corp.example"]) is None  # no longer an agent
    assert verify_reply_token(SECRET, "x-y", AGENTS) is None and verify_reply_token(SECRET, "42", AGENTS) is None
    assert reply_token(SECRET, 42, "petrova@corp.example") != token
