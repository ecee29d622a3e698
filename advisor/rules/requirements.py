"""The requirements: every condition a task needs to start and to serve, as rows of data.

Each `Need` is a plain condition over the answers, `(answers) -> True | False | None` (None:
it does not apply to this configuration), with the finding that explains a violation, the
read-only AWS CLI commands that show whether it holds in a real account, and its sources.

They are the one statement of what blocks a task: the verdict with unknown answers is decided
from them (`search.decide`), and for complete answers a test over the whole answer grid holds
them to the findings the evaluator writes (a violated blocking need <=> its blocker finding).

Conditions read answers only through attributes and `has_endpoint()`, so that `search` can
split on exactly the fields each one reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .answers import (
    OS,
    Endpoint,
    IPMode,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    TargetType,
)
from .knowledge import (
    CAPABILITIES,
    ECR_REGISTRIES,
    ENDPOINT_SERVED_REGISTRIES,
    ENDPOINTS,
    MAX_SECURITY_GROUPS,
    MAX_SUBNETS,
    PRIVATE_DNS_ENDPOINT_TYPES,
    Capability,
    Unsupported,
    resolve,
)
from .paths import internet_path
from .result import Action
from .search import INT_CLASSES, Condition

# The integer classes the conditions below tell apart (search splits an unknown count on them).
INT_CLASSES.update({
    "subnet_count": (2, MAX_SUBNETS + 1),
    "security_group_count": (1, 0, MAX_SECURITY_GROUPS + 1),
})


@dataclass(frozen=True, slots=True)
class Need:
    id: str
    text: str
    actions: tuple[Action, ...]
    condition: Condition
    finding: Callable[[Any], str]  # the finding that explains a violation (complete answers)
    check: tuple[str, ...]  # read-only AWS CLI commands that show whether it holds
    sources: tuple[str, ...]
    blocking: bool = True  # a violation stops the task; otherwise a feature fails (a warning)


# --- Paths, as conditions ------------------------------------------------------------------


def internet(a: Any) -> bool:
    """An outbound path to the internet from the task ENI: the paths pass decides it, here
    read through a view that splits on each field it asks for (SOURCES: networking, nat64)."""
    return internet_path(a) is not None


def usable(a: Any, endpoint: Endpoint) -> bool:
    """The endpoint is there and the usual service names resolve to it (SOURCES: ecs_endpoints)."""
    if not a.has_endpoint(endpoint):
        return False
    if ENDPOINTS[endpoint].type in PRIVATE_DNS_ENDPOINT_TYPES:
        return bool(a.vpc_dns) and bool(a.endpoint_private_dns)
    return True


def on_task_eni(a: Any) -> bool:
    """ECR login and secrets use the task ENI except on Linux 1.3.0 (the AWS traffic table)."""
    return a.os is OS.WINDOWS or resolve(OS.LINUX, a.platform_version) is not PlatformVersion.V1_3_0


def _ecr_endpoint_capable(a: Any) -> bool:
    """Same-Region ECR has endpoints; none is documented for IPv6-only tasks (conflict)."""
    return a.registry in ENDPOINT_SERVED_REGISTRIES and a.ip_mode is not IPMode.IPV6_ONLY


def _reach(endpoint: Endpoint | None, uses: Condition, capable: Condition,
           unsupported: Condition | None = None) -> Condition:
    """Met when the flow is used and an endpoint that serves it, or the internet, reaches it."""

    def condition(a: Any) -> bool | None:
        if not uses(a):
            return None
        if unsupported is not None and unsupported(a):
            return False
        if endpoint is not None and capable(a) and usable(a, endpoint):
            return True
        return internet(a)

    return condition


def _reach_finding(endpoint: Endpoint | None, capable: Condition = lambda a: True
                   ) -> Callable[[Any], str]:
    def finding(a: Any) -> str:
        if endpoint is None or not capable(a):
            return "no-internet-path"
        if a.has_endpoint(endpoint):
            return "endpoints-need-private-dns"
        return "no-path-to-aws-services"

    return finding


def _uses_ecr_login(a: Any) -> bool:
    return a.registry in ECR_REGISTRIES and on_task_eni(a)


def _uses_secrets_manager(a: Any) -> bool:
    return (a.registry is Registry.PRIVATE_REGISTRY
            or SecretSource.SECRETSMANAGER in a.secrets) and on_task_eni(a)


def _uses_ssm(a: Any) -> bool:
    return SecretSource.SSM in a.secrets and on_task_eni(a)


def _efs_mounts(a: Any) -> bool:
    return bool(a.efs) and a.os is OS.LINUX and on_task_eni(a)


def _uses_exec(a: Any) -> bool:
    return bool(a.ecs_exec) and on_task_eni(a)


def _exec_finding(a: Any) -> str:
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "ecs-exec-unsupported-ipv6-only"
    return "ecs-exec-no-path"


def _describe_endpoint(service: str) -> str:
    return ("aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=<vpc-id> "
            f"Name=service-name,Values=com.amazonaws.<region>.{service} --query "
            "'VpcEndpoints[].{id:VpcEndpointId,state:State,privateDns:PrivateDnsEnabled,"
            "subnets:SubnetIds,routeTables:RouteTableIds}'")


_ROUTES = ("aws ec2 describe-route-tables --filters Name=association.subnet-id,"
           "Values=<subnet-id> --query 'RouteTables[].Routes[?DestinationCidrBlock==`0.0.0.0/0`"
           " || DestinationIpv6CidrBlock==`::/0`]'")
_PUBLIC_IP = ("aws ecs describe-services --cluster <cluster> --services <service> --query "
              "'services[].networkConfiguration.awsvpcConfiguration'")
_VPC_DNS = ("aws ec2 describe-vpc-attribute --vpc-id <vpc-id> --attribute enableDnsSupport && "
            "aws ec2 describe-vpc-attribute --vpc-id <vpc-id> --attribute enableDnsHostnames")
_PLATFORM = ("aws ecs describe-services --cluster <cluster> --services <service> --query "
             "'services[].platformVersion'")
_RUNTIME = ("aws ecs describe-task-definition --task-definition <family> --query "
            "'taskDefinition.{runtimePlatform:runtimePlatform,volumes:volumes}'")
_TARGETS = ("aws elbv2 describe-target-groups --target-group-arns <target-group-arn> "
            "--query 'TargetGroups[].{type:TargetType,protocol:Protocol,port:Port}'")
_INTERNET_CHECKS = (_ROUTES, _PUBLIC_IP)
_PATH_SOURCES = ("networking", "ecs_endpoints", "verify_connectivity")


def _reach_need(id: str, text: str, actions: tuple[Action, ...], endpoint: Endpoint | None,
                uses: Condition, capable: Condition = lambda a: True, *,
                blocking: bool = True, extra_sources: tuple[str, ...] = (),
                finding: Callable[[Any], str] | None = None,
                unsupported: Condition | None = None) -> Need:
    checks: tuple[str, ...] = _INTERNET_CHECKS
    if endpoint is not None:
        fact = ENDPOINTS[endpoint]
        checks = (_describe_endpoint(fact.service_name.split(".", 3)[3]), *checks)
        if fact.type in PRIVATE_DNS_ENDPOINT_TYPES:
            checks += (_VPC_DNS,)
    return Need(id, text, actions, _reach(endpoint, uses, capable, unsupported),
                finding or _reach_finding(endpoint, capable), checks,
                _PATH_SOURCES + extra_sources, blocking)


PATH_NEEDS: tuple[Need, ...] = (
    _reach_need(
        "reach-ecr-api",
        "The task reaches ecr.api for its ECR login: an ecr.api endpoint with private DNS, or "
        "an internet path (NAT gateway, or a public IP in a public subnet).",
        (Action.ECR_AUTH,), Endpoint.ECR_API, _uses_ecr_login, _ecr_endpoint_capable,
        extra_sources=("ecr_endpoints",),
    ),
    _reach_need(
        "reach-ecr-dkr",
        "The task reaches the ECR registry (ecr.dkr) for image manifests: an ecr.dkr endpoint "
        "with private DNS, or an internet path.",
        (Action.IMAGE_PULL,), Endpoint.ECR_DKR,
        lambda a: a.registry in ENDPOINT_SERVED_REGISTRIES, _ecr_endpoint_capable,
        extra_sources=("ecr_endpoints",),
    ),
    _reach_need(
        "reach-s3-layers",
        "The task reaches Amazon S3 for the image layers: the S3 gateway endpoint on the task "
        "subnets' route tables, or an internet path.",
        (Action.IMAGE_PULL,), Endpoint.S3,
        lambda a: a.registry in ENDPOINT_SERVED_REGISTRIES, _ecr_endpoint_capable,
        extra_sources=("ecr_endpoints",),
    ),
    _reach_need(
        "reach-registry",
        "The task reaches its image registry over the internet: no VPC endpoint serves another "
        "Region's ECR, ECR Public or a third-party registry.",
        (Action.IMAGE_PULL,), None,
        lambda a: a.registry not in ENDPOINT_SERVED_REGISTRIES,
        extra_sources=("cannot_pull",),
    ),
    _reach_need(
        "reach-logs",
        "The awslogs driver reaches CloudWatch Logs: a logs endpoint with private DNS, or an "
        "internet path.",
        (Action.LOG_DRIVER,), Endpoint.LOGS, lambda a: a.log_driver is LogDriver.AWSLOGS,
        extra_sources=("awslogs",),
    ),
    _reach_need(
        "reach-splunk",
        "The splunk log driver reaches your Splunk HTTP Event Collector: no AWS endpoint serves "
        "it, so it needs an internet path (or a private route the advisor cannot see).",
        (Action.LOG_DRIVER,), None, lambda a: a.log_driver is LogDriver.SPLUNK,
    ),
    _reach_need(
        "reach-secretsmanager",
        "The task reaches Secrets Manager for its secrets: a secretsmanager endpoint with "
        "private DNS, or an internet path.",
        (Action.SECRETS,), Endpoint.SECRETSMANAGER, _uses_secrets_manager,
        extra_sources=("secrets",),
    ),
    _reach_need(
        "reach-ssm",
        "The task reaches Systems Manager Parameter Store for its parameters: an ssm endpoint "
        "with private DNS, or an internet path.",
        (Action.SECRETS,), Endpoint.SSM, _uses_ssm, extra_sources=("secrets",),
    ),
    Need(
        "efs-resolves",
        "The VPC resolves the EFS file system's DNS name (fs-….efs.<region>.amazonaws.com): "
        "enableDnsSupport and enableDnsHostnames are both on.",
        (Action.EFS,), lambda a: bool(a.vpc_dns) if _efs_mounts(a) else None,
        lambda a: "efs-needs-vpc-dns", (_VPC_DNS,), ("efs", "vpc_dns"),
    ),
    _reach_need(
        "reach-firelens-destination",
        "FireLens reaches its destination (for CloudWatch Logs: a logs endpoint with private "
        "DNS, or an internet path). The task starts without it; the logs are lost.",
        (Action.FIRELENS,), Endpoint.LOGS,
        lambda a: a.log_driver is LogDriver.FIRELENS and a.os is OS.LINUX,
        blocking=False, extra_sources=("firelens",),
        finding=lambda a: "firelens-destination-unreachable",
    ),
    _reach_need(
        "reach-ssmmessages",
        "ECS Exec's agent reaches Session Manager: an ssmmessages endpoint with private DNS, or "
        "an internet path; not in IPv6-only subnets. The task starts without it; exec sessions "
        "fail.",
        (), Endpoint.SSMMESSAGES, _uses_exec, blocking=False, extra_sources=("ecs_exec",),
        finding=_exec_finding, unsupported=lambda a: a.ip_mode is IPMode.IPV6_ONLY,
    ),
)


# --- Platform capabilities: one need per row of knowledge.CAPABILITIES -------------------


def capability_gap(cap: Capability, a: Any) -> Unsupported | None:
    """Why this task's OS or platform version cannot use the feature, or None when it can."""
    if a.os is OS.WINDOWS:
        return cap.windows
    if cap.linux_1_3_0 is None or on_task_eni(a):
        return None
    return cap.linux_1_3_0


def _capable(cap: Capability) -> Condition:
    def condition(a: Any) -> bool | None:
        if not cap.uses(a):
            return None
        return capability_gap(cap, a) is None

    return condition


def _capability_finding(cap: Capability) -> Callable[[Any], str]:
    def finding(a: Any) -> str:
        found = capability_gap(cap, a)
        assert found is not None
        return found.id

    return finding


CAPABILITY_NEEDS: tuple[Need, ...] = tuple(
    Need(cap.id, cap.text, cap.actions, _capable(cap), _capability_finding(cap),
         (_RUNTIME, _PLATFORM), (*cap.sources, "platform_versions"))
    for cap in CAPABILITIES
)


# --- The rest: the platform version, the load balancer, awsvpcConfiguration ----------------


def _target_type_ip(a: Any) -> bool | None:
    if a.load_balancer in (LoadBalancer.NONE, LoadBalancer.CLB):
        return None
    return a.target_type is TargetType.IP


def _within_limits(a: Any) -> bool:
    return bool(a.subnet_count <= MAX_SUBNETS and a.security_group_count <= MAX_SECURITY_GROUPS)


OTHER_NEEDS: tuple[Need, ...] = (
    Need("platform-version-supported",
         "The task runs on a platform version Fargate still starts (Linux 1.4.0 or LATEST; "
         "Windows 1.0.0 or LATEST).",
         (), lambda a: on_task_eni(a), lambda a: "platform-version-1-3-0-retired",
         (_PLATFORM,), ("platform_retired", "platform_versions")),
    Need("load-balancer-supported",
         "The load balancer can register Fargate tasks (Application, Network or Gateway; not "
         "Classic).",
         (Action.APPLICATION,),
         lambda a: None if a.load_balancer is LoadBalancer.NONE
         else a.load_balancer is not LoadBalancer.CLB,
         lambda a: "classic-load-balancer-unsupported",
         ("aws ecs describe-services --cluster <cluster> --services <service> --query "
          "'services[].loadBalancers'",), ("load_balancing",)),
    Need("target-type-ip", "The load balancer's target groups have target type ip.",
         (Action.APPLICATION,), _target_type_ip, lambda a: "target-type-must-be-ip",
         (_TARGETS,), ("load_balancing", "networking")),
    Need("awsvpc-configuration-limits",
         f"awsvpcConfiguration lists at most {MAX_SUBNETS} subnets and "
         f"{MAX_SECURITY_GROUPS} security groups.",
         (), _within_limits, lambda a: "awsvpc-configuration-limits",
         (_PUBLIC_IP,), ("awsvpc_configuration",)),
)

# Paths first: they are what most tasks hang on, so the checklist and a conditional verdict's
# witness lead with them rather than with, say, an unknown platform version.
NEEDS: tuple[Need, ...] = PATH_NEEDS + CAPABILITY_NEEDS + OTHER_NEEDS
NEEDS_BY_ID: dict[str, Need] = {need.id: need for need in NEEDS}
BLOCKING: tuple[Need, ...] = tuple(need for need in NEEDS if need.blocking)

# The VPC DNS check is shared by every path that goes through an interface endpoint.
VPC_DNS_CHECK = _VPC_DNS
