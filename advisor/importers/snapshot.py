"""A snapshot of a live account (`manage.py snapshot`): the AWS API's own answers, read as facts.

The snapshot holds describe-* output (its format is in the docstring of
`advisor/management/commands/snapshot.py`). The service and the task definition go through the
same readers as their JSON documents; the network becomes a `network.Graph` whose resources are
the describe-* items, found by their IDs, so that subnets, route tables, NAT and internet
gateways, endpoints and load balancers are read by the same code as in a template or a plan.

A live account leaves nothing implicit: a setting absent from a describe-* item is off, so
absence is AWS's default here as in CloudFormation. Unlike a template, the snapshot also shows
what exists: a secret, a parameter or a log group the task definition names but the account
does not have is a warning. Every origin's note says "from the account snapshot".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from advisor.rules.answers import Capacity

from . import network, service, task_definition
from .model import Claim, Extraction, Level, Notice, Origin
from .network import Kind, Res, Route
from .nodes import Node

KIND = "fargate-advisor-snapshot"
VERSIONS = (1,)
FROM_SNAPSHOT = "from the account snapshot"

# Snapshot list, resource kind, the key that is the item's ID.
_RESOURCES: tuple[tuple[str, Kind, str], ...] = (
    ("vpcs", Kind.VPC, "VpcId"),
    ("subnets", Kind.SUBNET, "SubnetId"),
    ("routeTables", Kind.ROUTE_TABLE, "RouteTableId"),
    ("internetGateways", Kind.IGW, "InternetGatewayId"),
    ("natGateways", Kind.NAT, "NatGatewayId"),
    ("vpcEndpoints", Kind.ENDPOINT, "VpcEndpointId"),
    ("targetGroups", Kind.TARGET_GROUP, "TargetGroupArn"),
    ("listeners", Kind.LISTENER, "ListenerArn"),
    ("loadBalancers", Kind.LOAD_BALANCER, "LoadBalancerArn"),
    ("accountSettings", Kind.ACCOUNT_SETTING, "name"),
    ("securityGroups", Kind.SECURITY_GROUP, "GroupId"),
    ("networkAcls", Kind.NACL, "NetworkAclId"),
    ("dhcpOptions", Kind.DHCP_OPTIONS, "DhcpOptionsId"),
    ("efsMountTargets", Kind.EFS_MOUNT_TARGET, "MountTargetId"),
)
# States in which a resource does nothing: a deleted NAT gateway, a failed endpoint.
_GONE = {"deleted", "deleting", "failed", "rejected", "expired"}


def is_snapshot(value: Any) -> bool:
    return isinstance(value, dict) and value.get("kind") == KIND


class Snapshot:
    """One snapshot as a `network.Graph`."""

    def __init__(self, document: str, body: dict[str, Any]) -> None:
        self.document = document
        self.body = body
        self.resources: dict[Kind, list[Res]] = {}
        self._by_id: dict[str, Res] = {}
        self.notices: list[Notice] = []
        for key, kind, id_key in _RESOURCES:
            for index, item in enumerate(_list(body.get(key))):
                if not isinstance(item, dict):
                    continue
                state = str(item.get("State", "")).lower()
                if state in _GONE:
                    continue
                res = self._res(kind, key, index, item, id_key)
                self.resources.setdefault(kind, []).append(res)
                if isinstance(item.get(id_key), str):
                    self._by_id[item[id_key]] = res
                if kind is Kind.ROUTE_TABLE:
                    self._associations(res, item)
                if kind is Kind.NACL:
                    self._linked(res, "Associations", Kind.NACL_ASSOCIATION,
                                 {"SubnetId": "SubnetId", "NetworkAclId": "NetworkAclId"})
                if kind is Kind.VPC and item.get("DhcpOptionsId"):
                    self.resources.setdefault(Kind.DHCP_ASSOCIATION, []).append(Res(
                        Kind.DHCP_ASSOCIATION, f"{res.label} DHCP options", "vpcs item",
                        res.props))

    def _res(self, kind: Kind, key: str, index: int, item: dict[str, Any], id_key: str) -> Res:
        value = item
        if kind is Kind.SUBNET:
            # describe-subnets lists IPv6 blocks in an association set; the network reader
            # asks for `Ipv6CidrBlock`, as a template spells it.
            blocks = [a.get("Ipv6CidrBlock") for a in _list(item.get("Ipv6CidrBlockAssociationSet"))
                      if isinstance(a, dict) and str((a.get("Ipv6CidrBlockState") or {}).get(
                          "State", "associated")).lower() == "associated"]
            value = {**item, "Ipv6CidrBlock": blocks[0] if blocks else ""}
        elif kind is Kind.SECURITY_GROUP:
            # describe-security-groups groups a rule's sources; the rule reader takes one
            # source per rule, as a template writes it.
            value = {**item, "SecurityGroupIngress": _rules(item.get("IpPermissions"), "Source"),
                     "SecurityGroupEgress": _rules(item.get("IpPermissionsEgress"),
                                                   "Destination")}
        elif kind is Kind.DHCP_OPTIONS:
            servers = [v.get("Value") for c in _list(item.get("DhcpConfigurations"))
                       if isinstance(c, dict) and c.get("Key") == "domain-name-servers"
                       for v in _list(c.get("Values")) if isinstance(v, dict)]
            value = {**item, "DomainNameServers": servers}
        elif kind is Kind.ENDPOINT and "Groups" in item:
            value = {**item, "SecurityGroupIds": [g.get("GroupId") for g in _list(
                item.get("Groups")) if isinstance(g, dict)]}
        main = kind is Kind.ROUTE_TABLE and any(
            isinstance(a, dict) and a.get("Main") for a in _list(item.get("Associations")))
        label = str(item.get(id_key) or f"{key}[{index}]")
        return Res(kind, label, f"{key} item", Node(value, f"{key}[{index}]", self.document),
                   main=main)

    def _associations(self, table: Res, item: dict[str, Any]) -> None:
        for index, association in enumerate(_list(item.get("Associations"))):
            if isinstance(association, dict) and association.get("SubnetId"):
                node = table.props.child(item["Associations"], "Associations").child(
                    association, index)
                self.resources.setdefault(Kind.ASSOCIATION, []).append(
                    Res(Kind.ASSOCIATION, str(association.get("RouteTableAssociationId", "")),
                        "route table association", node))

    def _linked(self, owner: Res, key: str, kind: Kind, keys: dict[str, str]) -> None:
        """Resources listed inside another (an ACL's subnet associations)."""
        for index, item in enumerate(_list(owner.props.value.get(key))):
            if isinstance(item, dict):
                node = Node({name: item.get(source) for name, source in keys.items()},
                            f"{owner.props.path}.{key}[{index}]", self.document)
                self.resources.setdefault(kind, []).append(Res(kind, f"{owner.label} "
                                                               f"{key}[{index}]", key, node))

    # --- network.Graph ----------------------------------------------------------------------

    def of_kind(self, kind: Kind) -> list[Res]:
        return list(self.resources.get(kind, []))

    def follow(self, node: Node | None, owner: Res | None = None) -> list[Res] | None:
        if node is None:
            return None
        values = node.value if isinstance(node.value, list) else [node.value]
        if not all(isinstance(v, str) for v in values):
            return None
        return [self._by_id[v] for v in values if v in self._by_id]

    def routes(self, table: Res) -> list[Route]:
        out: list[Route] = []
        listed = table.props.get("Routes")
        for route in listed.items() if listed else ():
            destination = route.get("DestinationCidrBlock", "DestinationIpv6CidrBlock")
            text = destination.text() if destination else None
            if not text:
                continue
            state = route.get("State")
            if state is not None and (state.text() or "").lower() == "blackhole":
                self.notices.append(Notice(
                    Level.WARNING, f"Route table {table.label} sends {text} to a target that "
                    "no longer exists (a blackhole route, such as a deleted NAT gateway): "
                    "traffic on that route is dropped.", state.origin(FROM_SNAPSHOT)))
                continue
            target, label, where = network.route_target(self, route, table)
            out.append(Route(text, target, label, where.origin(f"{text} → {label}")))
        return out

    def main_route_table(self, vpc: Res | None) -> Res | None:
        if vpc is None:
            return None
        vpc_id = vpc.props.get("VpcId")
        for table in self.of_kind(Kind.ROUTE_TABLE):
            owner = table.props.get("VpcId")
            if table.main and owner is not None and vpc_id is not None \
                    and owner.value == vpc_id.value:
                return table
        return None


def extract(document: str, body: dict[str, Any]) -> Extraction:
    version = body.get("version")
    if version not in VERSIONS:
        return Extraction(notices=(Notice(
            Level.WARNING, f"This snapshot has version {version!r}; this advisor reads "
            f"version {', '.join(map(str, VERSIONS))}. Take the snapshot again with this "
            "advisor's `manage.py snapshot`.", Origin(document, "version", FROM_SNAPSHOT)),))
    graph = Snapshot(document, body)
    out = Extraction()
    region = body.get("region") if isinstance(body.get("region"), str) else None
    td = body.get("taskDefinition")
    if isinstance(td, dict):
        where = task_definition.TaskRegion(region, "the snapshot's Region") if region else None
        account = body.get("account") if isinstance(body.get("account"), str) else None
        out += task_definition.extract(
            Node(td, "taskDefinition", document), region=where,
            account=(account, "the snapshot's account") if account else None,
            log_group=_log_group_lookup(body))
    services: list[service.ServiceRefs] = []
    svc = body.get("service")
    if isinstance(svc, dict):
        extraction, refs = service.extract(Node(svc, "service", document))
        out += extraction
        services.append(refs)
    out += network.claims(graph, services)
    out += _secrets(document, body) + _log_groups(document, body)
    out += _free_addresses(document, body)
    out += Extraction(notices=tuple(graph.notices))
    return _noted(out, document)


def _secrets(document: str, body: dict[str, Any]) -> Extraction:
    """Whether each secret exists, and whether a customer managed key encrypts them (`cmk`),
    from describe-secret and describe-parameters metadata."""
    notices: list[Notice] = []
    keys: list[tuple[bool, Origin]] = []
    listed = _list(body.get("secrets"))
    for index, secret in enumerate(listed):
        if not isinstance(secret, dict):
            continue
        origin = Origin(document, f"secrets[{index}]", FROM_SNAPSHOT)
        name = secret.get("valueFrom", "?")
        manager = secret.get("store") == "secretsmanager"
        if not secret.get("exists"):
            notices.append(Notice(
                Level.WARNING, f"The task definition names {name}, which does not exist in "
                f"{secret.get('region')} ({'describe-secret' if manager else 'describe-parameters'}"
                " found nothing): the task stops with ResourceNotFoundException while it "
                "fetches its secrets.", origin))
            continue
        if not manager and secret.get("Type") != "SecureString":
            continue
        field = "KmsKeyId" if manager else "KeyId"
        key = secret.get(field)
        custom = bool(key) and not str(key).endswith(("alias/aws/secretsmanager", "alias/aws/ssm"))
        keys.append((custom, Origin(document, f"secrets[{index}].{field}",
                                    f"{name}: {key or 'the AWS managed key'}")))
    claims: list[Claim] = []
    if keys and len(keys) == len([s for s in listed if isinstance(s, dict) and s.get("exists")]):
        value = any(custom for custom, _ in keys)
        claims.append(Claim("cmk", value, tuple(o for custom, o in keys if custom == value),
                            "a customer managed KMS key encrypts a secret" if value else
                            "every secret uses its service's AWS managed key"))
    return Extraction(tuple(claims), tuple(notices))


def _log_groups(document: str, body: dict[str, Any]) -> Extraction:
    notices = []
    for index, group in enumerate(_list(body.get("logGroups"))):
        if isinstance(group, dict) and group.get("exists") is False:
            notices.append(Notice(
                Level.WARNING, f"The log group {group.get('logGroupName')} of container "
                f"{group.get('container')} does not exist in {group.get('region')}: unless "
                "the container sets awslogs-create-group (and the execution role may "
                "logs:CreateLogGroup), the task stops with ResourceNotFoundException.",
                Origin(document, f"logGroups[{index}]", FROM_SNAPSHOT)))
    return Extraction(notices=tuple(notices))


def _log_group_lookup(body: dict[str, Any]) -> Callable[[Node], str | None]:
    """A log group describe-log-groups found in the account (in the Region the container logs
    to) exists."""
    found = {(g.get("logGroupName"), g.get("region")) for g in _list(body.get("logGroups"))
             if isinstance(g, dict) and g.get("exists")}

    def exists(node: Node) -> str | None:
        for name, region in found:
            if name == node.text():
                return f"the log group {name}, which exists in {region} (describe-log-groups)"
        return None

    return exists


def _noted(extraction: Extraction, document: str) -> Extraction:
    """Every origin in the snapshot says it comes from the account snapshot."""

    def note(origin: Origin) -> Origin:
        if origin.document != document or FROM_SNAPSHOT in origin.note:
            return origin
        text = f"{origin.note} ({FROM_SNAPSHOT})" if origin.note else FROM_SNAPSHOT
        return dataclasses.replace(origin, note=text)

    claims = tuple(dataclasses.replace(c, origins=tuple(note(o) for o in c.origins))
                   for c in extraction.claims)
    notices = tuple(dataclasses.replace(n, origin=note(n.origin)) for n in extraction.notices)
    return Extraction(claims, notices, extraction.diagnoses)


def _rules(permissions: Any, side: str) -> list[dict[str, Any]]:
    """IpPermissions as one rule per source (CidrIp, SourceSecurityGroupId, ...)."""
    out: list[dict[str, Any]] = []
    for permission in _list(permissions):
        if not isinstance(permission, dict):
            continue
        base = {k: permission[k] for k in ("IpProtocol", "FromPort", "ToPort") if k in permission}
        for key, inner, name in (("IpRanges", "CidrIp", "CidrIp"),
                                 ("Ipv6Ranges", "CidrIpv6", "CidrIpv6"),
                                 ("UserIdGroupPairs", "GroupId", f"{side}SecurityGroupId"),
                                 ("PrefixListIds", "PrefixListId", f"{side}PrefixListId")):
            for source in _list(permission.get(key)):
                if isinstance(source, dict) and source.get(inner):
                    out.append({**base, name: source[inner]})
    return out


def _free_addresses(document: str, body: dict[str, Any]) -> Extraction:
    """Whether every task subnet has room for a whole deployment: desiredCount tasks times
    maximumPercent (200 unless the service says), since a rolling update starts the new tasks
    before it stops the old ones (sources: ecs_rolling_update, subnet sizing)."""
    svc = body.get("service")
    if not isinstance(svc, dict) or not isinstance(svc.get("desiredCount"), int):
        return Extraction()
    config = (svc.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    wanted = set(_list(config.get("subnets")))
    percent = (svc.get("deploymentConfiguration") or {}).get("maximumPercent") or 200
    needed = svc["desiredCount"] * percent // 100
    found: list[tuple[str, int, Origin]] = []
    for index, subnet in enumerate(_list(body.get("subnets"))):
        if isinstance(subnet, dict) and subnet.get("SubnetId") in wanted and \
                isinstance(subnet.get("AvailableIpAddressCount"), int):
            found.append((subnet["SubnetId"], subnet["AvailableIpAddressCount"],
                          Origin(document, f"subnets[{index}].AvailableIpAddressCount",
                                 f"{subnet['AvailableIpAddressCount']} free")))
    if not wanted or len(found) < len(wanted):
        return Extraction()
    short = [f"{name} ({free})" for name, free, _ in found if free <= needed]
    why = f"a deployment of desiredCount {svc['desiredCount']} at maximumPercent {percent} " \
        f"runs up to {needed} tasks, and this check asks each task subnet to hold them all"
    value = Capacity.SHORT if short else Capacity.ENOUGH
    note = f"{why}; too few free addresses in {', '.join(short)}" if short else \
        f"{why}; every task subnet has more free addresses"
    return Extraction((Claim("free_addresses", value, tuple(o for _, _, o in found), note),))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
