"""Real documents from public AWS sample repositories (see tests/fixtures/README) and the
answers each one yields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.importers import Document, DocumentKind, Status, import_documents
from advisor.rules import evaluate, parse_query, permalink
from advisor.rules.answers import UNKNOWN
from advisor.rules.result import Severity, VerdictStatus

FIXTURES = Path(__file__).parent / "fixtures"


def load(*paths: str):
    return import_documents([Document(Path(p).name, (FIXTURES / p).read_bytes()) for p in paths])


def found(result) -> dict[str, Any]:
    """Answered fields as JSON values (lists sorted), for readable expectations."""
    answers = result.to_dict()["answers"]
    return {name: a["value"] for name, a in answers.items() if a["status"] in ("found",
                                                                              "inferred")}


CASES = [
    pytest.param(
        ["cloudformation/fargate-private-vpc.yaml",
         "cloudformation/fargate-private-subnet-public-service.json"],
        {
            "subnet": "private", "nat_gateway": True, "public_ip": True, "vpc_dns": True,
            "endpoints": [], "registry": "docker_hub", "log_driver": "none",
            "load_balancer": "alb", "target_type": "ip", "subnet_count": 2,
            "security_group_count": 1, "platform_version": "latest", "ip_mode": "ipv4",
            "efs": False, "secrets": [], "ecs_exec": False, "os": "linux", "arch": "x86_64",
        },
        id="cfn-network-stack-plus-service-stack-combined-through-exports",
    ),
    pytest.param(
        ["cloudformation/ecs-refarch-website-service.yaml"],
        {"registry": "ecr", "log_driver": "awslogs", "load_balancer": "alb",
         "target_type": "instance"},
        id="cfn-ec2-service-with-instance-target-group",
    ),
    pytest.param(
        ["terraform/fullstack-plan-first-apply.json"],
        {"subnet": "private", "nat_gateway": True, "public_ip": False, "vpc_dns": True,
         "endpoints": [], "load_balancer": "alb", "target_type": "ip", "ecs_exec": False,
         "efs": False, "os": "linux", "arch": "x86_64"},
        id="terraform-first-plan-follows-configuration-references",
    ),
    pytest.param(
        ["terraform/fullstack-state-after-apply.json"],
        {"subnet": "private", "nat_gateway": True, "public_ip": False, "vpc_dns": True,
         "endpoints": [], "load_balancer": "alb", "target_type": "ip", "registry": "ecr",
         "log_driver": "awslogs", "secrets": [], "subnet_count": 2, "security_group_count": 1,
         "platform_version": "latest"},
        id="terraform-state-follows-ids",
    ),
    pytest.param(
        ["ecs/firelens-cloudwatchlogs-task-definition.json"],
        {"registry": "docker_hub", "log_driver": "firelens", "secrets": [], "efs": False},
        id="firelens-task-definition-keeps-the-hardest-registry",
    ),
    pytest.param(
        ["ecs/firelens-datadog-task-definition.json"],
        {"registry": "docker_hub", "log_driver": "firelens", "secrets": ["secretsmanager"]},
        id="secret-options-from-secrets-manager",
    ),
    pytest.param(
        ["ecs/firelens-efs-task-definition.json"],
        {"registry": "docker_hub", "log_driver": "firelens", "efs": True},
        id="describe-task-definition-output-with-efs",
    ),
    pytest.param(
        ["ecs/bluegreen-frontend-taskdef.json", "ecs/bluegreen-frontend-service.json"],
        {"registry": "ecr_public", "log_driver": "awslogs", "public_ip": False,
         "subnet_count": 2, "security_group_count": 1, "platform_version": "latest"},
        id="register-task-definition-and-create-service-input",
    ),
    pytest.param(
        ["ecs/bluegreen-lifecycle-taskdef.json"],
        {"registry": "ecr_public", "log_driver": "awslogs"},
        id="ecr-public-image",
    ),
    pytest.param(
        ["ecs/aws-cli-create-service-fargate-output.json"],
        {"platform_version": "latest", "public_ip": True, "load_balancer": "none",
         "subnet_count": 1, "security_group_count": 1, "ecs_exec": False},
        id="create-service-output",
    ),
    pytest.param(
        ["ecs/aws-cli-create-service-elb-input.json"],
        {"load_balancer": "clb"},
        id="classic-load-balancer-by-name",
    ),
    pytest.param(
        ["ecs/aws-cli-describe-tasks-output.json"],
        {"platform_version": "1.3.0"},
        id="describe-tasks-platform-version",
    ),
    pytest.param(
        ["ecs/aws-cli-register-task-definition-sleep360-output.json"],
        {"registry": "docker_hub", "log_driver": "none"},
        id="ec2-only-task-definition",
    ),
]


@pytest.mark.parametrize(("paths", "expected"), CASES)
def test_real_documents_yield_their_answers(paths, expected):
    answers = found(load(*paths))
    assert {name: answers.get(name, "<not answered>") for name in expected} == expected


@pytest.mark.parametrize(("paths", "expected"), CASES)
def test_imported_answers_evaluate_and_round_trip_through_the_query(paths, expected):
    result = load(*paths)
    assert evaluate(result.answers).answers == result.answers
    assert parse_query(result.answers_query()) == result.answers
    assert parse_query(permalink(result.answers).partition("?")[2]) == result.answers
    json.dumps(result.to_dict())


@pytest.mark.parametrize(("paths", "expected"), CASES)
def test_what_no_document_states_is_unknown_never_a_default(paths, expected):
    result = load(*paths)
    assert result.answers.unknown == result.unanswered
    assert all(getattr(result.answers, name) is UNKNOWN for name in result.unanswered)
    assert result.to_dict()["values"] == {
        name: "unknown" if name in result.unanswered else answer["value"]
        for name, answer in result.to_dict()["answers"].items()
    }


# Every real document alone. Blocked only for a blocker the document itself states (certain:
# it holds whatever the unknown answers are); otherwise what is missing makes it conditional.
STATED_BLOCKERS = {
    "cloudformation/ecs-refarch-website-service.yaml": "target-type-must-be-ip",
    "ecs/aws-cli-create-service-elb-input.json": "classic-load-balancer-unsupported",
    "ecs/aws-cli-describe-tasks-output.json": "platform-version-1-3-0-retired",
}
SINGLE = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*")
                if p.suffix in (".json", ".yaml", ".txt") and "invalid" not in p.name)


@pytest.mark.parametrize("path", SINGLE)
def test_a_document_alone_is_blocked_only_by_what_it_states(path):
    result = evaluate(load(path).answers)
    certain = {f.id for f in result.findings if f.severity is Severity.BLOCKER and f.certain}
    if path in STATED_BLOCKERS:
        assert result.verdict.status is VerdictStatus.BLOCKED
        assert STATED_BLOCKERS[path] in certain
    else:
        assert result.verdict.status is not VerdictStatus.BLOCKED
        assert not certain


def test_every_task_definition_and_error_message_alone_is_conditional():
    for path in SINGLE:
        if path.startswith("errors/") or "task-definition" in path or "taskdef" in path:
            assert evaluate(load(path).answers).verdict.status is VerdictStatus.CONDITIONAL, path


def test_a_windows_task_definition_with_efs_is_blocked_by_what_it_states():
    document = json.dumps({
        "family": "win", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
        "containerDefinitions": [{"name": "app", "image": "mcr.microsoft.com/windows:ltsc2022"}],
        "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}],
    })
    result = evaluate(import_documents([Document("win.json", document)]).answers)
    assert result.verdict.status is VerdictStatus.BLOCKED
    assert any(f.certain and f.severity is Severity.BLOCKER and "efs" in f.id
               for f in result.findings)


@pytest.mark.parametrize(
    ("paths", "warnings"),
    [
        (["cloudformation/ecs-refarch-website-service.yaml"],
         ["networkMode is not set, so it defaults to bridge",
          "no networkConfiguration.awsvpcConfiguration"]),
        (["ecs/aws-cli-register-task-definition-sleep360-output.json"],
         ["networkMode is not set", "compatibilities is EC2 without FARGATE"]),
        (["ecs/firelens-datadog-task-definition.json"], ["networkMode is not set"]),
        (["ecs/firelens-efs-task-definition.json"], []),
        (["cloudformation/fargate-private-vpc.yaml",
          "cloudformation/fargate-private-subnet-public-service.json"], []),
    ],
    ids=["ec2-service", "ec2-task-definition", "no-network-mode", "fargate-ready", "fargate-stack"],
)
def test_what_fargate_cannot_run_is_a_warning(paths, warnings):
    messages = [w["message"] for w in load(*paths).to_dict()["warnings"]]
    assert len(messages) == len(warnings)
    for expected in warnings:
        assert any(expected in message for message in messages)


def test_answers_say_where_they_came_from():
    result = load("cloudformation/fargate-private-vpc.yaml",
                  "cloudformation/fargate-private-subnet-public-service.json")
    public_ip = result.field("public_ip").claims[0].origins[0]
    assert (public_ip.document, public_ip.path) == (
        "fargate-private-subnet-public-service.json",
        "Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp",
    )
    nat = result.field("nat_gateway").claims[0]
    assert [(o.document, o.path) for o in nat.origins] == [
        ("fargate-private-subnet-public-service.json",
         "Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets[0]"),
        ("fargate-private-vpc.yaml", "Resources.PrivateRouteOne.Properties.NatGatewayId"),
    ]
    assert "PrivateSubnetOne → route table PrivateRouteTableOne → 0.0.0.0/0 → NAT gateway " \
        "NatGatewayOne" in nat.note
    assert result.field("dualstack_account_setting").status is Status.MISSING
    assert result.to_dict()["answers"]["cmk"]["note"] == "not in the document"


def test_a_network_stack_alone_describes_its_subnets_without_choosing():
    result = load("cloudformation/fargate-private-vpc.yaml")
    assert result.field("subnet").status is Status.MISSING
    assert found(result)["vpc_dns"] is True
    notes = [n["message"] for n in result.to_dict()["notes"]]
    assert any("public (0.0.0.0/0 to an internet gateway): PublicSubnetOne, PublicSubnetTwo"
               in n and "private with a NAT gateway: PrivateSubnetOne, PrivateSubnetTwo" in n
               for n in notes)


def test_a_first_plan_says_the_container_definitions_come_after_apply():
    result = load("terraform/fullstack-plan-first-apply.json")
    assert result.field("registry").status is Status.MISSING
    assert any("known only after apply" in n["message"] for n in result.to_dict()["notes"])


def test_task_and_template_that_agree_combine_without_conflict():
    result = load("cloudformation/fargate-private-vpc.yaml",
                  "cloudformation/fargate-private-subnet-public-service.json",
                  "ecs/aws-cli-create-service-fargate-output.json")
    assert result.field("public_ip").status is Status.FOUND
    assert result.field("subnet_count").status is Status.CONFLICT  # 2 in the stack, 1 in the CLI
    assert {d.kind for d in result.documents} == {DocumentKind.CLOUDFORMATION,
                                                  DocumentKind.SERVICE}


# A time-out proves none of the hops it names (a route, a public IP, a NAT gateway, an
# endpoint, a security group, a network ACL): those fields stay unknown, and the message's
# causes say how to check each. What the message proves (a registry host, a platform, that
# the task uses Secrets Manager) is inferred.
ERRORS = [
    ("ecr-api-timeout.txt", "ecr-auth-timeout", "ecr_auth", {},
     {"nat_gateway": "missing", "public_ip": "missing", "endpoints": "missing"}),
    ("ecr-dkr-request-canceled.txt", "pull-timeout-ecr", "image_pull", {},
     {"nat_gateway": "missing", "public_ip": "missing", "endpoints": "missing"}),
    ("docker-hub-request-canceled.txt", "pull-timeout-docker-hub", "image_pull",
     {"registry": "docker_hub"}, {"nat_gateway": "missing"}),
    ("quay-pull-timeout.txt", "pull-timeout-other-registry", "image_pull",
     {"registry": "other_public"}, {"public_ip": "missing"}),
    ("secrets-manager-timeout.txt", "secrets-manager-timeout", "secrets", {},
     {"secrets": "partial", "nat_gateway": "missing", "endpoints": "missing"}),
    ("ssm-timeout-truncated.txt", "ssm-timeout", "secrets", {},
     {"secrets": "partial", "nat_gateway": "missing"}),
    ("registry-auth-asm.txt", "registry-credentials-asm", "secrets", {},
     {"nat_gateway": "missing"}),
    ("logger-access-denied.txt", "logs-denied", "log_driver",
     {"log_driver": "awslogs"}, {"nat_gateway": "missing"}),
    ("efs-failed-to-resolve.txt", "efs-resolve", "efs", {"efs": True}, {}),
    ("platform-mismatch-service-event.txt", "image-platform", "image_pull",
     {"os": "linux", "arch": "x86_64"}, {}),
]


@pytest.mark.parametrize(("name", "pattern", "action", "inferred", "statuses"), ERRORS,
                         ids=[e[0].removesuffix(".txt") for e in ERRORS])
def test_real_error_messages_map_to_causes_and_inferred_answers(
    name, pattern, action, inferred, statuses
):
    result = load(f"errors/{name}")
    data = result.to_dict()
    assert [(d["pattern"], d["action"]) for d in data["diagnoses"]] == [(pattern, action)]
    assert data["diagnoses"][0]["causes"]
    assert data["diagnoses"][0]["sources"]
    for field, value in inferred.items():
        assert data["answers"][field]["status"] == "inferred"
        assert data["answers"][field]["value"] == value
        assert all(c["inferred"] and c["pattern"] == pattern
                   for c in data["answers"][field]["claims"])
    for field, status in statuses.items():
        assert data["answers"][field]["status"] == status
        assert data["values"][field] == "unknown"
        if status == "suggested":
            assert all(c["suggested"] for c in data["answers"][field]["claims"])
    assert set(result.answers.unknown) == set(data["values"]) - set(inferred)


def test_an_error_message_beside_a_template_takes_nothing_from_it_that_it_cannot_prove():
    result = load("cloudformation/fargate-private-vpc.yaml",
                  "cloudformation/fargate-private-subnet-public-service.json",
                  "errors/ecr-api-timeout.txt")
    assert result.field("nat_gateway").status is not Status.CONFLICT
    assert result.field("endpoints").status is Status.FOUND
    assert [d.pattern for d in result.diagnoses] == ["ecr-auth-timeout"]


def test_terraform_main_route_table_through_main_route_table_id():
    # The same plan with the service moved to the public subnets, which the configuration
    # associates with `aws_vpc.aws_vpc.main_route_table_id`: the VPC's aws_default_route_table.
    plan = json.loads((FIXTURES / "terraform" / "fullstack-plan-first-apply.json").read_text())
    call = plan["configuration"]["root_module"]["module_calls"]["ecs_service_server"]
    call["expressions"]["subnets_id"] = {"references": [
        "module.networking.public_subnets[0]", "module.networking.public_subnets",
        "module.networking", "module.networking.public_subnets[1]"]}
    result = import_documents([Document("plan.json", json.dumps(plan))])
    subnet = result.field("subnet")
    assert (subnet.status, subnet.value) == (Status.FOUND, "public")
    assert "aws_default_route_table.rt_public → 0.0.0.0/0 → internet gateway " \
        "module.networking.aws_internet_gateway.igw" in subnet.claims[0].note
