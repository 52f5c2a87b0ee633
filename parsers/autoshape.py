"""The shape of a notice rather than its vendor's words: a failure heading over lines that hold an address
alone, a phrase a person quotes rather than states, a sentence in the past tense, a forward with no text of
its own around a delivery report.

These generalize where phrase lists do not (issue 15): a gateway, an antivirus product or a translated MTA
words its notice its own way, but lists failed recipients under a heading ending in a colon; and a person
who writes about a bounce quotes the notice's words ("... came back with "Undeliverable"") instead of
stating them.
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autophrases import _DAEMON_LOCAL, _NOREPLY_LOCAL
from postdesk.parsers.autoread import (
    _ADDR,
    _headers,
    _hides_control,
    _safe_addresses,
    _sender_local,
)
from postdesk.parsers.reportwrap import wrapped_report as wrapped_report  # auto.py reads it here
from postdesk.parsers.signatures import closing_line

# A heading line that says delivery failed, ending in a colon ("The following address(es) failed:", "was not
# delivered to:", "Не удалось доставить письмо следующему получателю:", "could not be reached:"), and the
# next non-empty line an address alone (in angle brackets or not, qmail's trailing colon allowed). One search.
_FAILURE_WORDS = (
    r"(?:\bfail|undeliver|\bnot (?:be )?(?:delivered|reach(?:ed)?)\b|could not be (?:delivered|reached)|"
    r"unable to deliver|\brejected|permanent (?:fatal )?errors?|"
    r"не удалось (?:доставить|отправить)|не (?:может быть |был[оаи]? |было )?доставлен|недоставлен|"
    r"не вдалося доставити|"
    # the same notion in the other languages of the subjects in autophrases: de, fr, es, it, pt, nl, pl
    r"nicht(?:\s+\w+){0,6}\s+(?:zugestellt|übermittelt)|unzustellbar|fehlgeschlagen|"
    r"n'a pas pu être (?:remis|distribué|livré)|non remis|échec de (?:la )?(?:remise|distribution)|"
    r"no se (?:pudo|ha podido) entregar|no (?:pudo ser|fue) entregado|"
    r"non (?:è stato possibile )?(?:recapitare|consegnare)|non (?:è stato|può essere) (?:recapitato|consegnato)|"
    r"não (?:foi possível|pôde ser) entreg|niet (?:worden )?(?:bezorgd|afgeleverd)|onbestelbaar|"
    r"nie (?:można było |udało się )?dostarczyć|niedostarczon|"
    # and in the other languages Exchange and the big mail systems localize their notices into: "failed" and
    # "could not be delivered" in pl, pt, it, nl, sv, cs, tr, zh, ja
    r"nie powiodło się|falh(?:ou|a na entrega)|não (?:foi )?entregue|non riuscit|mislukt|misslyckades|"
    r"kunde inte levereras|nezdařil|nedoručitel|nelze doručit|başarısız|teslim edilemedi|"
    r"失败|失敗|无法投递|無法投遞|配信できませんでした)")

# A display name before an address in parentheses, as Exchange lists failed recipients: letters first, no "@".
_NAMED = r"[^\W\d_][^\n()@<>:]{0,60}"

_FAILURE_LISTING_RE = re.compile(
    r"^([^\n]{0,120}?" + _FAILURE_WORDS + r"(?:[^:\n]|\n(?![ \t\r]*\n)){0,80}:)"  # a heading may wrap once
    # the address alone on a line below, or alone after a tab as a label's value (Domino's tab-aligned "was not
    # delivered to:<TAB>x@y", «не был доставлен:<TAB>x@y»: a layout, where a person writes "не доставлено: x@y")
    # Exchange writes a display name before it, the address in parentheses ("Mario Rossi (m.rossi@x.it)")
    r"(?:[ \t\r]*\n(?:[ \t\r]*\n){0,2}[ \t]*| *\t[ \t]*)(?:" + _NAMED + r"\(<?" + _ADDR + r">?\)|<?" + _ADDR
    + r">?:?)[ \t\r]*$", re.I | re.M)

# A failure label with the address as its value on the same line: what listed_failures reads beside headings.
_FAILURE_LABEL_RE = re.compile(
    r"^[^\n]{0,120}?" + _FAILURE_WORDS + r"[^:\n]{0,80}:[ \t]+<?(" + _ADDR + r")>?[ \t\r]*$", re.I | re.M)

# The same heading, also in Sendmail's dashes ("----- The following addresses had permanent fatal errors -----").
_FAILURE_HEADING_RE = re.compile(
    r"^[^\n]{0,120}?" + _FAILURE_WORDS + r"[^:\n]{0,80}(?::|-{3,})[ \t\r]*$", re.I | re.M)

_ADDRESS_LINE_RE = re.compile(r"^\s*(?:<?(" + _ADDR + r")>?:?|" + _NAMED + r"\(<?(" + _ADDR + r")>?\))\s*$")

# A user name alone on the line under a heading: AOL's sendmail lists "zerobanana", GroupWise "p.zhukov
# (user not found)".
_USER_LINE_RE = re.compile(r"^\s*<?([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})>?(?:\s*\(.*\))?\s*$")

# A line that is nothing but one word with an "@" in it: the cheap test before _FAILURE_LISTING_RE.
_ALONE_RE = re.compile(r"[ \t]*(?:<?[^\s@<>]+@[^\s@<>]+>?:?|" + _NAMED + r"\(<?[^\s@<>()]+@[^\s@<>()]+>?\))[ \t\r]*")

# A person writes about their own mail; a notice addresses "your message". Case-sensitive: "I", not "i".
# Capitalized only where the word cannot be a date's abbreviation ("Mon, 16 Feb", "Mi, 18.02.").
_FIRST_PERSON_RE = re.compile(
    r"\b(?:I|I'm|I've|[Mm]y|me|[Яя]|[Мм]не|[Мм]о[йяеёи]|[Мм]еня|[Ii]ch|[Mm]ein\w*|mir|mich|[Jj]e|[Jj]'|mon|"
    r"mes|moi|[Yy]o|mis?|io|mi[oa]|[Ee]u|[Mm]eu|[Mm]inha|[Ii]k|[Mm]ijn)\b")

# Notices come first; a heading this far down is someone's pasted excerpt.
_HEADING_WITHIN = 800


def failure_listing(text: str, opening: bool = False) -> str | None:
    """The heading of a failure listing near the top of `text` whose next non-empty line is an address alone,
    framed by no person; with `opening`, only a listing that opens the text (nothing above it but short lines
    or fields such as "Your message" / "To: x"). None when the text has no such shape."""
    top = text[:_HEADING_WITHIN + 400]
    if not _address_alone(top):  # most mail has no address alone on a line: cheap
        return None
    m = _FAILURE_LISTING_RE.search(top)
    if m is None or m.start() > _HEADING_WITHIN or _FIRST_PERSON_RE.search(top) or framed_by_a_person(
            top, m.start()) or (opening and not all(_OPENING_LINE_RE.match(line) for line in
                                                    top[:m.start()].splitlines())):
        return None  # "Это я вчера отправляла счёт", "Коллеги, вот что пришло: … Что делать?": a pasted notice
    return m.group(1).strip()


_FAILURE_WORDS_RE = re.compile(_FAILURE_WORDS, re.I)

# The opening of a notice, where a system states what happened before any help text.
_STATED_WITHIN = 600


def states_failure(text: str) -> str | None:
    """Failure words in the opening sentence of `text` that also names an address, stated rather than cited
    ('Ihre Nachricht an "x@y" … konnte nicht zugestellt werden.'): a gateway's notice in its own words, which
    a null Return-Path already marks as a system's (the caller's condition). Not in quotation marks, not after
    a person's first person, not framed by a person (a question, a line of their own that introduces it)."""
    top = text[:_STATED_WITHIN]
    if "@" not in top:
        return None
    for m in _FAILURE_WORDS_RE.finditer(top):
        start = max(top.rfind(". ", 0, m.start()), top.rfind("\n\n", 0, m.start()), 0)
        ends = [i for i in (top.find(". ", m.end()), top.find("\n\n", m.end())) if i >= 0]
        if "@" not in top[start: min(ends, default=len(top))]:
            continue
        if quoted_at(top, m.start()) or _FIRST_PERSON_RE.search(top, 0, m.start()) or framed_by_a_person(
                top, m.start()):
            return None
        return m.group(0)
    return None


def _address_alone(text: str) -> bool:
    """Whether a line of `text` is an address alone, or ends in one alone after a label's colon ("не был
    доставлен:<TAB>x@y"); only the lines with an "@" are tried (a search with re.M would try every line start)."""
    at = text.find("@")
    while at >= 0:
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        start = text.rfind("\n", 0, at) + 1
        colon = text.rfind(":", start, at)
        if _ALONE_RE.fullmatch(text, start, end) or (
                colon >= 0 and text[colon + 1: colon + 2] in (" ", "\t") and _ALONE_RE.fullmatch(text, colon + 1, end)):
            return True
        at = text.find("@", end)
    return False


# What may stand above a listing that opens a notice: blank, three words at most, or a "Field: value" line.
_OPENING_LINE_RE = re.compile(r"^\s*(?:\S+(?:\s+\S+){0,2}|[\w-]+:\s.*)?\s*$")


# A question: "?" before a blank or the end, so a URL's query string ("confirm?id=1") is none.
_QUESTION_RE = re.compile(r"[^\s/=&]\?+(?:\s|$)")

# A line that introduces what follows ("вот что пришло:", "got this today:", "see below:"): ends in a colon
# after two words at least, and is no header-like field ("To: x", "Причина:").
_INTRO_LINE_RE = re.compile(r"^[ \t]*\S+[ \t]+\S[^\n]*:[ \t\r]*$", re.M)


def framed_by_a_person(text: str, pos: int) -> bool:
    """Whether a notice at `pos` in `text` is framed the way a person passes one on (issue 15's clients nobody
    met): a question anywhere near it ("Что делать?"), or a line of their own that introduces it ("Коллеги, вот
    что пришло:"). A notice states; it neither asks the reader nor announces itself with a colon line."""
    if _QUESTION_RE.search(text) or _signed_by_a_person(text):
        return True
    head = text[:pos]
    return any(not _FAILURE_HEADING_RE.match(m.group(0).strip()) and
               not re.search(_FAILURE_WORDS, m.group(0), re.I) for m in _INTRO_LINE_RE.finditer(head))


# A question that asks the reader to do something ("Could you check the address?", «Не могли бы вы
# проверить…?»): people ask it; a notice instructs ("Please check the address") or asks nothing of the reader.
_READER_QUESTION_RE = re.compile(
    r"\b(?:could|can|would) you\b[^.!?\n]{0,200}\?|не могли бы вы[^.!?\n]{0,200}\?|"
    r"(?:можете|могли бы) (?:ли )?(?:вы )?[^.!?\n]{0,200}\?", re.I)


def written_by_a_person(text: str) -> bool:
    """Whether a text speaks as a person to the reader: a first person with a question or a closing over a
    person's name ("I'm the admin … Thank you, Pavel Sokolov"), or a question asking the reader to do something
    ("Could you check the address?"). Postfix's notice says "I'm sorry to have to inform you" but neither asks
    nor is signed by a person."""
    top = text[:3000]
    return (first_person(top) and framed_by_a_person(top, 0)) or bool(_READER_QUESTION_RE.search(top))


def signed_as(text: str, name: str) -> bool:
    """Whether `text` ends with the sender's own display name and that name is a person's, first and last
    ("…\n\nОльга Петрова" from "Ольга Петрова <o.petrova@…>"): a person signing their letter. A notice ends with
    help text or a product's or department's name ("Secure Gateway", "Mail Delivery System"), if any."""
    name = " ".join(name.split()).strip("\"' ")
    if len(name.split()) < 2 or not _NAME_LINE_RE.match(name) or _DEPARTMENT_RE.search(name):
        return False
    lines = [line.strip() for line in text[-2000:].splitlines() if line.strip()]
    return bool(lines) and lines[-1].casefold() == name.casefold()


def relayed_request(msg: Message, text: str, pos: int) -> bool:
    """Whether a text that says a program generated it (at `pos`) carries a person's request all the same:
    framed by a person, asking for something to be done, or sent by a form on a visitor's behalf (a Reply-To
    at another domain than the sender's, no robot's: the answer goes to the visitor)."""
    return framed_by_a_person(text, pos) or requests_action(text) or answered_elsewhere(msg)


def answered_elsewhere(msg: Message) -> bool:
    """Whether the answer goes to someone at another domain than the sender's, no robot (a Reply-To a web form
    sets to its visitor): the mail carries that person's words, whatever program sent it."""
    senders = {a.lower() for _, a in _safe_addresses(_headers(msg, "From"))}
    domains = {a.rsplit("@", 1)[1] for a in senders}
    return any(a.lower() not in senders and a.rsplit("@", 1)[1].lower() not in domains
               and _sender_local(a) not in _NOREPLY_LOCAL | _DAEMON_LOCAL
               for _, a in _safe_addresses(_headers(msg, "Reply-To")))


# A person's name: one to three capitalized words of letters ("Ольга Смирнова", "Olga"), no department words.
# capitals and small letters of the Latin (with its accents) and Cyrillic alphabets the centre's people write their
# names in: Russian, Ukrainian, Belarusian, Kazakh («Айгүл Сәрсенова», «Олена Коваленко», "Łukasz Nowak")
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĪĮİĴĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŪŮŰŲŹŻŽА-ЯЁІЇЄҐЎӘҒҚҢӨҰҮҺ"
_LOWER = "a-zß-öø-ÿāăąćĉċčďđēėęěĝğġģĥīįıĵķĺļľłńņňōőœŕŗřśŝşšţťūůűųźżžа-яёіїєґўәғқңөұүһ"
_NAME_LINE_RE = re.compile(rf"^\s*[{_UPPER}][{_LOWER}'’-]+(?:\s+[{_UPPER}][{_LOWER}.'’-]*){{0,2}}\s*$")
_DEPARTMENT_RE = re.compile(r"служб|отдел|департамент|поддержк|администратор|team|support|service|desk|"
                            r"department|admin|gateway|postmaster|шлюз", re.I)


def names_a_person(name: str) -> bool:
    """A person's first and last name ("Tom Hardy", «Ольга Петрова»), no product's or department's name."""
    return len(name.split()) >= 2 and _NAME_LINE_RE.match(name) is not None and not _DEPARTMENT_RE.search(name)


def names_a_department(text: str) -> bool:
    """A department's or a system's name ("Служба поддержки", "postmaster", "IT Service Desk"), not a person's."""
    return _DEPARTMENT_RE.search(text) is not None


def _signed_by_a_person(text: str) -> bool:
    """A closing formula over a person's name ("С уважением,\nОльга Смирнова"): a notice is signed by a
    department or a system, if at all."""
    lines = [line for line in text[:3000].splitlines() if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if closing_line(line) and _NAME_LINE_RE.match(lines[i + 1]) and not _DEPARTMENT_RE.search(lines[i + 1]):
            return True
    return False


def listed_failures(text: str) -> tuple[list[str], list[str]]:
    """What failure headings list in `text`: (addresses alone on the lines under a heading, up to the first
    line that is not one; user names without a domain, alone on the first line under a heading)."""
    addresses: list[str] = []
    users: list[str] = []
    text = text[:30_000]
    for line in (x for x in text.splitlines() if "@" in x and ":" in x):  # a label's value (Domino's report)
        if (label := _FAILURE_LABEL_RE.match(line)) and not _hides_control(label.group(1)):
            addresses.append(label.group(1).lower())
    for heading in _FAILURE_HEADING_RE.finditer(text):
        first = True
        for line in text[heading.end(): heading.end() + 3000].splitlines()[1:]:
            if not line.strip():
                continue
            m = _ADDRESS_LINE_RE.match(line)
            address = (m.group(1) or m.group(2)) if m else ""
            if m and _hides_control(address):  # an encoded word hiding a line break: no address
                break
            if m:
                addresses.append(address.lower())
            elif first and (u := _USER_LINE_RE.match(line)):
                users.append(u.group(1).lower())
            else:
                break
            first = False
    return addresses, users


def failed_by_name(texts: list[str], names: dict[str, str]) -> list[str]:
    """The returned mail's recipients (address -> display name) whose names open a line under a failure
    heading ("did not reach the following recipient(s):" over "Petrova Anna on 19.02.2026 10:01"): a notice that
    names the failed recipients by display name only, of a mail that had several."""
    found: list[str] = []
    for text in texts:
        heading = _FAILURE_HEADING_RE.search(text[:30_000])
        if heading is None:
            continue
        below = text[heading.end(): heading.end() + 3000]
        found += [addr for addr, name in names.items() if len(name.strip()) >= 4 and re.search(
            r"^[ \t'\"]*" + re.escape(name.strip()) + r"(?![\w.@-])", below, re.I | re.M)]
    return list(dict.fromkeys(found))


_QUOTE_OPEN = "«“„"


def quoted_at(text: str, pos: int) -> bool:
    """Whether `pos` lies inside quotation marks opened earlier in its paragraph: a phrase a person cites
    ("my mail comes back with "Delivery has failed …"") is not the notice's own sentence."""
    start = max(text.rfind("\n\n", 0, pos), pos - 300, 0)
    before = text[start:pos]
    if before.count('"') % 2:
        return True
    opened = sum(before.count(c) for c in _QUOTE_OPEN) - sum(before.count(c) for c in "»”")
    return opened > 0


def first_unquoted(pattern: re.Pattern[str], text: str, own_words: bool = False) -> re.Match[str] | None:
    """The first match of `pattern` in `text` that is not inside quotation marks; with `own_words`, also
    not after a person's first person ("I tried to send the order and got this back: …")."""
    for m in pattern.finditer(text):
        if not quoted_at(text, m.start()) and not (own_words and _FIRST_PERSON_RE.search(text, 0, m.start())):
            return m
    return None


def first_person(text: str) -> bool:
    """Whether someone writes of themselves in `text` ("I have read …", «я прочитал»): a notice does not."""
    return bool(_FIRST_PERSON_RE.search(text))


def asks(text: str) -> bool:
    """Whether the text opens with a question: a person asking about auto-replies ("Auto-reply: how do I turn
    it off?"), which an out-of-office template does not; a link's query ("view.php?t=4738") is no question."""
    return "?" in text[:300] and bool(_QUESTION_RE.search(text, 0, 300))


# Past tense in the sentence before an out-of-office phrase: "две недели была без доступа к почте", "while I
# was away with no access to email" is a person back at work; a template speaks of now or the future.
_PAST_TENSE_RE = re.compile(r"\b(?:was|were|had|был[аио]?|вернул\w*)\b", re.I)


def said_of_the_past(text: str, pos: int) -> bool:
    """Whether the sentence that leads up to `pos` is in the past tense."""
    start = max(text.rfind(". ", 0, pos), text.rfind("! ", 0, pos), text.rfind("? ", 0, pos), pos - 160, 0)
    return bool(_PAST_TENSE_RE.search(text[start:pos]))


# A request for something to be done, addressed to the reader ("прошу оформить", "please set up", "could you
# check"). An out-of-office template asks only to be contacted elsewhere or to wait ("прошу обращаться к …",
# "please contact …"), so those verbs are no request.
_ASKING_RE = re.compile(
    r"\b(?:прошу|просьба|просим|пожалуйста|please|kindly|could you|can you|would you|нужно|надо|необходимо|"
    r"требуется|(?:i|we) need to|need to)\b[,\s]+"
    r"(?:(?:вас|you|мне|me|нам|us)\s+)?(\w+)", re.I)
_ACTION_STEMS = (
    "оформ", "настро", "предостав", "провер", "помоч", "помог", "сдела", "выда", "восстанов", "сброс", "включ",
    "отключ", "подключ", "установ", "созда", "откро", "продл", "измен", "добав", "удал", "разблок", "переустанов",
    "переда", "назнач", "замен", "обнов", "исправ", "почин", "перезапуст", "заказ", "закаж", "перевед", "перенес",
    "посмотр", "разбер", "уточн", "приложи", "переключ",
    "set", "configure", "enable", "disable", "check", "fix", "help", "reset", "grant", "install", "create",
    "open", "extend", "change", "add", "remove", "unlock", "restore", "arrange", "process", "approve", "assign",
    "replace", "update", "repair", "order", "transfer", "move")


# The polite imperative of the same verbs with "пожалуйста" after it ("Проверьте, пожалуйста"); alone an
# imperative is a notice's instruction to its reader too ("откройте 1С:Документооборот").
_IMPERATIVE_RE = re.compile(r"\b(?:" + "|".join(st for st in _ACTION_STEMS if not st.isascii())
                            + r")\w*(?:ите|йте|ьте)\b[,\s]+пожалуйста", re.I)


# "please check with Anna", "check back after the 24th": the verb in a template's sense of "contact, wait".
_CONTACT_AFTER_RE = re.compile(r"\s+(?:with|back|in with)\b", re.I)


def requests_action(text: str) -> bool:
    """Whether the text asks the desk to do something (issue 15: "Я в отпуске с 10-го, прошу оформить" is HR's
    request, not an out-of-office notice; a 1C form's "Прошу оформить доступ" is a request though generated)."""
    top = text[:3000]
    if any(m.group(1).lower().startswith(_ACTION_STEMS) and not _CONTACT_AFTER_RE.match(top, m.end())
           for m in _ASKING_RE.finditer(top)):
        return True
    return bool(_IMPERATIVE_RE.search(top))
