"""What the daemon logs, as a collector (`--log-format json`) and a person (text) read it: every line about a
mail names it, every line about a ticket names the ticket, in the front and in the worker process alike."""

from __future__ import annotations

import json
import re

from support import Center, mail


def test_json_log_lines_parse_and_name_the_mail_and_ticket(center: Center) -> None:
    center.start("--log-format", "json")
    center.send(mail("Не работает VPN", "С утра не работает VPN, ошибка 809.", message_id="<vpn-json@corp.example>"))
    center.send(b"To: service@corp.example\r\nSubject: no from\r\nMessage-ID: <nofrom@x>\r\n\r\nbody\r\n", sender="")
    (ack,) = center.wait_outgoing(1)
    ack_id = ack["Message-ID"].strip("<>")
    assert center.stop() == 0

    lines = [json.loads(line) for line in center.log.read_text().splitlines()]  # every line, or this fails
    assert all({"time", "level", "logger", "message", "pid"} <= set(line) for line in lines)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"]) for line in lines)
    about_vpn = [line for line in lines if line.get("message_id") == "vpn-json@corp.example"]
    (stored,) = [line for line in about_vpn if line["logger"] == "postdesk.smtp"]
    inbound = stored["inbound"]
    assert isinstance(inbound, int) and f"inbound {inbound}" in stored["message"]
    (processed,) = [line for line in about_vpn if line["logger"] == "postdesk.pipeline"]
    assert processed["inbound"] == inbound and processed["ticket"] == "SD-1"
    assert "new ticket SD-1 in it" in processed["message"]
    (sent,) = [line for line in lines if line.get("message_id") == ack_id]
    assert sent["logger"] == "postdesk.outbox" and sent["ticket"] == "SD-1" and isinstance(sent["outbox"], int)
    assert processed["pid"] == sent["pid"] != stored["pid"]  # the worker process logs JSON too
    (quarantined,) = [line for line in lines if line.get("message_id") == "nofrom@x"
                      and line["logger"] == "postdesk.pipeline"]
    assert quarantined["level"] == "WARNING" and isinstance(quarantined["inbound"], int)
    assert "quarantined at classify" in quarantined["message"] and "ticket" not in quarantined


def test_text_log_lines_carry_the_same_fields_as_a_suffix(running: Center) -> None:
    running.send(mail("Не работает VPN", "С утра не работает VPN, ошибка 809.", message_id="<vpn-text@corp.example>"))
    running.wait_outgoing(1)
    assert running.stop() == 0
    text = running.log.read_text()
    assert not text.lstrip().startswith("{")
    stored = re.search(r"postdesk\.smtp: stored mail from petr@corp\.example for service@corp\.example as "
                       r"inbound (\d+) \[inbound=(\d+) message_id=vpn-text@corp\.example\]$", text, re.M)
    assert stored and stored.group(1) == stored.group(2)
    assert re.search(rf"postdesk\.pipeline: inbound {stored.group(1)} <vpn-text@corp\.example>: new ticket SD-1 "
                     rf"in it \[inbound={stored.group(1)} message_id=vpn-text@corp\.example ticket=SD-1\]$", text, re.M)
    assert re.search(r"postdesk\.outbox: outbox \d+ <[^>]+> sent to petr@corp\.example in \d+ ms "
                     r"\[message_id=\S+ ticket=SD-1 outbox=\d+\]$", text, re.M)
