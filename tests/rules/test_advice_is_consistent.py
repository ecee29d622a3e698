"""The parts of one result agree with each other and with AWS (issue 10, items 1-13 and 15):
an endpoint a finding asks for is required, a blocked flow is not `ok`, a fix suits its load
balancer, quoted errors are AWS's own, alternatives say they are alternatives."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from advisor.rules import evaluate, parse_query
from advisor.rules.knowledge import SOURCES
from advisor.rules.result import CommandKind, Result, Severity

ISOLATED = "endpoints=ecr_api,ecr_dkr,s3,logs"


def _endpoint(result: Result, service: str):  # type: ignore[no-untyped-def]
    return next(e for e in result.endpoints if e.service == service)


def _status(result: Result, action: str) -> str:
    return next(row.status.value for row in result.traffic if row.action.value == action)


def _text(result: Result, finding_id: str) -> str:
    finding = result.finding(finding_id)
    assert finding is not None, [f.id for f in result.findings]
    return "\n".join([finding.title, finding.detail, *finding.remediation,
                      *(c.text for c in finding.commands)])


def _commands(result: Result, finding_id: str, kind: CommandKind) -> str:
    finding = result.finding(finding_id)
    assert finding is not None, [f.id for f in result.findings]
    return "\n".join(c.text for c in finding.commands if c.kind is kind)


def _severity(result: Result, finding_id: str) -> Severity | None:
    finding = result.finding(finding_id)
    return finding.severity if finding else None


def _cites(result: Result, finding_id: str, key: str) -> bool:
    finding = result.finding(finding_id)
    return finding is not None and SOURCES[key] in finding.sources


CASES: dict[str, tuple[str, Callable[[Result], bool]]] = {
    # 1
    "an_endpoint_ecs_exec_needs_in_an_isolated_subnet_is_required": (
        f"ecs_exec=true&{ISOLATED}",
        lambda r: _endpoint(r, "ssmmessages").required
        and "com.amazonaws.<region>.ssmmessages" in _text(r, "ecs-exec-no-path"),
    ),
    "an_endpoint_ecs_exec_needs_is_optional_with_a_nat_gateway": (
        "ecs_exec=true&nat_gateway=true",
        lambda r: not _endpoint(r, "ssmmessages").required,
    ),
    # 2
    "efs_with_vpc_dns_off_is_blocked_and_says_why": (
        "efs=true&vpc_dns=false&nat_gateway=true",
        lambda r: _status(r, "efs") == "blocked"
        and _severity(r, "efs-needs-vpc-dns") is Severity.BLOCKER
        and 'Failed to resolve "fs-….efs.<region>.amazonaws.com"' in _text(r, "efs-needs-vpc-dns")
        and "enableDnsHostnames" in _text(r, "efs-needs-vpc-dns")
        and _cites(r, "efs-needs-vpc-dns", "efs")
        and _cites(r, "efs-needs-vpc-dns", "efs_dns_name"),
    ),
    "efs_with_vpc_dns_on_is_ok": (
        "efs=true&nat_gateway=true", lambda r: _status(r, "efs") == "ok",
    ),
    # 3
    "an_nlb_target_group_fix_uses_tcp_in_every_tool": (
        "nat_gateway=true&load_balancer=nlb&target_type=instance",
        lambda r: all(
            "TCP" in _commands(r, "target-type-must-be-ip", kind)
            and "HTTP" not in _commands(r, "target-type-must-be-ip", kind)
            for kind in CommandKind),
    ),
    "a_gwlb_target_group_fix_uses_geneve_on_6081_in_every_tool": (
        "nat_gateway=true&load_balancer=gwlb&target_type=instance",
        lambda r: all(
            "GENEVE" in (text := _commands(r, "target-type-must-be-ip", kind))
            and "6081" in text and "HTTP" not in text for kind in CommandKind),
    ),
    "an_alb_target_group_fix_uses_http": (
        "nat_gateway=true&load_balancer=alb&target_type=instance",
        lambda r: "--protocol HTTP" in _commands(r, "target-type-must-be-ip", CommandKind.AWS_CLI),
    ),
    # 4
    "a_private_windows_task_pulling_from_ecr_gets_no_foreign_layer_warning": (
        f"os=windows&{ISOLATED}",
        lambda r: _severity(r, "windows-foreign-layers") is Severity.INFO
        and r.verdict.status.value == "ok" and "mid-2023" in _text(r, "windows-foreign-layers"),
    ),
    # 5
    "the_1_3_0_migration_does_not_count_unusable_endpoints_as_reaching": (
        "platform_version=1.3.0&endpoints=ecr_api,ecr_dkr,s3,logs,secretsmanager"
        "&endpoint_private_dns=false&secrets=secretsmanager",
        lambda r: "already reaches" not in (t := _text(r, "platform-version-1-3-0-retired"))
        and "reaches them there too" not in t
        and "com.amazonaws.<region>.secretsmanager" in t and "unusable" in t,
    ),
    "the_1_3_0_migration_names_missing_endpoints": (
        "platform_version=1.3.0&endpoints=ecr_dkr,s3,logs",
        lambda r: "Create com.amazonaws.<region>.ecr.api" in _text(
            r, "platform-version-1-3-0-retired"),
    ),
    "the_1_3_0_migration_says_the_network_reaches_them_when_it_does": (
        "platform_version=1.3.0&nat_gateway=true",
        lambda r: "reaches them there too" in _text(r, "platform-version-1-3-0-retired"),
    ),
    # 6
    "a_gwlb_on_1_3_0_makes_application_traffic_unsupported": (
        "load_balancer=gwlb&platform_version=1.3.0&nat_gateway=true",
        lambda r: _status(r, "application") == "unsupported",
    ),
    # 7
    "ecs_exec_in_ipv6_only_subnets_is_a_warning_like_no_path_to_session_manager": (
        "ip_mode=ipv6_only&ipv6_egress=egress_only_igw&ecs_exec=true",
        lambda r: _severity(r, "ecs-exec-unsupported-ipv6-only") is Severity.WARNING
        and "isn't supported in an IPv6-only configuration" in _text(
            r, "ecs-exec-unsupported-ipv6-only")
        and "task to start and run" in _text(r, "ecs-exec-unsupported-ipv6-only"),
    ),
    "ecs_exec_without_a_path_is_a_warning_and_the_task_runs": (
        f"ecs_exec=true&{ISOLATED}",
        lambda r: _severity(r, "ecs-exec-no-path") is Severity.WARNING
        and "task starts and runs" in _text(r, "ecs-exec-no-path"),
    ),
    # 8
    "a_dual_stack_public_subnet_without_a_public_ip_is_not_told_to_add_nat": (
        "ip_mode=dualstack&subnet=public&public_ip=false&ipv6_egress=igw"
        "&dualstack_account_setting=true&ipv6_autoassign=true",
        lambda r: "NAT" not in _text(r, "ipv6-route-does-not-carry-launch-traffic")
        and "public IPv4 address" in _text(r, "ipv6-route-does-not-carry-launch-traffic")
        and not any("create-nat-gateway" in c.text for f in r.findings for c in f.commands),
    ),
    "a_pull_through_cache_in_a_public_subnet_is_told_to_assign_a_public_ip": (
        "subnet=public&registry=ecr_pull_through_cache&endpoints=ecr_api,ecr_dkr,s3,logs",
        lambda r: "assignPublicIp" in _text(r, "pull-through-cache-first-pull-needs-nat")
        and "create-nat-gateway" not in _text(r, "pull-through-cache-first-pull-needs-nat"),
    ),
    # 9
    "cross_region_replication_says_old_images_and_existing_rules_need_care": (
        f"registry=ecr_other_region&{ISOLATED}",
        lambda r: "pushed after" in (t := _text(r, "no-internet-path"))
        and "replaces" in t and "start-replication-backfill" in t
        and all("replaced" in _commands(r, "no-internet-path", kind) for kind in CommandKind)
        and _cites(r, "no-internet-path", "ecr_put_replication"),
    ),
    # 10
    "efs_iam_actions_are_named_only_as_conditional": (
        "efs=true&nat_gateway=true",
        lambda r: "elasticfilesystem:ClientMount" not in r.roles[2].permissions
        and "Only if you use EFS IAM authorization" in r.roles[2].why
        and "Only if you use EFS IAM authorization" in _text(r, "efs-network-and-iam"),
    ),
    # 13
    "the_target_type_finding_quotes_the_real_error": (
        "nat_gateway=true&load_balancer=alb&target_type=instance",
        lambda r: "has target type instance, which is incompatible with the awsvpc network "
        "mode specified in the task definition." in _text(r, "target-type-must-be-ip"),
    ),
    "the_ecr_login_failure_quotes_the_real_error": (
        "endpoints=ecr_dkr,s3,logs",
        lambda r: "The task cannot pull registry auth from Amazon ECR: There is a connection "
        "issue between the task and Amazon ECR." in _text(r, "no-path-to-aws-services"),
    ),
    # 15
    "endpoints_and_nat_are_labelled_as_alternatives_in_every_tool": (
        "",
        lambda r: all(
            "# Option 1: VPC endpoints" in (t := _commands(r, "no-path-to-aws-services", kind))
            and "# Option 2 (instead of option 1): a NAT gateway" in t for kind in CommandKind),
    ),
    "the_endpoint_security_group_rule_is_given_in_every_tool": (
        "",
        lambda r: "AWS::EC2::SecurityGroupIngress" in _commands(
            r, "no-path-to-aws-services", CommandKind.CLOUDFORMATION)
        and "aws_vpc_security_group_ingress_rule" in _commands(
            r, "no-path-to-aws-services", CommandKind.TERRAFORM),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_advice_is_consistent(name: str) -> None:
    query, holds = CASES[name]
    assert holds(evaluate(parse_query(query)))
