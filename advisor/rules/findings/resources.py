"""Findings about where the task's registries, secrets and logs live, environment files
and traffic between services (issue 12).

Each rule is named after the finding it writes (hyphens as underscores) and returns it or
None; `RESOURCES_RULES` is the order they run in. The registry and log group rules live with
their subjects (`registry`, `logs`) and run from here. A blocker fires exactly when its
requirement is violated (`requirements.violated`), and names only the rows it blocks.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import fixes
from ..answers import (
    DnsResolver,
    Endpoint,
    Location,
    LogDriver,
    Registry,
    SecretSource,
    ServiceDiscovery,
    Where,
)
from ..detail import registries
from ..fixes.common import alternatives
from ..knowledge.errors import (
    ENV_FILES_FORBIDDEN_ERROR,
    ENV_FILES_TIMEOUT_ERROR,
)
from ..paths import Context
from ..requirements import violated
from ..result import (
    Action,
    Command,
    Finding,
    Severity,
    Status,
)
from ..traffic import and_list
from .common import (
    INTERNET_FIX_LABELS,
    finding,
    internet_fix,
    internet_kind,
    lower_first,
)
from .logs import (
    log_group_created_by_driver,
    log_group_missing,
)
from .registry import (
    ecr_cross_account_pull_denied,
    other_registry_unreachable,
)


def secrets_cross_account_denied(ctx: Context) -> Finding | None:
    """A secret in another account is not shared with this account's execution role
    (requirement secrets-cross-account)."""
    a = ctx.answers
    if not violated(a, "secrets-cross-account"):
        return None
    ssm = (" For Systems Manager parameters, older ECS pages said a parameter must be in the "
           "task's account; Parameter Store has since added sharing advanced parameters "
           "across accounts, but no ECS page seen says ECS accepts them: check before "
           "relying on it." if SecretSource.SSM in a.secrets else "")
    return finding(
        "secrets-cross-account-denied", Severity.BLOCKER,
        "The secret in the other account is not shared with this account",
        "Secrets Manager allows access from another account only when both sides allow it: "
        "a resource policy on the secret that names this account's execution role, and the "
        "role's own policy (secretsmanager:GetSecretValue, and kms:Decrypt on the key). The "
        "secret must be encrypted with a customer managed KMS key whose key policy lets the "
        "role decrypt: the AWS managed key aws/secretsmanager cannot be used across "
        "accounts. In the task definition, valueFrom must be the secret's full ARN." + ssm,
        remediation=[
            "In the account that owns the secret: put a resource policy on it that allows "
            "the task account's execution role secretsmanager:GetSecretValue.",
            "Encrypt the secret with a customer managed KMS key (not aws/secretsmanager), "
            "and add a statement to the key's policy that allows that role kms:Decrypt.",
            "In the task account: allow the execution role secretsmanager:GetSecretValue on "
            "the secret's ARN and kms:Decrypt on the key's ARN, and use the full ARN in "
            "valueFrom.",
        ],
        commands=fixes.resources.secret_sharing(),
        sources=("sm_cross_account", "ecs_api_secret", "secrets"),
        actions=(Action.SECRETS,) if ctx.status(Action.SECRETS) is Status.BLOCKED else (),
    )


def env_files_no_path(ctx: Context) -> Finding | None:
    """environmentFiles cannot be downloaded from S3 (requirement reach-s3-env-files)."""
    a = ctx.answers
    if not violated(a, "reach-s3-env-files"):
        return None
    on_other_tables = a.has_endpoint(Endpoint.S3)
    endpoint: tuple[Command, ...]
    if on_other_tables:
        why = ("The VPC has an S3 gateway endpoint, but not on the task subnets' route tables, "
               "so it does not carry their traffic, and there is no internet path.")
        endpoint_label = "add the task subnets' route tables to the S3 gateway endpoint"
        endpoint = fixes.resources.s3_endpoint_route_tables()
    else:
        why = "The task has no internet path and no S3 gateway endpoint."
        endpoint_label = "an S3 gateway endpoint on the task subnets' route tables"
        endpoint = fixes.create_endpoints((Endpoint.S3,))
    text, internet = internet_fix(ctx)
    return finding(
        "env-files-no-path", Severity.BLOCKER, "The environment files cannot be downloaded",
        "ECS downloads the containers' environmentFiles from Amazon S3 through the task's "
        f"network before they start. {why} The task stops with `{ENV_FILES_TIMEOUT_ERROR}`. "
        f"(A 403 instead, `{ENV_FILES_FORBIDDEN_ERROR}`, is not the network: the execution "
        "role may not read the file, or it does not exist; the roles panel lists the S3 "
        "permissions.)",
        remediation=[
            "Associate the S3 gateway endpoint with the route tables of the task subnets "
            "(create it if there is none), or give the task an internet path: "
            + lower_first(text),
        ],
        commands=alternatives((endpoint_label, endpoint),
                              (INTERNET_FIX_LABELS[internet_kind(ctx)], internet)),
        sources=("env_files", "gateway_endpoints", "ecr_endpoints"),
    )


def services_cannot_reach_each_other(ctx: Context) -> Finding | None:
    """The services this one calls do not admit it (requirement services-admit-each-other)."""
    a = ctx.answers
    if not violated(a, "services-admit-each-other"):
        return None
    how = ("Service Connect" if a.service_discovery is ServiceDiscovery.SERVICE_CONNECT
           else "Cloud Map service discovery")
    return finding(
        "services-cannot-reach-each-other", Severity.WARNING,
        "The services this one calls do not admit its tasks",
        f"{how} gives this service the other services' names and addresses, but the "
        "connection still goes task to task inside the VPC, through the called service's "
        "security groups. They admit only what their inbound rules name: the task starts, "
        "and its calls to the other services time out.",
        remediation=[
            "Add an inbound rule to the called service's security group: TCP on the port "
            "its containers listen on, from this service's task security group.",
        ],
        commands=fixes.security_group_ingress(
            "CalledServiceIngress", "called-service-security-group-id", "<container-port>",
            "task-security-group-id", "From the calling service's tasks"),
        sources=("service_connect", "vpc_sg_rules"),
    )


def cloud_map_needs_vpc_dns(ctx: Context) -> Finding | None:
    """Cloud Map DNS names do not resolve (requirement cloud-map-resolves)."""
    a = ctx.answers
    if not violated(a, "cloud-map-resolves"):
        return None
    off = [name for name, on in (("enableDnsSupport", a.dns_support),
                                 ("enableDnsHostnames", a.dns_hostnames)) if not on]
    if not a.vpc_dns and not off:
        off = ["enableDnsSupport or enableDnsHostnames"]
    reasons = []
    if off:
        reasons.append(f"the VPC's {and_list(off)} {'is' if len(off) == 1 else 'are'} off")
    if a.dns_resolver is DnsResolver.CUSTOM:
        reasons.append("the DHCP options set names DNS servers that do not forward to the "
                       "Route 53 Resolver (the VPC's base address plus two)")
    return finding(
        "cloud-map-needs-vpc-dns", Severity.WARNING,
        "Cloud Map service names do not resolve in this VPC",
        "A Cloud Map private DNS namespace is a Route 53 private hosted zone, and private "
        "hosted zones answer only through the Route 53 Resolver of a VPC with both "
        f"enableDnsSupport and enableDnsHostnames on. Here {and_list(reasons)}: the task "
        "starts, but the other services' names do not resolve.",
        remediation=[
            "Turn on both DNS attributes of the VPC, and have your own DNS servers forward "
            "the namespace's domain to the Route 53 Resolver (or use AmazonProvidedDNS).",
        ],
        commands=fixes.vpc_dns() if off else (),
        sources=("cloud_map_namespaces", "r53_phz_considerations", "vpc_dns"),
    )


def other_region_needs_internet(ctx: Context) -> Finding | None:
    """Secrets, logs or images in another Region: a VPC endpoint serves its own Region."""
    a = ctx.answers
    where = []
    actions = []
    if a.secrets and a.secrets_location is Location.OTHER_REGION:
        where.append("the secrets (Secrets Manager / Parameter Store)")
        actions.append(Action.SECRETS)
    if a.log_driver is LogDriver.AWSLOGS and a.logs_region is Where.OTHER:
        where.append("the awslogs destination (awslogs-region)")
        actions.append(Action.LOG_DRIVER)
    if not where:  # (ECR in another Region alone has its own findings, as before)
        return None
    if Registry.ECR_OTHER_REGION in registries(a):
        where.append("the ECR images")
        actions.append(Action.IMAGE_PULL)
    text, internet = internet_fix(ctx)
    state = (f"This task has one ({ctx.internet_via}), so they take it." if ctx.internet
             else "This task has none, so they are blocked.")
    steps = ["Keep the secrets, the log group and the images in the task's Region (ECR "
             "replication copies images), so that the local VPC endpoints serve them."]
    commands: tuple[Command, ...] = ()
    if ctx.isolated:
        steps.append("Or give the task an internet path: " + lower_first(text))
        commands += internet
    if Registry.ECR_OTHER_REGION in registries(a):
        commands += fixes.ecr_replication()
    return finding(
        "other-region-needs-internet", Severity.INFO,
        "Calls to another Region need the internet path",
        f"{and_list(where).capitalize()} {'is' if len(where) == 1 else 'are'} in another "
        "Region. A VPC endpoint serves its own Region's service: ECR's and ECS's endpoint "
        "pages say \"VPC endpoints currently don't support cross-Region requests\". AWS has "
        "since added cross-Region connectivity to PrivateLink, but the pages read do not say "
        "it covers ECR, Secrets Manager or CloudWatch Logs, so the advisor counts these calls "
        f"as needing the internet path. {state}",
        remediation=steps, commands=commands,
        sources=("ecr_endpoints", "ecs_endpoints", "blog_privatelink_cross_region",
                 "ecs_api_secret", "ecs_api_log_configuration"),
        actions=actions,
    )


RESOURCES_RULES: tuple[Callable[[Context], Finding | None], ...] = (
    other_registry_unreachable,
    ecr_cross_account_pull_denied,
    secrets_cross_account_denied,
    log_group_missing,
    log_group_created_by_driver,
    env_files_no_path,
    other_region_needs_internet,
    services_cannot_reach_each_other,
    cloud_map_needs_vpc_dns,
)
