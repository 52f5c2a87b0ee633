"""The Dovecot fixture is a real IMAP server that does what the daemon's tests rely on."""

from __future__ import annotations

import imaplib
import socket
import time
from collections.abc import Callable

import pytest
from imapclient import IMAPClient

from dovecot import Dovecot

RAW = (
    "From: Пётр <petr@corp.example>\r\n"
    "To: it@corp.example\r\n"
    "Subject: =?utf-8?b?0J3QtSDRgNCw0LHQvtGC0LDQtdGCIFZQTg==?=\r\n"
    "Message-ID: <fixture-1@corp.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "С утра не работает VPN, ошибка 809.\r\n"
).encode()


def connect(dovecot: Dovecot) -> imaplib.IMAP4:
    return imaplib.IMAP4(dovecot.host, dovecot.port, timeout=10)


def oauth(dovecot: Dovecot, mechanism: str, user: str, token: str) -> imaplib.IMAP4:
    """Log in with XOAUTH2 or OAUTHBEARER; an error challenge is answered with an empty line, as the specs say."""
    if mechanism == "XOAUTH2":
        first = f"user={user}\x01auth=Bearer {token}\x01\x01"
    else:
        first = f"n,a={user},\x01host={dovecot.host}\x01port={dovecot.port}\x01auth=Bearer {token}\x01\x01"
    answers = [first.encode()]
    answer: Callable[[bytes], bytes] = lambda _challenge: answers.pop(0) if answers else b""  # noqa: E731
    conn = connect(dovecot)
    try:
        conn.authenticate(mechanism, answer)
    except BaseException:
        conn.shutdown()
        raise
    return conn


def test_password_login_and_capabilities(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it", "s3cret")
    conn = connect(dovecot)
    assert conn.login(user, password)[0] == "OK"
    caps = conn.capability()[1][0].split()
    assert {b"IDLE", b"MOVE", b"UIDPLUS"} <= set(caps)
    conn.logout()


def test_users_are_fresh_and_separate(dovecot: Dovecot) -> None:
    first, _ = dovecot.add_user("hr")
    second, _ = dovecot.add_user("hr")
    assert first != second
    dovecot.append(first, "INBOX", RAW)
    assert dovecot.folder_uids(first, "INBOX") == [1]
    assert dovecot.folder_uids(second, "INBOX") == []


def test_append_then_fetch_by_uid(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it")
    dovecot.append(user, "INBOX", RAW)
    dovecot.append(user, "Dept/IT", RAW.replace(b"fixture-1", b"fixture-2"))
    [uid] = dovecot.folder_uids(user, "INBOX")

    conn = connect(dovecot)
    conn.login(user, password)
    conn.select("INBOX")
    typ, data = conn.uid("FETCH", str(uid), "(FLAGS BODY.PEEK[])")
    assert typ == "OK"
    assert data[0][1] == RAW  # byte for byte, 8-bit Cyrillic included
    assert b"\\Seen" not in data[0][0]
    conn.logout()
    assert dovecot.messages(user, "INBOX") == [RAW]
    assert dovecot.messages(user, "Dept/IT") == [RAW.replace(b"fixture-1", b"fixture-2")]


def test_uid_move(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it")
    dovecot.append(user, "INBOX", RAW)
    with IMAPClient(dovecot.host, port=dovecot.port, ssl=False, timeout=10) as client:
        client.login(user, password)
        client.create_folder("Done")
        client.select_folder("INBOX")
        client.move(client.search("ALL"), "Done")
    assert dovecot.folder_uids(user, "INBOX") == []
    assert dovecot.messages(user, "Done") == [RAW]


def test_idle_reports_new_mail_within_a_second(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it")
    with IMAPClient(dovecot.host, port=dovecot.port, ssl=False, timeout=10) as client:
        client.login(user, password)
        client.select_folder("INBOX")
        client.idle()
        dovecot.append(user, "INBOX", RAW)  # from another connection
        appended = time.monotonic()
        responses: list[tuple[object, ...]] = []
        while not any(r[1:2] == (b"EXISTS",) for r in responses) and time.monotonic() - appended < 5:
            responses += client.idle_check(timeout=0.2)
        latency = time.monotonic() - appended
        client.idle_done()
    assert (1, b"EXISTS") in responses
    assert latency < 1.5, f"IDLE reported the new mail after {latency:.2f} s"


@pytest.mark.parametrize("folder", ["Dept/IT", "INBOX"])
def test_recreate_folder_changes_uidvalidity(dovecot: Dovecot, folder: str) -> None:
    user, _ = dovecot.add_user("it")
    other = "INBOX" if folder != "INBOX" else "Dept/IT"
    dovecot.append(user, other, RAW)
    dovecot.append(user, folder, RAW)
    dovecot.append(user, folder, RAW)
    before = dovecot.uidvalidity(user, folder)
    dovecot.recreate_folder(user, folder)
    assert dovecot.uidvalidity(user, folder) != before
    assert dovecot.folder_uids(user, folder) == []
    dovecot.append(user, folder, RAW)
    assert dovecot.folder_uids(user, folder) == [1]  # UIDs start over: only UIDVALIDITY tells them apart
    assert dovecot.folder_uids(user, other) == [1]


def test_recreating_inbox_disconnects_its_sessions(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it")
    dovecot.append(user, "INBOX", RAW)
    watcher = connect(dovecot)
    watcher.login(user, password)
    watcher.select("INBOX")
    dovecot.recreate_folder(user, "INBOX")
    with pytest.raises(imaplib.IMAP4.abort):  # rather than answering NO on stale indexes forever
        watcher.noop()


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_oauth_token_login(dovecot: Dovecot, mechanism: str) -> None:
    user, password = dovecot.add_user("it")
    dovecot.append(user, "INBOX", RAW)
    conn = oauth(dovecot, mechanism, user, dovecot.token(user))
    conn.select("INBOX", readonly=True)
    assert conn.uid("SEARCH", "ALL")[1] == [b"1"]
    conn.logout()

    for token in ("wrong-token", password):  # a password is not a token
        started = time.monotonic()
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            oauth(dovecot, mechanism, user, token)
        assert time.monotonic() - started < 1


def test_token_is_not_a_password(dovecot: Dovecot) -> None:
    user, _ = dovecot.add_user("it")
    conn = connect(dovecot)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        conn.login(user, dovecot.token(user))
    conn.shutdown()


def test_wrong_password_fails_without_delay(dovecot: Dovecot) -> None:
    user, _ = dovecot.add_user("it")
    started = time.monotonic()
    for name in (user, user, user, "nobody-here"):  # repeated failures get no anvil penalty either
        conn = connect(dovecot)
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            conn.login(name, "wrong")
        conn.shutdown()
    assert time.monotonic() - started < 1


def test_kick_closes_the_users_sessions_only(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it")
    bystander, other_password = dovecot.add_user("hr")
    sessions = [connect(dovecot) for _ in range(3)]
    for conn in sessions:
        conn.login(user, password)
    unaffected = connect(dovecot)
    unaffected.login(bystander, other_password)
    dovecot.kick(user)
    for conn in sessions:
        with pytest.raises(imaplib.IMAP4.abort):
            conn.noop()
    assert unaffected.noop()[0] == "OK"
    unaffected.logout()


def test_restart_keeps_mail_and_port(dovecot: Dovecot) -> None:
    user, password = dovecot.add_user("it")
    dovecot.append(user, "INBOX", RAW)
    port = dovecot.port
    open_conn = connect(dovecot)
    open_conn.login(user, password)
    open_conn.select("INBOX")

    dovecot.stop()
    with pytest.raises(imaplib.IMAP4.abort):  # the open session is told the server went away
        open_conn.noop()
    with pytest.raises(OSError):
        socket.create_connection((dovecot.host, port), timeout=1).close()

    dovecot.start()
    assert dovecot.port == port
    assert dovecot.messages(user, "INBOX") == [RAW]
    assert dovecot.folder_uids(user, "INBOX") == [1]
