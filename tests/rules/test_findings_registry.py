"""The finding rules are found by their ids: each is named after the one id it produces, or
after its subject with every id it can produce listed in its docstring, or (the capability
rule) reads them from a row of `knowledge.CAPABILITIES`."""

from __future__ import annotations

from advisor.rules.findings import RULES, capability_unsupported, findings_of
from advisor.rules.knowledge import CAPABILITIES
from advisor.rules.roles import roles
from advisor.rules.traffic import context, endpoint_checks
from tests.rules.test_invariants import feature_grid, network_grid


def test_every_rule_is_named_after_the_finding_ids_it_produces():
    produced: dict[str, set[str]] = {}
    for answers in network_grid() + feature_grid():
        ctx = context(answers)
        ctx.roles = roles(ctx)
        ctx.endpoint_checks = endpoint_checks(ctx)
        for rule in RULES:
            for finding in findings_of(rule(ctx)):
                produced.setdefault(rule.__name__, set()).add(finding.id)
    table = {u.id for cap in CAPABILITIES for u in (cap.windows, cap.linux_1_3_0) if u}
    assert produced.pop(capability_unsupported.__name__) <= table
    for name, ids in produced.items():
        rule = next(r for r in RULES if r.__name__ == name)
        if ids != {name.replace("_", "-")}:
            assert all(i in (rule.__doc__ or "") for i in ids), (name, ids)


def test_rule_names_are_unique():
    names = [rule.__name__ for rule in RULES]
    assert len(names) == len(set(names))
