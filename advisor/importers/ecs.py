"""ECS values in the advisor's vocabulary: image registries, log drivers, secret sources.

A task has one answer per question but may have several containers. Where containers differ,
the advisor keeps the one hardest to serve from a private subnet (`REGISTRY_RANK`,
`LOG_DRIVER_RANK`) and says so, because that container decides whether the task starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.rules.answers import LogDriver, PlatformVersion, Registry, SecretSource

# Fact 59: the log drivers Fargate supports.
FARGATE_LOG_DRIVERS: dict[str, LogDriver] = {
    "awslogs": LogDriver.AWSLOGS,
    "awsfirelens": LogDriver.FIRELENS,
    "splunk": LogDriver.SPLUNK,
}

# FireLens needs the log router's own path as well; splunk and awslogs need their service.
LOG_DRIVER_RANK = (LogDriver.FIRELENS, LogDriver.SPLUNK, LogDriver.AWSLOGS, LogDriver.NONE)

# Hardest to reach from a private subnet first: credentials and the internet, the internet
# only, a registry no endpoint serves, another Region, a cache's first pull, plain ECR.
REGISTRY_RANK = (
    Registry.PRIVATE_REGISTRY,
    Registry.DOCKER_HUB,
    Registry.OTHER_PUBLIC,
    Registry.ECR_PUBLIC,
    Registry.ECR_OTHER_REGION,
    Registry.ECR_PULL_THROUGH_CACHE,
    Registry.ECR,
)

PLATFORM_VERSIONS: dict[str, PlatformVersion] = {
    "latest": PlatformVersion.LATEST,
    "1.4.0": PlatformVersion.V1_4_0,
    "1.3.0": PlatformVersion.V1_3_0,
    "1.0.0": PlatformVersion.V1_0_0,
}

# Repository prefixes that ECR's console suggests for pull-through cache rules (fact 49). A
# rule may use any prefix, so an image under another prefix is simply read as ECR.
PULL_THROUGH_CACHE_PREFIXES = (
    "ecr-public", "docker-hub", "dockerhub", "quay", "k8s", "registry-k8s-io", "github",
    "ghcr", "gitlab", "azure", "chainguard",
)

DOCKER_HUB_HOSTS = (
    "docker.io", "registry-1.docker.io", "index.docker.io", "registry.hub.docker.com",
)

# `<account>.dkr.ecr.<region>.amazonaws.com[.cn]` and the dual-stack `.dkr-ecr.<region>.on.aws`.
_ECR_HOST = re.compile(
    r"^(?P<account>[^./]+)\.dkr\.ecr\.(?P<region>[^./]+)\.amazonaws\.com(?:\.cn)?$"
    r"|^(?P<account6>[^./]+)\.dkr-ecr\.(?P<region6>[^./]+)\.on\.aws$"
)
_ARN = re.compile(r"^arn:[^:]*:(?P<service>[^:]*):(?P<region>[^:]*):")

# CloudFormation renders `${AWS::Region}` as itself: "the stack's Region".
STACK_REGION = "${AWS::Region}"


@dataclass(frozen=True, slots=True)
class ImageSource:
    registry: Registry
    reason: str
    region: str | None = None


def split_image(image: str) -> tuple[str | None, str]:
    """(registry host or None for Docker Hub's short names, repository path)."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first.lower(), rest
    return None, image


def classify_image(image: str, *, credentials: bool, task_region: str | None) -> ImageSource:
    host, repository = split_image(image.strip())
    if host is not None and (match := _ECR_HOST.match(host)):
        region = match.group("region") or match.group("region6")
        prefix = repository.split("/", 1)[0]
        if prefix in PULL_THROUGH_CACHE_PREFIXES and "/" in repository:
            return ImageSource(
                Registry.ECR_PULL_THROUGH_CACHE,
                f"private ECR under the prefix '{prefix}/', a usual pull-through cache prefix",
                region,
            )
        if _other_region(region, task_region):
            return ImageSource(
                Registry.ECR_OTHER_REGION,
                f"private ECR in {region}, while the task runs in {task_region}",
                region,
            )
        where = "" if task_region or region == STACK_REGION else (
            "; the task's Region is not in the document, so the same Region is assumed"
        )
        return ImageSource(Registry.ECR, f"private ECR in {region}{where}", region)
    if host == "public.ecr.aws":
        return ImageSource(Registry.ECR_PUBLIC, "Amazon ECR Public (public.ecr.aws)")
    if credentials:
        return ImageSource(
            Registry.PRIVATE_REGISTRY,
            f"{host or 'Docker Hub'} with repositoryCredentials (a Secrets Manager secret)",
        )
    if host is None or host in DOCKER_HUB_HOSTS:
        return ImageSource(Registry.DOCKER_HUB, "Docker Hub (no registry host in the name)"
                           if host is None else f"Docker Hub ({host})")
    return ImageSource(
        Registry.OTHER_PUBLIC, f"{host}, a registry outside AWS, pulled without credentials"
    )


def _other_region(region: str, task_region: str | None) -> bool:
    if task_region is None or region == task_region:
        return False
    return STACK_REGION not in (region, task_region)


def region_of_arn(arn: str) -> str | None:
    match = _ARN.match(arn)
    if not match or not match.group("region") or "$" in match.group("region"):
        return None
    return match.group("region")


def secret_source(value_from: str) -> tuple[SecretSource, str]:
    """Where a `valueFrom` is stored: a Secrets Manager ARN, an SSM ARN, or a parameter name."""
    match = _ARN.match(value_from)
    if match and match.group("service") == "secretsmanager":
        return SecretSource.SECRETSMANAGER, "a Secrets Manager ARN"
    if match and match.group("service") == "ssm":
        return SecretSource.SSM, "an SSM Parameter Store ARN"
    if value_from.startswith("/aws/reference/secretsmanager/"):
        return SecretSource.SSM, (
            "an SSM parameter name that references Secrets Manager: Fargate calls SSM, and "
            "the execution role also needs secretsmanager:GetSecretValue"
        )
    return SecretSource.SSM, "a parameter name (names, not ARNs, are SSM parameters)"


def hardest(values: list[Registry]) -> Registry:
    return min(values, key=REGISTRY_RANK.index)


def strongest_log_driver(values: list[LogDriver]) -> LogDriver:
    return min(values, key=LOG_DRIVER_RANK.index)


def ecr_host(host: str) -> bool:
    """Whether a registry host is private ECR's (`<account>.dkr.ecr.<region>.amazonaws.com`)."""
    return bool(_ECR_HOST.match(host))


def registry_is_fixed(image: str) -> bool:
    """False when the registry part of the name is a placeholder (`${Registry}/app`)."""
    host, _ = split_image(image.strip())
    if host is None:
        return "${" not in image.split("/", 1)[0]
    return "${" not in host or bool(_ECR_HOST.match(host))
