"""Hostile mails whose parts nest tens of thousands of levels deep (issue 15), generated, in the two shapes
that nest: message/rfc822 inside message/rfc822, and multipart inside multipart. Used by the parser's tests
and by a test through a running daemon."""

from __future__ import annotations

HOSTILE_DEPTH = 40_000


def nested_messages(depth: int) -> bytes:
    """`depth` message/rfc822 parts, each inside the one above, a text at the bottom."""
    levels = "".join(f"From: level{i}@example.com\r\nSubject: level {i}\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: message/rfc822\r\n\r\n" for i in range(depth))
    return (levels + "From: bottom@example.com\r\nSubject: bottom\r\n\r\nthe bottom text\r\n").encode()


def nested_multiparts(depth: int, sender: str = "anna@example.com") -> bytes:
    """A mail whose first part is a text and whose second is a multipart holding a multipart ... `depth`
    levels down, a text at the bottom; every multipart closed properly."""
    head = (f"From: Anna <{sender}>\r\nTo: service@corp.example\r\nSubject: deep multipart\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n"
            "--b0\r\nContent-Type: text/plain\r\n\r\nThe text at the top.\r\n--b0\r\n")
    inner = "".join(f"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n" for i in range(1, depth))
    closes = "".join(f"\r\n--b{i}--\r\n" for i in reversed(range(depth)))
    return (head + inner + "Content-Type: text/plain\r\n\r\nthe bottom text" + closes).encode()
