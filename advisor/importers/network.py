"""From subnets, route tables, endpoints and load balancers to answers.

CloudFormation templates and Terraform plans describe the same AWS resources; each becomes a
`Graph` of `Res` (resource kind, name, properties) that can follow a reference property to the
resources it names. Everything here works on that graph, so a fact such as "a subnet is public
when its route table sends 0.0.0.0/0 to an internet gateway" is written once.

Defaults are the AWS ones, which a template or plan leaves implicit: `EnableDnsSupport` true,
`EnableDnsHostnames` false, a VPC endpoint is a Gateway endpoint with private DNS off, a target
group's target type is `instance`, a load balancer is an Application Load Balancer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from advisor.rules.answers import (
    EgressVia,
    Endpoint,
    EndpointIPType,
    EndpointPolicy,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    S3Routes,
    Subnet,
    TargetType,
)
from advisor.rules.knowledge import ENDPOINTS

from .authority import AUTHORITY_BY_FIELD, omitted
from .model import Claim, Extraction, Level, Notice, Origin, replace
from .nodes import Node
from .service import ServiceRefs


class Kind(StrEnum):
    VPC = "vpc"
    VPC_CIDR = "vpc_cidr"
    SUBNET = "subnet"
    ROUTE_TABLE = "route_table"
    ROUTE = "route"
    ASSOCIATION = "association"
    IGW = "internet_gateway"
    NAT = "nat_gateway"
    EIGW = "egress_only_internet_gateway"
    VPN_GATEWAY = "vpn_gateway"
    ENDPOINT = "vpc_endpoint"
    TARGET_GROUP = "target_group"
    LISTENER = "listener"
    LISTENER_RULE = "listener_rule"
    LOAD_BALANCER = "load_balancer"
    CLASSIC_LB = "classic_load_balancer"
    SECRET = "secret"
    SSM_PARAMETER = "ssm_parameter"
    SERVICE = "ecs_service"
    TASK_DEFINITION = "ecs_task_definition"
    ACCOUNT_SETTING = "ecs_account_setting"
    LOG_GROUP = "log_group"
    SECURITY_GROUP = "security_group"
    SG_INGRESS = "security_group_ingress"
    SG_EGRESS = "security_group_egress"
    SG_RULE = "security_group_rule"  # Terraform's aws_security_group_rule: either direction
    NACL = "network_acl"
    NACL_ENTRY = "network_acl_entry"
    NACL_ASSOCIATION = "network_acl_association"
    DHCP_OPTIONS = "dhcp_options"
    DHCP_ASSOCIATION = "dhcp_options_association"
    ENDPOINT_ROUTE = "endpoint_route_table_association"
    FIREWALL = "network_firewall"
    EFS_MOUNT_TARGET = "efs_mount_target"


@dataclass(frozen=True, slots=True, eq=False)
class Res:
    kind: Kind
    label: str  # logical ID or Terraform address
    type: str  # the CloudFormation type or Terraform resource type
    props: Node
    main: bool = False  # a VPC's main route table (Terraform's aws_default_route_table)
    # CloudFormation leaves defaults out; a Terraform plan leaves out what is known only
    # after apply and writes defaults explicitly.
    absent_is_default: bool = True

    def origin(self, note: str = "") -> Origin:
        return self.props.origin(note)

    def setting(self, *names: str) -> tuple[Node | None, bool]:
        """The property (None if absent or null) and whether its value is known."""
        node = self.props.get(*names)
        known = node is not None or self.absent_is_default or self.props.has(*names)
        return node, known and not (node is not None and node.unresolved)


class Graph(Protocol):
    def of_kind(self, kind: Kind) -> list[Res]: ...

    def follow(self, node: Node | None, owner: Res | None = None) -> list[Res] | None:
        """The resources a reference points to; [] when it names something outside the
        documents (a literal ID), None when the value is not known at all."""
        ...

    def routes(self, table: Res) -> list[Route]: ...

    def main_route_table(self, vpc: Res | None) -> Res | None: ...


class Target(StrEnum):
    IGW = "internet gateway"
    NAT = "NAT gateway"
    EIGW = "egress-only internet gateway"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Route:
    destination: str
    target: Target
    target_label: str
    origin: Origin


IPV4_DEFAULT, IPV6_DEFAULT = "0.0.0.0/0", "::/0"

# Route properties, the attribute that names the target, and what it names. `GatewayId` may
# name an internet gateway or a virtual private gateway; the resource (or ID prefix) decides.
_TARGET_KEYS: tuple[tuple[tuple[str, ...], Target | None], ...] = (
    (("NatGatewayId",), Target.NAT),
    (("EgressOnlyInternetGatewayId", "egress_only_gateway_id"), Target.EIGW),
    (("GatewayId",), None),
    (("TransitGatewayId", "InstanceId", "VpcPeeringConnectionId", "NetworkInterfaceId",
      "CarrierGatewayId", "VpcEndpointId", "CoreNetworkArn", "LocalGatewayId"), Target.OTHER),
)
_ID_PREFIXES = {"igw-": Target.IGW, "nat-": Target.NAT, "eigw-": Target.EIGW}
_KIND_TARGETS = {Kind.IGW: Target.IGW, Kind.NAT: Target.NAT, Kind.EIGW: Target.EIGW,
                 Kind.VPN_GATEWAY: Target.OTHER}


def route_target(graph: Graph, props: Node, owner: Res | None) -> tuple[Target, str, Node]:
    """What a route sends its traffic to, its name, and the property that says so."""
    for keys, fixed in _TARGET_KEYS:
        node = props.get(*keys)
        if node is None or (node.text() == "" and not node.unresolved):
            continue
        label = node.text() or keys[0]
        found = graph.follow(node, owner)
        if fixed is not None:
            return fixed, found[0].label if found else label, node
        if found:
            return _KIND_TARGETS.get(found[0].kind, Target.OTHER), found[0].label, node
        text = node.text() or ""
        for prefix, target in _ID_PREFIXES.items():
            if text.startswith(prefix):
                return target, text, node
        if text == "local" or text.startswith("vgw-"):
            return Target.OTHER, text, node
        return Target.UNKNOWN, label, node
    return Target.UNKNOWN, "no target", props


@dataclass
class SubnetFacts:
    subnet: Res
    via: Origin  # where the service names it
    table: Res | None
    v4: Route | None
    v6: Route | None
    table_note: str = ""
    facts: dict[str, tuple[Any, tuple[Origin, ...], str, bool]] = field(default_factory=dict)


def claims(graph: Graph, services: list[ServiceRefs]) -> Extraction:
    from .security_groups import task_egress  # it reads this module's graph

    graph = _Indexed(graph)
    out = Extraction()
    placed: list[SubnetFacts] = []
    per_service: list[tuple[ServiceRefs, list[SubnetFacts]]] = []
    for refs in services:
        subnet_facts, extraction = _service_subnets(graph, refs)
        placed += subnet_facts
        per_service.append((refs, subnet_facts))
        out += extraction
        out += _load_balancing(graph, refs)
        out += task_egress(graph, refs)
    if not services:
        out += _unplaced_subnets(graph)
    vpcs = _vpcs(graph, placed)
    interfaces: list[Res] = []
    if len(vpcs) == 1:
        out += _vpc(graph, vpcs[0], placed, interfaces)
    elif not vpcs:
        out += _endpoints(graph, None, placed, interfaces)
    elif len(vpcs) > 1:
        out += Extraction(notices=(Notice(
            Level.INFO,
            f"The documents create {len(vpcs)} VPCs ({', '.join(v.label for v in vpcs)}) and "
            "no service says which one the task uses, so VPC DNS and endpoints are left open.",
            vpcs[0].origin(),
        ),))
    for refs, subnet_facts in per_service:
        out += _filters(graph, refs, subnet_facts, vpcs[0] if len(vpcs) == 1 else None,
                        interfaces)
    out += _account_settings(graph)
    return out + unattached_load_balancing(graph, services)


# --- Subnets ---------------------------------------------------------------------------------


def _service_subnets(graph: Graph, refs: ServiceRefs) -> tuple[list[SubnetFacts], Extraction]:
    facts: list[SubnetFacts] = []
    missing: list[str] = []
    unknown: list[str] = []
    for node in refs.subnets:
        found = graph.follow(node)
        subnets = [res for res in found or () if res.kind is Kind.SUBNET]
        if subnets:
            facts += [_classify(graph, subnet, node.origin()) for subnet in subnets]
        elif found is None:
            unknown.append(str(node.value))
        else:
            missing.append(node.text() or str(node.value))
    notices: list[Notice] = []
    where = (refs.subnets_node or refs.service).origin()
    if missing:
        notices.append(Notice(
            Level.INFO,
            f"The service's subnets {', '.join(missing)} are not created in the documents, so "
            "their route tables (public or private, NAT gateway) are not known from them.",
            where,
        ))
    if unknown:
        notices.append(Notice(
            Level.INFO, f"The service's subnets are not fixed in the documents "
            f"({'; '.join(unknown)}), so the subnet type is not known from them.", where,
        ))
    extraction = Extraction(tuple(_subnet_claims(facts)), tuple(notices))
    return facts, extraction


def _classify(graph: Graph, subnet: Res, via: Origin) -> SubnetFacts:
    table, table_note = _route_table(graph, subnet)
    routes = graph.routes(table) if table is not None else []
    v4 = next((r for r in routes if r.destination == IPV4_DEFAULT), None)
    v6 = next((r for r in routes if r.destination == IPV6_DEFAULT), None)
    return SubnetFacts(subnet, via, table, v4, v6, table_note)


def _associations(graph: Graph) -> dict[int, tuple[Res | None, str]]:
    """Each associated subnet's route table (by the subnet's id()), read once per graph."""
    found: dict[int, tuple[Res | None, str]] = {}
    for association in graph.of_kind(Kind.ASSOCIATION):
        tables = [t for t in graph.follow(association.props.get("RouteTableId"), association)
                  or [] if t.kind is Kind.ROUTE_TABLE]
        entry = (tables[0], "") if tables else (
            None, f"its route table association {association.label} names a route table "
            "outside the documents")
        for subnet in graph.follow(association.props.get("SubnetId"), association) or []:
            found.setdefault(id(subnet), entry)
    return found


class _Indexed:
    """A graph with each subnet's route table and each table's routes read once, so a large
    template costs one pass over its associations and routes, not one per subnet."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.tables: dict[int, tuple[Res | None, str]] | None = None
        self._routes: dict[int, list[Route]] = {}

    def of_kind(self, kind: Kind) -> list[Res]:
        return self.graph.of_kind(kind)

    def follow(self, node: Node | None, owner: Res | None = None) -> list[Res] | None:
        return self.graph.follow(node, owner)

    def routes(self, table: Res) -> list[Route]:
        if id(table) not in self._routes:
            self._routes[id(table)] = self.graph.routes(table)
        return self._routes[id(table)]

    def main_route_table(self, vpc: Res | None) -> Res | None:
        return self.graph.main_route_table(vpc)


def _route_table(graph: Graph, subnet: Res) -> tuple[Res | None, str]:
    if isinstance(graph, _Indexed):
        if graph.tables is None:
            graph.tables = _associations(graph.graph)
        found = graph.tables.get(id(subnet))
    else:
        found = _associations(graph).get(id(subnet))
    if found is not None:
        return found
    vpc = _vpc_of(graph, subnet)
    main = graph.main_route_table(vpc)
    if main is not None:
        return main, "no route table association, so the VPC's main route table applies"
    return None, "no route table association, so the VPC's main route table applies, and " \
        "the documents do not set its routes"


def _subnet_claims(facts: list[SubnetFacts]) -> list[Claim]:
    out: list[Claim] = []
    for fact in facts:
        name = fact.subnet.label
        if fact.table is None and not fact.table_note.startswith("its route table"):
            # The main route table of a VPC the template creates has only the local route
            # unless something outside the template adds one.
            origin = fact.subnet.origin(fact.table_note)
            note = f"subnet {name}: {fact.table_note}; a new VPC's main route table has only " \
                "the local route, so the subnet is taken as private without NAT"
            out.append(Claim("subnet", Subnet.PRIVATE, (fact.via, origin), note, inferred=True))
            out.append(Claim("nat_gateway", False, (fact.via, origin), note, inferred=True))
        elif fact.table is not None:
            out += _routing_claims(fact)
        out += _ipv6_claims(fact)
    return out


def _routing_claims(fact: SubnetFacts) -> list[Claim]:
    name, table = fact.subnet.label, fact.table
    assert table is not None
    via = (fact.via,)
    if fact.v4 is None:
        origin = table.origin(f"route table {table.label} has no 0.0.0.0/0 route")
        note = f"subnet {name}: its route table {table.label} has no IPv4 default route"
        if fact.table_note:
            note += f" ({fact.table_note})"
        return [Claim("subnet", Subnet.PRIVATE, (*via, origin), note),
                Claim("nat_gateway", False, (*via, origin), note)]
    route = fact.v4
    note = f"subnet {name} → route table {table.label} → 0.0.0.0/0 → {route.target.value} " \
        f"{route.target_label}"
    origins = (*via, route.origin)
    if route.target is Target.IGW:
        return [Claim("subnet", Subnet.PUBLIC, origins, note),
                Claim("nat_gateway", False, origins, note + " (a public subnet's default "
                      "route goes to the internet gateway, not a NAT gateway)")]
    if route.target is Target.NAT:
        return [Claim("subnet", Subnet.PRIVATE, origins, note),
                Claim("nat_gateway", True, origins, note),
                Claim("egress_via", EgressVia.NAT_GATEWAY, origins, note)]
    if route.target is Target.OTHER:
        through = _VIA.get(route.origin.path.rsplit(".", 1)[-1].replace("_", "").lower())
        extra = [Claim("egress_via", through, origins, note)] if through else []
        return [Claim("subnet", Subnet.PRIVATE, origins, note + "; the advisor treats this "
                      "as private, and only NAT gateways as a NAT path"), *extra]
    return [Claim("subnet", Subnet.PRIVATE, origins, note + "; the target is not known, so "
                  "only 'not public' is certain", inferred=True)]


# The route's target property, by what it sends the traffic through. A Network Firewall
# endpoint is a VpcEndpointId; so is a Gateway Load Balancer endpoint of an appliance.
_VIA = {"instanceid": EgressVia.NAT_INSTANCE, "networkinterfaceid": EgressVia.NAT_INSTANCE,
        "transitgatewayid": EgressVia.TRANSIT_GATEWAY, "vpcendpointid": EgressVia.FIREWALL}


def _ipv6_claims(fact: SubnetFacts) -> list[Claim]:
    subnet, name = fact.subnet, fact.subnet.label
    out: list[Claim] = []
    native, _ = subnet.setting("Ipv6Native")
    cidr, cidr_known = subnet.setting("Ipv6CidrBlock")
    if native is not None and native.flag():
        out.append(Claim("ip_mode", IPMode.IPV6_ONLY, (native.origin(),), f"subnet {name} is "
                         "IPv6-only"))
    elif cidr is not None and cidr.text() != "":
        out.append(Claim("ip_mode", IPMode.DUALSTACK, (cidr.origin(),), f"subnet {name} has "
                         "an IPv6 CIDR block"))
    elif cidr_known:
        out.append(omitted("ip_mode", subnet.origin(), f"subnet {name} has no IPv6 CIDR "
                           "block"))
    dns64, dns64_known = subnet.setting("EnableDns64")
    if dns64 is not None and (flag := dns64.flag()) is not None:
        out.append(Claim("dns64", flag, (dns64.origin(),), f"subnet {name}"))
    elif dns64 is None and dns64_known:
        out.append(omitted("dns64", subnet.origin(), f"subnet {name}: EnableDns64 is not set "
                           "(false)"))
    assign, assign_known = subnet.setting("AssignIpv6AddressOnCreation")
    if assign is not None and (flag := assign.flag()) is not None:
        out.append(Claim("ipv6_autoassign", flag, (assign.origin(),)))
    elif assign_known:
        out.append(omitted("ipv6_autoassign", subnet.origin(),
                           f"subnet {name}: AssignIpv6AddressOnCreation is not set (false)"))
    if fact.table is not None:
        if fact.v6 is None:
            out.append(omitted("ipv6_egress", fact.table.origin("no ::/0 route"),
                               f"route table {fact.table.label} has no IPv6 default route"))
        elif fact.v6.target in (Target.IGW, Target.EIGW):
            value = IPv6Egress.IGW if fact.v6.target is Target.IGW else IPv6Egress.EGRESS_ONLY_IGW
            out.append(Claim("ipv6_egress", value, (fact.v6.origin,)))
    return out


def _unplaced_subnets(graph: Graph) -> Extraction:
    """A network stack without a service: describe its subnets; answer only if they agree."""
    subnets = graph.of_kind(Kind.SUBNET)
    if not subnets:
        return Extraction()
    facts = [_classify(graph, subnet, subnet.origin()) for subnet in subnets]
    kinds: dict[str, list[str]] = {}
    for fact in facts:
        kinds.setdefault(_describe(fact), []).append(fact.subnet.label)
    summary = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in kinds.items())
    if len(kinds) > 1:
        return Extraction(notices=(Notice(
            Level.INFO,
            f"No ECS service in the documents says which subnets the task uses. The subnets "
            f"are {summary}. Add the service (template, plan or JSON) or answer the question.",
            subnets[0].origin(),
        ),))
    claims = [
        Claim(c.field, c.value, c.origins, c.note + "; every subnet in the documents is of "
              "this kind and no service says which one the task uses", inferred=True)
        for fact in facts if fact.table is not None for c in _routing_claims(fact)
    ]
    return Extraction(tuple(claims))


def _describe(fact: SubnetFacts) -> str:
    if fact.table is None:
        return "without a route table in the documents"
    if fact.v4 is None:
        return "private without a default route"
    if fact.v4.target is Target.IGW:
        return "public (0.0.0.0/0 to an internet gateway)"
    if fact.v4.target is Target.NAT:
        return "private with a NAT gateway"
    return f"private with 0.0.0.0/0 to {fact.v4.target_label}"


# --- VPC: DNS and endpoints ----------------------------------------------------------------


def _vpc_of(graph: Graph, res: Res) -> Res | None:
    found = graph.follow(res.props.get("VpcId"), res) or []
    return next((v for v in found if v.kind is Kind.VPC), None)


def _vpcs(graph: Graph, placed: list[SubnetFacts]) -> list[Res]:
    if placed:
        vpcs: list[Res] = []
        for fact in placed:
            vpc = _vpc_of(graph, fact.subnet)
            if vpc is not None and vpc not in vpcs:
                vpcs.append(vpc)
        return vpcs
    return graph.of_kind(Kind.VPC)


def _flag(node: Node | None, default: bool) -> bool | None:
    if node is None:
        return default
    return node.flag()


def _vpc(graph: Graph, vpc: Res, placed: list[SubnetFacts], interfaces: list[Res]
         ) -> Extraction:
    from . import network_detail  # it reads this module's graph
    out: list[Claim] = []
    support_node, support_known = vpc.setting("EnableDnsSupport")
    names_node, names_known = vpc.setting("EnableDnsHostnames")
    support, names = _flag(support_node, True), _flag(names_node, False)
    if support is not None and names is not None and support_known and names_known:
        origins = tuple(
            node.origin() if node else vpc.origin(f"{key} is not set ({default})")
            for node, key, default in (
                (support_node, "EnableDnsSupport", "true"),
                (names_node, "EnableDnsHostnames", "false"),
            )
        )
        note = f"VPC {vpc.label}: DNS support {'on' if support else 'off'}, DNS hostnames " \
            f"{'on' if names else 'off'}"
        if names_node is None:
            note += " (EnableDnsHostnames defaults to false)"
        out.append(Claim("vpc_dns", support and names, origins, note))
    for field_name, node, known, flag in (("dns_support", support_node, support_known, support),
                                          ("dns_hostnames", names_node, names_known, names)):
        if not known or flag is None:
            continue
        if node is None:
            out.append(omitted(field_name, vpc.origin(), f"VPC {vpc.label}: "
                               + AUTHORITY_BY_FIELD[field_name].reason))
        else:
            out.append(Claim(field_name, flag, (node.origin(),), f"VPC {vpc.label}"))
    endpoints = _endpoints(graph, vpc, placed, interfaces)
    return Extraction(tuple(out)) + endpoints + network_detail.dns_resolver(graph, vpc) + \
        network_detail.endpoints_in(vpc, interfaces)


def _endpoints(graph: Graph, vpc: Res | None, placed: list[SubnetFacts],
               interfaces: list[Res]) -> Extraction:
    """The tracked endpoints in `vpc`; with no VPC in the documents, those they create in a
    VPC they take as a parameter, which are present but perhaps not the only ones. The
    interface endpoints counted are added to `interfaces`."""
    out: list[Claim] = []
    tables = {id(f.table) for f in placed if f.table is not None}
    present: dict[Endpoint, list[Origin]] = {}
    private_dns: list[tuple[bool, Origin]] = []
    ip_types: list[tuple[EndpointIPType | None, Origin]] = []
    s3_routes: list[Origin] = []
    policies: list[tuple[EndpointPolicy | None, Origin]] = []
    notices: list[Notice] = []
    for res in graph.of_kind(Kind.ENDPOINT):
        owner = _vpc_of(graph, res)
        if vpc is not None and owner is not None and owner is not vpc:
            continue
        name_node = res.props.get("ServiceName")
        name = name_node.text() if name_node else None
        endpoint = endpoint_for(name or "")
        if endpoint is None:
            continue
        type_node, type_known = res.setting("VpcEndpointType")
        if not type_known:
            continue
        kind = (type_node.text() if type_node else None) or "Gateway"
        if endpoint is Endpoint.S3:
            if kind.lower() != "gateway":
                notices.append(Notice(
                    Level.INFO, f"{res.label} is an S3 interface endpoint; Fargate fetches image "
                    "layers through the S3 gateway endpoint, so it is not counted.",
                    res.origin(),
                ))
                continue
            routed = graph.follow(res.props.get("RouteTableIds"), res)
            for association in graph.of_kind(Kind.ENDPOINT_ROUTE):
                if res in (graph.follow(association.props.get("vpc_endpoint_id"),
                                        association) or ()):
                    routed = (routed or []) + (graph.follow(association.props.get(
                        "route_table_id"), association) or [])
            if tables and routed is not None and tables & {id(t) for t in routed}:
                s3_routes.append(res.origin(f"the S3 gateway endpoint {res.label} is on the "
                                            "task subnets' route tables"))
            if tables and routed is not None and not tables & {id(t) for t in routed}:
                notices.append(Notice(
                    Level.INFO, f"The S3 gateway endpoint {res.label} is not on the task "
                    "subnets' route tables, so it does not serve them and is not counted.",
                    res.origin(),
                ))
                continue
        elif kind.lower() != "interface":
            continue
        else:
            dns, dns_known = res.setting("PrivateDnsEnabled")
            flag = _flag(dns, False) if dns_known else None
            if flag is not None:
                private_dns.append((flag, dns.origin() if dns else res.origin(
                    "PrivateDnsEnabled is not set (false)")))
            ip_type, ip_known = res.setting("IpAddressType")
            if ip_type is not None and (text := (ip_type.text() or "").lower()) in _IP_TYPES:
                ip_types.append((_IP_TYPES[text], ip_type.origin(text)))
            elif ip_known:
                ip_types.append((None, res.origin("IpAddressType is not set")))
            interfaces.append(res)
        policies.append(_endpoint_policy(res))
        present.setdefault(endpoint, []).append(name_node.origin(name or "") if name_node
                                                 else res.origin())
    origins = tuple(o for group in present.values() for o in group)
    if vpc is not None:
        if present:
            out.append(Claim("endpoints", frozenset(present), origins))
        else:
            out.append(omitted("endpoints", vpc.origin(), "no VPC endpoint the advisor tracks "
                               f"is created in VPC {vpc.label}"))
    elif present:
        out.append(Claim("endpoints", None, origins, "the documents create these endpoints in "
                         "a VPC they do not create, which may have others", inferred=True,
                         includes=frozenset(present)))
    if private_dns:
        value = all(flag for flag, _ in private_dns)
        out.append(Claim("endpoint_private_dns", value, tuple(o for _, o in private_dns),
                         "" if value else "PrivateDnsEnabled defaults to false on interface "
                         "endpoints; Fargate calls the services' usual names"))
    if s3_routes:
        out.append(Claim("s3_endpoint_routes", S3Routes.TASK_SUBNETS, tuple(s3_routes)))
    if ip_types and all(t is not None for t, _ in ip_types) and \
            len({t for t, _ in ip_types}) == 1:
        out.append(Claim("endpoint_ip_type", ip_types[0][0], tuple(o for _, o in ip_types)))
    elif ip_types:
        notices.append(Notice(Level.INFO, "The interface endpoints' IP address type is not "
                              "stated for each of them, or differs between them: "
                              + "; ".join(f"{o.path}: {t or 'not set'}" for t, o in ip_types),
                              ip_types[0][1]))
    if policies and all(p is EndpointPolicy.FULL_ACCESS for p, _ in policies):
        out.append(Claim("endpoint_policy", EndpointPolicy.FULL_ACCESS,
                         tuple(o for _, o in policies)))
    elif policies:
        restricted = [o for p, o in policies if p is None]
        notices.append(Notice(Level.INFO, "An endpoint has a PolicyDocument that is not full "
                              "access; whether it allows what the task needs (its repositories, "
                              "the ECR layer bucket, its secrets and log groups) is not read "
                              "from it, so the endpoint policy is left unknown.", restricted[0]))
    return Extraction(tuple(out), tuple(notices))


_IP_TYPES = {"ipv4": EndpointIPType.IPV4, "dualstack": EndpointIPType.DUALSTACK,
             "ipv6": EndpointIPType.IPV6}


def _endpoint_policy(res: Res) -> tuple[EndpointPolicy | None, Origin]:
    """No PolicyDocument is the default policy, full access; a document is full access only
    when it allows every action on every resource to every principal, and denies nothing."""
    node, known = res.setting("PolicyDocument", "policy")
    if node is None:
        return (EndpointPolicy.FULL_ACCESS if known else None), res.origin(
            "no PolicyDocument: the default policy allows full access")
    document = node.value
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except (json.JSONDecodeError, RecursionError):
            return None, node.origin()
    statements = document.get("Statement") if isinstance(document, dict) else None
    statements = [statements] if isinstance(statements, dict) else statements
    if isinstance(statements, list) and statements and all(
            isinstance(st, dict) and st.get("Effect") == "Allow"
            and _star(st.get("Action")) and _star(st.get("Resource"))
            and (_star(st.get("Principal")) or st.get("Principal") == {"AWS": "*"})
            and not st.get("Condition") for st in statements):
        return EndpointPolicy.FULL_ACCESS, node.origin("allows every action to everyone")
    return None, node.origin()


def _star(value: Any) -> bool:
    return bool(value == "*" or value == ["*"])


_SUFFIXES = {fact.service_name.split("<region>", 1)[1]: e for e, fact in ENDPOINTS.items()}


def endpoint_for(service_name: str) -> Endpoint | None:
    """`com.amazonaws.${AWS::Region}.ecr.api` → ecr_api; the Region part may be anything."""
    if not service_name.startswith(("com.amazonaws.", "cn.com.amazonaws.")):
        return None
    region_and_service = service_name.split("com.amazonaws.", 1)[1]
    for suffix, endpoint in _SUFFIXES.items():
        if region_and_service.endswith(suffix) and region_and_service.count(".") == \
                suffix.count("."):
            return endpoint
    return None


# --- The filters on the way: security groups, network ACLs, Availability Zones -------------


def _filters(graph: Graph, refs: ServiceRefs, facts: list[SubnetFacts], vpc: Res | None,
             interfaces: list[Res]) -> Extraction:
    """What the groups and ACLs on the task's paths admit, and the zones the load balancer and
    the EFS mount targets cover, for one service's tasks."""
    from . import network_detail, security_groups

    out = Extraction()
    if not facts:
        return out
    networks = security_groups.networks_of(
        [_text(f.subnet, "CidrBlock", "cidr_block") for f in facts])
    if networks is None and vpc is not None:
        networks = security_groups.networks_of([_text(vpc, "CidrBlock", "cidr_block")])
    out += security_groups.endpoint_sg(graph, refs, interfaces, networks)
    out += network_detail.nacl(graph, facts, network_detail.efs_in_use(graph))
    targets, why = network_detail.mount_targets_of_one_system(graph)
    if why:
        out += Extraction(notices=(Notice(Level.INFO, f"EFS: {why}, so efs_sg and "
                                          "efs_mount_targets are left unknown.",
                                          graph.of_kind(Kind.EFS_MOUNT_TARGET)[0].origin()),))
    out += security_groups.efs_sg(graph, refs, targets, networks)
    out += network_detail.efs_mount_targets(graph, facts, targets)
    items = list(refs.load_balancers.items()) if refs.load_balancers else []
    for node in refs.target_groups:
        ports: list[int] = []
        for item in items:
            group_node, port = item.get("targetGroupArn"), item.get("containerPort")
            if group_node is not None and group_node.path == node.path and port is not None \
                    and (port.text() or "").isdigit():
                ports.append(int(port.text() or ""))
        for group in [r for r in graph.follow(node) or () if r.kind is Kind.TARGET_GROUP]:
            for balancer in _balancers_of(graph, group):
                type_node, _ = balancer.setting("Type", "load_balancer_type")
                kind = (type_node.text() if type_node else None) or "application"
                lb_subnets = [r for r in graph.follow(balancer.props.get("Subnets", "subnets"),
                                                      balancer) or () if r.kind is Kind.SUBNET]
                lb_networks = security_groups.networks_of(
                    [_text(r, "CidrBlock", "cidr_block") for r in lb_subnets]) or networks
                out += security_groups.lb_ingress(graph, refs, balancer, ports, lb_networks,
                                                  kind.lower() == "network")
                out += network_detail.lb_azs(graph, facts, balancer)
    return out


def _text(res: Res, *names: str) -> str | None:
    node = res.props.get(*names)
    return node.text() if node is not None else None


# --- Load balancing ------------------------------------------------------------------------

_LB_TYPES = {"application": LoadBalancer.ALB, "network": LoadBalancer.NLB,
             "gateway": LoadBalancer.GWLB}
_PROTOCOL_LB = {"HTTP": LoadBalancer.ALB, "HTTPS": LoadBalancer.ALB, "TCP": LoadBalancer.NLB,
                "UDP": LoadBalancer.NLB, "TLS": LoadBalancer.NLB, "TCP_UDP": LoadBalancer.NLB,
                "GENEVE": LoadBalancer.GWLB}
_LB_NAMES = {LoadBalancer.ALB: "Application Load Balancer", LoadBalancer.NLB:
             "Network Load Balancer", LoadBalancer.GWLB: "Gateway Load Balancer"}


def _load_balancing(graph: Graph, refs: ServiceRefs) -> Extraction:
    out: list[Claim] = []
    notices: list[Notice] = []
    for node in refs.target_groups:
        groups = [r for r in graph.follow(node) or () if r.kind is Kind.TARGET_GROUP]
        if not groups:
            notices.append(Notice(
                Level.INFO, f"The target group {node.text() or node.value} is not created in "
                "the documents, so the load balancer type and target type are not known from "
                "them.", node.origin(),
            ))
            continue
        for group in groups:
            out += _target_group(graph, group, node.origin())
    for node in refs.classic:
        for res in graph.follow(node) or ():
            if res.kind is Kind.CLASSIC_LB:
                out.append(Claim("load_balancer", LoadBalancer.CLB, (node.origin(),
                                 res.origin()), f"{res.label} is a Classic Load Balancer"))
    return Extraction(tuple(out), tuple(notices))


def _target_group(graph: Graph, group: Res, via: Origin) -> list[Claim]:
    out: list[Claim] = []
    node, known = group.setting("TargetType")
    if node is None and known:
        claim = omitted("target_type", group.origin(), f"target group {group.label}: "
                        "TargetType is not set, and the default is instance")
        out.append(replace(claim, origins=(via, *claim.origins)))
    elif node is not None and (text := node.text()) in ("ip", "instance"):
        out.append(Claim("target_type", TargetType(text), (via, node.origin(text))))
    balancers = _balancers_of(graph, group)
    for balancer in balancers:
        if balancer.kind is Kind.CLASSIC_LB:
            continue
        type_node, type_known = balancer.setting("Type", "load_balancer_type")
        if not type_known:
            continue
        text = (type_node.text() if type_node else None) or "application"
        value = _LB_TYPES.get(text.lower())
        if value is not None:
            note = f"target group {group.label} → load balancer {balancer.label}"
            if type_node is None:
                note += " (Type is not set: application)"
            out.append(Claim("load_balancer", value, (via, type_node.origin(text) if type_node
                                                      else balancer.origin()), note))
    if not balancers:
        protocol = group.props.get("Protocol")
        text = (protocol.text() or "").upper() if protocol else ""
        if protocol and text in _PROTOCOL_LB:
            value = _PROTOCOL_LB[text]
            out.append(Claim("load_balancer", value, (via, protocol.origin(text)),
                             f"target group {group.label} uses {text}, a protocol only "
                             f"{_LB_NAMES[value]} target groups use; its listener is not in "
                             "the documents"))
    return out


def unattached_load_balancing(graph: Graph, services: list[ServiceRefs]) -> Extraction:
    """A reviewer's warnings: a target group no service in the same document registers with
    (its load balancer sends traffic to no task), and a service's target group that no listener in
    the documents forwards to (ECS refuses a target group without a load balancer). Only
    when the documents have a service to check against, and listeners for the second."""
    if not services:
        return Extraction()
    attached: list[Res] = []
    for refs in services:
        for node in refs.target_groups:
            attached += [r for r in graph.follow(node) or () if r.kind is Kind.TARGET_GROUP]
    notices: list[Notice] = []
    listened = graph.of_kind(Kind.LISTENER) or graph.of_kind(Kind.LISTENER_RULE)
    # A network stack's listener needs a default target group that services elsewhere
    # never join; only a group beside a service is expected to be the service's.
    beside = {refs.service.document for refs in services}
    for group in graph.of_kind(Kind.TARGET_GROUP):
        balancers = _balancers_of(graph, group)
        behind = f" behind load balancer {balancers[0].label}" if balancers else ""
        if group not in attached and group.props.document in beside:
            notices.append(Notice(
                Level.WARNING, f"Target group {group.label}{behind} is defined, but no service "
                "in the documents registers with it (loadBalancers), so it sends traffic to no "
                "task. Add it to the service's loadBalancers, or remove it.", group.origin(),
            ))
        elif listened and not balancers and not _forwarded(graph, group):
            notices.append(Notice(
                Level.WARNING, f"The service registers with target group {group.label}, but no "
                "listener in the documents forwards to it; ECS refuses a target group that is "
                "not associated with a load balancer. Add a listener (or rule) that forwards "
                "to it.", group.origin(),
            ))
    return Extraction(notices=tuple(notices))


def _forwarded(graph: Graph, group: Res) -> bool:
    """Whether a listener or listener rule in the documents forwards to the group."""
    return any(group in _action_groups(graph, res, res.props.get(*keys))
               for kind, keys in ((Kind.LISTENER, ("DefaultActions", "default_action")),
                                  (Kind.LISTENER_RULE, ("Actions", "action")))
               for res in graph.of_kind(kind))


def _balancers_of(graph: Graph, group: Res) -> list[Res]:
    found: list[Res] = []
    listeners: list[Res] = []
    for listener in graph.of_kind(Kind.LISTENER):
        if group in _action_groups(graph, listener, listener.props.get("DefaultActions",
                                                                       "default_action")):
            listeners.append(listener)
    for rule in graph.of_kind(Kind.LISTENER_RULE):
        if group in _action_groups(graph, rule, rule.props.get("Actions", "action")):
            listeners += [r for r in graph.follow(rule.props.get("ListenerArn"), rule) or ()
                          if r.kind is Kind.LISTENER]
    for listener in listeners:
        for balancer in graph.follow(listener.props.get("LoadBalancerArn"), listener) or ():
            if balancer.kind is Kind.LOAD_BALANCER and balancer not in found:
                found.append(balancer)
    return found


def _action_groups(graph: Graph, owner: Res, actions: Node | None) -> list[Res]:
    groups: list[Res] = []
    for action in _as_list(actions):
        groups += graph.follow(action.get("TargetGroupArn"), owner) or []
        forward = action.block("ForwardConfig", "forward")
        for item in _as_list(forward.get("TargetGroups", "target_group") if forward else None):
            groups += graph.follow(item.get("TargetGroupArn", "arn"), owner) or []
    return groups


def _as_list(node: Node | None) -> Iterable[Node]:
    if node is None:
        return ()
    if isinstance(node.value, list):
        return list(node.items())
    return (node,)


# --- Log groups -------------------------------------------------------------------------------


def log_group_lookup(graph: Graph) -> Callable[[Node], str | None]:
    """Finds the log group an awslogs-group value names among those the documents create:
    by reference, or by the same name."""

    def created(node: Node) -> str | None:
        groups = graph.of_kind(Kind.LOG_GROUP)
        if not groups:
            return None
        found = [r for r in graph.follow(node) or () if r.kind is Kind.LOG_GROUP]
        if found:
            return f"the log group {found[0].label}, created by the same documents"
        text = node.text()
        for group in groups:
            named = group.props.get("LogGroupName", "name")
            if text and named is not None and named.text() == text:
                return f"the log group {group.label} ({text}), created by the same documents"
        return None

    return created


# --- Account settings (Terraform's aws_ecs_account_setting_default) ------------------------


def _account_settings(graph: Graph) -> Extraction:
    out: list[Claim] = []
    for res in graph.of_kind(Kind.ACCOUNT_SETTING):
        name, value = res.props.get("name"), res.props.get("value")
        if name and value and name.text() == "dualStackIPv6" and value.text():
            out.append(Claim("dualstack_account_setting", value.text() == "enabled",
                             (value.origin(value.text() or ""),),
                             "the account default for dualStackIPv6"))
    return Extraction(tuple(out))
