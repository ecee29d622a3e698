"""The questions (spec section 1): `FIELDS` describes every field of `Answers` once: its kind,
allowed values, default, question text, wizard step and AWS source. The parsers, the wizard's
forms, `/api/v1/questions` and the OpenAPI document all read it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .answers import (
    _FIELD_NAMES,
    OS,
    Answers,
    Arch,
    Endpoint,
    IPMode,
    IPv6Egress,
    LoadBalancer,
    LogDriver,
    PlatformVersion,
    Registry,
    SecretSource,
    Subnet,
    TargetType,
)


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
_CHOICES: dict[str, tuple[str, ...]] = {
    f.name: ("true", "false") if f.kind is Kind.BOOL
    else tuple(member.value for member in f.enum) if f.enum else ()
    for f in FIELDS
}
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Answers)}
assert tuple(FIELDS_BY_NAME) == _FIELD_NAMES, "FIELDS and Answers must describe the same fields"
