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
from dataclasses import dataclass
from enum import StrEnum
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

    def replace(self, **changes: Any) -> Answers:
        return dataclasses.replace(self, **changes)

    @property
    def unknown(self) -> tuple[str, ...]:
        """The fields no input stated, in `FIELDS` order."""
        return tuple(name for name in _FIELD_NAMES if getattr(self, name) is UNKNOWN)

    def has_endpoint(self, endpoint: Endpoint) -> bool:
        """Whether the VPC has this endpoint (the rules ask per endpoint, see `unknowns`)."""
        assert self.endpoints is not UNKNOWN, "only complete answers are asked directly"
        return endpoint in self.endpoints


_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Answers))
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
    "DEFAULT_ANSWERS", "FIELDS", "FIELDS_BY_NAME", "INT_MAX", "OS", "PLATFORM_VERSIONS",
    "STEP_TITLES", "UNKNOWN", "UNKNOWN_PARAM", "Answers", "AnswersError", "Arch", "Endpoint",
    "Field", "IPMode", "IPv6Egress", "Kind", "LoadBalancer", "LogDriver", "PlatformVersion",
    "Registry", "SecretSource", "Step", "Subnet", "TargetType", "Unknown", "known", "parse_json",
    "parse_query", "permalink", "query_items", "to_dict", "to_query",
]
