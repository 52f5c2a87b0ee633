"""A mail of 40,000 nested multiparts through a running daemon (issue 15): a ticket with the text above the
nesting bound, the unread rest as an attachment, nothing quarantined and no RecursionError in the log.

The parser's own tests (tests/parsers/test_nesting.py) show the bound; this one shows that nothing after
the parser (storing the parts, the ticket, the acknowledgment) meets the depth again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deepmail import HOSTILE_DEPTH, nested_multiparts
from desk import processed
from support import Center


@pytest.fixture
def roomy(center: Center) -> Iterator[Center]:
    """A daemon that takes a 3 MB mail (the test config allows 1 MB)."""
    text = center.config.read_text(encoding="utf-8")
    center.config.write_text(text.replace('max_message_size = "1MB"', 'max_message_size = "10MB"'), encoding="utf-8")
    center.start()
    yield center
    center.stop()


def test_forty_thousand_nested_parts_make_a_ticket_with_the_text_on_top(roomy: Center) -> None:
    roomy.send(nested_multiparts(HOSTILE_DEPTH, "anna@partner.example"), sender="anna@partner.example")
    processed(roomy, 1, timeout=90)
    (ticket,) = roomy.tickets()
    (message,) = [m for m in roomy.ticket(ticket["ref"])["messages"] if m["direction"] == "in"]
    assert (ticket["subject"], message["from"], message["text"]) == (
        "deep multipart", "anna@partner.example", "The text at the top.")
    assert [a["content_type"] for a in message["attachments"]] == ["multipart/mixed"]
    assert "quarantine is empty" in roomy.cli("quarantine", "list").stdout
    assert "RecursionError" not in roomy.log.read_text(encoding="utf-8")
