"""The AWS traffic table, cell for cell, the platform columns, and where each flow ends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from ..answers import OS, LoadBalancer, LogDriver, PlatformVersion, Registry, SecretSource
from ..result import ENI, Action, Role

# --- The traffic table ---------------------------------------------------------------------


class Column(StrEnum):
    """The platform columns of the AWS traffic table."""

    LINUX_1_3_0 = "linux_1.3.0"
    LINUX_1_4_0 = "linux_1.4.0"
    WINDOWS_1_0_0 = "windows_1.0.0"


COLUMN_TITLES: dict[Column, str] = {
    Column.LINUX_1_3_0: "Traffic flow with Linux platform version 1.3.0 and earlier",
    Column.LINUX_1_4_0: "Traffic flow with Linux platform version 1.4.0",
    Column.WINDOWS_1_0_0: "Traffic flow with Windows platform version 1.0.0",
}

# `latest` resolves to these (SOURCES: platform_versions).
LATEST: dict[OS, PlatformVersion] = {
    OS.LINUX: PlatformVersion.V1_4_0,
    OS.WINDOWS: PlatformVersion.V1_0_0,
}


def resolve(os: OS, version: PlatformVersion) -> PlatformVersion:
    return LATEST[os] if version is PlatformVersion.LATEST else version


def column_for(os: OS, version: PlatformVersion) -> Column:
    resolved = resolve(os, version)
    if os is OS.WINDOWS:
        return Column.WINDOWS_1_0_0
    return Column.LINUX_1_3_0 if resolved is PlatformVersion.V1_3_0 else Column.LINUX_1_4_0


@dataclass(frozen=True, slots=True)
class TrafficFact:
    """One row of the AWS table: the action's wording on the page, its ENI per column, its role."""

    action: Action
    label: str
    eni: Mapping[Column, ENI]
    role: Role


_L13, _L14, _W10 = Column.LINUX_1_3_0, Column.LINUX_1_4_0, Column.WINDOWS_1_0_0

# Reproduced cell for cell from the page (source: SOURCES["networking"]). "Not available" is
# ENI.NONE. The page gives Task ENI for EFS on Windows 1.0.0 although Windows tasks cannot use
# EFS (SOURCES["windows"]); the table keeps the page's cell and the evaluator reports the
# row unsupported.
TRAFFIC_TABLE: tuple[TrafficFact, ...] = (
    TrafficFact(
        Action.ECR_AUTH, "Retrieving Amazon ECR login credentials",
        {_L13: ENI.FARGATE_OWNED, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK_EXECUTION,
    ),
    TrafficFact(
        Action.IMAGE_PULL, "Image pull",
        {_L13: ENI.TASK, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK_EXECUTION,
    ),
    TrafficFact(
        Action.LOG_DRIVER, "Sending logs through a log driver",
        {_L13: ENI.TASK, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK_EXECUTION,
    ),
    TrafficFact(
        Action.FIRELENS, "Sending logs through FireLens for Amazon ECS",
        {_L13: ENI.TASK, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK,
    ),
    TrafficFact(
        Action.SECRETS, "Retrieving secrets from Secrets Manager or Systems Manager",
        {_L13: ENI.FARGATE_OWNED, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK_EXECUTION,
    ),
    TrafficFact(
        Action.EFS, "Amazon EFS file system traffic",
        {_L13: ENI.NONE, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK,
    ),
    TrafficFact(
        Action.APPLICATION, "Application traffic",
        {_L13: ENI.TASK, _L14: ENI.TASK, _W10: ENI.TASK}, Role.TASK,
    ),
)

TRAFFIC_BY_ACTION: dict[Action, TrafficFact] = {fact.action: fact for fact in TRAFFIC_TABLE}

ENI_TITLES: dict[ENI, str] = {
    ENI.TASK: "Task ENI",
    ENI.FARGATE_OWNED: "Fargate owned ENI",
    ENI.NONE: "Not available",
}

ROLE_TITLES: dict[Role, str] = {
    Role.SERVICE_LINKED: "Amazon ECS service-linked role",
    Role.TASK_EXECUTION: "Task execution IAM role",
    Role.TASK: "Task IAM role",
}


# --- Where each flow ends: the last hop of its route (spec section 4, routes as data) ---------

SERVICE_NAMES: dict[Action, str] = {
    Action.ECR_AUTH: "Amazon ECR",
    Action.FIRELENS: "the FireLens destination",
    Action.EFS: "Amazon EFS",
}
REGISTRY_NAMES: dict[Registry, str] = {
    Registry.ECR: "Amazon ECR",
    Registry.ECR_OTHER_REGION: "Amazon ECR in another Region",
    Registry.ECR_PUBLIC: "Amazon ECR Public",
    Registry.ECR_PULL_THROUGH_CACHE: "Amazon ECR (pull-through cache)",
    Registry.DOCKER_HUB: "Docker Hub",
    Registry.OTHER_PUBLIC: "the public registry",
    Registry.PRIVATE_REGISTRY: "the private registry",
}
LOG_DESTINATIONS: dict[LogDriver, str] = {
    LogDriver.AWSLOGS: "CloudWatch Logs",
    LogDriver.SPLUNK: "Splunk",
}
SECRET_SERVICES: dict[SecretSource, str] = {
    SecretSource.SECRETSMANAGER: "Secrets Manager",
    SecretSource.SSM: "Systems Manager",
}
LOAD_BALANCER_NAMES: dict[LoadBalancer, str] = {
    LoadBalancer.ALB: "Application Load Balancer",
    LoadBalancer.NLB: "Network Load Balancer",
    LoadBalancer.GWLB: "Gateway Load Balancer",
    LoadBalancer.CLB: "Classic Load Balancer",
}
