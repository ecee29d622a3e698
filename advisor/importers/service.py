"""An ECS service: platform version, awsvpcConfiguration, load balancers, ECS Exec.

One reader for the `create-service` input (with or without `serviceName`, as ecspresso's
`ecs-service-def.json` leaves it out), its output (`{"service": {...}}`), the
`describe-services` output (`{"services": [...]}`), a CloudFormation `AWS::ECS::Service`'s or
`AWS::ECS::TaskSet`'s properties and a Terraform `aws_ecs_service`'s values. `platformFamily`
(a deployed service's or task's platform) answers the operating system.

The service names its subnets and target groups but not what they are. `ServiceRefs` hands
them to the caller: a template or a plan can follow them to route tables and load balancers;
a service on its own cannot, and says so.

`absent_is_default`: in the API and in CloudFormation a setting left out takes ECS's default
(no `assignPublicIp` means DISABLED; `authority.AUTHORITY` says it for each field). In a
Terraform plan a value left out of `values` is one known only after apply, and only an
explicit null means the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from advisor.rules.answers import OS, LoadBalancer, ServiceDiscovery

from . import ecs, placeholders
from .authority import omitted
from .model import Claim, Extraction, Level, Notice
from .nodes import Node

# Keys only a service definition has; ecspresso's ecs-service-def.json has no serviceName.
_SERVICE_KEYS = frozenset({
    "networkconfiguration", "launchtype", "platformversion", "desiredcount",
    "deploymentconfiguration", "deploymentcontroller", "schedulingstrategy", "loadbalancers",
    "capacityproviderstrategy", "enableexecutecommand", "serviceregistries",
    "healthcheckgraceperiodseconds", "propagatetags", "serviceconnectconfiguration",
    "enableecsmanagedtags", "placementstrategy",
})


def looks_like_service(value: dict[str, Any]) -> bool:
    """A service definition without `serviceName`: its network configuration, or two keys
    that only a service has, and nothing of a task definition."""
    keys = {str(key).replace("_", "").lower() for key in value}
    if "containerdefinitions" in keys or "resources" in keys:
        return False
    return "networkconfiguration" in keys or len(keys & _SERVICE_KEYS) >= 2


class Part(Enum):
    """What a document says: a whole service; the service-wide settings of a service whose
    task sets carry the deployment (blue/green); or such a task set."""

    ALL = "all"
    SETTINGS = "settings"
    TASK_SET = "task set"


@dataclass(frozen=True, slots=True)
class ServiceRefs:
    service: Node
    public_ip: bool | None = None
    subnets: tuple[Node, ...] = ()
    subnets_node: Node | None = None
    target_groups: tuple[Node, ...] = ()
    classic: tuple[Node, ...] = ()
    load_balancers: Node | None = None
    extra: dict[str, Node] = field(default_factory=dict)
    security_groups: tuple[Node, ...] = ()


def extract(svc: Node, *, absent_is_default: bool = True, part: Part = Part.ALL
            ) -> tuple[Extraction, ServiceRefs]:
    if part is Part.SETTINGS:
        claims, _ = _exec(svc, absent_is_default)
        return Extraction(tuple(claims)), ServiceRefs(svc)
    extraction, refs = _deployment(svc, absent_is_default)
    if part is Part.ALL:
        extraction += Extraction(tuple(_exec(svc, absent_is_default)[0]))
    return extraction, refs


def _exec(svc: Node, absent_is_default: bool) -> tuple[list[Claim], None]:
    execute = svc.get("enableExecuteCommand")
    if execute is not None and (flag := execute.flag()) is not None:
        return [Claim("ecs_exec", flag, (execute.origin(),))], None
    if execute is None and (absent_is_default or svc.has("enableExecuteCommand")):
        return [omitted("ecs_exec", svc.origin())], None
    return [], None


def _deployment(svc: Node, absent_is_default: bool) -> tuple[Extraction, ServiceRefs]:
    """Platform version, launch type, awsvpcConfiguration and load balancers."""
    claims: list[Claim] = []
    notices: list[Notice] = []

    def default_applies(parent: Node, *names: str) -> bool:
        return absent_is_default or (parent.has(*names) and parent.get(*names) is None)

    version = svc.get("platformVersion")
    if version is not None and (text := version.text()):
        value = ecs.PLATFORM_VERSIONS.get(text.lower())
        if value is None:
            notices.append(Notice(
                Level.WARNING,
                f"platformVersion {text} is not one the advisor knows "
                f"({', '.join(ecs.PLATFORM_VERSIONS)}); older versions are retired.",
                version.origin(text),
            ))
        else:
            claims.append(Claim("platform_version", value, (version.origin(text),)))
    elif version is None and default_applies(svc, "platformVersion"):
        claims.append(omitted("platform_version", svc.origin()))

    family = svc.get("platformFamily")
    if family is not None and (text := family.text()):
        os = OS.WINDOWS if text.upper().startswith("WINDOWS") else OS.LINUX
        claims.append(Claim("os", os, (family.origin(text),), "the platform the tasks run on"))

    launch = svc.get("launchType")
    if launch is not None and (text := launch.text()) and text.upper() != "FARGATE":
        notices.append(Notice(
            Level.WARNING, f"launchType is {text}, not FARGATE: this service does not run on "
            "Fargate.", launch.origin(text),
        ))
    strategy = svc.get("capacityProviderStrategy")
    if launch is None and strategy is None and absent_is_default and svc.get("taskArn") is None:
        notices.append(Notice(
            Level.INFO, "Neither launchType nor capacityProviderStrategy is set: the service "
            "uses the cluster's default capacity provider strategy, or the EC2 launch type if "
            "the cluster has none. The advisor assumes Fargate.", svc.origin(),
        ))
    for item in strategy.items() if strategy else ():
        provider = item.get("capacityProvider")
        text = provider.text() if provider else None
        if provider and text and text.upper() not in ("FARGATE", "FARGATE_SPOT"):
            notices.append(Notice(
                Level.INFO, f"The capacity provider {text} is not FARGATE or FARGATE_SPOT; the "
                "advisor assumes the tasks run on Fargate.", provider.origin(text),
            ))

    network = svc.block("networkConfiguration")
    awsvpc = (network.block("awsvpcConfiguration") or network) if network else None
    public_ip: bool | None = None
    subnets: tuple[Node, ...] = ()
    subnets_node = None
    security_groups: tuple[Node, ...] = ()
    if awsvpc is None:
        if absent_is_default:
            notices.append(Notice(
                Level.WARNING, "The service has no networkConfiguration.awsvpcConfiguration; "
                "Fargate needs one (subnets and security groups).", svc.origin(),
            ))
    else:
        subnets_node = awsvpc.get("subnets")
        if subnets_node is not None and (count := subnets_node.list_length()) is not None:
            subnets = tuple(subnets_node.items())
            claims.append(Claim("subnet_count", count, (subnets_node.origin(),)))
        elif subnets_node is not None:
            subnets = (subnets_node,)  # a list parameter, or a reference known after apply
        groups = awsvpc.get("securityGroups")
        if groups is not None:
            security_groups = tuple(groups.items()) if groups.list_length() else (groups,)
        if groups is not None and (count := groups.list_length()) is not None:
            claims.append(Claim("security_group_count", count, (groups.origin(),)))
        elif groups is None and default_applies(awsvpc, "securityGroups"):
            claims.append(omitted("security_group_count", awsvpc.origin()))
        assign = awsvpc.get("assignPublicIp")
        if assign is not None and (flag := assign.flag()) is not None:
            public_ip = flag
            claims.append(Claim("public_ip", flag, (assign.origin(assign.text() or ""),)))
        elif assign is None and default_applies(awsvpc, "assignPublicIp"):
            claim = omitted("public_ip", awsvpc.origin())
            public_ip = claim.value
            claims.append(claim)

    balancers = svc.get("loadBalancers", "loadBalancer")
    target_groups: list[Node] = []
    classic: list[Node] = []
    for item in balancers.items() if balancers else ():
        if (group := item.get("targetGroupArn")) is not None:
            target_groups.append(group)
        elif (name := item.get("loadBalancerName", "elbName")) is not None:
            classic.append(name)
    if classic:
        claims.append(Claim("load_balancer", LoadBalancer.CLB,
                            tuple(node.origin() for node in classic),
                            "loadBalancerName names a Classic Load Balancer"))
    elif (balancers is None or balancers.list_length() == 0) and (
        balancers is not None or default_applies(svc, "loadBalancers", "loadBalancer")
    ):
        origin = balancers.origin() if balancers else svc.origin()
        claims.append(omitted("load_balancer", origin))

    claims += _discovery(svc, default_applies)
    refs = ServiceRefs(
        svc, public_ip, subnets, subnets_node, tuple(target_groups), tuple(classic), balancers,
        security_groups=security_groups,
    )
    return Extraction(tuple(claims), tuple(notices)), refs


def _discovery(svc: Node, default_applies: Callable[..., bool]) -> list[Claim]:
    """Service Connect when it is enabled, else Cloud Map when the service registers."""
    connect = svc.block("serviceConnectConfiguration")
    enabled = connect.get("enabled") if connect else None
    if enabled is not None and enabled.flag() is True:
        return [Claim("service_discovery", ServiceDiscovery.SERVICE_CONNECT,
                      (enabled.origin(),))]
    registries = svc.get("serviceRegistries", "serviceRegistry")
    if registries is not None and registries.list_length() != 0:
        return [Claim("service_discovery", ServiceDiscovery.CLOUD_MAP, (registries.origin(),))]
    if (enabled is not None and enabled.flag() is False) or (
            connect is None and default_applies(svc, "serviceConnectConfiguration")
            and (registries is not None or default_applies(svc, "serviceRegistries",
                                                           "serviceRegistry"))):
        origin = registries.origin() if registries is not None else svc.origin()
        return [omitted("service_discovery", origin)]
    return []


def unfollowed(refs: ServiceRefs) -> Extraction:
    """For a service read on its own: what its IDs cannot tell."""
    notices: list[Notice] = []
    if refs.subnets:
        ids = [node.text() or "?" for node in refs.subnets]
        shown = [f"{text} (a placeholder)" if placeholders.is_placeholder(text) else text
                 for text in ids]
        ids = shown
        notices.append(Notice(
            Level.INFO,
            f"The service names its subnets ({', '.join(ids)}) but not their route tables, so "
            "whether they are public or private (and have a NAT gateway) is not in the "
            "document. Add the template or plan that creates them, or answer the question.",
            (refs.subnets_node or refs.service).origin(),
        ))
    if refs.target_groups:
        notices.append(Notice(
            Level.INFO,
            "The service names target groups by ARN, which does not say the load balancer's "
            "type or the target type. Add the template or plan that creates them, or answer "
            "the questions.",
            refs.target_groups[0].origin(),
        ))
    return Extraction(notices=tuple(notices))
