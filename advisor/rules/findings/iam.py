"""Findings about IAM: the execution role, KMS keys, secrets, the service-linked role."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    OS,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
)
from ..knowledge import (
    ECR_REGISTRIES,
)
from ..paths import (
    Context,
)
from ..result import (
    Action,
    Finding,
    Role,
    Severity,
)
from ..traffic import (
    uses_ecr_login,
    uses_secrets,
)
from .common import (
    finding,
)


def task_execution_role_permissions(ctx: Context) -> Finding | None:
    role = next(r for r in ctx.roles if r.role is Role.TASK_EXECUTION)
    if not role.required:
        return None
    a = ctx.answers
    notes = []
    if a.log_driver is LogDriver.AWSLOGS:
        notes.append("With awslogs-create-group set to true the role also needs "
                     "logs:CreateLogGroup, which the managed policy lacks; otherwise create the "
                     "log group first (\"ResourceNotFoundException: The specified log group does "
                     "not exist\").")
    if a.cmk and uses_secrets(a):
        notes.append("kms:Decrypt is needed because the secrets use a customer managed key; "
                     "also allow the role in the key policy.")
    if SecretSource.SSM in a.secrets:
        notes.append("If an SSM parameter references a Secrets Manager secret, the role also "
                     "needs secretsmanager:GetSecretValue.")
    return finding(
        "task-execution-role-permissions", Severity.INFO,
        "The task execution role needs these permissions",
        "Missing permissions fail the same way as missing network paths, with "
        "AccessDeniedException in the stopped reason (for example \"not authorized to "
        "perform: ecr:GetAuthorizationToken\"). Required: " + ", ".join(role.permissions) + ". "
        + " ".join(notes),
        remediation=["Trust ecs-tasks.amazonaws.com, attach AmazonECSTaskExecutionRolePolicy and "
                     "add the other actions as an inline policy; set it as the task "
                     "definition's executionRoleArn."],
        commands=fixes.execution_role(role.permissions),
        sources=("execution_role", "unable_to_pull_secrets_kc"),
        actions=_execution_role_actions(ctx),
    )


def _execution_role_actions(ctx: Context) -> list[Action]:
    """The traffic rows that use the execution role in this configuration."""
    a = ctx.answers
    uses = {
        Action.ECR_AUTH: uses_ecr_login(a),
        Action.IMAGE_PULL: a.registry in ECR_REGISTRIES or a.registry is Registry.PRIVATE_REGISTRY,
        Action.LOG_DRIVER: a.log_driver is LogDriver.AWSLOGS,
        Action.SECRETS: uses_secrets(a),
    }
    return [action for action, used in uses.items() if used]


def kms_endpoint_not_needed_for_secrets(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.cmk and uses_secrets(a) and ctx.isolated):
        return None
    return finding(
        "kms-endpoint-not-needed-for-secrets", Severity.INFO,
        "No KMS endpoint is needed to inject encrypted secrets",
        "Secrets Manager and Systems Manager decrypt with your key on their side, so the task "
        "needs their endpoints, not a KMS endpoint. No AWS page says so explicitly for Fargate "
        "secret injection: this is an inference.",
        sources=("execution_role", "ecs_endpoints"), actions=(Action.SECRETS,),
    )


def customer_managed_key_unused(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not a.cmk or uses_secrets(a):
        return None
    return finding(
        "customer-managed-key-unused", Severity.INFO,
        "A customer managed key only matters for secrets",
        "You said secrets use a customer managed KMS key, but the task injects no secrets and "
        "uses no private registry credentials, so kms:Decrypt is not needed.",
        sources=("execution_role",),
    )


def secrets_json_keys_need_platform_1_4_0(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.secrets and a.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0):
        return None
    return finding(
        "secrets-json-keys-need-platform-1-4-0", Severity.INFO,
        "Secret JSON keys and versions need platform version 1.4.0",
        "On 1.3.0 only whole secrets and parameters can be injected; a specific JSON key or "
        "version of a Secrets Manager secret needs Linux 1.4.0 or Windows 1.0.0.",
        sources=("secrets",), actions=(Action.SECRETS,),
    )


def service_linked_role(ctx: Context) -> Finding | None:
    return finding(
        "service-linked-role", Severity.INFO,
        "Amazon ECS needs its service-linked role",
        "AWSServiceRoleForECS lets ECS create the task's ENI"
        + (" and register it with the load balancer" if ctx.answers.load_balancer
           is not LoadBalancer.NONE else "")
        + ". AWS creates it with your first cluster or service; create it yourself if an "
        "organization policy or missing permission stopped that.",
        commands=fixes.service_linked_role(),
        sources=("networking", "service_linked_role"),
    )
