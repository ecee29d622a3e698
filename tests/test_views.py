"""The wizard and result pages: full pages and htmx partials, canonical URLs, designed 400s."""

from __future__ import annotations

import html
import json
import re
from html import escape, unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client

from advisor import report
from advisor.links import STEPS, flow
from advisor.presentation import COMMAND_TITLES
from advisor.rules import evaluate, parse_query, permalink, to_query
from advisor.rules.answers import FIELDS, FIELDS_BY_NAME, STEP_TITLES, Step, query_items
from advisor.rules.knowledge import COLUMN_TITLES, column_for
from advisor.views import _part_name
from tests.test_forms import EVERY_QUESTION_QUERY

HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx_from(current_url: str) -> dict[str, str]:
    return {**HTMX, "HTTP_HX_CURRENT_URL": f"http://testserver{current_url}"}


def step_url(step: Step, query: str = "") -> str:
    parts = ([] if step is STEPS[0] else [f"step={step.value}"]) + ([query] if query else [])
    return "/" + ("?" + "&".join(parts) if parts else "")


def html_of(response: Any) -> str:
    return response.content.decode()


def full_submission(step: Step, query: str, go_to: str) -> str:
    """What a browser sends when a step's form is submitted: every answer, then the button."""
    answers = dict(query_items(parse_query(query)))
    return "/?" + "&".join(f"{k}={v}" for k, v in answers.items()) + f"&step={go_to}"


# --- Every step is a URL ---------------------------------------------------------------------


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.value)
def test_every_step_url_renders_on_its_own_as_a_full_page(client: Client, step: Step) -> None:
    response = client.get(step_url(step, "subnet=public&public_ip=true"))
    html = html_of(response)
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    steps = flow(parse_query("subnet=public&public_ip=true"), current=step)
    number, total = steps.index(step) + 1, len(steps)
    heading = (rf'<h2 id="step-heading"[^>]*>.*Step {number} of {total}:'
               rf'.*{escape(STEP_TITLES[step])}</h2>')
    assert re.search(heading, html)
    for field in FIELDS:
        if field.step is step:
            assert f'name="{field.name}"' in html
    assert 'aria-current="step"' in html
    assert "Vary" in response and "HX-Request" in response["Vary"]


def test_the_progress_links_every_step_with_the_answers_so_far(client: Client) -> None:
    html = html_of(client.get(step_url(Step.IMAGE, "subnet=public&public_ip=true")))
    start = html.index('<nav id="progress"')
    nav = html[start:html.index("</nav>", start)]
    assert "Step 4 of 6" in nav
    links = [unescape(href) for href in re.findall(r'href="([^"]+)"', nav)]
    in_flow = [s for s in STEPS if s not in (Step.SECURITY, Step.RESOURCES)]
    assert links == [step_url(step, "subnet=public&public_ip=true") for step in in_flow]


def test_an_unknown_step_name_shows_the_first_step(client: Client) -> None:
    response = client.get("/?step=nonsense&subnet=public")
    assert response.status_code == 302
    assert response["Location"] == "/?subnet=public"


# --- Full page or partial --------------------------------------------------------------------


def test_htmx_gets_only_the_step_and_the_progress_out_of_band(client: Client) -> None:
    response = client.get(step_url(Step.NETWORK, "subnet=public"), **HTMX)
    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html and "<header" not in html
    assert '<h2 id="step-heading"' in html
    assert re.search(r'<nav id="progress"[^>]*hx-swap-oob="true"', html)
    assert "<title>" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_submission_is_not_redirected_but_pushes_the_canonical_url(client: Client) -> None:
    response = client.get(full_submission(Step.PLATFORM, "os=windows&platform_version=1.0.0",
                                          "network"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/?step=network&os=windows&platform_version=1.0.0"


def test_a_history_restore_request_gets_the_full_page(client: Client) -> None:
    response = client.get(step_url(Step.NETWORK), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert html_of(response).startswith("<!doctype html>")


def test_a_plain_form_submission_is_redirected_to_the_canonical_url(client: Client) -> None:
    url = full_submission(Step.NETWORK, "subnet=public&public_ip=true", "endpoints")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/?step=endpoints&subnet=public&public_ip=true"
    assert client.get(response["Location"]).status_code == 200


def test_back_keeps_the_answers_changed_on_the_current_step(client: Client) -> None:
    response = client.get(full_submission(Step.NETWORK, "nat_gateway=true", "platform"))
    assert response["Location"] == "/?nat_gateway=true"


@pytest.mark.parametrize("query", ["", "subnet=public&public_ip=true&endpoints=s3,ecr_api"])
def test_see_the_result_goes_to_the_permalink(client: Client, query: str) -> None:
    url = full_submission(Step.IMAGE, query, "result")
    expected = permalink(parse_query(query))
    plain = client.get(url)
    assert (plain.status_code, plain["Location"]) == (302, expected)
    with_htmx = client.get(url, **HTMX)
    assert with_htmx["HX-Redirect"] == expected


# --- The live summary -------------------------------------------------------------------------


def test_the_live_summary_gives_the_verdict_and_replaces_the_url(client: Client) -> None:
    query = "subnet=public&public_ip=true"
    submitted = full_submission(Step.NETWORK, query, "x").replace("/?", "/summary/?")
    response = client.get(submitted, **htmx_from(step_url(Step.NETWORK)))
    html = html_of(response)
    verdict = evaluate(parse_query(query)).verdict
    assert response.status_code == 200
    assert escape(verdict.summary) in html
    assert f'href="{escape(permalink(parse_query(query)))}"' in html
    assert response["HX-Replace-Url"] == step_url(Step.NETWORK, query)
    assert re.search(r'<nav id="progress"[^>]*hx-swap-oob="true"', html)


def test_the_live_summary_names_a_problem_instead_of_a_verdict(client: Client) -> None:
    response = client.get("/summary/?os=windows&platform_version=1.4.0",
                          **htmx_from(step_url(Step.PLATFORM)))
    html = html_of(response)
    assert response.status_code == 200
    assert "Not evaluated" in html
    assert "Allowed values for windows: latest, 1.0.0" in html
    assert "HX-Replace-Url" not in response


def test_the_live_summary_without_htmx_sends_the_browser_to_the_wizard(client: Client) -> None:
    response = client.get("/summary/?subnet=public")
    assert (response.status_code, response["Location"]) == (302, "/?subnet=public")


# --- Bad values in the URL --------------------------------------------------------------------

BAD_VALUES = {
    "unknown_os": ("os=macos", "os"),
    "bad_boolean": ("step=features&efs=perhaps", "efs"),
    "unknown_registry_from_another_step": ("step=network&registry=quay", "registry"),
    "unknown_endpoint": ("endpoints=ecr_api,sqs", "endpoints"),
    "zero_subnets": ("subnet_count=0", "subnet_count"),
    "version_missing_for_os": ("os=windows&platform_version=1.4.0", "platform_version"),
}


@pytest.mark.parametrize(("query", "field"), BAD_VALUES.values(), ids=BAD_VALUES.keys())
@pytest.mark.parametrize("address", ["/", "/result/", "/result.md"])
def test_a_bad_value_shows_the_wizard_at_its_step_marked_with_the_allowed_values(
    client: Client, address: str, query: str, field: str
) -> None:
    response = client.get(f"{address}?{query}")
    html = html_of(response)
    question = FIELDS_BY_NAME[field]
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    title = escape(STEP_TITLES[question.step])
    assert re.search(rf'<h2 id="step-heading"[^>]*>.*{title}</h2>', html)
    assert f'id="id_{field}_error"' in html
    assert "Allowed values" in unescape(html) or "from 1 to" in html
    assert "Some answers in this address are not valid" in html


def test_a_bad_value_in_an_htmx_request_is_a_partial_400(client: Client) -> None:
    response = client.get("/?step=image&registry=quay", **HTMX)
    assert response.status_code == 400
    assert "<html" not in html_of(response)
    assert 'id="id_registry_error"' in html_of(response)


def test_a_bad_value_keeps_every_other_answer(client: Client) -> None:
    html = html_of(client.get("/result/?subnet=public&public_ip=true&registry=quay"))
    assert re.search(r'name="subnet" value="public"', html)
    assert re.search(r'name="public_ip" value="true"', html)


# --- The result page ------------------------------------------------------------------------

RESULTS = {
    "defaults": "",
    "public": "subnet=public&public_ip=true",
    "retired_with_features": "platform_version=1.3.0&efs=true&secrets=ssm&log_driver=firelens",
    "windows_nat_lb": "os=windows&nat_gateway=true&load_balancer=alb&ecs_exec=true",
    "endpoints_cmk": (
        "endpoints=ecr_api,ecr_dkr,s3,logs,secretsmanager,kms&secrets=secretsmanager&cmk=true"
    ),
}


def result_page(client: Client, query: str) -> str:
    response = client.get(f"/result/?{query}" if query else "/result/")
    assert response.status_code == 200
    return html_of(response)


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_the_result_page_starts_with_the_verdict_and_counts(client: Client, query: str) -> None:
    html = result_page(client, query)
    verdict = evaluate(parse_query(query)).verdict
    main = html[html.index("<main"):]
    assert main.index('class="verdict status-') < main.index('id="traffic"')
    assert f'class="verdict status-{verdict.status}"' in main
    assert f"{verdict.blockers} blocker" in main and f"{verdict.warnings} warning" in main
    assert escape(verdict.summary) in main


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_the_verdict_says_what_to_fix_first_and_links_its_finding(
    client: Client, query: str
) -> None:
    main = result_page(client, query).split("<main", 1)[1]
    verdict = re.search(r'<section class="verdict.*?</section>', main, re.S).group(0)
    fix = report.top_fix(evaluate(parse_query(query)))
    if fix is None:
        assert "Fix first" not in verdict
        return
    first_step = re.sub(r"</?code>", "", verdict.split("</a>): ", 1)[1])
    assert first_step.startswith(escape(fix.step))
    assert f'<strong>Fix first</strong> (<a href="#finding-{fix.finding.id}">finding {fix.number}' \
        in verdict
    assert f'id="finding-{fix.finding.id}"' in main


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_the_traffic_table_has_seven_rows_with_words_and_links_to_findings(
    client: Client, query: str
) -> None:
    html = result_page(client, query)
    result = evaluate(parse_query(query))
    table = html[html.index('<table class="stack traffic-table"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr class=\"row-(\w+)\">(.*?)</tr>", table, re.S)
    assert [status for status, _ in rows] == [row.status.value for row in result.traffic]
    words = {"ok": "OK", "blocked": "Blocked", "unsupported": "Unsupported", "not_used": "Not used"}
    for (status, cells), row in zip(rows, result.traffic, strict=True):
        assert words[status] in cells
        assert escape(row.label) in cells
        for finding_id in row.findings:
            assert f'href="#finding-{finding_id}"' in cells
            assert f'id="finding-{finding_id}"' in html


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_the_comparison_shows_all_three_columns_with_the_users_highlighted(
    client: Client, query: str
) -> None:
    html = result_page(client, query)
    platform = evaluate(parse_query(query)).platform
    table = html[html.index('<table class="comparison-table"'):]
    header = table[:table.index("</thead>")]
    for title in COLUMN_TITLES.values():
        assert title in header
    yours = re.findall(r'<th scope="col" class="yours">([^<]+)', header)
    assert yours == [COLUMN_TITLES[column_for(platform.os, platform.platform_version)] + " "]


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_each_role_has_its_trust_policy_and_exactly_its_permissions(
    client: Client, query: str
) -> None:
    html = result_page(client, query)
    result = evaluate(parse_query(query))
    for role in result.roles:
        trust = re.search(rf'<pre id="trust-{role.role}"[^>]*><code>(.*?)</code>', html, re.S)
        statement = json.loads(unescape(trust.group(1)))["Statement"][0]
        assert statement["Principal"] == {"Service": role.trust_principal}
        assert statement["Action"] == "sts:AssumeRole"
        policy = re.search(rf'<pre id="policy-{role.role}"[^>]*><code>(.*?)</code>', html, re.S)
        if role.permissions:
            document = json.loads(unescape(policy.group(1)))
            assert document["Statement"][0]["Action"] == list(role.permissions)
        else:
            assert policy is None


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_findings_are_numbered_as_in_the_markdown_with_commands_by_kind(
    client: Client, query: str
) -> None:
    html = result_page(client, query)
    result = evaluate(parse_query(query))
    ids = re.findall(r'<article id="finding-([\w-]+)"', html)
    assert ids == [finding.id for finding in report.ordered_findings(result)]
    for finding in result.findings:
        article = html[html.index(f'<article id="finding-{finding.id}"'):]
        article = article[:article.index("</article>")]
        steps = re.findall(r"<li>(.*?)</li>", article[article.find('class="remediation"'):], re.S)
        shown = [unescape(re.sub(r"</?code>", "", text)) for text in steps]
        assert shown[:len(finding.remediation)] == [s.replace("`", "") for s in finding.remediation]
        for command in finding.commands:
            assert escape(command.text) in article
            assert f'id="cmd-{finding.id}-{command.kind.value}"' in article
        for source in finding.sources:
            assert f'href="{escape(source.url)}"' in article


def test_the_endpoint_checklist_says_needed_present_or_missing(client: Client) -> None:
    query = "endpoints=ecr_api,s3"
    html = result_page(client, query)
    result = evaluate(parse_query(query))
    section = html[html.index('id="endpoints"'):html.index('id="findings"')]
    for endpoint in result.endpoints:
        row = section[section.index(escape(endpoint.name)):]
        row = row[:row.index("</tr>")]
        expected = ("Needed, present" if endpoint.required and endpoint.present
                    else "Needed, missing" if endpoint.required
                    else "Present, not needed" if endpoint.present else "Not needed")
        assert expected in row


def test_share_links_are_the_permalink_markdown_and_the_apis_json(client: Client) -> None:
    query = "subnet=public&public_ip=true"
    html = result_page(client, query)
    assert 'value="http://testserver/result/?subnet=public&amp;public_ip=true"' in html
    assert 'href="/result.md?subnet=public&amp;public_ip=true"' in html
    assert 'href="/api/v1/evaluate?subnet=public&amp;public_ip=true"' in html
    assert 'href="/?subnet=public&amp;public_ip=true">Change answers' in html


def test_the_result_url_is_made_canonical(client: Client) -> None:
    response = client.get("/result/?public_ip=true&os=linux&subnet=public&utm_source=wiki")
    assert (response.status_code, response["Location"]) == (
        302, "/result/?subnet=public&public_ip=true")


def test_the_markdown_download_is_the_report_of_the_same_result(client: Client) -> None:
    query = "platform_version=1.3.0&efs=true"
    response = client.get(f"/result.md?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    expected = report.render_markdown(evaluate(parse_query(query)), base_url="http://testserver/")
    assert response.content.decode() == expected
    assert "http://testserver/result/?platform_version=1.3.0&efs=true" in expected


# --- Strict CSP -----------------------------------------------------------------------------

PAGES = [step_url(step, "subnet=public") for step in STEPS] + [
    f"/result/?{query}" if query else "/result/" for query in RESULTS.values()
] + ["/?os=macos"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style_and_send_the_csp(client: Client, url: str) -> None:
    response = client.get(url)
    html = html_of(response)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "hx-on" not in html


def test_no_page_sets_a_cookie(client: Client) -> None:
    for url in PAGES:
        assert not client.get(url).cookies


def test_the_canonical_query_of_every_link_round_trips() -> None:
    query = "endpoints=s3,ecr_api&subnet=public"
    answers = parse_query(query)
    link = step_url(Step.IMAGE, to_query(answers))
    assert parse_query(QueryDict(urlsplit(link).query)) == answers


def test_your_answers_are_grouped_by_step_each_with_a_link_back_to_it(client: Client) -> None:
    query = "subnet=public&public_ip=true&registry=docker_hub"
    html = result_page(client, query)
    section = html[html.index('id="answers"'):html.index('id="share"')]
    links = re.findall(r'<h3>([^<]+) <a class="small" href="([^"]+)">Change', section)
    assert [(title.strip(), unescape(url)) for title, url in links] == [
        (STEP_TITLES[step], step_url(step, query)) for step in STEPS
        if step not in (Step.SECURITY, Step.RESOURCES)  # nothing there matters or was changed
    ]
    assert "<dt>Image registry</dt><dd>Docker Hub</dd>" in section
    assert "<dt>Public IP assigned to the task</dt><dd>Yes</dd>" in section


def test_an_unknown_address_gets_the_sites_404_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is no page at this address" in html_of(response)
    assert 'href="/"' in html_of(response)


def test_the_500_page_renders_on_its_own() -> None:
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "<script" not in html


# --- After an import: only the steps the documents left open ----------------------------


def test_next_and_back_pass_over_the_steps_an_import_answered(client) -> None:
    response = client.get("/?step=network&skip=platform,endpoints,image&subnet=public")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="step" value="features"' in page  # Next skips VPC endpoints and Image
    assert "Next: Task features" in page
    assert "Back:" not in page  # Platform, the only step before, was answered
    assert '<input type="hidden" name="skip" value="platform,endpoints,image">' in page
    assert "Your documents answered Platform, VPC endpoints, Image" in page


def test_the_progress_links_keep_the_skip_list_and_still_reach_every_step(client) -> None:
    page = client.get("/?step=features&skip=image").content.decode()
    assert "/?step=image&amp;skip=image" in page
    assert "Back: VPC endpoints" in page


def test_skip_is_navigation_not_an_answer(client) -> None:
    result = client.get("/?step=result&skip=platform&subnet=public")
    assert result.status_code == 302
    assert result["Location"] == "/result/?subnet=public"
    tidied = client.get("/?step=network&skip=nonsense,platform")
    assert (tidied.status_code, tidied["Location"]) == (302, "/?step=network&skip=platform")


def test_the_import_review_continues_at_the_first_open_step_skipping_answered_ones(client) -> None:
    path = "tests/fixtures/cloudformation/fargate-private-subnet-public-service.json"
    with open(path, "rb") as template:
        review = client.post("/import/", {"document": template}).content.decode()
    link = re.search(r'href="(/\?step=network&amp;skip=[^"]+)"', review)
    assert link, "the review links to the first open step with the answered ones skipped"
    url = html.unescape(link.group(1))
    # The template answers the platform and the image; the registries-secrets-logs step has
    # only optional checks. The load balancer step stays open: the template does not say
    # whether the task's security group admits the load balancer (issue 12's questions).
    assert "skip=platform,image,resources" in url
    step = client.get(url, follow=True).content.decode()
    assert "Next: VPC endpoints" in step
    features = client.get(url.replace("step=network", "step=features"), follow=True)
    assert "Back: " in features.content.decode()
    assert "Next: Load balancer" in features.content.decode()


def provenance_notes(page: str) -> dict[str, str]:
    """Each question's note on how an import answered it, by the question's name."""
    found = {}
    for name, block in re.findall(r'<div id="div_id_(\w+)"(.*?)(?=<div id="div_id_|</form>)',
                                  page, re.S):
        note = re.search(r'<span class="provenance">([^<]+)</span>', block)
        if note:
            found[name] = note.group(1)
    return found


def test_the_import_review_continues_with_the_imported_answers_marked_on_each_step(
    client,
) -> None:
    path = "tests/fixtures/cloudformation/fargate-private-subnet-public-service.json"
    with open(path, "rb") as template:
        review = client.post("/import/", {"document": template}).content.decode()
    url = html.unescape(re.search(r'href="(/\?step=network&amp;[^"]+)"', review).group(1))
    params = QueryDict(urlsplit(url).query)
    imported = params["imported"].split(",")
    assert "public_ip" in imported
    network = client.get(url, follow=True).content.decode()
    notes = provenance_notes(network)
    network_fields = {f.name for f in FIELDS if f.step is Step.NETWORK}
    assert {name for name in imported if name in network_fields} <= set(notes)
    assert notes["public_ip"] == "From your documents."
    assert not set(notes) - set(imported) - set(params.get("inferred", "").split(","))
    # Next carries the marks along: the form sends them as hidden inputs.
    assert f'<input type="hidden" name="imported" value="{params["imported"]}">' in network


def test_an_inferred_answer_is_marked_to_check(client) -> None:
    page = client.get("/?step=network&imported=subnet&inferred=public_ip").content.decode()
    notes = provenance_notes(page)
    assert notes["subnet"] == "From your documents."
    assert notes["public_ip"] == "Inferred from your documents: check it."
    assert "nat_gateway" not in notes


def test_imported_marks_are_navigation_not_answers(client) -> None:
    result = client.get("/?step=result&imported=subnet&inferred=public_ip&subnet=public")
    assert (result.status_code, result["Location"]) == (302, "/result/?subnet=public")
    tidied = client.get("/?step=network&imported=nonsense,subnet&subnet=public")
    assert (tidied.status_code, tidied["Location"]) == (
        302, "/?step=network&imported=subnet&subnet=public"
    )
    summary = client.get(
        "/summary/?imported=subnet&subnet=public", **htmx_from("/?step=network&imported=subnet")
    )
    assert summary["HX-Replace-Url"] == "/?step=network&imported=subnet&subnet=public"


def test_favicon_ico_is_served_not_a_404(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_name_both_icons(client: Client) -> None:
    page = html_of(client.get("/"))
    assert 'rel="icon" href="/static/img/favicon.ico" sizes="32x32"' in page
    assert 'type="image/svg+xml"' in page


@pytest.mark.parametrize("query", RESULTS.values(), ids=RESULTS.keys())
def test_every_command_panel_has_its_own_accessible_name(client: Client, query: str) -> None:
    html = result_page(client, query)
    names = re.findall(r'<section class="tab-panel"[^>]* aria-label="([^"]+)"', html)
    assert len(names) == len(set(names))
    result = evaluate(parse_query(query))
    for finding in result.findings:
        for kind in {c.kind for c in finding.commands}:
            assert escape(f"{COMMAND_TITLES[kind]} fix for {finding.title}") in names


def test_alternative_commands_are_named_by_their_opening_comment() -> None:
    assert _part_name("# Option 2 (instead of option 1): a NAT gateway\naws ec2 ...", 2) \
        == "Option 2 (instead of option 1): a NAT gateway"
    assert _part_name("// Option 1: endpoints\nresource ...", 1) == "Option 1: endpoints"
    assert _part_name("aws ec2 create-route ...", 3) == "part 3"


# --- Unknown answers: Not sure, the checklist, the conditional verdict -----------------------

# Until advisor/diagram.py draws the `depends` status, a result with unknown answers raises
# KeyError there (a 500); these tests pass once it does.

UNSURE = "unknown=subnet,public_ip,nat_gateway,endpoints"


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_every_question_offers_not_sure(client: Client, field) -> None:
    html = html_of(client.get(step_url(field.step, EVERY_QUESTION_QUERY), follow=True))
    option = re.search(
        rf'type="(?:radio|checkbox)"[^>]*name="{field.name}" value="unknown"[^>]*id="([^"]+)"', html
    )
    assert option
    assert re.search(rf'<label[^>]*for="{option.group(1)}"[^>]*>\s*Not sure\s*</label>', html)


def test_a_not_sure_submission_reaches_the_result_with_unknown_in_the_permalink(
    client: Client,
) -> None:
    submission = full_submission(Step.NETWORK, "subnet=unknown&public_ip=unknown", "result")
    response = client.get(submission)
    while response.status_code in (301, 302):
        response = client.get(response["Location"])
    html = html_of(response)
    assert response.status_code == 200
    assert "unknown=subnet,public_ip" in unescape(html)
    summary = html[html.index('id="answers"'):]
    assert "Not sure" in summary


def test_the_wizard_shows_an_unknown_answer_checked_as_not_sure(client: Client) -> None:
    html = html_of(client.get(step_url(Step.NETWORK, "unknown=subnet")))
    assert re.search(r'name="subnet" value="unknown"[^>]*checked', html)


def test_the_live_verdict_says_conditional(client: Client) -> None:
    html = html_of(client.get(step_url(Step.NETWORK, UNSURE)))
    assert "live-summary" in html and "status-conditional" in html


def test_the_result_lists_the_checklist_with_each_state(client: Client) -> None:
    result = evaluate(parse_query(UNSURE))
    html = unescape(html_of(client.get(permalink(result.answers))))
    assert "This task starts if:" in html
    assert "Check in your account:" in html
    for requirement in result.requirements:
        item = f'id="requirement-{requirement.id}" class="requirement state-{requirement.state}"'
        assert item in html
        if requirement.state == "unknown":
            assert requirement.check[0].text in html
    # The checklist comes right after the verdict.
    verdict, checklist = html.index('id="verdict-heading"'), html.index('id="requirements"')
    assert verdict < checklist < html.index('id="traffic"')


def test_a_violated_requirement_links_its_finding(client: Client) -> None:
    result = evaluate(parse_query("subnet=private"))
    violated = next(r for r in result.requirements if r.state == "violated")
    html = html_of(client.get(permalink(result.answers)))
    assert f'href="#finding-{violated.finding}"' in html


def test_a_conditional_verdict_shows_its_witness_and_open_conditions(client: Client) -> None:
    result = evaluate(parse_query(UNSURE))
    html = unescape(html_of(client.get(permalink(result.answers))))
    assert 'class="verdict status-conditional"' in html
    assert "Blocked if:" in html and "subnet=public" in html
    assert f'href="{result.verdict.witness.permalink}"' in html
    assert f"{result.verdict.conditions} open conditions" in html


def test_depending_rows_and_uncertain_findings_are_marked(client: Client) -> None:
    html = html_of(client.get(permalink(parse_query(UNSURE))))
    assert 'class="row-depends"' in html and ">Depends<" in html.replace("</svg>", ">")
    assert "may apply" in html


# --- Questions and steps only where the answers make them matter ------------------------------

COMMON_CASE = "nat_gateway=true"  # private subnet, NAT gateway, ECR, awslogs: the defaults


def progress_titles(page: str) -> list[str]:
    start = page.index('<nav id="progress"')
    nav = page[start:page.index("</nav>", start)]
    return [unescape(t).strip() for t in re.findall(r'aria-hidden="true">\d+</span>([^<]+)', nav)]


def test_the_common_case_walks_the_six_steps_it_always_had(client: Client) -> None:
    page = html_of(client.get(step_url(Step.ENDPOINTS, COMMON_CASE)))
    assert progress_titles(page) == ["Platform", "Network", "VPC endpoints", "Image",
                                     "Task features", "Load balancer"]
    assert "Step 3 of 6" in page and "Next: Image" in page
    last = html_of(client.get(step_url(Step.LOAD_BALANCER, COMMON_CASE)))
    assert "Step 6 of 6" in last and 'value="result"' in last


def test_endpoints_bring_the_security_step_into_the_flow(client: Client) -> None:
    page = html_of(client.get(step_url(Step.ENDPOINTS, "endpoints=ecr_api,ecr_dkr,s3,logs")))
    assert "Security and DNS" in progress_titles(page)
    assert "Step 3 of 7" in page and "Next: Security and DNS" in page
    security = html_of(client.get(step_url(Step.SECURITY, "endpoints=ecr_api,ecr_dkr,s3,logs")))
    assert "Step 4 of 7" in security and "Next: Image" in security
    assert 'name="endpoint_sg" value="allows_tasks"' in security


def test_a_step_with_optional_questions_only_is_shown_when_opened_and_counted_then(
    client: Client,
) -> None:
    page = html_of(client.get(step_url(Step.RESOURCES, COMMON_CASE)))
    assert "Step 6 of 7" in page
    assert progress_titles(page)[5] == "Registries, secrets and logs"
    assert "Next: Load balancer" in page and "Back: Task features" in page


def test_a_submission_with_a_question_that_no_longer_matters_drops_it_instead_of_a_400(
    client: Client,
) -> None:
    submission = full_submission(Step.NETWORK, "nat_gateway=true&egress_via=firewall",
                                 "endpoints").replace("nat_gateway=true", "nat_gateway=false")
    response = client.get(submission)
    assert response.status_code == 302
    assert response["Location"] == "/?step=endpoints"


def test_the_live_summary_drops_answers_that_no_longer_matter_too(client: Client) -> None:
    response = client.get("/summary/?nat_gateway=false&egress_via=firewall",
                          **htmx_from("/?step=network"))
    assert response.status_code == 200
    assert "Not evaluated" not in html_of(response)
    assert response["HX-Replace-Url"] == "/?step=network"


def test_next_without_javascript_comes_back_when_the_step_now_asks_more(client: Client) -> None:
    asked = "log_driver,secrets,cmk,efs,ecs_exec"
    response = client.get(f"/?efs=true&asked={asked}&step=load_balancer")
    assert response.status_code == 302
    assert response["Location"] == "/?step=features&efs=true"


def test_next_never_passes_a_step_the_answers_brought_into_the_flow(client: Client) -> None:
    # The Next button still named the step that followed before the endpoints were ticked.
    response = client.get("/?endpoints=ecr_api&asked=endpoints,endpoint_private_dns&step=image")
    assert response.status_code == 302
    assert response["Location"] == "/?step=security&endpoints=ecr_api"


def test_back_and_jumps_are_left_alone(client: Client) -> None:
    asked = "endpoints,endpoint_private_dns"
    back = client.get(f"/?endpoints=ecr_api&asked={asked}&step=network")
    assert back["Location"] == "/?step=network&endpoints=ecr_api"


def test_more_checks_opens_the_optional_steps_and_keeps_them_in_the_flow(client: Client) -> None:
    last = html_of(client.get(step_url(Step.LOAD_BALANCER, COMMON_CASE)))
    assert re.search(r'<button[^>]*name="step" value="checks"[^>]*>\s*More checks: security '
                     r"groups, network ACLs, DNS, registries, secrets and logs", last)
    response = client.get(f"/?{COMMON_CASE}&step=checks")
    assert response["Location"] == f"/?step=security&more=1&{COMMON_CASE}"
    security = html_of(client.get(response["Location"]))
    assert progress_titles(security) == [STEP_TITLES[s] for s in STEPS]
    assert "Next: Image" in security and 'name="more" value="1"' in security
    assert 'value="checks"' not in security
    assert 'name="egress_via"' in security and "optional-heading" in security


def test_the_result_page_offers_the_more_checks(client: Client) -> None:
    page = html_of(client.get(f"/result/?{COMMON_CASE}"))
    link = re.search(r'<a href="([^"]+)">More checks: security groups', page)
    assert link and unescape(link.group(1)) == f"/?step=security&more=1&{COMMON_CASE}"


def test_the_result_lists_the_answers_that_matter_and_the_checks_that_were_changed(
    client: Client,
) -> None:
    page = html_of(client.get("/result/?nat_gateway=true&nacl=blocks"))
    answers = page[page.index('id="answers"'):]
    assert "Network ACL of the task subnets" in answers  # changed from AWS's default
    assert "Task security groups: outbound rules" not in answers  # left at AWS's default
    assert "EFS mount targets" not in answers  # no EFS volume
    assert "Registries, secrets and logs" not in answers


def test_a_step_re_rendered_in_place_replaces_the_address_instead_of_pushing_it(
    client: Client,
) -> None:
    response = client.get("/?efs=true&step=features&refresh=1", **HTMX)
    assert response["HX-Replace-Url"] == "/?step=features&efs=true"
    assert "HX-Push-Url" not in response
    assert 'name="efs_sg"' in html_of(response)


def test_the_import_review_counts_what_the_wizard_asks_as_the_steps_do(client) -> None:
    path = "tests/fixtures/cloudformation/fargate-private-subnet-public-service.json"
    with open(path, "rb") as template:
        review = html.unescape(client.post("/import/", {"document": template}).content.decode())
    asked = re.search(r"The wizard asks the (\d+) left open that matter here", review)
    per_step = [int(n) for n in re.findall(r"\((\d+) left open\)", review)]
    assert asked and int(asked.group(1)) == sum(per_step) > 0
    quiet = re.search(r"(\d+) more stay unknown without being asked", review)
    assert quiet, "the unknowns the wizard does not ask are counted apart, not hidden"
