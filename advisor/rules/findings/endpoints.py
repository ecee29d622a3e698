"""Findings about VPC endpoints: private DNS and the network rules on their path."""

from __future__ import annotations

from collections.abc import Callable

from .. import fixes
from ..answers import (
    Endpoint,
    EndpointSG,
    EndpointsIn,
    NetworkAcl,
    TaskEgress,
    known,
)
from ..detail import is_interface, why_not_taken
from ..knowledge import (
    ENDPOINTS,
)
from ..paths import (
    Context,
)
from ..requirements import BLOCKING
from ..result import (
    Command,
    Finding,
    Severity,
    Status,
)
from .common import (
    finding,
)

_PRIVATE_DNS = "endpoints-need-private-dns"


def endpoint_private_dns(ctx: Context) -> Finding | None:
    """Interface endpoints that do not take their services' traffic:
    endpoints-need-private-dns (a blocking flow needs them, and `why_not_taken` says private
    DNS is why) or endpoints-bypassed (the internet path carries the traffic instead). The
    other reasons have findings of their own (`security`)."""
    a = ctx.answers
    if ctx.interface_endpoints_usable:
        return None
    needs = [n for n in BLOCKING if n.condition(a) is False and n.finding(a) == _PRIVATE_DNS]
    if needs:
        actions = tuple(dict.fromkeys(act for n in needs for act in n.actions
                                      if ctx.rows[act].status is Status.BLOCKED))
        unusable = sorted({e for act in actions if act in ctx.reach
                           for e in ctx.reach[act].unusable if is_interface(e)},
                          key=list(Endpoint).index)
        steps, commands = _private_dns_fix(ctx)
        return finding(
            _PRIVATE_DNS, Severity.BLOCKER,
            "The VPC endpoints cannot be used without private DNS",
            "Fargate calls the services by their usual names. Those names resolve to the "
            "interface endpoints only with private DNS on the endpoints and both DNS "
            "attributes on the VPC; otherwise they resolve to public addresses the task cannot "
            "reach."
            + (f" Affected: {', '.join(ENDPOINTS[e].service_name for e in unusable)}."
               if unusable else ""),
            remediation=steps, commands=commands,
            sources=("ecs_endpoints", "ecr_endpoints", "verify_connectivity", "vpc_dns"),
            actions=actions,
        )
    if not ctx.internet or not any(is_interface(e) for e in known(a.endpoints)):
        return None
    reason = why_not_taken(a, Endpoint.ECR_API)
    why, bypass_steps, bypass_commands, sources = _BYPASSED[reason](ctx)
    return finding(
        "endpoints-bypassed", Severity.WARNING,
        "Your interface endpoints are not used",
        f"{why} so traffic goes through {ctx.internet_via} instead of the endpoints: it "
        "works, but you pay for both.",
        remediation=bypass_steps, commands=bypass_commands, sources=sources,
    )


def _private_dns_fix(ctx: Context) -> tuple[list[str], list[Command]]:
    a = ctx.answers
    steps: list[str] = []
    commands: list[Command] = []
    if not (a.vpc_dns and a.dns_support and a.dns_hostnames):
        steps.append("Turn on both enableDnsSupport and enableDnsHostnames for the VPC.")
        commands += fixes.vpc_dns()
    if a.endpoints_in is EndpointsIn.THIS_VPC and not a.endpoint_private_dns:
        steps.append("Turn on private DNS for each interface endpoint.")
        commands += fixes.endpoint_private_dns()
    if a.endpoints_in is EndpointsIn.HUB_NO_PHZ:
        steps.append("Associate the hub VPC's private hosted zones for the services' names "
                     "with this VPC.")
        commands += fixes.hosted_zone_association()
    return steps, commands


_Bypass = tuple[str, list[str], tuple[Command, ...], tuple[str, ...]]


def _bypassed_private_dns(ctx: Context) -> _Bypass:
    steps, commands = _private_dns_fix(ctx)
    return ("Without private DNS (on the endpoints and both VPC DNS attributes), the "
            "services' names resolve to public addresses,", steps, tuple(commands),
            ("ecs_endpoints", "vpc_dns"))


def _bypassed_resolver(ctx: Context) -> _Bypass:
    return ("Your DHCP options' DNS servers do not forward the services' names to the Route 53 "
            "Resolver, so the names resolve to public addresses,",
            ["Forward the AWS service names from your DNS servers to the Route 53 Resolver "
             "(the VPC's base address plus two), or use AmazonProvidedDNS."],
            fixes.amazon_provided_dns(), ("ecs_endpoints", "dhcp_options"))


def _bypassed_hub(ctx: Context) -> _Bypass:
    return ("The endpoints are in a hub VPC whose private hosted zones are not associated "
            "with this VPC, so the services' names resolve to public addresses,",
            ["Associate the hub VPC's private hosted zones for the services' names with this "
             "VPC."], fixes.hosted_zone_association(),
            ("whitepaper_central_endpoints", "r53_phz_considerations"))


def _bypassed_ipv4(ctx: Context) -> _Bypass:
    return ("The endpoints have IPv4 addresses only and the task is IPv6-only, so it cannot "
            "use them,", ["Change the interface endpoints' IP address type to dualstack."],
            fixes.endpoint_dualstack(), ("ec2_modify_vpc_endpoint", "ecs_endpoints"))


_BYPASSED: dict[str, Callable[[Context], _Bypass]] = {
    _PRIVATE_DNS: _bypassed_private_dns,
    "custom-dns-cannot-resolve-endpoints": _bypassed_resolver,
    "hub-endpoints-need-private-hosted-zone": _bypassed_hub,
    "endpoints-ipv4-only": _bypassed_ipv4,
}


# The answers the INFO below rests on: AWS's defaults for the filters on the endpoint path.
_DEFAULT_FILTERS = {"task_egress": TaskEgress.ALL, "nacl": NetworkAcl.DEFAULT,
                    "endpoint_sg": EndpointSG.ALLOWS_TASKS}


def endpoint_network_rules(ctx: Context) -> Finding | None:
    a = ctx.answers
    carried = {e for r in ctx.reach.values() if r.ok for e in r.carried_by}
    if not carried or any(getattr(a, name) != value for name, value in _DEFAULT_FILTERS.items()):
        return None
    uses_s3 = Endpoint.S3 in carried
    return finding(
        "endpoint-network-rules", Severity.INFO,
        "Check the security groups and network ACLs on the endpoint path",
        "The advisor assumed AWS's defaults for the filters on this path, as the answers "
        "left them: the task's security groups allow all outbound traffic (task_egress=all), "
        "the subnets use the default network ACL (nacl=default) and the endpoints' security "
        "group admits HTTPS from the tasks (endpoint_sg=allows_tasks). Check them: traffic "
        "to the endpoints is HTTPS, so the endpoints' security group must accept TCP 443 "
        "from the tasks, and the task's security group and the subnet's network ACL must "
        "let it out and the replies back in."
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
        sources=("ecs_endpoints", "ecr_endpoints", "verify_connectivity", "vpc_sg_rules",
                 "vpc_nacls"),
    )
