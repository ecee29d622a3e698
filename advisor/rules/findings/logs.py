"""Findings about the task's logs: FireLens, and the awslogs log group."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    Endpoint,
    LogDriver,
    LogGroup,
)
from ..fixes.common import alternatives
from ..knowledge import (
    FIRELENS_CLOUDWATCH_ACTIONS,
)
from ..knowledge.errors import (
    LOG_GROUP_CREATE_DENIED_ERROR,
    LOG_GROUP_MISSING_ERROR,
)
from ..paths import (
    Context,
    filter_note,
    stopped_at,
)
from ..requirements import (
    violated,
)
from ..result import (
    Action,
    Finding,
    HopKind,
    Severity,
    Status,
)
from .common import (
    finding,
)


def firelens_destination_unreachable(ctx: Context) -> Finding | None:
    if ctx.status(Action.FIRELENS) is not Status.BLOCKED:
        return None
    stop = stopped_at(ctx.rows[Action.FIRELENS].route)
    if stop is not None and stop.kind is not HopKind.NO_ROUTE:
        # A filter on the way stops it (a security group, the ACL, a firewall, DNS): the
        # finding about that filter says what to change; an endpoint would not help.
        return finding(
            "firelens-destination-unreachable", Severity.WARNING,
            "FireLens cannot reach its destination",
            "The task starts, but FireLens cannot deliver logs: "
            f"{filter_note(ctx.answers, stop)}. The same change that lets the task's other "
            "traffic through lets FireLens through (see the blocker about it).",
            remediation=[f"Let FireLens's traffic past the {stop.name}: see the finding about "
                         "it above."],
            sources=("firelens", "verify_connectivity"), actions=(Action.FIRELENS,),
        )
    return finding(
        "firelens-destination-unreachable", Severity.WARNING,
        "FireLens has no path to its destination",
        "The task starts, but FireLens cannot deliver logs: the task has no internet path and "
        "no CloudWatch Logs endpoint. The advisor does not know FireLens's destination: for "
        "CloudWatch Logs add the logs endpoint; for Firehose, Kinesis Data Streams or S3 add "
        "that service's endpoint instead; a third-party destination needs an internet path.",
        remediation=["Create the com.amazonaws.<region>.logs interface endpoint (or the "
                     "destination's), with private DNS, reachable on TCP 443 from the task."],
        commands=fixes.create_endpoints((Endpoint.LOGS,)),
        sources=("firelens", "ecs_endpoints"), actions=(Action.FIRELENS,),
    )


def firelens_task_role(ctx: Context) -> Finding | None:
    if ctx.status(Action.FIRELENS) is not Status.OK:
        return None
    return finding(
        "firelens-task-role", Severity.INFO,
        "FireLens uses the task role, and its config must be a file in the image",
        "FireLens sends logs with the task role's credentials, so the task role needs the "
        "destination's actions. On Fargate a custom Fluent Bit configuration must use "
        "config-file-type file (an S3-hosted config is not supported). Don't open port 24224 "
        "in the task security group. The FireLens container's own image is pulled like any "
        "other (AWS publishes aws-for-fluent-bit in ECR in each Region).",
        commands=fixes.role_policy("<task-role-name>", "firelens-cloudwatch",
                                   FIRELENS_CLOUDWATCH_ACTIONS),
        sources=("firelens",), actions=(Action.FIRELENS,),
    )


def log_group_missing(ctx: Context) -> Finding | None:
    """awslogs names a log group that does not exist, and may not create it (requirement
    log-group-exists)."""
    if not violated(ctx.answers, "log-group-exists"):
        return None
    blocked = ctx.status(Action.LOG_DRIVER) is Status.BLOCKED
    return finding(
        "log-group-missing", Severity.BLOCKER, "The awslogs log group does not exist",
        "The awslogs driver writes to the log group that awslogs-group names, in the Region "
        "that awslogs-region names, and does not create it unless awslogs-create-group is "
        "true. The containers do not start; the stopped reason reads "
        f"`{LOG_GROUP_MISSING_ERROR}`. The same text appears when the group exists but in "
        "another Region than awslogs-region.",
        remediation=[
            "Create the log group in the Region awslogs-region names (option 1), or set "
            "awslogs-create-group to true and give the execution role logs:CreateLogGroup, "
            "which AmazonECSTaskExecutionRolePolicy does not include (option 2).",
        ],
        commands=alternatives(
            ("create the log group", fixes.resources.log_group()),
            ("let the awslogs driver create it", fixes.resources.log_group_created_by_driver()),
        ),
        sources=("awslogs", "ecs_api_log_configuration", "execution_role"),
        actions=(Action.LOG_DRIVER,) if blocked else (),
    )


def log_group_created_by_driver(ctx: Context) -> Finding | None:
    """awslogs-create-group: the execution role needs logs:CreateLogGroup."""
    a = ctx.answers
    if not (a.log_driver is LogDriver.AWSLOGS and a.log_group is LogGroup.CREATE_GROUP):
        return None
    return finding(
        "log-group-created-by-driver", Severity.INFO,
        "awslogs-create-group needs logs:CreateLogGroup on the execution role",
        "With awslogs-create-group set to true the driver creates the log group at start, "
        "with the execution role's credentials. AmazonECSTaskExecutionRolePolicy grants only "
        "logs:CreateLogStream and logs:PutLogEvents, so add logs:CreateLogGroup (the roles "
        "panel lists it); without it the task stops with "
        f"`{LOG_GROUP_CREATE_DENIED_ERROR}`.",
        commands=fixes.resources.log_group_created_by_driver(),
        sources=("ecs_api_log_configuration", "awslogs", "execution_role", "tf_ecs_pr_313"),
        actions=(Action.LOG_DRIVER,),
    )
