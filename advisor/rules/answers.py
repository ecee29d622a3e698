"""The vocabulary of answers (spec section 1): what a user tells the advisor about one task.

An `Answers` is a frozen dataclass with one attribute per field of the spec. `FIELDS` describes
every field once (kind, allowed values, default, question text, wizard step, AWS source) and is
read by the parsers here, by the wizard's forms, by `/api/v1/questions` and by the OpenAPI
document, so a new field is one new `Field` row plus one dataclass attribute.

Two ways in, one way out:
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qs


class Unknown(StrEnum):
    """The value of a field that no input states. Its text is `unknown` in every form."""

    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN
UNKNOWN_PARAM = "unknown"  # the query parameter that names several unknown fields at once


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


class Kind(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"
    BOOL = "bool"
    INT = "int"


class Step(StrEnum):
    """The wizard's steps, in order; every field belongs to one."""

    PLATFORM = "platform"
    NETWORK = "network"
    ENDPOINTS = "endpoints"
    IMAGE = "image"
    FEATURES = "features"
    LOAD_BALANCER = "load_balancer"


STEP_TITLES: dict[Step, str] = {
    Step.PLATFORM: "Platform",
    Step.NETWORK: "Network",
    Step.ENDPOINTS: "VPC endpoints",
    Step.IMAGE: "Image",
    Step.FEATURES: "Task features",
    Step.LOAD_BALANCER: "Load balancer",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One question: how it is parsed, asked and explained."""

    name: str
    kind: Kind
    step: Step
    label: str
    help: str
    source_url: str
    enum: type[StrEnum] | None = None
    minimum: int | None = None
    choice_labels: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def default(self) -> Any:
        return _DEFAULTS[self.name]

    @property
    def choices(self) -> tuple[str, ...]:
        """Allowed values, in vocabulary order (empty for booleans and integers)."""
        return _CHOICES[self.name]

    def label_for(self, value: str) -> str:
        return self.choice_labels.get(value, value)


_NETWORKING = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html"
_PLATFORMS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html"
_AWSVPC = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html"
_RUNTIME = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html"
_ECS_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html"
_ECR_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html"
_PULL_ERRORS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html"
_EXEC_ROLE = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"
_LOAD_BALANCING = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html"

FIELDS: tuple[Field, ...] = (
    Field(
        "os", Kind.CHOICE, Step.PLATFORM, "Operating system",
        "The task definition's runtimePlatform.operatingSystemFamily. All Windows Server "
        "editions count as Windows here.",
        _RUNTIME, enum=OS, choice_labels={"linux": "Linux", "windows": "Windows"},
    ),
    Field(
        "arch", Kind.CHOICE, Step.PLATFORM, "CPU architecture",
        "runtimePlatform.cpuArchitecture. ARM64 (Graviton) needs Linux.",
        _RUNTIME, enum=Arch, choice_labels={"x86_64": "x86_64", "arm64": "ARM64 (Graviton)"},
    ),
    Field(
        "platform_version", Kind.CHOICE, Step.PLATFORM, "Fargate platform version",
        "The platformVersion of the service or run-task call. LATEST means 1.4.0 on Linux and "
        "1.0.0 on Windows.",
        _PLATFORMS, enum=PlatformVersion,
        choice_labels={"latest": "LATEST", "1.4.0": "1.4.0", "1.3.0": "1.3.0 (retired)",
                       "1.0.0": "1.0.0"},
    ),
    Field(
        "subnet", Kind.CHOICE, Step.NETWORK, "Subnet type",
        "Public means the subnet's route table sends 0.0.0.0/0 to an internet gateway; private "
        "means it does not.",
        _NETWORKING, enum=Subnet, choice_labels={"public": "Public", "private": "Private"},
    ),
    Field(
        "public_ip", Kind.BOOL, Step.NETWORK, "Public IP assigned to the task",
        "assignPublicIp in awsvpcConfiguration. Only useful in a public subnet.",
        _AWSVPC,
    ),
    Field(
        "nat_gateway", Kind.BOOL, Step.NETWORK, "NAT gateway route",
        "The private subnet's route table sends 0.0.0.0/0 to a NAT gateway.",
        _NETWORKING,
    ),
    Field(
        "ip_mode", Kind.CHOICE, Step.NETWORK, "IP addressing",
        "How the VPC and the task's subnets are addressed.",
        _NETWORKING, enum=IPMode,
        choice_labels={"ipv4": "IPv4 only", "dualstack": "Dual-stack (IPv4 and IPv6)",
                       "ipv6_only": "IPv6 only"},
    ),
    Field(
        "dualstack_account_setting", Kind.BOOL, Step.NETWORK, "dualStackIPv6 account setting",
        "The ECS account setting dualStackIPv6 is enabled for the principal that launches the "
        "tasks, in this Region.",
        _NETWORKING,
    ),
    Field(
        "ipv6_autoassign", Kind.BOOL, Step.NETWORK, "Subnet auto-assigns IPv6 addresses",
        "The subnet's 'auto-assign IPv6 address' attribute is on.",
        _NETWORKING,
    ),
    Field(
        "ipv6_egress", Kind.CHOICE, Step.NETWORK, "IPv6 default route",
        "Where the subnet's route table sends ::/0.",
        _NETWORKING, enum=IPv6Egress,
        choice_labels={"none": "No IPv6 default route", "igw": "Internet gateway",
                       "egress_only_igw": "Egress-only internet gateway"},
    ),
    Field(
        "vpc_dns", Kind.BOOL, Step.NETWORK, "VPC DNS support and DNS hostnames",
        "Both enableDnsSupport and enableDnsHostnames are on for the VPC. Endpoint private DNS "
        "needs both.",
        _ECS_ENDPOINTS,
    ),
    Field(
        "endpoints", Kind.MULTI, Step.ENDPOINTS, "VPC endpoints in the task's VPC",
        "Interface endpoints, and the S3 gateway endpoint on the task subnets' route tables.",
        _ECS_ENDPOINTS, enum=Endpoint,
        choice_labels={
            "ecr_api": "ecr.api (Amazon ECR API)",
            "ecr_dkr": "ecr.dkr (Amazon ECR Docker registry)",
            "s3": "s3 (gateway endpoint)",
            "logs": "logs (CloudWatch Logs)",
            "secretsmanager": "secretsmanager (Secrets Manager)",
            "ssm": "ssm (Systems Manager)",
            "ssmmessages": "ssmmessages (Session Manager, for ECS Exec)",
            "kms": "kms (AWS KMS)",
        },
    ),
    Field(
        "endpoint_private_dns", Kind.BOOL, Step.ENDPOINTS, "Private DNS on the interface endpoints",
        "Private DNS makes the services' usual names resolve to the endpoints. Fargate calls the "
        "usual names, so it must be on.",
        _ECR_ENDPOINTS,
    ),
    Field(
        "registry", Kind.CHOICE, Step.IMAGE, "Image registry",
        "Where the container images come from.",
        _PULL_ERRORS, enum=Registry,
        choice_labels={
            "ecr": "Amazon ECR, same Region",
            "ecr_other_region": "Amazon ECR, another Region",
            "ecr_public": "Amazon ECR Public (public.ecr.aws)",
            "ecr_pull_through_cache": "Amazon ECR pull-through cache",
            "docker_hub": "Docker Hub",
            "other_public": "Another public registry (Quay, GHCR, ...)",
            "private_registry": "A private registry with repositoryCredentials",
        },
    ),
    Field(
        "log_driver", Kind.CHOICE, Step.FEATURES, "Log driver",
        "The containers' logConfiguration.logDriver.",
        _EXEC_ROLE, enum=LogDriver,
        choice_labels={"none": "None", "awslogs": "awslogs (CloudWatch Logs)",
                       "firelens": "awsfirelens (FireLens)", "splunk": "splunk"},
    ),
    Field(
        "secrets", Kind.MULTI, Step.FEATURES, "Secrets injected into containers",
        "secrets or secretOptions in the task definition, by where they are stored.",
        _EXEC_ROLE, enum=SecretSource,
        choice_labels={"secretsmanager": "AWS Secrets Manager",
                       "ssm": "Systems Manager Parameter Store"},
    ),
    Field(
        "cmk", Kind.BOOL, Step.FEATURES, "Secrets encrypted with a customer managed KMS key",
        "The secrets or parameters use your own KMS key rather than the AWS managed key.",
        _EXEC_ROLE,
    ),
    Field(
        "efs", Kind.BOOL, Step.FEATURES, "Amazon EFS volume",
        "The task mounts an EFS file system.",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
    ),
    Field(
        "ecs_exec", Kind.BOOL, Step.FEATURES, "ECS Exec",
        "enableExecuteCommand is on, so you can open a shell in the containers.",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html",
    ),
    Field(
        "load_balancer", Kind.CHOICE, Step.LOAD_BALANCER, "Load balancer",
        "The load balancer the service registers its tasks with.",
        _LOAD_BALANCING, enum=LoadBalancer,
        choice_labels={"none": "None", "alb": "Application Load Balancer",
                       "nlb": "Network Load Balancer", "clb": "Classic Load Balancer",
                       "gwlb": "Gateway Load Balancer"},
    ),
    Field(
        "target_type", Kind.CHOICE, Step.LOAD_BALANCER, "Target group target type",
        "The TargetType of the service's target groups.",
        _LOAD_BALANCING, enum=TargetType, choice_labels={"ip": "ip", "instance": "instance"},
    ),
    Field(
        "subnet_count", Kind.INT, Step.LOAD_BALANCER, "Subnets in awsvpcConfiguration",
        "How many subnets the service or task lists.",
        _AWSVPC, minimum=1,
    ),
    Field(
        "security_group_count", Kind.INT, Step.LOAD_BALANCER,
        "Security groups in awsvpcConfiguration",
        "How many security groups the service or task lists (none means the VPC's default "
        "security group).",
        _AWSVPC, minimum=0,
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
_FIELD_NAMES: tuple[str, ...] = tuple(FIELDS_BY_NAME)
_CHOICES: dict[str, tuple[str, ...]] = {
    f.name: ("true", "false") if f.kind is Kind.BOOL
    else tuple(member.value for member in f.enum) if f.enum else ()
    for f in FIELDS
}
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Answers)}
assert set(FIELDS_BY_NAME) == set(_DEFAULTS), "FIELDS and Answers must describe the same fields"

DEFAULT_ANSWERS = Answers()


class AnswersError(ValueError):
    """Bad input. `errors` maps each field (or `__all__`) to messages that name the problem."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        super().__init__(
            "; ".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())
        )


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


def _parse_value(field: Field, raw: str) -> Any:
    """Turn one textual value into the field's type, or raise ValueError with the reason."""
    text = raw.strip()
    if text.lower() == UNKNOWN:
        return UNKNOWN
    if field.kind is Kind.BOOL:
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError(f"{_preview(raw)} is not a boolean. Allowed values: true, false.")
    if field.kind is Kind.INT:
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise ValueError(f"{_preview(raw)} is not a whole number.")
        return _check_int(field, int(text))
    if field.kind is Kind.MULTI:
        items = [item.strip() for item in text.split(",") if item.strip()]
        return _parse_members(field, items)
    assert field.enum is not None
    try:
        return field.enum(text.lower())
    except ValueError:
        raise ValueError(
            f"{_preview(raw)} is not an allowed value. Allowed values: {_allowed(field.choices)}."
        ) from None


def _check_int(field: Field, value: int) -> int:
    minimum = field.minimum or 0
    if not minimum <= value <= INT_MAX:
        raise ValueError(
            f"{value} is out of range: give a whole number from {minimum} to {INT_MAX}."
        )
    return value


def _parse_members(field: Field, items: Iterable[str]) -> frozenset[Any]:
    assert field.enum is not None
    members, unknown = set(), []
    for item in items:
        try:
            members.add(field.enum(item.lower()))
        except ValueError:
            unknown.append(item)
    if unknown:
        raise ValueError(
            f"{_allowed(_preview(u) for u in unknown[:5])}"
            f"{' and more' if len(unknown) > 5 else ''} "
            f"{'is not an allowed value' if len(unknown) == 1 else 'are not allowed values'}. "
            f"Allowed values: {_allowed(field.choices)}."
        )
    return frozenset(members)


def _finish(values: dict[str, Any], errors: dict[str, list[str]]) -> Answers:
    """Cross-field checks, then build; raise everything found at once."""
    if "platform_version" not in errors and "os" not in errors:
        os = values.get("os", DEFAULT_ANSWERS.os)
        version = values.get("platform_version", DEFAULT_ANSWERS.platform_version)
        allowed = PLATFORM_VERSIONS.get(os, tuple(PlatformVersion))  # any, when os is unknown
        if version is not UNKNOWN and version not in allowed:
            errors["platform_version"] = [
                f"Platform version {version} does not exist for {os.value}. "
                f"Allowed values for {os.value}: {_allowed(allowed)}."
            ]
    if errors:
        raise AnswersError(errors)
    return Answers(**values)


def parse_query(params: Mapping[str, Any] | str) -> Answers:
    """Answers from a query string, or from its parsed parameters.

    `params` may be the raw query string, a `dict` of value lists (`parse_qs`), or a Django
    `QueryDict`. A list field may be comma-separated, repeated (as checkboxes send it), or both.
    An empty scalar value means the default; an empty list value means an empty list.
    """
    if isinstance(params, str):
        params = parse_qs(params, keep_blank_values=True)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    named_unknown = _unknown_param(params, errors)
    for field in FIELDS:
        if field.name in named_unknown:
            values[field.name] = UNKNOWN
        if field.name not in params:
            continue
        raw_values = _values_of(params, field.name)
        try:
            if field.kind is Kind.MULTI:
                values[field.name] = _parse_value(field, ",".join(raw_values))
                continue
            given = {raw.strip() for raw in raw_values if raw.strip()}
            parsed = {_parse_value(field, raw) for raw in given}
            if len(parsed) > 1:
                raise ValueError(
                    "given more than once with different values "
                    f"({_allowed(_preview(g) for g in sorted(given)[:5])}); "
                    "give it once."
                )
            if parsed:
                value = parsed.pop()
                if field.name in named_unknown and value is not UNKNOWN:
                    raise ValueError(
                        f"given as {_query_value(field, value)} and named in unknown=; "
                        "give one of the two."
                    )
                values[field.name] = value
        except ValueError as error:
            errors[field.name] = [str(error)]
    return _finish(values, errors)


def _unknown_param(params: Mapping[str, Any], errors: dict[str, list[str]]) -> set[str]:
    """The fields named in `unknown=a,b,c` (repeatable), checked against the vocabulary."""
    if UNKNOWN_PARAM not in params:
        return set()
    names = [name.strip() for raw in _values_of(params, UNKNOWN_PARAM)
             for name in raw.split(",") if name.strip()]
    strangers = [name for name in names if name not in FIELDS_BY_NAME]
    if strangers:
        errors[UNKNOWN_PARAM] = [
            f"{_allowed(_preview(n) for n in strangers[:5])} "
            f"{'is not a field' if len(strangers) == 1 else 'are not fields'}. "
            f"Known fields: {_allowed(FIELDS_BY_NAME)}."
        ]
    return {name for name in names if name in FIELDS_BY_NAME}


def _values_of(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return list(params.getlist(name))
    value = params[name]
    return [value] if isinstance(value, str) else [str(item) for item in value]


def parse_json(obj: Any) -> Answers:
    """Answers from a decoded JSON object: JSON types, and unknown fields are errors."""
    if not isinstance(obj, dict):
        raise AnswersError({"__all__": ["The body must be a JSON object of answers."]})
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    named_unknown = _unknown_param({UNKNOWN_PARAM: obj[UNKNOWN_PARAM]}, errors) if (
        UNKNOWN_PARAM in obj and _is_name_list(obj[UNKNOWN_PARAM], errors)
    ) else set()
    for name in obj:
        if name not in FIELDS_BY_NAME and name != UNKNOWN_PARAM:
            errors[str(name)[:100]] = [
                f"Unknown field. Known fields: {_allowed(FIELDS_BY_NAME)}."
            ]
    for field in FIELDS:
        if field.name not in obj or obj[field.name] is None:
            continue
        try:
            values[field.name] = _from_json(field, obj[field.name])
        except ValueError as error:
            errors[field.name] = [str(error)]
    for name in named_unknown:
        if values.get(name, UNKNOWN) is not UNKNOWN:
            errors[name] = ["given a value and named in unknown; give one of the two."]
        values[name] = UNKNOWN
    return _finish(values, errors)


def _is_name_list(value: Any, errors: dict[str, list[str]]) -> bool:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return True
    errors[UNKNOWN_PARAM] = [f"Expected a JSON array of field names; got {_preview(value)}."]
    return False


def _json_type_error(field: Field, value: Any) -> ValueError:
    expected = {
        Kind.BOOL: "a JSON boolean (true or false)",
        Kind.INT: "a JSON integer",
        Kind.MULTI: f"a JSON array of strings from: {_allowed(field.choices)}",
        Kind.CHOICE: f"a JSON string, one of: {_allowed(field.choices)}",
    }[field.kind]
    return ValueError(f"Expected {expected}; got {type(value).__name__} {_preview(value)}.")


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _from_json(field: Field, value: Any) -> Any:
    if value == UNKNOWN:
        return UNKNOWN
    if field.kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise _json_type_error(field, value)
        return value
    if field.kind is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _json_type_error(field, value)
        return _check_int(field, value)
    if field.kind is Kind.MULTI:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _json_type_error(field, value)
        return _parse_members(field, value)
    if not isinstance(value, str):
        raise _json_type_error(field, value)
    return _parse_value(field, value)


def to_dict(answers: Answers) -> dict[str, Any]:
    """Every field, JSON-ready: lists in vocabulary order."""
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = getattr(answers, field.name)
        if field.kind is Kind.MULTI and value is not UNKNOWN:
            value = [choice for choice in field.choices if choice in value]
        out[field.name] = value
    return out


def _query_value(field: Field, value: Any) -> str:
    if value is UNKNOWN:
        return UNKNOWN
    if field.kind is Kind.BOOL:
        return "true" if value else "false"
    if field.kind is Kind.MULTI:
        return ",".join(choice for choice in field.choices if choice in value)
    return str(value)


def to_query(answers: Answers) -> str:
    """The canonical query string: non-default fields only, in `FIELDS` order."""
    # Every value is a vocabulary word, a number or a comma list of words: nothing to escape.
    pairs = [
        f"{field.name}={_query_value(field, value)}"
        for field in FIELDS
        if (value := getattr(answers, field.name)) is not UNKNOWN
        and value != _DEFAULTS[field.name]
    ]
    if unknown := answers.unknown:
        pairs.append(f"{UNKNOWN_PARAM}={','.join(unknown)}")
    return "&".join(pairs)


def query_items(answers: Answers) -> list[tuple[str, str]]:
    """Every field as (name, text) pairs, for hidden form inputs that carry answers along."""
    return [(f.name, _query_value(f, getattr(answers, f.name))) for f in FIELDS]


def permalink(answers: Answers) -> str:
    """The result page's path and canonical query: the URL is the result."""
    query = to_query(answers)
    return f"/result/?{query}" if query else "/result/"
