"""Log lines for a person (text) or a collector (JSON, one object a line), each naming the mail or ticket it is about.

A line gets its fields from `extra=fields(...)` on the call, or from `about(...)` around a stretch of work in
one thread: the pipeline sets it per mail, so every line written while a mail is processed names that mail,
even from code that knows nothing of it. The text format shows the fields as a suffix,
`… [inbound=12 message_id=a@b ticket=SD-42]`; JSON has them as keys beside time, level, logger and message.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType, TracebackType
from typing import Any

from postdesk.daemon.aftercommit import held, later
from postdesk.parsers.headers import CONTROL

FORMATS = ("text", "json")
FORMAT_ENV = "POSTDESK_LOG_FORMAT"  # exported by `postdesk run`: the worker process it starts logs alike
ATTR = "postdesk"  # the LogRecord attribute that holds a line's fields
ORDER = ("inbound", "message_id", "ticket", "outbox", "mailbox")  # shown first, in this order
CORE = ("time", "level", "logger", "message", "pid", "exception")
NOISY = ("mail.log", "aiohttp.access", "sqlalchemy", "apscheduler", "alembic")

_JSON_UNESCAPED = re.compile("[\x7f-\x9f\u2028\u2029]")  # json.dumps escapes C0 only; readers split on these too
_NONE: Mapping[str, Any] = MappingProxyType({})
_current: ContextVar[Mapping[str, Any]] = ContextVar("postdesk_log_fields", default=_NONE)
_prefix = "SD"


def fields(**values: Any) -> dict[str, Any]:
    """`log.info("…", extra=fields(inbound=3, message_id="a@b", ticket="SD-42"))`; None values are left out."""
    return {ATTR: {k: v for k, v in values.items() if v is not None}}


def mail_fields(inbound: int | None, message_id: str | None, ticket: str | None = None) -> dict[str, Any]:
    """The fields of a line about one stored mail (for ingress code: SMTP, IMAP, the page)."""
    return fields(inbound=inbound, message_id=message_id, ticket=ticket)


@contextmanager
def about(**values: Any) -> Iterator[None]:
    """Every line logged in this thread (or task) inside the block carries these fields too."""
    token = _current.set({**_current.get(), **{k: v for k, v in values.items() if v is not None}})
    try:
        yield
    finally:
        _current.reset(token)


def use_ticket_prefix(prefix: str) -> None:
    """The prefix `ticket_ref` uses; set from the config by whoever builds the pipeline in a process."""
    global _prefix
    _prefix = prefix


def ticket_ref(ticket_id: int | None) -> str | None:
    """`SD-42` for log fields, where only the number is at hand (an outbox row)."""
    return f"{_prefix}-{ticket_id}" if ticket_id is not None else None


class FieldsFilter(logging.Filter):
    """On the handler, so lines of every logger get the fields of the work in hand."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _current.get()
        own = getattr(record, ATTR, None)
        if current or own:
            setattr(record, ATTR, {**current, **(own or {})})
        return True


def _ordered(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [(k, values[k]) for k in ORDER if k in values] + [(k, v) for k, v in values.items() if k not in ORDER]


def _escaped(match: re.Match[str]) -> str:
    c = match.group()
    return {"\n": "\\n", "\r": "\\r"}.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape_controls(text: str) -> str:
    """Controls written as `\\r`, `\\n`, `\\x1b`, `\\u2028`: a value from a mail (a name, a subject, an error
    about it) can never start a log line of its own or move the terminal's cursor."""
    return CONTROL.sub(_escaped, text)


class TextFormatter(logging.Formatter):
    """The classic line, with the fields as a `[key=value …]` suffix on its first line.

    Whatever a message or field holds, the record is one line; a traceback follows on lines of its own,
    each indented, so that no text from a mail can pass for a line of the log.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
        self._second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The time to the second, formatted once a second: a busy daemon writes hundreds of lines in one."""
        second = int(record.created)
        if second != self._second[0]:
            self._second = (second, super().formatTime(record, datefmt))
        return self._second[1]

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        values = getattr(record, ATTR, None)
        if not values:
            return escape_controls(line)
        shown = " ".join(f"{k}={json.dumps(v, ensure_ascii=False) if _needs_quotes(v) else v}"
                         for k, v in _ordered(values))
        return escape_controls(f"{line} [{shown}]")

    def format(self, record: logging.LogRecord) -> str:
        first, newline, rest = super().format(record).partition("\n")
        if not newline:
            return first
        return first + "\n" + "\n".join(escape_controls(x if x[:1].isspace() else "  " + x) for x in rest.split("\n"))


_QUOTED = re.compile(r'[\s\[\]"=]')  # \s is str.isspace's whitespace; one C scan instead of a loop per character


def _needs_quotes(value: Any) -> bool:
    text = str(value)
    return not text or _QUOTED.search(text) is not None


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, pid, the fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(), "pid": record.process}
        for key, value in _ordered(getattr(record, ATTR, None) or {}):
            if key not in CORE:
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exception"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        line = json.dumps(out, ensure_ascii=False, default=str)
        return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


class Handler(logging.StreamHandler):
    """Writes a line at once, or, inside the pipeline's hold on a transaction (daemon/aftercommit.py), once
    that transaction is done: the lines of an attempt that was undone and done again are never written."""

    def handle(self, record: logging.LogRecord) -> bool:
        if not held():
            return bool(super().handle(record))
        if self.filter(record):  # now, so the line gets the fields of the mail in hand
            later(lambda: self._write(record))
        return True

    def _write(self, record: logging.LogRecord) -> None:
        self.acquire()
        try:
            self.emit(record)
        finally:
            self.release()


def configure(verbose: bool, log_format: str | None = None) -> str:
    """Log to stderr in the given format (else $POSTDESK_LOG_FORMAT, else text); returns the format used."""
    chosen = log_format or os.environ.get(FORMAT_ENV) or "text"
    if chosen not in FORMATS:
        chosen = "text"
    os.environ[FORMAT_ENV] = chosen
    handler = Handler()
    handler.addFilter(FieldsFilter())
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler], force=True)
    # neither format shows the source line, the thread or the process name: a record need not look them up
    # (the logging HOWTO's "Optimization"); ~7 µs of each of the three or four lines a mail writes
    logging._srcfile = None
    logging.logThreads = False
    logging.logMultiprocessing = False
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    if chosen == "json":  # a traceback printed raw would be the one line a collector cannot parse
        sys.excepthook = _log_uncaught
        threading.excepthook = lambda a: _log_uncaught(a.exc_type, a.exc_value, a.exc_traceback,  # type: ignore[arg-type]
                                                       a.thread.name if a.thread else None)
    return chosen


def _log_uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None,
                  thread: str | None = None) -> None:
    where = f" in thread {thread}" if thread else ""
    logging.getLogger("postdesk").critical("uncaught %s%s", kind.__name__, where, exc_info=(kind, value, tb))
