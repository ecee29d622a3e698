# ruff: noqa: E501  (the module docstring holds tables)
"""The inputs of the most used public modules, and the resources they mean.

A module's code cannot be fetched here, so a call of a module is read only through the
inputs below, with the defaults of the module's current major version; each becomes the
resources the module creates for it (`Call.add`), read like any other. Inputs not listed
are not read, and every output not listed is unknown.

terraform-aws-modules/vpc/aws (v6; v5 has the same inputs and defaults):

| input | default | what it means here |
|---|---|---|
| `private_subnets` | `[]` | one private subnet per CIDR, on the private route table(s) |
| `public_subnets` | `[]` | one public subnet per CIDR, on the public route table |
| `create_igw` | `true` | an internet gateway, the public route table's 0.0.0.0/0 target |
| `enable_nat_gateway` | `false` | NAT gateways, the private route tables' 0.0.0.0/0 target |
| `single_nat_gateway`, `one_nat_gateway_per_az` | `false` | how many NAT gateways (not whether) |
| `create_private_nat_gateway_route` | `true` | whether the private tables route to NAT |
| `enable_dns_support` | `true` | the VPC's DNS resolution |
| `enable_dns_hostnames` | `true` | the VPC's DNS hostnames (true here, unlike a bare VPC) |
| `enable_ipv6` | `false` | IPv6 CIDR blocks: when true, the IPv6 fields are left unknown |
| `create_vpc` | `true` | when false, the module creates nothing |
| outputs | | `vpc_id`, `private_subnets`, `public_subnets`, `private_route_table_ids`, `public_route_table_ids`, `natgw_ids`, `igw_id` |

terraform-aws-modules/vpc/aws//modules/vpc-endpoints (v6):

| input | default | what it means here |
|---|---|---|
| `vpc_id` | | the endpoints' VPC |
| `endpoints` | `{}` | one endpoint per entry: `service` (e.g. `ecr.api`, `s3`) or `service_endpoint`, `service_type` (default `Interface`), `private_dns_enabled` (default false), `route_table_ids`, `security_group_ids` |
| `security_group_ids` | `[]` | every interface endpoint's security groups, with its entry's; none: the VPC's default group |
| `create_security_group` | `false` | the module's own group for the endpoints, whose rules are its inputs: left unknown |

terraform-aws-modules/ecs/aws//modules/service (v7; v5 and v6 alike for these inputs), and
each entry of `services` of terraform-aws-modules/ecs/aws:

| input | default | what it means here |
|---|---|---|
| `subnet_ids` | `[]` | the service's subnets |
| `assign_public_ip` | `false` | awsvpcConfiguration.assignPublicIp |
| `security_group_ids` | `[]` | security groups, plus the module's own when `create_security_group` (default `true`) |
| `enable_execute_command` | `false` | ECS Exec |
| `platform_version` | `null` (LATEST) | the Fargate platform version |
| `launch_type` | `FARGATE` | |
| `load_balancer` | `null` | a map of `{target_group_arn, container_name, container_port}` |
| `runtime_platform` | Linux, X86_64 | the task's OS and CPU architecture |
| `container_definitions` | `{}` | a map of container definitions (ECS API names); each logs with awslogs unless it sets `logConfiguration` or `create_cloudwatch_log_group = false` |
| `volume` | `{}` | task volumes; `efs_volume_configuration` means EFS |
| `create_service`, `create_task_definition` | `true` | |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .model import Level, Notice, Origin
from .nodes import Unresolved
from .tf_eval import Ref, unknown

# The fields each input decides, for saying which variable's default an answer rests on.
INPUT_FIELDS: dict[str, tuple[str, ...]] = {
    "enable_nat_gateway": ("subnet", "nat_gateway"),
    "create_igw": ("subnet",),
    "public_subnets": ("subnet",),
    "enable_dns_support": ("vpc_dns",),
    "enable_dns_hostnames": ("vpc_dns",),
    "enable_ipv6": ("ip_mode", "ipv6_autoassign", "ipv6_egress"),
    "endpoints": ("endpoints", "endpoint_private_dns"),
    "assign_public_ip": ("public_ip",),
    "enable_execute_command": ("ecs_exec",),
    "platform_version": ("platform_version",),
    "runtime_platform": ("os", "arch"),
}

Add = Callable[[str, str, str, Any, dict[str, Any], str, str], Ref]


@dataclass
class Call:
    name: str
    source: str
    inputs: dict[str, Any]
    document: str
    line: int
    add: Add

    def get(self, key: str, default: Any) -> Any:
        value = self.inputs.get(key, default)
        return default if value is None else value

    def resource(self, rtype: str, name: str, key: Any, props: dict[str, Any]) -> Ref:
        path = f"module.{self.name}"
        return self.add(f"module.{self.name}", rtype, name, key, props, path, self.document)

    def origin(self, note: str = "") -> Origin:
        return Origin(self.document, f"module.{self.name}", note or f"line {self.line}")


@dataclass
class ModuleResult:
    source: str
    outputs: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def handler(source: str) -> Callable[[Call], ModuleResult] | None:
    source = source.removeprefix("registry.terraform.io/").split("?", 1)[0]
    for prefix in ("github.com/", "git::https://github.com/"):
        source = source.removeprefix(prefix)
    for pattern, function in _HANDLERS:
        if source.rstrip("/").endswith(pattern):
            return function
    return None


def _list(value: Any) -> list[Any] | None:
    return value if isinstance(value, list) else None


def vpc(call: Call) -> ModuleResult:
    result = ModuleResult(call.source)
    if call.get("create_vpc", True) is not True:
        if call.inputs.get("create_vpc") is not False:
            result.notices.append(Notice(Level.INFO, f"Module `{call.name}`: create_vpc is not "
                                         "known, so whether it creates a VPC is not known.",
                                         call.origin()))
        return result
    ipv6 = call.get("enable_ipv6", False)
    vpc_ref = call.resource("aws_vpc", "this", None, {
        "cidr_block": call.inputs.get("cidr", "10.0.0.0/16"),
        "enable_dns_support": call.get("enable_dns_support", True),
        "enable_dns_hostnames": call.get("enable_dns_hostnames", True),
    })
    result.outputs["vpc_id"] = vpc_ref
    subnet_ipv6: dict[str, Any] = {}
    if ipv6 is not False:
        subnet_ipv6 = {"ipv6_cidr_block": unknown("enable_ipv6 of the vpc module: the IPv6 "
                                                  "blocks are assigned when Terraform runs"),
                       "assign_ipv6_address_on_creation": unknown("set inside the vpc module")}
    public = _list(call.get("public_subnets", []))
    private = _list(call.get("private_subnets", []))
    igw = None
    if public and call.get("create_igw", True) is True:
        igw = call.resource("aws_internet_gateway", "this", None, {"vpc_id": vpc_ref})
        result.outputs["igw_id"] = igw
    nat = call.get("enable_nat_gateway", False)
    nat_ref: Any = None
    if nat is True and public:
        nat_ref = call.resource("aws_nat_gateway", "this", None, {"connectivity_type": "public"})
        result.outputs["natgw_ids"] = [nat_ref]
    elif isinstance(nat, Unresolved):
        nat_ref = unknown(f"enable_nat_gateway of module `{call.name}` is not known ({nat})")
    for kind, cidrs in (("public", public), ("private", private)):
        if cidrs is None:
            result.outputs[f"{kind}_subnets"] = unknown(
                f"{kind}_subnets of module `{call.name}` is not known")
            continue
        if not cidrs:
            result.outputs[f"{kind}_subnets"] = []
            continue
        routes: list[dict[str, Any]] = []
        if kind == "public" and igw is not None:
            routes.append({"cidr_block": "0.0.0.0/0", "gateway_id": igw})
        if kind == "private" and nat_ref is not None and \
                call.get("create_private_nat_gateway_route", True) is True:
            routes.append({"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat_ref})
        table = call.resource("aws_route_table", kind, None, {"vpc_id": vpc_ref,
                                                              "route": routes})
        result.outputs[f"{kind}_route_table_ids"] = [table]
        subnets = []
        for index, cidr in enumerate(cidrs):
            subnet = call.resource("aws_subnet", kind, index, {
                "vpc_id": vpc_ref, "cidr_block": cidr,
                "map_public_ip_on_launch": kind == "public" and call.get(
                    "map_public_ip_on_launch", False),
                **subnet_ipv6,
            })
            call.resource("aws_route_table_association", kind, index,
                          {"subnet_id": subnet, "route_table_id": table})
            subnets.append(subnet)
        result.outputs[f"{kind}_subnets"] = subnets
    return result


def vpc_endpoints(call: Call) -> ModuleResult:
    result = ModuleResult(call.source)
    endpoints = call.get("endpoints", {})
    if not isinstance(endpoints, dict):
        result.notices.append(Notice(Level.INFO, f"The endpoints of module `{call.name}` are "
                                     "not known.", call.origin()))
        call.resource("aws_vpc_endpoint", "this", None, {
            "service_name": unknown("endpoints not known")})
        return result
    for key, entry in endpoints.items():
        if not isinstance(entry, dict) or entry.get("create", True) is False:
            continue
        service = entry.get("service_endpoint")
        if service is None:
            name = entry.get("service")
            service = f"com.amazonaws.region.{name}" if isinstance(name, str) else unknown(
                f"the service of endpoint {key} is not known")
        kind = entry.get("service_type", "Interface")
        groups: Any = [*call.get("security_group_ids", []), *entry.get("security_group_ids", [])] \
            if isinstance(call.get("security_group_ids", []), list) and isinstance(
                entry.get("security_group_ids", []), list) else unknown("security groups")
        own = call.get("create_security_group", False)
        if isinstance(groups, list) and own is not False:
            groups.append(unknown("the module's own security group"))
        call.resource("aws_vpc_endpoint", "this", key, {
            "vpc_id": call.inputs.get("vpc_id"),
            "service_name": service,
            "vpc_endpoint_type": kind,
            "private_dns_enabled": entry.get("private_dns_enabled", False)
            if kind == "Interface" else False,
            "route_table_ids": entry.get("route_table_ids"),
            "security_group_ids": groups if kind == "Interface" else None,
        })
    return result


def ecs_service(call: Call, inputs: dict[str, Any] | None = None, name: str = "this"
                ) -> ModuleResult:
    result = ModuleResult(call.source)
    values = call.inputs if inputs is None else inputs

    def get(key: str, default: Any) -> Any:
        value = values.get(key, default)
        return default if value is None else value

    if get("create_task_definition", True) is True:
        containers = []
        definitions = get("container_definitions", {})
        if isinstance(definitions, dict):
            for container_name, definition in definitions.items():
                if not isinstance(definition, dict):
                    continue
                container = {"name": container_name} | {
                    k: v for k, v in definition.items() if v is not None}
                if "logConfiguration" not in container and get(
                        "create_cloudwatch_log_group", True) is not False and \
                        container.get("create_cloudwatch_log_group", True) is not False:
                    container["logConfiguration"] = {"logDriver": "awslogs"}
                containers.append(container)
            td_props: dict[str, Any] = {"container_definitions": containers}
        else:
            td_props = {"container_definitions": unknown("container_definitions not known")}
        platform = get("runtime_platform", {})
        td_props |= {
            "network_mode": get("network_mode", "awsvpc"),
            "requires_compatibilities": get("requires_compatibilities", ["FARGATE"]),
            "runtime_platform": [{
                "operating_system_family": platform.get("operating_system_family", "LINUX"),
                "cpu_architecture": platform.get("cpu_architecture", "X86_64"),
            }] if isinstance(platform, dict) else platform,
            "volume": [v for v in get("volume", {}).values() if isinstance(v, dict)]
            if isinstance(get("volume", {}), dict) else unknown("volumes not known"),
        }
        call.resource("aws_ecs_task_definition", name, None, td_props)
    if get("create_service", True) is True:
        groups = get("security_group_ids", [])
        own = get("create_security_group", True)
        if isinstance(groups, list) and isinstance(own, bool):
            groups = groups + ([unknown("the module's own security group")] if own else [])
        balancers = get("load_balancer", {})
        call.resource("aws_ecs_service", name, None, {
            "launch_type": get("launch_type", "FARGATE"),
            "platform_version": values.get("platform_version"),
            "enable_execute_command": get("enable_execute_command", False),
            "network_configuration": [{
                "subnets": get("subnet_ids", []),
                "security_groups": groups,
                "assign_public_ip": get("assign_public_ip", False),
            }],
            "load_balancer": [v for v in balancers.values() if isinstance(v, dict)]
            if isinstance(balancers, dict) else balancers,
        })
    return result


def ecs(call: Call) -> ModuleResult:
    result = ModuleResult(call.source)
    services = call.get("services", {})
    if not isinstance(services, dict):
        result.notices.append(Notice(Level.INFO, f"The services of module `{call.name}` are "
                                     "not known.", call.origin()))
        return result
    for key, service in services.items():
        if isinstance(service, dict):
            inner = ecs_service(call, service, str(key))
            result.notices += inner.notices
    return result


_HANDLERS: tuple[tuple[str, Callable[[Call], ModuleResult]], ...] = (
    ("terraform-aws-modules/vpc/aws//modules/vpc-endpoints", vpc_endpoints),
    ("terraform-aws-vpc//modules/vpc-endpoints", vpc_endpoints),
    ("terraform-aws-modules/vpc/aws", vpc),
    ("terraform-aws-modules/terraform-aws-vpc", vpc),
    ("terraform-aws-modules/ecs/aws//modules/service", ecs_service),
    ("terraform-aws-ecs//modules/service", ecs_service),
    ("terraform-aws-modules/ecs/aws", ecs),
    ("terraform-aws-modules/terraform-aws-ecs", ecs),
)
