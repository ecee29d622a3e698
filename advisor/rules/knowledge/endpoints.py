"""The VPC endpoints a Fargate task may need, what each serves, and what else can bring an
image in where none can."""

from __future__ import annotations

from dataclasses import dataclass

from ..answers import Endpoint, LogDriver, Registry, SecretSource

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
# (SOURCES: ecr_endpoints, ecs_endpoints). Registries outside same-Region ECR have none: no
# endpoint serves another Region, ECR Public (a conflict: CONFLICTS["ecr_public_endpoints"]), or
# third-party registries (SOURCES: pull_through_cache).
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
# Fargate calls the services' usual names (SOURCES: ecs_endpoints, ecr_endpoints, vpc_dns).
# The S3 gateway endpoint works through route tables and needs neither.
PRIVATE_DNS_ENDPOINT_TYPES = frozenset({"interface"})


# Where only an internet path can carry the image pull, what else can bring the image in
# (SOURCES: pull_through_cache, ecr_replication).
REGISTRY_ALTERNATIVES: dict[Registry, str] = {
    Registry.ECR_OTHER_REGION: "Or replicate the repository into the task's Region with "
    "ECR replication and pull it from there through the ECR endpoints (VPC endpoints "
    "do not serve other Regions). Replication copies only images pushed after it is "
    "configured: push the tags you run again, or start a replication backfill. And "
    "put-replication-configuration replaces the registry's existing replication "
    "configuration: include its current rules (aws ecr describe-registry).",
    Registry.ECR_PUBLIC: "Or pull it through an ECR pull-through cache rule for "
    "public.ecr.aws (the first pull of each image still needs an internet path), or copy "
    "the image into your private ECR.",
    Registry.DOCKER_HUB: "Or pull it through an ECR pull-through cache rule for Docker "
    "Hub (the first pull of each image still needs an internet path), or copy the image "
    "into your private ECR.",
    Registry.OTHER_PUBLIC: "Or pull it through an ECR pull-through cache rule (Quay, "
    "GitHub Container Registry, registry.k8s.io and others are supported; the first "
    "pull of each image still needs an internet path), or copy the image into your "
    "private ECR.",
    Registry.PRIVATE_REGISTRY: "Or reach the registry privately (VPN, Direct Connect, "
    "PrivateLink): the advisor cannot see such a route. Or copy the image into ECR.",
}
