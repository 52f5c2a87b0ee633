"""A mail whose parts nest tens of thousands of levels deep (issue 15) is read to a bounded depth.

Every recursive reader of a MIME tree (the stdlib's FeedParser and walk(), flattening an attached message)
runs out of stack on such a mail, and before the bound the parser lost the whole mail to a RecursionError:
no subject, no sender, no text. Now the parts above MAX_NESTING levels are read as usual, the rest is kept
unread as one attachment, and a defect says so. The hostile mails are generated, in the two shapes
that nest (tests/lib/deepmail.py): message/rfc822 inside message/rfc822, and multipart inside multipart.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deepmail import HOSTILE_DEPTH, nested_messages, nested_multiparts
from postdesk.parsers import ParseOptions, parse_mail
from postdesk.parsers.compat32 import MAX_NESTING
from postdesk.parsers.jsonview import mail_as_dict
from support import POSTDESK

TOO_DEEP = f"mime: parts nested deeper than {MAX_NESTING} levels not read"


def parsed(raw: bytes) -> dict[str, Any]:
    """The mail as `postdesk parse --json` shows it."""
    return mail_as_dict(parse_mail(raw, ParseOptions()))


def test_forty_thousand_nested_multiparts_keep_the_text_above_the_bound() -> None:
    mail = parsed(nested_multiparts(HOSTILE_DEPTH))
    assert mail["subject"] == "deep multipart"
    assert mail["from"] == {"name": "Anna", "email": "anna@example.com"}
    assert mail["text"] == "The text at the top."
    assert TOO_DEEP in mail["defects"]
    assert not any(str(d).startswith("parser:") for d in mail["defects"])
    (rest,) = mail["attachments"]
    assert rest["size"] > 2_000_000  # the unread levels, kept whole for the agent


def test_forty_thousand_nested_messages_through_postdesk_parse(tmp_path: Path) -> None:
    """The command an admin runs on a quarantined mail: it answers, with the sender and the subject."""
    path = tmp_path / "deep.eml"
    path.write_bytes(nested_messages(HOSTILE_DEPTH))
    run = subprocess.run([POSTDESK, "--config", str(tmp_path / "none.toml"), "parse", "--json", str(path)],
                         capture_output=True, text=True, timeout=120, check=True)
    mail = json.loads(run.stdout)
    assert "error" not in mail and "RecursionError" not in run.stdout + run.stderr
    assert mail["subject"] == "level 0" and mail["from"]["email"] == "level0@example.com"
    assert TOO_DEEP in mail["defects"]
    assert [a["content_type"] for a in mail["attachments"]] == ["message/rfc822"]


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 300, 999, 1500])
def test_nesting_past_the_bound_is_cut_there(depth: int) -> None:
    """From just past the bound up to where the stdlib itself fails (about 1000 levels), alike."""
    mail = parsed(nested_multiparts(depth))
    assert mail["text"] == "The text at the top." and TOO_DEEP in mail["defects"]
    messages = parsed(nested_messages(depth))
    assert messages["subject"] == "level 0" and TOO_DEEP in messages["defects"]


def test_nesting_within_the_bound_is_read_to_the_bottom() -> None:
    mail = parsed(nested_multiparts(MAX_NESTING - 5))
    assert mail["full_text"] == "The text at the top.\nthe bottom text"
    assert not any("nest" in str(d) for d in mail["defects"])
