"""What the finding rules share: how a finding is built, and the sentences several use."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .. import fixes
from ..answers import (
    Answers,
    Endpoint,
    IPMode,
    IPv6Egress,
    Subnet,
)
from ..knowledge import (
    CAPABILITY,
    CONFLICTS,
    ENDPOINTS,
    EXPECTED_ERRORS,
    SOURCES,
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
    Source,
)
from ..traffic import (
    and_list,
)


@lru_cache(maxsize=512)
def _sources(*keys: str) -> tuple[Source, ...]:
    return tuple(SOURCES[key] for key in keys)


def finding(
    id: str, severity: Severity, title: str, detail: str, *,
    remediation: Iterable[str] = (), commands: Iterable[Command] = (),
    sources: Iterable[str], actions: Iterable[Action] = (),
) -> Finding:
    return Finding(
        id, severity, title, detail, tuple(remediation), tuple(commands),
        _sources(*sources), tuple(actions),
    )


def supported(ctx: Context, capability: str) -> bool:
    """The task's OS and platform version can use the feature (a row of CAPABILITIES)."""
    return capability_gap(CAPABILITY[capability], ctx.answers) is None


def conflict_summary(key: str) -> tuple[str, tuple[str, ...]]:
    conflict = CONFLICTS[key]
    return conflict.summary, conflict.sources


# How the findings' sentences name each traffic row.
ACTION_PHRASES: dict[Action, str] = {
    Action.ECR_AUTH: "the ECR login",
    Action.IMAGE_PULL: "the image pull",
    Action.LOG_DRIVER: "the log driver",
    Action.FIRELENS: "FireLens",
    Action.SECRETS: "the secrets retrieval",
    Action.EFS: "EFS traffic",
    Action.APPLICATION: "application traffic",
}


def row_phrases(ctx: Context, actions: Iterable[Action]) -> str:
    return and_list([ACTION_PHRASES[a] for a in actions])


def internet_fix(ctx: Context) -> tuple[str, tuple[Command, ...]]:
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY:
        return (
            "Add an IPv6 default route (::/0) to an egress-only internet gateway on the task "
            "subnets' route table, or NAT64 through a NAT gateway with DNS64 on the subnet.",
            fixes.egress_only_igw(),
        )
    if a.subnet is Subnet.PUBLIC:
        return (
            "Turn on assignPublicIp (ENABLED) for the service or task, so the task can use the "
            "subnet's internet gateway. Running tasks keep their setting: deploy new ones.",
            fixes.assign_public_ip(True),
        )
    return (
        "Route the private subnets' 0.0.0.0/0 to a NAT gateway that sits in a public subnet.",
        fixes.nat_gateway(),
    )


def internet_kind(ctx: Context) -> str:
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY:
        return "ipv6"
    return "public_ip" if a.subnet is Subnet.PUBLIC else "nat"


# How each kind of internet fix is named where it is one option among others.
INTERNET_FIX_LABELS = {
    "ipv6": "an IPv6 route out (egress-only internet gateway)",
    "public_ip": "a public IP for the task",
    "nat": "a NAT gateway",
}


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def why_no_internet(ctx: Context) -> str:
    a = ctx.answers
    if a.ip_mode is IPMode.IPV6_ONLY:
        return ("The subnet is IPv6-only and has no IPv6 route out (no internet gateway or "
                "egress-only internet gateway) and no NAT64.")
    if a.subnet is Subnet.PUBLIC:
        return ("The subnet routes to an internet gateway, but the task has no public IP, so "
                "nothing it sends can leave through it.")
    why = "The subnet is private and has no route to a NAT gateway."
    if a.ip_mode is IPMode.DUALSTACK and a.ipv6_egress is not IPv6Egress.NONE:
        why += (" Its IPv6 route does not help at launch: Fargate reaches Amazon ECR, Secrets "
                "Manager and Systems Manager over IPv4.")
    return why


def sorted_endpoints(endpoints: Iterable[Endpoint]) -> tuple[Endpoint, ...]:
    chosen = set(endpoints)
    return tuple(e for e in Endpoint if e in chosen)


def dns_commands(a: Answers) -> tuple[Command, ...]:
    return ((fixes.vpc_dns() if not a.vpc_dns else ())
            + (fixes.endpoint_private_dns() if not a.endpoint_private_dns else ()))


def service_titles(endpoints: Iterable[Endpoint]) -> list[str]:
    titles = []
    for endpoint in endpoints:
        fact = ENDPOINTS[endpoint]
        short = fact.service_name.split(".", 3)[3]
        titles.append(f"{fact.title} ({short}{' gateway' if fact.type == 'gateway' else ''})")
    return titles


def expected_errors(actions: Iterable[Action]) -> str:
    """What the stopped reason says for these flows, quoted from knowledge.EXPECTED_ERRORS."""
    return "; ".join(f"`{text}`" for a in actions for text in EXPECTED_ERRORS.get(a, ()))


def dedupe(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


def or_list(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
