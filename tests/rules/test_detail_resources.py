"""Where registries, secrets and logs live, environment files and traffic between services:
each finding fires on the configuration that violates its requirement and not on the nearest
one that does not, names the rows it blocks and the hop that stops them, and an unknown answer
leaves the verdict conditional on the requirement."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

import pytest
from cfnlint.api import ManualArgs, decode_str, lint

from advisor.rules import evaluate as evaluate_public
from advisor.rules import parse_query
from advisor.rules.answers import Answers
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
from tests.rules.test_cloudformation_lint import _fill, _renamed
from tests.rules.test_fixes import AWS_COMMAND, _operations


def answers(query: str) -> Answers:
    return parse_query(parse_qs(query, keep_blank_values=True))


@dataclass(frozen=True)
class Case:
    finding: str
    severity: Severity
    requirement: str | None  # None: an INFO finding with no requirement of its own
    fires: str  # a query string that triggers it
    nearest: str  # the nearest one that does not
    blocked: tuple[Action, ...] = ()
    stop: HopKind | None = None  # where the blocked rows' routes stop
    unknown: str = ""  # a field whose being unknown leaves the verdict conditional


NAT = "nat_gateway=true"
ISOLATED = "endpoints=ecr_api,ecr_dkr,s3,logs"

CASES = {
    "sidecar_from_docker_hub_without_internet": Case(
        "other-registry-unreachable", Severity.BLOCKER, "reach-other-registries",
        f"{ISOLATED}&other_registries=docker_hub", f"{NAT}&other_registries=docker_hub",
        (Action.IMAGE_PULL,), HopKind.NO_ROUTE, "nat_gateway",
    ),
    "repository_in_another_account_without_a_policy": Case(
        "ecr-cross-account-pull-denied", Severity.BLOCKER, "ecr-cross-account-pull",
        f"{NAT}&ecr_account=other&ecr_repository_policy=missing",
        f"{NAT}&ecr_account=other&ecr_repository_policy=grants",
        (Action.IMAGE_PULL,), HopKind.SERVICE, "ecr_repository_policy",
    ),
    "secret_in_another_account_not_shared": Case(
        "secrets-cross-account-denied", Severity.BLOCKER, "secrets-cross-account",
        f"{NAT}&secrets=secretsmanager&secrets_location=other_account&secrets_policy=missing"
        "&cmk=true",
        f"{NAT}&secrets=secretsmanager&secrets_location=other_account&secrets_policy=grants"
        "&cmk=true",
        (Action.SECRETS,), HopKind.SERVICE, "secrets_policy",
    ),
    "secret_in_another_account_with_the_aws_managed_key": Case(
        "secrets-cross-account-denied", Severity.BLOCKER, "secrets-cross-account",
        f"{NAT}&secrets=secretsmanager&secrets_location=other_account&cmk=false",
        f"{NAT}&secrets=secretsmanager&secrets_location=other_account&cmk=true",
        (Action.SECRETS,), HopKind.SERVICE, "cmk",
    ),
    "missing_log_group": Case(
        "log-group-missing", Severity.BLOCKER, "log-group-exists",
        f"{NAT}&log_group=missing", f"{NAT}&log_group=create_group",
        (Action.LOG_DRIVER,), HopKind.SERVICE, "log_group",
    ),
    "log_group_created_by_the_driver": Case(
        "log-group-created-by-driver", Severity.INFO, None,
        f"{NAT}&log_group=create_group", f"{NAT}&log_group=exists",
    ),
    "env_files_with_the_s3_endpoint_on_other_route_tables": Case(
        "env-files-no-path", Severity.BLOCKER, "reach-s3-env-files",
        "endpoints=s3&registry=ecr_public&log_driver=none&s3_endpoint_routes=other"
        "&env_files=true",
        "endpoints=s3&registry=ecr_public&log_driver=none&env_files=true&nat_gateway=true",
        unknown="nat_gateway",
    ),
    "calls_to_a_service_whose_group_does_not_admit_them": Case(
        "services-cannot-reach-each-other", Severity.WARNING, "services-admit-each-other",
        f"{NAT}&service_discovery=service_connect&peer_ingress=blocks",
        f"{NAT}&service_discovery=service_connect&peer_ingress=allows",
    ),
    "cloud_map_behind_a_custom_resolver": Case(
        "cloud-map-needs-vpc-dns", Severity.WARNING, "cloud-map-resolves",
        f"{NAT}&service_discovery=cloud_map&dns_resolver=custom",
        f"{NAT}&service_discovery=cloud_map&dns_resolver=custom_forwards",
    ),
    "secrets_and_logs_in_another_region": Case(
        "other-region-needs-internet", Severity.INFO, None,
        f"{NAT}&secrets=secretsmanager&secrets_location=other_region&logs_region=other",
        f"{NAT}&secrets=secretsmanager",
    ),
}


def _finding(query: str, finding_id: str):  # type: ignore[no-untyped-def]
    result = evaluate(answers(query))
    return result, next((f for f in result.findings if f.id == finding_id), None)


def _state(query: str, need: str) -> RequirementState:
    result = evaluate_public(answers(query))
    return next(r.state for r in result.requirements if r.id == need)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_finding_fires_on_its_configuration_and_not_the_nearest(case: Case) -> None:
    result, found = _finding(case.fires, case.finding)
    assert found is not None
    assert found.severity is case.severity
    assert found.actions[: len(case.blocked)] == case.blocked or case.severity is Severity.INFO
    rows = {row.action: row for row in result.traffic}
    for action in case.blocked:
        assert rows[action].status is Status.BLOCKED
        stop = stopped_at(rows[action].route)
        assert stop is not None and stop.kind is case.stop
    if case.severity is Severity.BLOCKER:
        assert result.verdict.status == "blocked"
        assert set(found.actions) <= {a for a, row in rows.items()
                                      if row.status is Status.BLOCKED}
    if case.requirement:
        assert _state(case.fires, case.requirement) is RequirementState.VIOLATED
        assert _state(case.nearest, case.requirement) is RequirementState.MET
    _, near = _finding(case.nearest, case.finding)
    assert near is None


@pytest.mark.parametrize("case", [c for c in CASES.values() if c.unknown],
                         ids=[k for k, c in CASES.items() if c.unknown])
def test_an_unknown_answer_leaves_the_requirement_open(case: Case) -> None:
    kept = "&".join(p for p in case.fires.split("&") if not p.startswith(case.unknown + "="))
    partial = answers(f"{kept}&unknown={case.unknown}")
    result = evaluate_public(partial)
    assert result.verdict.status is VerdictStatus.CONDITIONAL
    states = {r.id: r.state for r in result.requirements}
    assert states[case.requirement] is RequirementState.UNKNOWN


def test_a_sidecar_from_docker_hub_is_rate_limited_like_the_main_image() -> None:
    _, found = _finding(f"{NAT}&other_registries=docker_hub", "docker-hub-rate-limit")
    assert found is not None and "another container" in found.detail


def test_a_sidecar_from_a_pull_through_cache_needs_the_first_pull_out() -> None:
    _, found = _finding(f"{ISOLATED}&other_registries=ecr_pull_through_cache",
                        "pull-through-cache-first-pull-needs-nat")
    assert found is not None


def test_an_unreachable_ecr_sidecar_is_offered_the_ecr_endpoints() -> None:
    _, found = _finding("registry=docker_hub&endpoints=logs&other_registries=ecr",
                        "other-registry-unreachable")
    assert found is not None
    cli = "\n".join(c.text for c in found.commands if c.kind is CommandKind.AWS_CLI)
    assert "ecr.dkr" in cli and ".s3" in cli


def test_the_log_group_fix_offers_both_ways_and_quotes_the_error() -> None:
    _, found = _finding(f"{NAT}&log_group=missing", "log-group-missing")
    assert found is not None
    assert "The specified log group does not exist" in found.detail
    labels = [c.text.splitlines()[0] for c in found.commands if c.kind is CommandKind.AWS_CLI]
    assert labels[0].startswith("# Option 1") and labels[1].startswith("# Option 2")


def test_another_region_is_explained_as_needing_the_internet_even_with_endpoints() -> None:
    result, found = _finding(
        f"{ISOLATED},secretsmanager&secrets=secretsmanager&secrets_location=other_region",
        "other-region-needs-internet")
    assert found is not None and "has none, so they are blocked" in found.detail
    assert {r.action: r.status for r in result.traffic}[Action.SECRETS] is Status.BLOCKED


def _commands(kind: CommandKind) -> list[str]:
    return sorted({c.text for case in CASES.values()
                   for f in evaluate(answers(case.fires)).findings if f.id == case.finding
                   for c in f.commands if c.kind is kind})


def test_the_aws_cli_fixes_name_real_operations() -> None:
    for text in _commands(CommandKind.AWS_CLI):
        for line in text.replace("\\\n", " ").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            match = AWS_COMMAND.match(line)
            assert match, line
            service, operation = match.groups()
            assert operation in _operations(service), line


def test_the_cloudformation_fixes_pass_cfn_lint() -> None:
    merged: dict[str, object] = {}
    for index, text in enumerate(_commands(CommandKind.CLOUDFORMATION)):
        template, errors = decode_str(_fill(text, index))
        assert not errors, (text, errors)
        resources = template.get("Resources", template)
        for name, body in resources.items():
            merged[f"S{index}x{name}"] = _renamed(body, set(resources), f"S{index}x")
    matches = lint(json.dumps({"Resources": merged}), config=ManualArgs(regions=["eu-west-1"]))
    assert not [(m.rule.id, m.message) for m in matches]


def test_no_fix_carries_a_real_looking_id() -> None:
    for kind in CommandKind:
        for text in _commands(kind):
            assert not re.search(r"\b(vpc|subnet|sg|rtb|vpce)-[0-9a-f]{8,}\b", text)
