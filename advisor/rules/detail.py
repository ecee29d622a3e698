"""Network detail: what decides which way a flow goes, and what stops it on the way.

Two questions, kept apart because AWS answers them apart:

- **Which way** a flow leaves the task ENI is decided by name resolution and routing. An
  interface endpoint takes its service's traffic when the service's usual name resolves to it
  (private DNS on the endpoint and both VPC DNS attributes, through resolvers that reach the
  Route 53 Resolver, or a private hosted zone from a hub VPC); the S3 gateway endpoint takes
  S3 traffic from the subnets whose route tables it is associated with. Everything else takes
  the internet path, if there is one.
- **Whether it gets through** that way is decided by the filters on it: the task's security
  groups (outbound), the subnet's network ACL (stateless, both ways), the endpoint's security
  group (inbound) and policy, and an egress firewall's allow-list. A filter that blocks does
  not send the traffic another way: with private DNS on, a call to ECR goes to the endpoint
  and times out there even when a NAT gateway could have carried it
  (SOURCES: ecs_endpoints, create_interface_endpoint).

Every function reads the answers only through attributes and `has_endpoint()`, so
`search` splits an unknown answer only where one of them asks for it. The paths pass draws
the hops from them, and the requirements state them as conditions: one statement each.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from .answers import (
    UNKNOWN,
    Allowlist,
    DnsResolver,
    EgressVia,
    Endpoint,
    EndpointIPType,
    EndpointPolicy,
    EndpointSG,
    EndpointsIn,
    Grant,
    IPMode,
    Location,
    LogDriver,
    LogGroup,
    NetworkAcl,
    Registry,
    S3Routes,
    TaskEgress,
    Where,
)
from .knowledge import ECR_REGISTRIES, ENDPOINTS, PRIVATE_DNS_ENDPOINT_TYPES


class Way(StrEnum):
    """How a flow leaves the task ENI, as the filters tell them apart."""

    INTERFACE = "interface"  # HTTPS to an interface endpoint in (or shared into) the VPC
    GATEWAY = "gateway"  # HTTPS to S3 through the gateway endpoint (the S3 prefix list)
    INTERNET = "internet"  # HTTPS through the internet path
    S3_INTERNET = "s3_internet"  # HTTPS to S3's public ranges through the internet path
    NFS = "nfs"  # TCP 2049 to an EFS mount target
    DNS = "dns"  # UDP/TCP 53 to the DNS servers of the DHCP options (not Amazon's)


# Ways through the internet path: the filters on that path (DNS, an egress firewall) see them.
INTERNET_WAYS = frozenset({Way.INTERNET, Way.S3_INTERNET})


# --- Which way: name resolution and routes -------------------------------------------------


def private_names_resolve(a: Any) -> bool:
    """AWS-private names (endpoint private DNS, private hosted zones, EFS mount targets)
    resolve: both VPC DNS attributes on, and the DHCP options' servers reach the Route 53
    Resolver (SOURCES: vpc_dns, ecs_endpoints, dhcp_options). `vpc_dns` says both attributes
    at once; `dns_support` and `dns_hostnames` refine it."""
    return (bool(a.vpc_dns) and bool(a.dns_support) and bool(a.dns_hostnames)
            and a.dns_resolver is not DnsResolver.CUSTOM)


def public_names_resolve(a: Any) -> bool:
    """Public service names resolve. The Amazon-provided DNS server answers only with
    enableDnsSupport on; your own DNS servers answer public names themselves
    (SOURCES: vpc_dns, dhcp_options). `vpc_dns=false` alone does not say which attribute is
    off, so it does not stop public names (as before the attributes were asked apart)."""
    return a.dns_resolver is not DnsResolver.AMAZON or bool(a.dns_support)


def is_interface(endpoint: Endpoint) -> bool:
    return ENDPOINTS[endpoint].type in PRIVATE_DNS_ENDPOINT_TYPES


def interface_names_resolve(a: Any) -> bool:
    """The services' usual names resolve to the interface endpoints: private DNS on endpoints
    in this VPC, or a private hosted zone for endpoints in a hub VPC (SOURCES:
    ecs_endpoints, whitepaper_central_endpoints, r53_phz_considerations)."""
    if not private_names_resolve(a):
        return False
    if a.ip_mode is IPMode.IPV6_ONLY and a.endpoint_ip_type is EndpointIPType.IPV4:
        return False  # an IPv6-only task cannot reach an endpoint with IPv4 addresses only
    where = a.endpoints_in
    if where is EndpointsIn.THIS_VPC:
        return bool(a.endpoint_private_dns)
    return where is EndpointsIn.HUB_PHZ


def takes_traffic(a: Any, endpoint: Endpoint) -> bool:
    """The endpoint exists and the task's calls to its service go to it."""
    if not a.has_endpoint(endpoint):
        return False
    if not is_interface(endpoint):
        return a.s3_endpoint_routes is S3Routes.TASK_SUBNETS  # (SOURCES: gateway_endpoints)
    return interface_names_resolve(a)


def why_not_taken(a: Any, endpoint: Endpoint) -> str:
    """Why an endpoint that exists does not take the traffic: the finding that explains it."""
    if not is_interface(endpoint):
        return "s3-endpoint-not-on-task-route-tables"
    if a.dns_resolver is DnsResolver.CUSTOM:
        return "custom-dns-cannot-resolve-endpoints"
    if (private_names_resolve(a) and a.ip_mode is IPMode.IPV6_ONLY
            and a.endpoint_ip_type is EndpointIPType.IPV4):
        return "endpoints-ipv4-only"
    if a.endpoints_in is EndpointsIn.HUB_NO_PHZ and private_names_resolve(a):
        return "hub-endpoints-need-private-hosted-zone"
    return "endpoints-need-private-dns"


# --- Whether it gets through: the filters --------------------------------------------------

# What each outbound rule set of the task's security groups lets out (SOURCES: vpc_sg_rules,
# ecr_endpoints): the S3 prefix list is how a security group admits the gateway endpoint.
# A security group matches the destination address, so its rule for the S3 prefix list (S3's
# public ranges) passes S3 traffic whether the gateway endpoint or the NAT gateway carries it
# (SOURCES: aws_managed_prefix_lists). It filters traffic to DNS servers you run, but not to
# the Amazon-provided DNS server (SOURCES: vpc_sg_rules).
_HTTPS = frozenset({Way.INTERFACE, Way.GATEWAY, Way.INTERNET, Way.S3_INTERNET})
_EGRESS: dict[TaskEgress, frozenset[Way]] = {
    TaskEgress.ALL: frozenset(Way),
    TaskEgress.HTTPS: _HTTPS,
    TaskEgress.HTTPS_NFS: _HTTPS | {Way.NFS},
    TaskEgress.ENDPOINTS_ONLY: frozenset({Way.INTERFACE, Way.GATEWAY, Way.S3_INTERNET}),
    TaskEgress.NONE: frozenset(),
}


def task_egress_allows(a: Any, way: Way) -> bool:
    return way in _EGRESS[a.task_egress]


def nacl_allows(a: Any, way: Way) -> bool:
    """A custom ACL that blocks HTTPS out or the return ports stops every flow that crosses
    the subnet's boundary. It is not evaluated within a subnet, so it does not stop traffic to
    interface endpoints, whose network interfaces sit in the task subnets in the usual layout
    (SOURCES: vpc_nacls)."""
    return a.nacl is not NetworkAcl.BLOCKS or way is Way.INTERFACE


def uses_own_dns(a: Any) -> bool:
    """The task asks DNS servers of your own, which its filters see (`Way.DNS`)."""
    return a.dns_resolver is not DnsResolver.AMAZON


def endpoint_sg_admits(a: Any) -> bool:
    """The interface endpoints' security group admits HTTPS from the tasks. An endpoint created
    without a group gets the VPC's default group, which admits only its members: the tasks are
    members when their service names no security group (SOURCES: create_interface_endpoint,
    vpc_default_sg, awsvpc_configuration)."""
    sg = a.endpoint_sg
    if sg is EndpointSG.DEFAULT_GROUP:
        return bool(a.security_group_count == 0)
    return sg is EndpointSG.ALLOWS_TASKS


def endpoint_policy_allows(a: Any) -> bool:
    return a.endpoint_policy is not EndpointPolicy.DENIES_NEEDED  # (SOURCES: vpce_access)


def firewall_allows(a: Any) -> bool:
    """An egress firewall that allow-lists names passes only the names on its list."""
    return a.egress_via is not EgressVia.FIREWALL or a.egress_allowlist is Allowlist.ALLOWS_NEEDED


# --- Where the service refuses what reaches it: permissions, not the network ---------------


def registries(a: Any) -> tuple[Registry, ...]:
    """Every registry the task's containers pull from: the image registry first."""
    main, others = a.registry, a.other_registries
    if not others:
        return (main,)
    return (main, *(r for r in _REGISTRY_ORDER if r in others and r is not main))


_REGISTRY_ORDER = tuple(Registry)


def other_registries(a: Any) -> tuple[Registry, ...]:
    return registries(a)[1:]


def ecr_pull_allowed(a: Any) -> bool | None:
    """A repository in another account allows this account's execution role to pull
    (SOURCES: ecr_repo_policies). None: no ECR repository of another account is used."""
    if not any(r in ECR_REGISTRIES for r in registries(a)) or a.ecr_account is not Where.OTHER:
        return None
    return a.ecr_repository_policy is Grant.GRANTS


def secrets_shared(a: Any) -> bool | None:
    """A secret in another account is shared: its resource policy and the key policy of a
    customer managed KMS key both allow this account (the AWS managed key cannot be used
    across accounts; SOURCES: sm_cross_account). None: no secret in another account."""
    if not a.secrets or a.secrets_location is not Location.OTHER_ACCOUNT:
        return None
    return a.secrets_policy is Grant.GRANTS and bool(a.cmk)


def log_group_ready(a: Any) -> bool | None:
    """awslogs writes to a log group that exists or that it creates (SOURCES: awslogs)."""
    if a.log_driver is not LogDriver.AWSLOGS:
        return None
    return a.log_group is not LogGroup.MISSING


_ = UNKNOWN
