"""Notations MTAs and relays write beside a failed recipient, read by bounces.py: the alias a listed address
was expanded from (the address we wrote to), Amazon SES's JSON list of bounced recipients, and the event records
a sending service's webhook posts (Mailgun, SendGrid, Postmark, SparkPost) when a relay mails them on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from postdesk.parsers.autoread import _ADDR

__all__ = ["aliases", "event_failures", "host_qualified", "json_recipients"]

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


# A webhook's event record: what happened (an event key) and to whom (a recipient key, on the record or, for SES's
# event publishing, on the records inside it: "bounce": {"bouncedRecipients": [{"emailAddress": …}]}); the events
# that mean the mail will not reach that recipient, unless the record calls the failure soft or temporary
# (Mailgun's "severity": "temporary", Postmark's "Type": "SoftBounce", SES's "bounceType": "Transient"); the keys
# of the record's Message-ID.
_EVENT_KEYS = ("event", "RecordType", "eventType", "notificationType", "type")
_RECIPIENT_KEYS = ("recipient", "email", "Email", "rcpt_to", "emailAddress")
_FAILED_EVENTS = frozenset({"bounce", "bounced", "failed", "dropped", "hardbounce", "hard_bounce"})
_TEMPORARY_RE = re.compile(r"soft|transient|temporar|defer", re.I)
_ID_KEYS = ("message-id", "Message-ID", "smtp-id", "MessageID", "message_id", "messageId")


def event_failures(texts: list[str]) -> tuple[list[str], list[str], str]:
    """(failed recipients, Message-IDs, the text after the data) of a text that IS a sending service's webhook
    data: JSON from its first character (an object, or an array of events), with an event record that says the
    mail failed for good (`"event": "failed"`, not called temporary; a delivered or deferred event fails nobody).
    A person's words before the data make it theirs, not a relay's; the caller reads those after."""
    failed: list[str] = []
    ids: list[str] = []
    rest = ""
    for text in texts:
        text = text.lstrip()
        if not text.startswith(("{", "[")):
            continue
        try:
            data, end = json.JSONDecoder().raw_decode(text[:200_000])
        except ValueError:
            continue
        rest += text[end:end + 3000]
        for record in _records(data, 0):
            if _event(record) not in _FAILED_EVENTS or _temporary(record):
                continue
            inside = list(_records(record, 0))
            who = _recipient(record) or [r for r in map(_recipient, inside[1:]) if r]
            failed += [w.strip().strip("<>").lower() for w in ([who] if isinstance(who, str) else who)]
            ids += [v.strip().strip("<>") for r in inside for k in _ID_KEYS
                    if isinstance(v := r.get(k), str) and "@" in v]
    return list(dict.fromkeys(failed)), list(dict.fromkeys(ids)), rest


def _event(record: dict[str, object]) -> str:
    return next((str(record[k]).lower() for k in _EVENT_KEYS if isinstance(record.get(k), str)), "")


def _recipient(record: dict[str, object]) -> str:
    return next((str(v) for k in _RECIPIENT_KEYS if isinstance(v := record.get(k), str) and "@" in v), "")


def _temporary(record: dict[str, object]) -> bool:
    """Whether the record, or the failure's details inside it, call the failure soft or temporary."""
    return any(isinstance(v := r.get(k), str) and _TEMPORARY_RE.search(v) for r in _records(record, 0)
               for k in ("severity", "Type", "bounceType", "type"))


def _records(data: object, depth: int) -> Iterable[dict[str, object]]:
    """Every JSON object in `data`, nested ones too (Mailgun's "event-data", SparkPost's "msys"), a few deep."""
    if depth > 6:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _records(value, depth + 1)
    elif isinstance(data, list):
        for value in data[:1000]:
            yield from _records(value, depth + 1)
