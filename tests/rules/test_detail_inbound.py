"""The inbound and options findings (issue 12): EFS mount targets, their security group and
transit encryption, the load balancer's way into the task, and ECS Exec's options. Each fires
exactly when its requirement is violated: a configuration that triggers it, the nearest one
that does not, and the same field unknown."""

from __future__ import annotations

import json
import re
from typing import NamedTuple

import pytest
from cfnlint.api import ManualArgs, decode_str, lint

from advisor.rules import evaluate, parse_query
from advisor.rules.result import (
    Action,
    CommandKind,
    HopKind,
    RequirementState,
    Result,
    Role,
    Severity,
    Status,
    VerdictStatus,
)
from tests.rules.test_cloudformation_lint import _fill
from tests.rules.test_fixes import AWS_COMMAND, SESSION, _operations

NAT = "nat_gateway=true"
ISOLATED = "endpoints=ecr_api,ecr_dkr,s3,logs,ssmmessages"


class Case(NamedTuple):
    finding: str
    severity: Severity
    requirement: str
    triggers: str
    nearest: str  # the closest configuration that does not trigger it
    unknown: str  # the field that decides it
    blocked: Action | None = None  # the row it names, blocked
    stop: HopKind | None = None  # the hop on that row's route that stops it


CASES = {
    "efs_without_a_mount_target_in_a_task_zone_cannot_mount": Case(
        "efs-mount-target-missing-az", Severity.BLOCKER, "efs-mount-target-per-az",
        f"efs=true&{NAT}&efs_mount_targets=missing_az", f"efs=true&{NAT}",
        "efs_mount_targets", Action.EFS, HopKind.MOUNT_TARGET),
    "efs_mount_target_group_without_nfs_times_out": Case(
        "efs-mount-target-sg-blocks", Severity.BLOCKER, "efs-mount-target-admits-nfs",
        f"efs=true&{NAT}&efs_sg=blocks", f"efs=true&{NAT}&efs_sg=allows",
        "efs_sg", Action.EFS, HopKind.MOUNT_TARGET),
    "efs_iam_authorization_without_transit_encryption_is_refused": Case(
        "efs-needs-transit-encryption", Severity.BLOCKER, "efs-transit-encryption",
        f"efs=true&{NAT}&efs_iam=true",
        f"efs=true&{NAT}&efs_iam=true&efs_transit_encryption=true",
        "efs_transit_encryption", Action.EFS, HopKind.MOUNT_TARGET),
    "efs_access_point_without_transit_encryption_is_refused": Case(
        "efs-needs-transit-encryption", Severity.BLOCKER, "efs-transit-encryption",
        f"efs=true&{NAT}&efs_access_point=true",
        f"efs=true&{NAT}&efs_access_point=true&efs_transit_encryption=true",
        "efs_transit_encryption", Action.EFS, HopKind.MOUNT_TARGET),
    "alb_not_admitted_by_the_task_group_fails_health_checks": Case(
        "load-balancer-not-admitted", Severity.BLOCKER, "load-balancer-admitted",
        f"load_balancer=alb&{NAT}&lb_ingress=blocks", f"load_balancer=alb&{NAT}",
        "lb_ingress", Action.APPLICATION, HopKind.SECURITY_GROUP),
    "nlb_not_admitted_by_the_task_group_fails_health_checks": Case(
        "load-balancer-not-admitted", Severity.BLOCKER, "load-balancer-admitted",
        f"load_balancer=nlb&{NAT}&lb_ingress=blocks", f"load_balancer=nlb&{NAT}",
        "lb_ingress", Action.APPLICATION, HopKind.SECURITY_GROUP),
    "gwlb_not_admitted_by_the_task_group_fails_health_checks": Case(
        "load-balancer-not-admitted", Severity.BLOCKER, "load-balancer-admitted",
        f"load_balancer=gwlb&{NAT}&lb_ingress=blocks", f"load_balancer=gwlb&{NAT}",
        "lb_ingress", Action.APPLICATION, HopKind.SECURITY_GROUP),
    "load_balancer_missing_a_task_zone_leaves_targets_unused": Case(
        "load-balancer-az-missing", Severity.WARNING, "load-balancer-in-task-azs",
        f"load_balancer=alb&{NAT}&lb_azs=missing_az", f"load_balancer=alb&{NAT}",
        "lb_azs"),
    "ecs_exec_with_a_read_only_root_file_system_fails": Case(
        "ecs-exec-read-only-root", Severity.WARNING, "ecs-exec-writable-root",
        f"ecs_exec=true&{NAT}&exec_readonly_root=true", f"ecs_exec=true&{NAT}",
        "exec_readonly_root"),
    "ecs_exec_kms_key_without_a_kms_path_fails": Case(
        "ecs-exec-kms-no-path", Severity.WARNING, "reach-kms-exec",
        f"ecs_exec=true&exec_kms=true&{ISOLATED}",
        f"ecs_exec=true&exec_kms=true&{ISOLATED},kms", "exec_kms"),
    "ecs_exec_cloudwatch_logging_without_a_logs_path_fails": Case(
        "ecs-exec-logging-no-path", Severity.WARNING, "reach-exec-logs-cloudwatch",
        "ecs_exec=true&exec_logging=cloudwatch&log_driver=none"
        "&endpoints=ecr_api,ecr_dkr,s3,ssmmessages",
        "ecs_exec=true&exec_logging=cloudwatch&log_driver=none"
        "&endpoints=ecr_api,ecr_dkr,s3,ssmmessages,logs", "exec_logging"),
    "ecs_exec_s3_logging_with_the_gateway_elsewhere_fails": Case(
        "ecs-exec-logging-no-path", Severity.WARNING, "reach-exec-logs-s3",
        f"ecs_exec=true&exec_logging=s3&{ISOLATED}&s3_endpoint_routes=other",
        f"ecs_exec=true&exec_logging=s3&{NAT}&s3_endpoint_routes=other", "exec_logging"),
}


def _result(query: str) -> Result:
    return evaluate(parse_query({k: [v] for k, v in (p.split("=") for p in query.split("&"))}))


def _state(result: Result, requirement: str) -> RequirementState:
    return next(r.state for r in result.requirements if r.id == requirement)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_finding_fires_when_its_requirement_is_violated(case: Case) -> None:
    result = _result(case.triggers)
    found = {f.id: f for f in result.findings}
    assert case.finding in found
    assert found[case.finding].severity is case.severity
    assert _state(result, case.requirement) is RequirementState.VIOLATED
    expected = VerdictStatus.BLOCKED if case.severity is Severity.BLOCKER else None
    if expected is not None:
        assert result.verdict.status is expected
    else:
        assert result.verdict.status is not VerdictStatus.OK
    if case.blocked is not None:
        assert found[case.finding].actions == (case.blocked,)
        row = next(r for r in result.traffic if r.action is case.blocked)
        assert row.status is Status.BLOCKED
        stop = next(hop for hop in row.route if hop.passes is False)
        assert stop.kind is case.stop


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_nearest_configuration_meets_the_requirement(case: Case) -> None:
    result = _result(case.nearest)
    assert case.finding not in {f.id for f in result.findings}
    assert _state(result, case.requirement) is RequirementState.MET
    if case.blocked is not None:
        row = next(r for r in result.traffic if r.action is case.blocked)
        assert row.status is Status.OK


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_deciding_field_unknown_leaves_the_requirement_unknown(case: Case) -> None:
    kept = [p for p in case.triggers.split("&") if not p.startswith(f"{case.unknown}=")]
    result = _result("&".join([*kept, f"{case.unknown}=unknown"]))
    assert _state(result, case.requirement) is RequirementState.UNKNOWN
    if case.severity is Severity.BLOCKER:
        assert result.verdict.status is VerdictStatus.CONDITIONAL


def test_efs_vpc_dns_names_the_attribute_that_is_off() -> None:
    result = _result(f"efs=true&{NAT}&vpc_dns=false")
    found = {f.id: f for f in result.findings}
    assert found["efs-needs-vpc-dns"].severity is Severity.BLOCKER
    assert "DNS attributes are not both on" in found["efs-needs-vpc-dns"].detail
    assert "DHCP" not in found["efs-needs-vpc-dns"].detail


def test_efs_assumptions_are_said_only_while_they_are_defaults() -> None:
    plain = {f.id: f for f in _result(f"efs=true&{NAT}").findings}["efs-network-and-iam"]
    assert "IAM authorization" in plain.detail and "2049" in plain.detail
    with_iam = {f.id: f for f in _result(
        f"efs=true&{NAT}&efs_iam=true&efs_transit_encryption=true").findings}
    assert "IAM authorization" not in with_iam["efs-network-and-iam"].detail


def test_an_nlb_without_security_groups_is_admitted_by_its_subnets_ranges() -> None:
    found = {f.id: f for f in _result(f"load_balancer=nlb&{NAT}&lb_ingress=blocks").findings}
    texts = "\n".join(c.text for c in found["load-balancer-not-admitted"].commands)
    assert "--source-group <lb-security-group-id>" in texts
    assert "--cidr <lb-subnet-ipv4-cidr>" in texts
    assert "--health-check-grace-period-seconds" in texts


@pytest.mark.parametrize("logging, actions", [
    ("cloudwatch", {"logs:DescribeLogGroups", "logs:CreateLogStream",
                    "logs:DescribeLogStreams", "logs:PutLogEvents"}),
    ("s3", {"s3:GetBucketLocation", "s3:GetEncryptionConfiguration", "s3:PutObject"}),
])
def test_exec_logging_and_kms_add_their_actions_to_the_task_role(
        logging: str, actions: set[str]) -> None:
    result = _result(f"ecs_exec=true&{NAT}&exec_kms=true&exec_logging={logging}")
    task = next(r for r in result.roles if r.role is Role.TASK)
    assert actions | {"kms:Decrypt"} <= set(task.permissions)
    plain = next(r for r in _result(f"ecs_exec=true&{NAT}").roles if r.role is Role.TASK)
    assert not (actions | {"kms:Decrypt"}) & set(plain.permissions)


def test_exec_no_path_names_the_filter_that_stops_it() -> None:
    found = {f.id: f for f in _result(f"ecs_exec=true&{NAT}&task_egress=endpoints_only").findings}
    assert "security groups" in found["ecs-exec-no-path"].detail
    assert "no internet path" not in found["ecs-exec-no-path"].detail


def _commands(kind: CommandKind) -> list[str]:
    return sorted({c.text for case in CASES.values() for query in (case.triggers,)
                   for f in _result(query).findings if f.id == case.finding
                   for c in f.commands if c.kind is kind})


def test_the_cloudformation_fixes_pass_cfn_lint() -> None:
    merged = {}
    for index, text in enumerate(_commands(CommandKind.CLOUDFORMATION)):
        filled = text.replace("<efs-file-system-id>", "fs-0123456789abcdef0")
        template, errors = decode_str(_fill(filled, index))
        assert not errors, (text, errors)
        for name, body in template.get("Resources", template).items():
            merged[f"S{index}x{name}"] = body
    matches = lint(json.dumps({"Resources": merged}), config=ManualArgs(regions=["eu-west-1"]))
    assert not [(m.rule.id, m.message) for m in matches]


def test_the_aws_cli_fixes_name_real_operations() -> None:
    for text in _commands(CommandKind.AWS_CLI):
        for line in text.replace("\\\n", " ").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            match = AWS_COMMAND.match(line)
            assert match, line
            service, operation = match.groups()
            assert service in SESSION.get_available_services()
            assert operation in _operations(service), line
            assert not re.search(r"\b(vpc|subnet|sg|fs)-[0-9a-f]{8,}\b", line)
