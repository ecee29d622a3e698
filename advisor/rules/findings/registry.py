"""Findings about where the image comes from."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    OS,
    Endpoint,
    Registry,
    known,
)
from ..knowledge import (
    ECR_PULL_ACTIONS,
    ECR_REGISTRIES,
    PULL_THROUGH_CACHE_ACTIONS,
)
from ..paths import (
    Context,
)
from ..result import (
    Action,
    Finding,
    Severity,
)
from ..traffic import (
    uses_ecr_login,
)
from .common import (
    conflict_summary,
    finding,
    internet_fix,
    lower_first,
)


def no_vpc_conditions_on_get_authorization_token(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (uses_ecr_login(a) and {Endpoint.ECR_API, Endpoint.ECR_DKR} & known(a.endpoints)):
        return None
    summary, sources = conflict_summary("get_authorization_token_eni")
    return finding(
        "no-vpc-conditions-on-get-authorization-token", Severity.INFO,
        "Don't restrict ecr:GetAuthorizationToken with aws:SourceVpc or aws:SourceVpce",
        "You may limit the execution role's layer and image actions to your VPC or endpoints, "
        "but not ecr:GetAuthorizationToken: the condition would deny the login. " + summary,
        remediation=["Keep aws:SourceVpc / aws:SourceVpce conditions only on "
                     "ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and "
                     "ecr:BatchCheckLayerAvailability."],
        sources=sources, actions=(Action.ECR_AUTH,),
    )


def windows_foreign_layers(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.os is OS.WINDOWS and ctx.isolated and a.registry in ECR_REGISTRIES):
        return None
    return finding(
        "windows-foreign-layers", Severity.INFO,
        "Only Windows images built on pre-mid-2023 base images have foreign layers",
        "Microsoft removed foreign (non-distributable) layers from its Windows container base "
        "images in June 2023: images built on current base images push every layer to ECR, "
        "and ECR endpoints serve them all. An image built on an older base image may still "
        "reference a base layer on Microsoft's servers, which no VPC endpoint reaches.",
        remediation=["If the image is built on a base image from before mid-2023, rebuild it "
                     "on a current one (or push it with allow-nondistributable-artifacts)."],
        sources=("windows_foreign_layers", "ecr_endpoints"), actions=(Action.IMAGE_PULL,),
    )


def pull_through_cache(ctx: Context) -> Finding | None:
    """ECR pull-through cache: pull-through-cache-first-pull-needs-nat (no internet path)
    or pull-through-cache-permissions."""
    a = ctx.answers
    if a.registry is not Registry.ECR_PULL_THROUGH_CACHE:
        return None
    if ctx.isolated:
        return finding(
            "pull-through-cache-first-pull-needs-nat", Severity.WARNING,
            "The first pull of each image through the cache needs an internet path",
            "With ECR endpoints, pulls of images already in the cache work without internet, "
            "but the first pull of an image through a pull-through cache rule needs an internet "
            "path from the task's subnet (AWS describes a NAT gateway). The execution role also "
            "needs ecr:BatchImportUpstreamImage (and ecr:CreateRepository if the cache "
            "repository does not exist yet), which the managed execution policy lacks.",
            remediation=["Warm the cache by pulling each new image once from a network with "
                         "internet access, or give the task an internet path: "
                         + lower_first(internet_fix(ctx)[0])],
            commands=internet_fix(ctx)[1],
            sources=("ecr_endpoints", "pull_through_cache"), actions=(Action.IMAGE_PULL,),
        )
    return finding(
        "pull-through-cache-permissions", Severity.INFO,
        "Pull-through cache needs two more ECR permissions",
        "The execution role needs ecr:BatchImportUpstreamImage, and ecr:CreateRepository if the "
        "cache repository does not exist yet; the managed execution policy has neither. (Stated "
        "by ECR's pull-through cache documentation, not an ECS page.)",
        commands=fixes.execution_role(ECR_PULL_ACTIONS + PULL_THROUGH_CACHE_ACTIONS),
        sources=("pull_through_cache",), actions=(Action.IMAGE_PULL,),
    )


def docker_hub_rate_limit(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.registry is not Registry.DOCKER_HUB or ctx.isolated:
        return None
    return finding(
        "docker-hub-rate-limit", Severity.INFO, "Docker Hub limits anonymous pulls",
        "Tasks behind one NAT gateway share its address, so anonymous pulls hit Docker Hub's "
        "rate limit together (\"toomanyrequests: You have reached your pull rate limit\").",
        remediation=["Authenticate with repositoryCredentials, or pull through an ECR "
                     "pull-through cache rule for Docker Hub."],
        commands=fixes.pull_through_cache("docker-hub", "registry-1.docker.io", credentials=True),
        sources=("cannot_pull", "pull_through_cache"), actions=(Action.IMAGE_PULL,),
    )
