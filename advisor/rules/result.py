"""What `evaluate()` returns (spec section 2), as frozen dataclasses.

The field names and the values of the `StrEnum`s are the public JSON contract: `to_dict()`
is what the API sends, and the page, the embed and the command line render the same objects.
"""

from __future__ import annotations

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


class Severity(StrEnum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


class VerdictStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    BLOCKED = "blocked"


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


@dataclass(frozen=True, slots=True)
class TrafficRow:
    action: Action
    label: str
    eni: ENI
    iam_role: Role
    status: Status
    path: str
    findings: tuple[str, ...] = ()


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
class Verdict:
    status: VerdictStatus
    blockers: int
    warnings: int
    summary: str


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
            "verdict": {
                "status": self.verdict.status,
                "blockers": self.verdict.blockers,
                "warnings": self.verdict.warnings,
                "summary": self.verdict.summary,
            },
            "traffic": [
                {
                    "action": row.action,
                    "label": row.label,
                    "eni": row.eni,
                    "iam_role": row.iam_role,
                    "status": row.status,
                    "path": row.path,
                    "findings": list(row.findings),
                }
                for row in self.traffic
            ],
            "roles": [
                {
                    "role": role.role,
                    "name": role.name,
                    "required": role.required,
                    "permissions": list(role.permissions),
                    "why": role.why,
                    "trust_principal": role.trust_principal,
                }
                for role in self.roles
            ],
            "endpoints": [
                {
                    "service": ep.service,
                    "name": ep.name,
                    "type": ep.type,
                    "required": ep.required,
                    "present": ep.present,
                    "why": ep.why,
                }
                for ep in self.endpoints
            ],
            "findings": [
                {
                    "id": f.id,
                    "severity": f.severity,
                    "title": f.title,
                    "detail": f.detail,
                    "remediation": list(f.remediation),
                    "commands": [{"kind": c.kind, "text": c.text} for c in f.commands],
                    "sources": [{"title": s.title, "url": s.url} for s in f.sources],
                    "actions": list(f.actions),
                }
                for f in self.findings
            ],
        }
