"""A real headless Chromium for the page tests, driven over the DevTools protocol (CDP) with aiohttp.

No Playwright or Selenium: they download their own browsers, and this machine only has Debian's `chromium`.
One `Browser` per test session, one `Page` per test. The API is synchronous; underneath, one websocket to
the browser carries every tab's messages (flat sessions) and is served by an asyncio loop in a private thread.

Each page lives in its own browser context (like a private window), so cookies and storage never leak from
one test into the next. JS dialogs are recorded and dismissed at once; console messages, uncaught exceptions
and CSP violations are recorded too. Every wait has a timeout and fails with an AssertionError that says what
was awaited. Linux only (process groups, prctl); runs as root (hence --no-sandbox) or as any user.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from procgroup import stop_group

CHROMIUM: str | None = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_HINT = "chromium is not installed: apt-get install chromium"

FLAGS = [
    "--headless=new",
    "--no-sandbox",  # the suite runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--remote-debugging-port=0",  # any free port; Chromium writes it to <user-data-dir>/DevToolsActivePort
    # No calls home (there is no internet here anyway) and no background work that could slow a test.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-crash-reporter",
    "--disable-breakpad",
    "--password-store=basic",
    "--use-mock-keychain",
    "--mute-audio",
    "--hide-scrollbars",
    # Pages in other contexts count as background tabs; their timers and rendering must not be throttled.
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
]

T = TypeVar("T")


class BrowserError(AssertionError):
    """Chromium did not start, answer or navigate as asked; an AssertionError so a test simply fails."""


class _NoAnswer(BrowserError):
    """A CDP call timed out; callers that know what it meant (a page that never came) say so instead."""


def _die_with_parent() -> None:
    """Let the kernel stop Chromium if the test process dies without running its finalizers.

    The signal follows the death of the *thread* that started Chromium: call start() from the main thread.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _remote_value(obj: dict[str, Any]) -> Any:
    """The Python value of a CDP RemoteObject returned by value (undefined is None, NaN/Infinity are floats)."""
    if "value" in obj:
        return obj["value"]
    special = obj.get("unserializableValue")
    if special in ("NaN", "Infinity", "-Infinity", "-0"):
        return float(special.replace("Infinity", "inf").replace("NaN", "nan"))
    if special is not None:
        return special  # a BigInt such as "12n"
    return None


def _describe(obj: dict[str, Any]) -> str:
    """A console argument as DevTools would print it."""
    if "value" in obj:
        value = obj["value"]
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return str(obj.get("unserializableValue") or obj.get("description") or obj.get("type", "?"))


class _Connection:
    """The browser websocket: numbered calls with futures, events routed to pages by CDP session id."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None
        self.ids = itertools.count(1)
        self.pending: dict[int, tuple[str, asyncio.Future[dict[str, Any]]]] = {}
        self.sessions: dict[str, Page] = {}
        self.closed: str | None = None  # why the connection is gone, once it is

    async def open(self, url: str) -> None:
        self.http = aiohttp.ClientSession()
        self.ws = await self.http.ws_connect(url, max_msg_size=0)  # no size limit: screenshots are big
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for msg in self.ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    self._dispatch(json.loads(msg.data))
                elif msg.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE):
                    break
        finally:
            self.closed = self.closed or "the DevTools connection to chromium closed (did chromium exit?)"
            for method, future in self.pending.values():
                if not future.done():
                    future.set_exception(BrowserError(f"CDP {method}: {self.closed}"))
            self.pending.clear()
            for page in self.sessions.values():
                page._changed()

    def _dispatch(self, msg: dict[str, Any]) -> None:
        if "id" in msg:
            method, future = self.pending.pop(msg["id"], ("", None))
            if future is None or future.done():
                return
            if "error" in msg:
                err = msg["error"]
                future.set_exception(BrowserError(f"CDP {method} failed: {err.get('message')} {err.get('data', '')}"))
            else:
                future.set_result(msg.get("result", {}))
            return
        params = msg.get("params", {})
        if msg.get("method") == "Target.detachedFromTarget":  # a browser-level event: the tab closed or died
            page = self.sessions.get(params.get("sessionId", ""))
            if page is not None:
                page._gone = page._gone or "the page's target went away (closed or crashed)"
                page._changed()
            return
        page = self.sessions.get(msg.get("sessionId", ""))
        if page is not None:
            page._event(msg["method"], params)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> asyncio.Future[dict[str, Any]]:
        """Send a call and return the future of its result; the caller decides how long to wait."""
        future: asyncio.Future[dict[str, Any]] = self.loop.create_future()
        if self.closed or self.ws is None:
            future.set_exception(BrowserError(f"CDP {method}: {self.closed or 'not connected'}"))
            return future
        msg: dict[str, Any] = {"id": next(self.ids), "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.pending[msg["id"]] = (method, future)

        def sent(task: asyncio.Task[None]) -> None:
            if not task.cancelled() and task.exception() is not None and not future.done():
                self.pending.pop(msg["id"], None)
                future.set_exception(BrowserError(f"CDP {method}: sending failed: {task.exception()}"))

        asyncio.ensure_future(self.ws.send_str(json.dumps(msg))).add_done_callback(sent)
        return future

    def fire(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> None:
        """Send a call nobody waits for (from an event handler, which must not block); its errors are dropped."""
        self.send(method, params, session).add_done_callback(lambda f: f.cancelled() or f.exception())

    async def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = 10
    ) -> dict[str, Any]:
        try:
            return await asyncio.wait_for(self.send(method, params, session), timeout)
        except TimeoutError:
            raise _NoAnswer(f"CDP {method} got no answer from chromium in {timeout} s") from None

    async def close(self) -> None:
        self.closed = self.closed or "the browser was closed"
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 2)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader
        if self.http is not None:
            await self.http.close()


class Browser:
    """One headless Chromium for the session; each test opens its own page (target)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pd-chromium-"))
        self.proc: subprocess.Popen[bytes] | None = None
        self.ws_url = ""
        self.version = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._conn: _Connection | None = None
        self._pages: list[Page] = []

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self, timeout: float = 30) -> None:
        """Start Chromium and connect to its DevTools websocket; the port is the one Chromium reports."""
        if self.proc is not None:
            return
        if CHROMIUM is None:
            raise BrowserError(CHROMIUM_HINT)
        profile = self.root / "profile"
        profile.mkdir(exist_ok=True)
        home, tmp = self.root / "home", self.root / "tmp"
        home.mkdir(exist_ok=True)
        tmp.mkdir(exist_ok=True)
        # Crashpad's database, dconf, singleton sockets and other per-user state land in our temp dir, which
        # close() removes, not in the real home or /tmp (where a killed Chromium would leave them behind).
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(tmp)}
        log = (self.root / "chromium.log").open("ab")
        # Popen before the loop thread exists: preexec_fn is only safe while the process has one thread.
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,  # its own process group, so that close() reaches the renderers, GPU, zygote
            preexec_fn=_die_with_parent,
        )
        log.close()
        try:
            port, path = self._wait_for_port(profile / "DevToolsActivePort", timeout)
            self.ws_url = f"ws://127.0.0.1:{port}{path}"
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="chromium-cdp", daemon=True)
            self._thread.start()
            self._conn = _Connection(self._loop)
            self._run(self._conn.open(self.ws_url), timeout, "connecting to the DevTools websocket")
            self.version = self._run(self._conn.call("Browser.getVersion"), timeout)["product"]
        except BaseException:
            self.close()
            raise

    def _wait_for_port(self, active_port: Path, timeout: float) -> tuple[int, str]:
        """Chromium writes the port and the browser target's path once DevTools listens."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise BrowserError(f"chromium exited with {self.proc.returncode} at start\n{self.log_tail()}")
            with contextlib.suppress(OSError, ValueError):
                lines = active_port.read_text().split()
                if len(lines) >= 2:
                    return int(lines[0]), lines[1]
            if time.monotonic() > deadline:
                raise BrowserError(f"chromium wrote no DevToolsActivePort in {timeout} s\n{self.log_tail()}")
            time.sleep(0.01)

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float, what: str = "") -> T:
        """Run `coro` on the CDP loop and wait for it; a hang becomes a BrowserError instead of a stuck test."""
        if self._loop is None or self._thread is None or not self._thread.is_alive():
            coro.close()
            raise BrowserError("the browser is not running (start() it first)")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout + 1)  # the coroutine has its own, shorter timeouts
        except FutureTimeout:
            future.cancel()
            raise BrowserError(f"{what or 'a CDP call'} did not finish in {timeout} s") from None

    def close(self) -> None:
        """Close every page, disconnect, stop all Chromium processes and remove the profile."""
        for page in list(self._pages):
            with contextlib.suppress(BrowserError):
                page.close()
        if self._conn is not None and self._loop is not None and self._thread is not None:
            # Asked to quit, Chromium stops and reaps its own helpers; killed, it would leave zombies to init.
            with contextlib.suppress(Exception):
                self._run(self._conn.call("Browser.close", timeout=2), 2, "Browser.close")
            with contextlib.suppress(Exception):
                self._run(self._conn.close(), 5, "closing the DevTools connection")
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(5)
            if not self._loop.is_running():
                self._loop.close()
        self._loop = self._thread = self._conn = None
        self._stop_process()
        shutil.rmtree(self.root, ignore_errors=True)

    def _stop_process(self, timeout: float = 10) -> None:
        """SIGTERM the whole process group, SIGKILL whatever is left after a short grace."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)  # after Browser.close
        stop_group(proc, 2, timeout, "chromium")


    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def log_tail(self, lines: int = 30) -> str:
        """The end of Chromium's stdout/stderr, for failure messages."""
        path = self.root / "chromium.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    # -- pages ----------------------------------------------------------------------------------------

    def page(self, timeout: float = 10) -> Page:
        """A fresh tab showing about:blank, in a browser context of its own (no cookies shared with others)."""
        page = Page(self)
        self._run(page._open(timeout), timeout, "opening a page")
        self._pages.append(page)
        return page


class Page:
    """One tab: navigate, read, fill and submit forms; records dialogs, console output and CSP violations."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        assert browser._conn is not None, "the browser is not running (start() it first)"
        self._conn: _Connection = browser._conn
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.csp_violations: list[str] = []
        self.log: list[str] = []  # every other browser log entry, e.g. "Failed to load resource: ... 404"
        self.target_id = ""
        self.session_id = ""
        self._context_id = ""
        self._frame_id = ""
        self._loader = ""  # loaderId of the main frame's current document
        self._urls: dict[str, str] = {}  # loaderId -> URL of that main-frame document
        self._navigations: set[str] = set()  # request ids of main-frame navigations (each equals its loaderId)
        self._statuses: dict[str, int] = {}  # loaderId -> HTTP status of that main document
        self._failures: dict[str, str] = {}  # loaderId -> network error of a main-frame navigation that failed
        self._loaded: set[str] = set()  # loaderIds whose load event fired
        self._gone: str | None = None  # why the tab can no longer answer (crashed, closed)
        self._tick: asyncio.Event | None = None

    # -- plumbing (runs on the CDP loop) ----------------------------------------------------------------

    async def _open(self, timeout: float) -> None:
        conn = self._conn
        self._tick = asyncio.Event()
        self._context_id = (await conn.call("Target.createBrowserContext", {"disposeOnDetach": True}, None, timeout))[
            "browserContextId"
        ]
        self.target_id = (
            await conn.call(
                "Target.createTarget", {"url": "about:blank", "browserContextId": self._context_id}, None, timeout
            )
        )["targetId"]
        self.session_id = (
            await conn.call("Target.attachToTarget", {"targetId": self.target_id, "flatten": True}, None, timeout)
        )["sessionId"]
        conn.sessions[self.session_id] = self
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable", "Inspector.enable"):
            await self._call(method, timeout=timeout)
        await self._call("Page.setLifecycleEventsEnabled", {"enabled": True}, timeout)
        frame = (await self._call("Page.getFrameTree", timeout=timeout))["frameTree"]["frame"]
        self._frame_id, self._loader = frame["id"], frame["loaderId"]

    async def _call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 10) -> dict[str, Any]:
        return await self._conn.call(method, params, self.session_id, timeout)

    def _changed(self) -> None:
        """Wake whoever waits in _until: some state they look at may have changed."""
        if self._tick is not None:
            self._tick.set()
            self._tick = asyncio.Event()

    def _event(self, method: str, params: dict[str, Any]) -> None:
        """Every CDP event of this tab; runs on the loop thread, must not block."""
        if method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            # Answered without waiting: a blocked alert() holds up the page's load event until it is dismissed.
            # A beforeunload prompt is accepted, or it would cancel the navigation the test asked for.
            accept = params.get("type") == "beforeunload"
            self._conn.fire("Page.handleJavaScriptDialog", {"accept": accept}, self.session_id)
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(_describe(arg) for arg in params.get("args", []))
            self.console.append(f"{params.get('type', 'log')}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exc = details.get("exception", {})
            self.console.append(f"exception: {exc.get('description') or details.get('text', '')}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            text = entry.get("text", "")
            if "Content Security Policy" in text:
                self.csp_violations.append(text)
            else:
                self.log.append(f"{entry.get('level', '')}: {text}")
        elif method == "Network.requestWillBeSent":
            # A navigation's request id is its loader id; it stays the same through redirects.
            if params.get("frameId") == self._frame_id and params.get("requestId") == params.get("loaderId"):
                self._navigations.add(params["requestId"])
        elif method == "Network.responseReceived":
            # Only the final response comes here; redirects are reported on requestWillBeSent.
            if params.get("requestId") in self._navigations:
                self._statuses[params["requestId"]] = int(params["response"]["status"])
        elif method == "Network.loadingFailed":
            if params.get("requestId") in self._navigations and not params.get("canceled"):
                self._failures[params["requestId"]] = params.get("errorText", "failed")
        elif method == "Page.frameNavigated":
            frame = params.get("frame", {})
            if frame.get("id") == self._frame_id:
                self._loader = frame.get("loaderId", self._loader)
                self._urls[self._loader] = frame.get("url", "")
        elif method == "Page.lifecycleEvent":
            if params.get("frameId") == self._frame_id and params.get("name") == "load":
                self._loaded.add(params.get("loaderId", ""))
        elif method == "Inspector.targetCrashed":
            self._gone = "the page crashed"
        self._changed()

    async def _until(self, ready: Callable[[], bool], deadline: float, timeout: float, what: str) -> None:
        """Wait until `ready()` holds, re-checking after every event of this tab; give up at loop time `deadline`.

        On timeout the tab stops loading, so that a late document does not arrive in the middle of the next step.
        """
        while not ready():
            if self._gone:
                raise BrowserError(f"{self._gone} while waiting for {what}{self._context()}")
            if self._conn.closed:
                raise BrowserError(f"{self._conn.closed} while waiting for {what}")
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                self._conn.fire("Page.stopLoading", None, self.session_id)
                raise BrowserError(f"no {what} within {timeout} s{self._context()}")
            assert self._tick is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._tick.wait(), remaining)

    def _context(self) -> str:
        """What the page said lately, appended to failure messages."""
        parts = [f"\n  {name}: {items[-5:]}" for name, items in
                 (("console", self.console), ("csp_violations", self.csp_violations), ("log", self.log),
                  ("dialogs", self.dialogs)) if items]
        return "".join(parts)

    async def _loaded_document(self, loader: str, deadline: float, timeout: float, what: str) -> int:
        """Wait for document `loader` to load and return its HTTP status."""

        def ready() -> bool:
            if loader in self._failures:
                return True
            # An http(s) document has a status; about:blank, data: and the like have none (0).
            has_status = loader in self._statuses or not self._urls.get(loader, "").startswith(("http:", "https:"))
            return loader in self._loaded and has_status

        await self._until(ready, deadline, timeout, what)
        if loader in self._failures:
            raise BrowserError(f"{what} failed: {self._failures[loader]}{self._context()}")
        return self._statuses.get(loader, 0)

    async def _navigation_after(self, action: str, timeout: float, what: str) -> int:
        """Evaluate `action` (JS that starts a navigation or returns an error text) and await the new document."""
        deadline = asyncio.get_running_loop().time() + timeout
        before, failed_before = self._loader, len(self._failures)
        error = await self._evaluate(action, timeout)
        if error:
            raise BrowserError(f"{what}: {error}")
        await self._until(lambda: self._loader != before or len(self._failures) > failed_before, deadline, timeout,
                          f"navigation after {what}")
        if len(self._failures) > failed_before:
            raise BrowserError(f"{what} failed: {list(self._failures.values())[-1]}{self._context()}")
        return await self._loaded_document(self._loader, deadline, timeout, f"load after {what}")

    async def _evaluate(self, expression: str, timeout: float) -> Any:
        result = await self._call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True, "userGesture": True},
            timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            raise BrowserError(f"JS error in {expression[:200]!r}: {text}")
        return _remote_value(result.get("result", {}))

    def _sync(self, coro: Coroutine[Any, Any, T], timeout: float, what: str) -> T:
        return self._browser._run(coro, timeout, what)

    # -- the API for tests ----------------------------------------------------------------------------

    def goto(self, url: str, timeout: float = 10) -> int:
        """Navigate, wait for the load event; returns the HTTP status of the main document (after redirects)."""

        async def go() -> int:
            deadline = asyncio.get_running_loop().time() + timeout
            try:  # Page.navigate answers once the response has arrived (or the request failed)
                result = await self._call("Page.navigate", {"url": url}, timeout)
            except _NoAnswer:
                self._conn.fire("Page.stopLoading", None, self.session_id)
                raise BrowserError(f"goto {url}: no response within {timeout} s{self._context()}") from None
            if result.get("errorText"):
                raise BrowserError(f"goto {url} failed: {result['errorText']}")
            loader = result.get("loaderId")
            if not loader:  # a same-document navigation (only the #fragment changed): no new document
                return self._statuses.get(self._loader, 0)
            return await self._loaded_document(loader, deadline, timeout, f"load of {url}")

        return self._sync(go(), timeout, f"goto {url}")

    @property
    def url(self) -> str:
        """The address of the current document (location.href)."""
        return str(self.eval("location.href"))

    def html(self) -> str:
        return str(self.eval("document.documentElement.outerHTML"))

    def text(self) -> str:
        """What a user reads: document.body.innerText (hidden elements and markup left out)."""
        return str(self.eval("document.body ? document.body.innerText : ''"))

    def eval(self, expression: str, timeout: float = 10) -> Any:
        """Runtime.evaluate, returned by value; promises are awaited; a JS exception raises BrowserError.

        Runs outside the page's CSP, so it works on pages whose own inline scripts are blocked.
        """
        return self._sync(self._evaluate(expression, timeout), timeout, f"eval {expression[:80]!r}")

    def fill(self, selector: str, value: str) -> None:
        """Set an input/textarea/select value as typing would, firing input and change events."""
        js = f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return "no element matches " + {json.dumps(selector)};
            const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
                : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
                : el instanceof HTMLInputElement ? HTMLInputElement.prototype : null;
            if (!proto) return {json.dumps(selector)} + " is a <" + el.tagName.toLowerCase() + ">, not a form field";
            if (el.disabled || el.readOnly) return {json.dumps(selector)} + " is disabled or read-only";
            el.focus();
            Object.getOwnPropertyDescriptor(proto, "value").set.call(el, {json.dumps(value)});
            el.dispatchEvent(new Event("input", {{bubbles: true}}));
            el.dispatchEvent(new Event("change", {{bubbles: true}}));
            return null;
        }})()"""
        error = self.eval(js)
        if error:
            raise BrowserError(f"fill {selector}: {error}")

    def submit(self, selector: str, timeout: float = 10) -> int:
        """Submit the form `selector` (or the form of the element it names) with its submit button, as a user
        would, and wait for the new document; returns its HTTP status. An invalid form fails with the reasons.
        """
        sel = json.dumps(selector)
        js = f"""(() => {{
            const el = document.querySelector({sel});
            if (!el) return "no element matches " + {sel};
            const form = el instanceof HTMLFormElement ? el : (el.form || el.closest("form"));
            if (!form) return {sel} + " is not a form and not inside one";
            const invalid = [...form.elements].filter(f => f.willValidate && !f.checkValidity())
                .map(f => (f.name || f.id || f.tagName) + ": " + f.validationMessage);
            if (invalid.length) return "the form is invalid: " + invalid.join("; ");
            const button = el !== form && el.type === "submit" ? el
                : form.querySelector("button:not([type]), button[type=submit], input[type=submit]");
            form.requestSubmit(button || undefined);
            return null;
        }})()"""
        return self._sync(self._navigation_after(js, timeout, f"submit {selector}"), timeout, f"submit {selector}")

    def click(self, selector: str, timeout: float = 10) -> int:
        """Click a visible link or button and wait for the navigation it starts; returns the new status."""
        sel = json.dumps(selector)
        js = f"""(() => {{
            const el = document.querySelector({sel});
            if (!el) return "no element matches " + {sel};
            if (!el.getClientRects().length) return {sel} + " is not visible";
            if (el.disabled) return {sel} + " is disabled";
            el.scrollIntoView({{block: "center"}});
            el.click();
            return null;
        }})()"""
        return self._sync(self._navigation_after(js, timeout, f"click {selector}"), timeout, f"click {selector}")

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        """Save a PNG of the viewport (or of the whole page, scrolled parts too), for a person to look at."""

        async def shoot() -> dict[str, Any]:
            params: dict[str, Any] = {"format": "png"}
            if full_page:
                size = (await self._call("Page.getLayoutMetrics", timeout=20))["cssContentSize"]
                params |= {"captureBeyondViewport": True,
                           "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}
            return await self._call("Page.captureScreenshot", params, 20)

        data = self._sync(shoot(), 20, "screenshot")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def set_files(self, selector: str, paths: list[Path]) -> None:
        """Choose files in an <input type=file>, as the file dialog would."""

        async def choose() -> None:
            root = (await self._call("DOM.getDocument", {"depth": 0}))["root"]["nodeId"]
            node = (await self._call("DOM.querySelector", {"nodeId": root, "selector": selector}))["nodeId"]
            if not node:
                raise BrowserError(f"set_files: no element matches {selector}")
            await self._call("DOM.setFileInputFiles", {"nodeId": node, "files": [str(p) for p in paths]})

        self._sync(choose(), 10, f"set_files {selector}")

    def set_accept_language(self, value: str) -> None:
        """The Accept-Language this tab sends, as a browser set to that language would."""
        self._sync(self._call("Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": value}}), 10,
                   "set_accept_language")

    def set_cookie(self, name: str, value: str, url: str) -> None:
        """Put a cookie into this tab's context (e.g. a forged one), as if a server had set it."""
        self._sync(self._call("Network.setCookie", {"name": name, "value": value, "url": url}), 10, "set_cookie")

    def set_viewport(self, width: int, height: int, mobile: bool = False) -> None:
        """Emulate a screen; with mobile=True the page's <meta name=viewport> applies and touch is on."""

        async def apply() -> None:
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
            await self._call("Emulation.setDeviceMetricsOverride", metrics)
            await self._call("Emulation.setTouchEmulationEnabled", {"enabled": mobile})

        self._sync(apply(), 10, "set_viewport")

    def close(self) -> None:
        """Close the tab and drop its browser context (cookies, storage)."""
        if self in self._browser._pages:
            self._browser._pages.remove(self)
        if not self.target_id or self._browser._loop is None:
            return

        async def shut() -> None:
            self._conn.sessions.pop(self.session_id, None)
            with contextlib.suppress(BrowserError):
                await self._conn.call("Target.closeTarget", {"targetId": self.target_id}, None, 5)
            with contextlib.suppress(BrowserError):
                await self._conn.call("Target.disposeBrowserContext", {"browserContextId": self._context_id}, None, 5)

        self._sync(shut(), 10, "closing the page")
        self.target_id = ""

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Page {self.target_id[:8]} session={self.session_id[:8]}>"
