"""A new request from the portal, filed as the mail it stands for.

Step one takes the service, subject, description and the service's declared fields; step two ("before
you send") shows up to three knowledge-base articles for what was typed and takes the attachments; the
send composes an RFC 5322 message from the signed-in employee with the standard library's email package
and stores it in the inbound table like any ingress does, so routing, rules, acknowledgment and
notifications are exactly those of mail. Uploads are read in chunks and refused past the limits.
"""

from __future__ import annotations

import logging
import mimetypes
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import BadHttpMessage

from postdesk.daemon.config import Config
from postdesk.daemon.logs import mail_fields
from postdesk.daemon.web.metrics import count_received
from postdesk.daemon.web.portal.base import Portal
from postdesk.daemon.web.portal.catalog import Service, check_answers, clean_value, labelled_block
from postdesk.daemon.web.portal.words import human_size
from postdesk.parsers.filenames import safe_filename
from postdesk.storage.inbound import Arrival, Delivery, store_arrivals
from postdesk.storage.options import InboundOptions, WebAction
from postdesk.templates.i18n import words

log = logging.getLogger("postdesk.portal")

MAX_SUBJECT = 200
MAX_DESCRIPTION = 20_000
MAX_FILES = 10
MAX_TEXT_PART = 64_000  # a text field of the form; anything longer is not from our form
MAX_PARTS = 200  # our form has a dozen fields and MAX_FILES files; each part costs the event loop ~0.2 ms
BODY_SLACK = 64_000  # boundaries and part headers on top of the limit of what the parts hold


HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "Content-Language", "X-Postdesk-Source", "MIME-Version",
           "Content-Type", "Content-Transfer-Encoding")


class TooLarge(Exception):
    pass


class BadForm(Exception):
    """A body no browser sends for our form (a broken multipart, a header the composed mail must not have)."""


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Draft:
    """What the employee typed, cleaned; the same whether it came from step one or step two."""

    queue: str
    service: Service | None
    subject: str
    description: str
    values: dict[str, str]
    problems: dict[str, str]

    def body(self) -> str:
        text = self.description.strip()
        return f"{text}\n\n{labelled_block(self.service, self.values)}\n" if self.service else f"{text}\n"


def read_draft(config: Config, form: dict[str, str]) -> Draft | None:
    """None when the form names no known service or queue (not from our page)."""
    service = config.portal.service(form.get("service", "")) if form.get("service") else None
    if form.get("service") and service is None:
        return None
    queue = service.queue if service else form.get("queue", "")
    if config.routing.queue(queue) is None:
        return None
    subject = clean_value(form.get("subject", ""))[:MAX_SUBJECT]
    description = form.get("description", "").replace("\r\n", "\n").replace("\r", "\n")[:MAX_DESCRIPTION]
    description = "".join(c for c in description if c in "\n\t" or c.isprintable())
    values, problems = check_answers(service, {k[2:]: v for k, v in form.items() if k.startswith("f_")}) \
        if service else ({}, {})
    if not subject:
        problems = {**problems, "subject": "required"}
    if not description.strip():
        problems = {**problems, "description": "required"}
    return Draft(queue, service, subject, description, values, problems)


def compose_request(config: Config, address: str, lang: str, draft: Draft, files: list[Upload],
                    now: datetime) -> tuple[bytes, str]:
    """The employee's request as a mail to the queue's address (else the service address)."""
    queue = config.routing.queue(draft.queue)
    to = queue.addresses[0] if queue and queue.addresses else config.service.address
    domain = config.service.address.partition("@")[2] or "localhost"
    message_id = f"portal.{secrets.token_hex(10)}@{domain}"
    m = EmailMessage()
    m["From"] = address
    m["To"] = to
    # the email package decodes any `=?utf-8?b?…?=` in a value it is given and writes what it decoded, line
    # breaks included: typed text never reads as an encoded word
    m["Subject"] = draft.subject.replace("=?", "= ?")
    m["Date"] = format_datetime(now)
    m["Message-ID"] = f"<{message_id}>"
    m["Content-Language"] = lang
    m["X-Postdesk-Source"] = "portal"
    m.set_content(draft.body())
    for f in files:
        maintype, _, subtype = f.content_type.partition("/")
        m.add_attachment(f.data, maintype=maintype, subtype=subtype, filename=f.filename)
    raw = m.as_bytes(policy=SMTP)
    written = message_from_bytes(raw, policy=default)
    names = written.keys()
    unprintable = any(not str(v).isprintable() for v in written.values())
    if len(names) != len(set(names)) or not set(names) <= set(HEADERS) or unprintable:
        raise BadForm(f"the composed mail's header block is not ours: {names!r}")
    return raw, message_id


def _type_of(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return guessed if guessed.count("/") == 1 and guessed != "text/html" else "application/octet-stream"


async def read_multipart(request: web.Request, per_file: int, total: int) -> tuple[dict[str, str], list[Upload]]:
    """The form's text fields and files; TooLarge as soon as a file or the whole passes its limit.

    What the parts hold is not all a body costs: 20,000 empty parts held the event loop (and with it the SMTP
    ingress) for seconds while counting as nothing. So the whole body must declare its length, within the
    limit and a slack for boundaries and headers, and the parts are counted."""
    form: dict[str, str] = {}
    files: list[Upload] = []
    used = 0
    if request.content_length is None or request.content_length > total + BODY_SLACK:
        raise TooLarge
    try:
        reader = await request.multipart()
        parts = 0
        while (part := await reader.next()) is not None:
            parts += 1
            if parts > MAX_PARTS:
                raise TooLarge
            used = await _read_part(part, form, files, used, per_file, total)
    except (ValueError, BadHttpMessage) as exc:  # a broken body: aiohttp says so with these
        raise BadForm(str(exc)) from exc
    return form, files


async def _read_part(part: Any, form: dict[str, str], files: list[Upload], used: int, per_file: int,
                     total: int) -> int:
    """One part of the form into `form` or `files`; the bytes read so far."""
    if not isinstance(part, BodyPartReader):
        return used  # a nested multipart is not from our form
    data = bytearray()
    limit = per_file if part.filename is not None else MAX_TEXT_PART
    while chunk := await part.read_chunk(64 * 1024):
        data += chunk
        used += len(chunk)
        if len(data) > limit or used > total:
            raise TooLarge
    if part.filename is not None:
        if part.filename or data:  # an empty file input sends a nameless empty part
            name = safe_filename(part.filename)
            files.append(Upload(name, _type_of(name), bytes(data)))
        if len(files) > MAX_FILES:
            raise TooLarge
    elif part.name:
        form[part.name] = data.decode("utf-8", "replace")
    return used


def catalog(config: Config) -> list[tuple[Any, list[Service]]]:
    """Each queue with the catalog's services in it: the first step's list."""
    return [(q, [s for s in config.portal.services if s.queue == q.name]) for q in config.routing.queues]


class NewRequest:
    """The handlers of /new: the form, "before you send", the send."""

    def __init__(self, p: Portal):
        self.p = p

    async def form_page(self, request: web.Request, draft: Draft | None, status: int = 200,
                        service: Service | None = None, queue: str = "") -> web.Response:
        p = self.p
        config = p.get_config()
        if draft is not None:
            service, queue = draft.service, draft.queue
        return await p.page(request, "new.html", status=status, catalog=catalog(config), service=service,
                            queue=queue, draft=draft, queues=config.routing.queues,
                            show_form=bool(service or queue or draft))

    async def new(self, request: web.Request) -> web.Response:
        p = self.p
        if not await p.address(request):
            p.to_login()
        config = p.get_config()
        service = config.portal.service(request.query.get("service", ""))
        queue = request.query.get("queue", "")
        if config.routing.queue(queue) is None:
            queue = ""
        return await self.form_page(request, None, service=service, queue=service.queue if service else queue)

    async def check(self, request: web.Request) -> web.Response:
        """Step one posted: the form again with the problems, or "before you send" with the articles."""
        p = self.p
        address = await p.address(request)
        if not address or not request.content_type.startswith("multipart/"):
            return await p.refuse(request)
        try:  # multipart, not urlencoded: 20,000 Cyrillic letters percent-encoded would be 120 kB
            form, _ = await read_multipart(request, 0, MAX_DESCRIPTION * 4 + 64_000)
        except (TooLarge, BadForm):
            return await p.refuse(request)
        if not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        lang = p.lang(request)
        draft = read_draft(p.get_config(), form)
        if draft is None:
            return await p.not_found(request)
        if draft.problems:
            return await self.form_page(request, draft, status=400)
        index = p.knowledge.index() if p.knowledge else None
        hits = await p.off(lambda: index.search(f"{draft.subject}\n\n{draft.description}", lang=lang,
                                                queue=draft.queue, limit=3)) if index else []
        config = p.get_config()
        hidden = {"service": draft.service.name if draft.service else "", "queue": draft.queue,
                  "subject": draft.subject, "description": draft.description,
                  **{f"f_{k}": v for k, v in draft.values.items()}}
        queue = config.routing.queue(draft.queue)
        return await p.page(request, "review.html", draft=draft, hits=[h.article for h in hits], hidden=hidden,
                            queue_title=queue.title_in(lang) if queue else draft.queue,
                            per_file=human_size(config.portal.max_file_size, lang),
                            total=human_size(config.smtp_in.max_message_size, lang))

    async def send(self, request: web.Request) -> web.Response:
        p = self.p
        address = await p.address(request)
        if not address or not request.content_type.startswith("multipart/"):
            return await p.refuse(request)
        config = p.get_config()
        lang = p.lang(request)
        total = config.smtp_in.max_message_size
        try:
            form, files = await read_multipart(request, config.portal.max_file_size, total)
        except TooLarge:
            return await self.too_large(request)
        except BadForm:
            return await self.bad_form(request)
        if not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        draft = read_draft(config, form)
        if draft is None:
            return await p.not_found(request)
        if draft.problems:
            return await self.form_page(request, draft, status=400)
        now = datetime.now(UTC)
        try:
            raw, message_id = compose_request(config, address, lang, draft, files, now)
        except BadForm as exc:
            log.warning("portal: refused to file a request: %s", exc)
            return await self.bad_form(request)
        if len(raw) > total:
            return await self.too_large(request)
        arrival = Arrival(raw, "web", (Delivery("web", draft.queue, ()),), address, message_id,
                          options=InboundOptions(web=WebAction.REQUEST))
        ((inbound_id,),) = await p.off(store_arrivals, p.db, [arrival])
        count_received("web", "web")
        log.info("stored a request from the portal as inbound %s", inbound_id,
                 extra=mail_fields(inbound_id, message_id))
        p.wake()
        raise web.HTTPSeeOther("/new/sent")

    async def sent(self, request: web.Request) -> web.Response:
        p = self.p
        if not await p.address(request):
            p.to_login()
        _ = words(p.lang(request))
        return await p.notice(request, _("Your request is sent"),
                              _("An acknowledgment with its number arrives by mail within seconds; the request shows "
                                "under My requests."), links=(("/my", _("To my requests")),))

    async def too_large(self, request: web.Request) -> web.Response:
        config, lang = self.p.get_config(), self.p.lang(request)
        _ = words(lang)
        return await self.p.notice(request, _("The file is too large"), _(
            "A file is over %(size)s or the whole mail over %(total)s. Nothing was sent.") % {
            "size": human_size(config.portal.max_file_size, lang),
            "total": human_size(config.smtp_in.max_message_size, lang)}, 413)

    async def bad_form(self, request: web.Request) -> web.Response:
        _ = words(self.p.lang(request))
        return await self.p.notice(request, _("The form was not accepted"),
                                   _("The form is stale or did not come from this page. Nothing was changed."), 400)


def add_routes(app: web.Application, p: Portal) -> None:
    pages = NewRequest(p)
    app.router.add_get("/new", pages.new)
    app.router.add_post("/new", pages.check)
    app.router.add_post("/new/send", pages.send)
    app.router.add_get("/new/sent", pages.sent)
