"""Findings about IPv6: dual-stack and IPv6-only subnets."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    OS,
    Endpoint,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    PlatformVersion,
    Subnet,
    known,
)
from ..knowledge import (
    ECR_REGISTRIES,
)
from ..paths import (
    Context,
)
from ..result import (
    Action,
    Command,
    Finding,
    Severity,
)
from ..traffic import (
    and_list,
)
from .common import (
    conflict_summary,
    dedupe,
    finding,
    supported,
)


def dualstack_task_gets_ipv4_only(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.ip_mode is not IPMode.DUALSTACK or ctx.ipv6_assigned:
        return None
    steps: list[str] = []
    commands: list[Command] = []
    if not a.dualstack_account_setting:
        steps.append("Enable the ECS account setting dualStackIPv6 (API or CLI only, per Region).")
        commands += fixes.dualstack_account_setting()
    if not a.ipv6_autoassign:
        steps.append("Turn on IPv6 auto-assignment for the task subnets.")
        commands += fixes.ipv6_autoassign()
    if ctx.version is PlatformVersion.V1_3_0:
        steps.append("Use platform version 1.4.0.")
    return finding(
        "dualstack-task-gets-ipv4-only", Severity.WARNING,
        "The task will get no IPv6 address",
        "A Fargate task in a dual-stack subnet gets an IPv6 address only when every condition "
        "holds; here " + and_list(list(ctx.ipv6_missing)) + ". It runs on IPv4 alone.",
        remediation=steps, commands=commands, sources=("networking", "account_settings"),
        actions=(Action.APPLICATION,),
    )


def ipv6_route_does_not_carry_launch_traffic(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.ip_mode is IPMode.DUALSTACK and a.ipv6_egress is not IPv6Egress.NONE
            and ctx.isolated and ctx.blocked()):
        return None
    return finding(
        "ipv6-route-does-not-carry-launch-traffic", Severity.INFO,
        "The IPv6 route does not help the task start",
        "In a dual-stack subnet Fargate still reaches Amazon ECR, Secrets Manager and Systems "
        "Manager over IPv4, even with a dual-stack image URI, so "
        + ("an egress-only internet gateway" if a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW
           else "an IPv6 route to the internet gateway")
        + " alone does not let the task start. "
        + ("Assign the task a public IPv4 address (the subnet's IPv4 default route already goes "
           "to the internet gateway) or add VPC endpoints." if a.subnet is Subnet.PUBLIC
           else "Add an IPv4 NAT gateway or VPC endpoints."),
        sources=("networking", "roadmap_2792"), actions=tuple(ctx.blocked()),
    )


def ipv6_only_requirements(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.ip_mode is IPMode.IPV6_ONLY and supported(ctx, "ipv6-only-supported")):
        return None
    detail = (
        "The task gets only an IPv6 address. IPv6-only tasks are available only in the Regions "
        "AWS lists. Everything must be reachable over IPv6, or over DNS64 + NAT64 through a "
        "NAT gateway for IPv4-only services."
    )
    steps = ["Check that your Region supports IPv6-only Fargate tasks."]
    sources = ["networking", "nat64"]
    if a.registry in ECR_REGISTRIES:
        steps.append("Refer to ECR images by the dual-stack URI "
                     "<registry-id>.dkr-ecr.<region>.on.aws/<repository>:<tag>; the usual "
                     "<registry-id>.dkr.ecr.<region>.amazonaws.com name is IPv4-only.")
        sources.append("ecr_requests")
    if {Endpoint.ECR_API, Endpoint.ECR_DKR} & known(a.endpoints):
        summary, more = conflict_summary("ecr_ipv6_endpoints")
        detail += " " + summary
        sources += more
    if a.load_balancer is not LoadBalancer.NONE:
        steps.append("Give the load balancer a dual-stack IP address type and use IPv6 target "
                     "groups (ALB: dualstack or dualstack-without-public-ipv4).")
        sources.append("alb")
    return finding(
        "ipv6-only-requirements", Severity.WARNING, "IPv6-only tasks need IPv6 paths throughout",
        detail, remediation=steps, sources=dedupe(sources),
        actions=(Action.IMAGE_PULL, Action.APPLICATION),
    )


def windows_dualstack_unclear(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.os is OS.WINDOWS and a.ip_mode is IPMode.DUALSTACK):
        return None
    summary, sources = conflict_summary("windows_dualstack")
    return finding(
        "windows-dualstack-unclear", Severity.WARNING,
        "Whether Windows tasks get IPv6 is unclear",
        summary + " Plan for IPv4 only and verify on a test task.",
        sources=sources, actions=(Action.APPLICATION,),
    )
