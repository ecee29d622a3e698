"""One scenario per row of the fact base's decision table (section C), asserting traffic
statuses, required endpoints and permissions, the verdict and the fix the advice names."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from advisor.rules import evaluate, parse_query
from advisor.rules.result import Result


@dataclass(frozen=True)
class Case:
    query: str
    verdict: str
    statuses: dict[str, str] = field(default_factory=dict)
    required_endpoints: set[str] | None = None
    findings: dict[str, str] = field(default_factory=dict)  # id -> severity
    absent: tuple[str, ...] = ()
    fix: tuple[str, str] | None = None  # (finding id, text its remediation or commands contain)


def _fix_text(result: Result, finding_id: str) -> str:
    finding = result.finding(finding_id)
    assert finding is not None, f"no finding {finding_id}: {[f.id for f in result.findings]}"
    return "\n".join([finding.title, finding.detail, *finding.remediation,
                      *(c.text for c in finding.commands)])


ISOLATED_ECR = "endpoints=ecr_api,ecr_dkr,s3,logs"

CASES: dict[str, Case] = {
    # C1 reachability
    "c1_public_subnet_with_public_ip_reaches_everything": Case(
        "subnet=public&public_ip=true&secrets=secretsmanager", "ok",
        {"ecr_auth": "ok", "image_pull": "ok", "log_driver": "ok", "secrets": "ok"},
        required_endpoints=set(), findings={"public-ip-exposes-task": "info"},
    ),
    "c2_public_subnet_without_public_ip_cannot_reach_ecr": Case(
        "subnet=public", "blocked",
        {"ecr_auth": "blocked", "image_pull": "blocked", "log_driver": "blocked"},
        required_endpoints={"ecr_api", "ecr_dkr", "s3", "logs"},
        findings={"no-path-to-aws-services": "blocker"},
        fix=("no-path-to-aws-services", "assignPublicIp=ENABLED"),
    ),
    "c2_public_subnet_without_public_ip_cannot_pull_from_docker_hub": Case(
        "subnet=public&registry=docker_hub&log_driver=none", "blocked",
        {"ecr_auth": "not_used", "image_pull": "blocked"},
        findings={"no-internet-path": "blocker"},
        fix=("no-internet-path", "assignPublicIp"),
    ),
    "c3_private_subnet_with_nat_reaches_everything": Case(
        "nat_gateway=true&secrets=secretsmanager,ssm&efs=true", "ok",
        {"ecr_auth": "ok", "image_pull": "ok", "log_driver": "ok", "secrets": "ok", "efs": "ok"},
        required_endpoints=set(),
    ),
    "c4_public_ip_on_a_private_subnet_with_nat_is_useless": Case(
        "nat_gateway=true&public_ip=true", "warning",
        {"image_pull": "ok"}, findings={"public-ip-unused-in-private-subnet": "warning"},
        fix=("public-ip-unused-in-private-subnet", "assignPublicIp=DISABLED"),
    ),
    "c7_seventeen_subnets_are_rejected": Case(
        "nat_gateway=true&subnet_count=17", "blocked",
        findings={"awsvpc-configuration-limits": "blocker"},
        fix=("awsvpc-configuration-limits", "at most 16 subnets"),
    ),
    "c7_six_security_groups_are_rejected": Case(
        "nat_gateway=true&security_group_count=6", "blocked",
        findings={"awsvpc-configuration-limits": "blocker"},
        fix=("awsvpc-configuration-limits", "5 security groups"),
    ),
    "c7_sixteen_subnets_and_five_groups_are_fine": Case(
        "nat_gateway=true&subnet_count=16&security_group_count=5", "ok",
        absent=("awsvpc-configuration-limits",),
    ),
    # C2 image pulls in isolated subnets
    "c8_isolated_ecr_with_all_endpoints_pulls": Case(
        ISOLATED_ECR, "ok",
        {"ecr_auth": "ok", "image_pull": "ok", "log_driver": "ok"},
        required_endpoints={"ecr_api", "ecr_dkr", "s3", "logs"},
        findings={"endpoint-network-rules": "info", "no-internet-path": "info"},
    ),
    "c9_isolated_ecr_without_ecr_api_cannot_get_registry_auth": Case(
        "endpoints=ecr_dkr,s3,logs", "blocked",
        {"ecr_auth": "blocked", "image_pull": "ok", "log_driver": "ok"},
        findings={"no-path-to-aws-services": "blocker"},
        fix=("no-path-to-aws-services", "com.amazonaws.<region>.ecr.api"),
    ),
    "c10_isolated_ecr_without_ecr_dkr_cannot_pull": Case(
        "endpoints=ecr_api,s3,logs", "blocked",
        {"ecr_auth": "ok", "image_pull": "blocked"},
        fix=("no-path-to-aws-services", "com.amazonaws.<region>.ecr.dkr"),
    ),
    "c11_isolated_ecr_without_s3_gateway_cannot_download_layers": Case(
        "endpoints=ecr_api,ecr_dkr,logs", "blocked",
        {"ecr_auth": "ok", "image_pull": "blocked"},
        fix=("no-path-to-aws-services", "--vpc-endpoint-type Gateway"),
    ),
    "c12_isolated_ecr_on_1_3_0_needs_no_ecr_api_but_is_retired": Case(
        "platform_version=1.3.0&endpoints=ecr_dkr,s3,logs", "blocked",
        {"ecr_auth": "ok", "image_pull": "ok"},
        required_endpoints={"ecr_dkr", "s3", "logs"},
        findings={"platform-version-1-3-0-retired": "blocker"},
        fix=("platform-version-1-3-0-retired", "com.amazonaws.<region>.ecr.api"),
    ),
    "c13_endpoints_without_vpc_dns_are_useless": Case(
        f"{ISOLATED_ECR}&vpc_dns=false", "blocked",
        {"ecr_auth": "blocked", "image_pull": "blocked", "log_driver": "blocked"},
        findings={"endpoints-need-private-dns": "blocker", "vpc-dns-attributes-off": "warning"},
        absent=("no-path-to-aws-services",),
        fix=("endpoints-need-private-dns", "--enable-dns-hostnames"),
    ),
    "c13_endpoints_without_private_dns_are_useless": Case(
        f"{ISOLATED_ECR}&endpoint_private_dns=false", "blocked",
        {"ecr_auth": "blocked", "image_pull": "blocked"},
        findings={"endpoints-need-private-dns": "blocker"},
        fix=("endpoints-need-private-dns", "--private-dns-enabled"),
    ),
    "c13_private_dns_off_with_nat_just_bypasses_the_endpoints": Case(
        f"{ISOLATED_ECR}&endpoint_private_dns=false&nat_gateway=true", "warning",
        {"ecr_auth": "ok", "image_pull": "ok"},
        findings={"endpoints-bypassed": "warning"},
    ),
    "c14_isolated_cross_region_ecr_cannot_pull": Case(
        f"{ISOLATED_ECR}&registry=ecr_other_region", "blocked",
        {"ecr_auth": "blocked", "image_pull": "blocked"},
        findings={"no-internet-path": "blocker"},
        fix=("no-internet-path", "put-replication-configuration"),
    ),
    "c15_isolated_docker_hub_cannot_pull": Case(
        f"{ISOLATED_ECR}&registry=docker_hub", "blocked",
        {"ecr_auth": "not_used", "image_pull": "blocked", "log_driver": "ok"},
        findings={"no-internet-path": "blocker"},
        fix=("no-internet-path", "pull-through cache"),
    ),
    "c15_isolated_other_public_registry_cannot_pull": Case(
        f"{ISOLATED_ECR}&registry=other_public", "blocked",
        {"image_pull": "blocked"}, fix=("no-internet-path", "NAT gateway"),
    ),
    "c15_pull_through_cache_needs_nat_for_the_first_pull": Case(
        f"{ISOLATED_ECR}&registry=ecr_pull_through_cache", "warning",
        {"ecr_auth": "ok", "image_pull": "ok"},
        findings={"pull-through-cache-first-pull-needs-nat": "warning"},
        fix=("pull-through-cache-first-pull-needs-nat", "create-nat-gateway"),
    ),
    "c16_isolated_ecr_public_is_treated_as_failing_and_says_the_docs_disagree": Case(
        f"{ISOLATED_ECR}&registry=ecr_public", "blocked",
        {"ecr_auth": "not_used", "image_pull": "blocked"},
        findings={"no-internet-path": "blocker"},
        fix=("no-internet-path", "AWS pages disagree"),
    ),
    "c17_private_registry_needs_secrets_manager_and_the_registry": Case(
        "endpoints=secretsmanager&registry=private_registry&log_driver=none", "blocked",
        {"secrets": "ok", "image_pull": "blocked"},
        required_endpoints={"secretsmanager"},
        fix=("no-internet-path", "NAT gateway"),
    ),
    "c17_private_registry_with_nat_works": Case(
        "nat_gateway=true&registry=private_registry&log_driver=none", "ok",
        {"secrets": "ok", "image_pull": "ok"},
    ),
    "c18_docker_hub_behind_nat_warns_about_rate_limits": Case(
        "nat_gateway=true&registry=docker_hub", "ok",
        {"image_pull": "ok"}, findings={"docker-hub-rate-limit": "info"},
        fix=("docker-hub-rate-limit", "repositoryCredentials"),
    ),
    "c19_arm64_images_need_an_arm64_manifest": Case(
        "nat_gateway=true&arch=arm64", "ok", findings={"arm64-image-architecture": "info"},
    ),
    "c20_windows_isolated_ecr_only_notes_foreign_layers_of_old_base_images": Case(
        f"os=windows&{ISOLATED_ECR}", "ok",
        {"ecr_auth": "ok", "image_pull": "ok"},
        findings={"windows-foreign-layers": "info"},
        fix=("windows-foreign-layers", "before mid-2023"),
    ),
    # C3 IAM (what the role list must contain is checked in test_roles)
    "c25_get_authorization_token_conditions_are_flagged_with_the_conflict": Case(
        ISOLATED_ECR, "ok",
        findings={"no-vpc-conditions-on-get-authorization-token": "info"},
        fix=("no-vpc-conditions-on-get-authorization-token", "AWS pages disagree"),
    ),
    "c31_the_service_linked_role_is_always_explained": Case(
        "nat_gateway=true", "ok", findings={"service-linked-role": "info"},
        fix=("service-linked-role", "aws iam create-service-linked-role "
                                    "--aws-service-name ecs.amazonaws.com"),
    ),
    # C4 secrets, logs, EFS, Exec
    "c32_isolated_secrets_manager_without_endpoint_fails": Case(
        f"{ISOLATED_ECR}&secrets=secretsmanager", "blocked",
        {"secrets": "blocked"}, required_endpoints={"ecr_api", "ecr_dkr", "s3", "logs",
                                                    "secretsmanager"},
        fix=("no-path-to-aws-services", "com.amazonaws.<region>.secretsmanager"),
    ),
    "c33_isolated_ssm_parameters_without_endpoint_fail": Case(
        f"{ISOLATED_ECR}&secrets=ssm", "blocked",
        {"secrets": "blocked"}, fix=("no-path-to-aws-services", "com.amazonaws.<region>.ssm"),
    ),
    "c34_secrets_on_1_3_0_use_the_fargate_owned_eni": Case(
        "platform_version=1.3.0&endpoints=ecr_dkr,s3,logs&secrets=secretsmanager,ssm", "blocked",
        {"secrets": "ok"}, required_endpoints={"ecr_dkr", "s3", "logs"},
        fix=("platform-version-1-3-0-retired", "com.amazonaws.<region>.ssm"),
    ),
    "c36_isolated_awslogs_without_logs_endpoint_fails": Case(
        "endpoints=ecr_api,ecr_dkr,s3", "blocked",
        {"log_driver": "blocked"}, fix=("no-path-to-aws-services", "com.amazonaws.<region>.logs"),
    ),
    "c37_firelens_on_windows_is_unsupported": Case(
        "os=windows&nat_gateway=true&log_driver=firelens", "blocked",
        {"firelens": "unsupported", "log_driver": "not_used"},
        findings={"firelens-unsupported-on-windows": "blocker"},
        fix=("firelens-unsupported-on-windows", "awslogs"),
    ),
    "c38_firelens_config_must_be_a_file": Case(
        "nat_gateway=true&log_driver=firelens", "ok",
        {"firelens": "ok"}, findings={"firelens-task-role": "info"},
        fix=("firelens-task-role", "config-file-type file"),
    ),
    "firelens_isolated_without_a_destination_endpoint_warns": Case(
        "endpoints=ecr_api,ecr_dkr,s3&log_driver=firelens", "warning",
        {"firelens": "blocked"}, findings={"firelens-destination-unreachable": "warning"},
    ),
    "c39_efs_on_1_3_0_is_unsupported": Case(
        "nat_gateway=true&platform_version=1.3.0&efs=true", "blocked",
        {"efs": "unsupported"}, findings={"efs-needs-platform-1-4-0": "blocker"},
    ),
    "c39_efs_on_windows_is_unsupported": Case(
        "os=windows&nat_gateway=true&efs=true", "blocked",
        {"efs": "unsupported"}, findings={"efs-unsupported-on-windows": "blocker"},
    ),
    "c40_efs_explains_nfs_and_mount_targets": Case(
        "nat_gateway=true&efs=true", "ok", {"efs": "ok"},
        findings={"efs-network-and-iam": "info"}, fix=("efs-network-and-iam", "--port 2049"),
    ),
    "c41_efs_iam_needs_transit_encryption": Case(
        "nat_gateway=true&efs=true", "ok", fix=("efs-network-and-iam", "transitEncryption"),
    ),
    "c42_isolated_ecs_exec_without_ssmmessages_fails": Case(
        f"{ISOLATED_ECR}&ecs_exec=true", "warning",
        findings={"ecs-exec-no-path": "warning"},
        fix=("ecs-exec-no-path", "com.amazonaws.<region>.ssmmessages"),
    ),
    "c42_isolated_ecs_exec_with_ssmmessages_works": Case(
        f"{ISOLATED_ECR},ssmmessages&ecs_exec=true", "ok",
        findings={"ecs-exec-task-role": "info"}, absent=("ecs-exec-no-path",),
    ),
    "c43_ecs_exec_in_an_ipv6_only_subnet_is_unsupported_but_the_task_runs": Case(
        "ip_mode=ipv6_only&ipv6_egress=egress_only_igw&ecs_exec=true", "warning",
        findings={"ecs-exec-unsupported-ipv6-only": "warning"},
        fix=("ecs-exec-unsupported-ipv6-only", "expect the task to start and run"),
    ),
    "c45_no_ecs_endpoints_are_needed": Case(
        ISOLATED_ECR, "ok", required_endpoints={"ecr_api", "ecr_dkr", "s3", "logs"},
    ),
    # C5 IPv6
    "c46_dual_stack_without_account_setting_gets_ipv4_only": Case(
        "ip_mode=dualstack&ipv6_autoassign=true&nat_gateway=true&ipv6_egress=egress_only_igw",
        "warning", findings={"dualstack-task-gets-ipv4-only": "warning"},
        fix=("dualstack-task-gets-ipv4-only", "put-account-setting-default --name dualStackIPv6"),
    ),
    "c46_dual_stack_with_every_condition_gets_ipv6": Case(
        "ip_mode=dualstack&dualstack_account_setting=true&ipv6_autoassign=true"
        "&nat_gateway=true&ipv6_egress=egress_only_igw", "ok",
        absent=("dualstack-task-gets-ipv4-only",),
    ),
    "c47_dual_stack_with_only_an_egress_only_gateway_cannot_start": Case(
        "ip_mode=dualstack&dualstack_account_setting=true&ipv6_autoassign=true"
        "&ipv6_egress=egress_only_igw", "blocked",
        {"ecr_auth": "blocked", "image_pull": "blocked"},
        findings={"ipv6-route-does-not-carry-launch-traffic": "info",
                  "no-path-to-aws-services": "blocker"},
        fix=("ipv6-route-does-not-carry-launch-traffic", "IPv4 NAT gateway or VPC endpoints"),
    ),
    "c48_dual_stack_public_subnet_needs_a_public_ipv4": Case(
        "ip_mode=dualstack&dualstack_account_setting=true&ipv6_autoassign=true"
        "&subnet=public&ipv6_egress=igw", "blocked",
        {"ecr_auth": "blocked"}, fix=("no-path-to-aws-services", "assignPublicIp=ENABLED"),
    ),
    "c49_ipv6_only_windows_is_unsupported": Case(
        "os=windows&ip_mode=ipv6_only&ipv6_egress=egress_only_igw", "blocked",
        findings={"ipv6-only-needs-linux": "blocker"},
    ),
    "c50_ipv6_only_ecr_needs_the_dual_stack_uri": Case(
        "ip_mode=ipv6_only&ipv6_egress=egress_only_igw", "warning",
        {"ecr_auth": "ok", "image_pull": "ok"},
        findings={"ipv6-only-requirements": "warning"},
        fix=("ipv6-only-requirements", "dkr-ecr.<region>.on.aws"),
    ),
    "c50_ipv6_only_without_ipv6_route_cannot_reach_ecr_even_with_endpoints": Case(
        f"ip_mode=ipv6_only&{ISOLATED_ECR}", "blocked",
        {"ecr_auth": "blocked", "image_pull": "blocked"},
        findings={"no-internet-path": "blocker"},
        fix=("no-internet-path", "egress-only internet gateway"),
    ),
    "c52_ipv6_only_service_needs_a_dual_stack_load_balancer": Case(
        "ip_mode=ipv6_only&ipv6_egress=egress_only_igw&load_balancer=alb", "warning",
        fix=("ipv6-only-requirements", "dualstack"),
    ),
    # C6 load balancing
    "c53_classic_load_balancer_is_unsupported": Case(
        "nat_gateway=true&load_balancer=clb", "blocked",
        {"application": "blocked"}, findings={"classic-load-balancer-unsupported": "blocker"},
        fix=("classic-load-balancer-unsupported", "--type application"),
    ),
    "c54_instance_target_type_cannot_register_tasks": Case(
        "nat_gateway=true&load_balancer=alb&target_type=instance", "blocked",
        {"application": "blocked"}, findings={"target-type-must-be-ip": "blocker"},
        fix=("target-type-must-be-ip", "--target-type ip"),
    ),
    "c54_target_type_is_ignored_without_a_load_balancer": Case(
        "nat_gateway=true&target_type=instance", "ok", {"application": "ok"},
        absent=("target-type-must-be-ip",),
    ),
    "c55_nlb_on_1_3_0_mentions_udp": Case(
        "nat_gateway=true&load_balancer=nlb&platform_version=1.3.0", "blocked",
        fix=("load-balancer-reachability", "UDP listeners need platform version 1.4.0"),
    ),
    "c56_gateway_load_balancer_says_the_docs_disagree": Case(
        "nat_gateway=true&load_balancer=gwlb", "warning",
        findings={"gateway-load-balancer-docs-disagree": "warning"},
        fix=("gateway-load-balancer-docs-disagree", "AWS pages disagree"),
    ),
    "c57_alb_explains_security_groups": Case(
        "nat_gateway=true&load_balancer=alb", "ok",
        findings={"load-balancer-reachability": "info"},
        fix=("load-balancer-reachability", "--source-group <lb-security-group-id>"),
    ),
    "c58_nlb_explains_source_addresses": Case(
        "nat_gateway=true&load_balancer=nlb", "ok",
        fix=("load-balancer-reachability", "NLB's private IPs"),
    ),
    # C7 platform and OS
    "c60_latest_resolves_to_1_4_0_on_linux": Case(
        "nat_gateway=true", "ok", findings={"latest-platform-version": "info"},
        fix=("latest-platform-version", "1.4.0"),
    ),
    "c60_latest_resolves_to_1_0_0_on_windows": Case(
        "os=windows&nat_gateway=true", "ok", fix=("latest-platform-version", "1.0.0"),
    ),
    "c61_platform_version_1_3_0_is_retired": Case(
        "nat_gateway=true&platform_version=1.3.0", "blocked",
        findings={"platform-version-1-3-0-retired": "blocker"},
        fix=("platform-version-1-3-0-retired", "--platform-version 1.4.0"),
    ),
    "c62_arm64_needs_linux": Case(
        "os=windows&arch=arm64&nat_gateway=true", "blocked",
        findings={"arm64-needs-linux": "blocker"},
    ),
    "c62_arm64_needs_1_4_0": Case(
        "arch=arm64&nat_gateway=true&platform_version=1.3.0", "blocked",
        findings={"arm64-needs-platform-1-4-0": "blocker"},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_decision_table(name: str) -> None:
    case = CASES[name]
    result = evaluate(parse_query(case.query))
    assert result.verdict.status == case.verdict, [(f.id, f.severity) for f in result.findings]
    statuses = {row.action.value: row.status.value for row in result.traffic}
    assert {a: statuses[a] for a in case.statuses} == case.statuses
    if case.required_endpoints is not None:
        assert {e.service for e in result.endpoints if e.required} == case.required_endpoints
    severities = {f.id: f.severity.value for f in result.findings}
    assert {i: severities.get(i) for i in case.findings} == case.findings
    assert not set(case.absent) & set(severities)
    if case.fix:
        assert case.fix[1] in _fix_text(result, case.fix[0])


def test_blocked_rows_link_to_the_findings_that_explain_them() -> None:
    result = evaluate(parse_query("endpoints=ecr_dkr,s3,logs"))
    row = next(r for r in result.traffic if r.action == "ecr_auth")
    assert "no-path-to-aws-services" in row.findings
    assert "ecr_auth" in result.finding("no-path-to-aws-services").actions


def test_usable_endpoints_carry_their_traffic_even_beside_a_nat_gateway() -> None:
    result = evaluate(parse_query("nat_gateway=true&endpoints=ecr_api,ecr_dkr,s3"))
    paths = {row.action.value: row.path for row in result.traffic}
    assert paths["ecr_auth"] == "Task ENI → VPC endpoint ecr.api (private)"
    assert paths["image_pull"] == "Task ENI → VPC endpoints ecr.dkr + s3 (private)"
    assert paths["log_driver"] == "Task ENI → the NAT gateway → the service's public endpoint"
    assert not any(e.required for e in result.endpoints)
    assert "carries this traffic" in next(e.why for e in result.endpoints if e.service == "s3")


def test_a_partial_endpoint_set_beside_nat_still_works() -> None:
    result = evaluate(parse_query("nat_gateway=true&endpoints=ecr_dkr"))
    row = next(r for r in result.traffic if r.action == "image_pull")
    assert row.status == "ok"
    assert row.path == "Task ENI → VPC endpoint ecr.dkr; the rest through the NAT gateway"


def test_present_endpoints_are_reported_present() -> None:
    result = evaluate(parse_query("endpoints=ecr_dkr,s3,kms"))
    present = {e.service: e.present for e in result.endpoints}
    assert present == {"ecr_api": False, "ecr_dkr": True, "s3": True, "logs": False, "kms": True}


def test_an_isolated_task_in_a_public_subnet_is_told_to_turn_on_its_public_ip_first() -> None:
    finding = evaluate(parse_query("subnet=public")).finding("no-path-to-aws-services")
    assert "assignPublicIp" in finding.remediation[0]
    assert finding.commands[0].text.startswith(
        "# Option 1: a public IP for the task\naws ecs update-service")


def test_an_isolated_private_task_is_told_about_endpoints_first_and_nat_second() -> None:
    finding = evaluate(parse_query("")).finding("no-path-to-aws-services")
    assert "com.amazonaws.<region>.ecr.api" in finding.remediation[0]
    assert "NAT gateway" in finding.remediation[-1]


def test_findings_name_the_blocked_flows_in_plain_words() -> None:
    finding = evaluate(parse_query("endpoints=ecr_dkr,s3,logs&secrets=secretsmanager")).finding(
        "no-path-to-aws-services")
    assert "the ECR login and the secrets retrieval cannot reach AWS" in finding.detail
    assert finding.remediation[-1].startswith("Or give the task an internet path instead: route")


def test_endpoint_network_advice_follows_the_endpoints_that_carry_traffic() -> None:
    def advice(query: str) -> str | None:
        finding = evaluate(parse_query(query)).finding("endpoint-network-rules")
        return finding.detail if finding else None

    assert "S3 managed prefix list" in advice("endpoints=ecr_api,ecr_dkr,s3,logs")
    # Docker Hub through NAT: the S3 endpoint carries nothing, the logs endpoint does.
    beside_nat = advice("nat_gateway=true&registry=docker_hub&endpoints=s3,logs")
    assert beside_nat and "S3 managed prefix list" not in beside_nat
    # Present but unusable without private DNS: nothing goes through them.
    assert advice("nat_gateway=true&endpoints=ecr_api,logs&endpoint_private_dns=false") is None
