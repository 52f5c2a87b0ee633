"""Shared fixtures; the helpers themselves live in support.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_HINT, Browser
from dovecot import DOVECOT, INSTALL_HINT, Dovecot
from postgres import INSTALL_HINT as POSTGRES_HINT
from postgres import Postgres
from postgres import available as postgres_available
from support import Center


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run the test once on SQLite and once on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str | None:
    """The database URL of the test's centers: None (SQLite in the center's folder) unless the test is marked
    `both_backends`, which runs it a second time on a fresh PostgreSQL schema."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    server: Postgres = request.getfixturevalue("postgres")
    url = server.new_url()
    request.addfinalizer(lambda: server.drop(url))  # after the centers' daemons are stopped
    return url


@pytest.fixture
def center(tmp_path: Path, backend: str | None) -> Iterator[Center]:
    c = Center(tmp_path, database_url=backend)
    yield c
    if c.proc is not None and c.proc.poll() is None:
        c.proc.kill()
        c.proc.wait()


@pytest.fixture
def make_center(tmp_path: Path, backend: str | None) -> Iterator[Callable[..., Center]]:
    """Centers with extra config; every daemon they start is killed at the end of the test."""
    made: list[Center] = []

    def make(**kwargs: str) -> Center:
        c = Center(tmp_path / f"c{len(made)}", **{"database_url": backend, **kwargs})  # type: ignore[arg-type]
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
def postgres() -> Iterator[Postgres]:
    """One PostgreSQL for the session (throwaway cluster, or POSTDESK_TEST_DATABASE_URL); `new_url()` per test."""
    if not postgres_available():
        pytest.skip(POSTGRES_HINT)
    with Postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The storage and pipeline tests run once on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'postdesk.db'}"
        return
    server: Postgres = request.getfixturevalue("postgres")
    url = server.new_url()
    yield url
    server.drop(url)


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
