"""Who is behind a mail when its headers do not say (issue 15, people round 3, tests/parsers/test_people_blind_r3.py).

Three shapes the header rules get wrong, each told by where its words stand, not by a phrase of one sender:

- A program's mailbox by its name (no-reply@, do-not-reply@, calendar-notification@) with no automatic-mail header,
  whose text says why you get it ("You are receiving this email because you are subscribed to …") or that nobody
  reads an answer ("Please do not reply to this email. This mailbox is not monitored."): a portal's or a
  calendar's notice, which became a ticket whose acknowledgment went to a mailbox nobody reads. A person who writes
  from such a mailbox (a small firm's only account, a share's carried message) asks or requests something, or signs.
- An inbox rule's forward (Exchange marks what a rule sends with X-MS-Exchange-Inbox-Rules-Loop or "Mailbox Rules
  Agent") with no words of its own above the forwarded header block, of a mail system's notice (its From is
  mailer-daemon@, postmaster@, MicrosoftExchange<hex>@): nobody wrote it, and the returned mail is not the desk's.
  A rule forwarding a person's mail, or a person's words above it, keep it a request.
- X-Auto-Response-Suppress: All alone (a partner's ticket system stamps it on an agent's reply) on a mail that
  answers the desk's own (In-Reply-To at the desk's domain) and is a person's letter to the reader (signed by the
  From name, asking something, no mailing's words, no away notice): the agent's question, not a notice.
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autolist import robot_mailbox
from postdesk.parsers.autophrases import _BOUNCE_SUBJECT_RE, _DAEMON_LOCAL
from postdesk.parsers.autoread import _decoded, _header, _own_domains, _safe_addresses, name_core, sole_sender
from postdesk.parsers.autoshape import (
    asks,
    framed_by_a_person,
    names_a_department,
    names_a_person,
    relayed_request,
    requests_action,
    written_by_a_person,
)
from postdesk.parsers.autostamp import (
    _LINK_RE,
    _MASS_RE,
    _UNREAD_RE,
    _above_history,
    _away,
    _signed,
    personal_letter,
    speaks_to_reader,
)
from postdesk.parsers.compat32 import header_index
from postdesk.parsers.model import AutoVerdict

__all__ = ["robot_notice", "suppressed_reply_is_a_letter"]

# "Please do not reply to this email", «Не отвечайте на это письмо», "Bitte antworten Sie nicht auf diese E-Mail"
_NO_REPLY_SENTENCE_RE = re.compile(
    r"\b(?:do not|don't|please don't) reply\b|\bnot monitored\b|\bне отвечайте\b|\bотвечать на (?:него|это письмо) "
    r"не (?:нужно|надо)|\bantworten sie nicht\b", re.I)


def robot_notice(msg: Message, sender: str | None, subject: str, text: str) -> AutoVerdict | None:
    """The verdict for a program's notice with no automatic-mail header (a robot's mailbox that says why you get
    it or that no one reads an answer; an inbox rule's forward of a mail system's notice), else None."""
    if sender and robot_mailbox(sender) and (said := _robot_says_so(msg, sender, text)):
        return AutoVerdict("bulk", f"a program's mailbox ({sender}) whose text says {said!r}")
    if _rule_sent(msg) and (notice := _forwarded_notice(text)):
        return AutoVerdict("bulk", f"an inbox rule's forward, with no words of its own, of {notice}")
    return None


def _robot_says_so(msg: Message, sender: str, text: str) -> str:
    """The sentence by which a notice says it is a program's ('' when none, or when a person writes: asks,
    requests, signs as one, frames it). A sentence the writer cites (inside quotation marks they opened on its
    line: "it says «do not reply»") is not the mail's own. That nobody reads an answer is not so when a Reply-To
    takes it elsewhere (a web form's visitor: `relayed_request`) or when the sentence names another mailbox than
    the sender's ("orders@ is not monitored"); why you get it ("you are subscribed to …") stays so."""
    top = text[:4000]
    if asks(top) or requests_action(top) or written_by_a_person(top) or _signed_by_its_sender(msg, top):
        return ""
    for m in _MASS_RE.finditer(top):
        if not framed_by_a_person(top, m.start()) and not _cited(top, m.start()):
            return m.group(0)
    for pattern in (_UNREAD_RE, _NO_REPLY_SENTENCE_RE):
        for m in pattern.finditer(top):
            if not (relayed_request(msg, top, m.start()) or _cited(top, m.start())
                    or _names_another_mailbox(top, m.start(), m.end(), sender)):
                return m.group(0)
    return ""


_OPENING_QUOTES = "«“„"
_CLOSING_QUOTES = "»”"
_ADDRESS_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _cited(text: str, at: int) -> bool:
    """Whether the words at `at` stand inside a quotation opened earlier on their line or the line before (a
    writer quoting a notice: «… "Please do not reply to this message" — what does it mean?»)."""
    start = text.rfind("\n", 0, at) + 1
    before = text[text.rfind("\n", 0, max(start - 1, 0)) + 1:at]
    for seg in (text[start:at], before):
        opened = sum(seg.count(c) for c in _OPENING_QUOTES) + seg.count('"') % 2
        if opened > sum(seg.count(c) for c in _CLOSING_QUOTES):
            return True
    return False


def _names_another_mailbox(text: str, start: int, end: int, sender: str) -> bool:
    """Whether the sentence around start..end names a mailbox other than the sender's ("orders@ is not
    monitored, write to sales@"): a person telling where to write, not the mail's own notice."""
    left = max(text.rfind(".", 0, start), text.rfind("\n\n", 0, start), 0)
    right = text.find(".", end)
    sentence = text[left:len(text) if right < 0 else right]
    return any(a.lower() != sender.lower() for a in _ADDRESS_RE.findall(sentence))


def _signed_by_its_sender(msg: Message, text: str) -> bool:
    """A person's letter from a program-named mailbox (a director at admin@, a sysadmin at sysadmin@): the From
    name names a person, the text above the history is signed by that name, and it links nowhere."""
    name, address = sole_sender(msg)
    if not address:
        return False
    own = _above_history(text)[:3000]
    if _LINK_RE.search(own) is not None:
        return False
    if names_a_person(name_core(name)) and _signed(own, name):
        return True
    # a shared or branch mailbox ("Филиал Караганда" <noreply@…>): the writer signs the last lines with a first and
    # last name, a title after a comma ("Айгуль Сәрсенова, бухгалтер", review M); a program's notice links somewhere
    lines = [x.strip() for x in own.splitlines() if x.strip()][-3:]
    return any(names_a_person(line.split(",", 1)[0].strip()) for line in lines)


def _rule_sent(msg: Message) -> bool:
    """Whether an Exchange inbox rule sent the mail (its loop header, or the rules agent as the source)."""
    index = header_index(msg)
    return "x-ms-exchange-inbox-rules-loop" in index or "mailbox rules agent" in _header(
        msg, "X-MS-Exchange-Generated-Message-Source").lower()


# the forwarded mail's header block (Outlook's "From: … Sent: …", «От: … Отправлено: …»), at its From: line
_FORWARDED_FROM_RE = re.compile(r"^[ \t]*(?:From|От|Von|De)[ \t]*:[ \t]*(.+)$", re.M | re.I)
_FORWARDED_SUBJECT_RE = re.compile(r"^[ \t]*(?:Subject|Тема|Betreff|Objet)[ \t]*:[ \t]*(.+)$", re.M | re.I)
_SYSTEM_LOCAL_RE = re.compile(r"mailer[-_]?daemon|microsoftexchange[0-9a-f]{32}|mail[-_]?delivery", re.I)


def _forwarded_notice(text: str) -> str:
    """What a forward with nothing above its header block passes on, when it is a mail system's notice: its From
    is a mail system's mailbox, or its Subject a bounce's ('' otherwise: a person's mail, or words of one's own)."""
    m = _FORWARDED_FROM_RE.search(text[:3000])
    if m is None or text[:m.start()].strip(" \t\r\n_-"):
        return ""  # a person's words (or no forwarded block) above: theirs
    sender = m.group(1)
    local = next((a for _, a in _safe_addresses([sender])), sender).lower().partition("@")[0]
    if local in _DAEMON_LOCAL or _SYSTEM_LOCAL_RE.search(local):
        return f"a mail system's notice (From: {local}@…)"
    name = " ".join(_decoded(next((n for n, _ in _safe_addresses([sender])), "")).split())
    if names_a_person(name):  # a colleague's mail, whatever its subject says ("Delivery failure: pallet 44")
        return ""
    subject = _FORWARDED_SUBJECT_RE.search(text, m.end(), m.end() + 600)
    if subject and _BOUNCE_SUBJECT_RE.match(subject.group(1).strip()):
        return f"a delivery failure ({subject.group(1).strip()[:50]!r})"
    return ""


def suppressed_reply_is_a_letter(msg: Message, text: str, ours: frozenset[str], colleague: bool) -> bool:
    """Whether a mail whose only mark is X-Auto-Response-Suppress: All is a person's request: a colleague's that
    asks or requests something (their Outlook's add-in stamps it; a report script asks nothing), or an answer to
    the desk's own mail that is a person's letter to the reader and no away notice (a partner's ticket system)."""
    if colleague:
        return asks(text) or requests_action(text)
    if not _answers_us(msg, ours) or _away(text):
        return False
    name = sole_sender(msg)[0]
    if not name or names_a_department(name_core(name)):
        return False  # "Partner Support" signs its acknowledgments with its own name: no person's letter
    return personal_letter(text, name) and speaks_to_reader(_above_history(text))


def _answers_us(msg: Message, ours: frozenset[str]) -> bool:
    """Whether In-Reply-To names a Message-ID at one of the desk's own domains (the desk's own mail answered)."""
    domains = _own_domains(ours)
    return any(ref.rsplit("@", 1)[-1].lower() in domains
               for ref in re.findall(r"<([^<>\s]+@[^<>\s]+)>", _header(msg, "In-Reply-To")))
