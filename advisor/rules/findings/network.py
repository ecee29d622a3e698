"""Findings about the task's network: the internet path, DNS, public IPs, awsvpc limits."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    Endpoint,
    IPMode,
    LogDriver,
    Registry,
    Subnet,
    known,
)
from ..knowledge import (
    ENDPOINT_SERVED_REGISTRIES,
    ENDPOINTS,
    MAX_SECURITY_GROUPS,
    MAX_SUBNETS,
    REGISTRY_ALTERNATIVES,
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
    INTERNET_FIX_LABELS,
    conflict_summary,
    dedupe,
    expected_errors,
    finding,
    internet_fix,
    internet_kind,
    lower_first,
    row_phrases,
    service_titles,
    why_no_internet,
)


def _image_alternatives(ctx: Context, commands: tuple[Command, ...]
                        ) -> tuple[list[str], tuple[Command, ...], list[str]]:
    """Where only an internet path can pull the image: what else can bring it in."""
    a = ctx.answers
    steps: list[str] = []
    sources: list[str] = []
    alternative = REGISTRY_ALTERNATIVES.get(known(a.registry))
    if alternative:
        steps.append(alternative)
    if a.registry is Registry.ECR_OTHER_REGION:
        commands = fixes.alternatives(
            (INTERNET_FIX_LABELS[internet_kind(ctx)], commands),
            ("replicate the image into the task's Region", fixes.ecr_replication()))
        sources += ["ecr_replication", "ecr_put_replication", "ecr_replication_backfill"]
    elif a.registry in (Registry.ECR_PUBLIC, Registry.DOCKER_HUB, Registry.OTHER_PUBLIC):
        sources.append("pull_through_cache")
    if a.registry is Registry.ECR_PUBLIC:
        summary, conflict_sources = conflict_summary("ecr_public_endpoints")
        steps.append(summary)
        sources += conflict_sources
    if a.ip_mode is IPMode.IPV6_ONLY and a.registry in ENDPOINT_SERVED_REGISTRIES:
        summary, conflict_sources = conflict_summary("ecr_ipv6_endpoints")
        steps.append(summary)
        sources += conflict_sources
    return steps, commands, sources


def no_internet_path(ctx: Context) -> Finding | None:
    if ctx.internet:
        return None
    hard = [action for action, reach in ctx.reach.items()
            if not reach.ok and not reach.endpoint_remedy]
    internet_step, commands = internet_fix(ctx)
    steps = [internet_step]
    sources = ["networking", "verify_connectivity", "pending_kc"]
    if Action.IMAGE_PULL in hard:
        more_steps, commands, more_sources = _image_alternatives(ctx, commands)
        steps += more_steps
        sources += more_sources
    if Action.LOG_DRIVER in hard and ctx.answers.log_driver is LogDriver.SPLUNK:
        steps.append("The splunk log driver sends to your Splunk HTTP Event Collector, which no "
                     "AWS endpoint serves: give the task an internet path, reach Splunk "
                     "privately, or use awslogs with the logs endpoint.")
    detail = why_no_internet(ctx)
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY and a.nat_gateway and not a.dns64:
        detail += (" The NAT gateway is there, but DNS64 is off on the subnet: NAT64 needs "
                   "DNS64 to give IPv4-only services IPv6 addresses.")
        steps.append("Or turn on DNS64 for the task subnets (aws ec2 modify-subnet-attribute "
                     "--subnet-id <subnet-id> --enable-dns64).")
    if hard:
        detail += f" Nothing but an internet path can carry {row_phrases(ctx, hard)}."
        errors = expected_errors(hard)
        if errors:
            detail += f" Expect: {errors}"
    else:
        detail += (" Every AWS service the task needs must be reached through VPC endpoints, "
                   "and the application itself cannot reach the internet.")
    return finding(
        "no-internet-path", Severity.BLOCKER if hard else Severity.INFO,
        "The task has no route to the internet",
        detail, remediation=steps, commands=commands,
        sources=dedupe(sources), actions=hard or (Action.APPLICATION,),
    )


def no_path_to_aws_services(ctx: Context) -> Finding | None:
    missing: list[Endpoint] = []
    actions: list[Action] = []
    for action, reach in ctx.reach.items():
        # FireLens failing does not stop the task: firelens_destination_unreachable warns about it.
        if reach.ok or not reach.endpoint_remedy or not reach.missing or action is Action.FIRELENS:
            continue
        actions.append(action)
        missing += [e for e in reach.missing if e not in missing]
    if not missing:
        return None
    missing.sort(key=list(Endpoint).index)
    names = ", ".join(ENDPOINTS[e].service_name for e in missing)
    internet_step, internet_commands = internet_fix(ctx)
    endpoint_steps = [
        f"Create the VPC endpoint{'s' if len(missing) > 1 else ''} {names}"
        + (" (interface endpoints with private DNS enabled, in the task subnets)"
           if any(ENDPOINTS[e].type == "interface" for e in missing) else "")
        + (", and the S3 gateway endpoint on the task subnets' route tables"
           if Endpoint.S3 in missing else "")
        + ".",
        "Let the endpoints' security group accept TCP 443 from the task security group, and "
        "let the task security group send TCP 443 to them"
        + (" and to the S3 prefix list" if Endpoint.S3 in missing else "") + ".",
    ]
    if ctx.answers.subnet is Subnet.PUBLIC and ctx.answers.ip_mode is not IPMode.IPV6_ONLY:
        steps = [internet_step, "Or keep the task without a public IP and add endpoints:",
                 *endpoint_steps]
        commands = fixes.alternatives((INTERNET_FIX_LABELS["public_ip"], internet_commands),
                                      ("VPC endpoints", fixes.create_endpoints(tuple(missing))))
    else:
        steps = [*endpoint_steps, "Or give the task an internet path instead: "
                 + lower_first(internet_step)]
        commands = fixes.alternatives(("VPC endpoints", fixes.create_endpoints(tuple(missing))),
                                      (INTERNET_FIX_LABELS[internet_kind(ctx)],
                                       internet_commands))
    errors = expected_errors(actions)
    return finding(
        "no-path-to-aws-services", Severity.BLOCKER,
        "No path to " + and_list(service_titles(missing)),
        why_no_internet(ctx) + " Without "
        + ("these endpoints" if len(missing) > 1 else "this endpoint")
        + f", {row_phrases(ctx, actions)} cannot reach AWS."
        + (f" Expect: {errors}" if errors else ""),
        remediation=steps, commands=commands,
        sources=("networking", "migration", "ecr_endpoints", "ecs_endpoints",
                 "verify_connectivity"),
        actions=actions,
    )


def vpc_dns_attributes_off(ctx: Context) -> Finding | None:
    if ctx.answers.vpc_dns:
        return None
    return finding(
        "vpc-dns-attributes-off", Severity.WARNING, "VPC DNS support or DNS hostnames is off",
        "With enableDnsSupport or enableDnsHostnames off, the task gets a random hostname "
        "instead of an Amazon-provided one, interface endpoints' private DNS cannot work, and "
        "with DNS support off the task needs your own DNS servers (DHCP options) to resolve "
        "anything. A custom DNS server must forward AWS names to the Route 53 Resolver and "
        "accept port 53 (UDP and TCP) from the tasks.",
        remediation=["Turn on both DNS attributes for the VPC."],
        commands=fixes.vpc_dns(), sources=("networking", "vpc_dns", "verify_connectivity"),
    )


def public_ip_unused_in_private_subnet(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.subnet is Subnet.PRIVATE and a.public_ip and a.ip_mode is not IPMode.IPV6_ONLY):
        return None
    return finding(
        "public-ip-unused-in-private-subnet", Severity.WARNING,
        "A public IP does nothing in a private subnet",
        "The subnet's default route does not go to an internet gateway"
        + (", it goes to the NAT gateway" if a.nat_gateway else "")
        + ", so the task's public IP is never used for traffic"
        + (": the NAT gateway carries it." if a.nat_gateway else
           ", and the task still has no internet path.")
        + " It is billed all the same.",
        remediation=["Set assignPublicIp to DISABLED."],
        commands=fixes.assign_public_ip(False),
        sources=("networking", "verify_connectivity", "public_ipv4_pricing"),
    )


def nat_gateway_ignored_on_public_subnet(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.subnet is Subnet.PUBLIC and a.nat_gateway and a.ip_mode is not IPMode.IPV6_ONLY):
        return None
    return finding(
        "nat-gateway-ignored-on-public-subnet", Severity.INFO,
        "A public subnet's default route goes to the internet gateway, not a NAT gateway",
        "A subnet has one IPv4 default route. A public subnet sends it to the internet gateway, "
        "so a NAT gateway does not serve tasks in it: only a public IP does. Put the tasks in "
        "a private subnet to use the NAT gateway.",
        sources=("networking", "verify_connectivity"),
    )


def public_ip_exposes_task(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.subnet is Subnet.PUBLIC and a.public_ip and a.ip_mode is not IPMode.IPV6_ONLY):
        return None
    return finding(
        "public-ip-exposes-task", Severity.INFO,
        "Each task gets a public IPv4 address",
        "The public IP gives the task its internet path. Each address is billed, and the "
        "task's security group is all that stands between it and the internet: allow inbound "
        "only from the load balancer or the clients that need it.",
        sources=("networking", "public_ipv4_pricing"),
    )


def awsvpc_configuration(ctx: Context) -> Finding | None:
    """The awsvpcConfiguration lists: awsvpc-configuration-limits or default-security-group."""
    a = ctx.answers
    problems = []
    subnets, groups = known(a.subnet_count), known(a.security_group_count)
    if subnets > MAX_SUBNETS:
        problems.append(f"{a.subnet_count} subnets (at most {MAX_SUBNETS})")
    if groups > MAX_SECURITY_GROUPS:
        problems.append(f"{a.security_group_count} security groups (at most "
                        f"{MAX_SECURITY_GROUPS})")
    if problems:
        return finding(
            "awsvpc-configuration-limits", Severity.BLOCKER,
            "awsvpcConfiguration lists too many subnets or security groups",
            "The API rejects the service or task: it lists " + and_list(problems)
            + ". All must also be in the same VPC.",
            remediation=[f"List at most {MAX_SUBNETS} subnets and {MAX_SECURITY_GROUPS} "
                         "security groups, all in one VPC."],
            sources=("awsvpc_configuration", "networking"),
        )
    if a.security_group_count == 0:
        return finding(
            "default-security-group", Severity.INFO, "The VPC's default security group is used",
            "With no security groups listed, the task gets the VPC's default security group. "
            "Give it its own, so its rules say what this task needs.",
            sources=("awsvpc_configuration",),
        )
    return None
