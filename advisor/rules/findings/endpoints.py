"""Findings about VPC endpoints: private DNS and the network rules on their path."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    Endpoint,
    known,
)
from ..knowledge import (
    ENDPOINTS,
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
    finding,
)


def endpoint_private_dns(ctx: Context) -> Finding | None:
    """Interface endpoints without private DNS: endpoints-need-private-dns (a flow needs
    them) or endpoints-bypassed (the internet path carries the traffic instead)."""
    a = ctx.answers
    if ctx.interface_endpoints_usable:
        return None
    # FireLens is left to firelens_destination_unreachable: its failure does not stop the task.
    starting = {act: r for act, r in ctx.reach.items() if act is not Action.FIRELENS}
    unusable = sorted({e for r in starting.values() for e in r.unusable},
                      key=list(Endpoint).index)
    steps: list[str] = []
    commands: list[Command] = []
    if not a.vpc_dns:
        steps.append("Turn on both enableDnsSupport and enableDnsHostnames for the VPC.")
        commands += fixes.vpc_dns()
    if not a.endpoint_private_dns:
        steps.append("Turn on private DNS for each interface endpoint.")
        commands += fixes.endpoint_private_dns()
    if unusable:
        return finding(
            "endpoints-need-private-dns", Severity.BLOCKER,
            "The VPC endpoints cannot be used without private DNS",
            "Fargate calls the services by their usual names. Those names resolve to the "
            "interface endpoints only with private DNS on the endpoints and both DNS attributes "
            "on the VPC; otherwise they resolve to public addresses the task cannot reach. "
            f"Affected: {', '.join(ENDPOINTS[e].service_name for e in unusable)}.",
            remediation=steps, commands=commands,
            sources=("ecs_endpoints", "ecr_endpoints", "verify_connectivity", "vpc_dns"),
            actions=[act for act, r in starting.items() if r.unusable],
        )
    if a.endpoints and any(ENDPOINTS[e].type == "interface" for e in known(a.endpoints)):
        return finding(
            "endpoints-bypassed", Severity.WARNING,
            "Your interface endpoints are not used",
            "Without private DNS (on the endpoints and both VPC DNS attributes), the services' "
            f"names resolve to public addresses, so traffic goes through {ctx.internet_via} "
            "instead of the endpoints: it works, but you pay for both.",
            remediation=steps, commands=commands,
            sources=("ecs_endpoints", "vpc_dns"),
        )
    return None


def endpoint_network_rules(ctx: Context) -> Finding | None:
    carried = {e for r in ctx.reach.values() if r.ok for e in r.carried_by}
    if not carried:
        return None
    uses_s3 = Endpoint.S3 in carried
    return finding(
        "endpoint-network-rules", Severity.INFO,
        "Check the security groups and network ACLs on the endpoint path",
        "The advisor cannot see security groups or network ACLs. Traffic to the endpoints is "
        "HTTPS: the endpoints' security group must accept TCP 443 from the tasks, and the "
        "task's security group and the subnet's network ACL must let it out and the replies "
        "back in."
        + (" Layer downloads through the S3 gateway endpoint still go to S3's public address "
           "ranges, so allow TCP 443 to the S3 managed prefix list, associate the endpoint with "
           "the task subnets' route tables, and, if you restrict its policy, allow s3:GetObject "
           "on arn:aws:s3:::prod-<region>-starport-layer-bucket/*." if uses_s3 else ""),
        remediation=[
            "Endpoint security group: inbound TCP 443 from the task security group.",
            "Task security group: outbound TCP 443 to the endpoint security group"
            + (" and to the S3 prefix list (pl-…)." if uses_s3 else "."),
        ],
        commands=fixes.endpoint_ingress(),
        sources=("ecs_endpoints", "ecr_endpoints", "verify_connectivity"),
    )
