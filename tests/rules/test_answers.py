"""The vocabulary of answers (spec section 1): parsing, errors, normalisation, permalinks."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.rules.answers import (
    DEFAULT_ANSWERS,
    FIELDS,
    OS,
    Answers,
    AnswersError,
    Endpoint,
    LogDriver,
    PlatformVersion,
    SecretSource,
    parse_json,
    parse_query,
    permalink,
    to_dict,
    to_query,
)
from tests.strategies import valid_answers


def errors_of(parse, value) -> dict[str, list[str]]:
    with pytest.raises(AnswersError) as caught:
        parse(value)
    return caught.value.errors


def test_no_query_is_the_default_configuration() -> None:
    assert parse_query("") == DEFAULT_ANSWERS
    assert permalink(DEFAULT_ANSWERS) == "/result/"


def test_fields_follow_the_spec_in_order() -> None:
    # The spec's section 1 fields first, in its order; the network-detail fields (section 4,
    # "New fields") after them, so that no existing permalink changes its canonical form.
    assert [f.name for f in FIELDS] == [
        "os", "arch", "platform_version", "subnet", "public_ip", "nat_gateway", "ip_mode",
        "dualstack_account_setting", "ipv6_autoassign", "ipv6_egress", "vpc_dns", "endpoints",
        "endpoint_private_dns", "registry", "log_driver", "secrets", "cmk", "efs", "ecs_exec",
        "load_balancer", "target_type", "subnet_count", "security_group_count",
        "dns64", "endpoints_in", "endpoint_sg", "endpoint_policy", "s3_endpoint_routes",
        "endpoint_ip_type", "task_egress", "nacl", "egress_via", "egress_allowlist",
        "dns_support", "dns_hostnames", "dns_resolver", "free_addresses", "other_registries",
        "ecr_account", "ecr_repository_policy", "secrets_location", "secrets_policy",
        "logs_region", "log_group", "env_files", "service_discovery", "peer_ingress", "efs_sg",
        "efs_mount_targets", "efs_iam", "efs_access_point", "efs_transit_encryption",
        "exec_readonly_root", "exec_kms", "exec_logging", "lb_ingress", "lb_azs",
    ]


def test_the_spec_defaults() -> None:
    assert to_dict(DEFAULT_ANSWERS) == {
        "os": "linux", "arch": "x86_64", "platform_version": "latest", "subnet": "private",
        "public_ip": False, "nat_gateway": False, "ip_mode": "ipv4",
        "dualstack_account_setting": False, "ipv6_autoassign": False, "ipv6_egress": "none",
        "vpc_dns": True, "endpoints": [], "endpoint_private_dns": True, "registry": "ecr",
        "log_driver": "awslogs", "secrets": [], "cmk": False, "efs": False, "ecs_exec": False,
        "load_balancer": "none", "target_type": "ip", "subnet_count": 2,
        "security_group_count": 1,
        # Network detail (spec section 4): AWS's defaults, under which the rest evaluates as
        # before these fields existed.
        "dns64": True, "endpoints_in": "this_vpc", "endpoint_sg": "allows_tasks",
        "endpoint_policy": "full_access", "s3_endpoint_routes": "task_subnets",
        "endpoint_ip_type": "dualstack", "task_egress": "all", "nacl": "default",
        "egress_via": "nat_gateway", "egress_allowlist": "allows_needed", "dns_support": True,
        "dns_hostnames": True, "dns_resolver": "amazon", "free_addresses": "enough",
        "other_registries": [], "ecr_account": "same", "ecr_repository_policy": "grants",
        "secrets_location": "same", "secrets_policy": "grants", "logs_region": "same",
        "log_group": "exists", "env_files": False, "service_discovery": "none",
        "peer_ingress": "allows", "efs_sg": "allows", "efs_mount_targets": "every_az",
        "efs_iam": False, "efs_access_point": False, "efs_transit_encryption": False,
        "exec_readonly_root": False, "exec_kms": False, "exec_logging": "none",
        "lb_ingress": "allows", "lb_azs": "every_az",
    }


def test_lists_may_be_comma_separated_or_repeated_and_are_normalised() -> None:
    answers = parse_query("endpoints=s3,ecr_api&endpoints=logs&endpoints=s3")
    assert answers.endpoints == {Endpoint.S3, Endpoint.ECR_API, Endpoint.LOGS}
    assert to_query(answers) == "endpoints=ecr_api,s3,logs"


def test_an_empty_list_value_means_none_and_an_empty_scalar_means_the_default() -> None:
    assert parse_query("endpoints=&os=") == DEFAULT_ANSWERS


def test_unknown_query_fields_are_ignored() -> None:
    assert parse_query("utm_source=docs&subnet=public") == Answers(subnet="public")


def test_the_permalink_holds_only_non_default_fields_in_a_fixed_order() -> None:
    answers = parse_query("security_group_count=3&public_ip=true&subnet=public&vpc_dns=true")
    assert permalink(answers) == "/result/?subnet=public&public_ip=true&security_group_count=3"


def test_values_are_case_insensitive_and_normalised() -> None:
    answers = parse_query("os=Windows&public_ip=TRUE&log_driver=FireLens")
    assert (answers.os, answers.public_ip, answers.log_driver) == (
        OS.WINDOWS, True, LogDriver.FIRELENS)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("os=solaris", "os", ["'solaris'", "linux, windows"]),
        ("public_ip=maybe", "public_ip", ["'maybe'", "true, false"]),
        ("subnet_count=two", "subnet_count", ["'two'", "whole number"]),
        ("subnet_count=0", "subnet_count", ["from 1"]),
        ("subnet_count=-1", "subnet_count", ["'-1'"]),
        ("security_group_count=99999999", "security_group_count", ["whole number"]),
        ("endpoints=ecr_api,ecs", "endpoints", ["'ecs'", "ecr_api, ecr_dkr, s3"]),
        ("os=windows&platform_version=1.4.0", "platform_version",
         ["1.4.0", "windows", "latest, 1.0.0"]),
        ("platform_version=1.0.0", "platform_version", ["linux", "latest, 1.4.0, 1.3.0"]),
        ("subnet=public&subnet=private", "subnet", ["more than once"]),
    ],
)
def test_bad_query_values_name_the_field_and_the_allowed_values(
    query: str, field: str, words: list[str]
) -> None:
    errors = errors_of(parse_query, query)
    assert list(errors) == [field]
    for word in words:
        assert word in errors[field][0]


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_of(parse_query, "os=x&arch=y&efs=z")
    assert set(errors) == {"os", "arch", "efs"}


def test_a_repeated_identical_value_is_fine() -> None:
    assert parse_query("subnet=public&subnet=public").subnet == "public"


def test_json_takes_json_types() -> None:
    answers = parse_json({"subnet": "public", "public_ip": True, "endpoints": ["s3"],
                          "secrets": ["ssm"], "subnet_count": 3, "os": None})
    assert answers == Answers(subnet="public", public_ip=True, endpoints=frozenset({"s3"}),
                              secrets=frozenset({SecretSource.SSM}), subnet_count=3)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"public_ip": "true"}, "public_ip", ["JSON boolean", "str"]),
        ({"subnet_count": "2"}, "subnet_count", ["JSON integer"]),
        ({"subnet_count": True}, "subnet_count", ["JSON integer", "bool"]),
        ({"subnet_count": 2.5}, "subnet_count", ["JSON integer"]),
        ({"endpoints": "s3"}, "endpoints", ["JSON array"]),
        ({"endpoints": [1]}, "endpoints", ["JSON array"]),
        ({"os": ["linux"]}, "os", ["JSON string", "linux, windows"]),
        ({"nat": True}, "nat", ["Unknown field", "nat_gateway"]),
        ({"os": "windows", "platform_version": "1.3.0"}, "platform_version", ["latest, 1.0.0"]),
    ],
)
def test_bad_json_names_the_field(body: dict, field: str, words: list[str]) -> None:
    errors = errors_of(parse_json, body)
    assert field in errors
    for word in words:
        assert word in errors[field][0]


@pytest.mark.parametrize("body", [[], "subnet=public", 3, None])
def test_json_must_be_an_object(body: object) -> None:
    assert "JSON object" in errors_of(parse_json, body)["__all__"][0]


def test_a_retired_platform_version_is_not_an_input_error() -> None:
    assert parse_query("platform_version=1.3.0").platform_version is PlatformVersion.V1_3_0


@settings(max_examples=30, deadline=None)
@given(valid_answers(), valid_answers(), st.sets(st.sampled_from([f.name for f in FIELDS])))
def test_replace_is_dataclasses_replace(base: Answers, other: Answers, names: set[str]) -> None:
    """`Answers.replace` sets the slots itself (it is hot in the searches): the same value,
    equal and with the same hash, as the generated `__init__` gives."""
    changes = {name: getattr(other, name) for name in names}
    replaced = base.replace(**changes)
    expected = dataclasses.replace(base, **changes)
    assert replaced == expected
    assert hash(replaced) == hash(expected)
    assert all(getattr(replaced, f.name) is getattr(expected, f.name) for f in FIELDS)
    assert base == dataclasses.replace(base)  # the original is untouched


def test_replace_refuses_a_field_that_does_not_exist() -> None:
    with pytest.raises(TypeError, match="no field 'subnets'"):
        DEFAULT_ANSWERS.replace(subnets="private")
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_ANSWERS.replace(os="windows").os = "linux"  # type: ignore[misc]
