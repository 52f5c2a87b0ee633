"""The IMAP connection itself: log in (password or OAuth2, TLS as configured), IDLE until news, close.

`daemon.ingress.imap` reads a mailbox through it; what is here knows nothing of the database.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import ssl
import subprocess
import threading
import time
from collections.abc import Callable

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from postdesk.daemon.config import MailboxConfig

_TEMPORARY = re.compile(r"\[UNAVAILABLE\]|temporar", re.I)  # RFC 5530 response code, or the words


_NEWS = re.compile(rb"^\* (\d+ (EXISTS|RECENT)|BYE)\b")  # what ends an IDLE: new mail, or the server leaving


def idle_until_news(client: IMAPClient, stop: threading.Event, limit: float,
                    on_idle: Callable[[], None] = lambda: None) -> bool:
    """IDLE until the server announces mail or goes away (True), or until `limit` or `stop` (False).

    Mail that arrives between the last fetch and IDLE is announced in one of two places the socket
    can no longer show: in imaplib's store of unsolicited responses (announced during the fetch), or
    in its read buffer right behind IDLE's continuation line ("+ idling\r\n* 3 EXISTS\r\n" in one
    segment). Both are looked at before waiting on the socket; the caller's catch-up every `limit`
    seconds bounds any other miss.
    """
    imap = client._imap
    # the first EXISTS is the SELECT's own count; a second one came in during the fetch
    announced = len(imap.untagged_responses.get("EXISTS", ())) > 1
    imap.untagged_responses.clear()
    if announced:
        return True
    client.idle()
    try:
        if any(_NEWS.match(line) for line in _buffered_lines(client)):
            return True
        on_idle()
        started = time.monotonic()
        while not stop.is_set() and time.monotonic() - started < limit:
            for response in client.idle_check(timeout=1.0):
                if response and (response[0] == b"BYE" or response[1:2] in ((b"EXISTS",), (b"RECENT",))):
                    return True
        return False
    finally:
        client.idle_done()


def _buffered_lines(client: IMAPClient) -> list[bytes]:
    """Whole response lines already in imaplib's read buffer, which poll() on the socket cannot see."""
    imap = client._imap
    sock = client.socket()
    timeout = sock.gettimeout()
    lines: list[bytes] = []
    try:
        while True:
            sock.setblocking(False)  # peek() returns the buffer, or tries one read that must not block
            try:
                pending = imap.file.peek()
            except (BlockingIOError, ssl.SSLWantReadError):
                pending = b""
            if b"\n" not in pending:
                return lines
            sock.settimeout(timeout)
            lines.append(imap._get_line())
    finally:
        sock.settimeout(timeout)


class AuthFailed(Exception):
    """The server refused the credentials; retrying at once would only lock the account."""


def oauth2_token(command: str) -> str:
    """Run the admin's token command; its standard output is the access token."""
    res = subprocess.run(shlex.split(command), capture_output=True, timeout=60, text=True)
    if res.returncode != 0 or not res.stdout.strip():
        raise AuthFailed(f"oauth2_token_command exited {res.returncode}: {res.stderr.strip()[:200]}")
    return res.stdout.strip()


def connect(mb: MailboxConfig, timeout: float = 30.0) -> IMAPClient:
    """Open, secure and log in; raises AuthFailed for refused credentials."""
    ctx = ssl.create_default_context(cafile=str(mb.ca_file) if mb.ca_file else None)
    client = IMAPClient(mb.host, port=mb.port, ssl=mb.tls == "implicit", ssl_context=ctx, timeout=timeout)
    try:
        if mb.tls == "starttls":
            client.starttls(ctx)
        if mb.oauth2_token_command:
            client.oauth2_login(mb.username, oauth2_token(mb.oauth2_token_command))
        else:
            client.login(mb.username, mb.password or "")
    except LoginError as exc:
        close(client)
        if _TEMPORARY.search(str(exc)):  # e.g. the server's auth service is still starting: retry soon
            raise ConnectionError(f"login temporarily refused: {exc}") from exc
        raise AuthFailed(str(exc) or "login refused") from exc
    except IMAPClientError as exc:
        close(client)
        if "authenticat" in str(exc).lower() or "login" in str(exc).lower():
            raise AuthFailed(str(exc)) from exc
        raise
    return client


def close(client: IMAPClient) -> None:
    """LOGOUT, or drop the connection when the server no longer answers."""
    try:
        client.logout()
    except Exception:
        with contextlib.suppress(Exception):
            client.shutdown()
