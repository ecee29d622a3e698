"""What AWS says, as data. Each fact lives here once, with the page it comes from.

The evaluator in `evaluate.py` reads these tables; it holds no AWS facts of its own. Sections:

- `SOURCES`: the AWS pages cited, by short key. Every finding cites at least one.
- `TRAFFIC_TABLE`: the table of *Task networking for tasks on Fargate*, cell for cell: for
  each action, which ENI carries it on each platform column, and which IAM role it uses.
- `ENDPOINTS`: the VPC endpoints a Fargate task may need, and what each serves.
- `PERMISSIONS`: the IAM actions each role needs, by the feature that needs them.
- Platform capabilities and limits.

Confidence: facts marked [H] in `shared/reference/fargate-networking-facts.md` are stated by a
current AWS page; where that fact base marks a CONFLICT between AWS pages, the finding that
uses it says so and cites both pages (see `CONFLICTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .answers import OS, Endpoint, LoadBalancer, LogDriver, PlatformVersion, Registry, SecretSource
from .result import ENI, Action, Role, Source

RULES_VERSION = "2026.12.01"
"""Bumped with every change to a fact or a rule; see RULES_CHANGELOG.md."""


# --- Sources -------------------------------------------------------------------------------

_ECS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
_ECR = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/"

SOURCES: dict[str, Source] = {
    "networking": Source(
        "Amazon ECS task networking options for Fargate", _ECS + "fargate-task-networking.html"
    ),
    "migration": Source(
        "Migrating to Linux platform version 1.4.0 on Amazon ECS",
        _ECS + "platform-version-migration.html",
    ),
    "execution_role": Source(
        "Amazon ECS task execution IAM role", _ECS + "task_execution_IAM_role.html"
    ),
    "task_role": Source("Amazon ECS task IAM role", _ECS + "task-iam-roles.html"),
    "service_linked_role": Source(
        "Using service-linked roles for Amazon ECS", _ECS + "using-service-linked-roles.html"
    ),
    "ecs_endpoints": Source(
        "Amazon ECS interface VPC endpoints (AWS PrivateLink)", _ECS + "vpc-endpoints.html"
    ),
    "ecr_endpoints": Source(
        "Amazon ECR interface VPC endpoints (AWS PrivateLink)", _ECR + "vpc-endpoints.html"
    ),
    "awsvpc_configuration": Source(
        "AwsVpcConfiguration (Amazon ECS API Reference)",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html",
    ),
    "verify_connectivity": Source(
        "Verifying Amazon ECS stopped task connectivity", _ECS + "verify-connectivity.html"
    ),
    "pending_kc": Source(
        "Why are my Amazon ECS tasks on Fargate stuck in the PENDING state? (re:Post)",
        "https://repost.aws/knowledge-center/ecs-fargate-tasks-pending-state",
    ),
    "cannot_pull": Source("CannotPullContainer task errors", _ECS + "task_cannot_pull_image.html"),
    "resource_init": Source(
        "Troubleshooting Amazon ECS ResourceInitializationError errors",
        _ECS + "resource-initialization-error.html",
    ),
    "unable_to_pull_secrets_kc": Source(
        "How do I troubleshoot 'unable to pull secrets or registry auth' on Fargate? (re:Post)",
        "https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets",
    ),
    "pull_through_cache": Source(
        "Sync an upstream registry with an Amazon ECR private registry",
        _ECR + "pull-through-cache.html",
    ),
    "ecr_replication": Source("Private image replication in Amazon ECR", _ECR + "replication.html"),
    "ecr_requests": Source(
        "Making requests to Amazon ECR registries", _ECR + "ecr-requests.html"
    ),
    "private_auth": Source(
        "Private registry authentication for tasks", _ECS + "private-auth.html"
    ),
    "secrets": Source(
        "Pass sensitive data to an Amazon ECS container", _ECS + "specifying-sensitive-data.html"
    ),
    "awslogs": Source("Send Amazon ECS logs to CloudWatch", _ECS + "using_awslogs.html"),
    "firelens": Source(
        "Send Amazon ECS logs to an AWS service or AWS Partner", _ECS + "using_firelens.html"
    ),
    "efs": Source("Use Amazon EFS volumes with Amazon ECS", _ECS + "efs-volumes.html"),
    "efs_kc": Source(
        "How do I mount an Amazon EFS file system on an ECS task running on Fargate? (re:Post)",
        "https://repost.aws/knowledge-center/ecs-fargate-mount-efs-containers-tasks",
    ),
    "ecs_exec": Source("Monitor Amazon ECS containers with ECS Exec", _ECS + "ecs-exec.html"),
    "platform_versions": Source(
        "Fargate platform versions for Amazon ECS", _ECS + "platform-fargate.html"
    ),
    "platform_retired": Source(
        "AWS Fargate Linux platform version deprecation", _ECS + "platform-versions-retired.html"
    ),
    "windows": Source(
        "Windows containers on AWS Fargate considerations",
        _ECS + "fargate-tasks-services.html#fargate-task-os",
    ),
    "arm64": Source(
        "Amazon ECS task definitions for 64-bit ARM workloads", _ECS + "ecs-arm64.html"
    ),
    "account_settings": Source(
        "Managing Amazon ECS account settings using the AWS CLI",
        _ECS + "account-setting-management-cli.html",
    ),
    "load_balancing": Source(
        "Use load balancing to distribute Amazon ECS service traffic",
        _ECS + "service-load-balancing.html",
    ),
    "gwlb": Source("Use a Gateway Load Balancer for Amazon ECS", _ECS + "glb.html"),
    "alb": Source("Use an Application Load Balancer for Amazon ECS", _ECS + "alb.html"),
    "nlb": Source("Use a Network Load Balancer for Amazon ECS", _ECS + "nlb.html"),
    "cfn_service_lb": Source(
        "AWS::ECS::Service LoadBalancer (CloudFormation)",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/"
        "aws-properties-ecs-service-loadbalancer.html",
    ),
    "vpc_dns": Source(
        "DNS attributes for your VPC",
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html",
    ),
    "nat64": Source(
        "DNS64 and NAT64",
        "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html",
    ),
    "roadmap_2792": Source(
        "containers-roadmap #2792: Fargate pulls from ECR over IPv4 in dual-stack subnets",
        "https://github.com/aws/containers-roadmap/issues/2792",
    ),
    "public_ipv4_pricing": Source(
        "Amazon VPC pricing: public IPv4 addresses", "https://aws.amazon.com/vpc/pricing/"
    ),
    "elb_create_target_group": Source(
        "CreateTargetGroup (Elastic Load Balancing API Reference)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/"
        "API_CreateTargetGroup.html",
    ),
    "ecr_put_replication": Source(
        "PutReplicationConfiguration (Amazon ECR API Reference)",
        "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/"
        "API_PutReplicationConfiguration.html",
    ),
    "ecr_replication_backfill": Source(
        "Replication backfill (Amazon ECR)", _ECR + "replication-backfill.html"
    ),
    "efs_dns_name": Source(
        "Mounting on Amazon EC2 with a DNS name (Amazon EFS)",
        "https://docs.aws.amazon.com/efs/latest/ug/mounting-fs-mount-cmd-dns-name.html",
    ),
    "windows_foreign_layers": Source(
        "Announcing removal of foreign layers from Windows container images (Microsoft, June "
        "2023)",
        "https://techcommunity.microsoft.com/t5/containers/"
        "announcing-removal-of-foreign-layers-from-windows-container/ba-p/3846833",
    ),
}


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

# `latest` resolves to these (fact 70, [H] platform_versions).
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
# EFS (fact 63); the table keeps the page's cell and the evaluator reports the row unsupported.
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


# --- VPC endpoints -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EndpointFact:
    endpoint: Endpoint
    service_name: str
    type: str  # "interface" or "gateway"
    title: str
    serves: str
    source: str


ENDPOINTS: dict[Endpoint, EndpointFact] = {
    fact.endpoint: fact
    for fact in (
        EndpointFact(
            Endpoint.ECR_API, "com.amazonaws.<region>.ecr.api", "interface", "Amazon ECR API",
            "ECR login credentials (GetAuthorizationToken) on platform version 1.4.0 and "
            "Windows 1.0.0",
            "ecr_endpoints",
        ),
        EndpointFact(
            Endpoint.ECR_DKR, "com.amazonaws.<region>.ecr.dkr", "interface",
            "Amazon ECR Docker registry", "image manifests (the Docker Registry API)",
            "ecr_endpoints",
        ),
        EndpointFact(
            Endpoint.S3, "com.amazonaws.<region>.s3", "gateway", "Amazon S3",
            "image layers, which ECR serves from S3 (prod-<region>-starport-layer-bucket)",
            "ecr_endpoints",
        ),
        EndpointFact(
            Endpoint.LOGS, "com.amazonaws.<region>.logs", "interface", "CloudWatch Logs",
            "container logs sent by the awslogs driver (and FireLens to CloudWatch Logs)",
            "ecs_endpoints",
        ),
        EndpointFact(
            Endpoint.SECRETSMANAGER, "com.amazonaws.<region>.secretsmanager", "interface",
            "AWS Secrets Manager",
            "secrets injected from Secrets Manager, and private registry credentials",
            "migration",
        ),
        EndpointFact(
            Endpoint.SSM, "com.amazonaws.<region>.ssm", "interface", "AWS Systems Manager",
            "parameters injected from SSM Parameter Store", "migration",
        ),
        EndpointFact(
            Endpoint.SSMMESSAGES, "com.amazonaws.<region>.ssmmessages", "interface",
            "Session Manager messages", "ECS Exec sessions", "ecs_exec",
        ),
        EndpointFact(
            Endpoint.KMS, "com.amazonaws.<region>.kms", "interface", "AWS KMS",
            "ECS Exec sessions encrypted with your own KMS key", "ecs_exec",
        ),
    )
}

# Which endpoints serve an action when it leaves through the task ENI with no internet path
# (facts 28-31, 36-39). Registries outside same-Region ECR have none: no endpoint serves
# another Region (fact 35), ECR Public (conflict, fact 46), or third-party registries (fact 47).
ECR_REGISTRIES = frozenset(
    {Registry.ECR, Registry.ECR_OTHER_REGION, Registry.ECR_PULL_THROUGH_CACHE}
)
ENDPOINT_SERVED_REGISTRIES = frozenset({Registry.ECR, Registry.ECR_PULL_THROUGH_CACHE})
ECR_AUTH_ENDPOINTS = (Endpoint.ECR_API,)
IMAGE_PULL_ENDPOINTS = (Endpoint.ECR_DKR, Endpoint.S3)
LOG_DRIVER_ENDPOINTS: dict[LogDriver, tuple[Endpoint, ...]] = {
    LogDriver.AWSLOGS: (Endpoint.LOGS,),
    LogDriver.SPLUNK: (),
}
SECRET_ENDPOINTS: dict[SecretSource, Endpoint] = {
    SecretSource.SECRETSMANAGER: Endpoint.SECRETSMANAGER,
    SecretSource.SSM: Endpoint.SSM,
}
EXEC_ENDPOINTS = (Endpoint.SSMMESSAGES,)

# Interface endpoints need both VPC DNS attributes and private DNS on the endpoint, because
# Fargate calls the services' usual names (facts 22-25). The S3 gateway endpoint works through
# route tables and needs neither.
PRIVATE_DNS_ENDPOINT_TYPES = frozenset({"interface"})


# --- IAM -----------------------------------------------------------------------------------

ROLE_NAMES: dict[Role, str] = {
    Role.SERVICE_LINKED: "AWSServiceRoleForECS",
    Role.TASK_EXECUTION: "ecsTaskExecutionRole",
    Role.TASK: "ecsTaskRole",
}

TRUST_PRINCIPALS: dict[Role, str] = {
    Role.SERVICE_LINKED: "ecs.amazonaws.com",
    Role.TASK_EXECUTION: "ecs-tasks.amazonaws.com",
    Role.TASK: "ecs-tasks.amazonaws.com",
}

EXECUTION_ROLE_MANAGED_POLICY = (
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
)

# The actions of the AWS managed policy AmazonECSServiceRolePolicy that task networking and
# load balancing use; the service-linked role carries them, nobody writes them (fact 11).
SERVICE_LINKED_ACTIONS = (
    "ec2:AttachNetworkInterface",
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:Describe*",
    "ec2:DetachNetworkInterface",
)
SERVICE_LINKED_LB_ACTIONS = (
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:Describe*",
    "elasticloadbalancing:RegisterTargets",
)

# Execution role (facts 10, 51, 52, 56). The first two are what the managed policy grants.
ECR_PULL_ACTIONS = (
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
)
AWSLOGS_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
PULL_THROUGH_CACHE_ACTIONS = ("ecr:BatchImportUpstreamImage", "ecr:CreateRepository")
SECRET_ACTIONS: dict[SecretSource, tuple[str, ...]] = {
    SecretSource.SECRETSMANAGER: ("secretsmanager:GetSecretValue",),
    SecretSource.SSM: ("ssm:GetParameters",),
}
PRIVATE_REGISTRY_ACTIONS = ("secretsmanager:GetSecretValue",)
CMK_ACTIONS = ("kms:Decrypt",)

# Task role (facts 61, 65-66, C3 row 29). FireLens: what the Fluent Bit CloudWatch plugin calls;
# other destinations need their own (Firehose: firehose:PutRecordBatch).
FIRELENS_CLOUDWATCH_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
)
EFS_IAM_ACTIONS = ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite")
ECS_EXEC_ACTIONS = (
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)


# --- Platform capabilities and limits ------------------------------------------------------

MAX_SUBNETS = 16  # fact 13
MAX_SECURITY_GROUPS = 5  # fact 13

PV_1_3_0_RETIRED = (
    "retired for new tasks and services on 16 March 2026 (global Regions; the China Regions' "
    "page gives 15 June 2026)"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Where AWS pages disagree (fact base section D): the advice names both sides."""

    summary: str
    sources: tuple[str, ...]


CONFLICTS: dict[str, Conflict] = {
    "gwlb": Conflict(
        "AWS pages disagree on Gateway Load Balancers for Fargate: the task networking page "
        "and CloudFormation's LoadBalancer property list only Application and Network Load "
        "Balancers, while the current load-balancing and Gateway Load Balancer pages list "
        "GWLB as supported with platform version 1.4.0 (Linux) or 1.0.0 (Windows).",
        ("networking", "cfn_service_lb", "load_balancing", "gwlb"),
    ),
    "ecr_public_endpoints": Conflict(
        "AWS pages disagree on ECR Public through VPC endpoints: older and some translated ECR "
        "pages say interface endpoints do not support ECR Public, a newer one says they do "
        "through the API endpoint in us-east-1. Image pulls from public.ecr.aws without NAT "
        "are not documented to work, so the advisor treats them as needing an internet path.",
        ("ecr_endpoints",),
    ),
    "ecr_ipv6_endpoints": Conflict(
        "AWS pages disagree on ECR over IPv6 PrivateLink: the ECS endpoints page and one ECR "
        "page say there are no dual-stack ECR interface endpoints usable by IPv6-only tasks, "
        "while a newer ECR endpoints page says ECR endpoints support dual-stack. An IPv6-only "
        "task is not guaranteed to pull through ECR endpoints.",
        ("ecs_endpoints", "ecr_requests", "ecr_endpoints"),
    ),
    "get_authorization_token_eni": Conflict(
        "AWS pages disagree on which interface carries ecr:GetAuthorizationToken on platform "
        "version 1.4.0: the task networking table says the task ENI, the execution role page "
        "says the Fargate-owned ENI (which is why aws:SourceVpc and aws:SourceVpce conditions "
        "cannot be used on that action). Failures in practice time out on the task's network.",
        ("networking", "execution_role"),
    ),
    "windows_dualstack": Conflict(
        "AWS pages disagree on IPv6 for Windows tasks: the networking page says Windows 1.0.0 "
        "tasks in dual-stack subnets get IPv6 addresses, but its list of IPv6 conditions names "
        "only Linux platform version 1.4.0.",
        ("networking",),
    ),
}


# --- Load balancers ------------------------------------------------------------------------

# The protocols a target group can have, by the load balancer it serves (CreateTargetGroup,
# source: elb_create_target_group). The first is the one a fix uses. A Gateway Load Balancer's
# target groups take GENEVE on port 6081 only.
TARGET_GROUP_PROTOCOLS: dict[LoadBalancer, tuple[str, ...]] = {
    LoadBalancer.ALB: ("HTTP", "HTTPS"),
    LoadBalancer.NLB: ("TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"),
    LoadBalancer.GWLB: ("GENEVE",),
}
GENEVE_PORT = 6081


# --- What the failures say -----------------------------------------------------------------

# Real stoppedReason and API error texts (fact 102; each checked against reports of the
# message), quoted as AWS writes them. "…" stands for what varies: ARNs, addresses, retry
# counts, resource names.
EXPECTED_ERRORS: dict[Action, tuple[str, ...]] = {
    Action.ECR_AUTH: (
        "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot "
        "pull registry auth from Amazon ECR: There is a connection issue between the task and "
        "Amazon ECR. Check your task network configuration. … dial tcp …:443: i/o timeout",
    ),
    Action.IMAGE_PULL: (
        "CannotPullContainerError: pull image manifest has been retried … time(s): failed to "
        "resolve ref …: dial tcp …:443: i/o timeout",
    ),
    Action.LOG_DRIVER: (
        "ResourceInitializationError: failed to validate logger args: : signal: killed",
    ),
    Action.SECRETS: (
        "ResourceInitializationError: unable to pull secrets or registry auth: execution "
        "resource retrieval failed: unable to retrieve secret from asm: service call has been "
        "retried … time(s): failed to fetch secret … from secrets manager: RequestCanceled: "
        "request context canceled caused by: context deadline exceeded",
        "… unable to retrieve secrets from ssm: service call has been retried … time(s): "
        "RequestCanceled: request context canceled caused by: context deadline exceeded",
    ),
}
TARGET_TYPE_ERROR = (
    "InvalidParameterException: The provided target group … has target type instance, which "
    "is incompatible with the awsvpc network mode specified in the task definition."
)
EFS_DNS_ERROR = (
    "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: "
    "stderr: Failed to resolve \"fs-….efs.<region>.amazonaws.com\""
)
ARM64_IMAGE_ERROR = (
    "CannotPullContainerError: pull image manifest has been retried … time(s): image Manifest "
    "does not contain descriptor matching platform 'linux/arm64'"
)

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
