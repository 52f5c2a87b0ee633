"""A real, throwaway Dovecot IMAP server for the integration tests (Debian's `dovecot-imapd`, 2.3).

One `Dovecot` per test session, a fresh user per test. Everything (config, sockets, state, log, maildirs,
user files) lives in one short temp dir under /tmp, so Dovecot's unix socket paths stay well below the
~100-character limit and nothing of the system's Dovecot (/etc/dovecot, port 143) is used.

How XOAUTH2/OAUTHBEARER work without an OAuth2 server: in Dovecot 2.3 the oauth2 mechanisms hand the bearer
token to the passdb as if it were a plain password (`auth_request_verify_plain`); the `oauth2` passdb is only
one way to check it. So a second passwd-file passdb, restricted with `mechanisms = xoauth2 oauthbearer`,
holds each user's token as a {PLAIN} password: the token logs in via XOAUTH2, the password via PLAIN/LOGIN,
and neither works for the other. Verified by tests/integration/test_dovecot_fixture.py.

Users live in one passwd-file each ({root}/users/<name>, {root}/tokens/<name>), read at every login, so
add_user() needs no reload. Linux only (process groups, /proc); runs as root or, rootless, as any user.
"""

from __future__ import annotations

import contextlib
import ctypes
import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from procgroup import stop_group

DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"
INSTALL_HINT = "Dovecot is not installed: sudo apt-get install dovecot-imapd"
SEPARATOR = "/"

CONFIG = """\
# Throwaway test config written by tests/lib/dovecot.py; nothing from /etc/dovecot is read.
base_dir = {root}/run
state_dir = {root}/state
instance_name = postdesk-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_section}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
# A failed login answers at once: no fixed failure delay and no anvil penalty.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
{users_section}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
mail_location = maildir:{root}/mail/%u
mail_uid = {mail_user}
mail_gid = {mail_group}
first_valid_uid = {first_uid}
mail_max_userip_connections = 50
# IDLE learns of new mail through inotify; when a change slips past it (or inotify instances run out on a
# busy test machine) Dovecot only looks again after this interval, 30 s by default.
mailbox_idle_check_interval = 1 secs
namespace inbox {{
  inbox = yes
  separator = {separator}
}}
# Marks every request `nodelay` before the real checks, so that a failure is answered at once instead of on
# the auth process's 0.5 s failure timer (a failing passdb's own fields are rolled back, this one's are kept).
passdb {{
  driver = static
  args = noauthenticate nodelay=yes
  result_success = continue
}}
# Passwords: PLAIN/LOGIN only. Tokens: XOAUTH2/OAUTHBEARER only (see the module docstring).
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/users/%u
}}
passdb {{
  driver = passwd-file
  mechanisms = xoauth2 oauthbearer
  args = scheme=PLAIN username_format=%u {root}/tokens/%u
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/mail/%u
}}
"""

# Running as root, the login processes drop to dovenull and the rest to dovecot, as on a real server. As an
# ordinary user everything runs as that user (Dovecot's documented "rootless" mode).
ROOTLESS = """\
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
service imap-login {{
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificates(folder: Path) -> Path | None:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it; returns the CA's PEM file."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, check=True, capture_output=True, timeout=30)

    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Postdesk test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "server.ext").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                                       "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext")
    for name in ("server.key", "server.pem"):
        (folder / name).chmod(0o644)  # Dovecot's master reads them; the folder is ours alone anyway
    return folder / "ca.pem"


def _die_with_parent() -> None:
    """Let the kernel stop Dovecot if the test process dies without running its finalizers.

    The signal follows the death of the *thread* that started Dovecot: call start() from the main thread.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _quote(name: str) -> str:
    """IMAP quoted string; folder names in tests are ASCII."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class DovecotError(RuntimeError):
    """Dovecot did not start or did not answer; the message carries the tail of its log."""


class Dovecot:
    """A Dovecot master process on 127.0.0.1:`port` with its own config, users and maildirs."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pd-", dir="/tmp"))
        self.port = _free_port()
        self.ca_file = make_certificates(self.root / "tls")  # None without openssl: TLS tests skip
        self.imaps_port = _free_port() if self.ca_file else 0  # implicit TLS; STARTTLS is on `port`
        self.proc: subprocess.Popen[bytes] | None = None
        self._users: dict[str, tuple[str, str]] = {}  # name -> (password, token)
        self._write_config()

    # -- lifecycle ------------------------------------------------------------------------------------

    def _write_config(self) -> None:
        if os.geteuid() == 0:
            mail_user, mail_group = "dovecot", "dovecot"
            extra = ""
        else:
            mail_user, mail_group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
            extra = ROOTLESS.format(user=mail_user, group=mail_group)
        mail_pw = pwd.getpwnam(mail_user)
        conf = CONFIG.format(
            root=self.root,
            port=self.port,
            mail_user=mail_user,
            mail_group=mail_group,
            first_uid=min(mail_pw.pw_uid, 500),
            separator=SEPARATOR,
            users_section=extra,
            imaps_port=self.imaps_port,
            ssl_section=(f"ssl = yes\nssl_cert = <{self.root}/tls/server.pem\nssl_key = <{self.root}/tls/server.key"
                         if self.ca_file else "ssl = no"),
        )
        (self.root / "dovecot.conf").write_text(conf)
        mail = self.root / "mail"
        mail.mkdir(exist_ok=True)
        for name in ("users", "tokens"):
            (self.root / name).mkdir(exist_ok=True)
        # The root stays traversable so that the unprivileged auth and imap processes reach their files;
        # the maildirs belong to the mail user, who must not be root.
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            os.chown(mail, mail_pw.pw_uid, mail_pw.pw_gid)

    def start(self, timeout: float = 10.0) -> None:
        """Start Dovecot and return once its `* OK` greeting has been read from the port."""
        if self.proc is not None and self.proc.poll() is None:
            return
        stderr = (self.root / "stderr.log").open("ab")
        self.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
            start_new_session=True,  # its own process group, so that stop() reaches every Dovecot process
            preexec_fn=_die_with_parent,
        )
        stderr.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise DovecotError(f"dovecot exited with {self.proc.returncode}\n{self.log_tail()}")
            if self._greets():
                return
            if time.monotonic() > deadline:
                self.stop()
                where = f"{self.host}:{self.port}"
                raise DovecotError(f"dovecot did not greet on {where} in {timeout} s\n{self.log_tail()}")
            time.sleep(0.01)

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=2) as s:
                return s.makefile("rb").readline().startswith(b"* OK")
        except OSError:
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """Stop Dovecot and every process it started; clients get `* BYE Server shutting down`.

        The whole process group gets SIGTERM at once: signalling only the master (2.3.19) leaves the mail
        processes of open connections (and the log process) running, still serving those clients, and takes
        1-3 s. This way a stop takes ~10 ms; anything left after a 0.3 s grace gets SIGKILL.
        """
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        stop_group(proc, 0.3, timeout, "dovecot")


    def restart(self) -> None:
        """Stop and start again on the same port with the same users and mail."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop Dovecot and remove its directory."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def log_tail(self, lines: int = 30) -> str:
        """The end of Dovecot's own log and stderr, for failure messages."""
        out = []
        for name in ("stderr.log", "dovecot.log"):
            path = self.root / name
            if path.exists():
                out += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(out)

    # -- users ----------------------------------------------------------------------------------------

    def add_user(self, name: str = "user", password: str | None = None, token: str | None = None) -> tuple[str, str]:
        """Create a user with a password (for PLAIN/LOGIN) and a token (for XOAUTH2/OAUTHBEARER).

        A taken name gets a numeric suffix, so every test can ask for "it" and get its own mailbox.
        Dovecot reads the user's passwd-file at login: no reload or restart is needed.
        """
        username, n = name, 1
        while username in self._users:
            n += 1
            username = f"{name}-{n}"
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._@+-]*", username):
            raise ValueError(f"unsuitable IMAP user name: {username!r}")
        password = password if password is not None else secrets.token_urlsafe(12)
        token = token if token is not None else "tok-" + secrets.token_urlsafe(24)
        for value in (password, token):
            if ":" in value or "\n" in value:
                raise ValueError("passwords and tokens must not contain ':' or newlines (passwd-file format)")
        self._users[username] = (password, token)
        self._write_user(username)
        return username, password

    def token(self, user: str) -> str:
        """The OAuth2 bearer token that logs `user` in with XOAUTH2 or OAUTHBEARER."""
        return self._users[user][1]

    def password(self, user: str) -> str:
        """The password that logs `user` in with LOGIN, PLAIN or AUTHENTICATE LOGIN."""
        return self._users[user][0]

    def _write_user(self, user: str) -> None:
        """One passwd-file per user (the path has %u): a new user is a new file, seen at the very next login.

        A single shared file would not do: Dovecot stats it at most once per second, so a user added right
        after another login would be refused for up to a second.
        """
        for name, column in (("users", 0), ("tokens", 1)):
            tmp = self.root / name / f".{user}.tmp"
            tmp.write_text(f"{user}:{{PLAIN}}{self._users[user][column]}\n")
            tmp.chmod(0o644)
            os.replace(tmp, self.root / name / user)

    # -- mail -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def imap(self, user: str) -> Iterator[imaplib.IMAP4]:
        """A logged-in imaplib connection as `user`, logged out afterwards."""
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            conn.login(user, self._users[user][0])
            yield conn
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()

    def append(self, user: str, folder: str, raw: bytes) -> None:
        """IMAP APPEND `raw` to `folder`, creating the folder if it does not exist yet."""
        with self.imap(user) as conn:
            self._ensure(conn, folder)
            typ, data = conn.append(_quote(folder), None, None, raw)
            if typ != "OK":
                raise DovecotError(f"APPEND to {folder} failed: {data!r}")

    def create_folder(self, user: str, folder: str) -> None:
        with self.imap(user) as conn:
            self._ensure(conn, folder)

    def _ensure(self, conn: imaplib.IMAP4, folder: str) -> None:
        typ, data = conn.list('""', _quote(folder))
        if typ == "OK" and any(d for d in data if d):
            return
        typ, data = conn.create(_quote(folder))
        if typ != "OK":
            raise DovecotError(f"CREATE {folder} failed: {data!r}")

    def folder_uids(self, user: str, folder: str = "INBOX") -> list[int]:
        """The UIDs in `folder`, ascending."""
        with self.imap(user) as conn:
            return self._uids(conn, folder)

    def _uids(self, conn: imaplib.IMAP4, folder: str) -> list[int]:
        typ, data = conn.select(_quote(folder), readonly=True)
        if typ != "OK":
            raise DovecotError(f"EXAMINE {folder} failed: {data!r}")
        typ, data = conn.uid("SEARCH", "ALL")
        if typ != "OK":
            raise DovecotError(f"UID SEARCH in {folder} failed: {data!r}")
        return sorted(int(u) for u in (data[0] or b"").split())

    def uidvalidity(self, user: str, folder: str = "INBOX") -> int:
        with self.imap(user) as conn:
            typ, data = conn.status(_quote(folder), "(UIDVALIDITY)")
            if typ != "OK":
                raise DovecotError(f"STATUS {folder} failed: {data!r}")
            match = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"")
            assert match, data
            return int(match.group(1))

    def messages(self, user: str, folder: str = "INBOX") -> list[bytes]:
        """The raw bytes of every message in `folder`, in UID order; fetched with BODY.PEEK so \\Seen stays."""
        with self.imap(user) as conn:
            uids = self._uids(conn, folder)
            out = []
            for uid in uids:
                typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
                parts = [d for d in data if isinstance(d, tuple)]
                if typ != "OK" or not parts:  # expunged meanwhile
                    continue
                out.append(parts[0][1])
            return out

    def recreate_folder(self, user: str, folder: str) -> None:
        """Delete and create `folder` again: empty, with a new UIDVALIDITY, UIDs starting over at 1.

        IMAP cannot delete or rename INBOX (Maildir++), so for INBOX the user's sessions are kicked (they see
        the connection close) and its messages, UID list and indexes are removed on disk; Dovecot creates it
        afresh from the per-user UIDVALIDITY counter. Other folders use IMAP DELETE + CREATE.
        """
        if folder.upper() == "INBOX":
            self._reset_inbox(user)
            return
        with self.imap(user) as conn:
            typ, data = conn.delete(_quote(folder))
            if typ != "OK" and b"NONEXISTENT" not in (data[0] or b""):
                raise DovecotError(f"DELETE {folder} failed: {data!r}")
            typ, data = conn.create(_quote(folder))
            if typ != "OK":
                raise DovecotError(f"CREATE {folder} failed: {data!r}")

    def _reset_inbox(self, user: str) -> None:
        """Kick the user's sessions first: a session left running on deleted index files answers NO forever."""
        if user not in self._users:
            raise KeyError(user)
        self.kick(user)
        home = self.root / "mail" / user  # INBOX is the maildir root; other folders are its .Name subdirs
        for sub in ("cur", "new", "tmp"):
            for path in (home / sub).glob("*"):
                path.unlink(missing_ok=True)
        for path in [*home.glob("dovecot-uidlist*"), *home.glob("dovecot.index*")]:
            path.unlink(missing_ok=True)

    # -- sessions -------------------------------------------------------------------------------------

    def kick(self, user: str, timeout: float = 5.0) -> None:
        """Disconnect every IMAP session of `user` (`doveadm kick`) and wait until their processes are gone."""
        listing = self._doveadm("who", "-1", user).splitlines()[1:]  # username proto pid ip
        pids = [int(line.split()[2]) for line in listing if line.strip()]
        if not pids:
            return
        self._doveadm("kick", user)
        deadline = time.monotonic() + timeout
        while any(_alive(pid) for pid in pids):
            if time.monotonic() > deadline:
                raise DovecotError(f"sessions of {user} still running {timeout} s after doveadm kick")
            time.sleep(0.005)

    def _doveadm(self, *args: str) -> str:
        done = subprocess.run(
            [DOVEADM, "-c", str(self.root / "dovecot.conf"), *args], capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0:
            raise DovecotError(f"doveadm {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout
