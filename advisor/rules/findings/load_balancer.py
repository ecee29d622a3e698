"""Findings about load balancers and their target groups."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    DEFAULT_ANSWERS,
    LoadBalancer,
    PlatformVersion,
    TargetType,
    known,
)
from ..knowledge import (
    GENEVE_PORT,
    LOAD_BALANCER_NAMES,
    TARGET_GROUP_PROTOCOLS,
    TARGET_TYPE_ERROR,
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
from .common import (
    conflict_summary,
    finding,
    or_list,
    supported,
)


def classic_load_balancer_unsupported(ctx: Context) -> Finding | None:
    if ctx.answers.load_balancer is not LoadBalancer.CLB:
        return None
    return finding(
        "classic-load-balancer-unsupported", Severity.BLOCKER,
        "Fargate services cannot use a Classic Load Balancer",
        "Services with tasks on Fargate support Application and Network Load Balancers; a "
        "Classic Load Balancer cannot register tasks that use awsvpc networking.",
        remediation=["Create an Application Load Balancer (HTTP/HTTPS) or a Network Load "
                     "Balancer (TCP/UDP/TLS) with a target group of type ip, and point the "
                     "service at it."],
        commands=fixes.application_load_balancer(),
        sources=("networking", "load_balancing"), actions=(Action.APPLICATION,),
    )


def target_type_must_be_ip(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.load_balancer in (LoadBalancer.NONE, LoadBalancer.CLB):
        return None
    if a.target_type is not TargetType.INSTANCE:
        return None
    return finding(
        "target-type-must-be-ip", Severity.BLOCKER,
        "Target groups for Fargate tasks must have target type ip",
        "Each Fargate task has its own ENI and IP address, and no instance: a target group of "
        "type instance cannot register it. Creating or updating the service fails with "
        f"`{TARGET_TYPE_ERROR}` A target group's type cannot be changed: create a new one.",
        remediation=["Create a target group with TargetType ip, move the listener to it, and "
                     "update the service's loadBalancers.",
                     _target_group_protocols(known(a.load_balancer))],
        commands=_target_group_fix(known(a.load_balancer)),
        sources=("networking", "load_balancing", "elb_create_target_group"),
        actions=(Action.APPLICATION,),
    )


def _target_group_protocols(lb: LoadBalancer) -> str:
    protocols = TARGET_GROUP_PROTOCOLS[lb]
    port = f" on port {GENEVE_PORT}" if lb is LoadBalancer.GWLB else ""
    choose = "; use the protocol its listener forwards" if len(protocols) > 1 else ""
    return f"A {LOAD_BALANCER_NAMES[lb]}'s target groups take {or_list(protocols)}{port}{choose}."


def _target_group_fix(lb: LoadBalancer) -> tuple[Command, ...]:
    port = str(GENEVE_PORT) if lb is LoadBalancer.GWLB else "<container-port>"
    return fixes.target_group_ip(TARGET_GROUP_PROTOCOLS[lb][0], port)


def gateway_load_balancer_docs_disagree(ctx: Context) -> Finding | None:
    if not (ctx.answers.load_balancer is LoadBalancer.GWLB
            and supported(ctx, "gateway-load-balancer-supported")):
        return None
    summary, sources = conflict_summary("gwlb")
    return finding(
        "gateway-load-balancer-docs-disagree", Severity.WARNING,
        "Gateway Load Balancer support: AWS pages disagree",
        summary + " Treat it as supported on recent platform versions and verify with a test "
        "service.",
        sources=sources, actions=(Action.APPLICATION,),
    )


def load_balancer_reachability(ctx: Context) -> Finding | None:
    """What the way in rests on while the answers that settle it (lb_ingress, lb_azs) are
    left at their defaults; a violated one is load-balancer-not-admitted or
    load-balancer-az-missing instead."""
    a = ctx.answers
    if a.load_balancer not in (LoadBalancer.ALB, LoadBalancer.NLB):
        return None
    if a.target_type is TargetType.INSTANCE:
        return None
    assumed = []
    ingress_assumed = a.lb_ingress == DEFAULT_ANSWERS.lb_ingress
    if ingress_assumed:
        assumed.append("the task's security group accepts the container port (and the "
                       "health-check port) from the load balancer; otherwise targets stay "
                       "unhealthy and ECS replaces the tasks in a loop")
    if a.lb_azs == DEFAULT_ANSWERS.lb_azs:
        assumed.append("the load balancer is enabled in every Availability Zone the tasks "
                       "use, in the same VPC")
    nlb = a.load_balancer is LoadBalancer.NLB
    notes = ((" With IP targets over TCP or TLS, an NLB hides the client's address: tasks see "
              "the NLB's private IPs. Attach a security group to the NLB when you create it "
              "and reference it from the task's security group; allowing the NLB's IPs would "
              "allow every client." if nlb else "")
             + (" UDP listeners need platform version 1.4.0." if nlb and ctx.version
                is PlatformVersion.V1_3_0 else ""))
    if not (assumed or notes):
        return None
    return finding(
        "load-balancer-reachability", Severity.INFO,
        "Let the load balancer reach the task",
        ("Assumed, since the answers leave it at the default: " + "; ".join(assumed) + "."
         if assumed else "The load balancer's way in is as answered.") + notes,
        remediation=["Task security group: inbound container port from the load balancer's "
                     "security group."] if ingress_assumed else [],
        commands=fixes.security_group_ingress(
            "TaskFromLoadBalancer", "task-security-group-id", "<container-port>",
            "lb-security-group-id", "Container port from the load balancer")
        if ingress_assumed else (),
        sources=("alb", "nlb", "load_balancing"), actions=(Action.APPLICATION,),
    )
