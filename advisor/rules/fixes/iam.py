"""Fixes to IAM: role policies, the execution role, the service-linked role."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

from ..knowledge import EXECUTION_ROLE_MANAGED_POLICY
from ..result import Command
from .common import (
    three_ways,
)


def policy_document(actions: Sequence[str]) -> dict[str, object]:
    """An identity policy allowing exactly `actions`; resources are the reader's to narrow."""
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}],
    }


def trust_policy(principal: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": principal},
                "Action": "sts:AssumeRole",
            }
        ],
    }


@cache
def role_policy(role_placeholder: str, policy_name: str, actions: tuple[str, ...],
                managed_policy: str | None = None) -> tuple[Command, ...]:
    """Attach the managed policy (if any) and put an inline policy with the other actions."""
    document = json.dumps(policy_document(actions), separators=(",", ":"))
    pretty = json.dumps(policy_document(actions), indent=2)
    cli = []
    if managed_policy:
        cli.append(
            f"aws iam attach-role-policy --role-name {role_placeholder} \\\n"
            f"  --policy-arn {managed_policy}"
        )
    cli.append(
        f"aws iam put-role-policy --role-name {role_placeholder} --policy-name {policy_name} \\\n"
        f"  --policy-document '{document}'"
    )
    statement_lines = "\n".join(
        f"                - {action}" for action in actions
    )
    managed_cfn = f"    ManagedPolicyArns:\n      - {managed_policy}\n" if managed_policy else ""
    cfn = (
        "Role:\n"
        "  Type: AWS::IAM::Role\n"
        "  Properties:\n"
        "    AssumeRolePolicyDocument:\n"
        "      Version: '2012-10-17'\n"
        "      Statement:\n"
        "        - Effect: Allow\n"
        "          Principal: {Service: ecs-tasks.amazonaws.com}\n"
        "          Action: sts:AssumeRole\n"
        + managed_cfn
        + "    Policies:\n"
        f"      - PolicyName: {policy_name}\n"
        "        PolicyDocument:\n"
        "          Version: '2012-10-17'\n"
        "          Statement:\n"
        "            - Effect: Allow\n"
        "              Resource: '*'\n"
        "              Action:\n"
        f"{statement_lines}"
    )
    managed_tf = (
        f'\n\nresource "aws_iam_role_policy_attachment" "{policy_name}" {{\n'
        f'  role       = "{role_placeholder}"\n'
        f'  policy_arn = "{managed_policy}"\n'
        "}"
        if managed_policy
        else ""
    )
    tf = (
        f'resource "aws_iam_role_policy" "{policy_name}" {{\n'
        f'  name   = "{policy_name}"\n'
        f'  role   = "{role_placeholder}"\n'
        f"  policy = jsonencode({_hcl(pretty)})\n"
        "}" + managed_tf
    )
    return three_ways("\n".join(cli), cfn, tf)


def _hcl(pretty_json: str) -> str:
    """JSON is valid HCL for jsonencode() once keys are written as `key = value`."""
    lines: list[str] = []
    for line in pretty_json.splitlines():
        stripped = line.lstrip()
        if stripped.startswith('"') and '": ' in stripped:
            key, value = stripped.split('": ', 1)
            line = line[: len(line) - len(stripped)] + key.strip('"') + " = " + value
        lines.append("  " + line if lines else line)
    return "\n".join(lines)


@cache
def execution_role(actions: tuple[str, ...]) -> tuple[Command, ...]:
    extra = tuple(a for a in actions if a not in _MANAGED_EXECUTION_ACTIONS)
    if not extra:
        return three_ways(
            "aws iam attach-role-policy --role-name <execution-role-name> \\\n"
            f"  --policy-arn {EXECUTION_ROLE_MANAGED_POLICY}",
            "ExecutionRole:\n"
            "  Type: AWS::IAM::Role\n"
            "  Properties:\n"
            "    AssumeRolePolicyDocument:\n"
            "      Version: '2012-10-17'\n"
            "      Statement:\n"
            "        - Effect: Allow\n"
            "          Principal: {Service: ecs-tasks.amazonaws.com}\n"
            "          Action: sts:AssumeRole\n"
            "    ManagedPolicyArns:\n"
            f"      - {EXECUTION_ROLE_MANAGED_POLICY}",
            'resource "aws_iam_role_policy_attachment" "execution" {\n'
            '  role       = "<execution-role-name>"\n'
            f'  policy_arn = "{EXECUTION_ROLE_MANAGED_POLICY}"\n'
            "}",
        )
    return role_policy(
        "<execution-role-name>", "fargate-execution-extras", extra, EXECUTION_ROLE_MANAGED_POLICY
    )


_MANAGED_EXECUTION_ACTIONS = frozenset(
    {
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
)


@cache
def service_linked_role() -> tuple[Command, ...]:
    return three_ways(
        "aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com",
        """
EcsServiceLinkedRole:
  Type: AWS::IAM::ServiceLinkedRole
  Properties:
    AWSServiceName: ecs.amazonaws.com
""",
        """
resource "aws_iam_service_linked_role" "ecs" {
  aws_service_name = "ecs.amazonaws.com"
}
""",
    )
