"""evaluate(answers) -> Result: the one place that decides, wiring three passes over the data
in `knowledge`:

1. **Paths** (`paths.py`). From the answers, work out what the task's subnet can reach: an
   internet path (public subnet + public IP, or private subnet + NAT gateway; in an IPv6-only
   subnet an IPv6 route or NAT64), and which VPC endpoints exist and are usable (interface
   endpoints need the VPC's DNS attributes and private DNS). Each flow's route is data.
2. **Traffic** (`traffic.py`). For each row of the AWS traffic table, take the ENI and role
   for the resolved platform column, decide whether the configuration uses it, and if it
   leaves through the task ENI whether a route reaches its service: the internet path, or the
   endpoints that serve it. Traffic on the Fargate-owned ENI (platform version 1.3.0) never
   needs your network.
3. **Findings** (`findings/`). Each rule in `findings.RULES` looks at the answers and the
   computed traffic and may return one finding (the capability rule, one per table row). A
   finding's severity decides the verdict; every finding cites its sources.
"""

from __future__ import annotations

from collections.abc import Iterable

from .answers import (
    Answers,
    known,
    permalink,
)
from .findings import RULES, findings_of, rule_for
from .knowledge import (
    RULES_VERSION,
    TRAFFIC_TABLE,
)
from .paths import Context
from .reads import Recorder
from .result import (
    Action,
    Finding,
    Platform,
    Result,
    Severity,
    TrafficRow,
    Verdict,
    VerdictStatus,
)
from .roles import roles
from .traffic import context, endpoint_checks

_SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}


def evaluate(answers: Answers, reads: dict[str, set[str]] | None = None) -> Result:
    """Evaluate one configuration: traffic, roles, endpoints, findings and the verdict.

    With `reads`, each finding's id is mapped to the answer fields its rule read (for
    `unknowns`, which must know what a finding rests on).
    """
    ctx = context(answers)
    ctx.roles = roles(ctx)
    ctx.endpoint_checks = endpoint_checks(ctx)
    findings = _findings(ctx) if reads is None else _recorded_findings(ctx, reads)
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    by_action: dict[Action, list[str]] = {}
    for finding in findings:
        for action in finding.actions:
            by_action.setdefault(action, []).append(finding.id)
    traffic = tuple(
        TrafficRow(fact.action, fact.label, row.eni, fact.role, row.status, row.path,
                   tuple(by_action.get(fact.action, ())), route=row.route)
        for fact, row in zip(TRAFFIC_TABLE, ctx.rows.values(), strict=True)
    )
    return Result(
        rules_version=RULES_VERSION,
        answers=answers,
        permalink=permalink(answers),
        platform=Platform(known(answers.os), ctx.version, known(answers.platform_version)),
        verdict=_verdict(findings),
        traffic=traffic,
        roles=ctx.roles,
        endpoints=ctx.endpoint_checks,
        findings=tuple(findings),
    )


def render(answers: Answers, finding_ids: Iterable[str]) -> dict[str, Finding]:
    """Only these findings of a complete configuration, by id: the passes, then just the rules
    that write them (all of them where one has no rule of its own)."""
    ctx = context(answers)
    ctx.roles = roles(ctx)
    ctx.endpoint_checks = endpoint_checks(ctx)
    wanted = set(finding_ids)
    chosen = {rule_for(fid) for fid in wanted}
    rules = RULES if None in chosen else [rule for rule in RULES if rule in chosen]
    return {f.id: f for rule in rules for f in findings_of(rule(ctx)) if f.id in wanted}


def _findings(ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    for check in RULES:
        result = check(ctx)
        if isinstance(result, Finding):
            found.append(result)
        elif result:
            found.extend(result)
    return found


def _recorded_findings(ctx: Context, reads: dict[str, set[str]]) -> list[Finding]:
    findings = []
    for check in RULES:
        recorder = Recorder(ctx)
        for finding in findings_of(check(recorder)):  # type: ignore[arg-type]
            reads[finding.id] = recorder.reads
            findings.append(finding)
    return findings


def _verdict(findings: list[Finding]) -> Verdict:
    blockers = [f for f in findings if f.severity is Severity.BLOCKER]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if blockers:
        status = VerdictStatus.BLOCKED
        more = len(blockers) - 1
        summary = (f"The task will not start or reach what it needs: {blockers[0].title}"
                   + (f" (and {more} more blocker{'s' if more > 1 else ''})." if more else "."))
    elif warnings:
        status = VerdictStatus.WARNING
        summary = (f"The task should start, with {len(warnings)} "
                   f"warning{'s' if len(warnings) > 1 else ''} to check: {warnings[0].title}.")
    else:
        status = VerdictStatus.OK
        summary = "The task should start and reach everything it needs."
    return Verdict(status, len(blockers), len(warnings), summary)
