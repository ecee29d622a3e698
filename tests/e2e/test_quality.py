"""The quality bar: accessibility (axe), phone width, and the page weight budget."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_limits import TOO_WIDE

pytestmark = pytest.mark.e2e

STEP_PAGES = [
    "/", "/?step=network&ip_mode=dualstack", "/?step=endpoints&endpoints=ecr_api,s3",
    "/?step=image", "/?step=features&secrets=ssm", "/?step=load_balancer&load_balancer=alb",
]
RESULT_PAGES = [
    "/result/",
    "/result/?subnet=public&public_ip=true",
    "/result/?platform_version=1.3.0&efs=true&secrets=ssm&cmk=true&log_driver=firelens"
    "&load_balancer=alb&ecs_exec=true",
    "/result/?os=windows&ip_mode=ipv6_only&ipv6_egress=egress_only_igw&registry=docker_hub"
    "&load_balancer=clb&target_type=instance&subnet_count=17",
]
BAD_PAGE = "/?step=image&registry=quay&subnet_count=0"

FIRST_VISIT_BUDGET = 100 * 1024
STEP_SWAP_BUDGET = 10 * 1024


@pytest.fixture
def quick_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal of answers too wide to decide (`TOO_WIDE`) at once: at the real budget
    it takes seconds of search before the page (tests/test_limits.py checks that one); these
    tests are about the page. The live server runs in this process."""
    monkeypatch.setattr("advisor.rules.unknowns.SEARCH_BUDGET", 1_000)


def serious_violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [*STEP_PAGES, BAD_PAGE, TOO_WIDE], ids=lambda u: u[:40])
def test_axe_finds_nothing_serious_on_the_wizard(make_page: Any, url: str, scheme: str,
                                                 quick_refusal: None) -> None:
    page = make_page(scheme=scheme)
    page.expect_console_error("400 (Bad Request)")
    page.open(url)
    assert serious_violations(page.page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("url", "width"), [
    (url, (1280, 390)[number % 2]) for number, url in enumerate(RESULT_PAGES)
], ids=lambda u: str(u)[:40])
def test_axe_finds_nothing_serious_on_the_result(
    make_page: Any, url: str, scheme: str, width: int
) -> None:
    """Each result page in both colour schemes (contrast), at the desktop or the phone width
    in turn (the layout's two shapes: each is checked on two pages)."""
    page = make_page(scheme=scheme, width=width)
    page.open(url)
    page.page.get_by_text("Compare all platform versions").click()
    assert serious_violations(page.page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
@pytest.mark.parametrize("url", [*STEP_PAGES, *RESULT_PAGES, BAD_PAGE, TOO_WIDE],
                         ids=lambda u: u[:40])
def test_nothing_scrolls_sideways_on_a_phone(make_page: Any, url: str, javascript: bool,
                                            quick_refusal: None) -> None:
    page = make_page(width=390, javascript=javascript)
    page.expect_console_error("400 (Bad Request)")
    page.open(url)
    if url in RESULT_PAGES:
        page.page.get_by_text("Compare all platform versions").click()
    assert page.page.evaluate("document.documentElement.scrollWidth") <= 390


def compressed_size(response: Any) -> int:
    """Bytes on the wire, compressed as the server compresses (gzip; whitenoise's brotli is
    smaller still), plus the response headers."""
    headers = response.request.sizes()["responseHeadersSize"]
    return len(gzip.compress(response.body(), compresslevel=6)) + headers


@pytest.mark.parametrize("url", [STEP_PAGES[0], RESULT_PAGES[2]], ids=["wizard", "result"])
def test_a_first_visit_transfers_at_most_100_kb_compressed(make_page: Any, url: str) -> None:
    page = make_page()
    responses: list[Any] = []
    page.page.on("response", lambda response: responses.append(response))
    page.open(url)
    page.page.wait_for_load_state("networkidle")
    sizes = {r.url: compressed_size(r) for r in responses}
    assert sum(sizes.values()) <= FIRST_VISIT_BUDGET, sizes


def test_a_step_swap_transfers_at_most_10_kb(page: Any) -> None:
    p = page.page
    page.open("/?step=network")
    with p.expect_response(lambda r: "step=endpoints" in r.url) as swap:
        p.get_by_role("button", name="Next: VPC endpoints").click()
    assert compressed_size(swap.value) <= STEP_SWAP_BUDGET
    with p.expect_response(lambda r: "/summary/" in r.url) as summary:
        p.get_by_role("group", name="VPC endpoints in the task's VPC").get_by_label(
            "s3 (gateway endpoint)").check()
    assert compressed_size(summary.value) <= STEP_SWAP_BUDGET


@pytest.mark.parametrize("tabs", [True, False], ids=["tabs", "stacked"])
@pytest.mark.parametrize("url", RESULT_PAGES[2:], ids=lambda u: u[:40])
def test_every_landmark_on_the_result_has_its_own_name(
    make_page: Any, url: str, tabs: bool
) -> None:
    # landmark-unique is a "moderate" rule, so the serious-only checks above let it pass.
    # Without the page's script (as without JavaScript; axe itself needs it to run) each fix's
    # command kinds stay sections, that is regions: one per finding and kind.
    page = make_page()
    if not tabs:
        page.page.route("**/js/advisor*.js", lambda route: route.fulfill(
            body="", content_type="text/javascript"))
    page.open(url)
    assert (page.page.get_by_role("tab").count() > 0) is tabs
    results = Axe().run(page.page, options={"runOnly": ["landmark-unique"]})
    assert [v["id"] for v in results.response["violations"]] == []
