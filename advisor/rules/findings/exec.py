"""Findings about ECS Exec."""

from __future__ import annotations

from .. import fixes
from ..knowledge import (
    ECS_EXEC_ACTIONS,
    EXEC_ENDPOINTS,
)
from ..paths import (
    Context,
)
from ..result import (
    Finding,
    Severity,
)
from ..traffic import (
    exec_unsupported,
)
from .common import (
    dns_commands,
    finding,
    supported,
)


def ecs_exec(ctx: Context) -> Finding | None:
    """ECS Exec where the platform version allows it (else `capability_unsupported`):
    ecs-exec-unsupported-ipv6-only, ecs-exec-no-path or ecs-exec-task-role. A missing path to
    Session Manager never stops the task, so it is a warning that says what does and does not
    work."""
    a = ctx.answers
    if not (a.ecs_exec and supported(ctx, "ecs-exec-supported")):
        return None
    unsupported = exec_unsupported(ctx)
    if unsupported:
        return finding(
            "ecs-exec-unsupported-ipv6-only", Severity.WARNING,
            "ECS Exec is not supported in IPv6-only subnets",
            f"{unsupported}. AWS says it is not supported, not that the task fails to launch: "
            "expect the task to start and run, and execute-command sessions to it to fail.",
            remediation=["Use a dual-stack or IPv4 subnet, or turn ECS Exec off."],
            sources=("networking", "ecs_exec"),
        )
    reach = ctx.exec_reach
    assert reach is not None
    role_commands = fixes.role_policy("<task-role-name>", "ecs-exec", ECS_EXEC_ACTIONS)
    if not reach.ok:
        return finding(
            "ecs-exec-no-path", Severity.WARNING, "ECS Exec sessions will fail",
            "The task starts and runs, but the SSM agent in it cannot reach Session Manager: "
            "no internet path and no usable ssmmessages endpoint, so execute-command sessions "
            "fail. If you encrypt sessions with your own KMS key, the kms endpoint is needed "
            "too.",
            remediation=["Create the com.amazonaws.<region>.ssmmessages interface endpoint with "
                         "private DNS." if reach.missing else
                         "Turn on private DNS on the ssmmessages endpoint and both DNS "
                         "attributes on the VPC.",
                         "Grant the task role the four ssmmessages actions; redeploy so new "
                         "tasks have enableExecuteCommand."],
            commands=(fixes.labelled("Step 1: the ssmmessages endpoint",
                                     fixes.create_endpoints(EXEC_ENDPOINTS))
                      if reach.missing else
                      fixes.labelled("Step 1: make the endpoint usable",
                                     dns_commands(a)))
            + fixes.labelled("Step 2: the task role's ECS Exec permissions", role_commands),
            sources=("ecs_exec", "ecs_endpoints"),
        )
    return finding(
        "ecs-exec-task-role", Severity.INFO, "ECS Exec uses the task role",
        "The task role needs ssmmessages:CreateControlChannel, CreateDataChannel, "
        "OpenControlChannel and OpenDataChannel; only tasks started after "
        "enableExecuteCommand was turned on can be reached.",
        commands=fixes.labelled("Step 1: the task role's ECS Exec permissions", role_commands)
        + fixes.labelled("Step 2: turn ECS Exec on and start new tasks", fixes.ecs_exec()),
        sources=("ecs_exec",),
    )
