"""The IAM roles a task needs, read off the same configuration as the traffic rows: the
service-linked role, the task execution role (what Fargate fetches for the task) and the task
role (what the platform features inside the task call), each with why.
"""

from __future__ import annotations

from collections.abc import Iterable

from .answers import (
    OS,
    Answers,
    ExecLogging,
    LoadBalancer,
    LogDriver,
    LogGroup,
    Registry,
    SecretSource,
    known,
)
from .detail import registries
from .knowledge import (
    AWSLOGS_ACTIONS,
    CMK_ACTIONS,
    ECR_PULL_ACTIONS,
    ECR_REGISTRIES,
    ECS_EXEC_ACTIONS,
    EFS_IAM_ACTIONS,
    FIRELENS_CLOUDWATCH_ACTIONS,
    PRIVATE_REGISTRY_ACTIONS,
    PULL_THROUGH_CACHE_ACTIONS,
    ROLE_NAMES,
    SECRET_ACTIONS,
    SERVICE_LINKED_ACTIONS,
    SERVICE_LINKED_LB_ACTIONS,
    TRUST_PRINCIPALS,
)
from .paths import Context
from .result import Action, Role, RoleNeed, Status
from .traffic import and_list, exec_unsupported, uses_secrets

# What the task role needs for ECS Exec's options (SOURCES: ecs_exec, "IAM permissions
# required for Amazon CloudWatch Logs or Amazon S3 Logging" and "... for encryption using your
# own AWS KMS key"). The user who runs execute-command needs kms:GenerateDataKey; not a role.
EXEC_KMS_ACTIONS = ("kms:Decrypt",)
EXEC_LOGGING_ACTIONS: dict[ExecLogging, tuple[str, ...]] = {
    ExecLogging.CLOUDWATCH: ("logs:DescribeLogGroups", "logs:CreateLogStream",
                             "logs:DescribeLogStreams", "logs:PutLogEvents"),
    ExecLogging.S3: ("s3:GetBucketLocation", "s3:GetEncryptionConfiguration", "s3:PutObject"),
}
EXEC_LOGGING_NAMES = {ExecLogging.CLOUDWATCH: "CloudWatch Logs", ExecLogging.S3: "Amazon S3"}


def _execution_needs(a: Answers) -> tuple[list[str], list[str]]:
    """The execution role's actions in this configuration, and what Fargate uses them for."""
    execution: list[str] = []
    reasons: list[str] = []
    pulled = registries(a)  # the image registry and the other containers' registries
    if any(r in ECR_REGISTRIES for r in pulled):
        execution += ECR_PULL_ACTIONS
        reasons.append("pull the image from private Amazon ECR")
    if Registry.ECR_PULL_THROUGH_CACHE in pulled:
        execution += PULL_THROUGH_CACHE_ACTIONS
        reasons.append("import images through the pull-through cache")
    if a.log_driver is LogDriver.AWSLOGS:
        execution += AWSLOGS_ACTIONS
        if a.log_group is LogGroup.CREATE_GROUP:  # awslogs-create-group (SOURCES: awslogs)
            execution.append("logs:CreateLogGroup")
        reasons.append("send container logs to CloudWatch Logs with awslogs"
                       + (" (and create the log group)"
                          if a.log_group is LogGroup.CREATE_GROUP else ""))
    for source in SecretSource:
        if source in a.secrets:
            execution += SECRET_ACTIONS[source]
    if a.secrets:
        reasons.append("read the secrets injected into the containers")
    if a.env_files:  # (SOURCES: env_files, execution_role)
        execution += ("s3:GetObject", "s3:GetBucketLocation")
        reasons.append("download the environment files from Amazon S3")
    if Registry.PRIVATE_REGISTRY in pulled:
        execution += PRIVATE_REGISTRY_ACTIONS
        reasons.append("read the private registry's credentials from Secrets Manager")
    if a.cmk and uses_secrets(a):
        execution += CMK_ACTIONS
        reasons.append("decrypt them with your customer managed KMS key")
    return execution, reasons


def roles(ctx: Context) -> tuple[RoleNeed, ...]:
    """The three roles: what each needs here, and why."""
    a = ctx.answers
    linked = SERVICE_LINKED_ACTIONS + (
        SERVICE_LINKED_LB_ACTIONS if a.load_balancer is not LoadBalancer.NONE else ()
    )
    execution, reasons = _execution_needs(a)
    task: list[str] = []
    task_reasons: list[str] = []
    if a.log_driver is LogDriver.FIRELENS and a.os is OS.LINUX:
        task += FIRELENS_CLOUDWATCH_ACTIONS
        task_reasons.append(
            "let FireLens deliver logs (these are CloudWatch Logs' actions; another "
            "destination needs its own, such as firehose:PutRecordBatch)"
        )
    if a.ecs_exec and not exec_unsupported(ctx):
        task += ECS_EXEC_ACTIONS
        task_reasons.append("open ECS Exec sessions")
        if a.exec_kms:
            task += EXEC_KMS_ACTIONS
            task_reasons.append("decrypt ECS Exec sessions with your KMS key")
        logging = known(a.exec_logging)
        if logging in EXEC_LOGGING_ACTIONS:
            task += EXEC_LOGGING_ACTIONS[logging]
            task_reasons.append(f"write ECS Exec session logs to {EXEC_LOGGING_NAMES[logging]}")
    if a.efs and a.efs_iam and ctx.rows[Action.EFS].status is not Status.UNSUPPORTED:
        task += EFS_IAM_ACTIONS  # IAM authorization mounts with the task role (SOURCES: efs)
        task_reasons.append("mount the EFS volume with IAM authorization (ClientWrite only "
                            "to write)")
    return (
        RoleNeed(
            Role.SERVICE_LINKED, ROLE_NAMES[Role.SERVICE_LINKED], True, linked,
            "Amazon ECS uses it to create and attach the task's ENI"
            + (" and to register the task with the load balancer"
               if a.load_balancer is not LoadBalancer.NONE else "")
            + ". AWS creates it with your first cluster or service.",
            TRUST_PRINCIPALS[Role.SERVICE_LINKED],
        ),
        RoleNeed(
            Role.TASK_EXECUTION, ROLE_NAMES[Role.TASK_EXECUTION], bool(execution),
            _unique(execution),
            ("Fargate uses it, not your code, to " + and_list(reasons) + ".")
            if execution else
            "Not needed: nothing in this configuration is fetched with it (no private ECR image, "
            "no awslogs, no secrets).",
            TRUST_PRINCIPALS[Role.TASK_EXECUTION],
        ),
        RoleNeed(
            Role.TASK, ROLE_NAMES[Role.TASK], bool(task), _unique(task),
            ("Your containers get its credentials; the platform features need it to "
             + and_list(task_reasons) + ". Add the AWS calls your own code makes."
             + _efs_iam_note(ctx))
            if task else
            "Needed only for AWS calls your own code makes; the advisor cannot know those."
            + _efs_iam_note(ctx),
            TRUST_PRINCIPALS[Role.TASK],
        ),
    )


def _efs_iam_note(ctx: Context) -> str:
    """Without IAM authorization EFS does not use the task role: say so, not grant it."""
    a = ctx.answers
    if not (a.efs and not a.efs_iam and ctx.rows[Action.EFS].status is not Status.UNSUPPORTED):
        return ""
    return (" Only if you use EFS IAM authorization, it also needs "
            + " and ".join(EFS_IAM_ACTIONS)
            + " (ClientWrite only to write); without it, EFS does not use the task role.")


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
