"""Findings about the platform: version, LATEST, capabilities, CPU architecture."""

from __future__ import annotations

from .. import fixes
from ..answers import (
    OS,
    Arch,
    PlatformVersion,
)
from ..knowledge import (
    ARM64_IMAGE_ERROR,
    CAPABILITIES,
    ENDPOINTS,
    PV_1_3_0_RETIRED,
)
from ..paths import (
    Context,
)
from ..requirements import (
    capability_gap,
)
from ..result import (
    Action,
    Command,
    Finding,
    Severity,
)
from ..traffic import (
    context,
)
from .common import (
    dns_commands,
    finding,
    row_phrases,
    sorted_endpoints,
    supported,
)


def platform_version_1_3_0_retired(ctx: Context) -> Finding | None:
    a = ctx.answers
    if not (a.os is OS.LINUX and ctx.version is PlatformVersion.V1_3_0):
        return None
    steps, commands = _migration_steps(ctx)
    return finding(
        "platform-version-1-3-0-retired", Severity.BLOCKER,
        "Platform version 1.3.0 is retired",
        f"Fargate platform version 1.3.0 was {PV_1_3_0_RETIRED}: new tasks cannot start on it. "
        "The traffic table below still shows how 1.3.0 routed traffic, for comparison: ECR "
        "login and secrets used a Fargate-owned ENI outside your VPC.",
        remediation=steps, commands=commands,
        sources=("platform_retired", "migration", "networking"),
    )


# The rows whose ENI moves from Fargate's to the task's on 1.4.0 (the AWS traffic table).
_MOVED_TO_TASK_ENI = (Action.ECR_AUTH, Action.SECRETS)


def _migration_steps(ctx: Context) -> tuple[list[str], tuple[Command, ...]]:
    """What moving to 1.4.0 takes on this network: the flows that move to the task ENI are
    evaluated on 1.4.0, and whatever stops them (missing endpoints, endpoints unusable without
    DNS, no path at all) becomes a step."""
    after = context(ctx.answers.replace(platform_version=PlatformVersion.V1_4_0))
    failing = [a for a in _MOVED_TO_TASK_ENI if a in after.reach and not after.reach[a].ok]
    steps = ["Set the service's or task's platform version to 1.4.0 (or LATEST, which is 1.4.0)."]
    commands = fixes.labelled("Move to platform version 1.4.0", fixes.platform_version("1.4.0"))
    if not failing:
        if any(a in after.reach for a in _MOVED_TO_TASK_ENI):
            moved = [a for a in _MOVED_TO_TASK_ENI if a in after.reach]
            steps.append(f"On 1.4.0, {row_phrases(after, moved)} move to the task ENI; this "
                         "network reaches them there too.")
        return steps, commands
    missing = sorted_endpoints(e for a in failing for e in after.reach[a].missing)
    unusable = sorted_endpoints(e for a in failing for e in after.reach[a].unusable)
    steps.append(f"On 1.4.0, {row_phrases(after, failing)} move from the Fargate-owned ENI to the "
                 "task ENI, and this network does not reach them there yet:")
    if missing:
        steps.append("Create " + ", ".join(ENDPOINTS[e].service_name for e in missing)
                     + " (or give the task an internet path), and allow HTTPS (443) from the "
                       "task security group to the endpoints.")
        commands += fixes.labelled("Then, for 1.4.0: the missing VPC endpoints",
                                   fixes.create_endpoints(missing))
    if unusable:
        steps.append(", ".join(ENDPOINTS[e].service_name for e in unusable) + " "
                     + ("is" if len(unusable) == 1 else "are")
                     + " present but unusable: turn on private DNS on the endpoints and both "
                       "DNS attributes on the VPC.")
        commands += fixes.labelled("Then, for 1.4.0: make the endpoints usable",
                                   dns_commands(ctx.answers))
    if not (missing or unusable):
        steps.append("No VPC endpoint can carry them here: give the task an internet path.")
    return steps, commands


def latest_platform_version(ctx: Context) -> Finding | None:
    a = ctx.answers
    if a.platform_version is not PlatformVersion.LATEST:
        return None
    return finding(
        "latest-platform-version", Severity.INFO,
        f"LATEST means platform version {ctx.version} on {a.os.value.title()}",
        f"LATEST resolves to {ctx.version} for {a.os.value.title()} tasks, and the advice below "
        "is for that version. A service keeps its platform version until a new deployment.",
        sources=("platform_versions",),
    )


def capability_unsupported(ctx: Context) -> tuple[Finding, ...]:
    """A feature the task's OS or platform version cannot use: one blocker per row of
    `knowledge.CAPABILITIES` the task fails (the row names the finding id and its text)."""
    found = []
    for cap in CAPABILITIES:
        if not cap.uses(ctx.answers):
            continue
        gap = capability_gap(cap, ctx.answers)
        if gap is None:
            continue
        found.append(finding(
            gap.id, Severity.BLOCKER, gap.title, gap.detail, remediation=gap.remediation,
            commands=fixes.platform_version("1.4.0") if gap is cap.linux_1_3_0 else (),
            sources=gap.sources, actions=cap.actions,
        ))
    return tuple(found)


def arm64_image_architecture(ctx: Context) -> Finding | None:
    if not (ctx.answers.arch is Arch.ARM64 and supported(ctx, "arm64-supported")):
        return None
    return finding(
        "arm64-image-architecture", Severity.INFO, "The image must have an arm64 variant",
        f"An image without a linux/arm64 manifest fails to pull: `{ARM64_IMAGE_ERROR}`. Some "
        "Regions and Availability Zones have had no ARM64 Fargate capacity.",
        remediation=["Build and push a multi-architecture or arm64 image "
                     "(docker buildx build --platform linux/arm64,linux/amd64 --push …)."],
        sources=("arm64", "cannot_pull"),
    )
