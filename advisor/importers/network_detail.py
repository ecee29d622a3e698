"""The task subnets' network ACLs (`nacl`), the VPC's DNS servers (`dns_resolver`), where the
interface endpoints are (`endpoints_in`) and the Availability Zones of the load balancer
(`lb_azs`) and the EFS mount targets (`efs_mount_targets`), read from the graph of
`network.py`.

A subnet associated with no network ACL uses its VPC's default ACL, which allows all traffic
both ways in a VPC the documents create (source: vpc_nacls); one associated with an ACL gets
that ACL's entries, evaluated in rule-number order and ending in the deny-all `*` rule, for
what the task needs: HTTPS (TCP 443) out, the return ports (TCP 1024-65535) in, and NFS (TCP
2049) out where the documents use EFS. A VPC associated with no DHCP options set uses the
default set, whose domain-name-servers is AmazonProvidedDNS (source: dhcp_options).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from advisor.rules.answers import Coverage, DnsResolver, EndpointsIn, NetworkAcl

from .authority import omitted
from .model import Claim, Extraction, Level, Notice, Origin
from .network import Graph, Kind, Res
from .nodes import Node

if TYPE_CHECKING:
    from .network import SubnetFacts

ANYWHERE_V4 = "0.0.0.0/0"
AMAZON_DNS = "AmazonProvidedDNS"


# --- Network ACLs -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    number: int
    egress: bool
    allow: bool
    ports: tuple[int, int] | None  # None: every port (protocol -1); other protocols: no entry
    anywhere: bool  # 0.0.0.0/0
    origin: Origin


# (what, egress, ports): what the task needs through a stateless ACL.
_NEEDS: tuple[tuple[str, bool, tuple[int, int]], ...] = (
    ("HTTPS (TCP 443) out", True, (443, 443)),
    ("the return ports (TCP 1024-65535) in", False, (1024, 65535)),
)
_NFS = ("NFS (TCP 2049) out", True, (2049, 2049))


def _entry(props: Node, egress: bool | None) -> Entry | str | None:
    """An IPv4 TCP entry; None for one that does not concern IPv4 TCP; a reason when the
    documents do not fix it."""
    if props.get("Ipv6CidrBlock", "ipv6_cidr_block") is not None and \
            props.get("CidrBlock", "cidr_block") is None:
        return None
    number = props.get("RuleNumber", "rule_number", "rule_no")
    protocol = props.get("Protocol", "protocol")
    action = props.get("RuleAction", "rule_action", "action")
    cidr = props.get("CidrBlock", "cidr_block")
    if egress is None:
        flag = props.get("Egress", "egress")
        egress = bool(flag.flag()) if flag is not None else False
    texts = [n.text() if n is not None else None for n in (number, protocol, action, cidr)]
    if any(t is None for t in texts):
        return f"an entry at {props.path} is not fixed in the documents"
    number_text, protocol_text, action_text, cidr_text = (t or "" for t in texts)
    protocol_text = protocol_text.lower()
    if protocol_text not in ("-1", "all", "6", "tcp"):
        return None
    ports: tuple[int, int] | None = None
    if protocol_text in ("6", "tcp"):
        block = props.block("PortRange")
        low = (block.get("From") if block else None) or props.get("from_port")
        high = (block.get("To") if block else None) or props.get("to_port")
        try:
            ports = (int(low.text() or "") if low else -1, int(high.text() or "") if high else -1)
        except ValueError:
            return f"the ports of the entry at {props.path} are not fixed in the documents"
        if ports[0] < 0 or ports[1] < 0:
            return f"the ports of the entry at {props.path} are not fixed in the documents"
    try:
        rule = int(number_text)
    except ValueError:
        return f"the rule number at {props.path} is not a number"
    return Entry(rule, egress, action_text.lower() == "allow", ports, cidr_text == ANYWHERE_V4,
                 props.origin())


def _entries(graph: Graph, acl: Res) -> list[Entry] | str:
    out: list[Entry] = []
    found: list[Entry | str | None] = []
    for key, egress in (("Entries", None), ("ingress", False), ("egress", True)):
        inline, known = acl.setting(key)
        if not known or (inline is not None and inline.unresolved):
            return f"the rules of {acl.label} are known only after apply"
        found += [_entry(item, egress) for item in inline.items()] if inline else []
    for res in graph.of_kind(Kind.NACL_ENTRY):
        if acl in (graph.follow(res.props.get("NetworkAclId", "network_acl_id"), res) or ()):
            found.append(_entry(res.props, None))
    for item in found:
        if isinstance(item, str):
            return item
        if item is not None:
            out.append(item)
    return out


def _allows(entries: list[Entry], egress: bool, needed: tuple[int, int]) -> bool | None:
    """First match in rule-number order for every port of `needed`, to and from anywhere;
    an entry for some addresses only leaves the answer open."""
    open_ranges = [needed]
    partial = False
    for entry in sorted((e for e in entries if e.egress == egress), key=lambda e: e.number):
        low, high = entry.ports or (0, 65535)
        hit = [(max(a, low), min(b, high)) for a, b in open_ranges if max(a, low) <= min(b, high)]
        if not hit:
            continue
        if not entry.anywhere:
            if not entry.allow:
                return None
            partial = True
            continue
        if not entry.allow:
            return False
        rest: list[tuple[int, int]] = []
        for a, b in open_ranges:
            if a < low:
                rest.append((a, min(b, low - 1)))
            if b > high:
                rest.append((max(a, high + 1), b))
        open_ranges = rest
        if not open_ranges:
            return True
    return None if partial else False


def _acl_of(graph: Graph, subnet: Res) -> tuple[Res | None, str]:
    """The ACL the documents associate with the subnet; (None, "") for none; (None, why) when
    that is not known."""
    for res in graph.of_kind(Kind.NACL_ASSOCIATION):
        if subnet in (graph.follow(res.props.get("SubnetId", "subnet_id"), res) or ()):
            acls = [a for a in graph.follow(res.props.get("NetworkAclId", "network_acl_id"), res)
                    or () if a.kind is Kind.NACL]
            if not acls:
                return None, f"its network ACL association {res.label} names an ACL outside " \
                    "the documents"
            return acls[0], ""
    for acl in graph.of_kind(Kind.NACL):
        subnets, known = acl.setting("subnet_ids")
        if subnets is not None and subnet in (graph.follow(subnets, acl) or ()):
            return acl, ""
        if not known or (subnets is not None and subnets.unresolved):
            return None, f"the subnets of network ACL {acl.label} are not fixed in the documents"
    return None, ""


def _default_acl(graph: Graph, vpc: Res) -> tuple[list[Entry] | str, Res | None]:
    """A VPC's default ACL as the documents leave it: its allow-all rules (100, both ways)
    plus any entries they add to it (`!GetAtt Vpc.DefaultNetworkAcl`); Terraform's
    `aws_default_network_acl` keeps only the rules it states."""
    for acl in graph.of_kind(Kind.NACL):
        if acl.type == "aws_default_network_acl" and vpc in (graph.follow(
                acl.props.get("default_network_acl_id"), acl) or ()):
            return _entries(graph, acl), acl
    added: list[Entry] = []
    for res in graph.of_kind(Kind.NACL_ENTRY):
        if vpc in (graph.follow(res.props.get("NetworkAclId", "network_acl_id"), res) or ()):
            entry = _entry(res.props, None)
            if isinstance(entry, str):
                return entry, None
            if entry is not None:
                added.append(entry)
    if not added:
        return [], None
    default = [Entry(100, egress, True, None, True, vpc.origin("the default ACL's rule 100"))
               for egress in (True, False)]
    return added + default, vpc


def nacl(graph: Graph, facts: Sequence[SubnetFacts], efs: bool) -> Extraction:
    """The task subnets' network ACLs, all together."""
    from .network import _vpc_of  # network imports this module

    needs = _NEEDS + ((_NFS,) if efs else ())
    results: list[tuple[NetworkAcl | None, tuple[Origin, ...], str]] = []
    for fact in facts:
        subnet = fact.subnet
        acl, why = _acl_of(graph, subnet)
        if why:
            results.append((None, (), f"subnet {subnet.label}: {why}"))
            continue
        if acl is None:
            vpc = _vpc_of(graph, subnet)
            if vpc is None:
                results.append((None, (), f"subnet {subnet.label} has its VPC's default ACL, "
                                "and the VPC is not created in the documents, so its rules are "
                                "not known"))
                continue
            entries, owner = _default_acl(graph, vpc)
            if isinstance(entries, str):
                results.append((None, (), f"subnet {subnet.label}: {entries}"))
                continue
            if owner is None:
                claim = omitted("nacl", subnet.origin(), f"subnet {subnet.label} is associated "
                                f"with no network ACL: VPC {vpc.label}'s default ACL, which "
                                "allows all traffic")
                results.append((NetworkAcl.DEFAULT, claim.origins, claim.note))
                continue
            acl = owner
        else:
            entries = _entries(graph, acl)
            if isinstance(entries, str):
                results.append((None, (), f"subnet {subnet.label}: {entries}"))
                continue
        verdicts = [(what, _allows(entries, egress, ports)) for what, egress, ports in needs]
        blocked = [what for what, ok in verdicts if ok is False]
        open_ = [what for what, ok in verdicts if ok is None]
        name = f"subnet {subnet.label} → network ACL {acl.label}"
        origins = tuple(e.origin for e in entries) or (acl.origin("no entries: all denied"),)
        if blocked:
            results.append((NetworkAcl.BLOCKS, origins, f"{name} denies {', '.join(blocked)}"))
        elif open_:
            results.append((None, (), f"{name}: whether it allows {', '.join(open_)} depends "
                            "on addresses (entries for some CIDR blocks only)"))
        else:
            default = acl.props.get("IsDefault")  # describe-network-acls
            value = NetworkAcl.DEFAULT if default is not None and default.flag() else \
                NetworkAcl.ALLOWS
            results.append((value, origins, f"{name} allows "
                            + ", ".join(what for what, _, _ in needs)))
    return _one("nacl", results, (NetworkAcl.BLOCKS, None, NetworkAcl.ALLOWS,
                                  NetworkAcl.DEFAULT), facts[0].subnet.origin() if facts
                else None, "The task subnets' network ACLs are not known from the documents")


def _one(field: str, results: Sequence[tuple[object, tuple[Origin, ...], str]],
         order: Sequence[object], where: Origin | None, unknown: str) -> Extraction:
    """One claim for several subnets or resources: the first value of `order` any of them
    has (None: unknown, with a notice)."""
    for want in order:
        hits = [r for r in results if r[0] is want or (want is not None and r[0] == want)]
        if not hits:
            continue
        note = "; ".join(dict.fromkeys(r[2] for r in hits if r[2]))
        if want is None:
            if where is None:
                return Extraction()
            return Extraction(notices=(Notice(Level.INFO, f"{unknown}: {note}.", where),))
        return Extraction((Claim(field, want, tuple(o for r in hits for o in r[1]), note),))
    return Extraction()


def efs_in_use(graph: Graph) -> bool:
    """Whether the documents use EFS: mount targets, or a task definition with an EFS volume."""
    if graph.of_kind(Kind.EFS_MOUNT_TARGET):
        return True
    for res in graph.of_kind(Kind.TASK_DEFINITION):
        volumes = res.props.get("Volumes", "volume")
        for item in volumes.items() if volumes else ():
            if item.block("EFSVolumeConfiguration", "efs_volume_configuration") is not None:
                return True
    return False


# --- DNS servers and where the endpoints are -----------------------------------------------


def dns_resolver(graph: Graph, vpc: Res) -> Extraction:
    """The DNS servers of the DHCP options set associated with a VPC the documents create."""
    associations = [r for r in graph.of_kind(Kind.DHCP_ASSOCIATION)
                    if vpc in (graph.follow(r.props.get("VpcId", "vpc_id"), r) or ())]
    if not associations:
        return Extraction((omitted("dns_resolver", vpc.origin(
            "no VPCDHCPOptionsAssociation: the default DHCP option set"),
            f"VPC {vpc.label} is associated with no DHCP options set, so it has the default "
            "set, whose domain-name-servers is AmazonProvidedDNS"),))
    association = associations[0]
    options_node = association.props.get("DhcpOptionsId", "dhcp_options_id")
    sets = [r for r in graph.follow(options_node, association) or ()
            if r.kind is Kind.DHCP_OPTIONS]
    if not sets and options_node is not None and options_node.text() == "default":
        return Extraction(notices=(Notice(
            Level.INFO, f"VPC {vpc.label} is associated with no DHCP options (DhcpOptionsId "
            "default), so DHCP hands out no DNS server: dns_resolver is left unknown.",
            options_node.origin()),))
    if not sets:
        return Extraction(notices=(Notice(
            Level.INFO, f"VPC {vpc.label} is associated with DHCP options "
            f"{options_node.text() if options_node else '?'}, which the documents do not "
            "create, so its DNS servers are not known.", association.origin()),))
    servers_node = sets[0].props.get("DomainNameServers", "domain_name_servers")
    servers = [i.text() for i in servers_node.items()] if servers_node else []
    if servers_node is not None and servers and all(s == AMAZON_DNS for s in servers):
        return Extraction((Claim("dns_resolver", DnsResolver.AMAZON, (servers_node.origin(),),
                                 f"VPC {vpc.label}'s DHCP options {sets[0].label}"),))
    shown = ", ".join(s or "?" for s in servers) or "not set"
    return Extraction(notices=(Notice(
        Level.INFO, f"VPC {vpc.label}'s DHCP options {sets[0].label} name the DNS servers "
        f"{shown}. Whether they forward AWS names to the Route 53 Resolver is not in a template, "
        "so dns_resolver is left unknown: answer custom_forwards or custom.",
        (servers_node or sets[0].props).origin()),))


def endpoints_in(vpc: Res, interfaces: Sequence[Res]) -> Extraction:
    """Interface endpoints the documents create in the task's VPC are in this VPC."""
    if not interfaces:
        return Extraction()
    return Extraction((Claim("endpoints_in", EndpointsIn.THIS_VPC,
                             tuple(r.origin() for r in interfaces),
                             f"the documents create the interface endpoints in VPC "
                             f"{vpc.label}"),))


# --- Availability Zones --------------------------------------------------------------------


def zone(res: Res) -> str | None:
    """A subnet's Availability Zone (name, or ID prefixed `id:`), when the documents fix it."""
    name = res.props.get("AvailabilityZone", "availability_zone")
    if name is not None and name.text():
        return name.text()
    zone_id = res.props.get("AvailabilityZoneId", "availability_zone_id")
    if zone_id is not None and zone_id.text():
        return f"id:{zone_id.text()}"
    return None


def _zones_of_subnets(graph: Graph, node: Node | None, owner: Res) -> list[str | None] | None:
    if node is None:
        return None
    found = graph.follow(node, owner)
    count = node.list_length() if node.list_length() is not None else 1
    subnets = [r for r in found or () if r.kind is Kind.SUBNET]
    if found is None or len(subnets) < (count or 0):
        return None
    return [zone(s) for s in subnets]


def _balancer_zones(graph: Graph, balancer: Res) -> list[str | None] | None:
    listed = balancer.props.get("AvailabilityZones")  # describe-load-balancers
    if listed is not None and listed.list_length():
        return [(i.get("ZoneName").text() if i.get("ZoneName") else None)  # type: ignore[union-attr]
                for i in listed.items()]
    mappings = balancer.props.get("SubnetMappings", "subnet_mapping")
    if mappings is not None and mappings.list_length():
        zones: list[str | None] = []
        for item in mappings.items():
            found = _zones_of_subnets(graph, item.get("SubnetId", "subnet_id"), balancer)
            if found is None:
                return None
            zones += found
        return zones
    return _zones_of_subnets(graph, balancer.props.get("Subnets", "subnets"), balancer)


def _covers(field: str, task_zones: list[str | None], zones: list[str | None] | None,
            what: str, origins: tuple[Origin, ...], where: Origin) -> Extraction:
    if zones is None or None in zones or None in task_zones or not task_zones or not zones:
        return Extraction(notices=(Notice(
            Level.INFO, f"The Availability Zones of the task subnets or of {what} are not all "
            f"fixed in the documents, so {field} is left unknown.", where),))
    kinds = {z.startswith("id:") for z in (*task_zones, *zones) if z}
    if len(kinds) > 1:
        return Extraction(notices=(Notice(
            Level.INFO, f"The documents name some Availability Zones by name and others by ID, "
            f"so {field} is left unknown.", where),))
    missing = sorted({z for z in task_zones if z} - {z for z in zones if z})
    if missing:
        return Extraction((Claim(field, Coverage.MISSING_AZ, origins,
                                 f"{what} is not in {', '.join(missing)}, where task subnets "
                                 "are"),))
    return Extraction((Claim(field, Coverage.EVERY_AZ, origins,
                             f"{what} is in every task subnet's Availability Zone "
                             f"({', '.join(sorted({z for z in task_zones if z}))})"),))


def lb_azs(graph: Graph, facts: Sequence[SubnetFacts], balancer: Res) -> Extraction:
    task_zones = [zone(f.subnet) for f in facts]
    return _covers("lb_azs", task_zones, _balancer_zones(graph, balancer),
                   f"load balancer {balancer.label}", (balancer.origin(),
                                                      *(f.subnet.origin() for f in facts)),
                   balancer.origin())


def efs_mount_targets(graph: Graph, facts: Sequence[SubnetFacts],
                      mount_targets: Sequence[Res]) -> Extraction:
    if not mount_targets or not facts:
        return Extraction()
    zones: list[str | None] | None = []
    for target in mount_targets:
        named = target.props.get("AvailabilityZoneName")  # describe-mount-targets
        if named is not None and named.text():
            zones = None if zones is None else [*zones, named.text()]
            continue
        found = _zones_of_subnets(graph, target.props.get("SubnetId", "subnet_id"), target)
        zones = None if zones is None or found is None else zones + found
    return _covers("efs_mount_targets", [zone(f.subnet) for f in facts], zones,
                   "an EFS mount target", tuple(t.origin() for t in mount_targets),
                   mount_targets[0].origin())


def mount_targets_of_one_system(graph: Graph) -> tuple[list[Res], str]:
    """The documents' mount targets when they are all for one file system; else why not."""
    targets = graph.of_kind(Kind.EFS_MOUNT_TARGET)
    systems = set()
    for target in targets:
        node = target.props.get("FileSystemId", "file_system_id")
        found = graph.follow(node, target) if node is not None else None
        systems.add(found[0].label if found else (str(node.value) if node else None))
    if len(systems) > 1:
        return [], "the documents create mount targets for several file systems, and which " \
            "one the task mounts is not matched"
    return targets, ""
