"""Recognize automatic mail (RFC 3834 and common practice) so it never gets an answer.

Cheap header checks run first; the MIME tree and the body are only read when the
headers already hint at a delivery report or an automatic reply. Nothing here raises
on broken input: a header or a part that cannot be read counts as absent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from email.header import Header, decode_header
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses

from postdesk.parsers.compat32 import as_parsed, content_type, header_index
from postdesk.parsers.headers import decode_header_value
from postdesk.parsers.model import AutoVerdict

__all__ = ["bounced_recipients", "classify_auto", "original_message_ids"]

# ---------------------------------------------------------------------------------------------- patterns

# The look-behind keeps matching linear: without it a long run of letters with no "@" is rescanned
# from every position.
_ADDR = (r"(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+"
         r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")
_ADDR_RE = re.compile(_ADDR)

# Local parts that only ever send delivery reports.
_DAEMON_LOCAL = frozenset({
    "mailer-daemon", "mailerdaemon", "mailer_daemon", "mail-daemon", "maildaemon", "mdaemon",
    "postmaster", "post_master", "poostmaster", "mail.delivery.subsystem", "bounce", "bounces",
    "nobody-bounces", "smtp-gateway",
})
_MAILER_DAEMON_LOCAL = frozenset({"mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon"})
_NOREPLY_LOCAL = frozenset({"no-reply", "noreply", "do-not-reply", "donotreply", "do_not_reply"})
_DAEMON_NAME_RE = re.compile(
    r"\b(?:mail(?:er)?[ -]?daemon|mail delivery (?:subsystem|system|service)|postmaster|"
    r"mail administrator|system administrator|content-filter|anti-?virus|mailscanner|mail gateway|"
    r"почтов\w* (?:шлюз|служба|система|робот))\b", re.I)

# Subjects of delivery reports (anchored: a person's "Fwd: Undeliverable ..." is not one).
_BOUNCE_SUBJECT_RE = re.compile(
    r"^\s*(?:"
    r"undeliver(?:ed|able)|delivery status notification|(?:mail )?delivery (?:status )?notification|"
    r"mail delivery (?:failed|failure|status|problem)|delivery fail(?:ure|ed)|failure notice|"
    r"returned mail|return(?:ed)? (?:to sender|mail)|mail (?:system error|failed)|"
    r"message (?:not delivered|delivery failed|could not be delivered)|could not send message|"
    r"warning: could not send|delayed mail|delivery (?:delayed|has been delayed|report)|"
    r"(?:mail )?delivery (?:status )?report|nondeliverable|non[- ]delivery|notice: mail delivery status|"
    r"postmaster notify|unzustellbar|nicht zustellbar|zustellung (?:fehlgeschlagen|verz)|"
    r"non remis|non recapitabile|non distribuibile|no se puede entregar|onbestelbaar|"
    r"échec de (?:la )?remise|impossible de remettre|"
    r"недостав|не доставлено|сообщение не (?:может быть )?доставлено|ошибка доставки|"
    r"отчет о доставке|отчёт о доставке|"
    r"virus (?:found|detected|alert)|(?:message|mail) (?:blocked|rejected|quarantined)|обнаружен вирус"
    r")", re.I)
# Delay warnings; anchored, because a failure's subject often repeats the original one ("... delayed payment").
_DELAY_SUBJECT_RE = re.compile(
    r"^\s*(?:(?:mail )?delivery status notification\s*[:(]\s*(?:mail delivery )?(?:delay|warning)|"
    r"delayed mail|delivery (?:delayed|has been delayed)|message delayed|"
    r"warning: (?:message \S+ delayed|could not send message for past)|"
    r"zustellung verzögert|verzögerte zustellung|задержка доставки|доставка (?:письма |сообщения )?задерж)",
    re.I)

# Vacation / out-of-office subjects, anchored at the start (a person's "Re: Out of office" is not one).
# Strong: the fixed prefixes mail programs put before the original subject; enough on their own.
_OOF_PREFIX_RE = re.compile(
    r"^\s*(?:"
    r"automatic reply|auto[- ]?reply|auto[- ]?response|automatic response|out of (?:the )?office(?: reply| autoreply)?|"
    r"autosvar|abwesenheitsnotiz|automatische antwort|réponse automatique|reponse automatique|"
    r"risposta automatica|respuesta automática|respuesta automatica|resposta automática|automatisch antwoord|"
    r"odpowiedź automatyczna|automatická odpověď|автоматический ответ|автоответ|автоответчик|"
    r"自動応答|自动回复|자동 응답"
    r")\s*(?::|$)", re.I)
# Weak: words a person also uses ("Urlaub 2025", "Отпуск с 1 июля", an HR request); they count only
# together with some header evidence of an automatic reply.
_OOF_WORDS_RE = re.compile(
    r"^\s*(?:"
    r"out of (?:the )?office|vacation|on vacation|on leave|away from (?:the )?office|away until|absent|"
    r"i am (?:currently )?(?:out of|away|on leave|on vacation)|i'm (?:currently )?(?:out of|away|on leave|on vacation)|"
    r"abwesend|urlaub|absence|absent du bureau|fuori sede|fuera de la oficina|afwezig|"
    r"нет на месте|вне офиса|в отпуске|отпуск|отсутств|я (?:сейчас )?(?:в отпуске|вне офиса|в командировке)"
    r")", re.I)

_REPLY_PREFIX_RE = re.compile(
    r"^\s*(?:re|fw|fwd|wg|aw|tr|sv|vs|rv|enc|res|odp|ynt|antw|отв|ответ|пересл|доб)\s*(?:\[\d+\])?\s*:", re.I)
_ARF_SUBJECT_RE = re.compile(r"^\s*(?:complaint about message from|abuse report|email feedback report)", re.I)

# Phrases only a delivery agent writes, looked for near the top of the report.
_MTA_TEXT_RE = re.compile(
    r"this is the qmail-send program|this is the mail system at host|this is the postfix program|"
    r"created automatically by mail delivery (?:software|system)|"
    r"could not be delivered to one or more (?:of its )?recipients|"
    r"delivery to the following recipients? (?:failed|has failed|was unsuccessful|has been delayed)|"
    r"delivery has failed to these recipients|your message (?:wasn't|was not|couldn't be|could not be) delivered|"
    r"the following addresses? (?:had (?:permanent )?(?:fatal )?(?:delivery )?(?:errors|problems)|failed)|"
    r"did not reach the following recipient|i'm afraid i wasn't able to deliver|"
    r"automatically generated delivery status notification|----- ?transcript of session follows|"
    r"the original message was received at|^reporting-mta\s*:|^final-recipient\s*:|"
    r"this is the mailer-daemon|hi\. this is the|"
    r"сообщение не (?:может быть )?доставлено|не удалось доставить (?:ваше )?(?:письмо|сообщение)|"
    r"письмо не (?:может быть )?доставлено|это сообщение создано автоматически|"
    r"your message to \S{1,200} (?:couldn't|could not|wasn't|was not|can't|cannot) be delivered|"
    r"(?:contained|contains) a virus and (?:was|has been) (?:not delivered|removed|blocked|quarantined)",
    re.I | re.M)
# Generic failure words: evidence only when the sender is already a delivery agent or a no-reply robot.
_BOUNCE_WORDS_RE = re.compile(
    r"unable to deliver|(?:had|we had) trouble delivering|permanent (?:fatal )?errors?|undeliverable|"
    r"delivery status notification|could not be delivered to|mail delivery failed|returned mail|"
    r"failed to deliver|message delivery failed|error sending your mail|invalid (?:user|recipient) address|"
    r"rejected recipient|recipient address rejected|user unknown|no such user|mailbox (?:is )?(?:full|unavailable)|"
    r"\brcpt to\s*:|\b5\d\d[ -]5\.\d{1,3}\.\d{1,3}\b|"
    r"транзакция завершилась неудачей|не может быть доставлено|недоставленное сообщение|адрес получателя не найден",
    re.I)

_PLUS_RE = re.compile(r"^([^+@]+)\+[^@]*(@.+)$")
_SPLIT_TOKENS_RE = re.compile(r"[\s,;]+")
_MSGID_LINE_RE = re.compile(r"^[ \t]*(?:>[ \t]*)?message-id\s*:\s*<([^<>\s]+)>", re.I | re.M)

# ---------------------------------------------------------------------------------------------- helpers


def _headers(msg: Message, name: str) -> list[str]:
    """Every instance of a header as text."""
    out = []
    for k, v in header_index(msg).get(name.lower(), ()):
        try:
            out.append(_header_text(msg.policy.header_fetch_parse(k, v)))
        except Exception:
            continue
    return out


def _header(msg: Message, name: str) -> str:
    """One header as text: the first readable instance ('' when absent or unreadable)."""
    for k, v in header_index(msg).get(name.lower(), ()):
        try:
            return _header_text(msg.policy.header_fetch_parse(k, v))
        except Exception:
            continue
    return ""


def _header_text(value: object) -> str:
    """A header value as text. compat32 hands raw 8-bit headers over as a Header of unknown-8bit bytes
    (a Russian subject sent unencoded); those are read as UTF-8, else CP1251. Encoded words stay as they
    are, for `_decoded`."""
    try:
        if isinstance(value, Header):
            parts = []
            for chunk, charset in decode_header(value):
                if isinstance(chunk, str):
                    parts.append(chunk)
                    continue
                for cs in (charset if charset and charset != "unknown-8bit" else "utf-8", "utf-8", "cp1251"):
                    try:
                        parts.append(chunk.decode(cs))
                        break
                    except (LookupError, UnicodeDecodeError):
                        continue
                else:
                    parts.append(chunk.decode("latin-1"))
            return "".join(parts)
        return str(value)
    except Exception:
        return ""


def _decoded(value: str) -> str:
    """RFC 2047-decode a header value for matching; the raw value when decoding fails."""
    if "=?" not in value:
        return value
    try:
        return decode_header_value(value)
    except Exception:
        return value


def _show(value: str, limit: int = 60) -> str:
    """A header value for a reason sentence: one line, shortened."""
    return " ".join(value.split())[:limit]


def _first_word(value: str) -> str:
    """The first token of a structured header value, lower-cased (`auto-replied (zimbra)` -> `auto-replied`)."""
    return re.split(r"[\s;(,]", value.strip().lower(), maxsplit=1)[0] if value.strip() else ""


def _base_address(addr: str) -> str:
    """Drop a +tag from the local part, so desk+sd-42@x matches desk@x."""
    m = _PLUS_RE.match(addr)
    return m.group(1) + m.group(2) if m else addr


def _is_ours(addr: str | None, ours: frozenset[str]) -> bool:
    if not addr or not ours:
        return False
    addr = addr.lower()
    return addr in ours or _base_address(addr) in ours


def _sender_local(sender: str | None) -> str:
    return sender.rsplit("@", 1)[0].lower() if sender and "@" in sender else (sender or "").lower()


_CTYPE_RE = re.compile(r"[a-z0-9.+-]+/[a-z0-9.+-]+")


def _content_type(part: Message) -> str:
    """Lower-case type/subtype; tolerates a parameter folded in without ';'. Kept on the part: the rules
    ask for the same parts' types many times, and this module never changes a part."""
    cached: str | None = part.__dict__.get("_auto_ctype")
    if cached is not None:
        return cached
    try:
        m = _CTYPE_RE.match(content_type(part))
    except Exception:
        m = None
    ctype = m.group(0) if m else "text/plain"
    part.__dict__["_auto_ctype"] = ctype
    return ctype


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:
        return ""
    if isinstance(value, tuple):  # RFC 2231 value
        value = value[2]
    return str(value or "").strip().lower()


def _walk(msg: Message, into_messages: bool = False) -> Iterator[Message]:
    """Depth-first parts; by default does not descend into attached messages (the returned original)."""
    stack = [msg]
    seen = 0
    while stack and seen < 500:
        part = stack.pop()
        seen += 1
        yield part
        ctype = _content_type(part)
        if ctype.startswith("message/") and not into_messages and part is not msg:
            continue
        if ctype in ("message/delivery-status", "message/global-delivery-status", "message/feedback-report"):
            continue
        # the parsed payload: get_payload() would re-encode (and for 8-bit text re-decode) a leaf's whole body
        # only for it to be found not to be a list
        payload = as_parsed(part)._payload
        if isinstance(payload, list):
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))


def _part_text(part: Message, limit: int = 200_000) -> str:
    """Decoded text of a leaf part (best effort, never raises)."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):  # None for a multipart (decode=True never gives text)
        try:
            raw = part.get_payload()
        except Exception:
            return ""
        if isinstance(raw, str):
            return raw[:limit]
        if isinstance(raw, list):  # message/* parsed into sub-messages: flatten their headers
            out = []
            for sub in raw:
                if isinstance(sub, Message):
                    try:
                        out.append("\n".join(f"{k}: {v}" for k, v in sub.items()))
                    except Exception:
                        continue
            return "\n\n".join(out)[:limit]
        return ""
    payload = payload[:limit]
    try:
        charset = part.get_content_charset() or "utf-8"
    except Exception:
        charset = "utf-8"
    for cs in (charset, "utf-8", "cp1251", "latin-1"):
        try:
            return payload.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1", "replace")


_TAG_RE = re.compile(r"<(?:script|style)[^>]*>.*?</(?:script|style)>|<br\s*/?>|</(?:p|div|tr|li|h\d)>|<[^>]+>",
                     re.I | re.S)


def _html_to_text(markup: str) -> str:
    """Crude HTML -> text, enough to find addresses and phrases in an HTML-only bounce."""

    def sub(m: re.Match[str]) -> str:
        tag = m.group(0).lower()
        return "\n" if tag.startswith(("<br", "</")) else " "

    return html.unescape(_TAG_RE.sub(sub, markup))


def _report_texts(msg: Message) -> list[str]:
    """Human-readable text of the report itself (not of the returned original), plain preferred over HTML."""
    plain: list[str] = []
    htmls: list[str] = []
    for part in _walk(msg):
        ctype = _content_type(part)
        if part.is_multipart() or ctype.startswith("message/"):
            continue
        if ctype == "text/plain" or ctype == "text/x-notification" or ctype.startswith("multipart/"):
            disp = _header(part, "Content-Disposition").lower()
            if "attachment" in disp and plain:
                continue
            plain.append(_part_text(part))
        elif ctype == "text/html":
            htmls.append(_part_text(part))
    if plain and any(t.strip() for t in plain):
        return plain
    return [_html_to_text(h) for h in htmls]


# ---------------------------------------------------------------------------------------------- classify


def classify_auto(msg: Message, sender: str | None, our_addresses: frozenset[str],
                  body: str | None = None) -> AutoVerdict | None:
    """Return why the mail is automatic, or None for a mail a person wrote.

    `body` is the mail's readable text when the caller has decoded it already (the phrase checks read it
    instead of decoding the parts again).
    """
    try:
        return _classify(msg, (sender or "").lower() or None, frozenset(a.lower() for a in our_addresses), body)
    except Exception:  # never let a broken mail stop the pipeline; err on "automatic" only with evidence
        return None


def _classify(msg: Message, sender: str | None, ours: frozenset[str], body: str | None) -> AutoVerdict | None:
    ctype = _content_type(msg)
    subject = " ".join(_decoded(_header(msg, "Subject")).split())
    auto_submitted = _header(msg, "Auto-Submitted")

    # 1. Standard reports: the content type says it all.
    if ctype == "multipart/report":
        rtype = _param(msg, "report-type")
        if rtype in ("delivery-status", "global-delivery-status"):
            return _dsn_verdict(msg, "multipart/report; report-type=" + rtype)
        if rtype == "feedback-report":
            return AutoVerdict("complaint", "multipart/report; report-type=feedback-report (ARF abuse report)")
        if rtype in ("disposition-notification", "global-disposition-notification"):
            return AutoVerdict("receipt", "multipart/report; report-type=disposition-notification (read receipt)")

    # 2. Our own mail coming back: a loop.
    if _is_ours(sender, ours):
        return AutoVerdict("loop", f"sent from our own address {sender}")
    for xloop in _headers(msg, "X-Loop"):
        for _, addr in _safe_addresses([xloop]):
            if _is_ours(addr, ours):
                return AutoVerdict("loop", f"X-Loop names our own address {addr.lower()}")

    # 3. Complaints that do not use multipart/report.
    if _header(msg, "X-Apple-Unsubscribe").strip().lower() == "true":
        return AutoVerdict("complaint", "X-Apple-Unsubscribe: true (Apple Mail unsubscribe request)")
    if _ARF_SUBJECT_RE.match(subject) and _has_part(msg, "message/rfc822", "X-HmXmrOriginalRecipient"):
        return AutoVerdict("complaint", "Microsoft JMRP complaint (X-HmXmrOriginalRecipient in the reported mail)")

    # 4. Delivery reports that are not standard DSNs.
    if _sender_local(sender) in _NOREPLY_LOCAL:
        ses = _ses_notification(msg)
        if ses:
            return ses
    bounce = _nonstandard_bounce(msg, sender, subject)
    if bounce:
        return bounce

    # 5.-8. Auto-reply, Exchange, Precedence and list headers; most mail carries none of them.
    if not header_index(msg).keys().isdisjoint(_AUTO_HEADER_NAMES):
        verdict = _header_verdict(msg, subject, auto_submitted, ours)
        if verdict:
            return verdict

    # 9. Out-of-office subject with no header evidence.
    if _OOF_PREFIX_RE.match(subject):
        return AutoVerdict("auto-reply", f"out-of-office subject {_show(subject)!r}")
    if _OOF_WORDS_RE.match(subject):
        evidence = _weak_auto_evidence(msg, body)
        if evidence:
            return AutoVerdict("auto-reply", f"out-of-office subject {_show(subject, 40)!r} and {evidence}")

    # 10. Any other X-Loop: the mail already went through an automatic responder or list manager.
    xloop = _header(msg, "X-Loop").strip()
    if xloop:
        return AutoVerdict("loop", f"X-Loop: {_show(xloop)}")
    # 11. A notification that says so in its text (1C:Документооборот, portals): no header, no report.
    return _generated_notification(msg, subject, body)


def _header_verdict(msg: Message, subject: str, auto_submitted: str, ours: frozenset[str]) -> AutoVerdict | None:
    """Steps 5-8 of _classify: what auto-reply, Exchange, Precedence and mailing-list headers say."""
    # 5. RFC 3834 and vendor auto-reply headers.
    if auto_submitted:
        word = _first_word(auto_submitted)
        if word and word != "no":
            shown = _show(auto_submitted)
            if word == "auto-replied":
                return AutoVerdict("auto-reply", f"Auto-Submitted: {shown}")
            if _oof_subject(subject):
                return AutoVerdict("auto-reply", f"Auto-Submitted: {shown} and an out-of-office subject")
            return AutoVerdict("bulk", f"Auto-Submitted: {shown} (machine-generated mail)")
    for name in ("X-Autoreply", "X-Autorespond", "X-AutoReply-From", "X-Mail-Autoreply", "X-Autoresponder"):
        value = _header(msg, name).strip()
        if value and value.lower() not in ("no", "false", "0"):
            return AutoVerdict("auto-reply", f"{name}: {_show(value)}")
    value = _header(msg, "X-POST-MessageClass")
    if "autoresponder" in value.lower():
        return AutoVerdict("auto-reply", f"X-POST-MessageClass: {_show(value)}")
    for value in _headers(msg, "Delivered-To"):
        if value.strip().lower() == "autoresponder":
            return AutoVerdict("auto-reply", "Delivered-To: Autoresponder")
    value = _header(msg, "X-Autogenerated").strip()
    if value:
        kind = "auto-reply" if value.lower() == "reply" else "bulk"
        return AutoVerdict(kind, f"X-Autogenerated: {_show(value)}")
    value = _header(msg, "X-FC-MachineGenerated").strip()
    if value.lower() == "true":
        return AutoVerdict("auto-reply" if _oof_subject(subject) else "bulk", "X-FC-MachineGenerated: true")
    if any(_header(msg, h) for h in ("X-Apple-Action", "X-Apple-Criteria")) and "vacation" in (
            _header(msg, "X-Apple-Action") + _header(msg, "X-Apple-Criteria")).lower():
        return AutoVerdict("auto-reply", "X-Apple-Action: VACATION (iCloud vacation reply)")

    # 6. Outlook/Exchange: X-Auto-Response-Suppress. Exchange also sets a subset of it (DR, OOF, AutoReply)
    # on ordinary mail expanded through a distribution group, so only "All" counts, and it means
    # "automatic" unless the message is an inbox-rule/OOF reply.
    suppress = _header(msg, "X-Auto-Response-Suppress")
    if suppress:
        tokens = {t.lower() for t in _SPLIT_TOKENS_RE.split(suppress) if t}
        if "all" in tokens:
            if _header(msg, "X-MS-Exchange-Inbox-Rules-Loop") or _oof_subject(subject):
                return AutoVerdict("auto-reply", "X-Auto-Response-Suppress: All on an Exchange out-of-office reply")
            return AutoVerdict("bulk", "X-Auto-Response-Suppress: All (the sender asks for no automatic answers)")

    # 7. Precedence.
    # A list or group alias that is itself our address (the desk fed by a Google Group or Mailman list)
    # marks every employee's mail with list headers and Precedence; those then say nothing.
    precedence = _first_word(_header(msg, "Precedence"))
    list_is_ours = _list_is_ours(msg, ours)
    if precedence in ("bulk", "junk") and not list_is_ours:
        if _oof_subject(subject):
            return AutoVerdict("auto-reply", f"Precedence: {precedence} and an out-of-office subject")
        return AutoVerdict("bulk", f"Precedence: {precedence}")
    if precedence in ("auto_reply", "auto-reply", "autoreply"):
        return AutoVerdict("auto-reply", f"Precedence: {precedence}")
    if precedence == "list" and not list_is_ours:
        return AutoVerdict("list", "Precedence: list")

    # 8. Mailing lists and bulk mailers.
    if not list_is_ours:
        for name in _LIST_HEADERS:
            value = _header(msg, name).strip()
            if value:
                return AutoVerdict("list", f"{name}: {_show(value, 80)}")
        if _header(msg, "List-Unsubscribe"):
            return AutoVerdict("bulk", "List-Unsubscribe without List-Id (newsletter or mass mailing)")
    return None


_LIST_HEADERS = ("List-Id", "List-Post", "List-Help", "List-Subscribe", "List-Owner", "List-Archive",
                 "Mailing-List", "X-Mailing-List", "X-ML-Name")
# Every header steps 5-8 of _classify read: a mail with none of them skips those steps.
_AUTO_HEADER_NAMES = frozenset(name.lower() for name in (
    "Auto-Submitted", "X-Autoreply", "X-Autorespond", "X-AutoReply-From", "X-Mail-Autoreply", "X-Autoresponder",
    "X-POST-MessageClass", "Delivered-To", "X-Autogenerated", "X-FC-MachineGenerated", "X-Apple-Action",
    "X-Apple-Criteria", "X-Auto-Response-Suppress", "Precedence", *_LIST_HEADERS, "List-Unsubscribe"))
_SES_TYPE_RE = re.compile(r'\\?"notificationType\\?"\s*:\s*\\?"(\w+)')
_SES_KINDS = {"bounce": "bounce", "complaint": "complaint", "delivery": "receipt"}


def _ses_notification(msg: Message) -> AutoVerdict | None:
    """Amazon SES bounce/complaint/delivery notifications forwarded by SNS as JSON mail."""
    for text in _report_texts(msg):
        m = _SES_TYPE_RE.search(text[:5000])
        if m and m.group(1).lower() in _SES_KINDS:
            return AutoVerdict(_SES_KINDS[m.group(1).lower()], f"Amazon SES notification: {m.group(1)}")
    return None


def _oof_subject(subject: str) -> bool:
    return bool(_OOF_PREFIX_RE.match(subject) or _OOF_WORDS_RE.match(subject))


# Not X-Auto-Response-Suppress: Exchange puts a subset of it on ordinary mail to distribution groups.
_WEAK_AUTO_HEADERS = ("X-MS-Exchange-Inbox-Rules-Loop", "X-MS-Exchange-Generated-Message-Source")


# What an out-of-office template says and a person asking for something does not: that mail is not being read.
# Confirms an out-of-office subject when no header does (an Outlook rule "reply using a template" sends none;
# ru_replies_authored 090).
_OOF_BODY_RE = re.compile(
    r"без доступа к (?:электронной )?почте|доступ к (?:электронной )?почте (?:будет )?ограничен|"
    r"не (?:смогу|буду) (?:читать|проверять) (?:электронную )?почту|"
    r"(?:with |have )?(?:limited|no) access to (?:my )?e-?mails?|without access to (?:my )?e-?mails?|"
    r"will (?:respond|reply|get back to you)(?: to your (?:e-?mail|message))? (?:upon|on|after) my return|"
    r"keinen zugriff auf (?:meine )?e-?mails|sans accès (?:à|a) (?:mes|ma) (?:e-?mails?|messagerie)",
    re.I)
# A notification that says of itself that a program wrote it (1C, portals): automatic though no header says so.
_GENERATED_BODY_RE = re.compile(
    r"(?:письмо|сообщение|уведомление) (?:было )?(?:сформировано|создано|отправлено|сгенерировано) автоматически|"
    r"this (?:e-?mail|message|notification) (?:was|is|has been) "
    r"(?:automatically (?:generated|sent)|(?:generated|sent) automatically)|"
    r"this is an automatically generated (?:e-?mail|message|notification)",
    re.I)


def _body_text(msg: Message, body: str | None) -> str:
    """The mail's own text (plain preferred), for phrases a template writes: the caller's, or decoded here."""
    if body is not None:
        return body
    texts = _report_texts(msg)
    return texts[0] if texts else ""


def _weak_auto_evidence(msg: Message, body: str | None = None) -> str:
    """Headers (or a template's sentence) that alone do not prove an automatic reply but confirm an
    out-of-office subject."""
    if _null_return_path(msg):
        return "a null Return-Path"
    for name in _WEAK_AUTO_HEADERS:
        if _header(msg, name):
            return name
    m = _OOF_BODY_RE.search(_body_text(msg, body)[:3000])
    if m:
        return f"the out-of-office sentence {_show(m.group(0), 40)!r}"
    return ""


def _generated_notification(msg: Message, subject: str, body: str | None) -> AutoVerdict | None:
    """A short notification, not a reply or forward, whose text says a program generated it."""
    if _REPLY_PREFIX_RE.match(subject):
        return None  # a person passing a notification on, with a question above it
    text = _body_text(msg, body)
    if not text or len(text) > 5000 or ("втоматически" not in text and "utomatically" not in text):
        return None  # the substring test spares most mail the regex
    m = _GENERATED_BODY_RE.search(text)
    if m is None:
        return None
    return AutoVerdict("bulk", f"the text says it was generated by a program: {_show(m.group(0), 60)!r}")


def _safe_addresses(values: Iterable[str]) -> list[tuple[str, str]]:
    try:
        return [(n, a) for n, a in getaddresses(list(values)) if a and "@" in a]
    except Exception:
        return [("", m) for v in values for m in _ADDR_RE.findall(v)]


def _list_is_ours(msg: Message, ours: frozenset[str]) -> bool:
    """True when the list headers name one of our own addresses (the desk itself is a group alias)."""
    if not ours:
        return False
    post = _header(msg, "List-Post")
    for addr in _ADDR_RE.findall(post):
        if _is_ours(addr.lower(), ours):
            return True
    list_id = _header(msg, "List-Id")
    m = re.search(r"<([^<>]+)>", list_id)
    ident = (m.group(1) if m else list_id).strip().lower()
    if ident:
        for addr in ours:
            local, _, domain = addr.partition("@")
            if ident == f"{local}.{domain}":
                return True
    return False


def _has_part(msg: Message, ctype: str, header: str | None = None) -> bool:
    for part in _walk(msg):
        if _content_type(part) != ctype:
            continue
        if header is None:
            return True
        try:
            payload = part.get_payload()
        except Exception:
            continue
        if isinstance(payload, list) and payload and isinstance(payload[0], Message) and payload[0].get(header):
            return True
    return False


def _dsn_verdict(msg: Message, what: str) -> AutoVerdict:
    """A DSN is a bounce (a delay warning too, with nothing failed yet); one that only reports
    successful delivery is a receipt."""
    actions = {a for a, _ in _dsn_records(msg)}
    if actions and actions <= {"delivered", "relayed", "expanded"}:
        return AutoVerdict("receipt", f"{what}, successful delivery notice")
    if actions and actions <= {"delayed"}:
        return AutoVerdict("bounce", f"{what}, delivery delayed (no recipient failed yet)")
    return AutoVerdict("bounce", what)


def _nonstandard_bounce(msg: Message, sender: str | None, subject: str) -> AutoVerdict | None:
    """Delivery reports from MTAs that do not send multipart/report."""
    failed = _header(msg, "X-Failed-Recipients").strip()
    if failed:
        return AutoVerdict("bounce", f"X-Failed-Recipients: {_show(failed, 80)}")
    # the decoded From is read only without a sender, or for a bounce subject: decoding it is not free
    from_header = "" if sender else _decoded(_header(msg, "From"))
    local = _sender_local(sender) if sender else from_header.strip().strip("<>").lower()
    mailer_daemon = local.replace("_", "-") in _MAILER_DAEMON_LOCAL
    # "MicrosoftExchange329e71…@": the Exchange system mailbox, which sends only reports
    daemon_sender = mailer_daemon or local in _DAEMON_LOCAL or local.startswith(
        ("mailer-daemon", "postmaster", "microsoftexchange"))
    bounce_subject = bool(_BOUNCE_SUBJECT_RE.match(subject))
    if daemon_sender and (bounce_subject or mailer_daemon or _has_dsn_part(msg)):
        kind = "delay notice" if _DELAY_SUBJECT_RE.search(subject) else "delivery report"
        return AutoVerdict("bounce", f"{kind} from {sender or _show(from_header)}")
    if not _REPLY_PREFIX_RE.match(subject) and _has_dsn_part(msg):  # not a person forwarding a bounce
        return AutoVerdict("bounce", "carries a message/delivery-status part")
    if bounce_subject and (_DAEMON_NAME_RE.search(from_header or _decoded(_header(msg, "From")))
                           or _null_return_path(msg)
                           or _body_says_bounce(msg, strict=True)):
        kind = "delay notice" if _DELAY_SUBJECT_RE.search(subject) else "delivery failure"
        return AutoVerdict("bounce", f"{kind}: subject {_show(subject)!r}")
    if (daemon_sender or local in _NOREPLY_LOCAL) and _body_says_bounce(msg):
        return AutoVerdict("bounce", f"delivery failure text from {sender or local}")
    if _null_return_path(msg) and _body_says_bounce(msg, strict=True):
        return AutoVerdict("bounce", "null Return-Path and delivery failure text")
    return None


def _null_return_path(msg: Message) -> bool:
    return any(v.strip() in ("<>", "") for v in _headers(msg, "Return-Path"))


def _has_dsn_part(msg: Message) -> bool:
    if not msg.is_multipart():
        return False
    return any(_content_type(p) in ("message/delivery-status", "message/global-delivery-status")
               for p in _walk(msg))


def _body_says_bounce(msg: Message, strict: bool = False) -> bool:
    """Delivery-agent wording near the top of the report; `strict` ignores failure words a person
    uses too (an employee writing about "undeliverable mail" is not a bounce)."""
    for text in _report_texts(msg)[:3]:
        top = text[:3000] if strict else text[:20_000]
        if _MTA_TEXT_RE.search(top) or (not strict and _BOUNCE_WORDS_RE.search(top)):
            return True
    return False


# ---------------------------------------------------------------------------------------------- DSN parsing

_DSN_FIELD_RE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$")


def _dsn_blocks_from_text(text: str) -> list[dict[str, str]]:
    """Split DSN-like text into blank-line separated field blocks (folded lines joined)."""
    blocks: list[dict[str, str]] = []
    cur: dict[str, str] = {}
    last = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if cur:
                blocks.append(cur)
                cur, last = {}, None
            continue
        if line[0] in " \t" and last:
            cur[last] += " " + line.strip()
            continue
        m = _DSN_FIELD_RE.match(line.strip())
        if m:
            last = m.group(1).lower()
            cur.setdefault(last, m.group(2).strip())
        else:
            last = None
    if cur:
        blocks.append(cur)
    return blocks


def _dsn_records(msg: Message) -> list[tuple[str, str]]:
    """(action, recipient) per recipient block of every delivery-status part, in order."""
    out: list[tuple[str, str]] = []
    for part in _walk(msg):
        if _content_type(part) not in ("message/delivery-status", "message/global-delivery-status"):
            continue
        blocks: list[dict[str, str]] = []
        try:
            payload = part.get_payload()
        except Exception:
            payload = None
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    try:
                        blocks.append({k.lower(): str(v) for k, v in sub.items()})
                    except Exception:
                        continue
                    # compat32 keeps text after a missing blank line as the block body
                    try:
                        body = sub.get_payload()
                    except Exception:
                        body = None
                    if isinstance(body, str) and body.strip():
                        blocks.extend(_dsn_blocks_from_text(body))
        else:
            blocks = _dsn_blocks_from_text(_part_text(part))
        out.extend(_records_from_blocks(blocks))
    return out


_FAILED_ACTIONS = frozenset({"", "failed", "failure", "fail", "expired", "bounced", "rejected", "undeliverable"})


def _records_from_blocks(blocks: list[dict[str, str]]) -> list[tuple[str, str]]:
    out = []
    for b in blocks:
        addr = ""
        # the original recipient is the address the mail was sent to (and the one a ticket knows); the final
        # one may be where an alias or forward led
        for key in ("original-recipient", "final-recipient", "x-actual-recipient"):
            value = b.get(key, "")
            if ";" in value:
                value = value.split(";", 1)[1]
            m = _ADDR_RE.search(value)
            if m:
                addr = m.group(0)
                break
        if not addr:
            continue
        action = _first_word(b.get("action", ""))
        out.append((action, addr.strip(".").lower()))
    return out


# ---------------------------------------------------------------------------------------------- recipients

_ALWAYS_SKIP_LOCAL = frozenset({"mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon"})


def bounced_recipients(msg: Message) -> list[str]:
    """Failed recipients of a delivery report, lower-cased, de-duplicated, in order."""
    try:
        return _bounced(msg)
    except Exception:
        return []


def _bounced(msg: Message) -> list[str]:
    if not _is_delivery_report(msg):
        return []
    exclude = _excluded_addresses(msg)
    found: dict[str, None] = {}

    def add(addr: str) -> None:
        addr = addr.strip().strip("<>.").lower()
        if "@" not in addr or addr in exclude or addr.split("@", 1)[0] in _ALWAYS_SKIP_LOCAL:
            return
        found.setdefault(addr, None)

    records = _dsn_records(msg)
    for action, addr in records:
        if action in _FAILED_ACTIONS:
            add(addr)
    for value in _headers(msg, "X-Failed-Recipients"):
        for addr in _ADDR_RE.findall(value):
            add(addr)
    if records or found:
        return list(found)
    texts = _report_texts(msg)
    for addr in _json_recipients(texts):
        add(addr)
    if found:
        return list(found)
    if any(_DELAY_TEXT_RE.search(t[:5000]) for t in texts) or _DELAY_SUBJECT_RE.search(
            _decoded(_header(msg, "Subject"))):
        return []  # a warning: nothing has failed yet
    # The report goes to the sender of the mail that bounced (us): loose mentions of that address are not
    # failures, though a listed failure may be (someone wrote to themselves).
    to_us = {a.lower() for _, a in _safe_addresses(_headers(msg, "To"))}
    strong: list[str] = []
    weak: list[str] = []
    for text in texts:
        s, w = _text_recipients(text, exclude)
        strong.extend(s)
        weak.extend(a for a in w if a not in to_us)
    for addr in strong or weak:
        add(addr)
    if not found:
        originals = _original_recipients(msg, texts)
        if len(originals) == 1:  # a one-recipient mail came back: that recipient failed
            add(originals[0])
    return list(found)


def _is_delivery_report(msg: Message) -> bool:
    """Whether the mail is a bounce at all: prose is only mined for addresses in a delivery report."""
    if _content_type(msg) == "multipart/report" and _param(msg, "report-type") in (
            "delivery-status", "global-delivery-status"):
        return True
    senders = _safe_addresses(_headers(msg, "From"))
    sender = senders[0][1].lower() if senders else None
    if _sender_local(sender) in _NOREPLY_LOCAL:
        ses = _ses_notification(msg)
        if ses:
            return ses.kind == "bounce"
    subject = " ".join(_decoded(_header(msg, "Subject")).split())
    return _nonstandard_bounce(msg, sender, subject) is not None


def _excluded_addresses(msg: Message) -> set[str]:
    """Addresses that are never a failed recipient: the report's own sender and its postmaster."""
    out: set[str] = set()
    for name in ("From", "Sender", "Return-Path", "Reply-To"):
        for _, addr in _safe_addresses(_headers(msg, name)):
            addr = addr.lower()
            out.add(addr)
            domain = addr.rsplit("@", 1)[1]
            out.update(f"{local}@{domain}" for local in ("postmaster", "mailer-daemon", "abuse", "root"))
    return out


_ORIGINAL_START_RE = re.compile(
    r"^[ \t|*=>_-]*(?:"
    r"original message|(?:this is )?a copy of (?:the|your) message|(?:the )?(?:original )?message headers? follow|"
    r"(?:the )?headers? of the original|below (?:this line )?is a copy|"
    r"returned message|unsent message (?:below|follows)|message text follows|original mail as follows|"
    r"(?:the )?original message (?:was|is) (?:attached|included|below)|forwarded message|"
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
    r"(?:wasn't|was not|couldn't be|not) delivered to[\s:<]*$|your message to[\s<]*$|"
    r"(?:message (?:you sent )?to|sent to)[\s<]*$|получател\w*[\s:<]*$|адресат\w*[\s:<]*$|"
    r"^\s*[^\W\d_][\w .'-]{0,60}\($",  # "John Smith (john@…)": Exchange's list of failed recipients
    re.I)
# A line of the notice's help text: an address there is whom to ask, never a failed recipient.
_HELP_LINE_RE = re.compile(
    r"contact|help ?desk|administrator|support|questions|for (?:help|assistance)|please (?:write|e-?mail)|"
    r"обращайтесь|пишите|по вопросам|свяжитесь|администратор|поддержк|служб\w* (?:поддержки|помощи)",
    re.I)
_DELAY_TEXT_RE = re.compile(
    r"this is (?:a|only a) warning|warning message only|only a temporary failure|temporary failure report|"
    r"still (?:being retried|undelivered)|will (?:keep trying|continue to try|retry)|has been delayed|"
    r"do not need to re-?send|delivery incomplete|временн(?:ая|ый) (?:ошибка|сбой)|задержка доставки|"
    r"доставка (?:письма |сообщения )?задерж",
    re.I)
_ORIG_TO_LINE_RE = re.compile(r"^[ \t]*(?:to|cc)[ \t]*:(.*)$", re.I | re.M)
_MSGID_CONTEXT_RE = re.compile(r"message-id|msgid|\bid\b", re.I)


def _text_recipients(text: str, exclude: set[str]) -> tuple[list[str], list[str]]:
    """Failed addresses written in the prose of a non-standard bounce: (at the start of a line or after
    RCPT TO, which MTAs use to list failures; anywhere else in the explanation)."""
    text = text[:60_000]
    cut = _ORIGINAL_START_RE.search(text)
    head = text[: cut.start()] if cut else text
    # Some reports carry the DSN fields inline in their text part.
    records = _records_from_blocks(_dsn_blocks_from_text(head)) or _records_from_blocks(_dsn_blocks_from_text(text))
    if records:
        return [a for action, a in records if action in _FAILED_ACTIONS], []
    # The envelope sender named in an SMTP transcript is never a failed recipient; a From header of the
    # quoted original only rules out loose mentions (a person may have written to themselves).
    envelope = {a.lower() for a in _SENDER_INLINE_RE.findall(text)}
    senders = envelope | {m.group(0).lower() for line in _SENDER_LINE_RE.findall(text)
                          if (m := _ADDR_RE.search(line))}
    strong: list[str] = []
    weak: list[str] = []
    for line in head.splitlines():
        if "@" not in line or _SKIP_LINE_RE.match(line):
            continue
        line = line[:2000]
        for m in _ADDR_RE.finditer(line):
            addr = m.group(0).strip(".").lower()
            before = line[: m.start()]
            if "." not in addr.rsplit("@", 1)[1] or addr in exclude or "/" in before[-1:] or "=" in before[-1:]:
                continue
            if _STRONG_BEFORE_RE.search(before):
                if addr not in envelope:
                    strong.append(addr)
                continue
            if addr in senders or _FROM_BEFORE_RE.search(before) or _HELP_LINE_RE.search(line):
                continue
            if _MSGID_CONTEXT_RE.search(line[max(0, m.start() - 20): m.start()]):
                continue
            weak.append(addr)
    return strong, weak


def _returned_headers(msg: Message) -> list[Message]:
    """The header blocks of the returned original: an attached message, or its headers alone."""
    found: list[Message] = []
    for part in _walk(msg):
        ctype = _content_type(part)
        if ctype in ("message/rfc822", "message/global") and part is not msg:
            try:
                payload = part.get_payload()
            except Exception:
                continue
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                found.append(payload[0])
        elif ctype in ("text/rfc822-headers", "message/rfc822-headers", "text/rfc822-header"):
            try:
                found.append(HeaderParser().parsestr(_part_text(part), headersonly=True))
            except Exception:
                continue
    return found


def _original_recipients(msg: Message, texts: list[str]) -> list[str]:
    """To/Cc addresses of the returned original (attached, or its headers quoted after the report)."""
    header_sets = _returned_headers(msg)
    out: dict[str, None] = {}
    for h in header_sets:
        for _, addr in _safe_addresses(_headers(h, "To") + _headers(h, "Cc")):
            out.setdefault(addr.lower(), None)
    if not header_sets:
        for text in texts:
            cut = _ORIGINAL_START_RE.search(text[:60_000])
            if not cut:
                continue
            for m in _ORIG_TO_LINE_RE.finditer(text[cut.start(): cut.start() + 20_000]):
                for addr in _ADDR_RE.findall(m.group(1)):
                    out.setdefault(addr.lower(), None)
    return list(out)


_SES_BOUNCED_RE = re.compile(r'"bouncedRecipients"\s*:\s*\[(.*?)\]', re.S)
_SES_EMAIL_RE = re.compile(r'"emailAddress"\s*:\s*"([^"]+)"')


def _json_recipients(texts: list[str]) -> list[str]:
    """Amazon SES bounce notifications mailed as JSON (SNS email subscriptions); read with a regex
    because the JSON often arrives re-wrapped and no longer parses."""
    out: list[str] = []
    for text in texts:
        if "bouncedRecipients" not in text:
            continue
        for block in _SES_BOUNCED_RE.findall(text[:100_000].replace('\\"', '"')):
            out.extend(_SES_EMAIL_RE.findall(block))
    return out


# ---------------------------------------------------------------------------------------------- original ids


def original_message_ids(msg: Message) -> list[str]:
    """Message-IDs of the original mail carried in a bounce, without angle brackets, in order."""
    try:
        return _original_ids(msg)
    except Exception:
        return []


_ORIG_ID_FIELD_RE = re.compile(r"^(?:x-)?original-message-id\s*:\s*(\S+)", re.I | re.M)


def _original_ids(msg: Message) -> list[str]:
    own = _header(msg, "Message-ID").strip().strip("<>")
    found: dict[str, None] = {}

    def add(value: str) -> None:
        m = re.search(r"<([^<>\s]+)>", value)
        ident = (m.group(1) if m else value).strip().strip("<>")
        if ident and ident != own and "@" in ident:
            found.setdefault(ident, None)

    for headers in _returned_headers(msg):
        add(_header(headers, "Message-ID"))
    for part in _walk(msg):
        if _content_type(part) in ("message/delivery-status", "message/global-delivery-status",
                                   "message/disposition-notification", "message/global-disposition-notification"):
            for m in _ORIG_ID_FIELD_RE.finditer(_part_text(part)):
                add(m.group(1))
    if not found:
        for text in _report_texts(msg):
            for m in _MSGID_LINE_RE.finditer(text):
                add(m.group(1))
    return list(found)
