"""The README's Postfix set-up, as an admin would copy it: checked by postconf, and run as a real Postfix in
front of a real daemon, with mail going in through Postfix and the answers coming out through it."""

from __future__ import annotations

import email
import json
import re
import smtplib
import subprocess
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from postfix import MASTER, POSTCONF, available, postfix

from support import Center, RelaySink, free_port, mail

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_files() -> dict[str, str]:
    """The README's Postfix section as files: each code block line under `# /etc/postfix/NAME` belongs to NAME."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Postfix in front"):]
    section = section[:section.index("\n### ", 1)]
    files: dict[str, str] = {}
    for block in re.findall(r"^```\n(.*?)^```", section, flags=re.S | re.M):
        name = None
        for line in block.splitlines():
            header = re.fullmatch(r"# /etc/postfix/([\w.]+)", line.strip())
            if header:
                name = header.group(1)
                continue
            if name:
                files[name] = files.get(name, "") + line + "\n"
    return files


def test_readme_names_every_file_and_address_it_relies_on() -> None:
    files = readme_files()
    assert set(files) == {"main.cf", "transport", "virtual", "master.cf"}
    transport = files["transport"]
    # every target of the virtual map is an address the transport map hands to Postdesk
    for line in files["virtual"].splitlines():
        if line.strip():
            assert f"{line.split()[1]} " in transport, line
    assert "postdesk_destination_recipient_limit = 1" in files["main.cf"]


def test_postconf_reads_the_readme_lines_as_meant(tmp_path: Path) -> None:
    if not Path(POSTCONF).exists():
        pytest.skip("Postfix is not installed (apt-get install postfix)")
    files = readme_files()
    (tmp_path / "main.cf").write_text(files["main.cf"].replace("/etc/postfix/", f"{tmp_path}/"))
    (tmp_path / "master.cf").write_text(MASTER.format(listen="smtp") + files["master.cf"])
    run = subprocess.run([POSTCONF, "-c", str(tmp_path), "-n"], capture_output=True, text=True, check=True)
    assert "warning" not in run.stderr, run.stderr
    settings = dict(line.split(" = ", 1) for line in run.stdout.splitlines())
    assert settings["recipient_delimiter"] == "+"  # a trailing comment would have become part of it
    assert settings["postdesk_destination_recipient_limit"] == "1"
    assert settings["transport_maps"] == f"hash:{tmp_path}/transport"
    master = subprocess.run([POSTCONF, "-c", str(tmp_path), "-M", "postdesk/unix"], capture_output=True, text=True,
                            check=True)
    assert "ingest --sender ${sender} --recipient ${recipient}" in master.stdout
    assert "user=postdesk" in master.stdout


@pytest.fixture()
def through_postfix(tmp_path: Path) -> Iterator[tuple[Center, int, RelaySink]]:
    """A daemon on LMTP behind a Postfix configured with the README's lines; Postfix relays out to a sink."""
    reason = available()
    if reason:
        pytest.skip(reason)
    sink = RelaySink()
    relay_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=relay_port)  # type: ignore[arg-type]
    controller.start()
    postfix_port = free_port()
    files = readme_files()
    aliases = [line.split()[0] for line in files["virtual"].splitlines() if line.endswith(" service@corp.example")]
    center = Center(tmp_path / "desk", smtp_out=f'host = "127.0.0.1"\nport = {postfix_port}\ntls = "none"',
                    service_extra=f"aliases = {aliases!r}".replace("'", '"'))
    center.config.write_text(center.config.read_text().replace("[smtp_in]\n", '[smtp_in]\nprotocol = "lmtp"\n'))
    main_cf = "mydestination = $myhostname, localhost, corp.example\n" + files["main.cf"]
    maps = {name: files[name].replace("127.0.0.1:2525", f"127.0.0.1:{center.smtp_port}")
            for name in ("transport", "virtual")}
    center.start()
    try:
        with postfix(main_cf, maps, relay_port, master_cf=files["master.cf"], port=postfix_port) as mx:
            yield center, mx.port, sink
    finally:
        center.stop()
        controller.stop()


def send(port: int, msg: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(msg)


def test_mail_through_postfix_becomes_a_ticket_and_the_answer_leaves_through_it(
        through_postfix: tuple[Center, int, RelaySink]) -> None:
    center, port, sink = through_postfix
    send(port, mail("Не работает VPN", "С утра не работает VPN, ошибка 809.", sender="petr@branch.example"))
    (ack,) = sink.wait(1)
    sender, rcpts, raw = ack
    assert rcpts == ["petr@branch.example"]
    assert sender.endswith("@corp.example")  # the service's envelope, so bounces come back to it
    ack_mail = email.message_from_bytes(raw, policy=default_policy)
    assert ack_mail["Subject"] == "Re: Не работает VPN [SD-1]"
    assert "by mx.corp.example (Postfix)" in ack_mail["Received"]
    (ticket,) = center.tickets()
    assert ticket["queue"] == "it" and ticket["requester"] == "petr@branch.example"


def test_an_alias_and_two_departments_through_postfix(through_postfix: tuple[Center, int, RelaySink]) -> None:
    """helpdesk@ reaches the desk through the virtual map; a mail to it@ and hr@ is one ticket in each queue."""
    center, port, sink = through_postfix
    m = mail("Справка", "Нужна справка 2-НДФЛ.", sender="anna@branch.example", to="helpdesk@corp.example")
    send(port, m)
    send(port, mail("Новый сотрудник", "Выйдет в понедельник: ноутбук и пропуск.", sender="olga@branch.example",
                    to="it@corp.example", cc="hr@corp.example"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(center.tickets()) < 3:
        time.sleep(0.2)
    tickets = center.tickets()
    assert sorted(t["queue"] for t in tickets) == ["general", "hr", "it"], tickets
    (asked,) = [t for t in tickets if t["queue"] == "general"]
    assert "helpdesk@corp.example" not in json.dumps(center.ticket(asked["ref"])["participants"])
    assert not [r for _, rcpts, _ in sink.wait(3) for r in rcpts if "helpdesk" in r]  # the alias gets no copy
