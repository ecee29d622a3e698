"""Exact reasoning over unknown answers, by searching only the fields a condition reads.

A condition is a plain function of the answers, `(answers) -> bool | None` (None: it does not
apply). Given answers with some fields `UNKNOWN`, `decide()` says whether the condition holds
for every value those fields could take (`MET`), for none (`VIOLATED`) or for some (`UNKNOWN`),
and returns an assignment under which it fails.

It does not enumerate every completion. The condition is run on a `View` of the answers; when
it reads a field that is still unknown, the view raises `_Ask`, and the search splits on that
field's values only (a Shannon expansion driven by what the condition actually reads). A
condition that reads `ip_mode` and then, for IPv4, `subnet` and `public_ip` splits on those
three and on nothing else, however many other fields are unknown. A search stops as soon as it
has seen the condition both hold and fail.

Endpoints are read one at a time (`has_endpoint`), so an unknown endpoint list splits into one
yes/no question per endpoint that a condition asks about, not 256 subsets.

The searches are exact, and some answer sets (twenty unknown answers that the same conditions
read) are still too wide to search within a request. Inside `budget(steps)` every run of a
condition counts, a remembered decision counting what it cost when it was made, so the same
answers always spend the same; past the budget the search raises `TooWide` (never a guess).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations
from typing import Any

from .answers import (
    FIELDS_BY_NAME,
    OS,
    PLATFORM_VERSIONS,
    UNKNOWN,
    Answers,
    Endpoint,
    Kind,
    PlatformVersion,
    known,
)

Assignment = Mapping[str, Any]  # field name (or "endpoints.<name>") -> value
Condition = Callable[[Any], "bool | None"]

_ENDPOINT_KEY = {endpoint: f"endpoints.{endpoint.value}" for endpoint in Endpoint}


class Tri(StrEnum):
    MET = "met"
    VIOLATED = "violated"
    UNKNOWN = "unknown"


class _Ask(Exception):
    """A condition read a field that is still unknown."""

    def __init__(self, name: str) -> None:
        self.name = name


class TooWide(Exception):
    """The search ran past its budget."""


class _Meter:
    __slots__ = ("limit", "spent")

    def __init__(self, steps: int) -> None:
        self.limit = steps
        self.spent = 0


_UNMETERED = _Meter(sys.maxsize)  # (its count is never read)


_METER: ContextVar[_Meter | None] = ContextVar("search_meter", default=None)


@contextmanager
def budget(steps: int) -> Iterator[None]:
    """Count the work of every search within: each run of a condition and each answer it
    reads (a run's cost is about its reads). Past `steps`, raise `TooWide`: checked as each
    run starts, and once more at the end, so the same work is refused at the same budget
    wherever the last run ended."""
    meter = _Meter(steps)
    token = _METER.set(meter)
    try:
        yield
    finally:
        _METER.reset(token)
    if meter.spent > meter.limit:
        raise TooWide


def _spend(steps: int) -> _Meter | None:
    meter = _METER.get()
    if meter is None:
        return None
    meter.spent += steps
    if meter.spent > meter.limit:
        raise TooWide
    return meter


class View:
    """Answers with some unknown fields fixed; reading one still unknown raises `_Ask`.
    Every read is counted on the search's meter (see `budget`)."""

    __slots__ = ("_answers", "_fixed", "_meter")

    def __init__(self, answers: Answers, fixed: Assignment, meter: _Meter | None = None
                 ) -> None:
        self._answers = answers
        self._fixed = fixed
        self._meter = meter if meter is not None else _UNMETERED

    def __getattr__(self, name: str) -> Any:
        self._meter.spent += 1
        if name in self._fixed:
            return self._fixed[name]
        value = getattr(self._answers, name)
        if value is UNKNOWN:
            raise _Ask(name)
        return value

    def has_endpoint(self, endpoint: Endpoint) -> bool:
        self._meter.spent += 1
        endpoints = self._answers.endpoints
        if endpoints is not UNKNOWN:
            return endpoint in endpoints
        key = _ENDPOINT_KEY[endpoint]
        if key in self._fixed:
            return bool(self._fixed[key])
        raise _Ask(key)


_ALL_UNKNOWN = Answers(**dict.fromkeys(FIELDS_BY_NAME, UNKNOWN))

# Integer fields split into the classes the rules tell apart (see `knowledge` limits): a value
# inside the limits and one past them. Set by `requirements`, which knows the limits.
INT_CLASSES: dict[str, tuple[int, ...]] = {}
# A list field whose members the conditions tell apart only by kind splits into one subset per
# combination of kinds (a representative member each), not into every subset. Set by
# `requirements`, which knows which members its conditions treat alike.
MULTI_CLASSES: dict[str, tuple[frozenset[Any], ...]] = {}


def _domain(name: str, answers: Answers, fixed: Assignment) -> tuple[Any, ...]:
    """The values an unknown field can take, given what is already fixed."""
    if name in _ENDPOINT_KEY.values():
        return (True, False)
    field = FIELDS_BY_NAME[name]
    if field.kind is Kind.BOOL:
        return (True, False)
    if field.kind is Kind.INT:
        return INT_CLASSES[name]
    if name in MULTI_CLASSES:
        return MULTI_CLASSES[name]
    if field.kind is Kind.MULTI:
        assert field.enum is not None
        members = list(field.enum)
        return tuple(frozenset(c) for n in range(len(members) + 1)
                     for c in combinations(members, n))
    if name == "platform_version":
        os = fixed.get("os", answers.os)
        return PLATFORM_VERSIONS[os] if os is not UNKNOWN else tuple(PlatformVersion)
    if name == "os":
        version = fixed.get("platform_version", answers.platform_version)
        return tuple(os for os in OS
                     if version is UNKNOWN or version in PLATFORM_VERSIONS[os])
    assert field.enum is not None
    return tuple(field.enum)


def _leaves(condition: Condition, answers: Answers,
            fixed: Assignment) -> Iterator[tuple[bool | None, Assignment]]:
    """Every decided outcome of the condition, with the assignment that decided it."""
    meter = _spend(1)
    try:
        yield condition(View(answers, fixed, meter)), fixed
    except _Ask as ask:
        for value in _domain(ask.name, answers, fixed):
            yield from _leaves(condition, answers, {**fixed, ask.name: value})


@dataclass(frozen=True, slots=True)
class Decision:
    state: Tri
    failing: Assignment | None  # an assignment under which the condition fails
    applies: bool  # the condition applies under some completion (is not None everywhere)
    asked: int = 0  # how many unknown fields the search split on (a measure of its reach)
    cost: int = 0  # how many runs of the condition it took (charged again where remembered)


def decide(condition: Condition, answers: Answers) -> Decision:
    """Whether `condition` holds for every, no or some completion of the unknown answers.

    A condition may name where it can fail at all (`can_fail`, see `fails_only_where`): a
    filter fails only where it stops some way. Where that is nowhere, the condition is met
    wherever it applies, and the search stops at the first completion where it applies instead
    of walking every completion of what the task uses in search of a failure that cannot be.
    """
    can_fail = getattr(condition, "can_fail", None)
    if can_fail is not None and not any(outcome for outcome, _ in _leaves(can_fail, answers, {})):
        may_apply = getattr(condition, "may_apply", None)
        if may_apply is not None and not any(
                outcome for outcome, _ in _leaves(may_apply, answers, {})):
            return Decision(Tri.MET, None, False)
        applies_where = getattr(condition, "applies_where", None)
        if applies_where is not None:  # (`asked` orders open conditions only: not needed)
            return Decision(Tri.MET, None, any(
                outcome for part in applies_where() for outcome, _ in _leaves(part, answers, {})))
        for outcome, assignment in _leaves(condition, answers, {}):
            if outcome is not None:
                return Decision(Tri.MET, None, True, len(assignment))
        return Decision(Tri.MET, None, False)
    failing = None
    holds = applies = False
    asked: set[str] = set()
    for outcome, assignment in _leaves(condition, answers, {}):
        asked.update(assignment)
        applies = applies or outcome is not None
        if outcome is False:
            failing = failing if failing is not None else assignment
        else:
            holds = True
        if failing is not None and holds and applies:
            return Decision(Tri.UNKNOWN, failing, True, len(asked))
    state = Tri.VIOLATED if failing is not None else Tri.MET
    return Decision(state, failing, applies, len(asked))


def fails_only_where(can_fail: Condition, may_apply: Condition | None = None,
                     applies_where: Callable[[], tuple[Condition, ...]] | None = None
                     ) -> Callable[[Condition], Condition]:
    """Mark a condition as failing only where `can_fail` holds, and applying (not None) only
    where `may_apply` does (for `decide`). Both are necessary conditions that read fewer
    answers than the condition itself. `applies_where`, if given, lists conditions whose
    disjunction is exactly where the condition applies: where it cannot fail, `decide` asks
    each in turn instead of walking the condition's own completions."""

    def mark(condition: Condition) -> Condition:
        condition.can_fail = can_fail  # type: ignore[attr-defined]
        condition.may_apply = may_apply  # type: ignore[attr-defined]
        condition.applies_where = applies_where  # type: ignore[attr-defined]
        return condition

    return mark


_READS: dict[Condition, tuple[str, ...]] = {}
_DECIDED: dict[tuple[Any, ...], Decision] = {}
_DECIDED_MAX = 50_000


def reads_of(condition: Condition) -> tuple[str, ...]:
    """Every field (or endpoint question) the condition can read: the questions its search
    asks when every answer is unknown, which every other search's questions are a part of."""
    if condition not in _READS:
        asked: dict[str, None] = {}
        token = _METER.set(None)  # once per process: not a cost of the answers at hand
        try:
            for count, (_, assignment) in enumerate(_leaves(condition, _ALL_UNKNOWN, {})):
                if count == _READS_LEAVES_MAX:  # too wide to list: key on every answer
                    asked = dict.fromkeys((*FIELDS_BY_NAME, *_ENDPOINT_KEY.values()))
                    break
                asked.update(dict.fromkeys(assignment))
        finally:
            _METER.reset(token)
        _READS[condition] = tuple(asked)
    return _READS[condition]


# A condition over many fields (the filters read the ways of every flow) has too many leaves
# to list; past this many, its cache key is every answer, which is as exact and only less shared.
_READS_LEAVES_MAX = 200


def decide_cached(condition: Condition, answers: Answers) -> Decision:
    """`decide`, remembered by the values of the fields the condition can read: configurations
    that agree on those (most do, when many answers are unknown) share one search."""
    key = (condition, *(_value(answers, name) for name in reads_of(condition)))
    decision = _DECIDED.get(key)
    if decision is not None:
        _spend(decision.cost)
        return decision
    meter = _METER.get()
    if meter is None:  # count anyway: a remembered decision is charged what it cost
        with budget(sys.maxsize):
            return decide_cached(condition, answers)
    before = meter.spent
    decision = dataclasses.replace(decide(condition, answers), cost=meter.spent - before)
    if len(_DECIDED) >= _DECIDED_MAX:
        _DECIDED.clear()
    _DECIDED[key] = decision
    return decision


def _value(answers: Answers, name: str) -> Any:
    if name.startswith("endpoints."):
        endpoints = answers.endpoints
        return UNKNOWN if endpoints is UNKNOWN else name[10:] in endpoints
    return getattr(answers, name)


def first_failing(condition: Condition, answers: Answers, fixed: Assignment,
                  first: Assignment | None = None, limit: int | None = None
                  ) -> Assignment | None:
    """An extension of `fixed` under which the condition fails, if there is one: the first
    failing leaf of the walk with `fixed` held. `first`, the first failing leaf of the whole
    walk (`decide`), is that leaf too where it agrees with `fixed`: the walk with some answers
    held visits the same leaves in the same order, less those that disagree. With `limit`,
    None also where no failure shows within that many leaves (for a caller to whom a failure
    under `fixed` is a saving, not a need)."""
    if first is not None and all(fixed.get(k, v) == v for k, v in first.items()):
        return {**fixed, **first}
    for count, (outcome, assignment) in enumerate(_leaves(condition, answers, fixed)):
        if outcome is False:
            return assignment
        if count == limit:
            return None
    return None


def satisfiable(conditions: list[Condition], answers: Answers) -> Assignment | None:
    """One assignment under which no condition fails, or None if every completion fails one.

    This is the joint search the verdict needs where several open conditions read the same
    unknown field: each may hold on its own while no completion satisfies them all. Give the
    conditions that read fewest fields first: a failure then shows before the search has split
    on fields that cannot matter to it (with EFS on a VPC without DNS, the OS and platform
    version decide everything, and the path conditions need never be split).

    The walk is the same depth-first walk as `_leaves`, and returns the same first assignment,
    but it does not revisit what cannot help (conflict-directed backjumping): a failing leaf
    fails because of the fields its failing condition read, and a split on a field that none
    of the failures below it read is not tried with the field's other values, which would fail
    the same way. Without this the walk was exponential in the fields that open conditions
    read between them, failure or not (a permalink with twenty unknown answers took 1.3 M
    leaves; see `tests/rules/test_search.py`).
    """
    return _satisfy(tuple(conditions), answers, {})[0]


class _Reading(View):
    """A view that notes which of the fixed (searched) fields a condition read."""

    __slots__ = ("read",)

    def __init__(self, answers: Answers, fixed: Assignment, meter: _Meter | None) -> None:
        super().__init__(answers, fixed, meter)
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        if name in self._fixed:
            self.read.add(name)
        return super().__getattr__(name)

    def has_endpoint(self, endpoint: Endpoint) -> bool:
        key = _ENDPOINT_KEY[endpoint]
        if key in self._fixed:
            self.read.add(key)
        return super().has_endpoint(endpoint)


# The fields whose fixed value narrows another's domain (`_domain`): a failure of every value
# of the one holds only for the other's value.
_DOMAIN_READS = {"platform_version": "os", "os": "platform_version"}


def _satisfy(conditions: tuple[Condition, ...], answers: Answers, fixed: Assignment
             ) -> tuple[Assignment | None, frozenset[str]]:
    """`satisfiable` below `fixed`: the assignment found, or None and the fixed fields that
    the failures read (changing any other fixed field cannot make a completion hold)."""
    view = _Reading(answers, fixed, _spend(1))
    try:
        for condition in conditions:
            view.read = set()
            if condition(view) is False:
                return None, frozenset(view.read)
    except _Ask as ask:
        conflict: set[str] = set()
        for value in _domain(ask.name, answers, fixed):
            found, why = _satisfy(conditions, answers, {**fixed, ask.name: value})
            if found is not None:
                return found, frozenset()
            if ask.name not in why:  # this field's other values fail the same way
                return None, why
            conflict |= why
        conflict.discard(ask.name)
        narrowing = _DOMAIN_READS.get(ask.name)
        if narrowing is not None and narrowing in fixed:
            conflict.add(narrowing)
        return None, frozenset(conflict)
    return fixed, frozenset()


def apply(answers: Answers, assignment: Assignment) -> Answers:
    """Answers with the assignment applied; the other unknown fields stay unknown.

    Endpoint questions become the list of those answered yes: the endpoints no condition
    asked about are left out, which changes nothing that the assignment decided.
    """
    changes = {key: value for key, value in assignment.items() if "." not in key}
    if any("." in key for key in assignment):
        changes["endpoints"] = frozenset(e for e in Endpoint if assignment.get(_ENDPOINT_KEY[e]))
    return answers.replace(**changes)


def complete(answers: Answers, assignment: Assignment) -> Answers:
    """Answers with the assignment applied and every other unknown field at its default.

    The defaults only fill fields the search never read, so they change nothing the search
    decided; they make the answers whole for the evaluator that renders the result.
    """
    changes: dict[str, Any] = {}
    endpoint_bits = {key: value for key, value in assignment.items()
                     if key.startswith("endpoints.")}
    for name in answers.unknown:
        if name == "endpoints":
            changes[name] = frozenset(e for e in Endpoint if endpoint_bits.get(_ENDPOINT_KEY[e]))
        elif name in assignment:
            changes[name] = assignment[name]
        else:
            changes[name] = FIELDS_BY_NAME[name].default
    whole = answers.replace(**changes)
    if whole.platform_version not in PLATFORM_VERSIONS[known(whole.os)]:
        # Only one of the two was fixed; the other was a filled-in default: fit that one.
        if "os" in assignment or answers.os is not UNKNOWN:
            whole = whole.replace(platform_version=PlatformVersion.LATEST)
        else:
            whole = whole.replace(os=next(os for os in OS
                                          if whole.platform_version in PLATFORM_VERSIONS[os]))
    return whole
