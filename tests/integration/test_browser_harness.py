"""The headless-Chromium harness (tests/lib/browser.py) sees what a user would, against a tiny local aiohttp site.

The site sends the project's own security headers, so these tests also show what the strict CSP means for a
page test: inline scripts never run, yet the harness still reads and drives the page through CDP.
"""

from __future__ import annotations

import asyncio
import html
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from browser import Browser, BrowserError, Page
from postdesk.daemon.web.app import SECURITY_HEADERS  # the headers the page really sends, so the CSP here cannot drift
from support import free_port

HEAD = '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'


def page_html(title: str, body: str) -> str:
    return f"<!doctype html><html lang=en><head>{HEAD}<title>{title}</title></head><body>{body}</body></html>"


def make_app() -> web.Application:
    """Home, a form that posts and redirects (POST/303/GET), a page with blocked scripts and one without CSP."""
    posted: list[str] = []

    async def home(request: web.Request) -> web.Response:
        body = '<h1>Postdesk harness</h1><p>Привет, мир</p><a id="to-form" href="/form">Write to us</a>'
        return web.Response(text=page_html("Harness", body), content_type="text/html")

    async def form(request: web.Request) -> web.Response:
        body = ('<form method="post" action="/form"><textarea name="body" required></textarea>'
                '<button type="submit" name="via" value="button">Send</button></form>'
                '<span id="stay">not a link</span>')
        return web.Response(text=page_html("Form", body), content_type="text/html")

    async def post(request: web.Request) -> web.Response:
        data = await request.post()
        posted.append(f"{data.get('body', '')}\n(sent via {data.get('via', 'nothing')})")
        raise web.HTTPSeeOther(f"/posted/{len(posted) - 1}")

    async def shown(request: web.Request) -> web.Response:
        text = posted[int(request.match_info["n"])]
        body = f"<pre id=body>{html.escape(text)}</pre>"
        return web.Response(text=page_html("Posted", body), content_type="text/html")

    async def xss(request: web.Request) -> web.Response:
        body = '<p>scripted</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
        return web.Response(text=page_html("XSS", body), content_type="text/html")

    async def unsafe(request: web.Request) -> web.Response:
        body = '<p>unprotected</p><script>alert("x"); console.log("ran", 1); throw new Error("boom")</script>'
        return web.Response(text=page_html("Unsafe", body), content_type="text/html")

    async def headers(request: web.Request, response: web.StreamResponse) -> None:
        if request.path != "/unsafe":
            response.headers.update(SECURITY_HEADERS)  # also on aiohttp's own 404 for unknown paths

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/form", form)
    app.router.add_post("/form", post)
    app.router.add_get(r"/posted/{n:\d+}", shown)
    app.router.add_get("/xss", xss)
    app.router.add_get("/unsafe", unsafe)
    app.on_response_prepare.append(headers)
    return app


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The app on 127.0.0.1 in a thread with its own event loop; yields the base URL."""
    port = free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(make_app())

    async def serve() -> None:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    thread = threading.Thread(target=loop.run_forever, name="harness-site", daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop).result(10)
    yield f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with browser.page() as p:
        yield p


def test_goto_returns_200_and_the_text_a_user_reads(page: Page, site: str) -> None:
    assert page.goto(site + "/") == 200
    assert page.url == site + "/"
    assert "Postdesk harness" in page.text()
    assert "Привет, мир" in page.text()
    assert '<a id="to-form" href="/form">' in page.html()
    assert page.eval("document.title") == "Harness"
    assert (page.dialogs, page.console, page.csp_violations) == ([], [], [])


def test_a_missing_page_returns_404(page: Page, site: str) -> None:
    assert page.goto(site + "/no-such-page") == 404
    assert "404" in page.text()


def test_a_form_posts_and_the_next_page_shows_the_text(page: Page, site: str) -> None:
    page.goto(site + "/")
    assert page.click("#to-form") == 200
    assert page.url == site + "/form"
    message = 'VPN не работает <b>"жирно"</b> & co\nвторая строка'
    page.fill("textarea[name=body]", message)
    assert page.submit("form") == 200  # the 303 is followed; the status is the final page's
    assert page.url.startswith(site + "/posted/")
    assert page.text() == message + "\n(sent via button)"  # the submit button took part, as a user's click does
    assert page.eval("document.querySelector('#body b')") is None  # escaped by the server, not markup


def test_mistakes_in_a_test_fail_fast_and_say_why(page: Page, site: str) -> None:
    page.goto(site + "/form")
    with pytest.raises(AssertionError, match="no element matches #nope"):
        page.fill("#nope", "x")
    with pytest.raises(AssertionError, match=r"the form is invalid: body: "):
        page.submit("form")  # the textarea is required and still empty
    with pytest.raises(AssertionError, match=r"no navigation after click #stay within 0.5 s"):
        page.click("#stay", timeout=0.5)
    with pytest.raises(AssertionError, match="ERR_CONNECTION_REFUSED"):
        page.goto(f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(AssertionError, match="boom"):
        page.eval("(() => { throw new Error('boom') })()")


def test_the_csp_blocks_inline_scripts_and_handlers(page: Page, site: str) -> None:
    assert page.goto(site + "/xss") == 200
    assert "<script>alert(1)</script>" in page.html()
    assert page.dialogs == []
    assert len(page.csp_violations) == 2, page.csp_violations  # the script and the onerror handler
    assert page.eval("1 + 1") == 2  # the harness itself is not subject to the page's CSP


def test_without_csp_the_dialog_is_recorded(page: Page, site: str) -> None:
    """The counterpart of the test above: the dialog detection can fail."""
    assert page.goto(site + "/unsafe") == 200
    assert page.dialogs == ["x"]
    assert page.console[0] == "log: ran 1"
    assert page.console[1].startswith("exception: Error: boom")
    assert page.csp_violations == []


def test_a_phone_viewport(page: Page, site: str, tmp_path: Path) -> None:
    page.set_viewport(390, 844, mobile=True)
    page.goto(site + "/")
    assert page.eval("[window.innerWidth, window.innerHeight]") == [390, 844]
    assert page.eval("matchMedia('(pointer: coarse)').matches") is True
    shot = tmp_path / "phone.png"
    page.screenshot(shot)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 390  # IHDR width


def test_each_page_has_its_own_cookies(browser: Browser, site: str) -> None:
    with browser.page() as first, browser.page() as second:
        first.goto(site + "/")
        first.eval("document.cookie = 'who=first; path=/'")
        second.goto(site + "/")
        assert first.eval("document.cookie") == "who=first"
        assert second.eval("document.cookie") == ""


def test_browser_error_is_an_assertion_error() -> None:
    assert issubclass(BrowserError, AssertionError)
