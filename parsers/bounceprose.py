"""Failed recipients written in the prose of a bounce that has no DSN record (bounces.py asks): at the start of a
line, after "RCPT TO", under a failure heading, in Exchange's "Name (address)"; the help text's, the sender's and
the envelope's addresses are never failures, nor is the next hop's naming of a listed address in its reason.

Split from bounces.py, which decides which source of recipients a notice is read from.
"""

from __future__ import annotations

import re

from postdesk.parsers.autophrases import _MSGID_LINE_RE, _NAMED_MESSAGE_RE
from postdesk.parsers.autoread import _ADDR, _ADDR_RE, _hides_control
from postdesk.parsers.dsn import _FAILED_ACTIONS, _dsn_blocks_from_text, _records_from_blocks

_ORIGINAL_START_RE = re.compile(
    r"^[ \t|*=>_-]*(?:"
    r"original message|(?:this is )?a copy of (?:the|your) message|(?:the )?(?:original )?message headers? follow|"
    r"(?:the )?headers? of the original|below (?:this line )?is a copy|"
    r"returned message|unsent message (?:below|follows)|message text follows|original mail as follows|"
    r"(?:the )?original message (?:was|is) (?:attached|included|below)|forwarded message|"
    # GroupWise "Possibly truncated original message follows:", and the like: a few words before it
    r"(?:[^\W\d_]+ ){1,3}(?:original|returned|undelivered) message (?:follows|below)|"
    r"received:\s*from\s|return-path:\s*<|"
    r"исходное сообщение|оригинал сообщения|заголовки исходного|исходные заголовки"
    r")", re.I | re.M)

_SKIP_LINE_RE = re.compile(
    r"^\s*(?:>\s*)?(?:from|to|cc|bcc|reply-to|sender|return-path|message-id|in-reply-to|references|subject|date|"
    r"received|x-[\w-]+|reporting-mta|remote-mta|received-from-mta|arrival-date|dkim-signature|"
    r"sent|envelope-from|mail from)\s*:", re.I)

_FROM_BEFORE_RE = re.compile(r"(?:\bfrom|\bsender|mail from|envelope-from|\bby|\bid|\bF=)[\s:=<(\[]*$", re.I)

_SENDER_LINE_RE = re.compile(
    r"^[ \t]*(?:>[ \t]*)?(?:from|sender|return-path|reply-to|envelope-from|x-postfix-sender|x-original-sender)[ \t]*:"
    r"(.*)$", re.I | re.M)

_SENDER_INLINE_RE = re.compile(
    r"(?:mail from|envelope-from|envelope from|x-postfix-sender\s*:\s*rfc822;|\bF=\[?)[\s:=<]*(" + _ADDR + r")",
    re.I)

# What precedes an address that MTAs use to list a failure (the text before it on its line). Each
# branch has one whitespace run before "$", so a long blank stretch cannot make it backtrack.
_STRONG_BEFORE_RE = re.compile(
    r"^[\s<(\[]*$|^\s*[*-][\s<]+$|rcpt to[\s:<]*$|rcpt\s*:[\s<]*$|recipient(?: address)?\s*:[\s<]*$|"
    r"^\s*(?:original-|final-)?recipient\s*:[\s<]*(?:rfc822\s*;[\s<]*)?$|"
    r"deliver(?:ing)? your (?:mail|message) to[\s<]*$|could not be delivered to[\s:<]*$|"
    r"undeliverable to[\s<]*$|^\s*(?:<<<\s*)?[45]\d\d(?:[ -][45]\.\d{1,3}\.\d{1,3})?\s+<$|"
    r"(?:wasn't|was not|couldn't be|not) delivered to[\s:<]*$|your message to[\s:<]*$|"
    r"(?:message (?:you sent )?to|sent to)[\s<]*$|получател\w*[\s:<]*$|адресат\w*[\s:<]*$|"
    r"(?:nachricht|e-?mail) an[\s<]*$|message à[\s<]*$|mensaje a[\s<]*$|messaggio a[\s<]*$|mensagem para[\s<]*$",
    re.I)

# "John Smith (john@…)" alone on its line: Exchange's list of failed recipients; a sentence that names an address
# in parentheses and goes on ("reply to the helpdesk that sent it (x@y) only if …") lists nobody.
# The same with the address in angle brackets ("Jan Kowalski <jan@…>,", '"Petrov, Ivan" <ivan@…>'), one a line.
_NAMED_BEFORE_RE = re.compile(r"^\s*(?:[^\W\d_]|\")[\w .'\",-]{0,60}[(<]$")
_NAMED_AFTER_RE = re.compile(r"[)>][\s.,;]*$")

# An address that opens its line: an item of the notice's list, the lines indented deeper below it its reason.
_OPENS_LINE_RE = re.compile(r"^[\s<(\[]*$")

# A line of the notice's help text: an address there is whom to ask, never a failed recipient.
_HELP_LINE_RE = re.compile(
    r"contact|help ?desk|administrator|support|questions|for (?:help|assistance)|please (?:write|e-?mail)|"
    r"обращайтесь|пишите|по вопросам|свяжитесь|администратор|поддержк|служб\w* (?:поддержки|помощи)|"
    # de, fr, es, it, pt
    r"bei fragen|wenden sie sich|kontaktieren|pour toute question|veuillez (?:écrire|contacter)|contactez|"
    r"para consultas|póngase en contacto|contacte con|escriba a|per (?:informazioni|domande)|contattare|"
    r"entre em contato|em caso de dúvidas",
    re.I)

_EXPANDED_FROM_RE = re.compile(r">?\s*\(expanded from <?(" + _ADDR + r")>?\)", re.I)

_LIST_GAP_RE = re.compile(r"[>\s]*[,;][\s<]*")

_TYPE_PREFIX_RE = re.compile(r"^(?:smtp|rfc-?822)=")

_MSGID_CONTEXT_RE = re.compile(r"message-id|msgid|\bid\b", re.I)

# A notice that also reports who DID get the mail: a heading of success over its list (Axigen's "Delivery
# succeeded for the following recipient(s):", Sendmail's "----- … were relayed or delivered -----"), or a
# status column beside the address (GroupWise's "x@y      Delivered     3/10/2026", a table's cell). Those did
# not fail.
_DELIVERED_RE = re.compile(
    r"\b(?:delivered|relayed|succeeded|successful(?:ly)?|доставлено|успешно|zugestellt|remis|entregado|entregue|"
    r"consegnato|recapitat[oa]|dostarczon[aoey])\b",
    re.I)
_NEGATED_RE = re.compile(r"\b(?:not|no|never|unable|failed|failure|nicht|pas|non|nie|não|не|нет|ошибк\w*)\b|n't\b",
                         re.I)
_DELIVERED_COLUMN_RE = re.compile(r">?(?:[ \t]{2,}|\t)(?:delivered|relayed|доставлено)\b", re.I)


def _delivered_heading(line: str) -> bool:
    """Whether a line with no address heads a list of recipients the mail reached."""
    line = line.strip()
    return line.endswith((":", "-")) and bool(_DELIVERED_RE.search(line)) and not _NEGATED_RE.search(line)


def _text_recipients(text: str, exclude: set[str]) -> tuple[list[str], list[str], list[str]]:
    """Failed addresses written in the prose of a non-standard bounce: (at the start of a line or after
    RCPT TO, which MTAs use to list failures; anywhere else in the explanation; those the notice says it reached)."""
    text = text[:60_000]
    cut = _ORIGINAL_START_RE.search(text)
    head = text[: cut.start()] if cut else text
    # Some reports carry the DSN fields inline in their text part.
    records = _records_from_blocks(_dsn_blocks_from_text(head)) or _records_from_blocks(_dsn_blocks_from_text(text))
    if records:
        return [a for action, a in records if action in _FAILED_ACTIONS], [], []
    envelope, senders = _senders(text)
    strong: list[str] = []
    weak: list[str] = []
    reached: list[str] = []
    aliased: set[str] = set()
    # «Идентификатор письма: <…@…>», "the message <…@…> from", are no recipient
    named_ids = {i.lower() for r in (_MSGID_LINE_RE, _NAMED_MESSAGE_RE) for i in r.findall(head)}
    lines = _rejoined(_unpiped(head.splitlines()))
    replies = not _DATA_REFUSED_RE.search(head)  # a 2xx to RCPT TO means nothing when the data was refused
    item = -1  # the indentation of the address that opens the current item of the list, -1 outside one
    delivered = False  # under a heading of recipients the mail reached
    for i, line in enumerate(lines):
        if item >= 0 and line.strip() and len(line) - len(line.lstrip()) > item:
            continue  # the listed address's reason (Exim's "SMTP error … after RCPT TO:<x>"): the next hop's
            # own name for that address (a redirect's target), no other failure
        item = -1
        delivered = _delivered_heading(line) if "@" not in line and line.strip() else delivered  # any other
        if "@" not in line or _SKIP_LINE_RE.match(line) or delivered or (replies and _accepted(line, lines, i)):
            continue  # a line without an address ends that list
        line = line[:2000]
        # help text wrapped onto the address's line ("please contact the administrator\nat postmaster@…")
        said = line if i == 0 or lines[i - 1].rstrip().endswith((".", "!", "?", ":")) else lines[i - 1] + line
        listed = -1  # where the last listed address ended: "Получатели: a@x, b@x" lists both
        for m in _ADDR_RE.finditer(line):
            if _hides_control(m.group(0)):
                continue
            addr = _TYPE_PREFIX_RE.sub("", m.group(0).strip(".'").lower())  # Exchange 5.5's "SMTP=x@y; on …"
            before = _sentence_before(lines, i, m) if listed < 0 else line[: m.start()]
            if "." not in addr.rsplit("@", 1)[1] or addr in exclude or addr in named_ids or "/" in before[-1:] or (
                    "=" in before[-1:]):
                continue
            if _reached(before, lines, i, m, replies):
                reached.append(addr)
                continue
            if _listed(before, line, m, listed):
                item = len(line) - len(line.lstrip()) if listed < 0 and _OPENS_LINE_RE.match(before) else item
                listed = m.end()
                alias = _EXPANDED_FROM_RE.match(line, m.end())
                if alias:  # Postfix: "<target> (expanded from <what we wrote to>)", as Original-Recipient
                    aliased.add(addr)
                    addr = alias.group(1).lower()
                if addr not in envelope:
                    strong.append(addr)
                continue
            if addr in senders or _FROM_BEFORE_RE.search(before) or _HELP_LINE_RE.search(said):
                continue
            if _MSGID_CONTEXT_RE.search(line[max(0, m.start() - 20): m.start()]):
                continue
            weak.append(addr)
    return [a for a in strong if a not in aliased], weak, reached


def _senders(text: str) -> tuple[set[str], set[str]]:
    """(the envelope sender an SMTP transcript names: never a failed recipient; with it the From and the like of
    a quoted original, which only rule out loose mentions: a person may have written to themselves)."""
    envelope = {a.lower() for a in _SENDER_INLINE_RE.findall(text)}
    return envelope, envelope | {m.group(0).lower() for line in _SENDER_LINE_RE.findall(text)
                                 if (m := _ADDR_RE.search(line))}


def _a_name(before: str) -> bool:
    """Whether what stands before "(" or "<" is a display name, not a sentence ending in an address ("the message
    came from <x@y>."): before "(" anything (Exchange writes the names it has), before "<" a quoted name or up to
    four capitalized words ("Jan Kowalski <…>", "Petrov, Ivan <…>")."""
    name = before.strip()[:-1].strip()
    if before.rstrip().endswith("(") or (name.startswith('"') and name.endswith('"')):
        return True
    words = name.replace(",", " ").split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words)


# A relay citing the notice it got marks each line of it with "| " (not a table row, which ends with "|").
_PIPE_RE = re.compile(r"^[ \t]*\|[ \t]?")


def _unpiped(lines: list[str]) -> list[str]:
    """The lines with a relay's "| " citation mark taken off, so the cited notice's list reads as the notice's."""
    if not any(line.lstrip().startswith("|") for line in lines):
        return lines
    return [_PIPE_RE.sub("", line) if not line.rstrip().endswith("|") else line for line in lines]


# An address cut at the line's end where no address can end: right after its "@", or after a hyphen in its domain
# (a label never ends in one); a wrapper hard-wrapped it there. Its rest opens the next line: a domain's labels.
_CUT_ADDRESS_RE = re.compile(r"[^\s@<>(),;:'\"]@(?:[^\W_][\w-]*\.)*(?:[^\W_][\w-]*-)?$")
_CUT_SEEN_RE = re.compile(r"@(?:[\w.-]*-)?[ \t]*$", re.M)
_DOMAIN_REST_RE = re.compile(r"[ \t]*([^\W_][\w-]*(?:\.[^\W_][\w-]*)*)(?=[\s>.,;:)'\"]|$)")


def _rejoined(lines: list[str]) -> list[str]:
    """The lines with an address hard-wrapped over two put back on one ("…@regional-office.wrap-" / "partner.example",
    "…aleksandrov@" / "office.partner.example couldn't be delivered."): the next line goes on the first, when it
    opens with the rest of a domain and the joined domain has a dot."""
    if not _CUT_SEEN_RE.search("\n".join(lines)):
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        cut = _CUT_ADDRESS_RE.search(line.rstrip()) if "@" in line else None
        rest = _DOMAIN_REST_RE.match(lines[i + 1]) if cut and i + 1 < len(lines) else None
        if cut and rest and "." in (line.rstrip().rsplit("@", 1)[1] + rest.group(1)):
            out.append(line.rstrip() + lines[i + 1].lstrip())
            i += 2
            continue
        out.append(line)
        i += 1
    return out


# A transcript's command and the server's answer on the next line: a 2xx answer to RCPT TO accepted that address.
_RCPT_COMMAND_RE = re.compile(r"^\s*>>>\s*rcpt to\s*:", re.I)
_ACCEPTED_RE = re.compile(r"^\s*<<<\s*2\d\d\b")


# A session that refused the mail's data after accepting its recipients (Postfix "In: DATA" … "Out: 451 …",
# ">>> DATA" / "<<< 554 …"): every recipient it accepted failed all the same.
_DATA_REFUSED_RE = re.compile(r"(?:>>>|\bin:)[ \t]*data\b.*\n(?:.*\n){0,3}?.*(?:<<<|\bout:)[ \t]*[45]\d\d\b", re.I)


def _accepted(line: str, lines: list[str], i: int) -> bool:
    """Whether the line is a transcript's `>>> RCPT TO:<x>` the next line answers with 2xx: x was accepted, and a
    notice citing the session fails only the recipients the server refused."""
    return bool(_RCPT_COMMAND_RE.match(line)) and i + 1 < len(lines) and bool(_ACCEPTED_RE.match(lines[i + 1]))


# An address that opens its line may still be the middle of a sentence the line above began ("was delivered to" /
# "kassa@x, but …"): the line above ends in a word, is no deeper (an item's reason), and words follow the address.
_GOES_ON_RE = re.compile(r">?[,;]?[ \t]+[^\W\d_]")


def _sentence_before(lines: list[str], i: int, m: re.Match[str]) -> str:
    """What stands before the line's first address in its sentence: the line's start, and the line above when
    the address continues a sentence wrapped there."""
    line = lines[i]
    before = line[: m.start()]
    above = lines[i - 1].rstrip() if i else ""
    deeper = len(above) - len(above.lstrip()) > len(line) - len(line.lstrip())  # the reason of the item above
    if (before.strip(" \t<([") or not above[-1:].isalpha() or "@" in above or deeper
            or not _GOES_ON_RE.match(line, m.end())):
        return before
    return above + " " + before.lstrip()


# An SMTP reply in an address's record: 2xx with an enhanced status 2.x.x or "250 Ok" accepted it; 4xx/5xx refused.
_ACCEPTED_REPLY_RE = re.compile(r"\b2\d\d[ -]2\.\d{1,3}\.\d{1,3}\b|\b250[ -]ok\b", re.I)
_FAILED_REPLY_RE = re.compile(r"\b[45]\d\d[ -]|\b[45]\.\d{1,3}\.\d{1,3}\b")

# The clause an address ends (from the last stop, semicolon or comma before it).
_CLAUSE_RE = re.compile(r"[^.;!?,]*$")
# The address's record: the rest of its line and the "Label: value" lines right under it ("Esito: consegnato").
_FIELD_LINE_RE = re.compile(r"^[ \t]*[^\W\d_][\w .-]{0,30}:[ \t]*\S")


def _reached(before: str, lines: list[str], i: int, m: re.Match[str], replies: bool) -> bool:
    """Whether the notice says the mail reached the address: its clause says so with no negation ("was delivered
    to x", «доставлено получателю x»), or its record does ("x@y;" over "Esito: consegnato"), or, when `replies`
    (no SMTP session of the notice refused the data), the next hop's 2xx answer under it."""
    if _DELIVERED_COLUMN_RE.match(lines[i], m.end()):
        return True  # a status table's row: "x@y      Delivered     3/10/2026"
    clause = _CLAUSE_RE.search(before)
    if clause and _DELIVERED_RE.search(clause.group(0)) and not _NEGATED_RE.search(clause.group(0)):
        return True
    line = lines[i]
    indent = len(line) - len(line.lstrip())
    fields = [line[m.end():]]  # its record: the rest of its line, its reason indented under it, its fields
    reason = [line[m.end():]]  # the rest of its line and its reason alone: where the next hop's answer stands
    for below in lines[i + 1: i + 4]:
        deeper = len(below) - len(below.lstrip()) > indent
        if "@" in below or not (deeper or _FIELD_LINE_RE.match(below)):
            break
        fields.append(below)
        reason += [below] if deeper else []
    said = " ".join(reason)
    if replies and _ACCEPTED_REPLY_RE.search(said) and not _FAILED_REPLY_RE.search(said):
        return True  # the next hop's answer was 2xx: "<x@y>: delivery via mx…:" over "250 2.0.0 Ok: queued"
    said = " ".join(fields)
    return bool(_DELIVERED_RE.search(said)) and not _NEGATED_RE.search(said)


def _listed(before: str, line: str, m: re.Match[str], listed: int) -> bool:
    """Whether the address `m` finds on `line` is written the way MTAs list a failure: after what they put
    before one (`before`: in its sentence), as Exchange's "Name (address)" alone on its line, or after a listed
    one and a comma."""
    return bool(_STRONG_BEFORE_RE.search(before) or (
        _NAMED_BEFORE_RE.search(before) and _NAMED_AFTER_RE.match(line, m.end()) and _a_name(before)) or (
        listed >= 0 and _LIST_GAP_RE.fullmatch(line, listed, m.start())))
