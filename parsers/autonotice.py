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

from postdesk.parsers.autophrases import _OOF_BODY_RE, _REPLY_PREFIX_RE
from postdesk.parsers.autoread import _content_type, _param, _part_text, _sender_local, _walk
from postdesk.parsers.autoreport import personal_mailbox
from postdesk.parsers.autoshape import (
    asks,
    first_person,
    framed_by_a_person,
    quoted_at,
    requests_action,
    said_of_the_past,
)
from postdesk.parsers.compat32 import header_index
from postdesk.parsers.model import AutoVerdict

# Receipts: the prefix a client puts before the subject it reports on (Outlook in its languages,
# Thunderbird's "Return Receipt (displayed)", Lotus's "Read Notification", Apple's "Read:").
_RECEIPT_SUBJECT_RE = re.compile(
    r"^\s*(?:read|read receipt|read notification|return receipt|read-receipt|disposition notification|"
    r"прочитано|прочтено|уведомление о прочтении|прочитан[оа]?|прочитаний|"
    r"gelesen|lu|leído|leido|lido|letto|gelezen|przeczytano|přečteno|okundu|已读|已讀|開封済み|읽음|"
    # a webmail's sentence for a subject: «Ваше письмо прочитано», "Your message has been read"
    r"(?:ваше |your )?(?:письмо|сообщение|message|mail|e-?mail) (?:было |was |has been )?(?:прочитано|прочтено|read))"
    r"\s*(?:\([^)]{0,30}\)\s*)?(?::|-|$)", re.I)

# What a receipt says of the mail: it was read, displayed, opened; "Disposition:" in a plain-text MDN.
# A date or "on the recipient's computer" follows: "It was read by our lawyer" is a person's sentence.
_RECEIPT_TEXT_RE = re.compile(
    r"\b(?:was|has been) (?:read|displayed|opened) (?:on|at) (?:\d|\w+day|the recipient)|"
    r"return receipt for the (?:mail|message)|^\s*disposition\s*:|"
    r"(?:было|был[оа]?) (?:прочитано|прочтено|прочитан[оа]?|открыто)\s+\d|"
    r"wurde am .{0,30}gelesen|a été lu le|fue leído el|è stato letto il|"
    # a field that dates the reading: «Прочитано: 11.03.2026 11:40», "Read: 3/11/2026 11:40 AM"
    r"^[ \t]*(?:прочитано|прочтено|открыто|read|read on|opened|gelesen)[ \t]*:[ \t]*\d", re.I | re.M)

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
    r"(?:request|message|e-?mail|inquiry|enquiry|ticket|case)(?:\s+\(?#?(?-i:[A-Z][A-Z0-9]{1,9}-)?\d{3,}\)?)?"
    r"\s+(?:has been|was|is)\s+"
    r"(?:received|registered|logged|created|opened|assigned)|"
    r"we (?:have )?received your (?:request|message|e-?mail|inquiry|enquiry)|"
    r"(?:a )?(?:ticket|case|request for support) (?:has been|was) (?:created|opened)|"
    r"(?:обращение|заявка|запрос|письмо)\s+(?:\S+\s+){0,3}(?:зарегистрирован[оа]?|принят[оа]?|получен[оа]?)|"
    r"(?:зарегистрирован[оа]?|создан[оа]?) (?:обращение|заявка|запрос)", re.I)

# A challenge-response filter holding the mail until the sender proves to be a person.
_CHALLENGE_RE = re.compile(
    # the test of a challenge is that the sender is a person, whatever verb asks for it
    r"(?:confirm|verify|make sure|ensure|prove|check) (?:that )?you are (?:a )?(?:human|real person|"
    r"real sender|not a (?:spam )?(?:robot|bot|machine))|"
    r"(?:held|quarantined|pending) (?:until|pending) (?:you |your )?(?:confirm|verif)|"
    r"подтвердите,? что вы (?:не робот|человек)|"
    r"(?:письмо|сообщение) (?:будет )?доставлено (?:только )?после (?:подтверждения|проверки)", re.I)
# A word every branch of _CHALLENGE_RE has: one scan for it spares most mail with a link the long search.
_CHALLENGE_HINT_RE = re.compile(r"confirm|verif|make sure|ensure|prove|check|подтвердите|доставлено", re.I)


# The mailboxes a mail system sends from and nobody writes from (not postmaster@, which people read and answer
# from): whatever they send that is no bounce is a system notice ("Your mailbox is almost full.").
# A mail gateway's quarantine (Microsoft 365, Proofpoint, Mimecast) sends its digests from such a mailbox too.
_SYSTEM_SENDER_RE = re.compile(r"mailer[-_]?daemon|mail-?daemon|mdaemon|microsoftexchange[0-9a-f]{32}|"
                               r"quarantine(?:[-_.]?(?:digest|notification|notify|report))?")

# An out-of-office template's three sentences: the writer is away now, says when they are back or that mail
# is not read, and sends the reader elsewhere or thanks them for the mail. A person who mentions their leave
# in a request writes one of them, seldom all three (tests/mail auto_r3_oof_no_headers_limited_access_en.eml).
_AWAY_PARTS: tuple[tuple[tuple[str, ...], str], ...] = (  # (words each phrase has, the phrases), per language
    (("out of", "away", "leave", "vacation", "holiday", "travel", "not work", "n't work", "no longer"),
     r"\b(?:I am|I'm|I will be)\s+(?:currently\s+|now\s+)?(?:out of (?:the )?office|away from (?:the |my )?"
     r"(?:office|desk)|on (?:annual |parental |maternity |sick |business )?(?:leave|vacation|holiday)|travell?ing|"
     r"away)|\bI (?:no longer|do not|don't) work (?:at|for|with)\b|\bI am no longer with\b"),
    (("отпуск", "вне офиса", "командировк", "больничн", "отсутству", "не работаю"),
     r"\b[Яя]\s+(?:сейчас\s+|в данный момент\s+)?(?:в отпуске|вне офиса|в командировке|на больничном|отсутствую|"
     r"больше не работаю)"),
    # de, fr, es, uk: the same sentence in the languages of the centre's partners
    (("büro", "abwesend", "urlaub", "außer haus"),
     r"\bich bin\b[^!?\n]{0,60}?\b(?:nicht im büro|abwesend|im urlaub|außer haus)"),
    (("absent", "congé", "vacances"), r"\bje suis (?:actuellement )?(?:absente?|en congés?|en vacances)"),
    (("fuera de", "ausente", "vacaciones"), r"\bestoy (?:fuera de la oficina|de vacaciones|ausente)"),
    (("відпустц", "лікарнян", "відсутн"), r"\b[Яя] (?:у відпустці|на лікарняному|відсутн\w*)"),
    # it, pt, pl, nl: the languages of the failure notices' words (autoshape._FAILURE_WORDS)
    (("fuori", "ferie", "vacanza", "assente"), r"\bsono (?:attualmente )?(?:fuori (?:ufficio|sede)|in ferie|"
     r"in vacanza|assente)"),
    (("fora do", "férias", "ausente"), r"\bestou (?:fora do escritório|de férias|ausente)"),
    (("poza biurem", "urlop", "nieobecn"), r"\bjestem (?:obecnie )?(?:poza biurem|na urlopie|nieobecn\w*)"),
    (("afwezig", "niet op kantoor", "vakantie"), r"\bik ben (?:momenteel )?(?:afwezig|niet op kantoor|met vakantie)"),
    # tr puts the verb last, the date the absence lasts to before it ("16 Mart tarihine kadar ofis dışındayım"):
    # the sentence starts at that date
    (("dışında", "izinde", "tatilde", "ofiste değil"),
     r"(?:\b\d{1,2}(?:[./]\d{1,2}(?:[./]\d{2,4})?|\s+\w+)(?:'\w{1,3})?\s+(?:tarihine\s+)?kadar\s+)?"
     r"(?:ofis dışındayım|ofis dışında olacağım|ofiste değilim|izindeyim|izinli olacağım|tatildeyim)"),
)
_AWAY_RE = re.compile("|".join(phrases for _, phrases in _AWAY_PARTS), re.I)
# A word and the one language's phrases around it: the regex runs only near a word found (it is slow on text).
_AWAY_WORDS = tuple((word, re.compile(phrases, re.I)) for words, phrases in _AWAY_PARTS for word in words)
_BACK_RE = re.compile(
    r"\bwill (?:be )?(?:return|back)|\breturning (?:on|to)|\bback (?:in the office )?on\b|"
    r"вернусь|выйду на работу|буду на (?:месте|связи) (?:с|после)|de retour|regresaré|volveré|повернуся|"
    # a date the absence lasts to ("until 2 March", «до 27 февраля», "bis einschließlich 2.")
    r"\b(?:until|till|through|bis(?: einschließlich| zum)?|jusqu'(?:au|à)|hasta el|до|fino al|até|do dnia|"
    r"tot(?: en met)?)\s+(?:\w+\s+){0,2}?\d|\bdo \d{1,2}\b|rientrerò|retornarei|voltarei|wrócę|"
    r"\b\d{1,2}[^\n.!?]{0,25}?\s+kadar\b|"  # tr: the date before its postposition
    # a departed employee's mail is not read or passed on
    r"will not be (?:forwarded|read)|no longer (?:monitored|read)|не будет (?:переслано|прочитано)",
    re.I)
# The reader sent elsewhere (the template's last sentence), or the mail's very first words thanking for it.
_ELSEWHERE_RE = re.compile(
    r"\b(?:for|in) (?:any |all )?urgent|\burgent (?:matters|issues|questions|enquiries|inquiries|requests|cases)|"
    r"\bif (?:it is|it's|this is) urgent|in my absence|please contact my (?:colleague|deputy)|"
    r"for all (?:enquiries|inquiries|matters|questions)|"
    r"по срочным|в срочных|если (?:это )?срочно|в мо[её] отсутствие|по всем вопросам|"
    r"in dringenden fällen|wenden sie sich (?:bitte )?an|(?:pour toute|en cas d')\s?(?:demande |question )?urgen|"
    r"merci de contacter|para asuntos urgentes|en caso de urgencia|з термінових питань|у разі термінов|"
    r"per urgenze|in caso di urgenza|per questioni urgenti|para assuntos urgentes|em caso de urgência|"
    r"w pilnych sprawach|w sprawach pilnych|voor dringende (?:zaken|vragen)|in dringende gevallen|"
    r"acil (?:durum|konu|iş)\w*", re.I)
# Or, in a template that short (Gmail's two-sentence responder: "estoy de vacaciones hasta el 9 de marzo.
# Responderé a tu mensaje a mi regreso."), the promise to answer on return after the away sentence.
_SHORT_TEMPLATE = 300
_ANSWER_LATER_RE = re.compile(
    r"\b(?:I will|I'll) (?:reply|respond|answer|get back to you)\b[^.!?\n]{0,40}\b(?:return|back)\b|"
    r"\b(?:responderé|contestaré)\b[^.!?\n]{0,40}\b(?:regreso|vuelta)|\bje (?:vous )?répondrai\b[^.!?\n]{0,40}retour|"
    r"\b(?:ich )?(?:antworte|melde) ich mich\b[^.!?\n]{0,40}(?:rückkehr|zurück)|\brisponderò\b[^.!?\n]{0,40}rientro|"
    r"\bresponderei\b[^.!?\n]{0,40}regresso|\bodpowiem\b[^.!?\n]{0,40}powrocie|"
    r"\b(?:отвечу|я отвечу)\b[^.!?\n]{0,40}(?:возвращени|выход)", re.I)
_THANKS_FIRST_RE = re.compile(
    r"\W*(?:(?:hi|hello|dear|good \w+|здравствуйте|добрый \w+)[^.!?\n]{0,40}[,!.]?\s*)?"
    r"(?:thank you|thanks) for your (?:e-?mail|message)|vielen dank für ihre (?:nachricht|e-?mail)|"
    r"gracias por su (?:mensaje|correo)|merci (?:pour|de) votre (?:message|e-?mail|courriel)|"
    r"\W*(?:здравствуйте|добрый \w+)?[,!.]?\s*спасибо за (?:ваше )?(?:письмо|сообщение)", re.I)


# What a template puts before its away sentence: a greeting, its thanks for the mail, "please note".
_OPENING_RE = re.compile(
    r"\W*(?:(?:hi|hello|dear|good \w+|greetings|здравствуйте|добрый \w+|доброго дня|guten tag|hallo|sehr geehrte\w*|"
    r"bonjour|hola|buenos días|вітаю|buongiorno|gentil\w*|bom dia|olá|dzień dobry|witam|szanown\w*|"
    r"goedemorgen|goedemiddag|beste|merhaba|iyi günler|sayın\w*)\b[^.!?\n]{0,40}?[,!.]?\s*)?"
    r"(?:(?:thank you|thanks) for your (?:e-?mail|message)|vielen dank für ihre (?:nachricht|e-?mail)|"
    r"gracias por su (?:mensaje|correo)|merci (?:pour|de) votre (?:message|e-?mail|courriel)|"
    r"спасибо за (?:ваше )?(?:письмо|сообщение)|дякую за (?:ваш )?лист|"
    # it, pt, pl, nl: the languages of the away sentences above
    r"grazie per (?:il suo|la sua|il tuo|la tua) (?:messaggio|e-?mail)|obrigad[oa] pela sua (?:mensagem|e-?mail)|"
    r"dziękuję za (?:wiadomość|e-?mail|maila)|bedankt voor (?:uw|je) (?:bericht|e-?mail))?[.!,]?\s*"
    r"(?:(?:please note|kindly note|обратите внимание|bitte beachten sie)[,:]?\s*(?:that\s*|что\s*)?)?",
    re.I)


def system_notice(sender: str | None) -> AutoVerdict | None:
    """Mail from a mail system's own mailbox that is no bounce (a quota warning, a queue report)."""
    if not sender or ("daemon" not in (low := sender.lower()) and "microsoftexchange" not in low and (
            "quarantine" not in low)):
        return None  # most mail: neither word anywhere in the address, no need to split it
    local = _sender_local(sender)
    if local and _SYSTEM_SENDER_RE.fullmatch(local):
        return AutoVerdict("bulk", f"sent by a mail system's own mailbox ({sender})")
    return None


def away_reply(text: str, lowered: str | None = None) -> AutoVerdict | None:
    """An out-of-office reply with no header and no subject of its kind (a web mail's responder answering
    under "Re: <subject>"): the template's three sentences at the top of a short text that neither asks nor
    requests anything, none of them in the past tense. `lowered`: the short text in lower case, if at hand."""
    if len(text) >= 1500 or asks(text):
        return None
    head = (text[:400].lower() if lowered is None else lowered)[:400]
    # most mail: a substring test of the opening (where a template says it), the phrases only around a word found
    if not any(phrases.search(text, max(0, at - 70), at + 40) for word, phrases in _AWAY_WORDS
               if (at := head.find(word)) >= 0):
        return None
    top = " ".join(text[:_own_end(text[:1200])].split())  # a wrapped line must not hide a sentence
    away = _AWAY_RE.search(top)
    if away is None or said_of_the_past(top, away.start()) or requests_action(top) or not _OPENING_RE.fullmatch(
            top, 0, away.start()):  # "Thanks for the update. I am on vacation until …": a person's reply
        return None
    back = _BACK_RE.search(top) or _OOF_BODY_RE.search(top)
    if back and (((elsewhere := _ELSEWHERE_RE.search(top)) and not _said_after(top, elsewhere.end()))
                 or _THANKS_FIRST_RE.match(top) or (
            len(top) < _SHORT_TEMPLATE and _closes_text(_ANSWER_LATER_RE.search(top, away.end()), top))):
        return AutoVerdict("auto-reply", f"an out-of-office text: {away.group(0)!r}, {back.group(0)!r}")
    return None



def a_topic_not_a_reply(msg: Message, text: str) -> bool:
    """Whether an out-of-office prefix in the subject may be the writer's topic ("Автоматична відповідь: не
    працює"), not a responder's: the mail answers no mail (a responder answers one, with In-Reply-To or
    References) and its text says nothing a template says (away, back on a date, "for urgent matters", "without
    access to e-mail").
    auto._oof_subject_verdict takes it for a person's only when it is a signed note too (autostamp, which reads
    this module); a template with none of these marks ("Back on Monday.") stays a responder's."""
    if header_index(msg).keys() & {"in-reply-to", "references"}:
        return False
    top = " ".join(text[:1200].split())
    return not any(r.search(top) for r in (_AWAY_RE, _OOF_BODY_RE, _BACK_RE, _ELSEWHERE_RE)) and not away_reply(text)

# a template's sentences after "for urgent matters …": thanks, regards, the name; a person goes on with news
_AFTER_TEMPLATE_RE = re.compile(
    r"(?:thank|many thanks|kind|best|regards|sincerely|спасибо|благодар|с уважением|danke|mit freundlichen|merci|"
    r"cordialement|gracias|saludos|grazie|cordiali|distinti|dziękuj|pozdrawiam|z poważaniem|teşekkür|saygı|"
    r"iyi çalışmalar|bedankt|met vriendelijke|obrigad|atenciosamente|cumprimentos)", re.I)


def _said_after(top: str, pos: int) -> bool:
    """Whether a sentence of more than four words that is no thanks or closing follows the sentence at `pos`."""
    end = re.search(r"[.!](?:\s|$)", top[pos:])
    if end is None:
        return False
    rest = [x.strip() for x in re.split(r"(?<=[.!?])\s+", top[pos + end.end():]) if x.strip()]
    return any(len(x.split()) > 4 and not _AFTER_TEMPLATE_RE.match(x) for x in rest)


def _closes_text(m: re.Match[str] | None, top: str) -> bool:
    """Whether the promise to answer on return ends the text (a template's last sentence): "I will reply when I am
    back - the short answer is no, PO 4512 is not approved yet" goes on with the person's answer."""
    rest = top[m.end():] if m else ""
    end = re.match(r"[^.!?;,:—–-]{0,40}[.!]?", rest)
    tail = rest[end.end():].strip() if end else rest
    return m is not None and len(tail.split()) <= 4 and not any(c.isdigit() for c in tail)


def notice_verdict(msg: Message, subject: str, text: str, sender: str | None = None,
                   colleague: bool = False) -> AutoVerdict | None:
    """A receipt, a calendar answer, another helpdesk's acknowledgment or a challenge: each known by a subject
    (or part type) and a sentence of its own kind together; an out-of-office text; a mail system's notice.

    `colleague`: the sender is a person's mailbox of the desk's own domains. Their mail server marks their
    out-of-office replies with headers (Exchange, Zimbra, Sieve), and they send the desk no helpdesk's
    acknowledgments: the header-less text rules are for mail from outside, and so cost nothing on most mail."""
    if verdict := system_notice(sender):
        return verdict
    # the opening the word tests read, lowered once; '' where those rules do not apply
    lowered = text[:400].lower() if len(text) < 1500 and not colleague else ""
    # an out-of-office text answers a mail (In-Reply-To, or "Re:"): a new mail that says so is a person's; so
    # is one that carries a file ("Sono in ferie fino al 20/12 … la fattura corretta in allegato"): no template does
    if lowered and ("in-reply-to" in header_index(msg) or _REPLY_PREFIX_RE.match(subject)) and not _carries_a_file(
            msg) and (verdict := away_reply(text, lowered)):
        return verdict
    top = text[:3000]
    if _RECEIPT_SUBJECT_RE.match(subject) and _RECEIPT_TEXT_RE.search(top) and not asks(top) and not (
            first_person(top) or requests_action(top)):
        return AutoVerdict("receipt", f"a read-receipt subject {subject[:40]!r} and its sentence")
    if (_CALENDAR_SUBJECT_RE.match(subject) or _content_type(msg) == "text/calendar") and _calendar_reply(msg):
        return AutoVerdict("receipt", "a calendar program's answer to an invitation (text/calendar; method=REPLY)")
    if (ack := _helpdesk_ack(subject, top, lowered, sender)) is not None:
        return ack
    if "http" in top and _CHALLENGE_HINT_RE.search(top) and (challenge := _CHALLENGE_RE.search(top)) and not (
            asks(top) or quoted_at(top, challenge.start()) or framed_by_a_person(top, challenge.start())):
        # a person asks about it ("what do I do?"), quotes the screen's words or frames them with their own
        return AutoVerdict("auto-reply", f"a challenge-response filter: {challenge.group(0)[:50]!r}")
    if _DMARC_SUBJECT_RE.match(subject) and any(_content_type(p) in _REPORT_FILE_TYPES for p in _walk(msg)):
        return AutoVerdict("bulk", "a DMARC aggregate report (RFC 7489 7.2.1.1 subject, the report attached)")
    return None


# RFC 7489 7.2.1.1: a DMARC aggregate report's subject, over the report as a zip, gzip or XML file (7.2.1.1).
_DMARC_SUBJECT_RE = re.compile(r"^\s*report domain:\s*\S+\s+submitter:\s*\S+", re.I)
_REPORT_FILE_TYPES = frozenset({"application/zip", "application/gzip", "application/x-gzip", "application/xml",
                                "text/xml", "application/x-zip-compressed"})


# A ticket's identifier near the acknowledgment's sentence ("Your request (12345) has been received", "request
# SUP-4512", "Ticket ID - 9876", «под номером 4512»); a bracketed key ("[SD-12]") is the desk's own tag.
_TICKET_ID_RE = re.compile(
    r"(?:#|№|\bno\.\s*|\bid\b\s*[-:#]?\s*|номер\w*\s+)\s*\d{3,}|\(\d{3,}\)|(?<!\[)(?-i:\b[A-Z][A-Z0-9]{1,9}-\d+)\b|"
    r"\b\d{5,}\b", re.I)


# A mailbox of a role or a system, not a person's: what a helpdesk sends its acknowledgments from.
_ROLE_LOCAL_RE = re.compile(r"support|help|desk|service|servis|ticket|request|reply|jira|zendesk|freshdesk|otrs|"
                            r"itsm|glpi|redmine|bitrix|notif|info|admin|system|robot|bot\b|^hd\b|^sd\b")

# Words every acknowledgment's sentence has (the cheap test before _ACK_TEXT_RE on a mail with no ticket subject).
_ACK_WORDS = ("been received", "was received", "received your", "been registered", "was registered", "been logged",
              "been created", "was created", "been opened", "was opened", "зарегистрирован", "принят", "получен",
              "создан")


# Where quoted history starts: a quote mark, a header block, a separator, an attribution line. The desk's own
# acknowledgment («Ваше обращение SD-12 зарегистрировано») is quoted under every reply to it.
_HISTORY_RE = re.compile(
    r"^(?:>|(?:from|от|von|de|sent|отправлено)\s*:|-{2,}\s*(?:original|исходное|forwarded|пересылаемое)|_{10,})",
    re.I | re.M)
_ATTRIBUTION_END_RE = re.compile(r"(?:wrote|пишет|написал\w*|schrieb|a écrit|escribió)\s*:[ \t]*$", re.I | re.M)


def _carries_a_file(msg: Message) -> bool:
    """A part sent as an attachment: what a person adds, an auto-responder's template never does."""
    return msg.is_multipart() and any(
        part.get_content_disposition() == "attachment" for part in _walk(msg))


def _own_end(text: str) -> int:
    """Where the mail's own words end: the start of the quoted history (a quote mark, a header block, a separator,
    the line of an attribution), or the end."""
    ends = [m.start() for m in (_HISTORY_RE.search(text),) if m]
    ends += [text.rfind("\n", 0, m.start()) + 1 for m in (_ATTRIBUTION_END_RE.search(text),) if m]
    return min(ends, default=len(text))


def _helpdesk_ack(subject: str, top: str, lowered: str, sender: str | None = None) -> AutoVerdict | None:
    """Another helpdesk's acknowledgment: a ticket number in the subject, or one in or beside the sentence that
    says the request was received (Zendesk, Jira Service Management, Freshdesk put it only there) sent from a
    role mailbox (a partner's person confirming «заявка №4512 зарегистрирована у нас» writes from their own),
    with no request of its own and no "I". `lowered`: the opening of a short text in lower case ('' when long)."""
    ticket = _FOREIGN_TICKET_RE.search(subject) if "[" in subject or "(" in subject else None  # cheap first
    if ticket is None and not (lowered and any(word in lowered for word in _ACK_WORDS)):
        return None  # most mail: no number in the subject, no acknowledgment's words
    ack = _ACK_TEXT_RE.search(top, 0, 3000 if ticket else 400)  # without a ticket subject: the opening only
    if ack is None or asks(top) or requests_action(top) or (personal_mailbox(sender) and not _ROLE_LOCAL_RE.search(
            _sender_local(sender))):  # an engineer's own note on the ticket («обращение зарегистрировано …
        return None  # Уточните, пожалуйста, …») from s.kim@; "it.support@" is a role's
    if ticket is None and ack.start() < 300 and _own_end(top[:ack.start()]) == ack.start() and not first_person(
            top) and _ROLE_LOCAL_RE.search(_sender_local(sender)):  # the sentence opens the mail's own text
        ticket = _TICKET_ID_RE.search(top, max(0, ack.start() - 80), ack.end() + 160)
    if ticket is None:
        return None
    return AutoVerdict("auto-reply", f"another helpdesk's acknowledgment: {ticket.group(0)!r}, {ack.group(0)[:40]!r}")


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
