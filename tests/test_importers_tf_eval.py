"""Terraform expressions as the importers evaluate them (advisor/importers/tf_eval.py): the
operators and built-in functions a configuration's networking values are written with, and
what stays unknown rather than guessed."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.importers import hcl
from advisor.importers.tf_eval import Evaluator, Scope, Unresolved


def _no_roots(name: str, steps: list[Any], evaluator: Evaluator) -> Any:
    return Unresolved(f"{name} is not known here")


def evaluate(text: str) -> Any:
    return Evaluator({}).eval(hcl.expression(text), Scope(_no_roots))


KNOWN = {
    "addition_of_a_number_written_as_a_string": ('1 + "2"', 3),
    "subtraction_multiplication_division_modulo": ("(7 - 1) * 2 / 4 % 2", 1),
    "comparison": ("3 >= 2 && 1 < 2", True),
    "equality_of_strings": ('"a" == "a"', True),
    "inequality": ('"a" != "b"', True),
    "or_of_booleans": ("false || true", True),
    "negation": ("!false", True),
    "unary_minus": ("-3 + 1", -2),
    "conditional": ('1 > 2 ? "yes" : "no"', "no"),
    "merge": ('merge({a = 1}, {b = 2})', {"a": 1, "b": 2}),
    "concat": ("concat([1], [2, 3])", [1, 2, 3]),
    "lookup_with_a_default": ('lookup({a = 1}, "b", 9)', 9),
    "lookup": ('lookup({a = 1}, "a")', 1),
    "flatten": ("flatten([[1, [2]], [3]])", [1, 2, 3]),
    "distinct": ("distinct([1, 1, 2])", [1, 2]),
    "compact": ('compact(["a", "", "b"])', ["a", "b"]),
    "length": ("length([1, 2, 3])", 3),
    "element_wraps_around": ("element([1, 2, 3], 4)", 2),
    "keys_sorted": ("keys({b = 1, a = 2})", ["a", "b"]),
    "values_in_key_order": ("values({b = 1, a = 2})", [2, 1]),
    "contains": ('contains(["ip", "instance"], "ip")', True),
    "join": ('join(",", ["a", "b"])', "a,b"),
    "split": ('split(",", "a,b")', ["a", "b"]),
    "format": ('format("%s-%d%%", "subnet", 2)', "subnet-2%"),
    "lower_upper_trimspace": ('upper(lower(trimspace("  Ip ")))', "IP"),
    "replace": ('replace("a-b", "-", "_")', "a_b"),
    "substr": ('substr("fargate", 0, 4)', "farg"),
    "coalesce_skips_empty": ('coalesce("", "awsvpc")', "awsvpc"),
    "slice": ("slice([1, 2, 3], 1, 3)", [2, 3]),
    "zipmap": ('zipmap(["a"], [1])', {"a": 1}),
    "max_min_abs": ("max(1, abs(-5)) + min(2, 3)", 7),
    "tobool": ('tobool("true")', True),
    "tonumber": ('tonumber("1.5")', 1.5),
    "tostring_of_a_number": ("tostring(2)", "2"),
    "jsonencode": ('jsonencode({a = [1]})', '{"a":[1]}'),
    "jsondecode": ("jsondecode(\"[1]\")", [1]),
    "one_of_one": ("one([4])", 4),
    "try_falls_back_past_a_missing_attribute": ('try({a = 1}.b, "fallback")', "fallback"),
    "can_of_an_unknown": ("can(1 + 1)", True),
}


@pytest.mark.parametrize(("text", "value"), KNOWN.values(), ids=list(KNOWN))
def test_a_known_expression_has_its_terraform_value(text: str, value: Any) -> None:
    assert evaluate(text) == value


UNKNOWN = {
    "arithmetic_on_a_boolean": "true + 1",
    "arithmetic_on_a_word": '"ten" * 2',
    "division_by_zero": "1 / 0",
    "modulo_by_zero": "1 % 0",
    "and_of_numbers": "1 && 2",
    "a_comparison_with_an_unknown": 'var.region == "eu-west-1"',
    "a_function_the_advisor_does_not_evaluate": 'cidrsubnet("10.0.0.0/16", 8, 1)',
    "a_function_of_an_unknown": "lower(var.name)",
    "merge_of_a_list": "merge([1])",
    "concat_of_a_map": "concat({a = 1})",
    "lookup_of_a_missing_key": 'lookup({a = 1}, "b")',
    "tobool_of_a_word": 'tobool("yes")',
    "coalesce_of_nothing": 'coalesce("", "")',
}


@pytest.mark.parametrize("text", UNKNOWN.values(), ids=list(UNKNOWN))
def test_what_cannot_be_evaluated_stays_unknown(text: str) -> None:
    assert isinstance(evaluate(text), Unresolved)
