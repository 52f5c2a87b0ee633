"""A program's report that carries no automatic-mail header: a scheduled job's output, a monitor's alert, a
backup job's summary (issue 15, people round 2: a cron mail, an Alertmanager alert and a Veeam report became
tickets, and the desk's acknowledgment would go back to a mailbox no one reads, or round a loop).

What a person's letter has and a program's report lacks: a sentence. A person who pastes such a report frames
it ("Посмотрите, пожалуйста", "Can you check?"), signs it, or writes from a mailbox under their name; a program
writes records only, one `Label: value`, `key = value` or table row a line, from a mailbox that names no one.
cron marks its mail with `X-Cron-Env` besides (ISC/Vixie cron, cronie): no mail client writes that header.
Step 11 of auto._classify, after every rule that reads headers, phrases or a notice's purpose.
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autophrases import _REPLY_PREFIX_RE
from postdesk.parsers.autoread import _decoded, _safe_addresses
from postdesk.parsers.autoshape import asks, first_person, names_a_person, requests_action, written_by_a_person
from postdesk.parsers.compat32 import header_index
from postdesk.parsers.fieldnames import is_record
from postdesk.parsers.model import AutoVerdict
from postdesk.parsers.signatures import closing_line

# A person's mailbox by its shape: a first name or an initial and a last name joined by a dot or an underscore
# ("a.kotova@", "ivan_petrov@"); a program's is one word ("alertmanager@", "veeam@", "backup@").
_PERSONAL_LOCAL_RE = re.compile(r"[^\W\d_]+[._][^\W\d_]{2,}@", re.I)
# What a program writes and a person typing records does not: the moment to the second ("10:00:05", a duration
# "00:14:02"), or a field under an identifier's name ("alertname = DiskSpaceLow", "job_id=…"). A shop's order
# typed as "Товар: …\nКоличество: …" has neither.
_MACHINE_MARK_RE = re.compile(r"\b\d{1,2}:\d\d:\d\d\b|^[ \t]*(?:[-*•][ \t]+)?[a-z][a-z0-9_.]*[ \t]*=[ \t]*\S", re.M)
_MIN_RECORDS = 4
_MAX_LINES = 80


def program_report(msg: Message, subject: str, text: str) -> AutoVerdict | None:
    """The verdict for a program's report known by cron's header or by a text of records only, else None."""
    if "x-cron-env" in header_index(msg):
        return AutoVerdict("bulk", "X-Cron-Env (the output of a scheduled job, mailed by cron)")
    if _named_sender(msg) or text.count("\n") > 2 * _MAX_LINES or _REPLY_PREFIX_RE.match(subject):
        return None  # most people's mail stops here: their client writes their name beside the address
    if not _records_only(text) or not _MACHINE_MARK_RE.search(text):
        return None
    if first_person(text) or asks(text) or requests_action(text) or written_by_a_person(text):
        return None
    return AutoVerdict("bulk", "a program's report: records only, no sentence of a person, from a bare address")


def _named_sender(msg: Message) -> bool:
    """Whether From carries a name beside its address, or is a person's mailbox by its shape: a person's client
    writes a name, a program set up with a bare sender address (alertmanager@, veeam@) does not; a web form
    writes the visitor's. Read from the raw
    value first (every person's mail passes here: `Name <addr>` says it without parsing the address)."""
    values = header_index(msg).get("from", ())
    if len(values) != 1:
        return True
    raw = str(values[0][1])
    before = raw.partition("<")[0].strip().strip("\"' ")
    if "(" not in raw and ("<" not in raw or not before):  # a bare address, or one in angle brackets alone
        return personal_mailbox(raw.strip(" \t<>\""))  # "a.kotova@": a person without a name
    if "@" in before:  # a name that may be the address itself ("alertmanager@x" <alertmanager@x>), or a comment
        return _name_beside(values[0][1])
    addr = raw.partition("<")[2].partition(">")[0].strip().lower()  # "Zabbix <zabbix@…>": the mailbox's own word
    return before.lower() not in (addr, addr.partition("@")[0])  # a name (an encoded word too)


def personal_mailbox(address: str | None) -> bool:
    """A person's mailbox by its shape ("a.kotova@", "ivan_petrov@"), no role's or program's ("support@", "veeam@",
    "alertmanager@"): where no helpdesk, monitor or scheduler sends from."""
    return bool(address) and _PERSONAL_LOCAL_RE.match(address or "") is not None


def _name_beside(value: object) -> bool:
    froms = _safe_addresses([str(value)])
    if len(froms) != 1:
        return True
    name, addr = froms[0]
    name = " ".join(_decoded(name).split()).strip("\"' ")
    return bool(name) and name.lower() not in (addr.lower(), addr.partition("@")[0].lower())


def _records_only(text: str) -> bool:
    """At least four records, two lines in three records, and none of the others a sentence (a banner, a title, a
    status line, a product's name under it are no sentences)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < _MIN_RECORDS or len(lines) > _MAX_LINES:
        return False
    others = [line for line in lines if not is_record(line)]
    if any(_persons_line(line) for line in others):  # "Thank you very much." above a quoted header block
        return False
    records = len(lines) - len(others)
    return records >= _MIN_RECORDS and records * 3 >= len(lines) * 2


def _persons_line(line: str) -> bool:
    """A line only a person writes among records: a sentence (three words or more that end in a full stop, an
    exclamation or a question mark), a greeting or thanks ("Здравствуйте!", "Добрый день,", "Спасибо!"), a
    closing formula, a first and last name."""
    end = line.rstrip()
    if end.endswith(("!", ",")) or (end.endswith((".", "?")) and len(line.split()) >= 3):
        return True
    return closing_line(end.strip()) or names_a_person(end.strip())


