"""The wizard asks a question only where the answers so far make it matter (issue 12): the
common case keeps the six steps and the questions it always had; endpoints bring in the
"Security and DNS" step; an answer that brings up questions on its own step shows them in
place, with htmx, and keeps the user where they were."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from advisor.rules import parse_query, permalink
from tests.e2e.test_quality import serious_violations

pytestmark = pytest.mark.e2e

# The questions each step showed for the common case (a private subnet with a NAT gateway,
# the image in ECR, awslogs, no endpoints, no load balancer) before the network-detail
# questions existed: the walk must show exactly these, no more.
COMMON_CASE = [
    ("Platform", ["os", "arch", "platform_version"]),
    ("Network", ["subnet", "public_ip", "nat_gateway", "ip_mode", "vpc_dns"]),
    ("VPC endpoints", ["endpoints", "endpoint_private_dns"]),
    ("Image", ["registry"]),
    ("Task features", ["log_driver", "secrets", "cmk", "efs", "ecs_exec"]),
    ("Load balancer", ["load_balancer", "subnet_count", "security_group_count"]),
]
ENDPOINT_QUESTIONS = ["Where the interface endpoints are", "Interface endpoints' security group",
                      "Endpoint policies", "S3 gateway endpoint's route tables"]
EFS_QUESTIONS = ["EFS mount targets' security group", "EFS mount targets",
                 "EFS IAM authorization", "EFS access point", "EFS transit encryption"]


def answer(page: Any, question: str, choice: str) -> Any:
    option = page.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True)
    option.check()
    return option


def shown_questions(page: Any) -> list[str]:
    """The questions on screen, by name: each is a wrapper `div_id_<name>`."""
    ids: list[str] = page.locator("#wizard-form div[id^='div_id_']:visible").evaluate_all(
        "elements => elements.map(e => e.id)")
    return [i.removeprefix("div_id_") for i in ids]


def heading(page: Any) -> Any:
    return page.locator("#step-heading")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_the_common_case_reaches_its_result_in_six_steps_with_no_new_question(
    make_page: Any, live_server: Any, javascript: bool
) -> None:
    page = make_page(javascript=javascript).page
    page.goto("/")
    for number, (title, questions) in enumerate(COMMON_CASE, start=1):
        expect(heading(page)).to_have_text(re.compile(rf"Step {number} of 6:\s*{title}"))
        assert shown_questions(page) == questions
        expect(page.locator(".optional-heading")).to_have_count(0)
        if title == "Network":
            answer(page, "NAT gateway route", "Yes")
        if number < len(COMMON_CASE):
            page.get_by_role("button", name=f"Next: {COMMON_CASE[number][0]}").click()
    page.get_by_role("button", name="See the result", exact=True).click()
    expect(page).to_have_url(live_server.url + permalink(parse_query("nat_gateway=true")))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_endpoints_without_nat_bring_in_the_security_step(make_page: Any,
                                                          javascript: bool) -> None:
    page = make_page(javascript=javascript).page
    page.goto("/?step=endpoints")
    expect(heading(page)).to_have_text(re.compile(r"Step 3 of 6:\s*VPC endpoints"))
    endpoints = page.get_by_role("group", name="VPC endpoints in the task's VPC", exact=True)
    for name in ("ecr.api", "ecr.dkr", "s3 (gateway", "logs ("):
        endpoints.get_by_label(re.compile("^" + re.escape(name))).check()
    # With htmx the step re-rendered and its Next names the new step; without, the Next it
    # had still leads there first.
    name = "Next: Security and DNS" if javascript else "Next: Image"
    page.get_by_role("button", name=name).click()
    expect(heading(page)).to_have_text(re.compile(r"Step 4 of 7:\s*Security and DNS"))
    for question in ENDPOINT_QUESTIONS:
        expect(page.get_by_role("group", name=question, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=re.compile("^Optional:"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Step 4 of 7")
           .get_by_role("link", name="Security and DNS")).to_be_visible()
    # No NAT: the question of what the default route reaches does not arise.
    expect(page.get_by_role("group", name="What the default route reaches")).to_have_count(0)


def test_ticking_efs_shows_its_questions_in_place_and_keeps_focus(page: Any,
                                                                 live_server: Any) -> None:
    p = page.page
    page.open("/?step=features")
    for question in EFS_QUESTIONS:
        expect(p.get_by_role("group", name=question, exact=True)).to_have_count(0)
    p.evaluate("window.__samePage = true")
    efs = answer(p, "Amazon EFS volume", "Yes")
    for question in EFS_QUESTIONS:
        expect(p.get_by_role("group", name=question, exact=True)).to_be_visible()
    expect(p.get_by_role("group", name="Amazon EFS volume", exact=True)
           .get_by_label("Yes", exact=True)).to_be_focused()
    assert efs.is_checked()
    assert p.evaluate("window.__samePage === true")  # swapped by htmx, not a page load
    expect(p).to_have_url(live_server.url + "/?step=features&efs=true")
    # Untick it: the questions go, and so do their answers.
    answer(p, "EFS mount targets' security group", "Does not")
    answer(p, "Amazon EFS volume", "No")
    expect(p.get_by_role("group", name=EFS_QUESTIONS[0], exact=True)).to_have_count(0)
    expect(p).to_have_url(live_server.url + "/?step=features")
    assert p.evaluate("window.__samePage === true")


class Held:
    """The wizard's in-place re-renders and live-summary requests held in the browser until
    released, so a test can put a user's action in the window a slow network opens."""

    PATTERNS = {"refresh": re.compile(r"/\?.*[?&]refresh=1"), "summary": re.compile(r"/summary/")}

    def __init__(self, page: Any) -> None:
        self.page = page
        self.routes: dict[str, list[Any]] = {kind: [] for kind in self.PATTERNS}
        self.released: set[str] = set()
        for kind, pattern in self.PATTERNS.items():
            page.route(pattern, self._handler(kind))

    def _handler(self, kind: str) -> Any:
        def handle(route: Any) -> None:
            if kind in self.released:
                route.continue_()
            else:
                self.routes[kind].append(route)
        return handle

    def wait_for(self, kind: str) -> None:
        for _ in range(400):  # the route handlers run while Playwright waits
            if self.routes[kind]:
                return
            self.page.wait_for_timeout(25)
        raise AssertionError(f"the browser never asked for a {kind}")

    def release(self, kind: str) -> None:
        self.released.add(kind)
        for route in self.routes[kind]:
            route.continue_()


def test_answers_changed_while_the_step_re_renders_are_kept(page: Any, live_server: Any) -> None:
    """Clean-clone runs under load lost answers: ticked while a re-render was on its way, the
    re-render (built from what was sent) put the old answer back; and the live summary settling
    between the re-render's swap and its settle (when htmx wires up the new questions) took the
    put-back away. Hold the re-render, answer meanwhile, let the re-render through and the live
    summary land in that gap: both answers stand, and each brought up its own questions."""
    p = page.page
    page.open("/?step=features")
    # A wide gap between the re-render's swap and its settle, and none for the live summary.
    p.evaluate("htmx.config.defaultSettleDelay = 400")
    p.evaluate("document.getElementById('live-summary')"
               ".setAttribute('hx-swap', 'innerHTML settle:0ms')")
    held = Held(p)
    efs = answer(p, "Amazon EFS volume", "Yes")
    held.wait_for("refresh")
    exec_yes = answer(p, "ECS Exec", "Yes")
    held.wait_for("summary")
    held.release("refresh")
    # Swapped in, not yet settled: now the live summary lands.
    expect(p.locator("#div_id_efs_sg")).to_be_attached()
    held.release("summary")
    for question in [*EFS_QUESTIONS, "ECS Exec session logging"]:
        expect(p.get_by_role("group", name=question, exact=True)).to_be_visible()
    expect(efs).to_be_checked()
    expect(exec_yes).to_be_checked()
    expect(p).to_have_url(live_server.url + "/?step=features&efs=true&ecs_exec=true")


def test_next_pressed_while_the_step_re_renders_still_goes_on(page: Any) -> None:
    """A clean-clone run under load went back to step 1: Next, pressed while the live summary
    was in flight, waited its turn, and the step's re-render replaced the button meanwhile, so
    htmx sent the request without the step the button names. Hold both, press Next, let the
    re-render replace the button, then the summary: the wizard goes on to the next step."""
    p = page.page
    page.open("/?step=features")
    held = Held(p)
    answer(p, "Amazon EFS volume", "Yes")
    held.wait_for("refresh")
    held.wait_for("summary")
    p.get_by_role("button", name="Next: Load balancer").click()  # waits behind the summary
    held.release("refresh")
    expect(p.locator("#div_id_efs_sg")).to_be_attached()  # the button pressed is gone
    held.release("summary")
    expect(heading(p)).to_have_text(re.compile(r"Step 6 of 6:\s*Load balancer"))
    expect(p).to_have_url(re.compile(r"/\?step=load_balancer&.*efs=true"))


def test_next_sent_between_the_re_render_and_its_settle_carries_every_answer(
        page: Any, live_server: Any) -> None:
    """A clean-clone run under load lost `dualstack_account_setting` from the walk. CSS shows
    that question as soon as dual-stack is picked, so a user answers it before the re-render
    that picking asked for is back; the re-render (built from what was sent) comes without the
    answer, and it was put back only when the re-render settled, 20 ms later. Next, waiting
    behind the live summary, went in that gap without it. Hold the re-render and the summary,
    answer, press Next, let the re-render swap in and (with a wide settle delay) the summary
    land before it settles: Next still carries the answer."""
    p = page.page
    page.open("/?step=network&nat_gateway=true")
    p.evaluate("htmx.config.defaultSettleDelay = 1000")
    p.evaluate("document.getElementById('step-fields').dataset.before = 'yes'")
    held = Held(p)
    answer(p, "IP addressing", "Dual-stack (IPv4 and IPv6)")
    held.wait_for("refresh")
    held.wait_for("summary")
    answer(p, "dualStackIPv6 account setting", "Yes")  # shown at once, by CSS
    p.get_by_role("button", name="Next: VPC endpoints").click()  # waits behind the summary
    held.release("refresh")
    expect(p.locator("#step-fields:not([data-before])")).to_be_attached()  # swapped in
    held.release("summary")
    expect(heading(p)).to_have_text(re.compile(r"Step 3 of 6:\s*VPC endpoints"))
    expect(p).to_have_url(re.compile(r"[?&]dualstack_account_setting=true(&|$)"))


def test_changing_the_route_drops_the_answer_that_depended_on_it(page: Any,
                                                                live_server: Any) -> None:
    p = page.page
    page.open("/?step=security&nat_gateway=true&more=1")
    answer(p, "What the default route reaches",
           "A firewall or proxy that allow-lists domain names")
    answer(p, "The firewall's allow-list", "Leaves some out")
    expect(p).to_have_url(re.compile(r"egress_allowlist=missing"))  # the progress links too
    p.get_by_role("navigation", name=re.compile("^Step")).get_by_role("link",
                                                                       name="Network").click()
    answer(p, "NAT gateway route", "No")
    p.get_by_role("button", name="See the result with what I have answered").click()
    expect(p).to_have_url(live_server.url + "/result/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["/?step=security&endpoints=ecr_api,ecr_dkr,s3,logs",
                                 "/?step=features&efs=true&ecs_exec=true"],
                         ids=["security", "features_with_efs"])
def test_axe_finds_nothing_serious_on_the_new_questions(make_page: Any, url: str,
                                                        scheme: str) -> None:
    page = make_page(scheme=scheme)
    page.open(url)
    assert serious_violations(page.page) == []
