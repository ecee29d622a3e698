"""The vocabulary of answers (spec section 1): what a user tells the advisor about one task.

An `Answers` is a frozen dataclass with one attribute per field of the spec. `FIELDS` describes
every field once (kind, allowed values, default, question text, wizard step, AWS source) and is
read by the parsers here, by the wizard's forms, by `/api/v1/questions` and by the OpenAPI
document, so a new field is one new `Field` row plus one dataclass attribute.

The questions live in `vocabulary.py`, the parsers and writers in `parse.py`; every name
stays importable from here. Two ways in, one way out:
- `parse_query(params)` takes a query string's parameters (a `dict` of lists, or a Django
  `QueryDict`); unknown fields are ignored because links pick up tracking parameters.
- `parse_json(obj)` takes a decoded JSON object; unknown fields are an error.
- `to_query(answers)` is the canonical query string: only the fields that differ from their
  default, in `FIELDS` order, lists comma-separated in vocabulary order. A permalink is
  `/result/?` plus that string.

Every problem is collected rather than raised on the first one, so a hand-edited link with two
mistakes gets both named at once.

**Unknown is a value** (spec section 4). Every field also accepts `unknown`: in a query string
`subnet=unknown` or, for several, `unknown=subnet,public_ip`; in JSON the string `"unknown"`.
An unknown field holds `UNKNOWN`, never its default, so `evaluate()` can tell what the answers
rest on. The canonical query string names unknown fields together in one `unknown=` parameter
at its end, so a permalink with many of them stays short.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import Any, TypeVar


class Unknown(StrEnum):
    """The value of a field that no input states. Its text is `unknown` in every form."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN
UNKNOWN_PARAM = "unknown"  # the query parameter that names several unknown fields at once

_T = TypeVar("_T")


def known(value: _T | Unknown) -> _T:
    """A field of a complete configuration. `evaluate()` only ever sees complete answers
    (`unknowns.py` decides over the unknown ones), so an unknown here is a bug, not advice."""
    if isinstance(value, Unknown):
        raise ValueError("evaluate() was given an unknown answer; use rules.unknowns")
    return value


class OS(StrEnum):
    LINUX = "linux"
    WINDOWS = "windows"


class Arch(StrEnum):
    X86_64 = "x86_64"
    ARM64 = "arm64"


class PlatformVersion(StrEnum):
    LATEST = "latest"
    V1_4_0 = "1.4.0"
    V1_3_0 = "1.3.0"
    V1_0_0 = "1.0.0"


class Subnet(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class IPMode(StrEnum):
    IPV4 = "ipv4"
    DUALSTACK = "dualstack"
    IPV6_ONLY = "ipv6_only"


class IPv6Egress(StrEnum):
    NONE = "none"
    IGW = "igw"
    EGRESS_ONLY_IGW = "egress_only_igw"


class Endpoint(StrEnum):
    ECR_API = "ecr_api"
    ECR_DKR = "ecr_dkr"
    S3 = "s3"
    LOGS = "logs"
    SECRETSMANAGER = "secretsmanager"
    SSM = "ssm"
    SSMMESSAGES = "ssmmessages"
    KMS = "kms"


class Registry(StrEnum):
    ECR = "ecr"
    ECR_OTHER_REGION = "ecr_other_region"
    ECR_PUBLIC = "ecr_public"
    ECR_PULL_THROUGH_CACHE = "ecr_pull_through_cache"
    DOCKER_HUB = "docker_hub"
    OTHER_PUBLIC = "other_public"
    PRIVATE_REGISTRY = "private_registry"


class LogDriver(StrEnum):
    NONE = "none"
    AWSLOGS = "awslogs"
    FIRELENS = "firelens"
    SPLUNK = "splunk"


class SecretSource(StrEnum):
    SECRETSMANAGER = "secretsmanager"
    SSM = "ssm"


class LoadBalancer(StrEnum):
    NONE = "none"
    ALB = "alb"
    NLB = "nlb"
    CLB = "clb"
    GWLB = "gwlb"


class TargetType(StrEnum):
    IP = "ip"
    INSTANCE = "instance"


# --- Network detail (issue 12): security groups, ACLs, DNS, policies, the inbound path -------
# Each default is the value under which the evaluation holds as before these fields existed
# (spec section 4), which for most is also what AWS does by default.


class TaskEgress(StrEnum):
    """The outbound rules of the task's security groups, taken together."""

    ALL = "all"  # the rule every new security group gets: all traffic to 0.0.0.0/0
    HTTPS = "https"  # TCP 443 to anywhere, nothing else
    HTTPS_NFS = "https_nfs"  # TCP 443 to anywhere and TCP 2049 to the EFS mount targets
    ENDPOINTS_ONLY = "endpoints_only"  # 443 only to the endpoints' group and the S3 prefix list
    NONE = "none"


class NetworkAcl(StrEnum):
    DEFAULT = "default"  # the VPC's default network ACL: allows everything both ways
    ALLOWS = "allows"  # a custom ACL that allows what the task needs (and the return ports)
    BLOCKS = "blocks"  # a custom ACL that blocks HTTPS out or the return ports 1024-65535 in


class EgressVia(StrEnum):
    """What the private subnet's default route reaches, where `nat_gateway` says it does."""

    NAT_GATEWAY = "nat_gateway"
    NAT_INSTANCE = "nat_instance"
    TRANSIT_GATEWAY = "transit_gateway"  # to an egress VPC with its own NAT
    FIREWALL = "firewall"  # a firewall or proxy appliance that allow-lists domain names


class Allowlist(StrEnum):
    ALLOWS_NEEDED = "allows_needed"  # every name the task needs is on the list
    MISSING = "missing"  # some are not


class DnsResolver(StrEnum):
    """The DNS servers of the VPC's DHCP options set."""

    AMAZON = "amazon"  # AmazonProvidedDNS (the Route 53 Resolver)
    CUSTOM_FORWARDS = "custom_forwards"  # own servers that forward AWS names to the Resolver
    CUSTOM = "custom"  # own servers that do not


class EndpointsIn(StrEnum):
    """Where the interface endpoints live."""

    THIS_VPC = "this_vpc"
    HUB_PHZ = "hub_phz"  # a hub VPC, names shared through private hosted zones on this VPC
    HUB_NO_PHZ = "hub_no_phz"  # a hub VPC, with no private hosted zone on this VPC


class EndpointSG(StrEnum):
    """What the interface endpoints' security group admits."""

    ALLOWS_TASKS = "allows_tasks"  # HTTPS from the tasks (their group or the VPC's CIDR)
    DEFAULT_GROUP = "default_group"  # created without a group: the VPC's default group
    BLOCKS = "blocks"


class EndpointPolicy(StrEnum):
    FULL_ACCESS = "full_access"  # the default policy
    ALLOWS_NEEDED = "allows_needed"  # restricted, and allows what the task needs
    DENIES_NEEDED = "denies_needed"  # restricted, and leaves out something the task needs


class S3Routes(StrEnum):
    """Which route tables the S3 gateway endpoint is associated with."""

    TASK_SUBNETS = "task_subnets"
    OTHER = "other"  # not those of the task subnets


class Capacity(StrEnum):
    ENOUGH = "enough"
    SHORT = "short"  # fewer free addresses than tasks to place (a deployment starts extra ones)


class Where(StrEnum):
    SAME = "same"
    OTHER = "other"


class Location(StrEnum):
    SAME = "same"  # this account and Region
    OTHER_REGION = "other_region"
    OTHER_ACCOUNT = "other_account"


class Grant(StrEnum):
    GRANTS = "grants"
    MISSING = "missing"


class LogGroup(StrEnum):
    EXISTS = "exists"
    CREATE_GROUP = "create_group"  # awslogs-create-group: true
    MISSING = "missing"


class Admits(StrEnum):
    ALLOWS = "allows"
    BLOCKS = "blocks"


class Coverage(StrEnum):
    EVERY_AZ = "every_az"
    MISSING_AZ = "missing_az"


class ExecLogging(StrEnum):
    NONE = "none"  # no session logging configured to a destination of its own
    CLOUDWATCH = "cloudwatch"
    S3 = "s3"


class EndpointIPType(StrEnum):
    IPV4 = "ipv4"
    DUALSTACK = "dualstack"
    IPV6 = "ipv6"


class ServiceDiscovery(StrEnum):
    NONE = "none"
    SERVICE_CONNECT = "service_connect"
    CLOUD_MAP = "cloud_map"


# Which platform versions exist for each OS (spec section 1). Asking for another is an input
# error, unlike a version that exists but is retired (1.3.0), which is evaluated and explained.
PLATFORM_VERSIONS: dict[OS, tuple[PlatformVersion, ...]] = {
    OS.LINUX: (PlatformVersion.LATEST, PlatformVersion.V1_4_0, PlatformVersion.V1_3_0),
    OS.WINDOWS: (PlatformVersion.LATEST, PlatformVersion.V1_0_0),
}

# Integers beyond these bounds are not configurations but typing accidents; the spec's lower
# bounds are kept, and the upper bound keeps a huge number from travelling further.
INT_MAX = 1000


@dataclass(frozen=True, slots=True)
class Answers:
    os: OS | Unknown = OS.LINUX
    arch: Arch | Unknown = Arch.X86_64
    platform_version: PlatformVersion | Unknown = PlatformVersion.LATEST
    subnet: Subnet | Unknown = Subnet.PRIVATE
    public_ip: bool | Unknown = False
    nat_gateway: bool | Unknown = False
    ip_mode: IPMode | Unknown = IPMode.IPV4
    dualstack_account_setting: bool | Unknown = False
    ipv6_autoassign: bool | Unknown = False
    ipv6_egress: IPv6Egress | Unknown = IPv6Egress.NONE
    vpc_dns: bool | Unknown = True
    endpoints: frozenset[Endpoint] | Unknown = frozenset()
    endpoint_private_dns: bool | Unknown = True
    registry: Registry | Unknown = Registry.ECR
    log_driver: LogDriver | Unknown = LogDriver.AWSLOGS
    secrets: frozenset[SecretSource] | Unknown = frozenset()
    cmk: bool | Unknown = False
    efs: bool | Unknown = False
    ecs_exec: bool | Unknown = False
    load_balancer: LoadBalancer | Unknown = LoadBalancer.NONE
    target_type: TargetType | Unknown = TargetType.IP
    subnet_count: int | Unknown = 2
    security_group_count: int | Unknown = 1
    # Network detail (issue 12); see the enums above.
    dns64: bool | Unknown = True
    endpoints_in: EndpointsIn | Unknown = EndpointsIn.THIS_VPC
    endpoint_sg: EndpointSG | Unknown = EndpointSG.ALLOWS_TASKS
    endpoint_policy: EndpointPolicy | Unknown = EndpointPolicy.FULL_ACCESS
    s3_endpoint_routes: S3Routes | Unknown = S3Routes.TASK_SUBNETS
    # Dual-stack: the value under which IPv6-only tasks reach the endpoints, as before.
    endpoint_ip_type: EndpointIPType | Unknown = EndpointIPType.DUALSTACK
    task_egress: TaskEgress | Unknown = TaskEgress.ALL
    nacl: NetworkAcl | Unknown = NetworkAcl.DEFAULT
    egress_via: EgressVia | Unknown = EgressVia.NAT_GATEWAY
    egress_allowlist: Allowlist | Unknown = Allowlist.ALLOWS_NEEDED
    dns_support: bool | Unknown = True
    dns_hostnames: bool | Unknown = True
    dns_resolver: DnsResolver | Unknown = DnsResolver.AMAZON
    free_addresses: Capacity | Unknown = Capacity.ENOUGH
    other_registries: frozenset[Registry] | Unknown = frozenset()
    ecr_account: Where | Unknown = Where.SAME
    ecr_repository_policy: Grant | Unknown = Grant.GRANTS
    secrets_location: Location | Unknown = Location.SAME
    secrets_policy: Grant | Unknown = Grant.GRANTS
    logs_region: Where | Unknown = Where.SAME
    log_group: LogGroup | Unknown = LogGroup.EXISTS
    env_files: bool | Unknown = False
    service_discovery: ServiceDiscovery | Unknown = ServiceDiscovery.NONE
    peer_ingress: Admits | Unknown = Admits.ALLOWS
    efs_sg: Admits | Unknown = Admits.ALLOWS
    efs_mount_targets: Coverage | Unknown = Coverage.EVERY_AZ
    efs_iam: bool | Unknown = False
    efs_access_point: bool | Unknown = False
    efs_transit_encryption: bool | Unknown = False
    exec_readonly_root: bool | Unknown = False
    exec_kms: bool | Unknown = False
    exec_logging: ExecLogging | Unknown = ExecLogging.NONE
    lb_ingress: Admits | Unknown = Admits.ALLOWS
    lb_azs: Coverage | Unknown = Coverage.EVERY_AZ

    def replace(self, **changes: Any) -> Answers:
        """`dataclasses.replace`, less than half the cost: the values are set slot by slot
        instead of through the generated `__init__` (the searches over unknown answers and
        the wizard's question order make thousands of these a request)."""
        new: Answers = object.__new__(Answers)
        for put, value in zip(_PUT, _ALL_VALUES(self), strict=True):
            put(new, value)
        for name, value in changes.items():
            if name not in _PUT_BY_NAME:
                raise TypeError(f"Answers has no field {name!r}")
            _PUT_BY_NAME[name](new, value)
        return new

    @property
    def unknown(self) -> tuple[str, ...]:
        """The fields no input stated, in `FIELDS` order."""
        return tuple(name for name in _FIELD_NAMES if getattr(self, name) is UNKNOWN)

    def has_endpoint(self, endpoint: Endpoint) -> bool:
        """Whether the VPC has this endpoint (the rules ask per endpoint, see `unknowns`)."""
        assert self.endpoints is not UNKNOWN, "only complete answers are asked directly"
        return endpoint in self.endpoints


_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Answers))
# Each field's slot: its descriptor sets a value past the frozen class's __setattr__.
_PUT_BY_NAME: dict[str, Callable[[Answers, Any], None]] = {
    name: vars(Answers)[name].__set__ for name in _FIELD_NAMES
}
_PUT = tuple(_PUT_BY_NAME.values())
_ALL_VALUES: Callable[[Answers], tuple[Any, ...]] = attrgetter(*_FIELD_NAMES)
DEFAULT_ANSWERS = Answers()

# The questions and the parsers live beside this module; every name stays importable from here.
from .parse import (  # noqa: E402
    AnswersError,
    parse_json,
    parse_query,
    permalink,
    query_items,
    to_dict,
    to_query,
)
from .vocabulary import (  # noqa: E402
    FIELDS,
    FIELDS_BY_NAME,
    STEP_TITLES,
    Field,
    Kind,
    Step,
)

__all__ = [
    "DEFAULT_ANSWERS",
    "FIELDS",
    "FIELDS_BY_NAME",
    "INT_MAX",
    "OS",
    "PLATFORM_VERSIONS",
    "STEP_TITLES",
    "UNKNOWN",
    "UNKNOWN_PARAM",
    "Admits",
    "Allowlist",
    "Answers",
    "AnswersError",
    "Arch",
    "Capacity",
    "Coverage",
    "DnsResolver",
    "EgressVia",
    "Endpoint",
    "EndpointIPType",
    "EndpointPolicy",
    "EndpointSG",
    "EndpointsIn",
    "ExecLogging",
    "Field",
    "Grant",
    "IPMode",
    "IPv6Egress",
    "Kind",
    "LoadBalancer",
    "Location",
    "LogDriver",
    "LogGroup",
    "NetworkAcl",
    "PlatformVersion",
    "Registry",
    "S3Routes",
    "SecretSource",
    "ServiceDiscovery",
    "Step",
    "Subnet",
    "TargetType",
    "TaskEgress",
    "Unknown",
    "Where",
    "known",
    "parse_json",
    "parse_query",
    "permalink",
    "query_items",
    "to_dict",
    "to_query",
]
