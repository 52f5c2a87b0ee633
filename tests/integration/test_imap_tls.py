"""Department mailboxes over TLS against a real Dovecot with its own CA: implicit TLS, STARTTLS, and a
certificate the daemon must not trust."""

from __future__ import annotations

import json
import time

import pytest

from support import Center, mail


def tls_mailbox(name: str, port: int, user: str, password: str, tls: str, ca_file: str | None) -> str:
    lines = ["[[mailboxes]]", f'name = "{name}"', 'host = "127.0.0.1"', f"port = {port}", f'tls = "{tls}"',
             f'username = "{user}"', f'password = "{password}"', 'queue = "hr"', 'poll_interval = "1s"']
    if ca_file:
        lines.append(f'ca_file = "{ca_file}"')
    return "\n".join(lines) + "\n"


def test_mailboxes_over_tls_trust_the_given_ca_only(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    if dovecot.ca_file is None:
        pytest.skip("openssl is not installed: the TLS test cannot make its certificates (apt-get install openssl)")
    implicit = dovecot.add_user("tls-implicit")
    starttls = dovecot.add_user("tls-starttls")
    untrusted = dovecot.add_user("tls-untrusted")
    for (user, _), subject in ((implicit, "Справка 2-НДФЛ"), (starttls, "Отпуск в декабре"),
                               (untrusted, "Не должно прочитаться")):
        dovecot.append(user, "INBOX", mail(subject, "Текст заявки.", to="hr@corp.example").as_bytes())
    center: Center = make_center(extra=(
        tls_mailbox("implicit", dovecot.imaps_port, *implicit, "implicit", str(dovecot.ca_file))
        + tls_mailbox("starttls", dovecot.port, *starttls, "starttls", str(dovecot.ca_file))
        + tls_mailbox("untrusted", dovecot.imaps_port, *untrusted, "implicit", None)))
    center.start()
    center.wait_outgoing(2)
    assert sorted(t["subject"] for t in center.tickets()) == ["Отпуск в декабре", "Справка 2-НДФЛ"]

    def report() -> dict[str, dict]:  # type: ignore[type-arg]
        return {m["name"]: m for m in json.loads(center.cli("mailboxes", "--json").stdout)}

    deadline = time.monotonic() + 10
    while report()["untrusted"]["last_error"] is None and time.monotonic() < deadline:
        time.sleep(0.1)
    mailboxes = report()
    assert mailboxes["implicit"]["connected"] and mailboxes["starttls"]["connected"]
    assert mailboxes["implicit"]["last_error"] is None and mailboxes["starttls"]["last_error"] is None
    assert not mailboxes["untrusted"]["connected"]
    assert "CERTIFICATE_VERIFY_FAILED" in mailboxes["untrusted"]["last_error"]
    assert len(dovecot.folder_uids(untrusted[0], "INBOX")) == 1  # left where it was, not lost
    assert len(center.tickets()) == 2
    assert center.stop() == 0
