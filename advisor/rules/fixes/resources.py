"""Fixes to where the task's resources live: a repository or a secret in another account, a
log group, the S3 gateway endpoint's route tables, and the security groups between services."""

from __future__ import annotations

import json
from functools import cache

from ..knowledge import ECR_PULL_ACTIONS
from ..result import Command
from .common import (
    three_ways,
)
from .iam import (
    execution_role,
)

# The execution role of the account that runs the task, as another account's policies name it.
_TASK_ROLE_ARN = "arn:aws:iam::<task-account-id>:role/<execution-role-name>"
# The pull actions a repository policy grants another account: ECR's "allow pull" set, without
# ecr:GetAuthorizationToken, which is an IAM-only action (SOURCES: ecr_repo_policies).
REPOSITORY_PULL_ACTIONS = tuple(a for a in ECR_PULL_ACTIONS if a != "ecr:GetAuthorizationToken")


def _statement(sid: str, actions: tuple[str, ...] | str, principal: str = _TASK_ROLE_ARN,
               resource: bool = False) -> dict[str, object]:
    body: dict[str, object] = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal},
                               "Action": list(actions) if isinstance(actions, tuple) else actions}
    if resource:
        body["Resource"] = "*"
    return body


def _policy(*statements: dict[str, object]) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _compact(document: dict[str, object]) -> str:
    return json.dumps(document, separators=(",", ":"))


def _yaml(document: dict[str, object], indent: int) -> str:
    """A policy as CloudFormation YAML (JSON is YAML; one level per line reads better)."""
    pad = " " * indent
    return "\n".join(pad + line for line in json.dumps(document, indent=2).splitlines())


def _hcl(document: dict[str, object]) -> str:
    """A policy for jsonencode(): JSON whose keys are written `key = value`."""
    lines: list[str] = []
    for line in json.dumps(document, indent=2).splitlines():
        stripped = line.lstrip()
        if stripped.startswith('"') and '": ' in stripped:
            key, value = stripped.split('": ', 1)
            line = line[: len(line) - len(stripped)] + key.strip('"') + " = " + value
        lines.append("  " + line if lines else line)
    return "\n".join(lines)


@cache
def repository_policy() -> tuple[Command, ...]:
    """Let the task account's execution role pull from a repository in another account."""
    policy = _policy(_statement("AllowPullFromTaskAccount", REPOSITORY_PULL_ACTIONS))
    return three_ways(
        "# In the account that owns the repository. This replaces the repository's policy:\n"
        "# read it first (aws ecr get-repository-policy) and keep its statements.\n"
        "aws ecr set-repository-policy --repository-name <repository> \\\n"
        f"  --policy-text '{_compact(policy)}'",
        "# In the account that owns the repository (keep the repository's other properties)\n"
        "Repository:\n"
        "  Type: AWS::ECR::Repository\n"
        "  Properties:\n"
        "    RepositoryName: <repository>\n"
        "    RepositoryPolicyText:\n" + _yaml(policy, 6),
        "# In the account that owns the repository; this is the repository's whole policy\n"
        'resource "aws_ecr_repository_policy" "pull_from_task_account" {\n'
        '  repository = "<repository>"\n'
        f"  policy     = jsonencode({_hcl(policy)})\n"
        "}",
    )


@cache
def secret_sharing() -> tuple[Command, ...]:
    """Share a secret with another account: the secret's resource policy, and a customer
    managed key whose key policy lets that account's execution role decrypt
    (SOURCES: sm_cross_account)."""
    secret_policy = _policy(_statement("AllowTaskAccountToRead", "secretsmanager:GetSecretValue",
                                       resource=True))
    key_statement = _statement("AllowTaskAccountToDecrypt", "kms:Decrypt", resource=True)
    key_policy = _policy(
        _statement("KeyAdministration", "kms:*", "arn:aws:iam::<owner-account-id>:root",
                   resource=True),
        key_statement,
    )
    return three_ways(
        "# In the account that owns the secret:\n"
        "aws secretsmanager put-resource-policy --secret-id <secret-arn> \\\n"
        f"  --resource-policy '{_compact(secret_policy)}'\n"
        "# The secret must be encrypted with a customer managed key, not aws/secretsmanager:\n"
        "aws secretsmanager update-secret --secret-id <secret-arn> --kms-key-id <key-arn>\n"
        "# Add this statement to that key's policy (put-key-policy replaces the whole policy:\n"
        "# read it with aws kms get-key-policy, add the statement, write it back):\n"
        f"#   {_compact(key_statement)}\n"
        "aws kms put-key-policy --key-id <key-arn> --policy-name default \\\n"
        "  --policy file://key-policy.json",
        "# In the account that owns the secret; encrypt the secret with this key (KmsKeyId)\n"
        "SecretPolicy:\n"
        "  Type: AWS::SecretsManager::ResourcePolicy\n"
        "  Properties:\n"
        "    SecretId: <secret-arn>\n"
        "    ResourcePolicy:\n" + _yaml(secret_policy, 6) + "\n"
        "SecretKey:\n"
        "  Type: AWS::KMS::Key\n"
        "  Properties:\n"
        "    Description: Customer managed key for secrets shared with the task account\n"
        "    KeyPolicy:\n" + _yaml(key_policy, 6),
        "# In the account that owns the secret; encrypt the secret with this key (kms_key_id)\n"
        'resource "aws_secretsmanager_secret_policy" "share_with_task_account" {\n'
        '  secret_arn = "<secret-arn>"\n'
        f"  policy     = jsonencode({_hcl(secret_policy)})\n"
        "}\n\n"
        'resource "aws_kms_key" "shared_secret" {\n'
        '  description = "Customer managed key for secrets shared with the task account"\n'
        f"  policy      = jsonencode({_hcl(key_policy)})\n"
        "}",
    )


@cache
def log_group() -> tuple[Command, ...]:
    """Create the awslogs log group, in the Region awslogs-region names."""
    return three_ways(
        "aws logs create-log-group --log-group-name <awslogs-group> --region <awslogs-region>",
        "# In a stack in the Region that awslogs-region names\n"
        "LogGroup:\n"
        "  Type: AWS::Logs::LogGroup\n"
        "  Properties:\n"
        "    LogGroupName: <awslogs-group>",
        "# With the provider of the Region that awslogs-region names\n"
        'resource "aws_cloudwatch_log_group" "task" {\n'
        '  name = "<awslogs-group>"\n'
        "}",
    )


@cache
def log_group_created_by_driver() -> tuple[Command, ...]:
    """awslogs-create-group, and logs:CreateLogGroup on the execution role."""
    note = ('# Set "awslogs-create-group": "true" in each container\'s logConfiguration.options,\n'
            "# and let the execution role create the group:\n")
    return tuple(Command(c.kind, note + c.text)
                 for c in execution_role(("logs:CreateLogGroup",)))


@cache
def s3_endpoint_route_tables() -> tuple[Command, ...]:
    """Associate the S3 gateway endpoint with the task subnets' route tables."""
    return three_ways(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <s3-endpoint-id> \\\n"
        "  --add-route-table-ids <task-subnets-route-table-id>",
        "# The S3 gateway endpoint, with the task subnets' route table added (keep the others)\n"
        "S3Endpoint:\n"
        "  Type: AWS::EC2::VPCEndpoint\n"
        "  Properties:\n"
        "    VpcId: <vpc-id>\n"
        "    ServiceName: !Sub com.amazonaws.${AWS::Region}.s3\n"
        "    VpcEndpointType: Gateway\n"
        "    RouteTableIds: [<task-subnets-route-table-id>]",
        'resource "aws_vpc_endpoint_route_table_association" "task_subnets" {\n'
        '  vpc_endpoint_id = "<s3-endpoint-id>"\n'
        '  route_table_id  = "<task-subnets-route-table-id>"\n'
        "}",
    )
