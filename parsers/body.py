"""Which parts of a mail are its body (RFC 8621's rules), their text, the attachments, and where the reply
text ends.

Split from mime.py, which reads the headers and puts the InboundMail together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from postdesk.parsers import html_quotes, quotes
from postdesk.parsers.attachments import TNEF_TYPES, is_media, make_attachment, tnef_files
from postdesk.parsers.compat32 import MAX_NESTING
from postdesk.parsers.compat32 import content_type as _content_type
from postdesk.parsers.filenames import part_filename
from postdesk.parsers.html_text import html_to_text
from postdesk.parsers.lookalikes import with_marked_answers
from postdesk.parsers.model import Attachment, ReplyCut
from postdesk.parsers.partdata import charset_of, enclosing_charsets, mailer_charset, part_text, raw_payload

_BODY_TYPES = frozenset({"text/plain", "text/html"})
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.M)  # from a run's first blank only: linear, not quadratic
_MIME_DEBRIS = re.compile(r"^(--\S|content-type:)", re.I | re.M)


class _Body:
    """The JMAP (RFC 8621 section 4.1.4) split of a message into text body, HTML body and other leaves."""

    def __init__(self) -> None:
        self.leaves: list[Message] = []
        self.names: dict[int, str] = {}
        self.as_text: set[int] = set()
        self.hint: Callable[[], str | None] | None = None  # the mailer's charset, for raw 8-bit file names

    def content_type(self, part: Message) -> str:
        """The part's type; text/plain for a multipart without parts whose content is plain text."""
        return "text/plain" if id(part) in self.as_text else _content_type(part)

    def walk(self, parts: list[Message], mtype: str, in_alt: bool,
             text: list[Message] | None, html: list[Message] | None, defects: list[str], depth: int = 0) -> None:
        text_len = len(text) if text is not None else -1
        html_len = len(html) if html is not None else -1
        for i, part in enumerate(parts):
            if not isinstance(part, Message):
                continue
            ctype = _content_type(part)
            subparts = raw_payload(part)
            if ctype.startswith("multipart/") and isinstance(subparts, list) and subparts:
                if depth > MAX_NESTING:
                    defects.append("mime: nesting too deep")
                    continue
                sub = ctype.split("/", 1)[1]
                self.walk(subparts, sub, in_alt or sub == "alternative", text, html, defects, depth + 1)
                continue
            if ctype.startswith("multipart/"):  # no usable boundary
                defects.append("mime: multipart without parts")
                payload = raw_payload(part)
                if not isinstance(payload, str) or not payload.strip():
                    continue
                if not _MIME_DEBRIS.search(payload):  # plain text under a wrong header: read it as text
                    self.as_text.add(id(part))
                    ctype = "text/plain"
            self.leaves.append(part)
            name = part_filename(part, defects, self.hint)
            self.names[id(part)] = name
            media = is_media(ctype)
            inline = (part.get_content_disposition() != "attachment"
                      and (ctype in _BODY_TYPES or media)
                      and (i == 0 or (mtype != "related" and (media or not name))))
            if not inline:
                continue
            if mtype == "alternative":
                if ctype == "text/plain" and text is not None:
                    text.append(part)
                elif ctype == "text/html" and html is not None:
                    html.append(part)
                continue
            if in_alt:
                if ctype == "text/plain":
                    html = None
                elif ctype == "text/html":
                    text = None
            if text is not None:
                text.append(part)
            if html is not None:
                html.append(part)
        if mtype == "alternative" and text is not None and html is not None:
            if len(text) == text_len and len(html) != html_len:
                text.extend(html[html_len:])
            if len(html) == html_len and len(text) != text_len:
                html.extend(text[text_len:])


_STUB_MAX = 400  # characters: "This message is in HTML format. To view it, use a program that shows HTML."
_HTML_WORD = re.compile(r"\bHTML\b", re.I)
_WS = re.compile(r"\s+")


def _html_stub(plain: str, html: str) -> bool:
    """True when the plain alternative is only the client's note that the mail is in HTML («Это сообщение в
    формате HTML…», "To view this message, use an HTML-capable reader"): short, naming HTML, and not said
    by the HTML part, whose text is then the reply text (tests/mail `ru_html_only_text_stub_sd409`)."""
    # "html" in the lowered text first: \b tests every position; h, t, m, l fold alike for str.lower() and re.I
    if len(plain) > _STUB_MAX or "html" not in plain.lower() or not _HTML_WORD.search(plain):
        return False
    shown = _WS.sub(" ", html_to_text(html)).strip()
    return len(shown) > len(plain) // 2 and _WS.sub(" ", plain).strip()[:60] not in shown


def _lossy_plain(plain: str, html: str) -> bool:
    """True when the plain alternative lost the writer's letters: a converter that could not write them in its
    charset put `?` for each (a us-ascii plain part beside a windows-1251 HTML one, 1C and some gateways send
    such pairs), so a fifth of its non-blank characters or more are `?` where the HTML part has letters
    beyond ASCII. The HTML is what the writer wrote (tests/mail `ru_1c_plain_question_marks_html_real_sd702`)."""
    marks = plain.count("?")  # (a count in C first: nearly every plain part has a few question marks at most)
    if marks < 8 or marks * 5 < len(plain) - plain.count(" ") - plain.count("\n"):
        return False
    shown = html_to_text(html)
    return sum(1 for c in shown if ord(c) > 127 and c.isalpha()) >= marks // 2


def _plain_or_html(full_text: str, html: str | None, one_plain: bool) -> tuple[str, bool]:
    """The readable text and whether the reply text must come from the HTML part instead of the one plain part.
    A plain alternative that only says the mail is in HTML: the reply comes from the HTML (full_text stays the
    plain part, the JMAP text body, as Stalwart's rfc/006 "the fallback if … does not support HTML" wants); one
    whose letters became `?`: both come from the HTML, the plain part's marks are no one's words."""
    if html is None or not one_plain:
        return full_text, False
    if _html_stub(full_text, html):
        return full_text, True
    if _lossy_plain(full_text, html):
        return _clean_text(html_to_text(html)), True
    return full_text, False


def _clean_text(text: str) -> str:
    return _TRAILING_SPACE.sub("", text).strip("\n").rstrip()


@dataclass(frozen=True, slots=True)
class Content:
    """What the body walk yields: readable text, HTML, the new content, and the attachments."""

    full_text: str
    html: str | None
    text: str
    attachments: tuple[Attachment, ...]
    cut: ReplyCut | None = None


def read_content(msg: Message, defects: list[str], writer: str = "", reply: bool = True) -> Content:
    """Choose the body parts (plain preferred), convert HTML, strip quotes, and collect the attachments."""
    body = _Body()
    body.hint = lambda: mailer_charset(msg)
    text_parts: list[Message] = []
    html_parts: list[Message] = []
    body.walk([msg], "mixed", False, text_parts, html_parts, defects)
    texts = [p for p in text_parts if body.content_type(p) in _BODY_TYPES]
    htmls = [p for p in html_parts if _content_type(p) == "text/html"]
    decoded: dict[int, str] = {}
    enclosing: list[dict[int, str]] = []  # computed once, only when a body part names no charset

    def text_of(part: Message) -> str:
        if id(part) not in decoded:
            charset = charset_of(part)
            if charset is None and part is not msg:
                if not enclosing:
                    enclosing.append(enclosing_charsets(msg))
                charset = enclosing[0].get(id(part))
            decoded[id(part)] = part_text(part, defects, charset)
        return decoded[id(part)]

    html = "\n".join(text_of(p) for p in htmls) if htmls else None
    full_text = _clean_text("\n".join(
        html_to_text(text_of(p)) if _content_type(p) == "text/html" else text_of(p) for p in texts))
    if not full_text and html:  # an empty text/plain alternative next to a real HTML one
        full_text = _clean_text(html_to_text(html))
    full_text, stub = _plain_or_html(full_text, html, len(texts) == 1 and body.content_type(texts[0]) == "text/plain")

    in_body = {id(p) for p in texts} | {id(p) for p in htmls}
    attachments: list[Attachment] = []
    for part in body.leaves:
        if id(part) in in_body:
            continue
        name = body.names.get(id(part), "")
        if _content_type(part) in TNEF_TYPES or name.lower() == "winmail.dat":
            unpacked = tnef_files(part, defects)
            if unpacked is not None:
                files, tnef_text, tnef_html = unpacked
                attachments.extend(files)
                if not full_text and (tnef_text.strip() or tnef_html.strip()):
                    full_text = _clean_text(tnef_text if tnef_text.strip() else html_to_text(tnef_html))
                    if tnef_html.strip() and html is None:
                        html = tnef_html
                continue
        attachments.append(make_attachment(part, name, defects, html or ""))

    html_cut = False
    if html is not None and (stub or not any(body.content_type(p) == "text/plain" and text_of(p).strip()
                                             for p in texts)):
        unquoted = html_quotes.strip_html_quotes(html)  # HTML-only: cut quoted blocks while their markup is there
        html_cut = unquoted != html
        text, why = quotes.explain_reply(html_to_text(unquoted) if html_cut or stub else full_text, writer, reply)
        text = with_marked_answers(text, html_to_text(html), writer) if html_cut and "[" in text else text
    else:
        text, why = quotes.explain_reply(full_text, writer, reply) if full_text else ("", None)
    return Content(full_text=full_text, html=html, text=text, attachments=tuple(attachments),
                    cut=_reply_cut(full_text, text, why, html_cut))


def _reply_cut(full_text: str, text: str, why: quotes.Cut | None, html_cut: bool) -> ReplyCut | None:
    """The cut as `parse --json` shows it: rule, and the 1-based line of full_text where the cut starts."""
    if why is None and not html_cut:
        return None
    if why is not None:
        at = full_text.find(why.line) if why.line else -1
        number = full_text.count("\n", 0, at) + 1 if at >= 0 else 0
        return ReplyCut(rule=why.rule, line=number, text=why.line)
    lines = full_text.split("\n")
    # cut in the HTML (a quote block, Outlook's reply header): the first line of full_text after the reply
    last = text.rstrip().rsplit("\n", 1)[-1].strip() if text.strip() else ""
    at = next((i for i, ln in enumerate(lines) if last and ln.strip() == last), -1)
    after = next((i for i in range(at + 1, len(lines)) if lines[i].strip()), -1) if at >= 0 else -1
    return ReplyCut(rule="html-quote", line=after + 1, text=lines[after].strip()[:200] if after >= 0 else "")
