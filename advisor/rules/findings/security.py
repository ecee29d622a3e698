"""Findings about the filters on the way: security groups, network ACLs, endpoint
security groups and policies, egress firewalls, DNS and subnet capacity (issue 12).

Each rule is named after the finding it writes (hyphens as underscores) and returns it or
None; `SECURITY_RULES` is the order they run in. A rule fires exactly where its requirement
is violated (`requirements.violated`), or, for the reasons an endpoint that exists does not
take the traffic (`detail.why_not_taken`), where a blocking path requirement names it. The
rows a finding names are the blocked rows whose route stops at its kind of hop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .. import fixes
from ..answers import (
    Endpoint,
    EndpointSG,
    ExecLogging,
    IPMode,
    LogDriver,
    Registry,
    SecretSource,
    Where,
)
from ..detail import Way, takes_traffic, task_egress_allows, uses_own_dns
from ..fixes.security import LAYER_BUCKET_ARN, POLICY_SERVICES
from ..knowledge import (
    CONFLICTS,
    ECR_REGISTRIES,
)
from ..knowledge.errors import (
    ECR_LAYER_ENDPOINT_POLICY_ERROR,
    ENDPOINT_POLICY_DENY_FRAGMENT,
    SUBNET_FULL_ERROR_CODE,
)
from ..paths import Context, secret_sources
from ..requirements import PATH_NEEDS, violated, ways
from ..result import Action, Finding, Hop, HopKind, Severity, Status
from ..traffic import and_list
from .common import dedupe, expected_errors, finding, row_phrases

_ENDPOINT_HOPS = frozenset({HopKind.INTERFACE_ENDPOINT, HopKind.GATEWAY_ENDPOINT})


def _stops(hop: Hop, kinds: frozenset[HopKind]) -> bool:
    return hop.kind in kinds and hop.passes is False and "(inbound)" not in hop.name


def _rows_stopped_at(ctx: Context, *kinds: HopKind) -> tuple[Action, ...]:
    """The blocked rows with a hop of these kinds that does not let them through."""
    wanted = frozenset(kinds)
    return tuple(action for action, row in ctx.rows.items()
                 if row.status is Status.BLOCKED and any(_stops(h, wanted) for h in row.route))


def _names_of_failing(ctx: Context, kinds: frozenset[HopKind]) -> tuple[str, ...]:
    return dedupe(h.name for row in ctx.rows.values() if row.status is Status.BLOCKED
                  for h in row.route if _stops(h, kinds))


def _why_not_taken_rows(ctx: Context, finding_id: str) -> tuple[Action, ...] | None:
    """The blocked rows of the blocking requirements this reason violates; None: none does."""
    a = ctx.answers
    # Only an endpoint that exists and does not take the traffic gives such a reason, and
    # only the path requirements name one (`requirements._reach_finding`).
    if not any(a.has_endpoint(e) and not takes_traffic(a, e) for e in Endpoint):
        return None
    needs = [n for n in _BLOCKING_PATHS
             if n.condition(a) is False and n.finding(a) == finding_id]
    if not needs:
        return None
    return tuple(dict.fromkeys(act for n in needs for act in n.actions
                               if ctx.rows[act].status is Status.BLOCKED))


_BLOCKING_PATHS = tuple(n for n in PATH_NEEDS if n.blocking)


def _expect(actions: Iterable[Action]) -> str:
    errors = expected_errors(actions)
    return f" Expect: {errors}" if errors else ""


def vpc_dns_support_off(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "public-names-resolve"):
        return None
    actions = _rows_stopped_at(ctx, HopKind.DNS)
    return finding(
        "vpc-dns-support-off", Severity.BLOCKER,
        "The VPC's DNS support is off, so no service name resolves",
        "enableDnsSupport is off and the DHCP options use the Amazon-provided DNS server. AWS "
        "says queries to that server succeed when the attribute is on; with it off (AWS does "
        "not word the off case outright) the task cannot resolve api.ecr…, logs… or any other "
        f"service name, so {row_phrases(ctx, actions) or 'its calls'} stop at the DNS lookup, "
        "before any route or security group is used." + _expect(actions),
        remediation=["Turn on enableDnsSupport for the VPC (and enableDnsHostnames, which "
                     "interface endpoints' private DNS also needs).",
                     "Or name your own DNS servers in the VPC's DHCP options set."],
        commands=fixes.vpc_dns(), sources=("vpc_dns", "dhcp_options", "networking"),
        actions=actions,
    )


_WAY_PHRASES = {
    Way.INTERFACE: "HTTPS (TCP 443) to the interface endpoints",
    Way.GATEWAY: "HTTPS (TCP 443) to S3 through the gateway endpoint (the S3 prefix list)",
    Way.INTERNET: "HTTPS (TCP 443) to the internet",
    Way.S3_INTERNET: "HTTPS (TCP 443) to S3 (the S3 prefix list, or anywhere)",
    Way.NFS: "NFS (TCP 2049) to the EFS mount targets",
    Way.DNS: "DNS (UDP and TCP 53) to the DNS servers of the VPC's DHCP options",
}


def task_egress_blocks(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "task-egress-allows"):
        return None
    blocked = [w for w in Way if w in ways(a) and not task_egress_allows(a, w)]
    actions = _rows_stopped_at(ctx, HopKind.SECURITY_GROUP)
    ipv6 = a.ip_mode is IPMode.IPV6_ONLY
    anywhere = ("https-anywhere-ipv6",) if ipv6 else ("https-anywhere",)
    nfs = ("nfs-efs",) if Way.NFS in blocked else ()
    narrow = tuple(dict.fromkeys(
        key for way, key in ((Way.INTERFACE, "https-endpoints"), (Way.GATEWAY, "https-s3"),
                             (Way.S3_INTERNET, "https-s3"), (Way.DNS, "dns-udp"),
                             (Way.DNS, "dns-tcp")) if way in blocked))
    if Way.INTERNET in blocked or not narrow:
        commands = fixes.security_group_egress(
            (anywhere if Way.INTERNET in blocked else ()) + narrow + nfs)
    else:
        commands = fixes.alternatives(
            ("HTTPS only to the endpoints' group and the S3 prefix list",
             fixes.security_group_egress(narrow + nfs)),
            ("HTTPS to anywhere", fixes.security_group_egress(anywhere + nfs)))
    steps = [f"Add an outbound rule to the task's security group for {phrase}."
             for way, phrase in _WAY_PHRASES.items() if way in blocked]
    if {Way.GATEWAY, Way.S3_INTERNET} & set(blocked):
        steps.append("Find the S3 prefix list's id with: aws ec2 describe-prefix-lists "
                     "--filters Name=prefix-list-name,Values=com.amazonaws.<region>.s3")
    return finding(
        "task-egress-blocks", Severity.BLOCKER,
        "The task's security groups do not let its traffic out",
        "Security groups allow only what their outbound rules list, and a group without "
        "outbound rules allows nothing out. The task's groups block "
        + and_list([_WAY_PHRASES[w] for w in blocked])
        + f", so {row_phrases(ctx, actions) or 'its calls'} time out."
        + (" A gateway endpoint is reached through the S3 prefix list, which the rule must "
           "name as its destination." if Way.GATEWAY in blocked else "")
        + _expect(actions),
        remediation=steps, commands=commands,
        sources=("vpc_sg_rules", "vpce_access", "gateway_endpoints", "ecs_endpoints"),
        actions=actions,
    )


def network_acl_blocks(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "network-acl-allows"):
        return None
    actions = _rows_stopped_at(ctx, HopKind.NETWORK_ACL)
    nfs = Way.NFS in ways(a)
    return finding(
        "network-acl-blocks", Severity.BLOCKER,
        "The task subnets' network ACL blocks the traffic or its replies",
        "Network ACLs are stateless: the replies are filtered like any other traffic, and a "
        "custom ACL denies everything until you add rules. The task is the client, so its "
        "subnets' ACL needs outbound TCP 443" + (" and 2049 (EFS)" if nfs else "")
        + (", UDP and TCP 53 to your DNS servers" if uses_own_dns(a) else "")
        + " and inbound TCP" + (" and UDP" if uses_own_dns(a) else "")
        + " 1024-65535 for the replies. Otherwise "
        f"{row_phrases(ctx, actions) or 'its calls'} time out with every route right. "
        "ACLs are evaluated as traffic enters and leaves a subnet, not within one, so "
        "endpoint interfaces in the task's own subnets are not filtered; nor is the Amazon "
        "DNS server." + _expect(actions),
        remediation=[
            "Add to the task subnets' network ACL: outbound TCP 443"
            + (" and TCP 2049" if nfs else "") + " to the destinations, inbound TCP "
            "1024-65535 from them (rule numbers below your deny rules).",
        ],
        commands=fixes.network_acl_entries(nfs, a.ip_mode is IPMode.IPV6_ONLY),
        sources=("vpc_nacls",), actions=actions,
    )


def endpoint_sg_blocks(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "endpoint-sg-admits-tasks"):
        return None
    actions = _rows_stopped_at(ctx, HopKind.INTERFACE_ENDPOINT)
    names = _names_of_failing(ctx, frozenset({HopKind.INTERFACE_ENDPOINT}))
    default = a.endpoint_sg is EndpointSG.DEFAULT_GROUP
    detail = (
        "The interface endpoints' security group does not admit HTTPS (TCP 443) from the "
        "tasks, so calls to " + (and_list(list(names)) if names else "the endpoints")
        + " time out even though the endpoints are there."
    )
    if default:
        detail += (
            " The endpoints were created without a security group, so they have the VPC's "
            "default group, which admits only its own members. The tasks are members only "
            "when their service names no security group (ECS then uses the default group); "
            f"this one names {a.security_group_count}."
        )
        commands = fixes.alternatives(
            ("let the default group admit the tasks", fixes.security_group_ingress(
                "DefaultGroupHttpsFromTasks", "vpc-default-security-group-id", 443,
                "task-security-group-id", "HTTPS from the tasks to the VPC endpoints")),
            ("give the endpoints a group of their own",
             fixes.endpoint_security_groups() + fixes.endpoint_ingress()))
    else:
        commands = fixes.endpoint_ingress()
    return finding(
        "endpoint-sg-blocks", Severity.BLOCKER,
        "The VPC endpoints' security group does not admit the tasks",
        detail + _expect(actions),
        remediation=["Add an inbound rule to the endpoints' security group: TCP 443 from "
                     "the task security group (or the task subnets' CIDR)."]
        + (["Or give the endpoints a security group of their own that does."]
           if default else []),
        commands=commands,
        sources=("ecr_endpoints", "ec2_create_vpc_endpoint", "vpc_default_sg",
                 "awsvpc_configuration", "create_interface_endpoint"),
        actions=actions,
    )


def endpoint_policy_denies(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "endpoint-policy-allows"):
        return None
    actions = _rows_stopped_at(ctx, *_ENDPOINT_HOPS)
    names = _names_of_failing(ctx, _ENDPOINT_HOPS) or ("ecr.api", "ecr.dkr", "s3")
    policies = tuple(n for n in names if n in POLICY_SERVICES)
    ecr = any(n.startswith("ecr.") for n in names)
    detail = (
        "A restricted policy on " + and_list(list(names)) + " leaves out what the task asks "
        "for, so the endpoint answers 403 AccessDenied ("
        f"`{ENDPOINT_POLICY_DENY_FRAGMENT}`). An endpoint policy grants nothing by itself: "
        "it is one more filter beside the IAM and resource policies."
    )
    if "s3" in names:
        detail += (" The S3 policy must allow s3:GetObject on "
                   f"{LAYER_BUCKET_ARN}, where ECR keeps the image layers "
                   f"(`{ECR_LAYER_ENDPOINT_POLICY_ERROR}`).")
    if ecr:
        detail += (" The ECR policy must allow the pull for the task's repositories. AWS's "
                   "example ECR endpoint policy allows ecr:BatchGetImage and "
                   "ecr:GetDownloadUrlForLayer but not ecr:GetAuthorizationToken, which "
                   "ECR's own pages say every pull needs first: allow it too.")
    return finding(
        "endpoint-policy-denies", Severity.BLOCKER,
        "A VPC endpoint's policy denies what the task asks for",
        detail,
        remediation=["Allow in each restricted endpoint policy what the task's execution "
                     "role asks for through it, or reset it to the default full-access "
                     "policy (aws ec2 modify-vpc-endpoint --reset-policy)."],
        commands=fixes.endpoint_policies(policies or ("ecr.api", "s3")),
        sources=("vpce_access", "ecr_endpoints", "ecr_repo_policies", "iam_access_denied",
                 "ec2_create_vpc_endpoint"),
        actions=actions,
    )


def _ecr_names(region: str) -> tuple[str, ...]:
    return (f"api.ecr.{region}.amazonaws.com", f"<account-id>.dkr.ecr.{region}.amazonaws.com",
            f"prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com",
            f"prod-{region}-starport-layer-bucket.s3.amazonaws.com")


# Docker's own allow-list for Docker Hub (SOURCES: docker_allowlist): not AWS's, and it moves.
_DOCKER_HUB = ("auth.docker.io", "registry-1.docker.io", "production.cloudflare.docker.com")
_REGISTRY_NAMES: dict[Registry, tuple[str, ...]] = {
    Registry.ECR: _ecr_names("<region>"),
    Registry.ECR_PULL_THROUGH_CACHE: _ecr_names("<region>"),
    Registry.ECR_OTHER_REGION: _ecr_names("<image-region>"),
    Registry.DOCKER_HUB: _DOCKER_HUB,
    Registry.ECR_PUBLIC: ("<registry-host>",),
    Registry.OTHER_PUBLIC: ("<registry-host>",),
    Registry.PRIVATE_REGISTRY: ("<registry-host>",),
}


def _through_firewall(route: tuple[Hop, ...]) -> bool:
    return any(h.kind is HopKind.FIREWALL for h in route)


def firewall_names(ctx: Context) -> tuple[str, ...]:
    """The names the task calls through the egress firewall in this configuration."""
    a = ctx.answers
    names: list[str] = []
    rows = ctx.rows
    if _through_firewall(rows[Action.ECR_AUTH].route):
        names += [_REGISTRY_NAMES[r][0] for r in ctx.registry_reach if r in ECR_REGISTRIES]
    for registry, reach in ctx.registry_reach.items():
        if _through_firewall(reach.route):
            names += _REGISTRY_NAMES[registry][1:] if registry in ECR_REGISTRIES \
                else _REGISTRY_NAMES[registry]
    if _through_firewall(rows[Action.LOG_DRIVER].route):
        names.append("<splunk-hec-host>" if a.log_driver is LogDriver.SPLUNK
                     else "logs.<awslogs-region>.amazonaws.com" if a.logs_region is Where.OTHER
                     else "logs.<region>.amazonaws.com")
    if _through_firewall(rows[Action.FIRELENS].route):
        names.append("<firelens-destination-host>")
    if _through_firewall(rows[Action.SECRETS].route):
        names += [f"{'secretsmanager' if s is SecretSource.SECRETSMANAGER else 'ssm'}"
                  ".<region>.amazonaws.com" for s in secret_sources(a)]
    extra = {"env_files": "<env-files-bucket>.s3.<region>.amazonaws.com",
             "exec_kms": "kms.<region>.amazonaws.com",
             "exec_logging": "logs.<region>.amazonaws.com"
             if a.exec_logging is ExecLogging.CLOUDWATCH
             else "<exec-log-bucket>.s3.<region>.amazonaws.com"}
    for key, reach in ctx.extra_reach.items():
        if _through_firewall(reach.route):
            names.append(extra[key])
    if ctx.exec_reach is not None and _through_firewall(ctx.exec_reach.route):
        names.append("ssmmessages.<region>.amazonaws.com")
    return dedupe(names)


def egress_firewall_blocks(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not violated(a, "egress-firewall-allows"):
        return None
    actions = _rows_stopped_at(ctx, HopKind.FIREWALL)
    names = firewall_names(ctx)
    docker = any(n in _DOCKER_HUB for n in names)
    return finding(
        "egress-firewall-blocks", Severity.BLOCKER,
        "The egress firewall's allow-list leaves out names the task calls",
        "The default route goes through a firewall or proxy that passes only the names on "
        "its allow-list (for HTTPS, the TLS SNI name), and the list leaves out some of these, "
        f"which the task calls through it here: {', '.join(names)}."
        + (" ECR serves the image layers from S3 (prod-<region>-starport-layer-bucket), so "
           "allow the bucket's name both ways it is seen, Regional and global."
           if any("starport" in n for n in names) else "")
        + (" Docker Hub's names come from Docker's own allow-list, not AWS's, and have "
           "changed several times; layer downloads may also redirect to a Cloudflare R2 "
           "host (docker-images-prod.….r2.cloudflarestorage.com)." if docker else "")
        + " Fargate has no task setting for an HTTP proxy for image pulls (an open feature "
        "request), so a proxy on the way must be transparent."
        + _expect(actions),
        remediation=["Add these names to the firewall's allow-list (with AWS Network "
                     "Firewall: a stateful domain-list rule group in the firewall policy), "
                     "replacing the placeholders with your Region, account and hosts."],
        commands=fixes.firewall_allowlist(names),
        sources=("nfw_domain_list", "ecr_endpoints", "docker_allowlist", "roadmap_98",
                 "networking"),
        actions=actions,
    )


def s3_endpoint_not_on_task_route_tables(ctx: Context) -> Finding | None:
    actions = _why_not_taken_rows(ctx, "s3-endpoint-not-on-task-route-tables")
    if actions is None:
        return None
    return finding(
        "s3-endpoint-not-on-task-route-tables", Severity.BLOCKER,
        "The S3 gateway endpoint is not on the task subnets' route tables",
        "A gateway endpoint adds its route only to the route tables it is associated with, "
        "and the task subnets' table is not one of them, so the image layers' download from "
        "prod-<region>-starport-layer-bucket has no route (and no internet path here)."
        + _expect(actions),
        remediation=["Associate the S3 gateway endpoint with the task subnets' route "
                     "tables."],
        commands=fixes.s3_endpoint_route_tables(),
        sources=("gateway_endpoints", "ecr_endpoints", "ec2_modify_vpc_endpoint"),
        actions=actions,
    )


def custom_dns_cannot_resolve_endpoints(ctx: Context) -> Finding | None:
    actions = _why_not_taken_rows(ctx, "custom-dns-cannot-resolve-endpoints")
    if actions is None:
        return None
    return finding(
        "custom-dns-cannot-resolve-endpoints", Severity.BLOCKER,
        "Your DNS servers do not resolve the VPC endpoints' names",
        "The VPC's DHCP options name DNS servers of your own that do not forward the "
        "services' names to the Route 53 Resolver (the VPC's base address plus two). VPC "
        "endpoints' private DNS works only through the Amazon-provided DNS, so the names "
        "resolve to public addresses the task cannot reach without an internet path. (AWS "
        "does not say in so many words that Fargate tasks use the DHCP options' servers; "
        "with awsvpc the containers' own DNS settings cannot override them.)"
        + _expect(actions),
        remediation=["Forward the AWS service names (amazonaws.com) from your DNS servers "
                     "to the Route 53 Resolver at the VPC's base address plus two.",
                     "Or use AmazonProvidedDNS in the VPC's DHCP options set."],
        commands=fixes.amazon_provided_dns(),
        sources=("ecr_endpoints", "dhcp_options", "r53_phz_considerations", "roadmap_1123"),
        actions=actions,
    )


def hub_endpoints_need_private_hosted_zone(ctx: Context) -> Finding | None:
    actions = _why_not_taken_rows(ctx, "hub-endpoints-need-private-hosted-zone")
    if actions is None:
        return None
    return finding(
        "hub-endpoints-need-private-hosted-zone", Severity.BLOCKER,
        "The hub VPC's endpoints have no private hosted zone on this VPC",
        "An endpoint's own private DNS works only in its VPC. Endpoints in a hub VPC serve "
        "other VPCs through a private hosted zone per service name, associated with each of "
        "them; none is associated with this VPC, so the names resolve to public addresses "
        "the task cannot reach." + _expect(actions),
        remediation=["Associate the hub's private hosted zones (one per service name, e.g. "
                     "api.ecr.<region>.amazonaws.com) with this VPC; across accounts the "
                     "hub's account authorizes the association first."],
        commands=fixes.hosted_zone_association(),
        sources=("whitepaper_central_endpoints", "blog_central_endpoints",
                 "r53_phz_considerations", "r53_phz_cross_account"),
        actions=actions,
    )


def endpoints_ipv4_only(ctx: Context) -> Finding | None:
    actions = _why_not_taken_rows(ctx, "endpoints-ipv4-only")
    if actions is None:
        return None
    conflict = CONFLICTS["ecr_ipv6_endpoints"]
    return finding(
        "endpoints-ipv4-only", Severity.BLOCKER,
        "The VPC endpoints have IPv4 addresses only, and the task is IPv6-only",
        "The interface endpoints' IP address type is ipv4, so an IPv6-only task has no "
        "address to reach them at. Make them dual-stack (their subnets need IPv6 ranges and "
        f"the service must accept IPv6). {conflict.summary}" + _expect(actions),
        remediation=["Change each interface endpoint's IP address type to dualstack."],
        commands=fixes.endpoint_dualstack(),
        sources=dedupe(("ec2_modify_vpc_endpoint", "blog_ecs_ipv6_only", *conflict.sources)),
        actions=actions,
    )


def subnet_out_of_addresses(ctx: Context) -> Finding | None:
    if not violated(ctx.answers, "subnet-has-free-addresses"):
        return None
    return finding(
        "subnet-out-of-addresses", Severity.BLOCKER,
        "The task subnets are out of free IP addresses",
        "Each Fargate task gets its own network interface with a private IP address from "
        "the task subnets. With fewer free addresses than tasks to place, the extra tasks "
        f"stop with {SUBNET_FULL_ERROR_CODE}. A rolling deployment starts new tasks before "
        "it stops the old ones (maximumPercent, 200 % by default), so it needs room for up "
        "to twice the desired count.",
        remediation=["Add subnets with free addresses to the service, or move it to a "
                     "larger subnet.",
                     "Or lower maximumPercent so a deployment starts fewer extra tasks."],
        commands=fixes.more_subnet_addresses(),
        sources=("networking", "awsvpc_configuration", "ecs_rolling_update"),
    )


SECURITY_RULES: tuple[Callable[[Context], Finding | None], ...] = (
    vpc_dns_support_off,
    task_egress_blocks,
    network_acl_blocks,
    endpoint_sg_blocks,
    endpoint_policy_denies,
    egress_firewall_blocks,
    s3_endpoint_not_on_task_route_tables,
    custom_dns_cannot_resolve_endpoints,
    hub_endpoints_need_private_hosted_zone,
    endpoints_ipv4_only,
    subnet_out_of_addresses,
)
