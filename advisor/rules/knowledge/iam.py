"""The IAM roles and the actions each needs, by the feature that needs them."""

from __future__ import annotations

from ..answers import SecretSource
from ..result import Role

# --- IAM -----------------------------------------------------------------------------------

ROLE_NAMES: dict[Role, str] = {
    Role.SERVICE_LINKED: "AWSServiceRoleForECS",
    Role.TASK_EXECUTION: "ecsTaskExecutionRole",
    Role.TASK: "ecsTaskRole",
}

TRUST_PRINCIPALS: dict[Role, str] = {
    Role.SERVICE_LINKED: "ecs.amazonaws.com",
    Role.TASK_EXECUTION: "ecs-tasks.amazonaws.com",
    Role.TASK: "ecs-tasks.amazonaws.com",
}

EXECUTION_ROLE_MANAGED_POLICY = (
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
)

# The actions of the AWS managed policy AmazonECSServiceRolePolicy that task networking and
# load balancing use; the service-linked role carries them, nobody writes them
# (SOURCES: service_linked_role).
SERVICE_LINKED_ACTIONS = (
    "ec2:AttachNetworkInterface",
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:Describe*",
    "ec2:DetachNetworkInterface",
)
SERVICE_LINKED_LB_ACTIONS = (
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:Describe*",
    "elasticloadbalancing:RegisterTargets",
)

# Execution role (SOURCES: execution_role, secrets, private_auth). The first two are what the
# managed policy grants.
ECR_PULL_ACTIONS = (
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
)
AWSLOGS_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
PULL_THROUGH_CACHE_ACTIONS = ("ecr:BatchImportUpstreamImage", "ecr:CreateRepository")
SECRET_ACTIONS: dict[SecretSource, tuple[str, ...]] = {
    SecretSource.SECRETSMANAGER: ("secretsmanager:GetSecretValue",),
    SecretSource.SSM: ("ssm:GetParameters",),
}
PRIVATE_REGISTRY_ACTIONS = ("secretsmanager:GetSecretValue",)
CMK_ACTIONS = ("kms:Decrypt",)

# Task role (SOURCES: firelens, efs, ecs_exec). FireLens: what the Fluent Bit CloudWatch
# plugin calls;
# other destinations need their own (Firehose: firehose:PutRecordBatch).
FIRELENS_CLOUDWATCH_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
)
EFS_IAM_ACTIONS = ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite")
ECS_EXEC_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)
