"""A person's own post that reaches the desk through a mailing list or a distribution group (read by auto.py).

List headers (List-Id, Precedence: list) say how a mail travelled, not who wrote it: a discussion list or a
department's distribution group passes on what its members write, From: unchanged. A member's request there ("the
printer on the 3rd floor prints blank pages, could someone have a look?") is a request like any other, while what
a list sends of its own (digests, moderation notices, announcements, a ticket system's or forge's notifications)
comes from the list's or a robot's address, under a department's or a product's name, or asks nothing.
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autophrases import _DAEMON_LOCAL, _NOREPLY_LOCAL
from postdesk.parsers.autoread import _ADDR_RE, _header, _headers, _safe_addresses, sole_sender
from postdesk.parsers.autoshape import asks, names_a_person, requests_action

__all__ = ["posted_by_a_person"]

# A mass mailer's marks: one-click unsubscription (RFC 8058, required of bulk senders), a feedback loop's id, a
# campaign's id. A member's post through a list carries none of them.
_MASS_MAILER_HEADERS = ("List-Unsubscribe-Post", "Feedback-ID", "X-Campaign", "X-CampaignID", "X-Mailgun-Tag")

# A list that rewrites From so that DMARC lets the post through (Google Groups, Mailman 3): "'Pavel Zhukov' via
# it-help <it-help@…>" is the member's post under the list's address.
_MUNGED_RE = re.compile(r"^['\"]?(.+?)['\"]? via \S", re.I)

# A robot's mailbox, whatever display name it sends under ("Anna Smith via Forge <notifications@…>"), or a robot's
# name ("Build Bot").
_ROBOT_LOCAL_RE = re.compile(r"notif|robot|\bbot\b|daemon|bounce|owner|request|digest|admin|system|alert", re.I)


def robot_mailbox(address: str) -> bool:
    """Whether an address's mailbox is a program's by its name (no-reply@, mailer-daemon@, notifications@,
    build-bot@, digest@ …), whatever display name it sends under."""
    local = address.lower().partition("@")[0]
    return local in _NOREPLY_LOCAL or local in _DAEMON_LOCAL or _ROBOT_LOCAL_RE.search(local) is not None


# a mailbox named so that nobody reads it: no-reply in any spelling (noreply-portal@, portal.no_reply@), a mail
# system's, a notifier's (notifications@, notify@)
_UNREAD_LOCAL_RE = re.compile(r"no[-_.]?reply|do[-_.]?not[-_.]?reply|^notif")


def unread_mailbox(address: str) -> bool:
    """Whether an address's own name says nobody reads it. A request from it may still be a ticket (a portal's
    form sent for a person, a share with a message) but never gets an automatic answer: no one would read it, and
    the program behind it may answer in turn. Narrower than `robot_mailbox`: admin@, office-admin@, sysadmin@
    are people's mailboxes in small firms."""
    local = address.lower().partition("@")[0]
    return local in _DAEMON_LOCAL or _UNREAD_LOCAL_RE.search(local) is not None


def posted_by_a_person(msg: Message, text: str) -> bool:
    """Whether a mail the list headers mark is a member's own request: one sender under a person's first and last
    name, at a mailbox that is neither the list's own address nor a robot's, with no mass mailer's mark, whose
    text asks something or asks the reader to act."""
    name, address = sole_sender(msg)
    if not address or any(_header(msg, name) for name in _MASS_MAILER_HEADERS):
        return False
    if munged := _MUNGED_RE.match(name):  # the list's From for DMARC's sake: the member's name, the list's address
        member = munged.group(1).strip("\"' ")
        return names_a_person(member) and not _ROBOT_LOCAL_RE.search(member) and (asks(text) or requests_action(text))
    if not names_a_person(name.strip("\"' ")) or robot_mailbox(address) or _ROBOT_LOCAL_RE.search(name):
        return False
    if address.lower() in _list_addresses(msg):
        return False  # the list writes under its own address: a digest, a moderator's notice
    return asks(text) or requests_action(text)


def _list_addresses(msg: Message) -> set[str]:
    """The list's own addresses: List-Post's and List-Id's (`<name.host>` stands for name@host), Sender's."""
    found = {a.lower() for a in _ADDR_RE.findall(_header(msg, "List-Post"))}
    found |= {a.lower() for _, a in _safe_addresses(_headers(msg, "Sender"))}
    ident = re.search(r"<([^<>@\s]+)\.([^<>@.\s]+\.[^<>@\s]+)>", _header(msg, "List-Id"))
    if ident:
        found.add(f"{ident.group(1)}@{ident.group(2)}".lower())
    return found
