"""What `evaluate()` returns (spec section 2), as frozen dataclasses.

The field names and the values of the `StrEnum`s are the public JSON contract: `to_dict()`
is what the API sends, and the page, the embed and the command line render the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .answers import OS, Answers, PlatformVersion
from .answers import to_dict as answers_to_dict


class Action(StrEnum):
    """The rows of the AWS traffic table, in the page's order."""

    ECR_AUTH = "ecr_auth"
    IMAGE_PULL = "image_pull"
    LOG_DRIVER = "log_driver"
    FIRELENS = "firelens"
    SECRETS = "secrets"
    EFS = "efs"
    APPLICATION = "application"


class ENI(StrEnum):
    TASK = "task"
    FARGATE_OWNED = "fargate_owned"
    NONE = "none"


class Role(StrEnum):
    SERVICE_LINKED = "service_linked"
    TASK_EXECUTION = "task_execution"
    TASK = "task"


class Status(StrEnum):
    OK = "ok"
    BLOCKED = "blocked"
    UNSUPPORTED = "unsupported"
    NOT_USED = "not_used"
    DEPENDS = "depends"  # gets through if its open conditions hold (spec section 4)


class Severity(StrEnum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


class VerdictStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BLOCKED = "blocked"
    CONDITIONAL = "conditional"  # some values of the unknown answers block it, some do not


class RequirementState(StrEnum):
    MET = "met"
    VIOLATED = "violated"
    UNKNOWN = "unknown"


class Basis(StrEnum):
    """Whether the answers decide a requirement, or only a look at the account can."""

    ANSWERS = "answers"
    ACCOUNT = "account"


class HopKind(StrEnum):
    """The kinds of place a flow passes on its way (spec section 4: routes as data)."""

    TASK_ENI = "task_eni"
    FARGATE_ENI = "fargate_eni"
    INTERNET_GATEWAY = "internet_gateway"
    NAT_GATEWAY = "nat_gateway"
    EGRESS_ONLY_IGW = "egress_only_igw"
    INTERFACE_ENDPOINT = "interface_endpoint"
    GATEWAY_ENDPOINT = "gateway_endpoint"
    LOAD_BALANCER = "load_balancer"
    MOUNT_TARGET = "mount_target"
    NO_ROUTE = "no_route"
    SERVICE = "service"
    # Filters on the way (issue 12): drawn where they stop the traffic, or where they are
    # answered other than AWS's default.
    SECURITY_GROUP = "security_group"
    NETWORK_ACL = "network_acl"
    FIREWALL = "firewall"
    DNS = "dns"


class CommandKind(StrEnum):
    AWS_CLI = "aws-cli"
    CLOUDFORMATION = "cloudformation"
    TERRAFORM = "terraform"


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Command:
    kind: CommandKind
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    severity: Severity
    title: str
    detail: str
    remediation: tuple[str, ...]
    commands: tuple[Command, ...]
    sources: tuple[Source, ...]
    actions: tuple[Action, ...]
    certain: bool = True  # false: it holds only for some values of the unknown answers


@dataclass(frozen=True, slots=True)
class Hop:
    """One place on a flow's route: what it is, its name, and whether the traffic gets past."""

    kind: HopKind
    name: str
    passes: bool | None = True  # None: it depends on unknown answers


@dataclass(frozen=True, slots=True)
class TrafficRow:
    action: Action
    label: str
    eni: ENI
    iam_role: Role
    status: Status
    path: str
    findings: tuple[str, ...] = ()
    route: tuple[Hop, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleNeed:
    role: Role
    name: str
    required: bool
    permissions: tuple[str, ...]
    why: str
    trust_principal: str


@dataclass(frozen=True, slots=True)
class EndpointCheck:
    service: str
    name: str
    type: str
    required: bool
    present: bool
    why: str = ""


@dataclass(frozen=True, slots=True)
class Witness:
    """Values of unknown answers under which a blocker holds (a `conditional` verdict's proof)."""

    answers: Mapping[str, Any]  # the unknown fields it fixes, JSON-ready
    requirement: str
    finding: str
    permalink: str  # the answers with those values (other unknowns kept): evaluates to blocked


@dataclass(frozen=True, slots=True)
class Verdict:
    status: VerdictStatus
    blockers: int
    warnings: int
    summary: str
    conditions: int = 0
    witness: Witness | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    text: str
    state: RequirementState
    actions: tuple[Action, ...]
    check: tuple[Command, ...]
    finding: str | None
    sources: tuple[Source, ...]
    basis: Basis = Basis.ANSWERS
    blocking: bool = True


@dataclass(frozen=True, slots=True)
class Platform:
    os: OS
    platform_version: PlatformVersion
    requested: PlatformVersion


@dataclass(frozen=True, slots=True)
class Result:
    rules_version: str
    answers: Answers
    permalink: str
    platform: Platform
    verdict: Verdict
    traffic: tuple[TrafficRow, ...]
    roles: tuple[RoleNeed, ...]
    endpoints: tuple[EndpointCheck, ...]
    findings: tuple[Finding, ...] = field(default=())
    requirements: tuple[Requirement, ...] = field(default=())

    def finding(self, finding_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == finding_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The API's JSON body (spec section 2)."""
        return {
            "api_version": "1",
            "rules_version": self.rules_version,
            "answers": answers_to_dict(self.answers),
            "permalink": self.permalink,
            "platform": {
                "os": self.platform.os,
                "platform_version": self.platform.platform_version,
                "requested": self.platform.requested,
            },
            "verdict": _verdict_dict(self.verdict),
            "traffic": [_traffic_dict(row) for row in self.traffic],
            "roles": [_role_dict(role) for role in self.roles],
            "endpoints": [_endpoint_dict(ep) for ep in self.endpoints],
            "findings": [_finding_dict(f) for f in self.findings],
            "requirements": [_requirement_dict(r) for r in self.requirements],
        }


def _commands(commands: tuple[Command, ...]) -> list[dict[str, Any]]:
    return [{"kind": c.kind, "text": c.text} for c in commands]


def _sources(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
    return [{"title": s.title, "url": s.url} for s in sources]


def _traffic_dict(row: TrafficRow) -> dict[str, Any]:
    return {
        "action": row.action,
        "label": row.label,
        "eni": row.eni,
        "iam_role": row.iam_role,
        "status": row.status,
        "path": row.path,
        "findings": list(row.findings),
        "route": [{"kind": hop.kind, "name": hop.name, "passes": hop.passes}
                  for hop in row.route],
    }


def _role_dict(role: RoleNeed) -> dict[str, Any]:
    return {
        "role": role.role,
        "name": role.name,
        "required": role.required,
        "permissions": list(role.permissions),
        "why": role.why,
        "trust_principal": role.trust_principal,
    }


def _endpoint_dict(ep: EndpointCheck) -> dict[str, Any]:
    return {
        "service": ep.service,
        "name": ep.name,
        "type": ep.type,
        "required": ep.required,
        "present": ep.present,
        "why": ep.why,
    }


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "severity": f.severity,
        "title": f.title,
        "detail": f.detail,
        "remediation": list(f.remediation),
        "commands": _commands(f.commands),
        "sources": _sources(f.sources),
        "actions": list(f.actions),
        "certain": f.certain,
    }


def _requirement_dict(r: Requirement) -> dict[str, Any]:
    return {
        "id": r.id,
        "text": r.text,
        "state": r.state,
        "actions": list(r.actions),
        "check": _commands(r.check),
        "finding": r.finding,
        "sources": _sources(r.sources),
        "basis": r.basis,
        "blocking": r.blocking,
    }


def _verdict_dict(verdict: Verdict) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": verdict.status,
        "blockers": verdict.blockers,
        "warnings": verdict.warnings,
        "summary": verdict.summary,
        "conditions": verdict.conditions,
    }
    if verdict.witness is not None:
        w = verdict.witness
        out["witness"] = {"answers": dict(w.answers), "requirement": w.requirement,
                          "finding": w.finding, "permalink": w.permalink}
    return out
