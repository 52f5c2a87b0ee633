"""A leaf that is not body text becomes an Attachment: a name for every part (invented when it gives none),
its type, size, hash, and the files inside a winmail.dat.

Split from mime.py, which decides which leaves are the body.
"""

from __future__ import annotations

import hashlib
import re
from email.message import Message

from postdesk.parsers.compat32 import content_type as _content_type
from postdesk.parsers.filenames import clean_name
from postdesk.parsers.headers import decode_header_value, unfold
from postdesk.parsers.model import Attachment
from postdesk.parsers.partdata import payload
from postdesk.parsers.tnef import unpack_tnef

TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# File names for parts that name none, so that every attachment can be saved; reported as unnamed in JSON.
_STEMS = {"message/delivery-status": "delivery-status", "text/rfc822-headers": "headers",
          "message/disposition-notification": "disposition-notification", "message/feedback-report": "feedback-report"}
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/bmp": ".bmp",
               "image/tiff": ".tif", "image/webp": ".webp", "application/pdf": ".pdf", "text/html": ".html",
               "text/calendar": ".ics", "application/zip": ".zip", "text/csv": ".csv", "application/json": ".json",
               "application/xml": ".xml", "text/xml": ".xml", "application/pgp-signature": ".asc"}
_TYPES_BY_EXTENSION = {ext: ctype for ctype, ext in reversed(_EXTENSIONS.items())} | {
    ".jpeg": "image/jpeg", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".eml": "message/rfc822"}



def is_media(ctype: str) -> bool:
    return ctype.startswith(("image/", "audio/", "video/"))


def _message_name(part: Message, defects: list[str]) -> str:
    """<subject>.eml for an embedded message that names no file."""
    inner = part.get_payload(0) if part.is_multipart() else None
    subject = ""
    if isinstance(inner, Message):
        raw = inner.get("subject")
        if isinstance(raw, str):
            subject = decode_header_value(raw, defects)
    subject = _FILENAME_UNSAFE.sub(" ", subject).strip()[:120] or "message"
    return subject + ".eml"


def _invented_name(part: Message, ctype: str, defects: list[str]) -> str:
    """A name for a part that has none: its Content-Description, or a word for its type, plus an extension."""
    raw = part.get("content-description")
    stem = decode_header_value(raw, defects) if isinstance(raw, str) else ""
    stem = _FILENAME_UNSAFE.sub(" ", stem).strip()[:80]
    if not stem:
        stem = _STEMS.get(ctype) or ctype.split("/", 1)[0].replace("application", "attachment") or "attachment"
    ext = _EXTENSIONS.get(ctype) or (".txt" if ctype.startswith(("text/", "message/")) else ".bin")
    return stem if stem.lower().endswith(ext) else stem + ext


def _content_id(part: Message) -> str | None:
    raw = part.get("content-id")
    if not isinstance(raw, str):
        return None
    cid = unfold(raw).strip().strip("<>").strip()
    return cid or None


def make_attachment(part: Message, name: str, defects: list[str], html: str) -> Attachment:
    ctype = _content_type(part)
    data = payload(part, defects)
    given = bool(name)
    if not name:
        name = _message_name(part, defects) if ctype == "message/rfc822" else _invented_name(part, ctype, defects)
    cid = _content_id(part)
    inline = part.get_content_disposition() == "inline" or bool(
        cid and is_media(ctype) and html and ("cid:" + cid) in html)
    return Attachment(filename=name, content_type=ctype, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                      data=data, inline=inline, content_id=cid, name_given=given)


def _type_by_name(name: str) -> str:
    """A content type from a file name's extension, for files that come without one (winmail.dat)."""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    return _TYPES_BY_EXTENSION.get(ext, "text/plain" if ext == ".txt" else "application/octet-stream")


def tnef_files(part: Message, defects: list[str]) -> tuple[list[Attachment], str, str] | None:
    content = unpack_tnef(payload(part, defects))
    if content is None:
        defects.append("tnef: unreadable winmail.dat kept as is")
        return None
    files = [
        Attachment(filename=clean_name(name), content_type=_type_by_name(name), size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), data=data, name_given=bool(name))
        for name, data in content.files
    ]
    return files, content.text, content.html
