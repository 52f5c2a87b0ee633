"""Notations MTAs and relays write beside a failed recipient, read by bounces.py: the alias a listed address
was expanded from (the address we wrote to), and Amazon SES's JSON list of bounced recipients.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from postdesk.parsers.autoread import _ADDR

__all__ = ["aliases", "host_qualified", "json_recipients"]

# An MTA's note of the address a listed one was expanded from: Postfix "(expanded from <alias>)", Sendmail
# "(expanded from: <alias>)", Exim "(generated from alias)", "(ultimately generated from alias)".
_ALIAS_NOTE_RE = re.compile(r"\((?:ultimately )?(?:expanded|generated) from:?[ \t]*<?(" + _ADDR + r")>?\)", re.I)

_LISTED_LINE_RE = re.compile(r"^[ \t]*<?(" + _ADDR + r")>?")
_ALONE_LINE_RE = re.compile(r"^[ \t]*<?(" + _ADDR + r")>?:?[ \t]*$")


def aliases(texts: list[str]) -> dict[str, str]:
    """Listed address -> the alias it was expanded from, by the MTA's note on the address's line (Postfix) or
    on an indented line below it, under the reason at most (Exim, Sendmail): the alias is the address we wrote
    to, the one to report, as with a DSN's Original-Recipient."""
    out: dict[str, str] = {}
    for text in texts:
        if "d from" not in text:  # "expanded from", "generated from": most reports have neither
            continue
        lines = text[:60_000].splitlines()
        for i, line in enumerate(lines):
            note = _ALIAS_NOTE_RE.search(line) if "d from" in line else None
            if note is None:
                continue
            target = _LISTED_LINE_RE.match(line, 0, note.start())  # Postfix: "<target> (expanded from <x>)"
            for above in lines[max(i - 3, 0): i][::-1] if target is None else ():
                target = _ALONE_LINE_RE.match(above)  # Exim, Sendmail: the address alone, the note indented below
                if target or not above[:1].isspace():
                    break  # an unindented line that lists nothing: the note belongs to no listed address
            if target:
                out[target.group(1).lower()] = note.group(1).lower()
    return out


def host_qualified(addr: str, wrote_to: Iterable[str]) -> str | None:
    """The address we wrote to that `addr` names when an MTA qualified it with a host of that domain (Sendmail's
    `Final-Recipient: lab7@mail.x.example` for a mail to lab7@x.example): the returned mail's one recipient with
    that local part at a domain `addr`'s ends in; None when none or several fit, or we wrote to `addr` itself."""
    local, _, domain = addr.rpartition("@")
    fits = [w for w in wrote_to if w.rpartition("@")[0] == local and domain.endswith("." + w.rpartition("@")[2])]
    return fits[0] if len(fits) == 1 and addr not in wrote_to else None


_SES_BOUNCED_RE = re.compile(r'"bouncedRecipients"\s*:\s*\[(.*?)\]', re.S)

_SES_EMAIL_RE = re.compile(r'"emailAddress"\s*:\s*"([^"]+)"')


def json_recipients(texts: list[str]) -> list[str]:
    """Amazon SES bounce notifications mailed as JSON (SNS email subscriptions); read with a regex
    because the JSON often arrives re-wrapped and no longer parses."""
    out: list[str] = []
    for text in texts:
        if "bouncedRecipients" not in text:
            continue
        for block in _SES_BOUNCED_RE.findall(text[:100_000].replace('\\"', '"')):
            out.extend(_SES_EMAIL_RE.findall(block))
    return out
