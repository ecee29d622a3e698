"""Unknown answers (spec section 4): the verdict is exact, not a guess.

`blocked`, `ok` and `warning` must hold for every value the unknown answers could take, and
`conditional` must come with a witness that evaluates to blocked. Checked exhaustively on the
invariant grid with up to three unknown fields (every completion evaluated), and with
hypothesis over every field beyond it.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from advisor.rules import TooManyUnknowns, evaluate, parse_query, to_query
from advisor.rules.answers import (
    FIELDS,
    FIELDS_BY_NAME,
    PLATFORM_VERSIONS,
    UNKNOWN,
    Answers,
    Kind,
)
from advisor.rules.requirements import BLOCKING, NEEDS
from advisor.rules.result import RequirementState, Result, Severity, Status, VerdictStatus
from tests.rules.test_invariants import _grid
from tests.strategies import valid_answers

# Fields whose every value can be listed: the exhaustive check enumerates their completions.
SMALL = [f.name for f in FIELDS if f.kind in (Kind.BOOL, Kind.CHOICE)]
INT_VALUES = {"subnet_count": (1, 2, 16, 17), "security_group_count": (0, 1, 5, 6)}


def _values(name: str) -> tuple[object, ...]:
    field = FIELDS_BY_NAME[name]
    if field.kind is Kind.BOOL:
        return (True, False)
    if field.kind is Kind.INT:
        return INT_VALUES[name]
    if field.kind is Kind.MULTI:
        members = list(field.enum)
        return tuple(frozenset(c) for n in range(len(members) + 1)
                     for c in itertools.combinations(members, n))
    return tuple(field.enum)


def completions(answers: Answers) -> list[Answers]:
    """Every complete, valid configuration the unknown answers could stand for."""
    names = answers.unknown
    out = []
    for values in itertools.product(*(_values(n) for n in names)):
        whole = answers.replace(**dict(zip(names, values, strict=True)))
        if whole.platform_version in PLATFORM_VERSIONS[whole.os]:
            out.append(whole)
    return out


def blocked(result: Result) -> bool:
    return result.verdict.status is VerdictStatus.BLOCKED


def assert_sound(partial: Answers, result: Result, wholes: list[Answers]) -> None:
    outcomes = [evaluate(whole) for whole in wholes]
    status = result.verdict.status
    if status is VerdictStatus.BLOCKED:
        assert all(blocked(r) for r in outcomes), to_query(partial)
    elif status in (VerdictStatus.OK, VerdictStatus.WARNING):
        assert not any(blocked(r) for r in outcomes), to_query(partial)
    else:
        assert any(not blocked(r) for r in outcomes), to_query(partial)
        assert any(blocked(r) for r in outcomes), to_query(partial)
    certain = {f.id for f in result.findings if f.certain}
    for outcome in outcomes:
        assert certain <= {f.id for f in outcome.findings}, to_query(partial)


def assert_conditional_has_witness(result: Result) -> None:
    if result.verdict.status is not VerdictStatus.CONDITIONAL:
        assert result.verdict.witness is None
        return
    witness = result.verdict.witness
    assert witness is not None
    assert any(r.state is RequirementState.UNKNOWN and r.id == witness.requirement
               for r in result.requirements)
    assert set(witness.answers) <= set(result.answers.unknown)
    proof = evaluate(parse_query(witness.permalink.split("?", 1)[1]
                                 if "?" in witness.permalink else ""))
    assert blocked(proof), witness.permalink
    assert witness.finding in {f.id for f in proof.findings}
    assert any(r.status is Status.DEPENDS for r in result.traffic) or not any(
        n.actions for n in NEEDS if n.id == witness.requirement)


def _grid_with_unknowns() -> list[Answers]:
    rng = random.Random(11)
    points = []
    for answers in _grid()[::6]:
        names = rng.sample(SMALL, rng.choice((1, 2, 3)))
        points.append(answers.replace(**dict.fromkeys(names, UNKNOWN)))
    return points


GRID = _grid_with_unknowns()


@pytest.mark.parametrize("chunk", range(8))
def test_verdict_holds_for_every_completion_on_the_grid(chunk: int) -> None:
    for partial in GRID[chunk::8]:
        result = evaluate(partial)
        assert_sound(partial, result, completions(partial))
        assert_conditional_has_witness(result)


@st.composite
def _partial_answers(draw: st.DrawFn) -> Answers:
    answers = draw(valid_answers(max_int=20))
    names = draw(st.lists(st.sampled_from([f.name for f in FIELDS]), max_size=17, unique=True))
    return answers.replace(**dict.fromkeys(names, UNKNOWN))


@settings(max_examples=150, deadline=None)
@given(_partial_answers(), st.randoms(use_true_random=False))
def test_verdict_holds_for_sampled_completions(partial: Answers, rng: random.Random) -> None:
    """Beyond the grid: many unknowns at once, completions drawn at random. A draw too wide
    to decide within the search budget has no verdict to hold: its refusal is the designed
    answer (tests/test_limits.py), and this test has drawn one."""
    try:
        result = evaluate(partial)
    except TooManyUnknowns:
        reject()
    wholes = []
    for _ in range(12):
        values = {name: rng.choice(_values(name)) for name in partial.unknown}
        whole = partial.replace(**values)
        if whole.platform_version in PLATFORM_VERSIONS[whole.os]:
            wholes.append(whole)
    status = result.verdict.status
    outcomes = [evaluate(w) for w in wholes]
    if status is VerdictStatus.BLOCKED:
        assert all(blocked(r) for r in outcomes)
    elif status in (VerdictStatus.OK, VerdictStatus.WARNING):
        assert not any(blocked(r) for r in outcomes)
    assert_conditional_has_witness(result)


def test_complete_answers_blocker_findings_are_exactly_the_violated_requirements() -> None:
    """The requirements are the one statement of what blocks a task: for every complete grid
    point, a blocker finding appears exactly when a blocking requirement is violated, and each
    violated requirement names a finding the result contains."""
    for answers in _grid():
        result = evaluate(answers)
        blockers = {f.id for f in result.findings if f.severity is Severity.BLOCKER}
        violated = [n for n in NEEDS if n.condition(answers) is False]
        explained = {n.finding(answers) for n in violated if n in BLOCKING}
        assert blockers == explained, (to_query(answers), blockers, explained)
        ids = {f.id for f in result.findings}
        for need in violated:
            assert need.finding(answers) in ids, (to_query(answers), need.id)


@settings(max_examples=300, deadline=None)
@given(valid_answers(max_int=20))
def test_blocker_findings_match_violated_requirements_everywhere(answers: Answers) -> None:
    result = evaluate(answers)
    blockers = {f.id for f in result.findings if f.severity is Severity.BLOCKER}
    explained = {n.finding(answers) for n in BLOCKING if n.condition(answers) is False}
    assert blockers == explained


def test_a_task_definition_alone_is_conditional_not_blocked() -> None:
    """What a task definition states (Linux, ECR, awslogs) leaves the network unknown."""
    network = ["platform_version", "subnet", "public_ip", "nat_gateway", "ip_mode",
               "dualstack_account_setting", "ipv6_autoassign", "ipv6_egress", "vpc_dns",
               "endpoints", "endpoint_private_dns", "ecs_exec", "load_balancer",
               "target_type", "subnet_count", "security_group_count", "cmk"]
    result = evaluate(Answers().replace(**dict.fromkeys(network, UNKNOWN)))
    assert result.verdict.status is VerdictStatus.CONDITIONAL
    assert result.verdict.blockers == 0
    assert {r.id for r in result.requirements if r.state is RequirementState.UNKNOWN} >= {
        "reach-ecr-api", "reach-ecr-dkr", "reach-s3-layers", "reach-logs"}
    assert {row.action.value: row.status for row in result.traffic}["image_pull"] is (
        Status.DEPENDS)


def test_blocked_whatever_the_unknowns_when_each_value_meets_a_different_blocker() -> None:
    """Windows with EFS is blocked; ARM64 on Windows too: with the OS unknown, each OS value
    meets a different blocker, so the verdict is blocked without one certain blocker."""
    partial = Answers(efs=True, arch="arm64").replace(os=UNKNOWN)
    result = evaluate(partial)
    assert result.verdict.status is VerdictStatus.BLOCKED
    assert_sound(partial, result, completions(partial))


def test_unknown_answers_that_cannot_block_give_ok_or_warning() -> None:
    partial = Answers(nat_gateway=True).replace(cmk=UNKNOWN, arch=UNKNOWN)
    result = evaluate(partial)
    assert result.verdict.status in (VerdictStatus.OK, VerdictStatus.WARNING)
    assert result.verdict.witness is None


def test_a_permalink_names_unknown_fields_together_and_round_trips() -> None:
    partial = Answers().replace(subnet=UNKNOWN, endpoints=UNKNOWN, public_ip=UNKNOWN)
    result = evaluate(partial)
    assert result.permalink == "/result/?unknown=subnet,public_ip,endpoints"
    assert parse_query("subnet=unknown&unknown=public_ip,endpoints") == partial


# --- The shortcuts the search takes must be sound ---------------------------------------------

MARKED = [need for need in NEEDS if getattr(need.condition, "can_fail", None) is not None]
# Where the filters apply, split into one condition per way and per flow (`ways_taken`).
PARTED = [need for need in MARKED if need.condition.applies_where is not None]  # type: ignore[attr-defined]
FILTERS = {"task-egress-allows", "network-acl-allows", "endpoint-sg-admits-tasks",
           "endpoint-policy-allows"}


def test_the_filters_name_where_they_can_fail_and_apply() -> None:
    assert {n.id for n in MARKED} >= FILTERS
    assert {n.id for n in PARTED} >= FILTERS


def assert_shortcuts_hold(answers: Answers) -> None:
    """`search.decide` skips the walk for a failure where `can_fail` is false everywhere,
    answers "does not apply" where `may_apply` is, and asks the parts of `applies_where`
    instead of the condition where it cannot fail: each must hold wherever the condition
    fails, or applies, or the search would call a violated requirement met."""
    for need in MARKED:
        outcome = need.condition(answers)
        if outcome is False:
            assert need.condition.can_fail(answers), need.id  # type: ignore[attr-defined]
        may_apply = need.condition.may_apply  # type: ignore[attr-defined]
        if outcome is not None and may_apply is not None:
            assert may_apply(answers), need.id
        parts = need.condition.applies_where  # type: ignore[attr-defined]
        if parts is not None:
            assert (outcome is not None) == any(part(answers) for part in parts()), need.id


@settings(max_examples=400, deadline=None)
@given(valid_answers())
def test_a_filter_fails_and_applies_only_where_it_says(answers: Answers) -> None:
    assert_shortcuts_hold(answers)


def test_the_filters_shortcuts_hold_over_the_grid() -> None:
    for answers in _grid():
        assert_shortcuts_hold(answers)
