"""Automatic mail that carries no automatic-mail header and no report part, known by what it is for: a read
receipt written as plain text, a calendar program's accept, another helpdesk's acknowledgment, a
challenge-response filter's "confirm you are human", an out-of-office reply in a language the subject
prefixes do not know. Each answered would start a loop (issue 15: "a mail it takes for human when it is
automatic gets answered"); the helpdesk-to-helpdesk loop is the classic one.

Every rule needs two things that agree: a subject of that kind and a sentence of that kind, or a part type
and a method; a person's mail about receipts or tickets has one of them at most. Step 10½ of
auto._classify, after the header rules.
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autophrases import _OOF_BODY_RE
from postdesk.parsers.autoread import _content_type, _param, _part_text, _sender_local, _walk
from postdesk.parsers.autoshape import asks, first_person, requests_action, said_of_the_past
from postdesk.parsers.model import AutoVerdict

# Receipts: the prefix a client puts before the subject it reports on (Outlook in its languages,
# Thunderbird's "Return Receipt (displayed)", Lotus's "Read Notification", Apple's "Read:").
_RECEIPT_SUBJECT_RE = re.compile(
    r"^\s*(?:read|read receipt|read notification|return receipt|read-receipt|disposition notification|"
    r"прочитано|прочтено|уведомление о прочтении|прочитан[оа]?|прочитаний|"
    r"gelesen|lu|leído|leido|lido|letto|gelezen|przeczytano|přečteno|okundu|已读|已讀|開封済み|읽음)"
    r"\s*(?:\([^)]{0,30}\)\s*)?(?::|-|$)", re.I)

# What a receipt says of the mail: it was read, displayed, opened; "Disposition:" in a plain-text MDN.
# A date or "on the recipient's computer" follows: "It was read by our lawyer" is a person's sentence.
_RECEIPT_TEXT_RE = re.compile(
    r"\b(?:was|has been) (?:read|displayed|opened) (?:on|at) (?:\d|\w+day|the recipient)|"
    r"return receipt for the (?:mail|message)|^\s*disposition\s*:|"
    r"(?:было|был[оа]?) (?:прочитано|прочтено|прочитан[оа]?|открыто)\s+\d|"
    r"wurde am .{0,30}gelesen|a été lu le|fue leído el|è stato letto il", re.I | re.M)

# A calendar program's answer to an invitation: Outlook's "Accepted:", Google's "Accepted: … @ …".
_CALENDAR_SUBJECT_RE = re.compile(
    r"^\s*(?:accepted|declined|tentative(?:ly accepted)?|updated invitation|invitation|"
    r"принято|отклонено|под вопросом|предварительно принято|приглашение|"
    r"angenommen|abgelehnt|mit vorbehalt angenommen|accepté|refusé|aceptado|rechazado|accettato|rifiutato)"
    r"\s*:", re.I)

# Another helpdesk's ticket number in the subject: a bracketed or parenthesized token of a number after a
# "#", "№", "Ticket", "Request", "Заявка" or a letter key ("[Ticket#2026…]", "[#123456]", "(HD-123)",
# "[Заявка №12345]", "[JIRA] (HD-123)"). A letter key only in parentheses: in brackets ("[SD-12]") it is the
# desk's own tag, which a partner's person answering our mail keeps.
_FOREIGN_TICKET_RE = re.compile(
    r"[\[(](?:[^\[\]()]{0,20}?(?:#|№|no\.?\s*|ticket|request|case|incident|заявк\w*|обращени\w*|инцидент\w*)"
    r"\s*:?\s*#?\d{3,})[\])]|\((?-i:[A-Z][A-Z0-9]{1,9})-\d+\)", re.I)

# An acknowledgment: the request was received or registered, a ticket was created.
_ACK_TEXT_RE = re.compile(
    r"(?:request|message|e-?mail|inquiry|enquiry|ticket|case)\s+(?:has been|was|is)\s+"
    r"(?:received|registered|logged|created|opened|assigned)|"
    r"we (?:have )?received your (?:request|message|e-?mail|inquiry|enquiry)|"
    r"(?:a )?(?:ticket|case|request for support) (?:has been|was) (?:created|opened)|"
    r"(?:обращение|заявка|запрос|письмо)\s+(?:\S+\s+){0,3}(?:зарегистрирован[оа]?|принят[оа]?|получен[оа]?)|"
    r"(?:зарегистрирован[оа]?|создан[оа]?) (?:обращение|заявка|запрос)", re.I)

# A challenge-response filter holding the mail until the sender proves to be a person.
_CHALLENGE_RE = re.compile(
    r"confirm (?:that )?you are (?:a )?(?:human|real person|not a robot)|"
    r"verify (?:that )?you are (?:a )?(?:human|real person|not a robot)|"
    r"(?:held|quarantined|pending) (?:until|pending) (?:you |your )?(?:confirm|verif)|"
    r"подтвердите,? что вы (?:не робот|человек)|"
    r"(?:письмо|сообщение) (?:будет )?доставлено (?:только )?после (?:подтверждения|проверки)", re.I)
# A word every branch of _CHALLENGE_RE has: one scan for it spares most mail with a link the long search.
_CHALLENGE_HINT_RE = re.compile(r"confirm|verif|подтвердите|доставлено", re.I)


# The mailboxes a mail system sends from and nobody writes from (not postmaster@, which people read and answer
# from): whatever they send that is no bounce is a system notice ("Your mailbox is almost full.").
_SYSTEM_SENDER_RE = re.compile(r"mailer[-_]?daemon|mail-?daemon|mdaemon|microsoftexchange[0-9a-f]{32}")

# An out-of-office template's three sentences: the writer is away now, says when they are back or that mail
# is not read, and sends the reader elsewhere or thanks them for the mail. A person who mentions their leave
# in a request writes one of them, seldom all three (tests/mail auto_r3_oof_no_headers_limited_access_en.eml).
_AWAY_RE = re.compile(
    r"\b(?:I am|I'm|I will be)\s+(?:currently\s+|now\s+)?(?:out of (?:the )?office|away from (?:the |my )?"
    r"(?:office|desk)|on (?:annual |parental |sick |business )?(?:leave|vacation|holiday)|travell?ing|away)|"
    r"\b[Яя]\s+(?:сейчас\s+|в данный момент\s+)?(?:в отпуске|вне офиса|в командировке|на больничном|отсутствую)",
    re.I)
# A word each branch of _AWAY_RE has.
_AWAY_WORDS = ("out of", "away", "leave", "vacation", "holiday", "travel", "отпуск", "вне офиса", "командировк",
               "больничн", "отсутству")
_BACK_RE = re.compile(r"\bwill (?:be )?(?:return|back)|\breturning (?:on|to)|\bback (?:in the office )?on\b|"
                      r"вернусь|выйду на работу|буду на (?:месте|связи) (?:с|после)", re.I)
# The reader sent elsewhere (the template's last sentence), or the mail's very first words thanking for it.
_ELSEWHERE_RE = re.compile(
    r"\b(?:for|in) (?:any |all )?urgent|\burgent (?:matters|issues|questions|enquiries|inquiries|requests|cases)|"
    r"\bif (?:it is|it's|this is) urgent|in my absence|please contact my (?:colleague|deputy)|"
    r"по срочным|в срочных|если (?:это )?срочно|в мо[её] отсутствие", re.I)
_THANKS_FIRST_RE = re.compile(
    r"\W*(?:(?:hi|hello|dear|good \w+|здравствуйте|добрый \w+)[^.!?\n]{0,40}[,!.]?\s*)?"
    r"(?:thank you|thanks|спасибо) for your (?:e-?mail|message)|"
    r"\W*(?:здравствуйте|добрый \w+)?[,!.]?\s*спасибо за (?:ваше )?(?:письмо|сообщение)", re.I)


def system_notice(sender: str | None) -> AutoVerdict | None:
    """Mail from a mail system's own mailbox that is no bounce (a quota warning, a queue report)."""
    local = _sender_local(sender)
    if local and _SYSTEM_SENDER_RE.fullmatch(local):
        return AutoVerdict("bulk", f"sent by a mail system's own mailbox ({sender})")
    return None


def away_reply(text: str) -> AutoVerdict | None:
    """An out-of-office reply with no header and no subject of its kind (a web mail's responder answering
    under "Re: <subject>"): the template's three sentences at the top of a short text that neither asks nor
    requests anything, none of them in the past tense."""
    if len(text) >= 1500 or "?" in text[:300]:
        return None
    head = text[:1200].lower()
    if not any(word in head for word in _AWAY_WORDS):  # most mail: a substring test, not the regex
        return None
    top = " ".join(text[:1200].split())  # a wrapped line must not hide a sentence
    away = _AWAY_RE.search(top)
    if away is None or said_of_the_past(top, away.start()) or requests_action(top):
        return None
    back = _BACK_RE.search(top) or _OOF_BODY_RE.search(top)
    if back and (_ELSEWHERE_RE.search(top) or _THANKS_FIRST_RE.match(top)):
        return AutoVerdict("auto-reply", f"an out-of-office text: {away.group(0)!r}, {back.group(0)!r}")
    return None


def notice_verdict(msg: Message, subject: str, text: str, sender: str | None = None) -> AutoVerdict | None:
    """A receipt, a calendar answer, another helpdesk's acknowledgment or a challenge: each known by a subject
    (or part type) and a sentence of its own kind together; an out-of-office text; a mail system's notice."""
    if (verdict := system_notice(sender)) or (verdict := away_reply(text)):
        return verdict
    top = text[:3000]
    if _RECEIPT_SUBJECT_RE.match(subject) and _RECEIPT_TEXT_RE.search(top) and not asks(top) and not (
            first_person(top)):
        return AutoVerdict("receipt", f"a read-receipt subject {subject[:40]!r} and its sentence")
    if (_CALENDAR_SUBJECT_RE.match(subject) or _content_type(msg) == "text/calendar") and _calendar_reply(msg):
        return AutoVerdict("receipt", "a calendar program's answer to an invitation (text/calendar; method=REPLY)")
    ticket = _FOREIGN_TICKET_RE.search(subject) if "[" in subject or "(" in subject else None  # cheap first
    if ticket and (ack := _ACK_TEXT_RE.search(top)) and not asks(top) and not requests_action(top):
        return AutoVerdict("auto-reply", f"another helpdesk's acknowledgment: {ticket.group(0)!r}, "
                                         f"{ack.group(0)[:40]!r}")
    if "http" in top and _CHALLENGE_HINT_RE.search(top) and (challenge := _CHALLENGE_RE.search(top)):
        return AutoVerdict("auto-reply", f"a challenge-response filter: {challenge.group(0)[:50]!r}")
    return None


def _calendar_reply(msg: Message) -> bool:
    """Whether a part is an iCalendar REPLY (an accept, decline or tentative), by its method parameter or
    the calendar's own METHOD line."""
    for part in _walk(msg):
        if _content_type(part) != "text/calendar":
            continue
        if _param(part, "method") == "reply" or re.search(r"^METHOD:REPLY\s*$", _part_text(part, 5000),
                                                          re.I | re.M):
            return True
    return False
