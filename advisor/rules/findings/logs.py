"""Findings about FireLens."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    Endpoint,
)
from ..knowledge import (
    FIRELENS_CLOUDWATCH_ACTIONS,
)
from ..paths import (
    Context,
)
from ..result import (
    Action,
    Finding,
    Severity,
    Status,
)
from .common import (
    finding,
)


def firelens_destination_unreachable(ctx: Context) -> Finding | None:
    if ctx.status(Action.FIRELENS) is not Status.BLOCKED:
        return None
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
