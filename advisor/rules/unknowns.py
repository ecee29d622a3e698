"""evaluate(answers) -> Result, for answers that may be unknown (spec section 4).

Complete answers go straight to the evaluator (`evaluate.evaluate_complete`), and the
requirements are read off them. With unknown answers:

1. Every requirement is decided over the unknown fields it reads (`search.decide`): met for
   every value they could take, violated for every value, or open.
2. The verdict: `blocked` if a blocking requirement is violated whatever the unknowns are, or
   if no completion meets every open one (`search.satisfiable`); `conditional` if some
   completion meets them all and an open one fails under another, with that one as the
   witness; otherwise `ok` or `warning`.
3. The result's tables are rendered from one completion that meets every requirement it can
   (the rest of the unknown fields at their defaults), then corrected: rows with an open
   requirement are `depends`, the blocker each open requirement would raise is listed with
   `certain: false` (rendered from its witness), and a finding that rests on any unknown
   answer is not `certain`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from .answers import (
    FIELDS,
    FIELDS_BY_NAME,
    UNKNOWN,
    Answers,
    AnswersError,
    Endpoint,
    permalink,
    to_dict,
)
from .evaluate import evaluate as evaluate_complete
from .evaluate import render
from .knowledge import SOURCES
from .reads import PATH_FIELDS
from .requirements import BLOCKING, NEEDS, Need
from .result import (
    Action,
    Basis,
    Command,
    CommandKind,
    Finding,
    Hop,
    HopKind,
    Requirement,
    RequirementState,
    Result,
    Role,
    Severity,
    Status,
    TrafficRow,
    Verdict,
    VerdictStatus,
    Witness,
)
from .search import (
    Assignment,
    Decision,
    TooWide,
    Tri,
    apply,
    budget,
    complete,
    decide,
    decide_cached,
    first_failing,
    reads_of,
    satisfiable,
)

_STATE = {Tri.MET: RequirementState.MET, Tri.VIOLATED: RequirementState.VIOLATED,
          Tri.UNKNOWN: RequirementState.UNKNOWN}


# How much work one evaluation's searches over unknown answers may do, counted in runs of a
# condition and answers read (`search.budget`; a unit costs 1-3 microseconds). The widest of
# the 47 real documents in tests/fixtures takes 344,000; of 400 answer sets drawn with 2-40
# fields unknown, 392 take under 2 million (the median 2,900) and eight from 2.06 million to
# hundreds of millions (minutes). This bounds a request's search at about 2-5.5 s here.
SEARCH_BUDGET = 2_000_000


class TooManyUnknowns(AnswersError):
    """The unknown answers are too many, read together, to decide within `SEARCH_BUDGET`.
    Bad input like any other (a 400, exit 2), naming the answers to give first."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = tuple(name for name in fields if name in FIELDS_BY_NAME)
        named = ", ".join(self.fields)
        super().__init__({"unknown": [
            "These answers leave too much unknown to decide in one request: the same "
            "requirements read too many of the answers marked unknown together. Answer some of "
            f"them and ask again{f', first these: {named}' if named else ''}."
        ]})


def evaluate(answers: Answers) -> Result:
    """Evaluate one configuration, whose answers may be unknown. Raises `TooManyUnknowns`
    where the unknown answers are too many to decide within the search budget."""
    if not answers.unknown:
        result = evaluate_complete(answers)
        return dataclasses.replace(result, requirements=_known_requirements(answers, result))
    refused = _REFUSED.get(answers)
    if refused is not None and refused[0] == SEARCH_BUDGET:
        raise TooManyUnknowns(refused[1])
    try:
        with budget(SEARCH_BUDGET):
            return _evaluate_open(answers)
    except TooWide:
        if len(_REFUSED) >= _REFUSED_MAX:
            _REFUSED.clear()
        _REFUSED[answers] = (SEARCH_BUDGET, _most_read(answers))
        raise TooManyUnknowns(_REFUSED[answers][1]) from None


# Answers refused, with the budget that refused them: asked again (a reload, a retry, a
# hostile loop), they are refused at once instead of after seconds of the same search.
_REFUSED: dict[Answers, tuple[int, tuple[str, ...]]] = {}
_REFUSED_MAX = 1_000


def _most_read(answers: Answers, count: int = 8) -> tuple[str, ...]:
    """The unknown answers that the most requirements read (in the wizard's order among
    equals): answering them narrows the most searches. A function of the answers alone, so
    every refusal of the same answers names the same fields."""
    unknown = set(answers.unknown)
    readers: Counter[str] = Counter()
    for need in NEEDS:
        read = {name.partition(".")[0] for name in reads_of(need.condition)}
        readers.update(read & unknown)
    order = {field.name: n for n, field in enumerate(FIELDS)}
    ranked = sorted(readers, key=lambda name: (-readers[name], order[name]))
    return tuple(ranked[:count])


# --- Complete answers ----------------------------------------------------------------------


def _known_requirements(answers: Answers, result: Result) -> tuple[Requirement, ...]:
    out = []
    for need in NEEDS:
        holds = need.condition(answers)
        if holds is None:
            continue
        state = RequirementState.MET if holds else RequirementState.VIOLATED
        out.append(_requirement(need, state, None if holds else need.finding(answers)))
    return (*out, *_account_requirements(result))


# Few needs x three states x their findings: each row is built once and shared by every result
# (keyed by strings: hashing a Need, a dataclass of callables and tuples, costs more).
_REQUIREMENTS: dict[tuple[str, RequirementState, str | None], Requirement] = {}


def _requirement(need: Need, state: RequirementState, finding: str | None) -> Requirement:
    key = (need.id, state, finding)
    row = _REQUIREMENTS.get(key)
    if row is None:
        row = _REQUIREMENTS[key] = Requirement(
            need.id, need.text, state, need.actions,
            tuple(Command(CommandKind.AWS_CLI, text) for text in need.check), finding,
            tuple(SOURCES[key] for key in dict.fromkeys(need.sources)), Basis.ANSWERS,
            need.blocking,
        )
    return row


class _RoleKey(NamedTuple):
    role: Role
    name: str
    permissions: tuple[str, ...]


_SIMULATE = ("aws iam simulate-principal-policy --policy-source-arn "
             "arn:aws:iam::<account-id>:role/{name} --action-names {actions} "
             "--query 'EvaluationResults[?EvalDecision!=`allowed`].EvalActionName'")


def _account_requirements(result: Result) -> tuple[Requirement, ...]:
    """What only the account can show: that each role allows what this configuration needs."""
    return tuple(_role_requirement(role.role, role.name, role.permissions)
                 for role in result.roles if role.required and role.permissions)


@lru_cache(maxsize=256)
def _role_requirement(kind: Role, name: str, permissions: tuple[str, ...]) -> Requirement:
    role = _RoleKey(kind, name, permissions)
    if role.role is Role.SERVICE_LINKED:
        text = f"The service-linked role {role.name} exists."
        check = f"aws iam get-role --role-name {role.name} --query 'Role.Arn'"
        sources: tuple[str, ...] = ("service_linked_role",)
    else:
        text = (f"The {'task execution' if role.role is Role.TASK_EXECUTION else 'task'} "
                f"role allows {', '.join(role.permissions)}.")
        check = _SIMULATE.format(name=role.name, actions=" ".join(role.permissions))
        sources = ("execution_role",) if role.role is Role.TASK_EXECUTION else ("task_role",)
    return Requirement(
        f"role-{role.role.value.replace('_', '-')}", text, RequirementState.UNKNOWN, (),
        (Command(CommandKind.AWS_CLI, check),), None,
        tuple(SOURCES[key] for key in sources), Basis.ACCOUNT, True,
    )


# --- Unknown answers -----------------------------------------------------------------------


def _evaluate_open(answers: Answers) -> Result:
    decisions = {need.id: decide_cached(need.condition, answers) for need in NEEDS}
    violated = [n for n in BLOCKING if decisions[n.id].state is Tri.VIOLATED]
    open_ = [n for n in BLOCKING if decisions[n.id].state is Tri.UNKNOWN]
    holding: Assignment | None = {}
    if not violated and open_:
        narrow_first = sorted(open_, key=lambda n: decisions[n.id].asked)
        holding = satisfiable([n.condition for n in narrow_first], answers)
    base = complete(answers, holding or {})
    reads: dict[str, set[str]] = {}
    rendered = evaluate_complete(base, reads)
    extra, explains = _open_findings(answers, decisions)
    findings = _findings(answers, rendered, reads, extra)
    traffic = _traffic(answers, rendered, decisions, extra)
    requirements = tuple(
        _requirement(need, _STATE[d.state], explains.get(need.id))
        for need in NEEDS if (d := decisions[need.id]).applies
    ) + _account_requirements(rendered)
    verdict = _verdict(answers, findings, violated, open_, holding, decisions)
    return dataclasses.replace(
        rendered, answers=answers, permalink=permalink(answers), verdict=verdict,
        traffic=traffic, findings=findings, requirements=requirements,
    )


# How far to look for a failure within a group's assignment before giving the requirement a
# group of its own (one more rendered completion; a failure under a group's answers is only a
# saving, and the search for one can be the widest of the evaluation).
_JOIN_LIMIT = 1_000


def _open_findings(answers: Answers, decisions: Mapping[str, Decision]
                   ) -> tuple[dict[str, Finding], dict[str, str]]:
    """The finding each open or violated requirement raises, rendered where it fails.

    The failing completions are merged greedily: each requirement's failure is sought within
    the assignment the earlier ones fixed, so a typical open network (no NAT, no endpoints
    fails every path at once) is rendered by one evaluation, not one per requirement.
    Returns the findings and, per requirement, the id of the finding that explains it.
    """
    groups: list[tuple[dict[str, Any], list[Need]]] = []
    for need in NEEDS:
        if decisions[need.id].state is Tri.MET:
            continue
        for joint, members in groups:
            failing = first_failing(need.condition, answers, joint, decisions[need.id].failing,
                                    limit=_JOIN_LIMIT)
            if failing is not None:
                joint.update(failing)
                members.append(need)
                break
        else:
            failing = decisions[need.id].failing
            assert failing is not None
            groups.append((dict(failing), [need]))
    findings: dict[str, Finding] = {}
    explains: dict[str, str] = {}
    for joint, members in groups:
        whole = complete(answers, joint)
        ids = {need.id: need.finding(whole) for need in members}
        explains.update(ids)
        rendered = render(whole, ids.values())
        for need in members:
            finding = rendered.get(ids[need.id])
            if finding is not None:
                certain = (decisions[need.id].state is Tri.VIOLATED
                           and _always_explained_by(need, finding.id, answers))
                findings[need.id] = dataclasses.replace(finding, certain=certain)
    return findings, explains


def _always_explained_by(need: Need, finding_id: str, answers: Answers) -> bool:
    """A requirement violated whatever the unknowns are may still be explained by different
    findings under different values (ECS Exec: no path, or an IPv6-only subnet)."""

    def same(view: Any) -> bool | None:
        return None if need.condition(view) is not False else need.finding(view) == finding_id

    return decide(same, answers).state is Tri.MET


def _findings(answers: Answers, rendered: Result, reads: Mapping[str, set[str]],
              extra: Mapping[str, Finding]) -> tuple[Finding, ...]:
    """Each open or violated requirement's finding, and the rendered completion's other
    findings: certain only where their rule read none of the unknown answers."""
    by_id: dict[str, Finding] = {}
    for finding in extra.values():
        kept = by_id.get(finding.id)
        if kept is None or (finding.certain and not kept.certain):
            by_id[finding.id] = finding
    unknown = set(answers.unknown)
    for finding in rendered.findings:
        if finding.id not in by_id:
            certain = finding.severity is not Severity.BLOCKER and not (reads[finding.id] & unknown)
            by_id[finding.id] = dataclasses.replace(finding, certain=certain)
    order = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return tuple(sorted(by_id.values(), key=lambda f: (order[f.severity], not f.certain)))


def _traffic(answers: Answers, rendered: Result, decisions: Mapping[str, Decision],
             extra: Mapping[str, Finding]) -> tuple[TrafficRow, ...]:
    """The rendered completion's rows, with every row whose requirements are open `depends`
    (also where the rendered completion happened to block it) and its way out unknown."""
    open_needs: dict[Action, list[Need]] = {}
    violated: set[Action] = set()
    for need in NEEDS:
        state = decisions[need.id].state
        for action in need.actions:
            if state is Tri.UNKNOWN:
                open_needs.setdefault(action, []).append(need)
            elif state is Tri.VIOLATED and decisions[need.id].applies:
                violated.add(action)
    network_unknown = bool(PATH_FIELDS & set(answers.unknown))
    rows = []
    for row in rendered.traffic:
        needs = open_needs.get(row.action)
        if needs and row.action not in violated and row.status is not Status.UNSUPPORTED:
            ids = tuple(extra[n.id].id for n in needs if n.id in extra)
            row = dataclasses.replace(
                row, status=Status.DEPENDS, route=_uncertain(row.route),
                path="Depends on: " + " ".join(n.text for n in needs),
                findings=tuple(dict.fromkeys(row.findings + ids)),
            )
        elif row.action is Action.APPLICATION and network_unknown and row.route:
            row = dataclasses.replace(
                row, route=_uncertain(row.route),
                path=row.path + " (the way out depends on network answers that are not known)",
            )
        rows.append(row)
    return tuple(rows)


def _uncertain(route: tuple[Hop, ...]) -> tuple[Hop, ...]:
    """The hops past the task's own interface rest on unknown answers; a "no route" of the
    rendered completion is only one of the possibilities, so it is left out."""
    return tuple(hop if hop.kind in (HopKind.TASK_ENI, HopKind.FARGATE_ENI)
                 else dataclasses.replace(hop, passes=None)
                 for hop in route if hop.kind is not HopKind.NO_ROUTE)


def _verdict(answers: Answers, findings: tuple[Finding, ...], violated: list[Need],
             open_: list[Need], holding: Assignment | None,
             decisions: Mapping[str, Decision]) -> Verdict:
    blockers = [f for f in findings if f.certain and f.severity is Severity.BLOCKER]
    warnings = [f for f in findings if f.certain and f.severity is Severity.WARNING]
    unknown = ", ".join(answers.unknown)
    if violated or holding is None:
        first = blockers[0].title if blockers else "each value of the unknown answers meets a " \
            "different blocker"
        return Verdict(VerdictStatus.BLOCKED, len(blockers), len(warnings),
                       f"The task will not start, whatever the unknown answers are: {first}.",
                       len(open_))
    if open_:
        need = open_[0]
        witness = _witness(answers, need, decisions[need.id])
        return Verdict(
            VerdictStatus.CONDITIONAL, len(blockers), len(warnings),
            f"It depends on what is not known ({unknown}): the task starts only if "
            f"{len(open_)} condition{'s' if len(open_) > 1 else ''} hold"
            f"{'' if len(open_) > 1 else 's'}: the requirements list each, with a read-only "
            "check.",
            len(open_), witness,
        )
    status = VerdictStatus.WARNING if warnings else VerdictStatus.OK
    summary = ("The task should start whatever the unknown answers are"
               + (f", with {len(warnings)} warning{'s' if len(warnings) > 1 else ''} to check: "
                  f"{warnings[0].title}." if warnings else "."))
    return Verdict(status, 0, len(warnings), summary, 0)


def _witness(answers: Answers, need: Need, decision: Decision) -> Witness:
    """The open requirement's failing values; its permalink keeps the other unknowns."""
    assert decision.failing is not None
    whole = complete(answers, decision.failing)
    return Witness(
        _assignment_json(answers, decision.failing), need.id, need.finding(whole),
        permalink(apply(answers, decision.failing)),
    )


def _assignment_json(answers: Answers, assignment: Assignment) -> dict[str, Any]:
    """The fixed unknown fields as answers: endpoint questions become the endpoints list."""
    out: dict[str, Any] = {}
    whole = to_dict(complete(answers, assignment))
    for key in assignment:
        name = key.split(".", 1)[0]
        out[name] = whole[name]
    if answers.endpoints is UNKNOWN and "endpoints" in out:
        out["endpoints"] = [e.value for e in Endpoint
                            if assignment.get(f"endpoints.{e.value}")]
    return out
