"""Browser tests: Playwright drives Debian's chromium (`browser`, tests/conftest.py) against
pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception or a Content
Security Policy violation fails the test at teardown, unless the test says it expects one
(`browser_page.expect_console_error(...)`, for the designed 400 page).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the advisor touches no database,
# but Django's guard would still refuse the test database's set-up inside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Collects `securitypolicyviolation` events; injected by Playwright, so the CSP does not apply.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@dataclass
class Watched:
    """A page, and what went wrong on it."""

    page: Any
    base_url: str
    problems: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)

    def open(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def expect_console_error(self, text: str) -> None:
        self.expected.append(text)

    def unexpected_problems(self) -> list[str]:
        found = list(self.problems)
        with contextlib.suppress(Exception):  # a closed page has nothing more to say
            found += [f"CSP: {v}" for v in self.page.evaluate("window.__cspViolations || []")]
        return [p for p in found if not any(e in p for e in self.expected)]


def _watch(page: Any, base_url: str) -> Watched:
    watched = Watched(page, base_url)
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda m: m.type == "error" and watched.problems.append(
        f"console: {m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: watched.problems.append(f"page error: {e}"))
    page.set_default_timeout(10_000)
    return watched


@pytest.fixture
def make_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """make_page(width=1280, scheme="light", javascript=True, **context options) -> Watched"""
    contexts, pages = [], []

    def make(width: int = 1280, scheme: str = "light", javascript: bool = True,
             **options: Any) -> Watched:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=scheme,
            java_script_enabled=javascript, base_url=live_server.url, **options,
        )
        contexts.append(context)
        watched = _watch(context.new_page(), live_server.url)
        pages.append(watched)
        return watched

    yield make
    problems = [p for watched in pages for p in watched.unexpected_problems()]
    for context in contexts:
        context.close()
    assert problems == [], "console errors or CSP violations"


@pytest.fixture
def page(make_page: Any) -> Watched:
    return make_page()
