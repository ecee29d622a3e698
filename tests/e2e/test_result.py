"""The result page in a real browser: permalinks, copy buttons, downloads, tabs, print."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from advisor import report, views
from advisor.rules import evaluate, parse_query, permalink
from advisor.rules.result import CommandKind

pytestmark = pytest.mark.e2e

QUERY = "platform_version=1.3.0&efs=true&secrets=ssm&cmk=true&log_driver=firelens&load_balancer=alb"
RESULT = evaluate(parse_query(QUERY))


def traffic_statuses(p: Any) -> list[str]:
    table = p.get_by_role("table", name=re.compile("Traffic flows"))
    return [text.strip() for text in table.locator("td[data-label='Status']").all_inner_texts()]


def test_a_permalink_opened_fresh_shows_the_same_result(make_page: Any, live_server: Any) -> None:
    first = make_page()
    first.open("/?step=network")
    first.page.get_by_role("group", name="Subnet type", exact=True).get_by_label("Public").check()
    first.page.get_by_role("button", name="See the result with what I have answered").click()
    link = first.page.get_by_label(re.compile("Permalink")).input_value()
    heading = first.page.get_by_role("heading", level=1).inner_text()
    statuses = traffic_statuses(first.page)
    findings = first.page.locator("article.finding h3").all_inner_texts()

    fresh = make_page(width=390, scheme="dark")
    fresh.page.goto(link)
    assert fresh.page.url == link
    assert fresh.page.get_by_role("heading", level=1).inner_text() == heading
    assert traffic_statuses(fresh.page) == statuses
    assert fresh.page.locator("article.finding h3").all_inner_texts() == findings


def test_copy_buttons_put_the_right_text_on_the_clipboard(make_page: Any, live_server: Any) -> None:
    page = make_page(permissions=["clipboard-read", "clipboard-write"])
    p = page.page
    page.open(permalink(RESULT.answers))
    # The pages' Permissions-Policy denies clipboard-read, as it should: the test reads the
    # clipboard from a static file of the same origin, which carries no such policy.

    def copy(name: str) -> str:
        button = p.get_by_role("button", name=name)
        button.click()
        expect(p.get_by_role("button", name=re.compile(f"^Copied {name[5:]}"))).to_have_class(
            re.compile(r"\bcopied\b"))  # the label changes once the write has resolved
        reader = p.context.new_page()
        reader.goto(live_server.url + "/static/img/favicon.svg")
        text = reader.evaluate("navigator.clipboard.readText()")
        reader.close()
        p.bring_to_front()
        return text

    assert copy("Copy the permalink") == live_server.url + RESULT.permalink
    for role in RESULT.roles:
        trust = json.loads(copy(f"Copy the trust policy of {role.name}"))
        assert trust["Statement"][0]["Principal"] == {"Service": role.trust_principal}
        if role.permissions:
            policy = json.loads(copy(f"Copy the permissions policy of {role.name}"))
            assert policy["Statement"][0]["Action"] == list(role.permissions)
    finding = report.ordered_findings(RESULT)[0]
    cli = [c.text for c in finding.commands if c.kind is CommandKind.AWS_CLI]
    part = f", {views._part_name(cli[0], 1)}," if len(cli) > 1 else ""
    assert copy(f"Copy AWS CLI{part} for finding 1") == cli[0]


def test_the_markdown_download_matches_the_page(page: Any, live_server: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    with p.expect_download() as info:
        p.get_by_role("link", name="Download Markdown").click()
    download = info.value
    assert download.suggested_filename == "fargate-networking-advice.md"
    text = Path(download.path()).read_text()
    assert text == report.render_markdown(RESULT, base_url=live_server.url)
    # What the page says, the file says, in the same order.
    headings = p.locator("article.finding h3").all_inner_texts()
    titles = [re.sub(r"^\d+\.\s*", "", heading) for heading in headings]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert f"**Verdict: {RESULT.verdict.status.value}**" in text
    assert p.get_by_label(re.compile("Permalink")).input_value() in text


def test_the_json_download_is_the_apis_answer(page: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    link = p.get_by_role("link", name="Download JSON")
    assert link.get_attribute("href") == "/api/v1/evaluate?" + RESULT.permalink.split("?", 1)[1]
    assert link.get_attribute("download")


def test_command_tabs_work_by_keyboard_with_javascript(page: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    first = p.locator("article.finding").first
    tabs = first.get_by_role("tab")
    expect(tabs).to_have_text(["AWS CLI", "CloudFormation", "Terraform"])
    panels = first.get_by_role("tabpanel")
    expect(panels).to_have_count(1)  # the hidden panels are out of the accessibility tree
    tabs.first.focus()
    p.keyboard.press("ArrowRight")
    cloudformation = first.get_by_role("tab", name="CloudFormation")
    expect(cloudformation).to_be_focused()
    expect(cloudformation).to_have_attribute("aria-selected", "true")
    expect(first.get_by_role("tabpanel", name="CloudFormation")).to_be_visible()
    p.keyboard.press("End")
    expect(first.get_by_role("tabpanel", name="Terraform")).to_be_visible()
    p.keyboard.press("ArrowRight")
    expect(first.get_by_role("tabpanel", name="AWS CLI")).to_be_visible()


def test_without_javascript_every_command_shows_stacked(make_page: Any) -> None:
    page = make_page(javascript=False)
    p = page.page
    page.open(permalink(RESULT.answers))
    first = p.locator("article.finding").first
    for title in ("AWS CLI", "CloudFormation", "Terraform"):
        expect(first.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(p.get_by_role("button", name=re.compile("^Copy"))).to_have_count(0)


def test_the_comparison_switch_shows_all_platforms_with_yours_marked(page: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    table = p.get_by_role("table", name=re.compile("all three platform columns"))
    expect(table).to_be_hidden()
    p.get_by_text("Compare all platform versions").click()
    expect(table).to_be_visible()
    expect(table.locator("thead th.yours")).to_contain_text("1.3.0")
    expect(table.locator("tbody tr")).to_have_count(7)


def test_traffic_rows_link_to_their_findings(page: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    blocked = next(row for row in RESULT.traffic if row.findings)
    p.locator(f"a[href='#finding-{blocked.findings[0]}']").first.click()
    expect(p.locator(f"#finding-{blocked.findings[0]}")).to_be_in_viewport()


def test_change_answers_returns_to_the_wizard_with_every_answer(page: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    p.get_by_role("link", name="Change answers").first.click()
    expect(p.locator("#step-heading")).to_contain_text("Platform")
    expect(p.get_by_label("1.3.0 (retired)")).to_be_checked()
    p.get_by_role("button", name="See the result with what I have answered").click()
    expect(p).to_have_url(re.compile(re.escape(RESULT.permalink) + "$"))


def test_print_is_a_compact_report_without_controls(page: Any) -> None:
    p = page.page
    page.open(permalink(RESULT.answers))
    first = p.locator("article.finding").first
    first.get_by_role("tab", name="Terraform").click()
    p.emulate_media(media="print")
    # Each fix prints the commands on screen, under their heading, not every kind of them.
    expect(first.locator("[id$='-terraform'] pre").first).to_be_visible()
    expect(first.locator("[id$='-terraform'] h4")).to_be_visible()
    expect(first.locator("[id$='-aws-cli'] pre").first).to_be_hidden()
    later = p.locator("article.finding").nth(1)
    expect(later.locator(".tab-panel").first.locator("pre").first).to_be_visible()
    for control in (p.get_by_role("button", name="Copy the permalink"),
                    p.get_by_role("link", name="Change answers").first,
                    p.get_by_role("link", name="Change answers").last,
                    p.get_by_role("navigation", name="On this page"),
                    p.get_by_role("tablist").first,
                    p.get_by_role("link", name=re.compile("Change the .* answers")).first):
        expect(control).to_be_hidden()
    # On paper the traffic table stays a table, not the phone's stacked blocks.
    table = p.get_by_role("table", name=re.compile("Traffic flows"))
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert p.evaluate("""() => [...document.querySelectorAll('h2, h3, h4')]
        .every(h => getComputedStyle(h).breakAfter === 'avoid')""")


def pdf_pages(p: Any) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", p.pdf(format="A4")))


@pytest.mark.parametrize("query", [
    QUERY,
    "ip_mode=dualstack&load_balancer=alb&target_type=instance&efs=true&secrets=ssm"
    "&log_driver=firelens",
])
def test_a_result_with_many_findings_prints_in_a_few_pages(page: Any, query: str) -> None:
    result = evaluate(parse_query(query))
    page.open(permalink(result.answers))
    pages = pdf_pages(page.page)
    assert len(result.findings) >= 6
    assert pages <= 12, pages
