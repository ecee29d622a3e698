"""The joint search behind the verdict (`search.satisfiable`) skips only what cannot help.

Its backjumping must find exactly what the plain depth-first walk over every completion finds
(the same first assignment, or none), and its reach must stay bounded where the plain walk was
exponential in the unknown answers that the open requirements read between them.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.rules import TooManyUnknowns, evaluate, parse_query, search, unknowns
from advisor.rules.answers import FIELDS, OS, UNKNOWN, Answers, PlatformVersion
from advisor.rules.requirements import BLOCKING
from advisor.rules.result import VerdictStatus
from advisor.rules.search import Assignment, Condition, satisfiable
from tests.strategies import valid_answers


def plain_walk(conditions: list[Condition], answers: Answers) -> Assignment | None:
    """The first completion, in the search's own order, under which no condition fails."""

    def all_hold(view: Any) -> bool:
        return all(condition(view) is not False for condition in conditions)

    return next((found for outcome, found in search._leaves(all_hold, answers, {}) if outcome),
                None)


@st.composite
def _problems(draw: st.DrawFn) -> tuple[list[Condition], Answers]:
    answers = draw(valid_answers(max_int=20))
    names = draw(st.lists(st.sampled_from([f.name for f in FIELDS]), max_size=7, unique=True))
    needs = draw(st.permutations(BLOCKING))[:draw(st.integers(1, len(BLOCKING)))]
    return [need.condition for need in needs], answers.replace(**dict.fromkeys(names, UNKNOWN))


@settings(max_examples=150, deadline=None)
@given(_problems())
def test_backjumping_finds_what_the_plain_walk_finds(problem: tuple[list[Condition], Answers]
                                                      ) -> None:
    conditions, answers = problem
    assert satisfiable(conditions, answers) == plain_walk(conditions, answers)


def test_a_failure_under_every_version_of_one_os_still_tries_the_other_os() -> None:
    """The platform versions to try depend on the OS: that every Linux version fails says
    nothing about Windows, so the failure must not jump back over the OS."""
    conditions: list[Condition] = [
        lambda view: view.os in OS,
        lambda view: view.platform_version is PlatformVersion.V1_0_0,
    ]
    answers = Answers(os=UNKNOWN, platform_version=UNKNOWN)
    expected = {"os": OS.WINDOWS, "platform_version": PlatformVersion.V1_0_0}
    assert plain_walk(conditions, answers) == expected
    assert satisfiable(conditions, answers) == expected


# Twenty unknown answers that six open requirements read between them: the plain walk visits
# 1.3 million completions here (twelve seconds; a gevent worker would be killed on a slower
# machine), every one of them failing for reasons that a handful of answers decide.
HOSTILE = (
    "os=windows&platform_version=1.0.0&public_ip=true&vpc_dns=false&load_balancer=alb"
    "&subnet_count=3&endpoint_sg=blocks&endpoint_policy=allows_needed&s3_endpoint_routes=other"
    "&task_egress=https_nfs&egress_via=firewall&egress_allowlist=missing&dns_support=false"
    "&ecr_repository_policy=missing&logs_region=other&log_group=create_group&peer_ingress=blocks"
    "&efs_transit_encryption=true&exec_readonly_root=true"
    "&unknown=nat_gateway,ip_mode,ipv6_autoassign,endpoints,endpoint_private_dns,registry,"
    "log_driver,secrets,cmk,target_type,security_group_count,other_registries,ecr_account,"
    "secrets_location,secrets_policy,service_discovery,efs_sg,efs_mount_targets,exec_logging,"
    "lb_ingress"
)


def test_the_joint_search_of_many_shared_unknowns_stays_small(monkeypatch: Any) -> None:
    calls = 0
    inner = search._satisfy

    def counted(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return inner(*args)

    monkeypatch.setattr(search, "_satisfy", counted)
    result = evaluate(parse_query(HOSTILE))
    assert 0 < calls < 5_000  # the plain walk: 1,261,417 leaves
    assert result.verdict.status is VerdictStatus.BLOCKED


def test_the_joint_search_agrees_with_the_plain_walk_on_seeded_wide_answers() -> None:
    """Many unknowns at once (up to 12), where the plain walk is still affordable."""
    rng = random.Random(7)
    names = [f.name for f in FIELDS]
    for _ in range(40):
        answers = Answers().replace(**dict.fromkeys(rng.sample(names, 12), UNKNOWN))
        conditions = [need.condition for need in rng.sample(BLOCKING, 6)]
        assert satisfiable(conditions, answers) == plain_walk(conditions, answers)


def _spent(answers: Answers) -> int:
    with search.budget(10**9):
        meter = search._METER.get()
        assert meter is not None
        unknowns._evaluate_open(answers)
        return meter.spent


def test_the_budget_is_spent_alike_whatever_is_remembered(monkeypatch: Any) -> None:
    """The same answers always spend the same: a remembered decision is charged what it cost,
    so a permalink is never decided on one worker and refused on another."""
    answers = parse_query(HOSTILE)
    search._DECIDED.clear()
    cold = _spent(answers)
    assert cold == _spent(answers) > 1_000  # the second time, every decision is remembered
    monkeypatch.setattr(unknowns, "SEARCH_BUDGET", cold)
    assert evaluate(answers).verdict.status is VerdictStatus.BLOCKED
    monkeypatch.setattr(unknowns, "SEARCH_BUDGET", cold - 1)
    refusals = []
    for remembered in (True, False):
        unknowns._REFUSED.clear()
        if not remembered:
            search._DECIDED.clear()
        with pytest.raises(TooManyUnknowns) as raised:
            evaluate(answers)
        assert raised.value.fields and set(raised.value.fields) <= set(answers.unknown)
        refusals.append(raised.value.errors)
    assert refusals[0] == refusals[1]  # and it names the same answers to give first


def test_answers_refused_once_are_refused_again_without_a_search(monkeypatch: Any) -> None:
    answers = parse_query(HOSTILE)
    monkeypatch.setattr(unknowns, "SEARCH_BUDGET", 500)
    with pytest.raises(TooManyUnknowns) as first:
        evaluate(answers)
    leaves = search._leaves

    def no_search(*args: Any) -> Any:
        raise AssertionError("searched again")

    monkeypatch.setattr(search, "_leaves", no_search)
    with pytest.raises(TooManyUnknowns) as again:
        evaluate(answers)
    assert again.value.errors == first.value.errors
    # Under another budget the refusal is not remembered: here, a budget that decides them.
    monkeypatch.setattr(search, "_leaves", leaves)
    monkeypatch.setattr(unknowns, "SEARCH_BUDGET", 10**9)
    assert evaluate(answers).verdict.status is VerdictStatus.BLOCKED
