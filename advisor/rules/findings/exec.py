"""Findings about ECS Exec."""

from __future__ import annotations

from .. import fixes
from ..knowledge import (
    ECS_EXEC_ACTIONS,
    EXEC_ENDPOINTS,
)
from ..knowledge.errors import TARGET_NOT_CONNECTED_ERROR_CODE
from ..paths import (
    Context,
    filter_note,
    stopped_at,
)
from ..requirements import (
    violated,
)
from ..result import (
    Command,
    Finding,
    HopKind,
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
    if violated(a, "reach-ssmmessages"):
        stop = stopped_at(reach.route)
        if stop is not None and stop.kind is not HopKind.NO_ROUTE:
            why = f"on its way there, {filter_note(a, stop)} (see the route)"
            step = "Let the traffic through where the route shows it stopped."
            commands: tuple[Command, ...] = ()
        elif reach.missing:
            why = "no internet path and no ssmmessages endpoint"
            step = ("Create the com.amazonaws.<region>.ssmmessages interface endpoint with "
                    "private DNS.")
            commands = fixes.labelled("Step 1: the ssmmessages endpoint",
                                      fixes.create_endpoints(EXEC_ENDPOINTS))
        else:
            why = "no internet path, and the ssmmessages endpoint does not take the traffic"
            step = ("Turn on private DNS on the ssmmessages endpoint and both DNS attributes "
                    "on the VPC.")
            commands = fixes.labelled("Step 1: make the endpoint usable", dns_commands(a))
        return finding(
            "ecs-exec-no-path", Severity.WARNING, "ECS Exec sessions will fail",
            f"The task starts and runs, but the SSM agent in it cannot reach Session Manager: "
            f"{why}, so execute-command sessions fail ({TARGET_NOT_CONNECTED_ERROR_CODE}). If "
            "you encrypt sessions with your own KMS key, the kms endpoint is needed too.",
            remediation=[step,
                         "Grant the task role the four ssmmessages actions; redeploy so new "
                         "tasks have enableExecuteCommand."],
            commands=commands
            + fixes.labelled("Step 2: the task role's ECS Exec permissions", role_commands),
            sources=("ecs_exec", "ecs_endpoints", "ecs_api_execute_command"),
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
