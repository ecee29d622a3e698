"""The findings about the filters on the way (issue 12): for each, a configuration that
triggers it and the nearest one that does not, with the rows it names, the hop that stops
them and the requirement's state; with the field unknown, the verdict is conditional. And
every Terraform snippet any finding produces parses with python-hcl2."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import botocore.session
import hcl2
import pytest

from advisor.rules import parse_query
from advisor.rules import unknowns as public
from advisor.rules.evaluate import evaluate
from advisor.rules.paths import stopped_at
from advisor.rules.result import (
    Action,
    CommandKind,
    HopKind,
    RequirementState,
    Severity,
    Status,
    VerdictStatus,
)
from tests.rules.test_cloudformation_lint import _fill
from tests.rules.test_invariants import feature_grid, network_grid

ENDPOINTS = "endpoints=ecr_api,ecr_dkr,s3,logs"


class Case(NamedTuple):
    finding: str
    requirement: str
    fires: str  # a query string that triggers it
    nearest: str  # the nearest one that does not
    unknown: str  # the field whose unknown makes the verdict conditional
    rows: tuple[Action, ...]  # the blocked rows it names
    hop: HopKind | None  # where their routes stop
    alone: bool = True  # no other blocker: with the field unknown the verdict is conditional


_THREE = (Action.ECR_AUTH, Action.IMAGE_PULL, Action.LOG_DRIVER)

CASES: dict[str, Case] = {
    "vpc_dns_support_off": Case(
        "vpc-dns-support-off", "public-names-resolve",
        "nat_gateway=true&dns_support=false", "nat_gateway=true&dns_support=false"
        "&dns_resolver=custom_forwards", "dns_support", _THREE, HopKind.DNS),
    "security_group_without_egress": Case(
        "task-egress-blocks", "task-egress-allows",
        "nat_gateway=true&task_egress=none", "nat_gateway=true&task_egress=https",
        "task_egress", _THREE, HopKind.SECURITY_GROUP),
    "endpoints_only_egress_through_nat": Case(
        "task-egress-blocks", "task-egress-allows",
        "nat_gateway=true&task_egress=endpoints_only",
        f"task_egress=endpoints_only&{ENDPOINTS}", "task_egress", _THREE,
        HopKind.SECURITY_GROUP),
    "network_acl_blocks_replies": Case(
        "network-acl-blocks", "network-acl-allows",
        "nat_gateway=true&nacl=blocks", "nat_gateway=true&nacl=allows", "nacl", _THREE,
        HopKind.NETWORK_ACL),
    "endpoint_security_group_blocks": Case(
        "endpoint-sg-blocks", "endpoint-sg-admits-tasks",
        f"{ENDPOINTS}&endpoint_sg=blocks", f"{ENDPOINTS}&endpoint_sg=allows_tasks",
        "endpoint_sg", _THREE, HopKind.INTERFACE_ENDPOINT),
    "endpoint_in_default_group_tasks_not": Case(
        "endpoint-sg-blocks", "endpoint-sg-admits-tasks",
        f"{ENDPOINTS}&endpoint_sg=default_group",
        f"{ENDPOINTS}&endpoint_sg=default_group&security_group_count=0",
        "endpoint_sg", _THREE, HopKind.INTERFACE_ENDPOINT),
    "endpoint_policy_denies": Case(
        "endpoint-policy-denies", "endpoint-policy-allows",
        f"{ENDPOINTS}&endpoint_policy=denies_needed",
        f"{ENDPOINTS}&endpoint_policy=allows_needed", "endpoint_policy", _THREE,
        HopKind.INTERFACE_ENDPOINT),
    "firewall_allowlist_incomplete": Case(
        "egress-firewall-blocks", "egress-firewall-allows",
        "nat_gateway=true&egress_via=firewall&egress_allowlist=missing",
        "nat_gateway=true&egress_via=firewall", "egress_allowlist", _THREE, HopKind.FIREWALL),
    "s3_endpoint_on_other_route_tables": Case(
        "s3-endpoint-not-on-task-route-tables", "reach-s3-layers",
        f"{ENDPOINTS}&s3_endpoint_routes=other", ENDPOINTS, "s3_endpoint_routes",
        (Action.IMAGE_PULL,), HopKind.NO_ROUTE),
    "custom_dns_without_forwarding": Case(
        "custom-dns-cannot-resolve-endpoints", "reach-ecr-api",
        f"{ENDPOINTS}&dns_resolver=custom", f"{ENDPOINTS}&dns_resolver=custom_forwards",
        "dns_resolver", _THREE, HopKind.NO_ROUTE),
    "hub_endpoints_without_hosted_zone": Case(
        "hub-endpoints-need-private-hosted-zone", "reach-ecr-api",
        f"{ENDPOINTS}&endpoints_in=hub_no_phz", f"{ENDPOINTS}&endpoints_in=hub_phz",
        "endpoints_in", _THREE, HopKind.NO_ROUTE),
    "ipv6_only_task_ipv4_endpoints": Case(
        "endpoints-ipv4-only", "reach-logs",
        f"ip_mode=ipv6_only&ipv6_egress=none&{ENDPOINTS}&endpoint_ip_type=ipv4",
        f"ip_mode=ipv6_only&ipv6_egress=none&{ENDPOINTS}&endpoint_ip_type=dualstack",
        "endpoint_ip_type", (Action.LOG_DRIVER,), HopKind.NO_ROUTE,
        alone=False),  # an IPv6-only task pulls from ECR only through an internet path
    "subnet_out_of_addresses": Case(
        "subnet-out-of-addresses", "subnet-has-free-addresses",
        "nat_gateway=true&free_addresses=short", "nat_gateway=true", "free_addresses", (),
        None),
}


def _requirement_state(query: str, requirement: str) -> RequirementState | None:
    result = public.evaluate(parse_query(query))
    return next((r.state for r in result.requirements if r.id == requirement), None)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_filter_finding_fires_where_its_requirement_is_violated(case: Case) -> None:
    result = evaluate(parse_query(case.fires))
    found = {f.id: f for f in result.findings}
    assert case.finding in found
    finding = found[case.finding]
    assert finding.severity is Severity.BLOCKER
    assert result.verdict.status.value == "blocked"
    assert set(finding.actions) == set(case.rows)
    rows = {row.action: row for row in result.traffic}
    for action in case.rows:
        assert rows[action].status is Status.BLOCKED
        stop = stopped_at(rows[action].route)
        assert stop is not None and stop.kind is case.hop, (action, stop)
    assert _requirement_state(case.fires, case.requirement) is RequirementState.VIOLATED
    assert {c.kind for c in finding.commands} == set(CommandKind)
    assert finding.remediation and finding.sources


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_nearest_configuration_does_not_fire_it(case: Case) -> None:
    result = evaluate(parse_query(case.nearest))
    assert case.finding not in {f.id for f in result.findings}
    assert _requirement_state(case.nearest, case.requirement) in (RequirementState.MET, None)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_with_the_field_unknown_the_verdict_is_conditional(case: Case) -> None:
    query = re.sub(rf"(^|&){case.unknown}=[^&]*", "", case.fires).strip("&")
    result = public.evaluate(parse_query(f"{query}&unknown={case.unknown}"))
    assert result.verdict.status is (VerdictStatus.CONDITIONAL if case.alone
                                     else VerdictStatus.BLOCKED)
    assert _requirement_state(f"{query}&unknown={case.unknown}",
                              case.requirement) is RequirementState.UNKNOWN


def test_the_firewall_finding_lists_the_names_this_configuration_calls() -> None:
    result = evaluate(parse_query("nat_gateway=true&egress_via=firewall&egress_allowlist=missing"
                                  "&secrets=ssm&other_registries=docker_hub"))
    finding = next(f for f in result.findings if f.id == "egress-firewall-blocks")
    for name in ("api.ecr.<region>.amazonaws.com", "<account-id>.dkr.ecr.<region>.amazonaws.com",
                 "prod-<region>-starport-layer-bucket.s3.<region>.amazonaws.com",
                 "logs.<region>.amazonaws.com", "ssm.<region>.amazonaws.com",
                 "registry-1.docker.io", "auth.docker.io"):
        assert name in finding.detail, name
        assert all(name in c.text for c in finding.commands), name
    assert "secretsmanager" not in finding.detail
    assert "Docker's own allow-list" in finding.detail


def test_egress_to_the_endpoints_only_offers_both_ways_to_open_it() -> None:
    result = evaluate(parse_query(f"task_egress=none&{ENDPOINTS}"))
    finding = next(f for f in result.findings if f.id == "task-egress-blocks")
    cli = "\n".join(c.text for c in finding.commands if c.kind is CommandKind.AWS_CLI)
    assert "# Option 1" in cli and "# Option 2 (instead of option 1)" in cli
    assert "PrefixListId=<s3-prefix-list-id>" in cli and "CidrIp=0.0.0.0/0" in cli


def test_the_endpoint_policy_finding_asks_for_the_layer_bucket_and_the_token() -> None:
    result = evaluate(parse_query(f"{ENDPOINTS}&endpoint_policy=denies_needed"))
    finding = next(f for f in result.findings if f.id == "endpoint-policy-denies")
    assert "arn:aws:s3:::prod-<region>-starport-layer-bucket/*" in finding.detail
    assert "ecr:GetAuthorizationToken" in finding.detail
    assert "403" in finding.detail


def test_the_default_endpoint_group_is_explained() -> None:
    result = evaluate(parse_query(f"{ENDPOINTS}&endpoint_sg=default_group"))
    finding = next(f for f in result.findings if f.id == "endpoint-sg-blocks")
    assert "default group" in finding.detail and "i/o timeout" in finding.detail


def test_private_dns_is_blamed_only_where_it_is_the_reason() -> None:
    for query in (f"{ENDPOINTS}&dns_resolver=custom", f"{ENDPOINTS}&endpoints_in=hub_no_phz"):
        ids = {f.id for f in evaluate(parse_query(query)).findings}
        assert "endpoints-need-private-dns" not in ids, query
    ids = {f.id for f in evaluate(parse_query(f"{ENDPOINTS}&endpoint_private_dns=false")).findings}
    assert "endpoints-need-private-dns" in ids
    bypassed = next(f for f in evaluate(parse_query(
        f"{ENDPOINTS}&nat_gateway=true&dns_resolver=custom")).findings
        if f.id == "endpoints-bypassed")
    assert "private DNS" not in bypassed.detail and "DHCP" in bypassed.detail


def test_the_endpoint_path_info_stays_only_while_the_filters_are_the_defaults() -> None:
    default = {f.id: f for f in evaluate(parse_query(ENDPOINTS)).findings}
    assert "task_egress=all" in default["endpoint-network-rules"].detail
    assert "cannot see" not in default["endpoint-network-rules"].detail
    answered = {f.id for f in evaluate(parse_query(f"{ENDPOINTS}&nacl=allows")).findings}
    assert "endpoint-network-rules" not in answered


def test_ipv6_only_nat_without_dns64_says_dns64_is_off() -> None:
    result = evaluate(parse_query("ip_mode=ipv6_only&nat_gateway=true&dns64=false"))
    finding = next(f for f in result.findings if f.id == "no-internet-path")
    assert "DNS64 is off" in finding.detail


# --- The fixes these findings write are real -------------------------------------------------

_QUERIES = (
    *(q for case in CASES.values() for q in (case.fires, case.nearest)),
    f"task_egress=none&{ENDPOINTS}",
    "nat_gateway=true&nacl=blocks&efs=true",
    "ip_mode=ipv6_only&ipv6_egress=egress_only_igw&task_egress=none",
    f"{ENDPOINTS}&nat_gateway=true&dns_resolver=custom",
    f"{ENDPOINTS}&nat_gateway=true&endpoints_in=hub_no_phz",
    "nat_gateway=true&egress_via=firewall&egress_allowlist=missing&secrets=ssm"
    "&other_registries=docker_hub&ecs_exec=true&env_files=true",
)
_OWN = tuple(parse_query(q) for q in _QUERIES)


@cache
def _commands(kind: CommandKind, grid: bool) -> tuple[str, ...]:
    configurations = (network_grid() + feature_grid() if grid else []) + list(_OWN)
    return tuple(sorted({c.text for answers in configurations
                         for f in evaluate(answers).findings for c in f.commands
                         if c.kind is kind}))


def test_every_terraform_snippet_parses_with_python_hcl2() -> None:
    snippets = _commands(CommandKind.TERRAFORM, True)
    for resource in ("aws_vpc_security_group_egress_rule", "aws_network_acl_rule",
                     "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_policy",
                     "aws_route53_zone_association", "aws_networkfirewall_rule_group"):
        assert any(resource in text for text in snippets), resource
    for index, text in enumerate(snippets):
        # Quoted placeholders parse as they are; a bare number's (port = <container-port>)
        # only once filled in, as for cfn-lint.
        parsed = hcl2.loads(_fill(text, index))
        assert parsed, text


_SESSION = botocore.session.get_session()


def _operations(service: str) -> set[str]:
    model = _SESSION.get_service_model(service)
    return {re.sub(r"(?<!^)(?=[A-Z][a-z])|(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()
            for name in model.operation_names}


def test_the_filter_findings_aws_cli_commands_name_real_operations() -> None:
    for text in _commands(CommandKind.AWS_CLI, False):
        for line in text.replace("\\\n", " ").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            match = re.match(r"^aws ([a-z0-9-]+) ([a-z0-9-]+)", line)
            assert match, line
            assert match[2] in _operations(match[1]), line


def test_the_filter_findings_cloudformation_passes_cfn_lint() -> None:
    import json

    from cfnlint.api import ManualArgs, decode_str, lint

    from tests.rules.test_cloudformation_lint import _renamed

    merged: dict[str, object] = {}
    snippets = _commands(CommandKind.CLOUDFORMATION, False)
    for index, text in enumerate(snippets):
        template, errors = decode_str(_fill(text, index))
        assert not errors, (text, errors)
        resources = template.get("Resources", template)
        for name, body in resources.items():
            merged[f"S{index}x{name}"] = _renamed(body, set(resources), f"S{index}x")
    matches = lint(json.dumps({"Resources": merged}), config=ManualArgs(regions=["eu-west-1"]))
    assert not [(m.rule.id, m.message, m.path) for m in matches]
