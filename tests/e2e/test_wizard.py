"""The wizard in a real browser: with JavaScript and without, by mouse and by keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from advisor.rules import evaluate, parse_query, permalink

pytestmark = pytest.mark.e2e

# One walk through all six steps: (step title, [(question, answer), ...]).
WALK = [
    ("Platform", [("CPU architecture", "ARM64 (Graviton)"), ("Fargate platform version", "1.4.0")]),
    ("Network", [("NAT gateway route", "Yes"), ("IP addressing", "Dual-stack (IPv4 and IPv6)"),
                 ("dualStackIPv6 account setting", "Yes")]),
    # No endpoint: with one, the "Security and DNS" step would join the walk (issue 12).
    ("VPC endpoints", []),
    ("Image", [("Image registry", "Docker Hub")]),
    ("Task features", [("Secrets injected into containers", "AWS Secrets Manager"),
                       ("ECS Exec", "Yes")]),
    ("Load balancer", [("Load balancer", "Application Load Balancer")]),
]
WALK_ANSWERS = parse_query(
    "arch=arm64&platform_version=1.4.0&nat_gateway=true&ip_mode=dualstack"
    "&dualstack_account_setting=true&registry=docker_hub&secrets=secretsmanager"
    "&ecs_exec=true&load_balancer=alb"
)
SLUGS = ["platform", "network", "endpoints", "image", "features", "load_balancer"]
VERDICT_WORDS = {"ok": "Should work", "warning": "Should work, with warnings", "blocked": "Blocked"}


def answer(page: Any, question: str, choice: str) -> None:
    page.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True).check()


def step_heading(page: Any) -> Any:
    return page.locator("#step-heading")


def walk(page: Any) -> None:
    for number, (title, answers) in enumerate(WALK, start=1):
        expect(step_heading(page)).to_have_text(re.compile(rf"Step {number} of 6:\s*{title}"))
        for question, choice in answers:
            answer(page, question, choice)
        if number < len(WALK):
            page.get_by_role("button", name=f"Next: {WALK[number][0]}").click()
            if title == "Task features":
                # Without JavaScript, ticking ECS Exec brings up its own questions on the same
                # step: Next shows them first, and the defaults stand on the second press.
                expect(step_heading(page)).to_have_text(re.compile(r"Step 5 of 6"))
                expect(page.get_by_role("group", name="ECS Exec session logging")).to_be_visible()
                page.get_by_role("button", name=f"Next: {WALK[number][0]}").click()
        else:
            page.get_by_role("button", name="See the result", exact=True).click()


def test_walk_the_whole_wizard_with_javascript(page: Any, live_server: Any) -> None:
    p = page.page
    page.open("/")
    for number, (title, answers) in enumerate(WALK, start=1):
        expect(step_heading(p)).to_have_text(re.compile(rf"Step {number} of 6:\s*{title}"))
        if number > 1:
            # htmx swapped the step in: its heading has focus, the address is the state.
            expect(step_heading(p)).to_be_focused()
            expect(p).to_have_url(re.compile(rf"/\?step={SLUGS[number - 1]}&"))
            expect(p).to_have_title(re.compile(rf"^{title} \(step {number} of 6\)"))
        for question, choice in answers:
            answer(p, question, choice)
        if title == "Task features":
            # Ticking ECS Exec brings up its questions in place: a user sees them before going
            # on (pressed sooner, Next rightly comes back to show them).
            expect(p.get_by_role("group", name="ECS Exec session logging")).to_be_visible()
        if number < len(WALK):
            p.get_by_role("button", name=f"Next: {WALK[number][0]}").click()
    p.get_by_role("button", name="See the result", exact=True).click()
    expect(p).to_have_url(live_server.url + permalink(WALK_ANSWERS))
    verdict = evaluate(WALK_ANSWERS).verdict
    expect(p.get_by_role("heading", level=1)).to_have_text(VERDICT_WORDS[verdict.status])


def test_walk_the_whole_wizard_without_javascript(make_page: Any, live_server: Any) -> None:
    page = make_page(javascript=False)
    page.open("/")
    walk(page.page)
    expect(page.page).to_have_url(live_server.url + permalink(WALK_ANSWERS))
    verdict = evaluate(WALK_ANSWERS).verdict
    expect(page.page.get_by_role("heading", level=1)).to_have_text(VERDICT_WORDS[verdict.status])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_every_step_links_to_the_result_with_what_is_answered(
    make_page: Any, live_server: Any, javascript: bool
) -> None:
    page = make_page(javascript=javascript)
    page.open("/?step=network")
    answer(page.page, "Subnet type", "Public")
    answer(page.page, "Public IP assigned to the task", "Yes")
    page.page.get_by_role("button", name="See the result with what I have answered").click()
    expected = parse_query("subnet=public&public_ip=true")
    expect(page.page).to_have_url(live_server.url + permalink(expected))


def test_back_forward_and_reload_keep_every_answer(page: Any, live_server: Any) -> None:
    p = page.page
    page.open("/")
    answer(p, "Operating system", "Windows")
    expect(p).to_have_url(live_server.url + "/?os=windows")  # the live summary replaced it
    p.get_by_role("button", name="Next: Network").click()
    expect(p).to_have_url(live_server.url + "/?step=network&os=windows")
    answer(p, "Subnet type", "Public")
    expect(p).to_have_url(live_server.url + "/?step=network&os=windows&subnet=public")
    p.get_by_role("button", name="Next: VPC endpoints").click()
    expect(p).to_have_url(live_server.url + "/?step=endpoints&os=windows&subnet=public")

    p.go_back()
    expect(p).to_have_url(live_server.url + "/?step=network&os=windows&subnet=public")
    expect(step_heading(p)).to_contain_text("Network")
    subnet = p.get_by_role("group", name="Subnet type", exact=True)
    expect(subnet.get_by_label("Public")).to_be_checked()
    p.go_back()
    expect(step_heading(p)).to_contain_text("Platform")
    expect(p.get_by_label("Windows", exact=True)).to_be_checked()
    p.go_forward()
    expect(step_heading(p)).to_contain_text("Network")  # settled before the next step back
    p.go_forward()
    expect(step_heading(p)).to_contain_text("VPC endpoints")
    p.reload()
    expect(step_heading(p)).to_contain_text("VPC endpoints")
    assert p.locator('input[type="hidden"][name="os"]').input_value() == "windows"
    assert p.locator('input[type="hidden"][name="subnet"]').input_value() == "public"


def test_the_live_summary_follows_the_answers_politely(page: Any) -> None:
    p = page.page
    page.open("/?step=network")
    summary = p.locator("#live-summary")
    assert summary.get_attribute("aria-live") == "polite"
    expect(summary).to_contain_text("Blocked")
    answer(p, "Subnet type", "Public")
    answer(p, "Public IP assigned to the task", "Yes")
    verdict = evaluate(parse_query("subnet=public&public_ip=true")).verdict
    expect(summary).to_contain_text(VERDICT_WORDS[verdict.status])
    # The progress links now carry the new answers.
    link = p.get_by_role("navigation", name="Step 2 of 6").get_by_role("link", name="Image")
    expect(link).to_have_attribute("href", "/?step=image&subnet=public&public_ip=true")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_ipv6_and_target_type_questions_show_only_when_they_matter(
    make_page: Any, javascript: bool
) -> None:
    page = make_page(javascript=javascript)
    p = page.page
    page.open("/?step=network")
    ipv6 = p.get_by_role("group", name="IPv6 default route", exact=True)
    expect(ipv6).to_be_hidden()
    answer(p, "IP addressing", "IPv6 only")
    expect(ipv6).to_be_visible()
    page.open("/?step=load_balancer")
    target = p.get_by_role("group", name="Target group target type", exact=True)
    expect(target).to_be_hidden()
    answer(p, "Load balancer", "Network Load Balancer")
    expect(target).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_platform_versions_offered_are_those_of_the_chosen_os(
    make_page: Any, javascript: bool
) -> None:
    page = make_page(javascript=javascript)
    p = page.page
    page.open("/")
    versions = p.get_by_role("group", name="Fargate platform version", exact=True)
    expect(versions.get_by_label("1.3.0 (retired)")).to_be_visible()
    expect(versions.get_by_label("1.0.0")).to_be_hidden()
    answer(p, "Operating system", "Windows")
    expect(versions.get_by_label("1.4.0")).to_be_hidden()
    expect(versions.get_by_label("1.0.0")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no_js"])
def test_a_version_missing_for_the_os_is_named_with_the_allowed_values(
    make_page: Any, javascript: bool
) -> None:
    page = make_page(javascript=javascript)
    page.expect_console_error("400 (Bad Request)")
    p = page.page
    page.open("/?platform_version=1.3.0")
    answer(p, "Operating system", "Windows")
    p.get_by_role("button", name="Next: Network").click()
    expect(step_heading(p)).to_contain_text("Platform")
    expect(p.get_by_role("alert")).to_contain_text("Allowed values for windows: latest, 1.0.0")
    expect(p.locator("#id_platform_version_error")).to_be_visible()


def test_a_bad_link_shows_the_wizard_with_the_field_marked(page: Any) -> None:
    page.expect_console_error("400 (Bad Request)")
    response = page.open("/result/?subnet=public&registry=quay")
    assert response.status == 400
    p = page.page
    expect(step_heading(p)).to_contain_text("Image")
    expect(p.get_by_role("alert")).to_contain_text("'quay' is not an allowed value")
    expect(p.get_by_role("group", name="Image registry", exact=True)).to_contain_text(
        "Allowed values: ecr, ecr_other_region")


def test_the_keyboard_alone_walks_a_step_and_moves_focus(page: Any) -> None:
    p = page.page
    page.open("/")

    def tab_until(predicate: str, limit: int = 40) -> None:
        for _ in range(limit):
            p.keyboard.press("Tab")
            if p.evaluate(predicate):
                return
        raise AssertionError(f"never reached: {predicate}")

    p.keyboard.press("Tab")
    expect(p.get_by_role("link", name="Skip to the content")).to_be_focused()
    tab_until("document.activeElement.name === 'os'")
    p.keyboard.press("ArrowDown")
    expect(p.get_by_label("Windows", exact=True)).to_be_checked()
    expect(p.locator("#live-summary")).to_be_visible()
    tab_until("document.activeElement.textContent.startsWith('Next')")
    p.keyboard.press("Enter")
    expect(step_heading(p)).to_contain_text("Network")
    expect(step_heading(p)).to_be_focused()
    expect(p).to_have_url(re.compile(r"/\?step=network&os=windows$"))
