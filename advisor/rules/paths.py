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
    Endpoint,
    IPMode,
    IPv6Egress,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
    known,
)
from .knowledge import (
    ENDPOINTS,
    LOG_DESTINATIONS,
    PRIVATE_DNS_ENDPOINT_TYPES,
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


def internet_path(a: Answers) -> Hop | None:
    """The hop that takes the task's traffic to the internet, if any."""
    if a.ip_mode is IPMode.IPV6_ONLY:
        if a.ipv6_egress is IPv6Egress.IGW:
            return Hop(HopKind.INTERNET_GATEWAY, "internet gateway over IPv6")
        if a.ipv6_egress is IPv6Egress.EGRESS_ONLY_IGW:
            return Hop(HopKind.EGRESS_ONLY_IGW, "egress-only internet gateway over IPv6")
        if a.nat_gateway:
            return Hop(HopKind.NAT_GATEWAY, "NAT gateway (NAT64, with DNS64 on the subnet)")
        return None
    if a.subnet is Subnet.PUBLIC and a.public_ip:
        return Hop(HopKind.INTERNET_GATEWAY, "internet gateway (the task's public IP)")
    if a.subnet is Subnet.PRIVATE and a.nat_gateway:
        return Hop(HopKind.NAT_GATEWAY, "NAT gateway")
    return None


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


def _endpoint_hop(endpoint: Endpoint) -> Hop:
    kind = (HopKind.GATEWAY_ENDPOINT if ENDPOINTS[endpoint].type == "gateway"
            else HopKind.INTERFACE_ENDPOINT)
    return Hop(kind, _short(endpoint))


def _blocked(service: str, note: str, missing: tuple[Endpoint, ...] = (),
             unusable: tuple[Endpoint, ...] = (), endpoint_remedy: bool = False) -> Reach:
    """A flow with no way out: the route stops at "no route" and never reaches its service."""
    route = (TASK_ENI, Hop(HopKind.NO_ROUTE, "no route", passes=False),
             Hop(HopKind.SERVICE, service, passes=False))
    return Reach(False, route, note, missing, unusable, endpoint_remedy)


def reach_for(ctx: Context, endpoints: tuple[Endpoint, ...], endpoint_capable: bool,
           service: str) -> Reach:
    """How one flow leaves the task ENI.

    A usable endpoint takes its service's traffic even when the subnet also has an internet
    path: private DNS resolves the service's name to the interface endpoint, and the S3 gateway
    endpoint's prefix-list route is more specific than the default route.
    """
    a = ctx.answers
    capable = endpoint_capable and bool(endpoints)
    usable = ([e for e in endpoints if e in a.endpoints and endpoint_usable(ctx, e)]
              if capable else [])
    end = Hop(HopKind.SERVICE, service)
    via = tuple(_endpoint_hop(e) for e in usable)
    if capable and len(usable) == len(endpoints):
        return Reach(True, (TASK_ENI, *via, end), endpoint_remedy=True,
                     carried_by=tuple(usable))
    if ctx.internet_hop is not None:
        return Reach(True, (TASK_ENI, *via, ctx.internet_hop, end),
                     endpoint_remedy=capable, carried_by=tuple(usable))
    if not capable:
        return _blocked(service, "no internet path, and no VPC endpoint can serve this")
    missing = tuple(e for e in endpoints if e not in a.endpoints)
    unusable = tuple(e for e in endpoints if e in a.endpoints and not endpoint_usable(ctx, e))
    names = " + ".join(_short(e) for e in endpoints)
    return _blocked(service, f"needs VPC endpoint{'s' if len(endpoints) > 1 else ''} {names}",
                    missing=missing, unusable=unusable, endpoint_remedy=True)


def secret_sources(a: Answers) -> tuple[SecretSource, ...]:
    """Where the task's secrets come from; a private registry's credentials are a secret too."""
    sources = set(a.secrets)
    if a.registry is Registry.PRIVATE_REGISTRY:
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
    failed = next((hop for hop in route if hop.passes is False), None)
    if failed is not None:
        stop = "no mount" if failed.kind is HopKind.MOUNT_TARGET else "no route"
        return f"Task ENI → {stop}: {note}"
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
    if lb is not None and lb.passes is False:
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
    if ENDPOINTS[endpoint].type in PRIVATE_DNS_ENDPOINT_TYPES:
        return ctx.interface_endpoints_usable
    return True
