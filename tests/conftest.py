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


# The fuzzers send any answers, many of them unknown: deciding some takes up to the whole
# search budget (2-5 s each), and a refusal is one of the designed answers they accept. Under
# this smaller budget such a set is refused in well under a second, so a run's time does not
# hang on which sets the seed drew. Deciding wide answer sets is tested where it is the point
# (tests/rules/test_search.py, tests/test_limits.py).
FUZZ_SEARCH_BUDGET = 100_000


@pytest.fixture(scope="module")
def fuzz_budget() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("advisor.rules.unknowns.SEARCH_BUDGET", FUZZ_SEARCH_BUDGET)
        yield


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


# Coverage is measured by the tests written to reach code. These re-run code that others reach,
# over thousands of generated inputs or whole answer grids (robustness and invariants, not
# reach), and coverage's tracer triples their time: CI's ten minutes. `make test` checks the
# floors without them (.ci/coverage_floors.py).
UNMEASURED_MODULES = {
    "test_fuzz_pages.py", "test_fuzz_api.py", "test_fuzz_embed.py", "test_fuzz_cli.py",
    "test_importers_fuzz.py", "test_soak.py",
}
UNMEASURED_TESTS = {
    "test_verdict_holds_for_every_completion_on_the_grid",
    "test_verdict_holds_for_sampled_completions",
    "test_complete_answers_blocker_findings_are_exactly_the_violated_requirements",
    "test_blocker_findings_match_violated_requirements_everywhere",
    "test_a_filter_fails_and_applies_only_where_it_says",
    "test_the_filters_shortcuts_hold_over_the_grid",
    "test_every_blocked_row_has_a_hop_that_stops_the_traffic",
    "test_every_row_that_gets_through_has_a_route_of_passing_hops_that_ends_in_a_service",
    "test_rows_not_used_or_unsupported_have_no_route",
    "test_every_grid_configuration_satisfies_the_invariants",
    "test_every_answer_set_satisfies_the_invariants",
    "test_every_feature_grid_configuration_satisfies_the_invariants",
    "test_a_task_with_an_internet_path_never_requires_an_endpoint",
    "test_every_hop_of_every_route_is_drawn_and_a_blocked_hop_drawn_blocked",
    "test_backjumping_finds_what_the_plain_walk_finds",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = getattr(item, "originalname", item.name)
        if item.path.name in UNMEASURED_MODULES or name in UNMEASURED_TESTS:
            item.add_marker(pytest.mark.no_cover)
