"""Which role needs which IAM actions, per feature (fact base C3)."""

from __future__ import annotations

import pytest

from advisor.rules import evaluate, parse_query

MANAGED = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
           "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
LOGS = ["logs:CreateLogStream", "logs:PutLogEvents"]


def roles(query: str) -> dict[str, tuple[bool, list[str]]]:
    result = evaluate(parse_query("nat_gateway=true&" + query))
    return {r.role.value: (r.required, list(r.permissions)) for r in result.roles}


@pytest.mark.parametrize(
    ("query", "execution"),
    [
        ("", (True, MANAGED + LOGS)),
        ("log_driver=none", (True, MANAGED)),
        ("registry=docker_hub&log_driver=none", (False, [])),
        ("registry=ecr_public&log_driver=none", (False, [])),
        ("registry=ecr_pull_through_cache&log_driver=none",
         (True, [*MANAGED, "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"])),
        ("secrets=secretsmanager", (True, [*MANAGED, *LOGS, "secretsmanager:GetSecretValue"])),
        ("secrets=ssm", (True, [*MANAGED, *LOGS, "ssm:GetParameters"])),
        ("secrets=ssm&cmk=true", (True, [*MANAGED, *LOGS, "ssm:GetParameters", "kms:Decrypt"])),
        ("registry=private_registry&log_driver=none",
         (True, ["secretsmanager:GetSecretValue"])),
        ("registry=private_registry&log_driver=none&cmk=true",
         (True, ["secretsmanager:GetSecretValue", "kms:Decrypt"])),
        ("cmk=true", (True, MANAGED + LOGS)),
    ],
)
def test_execution_role_permissions(query: str, execution: tuple[bool, list[str]]) -> None:
    assert roles(query)["task_execution"] == execution


@pytest.mark.parametrize(
    ("query", "task"),
    [
        ("", (False, [])),
        ("ecs_exec=true", (True, ["ssmmessages:CreateControlChannel",
                                  "ssmmessages:CreateDataChannel",
                                  "ssmmessages:OpenControlChannel",
                                  "ssmmessages:OpenDataChannel"])),
        # EFS uses the task role only with IAM authorization, which the advisor does not know.
        ("efs=true", (False, [])),
        ("log_driver=firelens", (True, ["logs:CreateLogGroup", "logs:CreateLogStream",
                                        "logs:DescribeLogStreams", "logs:PutLogEvents"])),
        ("os=windows&log_driver=firelens&efs=true", (False, [])),
    ],
)
def test_task_role_permissions(query: str, task: tuple[bool, list[str]]) -> None:
    assert roles(query)["task"] == task


def test_the_service_linked_role_is_always_required_and_manages_enis() -> None:
    required, permissions = roles("")["service_linked"]
    assert required and "ec2:CreateNetworkInterface" in permissions
    assert "elasticloadbalancing:RegisterTargets" not in permissions
    assert "elasticloadbalancing:RegisterTargets" in roles("load_balancer=alb")["service_linked"][1]


def test_roles_trust_the_right_principals() -> None:
    result = evaluate(parse_query(""))
    assert [r.trust_principal for r in result.roles] == [
        "ecs.amazonaws.com", "ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com"]


def test_the_execution_role_fix_attaches_the_managed_policy_and_adds_the_rest() -> None:
    result = evaluate(parse_query("nat_gateway=true&secrets=secretsmanager&cmk=true"))
    cli = result.finding("task-execution-role-permissions").commands[0].text
    assert "AmazonECSTaskExecutionRolePolicy" in cli
    assert '"Action":["secretsmanager:GetSecretValue","kms:Decrypt"]' in cli
