"""Findings about where the image comes from."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    OS,
    Endpoint,
    IPMode,
    LogDriver,
    Registry,
    known,
)
from ..detail import (
    other_registries,
    registries,
)
from ..fixes.common import alternatives
from ..fixes.resources import REPOSITORY_PULL_ACTIONS, repository_policy
from ..knowledge import (
    ECR_PULL_ACTIONS,
    ECR_REGISTRIES,
    ENDPOINT_SERVED_REGISTRIES,
    PULL_THROUGH_CACHE_ACTIONS,
    REGISTRY_NAMES,
)
from ..paths import (
    Context,
)
from ..requirements import (
    violated,
)
from ..result import (
    Action,
    Command,
    Finding,
    Severity,
    Status,
)
from ..traffic import (
    and_list,
    uses_ecr_login,
)
from .common import (
    INTERNET_FIX_LABELS,
    conflict_summary,
    finding,
    internet_fix,
    internet_kind,
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
    if not (a.os is OS.WINDOWS and ctx.isolated
            and any(r in ECR_REGISTRIES for r in registries(a))):
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
    if Registry.ECR_PULL_THROUGH_CACHE not in registries(a):
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
    if Registry.DOCKER_HUB not in registries(a) or ctx.isolated:
        return None
    sidecar = (" Docker Hub is where another container's image comes from (a sidecar counts: "
               "each task pulls it at every start)." if a.registry is not Registry.DOCKER_HUB
               else "")
    return finding(
        "docker-hub-rate-limit", Severity.INFO, "Docker Hub limits anonymous pulls",
        "Tasks behind one NAT gateway share its address, so anonymous pulls hit Docker Hub's "
        "rate limit together (\"toomanyrequests: You have reached your pull rate limit\")."
        + sidecar,
        remediation=["Authenticate with repositoryCredentials, or pull through an ECR "
                     "pull-through cache rule for Docker Hub."],
        commands=fixes.pull_through_cache("docker-hub", "registry-1.docker.io", credentials=True),
        sources=("cannot_pull", "pull_through_cache"), actions=(Action.IMAGE_PULL,),
    )


def _sidecars(ctx: Context) -> str:
    """Who the other containers are likely to be: the advisor knows registries, not names."""
    if ctx.answers.log_driver is LogDriver.FIRELENS:
        return "the FireLens log router or another sidecar (an agent, a proxy)"
    return "a sidecar (a log router, a monitoring or security agent, a proxy)"


def _pull_rows(ctx: Context) -> tuple[Action, ...]:
    return (Action.IMAGE_PULL,) if ctx.status(Action.IMAGE_PULL) is Status.BLOCKED else ()


def other_registry_unreachable(ctx: Context) -> Finding | None:
    """A container other than the main one pulls from a registry the task cannot reach
    (requirement reach-other-registries)."""
    a = ctx.answers
    if not violated(a, "reach-other-registries"):
        return None
    others = other_registries(a)
    stuck = [r for r in others if r in ctx.registry_reach and not ctx.registry_reach[r].ok]
    names = and_list([REGISTRY_NAMES[r] for r in stuck or others])
    served = (a.ip_mode is not IPMode.IPV6_ONLY
              and any(r in ENDPOINT_SERVED_REGISTRIES for r in stuck or others))
    options: list[tuple[str, tuple[Command, ...]]] = []
    text, commands = internet_fix(ctx)
    options.append((INTERNET_FIX_LABELS[internet_kind(ctx)], commands))
    steps = [f"Give the task an internet path: {lower_first(text)}"]
    if served:
        options.append(("the ecr.dkr and S3 endpoints for same-Region ECR",
                        fixes.create_endpoints((Endpoint.ECR_DKR, Endpoint.S3))))
        steps.append("For an image in this Region's private ECR: the ecr.dkr interface "
                     "endpoint with private DNS and the S3 gateway endpoint on the task "
                     "subnets' route tables (the ECR login also needs ecr.api).")
    if Registry.DOCKER_HUB in (stuck or others):
        options.append(("copy Docker Hub images into ECR with a pull-through cache rule",
                        fixes.pull_through_cache("docker-hub", "registry-1.docker.io",
                                                 credentials=True)))
    if Registry.ECR_PUBLIC in (stuck or others):
        options.append(("copy ECR Public images into ECR with a pull-through cache rule",
                        fixes.pull_through_cache("ecr-public", "public.ecr.aws",
                                                 credentials=False)))
    steps.append("Or copy the sidecar's image into a private ECR repository in the task's "
                 "Region and point its container at it: push it there, or create an ECR "
                 "pull-through cache rule (Docker Hub needs a Secrets Manager secret with "
                 "your Docker Hub credentials; ECR Public needs none). The first pull "
                 "through a cache rule still needs an internet path.")
    return finding(
        "other-registry-unreachable", Severity.BLOCKER,
        f"Another container's image registry is unreachable: {names}",
        f"The task's other containers pull from {names}, most often for {_sidecars(ctx)}. "
        "ECS pulls every container's image before the task starts, so one image it cannot "
        "pull stops the whole task. The task has no path there: no VPC endpoint serves "
        "another Region's ECR, ECR Public or a third-party registry, so those need an "
        "internet path; same-Region ECR needs the ecr.dkr and S3 endpoints.",
        remediation=steps, commands=alternatives(*options),
        sources=("cannot_pull", "ecr_endpoints", "pull_through_cache", "networking"),
        actions=_pull_rows(ctx),
    )


def ecr_cross_account_pull_denied(ctx: Context) -> Finding | None:
    """The repository in another account does not let this account's execution role pull
    (requirement ecr-cross-account-pull)."""
    if not violated(ctx.answers, "ecr-cross-account-pull"):
        return None
    actions = and_list(list(REPOSITORY_PULL_ACTIONS))
    return finding(
        "ecr-cross-account-pull-denied", Severity.BLOCKER,
        "The repository in the other account does not allow this account to pull",
        "The image is in another account's ECR repository. Across accounts, both sides must "
        "allow the pull: the repository policy in the owner account must allow this "
        f"account's execution role {actions}, and the execution role's own policy must allow "
        "them too, with ecr:GetAuthorizationToken, which only an IAM policy can grant (the "
        "managed AmazonECSTaskExecutionRolePolicy allows all four on any resource).",
        remediation=[
            "In the account that owns the repository, add a statement to the repository "
            f"policy that allows the task account's execution role {actions}.",
            "Keep the execution role's ECR permissions (AmazonECSTaskExecutionRolePolicy, or "
            "ecr:GetAuthorizationToken on * and the pull actions on the repository's ARN).",
        ],
        commands=repository_policy(),
        sources=("ecr_repo_policies", "ecr_repo_policy_examples", "execution_role"),
        actions=_pull_rows(ctx),
    )
