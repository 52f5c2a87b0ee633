"""A gateway's notice about a mail the desk sent, with no null Return-Path and no header that marks it (an
antivirus or spam gateway writing from its own ordinary mailbox: ESET, Kaspersky): known by a field that names
the notice's own addressee, the desk, as the value of a label ("Sender: service@corp.example", «Отправитель:
service@corp.example»), another address beside it, and words saying the mail was stopped. A person writes the
desk's address in a sentence, not as a field's whole value; one who pastes such a notice asks about it or frames
it (the guards of `autoshape.states_failure`).

Split from auto.py, which asks it in step 4 (non-standard delivery reports).
"""

from __future__ import annotations

import re

from postdesk.parsers.autoshape import (
    _FAILURE_WORDS,
    _FIRST_PERSON_RE,
    asks,
    framed_by_a_person,
    quoted_at,
    requests_action,
)

__all__ = ["names_us_as_sender"]

# A labelled field whose whole value is one address (a label of a few words, then the address, maybe in <>).
_FIELD_RE = re.compile(r"^[ \t]*[^\W\d_][^\n:@]{0,30}:[ \t]*<?([^\s<>@:]+@[^\s<>@]+?)>?[ \t\r]*$", re.M)

# The mail was stopped: the failure words of a listing's heading, and what a filter does to a mail instead.
_STOPPED_RE = re.compile(_FAILURE_WORDS + r"|\b(?:blocked|deleted|quarantined|removed|held)\b|"
                         r"заблокирован|удал[её]н|помещен[оа]? в карантин|задержан[оа]?|gesperrt|blockiert|"
                         r"gelöscht|bloqué|supprimé|bloqueado|eliminado|bloccat|eliminat", re.I)

# The opening a gateway writes its notice in, before any copy of the mail.
_OPENING = 1500


def names_us_as_sender(text: str, addressees: set[str]) -> str | None:
    """The field that names one of `addressees` (the notice's To:, lower case) as the sender of the mail it
    reports stopped, when another address stands beside it and no person asks or frames it; else None."""
    top = text[:_OPENING]
    low = top.lower()
    if not any(a in low for a in addressees):  # most mail: the addressee's address is nowhere in its text
        return None
    field = next((m for m in _FIELD_RE.finditer(top) if m.group(1).lower() in addressees), None)
    if field is None or top.count("@") < 2 or asks(top) or requests_action(top):
        return None
    stopped = _STOPPED_RE.search(top)
    if stopped is None or quoted_at(top, stopped.start()) or _FIRST_PERSON_RE.search(top, 0, stopped.start()) or (
            framed_by_a_person(top, stopped.start())):
        return None
    return field.group(0).strip()
