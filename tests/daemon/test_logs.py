"""The two log formats on real logging records: what a collector parses and what a person reads."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest

from postdesk.daemon.logs import FieldsFilter, JsonFormatter, TextFormatter, about, fields


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO, logging.StreamHandler[io.StringIO]]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(FieldsFilter())
    log = logging.getLogger("postdesk.test-logs")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    yield log, out, handler
    log.removeHandler(handler)


def test_json_keeps_a_traceback_and_odd_text_on_one_line(captured: tuple) -> None:  # type: ignore[type-arg]
    log, out, handler = captured
    handler.setFormatter(JsonFormatter())
    try:
        raise ValueError("broken\nheader")
    except ValueError:
        log.exception("inbound %s: «%s»", 7, "Тема\n2", extra=fields(inbound=7, message_id="a@b", level="x"))
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert record["message"] == "inbound 7: «Тема\n2»" and record["level"] == "ERROR"  # a field cannot replace it
    assert record["inbound"] == 7 and record["message_id"] == "a@b"
    assert "Traceback" in record["exception"] and "ValueError: broken" in record["exception"]


def test_text_suffix_orders_and_quotes_the_fields(captured: tuple) -> None:  # type: ignore[type-arg]
    log, out, handler = captured
    handler.setFormatter(TextFormatter())
    with about(inbound=3, message_id="m@x"):
        log.info("first", extra=fields(ticket="SD-4", note="two words"))
    log.info("second")
    first, second = out.getvalue().splitlines()
    assert first.endswith('first [inbound=3 message_id=m@x ticket=SD-4 note="two words"]')
    assert second.endswith("postdesk.test-logs: second")


def test_about_is_per_thread_and_nests(captured: tuple) -> None:  # type: ignore[type-arg]
    log, out, handler = captured
    handler.setFormatter(JsonFormatter())
    with about(inbound=1):
        thread = threading.Thread(target=lambda: log.info("other thread"))
        thread.start()
        thread.join()
        with about(ticket="SD-9"):
            log.info("nested")
        log.info("outer")
    other, nested, outer = (json.loads(line) for line in out.getvalue().splitlines())
    assert "inbound" not in other
    assert (nested["inbound"], nested["ticket"]) == (1, "SD-9")
    assert outer["inbound"] == 1 and "ticket" not in outer


FORGED = ("petr@corp.example\r\n2026-12-07 10:00:00 INFO    postdesk.pipeline: inbound 9: agent root@corp.example"
          "\u2028x\x85y\x1b[2J")


def test_text_never_lets_a_value_start_a_line(captured: tuple) -> None:  # type: ignore[type-arg]
    log, out, handler = captured
    handler.setFormatter(TextFormatter())
    try:
        raise ValueError(f"bad name {FORGED}")
    except ValueError:
        log.exception("possible spoof: From: %s", FORGED, extra=fields(ticket=FORGED))
    first, *rest = out.getvalue().splitlines()
    assert "From: petr@corp.example\\r\\n2026-12-07 10:00:00 INFO" in first and "\\u2028x\\x85y\\x1b[2J" in first
    assert rest and all(line[:1].isspace() for line in rest)  # the traceback: indented, so never a record of its own
    assert any(line.startswith("  2026-12-07 10:00:00 INFO") for line in rest)  # the exception's own break
    assert "\x1b" not in out.getvalue()


def test_json_escapes_the_separators_json_leaves_alone(captured: tuple) -> None:  # type: ignore[type-arg]
    log, out, handler = captured
    handler.setFormatter(JsonFormatter())
    log.warning("From: %s", FORGED, extra=fields(name=FORGED))
    (line,) = out.getvalue().splitlines()  # splitlines breaks at \u2028 and \x85 too
    record = json.loads(line)
    assert record["message"] == f"From: {FORGED}" and record["name"] == FORGED
