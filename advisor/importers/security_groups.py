"""The task's security groups' outbound rules (`task_egress`), read from the documents that
create the groups.

A security group's rules are the union of its inline rules and the rule resources that name
it. What a group without any egress rule allows depends on who creates it: EC2 (and so
CloudFormation) gives a new group an allow-all egress rule, removed only when the template
states egress rules of its own; Terraform's `aws_security_group` removes that default rule
and keeps only the rules its configuration states.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.rules.answers import TaskEgress

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


def _rules(graph: Graph, group: Res) -> list[Rule] | None:
    terraform = not group.type.startswith("AWS::")
    inline, known = group.setting("SecurityGroupEgress", "egress")
    if not known:
        return None
    rules: list[Rule] = []
    for item in inline.items() if inline is not None else ():
        rules.append(_rule(item))
    for kind in (Kind.SG_EGRESS, Kind.SG_RULE):
        for res in graph.of_kind(kind):
            direction = res.props.get("type")
            if kind is Kind.SG_RULE and (direction is None or direction.text() != "egress"):
                continue
            if group in (graph.follow(res.props.get("GroupId", "security_group_id"), res) or ()):
                rules.append(_rule(res.props))
    if not terraform and (inline is None or inline.list_length() == 0):
        rules.append(Rule(True, None, True, False, group.origin(
            "no SecurityGroupEgress: EC2 gives a new security group an allow-all egress rule")))
    return rules


def _rule(props: Node) -> Rule:
    protocol = props.get("IpProtocol", "protocol", "ip_protocol")
    text = (protocol.text() or "").lower() if protocol else ""
    all_ports = text in ("-1", "all")
    ports = None
    low, high = props.get("FromPort", "from_port"), props.get("ToPort", "to_port")
    if text in ("tcp", "6") and low is not None and high is not None:
        try:
            ports = (int(low.text() or ""), int(high.text() or ""))
        except ValueError:
            ports = None
    cidrs: list[str] = []
    for key in ("CidrIp", "CidrIpv6", "cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4",
                "cidr_ipv6"):
        node = props.get(key)
        if node is not None:
            cidrs += [i.text() or "" for i in node.items()] if node.list_length() is not None \
                else [node.text() or ""]
    group_or_list = any(props.get(k) is not None for k in (
        "DestinationSecurityGroupId", "DestinationPrefixListId", "prefix_list_ids",
        "security_groups", "prefix_list_id", "referenced_security_group_id",
        "source_security_group_id"))
    return Rule(all_ports, ports, any(c in ANYWHERE for c in cidrs), group_or_list,
                props.origin())


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
