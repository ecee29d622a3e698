"""Terraform plans and states in JSON (`terraform show -json`): the AWS provider's resources.

Resources come from `planned_values` (a plan) or `values` (a state), through every
`child_modules` level. Two ways lead from one resource to another:
- by value: a known `subnet_id` equals the `id` of a subnet in the document (states, and plans
  of resources that already exist);
- by configuration: a value known only after apply is absent from `planned_values`, but the
  plan's `configuration` section keeps the expression's `references`
  (`aws_subnet.private`, `var.subnets_id`, `module.vpc.private_subnets`). These are followed
  through module inputs and outputs to the resources they name. A reference that uses
  `count.index` is paired with the instance of the same index when there is one.

`locals` and `data` sources are not in the JSON, so references through them stay unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from advisor.rules.answers import SecretSource

from . import network, service, task_definition, task_detail
from .model import Extraction, Level, Notice
from .network import Kind, Res, Route
from .nodes import Node, ResourceRef, Unresolved, join

KINDS: dict[str, Kind] = {
    "aws_vpc": Kind.VPC,
    "aws_vpc_ipv6_cidr_block_association": Kind.VPC_CIDR,
    "aws_subnet": Kind.SUBNET,
    "aws_route_table": Kind.ROUTE_TABLE,
    "aws_default_route_table": Kind.ROUTE_TABLE,
    "aws_route": Kind.ROUTE,
    "aws_route_table_association": Kind.ASSOCIATION,
    "aws_internet_gateway": Kind.IGW,
    "aws_nat_gateway": Kind.NAT,
    "aws_egress_only_internet_gateway": Kind.EIGW,
    "aws_vpn_gateway": Kind.VPN_GATEWAY,
    "aws_vpc_endpoint": Kind.ENDPOINT,
    "aws_lb_target_group": Kind.TARGET_GROUP,
    "aws_alb_target_group": Kind.TARGET_GROUP,
    "aws_lb_listener": Kind.LISTENER,
    "aws_alb_listener": Kind.LISTENER,
    "aws_lb_listener_rule": Kind.LISTENER_RULE,
    "aws_alb_listener_rule": Kind.LISTENER_RULE,
    "aws_lb": Kind.LOAD_BALANCER,
    "aws_alb": Kind.LOAD_BALANCER,
    "aws_elb": Kind.CLASSIC_LB,
    "aws_secretsmanager_secret": Kind.SECRET,
    "aws_ssm_parameter": Kind.SSM_PARAMETER,
    "aws_ecs_service": Kind.SERVICE,
    "aws_ecs_task_definition": Kind.TASK_DEFINITION,
    "aws_ecs_account_setting_default": Kind.ACCOUNT_SETTING,
    "aws_cloudwatch_log_group": Kind.LOG_GROUP,
    "aws_security_group": Kind.SECURITY_GROUP,
    "aws_vpc_security_group_ingress_rule": Kind.SG_INGRESS,
    "aws_vpc_security_group_egress_rule": Kind.SG_EGRESS,
    "aws_security_group_rule": Kind.SG_RULE,
    "aws_network_acl": Kind.NACL,
    "aws_default_network_acl": Kind.NACL,
    "aws_network_acl_rule": Kind.NACL_ENTRY,
    "aws_network_acl_association": Kind.NACL_ASSOCIATION,
    "aws_vpc_dhcp_options": Kind.DHCP_OPTIONS,
    "aws_vpc_dhcp_options_association": Kind.DHCP_ASSOCIATION,
    "aws_vpc_endpoint_route_table_association": Kind.ENDPOINT_ROUTE,
    "aws_networkfirewall_firewall": Kind.FIREWALL,
    "aws_efs_mount_target": Kind.EFS_MOUNT_TARGET,
}

_MAX_HOPS = 24  # module inputs and outputs followed per reference


def is_plan(value: Any) -> bool:
    return isinstance(value, dict) and "format_version" in value and (
        isinstance(value.get("planned_values"), dict) or isinstance(value.get("values"), dict)
    )


@dataclass(frozen=True, slots=True)
class Refs(Unresolved):
    """A value known only after apply: the references of its configuration expression."""

    references: tuple[str, ...] = ()
    module: str = ""  # the module whose scope the references are in ("" for the root)

    def __str__(self) -> str:
        return "known after apply, from " + ", ".join(self.references[:3])


@dataclass(frozen=True, slots=True)
class Instance:
    res: Res
    module: str  # "module.vpc", without instance keys
    type: str
    name: str
    index: int | str | None
    mode: str


_REFERENCE = re.compile(r'^(?P<base>[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(?:\[(?P<index>[^\]]+)\])?'
                        r'(?:\.(?P<attr>[A-Za-z0-9_]+))?')
_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")


class Plan:
    """One plan or state as a `network.Graph`."""

    def __init__(self, document: str, body: dict[str, Any]) -> None:
        self.document = document
        self.body = body
        configuration = body.get("configuration")
        self.configuration: dict[str, Any] = (configuration if isinstance(configuration, dict)
                                              else {})
        key = "planned_values" if isinstance(body.get("planned_values"), dict) else "values"
        self.instances: list[Instance] = []
        self._by_id: dict[str, Instance] = {}
        self._by_res: dict[int, Instance] = {}
        self._by_name: dict[tuple[str, str, str], list[Instance]] = {}
        self._routes: dict[int, list[Route]] | None = None
        module = body[key].get("root_module")
        if isinstance(module, dict):
            self._walk(module, f"{key}.root_module", 0)

    def _walk(self, module: dict[str, Any], path: str, depth: int) -> None:
        if depth > 16:
            return
        address = str(module.get("address", ""))
        scope = _INSTANCE_KEY.sub("", address)
        expressions = self._module_config(scope)
        for index, resource in enumerate(module.get("resources") or []):
            if not isinstance(resource, dict) or not isinstance(resource.get("values"), dict):
                continue
            rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
            config = _resource_config(expressions, rtype, name)
            values = _overlay(resource["values"], config.get("expressions", {}), scope)
            kind = KINDS.get(rtype)
            props = Node(values, join(join(path, "resources"), index) + ".values",
                         self.document)
            res = Res(kind or Kind.VPC, str(resource.get("address", f"{rtype}.{name}")), rtype,
                      props, main=rtype == "aws_default_route_table", absent_is_default=False)
            instance = Instance(res, scope, rtype, name, resource.get("index"),
                                str(resource.get("mode", "managed")))
            if kind is not None or instance.mode == "managed":
                self.instances.append(instance)
                self._by_res[id(res)] = instance
                self._by_name.setdefault((scope, rtype, name), []).append(instance)
            for attr in ("id", "arn"):
                if isinstance(values.get(attr), str) and values[attr]:
                    self._by_id[values[attr]] = instance
        for index, child in enumerate(module.get("child_modules") or []):
            if isinstance(child, dict):
                self._walk(child, join(join(path, "child_modules"), index), depth + 1)

    def _module_config(self, scope: str) -> dict[str, Any]:
        module = self.configuration.get("root_module")
        for name in re.findall(r"module\.([A-Za-z0-9_-]+)", scope):
            calls = module.get("module_calls") if isinstance(module, dict) else None
            call = calls.get(name) if isinstance(calls, dict) else None
            module = call.get("module") if isinstance(call, dict) else None
        return module if isinstance(module, dict) else {}

    # --- network.Graph ----------------------------------------------------------------------

    def of_kind(self, kind: Kind) -> list[Res]:
        return [i.res for i in self.instances
                if i.mode == "managed" and KINDS.get(i.type) is kind]

    def follow(self, node: Node | None, owner: Res | None = None) -> list[Res] | None:
        if node is None:
            return None
        return self._follow(node.value, owner)

    def _follow(self, value: Any, owner: Res | None, main: bool = True) -> list[Res] | None:
        """`main`: read `aws_vpc.x.main_route_table_id` as the VPC's main route table."""
        if isinstance(value, Refs):
            found = self._resolve(value.references, value.module, self._index_of(owner), 0,
                                  set(), main)
            return None if found is None else [i.res for i in found]
        if isinstance(value, str):
            instance = self._by_id.get(value)
            return [instance.res] if instance else []
        if isinstance(value, list):
            out: list[Res] = []
            unknown = False
            for item in value:
                followed = self._follow(item, owner, main)
                unknown |= followed is None
                out += followed or []
            return None if unknown and not out else out
        return None

    def _index_of(self, res: Res | None) -> int | str | None:
        instance = self._by_res.get(id(res)) if res is not None else None
        return instance.index if instance else None

    def _resolve(self, references: tuple[str, ...], module: str, index: int | str | None,
                 hops: int, seen: set[tuple[str, str]], main: bool = True
                 ) -> list[Instance] | None:
        if hops > _MAX_HOPS:
            return None
        paired = "count.index" in references or "each.key" in references
        groups: dict[str, set[Any]] = {}
        attributes: dict[str, str | None] = {}
        out: list[Instance] = []
        unknown = False
        for reference in references:
            if (module, reference) in seen:
                continue
            seen.add((module, reference))
            match = _REFERENCE.match(reference)
            if match is None:
                continue
            base, literal, attr = match.group("base"), match.group("index"), match.group("attr")
            head, rest = base.split(".", 1)
            if head in ("count", "each", "path", "self", "terraform"):
                continue
            if head in ("local", "data"):
                unknown = True
                continue
            if head == "var":
                found = self._variable(rest, module, hops, seen)
            elif head == "module":
                if attr is None:
                    continue
                found = self._output(f"{module}.module.{rest}".lstrip("."), attr, hops, seen)
            else:
                groups.setdefault(base, set()).add(_literal(literal))
                attributes[base] = attributes.get(base) or attr
                continue
            if found is None:
                unknown = True
            else:
                out += found
        for base, literals in groups.items():
            rtype, name = base.split(".", 1)
            candidates = self._by_name.get((module, rtype, name), [])
            chosen = [i for i in candidates if i.index in literals] if literals - {None} else []
            if not chosen and paired and index is not None:
                chosen = [i for i in candidates if i.index == index]
            if not chosen:
                chosen = candidates
            out += self._main_table_of(chosen, attributes[base]) if main else chosen
        if not out and unknown:
            return None
        return list(dict.fromkeys(out))

    def _main_table_of(self, found: list[Instance], attr: str | None) -> list[Instance]:
        if attr not in ("main_route_table_id", "default_route_table_id"):
            return found
        tables = []
        for instance in found:
            table = self.main_route_table(instance.res)
            if table is not None:
                tables.append(self._by_res[id(table)])
        return tables

    def _variable(self, name: str, module: str, hops: int,
                  seen: set[tuple[str, str]]) -> list[Instance] | None:
        if not module:
            return None  # a root variable's value is not in the configuration
        parent, _, call = module.rpartition(".module.")
        if not _:
            parent, call = "", module.removeprefix("module.")
        calls = self._module_config(parent).get("module_calls", {})
        expression = calls.get(call, {}).get("expressions", {}).get(name, {})
        references = tuple(expression.get("references") or ())
        if not references:
            return []
        return self._resolve(references, parent, None, hops + 1, seen)

    def _output(self, module: str, name: str, hops: int,
                seen: set[tuple[str, str]]) -> list[Instance] | None:
        outputs = self._module_config(module).get("outputs", {})
        expression = outputs.get(name, {}).get("expression", {})
        references = tuple(expression.get("references") or ())
        if not references:
            return None
        return self._resolve(references, module, None, hops + 1, seen)

    def routes(self, table: Res) -> list[Route]:
        if self._routes is None:
            self._routes = {}
            for route in self.of_kind(Kind.ROUTE):
                found = self._route(route.props, route, "destination_cidr_block",
                                    "destination_ipv6_cidr_block")
                for owner in self.follow(route.props.get("route_table_id"), route) or []:
                    self._routes.setdefault(id(owner), []).extend(found)
        out = list(self._routes.get(id(table), []))
        inline = table.props.get("route")
        for item in inline.items() if inline else ():
            out += self._route(item, table, "cidr_block", "ipv6_cidr_block")
        return out

    def _route(self, props: Node, owner: Res, v4: str, v6: str) -> list[Route]:
        out = []
        for key in (v4, v6):
            destination = props.get(key)
            text = destination.text() if destination else None
            if text:
                target, label, node = network.route_target(self, props, owner)
                out.append(Route(text, target, label, node.origin(f"{text} → {label}")))
        return out

    def main_route_table(self, vpc: Res | None) -> Res | None:
        if vpc is None:
            return None
        for table in self.of_kind(Kind.ROUTE_TABLE):
            if not table.main:
                continue
            for key in ("default_route_table_id", "vpc_id"):
                node = table.props.get(key)
                if node is not None and vpc in (self._follow(node.value, table, main=False)
                                                or []):
                    return table
        return None

    def provider_region(self) -> str | None:
        """The aws provider's region: a constant, or a root variable's value in the plan."""
        config = self.configuration.get("provider_config", {})
        aws = config.get("aws", {}) if isinstance(config, dict) else {}
        region = aws.get("expressions", {}).get("region", {}) if isinstance(aws, dict) else {}
        value = region.get("constant_value") if isinstance(region, dict) else None
        for reference in region.get("references", ()) if isinstance(region, dict) else ():
            if reference.startswith("var.") and isinstance(self.body.get("variables"), dict):
                value = self.body["variables"].get(reference[4:], {}).get("value")
        return value if isinstance(value, str) else None


def _literal(index: str | None) -> int | str | None:
    if index is None:
        return None
    if index.isdigit():
        return int(index)
    return index.strip('"') if index.startswith('"') else None


def _resource_config(module: dict[str, Any], rtype: str, name: str) -> dict[str, Any]:
    for resource in module.get("resources") or []:
        if isinstance(resource, dict) and resource.get("address") == f"{rtype}.{name}":
            return resource
    return {}


def _overlay(values: Any, expressions: Any, module: str) -> Any:
    """`values` with what is known only after apply filled in from the configuration: each
    absent attribute whose expression has references becomes `Refs`."""
    if isinstance(values, dict) and isinstance(expressions, dict):
        out = dict(values)
        for key, expression in expressions.items():
            if _is_expression(expression):
                references = tuple(expression.get("references") or ())
                if key not in out and references:
                    out[key] = Refs("known after apply", "", references, module)
            elif isinstance(expression, list):
                current = out.get(key)
                if isinstance(current, list):
                    blocks = current
                else:
                    # Nested blocks (an aws_route_table's `route`) with any part known only
                    # after apply are absent from the values: rebuild them from the
                    # configuration, constants included, so a route to a gateway created
                    # in the same plan is not lost.
                    blocks = [_constants(block) for block in expression]
                out[key] = [
                    _overlay(block, expression[i] if i < len(expression) else {}, module)
                    for i, block in enumerate(blocks)
                ]
        return out
    return values


def _constants(block: Any) -> dict[str, Any]:
    if not isinstance(block, dict):
        return {}
    return {key: expression["constant_value"] for key, expression in block.items()
            if _is_expression(expression) and "constant_value" in expression}


def _is_expression(value: Any) -> bool:
    return isinstance(value, dict) and ("references" in value or "constant_value" in value)


def extract(document: str, body: dict[str, Any]) -> Extraction:
    plan = Plan(document, body)
    return extract_graph(plan, plan.provider_region())


def extract_graph(plan: Plan, region: str | None) -> Extraction:
    """The answers of a plan, a state or Terraform source, read as the same graph."""
    out = Extraction()
    services: list[service.ServiceRefs] = []
    for res in plan.of_kind(Kind.TASK_DEFINITION):
        out += _task_definition(res, region, network.log_group_lookup(plan))
    for res in plan.of_kind(Kind.SERVICE):
        extraction, refs = service.extract(res.props, absent_is_default=res.absent_is_default)
        out += extraction
        services.append(refs)
    return out + network.claims(plan, services)


_BARE_PLACEHOLDER = re.compile(r'(?<=[:\[,])(\s*)\$\{[^}"]*\}')


def _json_with_placeholders(text: str) -> Any:
    """JSON written with `${...}` interpolations that are not known: inside strings they stay
    as placeholders (an image `${var.image}` is not fixed); a bare one is null."""
    try:
        return json.loads(_BARE_PLACEHOLDER.sub(r"\1null", text))
    except (json.JSONDecodeError, RecursionError):
        return None


def _secret_kind(ref: ResourceRef) -> SecretSource | None:
    """A secret named by reference to a resource of Terraform source."""
    if ref.type.startswith("aws_secretsmanager_secret"):
        return SecretSource.SECRETSMANAGER
    if ref.type == "aws_ssm_parameter":
        return SecretSource.SSM
    return None


def _task_definition(res: Res, region: str | None,
                     log_group: task_detail.LogGroupLookup) -> Extraction:
    raw = res.props.get("container_definitions")
    notices: list[Notice] = []
    containers: list[Node] = []
    parsed: Any = None
    if raw is not None and isinstance(raw.value, str):
        try:
            parsed = json.loads(raw.value)
        except (json.JSONDecodeError, RecursionError):
            parsed = None
    elif raw is not None and isinstance(raw.value, Unresolved) and raw.value.text:
        parsed = _json_with_placeholders(raw.value.text) or raw.value  # a heredoc with ${...}
    elif raw is not None:
        parsed = getattr(raw.value, "structure", raw.value)  # Terraform source: jsonencode()
    if raw is None or isinstance(parsed, Unresolved) or (
            parsed is None and not isinstance(raw.value, str)):
        why = "known only after apply" if raw is None or isinstance(raw.value, Refs) \
            else f"not known ({parsed})"
        notices.append(Notice(
            Level.INFO, f"The container definitions of {res.label} are {why}, so its "
            "images, log drivers and secrets are not in the documents.", res.origin(),
        ))
    elif isinstance(parsed, list):
        containers = list(Node(parsed, raw.path, raw.document).items())
    else:
        notices.append(Notice(Level.INFO, f"The container_definitions of {res.label} are "
                              "not a JSON list.", raw.origin()))
    volumes_node = res.props.get("volume")
    volumes = list(volumes_node.items()) if volumes_node else []
    where = task_definition.TaskRegion(region, "the aws provider's region") if region else None
    extraction = task_definition.extract(res.props, containers=containers, volumes=volumes,
                                         region=where, secret_ref_kind=_secret_kind,
                                         log_group=log_group)
    if not containers:
        keep = ("os", "arch", "efs", "efs_iam", "efs_access_point", "efs_transit_encryption")
        extraction = Extraction(tuple(c for c in extraction.claims if c.field in keep),
                                extraction.notices, extraction.diagnoses)
    return extraction + Extraction(notices=tuple(notices))

