"""Fixtures shared across the suite: the server started the production way, and the browser.

`server` is gunicorn as the container starts it (tests/production.py), one per test module; a
module changes its environment by defining `server_env` (the soak test answers on loopback,
without the load balancer's HTTPS). `browser` is Debian's chromium through Playwright.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.production import Server, production_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    """Environment values over the production ones, for the module's `server`."""
    return {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]
           ) -> Iterator[Server]:
    with production_server(tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("static"),
                           **server_env) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, one per module: Playwright's sync API runs an event loop
    in this thread while it is open, so it is closed before the next module's tests."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make chromium)")
    # The advisor touches no database, but Django's guard refuses the test database's set-up
    # inside Playwright's loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
