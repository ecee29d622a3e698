"""Error messages from stopped tasks, service events and API calls, read against the catalogue.

The knowledge (which wording means what, the causes, their checks and fixes) is data in
`error_catalog.py`; this module only reads it:

- pasted text is split into messages: a blank line, or a line that starts a new message
  (`CannotPullContainerError`, `(service x)`, a timestamp...), begins the next one; a line a
  console wrapped or cut is still part of the message it continues;
- each message is explained by the family of the highest rank that matches it, its causes
  ranked by what the message itself says (at most six), or, when no family matches, by an
  honest "not recognised" with the closest families and AWS's stopped-task page;
- only what the message proves becomes an answer, marked as inferred from the message: a
  registry host names the registry, a Secrets Manager message says the task uses Secrets
  Manager, a platform in the message gives the OS and architecture. A time-out proves none of
  the hops it names: they stay unknown, and the causes say how to check each one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from advisor.rules.answers import OS, Arch, LogDriver, Registry, SecretSource, TargetType
from advisor.rules.result import Source

from . import error_catalog as catalog
from .error_catalog import CAUSES, FAMILIES, FAMILIES_BY_ID, KEYWORDS, Family, Nature, Stage
from .model import Claim, Diagnosis, Extraction, Origin, RankedCause

MAX_CAUSES = 6
MAX_MESSAGES = 20
UNRECOGNISED = "unrecognised"
STOPPED_TASKS = Source(catalog.STOPPED_TASKS_TITLE, catalog.STOPPED_TASKS_URL)

KNOWN = ", ".join((
    "CannotPullContainerError", "ResourceInitializationError (ECR auth, Secrets Manager, SSM, "
    "KMS, env files, logs, EFS)", "DockerTimeoutError", "ELB health check and target group "
    "events", "network configuration and ENI errors", "ECS Exec errors", "OutOfMemoryError and "
    "other stopped-task reasons",
))

_FLAGS = re.IGNORECASE | re.DOTALL


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


def _search(pattern: str | None, variants: Iterable[str]) -> re.Match[str] | None:
    if pattern is None:
        return None
    compiled = _compiled(pattern)
    return next((m for text in variants if (m := compiled.search(text))), None)


# --- splitting pasted text into messages ------------------------------------------------------

_STARTS = re.compile(
    r"^\s*(?:[-*•✘>]\s*)?(?:"
    r"\(service [^)]*\)|service \S+ (?:was|is|has|failed)|CannotPull|CannotStart|CannotInspect"
    r"|CannotCreate|ResourceInitializationError|OutOfMemoryError|Essential container"
    r"|Task failed|TaskFailedToStart|DockerTimeoutError|ContainerRuntimeTimeoutError"
    r"|InvalidParameterException|ClientException|An error occurred|Stopped reason|Status reason"
    r"|stoppedReason|SpotInterruption|Timeout waiting|Error:|Invalid request provided"
    r"|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}"
    r")",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^\s*(?:Task stopped at:?.*|.*has reached a steady state\.?|.*has started \d+ tasks?.*"
    r"|.*(?:registered|deregistered) \d+ targets?.*|Exit code:?\s*\d*|Stopped at.*|-+|"
    r"Latest failure event|Status reason|Stopped reason)\s*$",
    re.IGNORECASE,
)


def split_messages(text: str) -> list[str]:
    """The messages in pasted text, each as it was (line breaks kept for matching)."""
    messages: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                messages.append(current)
            current = []
            continue
        if current and _STARTS.match(line):
            messages.append(current)
            current = []
        current.append(line)
    if current:
        messages.append(current)
    out = ["\n".join(lines) for lines in messages]
    return [m for m in out if not _NOISE.match(m) and len(m.strip()) > 3][:MAX_MESSAGES]


def _variants(message: str) -> tuple[str, str]:
    """The message with its lines joined by a space, and without one (a console that wraps
    at its width cuts words: 'i\\n  s unhealthy')."""
    lines = [line.strip() for line in message.split("\n")]
    return " ".join(lines), "".join(lines)


# --- reading one message ---------------------------------------------------------------------


def family_for(message: str) -> tuple[Family, re.Match[str]] | None:
    """The family of the highest rank whose pattern (and `also`, and not `unless`) matches."""
    variants = _variants(message)
    best: tuple[Family, re.Match[str]] | None = None
    for family in FAMILIES:
        match = _search(family.match, variants)
        if match is None:
            continue
        if family.also and not _search(family.also, variants):
            continue
        if family.unless and _search(family.unless, variants):
            continue
        if best is None or family.rank > best[0].rank:
            best = (family, match)
    return best


def ranked_causes(family: Family, message: str) -> tuple[RankedCause, ...]:
    variants = _variants(message)
    scored = []
    for order, (cause_id, weight, boost_when, boost) in enumerate(family.causes):
        score = weight + (boost if boost_when and _search(boost_when, variants) else 0.0)
        scored.append((-score, order, cause_id))
    fill = {
        "service": family.service or "the service",
        "endpoints": catalog.ENDPOINT_NAMES.get(family.id, catalog.DEFAULT_ENDPOINTS),
        "port": catalog.PORTS.get(family.stage, "443"),
    }
    out = []
    for _, _, cause_id in sorted(scored)[:MAX_CAUSES]:
        cause = CAUSES[cause_id]
        out.append(RankedCause(cause.id, cause.text.format(**fill),
                               tuple(c.format(**fill) if "{" in c else c for c in cause.check),
                               cause.fix.format(**fill)))
    return tuple(out)


_NETWORK_FIELDS = ("subnet", "public_ip", "nat_gateway", "endpoints", "endpoint_private_dns",
                   "vpc_dns")
_STAGE_FIELDS: dict[Stage, tuple[str, ...]] = {
    Stage.IMAGE_PULL: ("registry", "arch", "os"),
    Stage.SECRETS: ("secrets", "cmk", "registry"),
    Stage.LOGS: ("log_driver",),
    Stage.STORAGE: ("efs", "vpc_dns", "platform_version", "os"),
    Stage.LOAD_BALANCER: ("load_balancer", "target_type"),
    Stage.PLACEMENT: ("subnet", "subnet_count", "security_group_count"),
    Stage.EXEC: ("ecs_exec", "endpoints"),
    Stage.RUNNING: ("arch",),
}


def _fields_to_check(family: Family) -> tuple[str, ...]:
    fields = _STAGE_FIELDS.get(family.stage, ())
    if family.nature is Nature.NETWORK:
        fields = fields + _NETWORK_FIELDS
    return tuple(dict.fromkeys(fields))


# --- what a message proves ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proof:
    field: str
    value: object = None
    includes: frozenset[object] = frozenset()
    note: str = ""


_HOSTS: tuple[tuple[str, Registry, str], ...] = (
    (r"public\.ecr\.aws", Registry.ECR_PUBLIC, "ECR Public (public.ecr.aws)"),
    (catalog._HUB, Registry.DOCKER_HUB, "Docker Hub"),
    (catalog._OTHER, Registry.OTHER_PUBLIC, "a registry outside AWS"),
)
_PLATFORM = re.compile(
    r"(?:platform|manifest for)\s*'?\{?\"?(?:os\"?:?\s*\"?)?(?P<os>linux|windows)[/ ,\"]*"
    r"(?:architecture\"?:?\s*\"?)?(?P<arch>amd64|arm64|x86_64|aarch64)",
    re.IGNORECASE,
)


def proofs(family: Family, message: str) -> list[Proof]:
    variants = _variants(message)
    out: list[Proof] = []
    if family.stage is Stage.IMAGE_PULL:
        for pattern, registry, what in _HOSTS:
            if _search(pattern, variants):
                out.append(Proof("registry", registry,
                                 note=f"the message names {what} as the host it pulled from"))
                break
    if family.id == "image-platform" and (match := _PLATFORM.search(variants[0])):
        note = f"the task asked the registry for {match.group('os')}/{match.group('arch')}"
        arch = Arch.ARM64 if match.group("arch").lower() in ("arm64", "aarch64") else Arch.X86_64
        os = OS.WINDOWS if match.group("os").lower() == "windows" else OS.LINUX
        out += [Proof("os", os, note=note), Proof("arch", arch, note=note)]
    if family.stage is Stage.SECRETS:
        if _search(r"\basm\b|secretsmanager|secrets manager", variants) and \
                family.id != "registry-credentials-asm":
            out.append(Proof("secrets", includes=frozenset({SecretSource.SECRETSMANAGER}),
                             note="the task injects a Secrets Manager secret"))
        if _search(r"\bssm\b|parameter store", variants):
            out.append(Proof("secrets", includes=frozenset({SecretSource.SSM}),
                             note="the task injects an SSM parameter"))
    if family.id == "kms-denied":
        out.append(Proof("cmk", True, note="the secret is encrypted with a customer managed "
                         "KMS key that the message names"))
    if family.stage is Stage.LOGS and _search(r"cloudwatch|log stream|log group|awslogs",
                                              variants):
        out.append(Proof("log_driver", LogDriver.AWSLOGS,
                         note="the message is about CloudWatch Logs streams or groups"))
    if family.stage is Stage.STORAGE:
        out.append(Proof("efs", True, note="the task mounts an EFS volume"))
    if family.id == "target-type-instance":
        out.append(Proof("target_type", TargetType.INSTANCE,
                         note="the message names the target group's type"))
    if family.id == "exec-not-connected":
        out.append(Proof("ecs_exec", True, note="only a task with ECS Exec enabled gets as far "
                         "as connecting its agent"))
    return out


def _proves_text(family: Family) -> tuple[str, ...]:
    if family.nature in (Nature.PERMISSION, Nature.CONFIGURATION) and family.stage in (
            Stage.IMAGE_PULL, Stage.SECRETS, Stage.LOGS, Stage.STORAGE):
        return ("The service answered, so the task's network path to it works: look at names "
                "and permissions, not at routes.",)
    if family.nature is Nature.NOT_NETWORKING:
        return ("Not networking: the network is not the problem here.",)
    if family.nature is Nature.NOT_FARGATE:
        return ("Not Fargate: this message comes from the EC2 launch type.",)
    return ()


# --- the reader's entry points ------------------------------------------------------------------


def diagnose(text: str, origin: Origin, report_unrecognised: bool = False) -> Extraction:
    """Claims and diagnoses for every message in `text`. A message that matches no family is
    reported as not recognised only when `report_unrecognised` (pasted text), not for the
    routine events of a describe-services document."""
    messages = split_messages(text)
    claims: list[Claim] = []
    diagnoses: list[Diagnosis] = []
    for index, message in enumerate(messages, start=1):
        where = origin if len(messages) == 1 else Origin(
            origin.document, f"{origin.path} message {index}", origin.note)
        found = family_for(message)
        if found is None:
            if report_unrecognised:
                diagnoses.append(unrecognised(message, where))
            continue
        family, match = found
        diagnoses.append(_diagnosis(family, match, message, where))
        for proof in proofs(family, message):
            claims.append(Claim(proof.field, proof.value, (where,), proof.note, inferred=True,
                                pattern=family.id, includes=proof.includes))
    return Extraction(tuple(claims), diagnoses=tuple(diagnoses))


def _diagnosis(family: Family, match: re.Match[str], message: str, where: Origin) -> Diagnosis:
    ranked = ranked_causes(family, message)
    return Diagnosis(
        family.id, family.title, _excerpt(message, match),
        tuple(cause.text for cause in ranked), family.action, _fields_to_check(family),
        (Source(family.title, family.source),), where,
        nature=family.nature.value, stage=family.stage.value, meaning=family.meaning,
        ranked=ranked, proves=_proves_text(family), where=family.where,
    )


def unrecognised(message: str, where: Origin) -> Diagnosis:
    """An honest answer for a message no family explains: the closest families by the words
    they share, and AWS's page on stopped tasks."""
    words = set(re.findall(r"[a-z0-9-]+", message.lower()))
    scores = []
    for order, (family_id, keywords) in enumerate(KEYWORDS.items()):
        score = sum(1 for keyword in keywords if keyword in words or
                    any(word.startswith(keyword) for word in words))
        scores.append((-score, order, family_id))
    closest = [family_id for score, _, family_id in sorted(scores) if score < 0][:3] or \
        ["cannot-pull", "resource-init", "essential-exited"]
    return Diagnosis(
        UNRECOGNISED, "Not recognised", _shorten(message), (), None, (), (STOPPED_TASKS,), where,
        recognised=False, meaning="The advisor does not know this message. It sets no answers "
        "from it. The closest known families are listed; AWS's page on stopped tasks explains "
        "every stop code.",
        closest=tuple((f, FAMILIES_BY_ID[f].title) for f in closest),
        where="aws ecs describe-tasks --cluster <cluster> --tasks <task-id> (stopCode, "
        "stoppedReason, containers[].reason)",
    )


def _excerpt(message: str, match: re.Match[str], width: int = 160) -> str:
    text = " ".join(message.split())
    found = match.group(0)
    at = max(0, text.find(found))
    start = max(0, at - 40)
    end = min(len(text), max(at + len(found), start + width))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _shorten(message: str, width: int = 200) -> str:
    text = " ".join(message.split())
    return text if len(text) <= width else text[:width] + "…"


def looks_like_error(text: str) -> bool:
    return any(family_for(message) is not None for message in split_messages(text))
