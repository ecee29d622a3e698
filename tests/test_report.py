"""The text and Markdown reports say everything the result says, readably."""

from __future__ import annotations

import dataclasses
import re

import cmarkgfm
import markdown
import pytest

from advisor.report import (
    FENCE_LANGUAGES,
    WIDTH,
    ordered_findings,
    render_markdown,
    render_text,
    top_fix,
)
from advisor.rules import evaluate, parse_query
from advisor.rules.answers import FIELDS
from advisor.rules.result import Command, CommandKind, Result, Severity

QUERIES = {
    "ok": "subnet=public&public_ip=true",
    "warning": "nat_gateway=true&load_balancer=gwlb",
    "blocked_without_endpoints": "subnet=private&secrets=ssm&cmk=true&ecs_exec=true",
    "blocked_windows_efs": "os=windows&nat_gateway=true&efs=true&log_driver=firelens",
    "retired_platform": "platform_version=1.3.0&endpoints=ecr_dkr,s3,logs&efs=true",
    "dns_off": "endpoints=ecr_api,ecr_dkr,s3,logs&vpc_dns=false",
}


@pytest.fixture(params=QUERIES.values(), ids=list(QUERIES))
def result(request: pytest.FixtureRequest) -> Result:
    return evaluate(parse_query(request.param))


def squash(text: str) -> str:
    return " ".join(text.split())


# --- Plain text ------------------------------------------------------------------------------


def section(text: str, title: str) -> list[str]:
    """The lines of one upper-case section, without its title."""
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines))
                if lines[i].isupper() and lines[i] == lines[i].strip()), len(lines))
    return [line for line in lines[start:end] if line]


def test_text_starts_with_the_verdict(result: Result) -> None:
    first = render_text(result).splitlines()[0]
    assert first.startswith(f"Verdict: {result.verdict.status.value.upper()} ")
    assert f"{result.verdict.blockers} blocker" in first


def test_text_sections_come_in_order(result: Result) -> None:
    lines = render_text(result).splitlines()
    titles = ["TRAFFIC", "IAM ROLES", "VPC ENDPOINTS", "FINDINGS AND FIXES"]
    assert [lines.index(title) for title in titles] == sorted(lines.index(t) for t in titles)


def test_text_traffic_table_has_aligned_columns_for_every_row(result: Result) -> None:
    table = section(render_text(result), "TRAFFIC")
    header = table[0]
    starts = [header.index(name) for name in ("ENI", "IAM role", "Status", "Path")]
    rows = [line for line in table[2:] if not line.startswith(" ")]
    assert [line.split()[0] for line in rows] == [row.action.value for row in result.traffic]
    for line in rows:
        for start in starts:
            assert line[start - 2:start] == "  " and line[start] != " ", (line, start)
    assert all(len(line) <= WIDTH for line in table)


def test_text_traffic_rows_point_at_their_fixes(result: Result) -> None:
    table = section(render_text(result), "TRAFFIC")
    numbers = {f.id: n for n, f in enumerate(ordered_findings(result), start=1)}
    for row in result.traffic:
        line = next(line for line in table if line.startswith(row.action.value + " "))
        expected = ", ".join(str(numbers[f]) for f in row.findings)
        assert (f"(see {expected})" in line) == bool(row.findings)


def test_text_lists_every_role_with_its_permissions(result: Result) -> None:
    roles = "\n".join(section(render_text(result), "IAM ROLES"))
    for role in result.roles:
        need = "required" if role.required else "not needed"
        assert f"({role.name}): {need}" in roles
        for permission in role.permissions:
            assert f"    {permission}\n" in roles + "\n"


def test_text_endpoints_checklist_marks_missing_ones(result: Result) -> None:
    lines = section(render_text(result), "VPC ENDPOINTS")
    for endpoint in result.endpoints:
        line = next(line for line in lines if f" {endpoint.name} " in line)
        missing = endpoint.required and not endpoint.present
        assert line.startswith("MISSING") == missing


def test_text_numbers_the_fixes_blockers_first_with_everything_they_say(result: Result) -> None:
    text = render_text(result)
    fixes = "\n".join(section(text, "FINDINGS AND FIXES"))
    severities = [f.severity for f in ordered_findings(result)]
    assert severities == sorted(severities, key=list(Severity).index)
    headings = [line for line in fixes.splitlines() if re.match(r"\d+\. \[", line)]
    assert [h.split("] ")[0] + "]" for h in headings] == [
        f"{n}. [{finding.severity.value.upper()}]"
        for n, finding in enumerate(ordered_findings(result), start=1)
    ]
    squashed = squash(fixes)
    for finding in result.findings:
        assert squash(finding.title) in squashed
        assert squash(finding.detail) in squashed
        for step in finding.remediation:
            assert squash(step) in squashed
        for command in finding.commands:
            for line in command.text.splitlines():
                assert line.strip() in fixes
        for source in finding.sources:
            assert source.url in fixes


def test_text_gives_the_permalink_absolute_with_a_base_url(result: Result) -> None:
    text = render_text(result, base_url="https://advisor.test/")
    assert f"Permalink:  https://advisor.test{result.permalink}\n" in text


# --- Markdown --------------------------------------------------------------------------------


def outside_code(markdown: str) -> str:
    """The Markdown with fenced blocks and code spans removed."""
    without_fences = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", markdown, flags=re.M | re.S)
    return re.sub(r"(`+).+?\1", "", without_fences)


def test_markdown_is_a_titled_document_with_the_verdict(result: Result) -> None:
    markdown = render_markdown(result)
    lines = markdown.splitlines()
    assert lines[0] == f"# Fargate networking advice: {result.verdict.status.value}"
    assert f"**Verdict: {result.verdict.status.value}**" in markdown
    for title in ("## Traffic", "## IAM roles", "## VPC endpoints", "## Findings and fixes",
                  "## Configuration"):
        assert title in lines


def test_markdown_permalink_is_absolute_with_a_base_url(result: Result) -> None:
    assert f"`{result.permalink}`" in render_markdown(result)
    absolute = render_markdown(result, base_url="https://advisor.test")
    assert f"- Permalink: <https://advisor.test{result.permalink}>" in absolute


def test_markdown_traffic_table_has_every_row_in_order(result: Result) -> None:
    lines = render_markdown(result).splitlines()
    start = lines.index("| Action | ENI | IAM role | Status | Fixes | Path |")
    rows = lines[start + 2:start + 2 + len(result.traffic)]
    assert len(rows) == 7
    for line, row in zip(rows, result.traffic, strict=True):
        assert line.startswith(f"| {row.label} | ")
        assert line.count(" | ") == 5


def test_markdown_puts_each_command_in_a_fence_of_its_kind(result: Result) -> None:
    markdown = render_markdown(result)
    for finding in result.findings:
        for command in finding.commands:
            fence = f"```{FENCE_LANGUAGES[command.kind]}\n{command.text}\n```"
            assert fence in markdown
    assert len(re.findall(r"^```", markdown, flags=re.M)) % 2 == 0


def test_markdown_links_every_source_and_heads_every_fix(result: Result) -> None:
    markdown = render_markdown(result)
    for n, finding in enumerate(ordered_findings(result), start=1):
        assert re.search(rf"^### {n}\. ", markdown, flags=re.M)
        for source in finding.sources:
            assert f"(<{source.url}>)" in markdown


def test_markdown_keeps_placeholders_visible(result: Result) -> None:
    # An unescaped <vpc-id> outside code would be swallowed as an HTML tag.
    prose = outside_code(render_markdown(result))
    assert not re.search(r"<(?!https?://)", prose)


# The engines people paste the export into: Python-Markdown as MkDocs and Backstage TechDocs
# configure it, and cmark-gfm (GitHub, GitLab-like CommonMark), which drops raw HTML it does
# not allow. A placeholder read as a tag vanishes from the page in both.
ENGINES = {
    "python-markdown": lambda text: markdown.markdown(
        text, extensions=["tables", "fenced_code", "toc"]
    ),
    "cmark-gfm": cmarkgfm.github_flavored_markdown_to_html,
}
PLACEHOLDER = re.compile(r"<([a-z][a-z0-9-]*)>")
GRID = [
    *QUERIES.values(),
    "subnet=private&nat_gateway=true",
    "subnet=private&endpoints=ecr_api,ecr_dkr&log_driver=firelens&secrets=secretsmanager",
    "subnet=private&endpoints=ecr_api,ecr_dkr,s3,logs,ssm,ssmmessages&ecs_exec=true&efs=true",
    "os=windows&subnet=private&endpoints=ecr_api,ecr_dkr,s3,logs",
    "ip_mode=dualstack&subnet=public&public_ip=true",
    "load_balancer=alb&subnet=private&nat_gateway=true&target_type=instance",
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", GRID)
def test_markdown_placeholders_stay_visible_text_in_mkdocs_and_github(
    engine: str, query: str
) -> None:
    result = evaluate(parse_query(query))
    text = render_markdown(result, base_url="https://advisor.test")
    rendered = ENGINES[engine](text)
    names = set(PLACEHOLDER.findall(text))
    assert names or not result.findings  # the grid does exercise placeholders
    for name in names:
        assert f"&lt;{name}&gt;" in rendered, name
    tags = set(re.findall(r"</?([a-zA-Z][\w-]*)", rendered))
    assert tags <= {"a", "code", "em", "h1", "h2", "h3", "li", "ol", "p", "pre", "strong",
                    "table", "tbody", "td", "th", "thead", "tr", "ul"}, tags
    assert "<!--" not in rendered  # cmark-gfm's mark for raw HTML it left out


@pytest.mark.parametrize("engine", ENGINES)
def test_markdown_fix_first_sits_under_the_verdict_and_links_the_finding(engine: str) -> None:
    result = evaluate(parse_query(QUERIES["blocked_without_endpoints"]))
    text = render_markdown(result, base_url="https://advisor.test")
    lines = text.splitlines()
    verdict = next(i for i, line in enumerate(lines) if line.startswith("**Verdict:"))
    first = ordered_findings(result)[0]
    assert lines[verdict + 2].startswith(
        f"**Fix first** ([finding 1](<https://advisor.test{result.permalink}"
        f"#finding-{first.id}>)): "
    )
    rendered = ENGINES[engine](lines[verdict + 2])
    href = f"https://advisor.test{result.permalink}#finding-{first.id}".replace("&", "&amp;")
    assert f'href="{href}"' in rendered
    assert "&lt;region&gt;" in rendered


def test_text_fix_first_sits_under_the_verdict() -> None:
    result = evaluate(parse_query(QUERIES["blocked_without_endpoints"]))
    lines = render_text(result).splitlines()
    fix = next(i for i, line in enumerate(lines) if line.startswith("Fix first"))
    assert fix <= 4 and lines[fix].startswith("Fix first (finding 1 below): Create the VPC")
    assert all(len(line) <= WIDTH for line in lines[:fix + 4])


def test_exports_fix_first_takes_the_first_warning_when_nothing_blocks() -> None:
    result = evaluate(parse_query("subnet=private&nat_gateway=true&vpc_dns=false"))
    fix = top_fix(result)
    assert result.verdict.blockers == 0 and fix is not None
    assert fix.finding.severity is Severity.WARNING
    assert fix.step == " ".join(fix.finding.remediation[0].split())
    assert "Fix first (finding" in render_text(result)


@pytest.mark.parametrize("query", [QUERIES["ok"], QUERIES["warning"]])
def test_exports_have_no_fix_first_without_a_blocker_or_warning_to_fix(query: str) -> None:
    # The Gateway Load Balancer warning says to check, and has no step to do.
    result = evaluate(parse_query(query))
    assert top_fix(result) is None
    assert "Fix first" not in render_markdown(result) + render_text(result)


def test_markdown_lists_the_configuration(result: Result) -> None:
    markdown = render_markdown(result)
    for field in FIELDS:
        assert f"| {field.label} | " in markdown


def test_markdown_survives_pipes_backticks_and_placeholders_in_the_rules_text() -> None:
    result = evaluate(parse_query("subnet=private"))
    tricky = dataclasses.replace(
        result.findings[0],
        title="A | B <subnet-id>",
        detail="Run `aws ec2 describe-vpcs --vpc-ids <vpc-id>` then check <route-table-id>.",
        commands=(Command(CommandKind.AWS_CLI, "echo '```'\naws sts get-caller-identity"),),
    )
    row = dataclasses.replace(result.traffic[0], path="a | b", findings=(tricky.id,))
    result = dataclasses.replace(
        result, findings=(tricky,), traffic=(row, *result.traffic[1:])
    )
    markdown = render_markdown(result)
    assert "### 1. A | B `<subnet-id>`" in markdown
    assert "`aws ec2 describe-vpcs --vpc-ids <vpc-id>` then check `<route-table-id>`." in markdown
    assert "| a \\| b |" in markdown
    assert "````sh\necho '```'\naws sts get-caller-identity\n````" in markdown


# --- Unknown answers: the requirements checklist and the conditional verdict -----------------

UNSURE = "unknown=subnet,public_ip,nat_gateway,endpoints"


@pytest.mark.parametrize("render", [render_text, render_markdown], ids=["text", "markdown"])
def test_a_conditional_report_names_its_witness_and_links_it(render) -> None:
    result = evaluate(parse_query(UNSURE))
    assert result.verdict.status == "conditional"
    report = render(result, "https://advisor.example")
    assert "Blocked if:" in report
    assert "subnet=public" in report and "public_ip=false" in report
    assert "https://advisor.example" + result.verdict.witness.permalink in report
    assert f"Open conditions: {result.verdict.conditions}" in report


@pytest.mark.parametrize("render", [render_text, render_markdown], ids=["text", "markdown"])
def test_the_checklist_marks_each_requirement_and_shows_how_to_check_the_unknown(render) -> None:
    result = evaluate(parse_query(UNSURE))
    report = render(result)
    assert "This task starts if" in report or "THIS TASK STARTS IF" in report
    assert "Check in your account" in report or "CHECK IN YOUR ACCOUNT" in report
    flat = squash(report)
    for requirement in result.requirements:
        mark = {"met": "✓", "violated": "✗", "unknown": "?"}[requirement.state]
        assert squash(f"{mark} {requirement.text}")[:60] in flat
        if requirement.state == "unknown":
            for command in requirement.check:
                assert command.text in report


def test_a_violated_requirement_points_at_its_finding() -> None:
    result = evaluate(parse_query("subnet=private"))
    violated = [r for r in result.requirements if r.state == "violated"]
    assert violated
    text = render_text(result)
    assert "✗" in text and "(not met: see finding 1)" in text


def test_uncertain_findings_say_they_may_apply_and_unknown_answers_read_not_sure() -> None:
    result = evaluate(parse_query(UNSURE))
    assert any(not f.certain for f in result.findings)
    assert "may apply" in render_text(result)
    markdown_text = render_markdown(result)
    assert "| Subnet type | Not sure |" in markdown_text or "| Not sure |" in markdown_text
