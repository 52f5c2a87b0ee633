"""Recognize automatic mail (RFC 3834 and common practice) so it never gets an answer.

Cheap header checks run first; the MIME tree and the body are only read when the
headers already hint at a delivery report or an automatic reply. Nothing here raises
on broken input: a header or a part that cannot be read counts as absent (autoread.py).
The phrases the rules look for are in autophrases.py; who failed in a bounce, in bounces.py.
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autoabout import names_us_as_sender
from postdesk.parsers.autoheaders import SUPPRESS_ALL, _header_verdict
from postdesk.parsers.autolist import posted_by_a_person
from postdesk.parsers.autonotice import a_topic_not_a_reply, notice_verdict
from postdesk.parsers.autophrases import (
    _ARF_SUBJECT_RE,
    _AUTO_HEADER_NAMES,
    _BOUNCE_SUBJECT_RE,
    _BOUNCE_WORDS_RE,
    _DAEMON_LOCAL,
    _DAEMON_NAME_RE,
    _DELAY_SUBJECT_RE,
    _GENERATED_BODY_RE,
    _LIST_HEADERS,
    _MAILER_DAEMON_LOCAL,
    _MTA_TEXT_RE,
    _NOREPLY_LOCAL,
    _OOF_BODY_RE,
    _OOF_PREFIX_RE,
    _OOF_WORDS_RE,
    _REPLY_PREFIX_RE,
    _SES_KINDS,
    _SES_TYPE_RE,
    _WEAK_AUTO_HEADERS,
)
from postdesk.parsers.autoread import (
    _content_type,
    _decoded,
    _has_dsn_part,
    _has_part,
    _header,
    _headers,
    _is_ours,
    _lowered,
    _null_return_path,
    _own_domains,
    _param,
    _report_texts,
    _safe_addresses,
    _sender_local,
    _show,
)
from postdesk.parsers.autoreport import program_report
from postdesk.parsers.autoreturned import body_text as _body_text
from postdesk.parsers.autoreturned import returned_by_a_system as _returned_by_a_system
from postdesk.parsers.autoreturned import returns_a_mail as _returns_a_mail
from postdesk.parsers.autorobot import robot_notice, suppressed_reply_is_a_letter
from postdesk.parsers.autoshape import (
    answered_elsewhere,
    asks,
    failure_listing,
    first_unquoted,
    names_a_department,
    names_a_person,
    relayed_request,
    requests_action,
    said_of_the_past,
    signed_as,
    states_failure,
    wrapped_report,
    written_by_a_person,
)
from postdesk.parsers.autostamp import stamped_letter
from postdesk.parsers.compat32 import header_index
from postdesk.parsers.dsn import _dsn_records
from postdesk.parsers.model import AutoVerdict

__all__ = ["classify_auto"]


def classify_auto(msg: Message, sender: str | None, our_addresses: frozenset[str],
                  body: str | None = None) -> AutoVerdict | None:
    """Return why the mail is automatic, or None for a mail a person wrote.

    `body` is the mail's readable text when the caller has decoded it already (the phrase checks read it
    instead of decoding the parts again).
    """
    try:
        return _classify(msg, (sender or "").lower() or None, _lowered(our_addresses), body)
    except Exception:  # never let a broken mail stop the pipeline; err on "automatic" only with evidence
        return None


def _classify(msg: Message, sender: str | None, ours: frozenset[str], body: str | None) -> AutoVerdict | None:
    ctype = _content_type(msg)
    subject = " ".join(_decoded(_header(msg, "Subject")).split())
    auto_submitted = _header(msg, "Auto-Submitted")

    # 1. Standard reports: the content type says it all.
    report = _report_verdict(msg, ctype)
    if report:
        return report

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
    colleague = _colleague(sender, ours)
    bounce = _nonstandard_bounce(msg, sender, subject, body, colleague)
    if bounce:
        return bounce

    # 5.-8. Auto-reply, Exchange, Precedence and list headers; most mail carries none of them.
    if not header_index(msg).keys().isdisjoint(_AUTO_HEADER_NAMES) and (
            verdict := _headers_say(msg, subject, auto_submitted, ours, sender, body, colleague)):
        return verdict

    # 9. Out-of-office subject with no header evidence.
    if oof := _oof_subject_verdict(msg, subject, body):
        return oof

    # 10. Any other X-Loop: the mail already went through an automatic responder or list manager.
    xloop = _header(msg, "X-Loop").strip()
    if xloop and not stamped_letter(msg, _body_text(msg, body)):  # (a person's own forwarding filter writes one too)
        return AutoVerdict("loop", f"X-Loop: {_show(xloop)}")
    # 10b. Receipts, calendar answers, other helpdesks' acknowledgments, challenges: subject and text agree.
    if notice := notice_verdict(msg, subject, _body_text(msg, body), sender, colleague):
        return notice
    # 11. A notification that says so in its text (1C:Документооборот, portals), a program's records (autoreport).
    return _generated_notification(msg, subject, body) or program_report(msg, subject, text := _body_text(msg, body)) \
        or robot_notice(msg, sender, subject, text)  # a robot's mailbox saying so, a rule's forward (autorobot)


def _headers_say(msg: Message, subject: str, auto_submitted: str, ours: frozenset[str], sender: str | None,
                 body: str | None, colleague: bool) -> AutoVerdict | None:
    """Steps 5-8: the automatic-mail headers' verdict, and when they only say "machine-generated" (bulk), what
    the content says it is, or that a person's request stands behind the mark."""
    verdict = _header_verdict(msg, subject, auto_submitted, ours, colleague)
    if verdict and verdict.kind == "bulk":  # "machine-generated" says automatic, not which kind; the
        # content may say it (a calendar's auto-accept, a read receipt, another desk's acknowledgment)
        verdict = notice_verdict(msg, subject, _body_text(msg, body), sender, colleague) or verdict
        if verdict.kind == "bulk" and answered_elsewhere(msg) and not _mass_mail(msg):
            verdict = None  # a web form's mail on a visitor's behalf (Reply-To the visitor): their request
        elif verdict.reason == SUPPRESS_ALL and suppressed_reply_is_a_letter(msg, _body_text(msg, body), ours,
                                                                              colleague):
            verdict = None  # a colleague's question, a partner agent's answer to us, under a one stamp (autorobot)
    elif verdict and verdict.kind == "list" and posted_by_a_person(msg, _body_text(msg, body)):
        verdict = None  # a member's own request through a discussion list or a distribution group
    if verdict and verdict.kind in ("bulk", "list", "auto-reply") and stamped_letter(msg, _body_text(msg, body)):
        verdict = None  # a person's letter under a gateway's, a relay's or a mail merge's stamp (autostamp)
    return verdict


def _mass_mail(msg: Message) -> bool:
    """Whether the mail carries a list's or a mass mailer's headers (List-Unsubscribe, List-Id, …)."""
    return any(_header(msg, name) for name in ("List-Unsubscribe", *_LIST_HEADERS))


def _oof_subject_verdict(msg: Message, subject: str, body: str | None) -> AutoVerdict | None:
    """Step 9: an out-of-office subject with no header evidence; a fixed prefix is enough unless a person asks
    something, weak words need the template's sentence too."""
    if _OOF_PREFIX_RE.match(subject):
        text = _body_text(msg, body)
        # "Auto-reply: how do I turn it off?", "Out of office: please set it up for me", a topic answering no mail:
        # a person's; "Автоответ: [SD-12] …" answers the desk's own mail, whatever its template says
        if _TICKET_TAG_RE.search(subject) or not (asks(text) or requests_action(text) or (
                a_topic_not_a_reply(msg, text) and stamped_letter(msg, text))):
            return AutoVerdict("auto-reply", f"out-of-office subject {_show(subject)!r}")
    elif _OOF_WORDS_RE.match(subject):
        evidence = _weak_auto_evidence(msg, body)
        if evidence:
            return AutoVerdict("auto-reply", f"out-of-office subject {_show(subject, 40)!r} and {evidence}")
    return None


def _report_verdict(msg: Message, ctype: str) -> AutoVerdict | None:
    """Step 1 of _classify: a multipart/report, or one a forward with no text of its own carries."""
    if ctype == "multipart/mixed":
        inner = wrapped_report(msg)
        if inner is not None:
            return _dsn_verdict(inner, "a forward with no text of its own carrying a delivery report")
    if ctype != "multipart/report":
        return None
    rtype = _param(msg, "report-type")
    if rtype in ("delivery-status", "global-delivery-status"):
        return _dsn_verdict(msg, "multipart/report; report-type=" + rtype)
    if rtype == "feedback-report":
        return AutoVerdict("complaint", "multipart/report; report-type=feedback-report (ARF abuse report)")
    if rtype in ("disposition-notification", "global-disposition-notification"):
        return AutoVerdict("receipt", "multipart/report; report-type=disposition-notification (read receipt)")
    return None


def _ses_notification(msg: Message) -> AutoVerdict | None:
    """Amazon SES bounce/complaint/delivery notifications forwarded by SNS as JSON mail."""
    for text in _report_texts(msg):
        m = _SES_TYPE_RE.search(text[:5000])
        if m and m.group(1).lower() in _SES_KINDS:
            return AutoVerdict(_SES_KINDS[m.group(1).lower()], f"Amazon SES notification: {m.group(1)}")
    return None


# A bracketed ticket tag ("[SD-12]") after an auto-reply prefix: the subject of a mail a helpdesk sent.
_TICKET_TAG_RE = re.compile(r"\[[A-Za-zА-Яа-я]{1,10}-\d+\]")


def _weak_auto_evidence(msg: Message, body: str | None = None) -> str:
    """Headers (or a template's sentence) that alone do not prove an automatic reply but confirm an
    out-of-office subject."""
    if _null_return_path(msg):
        return "a null Return-Path"
    for name in _WEAK_AUTO_HEADERS:
        if _header(msg, name):
            return name
    text = " ".join(_body_text(msg, body)[:3000].split())  # a wrapped line must not hide the sentence
    if asks(text) or requests_action(text):
        return ""  # "How do I set an automatic reply? I will have no access to email": a person asking
    for m in _OOF_BODY_RE.finditer(text):
        if not said_of_the_past(text, m.start()):  # "was without access to e-mail": a person back at work
            return f"the out-of-office sentence {_show(m.group(0), 40)!r}"
    return ""


def _generated_notification(msg: Message, subject: str, body: str | None) -> AutoVerdict | None:
    """A short notification, not a reply or forward, whose text says a program generated it."""
    if _REPLY_PREFIX_RE.match(subject):
        return None  # a person passing a notification on, with a question above it
    text = _body_text(msg, body)
    if not text or len(text) > 5000 or ("втоматически" not in text and "utomatically" not in text):
        return None  # the substring test spares most mail the regex
    m = first_unquoted(_GENERATED_BODY_RE, text)  # a person citing a notice («Это письмо сформировано …»)
    if m is None or relayed_request(msg, text, m.start()) or stamped_letter(msg, text):  # "Приходит письмо с
        return None  # текстом: … Как быть?"; a 1C form's «Прошу …»; a web form's visitor; a pasted notice signed
    return AutoVerdict("bulk", f"the text says it was generated by a program: {_show(m.group(0), 60)!r}")


def _colleague(sender: str | None, ours: frozenset[str]) -> bool:
    """Whether the sender is a person's mailbox in one of the desk's own domains (not a daemon or a no-reply
    robot): the employees a shared service centre serves."""
    if not sender or "@" not in sender:
        return False
    local, domain = sender.rsplit("@", 1)
    if local in _NOREPLY_LOCAL or local in _DAEMON_LOCAL or local.startswith("mailer-daemon"):
        return False
    return domain in _own_domains(ours)


def _dsn_verdict(msg: Message, what: str) -> AutoVerdict:
    """A DSN is a bounce (a delay warning too, with nothing failed yet); one that only reports
    successful delivery is a receipt."""
    actions = {a for a, _ in _dsn_records(msg)}
    if actions and actions <= {"delivered", "relayed", "expanded"}:
        return AutoVerdict("receipt", f"{what}, successful delivery notice")
    if actions and actions <= {"delayed"}:
        return AutoVerdict("bounce", f"{what}, delivery delayed (no recipient failed yet)")
    return AutoVerdict("bounce", what)


def _nonstandard_bounce(msg: Message, sender: str | None, subject: str,
                        body: str | None = None, colleague: bool = False) -> AutoVerdict | None:
    """Delivery reports from MTAs that do not send multipart/report; `colleague`: the sender is a person's
    mailbox of the desk's own domain, whose notice-shaped text is a pasted one."""
    failed = _header(msg, "X-Failed-Recipients").strip()
    if failed:
        return AutoVerdict("bounce", f"X-Failed-Recipients: {_show(failed, 80)}")
    # the decoded From is read only without a sender, or for a bounce subject: decoding it is not free
    from_header = "" if sender else _decoded(_header(msg, "From"))
    local = _sender_local(sender) if sender else from_header.strip().strip("<>").lower()
    mailer_daemon = local.replace("_", "-") in _MAILER_DAEMON_LOCAL
    # "MicrosoftExchange329e71…@" sends only reports; a colleague's "postmaster-team@" is people
    daemon_sender = mailer_daemon or local in _DAEMON_LOCAL or local.startswith(
        ("mailer-daemon", "microsoftexchange") + (() if colleague else ("postmaster",)))
    bounce_subject = bool(_BOUNCE_SUBJECT_RE.match(subject) or _DELAY_SUBJECT_RE.match(subject))
    if daemon_sender and (bounce_subject or mailer_daemon or _has_dsn_part(msg)):
        kind = "delay notice" if _DELAY_SUBJECT_RE.search(subject) else "delivery report"
        return AutoVerdict("bounce", f"{kind} from {sender or _show(from_header)}")
    if returned := _returned_by_a_system(msg, body, daemon_sender, local):
        return AutoVerdict("bounce", f"{returned} {sender or _show(from_header)}")
    if not _REPLY_PREFIX_RE.match(subject) and _has_dsn_part(msg):  # not a person forwarding a bounce
        return AutoVerdict("bounce", "carries a message/delivery-status part")
    # a daemon's name ("Mail Delivery System") or an MTA's words, but not on a colleague's own mailbox (pasted)
    if bounce_subject and (_null_return_path(msg) or (not colleague and (_body_says_bounce(msg, strict=True) or (
            _DAEMON_NAME_RE.search(from_header or _decoded(_header(msg, "From"))))))):
        kind = "delay notice" if _DELAY_SUBJECT_RE.search(subject) else "delivery failure"
        return AutoVerdict("bounce", f"{kind}: subject {_show(subject)!r}")
    # postmaster@ of a small company is a person too: mail with a real envelope sender (a report has a null one)
    # in which someone asks or signs is their letter about a bounce, not one
    # a gateway's own wording stated in its opening sentence beside the address counts from such a mailbox too
    if (daemon_sender or local in _NOREPLY_LOCAL) and (_body_says_bounce(msg) or (
            states_failure(_body_text(msg, body)) and not _REPLY_PREFIX_RE.match(subject)
            and not local.startswith("postmaster"))) and (
            mailer_daemon or _null_return_path(msg) or not written_by_a_person(_body_text(msg, body))):
        return AutoVerdict("bounce", f"delivery failure text from {sender or local}")
    # a null Return-Path marks a system's notice (RFC 5321 4.5.5); an MTA's phrase, or any failure words its
    # opening sentence states beside an address (a gateway's own wording), make it a failure notice
    if _null_return_path(msg) and (_body_says_bounce(msg, strict=True) or states_failure(_body_text(msg, body))):
        return AutoVerdict("bounce", "null Return-Path and delivery failure text")
    if colleague:  # a notice from one of the desk's own colleagues' mailboxes is one they pasted
        return None
    # (a person who pastes or forwards such a notice writes under their own name; gateways sign as products)
    if not _REPLY_PREFIX_RE.match(subject) and not _persons_name(msg) and (field := names_us_as_sender(
            _body_text(msg, body), {a.lower() for _, a in _safe_addresses(_headers(msg, "To"))})):
        return AutoVerdict("bounce", f"a gateway's notice naming us as the stopped mail's sender: {_show(field)!r}")
    # a gateway's own wording, known only by its shape; under "Re: <original subject>" (a gateway answering
    # as the recipient) only as the text's opening, where a person replying would write their own words
    text = _body_text(msg, body)
    heading = failure_listing(text, opening=bool(_REPLY_PREFIX_RE.match(subject)))
    # a listing its sender signs with their own name, first and last, is a person's letter ("Письмо не
    # доставлено:\nx@y\n\nПроверьте, пожалуйста.\n\nОльга Петрова" from Ольга Петрова); and the shape alone
    # ("Login misslyckades för:\nx@y") is one a person writes too: a machine's mark must stand beside it
    froms = _safe_addresses(_headers(msg, "From"))
    if heading and not any(signed_as(text, _decoded(name)) for name, _ in froms) and (
            daemon_sender or local in _NOREPLY_LOCAL or bounce_subject or _REPLY_PREFIX_RE.match(subject)
            or (_machine_marked(msg, text, froms) and not (_persons_name(msg) and requests_action(text)))):
        return AutoVerdict("bounce", f"a failure heading over a recipient's address: {_show(heading)!r}")
    return None


# what only a machine's notice carries: an enhanced status code (RFC 3463) or an SMTP reply line
_STATUS_CODE_RE = re.compile(r"(?<![\d.])[45]\.[0-7]\.\d{1,3}(?![\d.])|^[ \t>]*[45][0-5]\d[ -]\S", re.M)
_SYSTEM_LOCAL_RE = re.compile(r"mail|relay|smtp|notif|robot|bot\b|system|daemon|gw\b", re.I)


def _persons_name(msg: Message) -> bool:
    """Whether From's display name is a person's, first and last ("Tom Hardy"): gateways sign as products."""
    return any(names_a_person(" ".join(_decoded(name).split()).strip("\"' "))
               for name, _ in _safe_addresses(_headers(msg, "From")))


def _machine_marked(msg: Message, text: str, froms: list[tuple[str, str]]) -> bool:
    """Whether a failure listing comes from software: a null Return-Path, the returned mail or its header
    attached, a mail system's or department's From, a status code. A person's "Login failed for:" has none."""
    return (_null_return_path(msg) or _returns_a_mail(msg)
            or any(names_a_department(_decoded(name)) or names_a_department(address.partition("@")[0])
                   or _SYSTEM_LOCAL_RE.search(address.partition("@")[0]) for name, address in froms)
            or _STATUS_CODE_RE.search(text[:3000]) is not None)


def _body_says_bounce(msg: Message, strict: bool = False) -> bool:
    """Delivery-agent wording near the top of the report; `strict` ignores failure words a person
    uses too (an employee writing about "undeliverable mail" is not a bounce)."""
    for text in _report_texts(msg)[:3]:
        top = text[:3000] if strict else text[:20_000]
        if first_unquoted(_MTA_TEXT_RE, top, own_words=strict) or (not strict and _BOUNCE_WORDS_RE.search(top)):
            return True
    return False
