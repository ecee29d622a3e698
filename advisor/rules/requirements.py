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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from .answers import (
    OS,
    Admits,
    Capacity,
    Coverage,
    Endpoint,
    ExecLogging,
    IPMode,
    LoadBalancer,
    Location,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    ServiceDiscovery,
    Subnet,
    TargetType,
    Where,
)
from .detail import (
    INTERNET_WAYS,
    Way,
    ecr_pull_allowed,
    endpoint_policy_allows,
    endpoint_sg_admits,
    firewall_allows,
    interface_names_resolve,
    is_interface,
    log_group_ready,
    nacl_allows,
    other_registries,
    private_names_resolve,
    public_names_resolve,
    registries,
    secrets_shared,
    takes_traffic,
    task_egress_allows,
    uses_own_dns,
    why_not_taken,
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
from .search import INT_CLASSES, MULTI_CLASSES, Condition, fails_only_where

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
    """The endpoint is there and takes the traffic (`detail.takes_traffic`; SOURCES:
    ecs_endpoints)."""
    return takes_traffic(a, endpoint)


def on_task_eni(a: Any) -> bool:
    """ECR login and secrets use the task ENI except on Linux 1.3.0 (the AWS traffic table)."""
    return a.os is OS.WINDOWS or resolve(OS.LINUX, a.platform_version) is not PlatformVersion.V1_3_0


def _ecr_endpoint_capable(a: Any) -> bool:
    """Same-Region ECR has endpoints; none is documented for IPv6-only tasks (conflict)."""
    return a.registry in ENDPOINT_SERVED_REGISTRIES and a.ip_mode is not IPMode.IPV6_ONLY


def _any_ecr_endpoint_capable(a: Any) -> bool:
    return (any(r in ENDPOINT_SERVED_REGISTRIES for r in registries(a))
            and a.ip_mode is not IPMode.IPV6_ONLY)


@dataclass(frozen=True, slots=True)
class Flow:
    """A flow out of the task ENI, for the filters on its way: when it is used, the endpoint
    that can serve it and whether it can here."""

    uses: Condition
    endpoint: Endpoint | None
    capable: Condition
    unsupported: Condition | None = None


def way_of(a: Any, flow: Flow) -> Way | None:
    """The way a used flow leaves the task ENI (None: it has none; its route need says so)."""
    if flow.endpoint is not None and flow.capable(a) and takes_traffic(a, flow.endpoint):
        return Way.INTERFACE if is_interface(flow.endpoint) else Way.GATEWAY
    if not internet(a):
        return None
    return Way.S3_INTERNET if flow.endpoint is Endpoint.S3 else Way.INTERNET


def gets_through(a: Any, way: Way) -> bool:
    """Every filter on this way lets the flow through (`detail`)."""
    if not (task_egress_allows(a, way) and nacl_allows(a, way)):
        return False
    if uses_own_dns(a) and not (task_egress_allows(a, Way.DNS) and nacl_allows(a, Way.DNS)):
        return False
    if way in INTERNET_WAYS:
        return public_names_resolve(a) and (not _nat_route(a) or firewall_allows(a))
    if way is Way.INTERFACE:
        return endpoint_sg_admits(a) and endpoint_policy_allows(a)
    if way is Way.GATEWAY:
        return endpoint_policy_allows(a)
    return True


def _nat_route(a: Any) -> bool:
    """The internet path is the IPv4 NAT route, where `egress_via` says what it reaches."""
    return a.ip_mode is not IPMode.IPV6_ONLY and a.subnet is Subnet.PRIVATE


def _reach(endpoint: Endpoint | None, uses: Condition, capable: Condition,
           unsupported: Condition | None = None, filtered: bool = False) -> Condition:
    """Met when the flow is used and an endpoint that serves it, or the internet, reaches it.
    A blocking flow's filters are requirements of their own; a flow that does not stop the
    task (`filtered`) is met only if it also gets through them."""
    flow = Flow(uses, endpoint, capable, unsupported)

    def condition(a: Any) -> bool | None:
        if not uses(a):
            return None
        if unsupported is not None and unsupported(a):
            return False
        way = way_of(a, flow)
        if way is None:
            return False
        return gets_through(a, way) if filtered else True

    return condition


def _reach_finding(endpoint: Endpoint | None, capable: Condition = lambda a: True
                   ) -> Callable[[Any], str]:
    def finding(a: Any) -> str:
        if endpoint is None or not capable(a):
            return "no-internet-path"
        if a.has_endpoint(endpoint):
            return why_not_taken(a, endpoint)
        return "no-path-to-aws-services"

    return finding


def _uses_ecr_login(a: Any) -> bool:
    return any(r in ECR_REGISTRIES for r in registries(a)) and on_task_eni(a)


def _uses_secrets_manager(a: Any) -> bool:
    return (Registry.PRIVATE_REGISTRY in registries(a)
            or SecretSource.SECRETSMANAGER in a.secrets) and on_task_eni(a)


def _secrets_here(a: Any) -> bool:
    """An endpoint serves its own Region only (SOURCES: ecs_endpoints, ecs_api_secret)."""
    return not a.secrets or a.secrets_location is not Location.OTHER_REGION


def _logs_here(a: Any) -> bool:
    return a.logs_region is Where.SAME


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
_DHCP_CHECK = ("aws ec2 describe-vpcs --vpc-ids <vpc-id> --query 'Vpcs[].DhcpOptionsId' && "
               "aws ec2 describe-dhcp-options --dhcp-options-ids <dhcp-options-id>")
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
    if blocking:  # its filters are requirements of their own (FILTER_NEEDS)
        BLOCKING_FLOWS.append(Flow(uses, endpoint, capable, unsupported))
    checks: tuple[str, ...] = _INTERNET_CHECKS
    if endpoint is not None:
        fact = ENDPOINTS[endpoint]
        checks = (_describe_endpoint(fact.service_name.split(".", 3)[3]), *checks)
        if fact.type in PRIVATE_DNS_ENDPOINT_TYPES:
            checks += (_VPC_DNS,)
    return Need(id, text, actions, _reach(endpoint, uses, capable, unsupported, not blocking),
                finding or _reach_finding(endpoint, capable), checks,
                _PATH_SOURCES + extra_sources, blocking)


BLOCKING_FLOWS: list[Flow] = []


PATH_NEEDS: tuple[Need, ...] = (
    _reach_need(
        "reach-ecr-api",
        "The task reaches ecr.api for its ECR login: an ecr.api endpoint with private DNS, or "
        "an internet path (NAT gateway, or a public IP in a public subnet).",
        (Action.ECR_AUTH,), Endpoint.ECR_API, _uses_ecr_login, _any_ecr_endpoint_capable,
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
        _logs_here, extra_sources=("awslogs",),
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
        (Action.SECRETS,), Endpoint.SECRETSMANAGER, _uses_secrets_manager, _secrets_here,
        extra_sources=("secrets",),
    ),
    _reach_need(
        "reach-ssm",
        "The task reaches Systems Manager Parameter Store for its parameters: an ssm endpoint "
        "with private DNS, or an internet path.",
        (Action.SECRETS,), Endpoint.SSM, _uses_ssm, _secrets_here, extra_sources=("secrets",),
    ),
    Need(
        "efs-resolves",
        "The VPC resolves the EFS file system's DNS name (fs-….efs.<region>.amazonaws.com): "
        "enableDnsSupport and enableDnsHostnames are both on, and the DNS servers reach the "
        "Route 53 Resolver.",
        (Action.EFS,), lambda a: private_names_resolve(a) if _efs_mounts(a) else None,
        lambda a: "efs-needs-vpc-dns", (_VPC_DNS, _DHCP_CHECK), ("efs", "vpc_dns", "dhcp_options"),
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
    _reach_need(
        "reach-s3-env-files",
        "The task reaches Amazon S3 for its environment files: the S3 gateway endpoint on the "
        "task subnets' route tables, or an internet path.",
        (), Endpoint.S3, lambda a: bool(a.env_files) and on_task_eni(a),
        extra_sources=("env_files",), finding=lambda a: "env-files-no-path",
    ),
    _reach_need(
        "reach-kms-exec",
        "ECS Exec reaches AWS KMS for the session key: a kms endpoint with private DNS, or an "
        "internet path. The task starts without it; exec sessions fail.",
        (), Endpoint.KMS, lambda a: bool(a.exec_kms) and _uses_exec(a), blocking=False,
        extra_sources=("ecs_exec",), finding=lambda a: "ecs-exec-kms-no-path",
    ),
    _reach_need(
        "reach-exec-logs-cloudwatch",
        "ECS Exec reaches CloudWatch Logs for its session logs: a logs endpoint with private "
        "DNS, or an internet path. The task starts without it; exec sessions fail.",
        (), Endpoint.LOGS,
        lambda a: _uses_exec(a) and a.exec_logging is ExecLogging.CLOUDWATCH,
        blocking=False, extra_sources=("ecs_exec",),
        finding=lambda a: "ecs-exec-logging-no-path",
    ),
    _reach_need(
        "reach-exec-logs-s3",
        "ECS Exec reaches Amazon S3 for its session logs: the S3 gateway endpoint on the task "
        "subnets' route tables, or an internet path. The task starts without it; exec "
        "sessions fail.",
        (), Endpoint.S3, lambda a: _uses_exec(a) and a.exec_logging is ExecLogging.S3,
        blocking=False, extra_sources=("ecs_exec",),
        finding=lambda a: "ecs-exec-logging-no-path",
    ),
    Need(
        "reach-other-registries",
        "The task's other containers reach their registries too: same-Region ECR through the "
        "ecr.dkr and S3 endpoints or an internet path; any other registry through an internet "
        "path.",
        (Action.IMAGE_PULL,), lambda a: _others_reach(a), lambda a: "other-registry-unreachable",
        _INTERNET_CHECKS, (*_PATH_SOURCES, "cannot_pull"),
    ),
)


def _served_other(a: Any) -> bool:
    return (any(r in ENDPOINT_SERVED_REGISTRIES for r in other_registries(a))
            and a.ip_mode is not IPMode.IPV6_ONLY)


def _others_reach(a: Any) -> bool | None:
    others = other_registries(a)
    if not others:
        return None
    if (all(r in ENDPOINT_SERVED_REGISTRIES for r in others) and _served_other(a)
            and usable(a, Endpoint.ECR_DKR) and usable(a, Endpoint.S3)):
        return True
    return internet(a)


# The conditions tell the other containers' registries apart only by kind: same-Region ECR
# (served by endpoints), ECR in another Region, a public registry, a private one with
# credentials. An unknown list splits into one subset per combination of kinds (search).
_REGISTRY_KINDS = (Registry.ECR, Registry.ECR_OTHER_REGION, Registry.DOCKER_HUB,
                   Registry.PRIVATE_REGISTRY)
MULTI_CLASSES["other_registries"] = tuple(
    frozenset(kind for bit, kind in enumerate(_REGISTRY_KINDS) if n >> bit & 1)
    for n in range(1 << len(_REGISTRY_KINDS))
)


# The other containers' registries, as flows for the filters.
BLOCKING_FLOWS.extend((
    Flow(_served_other, Endpoint.ECR_DKR, lambda a: True),
    Flow(_served_other, Endpoint.S3, lambda a: True),
    Flow(lambda a: any(r not in ENDPOINT_SERVED_REGISTRIES for r in other_registries(a))
         or (bool(other_registries(a)) and a.ip_mode is IPMode.IPV6_ONLY), None,
         lambda a: False),
))


# --- The filters on the way, and the services' own refusals (network detail) -----------------


def _flows_used(a: Any) -> Iterator[Flow]:
    for flow in BLOCKING_FLOWS:
        if flow.uses(a) and not (flow.unsupported is not None and flow.unsupported(a)):
            yield flow


def ways(a: Any) -> frozenset[Way]:
    """The ways the task's blocking flows leave its ENI (`way_of`), NFS for EFS included."""
    found = {way for flow in _flows_used(a) if (way := way_of(a, flow)) is not None}
    if _efs_mounts(a):
        found.add(Way.NFS)
    if uses_own_dns(a):  # every task pulls an image, so it asks for some name
        found.add(Way.DNS)
    return frozenset(found)


def uses_a_way(a: Any, among: frozenset[Way]) -> bool:
    """Some blocking flow leaves the task ENI one of these ways. It stops at the first that
    does, so a search over unknown answers reads no more than it must."""
    if Way.NFS in among and _efs_mounts(a):
        return True
    if Way.DNS in among and uses_own_dns(a):
        return True  # (every task pulls an image, so it asks for some name)
    if not _some_flow_could(a, among):
        return False
    return any(way_of(a, flow) in among for flow in _flows_used(a))


def _some_flow_could(a: Any, among: frozenset[Way]) -> bool:
    """For endpoint ways only, settle first what needs no flow at all: without such an
    endpoint, or with names that do not resolve to interface endpoints, no flow can go this
    way, and a search need not split on what each flow uses."""
    if among & _NOT_VIA_ENDPOINTS:
        return True
    if not any(a.has_endpoint(e) for way in among for e in _ENDPOINTS_OF[way]):
        return False
    return not (among == {Way.INTERFACE} and not interface_names_resolve(a))


def _flow_goes(a: Any, flow: Flow, among: frozenset[Way]) -> bool:
    """This blocking flow is used and leaves the task ENI one of these ways."""
    return (_some_flow_could(a, among) and bool(flow.uses(a))
            and not (flow.unsupported is not None and flow.unsupported(a))
            and way_of(a, flow) in among)


def ways_taken(among: frozenset[Way]) -> Callable[[], tuple[Condition, ...]]:
    """`uses_a_way(a, among)` as a disjunction: EFS, DNS servers of your own, and each
    blocking flow on its own (a test holds them equal). Whether a filter applies anywhere is
    then a few small searches, each over what one flow reads, instead of one search over what
    every flow reads together (`search.decide`). Built when first asked: the flows are listed
    as the modules load."""

    def parts() -> tuple[Condition, ...]:
        found: list[Condition] = []
        if Way.NFS in among:
            found.append(_efs_mounts)
        if Way.DNS in among:
            found.append(uses_own_dns)
        found += [partial(_flow_goes, flow=flow, among=among) for flow in BLOCKING_FLOWS]
        return tuple(found)

    return parts


_NOT_VIA_ENDPOINTS = frozenset({Way.INTERNET, Way.S3_INTERNET, Way.NFS, Way.DNS})
_ENDPOINTS_OF = {Way.INTERFACE: tuple(e for e in Endpoint if is_interface(e)),
                 Way.GATEWAY: tuple(e for e in Endpoint if not is_interface(e))}


def _could_go(a: Any, way: Way) -> bool:
    """Some flow could leave the task ENI this way (`uses_a_way`): what that needs, read
    without asking which flows the task uses (a necessary condition, for `fails_only_where`)."""
    if way is Way.NFS:
        return _efs_mounts(a)
    if way is Way.DNS:
        return uses_own_dns(a)
    if way in INTERNET_WAYS:
        return internet(a)
    return any(takes_traffic(a, e) for e in _ENDPOINTS_OF[way])


def _could_go_any(among: frozenset[Way]) -> Condition:
    return lambda a: any(_could_go(a, way) for way in among)


def _filter(passes: Callable[[Any], bool], among: frozenset[Way] = frozenset(Way)
            ) -> Condition:
    """Met when the filter lets the task's traffic through, where some flow goes one of the
    ways it sits on. Where the traffic goes is read first: a search over unknown answers then
    sees the filter both pass and stop on the first leaf where traffic goes its way."""

    could_go = _could_go_any(among)

    @fails_only_where(lambda a: not passes(a) and could_go(a), could_go, ways_taken(among))
    def condition(a: Any) -> bool | None:
        if not uses_a_way(a, among):
            return None
        return bool(passes(a))

    return condition


def _to_the_internet(passes: Callable[[Any], bool]) -> Condition:
    """A filter on the internet path. Where it stops the traffic, it applies exactly when some
    flow leaves through the internet path; where it passes, it is met wherever the task has
    one (the search then settles on the first leaf instead of hunting for that flow)."""

    @fails_only_where(lambda a: not passes(a) and internet(a), internet)
    def condition(a: Any) -> bool | None:
        if not internet(a):  # (every task pulls an image, so some flow is always used)
            return None
        if passes(a):
            return True
        return False if uses_a_way(a, INTERNET_WAYS) else None

    return condition


@fails_only_where(lambda a: any(not nacl_allows(a, way) and _could_go(a, way) for way in Way),
                  _could_go_any(frozenset(Way)), ways_taken(frozenset(Way)))
def _nacl(a: Any) -> bool | None:
    """The subnets' ACL lets out every way the task uses that leaves the subnet."""
    if not uses_a_way(a, frozenset(Way)):
        return None
    stopped = frozenset(way for way in Way if not nacl_allows(a, way))
    return not (stopped and uses_a_way(a, stopped))


@fails_only_where(lambda a: any(not task_egress_allows(a, way) and _could_go(a, way)
                                for way in Way),
                  _could_go_any(frozenset(Way)), ways_taken(frozenset(Way)))
def _task_egress(a: Any) -> bool | None:
    """The task's security groups let out every way the task uses (`detail._EGRESS`)."""
    if not uses_a_way(a, frozenset(Way)):
        return None
    stopped = frozenset(way for way in Way if not task_egress_allows(a, way))
    return not (stopped and uses_a_way(a, stopped))


_ENDPOINT_WAYS = frozenset({Way.INTERFACE, Way.GATEWAY})
_SG_CHECK = ("aws ec2 describe-security-groups --group-ids <task-security-group-id> --query "
             "'SecurityGroups[].{in:IpPermissions,out:IpPermissionsEgress}'")
_ENDPOINT_SG_CHECK = ("aws ec2 describe-vpc-endpoints --vpc-endpoint-ids <endpoint-id> --query "
                      "'VpcEndpoints[].{groups:Groups,policy:PolicyDocument}'")
_NACL_CHECK = ("aws ec2 describe-network-acls --filters Name=association.subnet-id,"
               "Values=<subnet-id> --query 'NetworkAcls[].Entries'")
_FIREWALL_CHECK = ("aws network-firewall describe-rule-group --rule-group-arn "
                   "<rule-group-arn> --query 'RuleGroup.RulesSource.RulesSourceList'")
_SUBNET_CHECK = ("aws ec2 describe-subnets --subnet-ids <subnet-id> --query "
                 "'Subnets[].{az:AvailabilityZone,free:AvailableIpAddressCount}'")
_REPO_POLICY_CHECK = ("aws ecr get-repository-policy --registry-id <owner-account-id> "
                      "--repository-name <repository>")
_SECRET_POLICY_CHECK = ("aws secretsmanager get-resource-policy --secret-id <secret-arn> && "
                        "aws kms get-key-policy --key-id <key-arn> --policy-name default")
_LOG_GROUP_CHECK = ("aws logs describe-log-groups --log-group-name-prefix <awslogs-group> "
                    "--region <awslogs-region>")
_EFS_CHECK = ("aws efs describe-mount-targets --file-system-id <fs-id> --query "
              "'MountTargets[].{az:AvailabilityZoneName,subnet:SubnetId}' && aws efs "
              "describe-mount-target-security-groups --mount-target-id <mount-target-id>")
_EFS_VOLUME_CHECK = ("aws ecs describe-task-definition --task-definition <family> --query "
                     "'taskDefinition.volumes[].efsVolumeConfiguration'")
_LB_CHECK = ("aws elbv2 describe-target-health --target-group-arn <target-group-arn> && "
             "aws elbv2 describe-load-balancers --load-balancer-arns <load-balancer-arn> "
             "--query 'LoadBalancers[].{azs:AvailabilityZones,groups:SecurityGroups}'")


def _load_balanced(a: Any) -> bool:
    return a.load_balancer in (LoadBalancer.ALB, LoadBalancer.NLB, LoadBalancer.GWLB)


DETAIL_NEEDS: tuple[Need, ...] = (
    Need("public-names-resolve",
         "Service names resolve: the Amazon-provided DNS server answers only with the VPC's "
         "enableDnsSupport on (or your own DNS servers answer them).",
         (), _to_the_internet(public_names_resolve),
         lambda a: "vpc-dns-support-off", (_VPC_DNS, _DHCP_CHECK), ("vpc_dns", "networking")),
    Need("task-egress-allows",
         "The task's security groups allow its traffic out: HTTPS (443) to the endpoints, the "
         "S3 prefix list or the internet, as each flow goes, and NFS (2049) for EFS.",
         (), _task_egress, lambda a: "task-egress-blocks", (_SG_CHECK,),
         ("vpc_sg_rules", "ecs_endpoints", "gateway_endpoints")),
    Need("network-acl-allows",
         "The task subnets' network ACL allows the traffic out and its replies back in "
         "(ephemeral ports 1024-65535).",
         (), _nacl, lambda a: "network-acl-blocks",
         (_NACL_CHECK,), ("vpc_nacls",)),
    Need("endpoint-sg-admits-tasks",
         "The interface endpoints' security group admits HTTPS (443) from the tasks.",
         (), _filter(endpoint_sg_admits, frozenset({Way.INTERFACE})),
         lambda a: "endpoint-sg-blocks", (_ENDPOINT_SG_CHECK, _SG_CHECK),
         ("create_interface_endpoint", "vpc_default_sg", "ecs_endpoints")),
    Need("endpoint-policy-allows",
         "The policies of the endpoints the task uses allow what it asks for (its "
         "repositories, the ECR layer bucket, its secrets and log groups).",
         (), _filter(endpoint_policy_allows, _ENDPOINT_WAYS),
         lambda a: "endpoint-policy-denies", (_ENDPOINT_SG_CHECK,),
         ("vpce_access", "ecr_endpoints")),
    Need("egress-firewall-allows",
         "The egress firewall's allow-list has every name the task calls through it, the ECR "
         "layer bucket included.",
         (), _to_the_internet(lambda a: not _nat_route(a) or firewall_allows(a)),
         lambda a: "egress-firewall-blocks", (_FIREWALL_CHECK, _ROUTES),
         ("docker_allowlist", "ecr_endpoints", "networking")),
    Need("ecr-cross-account-pull",
         "A repository in another account allows this account's execution role to pull "
         "(repository policy).",
         (Action.IMAGE_PULL,), ecr_pull_allowed, lambda a: "ecr-cross-account-pull-denied",
         (_REPO_POLICY_CHECK,), ("ecr_repo_policies", "ecr_repo_policy_examples")),
    Need("secrets-cross-account",
         "A secret in another account is shared with this account's execution role: its "
         "resource policy and a customer managed KMS key's policy both allow it.",
         (Action.SECRETS,), secrets_shared, lambda a: "secrets-cross-account-denied",
         (_SECRET_POLICY_CHECK,), ("sm_cross_account", "ecs_api_secret")),
    Need("log-group-exists",
         "The awslogs log group exists, or awslogs-create-group is true and the execution "
         "role may create it (logs:CreateLogGroup).",
         (Action.LOG_DRIVER,), log_group_ready, lambda a: "log-group-missing",
         (_LOG_GROUP_CHECK,), ("awslogs", "ecs_api_log_configuration")),
    Need("efs-mount-target-per-az",
         "The EFS file system has a mount target in the Availability Zone of every task "
         "subnet.",
         (Action.EFS,), lambda a: a.efs_mount_targets is Coverage.EVERY_AZ
         if _efs_mounts(a) else None,
         lambda a: "efs-mount-target-missing-az", (_EFS_CHECK, _SUBNET_CHECK), ("efs", "efs_kc")),
    Need("efs-mount-target-admits-nfs",
         "The EFS mount targets' security group admits NFS (TCP 2049) from the tasks.",
         (Action.EFS,), lambda a: a.efs_sg is Admits.ALLOWS if _efs_mounts(a) else None,
         lambda a: "efs-mount-target-sg-blocks", (_EFS_CHECK, _SG_CHECK), ("efs", "efs_kc")),
    Need("efs-transit-encryption",
         "With EFS IAM authorization or an access point, the volume's transitEncryption is "
         "ENABLED.",
         (Action.EFS,), lambda a: bool(a.efs_transit_encryption)
         if _efs_mounts(a) and (a.efs_iam or a.efs_access_point) else None,
         lambda a: "efs-needs-transit-encryption", (_EFS_VOLUME_CHECK,), ("efs",)),
    Need("load-balancer-admitted",
         "The task's security group admits the load balancer on the container port and the "
         "health-check port.",
         (Action.APPLICATION,), lambda a: a.lb_ingress is Admits.ALLOWS
         if _load_balanced(a) and a.target_type is TargetType.IP else None,
         lambda a: "load-balancer-not-admitted", (_SG_CHECK, _LB_CHECK),
         ("elb_target_health", "load_balancing")),
    Need("subnet-has-free-addresses",
         "The task subnets have a free IP address for every task to place, deployments "
         "included (each Fargate task takes one).",
         (), lambda a: a.free_addresses is Capacity.ENOUGH, lambda a: "subnet-out-of-addresses",
         (_SUBNET_CHECK,), ("networking", "awsvpc_configuration")),
    Need("load-balancer-in-task-azs",
         "The load balancer is enabled in the Availability Zone of every task subnet; targets "
         "elsewhere get no traffic.",
         (Action.APPLICATION,), lambda a: a.lb_azs is Coverage.EVERY_AZ
         if _load_balanced(a) and a.target_type is TargetType.IP else None,
         lambda a: "load-balancer-az-missing", (_LB_CHECK, _SUBNET_CHECK),
         ("elb_target_health", "alb_check_target_health"), blocking=False),
    Need("services-admit-each-other",
         "The security groups of the services this one calls admit its tasks on their ports.",
         (), lambda a: a.peer_ingress is Admits.ALLOWS
         if a.service_discovery is not ServiceDiscovery.NONE else None,
         lambda a: "services-cannot-reach-each-other", (_SG_CHECK,),
         ("service_connect", "vpc_sg_rules"), blocking=False),
    Need("cloud-map-resolves",
         "Cloud Map service discovery names resolve: private hosted zones need both VPC DNS "
         "attributes and the Route 53 Resolver.",
         (), lambda a: private_names_resolve(a)
         if a.service_discovery is ServiceDiscovery.CLOUD_MAP else None,
         lambda a: "cloud-map-needs-vpc-dns", (_VPC_DNS, _DHCP_CHECK),
         ("r53_phz_considerations",), blocking=False),
    Need("ecs-exec-writable-root",
         "ECS Exec's agent can write in the container: the root file system is not read-only.",
         (), lambda a: not a.exec_readonly_root if _uses_exec(a) else None,
         lambda a: "ecs-exec-read-only-root", (_RUNTIME,), ("ecs_exec",), blocking=False),
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
NEEDS: tuple[Need, ...] = PATH_NEEDS + CAPABILITY_NEEDS + OTHER_NEEDS + DETAIL_NEEDS
NEEDS_BY_ID: dict[str, Need] = {need.id: need for need in NEEDS}
BLOCKING: tuple[Need, ...] = tuple(need for need in NEEDS if need.blocking)

# The VPC DNS check is shared by every path that goes through an interface endpoint.
VPC_DNS_CHECK = _VPC_DNS


def violated(a: Any, need_id: str) -> bool:
    """A complete configuration violates this requirement (the findings' one test)."""
    return NEEDS_BY_ID[need_id].condition(a) is False
