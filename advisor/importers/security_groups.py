"""Security groups read from the documents that create them: the task's outbound rules
(`task_egress`), and what the groups in front of the interface endpoints (`endpoint_sg`), the
EFS mount targets (`efs_sg`) and the task itself (`lb_ingress`) admit.

A security group's rules are the union of its inline rules and the rule resources that name
it. What a group without any egress rule allows depends on who creates it: EC2 (and so
CloudFormation) gives a new group an allow-all egress rule, removed only when the template
states egress rules of its own; Terraform's `aws_security_group` removes that default rule
and keeps only the rules its configuration states. A new group has no inbound rule in either
(sources: vpc_sg_rules, cfn_security_group).

A group admits traffic when one of its inbound rules covers the port and names the sender:
its security group (or the group itself, `self`), or a CIDR block that contains every address
the sender can have (the task subnets' blocks, else the VPC's). A rule the documents do not fix
(a prefix list, a CIDR that covers only some of the senders, a group outside the documents
that may be the sender's) leaves the answer unknown rather than "blocks".
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.rules.answers import Admits, EndpointSG, TaskEgress

from .model import Claim, Extraction, Level, Notice, Origin
from .network import Graph, Kind, Res
from .nodes import Node
from .service import ServiceRefs

ANYWHERE = ("0.0.0.0/0", "::/0")


@dataclass(frozen=True, slots=True)
class Rule:
    all_ports: bool
    ports: tuple[int, int] | None  # (from, to) for TCP; None when not known or not TCP
    anywhere: bool  # to 0.0.0.0/0 or ::/0
    group_or_list: bool  # to a security group or a prefix list
    origin: Origin
    cidrs: tuple[str, ...] = ()
    groups: tuple[Node, ...] = field(default=())  # the security groups the rule names
    self_group: bool = False  # Terraform's `self = true`: the group itself
    prefix_lists: bool = False
    unclear: bool = False  # the protocol or ports are not fixed in the documents


def task_egress(graph: Graph, refs: ServiceRefs) -> Extraction:
    if not refs.security_groups:
        return Extraction()
    groups: list[Res] = []
    for node in refs.security_groups:
        found = [r for r in graph.follow(node) or () if r.kind is Kind.SECURITY_GROUP]
        if not found:
            return Extraction(notices=(Notice(
                Level.INFO, f"The task's security group {node.text() or node.value} is not "
                "created in the documents, so its outbound rules are not known.",
                node.origin()),))
        groups += found
    rules: list[Rule] = []
    for group in groups:
        found_rules = _rules(graph, group)
        if found_rules is None:
            return Extraction(notices=(Notice(
                Level.INFO, f"The outbound rules of security group {group.label} are not "
                "all known from the documents, so task_egress is left unknown.",
                group.origin()),))
        rules += found_rules
    value = _classify(rules)
    origins = tuple(r.origin for r in rules) or tuple(g.origin("no egress rule") for g in groups)
    if value is None:
        return Extraction(notices=(Notice(
            Level.INFO, "The task's security groups allow outbound traffic only to some "
            "addresses, which the advisor does not compare with where the task connects, so "
            "task_egress is left unknown.", origins[0]),))
    return Extraction((Claim("task_egress", value, origins,
                             f"the outbound rules of {', '.join(g.label for g in groups)}"),))


def _rules(graph: Graph, group: Res, egress: bool = True) -> list[Rule] | None:
    """The group's rules in one direction; None when they are not all known."""
    terraform = not group.type.startswith("AWS::")
    inline, known = group.setting(*(("SecurityGroupEgress", "egress") if egress else
                                    ("SecurityGroupIngress", "ingress")))
    if not known or (inline is not None and inline.unresolved):
        return None
    rules: list[Rule] = []
    for item in inline.items() if inline is not None else ():
        rules.append(_rule(item))
    direction_kind = Kind.SG_EGRESS if egress else Kind.SG_INGRESS
    for kind in (direction_kind, Kind.SG_RULE):
        for res in graph.of_kind(kind):
            direction = res.props.get("type")
            if kind is Kind.SG_RULE and (direction is None or direction.text() != (
                    "egress" if egress else "ingress")):
                continue
            if group in (graph.follow(res.props.get("GroupId", "security_group_id"), res) or ()):
                rules.append(_rule(res.props))
    if not egress:
        return rules
    if not terraform and (inline is None or inline.list_length() == 0):
        rules.append(Rule(True, None, True, False, group.origin(
            "no SecurityGroupEgress: EC2 gives a new security group an allow-all egress rule")))
    return rules


def _rule(props: Node) -> Rule:
    protocol = props.get("IpProtocol", "protocol", "ip_protocol")
    text = (protocol.text() or "").lower() if protocol else ""
    all_ports = text in ("-1", "all")
    ports = None
    unclear = protocol is None or protocol.unresolved
    low, high = props.get("FromPort", "from_port"), props.get("ToPort", "to_port")
    if text in ("tcp", "6") and low is not None and high is not None:
        try:
            ports = (int(low.text() or ""), int(high.text() or ""))
        except ValueError:
            ports, unclear = None, True
    elif text in ("tcp", "6"):
        unclear = True
    cidrs: list[str] = []
    for key in ("CidrIp", "CidrIpv6", "cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4",
                "cidr_ipv6"):
        node = props.get(key)
        if node is not None:
            cidrs += [i.text() or "" for i in node.items()] if node.list_length() is not None \
                else [node.text() or ""]
    groups: list[Node] = []
    for key in ("SourceSecurityGroupId", "DestinationSecurityGroupId", "security_groups",
                "referenced_security_group_id", "source_security_group_id"):
        node = props.get(key)
        if node is not None:
            groups += list(node.items()) if node.list_length() is not None else [node]
    lists = any(props.get(k) is not None for k in (
        "SourcePrefixListId", "DestinationPrefixListId", "prefix_list_ids", "prefix_list_id"))
    self_node = props.get("self")
    return Rule(all_ports, ports, any(c in ANYWHERE for c in cidrs), bool(groups) or lists,
                props.origin(), tuple(cidrs), tuple(groups),
                self_node is not None and self_node.flag() is True, lists, unclear)


def _covers(rule: Rule, port: int) -> bool:
    return rule.all_ports or (rule.ports is not None and rule.ports[0] <= port <= rule.ports[1])


def _classify(rules: list[Rule]) -> TaskEgress | None:
    if not rules:
        return TaskEgress.NONE
    if any(r.all_ports and r.anywhere for r in rules):
        return TaskEgress.ALL
    if any(_covers(r, 443) and r.anywhere for r in rules):
        return TaskEgress.HTTPS_NFS if any(_covers(r, 2049) for r in rules) else TaskEgress.HTTPS
    if any(_covers(r, 443) for r in rules) and all(r.group_or_list for r in rules
                                                    if _covers(r, 443)):
        return TaskEgress.ENDPOINTS_ONLY
    return None


# --- What a group admits --------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Senders:
    """Who sends the traffic a group must admit: their security groups as the documents
    create them, the IDs written for them, and every address they can have (None: unknown)."""

    what: str
    groups: tuple[Res, ...] = ()
    ids: frozenset[str] = frozenset()
    networks: tuple[Network, ...] | None = None
    complete: bool = False  # `groups` are all of the sender's groups


def networks_of(texts: Sequence[str | None]) -> tuple[Network, ...] | None:
    """The CIDR blocks, or None when one is not known."""
    out: list[Network] = []
    for text in texts:
        try:
            out.append(ipaddress.ip_network(text or "", strict=False))
        except ValueError:
            return None
    return tuple(out) or None


def senders_of(graph: Graph, nodes: Sequence[Node], what: str,
               networks: tuple[Network, ...] | None) -> Senders:
    """The senders whose security groups the service (or load balancer) names in `nodes`."""
    groups: list[Res] = []
    ids: set[str] = set()
    complete = bool(nodes)
    for node in nodes:
        found = graph.follow(node)
        texts = [i.text() for i in node.items()] if node.list_length() is not None \
            else [node.text()]
        ids |= {t for t in texts if t}
        if found is None:
            complete = False
            continue
        created = [r for r in found if r.kind is Kind.SECURITY_GROUP]
        groups += created
        if len(created) < max(len(texts), 1):
            complete = False
    return Senders(what, tuple(groups), frozenset(ids), networks, complete)


def admits(graph: Graph, groups: Sequence[Res], port: int, senders: Senders
           ) -> tuple[bool | None, tuple[Origin, ...], str]:
    """Whether the groups admit TCP `port` from the senders: True with the rule that does,
    False with the groups when none can, None with the reason when the documents do not say."""
    unsure: list[str] = []
    for group in groups:
        rules = _rules(graph, group, egress=False)
        if rules is None:
            unsure.append(f"the inbound rules of {group.label} are not all fixed in the "
                          "documents")
            continue
        for rule in rules:
            if rule.unclear:
                unsure.append(f"a rule of {group.label} has a protocol or ports the documents "
                              "do not fix")
                continue
            if not _covers(rule, port):
                continue
            named = _names(graph, rule, group, senders)
            if named:
                return True, (rule.origin,), f"{group.label} admits TCP {port} from " \
                    f"{senders.what}"
            if named is None:
                unsure.append(f"whether a rule of {group.label} on port {port} names "
                              f"{senders.what} is not known from the documents")
    if unsure:
        return None, (), "; ".join(dict.fromkeys(unsure))
    names = ", ".join(g.label for g in groups)
    return False, tuple(g.origin(f"no inbound rule admits TCP {port} from {senders.what}")
                        for g in groups), f"no inbound rule of {names} admits TCP {port} " \
        f"from {senders.what}"


def _names(graph: Graph, rule: Rule, group: Res, senders: Senders) -> bool | None:
    """Whether the rule's source is the senders: True, False, or None (not known)."""
    result: bool | None = False
    if rule.self_group:
        if group in senders.groups:
            return True
        result = None if not senders.complete else result
    for node in rule.groups:
        found = graph.follow(node)
        if found and any(r in senders.groups for r in found):
            return True
        if not found and node.text() in senders.ids:
            return True
        if found is None or not senders.complete:
            result = None
    if rule.prefix_lists:
        result = None
    for cidr in rule.cidrs:
        try:
            block = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            result = None
            continue
        if block.prefixlen == 0 and block.version == 4:
            return True
        if senders.networks is None:
            result = None
            continue
        same = [n for n in senders.networks if n.version == block.version]
        if same and all(n.subnet_of(block) for n in same):  # type: ignore[arg-type]
            return True
        if any(n.overlaps(block) for n in same):
            result = None
    return result


def _security_groups(graph: Graph, node: Node) -> tuple[list[Res], str]:
    """The groups a SecurityGroupIds-like value names, all created in the documents; else
    [] and why not."""
    found = graph.follow(node)
    texts = [i.text() for i in node.items()] if node.list_length() is not None else [node.text()]
    created = [r for r in found or () if r.kind is Kind.SECURITY_GROUP]
    if found is None:
        return [], f"its security groups are not fixed in the documents ({node.value})"
    if len(created) < len(texts):
        outside = [t or "?" for t in texts if t and all(r.label != t for r in created)]
        return [], f"its security group {', '.join(outside) or node.value} is not created " \
            "in the documents, so its rules are not known"
    return created, ""


def _combine(results: list[tuple[Any, tuple[Origin, ...], str]], blocking: Any,
             order: Sequence[Any]) -> tuple[Any, tuple[Origin, ...], str]:
    """One value for several resources: the blocking one wins, then unknown (None), then the
    values in `order` (the first present)."""
    for want in (blocking, None, *order):
        hits = [r for r in results if r[0] == want] if want is not None else \
            [r for r in results if r[0] is None]
        if hits:
            return want, tuple(o for r in hits for o in r[1]), "; ".join(
                dict.fromkeys(r[2] for r in hits if r[2]))
    return None, (), ""


def endpoint_sg(graph: Graph, refs: ServiceRefs, interfaces: Sequence[Res],
                networks: tuple[Network, ...] | None) -> Extraction:
    """What the interface endpoints' security groups admit from the service's tasks."""
    if not interfaces:
        return Extraction()
    senders = senders_of(graph, refs.security_groups, "the tasks", networks)
    results: list[tuple[Any, tuple[Origin, ...], str]] = []
    for res in interfaces:
        node, known = res.setting("SecurityGroupIds", "security_group_ids")
        if (node is None and known) or (node is not None and node.list_length() == 0):
            results.append((EndpointSG.DEFAULT_GROUP, (res.origin(
                "no SecurityGroupIds: the VPC's default security group"),),
                f"{res.label} names no security group, so it has the VPC's default group"))
            continue
        if node is None:
            results.append((None, (), f"{res.label}: its security groups are known only "
                            "after apply"))
            continue
        groups, why = _security_groups(graph, node)
        if not groups:
            results.append((None, (), f"{res.label}: {why}"))
            continue
        verdict, origins, note = admits(graph, groups, 443, senders)
        value = None if verdict is None else EndpointSG.ALLOWS_TASKS if verdict \
            else EndpointSG.BLOCKS
        results.append((value, origins, f"{res.label}: {note}"))
    value, origins, note = _combine(results, EndpointSG.BLOCKS,
                                    (EndpointSG.DEFAULT_GROUP, EndpointSG.ALLOWS_TASKS))
    if value is None:
        return Extraction(notices=(Notice(
            Level.INFO, "What the interface endpoints' security groups admit is not known from "
            f"the documents, so endpoint_sg is left unknown: {note}.", interfaces[0].origin()),))
    return Extraction((Claim("endpoint_sg", value, origins, note),))


def efs_sg(graph: Graph, refs: ServiceRefs, mount_targets: Sequence[Res],
           networks: tuple[Network, ...] | None) -> Extraction:
    """Whether the EFS mount targets' security groups admit NFS (TCP 2049) from the tasks."""
    if not mount_targets:
        return Extraction()
    senders = senders_of(graph, refs.security_groups, "the tasks", networks)
    results: list[tuple[Any, tuple[Origin, ...], str]] = []
    for res in mount_targets:
        node, _ = res.setting("SecurityGroups", "security_groups")
        if node is None:
            results.append((None, (), f"{res.label} names no security group (the VPC's "
                            "default group, whose rules are not in the documents)"))
            continue
        groups, why = _security_groups(graph, node)
        if not groups:
            results.append((None, (), f"{res.label}: {why}"))
            continue
        verdict, origins, note = admits(graph, groups, 2049, senders)
        value = None if verdict is None else Admits.ALLOWS if verdict else Admits.BLOCKS
        results.append((value, origins, f"mount target {res.label}: {note}"))
    value, origins, note = _combine(results, Admits.BLOCKS, (Admits.ALLOWS,))
    if value is None:
        return Extraction(notices=(Notice(
            Level.INFO, "Whether the EFS mount targets' security groups admit NFS from the "
            f"tasks is not known from the documents: {note}.", mount_targets[0].origin()),))
    return Extraction((Claim("efs_sg", value, origins, note),))


def lb_ingress(graph: Graph, refs: ServiceRefs, balancer: Res, ports: Sequence[int],
               lb_networks: tuple[Network, ...] | None, network_lb: bool) -> Extraction:
    """Whether the task's security groups admit the load balancer on the container ports."""
    where = (refs.load_balancers or refs.service).origin()
    if not refs.security_groups:
        return Extraction(notices=(Notice(
            Level.INFO, "The service names no security group, so its tasks are in the VPC's "
            "default group, whose inbound rules are not in the documents: lb_ingress is left "
            "unknown.", where),))
    groups: list[Res] = []
    for node in refs.security_groups:
        found, why = _security_groups(graph, node)
        if not found:
            return Extraction(notices=(Notice(
                Level.INFO, f"The task's inbound rules are not known: {why}.", node.origin()),))
        groups += found
    if not ports:
        return Extraction(notices=(Notice(
            Level.INFO, "The service's loadBalancers do not fix the container port, so "
            "lb_ingress is left unknown.", where),))
    lb_groups, known = balancer.setting("SecurityGroups", "security_groups")
    if lb_groups is not None:
        senders = senders_of(graph, (lb_groups,), f"load balancer {balancer.label}",
                             lb_networks)
    elif not known:
        senders = Senders(f"load balancer {balancer.label}")
    elif network_lb:
        # Without a security group a Network Load Balancer's traffic may keep the clients'
        # addresses: only a rule open to everyone is sure to admit it.
        senders = Senders(f"load balancer {balancer.label} (no security group)")
    else:
        senders = Senders(f"load balancer {balancer.label}", networks=lb_networks)
    results = []
    for port in ports:
        verdict, origins, note = admits(graph, groups, port, senders)
        value = None if verdict is None else Admits.ALLOWS if verdict else Admits.BLOCKS
        results.append((value, origins, note))
    value, origins, note = _combine(results, Admits.BLOCKS, (Admits.ALLOWS,))
    if value is None:
        return Extraction(notices=(Notice(
            Level.INFO, "Whether the task's security groups admit the load balancer is not "
            f"known from the documents: {note}.", where),))
    return Extraction((Claim("lb_ingress", value, origins, note),))
