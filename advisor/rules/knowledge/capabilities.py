"""Platform capabilities as rows: feature x Windows x minimum Linux platform version x finding.

Each row says which tasks can use a feature: whether Windows tasks (platform version 1.0.0)
can, and whether Linux tasks need platform version 1.4.0 (not 1.3.0). Where a task cannot,
the row names the finding that says so, with its text and the `SOURCES` keys it rests on.
One rule (`findings.capability_unsupported`) and one requirement per row (`requirements`)
read this table; a new capability is a new row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..answers import Arch, IPMode, LoadBalancer, LogDriver
from ..result import Action
from .conflicts import CONFLICTS


@dataclass(frozen=True, slots=True)
class Unsupported:
    """The finding a task gets where the feature is unavailable (always a blocker)."""

    id: str
    title: str
    detail: str
    remediation: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Capability:
    id: str  # the requirement's id
    text: str  # the requirement, as the checklist states it
    uses: Callable[[Any], bool]  # whether the answers use the feature
    windows: Unsupported | None  # None: Windows tasks (1.0.0) can use it
    linux_1_3_0: Unsupported | None  # None: Linux 1.3.0 can use it (else it needs 1.4.0)
    actions: tuple[Action, ...]
    sources: tuple[str, ...]


_USE_1_4_0 = ("Use platform version 1.4.0 (LATEST).",)

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "arm64-supported", "ARM64 (Graviton) tasks run on Linux, platform version 1.4.0.",
        lambda a: a.arch is Arch.ARM64,
        Unsupported(
            "arm64-needs-linux", "ARM64 is not available for Windows tasks",
            "Windows tasks on Fargate run on x86_64 only; ARM64 (Graviton) needs Linux.",
            ("Set runtimePlatform.cpuArchitecture to X86_64, or run a Linux image.",),
            ("windows", "arm64"),
        ),
        Unsupported(
            "arm64-needs-platform-1-4-0", "ARM64 needs platform version 1.4.0",
            "Linux ARM64 tasks need Fargate platform version 1.4.0 or later.",
            _USE_1_4_0, ("arm64",),
        ),
        (), ("arm64", "windows"),
    ),
    Capability(
        "efs-supported", "EFS volumes mount on Linux tasks, platform version 1.4.0.",
        lambda a: bool(a.efs),
        Unsupported(
            "efs-unsupported-on-windows", "Windows tasks cannot mount EFS",
            "Amazon EFS volumes are not supported for Windows containers on Fargate. (The AWS "
            "traffic table lists a Task ENI cell for Windows, but the Windows considerations "
            "exclude EFS.)",
            ("Run the workload as a Linux task on platform version 1.4.0, or use another "
             "storage option reachable from Windows (such as S3).",),
            ("windows", "efs", "networking"),
        ),
        Unsupported(
            "efs-needs-platform-1-4-0", "EFS volumes need platform version 1.4.0",
            "On platform version 1.3.0 and earlier, EFS file system traffic is not available.",
            _USE_1_4_0, ("networking", "efs"),
        ),
        (Action.EFS,), ("efs", "windows", "networking"),
    ),
    Capability(
        "firelens-supported", "FireLens runs in Linux tasks.",
        lambda a: a.log_driver is LogDriver.FIRELENS,
        Unsupported(
            "firelens-unsupported-on-windows", "Windows tasks cannot use FireLens",
            "FireLens for Amazon ECS is not supported for Windows containers on Fargate.",
            ("Use the awslogs log driver for Windows tasks.",),
            ("windows", "firelens"),
        ),
        None,
        (Action.FIRELENS,), ("firelens", "windows"),
    ),
    Capability(
        "ipv6-only-supported", "IPv6-only subnets take Linux tasks on platform version 1.4.0.",
        lambda a: a.ip_mode is IPMode.IPV6_ONLY,
        Unsupported(
            "ipv6-only-needs-linux", "IPv6-only subnets need Linux tasks",
            "Fargate supports IPv6-only subnets for Linux tasks on platform version 1.4.0 only.",
            ("Use a dual-stack or IPv4 subnet for Windows tasks.",),
            ("networking",),
        ),
        Unsupported(
            "ipv6-only-needs-platform-1-4-0", "IPv6-only subnets need platform version 1.4.0",
            "Tasks get IPv6 addresses only on Linux platform version 1.4.0 or later.",
            _USE_1_4_0, ("networking",),
        ),
        (), ("networking",),
    ),
    Capability(
        "ecs-exec-supported", "ECS Exec needs Linux platform version 1.4.0.",
        lambda a: bool(a.ecs_exec),
        None,
        Unsupported(
            "ecs-exec-needs-platform-1-4-0", "ECS Exec needs platform version 1.4.0",
            "ECS Exec needs Linux platform version 1.4.0 or later, or Windows 1.0.0.",
            _USE_1_4_0, ("ecs_exec",),
        ),
        (), ("ecs_exec",),
    ),
    Capability(
        "gateway-load-balancer-supported",
        "A Gateway Load Balancer needs Linux platform version 1.4.0.",
        lambda a: a.load_balancer is LoadBalancer.GWLB,
        None,
        Unsupported(
            "gateway-load-balancer-needs-platform-1-4-0",
            "Gateway Load Balancers need platform version 1.4.0",
            CONFLICTS["gwlb"].summary, _USE_1_4_0, CONFLICTS["gwlb"].sources,
        ),
        (Action.APPLICATION,), ("gwlb",),
    ),
)
CAPABILITY: dict[str, Capability] = {cap.id: cap for cap in CAPABILITIES}
