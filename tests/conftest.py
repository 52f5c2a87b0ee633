"""Shared fixtures; the helpers themselves live in support.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_HINT, Browser
from dovecot import DOVECOT, INSTALL_HINT, Dovecot
from support import Center


@pytest.fixture
def center(tmp_path: Path) -> Iterator[Center]:
    c = Center(tmp_path)
    yield c
    if c.proc is not None and c.proc.poll() is None:
        c.proc.kill()
        c.proc.wait()


@pytest.fixture
def make_center(tmp_path: Path) -> Iterator[Callable[..., Center]]:
    """Centers with extra config; every daemon they start is killed at the end of the test."""
    made: list[Center] = []

    def make(**kwargs: str) -> Center:
        c = Center(tmp_path / f"c{len(made)}", **kwargs)
        made.append(c)
        return c

    yield make
    for c in made:
        if c.proc is not None and c.proc.poll() is None:
            c.proc.kill()
            c.proc.wait()


@pytest.fixture
def running(center: Center) -> Iterator[Center]:
    center.start()
    yield center


@pytest.fixture(autouse=True)
def _no_secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTDESK_SECRET", raising=False)
    os.environ.setdefault("TZ", "UTC")




@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One real Dovecot for the whole session; each test takes a fresh user with `dovecot.add_user()`."""
    if not Path(DOVECOT).exists():
        pytest.skip(INSTALL_HINT)
    with Dovecot() as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test opens its own tab with `browser.page()`."""
    if CHROMIUM is None:
        pytest.skip(CHROMIUM_HINT)
    with Browser() as b:
        yield b
