"""Platform capabilities and limits, load balancer facts, and where AWS pages disagree."""

from __future__ import annotations

from dataclasses import dataclass

from ..answers import LoadBalancer

# --- Platform capabilities and limits ------------------------------------------------------

MAX_SUBNETS = 16  # (SOURCES: awsvpc_configuration)
MAX_SECURITY_GROUPS = 5  # (SOURCES: awsvpc_configuration)

PV_1_3_0_RETIRED = (
    "retired for new tasks and services on 16 March 2026 (global Regions; the China Regions' "
    "page gives 15 June 2026)"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Where AWS pages disagree (fact base section D): the advice names both sides."""

    summary: str
    sources: tuple[str, ...]


CONFLICTS: dict[str, Conflict] = {
    "gwlb": Conflict(
        "AWS pages disagree on Gateway Load Balancers for Fargate: the task networking page "
        "and CloudFormation's LoadBalancer property list only Application and Network Load "
        "Balancers, while the current load-balancing and Gateway Load Balancer pages list "
        "GWLB as supported with platform version 1.4.0 (Linux) or 1.0.0 (Windows).",
        ("networking", "cfn_service_lb", "load_balancing", "gwlb"),
    ),
    "ecr_public_endpoints": Conflict(
        "AWS pages disagree on ECR Public through VPC endpoints: older and some translated ECR "
        "pages say interface endpoints do not support ECR Public, a newer one says they do "
        "through the API endpoint in us-east-1. Image pulls from public.ecr.aws without NAT "
        "are not documented to work, so the advisor treats them as needing an internet path.",
        ("ecr_endpoints",),
    ),
    "ecr_ipv6_endpoints": Conflict(
        "AWS pages disagree on ECR over IPv6 PrivateLink: the ECS endpoints page and one ECR "
        "page say there are no dual-stack ECR interface endpoints usable by IPv6-only tasks, "
        "while a newer ECR endpoints page says ECR endpoints support dual-stack. An IPv6-only "
        "task is not guaranteed to pull through ECR endpoints.",
        ("ecs_endpoints", "ecr_requests", "ecr_endpoints"),
    ),
    "get_authorization_token_eni": Conflict(
        "AWS pages disagree on which interface carries ecr:GetAuthorizationToken on platform "
        "version 1.4.0: the task networking table says the task ENI, the execution role page "
        "says the Fargate-owned ENI (which is why aws:SourceVpc and aws:SourceVpce conditions "
        "cannot be used on that action). Failures in practice time out on the task's network.",
        ("networking", "execution_role"),
    ),
    "windows_dualstack": Conflict(
        "AWS pages disagree on IPv6 for Windows tasks: the networking page says Windows 1.0.0 "
        "tasks in dual-stack subnets get IPv6 addresses, but its list of IPv6 conditions names "
        "only Linux platform version 1.4.0.",
        ("networking",),
    ),
}


# --- Load balancers ------------------------------------------------------------------------

# The protocols a target group can have, by the load balancer it serves (CreateTargetGroup,
# source: elb_create_target_group). The first is the one a fix uses. A Gateway Load Balancer's
# target groups take GENEVE on port 6081 only.
TARGET_GROUP_PROTOCOLS: dict[LoadBalancer, tuple[str, ...]] = {
    LoadBalancer.ALB: ("HTTP", "HTTPS"),
    LoadBalancer.NLB: ("TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"),
    LoadBalancer.GWLB: ("GENEVE",),
}
GENEVE_PORT = 6081
