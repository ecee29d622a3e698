"""Pass 1, paths: what the task's subnet can reach, and by which route.

The internet path is one hop (an internet gateway, an egress-only internet gateway or a NAT
gateway) or none. A flow that leaves through the task ENI takes the VPC endpoints that serve
it when they are usable (interface endpoints need the VPC's DNS attributes and private DNS),
and the internet path for the rest. Each flow's route is data (spec section 4): an ordered
tuple of hops, each saying whether the traffic gets past it. `describe` reads the traffic
table's Path text off a route, so the text and the route cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .answers import (
    OS,
    Answers,
    EgressVia,
    Endpoint,
    IPMode,
    IPv6Egress,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
    known,
)
from .detail import (
    INTERNET_WAYS,
    Way,
    endpoint_policy_allows,
    endpoint_sg_admits,
    firewall_allows,
    is_interface,
    nacl_allows,
    public_names_resolve,
    registries,
    takes_traffic,
    task_egress_allows,
    uses_own_dns,
)
from .knowledge import (
    ENDPOINTS,
    LOG_DESTINATIONS,
    REGISTRY_NAMES,
    SECRET_SERVICES,
    SERVICE_NAMES,
    Column,
)
from .result import (
    ENI,
    Action,
    EndpointCheck,
    Hop,
    HopKind,
    RoleNeed,
    Status,
)


@dataclass(frozen=True, slots=True)
class Reach:
    """Whether one flow gets out of the task ENI, and by which route."""

    ok: bool
    route: tuple[Hop, ...]
    note: str = ""  # why it is blocked, where the route alone does not say
    missing: tuple[Endpoint, ...] = ()
    unusable: tuple[Endpoint, ...] = ()
    endpoint_remedy: bool = False  # VPC endpoints can serve this flow (they are the way)
    carried_by: tuple[Endpoint, ...] = ()  # the endpoints this flow actually goes through

    @property
    def path(self) -> str:
        return describe(self.route, self.note)


class Row(NamedTuple):
    """A traffic row while the rules run; it becomes a TrafficRow with its findings."""

    eni: ENI
    status: Status
    path: str
    route: tuple[Hop, ...] = ()


@dataclass(slots=True)
class Context:
    """Everything the rules read: the answers and what pass 1 and 2 derived from them."""

    answers: Answers
    column: Column
    version: PlatformVersion
    internet_hop: Hop | None
    ipv6_assigned: bool
    ipv6_missing: tuple[str, ...]
    interface_endpoints_usable: bool
    reach: dict[Action, Reach] = field(default_factory=dict)
    rows: dict[Action, Row] = field(default_factory=dict)
    required_endpoints: dict[Endpoint, str] = field(default_factory=dict)
    roles: tuple[RoleNeed, ...] = ()
    endpoint_checks: tuple[EndpointCheck, ...] = ()
    exec_reach: Reach | None = None  # ECS Exec's path to Session Manager, where Exec can work
    # Flows that are not rows of the AWS table (environment files, ECS Exec's KMS key and
    # session logs), and the other containers' registries, each by what it serves.
    extra_reach: dict[str, Reach] = field(default_factory=dict)
    registry_reach: dict[Registry, Reach] = field(default_factory=dict)

    @property
    def internet(self) -> bool:
        return self.internet_hop is not None

    @property
    def internet_via(self) -> str:
        """The internet path as the sentences name it: "the NAT gateway"."""
        return f"the {self.internet_hop.name}" if self.internet_hop else ""

    @property
    def isolated(self) -> bool:
        return not self.internet

    def status(self, action: Action) -> Status:
        return self.rows[action].status

    def blocked(self) -> list[Action]:
        return [a for a, row in self.rows.items() if row.status is Status.BLOCKED]


_IGW_V6 = Hop(HopKind.INTERNET_GATEWAY, "internet gateway over IPv6")
_EIGW = Hop(HopKind.EGRESS_ONLY_IGW, "egress-only internet gateway over IPv6")
_NAT64 = Hop(HopKind.NAT_GATEWAY, "NAT gateway (NAT64, with DNS64 on the subnet)")
_IGW = Hop(HopKind.INTERNET_GATEWAY, "internet gateway (the task's public IP)")
_NAT = Hop(HopKind.NAT_GATEWAY, "NAT gateway")


def internet_path(a: Answers) -> Hop | None:
    """The hop that takes the task's traffic to the internet, if any. (Every requirement asks
    this, often several times: the hops are built once.)"""
    if a.ip_mode is IPMode.IPV6_ONLY:
        if a.ipv6_egress is IPv6Egress.IGW:
            return _IGW_V6
        if a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW:
            return _EIGW
        if a.nat_gateway and a.dns64:  # NAT64 needs DNS64 to synthesise the addresses
            return _NAT64
        return None
    if a.subnet is Subnet.PUBLIC:
        return _IGW if a.public_ip else None
    return _NAT if a.nat_gateway else None


def _ipv6(a: Answers, version: PlatformVersion) -> tuple[bool, tuple[str, ...]]:
    """Fact 85: all four conditions must hold for a dual-stack task to get an IPv6 address."""
    if a.ip_mode is IPMode.IPV4:
        return False, ()
    if a.ip_mode is IPMode.IPV6_ONLY:
        return True, ()
    missing = []
    if not a.dualstack_account_setting:
        missing.append("the dualStackIPv6 account setting is not enabled")
    if not a.ipv6_autoassign:
        missing.append("the subnet does not auto-assign IPv6 addresses")
    if a.os is OS.LINUX and version is PlatformVersion.V1_3_0:
        missing.append("platform version 1.3.0 does not assign IPv6 addresses")
    return not missing, tuple(missing)


TASK_ENI = Hop(HopKind.TASK_ENI, "task ENI")


FARGATE_ENI = Hop(HopKind.FARGATE_ENI, "Fargate-owned ENI")


_ENDPOINT_HOPS = frozenset({HopKind.INTERFACE_ENDPOINT, HopKind.GATEWAY_ENDPOINT})


_INTERNET_HOPS = frozenset({HopKind.INTERNET_GATEWAY, HopKind.NAT_GATEWAY,
                            HopKind.EGRESS_ONLY_IGW})


def _endpoint_hop(a: Answers, endpoint: Endpoint) -> Hop:
    """An endpoint on the way: it passes what its security group and its policy let in."""
    if is_interface(endpoint):
        return Hop(HopKind.INTERFACE_ENDPOINT, _short(endpoint),
                   passes=endpoint_sg_admits(a) and endpoint_policy_allows(a))
    return Hop(HopKind.GATEWAY_ENDPOINT, _short(endpoint), passes=endpoint_policy_allows(a))


def _blocked(service: str, note: str, missing: tuple[Endpoint, ...] = (),
             unusable: tuple[Endpoint, ...] = (), endpoint_remedy: bool = False) -> Reach:
    """A flow with no way out: the route stops at "no route" and never reaches its service."""
    route = (TASK_ENI, Hop(HopKind.NO_ROUTE, "no route", passes=False),
             Hop(HopKind.SERVICE, service, passes=False))
    return Reach(False, route, note, missing, unusable, endpoint_remedy)


_INTERNET_NAMES = {
    EgressVia.NAT_INSTANCE: "NAT instance",
    EgressVia.TRANSIT_GATEWAY: "transit gateway to an egress VPC",
}


def _internet_hops(a: Answers, hop: Hop) -> tuple[Hop, ...]:
    """The internet path as hops: a NAT route names what the default route reaches."""
    if hop.kind is not HopKind.NAT_GATEWAY or a.ip_mode is IPMode.IPV6_ONLY:
        return (hop,)
    via = known(a.egress_via)
    if via is EgressVia.FIREWALL:
        return (Hop(HopKind.FIREWALL, "egress firewall (allow-list)", passes=firewall_allows(a)),
                hop)
    if via in _INTERNET_NAMES:
        return (Hop(HopKind.NAT_GATEWAY, _INTERNET_NAMES[via]),)
    return (hop,)


def _filtered(a: Answers, ways: frozenset[Way], hops: tuple[Hop, ...]) -> tuple[Hop, ...]:
    """The route from the task ENI with the filters it crosses: the task's security groups
    and the subnet's network ACL (drawn where they are answered other than AWS's default, or
    stop the traffic), and DNS where public names do not resolve."""
    out: list[Hop] = [TASK_ENI]
    if ways & INTERNET_WAYS and not public_names_resolve(a):
        out.append(Hop(HopKind.DNS, "DNS (the Amazon-provided server is off)", passes=False))
    if uses_own_dns(a):  # names are asked of your DNS servers first, through the filters
        ways = ways | {Way.DNS}
    egress = all(task_egress_allows(a, way) for way in ways)
    if not egress or a.task_egress != DEFAULT_TASK_EGRESS:
        out.append(Hop(HopKind.SECURITY_GROUP, "task security group (outbound)", passes=egress))
    acl = all(nacl_allows(a, way) for way in ways)
    if not acl or a.nacl != DEFAULT_NACL:
        out.append(Hop(HopKind.NETWORK_ACL, "subnet network ACL", passes=acl))
    return (*out, *hops)


def stopped_at(route: tuple[Hop, ...]) -> Hop | None:
    """The first hop that does not let the traffic through."""
    return next((hop for hop in route if hop.passes is False), None)


def reach_for(ctx: Context, endpoints: tuple[Endpoint, ...], endpoint_capable: bool,
              service: str, way: Way | None = None) -> Reach:
    """How one flow leaves the task ENI.

    An endpoint that takes the traffic takes it even when the subnet also has an internet
    path: private DNS resolves the service's name to the interface endpoint, and the S3 gateway
    endpoint's prefix-list route is more specific than the default route. The filters on the
    way (`detail`) then decide whether it gets through; one that blocks does not send the
    traffic another way.
    """
    a = ctx.answers
    capable = endpoint_capable and bool(endpoints)
    taken = [e for e in endpoints if takes_traffic(a, e)] if capable else []
    end = Hop(HopKind.SERVICE, service)
    via = tuple(_endpoint_hop(a, e) for e in taken)
    ways = frozenset(Way.INTERFACE if is_interface(e) else Way.GATEWAY for e in taken)
    if capable and len(taken) == len(endpoints):
        return _reach(a, ways, (*via, end), tuple(taken))
    if ctx.internet_hop is not None:
        # What no endpoint takes goes through the internet path: S3's share to S3's public
        # ranges, which a security group's S3 prefix-list rule matches (`detail._EGRESS`).
        rest = [e for e in endpoints if e not in taken]
        out = {Way.S3_INTERNET if e is Endpoint.S3 else Way.INTERNET for e in rest}
        return _reach(a, ways | (out or {Way.INTERNET}),
                      (*via, *_internet_hops(a, ctx.internet_hop), end), tuple(taken),
                      endpoint_remedy=capable)
    if not capable:
        return _blocked(service, "no internet path, and no VPC endpoint can serve this")
    missing = tuple(e for e in endpoints if not a.has_endpoint(e))
    unusable = tuple(e for e in endpoints if a.has_endpoint(e) and not takes_traffic(a, e))
    names = " + ".join(_short(e) for e in endpoints)
    return _blocked(service, f"needs VPC endpoint{'s' if len(endpoints) > 1 else ''} {names}",
                    missing=missing, unusable=unusable, endpoint_remedy=True)


def _reach(a: Answers, ways: frozenset[Way], hops: tuple[Hop, ...],
           carried_by: tuple[Endpoint, ...], endpoint_remedy: bool = True) -> Reach:
    route = _filtered(a, ways, hops)
    stop = stopped_at(route)
    if stop is None:
        return Reach(True, route, endpoint_remedy=endpoint_remedy, carried_by=carried_by)
    return Reach(False, route, filter_note(a, stop), endpoint_remedy=endpoint_remedy)


def filter_note(a: Answers, stop: Hop) -> str:
    """What the traffic table says where a filter stops a flow."""
    if stop.kind is HopKind.DNS:
        return ("the Amazon-provided DNS server does not answer with enableDnsSupport off, so "
                "no service name resolves")
    if stop.kind is HopKind.SECURITY_GROUP:
        return "the task's security groups do not allow this traffic out"
    if stop.kind is HopKind.NETWORK_ACL:
        return "the subnet's network ACL blocks this traffic or its replies"
    if stop.kind is HopKind.FIREWALL:
        return "the egress firewall's allow-list leaves out a name this traffic needs"
    if not endpoint_policy_allows(a):
        return f"the {stop.name} endpoint's policy denies what the task asks for (403)"
    return f"the {stop.name} endpoint's security group does not admit the task (HTTPS 443)"


def secret_sources(a: Answers) -> tuple[SecretSource, ...]:
    """Where the task's secrets come from; a private registry's credentials are a secret too."""
    sources = set(a.secrets)
    if Registry.PRIVATE_REGISTRY in registries(a):  # any container's registry credentials
        sources.add(SecretSource.SECRETSMANAGER)
    return tuple(s for s in SecretSource if s in sources)


def service_name(a: Answers, action: Action) -> str:
    """The name of the place a flow ends, for its route's last hop."""
    if action is Action.IMAGE_PULL:
        return REGISTRY_NAMES[known(a.registry)]
    if action is Action.LOG_DRIVER:
        return LOG_DESTINATIONS.get(known(a.log_driver), "")
    if action is Action.SECRETS:
        return " / ".join(SECRET_SERVICES[s] for s in secret_sources(a))
    return SERVICE_NAMES.get(action, "")


def describe(route: tuple[Hop, ...], note: str = "") -> str:
    """The traffic table's Path cell, read off the route (`note`: what the route cannot say)."""
    if not route:
        return note
    if route[0].kind is HopKind.LOAD_BALANCER or route[-1].name in _APPLICATION_ENDS:
        return _describe_application(route, note)
    service = route[-1].name
    if route[0].kind is HopKind.FARGATE_ENI:
        return f"Fargate-owned ENI → {service}, outside your VPC (not in your VPC flow logs)"
    failed = stopped_at(route)
    if failed is not None:
        if failed.kind is HopKind.NO_ROUTE:
            return f"Task ENI → no route: {note}"
        if failed.kind is HopKind.MOUNT_TARGET:
            return f"Task ENI → no mount: {note}"
        where = (f"VPC endpoint {failed.name}" if failed.kind in _ENDPOINT_HOPS
                 else failed.name if failed.kind is HopKind.DNS else f"the {failed.name}")
        return f"Task ENI → blocked at {where}: {note}"
    mount = next((hop for hop in route if hop.kind is HopKind.MOUNT_TARGET), None)
    if mount is not None:
        return f"Task ENI → {mount.name}, inside the VPC (NFS, TCP 2049)"
    endpoints = [hop.name for hop in route if hop.kind in _ENDPOINT_HOPS]
    internet = next((hop for hop in route if hop.kind in _INTERNET_HOPS), None)
    if not endpoints:
        way = internet.name if internet else "?"
        return f"Task ENI → the {way} → the service's public endpoint"
    text = f"Task ENI → VPC endpoint{'s' if len(endpoints) > 1 else ''} {' + '.join(endpoints)}"
    return text + (f"; the rest through the {internet.name}" if internet else " (private)")


# The application's own traffic ends on the internet, or stays in the VPC.
APP_INTERNET = "the internet"


APP_INSIDE_VPC = "resources inside the VPC"


_APPLICATION_ENDS = frozenset({APP_INTERNET, APP_INSIDE_VPC})


def _describe_application(route: tuple[Hop, ...], note: str) -> str:
    lb = route[0] if route[0].kind is HopKind.LOAD_BALANCER else None
    if lb is not None and stopped_at(route) is not None:
        return f"In: {note}"
    inbound = f"In: {lb.name} → task ENI (target type ip). " if lb else ""
    internet = next((hop for hop in route if hop.kind in _INTERNET_HOPS), None)
    if internet is None:
        return inbound + ("Out: inside the VPC only (no internet path; AWS APIs need their own "
                          "endpoints)")
    return inbound + f"Out: task ENI → the {internet.name}"


def _short(endpoint: Endpoint) -> str:
    """ecr.api for com.amazonaws.<region>.ecr.api."""
    return ENDPOINTS[endpoint].service_name.split(".", 3)[3]


def endpoint_usable(ctx: Context, endpoint: Endpoint) -> bool:
    """The endpoint takes its service's traffic from the task (`detail.takes_traffic`)."""
    return takes_traffic(ctx.answers, endpoint)


DEFAULT_TASK_EGRESS = Answers().task_egress
DEFAULT_NACL = Answers().nacl
